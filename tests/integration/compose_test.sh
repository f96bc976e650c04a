#!/usr/bin/env bash
# `minimesos config --format compose` run by docker-compose on the local
# stand-ins (tests/standin/CONTRACT.md):
#   up_destroy  every service, two agents, a clusterName full of YAML and
#               compose syntax: `docker-compose up -d` gives a cluster whose
#               master counts both agents (asked through `minimesos state`,
#               which finds it by its labels), info and ps find it, the
#               stand-ins resolve service names through DNS, and
#               `minimesos destroy` removes containers, volumes and the
#               compose network; `docker-compose down` then has nothing left.
#   up_down     one agent, removed by `docker-compose down -v`.
#   published   mapPortsToHost: ports bound on 127.0.0.1, unless --bind-address
#               says otherwise (as docker-compose reads the file; not started).
# Each case runs in its own folder; afterwards nothing labelled with that
# folder may remain.
#
#   MINIMESOS=build/minimesos bash tests/integration/compose_test.sh [CASE...]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"
command -v docker-compose >/dev/null || { echo "compose: needs docker-compose (scripts/deps.sh)" >&2; exit 1; }
suite_init compose mm-compose-test
suite_need_engine
# Stand-in images that resolve names through DNS: their tag.
TAG=$("$top/tests/integration/dns_images.sh") || { echo "compose: cannot make the stand-in images" >&2; exit 1; }

