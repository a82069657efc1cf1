#!/usr/bin/env bash
# Serve the app on 127.0.0.1 with one local worker; Ctrl-C stops both.
set -euo pipefail
BIN="${VENV:-.venv}/bin"
PORT="${QA_PORT:-5000}"
"$BIN/qa" worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "qa-review on http://127.0.0.1:$PORT (Ctrl-C stops the server and the worker)"
"$BIN/qa" run --host 127.0.0.1 --port "$PORT"
