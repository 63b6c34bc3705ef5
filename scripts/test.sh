#!/usr/bin/env bash
# Runs every test: the domain crate and the server natively, then the browser tests
# against the real server binary and the built front end (dist/, made by `make web`).
# Ends with one line `make test: N passed, M failed` counting all of them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0

echo "== native tests (beratta-core, beratta-server)"
cargo test --locked 2>&1 | tee -a "$log" || status=1

echo "== browser tests (real server, built front end, headless Chromium)"
if [ ! -f dist/index.html ]; then
  echo "dist/ is missing: run 'make test', which builds the front end first" >&2
  exit 1
fi
cargo build --locked -p beratta-server 2>&1 | tail -1
# The browser tests open stored answers with the organisation key, as staff will.
cargo build --locked --release -p beratta-core --example open_assessment 2>&1 | tail -1
(cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec) 2>&1 | tee -a "$log" || status=1

# Sum cargo's "test result: ok. N passed; M failed" lines and node's "ℹ pass N" lines.
read -r passed failed < <(awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^ℹ pass / { p += $3 }
  /^ℹ fail / { f += $3 }
  END { print p + 0, f + 0 }' "$log")
echo "make test: ${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
