#!/usr/bin/env bash
# minimesos schema: the JSON Schemas of config's and convert's JSON, from
# the schema table; usage and errors. (tests/schema/validate.sh validates
# the outputs against them with a real validator.)
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

run "$mm" schema --help; expect_status 0; expect_out '^usage: minimesos schema'
run "$mm" schema --for; expect_status 2; expect_err 'needs a value'
run "$mm" schema --for xml; expect_status 2; expect_err 'config or convert'
run "$mm" schema --bogus; expect_status 2; expect_err 'unknown option'
run "$mm" schema a; expect_status 2; expect_err 'unexpected argument'

run "$mm" schema; expect_status 0; expect_err_empty
printf '%s\n' "$out" > config.json
check "config: JSON" sh -c 'jq -e . "$1" >/dev/null' _ config.json
check "config: draft 2020-12" test "$(jq -r '."$schema"' config.json)" = https://json-schema.org/draft/2020-12/schema
check "config: agents is an array of agent" test "$(jq -c '.properties.agents | [.type, .items."$ref"]' config.json)" = '["array","#/$defs/agent"]'
check "config: every key required" test "$(jq -c '.required | length' config.json)" = "$(jq -c '.properties | length' config.json)"
check "config: marathon may be null" test "$(jq -c '[.properties.marathon.anyOf[].type]' config.json)" = '[null,"null"]'
check "config: master is always there" test "$(jq -c '.properties.master' config.json)" = '{"$ref":"#/$defs/master"}'
check "config: resources by their JSON key" test "$(jq -c '."$defs".resources.properties | keys' config.json)" = '["cpus","disk","mem","ports"]'
check "config: a resource value is a number" test "$(jq -c '."$defs".cpu.properties.value | [.type, .minimum]' config.json)" = '["number",0]'
check "config: port range" test "$(jq -c '."$defs".agent.properties.portNumber | [.minimum, .maximum, .default]' config.json)" = '[1,65535,5051]'
check "config: role pattern" test "$(jq -r '."$defs".cpu.properties.role.pattern' config.json)" = '^([*]|[A-Za-z0-9_][A-Za-z0-9_.-]*)$'
check "config: derived tag has no default" test "$(jq -c '."$defs".master.properties.imageTag | has("default")' config.json)" = false
run "$mm" schema --for config; expect_status 0
check "--for config is the default" test "$out" = "$(cat config.json)"

run "$mm" schema --for convert; expect_status 0; expect_err_empty
printf '%s\n' "$out" > convert.json
check "convert: block names as keys" test "$(jq -c '.properties | has("agent") and (has("agents") | not)' convert.json)" = true
check "convert: nothing required at the top" test "$(jq -c 'has("required")' convert.json)" = false
check "convert: required rows" test "$(jq -c '."$defs".app.required' convert.json)" = '["marathonJson"]'
check "convert: levels in any case" test "$(jq -r '.properties.loggingLevel.pattern' convert.json)" = '^([Ii][Nn][Ff][Oo]|[Ww][Aa][Rr][Nn][Ii][Nn][Gg]|[Ee][Rr][Rr][Oo][Rr])$'
check "convert: quoted resource values" test "$(jq -c '[."$defs".cpu.properties.value.anyOf[].type]' convert.json)" = '["number","string"]'
check "convert: registrator needs consul" test "$(jq -c '.dependentRequired' convert.json)" = '{"registrator":["consul"]}'
finish schema
