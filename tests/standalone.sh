#!/usr/bin/env bash
# The repository stands on its own: a clone in an empty folder (no shared/
# beside it) builds and passes the unit, corpus, CLI and docs tests, and no
# file outside the optional corpus sync check and its docs names ../shared.
# It clones what is committed (HEAD); uncommitted changes are not in it.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "standalone: note: uncommitted changes are not part of the clone tested here"
fi
run git clone -q "$root" "$tmp/alone/minimesos"; expect_status 0
check "no shared/ beside the clone" test ! -e "$tmp/alone/shared"

# Only the optional sync check (and this test) may name the hand-over folder.
names=$(cd "$tmp/alone/minimesos" && grep -rln 'shared/' --exclude-dir=.git . | sort)
allowed=$(printf '%s\n' ./tests/corpus/sync.sh ./tests/standalone.sh | sort)
extra=$(comm -23 <(printf '%s\n' "$names") <(printf '%s\n' "$allowed") | grep -v '^$')
last="grep -rn shared/"; if [ -z "$extra" ]; then _ok; else _no "files naming shared/: $extra"; fi

cd "$tmp/alone/minimesos"
out=$(make -s --no-print-directory -j2 all 2>&1); st=$?; last="make all in the clone"; expect_status 0
for t in unit corpus cli-tests check-docs; do
  out=$(make --no-print-directory $t 2>&1); st=$?; last="make $t in the clone"
  if [ $st -eq 0 ]; then _ok; else _no "failed:"; printf '%s\n' "$out" | grep -E 'FAIL|fail|rror' | head -20 >&2; fi
done
finish standalone
