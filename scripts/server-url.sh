#!/usr/bin/env bash
# Sourced by the scripts that start a server on port 0: `server_url FILE` waits (up to ten
# seconds) for the "listening on URL" line `beratta-server serve` prints to FILE, then
# prints URL; it fails when the line does not come. `temporary_work` makes the folder
# `$work` and, however the script ends, stops the server `$server_pid` (once set) and
# removes the folder.
server_url() {
  local stdout=$1
  for _ in $(seq 100); do
    grep -q "listening on" "$stdout" 2>/dev/null && break
    sleep 0.1
  done
  local url
  url="$(sed -n 's/^listening on //p' "$stdout")"
  [ -n "$url" ] || return 1
  printf '%s\n' "$url"
}

temporary_work() {
  work="$(mktemp -d)"
  server_pid=""
  trap stop_and_clean EXIT
}

# shellcheck disable=SC2317 # run by the trap temporary_work sets
stop_and_clean() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
