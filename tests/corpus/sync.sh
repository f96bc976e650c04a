#!/usr/bin/env bash
# Optional: the team hands new corpus cases over in ../shared/corpus (beside
# the repository). When that folder exists, every case in it must also be
# here, byte for byte, so that a clone of the repository alone tests them.
# When it does not exist, there is nothing to check and nothing depends on it.
# Usage: bash tests/corpus/sync.sh [SHARED_CORPUS_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
shared=${1:-${MM_SHARED_CORPUS:-$here/../../../shared/corpus}}
if [ ! -d "$shared" ]; then
  echo "corpus-sync: no shared corpus at $shared: nothing to compare (the copy in tests/corpus is the corpus)"
  exit 0
fi
pass=0; fail=0
for f in "$shared"/accept/* "$shared"/reject/*; do
  [ -f "$f" ] || continue
  rel=${f#"$shared"/}
  if [ ! -f "$here/$rel" ]; then
    fail=$((fail + 1)); echo "FAIL  $rel: in $shared but not in tests/corpus: copy it in (cp '$f' '$here/$rel')"
  elif ! cmp -s "$f" "$here/$rel"; then
    fail=$((fail + 1)); echo "FAIL  $rel: differs from $shared/$rel: review and copy it in"
  else
    pass=$((pass + 1))
  fi
done
echo "corpus-sync: $pass passed, $fail failed"
[ $fail -eq 0 ]
