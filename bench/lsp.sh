#!/usr/bin/env bash
# bench-lsp: the language server's latency from a didChange to the
# publishDiagnostics of that version (what an editor waits for after a
# keystroke), on a typical file and on 10,000 agents, printed beside a full
# `minimesos lint` of the same file, and the server's peak RSS, each beside
# the target of the language server's issue:
#   didChange -> publishDiagnostics: typical file <= 2 ms, 10,000 agents <= 150 ms
#   peak memory <= 10x the open document (judged on the large file: on a
#   small one the process itself, ~2 MiB, is all there is)
# A target is judged on the median; p90 is printed beside it.
# Three kinds of change: one character at the end of the first line and at
# the end of the middle line (incremental sync, what editors send and what
# the server asks for), and the whole text (full sync).
# Wall times depend on what else the machine runs; the server's CPU time a
# check (from /proc, initialize included) is printed beside lint's CPU time
# (hyperfine's user + system) as the figure that does not.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
client=${LSP_LATENCY:?set LSP_LATENCY to build/bench/lsp_latency}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
typical=$here/../tests/corpus/accept/upstream-complete.minimesosFile
bash "$here/gen_agents.sh" 10000 > "$tmp/agents.minimesosFile"

one() {  # FILE NAME CHANGES LINT_RUNS TARGET_MS
  local file=$1 name=$2 changes=$3 lint_runs=$4 target=$5
  local out open inc_med inc_p90 mid_med mid_p90 full_med full_p90 rss st lint_ms lint_cpu lint_kib cpu
  out=$("$client" "$mm" "$file" "$changes")
  open=$(awk '$1 == "open" { print $2 }' <<<"$out")
  read -r inc_med inc_p90 < <(awk '$1 == "incremental" { print $2, $3 }' <<<"$out")
  read -r mid_med mid_p90 < <(awk '$1 == "incremental_mid" { print $2, $3 }' <<<"$out")
  read -r full_med full_p90 < <(awk '$1 == "full" { print $2, $3 }' <<<"$out")
  rss=$(awk '$1 == "rss" { print $2 }' <<<"$out")
  st=$(awk '$1 == "exit" { print $2 }' <<<"$out")
  cpu=$(awk '$1 == "cpu" { print $2 }' <<<"$out")
  read -r lint_ms lint_cpu < <(RUNS=$lint_runs median_ms "$mm" lint "$file")
  lint_kib=$(peak_kib "$mm" lint "$file")
  awk -v n="$name" -v sz="$(stat -c %s "$file")" -v c="$changes" -v o="$open" -v im="$inc_med" -v ip="$inc_p90" \
      -v mm_="$mid_med" -v mp="$mid_p90" -v fm="$full_med" -v fp="$full_p90" -v r="$rss" -v l="$lint_ms" \
      -v lc="$lint_cpu" -v lk="$lint_kib" -v st="$st" -v cpu="$cpu" -v tg="$target" '
  function verdict(ms) { return ms <= tg ? "met" : "NOT met" }
  BEGIN {
    printf "lsp %s (%s bytes), %d changes each way:\n", n, sz, c
    printf "  didChange -> publishDiagnostics (target <= %g ms on the median):\n", tg
    printf "    incremental, 1 character, first line:  median %8.2f ms, p90 %8.2f ms  %s\n", im, ip, verdict(im)
    printf "    incremental, 1 character, middle line: median %8.2f ms, p90 %8.2f ms  %s\n", mm_, mp, verdict(mm_)
    printf "    full text:                             median %8.2f ms, p90 %8.2f ms  %s\n", fm, fp, verdict(fm)
    printf "  `minimesos lint` of the same file (a process each): median %.2f ms wall, %.2f ms CPU, peak RSS %.2f MiB\n", l, lc, lk / 1024
    printf "  server CPU a check: %.2f ms (%d checks and initialize: %.0f ms)\n", cpu / (1 + 3 * c), 1 + 3 * c, cpu
    printf "  open (initialize + didOpen to the first diagnostics) %.2f ms; exit status %s\n", o, st
    printf "  server peak RSS %.2f MiB", r / 1024
    if (sz > 1048576)
      printf ": %.1fx the open document (target <= 10x: %s; lint %.1fx)\n", r * 1024 / sz, r * 1024 / sz <= 10 ? "met" : "NOT met", lk * 1024 / sz
    else
      printf " (the process; no ratio for a document this small)\n"
  }'
}
one "$typical" "upstream-complete" 200 100 2
one "$tmp/agents.minimesosFile" "10,000 agents" 20 10 150
