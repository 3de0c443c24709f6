#!/usr/bin/env bash
# Cold start to the first usable screen, and the memory of the app's
# processes after start, for the release build under Xvfb, beside a
# hello-world Tauri app (scripts/startup/hello: the same Tauri and WebKit,
# one page, one command) run alternately in the same session.
#
#   scripts/measure-startup.sh [pairs]     (default 5)
#   QRJUMP_MEASURE_APP=/path/to/qrjump-admin scripts/measure-startup.sh
#                                          (another build, e.g. an older one)
#
# It builds both in release first (the hello app with the workspace's
# Cargo.lock, in target/startup-hello). "Ready" is when the page has loaded
# and made its first call into Rust (for QR Jump Admin: loaded the accounts
# and the rules and called ui_ready, which shows the window). Memory is the
# proportional set size (PSS) of the app and the WebKit processes it
# starts, 3 s after ready. Prints each run (with each process's share),
# then the medians and the ratios app / hello.
#
# A third run per pair, "floor", is the hello app under the environment the
# app sets for GTK, WebKit and JavaScriptCore (desktop/environment.rs): what
# an empty page costs with the same WebKit settings, so that the app's own
# share (its page, its code) shows apart from WebKit's.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-5}"

app_binary=${QRJUMP_MEASURE_APP:-target/release/qrjump-admin}
[[ -n ${QRJUMP_MEASURE_APP:-} ]] || cargo build --release --bin qrjump-admin
cp Cargo.lock scripts/startup/hello/Cargo.lock
cargo build --release --manifest-path scripts/startup/hello/Cargo.toml --target-dir target/startup-hello
hello_binary=target/startup-hello/release/qrjump-startup-hello

display_file=$(mktemp)
Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp >"$display_file" 2>/dev/null &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -f "$display_file"' EXIT
for _ in $(seq 50); do [[ -s $display_file ]] && break; sleep 0.1; done
display=":$(head -n1 "$display_file")"

descendants() {
  local pid=$1
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid"); do descendants "$child"; done
}

# The variables desktop/environment.rs sets, read from its set_default calls.
mapfile -t app_environment < <(sed -nE 's/.*set_default\("([A-Za-z_]+)", "([^"]*)".*/\1=\2/p' src-tauri/src/desktop/environment.rs)
(( ${#app_environment[@]} > 0 )) || { echo "no set_default(...) found in desktop/environment.rs" >&2; exit 1; }

# measure NAME BINARY [VAR=VALUE...]: prints "ready_ms pss_kb" and a line
# for the reader on stderr.
measure() {
  local name=$1 binary=$2 data log app ready pss=0 count=0 each=()
  shift 2
  data=$(mktemp -d)
  log=$(mktemp)
  env DISPLAY="$display" NO_AT_BRIDGE=1 QRJUMP_DATA_DIR="$data" QRJUMP_REPORT_READY=1 "$@" "$binary" 2>"$log" &
  app=$!
  for _ in $(seq 400); do grep -q "ready after" "$log" && break; sleep 0.025; done
  ready=$(grep -o "ready after [0-9]* ms" "$log" | grep -o "[0-9]*" || echo 0)
  sleep 3
  for pid in $(descendants $app); do
    kb=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup 2>/dev/null || echo 0)
    pss=$((pss + ${kb:-0}))
    count=$((count + 1))
    each+=("$(cat /proc/$pid/comm 2>/dev/null) $(awk -v k="${kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')")
  done
  kill $app
  wait $app 2>/dev/null || true
  rm -rf "$data" "$log"
  printf "  %-6s ready after %4s ms, PSS %6.1f MB over %d processes (%s)\n" "$name" "$ready" "$(awk -v k="$pss" 'BEGIN { print k / 1024 }')" "$count" "$(IFS=,; echo "${each[*]}" | sed 's/,/, /g')" >&2
  echo "$ready $pss"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

app_ready=() app_pss=() hello_ready=() hello_pss=() floor_ready=() floor_pss=()
for pair in $(seq "$pairs"); do
  echo "pair $pair" >&2
  # Alternate which goes first, so that neither always meets a warmer cache.
  order=(hello app floor)
  (( pair % 2 == 0 )) && order=(floor app hello)
  for name in "${order[@]}"; do
    case $name in
      app)
        read -r ready pss < <(measure app "$app_binary")
        app_ready+=("$ready") app_pss+=("$pss") ;;
      hello)
        read -r ready pss < <(measure hello "$hello_binary")
        hello_ready+=("$ready") hello_pss+=("$pss") ;;
      floor)
        read -r ready pss < <(measure floor "$hello_binary" "${app_environment[@]}")
        floor_ready+=("$ready") floor_pss+=("$pss") ;;
    esac
  done
done

ar=$(printf '%s\n' "${app_ready[@]}" | median)
hr=$(printf '%s\n' "${hello_ready[@]}" | median)
am=$(printf '%s\n' "${app_pss[@]}" | median)
hm=$(printf '%s\n' "${hello_pss[@]}" | median)
fr=$(printf '%s\n' "${floor_ready[@]}" | median)
fm=$(printf '%s\n' "${floor_pss[@]}" | median)
awk -v ar="$ar" -v hr="$hr" -v am="$am" -v hm="$hm" -v fr="$fr" -v fm="$fm" 'BEGIN {
  printf "median ready: app %d ms, hello %d ms, ratio %.2f\n", ar, hr, ar / hr
  printf "median PSS:   app %.1f MB, hello %.1f MB, ratio %.2f\n", am / 1024, hm / 1024, am / hm
  printf "floor:        hello under the app'"'"'s environment: ready %d ms, PSS %.1f MB (%.2f of hello); the app %.2f and %.2f of it\n", fr, fm / 1024, fm / hm, ar / fr, am / fm
}'
