#!/usr/bin/env bash
# minimesos init: the template, overwrite protection, options.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

run "$mm" init; expect_status 0
check "file written" test -s minimesosFile
run "$mm" lint --werror minimesosFile; expect_status 0
check "lint output empty" test -z "$out"
# the template is already in fmt's canonical layout
run "$mm" fmt --check minimesosFile; expect_status 0
run "$mm" config --compact; expect_status 0
check "init: one agent" test "$(printf '%s' "$out" | jq '.agents | length')" -eq 1
check "init: every service" test "$(printf '%s' "$out" | jq -r '[.master.imageName, .zookeeper.imageName, .marathon.imageName, .consul.imageName, .registrator.imageName, .mesosdns.imageName] | join(",")')" = "containersol/mesos-master,jplock/zookeeper,mesosphere/marathon,consul,gliderlabs/registrator,xebia/mesos-dns"
check "init: one app" test "$(printf '%s' "$out" | jq '.marathon.apps | length')" -eq 1
check "init: defaults" test "$(printf '%s' "$out" | jq -r '[.mesosVersion, .timeout, .loggingLevel, .master.imageTag, .agents[0].imageTag, .agents[0].mesosResources] | join(" ")')" = "1.0.0 60 INFO 1.0.0-0.1.0 1.0.0-0.1.0 ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000"
# the same as the default cluster with those parts
expect_out '"privileged":true'
# no overwrite without --force
echo 'keep me' > minimesosFile
run "$mm" init; expect_status 1; expect_err 'already exists'; expect_err '--force'
check "kept" test "$(cat minimesosFile)" = "keep me"
run "$mm" init --force; expect_status 0
check "overwritten" grep -q '^minimesos {' minimesosFile
# stdout, both spellings; no file touched
rm minimesosFile
run "$mm" init --stdout; expect_status 0; expect_out '^minimesos \{'
check "no file with --stdout" test ! -e minimesosFile
run "$mm" init -; expect_status 0; expect_out '^minimesos \{'
# options
run "$mm" init --stdout --agents 3 --mesos-version 0.28; expect_status 0
printf '%s\n' "$out" > three.minimesosFile
run "$mm" config --clusterConfig three.minimesosFile --compact; expect_status 0
check "three agents" test "$(printf '%s' "$out" | jq '.agents | length')" -eq 3
check "version 0.28 tags" test "$(printf '%s' "$out" | jq -r '[.master.imageTag, .agents[].imageTag] | unique | join(",")')" = "0.28-0.1.0"
run "$mm" init --stdout --agents 0 --no-marathon --no-consul --no-registrator --no-mesosdns; expect_status 0
printf '%s\n' "$out" > bare.minimesosFile
run "$mm" config --clusterConfig bare.minimesosFile --compact; expect_status 0
check "bare" test "$(printf '%s' "$out" | jq -c '[(.agents|length), .marathon, .consul, .registrator, .mesosdns]')" = "[0,null,null,null,null]"
run "$mm" init --stdout --services marathon,consul; expect_status 0
printf '%s\n' "$out" > some.minimesosFile
run "$mm" config --clusterConfig some.minimesosFile --compact; expect_status 0
check "services list" test "$(printf '%s' "$out" | jq -c '[(.marathon != null), (.consul != null), .registrator, .mesosdns]')" = "[true,true,null,null]"
run "$mm" init --stdout --services none; expect_status 0
run "$mm" init --stdout --mesos-version 0.24; expect_status 2; expect_err '0.25'
run "$mm" init --stdout --agents x; expect_status 2
run "$mm" init --stdout --services nosuch; expect_status 2
run "$mm" init --stdout --no-consul; expect_status 2; expect_err 'registrator needs consul'
run "$mm" init --stdout --no-consul --no-registrator; expect_status 0
run "$mm" init extra; expect_status 2
finish init
