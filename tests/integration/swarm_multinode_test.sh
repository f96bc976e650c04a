#!/usr/bin/env bash
# `up --swarm` on two nodes on this machine: the test engine as the swarm
# manager, and a second dockerd that this suite starts in a network
# namespace of its own (mm-node2, veth 10.99.0.1 <-> 10.99.0.2, its own data
# and exec root under /tmp, its socket unix:///tmp/mm-node2.XXXX/docker.sock,
# only the agent and zookeeper stand-in images loaded). Needs root, iproute2 and nsenter.
#   refused      node 2 not yet in the swarm: its engine refuses to start the
#                agent (no such network); up fails naming engine 1 and
#                removes what it created on both engines, the network and
#                the record
#   two_nodes    node 2 joined as a worker: 4 agents, agents 1 and 3 on
#                node 2 (round-robin), the master counts all 4, the record
#                lists both engines; agent stop and start of agent 1 act on
#                node 2; up of a file with a fifth agent and --place
#                agent:4=1 adds agent 4 on node 2 and keeps the rest; agent
#                add --count 2 puts agent 5 on node 2 and agent 6 on node 1,
#                and the master counts all 7; with the
#                record lost, ps restores it with both engines (labels), and
#                destroy, the record lost again, leaves nothing on either
#   record_lost_zookeeper_on_node2
#                zookeeper placed on node 2, the record lost, one more
#                agent in the file: up reads both engines (labels) and
#                gives the new agent ZooKeeper's real address
# The whole suite holds /tmp/minimesos-swarm.lock (tests/docker/swarm.sh);
# it initialises the swarm (advertising 10.99.0.1, which node 2 reaches)
# only when the engine is in none, and leaves it only then. Everything it
# started is stopped and removed afterwards, whatever happened.
#
#   MINIMESOS=build/minimesos bash tests/integration/swarm_multinode_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
NS=mm-node2
HOST_IP=10.99.0.1 NODE_IP=10.99.0.2
SWARM_ADVERTISE=$HOST_IP
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"
# shellcheck source=../docker/swarm.sh
. "$top/tests/docker/swarm.sh"

[ "$(id -u)" = 0 ] || { echo "swarm-multinode: needs root (a network namespace, a second dockerd)" >&2; exit 1; }
for t in ip nsenter dockerd docker jq curl; do
	command -v $t >/dev/null || { echo "swarm-multinode: $t is needed (scripts/deps.sh test)" >&2; exit 1; }
done
NODE=$(mktemp -d /tmp/mm-node2.XXXX)
NODE_SOCK=unix://$NODE/docker.sock
D2() { DOCKER_HOST=$NODE_SOCK docker "$@"; }
suite_init swarm-multinode mm-swarm-multi
suite_need_images zookeeper mesos-master mesos-agent

# A folder's containers on node 2 too (the lib removes those on engine 1,
# then the networks).
suite_remove_more() { # folder
	local ids
	if [ -S "$NODE/docker.sock" ]; then
		ids=$(D2 ps -aq --filter "label=$LABEL_DIR=$1" 2>/dev/null)
		[ -n "$ids" ] && D2 rm -fv $ids >/dev/null 2>&1
	fi
	return 0
}
node_stop() {
	local pid i
	if [ -S "$NODE/docker.sock" ]; then D2 swarm leave --force >/dev/null 2>&1; fi
	pid=$(cat "$NODE/dockerd.pid" 2>/dev/null)
	if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = dockerd ]; then
		kill -TERM "$pid"
		for ((i = 0; i < 60; i++)); do [ -e /proc/"$pid" ] || break; sleep 0.5; done
		[ -e /proc/"$pid" ] && kill -KILL "$pid"
	fi
	ip netns del "$NS" 2>/dev/null   # takes the veth pair with it
	ip link del mm-n1 2>/dev/null
	rm -rf "$NODE"
}
suite_end() {
	node_stop
	swarm_end
}

