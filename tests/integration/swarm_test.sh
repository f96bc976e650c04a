#!/usr/bin/env bash
# `up --swarm` on a single-node swarm that this suite starts on the test
# engine (tests/docker/swarm.sh: under /tmp/minimesos-swarm.lock for the
# whole suite, `docker swarm init --advertise-addr 127.0.0.1` only when the
# engine is in none, left only when this suite initialised it). Cases: one
# and four agents ready over the cluster's overlay network, ps, state, info
# and destroy answering, the record listing the engine, every container on
# the overlay network labelled with its node, agent add placing new agents
# there too; an --engine that cannot be
# reached fails up naming it and leaves nothing; a --place rule the cluster
# cannot follow fails before anything exists. Each case runs in its own
# folder; afterwards nothing labelled with it (container, volume, network)
# may remain. run.sh runs this file as one of its suites; alone:
#
#   MINIMESOS=build/minimesos bash tests/integration/swarm_test.sh [CASE...]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"
# shellcheck source=../docker/swarm.sh
. "$top/tests/docker/swarm.sh"

suite_init swarm mm-swarm-test
suite_need_engine
suite_need_images zookeeper mesos-master mesos-agent
# The engine removes a swarm-scoped network in the background after it
# answered the DELETE: give the listing up to 10 s to catch up.
SUITE_NETWORK_WAIT=10
suite_end() { swarm_end; }

swarm_begin || exit 1

