#!/usr/bin/env bash
# The generated references must match the program that generates them, and
# the man pages must render without a warning.
# Usage: bash tests/docs/check.sh BIN MAN5
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:?usage: check.sh BIN MAN5}; man5=${2:?usage: check.sh BIN MAN5}
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok    $1"; }
no() { fail=$((fail + 1)); echo "FAIL  $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$bin" help language >"$tmp/language.md"
if cmp -s "$tmp/language.md" "$root/docs/language.md"; then ok "docs/language.md is what the schema table says"
else no "docs/language.md is stale: run 'make docs' and commit it"; diff -u "$root/docs/language.md" "$tmp/language.md" | head -20; fi

# Every block and property of the table appears in both references.
missing=0; names=$(grep -o '^| `[A-Za-z]*`' "$tmp/language.md" | tr -d '|` ' | sort -u)
[ -n "$names" ] || { no "docs/language.md lists no property"; missing=1; }
for name in $names; do
  grep -q "^\\\\fB$name\\\\fR" "$man5" || { no "minimesosFile(5) lacks property $name"; missing=1; }
done
[ $missing -eq 0 ] && ok "minimesosFile(5) names every property of docs/language.md ($(wc -w <<<"$names") names)"

if command -v groff >/dev/null; then
  for page in "$man5" "$root/docs/man/minimesos.1"; do
    w=$(groff -man -ww -z "$page" 2>&1)
    if [ -z "$w" ]; then ok "groff -ww -z $(basename "$page"): no warning"; else no "groff warns on $(basename "$page"): $w"; fi
  done
  if command -v man >/dev/null; then
    w=$(MANWIDTH=80 man -l "$man5" 2>&1 >/dev/null)
    if [ -z "$w" ]; then ok "man -l minimesosFile.5: no warning"; else no "man -l minimesosFile.5: $w"; fi
  fi
else
  echo "skip  groff is not installed (scripts/deps.sh test installs it)"
fi
echo "reference: $pass passed, $fail failed"
[ $fail -eq 0 ]
