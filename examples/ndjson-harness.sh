#!/usr/bin/env bash
# A test harness in plain shell, for client teams whose tests are not in JavaScript: start rtxlab
# with --events ndjson, wait for `listening` (it says where), run a client against it, wait for
# `tunnel-up`, stop rtxlab. Here the client is rtxlab's own; put yours in its place.
#
#   RTXLAB="node bin/rtxlab.js" examples/ndjson-harness.sh      # prints the tunnel-up event
set -euo pipefail
RTXLAB=${RTXLAB:-rtxlab}

events=$(mktemp -u)
mkfifo "$events"
$RTXLAB start --ike-port 0 --natt-port 0 --events ndjson >"$events" &
router=$!
exec 3<"$events"
trap 'kill "$router" 2>/dev/null || true; rm -f "$events"' EXIT

# Reads events until one of TYPE comes (at most 30 s of silence); prints it.
wait_for() {
  local line
  while IFS= read -r -t 30 line <&3; do
    case "$line" in *"\"type\":\"$1\""*) printf '%s\n' "$line"; return 0 ;; esac
  done
  echo "no $1 event" >&2
  return 1
}

listening=$(wait_for listening)
port_of() { sed -E "s/.*\"$1\":\\{\"address\":\"[^\"]*\",\"port\":([0-9]+)\\}.*/\\1/" <<<"$listening"; }
ike=$(port_of ike)
natt=$(port_of natt)

$RTXLAB connect "127.0.0.1:$ike" --natt-port "$natt" >/dev/null &
client=$!
wait_for tunnel-up
wait "$client"
kill "$router"
wait "$router" || true