left() { # folder: "containers networks volumes" labelled with it (volumes: with its cluster id $2)
	echo "$(docker ps -aq --filter "label=$LABEL_DIR=$1" | grep -c .)" \
		"$(docker network ls -q --filter "label=$LABEL_DIR=$1" | grep -c .)" \
		"$(docker volume ls -q --filter "label=org.minimesos.cluster-id=$2" | grep -c .)"
}
cluster_id() { sed -n 's/.*"org.minimesos.cluster-id": "\([0-9]*\)".*/\1/p' "$1" | head -1; }
# agents FILE N [extra]: a minimesosFile on the stand-ins with N agents
write_file() {
	local n=$2 i
	{
		echo 'minimesos {'
		echo "    clusterName = 'compose \"test\" \$HOME # a: b'"
		echo '    timeout = 60'
		echo "    zookeeper { imageName = \"minimesos-test/zookeeper\"; imageTag = \"$TAG\" }"
		echo "    master { imageName = \"minimesos-test/mesos-master\"; imageTag = \"$TAG\" }"
		for ((i = 0; i < n; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"$TAG\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		printf '%s\n' "${3:-}"
		echo '}'
	} >"$1"
}
# wait_agents N: until `minimesos state` (found by labels) counts N agents; 60 s at most
wait_agents() {
	local i
	for ((i = 0; i < 120; i++)); do
		[ "$("$MM" state 2>/dev/null | jq -r .activated_slaves 2>/dev/null)" = "$1" ] && return 0
		sleep 0.5
	done
	echo "  the master did not count $1 agents within 60 s: $("$MM" state 2>&1 | head -c 300)"
	docker ps -a --filter "label=$LABEL_DIR=$PWD" --format '  {{.Names}} {{.Status}}'
	return 1
}

t_up_destroy() {
	write_file minimesosFile 2 "
    consul { imageName = \"minimesos-test/consul\"; imageTag = \"$TAG\" }
    registrator { imageName = \"minimesos-test/registrator\"; imageTag = \"$TAG\" }
    mesosdns { imageName = \"minimesos-test/mesos-dns\"; imageTag = \"$TAG\" }
    marathon { imageName = \"minimesos-test/marathon\"; imageTag = \"$TAG\" }"
	"$MM" config --format compose >docker-compose.yml 2>err || { echo "  config failed: $(cat err)"; return 1; }
	local id; id=$(cluster_id docker-compose.yml)
	docker-compose -p "mmc$id" config -q || { echo "  docker-compose config -q refuses the file"; return 1; }
	docker-compose -p "mmc$id" up -d >up.out 2>&1 || { echo "  docker-compose up failed:"; tail -5 up.out; return 1; }
	wait_agents 2 || return 1
	[ "$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | grep -c .)" = 8 ] ||
		{ echo "  expected 8 running containers of cluster $id"; return 1; }
	local st; st=$("$MM" state)
	[ "$(jq -r .cluster <<<"$st")" = 'compose "test" $HOME # a: b' ] ||
		{ echo "  clusterName arrived as: $(jq -r .cluster <<<"$st")"; return 1; }
	[ "$(jq -r .flags.zk <<<"$st")" = "zk://zookeeper:2181/mesos" ] || { echo "  master's zk: $(jq -r .flags.zk <<<"$st")"; return 1; }
	local info; info=$("$MM" info) || { echo "  info failed"; return 1; }
	grep -qx "Minimesos cluster is running: $id" <<<"$info" || { echo "  info: $info"; return 1; }
	grep -q '^export MINIMESOS_MARATHON=http://' <<<"$info" || { echo "  info has no Marathon: $info"; return 1; }
	[ "$(cat .minimesos/minimesos.cluster)" = "$id" ] || { echo "  the record was not written again from the labels"; return 1; }
	"$MM" ps | grep -q '^FRAMEWORK' || { echo "  ps failed"; return 1; }
	# the stand-ins find each other through Docker's DNS (and the alias minimesos-zookeeper)
	local m; m=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.role=master)
	docker exec "$m" /standin resolve zookeeper minimesos-zookeeper consul >/dev/null ||
		{ echo "  names do not resolve in the master's container"; return 1; }
	docker exec "$m" /standin resolve no-such-service >/dev/null 2>&1 && { echo "  an unknown name resolved"; return 1; }
	# Marathon answers: it found the master through ZooKeeper's alias minimesos-zookeeper
	local url; url=$(sed -n 's/^export MINIMESOS_MARATHON=\([^;]*\);.*/\1/p' <<<"$info")
	local i
	for ((i = 0; i < 40; i++)); do
		curl -sf --max-time 3 "$url/v2/apps" >/dev/null && break
		sleep 0.5
	done
	[ "$i" -lt 40 ] || { echo "  Marathon at $url does not answer /v2/apps"; return 1; }
	local out; out=$("$MM" destroy) || { echo "  destroy failed: $out"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy said: $out"; return 1; }
	[ "$(left "$PWD" "$id")" = "0 0 0" ] || { echo "  left after destroy (containers networks volumes): $(left "$PWD" "$id")"; return 1; }
	docker-compose -p "mmc$id" down >down.out 2>&1 || { echo "  docker-compose down after destroy failed:"; cat down.out; return 1; }
}

t_up_down() {
	write_file minimesosFile 1
	"$MM" config --format compose >docker-compose.yml || return 1
	local id; id=$(cluster_id docker-compose.yml)
	docker-compose -p "mmc$id" up -d >up.out 2>&1 || { echo "  docker-compose up failed:"; tail -5 up.out; return 1; }
	wait_agents 1 || return 1
	docker-compose -p "mmc$id" down -v >down.out 2>&1 || { echo "  docker-compose down failed:"; cat down.out; return 1; }
	[ "$(left "$PWD" "$id")" = "0 0 0" ] || { echo "  left after down (containers networks volumes): $(left "$PWD" "$id")"; return 1; }
	local out; out=$("$MM" destroy)
	grep -q "is not running" <<<"$out" || { echo "  destroy after down said: $out"; return 1; }
}

t_published() {
	# Checked on docker-compose's reading of the file, without starting it:
	# host ports 2181 and 5050 may be in use by other suites on this engine.
	write_file minimesosFile 1 '    mapPortsToHost = true'
	"$MM" config --format compose >docker-compose.yml || return 1
	local cfg; cfg=$(docker-compose -p mmcpub config) || { echo "  docker-compose config refuses the file"; return 1; }
	grep -qx -- '    - 127.0.0.1:5050:5050/tcp' <<<"$cfg" && grep -qx -- '    - 127.0.0.1:2181:2181/tcp' <<<"$cfg" ||
		{ echo "  5050 and 2181 are not published on 127.0.0.1:"; grep -A2 'ports:' <<<"$cfg"; return 1; }
	[ "$(grep -c -- '- [0-9.]*:[0-9]*:[0-9]*/tcp' <<<"$cfg")" = 2 ] || { echo "  other ports published:"; grep -A2 'ports:' <<<"$cfg"; return 1; }
	"$MM" config --format compose --bind-address 0.0.0.0 >all.yml || return 1
	docker-compose -p mmcpub -f all.yml config | grep -qx -- '    - 0.0.0.0:5050:5050/tcp' ||
		{ echo "  --bind-address 0.0.0.0 is not used"; return 1; }
}

ALL=(up_destroy up_down published)
suite_main "$@"
