#!/usr/bin/env bash
# Prepares a machine for `make run`, `make test` and `make bench`.
#
# The Makefile calls this before every one of those targets, so it has to be
# idempotent and cheap: each step checks first and installs only what is
# missing, and a run on a ready machine prints one "present" line per tool.
# /work/shared/TOOLCHAIN.md explains why the wasm build needs two paths: a
# rustup toolchain that already has the wasm32 target (a normal laptop), or
# Debian's rustc-web with build-std (our machines, where `rustup target add`
# cannot download anything).
#
# Usage: scripts/setup.sh                 check and install everything
#        scripts/setup.sh --detect-mode   only decide the wasm path, record it
#                                         in target/wasm-mode and print it
set -euo pipefail

# Versions that must match the project. Trunk 0.22 needs a newer rustc than
# the machines have, so Trunk is pinned; wasm-bindgen-cli is read from
# Cargo.lock further down because it must equal the `wasm-bindgen` crate.
TRUNK_VERSION=0.21.14
DEBIAN_WASM_PACKAGES=(rustc-web cargo-web rust-web-src lld-22)
# Needed on either wasm path: Trunk runs Debian's wasm-opt (binaryen 108, named in
# Trunk.toml), the browser tests drive Debian's Chromium, and `make test` checks the
# shell scripts with shellcheck before the tests; the schema fuzzer (schemathesis, from
# PyPI) lives in a virtual environment of its own, which python3-venv makes.
ALWAYS_PACKAGES=(binaryen chromium chromium-driver shellcheck python3-venv)
# The registry mirror lacks webpki-roots 1.0.11, which wasm-bindgen-cli's own
# lockfile pins; 1.0.10 is the newest release the mirror has and is compatible.
WEBPKI_ROOTS_MISSING=1.0.11
WEBPKI_ROOTS_FALLBACK=1.0.10
# A `cargo install` started elsewhere is waited for at most this long, so a
# stuck process cannot hang `make test` (and CI) for ever.
MAX_WAIT_SECONDS=2700

# The repository root is found from this script's own location so that the
# script works from any checkout and any working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="$REPO_ROOT/target"
LOG_DIR="$TARGET_DIR/setup-logs"
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"

# Tools are installed into ~/.cargo/bin, so that directory must be on PATH for
# the checks below to see them, even when make is started with a bare PATH.
case ":$PATH:" in
  *":$CARGO_HOME_DIR/bin:"*) ;;
  *) PATH="$CARGO_HOME_DIR/bin:$PATH"; export PATH ;;
esac

# The build-std variables belong to wasm32 commands only. If a caller has
# exported them, they would leak into the host builds of Trunk and
# wasm-bindgen-cli below, so they are dropped here and set per command.
unset RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Long installer output goes to a log file so that the Makefile's output stays
# readable; the log's tail is shown when a step fails.
run_logged() {
  local name=$1
  shift
  mkdir -p "$LOG_DIR"
  "$@" >"$LOG_DIR/$name.log" 2>&1
}
fail_with_log() {
  local name=$1 message=$2
  printf 'setup: error: %s; last lines of %s:\n' "$message" "$LOG_DIR/$name.log" >&2
  tail -n 30 "$LOG_DIR/$name.log" >&2 || true
  exit 1
}

# A temporary directory is created only when a build from source needs one,
# and it is removed however the script ends.
WORK_TMP=""
cleanup() {
  if [ -n "$WORK_TMP" ]; then rm -rf "$WORK_TMP"; fi
}
trap cleanup EXIT

# The wasm path is "rustup" when rustup's toolchain already has the wasm32
# standard library, which is the simple case on a machine with full internet;
# otherwise it is "debian", the build-std path described in TOOLCHAIN.md.
detect_mode() {
  if command -v rustup >/dev/null 2>&1 &&
    rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
    echo rustup
  else
    echo debian
  fi
}

