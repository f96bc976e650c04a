#!/usr/bin/env bash
# libminimesos exports only names in its own namespace (mm_ and MM_): a
# program linking it may define xmalloc, sb_add or yylex of its own.
# Usage: bash tests/header/symbols.sh build/libminimesos.a
set -u
lib=${1:?usage: symbols.sh LIB}
bad=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' | grep -v '^mm_' | sort -u)
n=$(nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3' | wc -l)
if [ "$n" -eq 0 ]; then echo "FAIL  no symbol read from $lib"; echo "symbols: 0 passed, 1 failed"; exit 1; fi
if [ -z "$bad" ]; then
  echo "ok    all $n global symbols of $(basename "$lib") start with mm_"
  echo "symbols: 1 passed, 0 failed"
else
  echo "FAIL  global symbols outside the mm_ namespace: $(echo $bad | head -c 600)"
  echo "symbols: 0 passed, 1 failed"; exit 1
fi
