#!/usr/bin/env bash
# `make bench`: prints the child flow's transfer size, the engine's speed and the cost of a
# code guess (native), durable saves per second against the real release server, and a
# school of 1,000 children logging in and saving at once behind one address.
# Figures only: nothing here asserts a time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/server-url.sh
source scripts/server-url.sh

if [ ! -f dist/index.html ]; then
  echo "dist/ is missing: run 'make bench', which builds the front end first" >&2
  exit 1
fi
cargo build --release --locked -p beratta-server --bin beratta-server --example save_load --example school_login
cargo build --release --locked -p beratta-core --example bench_core

temporary_work

server=target/release/beratta-server
flags=(--data "$work/data" --secret-file "$work/secret.key" --questionnaires questionnaires)
# The load steps, in children saving at once; 7 is where sled's own flush used to stop
# the server. Each step saves for SAVE_SECONDS.
steps=(1 7 8 50 200 500)
children=500
SAVE_SECONDS=${SAVE_SECONDS:-10}
# The codes use the cheapest Argon2id: the figures are about saves, and 500 logins at the
# standard cost would only make the set-up slow.
mapfile -t codes < <("$server" demo "${flags[@]}" --children "$children" --org-key-out "$work/org.key" \
  --kdf-memory-kib 64 --kdf-iterations 1 | tail -n "$children")
"$server" serve "${flags[@]}" --static dist --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
url="$(server_url "$work/stdout")" || { cat "$work/stderr" >&2; exit 1; }

echo
echo "== transfer size of the child flow (gzip -9)"
gz() { gzip -9 -c | wc -c; }
total=0
for file in dist/index.html dist/*.js dist/*.wasm dist/*.css; do
  size=$(gz <"$file")
  total=$((total + size))
  printf '  %-44s %8d raw %8d gzip\n' "$(basename "$file")" "$(wc -c <"$file")" "$size"
done
# The switch's name "ትግርኛ" is drawn in a four-letter face every child fetches; the Tigrinya
# texts' letters only a child who chooses Tigrinya does (shown apart, not in the total).
name_font=dist/fonts/noto-sans-ethiopic-name.woff2
size=$(gz <"$name_font")
total=$((total + size))
printf '  %-44s %8d raw %8d gzip\n' "$(basename "$name_font")" "$(wc -c <"$name_font")" "$size"
bundle="$work/bundle.json"
curl -fsS "$url/api/questionnaires/beratta-10-12/1" -o "$bundle"
size=$(gz <"$bundle")
total=$((total + size))
printf '  %-44s %8d raw %8d gzip\n' "questionnaire bundle beratta-10-12@1" "$(wc -c <"$bundle")" "$size"
printf '  %-44s %8s     %8d gzip (%d KiB)\n' "total" "" "$total" "$((total / 1024))"
ti_font=dist/fonts/noto-sans-ethiopic-ti.woff2
printf '  %-44s %8d raw %8d gzip (Tigrinya only)\n' "$(basename "$ti_font")" "$(wc -c <"$ti_font")" "$(gz <"$ti_font")"

echo
echo "== domain crate, native"
target/release/examples/bench_core

echo
echo "== the group picture in the analyst's browser (headless Chromium, this machine)"
# About 10,000 finished records: Demokommun answers twice, less those away (1.9 per child).
"$server" demo-municipality --data "$work/municipality" --secret-file "$work/secret.key" \
  --questionnaires questionnaires --children 5300 --seed 1 | tail -n 1
"$server" serve --data "$work/municipality" --secret-file "$work/secret.key" --questionnaires questionnaires \
  --static dist --listen 127.0.0.1:0 >"$work/municipality.out" 2>"$work/municipality.err" &
municipality_pid=$!
municipality_url="$(server_url "$work/municipality.out")" || { cat "$work/municipality.err" >&2; exit 1; }
(cd tests/e2e && node bench_picture.mjs "$municipality_url")
kill "$municipality_pid"; wait "$municipality_pid" 2>/dev/null || true

echo
echo "== durable saves against the release server on loopback (${SAVE_SECONDS} s per step; each save"
echo "   acknowledged only after the flusher's fdatasync; logins not counted)"
printf '  %8s %10s %9s %9s %8s %11s\n' children "saves/s" "p50 ms" "p99 ms" saves unanswered
echo "  closed loop: each child sends its next save as soon as the last is answered"
for n in "${steps[@]}"; do
  target/release/examples/save_load "$url" "$SAVE_SECONDS" "${codes[@]:0:$n}"
done
echo "  paced: 500 children offering 5,000 saves/s together (10 a second each), time from when due"
target/release/examples/save_load "$url" "$SAVE_SECONDS" --rate 10 "${codes[@]:0:500}"

echo
echo "== a school logging in at once: 1,000 children behind one address, standard Argon2id codes"
echo "   (release server on loopback; each child logs in with its printed code and saves once; the"
echo "   32 client threads run every child's Argon2id on the server's own cores, so the round"
echo "   trips include waiting for a core, which a school's own devices would not cost the server)"
school="$work/school"
mapfile -t school_codes < <("$server" demo --data "$school" --secret-file "$work/secret.key" --questionnaires questionnaires \
  --children 1000 --org-key-out "$work/school-org.key" | tail -n 1000)
"$server" serve --data "$school" --secret-file "$work/secret.key" --questionnaires questionnaires \
  --static dist --listen 127.0.0.1:0 >"$work/school.out" 2>"$work/school.err" &
school_pid=$!
school_url="$(server_url "$work/school.out")" || { cat "$work/school.err" >&2; exit 1; }
target/release/examples/school_login "$school_url" 32 "${school_codes[@]}"
kill "$school_pid"; wait "$school_pid" 2>/dev/null || true

echo
echo "== Lighthouse on the child start page (mobile emulation, simulated throttling)"
report="$work/lighthouse.json"
(cd tests/e2e && CHROME_PATH=/usr/bin/chromium npx --no-install lighthouse "$url/" \
  --only-categories=accessibility,performance --output=json --output-path="$report" --quiet \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync") 2>/dev/null
# shellcheck disable=SC2016 # JavaScript template strings, not shell expansions
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const [name, c] of Object.entries(r.categories)) console.log(`  ${name.padEnd(14)} ${Math.round(c.score * 100)}`);
  for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"])
    console.log(`  ${id.padEnd(26)} ${r.audits[id].displayValue}`);
' "$report"