# The mode is written through a temporary file and a rename, so that
# wasm-env.sh never reads a half-written file.
write_mode() {
  mkdir -p "$TARGET_DIR"
  printf '%s\n' "$1" >"$TARGET_DIR/wasm-mode.$$"
  mv -f "$TARGET_DIR/wasm-mode.$$" "$TARGET_DIR/wasm-mode"
}

case "${1:-}" in
  "") ;;
  --detect-mode)
    mode="$(detect_mode)"
    write_mode "$mode"
    echo "$mode"
    exit 0
    ;;
  -h | --help)
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac

# Two make targets started at once would otherwise both compile the same tool
# for minutes; the second run waits here and then finds everything present.
mkdir -p "$TARGET_DIR"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TARGET_DIR/.setup.lock"
  if ! flock -n 9; then
    say "another setup run holds $TARGET_DIR/.setup.lock; waiting for it"
    flock 9
  fi
fi

# ---------------------------------------------------------------- Debian packages

# apt needs root; sudo is used only when the script is not root, because
# containers often have no sudo at all. Its absence is an error only once
# something must really be installed, so a ready machine never needs it.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
APT_UPDATED=0

package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# Checks each package and installs the missing ones in one apt call. The
# package lists are refreshed at most once per run, and only when something is
# actually missing, because `apt-get update` is the slow part on a ready machine.
ensure_packages() {
  local missing=() package start
  for package in "$@"; do
    if package_installed "$package"; then
      say "$package (Debian package): present"
    else
      missing+=("$package")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0

  if [ "${#SUDO[@]}" -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
    die "${missing[*]} must be installed, but this is not root and sudo is missing"
  fi
  start=$SECONDS
  say "installing Debian packages: ${missing[*]} (log: $LOG_DIR/apt.log)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    run_logged apt-update "${SUDO[@]}" apt-get update || fail_with_log apt-update "apt-get update failed"
    APT_UPDATED=1
  fi
  run_logged apt "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" ||
    fail_with_log apt "apt-get install ${missing[*]} failed"
  for package in "${missing[@]}"; do
    package_installed "$package" || die "$package is still not installed after apt-get install"
  done
  say "installed ${missing[*]} in $(duration $((SECONDS - start)))"
}

MODE="$(detect_mode)"
if [ "$MODE" = rustup ]; then
  say "wasm32-unknown-unknown (rustup target): present"
else
  say "wasm path: debian (rustup's toolchain has no wasm32-unknown-unknown)"
  ensure_packages "${DEBIAN_WASM_PACKAGES[@]}"
fi

# Browser tests drive Debian's Chromium through chromedriver; a browser cannot
# be downloaded by any other means on these machines.
ensure_packages "${ALWAYS_PACKAGES[@]}"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing although the chromium package is installed"

# node and npm are checked as commands, not as Debian packages, because they
# may come from elsewhere (NodeSource's nodejs ships npm inside it, and then
# Debian's npm package is absent and must not be installed over it).
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  say "node $(node --version): present"
  say "npm $(npm --version 2>/dev/null || echo '?'): present"
else
  ensure_packages nodejs npm
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    die "node or npm still missing after installing nodejs and npm"
  fi
fi

# ---------------------------------------------------------------- cargo tools

# Prints the version a tool reports on the first line of `--version`, or
# nothing when the tool is absent or broken.
version_of() {
  "$1" --version 2>/dev/null | awk 'NR == 1 { print $2; exit }' || true
}

# A `cargo install` of the same crate may already be running (another
# terminal, or a provisioning step). Starting a second one would compile the
# same thing twice on two cores, so the script waits for it and re-checks.
wait_for_other_install() {
  local crate=$1 waited=0
  # The crate name may be followed by a space, "@version" or, for an install
  # from a copied source, "-VERSION" in a path.
  while pgrep -f "cargo install .*${crate}([ @/.-]|$)" >/dev/null 2>&1; do
    if [ "$waited" -eq 0 ]; then
      say "a 'cargo install' of $crate is already running; waiting for it instead of starting another"
    fi
    if [ "$waited" -ge "$MAX_WAIT_SECONDS" ]; then
      die "the running 'cargo install' of $crate has not finished after $(duration "$waited")"
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

# The cargo used for host tools is the first one on PATH, i.e. rustup's, never
# /usr/bin/cargo: Debian's cargo is only for the wasm32 build.
ensure_trunk() {
  local have start
  have="$(version_of trunk)"
  if [ "$have" != "$TRUNK_VERSION" ]; then
    wait_for_other_install trunk
    have="$(version_of trunk)"
  fi
  if [ "$have" = "$TRUNK_VERSION" ]; then
    say "trunk $TRUNK_VERSION: present"
    return 0
  fi
  # A correct Trunk in ~/.cargo/bin that is shadowed by another one earlier on
  # PATH would be rebuilt for nothing, so that case is reported instead.
  if [ "$(version_of "$CARGO_HOME_DIR/bin/trunk")" = "$TRUNK_VERSION" ]; then
    die "trunk $TRUNK_VERSION is in $CARGO_HOME_DIR/bin, but $(command -v trunk) ($have) comes first on PATH"
  fi

  start=$SECONDS
  say "installing trunk $TRUNK_VERSION (found '${have:-none}'; takes about 8 minutes; log: $LOG_DIR/trunk-install.log)"
  run_logged trunk-install cargo install --locked --force trunk --version "$TRUNK_VERSION" ||
    fail_with_log trunk-install "cargo install trunk $TRUNK_VERSION failed"
  have="$(version_of trunk)"
  [ "$have" = "$TRUNK_VERSION" ] || die "after installing, 'trunk --version' reports '${have:-nothing}', not $TRUNK_VERSION"
  say "installed trunk $TRUNK_VERSION in $(duration $((SECONDS - start)))"
}

# The CLI must equal the `wasm-bindgen` crate in Cargo.lock exactly, or the
# generated bindings are rejected; reading the lockfile keeps them in step
# when the crate is upgraded.
lockfile_version() {
  awk -v name="$1" '
    /^\[\[package\]\]/ { in_pkg = 0 }
    $1 == "name" && $3 == "\"" name "\"" { in_pkg = 1; next }
    in_pkg && $1 == "version" { gsub(/"/, "", $3); print $3; in_pkg = 0 }
  ' "$REPO_ROOT/Cargo.lock" | sort -u
}

# Finds the downloaded .crate file of a registry crate in cargo's cache.
crate_file() {
  local file
  for file in "$CARGO_HOME_DIR"/registry/cache/*/"$1-$2.crate"; do
    if [ -f "$file" ]; then
      echo "$file"
      return 0
    fi
  done
  return 0
}

# Builds wasm-bindgen-cli from a copy of its published source in which the
# unavailable webpki-roots is replaced by the newest release the mirror has.
# The source is taken from cargo's download cache; when it is not there (the
# failed install stopped before downloading), a throwaway project that
# depends on the crate is fetched, which downloads and caches it.
install_wasm_bindgen_patched() {
  local version=$1 file src
  WORK_TMP="$(mktemp -d "${TMPDIR:-/tmp}/wasm-bindgen-cli.XXXXXX")"
  file="$(crate_file wasm-bindgen-cli "$version")"
  if [ -z "$file" ]; then
    mkdir -p "$WORK_TMP/fetch/src"
    : >"$WORK_TMP/fetch/src/lib.rs"
    cat >"$WORK_TMP/fetch/Cargo.toml" <<EOF
[package]
name = "fetch-wasm-bindgen-cli"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wasm-bindgen-cli = "=$version"

[workspace]
EOF
    (cd "$WORK_TMP/fetch" && run_logged wasm-bindgen-fetch cargo fetch) ||
      fail_with_log wasm-bindgen-fetch "could not download wasm-bindgen-cli $version"
    file="$(crate_file wasm-bindgen-cli "$version")"
    [ -n "$file" ] || die "cargo fetch did not leave wasm-bindgen-cli-$version.crate in $CARGO_HOME_DIR/registry/cache"
  fi

  # A .crate file is a gzipped tarball holding wasm-bindgen-cli-VERSION/,
  # including the Cargo.lock that `--locked` honours.
  tar -xzf "$file" -C "$WORK_TMP"
  src="$WORK_TMP/wasm-bindgen-cli-$version"
  [ -f "$src/Cargo.lock" ] || die "wasm-bindgen-cli $version was published without a Cargo.lock"
  if grep -A1 '^name = "webpki-roots"$' "$src/Cargo.lock" | grep -qx "version = \"$WEBPKI_ROOTS_MISSING\""; then
    (cd "$src" && run_logged wasm-bindgen-patch \
      cargo update -p "webpki-roots@$WEBPKI_ROOTS_MISSING" --precise "$WEBPKI_ROOTS_FALLBACK") ||
      fail_with_log wasm-bindgen-patch "could not pin webpki-roots $WEBPKI_ROOTS_FALLBACK in wasm-bindgen-cli's lockfile"
  fi
  run_logged wasm-bindgen-install-patched cargo install --locked --force --path "$src" ||
    fail_with_log wasm-bindgen-install-patched "cargo install of the patched wasm-bindgen-cli $version failed"
  rm -rf "$WORK_TMP"
  WORK_TMP=""
}

ensure_wasm_bindgen() {
  local want have start
  want="$(lockfile_version wasm-bindgen)"
  [ -n "$want" ] || die "no wasm-bindgen package in $REPO_ROOT/Cargo.lock"
  [ "$(printf '%s\n' "$want" | wc -l)" -eq 1 ] ||
    die "Cargo.lock holds several wasm-bindgen versions ($(echo "$want" | tr '\n' ' ')); pin one"

  have="$(version_of wasm-bindgen)"
  if [ "$have" != "$want" ]; then
    wait_for_other_install wasm-bindgen-cli
    have="$(version_of wasm-bindgen)"
  fi
  if [ "$have" = "$want" ]; then
    say "wasm-bindgen $want: present"
    return 0
  fi
  if [ "$(version_of "$CARGO_HOME_DIR/bin/wasm-bindgen")" = "$want" ]; then
    die "wasm-bindgen $want is in $CARGO_HOME_DIR/bin, but $(command -v wasm-bindgen) ($have) comes first on PATH"
  fi

  start=$SECONDS
  say "installing wasm-bindgen-cli $want (found '${have:-none}'; log: $LOG_DIR/wasm-bindgen-install*.log)"
  # The plain locked install is tried first: it is what works on a machine
  # with full internet, and on a mirror that later gains webpki-roots 1.0.11.
  if run_logged wasm-bindgen-install cargo install --locked --force wasm-bindgen-cli --version "$want"; then
    say "plain 'cargo install --locked wasm-bindgen-cli' worked"
  else
    say "plain 'cargo install --locked wasm-bindgen-cli' failed (see $LOG_DIR/wasm-bindgen-install.log); building a copy with webpki-roots $WEBPKI_ROOTS_FALLBACK"
    install_wasm_bindgen_patched "$want"
  fi
  have="$(version_of wasm-bindgen)"
  [ "$have" = "$want" ] || die "after installing, 'wasm-bindgen --version' reports '${have:-nothing}', not $want"
  command -v wasm-bindgen-test-runner >/dev/null 2>&1 || die "wasm-bindgen-test-runner is missing after installing wasm-bindgen-cli"
  say "installed wasm-bindgen-cli $want in $(duration $((SECONDS - start)))"
}

ensure_trunk
ensure_wasm_bindgen

# ---------------------------------------------------------------- build-std sources

# Trunk builds offline, and in the debian path cargo also needs the crates
# that the standard library itself depends on, which a fresh cargo home lacks.
# One `cargo fetch` with the wasm environment downloads them. The host triple
# is fetched as well: a wasm32 build also wants every crate that is enabled
# for the host (build scripts and proc macros run there), e.g. yew's prokio
# pulls tokio-stream on non-wasm targets, and a wasm32-only fetch misses it,
# so the offline build then fails. The marker is keyed on Cargo.lock, the
# Rust sources' package version, the cargo home and the fetched targets,
# because a change in any of them can need new downloads.
fetch_build_std_dependencies() {
  local start host
  host="$(/usr/bin/rustc -vV | sed -n 's/^host: //p')"
  [ -n "$host" ] || die "could not read the host triple from /usr/bin/rustc -vV"
  fetch_marker() {
    printf '%s/.wasm-fetch-%s' "$TARGET_DIR" "$( {
      cat "$REPO_ROOT/Cargo.lock"
      dpkg-query -W -f='${Version}' rust-web-src 2>/dev/null || true
      echo "$CARGO_HOME_DIR targets: wasm32-unknown-unknown $host"
    } | sha256sum | cut -c1-16)"
  }
  if [ -f "$(fetch_marker)" ]; then
    say "wasm32 dependencies incl. build-std's: present (fetched for this Cargo.lock)"
    return 0
  fi
  start=$SECONDS
  say "fetching wasm32 dependencies incl. build-std's (log: $LOG_DIR/wasm-fetch.log)"
  (cd "$REPO_ROOT" && run_logged wasm-fetch env PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort cargo fetch --target wasm32-unknown-unknown --target "$host") ||
    fail_with_log wasm-fetch "cargo fetch --target wasm32-unknown-unknown --target $host failed"
  # The marker is named after the fetch, because cargo rewrites Cargo.lock
  # when a manifest has changed since the lockfile was last written.
  rm -f "$TARGET_DIR"/.wasm-fetch-*
  : >"$(fetch_marker)"
  say "fetched wasm32 dependencies in $(duration $((SECONDS - start)))"
}

if [ "$MODE" = debian ]; then
  fetch_build_std_dependencies
fi

# ---------------------------------------------------------------- npm packages

# The browser tests' npm packages are installed when node_modules is missing
# or older than the manifest or lockfile. The skip variables keep packages
# such as playwright or puppeteer from trying to download a browser of their
# own during install, which cannot work here; the tests use /usr/bin/chromium.
ensure_e2e_node_modules() {
  local dir="$REPO_ROOT/tests/e2e" install start
  if [ ! -f "$dir/package.json" ]; then
    say "e2e npm packages: none needed (no tests/e2e/package.json)"
    return 0
  fi
  if [ -f "$dir/package-lock.json" ]; then install=(npm ci); else install=(npm install); fi
  if [ -d "$dir/node_modules" ] &&
    ! [ "$dir/package.json" -nt "$dir/node_modules" ] &&
    ! { [ -f "$dir/package-lock.json" ] && [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; }; then
    say "e2e npm packages (tests/e2e/node_modules): present"
    return 0
  fi
  start=$SECONDS
  say "installing e2e npm packages with '${install[*]}' (log: $LOG_DIR/npm-e2e.log)"
  (cd "$dir" && run_logged npm-e2e env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
    "${install[@]}" --no-audit --no-fund) ||
    fail_with_log npm-e2e "'${install[*]}' in tests/e2e failed"
  # npm leaves node_modules' own time alone when nothing changed, and creates
  # no node_modules at all for a package without dependencies, so the folder
  # is made and touched to make the freshness test above hold on the next run.
  mkdir -p "$dir/node_modules"
  touch "$dir/node_modules"
  say "installed e2e npm packages in $(duration $((SECONDS - start)))"
}

ensure_e2e_node_modules

# ---------------------------------------------------------------- the schema fuzzer

# schemathesis (PyPI) in its own virtual environment under the user's cache, pinned in
# scripts/schemathesis.sh, which installs it when missing.
bash "$REPO_ROOT/scripts/schemathesis.sh" --install ||
  die "could not install schemathesis (see above); it needs PyPI and python3-venv"

write_mode "$MODE"
say "ready (wasm path: $MODE)"
