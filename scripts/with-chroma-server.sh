#!/usr/bin/env bash
# Runs a command against a fresh Chroma server (`chroma run`) on loopback, then stops it.
#   scripts/with-chroma-server.sh COMMAND...
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/chroma run --path "$data" --host 127.0.0.1 --port "$port" >"$data.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 120); do
  if .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/api/v2/heartbeat', timeout=1)" 2>/dev/null; then
    break
  fi
  if ! kill -0 $server 2>/dev/null; then echo "chroma run exited:" >&2; cat "$data.log" >&2; exit 1; fi
  sleep 0.5
done
echo "chroma server on 127.0.0.1:$port" >&2
CHROMA_HOST=127.0.0.1 CHROMA_PORT=$port "$@"
