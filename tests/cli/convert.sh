#!/usr/bin/env bash
# minimesos convert: minimesosFile <-> JSON, round trips, errors, exit codes.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
golden=$root/tests/golden/convert
corpus=$root/tests/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# usage and command-line errors
run "$mm" convert --help; expect_status 0; expect_out '^usage: minimesos convert'
run "$mm" convert --to yaml x; expect_status 2; expect_err 'json or minimesosFile'
run "$mm" convert --bogus; expect_status 2; expect_err 'unknown option'
run "$mm" convert a b --to json; expect_status 2
run "$mm" convert --to; expect_status 2

# golden files, both directions
"$mm" convert "$golden/golden.minimesosFile" --to json > got.json; st=$?
last="convert golden.minimesosFile"
check "golden to json: exit 0" test "$st" -eq 0
check "golden to json: matches" cmp -s got.json "$golden/golden.json"
"$mm" convert --to=minimesosFile "$golden/fromjson.input.json" > got.minimesosFile; st=$?
last="convert fromjson.input.json"
check "golden from json: exit 0" test "$st" -eq 0
check "golden from json: matches" cmp -s got.minimesosFile "$golden/fromjson.output.minimesosFile"

# shape: repeatable blocks are arrays, others objects, values typed
run "$mm" convert "$corpus/accept/twosigma-cook.minimesosFile" --to json; expect_status 0
check "agent is an array" test "$(printf '%s' "$out" | jq -r '.agent | type')" = array
check "cpu is an array" test "$(printf '%s' "$out" | jq -r '.agent[0].resources.cpu | type')" = array
check "app is an array of 2" test "$(printf '%s' "$out" | jq -r '.marathon.app | length')" = 2
check "master is an object" test "$(printf '%s' "$out" | jq -r '.master | type')" = object
check "numbers typed" test "$(printf '%s' "$out" | jq -r '.timeout | type')" = number
check "booleans typed" test "$(printf '%s' "$out" | jq -r '.mapAgentSandboxVolume')" = true
check "null kept" test "$(printf '%s' "$out" | jq -r '.master.aclJson | type')" = null
check "no defaults added" test "$(printf '%s' "$out" | jq -r 'has("mesosdns")')" = false

# stdin, default file, input detection without --to
cp "$corpus/accept/upstream-basic.minimesosFile" minimesosFile
run "$mm" convert --to json; expect_status 0; expect_out '"mapPortsToHost": true'
printf '%s\n' "$out" > basic.json
run "$mm" convert < basic.json --to minimesosFile; expect_status 0; expect_out '^minimesos \{$'
run "$mm" convert basic.json; expect_status 0; expect_out '^minimesos \{$'
run "$mm" convert minimesosFile; expect_status 0; expect_out '^\{$'
run_in 'minimesos { timeout = 5 }' "$mm" convert - --to json; expect_status 0; expect_out '"timeout": 5'

# every corpus file: json -> minimesosFile -> json is stable, and the model is
# the same (through `config` when it is available)
have_config=0
"$mm" config --clusterConfig "$corpus/accept/upstream-basic.minimesosFile" --format json >/dev/null 2>&1 && have_config=1
for f in "$corpus"/accept/*.minimesosFile; do
  b=$(basename "$f" .minimesosFile)
  last="round trip $b"
  "$mm" convert "$f" --to json > "$b.json" && "$mm" convert "$b.json" --to minimesosFile > "$b.minimesosFile" \
    && "$mm" convert "$b.minimesosFile" --to json > "$b.2.json"
  check "$b: converts" test $? -eq 0
  check "$b: json stable" cmp -s "$b.json" "$b.2.json"
  check "$b: output is canonical" "$mm" fmt --check "$b.minimesosFile"
  if [ "$have_config" = 1 ]; then
    "$mm" config --clusterConfig "$f" --format json 2>/dev/null | jq -S . > "$b.model1" 2>/dev/null
    "$mm" config --clusterConfig "$b.minimesosFile" --format json 2>/dev/null | jq -S . > "$b.model2" 2>/dev/null
    check "$b: same model" cmp -s "$b.model1" "$b.model2"
  fi
done

# errors
printf 'minimesos {\n    timeout = 60 60\n}\n' > bad.minimesosFile
run "$mm" convert bad.minimesosFile --to json; expect_status 1
expect_err '^bad.minimesosFile:2:18: error\[E101\]'
check "no output on error" test -z "$out"
printf '{\n  "a": 1,\n  "b": ]\n}\n' > bad.json
run "$mm" convert bad.json --to minimesosFile; expect_status 1; expect_err '^bad.json:3:8: error\[E207\]: invalid JSON'
run_in '{"master": [{}]}' "$mm" convert --to minimesosFile; expect_status 1
expect_err '`master`: an array is only allowed for a repeatable block'
run_in '{"agent": [[{}]]}' "$mm" convert --to minimesosFile; expect_status 1; expect_err 'agent\[0\]'
run_in '[]' "$mm" convert --to minimesosFile; expect_status 1; expect_err 'must be an object'
printf 'minimesos {\n    zookeeper {\n    }\n    zookeeper {\n    }\n}\n' > dup.minimesosFile
run "$mm" convert dup.minimesosFile --to json; expect_status 1; expect_err 'dup.minimesosFile:4:5: error\[E202\]'
run "$mm" convert missing.minimesosFile --to json; expect_status 1; expect_err 'cannot read missing.minimesosFile'

finish convert