node_start() {
	ip netns list | grep -qw "$NS" && { echo "swarm-multinode: namespace $NS exists (another run?)" >&2; return 1; }
	ip netns add "$NS" && ip link add mm-n1 type veth peer name mm-n2 && ip link set mm-n2 netns "$NS" &&
		ip addr add "$HOST_IP/24" dev mm-n1 && ip link set mm-n1 up &&
		ip netns exec "$NS" ip addr add "$NODE_IP/24" dev mm-n2 && ip netns exec "$NS" ip link set mm-n2 up &&
		ip netns exec "$NS" ip link set lo up || { echo "swarm-multinode: cannot set up $NS" >&2; return 1; }
	mkdir -p "$NODE/data" "$NODE/exec"
	# nsenter, not `ip netns exec`: that one remounts /sys, hiding the cgroups dockerd needs.
	nsenter --net=/var/run/netns/"$NS" dockerd --data-root "$NODE/data" --exec-root "$NODE/exec" \
		--pidfile "$NODE/dockerd.pid" -H "$NODE_SOCK" --bip 172.31.0.1/24 --iptables=false --ip-masq=false \
		>"$NODE/dockerd.log" 2>&1 &
	local i
	for ((i = 0; i < 120; i++)); do
		curl -sf --max-time 2 --unix-socket "$NODE/docker.sock" http://localhost/_ping >/dev/null 2>&1 && break
		sleep 0.5
	done
	[ $i -lt 120 ] || { echo "swarm-multinode: the second dockerd did not answer in 60 s:" >&2; tail -5 "$NODE/dockerd.log" >&2; return 1; }
	docker save minimesos-test/mesos-agent:test minimesos-test/zookeeper:test | D2 load >/dev/null ||
		{ echo "swarm-multinode: cannot load the agent and zookeeper images on node 2" >&2; return 1; }
}

