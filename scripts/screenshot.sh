#!/usr/bin/env bash
# Takes a screenshot of the app under Xvfb: scripts/screenshot.sh OUT.png [binary]
# Used by hand to look at the UI; the docs' screenshots come from the E2E suite.
set -euo pipefail
out="$1"
binary="${2:-target/debug/qrjump-admin}"
data="$(mktemp -d)"
Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1
DISPLAY=:97 NO_AT_BRIDGE=1 QRJUMP_DATA_DIR="$data" "$binary" &
app=$!
sleep "${WAIT:-5}"
DISPLAY=:97 import -window root "$out"
