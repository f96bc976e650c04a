#!/usr/bin/env bash
# `make check-fuzz-short` (mk/fuzz.mk): each fuzz target given runs for
# SECONDS_EACH seconds over its seeds and saved reproducers, in a fresh
# corpus folder (so check runs do not pile up inputs); one pass per target
# that ran clean. A failure shows the end of the fuzzer's output and leaves
# the input in $FUZZ_BUILD/short/NAME/crash-* (or leak-*, timeout-*, oom-*).
# Usage: FUZZ_BUILD=build/fuzz SECONDS_EACH=5 bash tests/fuzz/short.sh NAME...
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${FUZZ_BUILD:-build/fuzz}" && pwd)
secs=${SECONDS_EACH:-5}
pass=0; fail=0
for t in "$@"; do
  bin=$build/fuzz_$t
  dir=$build/short/$t
  rm -rf "$dir"; mkdir -p "$dir/corpus"
  dirs=("$root/tests/fuzz/seeds/$t")
  [ -d "$root/tests/fuzz/regressions/$t" ] && dirs+=("$root/tests/fuzz/regressions/$t")
  # shellcheck disable=SC2086
  if (cd "$dir" && "$bin" -max_total_time="$secs" -print_final_stats=1 ${FUZZ_RUN_FLAGS:-} \
        corpus "${dirs[@]}") > "$dir/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    echo "ok    fuzz_$t: ${secs} s, ${runs:-?} runs"
    pass=$((pass + 1))
  else
    echo "FAIL  fuzz_$t (log: $dir/log)"
    grep -E "PROPERTY FAILED|ERROR: |SUMMARY: |^--- |Test unit written" -A3 "$dir/log" | head -40 | sed 's/^/      /'
    fail=$((fail + 1))
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
