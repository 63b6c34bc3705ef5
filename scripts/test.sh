#!/usr/bin/env bash
# Runs every test. First three gates, one line each: the format (rustfmt), the lint
# (clippy, warnings are errors) and the shell scripts (shellcheck). Then the domain crate,
# the server and the front end natively, then the browser tests against the real server
# binary and the built front end (dist/, made by `make web`), then the schema fuzzer
# (scripts/schemathesis.sh) and the crash loop (the release server killed CRASH_CYCLES
# times while children save; `make soak` runs it 100 times).
# Ends with one line `make test: N passed, M failed` counting all of them. A failed gate
# fails the run as well, but the tests still run, so that one gate hides nothing else.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log="$(mktemp)"
gate_log="$(mktemp)"
trap 'rm -f "$log" "$gate_log"' EXIT
status=0
failed_gates=()

# Runs one gate with its output kept aside and prints one line: passed, or FAILED with
# what to do, followed by the tool's findings (cargo's progress lines left out).
gate() {
  local name=$1 todo=$2
  shift 2
  if "$@" >"$gate_log" 2>&1; then
    echo "gate ${name}: passed"
  else
    echo "gate ${name}: FAILED: ${todo}"
    grep -vE '^ *(Compiling|Checking|Finished|Blocking|Locking|Updating|Downloaded|Downloading) ' "$gate_log" |
      head -n 60 | sed 's/^/    /' || true
    failed_gates+=("$name")
  fi
}

echo "== gates (format, lint, shell scripts)"
gate rustfmt "these files are not formatted as rustfmt.toml says; 'cargo fmt --all' formats them" \
  cargo fmt --all --check -- --files-with-diff
gate clippy "clippy warns about the code below (warnings count as errors)" \
  cargo clippy --locked --workspace --all-targets -- -D warnings
if command -v shellcheck >/dev/null 2>&1; then
  gate shellcheck "shellcheck finds the problems below in the shell scripts" \
    shellcheck scripts/*.sh .ci/run
else
  echo "gate shellcheck: FAILED: shellcheck is not installed; scripts/setup.sh installs it"
  failed_gates+=(shellcheck)
fi

echo "== native tests (beratta-core, beratta-server, beratta-web)"
cargo test --locked 2>&1 | tee -a "$log" || status=1
# The front end is no default member (its release build is wasm32, made by Trunk), but its
# unit tests run natively; a run of its own keeps the domain and server builds' features.
cargo test --locked -p beratta-web 2>&1 | tee -a "$log" || status=1

echo "== browser tests (real server, built front end, headless Chromium)"
if [ ! -f dist/index.html ]; then
  echo "dist/ is missing: run 'make test', which builds the front end first" >&2
  exit 1
fi
cargo build --locked -p beratta-server 2>&1 | tail -1
# The browser tests open stored answers with the organisation key, as staff will.
cargo build --locked --release -p beratta-core --example open_assessment 2>&1 | tail -1
# The group picture's test counts the demo municipality's answers by itself, from these.
cargo build --locked -p beratta-server --example demo_answers 2>&1 | tail -1
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec) 2>&1 | tee -a "$log" || status=1

echo "== schema fuzzer (schemathesis over /api/openapi.json, real server, demo data)"
bash scripts/schemathesis.sh 2>&1 | tee -a "$log" || status=1

echo "== crash loop (release server, SIGKILL at random moments while children save)"
cargo build --locked --release -p beratta-server --bin beratta-server --example crash_loop 2>&1 | tail -1
target/release/examples/crash_loop target/release/beratta-server questionnaires "${CRASH_CYCLES:-12}" 2>&1 |
  tee -a "$log" || status=1

# Sum cargo's "test result: ok. N passed; M failed" lines, node's "ℹ pass N" lines and the
# fuzzer's and the crash loop's "NAME: N passed, M failed" lines.
read -r passed failed < <(awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ℹ pass / { p += $3 }
  /^ℹ fail / { f += $3 }
  /^(schemathesis \(.*\)|crash loop): [0-9]+ passed, [0-9]+ failed$/ { p += $(NF-3); f += $(NF-1) }
  END { print p + 0, f + 0 }' "$log")
if [ "${#failed_gates[@]}" -ne 0 ]; then
  echo "gates failed: ${failed_gates[*]} (see the 'gate' lines at the top)"
  status=1
fi
echo "make test: ${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
