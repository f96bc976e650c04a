#!/usr/bin/env bash
# minimesos lsp as a program: usage and command-line errors, exit statuses,
# protocol errors on stderr, and the diagnostics it publishes for every
# corpus file against `lint --format json` of the same file (code, line,
# column, end, severity, message with the hint). Messages are framed by
# hand and the replies unframed with sed; jq reads them.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$root/tests/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export LC_ALL=C   # ${#s} counts bytes

# A framed message.
msg() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
# The replies of a session (framed input on stdin) as one JSON array.
replies() { sed -e 's/Content-Length: [0-9]*\r$//' -e 's/^\r$//' | jq -s .; }
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8"]}}}}'
SHUT='{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
EXIT='{"jsonrpc":"2.0","method":"exit"}'

run "$mm" lsp --help; expect_status 0; expect_out '^usage: minimesos lsp'
run "$mm" lsp --bogus; expect_status 2; expect_err "unknown option '--bogus'"; expect_err '^usage: minimesos lsp'
run "$mm" lsp extra; expect_status 2; expect_err "unexpected argument 'extra'"

# exit statuses
{ msg "$INIT"; msg "$SHUT"; msg "$EXIT"; } > s1
run sh -c "'$mm' lsp --stdio < s1"; expect_status 0; expect_err_empty
check "initialize answered with utf-8" sh -c "'$mm' lsp < s1 | sed -e 's/Content-Length: [0-9]*\r$//' -e 's/^\r$//' | jq -se '.[0].result.capabilities.positionEncoding == \"utf-8\"' >/dev/null"
{ msg "$INIT"; msg "$EXIT"; } > s2
run sh -c "'$mm' lsp < s2"; expect_status 1
run sh -c "'$mm' lsp < /dev/null"; expect_status 1; check "no output without input" test -z "$out"

# garbage and bad JSON: an error reply each, a line on stderr, and on
{ printf 'hello\r\n\r\n'; msg '{"jsonrpc":"2.0","id":5,'; msg "$INIT"; msg "$SHUT"; msg "$EXIT"; } > s3
run sh -c "'$mm' lsp < s3"; expect_status 0
expect_err '^minimesos lsp: a header line is not'
expect_err '^minimesos lsp: the content is not JSON'
check "two parse errors, then the answers" sh -c "printf '%s' \"\$1\" | sed -e 's/Content-Length: [0-9]*\r$//' -e 's/^\r$//' | jq -se '[.[] | .error.code // \"ok\"] == [-32700, -32700, \"ok\", \"ok\"]' >/dev/null" _ "$out"

# diagnostics = lint, for every corpus file
n=0
for f in "$corpus"/accept/*.minimesosFile "$corpus"/reject/*.minimesosFile; do
  uri="file://$f"
  open=$(jq -Rsc --arg uri "$uri" '{jsonrpc:"2.0",method:"textDocument/didOpen",params:{textDocument:{uri:$uri,languageId:"minimesos",version:1,text:.}}}' < "$f")
  { msg "$INIT"; msg "$open"; msg "$SHUT"; msg "$EXIT"; } | "$mm" lsp 2>/dev/null | replies > got.json
  jq -c '[.[] | select(.method == "textDocument/publishDiagnostics") | .params.diagnostics[]
          | {code, line: (.range.start.line + 1), column: (.range.start.character + 1),
             endLine: (.range.end.line + 1), endColumn: (.range.end.character + 1),
             severity: (if .severity == 1 then "error" elif .severity == 2 then "warning" else "note" end),
             message}]' got.json > lsp.json
  "$mm" lint --format json "$f" 2>/dev/null \
    | jq -c '[.[] | {code, line, column, endLine, endColumn, severity,
                     message: (if .hint then .message + "; hint: " + .hint else .message end)}]' > lint.json
  last="lsp vs lint: $(basename "$f")"
  if cmp -s lsp.json lint.json; then _ok; else _no "$(diff lsp.json lint.json | head -5)"; fi
  n=$((n + 1))
done
check "the corpus was read" test "$n" -gt 20

finish lsp
