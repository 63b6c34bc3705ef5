#!/usr/bin/env bash
# Sourced by the scripts that start a server on port 0: `server_url FILE` waits (up to ten
# seconds) for the "listening on URL" line `beratta-server serve` prints to FILE, then
# prints URL; it fails when the line does not come.
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
