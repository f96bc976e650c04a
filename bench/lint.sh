#!/usr/bin/env bash
# bench-lang, part 1: `minimesos lint` on a typical file (a corpus file).
# Goals: median wall time < 2 ms, peak RSS < 4 MiB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-100}
. "$here/lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
file=${1:-$here/../tests/corpus/accept/upstream-complete.minimesosFile}
[ -f "$file" ] || { echo "bench lint: no file $file" >&2; exit 1; }
if command -v readelf >/dev/null && readelf -d "$mm" 2>/dev/null | grep -q 'NEEDED.*libcurl'; then
  echo "note: $mm links libcurl at start-up (the Makefile should not link it: src/net/curl_lazy.c loads it on first use): expect ~5 ms more"
fi
read -r ms _ < <(median_ms "$mm" lint "$file")
kib=$(peak_kib "$mm" lint "$file")
awk -v ms="$ms" -v kib="$kib" -v f="$(basename "$file")" -v runs="$RUNS" 'BEGIN {
  printf "lint %s (%d runs): median %.2f ms (goal < 2 ms: %s), peak RSS %.2f MiB (goal < 4 MiB: %s)\n",
    f, runs, ms, ms < 2 ? "met" : "MISSED", kib / 1024, kib < 4096 ? "met" : "MISSED" }'
if [ -n "${LINT_INPROC:-}" ] && [ -x "$LINT_INPROC" ]; then
  us=$("$LINT_INPROC" "$file" 5000)
  read -r empty _ < <(median_ms /bin/true)
  awk -v us="$us" -v t="$empty" 'BEGIN {
    printf "  of which lint'"'"'s own work (read, parse, model, report; in process): %.0f us a run;\n", us
    printf "  the rest is process start-up (exec, dynamic loader; /bin/true takes %.2f ms here)\n", t }'
fi
