#!/usr/bin/env bash
# Builds and runs the test executables of the named groups, each into its
# own log in target/test-logs/, two groups at a time, then sums up and
# searches every log for the test secrets: no AppSecret or token may ever
# reach any output.
#
#   scripts/run-tests.sh [--build | --run | --report] GROUP...
#
#   lib        the library's unit tests (src-tauri/src)
#   app        tests/tests/app: the library in process, PostgreSQL
#   cli        tests/tests/cli: the qrjump binary as processes
#   window     tests/tests/window: the real window through WebDriver
#   platform   tests/tests/platform: the .deb, the Windows builds under Wine
#
# Without a flag it does all three steps; ./dev test runs them apart, so
# that the host's tests run while the Windows build and the packages are
# made. The executables are run directly (not through cargo, whose lock on
# the target folder a Windows build holds), from their package's folder.
# The binaries the tests start must be built first (./dev test does).
# QRJUMP_TEST_JOBS sets how many groups run at once (default 2); each group
# runs its own tests on as many threads as the machine has cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/build-env.sh

steps=(--build --run --report)
case "${1:-}" in
  --build | --run | --report)
    steps=("$1")
    shift
    ;;
esac
groups=("$@")
logs=target/test-logs
mkdir -p "$logs"

# The cargo target each group's executables come from.
selection() {
  case "$1" in
    lib) echo "--lib" ;;
    app | cli | window | platform) echo "--test $1" ;;
    *)
      echo "run-tests: unknown group '$1' (lib, app, cli, window, platform)" >&2
      exit 2
      ;;
  esac
}
for group in "${groups[@]}"; do selection "$group" >/dev/null; done

build() {
  local group part targets=()
  for group in "${groups[@]}"; do
    read -ra part <<<"$(selection "$group")"
    targets+=("${part[@]}")
  done
  # One cargo run for every group, and the benchmarks (built, not run: for
  # their lints), so that the compiles of the library's test harness and of
  # the test crates share the two cores rather than queue one cargo run
  # after another. Always the whole workspace: cargo resolves features for
  # the packages named, and `-p` alone would build the app's crate a second
  # time with other features.
  cargo test --quiet --workspace "${targets[@]}" --benches --no-run --message-format=json-render-diagnostics |
    sed -n 's/.*"manifest_path":"\([^"]*\)\/Cargo.toml","target":{"kind":\["\([a-z-]*\)"\],[^}]*"name":"\([^"]*\)".*"executable":"\([^"]*\)".*/\2 \3 \1 \4/p' >"$logs/built"
  # Each group's executables, with the folder each runs from (`--lib` also
  # names the helpers crate's harness, which holds no tests).
  local kind name dir exe
  for group in "${groups[@]}"; do
    while read -r kind name dir exe; do
      if [[ "$group" == lib && "$kind" == lib ]] || [[ "$kind" == test && "$name" == "$group" ]]; then
        echo "$dir $exe"
      fi
    done <"$logs/built" >"$logs/$group.exe"
  done
}

run_group() {
  local group="$1" start rc=0 dir exe
  start=$(date +%s)
  : >"$logs/$group.log"
  while read -r dir exe; do
    (cd "$dir" && "$exe" --nocapture) >>"$logs/$group.log" 2>&1 || rc=$?
  done <"$logs/$group.exe"
  echo "$rc $(($(date +%s) - start))" >"$logs/$group.status"
}

run() {
  # The slowest groups first, so that the short ones fill in beside them.
  local jobs="${QRJUMP_TEST_JOBS:-2}" running=0 group
  for group in window platform app cli lib; do
    [[ " ${groups[*]} " == *" $group "* ]] || continue
    rm -f "$logs/$group.status"
    if ((running >= jobs)); then
      wait -n || true
      running=$((running - 1))
    fi
    run_group "$group" &
    running=$((running + 1))
  done
  wait || true
}

report() {
  local failed=() group rc seconds summary
  for group in "${groups[@]}"; do
    if [[ ! -f "$logs/$group.status" ]]; then
      echo "tests $group: did not run" >&2
      failed+=("$group")
      continue
    fi
    read -r rc seconds <"$logs/$group.status"
    summary="$(grep -E "^test result" "$logs/$group.log" | awk '{p+=$4; f+=$6; i+=$8} END {printf "%d passed, %d failed, %d ignored", p, f, i}')"
    printf 'tests %-9s %s in %ss\n' "$group:" "$summary" "$seconds"
    if [[ "$rc" != 0 ]]; then failed+=("$group"); fi
  done
  for group in "${failed[@]}"; do
    grep -E "^test result|panicked|FAILED|^error" "$logs/$group.log" 2>/dev/null | tail -n 60 >&2 || true
    echo "Tests failed in $group; the whole output is in $logs/$group.log" >&2
  done
  if ((${#failed[@]})); then exit 1; fi
  local files=()
  for group in "${groups[@]}"; do files+=("$logs/$group.log"); done
  grep -hE "^test result" "${files[@]}" | awk '{p+=$4; f+=$6; i+=$8} END {printf "tests: %d passed, %d failed, %d ignored\n", p, f, i}'
  if grep -nE "TESTSECRET|SIMTOKEN" "${files[@]}" >&2; then
    echo "A secret appeared in the test output ($logs): see the lines above." >&2
    exit 1
  fi
  echo "secret scan: no AppSecret or token in the test output"
}

for step in "${steps[@]}"; do
  case "$step" in
    --build) build ;;
    --run) run ;;
    --report) report ;;
  esac
done
