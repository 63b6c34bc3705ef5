#!/usr/bin/env bash
# The schema fuzzer: schemathesis reads the server's own OpenAPI document
# (/api/openapi.json), generates requests for every operation, valid ones and broken ones,
# and checks each answer: never a 5xx, and always a status, content type and body that the
# document allows. Two runs: without a session, and with the demo administrator's and a
# demo child's sessions in one Cookie header (the logouts run last, alone, as they end
# those sessions). Prints one line per run, `schemathesis (RUN): N passed, M failed`,
# counting operations, which `make test` adds to its total.
#
# Usage: scripts/schemathesis.sh             a server of its own with demo data (make test)
#        scripts/schemathesis.sh URL         a running server, e.g. make run's at
#                                            http://127.0.0.1:8080: logs in as the demo
#                                            administrator; CHILD_CODE=XXXX-... adds a child
#        scripts/schemathesis.sh --install   only installs schemathesis when missing
#
# schemathesis lives in a virtual environment of its own under the user's cache, so the
# system Python is never touched; scripts/setup.sh calls --install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/server-url.sh
source scripts/server-url.sh

SCHEMATHESIS_VERSION=4.32.5
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/beratta/schemathesis-$SCHEMATHESIS_VERSION"
# Examples per operation and run: about two minutes for both runs on two cores.
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-25}

install() {
  if [ -x "$VENV/bin/st" ]; then
    echo "setup: schemathesis $SCHEMATHESIS_VERSION: present"
    return 0
  fi
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo "setup: python3-venv is missing; scripts/setup.sh installs it" >&2
    return 1
  fi
  echo "setup: installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  "$VENV/bin/st" --version
}

if [ "${1:-}" = --install ]; then
  install
  exit 0
fi
[ -x "$VENV/bin/st" ] || { echo "schemathesis is not installed; run scripts/setup.sh (or make test)" >&2; exit 1; }

temporary_work

cargo build --locked -p beratta-server --bin beratta-server --example api_session 2>&1 | tail -1
server=target/debug/beratta-server
if [ -n "${1:-}" ]; then
  url=${1%/}
  cookie="$(target/debug/examples/api_session "$url" admin demo-admin-password ${CHILD_CODE:+"$CHILD_CODE"})"
else
  # The demo data of `make run`, with the cheapest Argon2id: the runs are about answers.
  flags=(--data "$work/data" --secret-file "$work/secret.key" --questionnaires questionnaires)
  cheap=(--kdf-memory-kib 64 --kdf-iterations 1)
  code="$("$server" demo "${flags[@]}" "${cheap[@]}" --children 2 --with-staff --org-key-out "$work/org.key" 2>/dev/null | sed -n 2p)"
  "$server" demo-municipality "${flags[@]}" "${cheap[@]}" --children 40 >/dev/null 2>&1
  RUST_LOG=warn "$server" serve "${flags[@]}" --static dist --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
  server_pid=$!
  url="$(server_url "$work/stdout")" || { cat "$work/stderr" >&2; exit 1; }
  cookie="$(target/debug/examples/api_session "$url" admin demo-admin-password "$code")"
fi

# One run: its name, then schemathesis' own arguments. Its JUnit report has one test case
# per operation, failed when any check failed on any of its examples.
run() {
  local name=$1
  shift
  local report="$work/$name.xml"
  local status=0
  # From the work folder, where schemathesis keeps its example database (.schemathesis/).
  (cd "$work" && timeout 600 "$VENV/bin/st" run "$url/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" --seed 1 --workers 2 \
    --request-timeout 30 --suppress-health-check all --no-color \
    --report junit --report-junit-path "$report" "$@") >"$work/$name.log" 2>&1 || status=$?
  python3 - "$report" "$name" "$status" <<'PY' || { tail -n 80 "$work/$name.log"; return 1; }
import sys, xml.etree.ElementTree as ET
report, name, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    cases = list(ET.parse(report).getroot().iter("testcase"))
except (OSError, ET.ParseError) as e:
    print(f"schemathesis ({name}): 0 passed, 1 failed (no report: {e})")
    sys.exit(1)
failed = [c.get("name") for c in cases if c.find("failure") is not None or c.find("error") is not None]
print(f"schemathesis ({name}): {len(cases) - len(failed)} passed, {len(failed)} failed")
for operation in failed:
    print(f"  failed: {operation}")
sys.exit(1 if failed or status not in (0,) or not cases else 0)
PY
}

result=0
run "no session" || result=1
run "with a session" -H "$cookie" --exclude-path-regex '/logout$' || result=1
run "logouts with a session" -H "$cookie" --include-path-regex '/logout$' || result=1
if [ "$result" -ne 0 ]; then
  echo "schemathesis found answers the document does not allow; the end of each failed run's log is above" >&2
fi
exit "$result"