write_config() { # dir agents
	local i
	{
		echo 'minimesos {'
		echo "    clusterName = \"swarm-$(basename "$1")\""
		echo "    timeout = 60"
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo '    master { imageName = "minimesos-test/mesos-master"; imageTag = "test" }'
		for ((i = 0; i < $2; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"test\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		echo '}'
	} >"$1/minimesosFile"
}

# up --swarm with N agents, and everything the cluster must then answer.
swarm_up_check() { # agents
	local n=$1 out id net
	write_config "$PWD" "$n"
	"$MM" up --dry-run >plan.json || { echo "  up --dry-run failed"; return 1; }
	out=$("$MM" up --swarm 2>err) || { echo "  up --swarm failed:"; sed 's/^/    /' err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ -n "$id" ] || { echo "  up printed no cluster id: $out"; return 1; }
	grep -q "^Created overlay network minimesos-$id on " err || { echo "  no overlay network reported"; cat err; return 1; }
	# The record: the id, then the engine.
	[ "$(sed -n 1p .minimesos/minimesos.cluster)" = "$id" ] || { echo "  record does not start with $id"; return 1; }
	grep -qx "engine unix:///var/run/docker.sock" .minimesos/minimesos.cluster ||
		{ echo "  record does not list the engine: $(cat .minimesos/minimesos.cluster)"; return 1; }
	# One overlay network, attachable, labelled with the cluster.
	net=$(docker network ls -q --filter "label=org.minimesos.cluster-id=$id")
	[ "$(grep -c . <<<"$net")" = 1 ] || { echo "  expected one network of cluster $id, got: $net"; return 1; }
	[ "$(docker network inspect -f '{{.Driver}} {{.Attachable}} {{.Name}}' "$net")" = "overlay true minimesos-$id" ] ||
		{ echo "  network: $(docker network inspect -f '{{.Driver}} {{.Attachable}} {{.Name}}' "$net")"; return 1; }
	# Every container on it (and on no other network), labelled with its node.
	local c total=0
	for c in $(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter status=running); do
		total=$((total + 1))
		[ "$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$c")" = "minimesos-$id " ] ||
			{ echo "  container $c networks: $(docker inspect -f '{{json .NetworkSettings.Networks}}' "$c" | head -c 300)"; return 1; }
		[ "$(docker inspect -f '{{index .Config.Labels "org.minimesos.node"}}' "$c")" = "unix:///var/run/docker.sock" ] ||
			{ echo "  container $c lacks the node label"; return 1; }
		# privileged, pid mode and binds as the plain plan has them for its role
		local role got want
		role=$(docker inspect -f '{{index .Config.Labels "org.minimesos.role"}}' "$c")
		got=$(docker inspect "$c" | jq -c '.[0].HostConfig | [.Privileged, (.PidMode // ""), (.Binds // [])]')
		want=$(jq -c --arg r "$role" '[.containers[] | select(.role == $r)][0].create.body.HostConfig
			| [.Privileged, (.PidMode // ""), (.Binds // [])]' plan.json)
		[ "$got" = "$want" ] || { echo "  $role $c: privileged, pid, binds $got, the plan says $want"; return 1; }
	done
	[ "$total" = $((n + 2)) ] || { echo "  expected $((n + 2)) running containers, got $total"; return 1; }
	# The master counts every agent, and reaches the zookeeper at its overlay address.
	local state zk_ip
	state=$("$MM" state) || { echo "  state failed"; return 1; }
	[ "$(jq .activated_slaves <<<"$state")" = "$n" ] || { echo "  activated_slaves: $(jq .activated_slaves <<<"$state"), want $n"; return 1; }
	zk_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"minimesos-$id\").IPAddress}}" \
		"$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.role=zookeeper)")
	[ "$(jq -r .flags.zk <<<"$state")" = "zk://$zk_ip:2181/mesos" ] ||
		{ echo "  master's zk $(jq -r .flags.zk <<<"$state"), the zookeeper is at $zk_ip on the overlay"; return 1; }
	# Each agent registered with its overlay address.
	local ips
	ips=$(jq -r '[.slaves[].hostname] | length' <<<"$state")
	[ "$ips" = "$n" ] || { echo "  $ips agents in the master's state"; return 1; }
	"$MM" ps >ps.out 2>ps.err || { echo "  ps failed: $(cat ps.err)"; return 1; }
	grep -q '^FRAMEWORK' ps.out || { echo "  ps printed no table: $(cat ps.out)"; return 1; }
	"$MM" info >info.out 2>info.err || { echo "  info failed: $(cat info.err)"; return 1; }
	# info: the master's IP is its overlay address, its URL one this host reaches.
	local master_ip master_url
	master_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"minimesos-$id\").IPAddress}}" \
		"$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.role=master)")
	grep -qx "export MINIMESOS_MASTER=.*; export MINIMESOS_MASTER_IP=$master_ip" info.out ||
		{ echo "  info's master IP is not $master_ip: $(cat info.out)"; return 1; }
	local gw
	gw=$(docker network inspect -f '{{(index .IPAM.Config 0).Gateway}}' "$net")
	grep -qx "export MINIMESOS_NETWORK_GATEWAY=$gw" info.out ||
		{ echo "  info's gateway is not the overlay's, $gw: $(grep GATEWAY info.out)"; return 1; }
	master_url=$(sed -n 's/^export MINIMESOS_MASTER=\([^;]*\);.*/\1/p' info.out)
	[ "$(curl -sf --max-time 5 "$master_url/state.json" | jq .activated_slaves)" = "$n" ] ||
		{ echo "  GET $master_url/state.json from this host did not count $n agents"; return 1; }
	if [ "$n" = 1 ]; then
		# up changes a swarm cluster in place, on its engines: one more
		# agent in the file is one more agent on the overlay; what did not
		# change keeps its container.
		local before after
		before=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
		write_config "$PWD" 2
		"$MM" up --dry-run >re.out 2>re.err || { echo "  up --dry-run on a changed swarm cluster failed: $(cat re.err)"; return 1; }
		grep -qx "+ agent 1" re.out || { echo "  up --dry-run said: $(cat re.out)"; return 1; }
		after=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
		[ "$before" = "$after" ] || { echo "  up --dry-run changed the swarm cluster"; return 1; }
		# --engine other than the record's: refused, nothing changed.
		if "$MM" up --swarm --engine unix:///nonexistent.sock >re.out 2>re.err; then
			echo "  up --swarm with other engines on a running swarm cluster succeeded"; return 1
		fi
		grep -q "cluster $id runs on the engines .* not on .*nonexistent.sock.*nothing changed" re.err ||
			{ echo "  up --swarm with other engines said: $(cat re.err)"; return 1; }
		"$MM" up >re.out 2>re.err || { echo "  up on a changed swarm cluster failed: $(cat re.err)"; return 1; }
		[ "$("$MM" state | jq .activated_slaves)" = 2 ] || { echo "  the master does not count 2 agents after up"; return 1; }
		after=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
		[ "$(comm -23 <(echo "$before") <(echo "$after"))" = "" ] || { echo "  up replaced containers it should have kept"; return 1; }
		local c
		for c in $(comm -13 <(echo "$before") <(echo "$after")); do
			[ "$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$c")" = "minimesos-$id " ] ||
				{ echo "  the agent up added is not on the overlay only"; return 1; }
			[ "$(docker inspect -f '{{index .Config.Labels "org.minimesos.node"}}' "$c")" = "unix:///var/run/docker.sock" ] ||
				{ echo "  the agent up added lacks the node label"; return 1; }
		done
		"$MM" up >re.out 2>re.err || { echo "  up once more failed: $(cat re.err)"; return 1; }
		grep -q "is up to date" re.err re.out || { echo "  up once more said: $(cat re.out re.err)"; return 1; }
		before=$after
		# A record that lost its engine lines: agent add cannot tell where
		# new agents go; it says so and changes nothing.
		cp .minimesos/minimesos.cluster record.bak
		echo "$id" >.minimesos/minimesos.cluster
		if "$MM" agent add >add.out 2>add.err; then echo "  agent add without the record's engines succeeded"; return 1; fi
		grep -q "was started with up --swarm, but .*minimesos.cluster does not list its engines: .*nothing changed" add.err ||
			{ echo "  agent add without the record's engines said: $(cat add.err)"; return 1; }
		cp record.bak .minimesos/minimesos.cluster
		after=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
		[ "$before" = "$after" ] || { echo "  a refused agent add changed the swarm cluster"; return 1; }
		# agent add places new agents on the overlay, on the engine of the
		# record, and the master counts them.
		"$MM" agent add --count 2 >add.out 2>add.err || { echo "  agent add failed: $(cat add.err)"; return 1; }
		[ "$(grep -c "^Started minimesos-agent-.* at .* on unix:///var/run/docker.sock$" add.err)" = 2 ] ||
			{ echo "  agent add did not report two agents on the engine: $(cat add.err)"; return 1; }
		[ "$("$MM" state | jq .activated_slaves)" = 4 ] || { echo "  the master does not count 4 agents after agent add"; return 1; }
		local added=0
		for c in $(docker ps -q --filter "label=org.minimesos.cluster-id=$id" --filter label=org.minimesos.role=agent); do
			case "$before" in *"$c"*) continue ;; esac
			added=$((added + 1))
			[ "$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$c")" = "minimesos-$id " ] ||
				{ echo "  added agent $c networks: $(docker inspect -f '{{json .NetworkSettings.Networks}}' "$c" | head -c 300)"; return 1; }
			[ "$(docker inspect -f '{{index .Config.Labels "org.minimesos.node"}}' "$c")" = "unix:///var/run/docker.sock" ] ||
				{ echo "  added agent $c lacks the node label"; return 1; }
			# No link (the engine of another node could not resolve it): the
			# zookeeper's alias at its overlay address instead.
			[ "$(docker inspect "$c" | jq -c '.[0].HostConfig.Links')" = null ] ||
				{ echo "  added agent $c has links: $(docker inspect "$c" | jq -c '.[0].HostConfig.Links')"; return 1; }
			docker inspect "$c" | jq -r '.[0].HostConfig.ExtraHosts[]' | grep -qx "minimesos-zookeeper:$zk_ip" ||
				{ echo "  added agent $c: ExtraHosts $(docker inspect "$c" | jq -c '.[0].HostConfig.ExtraHosts')"; return 1; }
		done
		[ "$added" = 2 ] || { echo "  $added new agent containers, want 2"; return 1; }
	fi
	out=$("$MM" destroy 2>&1) || { echo "  destroy failed: $out"; return 1; }
	grep -q "Destroyed minimesos cluster $id" <<<"$out" || { echo "  destroy said: $out"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  the record survived destroy"; return 1; }
	assert_clean "$PWD"
}

t_one_agent() { swarm_up_check 1; }
t_four_agents() { swarm_up_check 4; }

# A plain cluster is not turned into a swarm one in place: up --swarm on it
# is refused and leaves it as it was; destroy then removes it.
t_plain_then_swarm() {
	write_config "$PWD" 1
	"$MM" --quiet up >out 2>err || { echo "  up failed: $(cat err)"; return 1; }
	local id before after rc
	id=$(sed -n 1p .minimesos/minimesos.cluster)
	before=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
	"$MM" up --swarm >out 2>err; rc=$?
	[ $rc = 1 ] || { echo "  up --swarm on a running plain cluster: exit $rc, want 1"; cat err; return 1; }
	grep -q "cluster $id already runs on one engine: up --swarm does not move a running cluster onto a swarm; nothing changed" err ||
		{ echo "  up --swarm said: $(cat err)"; return 1; }
	after=$(docker ps -q --filter "label=org.minimesos.cluster-id=$id" | sort)
	[ "$before" = "$after" ] || { echo "  up --swarm changed the cluster"; return 1; }
	[ -z "$(docker network ls -q --filter "label=org.minimesos.cluster-id=$id" --filter driver=overlay)" ] ||
		{ echo "  up --swarm left an overlay network"; return 1; }
	"$MM" destroy >/dev/null 2>&1 || { echo "  destroy failed"; return 1; }
	assert_clean "$PWD"
}

t_engine_unreachable() {
	write_config "$PWD" 2
	local rc
	"$MM" up --swarm --engine unix:///var/run/docker.sock --engine unix:///nonexistent.sock >out 2>err; rc=$?
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; cat err; return 1; }
	grep -q "engine 1 (--engine unix:///nonexistent.sock): cannot reach the Docker engine at unix:///nonexistent.sock" err ||
		{ echo "  the error does not name the engine:"; sed 's/^/    /' err; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  a record was left"; return 1; }
	assert_clean "$PWD"
}

t_place_refused() {
	write_config "$PWD" 2
	local rc
	"$MM" up --swarm --place agent=1 >out 2>err; rc=$?
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; cat err; return 1; }
	grep -q -- "--place agent=1: there is 1 engine" err || { echo "  error:"; sed 's/^/    /' err; return 1; }
	"$MM" up --place agent=0 >out 2>err; rc=$?
	[ $rc = 2 ] || { echo "  --place without --swarm: exit $rc, want 2"; return 1; }
	grep -q -- "--place needs --swarm" err || { echo "  error: $(cat err)"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  a record was left"; return 1; }
	assert_clean "$PWD"
}

# The commands of a swarm cluster under valgrind (the engine, the overlay,
# the gwbridge lookups, the record's engines): no invalid access, no definite
# or indirect leak.
t_valgrind() {
	command -v valgrind >/dev/null || { echo "  valgrind is needed (scripts/deps.sh test)"; return 1; }
	if grep -qa __asan_init "$MM"; then return 0; fi   # an ASan build: ASan checks it
	write_config "$PWD" 2
	local vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect)
	local cmd rc
	for cmd in "up --swarm --place agent:1=0" "info" "state" "ps" "agent add" "up --num-agents 1" "destroy" \
		"up --swarm --engine unix:///var/run/docker.sock --engine unix:///nonexistent.sock" "up --swarm --place agent=3"; do
		# shellcheck disable=SC2086
		"${vg[@]}" "$MM" $cmd >out 2>err; rc=$?
		case "$cmd" in
		*nonexistent* | *agent=3) [ $rc = 1 ] || { echo "  valgrind $cmd: exit $rc"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; } ;;
		*) [ $rc = 0 ] || { echo "  valgrind $cmd: exit $rc"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; } ;;
		esac
	done
	assert_clean "$PWD"
}

ALL=(one_agent four_agents plain_then_swarm engine_unreachable place_refused valgrind)
suite_main "$@"
