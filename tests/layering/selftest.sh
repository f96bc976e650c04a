#!/usr/bin/env bash
# The layering check must fail on what it forbids: an upward include, an
# include cycle, and a folder that is not a layer. Each is planted in a copy.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
fresh() {
  rm -rf "$tmp/r"; mkdir -p "$tmp/r/tests"
  cp -r "$root/src" "$root/include" "$root/grammar" "$root/Makefile" "$tmp/r/"
  cp -r "$root/tests/layering" "$tmp/r/tests/"
}
expect_fail() {  # NAME WORD: the check fails and names WORD
  local out; out=$(bash "$tmp/r/tests/layering/check.sh" 2>&1); local st=$?
  if [ $st -ne 0 ] && grep -q -- "$2" <<<"$out"; then pass=$((pass + 1)); echo "ok    $1"
  else fail=$((fail + 1)); echo "FAIL  $1: status $st, output:"; tail -5 <<<"$out"; fi
}
fresh
out=$(bash "$tmp/r/tests/layering/check.sh" 2>&1)
if [ $? -eq 0 ]; then pass=$((pass + 1)); echo "ok    the tree as it is passes"
else fail=$((fail + 1)); echo "FAIL  the tree as it is: $out"; fi

fresh; sed -i '1i #include "engine/docker.h"' "$tmp/r/src/lang/ast.c"
expect_fail "upward include (lang -> engine)" 'src/lang/ast.c:1: includes "engine/docker.h" of layer engine'

fresh; printf '#include "base/b.h"\n' >"$tmp/r/src/base/a.h"; printf '#include "base/a.h"\n' >"$tmp/r/src/base/b.h"
expect_fail "include cycle in one layer" 'include cycle: base/'

fresh; mkdir "$tmp/r/src/misc"; printf 'int x;\n' >"$tmp/r/src/misc/x.c"
expect_fail "a folder that is not a layer" 'src/misc/x.c'

fresh; sed -i '1i #include "minimesos/minimesos.h"' "$tmp/r/src/model/model.c"
expect_fail "the umbrella header inside the library" 'of layer cli, above its own layer model'

echo "layering-selftest: $pass passed, $fail failed"
[ $fail -eq 0 ]
