#!/usr/bin/env bash
# bench-lsp: the language server's latency from a didChange to the
# publishDiagnostics of that version (what an editor waits for after a
# keystroke), on a typical file and on 10,000 agents, printed beside a full
# `minimesos lint` of the same file, and the server's peak RSS.
# Two kinds of change: one character (incremental sync, what editors send)
# and the whole text (full sync). No goals: the numbers, and lint's beside.
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

one() {  # FILE NAME CHANGES LINT_RUNS
  local file=$1 name=$2 changes=$3 lint_runs=$4
  local out open inc_med inc_p90 full_med full_p90 rss st lint_ms lint_cpu lint_kib cpu
  out=$("$client" "$mm" "$file" "$changes")
  open=$(awk '$1 == "open" { print $2 }' <<<"$out")
  read -r inc_med inc_p90 < <(awk '$1 == "incremental" { print $2, $3 }' <<<"$out")
  read -r full_med full_p90 < <(awk '$1 == "full" { print $2, $3 }' <<<"$out")
  rss=$(awk '$1 == "rss" { print $2 }' <<<"$out")
  st=$(awk '$1 == "exit" { print $2 }' <<<"$out")
  cpu=$(awk '$1 == "cpu" { print $2 }' <<<"$out")
  read -r lint_ms lint_cpu < <(RUNS=$lint_runs median_ms "$mm" lint "$file")
  lint_kib=$(peak_kib "$mm" lint "$file")
  awk -v n="$name" -v sz="$(stat -c %s "$file")" -v c="$changes" -v o="$open" -v im="$inc_med" -v ip="$inc_p90" \
      -v fm="$full_med" -v fp="$full_p90" -v r="$rss" -v l="$lint_ms" -v lc="$lint_cpu" -v lk="$lint_kib" \
      -v st="$st" -v cpu="$cpu" 'BEGIN {
    printf "lsp %s (%s bytes), %d changes each way:\n", n, sz, c
    printf "  didChange -> publishDiagnostics: incremental (1 character) median %.2f ms, p90 %.2f ms; full text median %.2f ms, p90 %.2f ms\n", im, ip, fm, fp
    printf "  `minimesos lint` of the same file (a process each): median %.2f ms wall, %.2f ms CPU, peak RSS %.2f MiB\n", l, lc, lk / 1024
    printf "  server CPU a check: %.2f ms (%d checks and initialize: %.0f ms)\n", cpu / (1 + 2 * c), 1 + 2 * c, cpu
    printf "  open (initialize + didOpen to the first diagnostics) %.2f ms; server peak RSS %.2f MiB", o, r / 1024
    if (sz > 1048576) printf " (%.1fx the file, lint %.1fx)", r * 1024 / sz, lk * 1024 / sz
    printf "; exit status %s\n", st
  }'
}
one "$typical" "upstream-complete" 200 100
one "$tmp/agents.minimesosFile" "10,000 agents" 20 10
