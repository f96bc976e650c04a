#!/usr/bin/env bash
# The conformance corpus: every accept/ file must give the expected effective
# model (compared semantically, see compare.jq); every reject/ file must fail
# with its first error at the line EXPECT.tsv gives, the diagnostic there
# containing the expected word (in its message or hint).
# Usage: MINIMESOS=build/minimesos bash tests/corpus/run.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus=$here
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
[ -d "$corpus/accept" ] || { echo "corpus: not found at $corpus" >&2; exit 1; }
command -v jq >/dev/null || { echo "corpus: jq is needed (scripts/deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
no() { fail=$((fail + 1)); echo "FAIL  $1: $2"; }

for f in "$corpus"/accept/*.minimesosFile; do
  name=accept/$(basename "$f")
  exp=${f%.minimesosFile}.expected.json
  if ! "$mm" config --clusterConfig "$f" --format json >"$tmp/out.json" 2>"$tmp/err"; then
    no "$name" "config failed: $(head -c 600 "$tmp/err")"; continue
  fi
  if ! jq -e . "$tmp/out.json" >/dev/null 2>&1; then
    no "$name" "config printed invalid JSON"; continue
  fi
  d=$(jq -rn --slurpfile exp "$exp" --slurpfile act "$tmp/out.json" -f "$here/compare.jq")
  if [ -n "$d" ]; then no "$name" "model differs:
$(printf '%s\n' "$d" | head -20 | sed 's/^/        /')"; else ok "$name"; fi
done

while IFS=$'\t' read -r file line word; do
  [ -n "$file" ] || continue
  name=reject/$file
  f=$corpus/reject/$file
  [ -f "$f" ] || { no "$name" "listed in EXPECT.tsv but missing"; continue; }
  "$mm" lint --format json "$f" >"$tmp/lint.json" 2>"$tmp/err"; st=$?
  if [ $st -ne 1 ]; then no "$name" "lint exit status $st, want 1"; continue; fi
  "$mm" config --clusterConfig "$f" >/dev/null 2>&1; cst=$?
  if [ $cst -ne 1 ]; then no "$name" "config exit status $cst, want 1"; continue; fi
  verdict=$(jq -r --argjson line "${line:-0}" --arg word "${word:-}" '
    [ .[] | select(.severity == "error") ] as $errs
    | if ($errs | length) == 0 then "no error reported"
      elif $line != 0 and $errs[0].line != $line then
        "first error at line \($errs[0].line), want \($line): \($errs[0].message)"
      elif $word != "" and ([ $errs[] | select($line == 0 or .line == $line)
                               | select(((.message // "") + " " + (.hint // "")) | contains($word)) ]
                            | length) == 0 then
        "no error at line \($line) mentions \"\($word)\": \($errs[0].message) / hint: \($errs[0].hint)"
      else "ok" end' "$tmp/lint.json" 2>&1)
  if [ "$verdict" = ok ]; then ok "$name"; else no "$name" "$verdict"; fi
done <"$corpus/reject/EXPECT.tsv"

# reject files EXPECT.tsv does not list: they must still fail
for f in "$corpus"/reject/*.minimesosFile; do
  file=$(basename "$f")
  cut -f1 "$corpus/reject/EXPECT.tsv" | grep -qxF "$file" && continue
  "$mm" lint "$f" >/dev/null 2>&1; st=$?
  if [ $st -eq 1 ]; then ok "reject/$file (unlisted)"; else no "reject/$file" "lint exit status $st, want 1"; fi
done

echo "corpus: $pass passed, $fail failed"
[ $fail -eq 0 ]
