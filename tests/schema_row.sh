#!/usr/bin/env bash
# Adding a property is one row in the schema table plus its model field.
# A build with -DMM_SCHEMA_TEST_ROW has exactly that (agent `testRow`,
# string or null, default "row-default") and nothing else; this test sees
# the property everywhere the table reaches: config's JSON (both writers),
# config's minimesosFile, convert both ways, lint's type check and
# did-you-mean hint and allowed-here list, init's template, the language
# reference and the man page, both JSON Schemas of `minimesos schema`, and the
# language server's hover, completion and quick fix. The build runs under ASan, so a field the
# generic free missed is a leak report.
# Usage: bash tests/schema_row.sh   (builds into build/schema-row)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. tests/lib.sh
b=build/schema-row
out=$(make -s -j2 --no-print-directory BUILD=$b SANITIZE=1 DEFS=-DMM_SCHEMA_TEST_ROW \
      $b/minimesos 2>&1); st=$?; err=$out; last="build with -DMM_SCHEMA_TEST_ROW"; expect_status 0
mm=$root/$b/minimesos
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/f" <<'F'
minimesos {
    agent {
        testRow = "set"
    }
    agent {
    }
}
F
run "$mm" config --clusterConfig "$tmp/f" --format json; expect_status 0
expect_out '"testRow": "set"'; expect_out '"testRow": "row-default"'
run "$mm" config --clusterConfig "$tmp/f" --format minimesosFile; expect_status 0
expect_out 'testRow = "set"'
run "$mm" convert "$tmp/f" --to json; expect_status 0; expect_out '"testRow": "set"'
printf '%s\n' "$out" >"$tmp/f.json"
run "$mm" convert "$tmp/f.json" --to minimesosFile; expect_status 0; expect_out 'testRow = "set"'
printf 'minimesos {\n    agent {\n        testRw = "x"\n    }\n}\n' >"$tmp/typo"
run "$mm" lint "$tmp/typo"; expect_status 1; expect_out 'did you mean `testRow`'
printf 'minimesos {\n    agent {\n        testRow = 5\n    }\n}\n' >"$tmp/type"
run "$mm" lint "$tmp/type"; expect_status 1; expect_out '`testRow` must be a string'
printf 'minimesos {\n    agent {\n        zzzzzzzzzzzzzzzz = 1\n    }\n}\n' >"$tmp/far"
run "$mm" lint "$tmp/far"; expect_status 1; expect_out 'properties allowed here: .*`testRow`'
run "$mm" init --stdout --agents 1; expect_status 0; expect_out 'testRow = "row-default" +// a property of the schema test build only'
run "$mm" help language; expect_status 0; expect_out '^\| `testRow` \| string, null \| `"row-default"`'
run "$mm" help language --format man; expect_status 0; expect_out 'testRow'
run "$mm" schema; expect_status 0
check "config schema: testRow, string or null, required" test \
  "$(printf '%s' "$out" | jq -c '."$defs".agent | [.properties.testRow.type, .properties.testRow.default, (.required | index("testRow") != null)]')" = \
  '[["string","null"],"row-default",true]'
run "$mm" schema --for convert; expect_status 0
check "convert schema: testRow" test "$(printf '%s' "$out" | jq -c '."$defs".agent.properties.testRow.description')" = \
  '"a property of the schema test build only"'
# the language server: hover on it, completion in an agent, the quick fix for a typo
lsp_msg() { local LC_ALL=C; printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
text='minimesos {\n    agent {\n        testRow = \"set\"\n    }\n    agent {\n        testRw = 1\n        \n    }\n}\n'
u='file:///row'
{ lsp_msg '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
  lsp_msg '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"'$u'","version":1,"text":"'"$text"'"}}}'
  lsp_msg '{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"'$u'"},"position":{"line":2,"character":10}}}'
  lsp_msg '{"jsonrpc":"2.0","id":3,"method":"textDocument/completion","params":{"textDocument":{"uri":"'$u'"},"position":{"line":6,"character":8}}}'
  lsp_msg '{"jsonrpc":"2.0","id":4,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"'$u'"},"range":{"start":{"line":5,"character":8},"end":{"line":5,"character":8}},"context":{"diagnostics":[]}}}'
  lsp_msg '{"jsonrpc":"2.0","id":5,"method":"shutdown"}'
  lsp_msg '{"jsonrpc":"2.0","method":"exit"}'; } > "$tmp/lsp.in"
run sh -c "'$mm' lsp < '$tmp/lsp.in'"; expect_status 0
expect_out '`testRow`: string property of the `agent` block.*a property of the schema test build only'
expect_out '"label":"testRow","kind":10,"detail":"string = \\"row-default\\""'
expect_out '"title":"Change `testRw` to `testRow`"'
# the ordinary build does not know it
run "$root/build/minimesos" lint "$tmp/f"; expect_status 1; expect_out 'unknown property `testRow`'
finish schema-row
