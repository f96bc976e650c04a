#!/usr/bin/env bash
# bench-lang, part 2: `minimesos config --format json` on a generated
# 10,000-agent minimesosFile, against `jq -c .` over the JSON config printed
# (the same model). Goals: config no slower than jq; peak RSS <= 8x the file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-20}
. "$here/lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
command -v jq >/dev/null || { echo "bench config: jq is needed" >&2; exit 1; }
n=${AGENTS:-10000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$here/gen_agents.sh" "$n" > "$tmp/big.minimesosFile"
"$mm" config --clusterConfig "$tmp/big.minimesosFile" --format json > "$tmp/big.json"
size=$(stat -c %s "$tmp/big.minimesosFile")
jsize=$(stat -c %s "$tmp/big.json")
read -r cfg_ms cfg_cpu < <(median_ms "$mm" config --clusterConfig "$tmp/big.minimesosFile" --format json)
read -r jq_ms jq_cpu < <(median_ms jq -c . "$tmp/big.json")
cfg_kib=$(peak_kib "$mm" config --clusterConfig "$tmp/big.minimesosFile" --format json)
jq_kib=$(peak_kib jq -c . "$tmp/big.json")
awk -v n="$n" -v size="$size" -v jsize="$jsize" -v c="$cfg_ms" -v j="$jq_ms" -v cc="$cfg_cpu" -v jc="$jq_cpu" \
    -v ck="$cfg_kib" -v jk="$jq_kib" -v runs="$RUNS" 'BEGIN {
  printf "config, %d agents (%.1f MiB minimesosFile, %.1f MiB JSON out), %d runs:\n", n, size/1048576, jsize/1048576, runs
  printf "  time:   config %.1f ms, jq -c . %.1f ms (medians): ratio %.2f (goal <= 1: %s)\n", c, j, c / j, c <= j ? "met" : "MISSED"
  if (jc > 0) printf "          CPU (user+sys, mean): config %.1f ms, jq %.1f ms: ratio %.2f\n", cc, jc, cc / jc
  printf "  memory: config peak RSS %.1f MiB = %.2fx the file (goal <= 8x: %s); jq %.1f MiB\n",
    ck/1024, ck*1024/size, ck*1024/size <= 8 ? "met" : "MISSED", jk/1024 }'
