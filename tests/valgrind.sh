#!/usr/bin/env bash
# Runs the offline commands over the whole corpus under valgrind: no invalid
# access, no uninitialised read, no definite or indirect leak. Exit status 99
# is reserved for valgrind's verdict, so commands may fail (reject files) freely.
set -u
. "$(dirname "$0")/lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$here/tests/corpus
[ -d "$corpus" ] || { echo "valgrind: corpus not found at $corpus" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind: not installed (scripts/deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
vg() {
  last="valgrind $*"
  valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local s=$?
  if [ $s -eq 99 ]; then _no "valgrind reported errors:"; sed -n '1,40p' "$tmp/err" >&2; else _ok; fi
}
for f in "$corpus"/accept/*.minimesosFile; do
  vg "$mm" config --clusterConfig "$f" --format json
  vg "$mm" config --clusterConfig "$f" --format minimesosFile
  vg "$mm" config --clusterConfig "$f" --format compose
  vg "$mm" config --clusterConfig "$f" --format stack --bind-address 0.0.0.0
  vg "$mm" lint --format json "$f"
  vg "$mm" lint --swarm "$f"
  vg "$mm" fmt --check "$f"
  vg "$mm" convert "$f" --to json
  "$mm" convert "$f" --to json > "$tmp/m.json" 2>/dev/null
  vg "$mm" convert "$tmp/m.json" --to minimesosFile
  vg "$mm" up --dry-run --clusterConfig "$f"
done
for f in "$corpus"/reject/*.minimesosFile; do
  vg "$mm" lint "$f"
  vg "$mm" lint --format gcc "$f"
  vg "$mm" lint --format sarif "$f"
  vg "$mm" lint --swarm "$f"
  vg "$mm" config --clusterConfig "$f"
  vg "$mm" config --clusterConfig "$f" --format compose
done
vg "$mm" init --stdout
vg "$mm" schema
vg "$mm" schema --for convert
vg "$mm" --help

# The language server over one scripted session: every corpus file opened,
# asked for hover, completion, formatting, symbols and quick fixes, edited
# by ranges (re-parsed in place, and not), asked again, edited once more
# (checked at shutdown); one closed, then exit.
if command -v jq >/dev/null; then
  msg() { local LC_ALL=C; printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
  {
    msg '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"textDocument":{"completion":{"completionItem":{"snippetSupport":true}},"documentSymbol":{"hierarchicalDocumentSymbolSupport":true}}}}}'
    id=10
    for f in "$corpus"/accept/*.minimesosFile "$corpus"/reject/*.minimesosFile; do
      u="file://$f"
      msg "$(jq -Rsc --arg u "$u" '{jsonrpc:"2.0",method:"textDocument/didOpen",params:{textDocument:{uri:$u,version:1,text:.}}}' < "$f")"
      for m in hover completion formatting documentSymbol codeAction; do
        for pos in '1,6' '3,8'; do
          id=$((id + 1))
          msg "$(jq -nc --arg u "$u" --arg m "textDocument/$m" --argjson id $id --argjson p "[$pos]" '{jsonrpc:"2.0",id:$id,method:$m,params:{textDocument:{uri:$u},position:{line:$p[0],character:$p[1]},range:{start:{line:0,character:0},end:{line:$p[0],character:$p[1]}},context:{diagnostics:[]},options:{tabSize:4,insertSpaces:true}}}')"
        done
      done
      # a blank line and a value typed (re-parsed in place where the file
      # allows), a hover on the result, then a broken edit (a full parse)
      msg "$(jq -nc --arg u "$u" '{jsonrpc:"2.0",method:"textDocument/didChange",params:{textDocument:{uri:$u,version:2},contentChanges:[{range:{start:{line:1,character:0},end:{line:1,character:0}},text:"\n"},{range:{start:{line:1,character:0},end:{line:1,character:0}},text:"    timeout = 60\n"}]}}')"
      id=$((id + 1))
      msg "$(jq -nc --arg u "$u" --argjson id $id '{jsonrpc:"2.0",id:$id,method:"textDocument/hover",params:{textDocument:{uri:$u},position:{line:1,character:6}}}')"
      msg "$(jq -nc --arg u "$u" '{jsonrpc:"2.0",method:"textDocument/didChange",params:{textDocument:{uri:$u,version:3},contentChanges:[{range:{start:{line:1,character:2},end:{line:1,character:3}},text:"é\r\n"}]}}')"
    done
    msg "$(jq -nc --arg u "$u" '{jsonrpc:"2.0",method:"textDocument/didClose",params:{textDocument:{uri:$u}}}')"
    msg '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
    msg '{"jsonrpc":"2.0","method":"exit"}'
  } > "$tmp/lsp.in"
  last="valgrind $mm lsp < session"
  valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect "$mm" lsp <"$tmp/lsp.in" >"$tmp/out" 2>"$tmp/err"
  s=$?
  if [ $s -eq 99 ]; then _no "valgrind reported errors:"; sed -n '1,40p' "$tmp/err" >&2
  elif [ $s -ne 0 ]; then _no "lsp exited $s"; else _ok; fi
fi
finish valgrind
