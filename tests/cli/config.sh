#!/usr/bin/env bash
# minimesos config: the effective model as JSON or minimesosFile.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
corpus=$(cd "$(dirname "$0")/../.." && pwd)/tests/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

printf 'minimesos {\n    mesosVersion = "0.28"\n    agent {\n    }\n    master {\n    }\n}\n' > minimesosFile
# default file and format
run "$mm" config; expect_status 0; expect_err_empty
check "json: master tag derived" test "$(printf '%s' "$out" | jq -r .master.imageTag)" = "0.28-0.1.0"
check "json: zookeeper added" test "$(printf '%s' "$out" | jq -r .zookeeper.imageName)" = "jplock/zookeeper"
check "json: one agent, privileged" test "$(printf '%s' "$out" | jq -r '.agents | length, .[0].privileged' | tr '\n' ' ')" = "1 true "
check "json: absent services null" test "$(printf '%s' "$out" | jq -c '[.marathon, .consul, .registrator, .mesosdns]')" = "[null,null,null,null]"
check "json: mesosResources" test "$(printf '%s' "$out" | jq -r '.agents[0].mesosResources')" = "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000"
run "$mm" config --compact; expect_status 0
check "compact: one line" test "$(printf '%s\n' "$out" | wc -l)" -eq 1
# minimesosFile format reads back to the same model
run "$mm" config --format minimesosFile; expect_status 0; expect_out '^minimesos \{'
printf '%s\n' "$out" > canonical.minimesosFile
run "$mm" config --clusterConfig canonical.minimesosFile --format json --compact; a=$out
run "$mm" config --compact; b=$out
check "minimesosFile round trip" test "$a" = "$b"
# stdin
run_in 'minimesos { clusterName = "piped" }' "$mm" config --clusterConfig -; expect_status 0
check "stdin" test "$(printf '%s' "$out" | jq -r .clusterName)" = "piped"
# --clusterConfig=PATH form
run "$mm" config --clusterConfig=canonical.minimesosFile; expect_status 0
# errors: text on stderr, nothing on stdout, exit 1
printf 'minimesos {\n    timeout = "60"\n}\n' > bad.minimesosFile
run "$mm" config --clusterConfig bad.minimesosFile; expect_status 1
check "no stdout on error" test -z "$out"
expect_err 'bad.minimesosFile:2:15: error\[E203\]'
expect_err '^minimesos: config: '
# warnings: stderr, exit 0
printf 'minimesos {\n    timeout = 1\n    timeout = 2\n}\n' > warn.minimesosFile
run "$mm" config --clusterConfig warn.minimesosFile; expect_status 0; expect_err 'W304'
check "later wins" test "$(printf '%s' "$out" | jq .timeout)" = 2
# missing file
run "$mm" config --clusterConfig nosuch; expect_status 1; expect_err 'nosuch'
# bad usage
run "$mm" config --format yaml; expect_status 2; expect_err 'usage: minimesos config'
run "$mm" config extra; expect_status 2
# every accept file gives JSON and a minimesosFile that reads back the same
if [ -d "$corpus" ]; then
  for f in "$corpus"/accept/*.minimesosFile; do
    run "$mm" config --clusterConfig "$f" --compact; expect_status 0; j1=$out
    "$mm" config --clusterConfig "$f" --format minimesosFile > rt.minimesosFile 2>/dev/null
    run "$mm" config --clusterConfig rt.minimesosFile --compact; expect_status 0
    check "round trip $(basename "$f")" test "$j1" = "$out"
    run "$mm" fmt --check rt.minimesosFile; expect_status 0   # already in fmt's layout
  done
fi
# compose and stack: the plan as a compose file
printf 'minimesos {\n    clusterName = %s\n    mapPortsToHost = true\n    agent {\n    }\n    agent {\n        privileged = false\n    }\n    marathon {\n    }\n}\n' \
  "'a: \"b\" # \$HOME {{zookeeper.ip}}'" > compose.minimesosFile
run "$mm" config --clusterConfig compose.minimesosFile --format compose; expect_status 0; expect_err_empty
expect_out '^services:$'
expect_out '^  agent1:$'
expect_out '^      - "127.0.0.1:5050:5050/tcp"$'
expect_out '^      - "MESOS_CLUSTER=a: \\"b\\" # \$\$HOME \{\{zookeeper.ip\}\}"$'
expect_out '"org.minimesos.dir": "'"$tmp"'"$'
expect_out '"org.minimesos.config": "'"$tmp"'/compose.minimesosFile"$'
id1=$(printf '%s\n' "$out" | sed -n 's/.*"org.minimesos.cluster-id": "\([0-9]*\)".*/\1/p' | sort -u)
check "compose: one cluster id" test "$(printf '%s\n' "$id1" | wc -l)" = 1
run "$mm" config --clusterConfig compose.minimesosFile --format compose
id2=$(printf '%s\n' "$out" | sed -n 's/.*"org.minimesos.cluster-id": "\([0-9]*\)".*/\1/p' | sort -u)
check "compose: a new cluster id each time" test "$id1" != "$id2"
run "$mm" config --clusterConfig compose.minimesosFile --format stack; expect_status 0
expect_out '^version: "3.8"$'
expect_no_out '^    (privileged|pid|container_name):'
run "$mm" config --clusterConfig compose.minimesosFile --format stack --bind-address 0.0.0.0; expect_status 0
expect_out '^        mode: host$'
run "$mm" config --clusterConfig bad.minimesosFile --format compose; expect_status 1
check "compose: no stdout on error" test -z "$out"
run "$mm" config --format json --bind-address 0.0.0.0; expect_status 2; expect_err 'bind-address is for --format compose or stack'
run "$mm" config --format compose --bind-address ''; expect_status 2
# Every accept file of the corpus, as the real clients read compose files.
if command -v docker-compose >/dev/null; then
  for f in "$corpus"/accept/*.minimesosFile; do
    "$mm" config --clusterConfig "$f" --format compose > out.yml 2>/dev/null
    run docker-compose -p mmcli -f out.yml config -q; expect_status 0
    "$mm" config --clusterConfig "$f" --format stack > stack.yml 2>/dev/null
    run docker-compose -p mmcli -f stack.yml config -q; expect_status 0
    if docker stack config --help >/dev/null 2>&1; then # a client with `stack config` (docker 24+)
      run docker stack config -c stack.yml; expect_status 0
      expect_no_out 'privileged|container_name|pid:'
    fi
  done
  # What docker-compose makes of the tricky text: the value as written.
  "$mm" config --clusterConfig compose.minimesosFile --format compose > out.yml 2>/dev/null
  run docker-compose -p mmcli -f out.yml config; expect_status 0
  expect_out 'MESOS_CLUSTER: .*a: "b" # \$\$HOME \{\{zookeeper.ip\}\}'
else
  _no "docker-compose is missing (scripts/deps.sh test installs it)"
fi
finish config
