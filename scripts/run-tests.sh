#!/usr/bin/env bash
# Runs the test executables of the named groups, each into its own log in
# target/test-logs/, two groups at a time, then sums up and searches every
# log for the test secrets: no AppSecret or token may ever reach any output.
#
#   scripts/run-tests.sh GROUP...
#
#   lib        the library's unit tests (src-tauri/src)
#   app        tests/tests/app: the library in process, PostgreSQL
#   cli        tests/tests/cli: the qrjump binary as processes
#   window     tests/tests/window: the real window through WebDriver
#   platform   tests/tests/platform: the .deb, the Windows builds under Wine
#
# The binaries the tests start must be built first (./dev test does).
# QRJUMP_TEST_JOBS sets how many groups run at once (default 2); each group
# runs its own tests on as many threads as the machine has cores.
set -euo pipefail
cd "$(dirname "$0")/.."

selection() {
  case "$1" in
    # Always the whole workspace: cargo resolves features for the packages
    # named, and `-p` alone would build the app's crate a second time with
    # other features (the tests crate's dependencies add some).
    lib) echo "--workspace --lib" ;;
    app | cli | window | platform) echo "--workspace --test $1" ;;
    *)
      echo "run-tests: unknown group '$1' (lib, app, cli, window, platform)" >&2
      exit 2
      ;;
  esac
}

groups=("$@")
for group in "${groups[@]}"; do selection "$group" >/dev/null; done
logs=target/test-logs
rm -rf "$logs"
mkdir -p "$logs"

# Every executable built first, so the runs below find them fresh.
for group in "${groups[@]}"; do
  read -ra part <<<"$(selection "$group")"
  cargo test --quiet "${part[@]}" --no-run
done

run_group() {
  local group="$1" start rc
  start=$(date +%s)
  read -ra part <<<"$(selection "$group")"
  rc=0
  cargo test --quiet "${part[@]}" -- --nocapture >"$logs/$group.log" 2>&1 || rc=$?
  echo "$rc $(($(date +%s) - start))" >"$logs/$group.status"
}

# The slowest groups first, so that the short ones fill in beside them.
jobs="${QRJUMP_TEST_JOBS:-2}"
running=0
for group in window platform app cli lib; do
  [[ " ${groups[*]} " == *" $group "* ]] || continue
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  run_group "$group" &
  running=$((running + 1))
done
wait || true

failed=()
for group in "${groups[@]}"; do
  read -r rc seconds <"$logs/$group.status"
  summary="$(grep -E "^test result" "$logs/$group.log" | awk '{p+=$4; f+=$6; i+=$8} END {printf "%d passed, %d failed, %d ignored", p, f, i}')"
  printf 'tests %-9s %s in %ss\n' "$group:" "$summary" "$seconds"
  if [[ "$rc" != 0 ]]; then failed+=("$group"); fi
done
for group in "${failed[@]}"; do
  grep -E "^test result|panicked|FAILED|^error" "$logs/$group.log" | tail -n 60 >&2 || true
  echo "Tests failed in $group; the whole output is in $logs/$group.log" >&2
done
if ((${#failed[@]})); then exit 1; fi
cat "$logs"/*.log | grep -E "^test result" | awk '{p+=$4; f+=$6; i+=$8} END {printf "tests: %d passed, %d failed, %d ignored\n", p, f, i}'
if grep -nE "TESTSECRET|SIMTOKEN" "$logs"/*.log >&2; then
  echo "A secret appeared in the test output ($logs): see the lines above." >&2
  exit 1
fi
echo "secret scan: no AppSecret or token in the test output"
