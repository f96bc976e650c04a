#!/usr/bin/env bash
# libcurl's setopt and getinfo take their value through `...`, so a value of
# the wrong type (an int for a long, a long for a string) compiles and then
# reads garbage. src/net/curl_lazy.h checks the value's type against the
# option at compile time: tests/net/curl_types.c's CASE 0 must compile, each
# other CASE must fail with that check's message.
# Usage: CC=cc CFLAGS="..." bash tests/net/curl_types.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cc=${CC:-cc}
# shellcheck disable=SC2206
flags=(${CFLAGS:--std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Isrc})
src=tests/net/curl_types.c
cases=$(sed -n 's/^#elif CASE == \([0-9]*\).*/\1/p' "$src")
pass=0; fail=0
out=$("$cc" "${flags[@]}" -fsyntax-only -DCASE=0 "$src" 2>&1)
if [ $? -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL  CASE 0 (right types) does not compile:"; echo "$out" | head -10; fi
for c in $cases; do
  what=$(sed -n "s/^#elif CASE == $c \/\* \(.*\) \*\//\1/p" "$src")
  out=$("$cc" "${flags[@]}" -fsyntax-only -DCASE="$c" "$src" 2>&1)
  if [ $? -ne 0 ] && grep -q "the value's type is not the one" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL  CASE $c ($what) compiles, or fails for another reason:"; echo "$out" | head -5
  fi
done
echo "curl types: $pass passed, $fail failed"
[ $fail -eq 0 ]
