# Shared helpers for the bench scripts (sourced).
# median_ms CMD...: "WALL CPU": median wall time and mean user+system CPU time,
#   in ms, over $RUNS runs (hyperfine when present; CPU is 0 without it).
# peak_kib CMD...: median peak RSS in KiB over a few runs (GNU time).
have_hyperfine() { command -v hyperfine >/dev/null 2>&1; }
median_ms() {
  local runs=${RUNS} tmpj
  if have_hyperfine; then
    tmpj=$(mktemp)
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$tmpj" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    jq -r '.results[0] | "\(.median * 1000) \((.user + .system) * 1000)"' "$tmpj"
    rm -f "$tmpj"
  else
    local t=() i s e
    for ((i = 0; i < runs; i++)); do
      s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
      t+=($(( (e - s) / 1000 )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f 0\n", a[int((NR+1)/2)]/1000}'
  fi
}
peak_kib() {
  local i v=() f
  [ -x /usr/bin/time ] || { echo 0; return; }
  f=$(mktemp)
  for i in 1 2 3 4 5; do
    /usr/bin/time -f %M -o "$f" "$@" >/dev/null 2>&1 || true
    v+=($(tail -1 "$f"))
  done
  rm -f "$f"
  printf '%s\n' "${v[@]}" | sort -n | sed -n 3p
}
