#!/usr/bin/env bash
# Cold start to the first usable screen, and the memory of the app's
# processes after start, for the release build under Xvfb.
#
#   cargo build --release --bin qrjump-admin && scripts/measure-startup.sh [runs]
#
# "Ready" is when the page has loaded the accounts and rules and called
# ui_ready (the window is shown then). Memory is the proportional set size
# (PSS) of qrjump-admin and the WebKit processes it starts, 3 s after ready.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
binary=target/release/qrjump-admin
[[ -x $binary ]] || { echo "build first: cargo build --release --bin qrjump-admin" >&2; exit 1; }

Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp >/tmp/qrjump-measure-display 2>/dev/null &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -s /tmp/qrjump-measure-display ]] && break; sleep 0.1; done
display=":$(head -n1 /tmp/qrjump-measure-display)"

descendants() {
  local pid=$1
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid"); do descendants "$child"; done
}

for run in $(seq "$runs"); do
  data=$(mktemp -d)
  log=$(mktemp)
  DISPLAY=$display NO_AT_BRIDGE=1 QRJUMP_DATA_DIR=$data QRJUMP_REPORT_READY=1 "$binary" 2>"$log" &
  app=$!
  for _ in $(seq 200); do grep -q "ready after" "$log" && break; sleep 0.05; done
  ready=$(grep -o "ready after [0-9]* ms" "$log" | grep -o "[0-9]*" || echo "?")
  sleep 3
  pss=0
  names=()
  for pid in $(descendants $app); do
    kb=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
    pss=$((pss + ${kb:-0}))
    names+=("$(cat /proc/$pid/comm 2>/dev/null)")
  done
  printf "run %d: ready after %s ms, PSS %.1f MB over %d processes (%s)\n" "$run" "$ready" "$(awk -v k="$pss" 'BEGIN { print k / 1024 }')" "${#names[@]}" "${names[*]}"
  kill $app; wait $app 2>/dev/null || true
  rm -rf "$data" "$log"
done
