#!/usr/bin/env bash
# `minimesos config --format stack` on a single-node swarm: `docker stack
# deploy -c` of the exported file (stand-in images, two agents, one of them
# with the default `privileged = true`, which the stack variant leaves out)
# reaches readiness (the master's /state.json counts both agents, asked from
# inside the master's container: overlay addresses are not reachable from the
# host), the services find each other by name (the stand-in's DNS client),
# and `docker stack rm` leaves nothing labelled with the folder.
#
# The swarm is shared with other suites on the same engine: the whole run
# holds /tmp/minimesos-swarm.lock; the swarm is initialised (on 127.0.0.1)
# only when the engine is in none, and left only when this run initialised it
# (tests/docker/swarm.sh, as for the swarm suites).
#
#   MINIMESOS=build/minimesos bash tests/integration/stack_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"
# shellcheck source=../docker/swarm.sh
. "$top/tests/docker/swarm.sh"

suite_init stack mm-stack-test
suite_need_engine
# Stand-in images that resolve names through DNS: their tag.
TAG=$("$top/tests/integration/dns_images.sh") || { echo "stack: cannot make the stand-in images" >&2; exit 1; }

# Its one folder, whose label every container and network of the stack carries.
DIR=$WORK/deploy
STACK=mmstack$$
count_left() { # folder: containers, then networks, labelled with it
	echo "$(count_labelled container "$1") $(count_labelled network "$1")"
}
# The stack goes first (removing its containers alone, the swarm would start
# them again); then the lib removes what is left with the folder's label.
suite_remove_more() {
	docker stack rm "$STACK" >/dev/null 2>&1
	local i
	for ((i = 0; i < 60; i++)); do
		[ "$(count_left "$1")" = "0 0" ] && break
		sleep 0.5
	done
}
suite_end() { swarm_end; }
swarm_begin || exit 1

ok() { passed=$((passed + 1)); echo "ok   - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && printf '       %s\n' "$2"; return 0; }

mkdir -p "$DIR"
cd "$DIR"
cat >minimesosFile <<EOF
minimesos {
    clusterName = 'stack "test" \$HOME # a: b'
    timeout = 60
    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "$TAG" }
    master { imageName = "minimesos-test/mesos-master"; imageTag = "$TAG" }
    agent { imageName = "minimesos-test/mesos-agent"; imageTag = "$TAG"; portNumber = 5051 }
    agent { imageName = "minimesos-test/mesos-agent"; imageTag = "$TAG"; privileged = false; portNumber = 5052 }
    marathon { imageName = "minimesos-test/marathon"; imageTag = "$TAG" }
    consul { imageName = "minimesos-test/consul"; imageTag = "$TAG" }
    registrator { imageName = "minimesos-test/registrator"; imageTag = "$TAG" }
}
EOF
if "$MM" config --format stack >stack.yml 2>err; then ok "config --format stack"; else bad "config --format stack" "$(cat err)"; fi
if grep -qE '^ +(privileged|pid|container_name):' stack.yml; then
	bad "no privileged, pid or container_name in the stack file" "$(grep -nE '^ +(privileged|pid|container_name):' stack.yml)"
else ok "no privileged, pid or container_name in the stack file"; fi
id=$(sed -n 's/.*"org.minimesos.cluster-id": "\([0-9]*\)".*/\1/p' stack.yml | head -1)

if docker stack deploy -c stack.yml "$STACK" >deploy.out 2>&1; then ok "docker stack deploy"; else bad "docker stack deploy" "$(cat deploy.out)"; fi
grep -i "ignoring unsupported" deploy.out && bad "the client ignored settings of the stack file" "$(cat deploy.out)"

master_state() {
	local m
	m=$(docker ps -q --filter "label=$LABEL_DIR=$DIR" --filter label=org.minimesos.role=master | head -1)
	[ -n "$m" ] && timeout 5 docker exec "$m" wget -q -O - http://127.0.0.1:5050/state.json 2>/dev/null
}
ready=""
for ((i = 0; i < 180; i++)); do # 90 s at most
	[ "$(master_state | jq -r .activated_slaves 2>/dev/null)" = 2 ] && { ready=$((i / 2)); break; }
	sleep 0.5
done
if [ -n "$ready" ]; then ok "the master counts both agents (after about $ready s)"
else bad "the master counts both agents within 90 s" "$(docker service ls --filter "label=com.docker.stack.namespace=$STACK"; docker ps -a --filter "label=$LABEL_DIR=$DIR" --format '{{.Names}} {{.Status}}')"; fi
st=$(master_state)
[ "$(jq -r .cluster <<<"$st")" = 'stack "test" $HOME # a: b' ] && ok "clusterName reaches the master as written" ||
	bad "clusterName reaches the master as written" "$(jq -r .cluster <<<"$st")"
# every service runs one container with the cluster's labels (a service that
# started before the one it needs was restarted by the swarm: wait for that)
for ((i = 0; i < 60; i++)); do
	n=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter "label=$LABEL_DIR=$DIR" | grep -c .)
	[ "$n" = 7 ] && break
	sleep 0.5
done
[ "$n" = 7 ] && ok "7 running containers labelled with cluster $id" || bad "7 running containers labelled with cluster $id" "found $n"
# Marathon found the master through ZooKeeper under its alias minimesos-zookeeper
for ((i = 0; i < 60; i++)); do
	mt=$(docker ps -q --filter "label=$LABEL_DIR=$DIR" --filter label=org.minimesos.role=marathon | head -1)
	[ -n "$mt" ] && timeout 5 docker exec "$mt" wget -q -O /dev/null http://127.0.0.1:8080/v2/apps 2>/dev/null && break
	sleep 0.5
done
[ "$i" -lt 60 ] && ok "Marathon answers /v2/apps" || bad "Marathon answers /v2/apps"
# registrator reaches consul by its service name
for ((i = 0; i < 40; i++)); do
	rg=$(docker ps -q --filter "label=$LABEL_DIR=$DIR" --filter label=org.minimesos.role=registrator | head -1)
	[ -n "$rg" ] && docker logs "$rg" 2>&1 | grep -q "registrator: synced" && break
	sleep 0.5
done
[ "$i" -lt 40 ] && ok "registrator reaches consul" || bad "registrator reaches consul" "$([ -n "$rg" ] && docker logs "$rg" 2>&1 | tail -3)"

docker stack rm "$STACK" >/dev/null 2>&1 && ok "docker stack rm" || bad "docker stack rm"
for ((i = 0; i < 120; i++)); do
	[ "$(count_left "$DIR")" = "0 0" ] && break
	sleep 0.5
done
left=$(count_left "$DIR")
[ "$left" = "0 0" ] && ok "nothing left labelled with the folder" || bad "nothing left labelled with the folder" "containers, networks: $left"
[ -z "$(docker service ls -q --filter "label=com.docker.stack.namespace=$STACK")" ] && ok "no service left" || bad "no service left"

suite_summary
