#!/usr/bin/env bash
# minimesos lint: formats, exit codes, stdin, several files, --werror.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
corpus=$(cd "$(dirname "$0")/../.." && pwd)/tests/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

printf 'minimesos {\n    clusterName = "ok"\n}\n' > good.minimesosFile
printf 'minimesos {\n    clusterNme = "x"\n    timeout = "60"\n}\n' > bad.minimesosFile
printf 'minimesos {\n    timeout = 1\n    timeout = 2\n}\n' > warn.minimesosFile

# a clean file: nothing printed, exit 0
run "$mm" lint good.minimesosFile; expect_status 0; check "clean: no output" test -z "$out"
# errors: exit 1, text with file:line:col, code, caret and hint
run "$mm" lint bad.minimesosFile; expect_status 1
expect_out '^bad.minimesosFile:2:5: error\[E200\]'
expect_out 'did you mean `clusterName`'
expect_out 'bad.minimesosFile:3:15: error\[E203\]'
expect_out '\^'
expect_err '2 errors'
# no colour when not a terminal
case "$out" in *$'\e'*) last="lint text"; _no "escape codes when piped";; *) _ok;; esac
# gcc: one line each
run "$mm" lint --format gcc bad.minimesosFile; expect_status 1
expect_out '^bad.minimesosFile:2:5: error: .*\[E200\]'
check "gcc: two lines" test "$(printf '%s\n' "$out" | grep -c .)" -eq 2
run "$mm" lint --format=gcc warn.minimesosFile; expect_status 0
expect_out '^warn.minimesosFile:3:5: warning: .*\[W304\]'
# --werror
run "$mm" lint --werror warn.minimesosFile; expect_status 1
run "$mm" lint --werror good.minimesosFile; expect_status 0
# json: one array over every file
run "$mm" lint --format json good.minimesosFile bad.minimesosFile warn.minimesosFile; expect_status 1
check "json: an array of 3" test "$(printf '%s' "$out" | jq 'length')" -eq 3
check "json: files named" test "$(printf '%s' "$out" | jq -r '[.[].file] | unique | join(",")')" = "bad.minimesosFile,warn.minimesosFile"
check "json: fields" test "$(printf '%s' "$out" | jq -r '.[0] | [.line, .column, .severity, .code, .name] | join(" ")')" = "2 5 error E200 unknown-property"
check "json: hint" bash -c "printf '%s' \"\$1\" | jq -e '.[0].hint | contains(\"clusterName\")' >/dev/null" _ "$out"
run "$mm" lint --format json good.minimesosFile; expect_status 0
check "json: empty array" test "$(printf '%s' "$out" | jq -c .)" = "[]"
# sarif: one log, one run, a result per diagnostic (tests/schema/validate.sh
# checks it against the SARIF schema)
run "$mm" lint --format sarif good.minimesosFile bad.minimesosFile warn.minimesosFile; expect_status 1
printf '%s\n' "$out" > lint.sarif
check "sarif: version" test "$(jq -r .version lint.sarif)" = 2.1.0
check "sarif: the driver" test "$(jq -r '.runs[0].tool.driver.name' lint.sarif)" = minimesos
check "sarif: 3 results" test "$(jq '.runs[0].results | length' lint.sarif)" -eq 3
check "sarif: 3 artifacts" test "$(jq -r '[.runs[0].artifacts[].location.uri] | join(",")' lint.sarif)" = \
  "good.minimesosFile,bad.minimesosFile,warn.minimesosFile"
check "sarif: result" test "$(jq -c '.runs[0].results[0] | [.ruleId, .level, .locations[0].physicalLocation.region.startLine, .locations[0].physicalLocation.region.startColumn]' lint.sarif)" = '["E200","error",2,5]'
check "sarif: warning level" test "$(jq -r '.runs[0].results[2].level' lint.sarif)" = warning
run "$mm" lint --format=sarif good.minimesosFile; expect_status 0
check "sarif: clean file, no result" test "$(printf '%s' "$out" | jq '.runs[0].results | length')" -eq 0
run "$mm" lint --format sarif --werror warn.minimesosFile; expect_status 1
# stdin
run_in "$(cat bad.minimesosFile)" "$mm" lint --format gcc -; expect_status 1; expect_out '^<stdin>:2:5: error'
run_in 'minimesos { }' "$mm" lint -; expect_status 0
# default file ./minimesosFile, and a missing one
run "$mm" lint; expect_status 1; expect_out 'minimesosFile'
cp good.minimesosFile minimesosFile
run "$mm" lint; expect_status 0
run "$mm" lint nosuch.minimesosFile; expect_status 1; expect_out 'E100'
# empty file: a warning, still clean
: > empty.minimesosFile
run "$mm" lint --format gcc empty.minimesosFile; expect_status 0; expect_out 'W303'
run "$mm" lint --werror empty.minimesosFile; expect_status 1
# bad usage
run "$mm" lint --format xml good.minimesosFile; expect_status 2; expect_err 'usage: minimesos lint'
expect_err 'text, json, gcc or sarif'
run "$mm" lint --format; expect_status 2
# the whole corpus: accept files have no error, reject files fail
if [ -d "$corpus" ]; then
  for f in "$corpus"/accept/*.minimesosFile; do
    run "$mm" lint "$f"; expect_status 0
  done
  for f in "$corpus"/reject/*.minimesosFile; do
    run "$mm" lint --format gcc "$f"; expect_status 1; expect_out ': error: '
  done
fi
# --swarm: what a stack cannot honour, as W305 warnings at the settings
printf 'minimesos {\n    mapPortsToHost = true\n    agent {\n        privileged = false\n    }\n    agent {\n    }\n    agent {\n        privileged = true\n    }\n}\n' > swarm.minimesosFile
run "$mm" lint swarm.minimesosFile; expect_status 0
check "without --swarm: no W305" test -z "$out"
run "$mm" lint --swarm --format gcc swarm.minimesosFile; expect_status 0
expect_out '^swarm.minimesosFile:2:5: warning: ports published on one address, which a stack cannot honour.*\[W305\]$'
expect_out '^swarm.minimesosFile:6:5: warning: agent 1 is privileged \(the default\), which a stack cannot honour.*\[W305\]$'
expect_out '^swarm.minimesosFile:9:9: warning: agent 2 is privileged, which a stack cannot honour.*\[W305\]$'
check "--swarm: three warnings" test "$(printf '%s\n' "$out" | grep -c W305)" = 3
run "$mm" lint --swarm --werror swarm.minimesosFile; expect_status 1
run "$mm" lint --swarm --format json swarm.minimesosFile; expect_status 0
check "--swarm json: code name" test "$(printf '%s' "$out" | jq -r '[.[] | .name] | unique | join(",")')" = "not-honoured-by-a-stack"
printf 'minimesos {\n    agent {\n        privileged = false\n    }\n}\n' > swarm-ok.minimesosFile
run "$mm" lint --swarm swarm-ok.minimesosFile; expect_status 0
check "--swarm: nothing for an unprivileged agent" test -z "$out"
finish lint
