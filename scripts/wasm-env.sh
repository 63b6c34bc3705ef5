#!/usr/bin/env bash
# Runs one command with the environment that wasm32 builds need on this
# machine, e.g. `scripts/wasm-env.sh trunk build --release`.
#
# In the "debian" wasm path (see /work/shared/TOOLCHAIN.md) the command gets
# Debian's rustc-web first on PATH, since Trunk runs whichever cargo comes
# first, plus the two variables that turn on build-std. They are set for this
# one command only: exported into a shell they would leak into host builds.
# In the "rustup" path the toolchain already has the wasm32 target, so the
# command runs unchanged.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# setup.sh records the mode it chose; when that record is missing or unreadable
# (setup has not run yet), the same detection is run without installing.
mode=""
if [ -r "$repo_root/target/wasm-mode" ]; then
  read -r mode <"$repo_root/target/wasm-mode" || true
fi
case "$mode" in
  rustup | debian) ;;
  *) mode="$(bash "$repo_root/scripts/setup.sh" --detect-mode)" ;;
esac

# Debian's rustc-web has no wasm linker of its own: LLVM 22's wasm-ld links for it.
if [ "$mode" = debian ]; then
  exec env PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld "$@"
fi
exec "$@"
