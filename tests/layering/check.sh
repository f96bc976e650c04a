#!/usr/bin/env bash
# The layering rule of src/: each folder is one layer, and a layer includes
# (and calls) only its own layer and those below it. The order is the
# Makefile's LAYERS (lowest first), with the program (src/cli) on top.
#
# Checks, each failing with the file and line that break it:
#  1. every #include "..." of src/, grammar/ and include/minimesos/ resolves
#     to a file, and never to a higher layer than the includer's;
#  2. no include cycle among modules (a module is X.c with its X.h);
#  3. with BUILD given (objects built), no object calls a function or uses a
#     variable defined in a higher layer (from `nm`).
# Usage: bash tests/layering/check.sh [BUILD_DIR]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-}
cd "$root"
layers=$(sed -n 's/^LAYERS *:= *//p' Makefile)
[ -n "$layers" ] || { echo "layering: no LAYERS line in the Makefile" >&2; exit 1; }
layers="$layers cli"

# The public headers belong to the layer that implements them.
public_layer() {
  case "$1" in
    runtime.h) echo base ;;
    ast.h|diag.h) echo lang ;;
    model.h) echo model ;;
    fmt.h|convert.h) echo emit ;;
    plan.h|compose.h) echo plan ;;
    lsp.h) echo lsp ;;
    cluster.h) echo services ;;  # the running cluster: its types and queries (services), up/destroy (engine)
    minimesos.h) echo cli ;;  # the umbrella: for programs, never for the library
    *) echo "" ;;
  esac
}

rank() {  # layer name -> its position, or 99
  local i=0 l
  for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done
  echo 99
}

layer_of() {  # a repository path -> its layer
  case "$1" in
    include/minimesos/*) public_layer "${1#include/minimesos/}" ;;
    grammar/*|*/gen/lexer.h|*/gen/parser.h|lexer.h|parser.h) echo lang ;;
    src/*/*) local d=${1#src/}; echo "${d%%/*}" ;;
    *) echo "" ;;
  esac
}

module_of() {  # a path -> its module (X.c and X.h are one)
  case "$1" in
    grammar/*|lexer.h|parser.h) echo lang/grammar ;;
    *) local m=${1%.*}; echo "${m#src/}" ;;
  esac
}

pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL  $*"; }

edges=$(mktemp); trap 'rm -f "$edges"' EXIT
files=$(ls src/*/*.c src/*/*.h include/minimesos/*.h grammar/*.l grammar/*.y 2>/dev/null)
for f in $files; do
  fl=$(layer_of "$f")
  if [ -z "$fl" ]; then no "$f: not in a layer (a public header missing from public_layer() in $0?)"; continue; fi
  fr=$(rank "$fl")
  [ "$fr" = 99 ] && { no "$f: folder src/$fl is not a layer of the Makefile's LAYERS"; continue; }
  while IFS=: read -r line inc; do
    [ -n "$inc" ] || continue
    case "$inc" in
      lexer.h|parser.h) target=$inc ;;
      minimesos/*) target=include/$inc ;;
      */*) target=src/$inc ;;
      *) target=$(dirname "$f")/$inc ;;
    esac
    case "$target" in lexer.h|parser.h) ;; *)
      [ -f "$target" ] || { no "$f:$line: includes \"$inc\", which is not $target"; continue; } ;;
    esac
    tl=$(layer_of "$target"); tr=$(rank "$tl")
    if [ "$tr" -gt "$fr" ]; then
      no "$f:$line: includes \"$inc\" of layer $tl, above its own layer $fl"
    else
      ok
    fi
    fm=$(module_of "$f"); tm=$(module_of "$target")
    [ "$fm" != "$tm" ] && echo "$fm $tm $f:$line" >>"$edges"
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | sed -E 's/^([0-9]+):.*"([^"]+)".*/\1:\2/')
done

# Include cycles among modules: depth-first search in awk.
cycles=$(awk '
  { if (!(($1 SUBSEP $2) in seen)) { seen[$1, $2] = 1; adj[$1] = adj[$1] " " $2; where[$1, $2] = $3 } nodes[$1]; nodes[$2] }
  function dfs(n,   k, m, i, parts, p) {
    state[n] = 1; stack[++depth] = n
    k = split(adj[n], parts, " ")
    for (i = 1; i <= k; i++) {
      m = parts[i]
      if (state[m] == 1) {
        p = m; for (j = depth; j >= 1 && stack[j] != m; j--) p = stack[j] " -> " p
        print "include cycle: " m " -> " p " (" where[n, m] ")"
      } else if (state[m] == 0) dfs(m)
    }
    depth--; state[n] = 2
  }
  END { for (n in nodes) if (state[n] == 0) dfs(n) }' "$edges")
if [ -n "$cycles" ]; then while IFS= read -r c; do no "$c"; done <<<"$cycles"; else ok; fi

# Symbols: what each library object needs must come from its layer or below.
# Objects of sources that no longer exist (a stale build) are left out.
if [ -n "$build" ]; then
  if ! command -v nm >/dev/null; then
    echo "layering: nm not found, symbol check skipped"
  else
    syms=$(mktemp); trap 'rm -f "$edges" "$syms"' EXIT
    for o in "$build"/src/*/*.o "$build"/gen/*.o; do
      [ -f "$o" ] || continue
      rel=${o#"$build"/}
      case "$rel" in
        gen/*) l=lang ;;
        *) [ -f "${rel%.o}.c" ] || continue; l=$(layer_of "$rel") ;;
      esac
      nm "$o" 2>/dev/null | awk -v o="$rel" -v r="$(rank "$l")" -v l="$l" '
        NF == 3 && $2 ~ /^[TDBRVWC]$/ { print "D", $3, o, l, r }
        NF == 2 && $1 == "U"          { print "U", $2, o, l, r }' >>"$syms"
    done
    verdicts=$(awk '
      $1 == "D" { def[$2] = $3 " " $4; drank[$2] = $5; next }
      { use[++n] = $0 }
      END {
        for (i = 1; i <= n; i++) {
          split(use[i], f, " ")
          if (!(f[2] in def)) continue          # libc, libcjson, ...
          if (drank[f[2]] > f[5]) {
            split(def[f[2]], d, " ")
            print "FAIL " f[3] " (" f[4] ") uses " f[2] ", defined in " d[1] " (" d[2] "), a higher layer"
          } else print "OK"
        }
      }' "$syms")
    while IFS= read -r v; do
      case "$v" in OK) ok ;; FAIL*) no "${v#FAIL }" ;; esac
    done <<<"$verdicts"
  fi
fi

echo "layering: $pass passed, $fail failed"
[ $fail -eq 0 ]
