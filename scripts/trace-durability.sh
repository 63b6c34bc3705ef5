#!/usr/bin/env bash
# Shows, with strace, that every acknowledged save had an fdatasync of sled's log before
# its answer left the server. Children save one save after another against the release
# server run under `strace -f -y`; for each save, the script finds the request coming in and
# the answer going out on the same socket, and checks that an fdatasync of the data
# folder's `db` file began after the request had arrived and ended before the answer.
#
# Usage: scripts/trace-durability.sh [SECONDS] [CHILDREN]   (installs strace when missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/server-url.sh
source scripts/server-url.sh
seconds=${1:-3}
children=${2:-1}

if ! command -v strace >/dev/null; then
  apt-get install -y strace >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y strace >/dev/null; }
fi
cargo build --release --locked -p beratta-server --bin beratta-server --example save_load 2>&1 | tail -1

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  [ -n "${KEEP_TRACE:-}" ] && cp "$work/trace" "$KEEP_TRACE"; rm -rf "$work"
}
trap cleanup EXIT

server=${SERVER:-target/release/beratta-server}
flags=(--data "$work/data" --secret-file "$work/secret.key" --questionnaires questionnaires)
mapfile -t codes < <("$server" demo "${flags[@]}" --children "$children" --org-key-out "$work/org.key" \
  --kdf-memory-kib 64 --kdf-iterations 1 2>/dev/null | tail -n "$children")
strace -f -y -tt -e trace=read,recvfrom,write,writev,sendto,fdatasync,fsync -o "$work/trace" \
  "$server" serve "${flags[@]}" --static "$work/none" --listen 127.0.0.1:0 >"$work/stdout" 2>/dev/null &
server_pid=$!
url="$(server_url "$work/stdout")" || { echo "the server did not start" >&2; exit 1; }
printf '  %8s %10s %9s %9s %8s %11s\n' children "saves/s" "p50 ms" "p99 ms" saves unanswered
target/release/examples/save_load "$url" "$seconds" "${codes[@]}"
# Stop the traced server itself; strace then ends with it and has written every line.
pkill -TERM -P "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

python3 - "$work/trace" <<'PY'
import re, sys
# strace -f -tt: "PID HH:MM:SS.ffffff call(fd<path>, ...) = result", the time being when the
# call began; lines come in the order calls returned. A call another thread interrupts is
# split into "<unfinished ...>" (with its start time) and "<... call resumed>".
line_re = re.compile(r'^(\d+)\s+(\d+):(\d+):([\d.]+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\((\d+)<([^>]*)>)(.*)$')
pending = {}
saves = []          # [socket, time the request was read, synced?] for each save in flight
acknowledged = synced = 0
for raw in open(sys.argv[1], errors="replace"):
    m = line_re.match(raw)
    if not m:
        continue
    pid, h, mi, sec, resumed, call, fd, path, rest = m.groups()
    began = int(h) * 3600 + int(mi) * 60 + float(sec)
    if call and "<unfinished ...>" in rest:
        pending[pid] = (call, path, rest, began)
        continue
    if resumed:
        call, path, first, began = pending.pop(pid, (resumed, "", "", began))
        rest = first + rest
    done = re.search(r"\) = (-?\d+)", rest)
    if not done or int(done.group(1)) < 0:
        continue
    if call in ("fdatasync", "fsync") and path.endswith("/data/db"):
        # Covers the saves whose request had been read before this sync began.
        for save in saves:
            if save[1] < began:
                save[2] = True
    elif call in ("read", "recvfrom") and "PUT /api/child/answers" in rest:
        saves.append([path, began, False])
    elif call in ("write", "writev", "sendto") and "HTTP/1.1 200" in rest:
        for i, save in enumerate(saves):
            if save[0] == path:
                acknowledged += 1
                synced += save[2]
                del saves[i]
                break
print(f"  {acknowledged} saves acknowledged; {synced} of them only after an fdatasync of sled's log "
      f"that began after the save arrived and ended before its answer")
sys.exit(0 if acknowledged > 0 and synced == acknowledged else 1)
PY