# Nothing of the folder on node 2 either, and no record (the lib checks
# engine 1, and waits up to 10 s for the overlay network to go).
SUITE_NETWORK_WAIT=10
suite_assert_more() { # folder
	local n
	n=$(D2 ps -aq --filter "label=$LABEL_DIR=$1" | grep -c . || true)
	[ "$n" = 0 ] || { echo "  $n container(s) of $1 remain on engine 1 ($NODE_SOCK)"; return 1; }
	assert_no_record "$1"
}
write_config() { # dir agents
	local i
	{
		echo 'minimesos {'
		echo "    timeout = 90"
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo '    master { imageName = "minimesos-test/mesos-master"; imageTag = "test" }'
		for ((i = 0; i < $2; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"test\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		echo '}'
	} >"$1/minimesosFile"
}

t_refused() {
	write_config "$PWD" 2
	local rc
	"$MM" up --swarm --engine unix:///var/run/docker.sock --engine "$NODE_SOCK" --pull never >out 2>err; rc=$?
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; sed 's/^/    /' err; return 1; }
	# The engine creates it, then refuses to start it on a network it does not know.
	grep -Eq "^minimesos: (creating|starting) container minimesos-agent-[0-9-]+.*on engine 1 \($NODE_SOCK\)" err ||
		{ echo "  the error does not name the container and engine 1:"; sed 's/^/    /' err; return 1; }
	grep -q "^removed the [0-9]* containers\? of cluster" err || { echo "  no clean-up said:"; sed 's/^/    /' err; return 1; }
	assert_clean "$PWD"
}

t_two_nodes() {
	write_config "$PWD" 4
	local out id c
	out=$("$MM" up --swarm --engine unix:///var/run/docker.sock --engine "$NODE_SOCK" --pull never 2>err) ||
		{ echo "  up --swarm failed:"; sed 's/^/    /' err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ -n "$id" ] || { echo "  no cluster id: $out"; return 1; }
	# Node 2 runs agents 1 and 3, labelled with its engine; node 1 the rest.
	[ "$(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Label "org.minimesos.agent"}}' | sort | tr '\n' ' ')" = "1 3 " ] ||
		{ echo "  node 2 runs: $(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Names}}')"; return 1; }
	for c in $(D2 ps -q --filter "label=org.minimesos.cluster-id=$id"); do
		[ "$(D2 inspect -f '{{index .Config.Labels "org.minimesos.node"}}' "$c")" = "$NODE_SOCK" ] ||
			{ echo "  $c on node 2 lacks its node label"; return 1; }
	done
	[ "$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | grep -c .)" = 4 ] ||
		{ echo "  node 1 should run zookeeper, master and agents 0 and 2"; return 1; }
	# The master counts all four: node 2's agents reached it over the overlay.
	[ "$("$MM" state | jq .activated_slaves)" = 4 ] || { echo "  the master does not count 4 agents"; return 1; }
	[ "$(tail -n +2 .minimesos/minimesos.cluster)" = "engine unix:///var/run/docker.sock
engine $NODE_SOCK" ] || { echo "  record: $(cat .minimesos/minimesos.cluster)"; return 1; }
	"$MM" ps >/dev/null 2>ps.err || { echo "  ps failed: $(cat ps.err)"; return 1; }
	# Agent 1 lives on node 2: stop and start reach it through node 2's engine.
	"$MM" agent stop 1 >/dev/null 2>stop.err || { echo "  agent stop 1 failed: $(cat stop.err)"; return 1; }
	[ "$(D2 ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.agent=1 | grep -c .)" = 0 ] ||
		{ echo "  agent 1 still runs on node 2 after agent stop"; return 1; }
	"$MM" agent start 1 >/dev/null 2>start.err || { echo "  agent start 1 failed: $(cat start.err)"; return 1; }
	[ "$("$MM" state | jq .activated_slaves)" = 4 ] || { echo "  4 agents not active again after agent start 1"; return 1; }
	# up with a fifth agent in the file changes the cluster in place, on
	# both engines: a --place rule puts agent 4 on node 2; the others stay.
	local before after
	before=$( (docker ps -q --filter "label=org.minimesos.cluster-id=$id"; D2 ps -q --filter "label=org.minimesos.cluster-id=$id") | sort)
	write_config "$PWD" 5
	"$MM" up --swarm --place agent:4=1 >/dev/null 2>up.err || { echo "  up of 5 agents failed: $(cat up.err)"; return 1; }
	after=$( (docker ps -q --filter "label=org.minimesos.cluster-id=$id"; D2 ps -q --filter "label=org.minimesos.cluster-id=$id") | sort)
	[ "$(comm -23 <(echo "$before") <(echo "$after"))" = "" ] || { echo "  up replaced containers it should have kept"; return 1; }
	[ "$(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Label "org.minimesos.agent"}}' | sort | tr '\n' ' ')" = "1 3 4 " ] ||
		{ echo "  after up of 5 agents, node 2 runs: $(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Names}}')"; return 1; }
	[ "$("$MM" state | jq .activated_slaves)" = 5 ] || { echo "  the master does not count 5 agents after up"; return 1; }
	# agent add places agents as up does by default: agent 5 on node 2, agent 6 on node 1.
	"$MM" agent add --count 2 >/dev/null 2>add.err || { echo "  agent add --count 2 failed: $(cat add.err)"; return 1; }
	[ "$(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Label "org.minimesos.agent"}}' | sort | tr '\n' ' ')" = "1 3 4 5 " ] ||
		{ echo "  after agent add, node 2 runs: $(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Names}}')"; return 1; }
	[ "$(docker ps --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.agent=6 --format '{{.Label "org.minimesos.node"}}')" = "unix:///var/run/docker.sock" ] ||
		{ echo "  agent 6 is not on node 1"; return 1; }
	grep -q "^Started minimesos-agent-.* on $NODE_SOCK$" add.err || { echo "  agent add did not say node 2: $(cat add.err)"; return 1; }
	[ "$("$MM" state | jq .activated_slaves)" = 7 ] || { echo "  the master does not count 7 agents after agent add"; return 1; }
	# The record lost: the labels name both engines again. ps restores
	# the record with them; lost once more, destroy still removes node 2's
	# agents.
	rm .minimesos/minimesos.cluster
	"$MM" ps >/dev/null 2>ps.err || { echo "  ps without the record failed: $(cat ps.err)"; return 1; }
	[ "$(tail -n +2 .minimesos/minimesos.cluster)" = "engine unix:///var/run/docker.sock
engine $NODE_SOCK" ] || { echo "  restored record: $(cat .minimesos/minimesos.cluster)"; return 1; }
	rm .minimesos/minimesos.cluster
	out=$("$MM" destroy 2>&1) || { echo "  destroy failed: $out"; return 1; }
	[ -z "$(D2 ps -aq --filter "label=org.minimesos.cluster-id=$id")" ] ||
		{ echo "  destroy without the record left on node 2: $(D2 ps -a --filter "label=org.minimesos.cluster-id=$id" --format '{{.Names}}')"; return 1; }
	assert_clean "$PWD"
}

# ZooKeeper on node 2; the record lost; the file given one more agent: up
# reads the cluster on both engines (the labels name them), so the new
# agent gets ZooKeeper's real address, and the master counts both.
t_record_lost_zookeeper_on_node2() {
	write_config "$PWD" 1
	local out id zk
	out=$("$MM" up --swarm --engine unix:///var/run/docker.sock --engine "$NODE_SOCK" --place zookeeper=1 --pull never 2>err) ||
		{ echo "  up --swarm with zookeeper on node 2 failed:"; sed 's/^/    /' err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ "$(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Label "org.minimesos.role"}}')" = zookeeper ] ||
		{ echo "  node 2 runs: $(D2 ps --filter "label=org.minimesos.cluster-id=$id" --format '{{.Names}}')"; return 1; }
	zk=$(D2 inspect -f "{{(index .NetworkSettings.Networks \"minimesos-$id\").IPAddress}}" \
		"$(D2 ps -q --filter "label=org.minimesos.cluster-id=$id")")
	rm .minimesos/minimesos.cluster
	write_config "$PWD" 2
	"$MM" up >up.out 2>up.err || { echo "  up without the record failed: $(cat up.err)"; return 1; }
	grep -qx "+ agent 1" up.out || { echo "  up said: $(cat up.out)"; return 1; }
	[ "$("$MM" state | jq .activated_slaves)" = 2 ] || { echo "  the master does not count 2 agents"; return 1; }
	# Agent 1 goes on node 2 (1 mod 2).
	local c
	c=$(D2 ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.agent=1)
	[ -n "$c" ] || { echo "  agent 1 is not on node 2"; return 1; }
	D2 inspect "$c" | jq -r '.[0].Config.Env[]' | grep -qx "MESOS_MASTER=zk://$zk:2181/mesos" ||
		{ echo "  agent 1's MESOS_MASTER: $(D2 inspect "$c" | jq -r '.[0].Config.Env[]' | grep MESOS_MASTER)"; return 1; }
	"$MM" destroy >/dev/null 2>&1 || { echo "  destroy failed"; return 1; }
	assert_clean "$PWD"
}

swarm_begin || exit 1
[ "$(docker info --format '{{.Swarm.NodeAddr}}')" = "$HOST_IP" ] ||
	{ echo "swarm-multinode: the engine is in a swarm advertising $(docker info --format '{{.Swarm.NodeAddr}}'), which node 2 cannot reach" >&2; exit 1; }
node_start || exit 1

suite_case refused
# Node 2 joins as a worker; wait (bounded) until the manager lists it Ready.
D2 swarm join --token "$(docker swarm join-token -q worker)" --advertise-addr "$NODE_IP" "$HOST_IP:2377" >/dev/null ||
	{ echo "swarm-multinode: node 2 could not join" >&2; exit 1; }
for ((i = 0; i < 60; i++)); do
	[ "$(docker node ls --format '{{.Status}}' | grep -c Ready)" -ge 2 ] && break
	sleep 0.5
done
suite_case two_nodes
suite_case record_lost_zookeeper_on_node2
suite_summary
