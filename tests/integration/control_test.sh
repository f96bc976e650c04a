#!/usr/bin/env bash
# Changing a running cluster on the local stand-ins (tests/standin/CONTRACT.md):
# agent add (one, several, like another block), list, stop, start, remove;
# stop and start of the master, Marathon and ZooKeeper; wait for agents, a
# task, an app; and the failures: no cluster, a stale record, the last agent,
# an unknown id or role, the master stopped while waiting, SIGINT during
# agent add, ZooKeeper back at another IP. Each case runs in its own folder
# and afterwards nothing labelled with that folder or its cluster id may
# remain. run.sh runs this file as one of its suites; alone:
#
#   MINIMESOS=build/minimesos bash tests/integration/control_test.sh [CASE...]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"

suite_init control mm-control-test
suite_need_engine
suite_need_images zookeeper mesos-master mesos-agent marathon
# The containers t_zookeeper_restart runs to take ZooKeeper's address.
suite_remove_more() {
	local ids
	ids=$(docker ps -aq --filter "label=mm-control-probe=$1" 2>/dev/null)
	[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	return 0
}
suite_case_setup() { id=""; }

# ---- helpers (as in run.sh) ----
count_role() { # folder role [status]
	docker ps -aq --filter "label=$LABEL_DIR=$1" --filter "label=org.minimesos.role=$2" \
		${3:+--filter status=$3} | grep -c . || true
}
write_config() { # dir agents extra
	local i
	{
		echo 'minimesos {'
		echo "    clusterName = \"control-$(basename "$1")\""
		echo '    timeout = 30'
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo '    master { imageName = "minimesos-test/mesos-master"; imageTag = "test" }'
		for ((i = 0; i < ${2:-1}; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"test\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		printf '%s\n' "${3:-}"
		echo '}'
	} >"$1/minimesosFile"
}
# Time to notice a stopped agent: the stand-in master takes 2 s; 20 s leaves
# room for a loaded machine (and for an image of an older stand-in).
NOTICE=20

# ---- cases ----

# Add one, then two like the second agent block; they carry the cluster's
# labels, the master counts them, list shows them, destroy removes them.
t_add_list_remove() {
	write_config "$PWD" 2
	up || return 1
	local out
	out=$("$MM" agent add 2>err) || { echo "  agent add failed:"; cat err; return 1; }
	[ "$(grep -c '^[0-9]' <<<"$out")" = 3 ] || { echo "  add printed: $out"; return 1; }
	grep -q "Master counts the new agent active" err || { echo "  add said: $(cat err)"; return 1; }
	[ "$(activated)" = 3 ] || { echo "  activated_slaves $(activated), want 3"; return 1; }
	# The new container: the cluster's labels, its number, the next position.
	local new
	new=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.agent=2)
	[ -n "$new" ] || { echo "  no container labelled as agent 2"; return 1; }
	[ "$(docker inspect -f '{{index .Config.Labels "org.minimesos.cluster-id"}} {{index .Config.Labels "org.minimesos.role"}} {{index .Config.Labels "org.minimesos.config"}} {{index .Config.Labels "org.minimesos.index"}}' "$new")" = \
		"$id agent $PWD/minimesosFile 4" ] || { echo "  labels: $(docker inspect -f '{{json .Config.Labels}}' "$new")"; return 1; }
	docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$new" | grep -qx 'MESOS_PORT=5051' ||
		{ echo "  agent 2 is not like agent block 0"; return 1; }
	out=$("$MM" agent add --like 1 --count 2 2>err) || { echo "  agent add --like 1 --count 2 failed:"; cat err; return 1; }
	[ "$(count_role "$PWD" agent running)" = 5 ] || { echo "  $(count_role "$PWD" agent running) agents run, want 5"; return 1; }
	[ "$(activated)" = 5 ] || { echo "  activated_slaves $(activated), want 5"; return 1; }
	for n in 3 4; do
		docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' \
			"$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.agent=$n)" |
			grep -qx 'MESOS_PORT=5052' || { echo "  agent $n is not like agent block 1"; return 1; }
	done
	out=$("$MM" agent list) || { echo "  agent list failed"; return 1; }
	[ "$(awk 'NR > 1 { print $1 ":" $3 ":" $4 }' <<<"$out" | paste -sd' ')" = \
		"0:running:active 1:running:active 2:running:active 3:running:active 4:running:active" ] ||
		{ echo "  agent list: $out"; return 1; }
	# The other commands see the added agents.
	"$MM" info | grep -q '^export MINIMESOS_AGENT=' || { echo "  info lost the agents"; return 1; }
	[ "$("$MM" state | jq '.slaves | length')" = 5 ] || { echo "  state does not list 5 slaves"; return 1; }
	# Remove one by its short container id: the numbers of the others stay.
	local short
	short=$(awk '$1 == 3 { print $2 }' <<<"$out")
	"$MM" agent remove "$short" 2>err || { echo "  agent remove $short failed: $(cat err)"; return 1; }
	[ "$(count_role "$PWD" agent)" = 4 ] || { echo "  $(count_role "$PWD" agent) agents after remove"; return 1; }
	[ "$("$MM" agent list | awk 'NR > 1 { print $1 }' | paste -sd,)" = 0,1,2,4 ] || { echo "  numbers changed"; return 1; }
	destroy_clean "$id"
}

# Stop an agent: the master counts it inactive; start it: active again.
t_stop_start() {
	write_config "$PWD" 2
	up || return 1
	"$MM" agent stop 1 2>err || { echo "  agent stop failed: $(cat err)"; return 1; }
	[ "$(count_role "$PWD" agent running)" = 1 ] || { echo "  agent 1 still runs"; return 1; }
	local out
	out=$("$MM" wait --agents 1 --timeout $NOTICE 2>err) || { echo "  wait --agents 1: $(cat err)"; return 1; }
	grep -q '^activated_slaves = 1, deactivated_slaves = 1$' <<<"$out" || { echo "  wait printed: $out"; return 1; }
	out=$("$MM" agent list)
	[ "$(awk '$1 == 1 { print $3 ":" $4 ":" $5 }' <<<"$out")" = "exited:inactive:-" ] || { echo "  list: $out"; return 1; }
	# Stopping a stopped agent changes nothing and succeeds.
	"$MM" agent stop 1 2>err || { echo "  second stop failed: $(cat err)"; return 1; }
	"$MM" agent start 1 2>err || { echo "  agent start failed: $(cat err)"; return 1; }
	grep -q "Master counts agent 1 active" err || { echo "  start said: $(cat err)"; return 1; }
	out=$("$MM" wait --agents 2 --timeout 5 2>/dev/null) || { echo "  wait --agents 2 after start"; return 1; }
	grep -q '^activated_slaves = 2, deactivated_slaves = 0$' <<<"$out" || { echo "  wait printed: $out"; return 1; }
	destroy_clean "$id"
}

# No cluster, a stale record, a cluster whose master is stopped: agent add
# fails with exit 1 and creates nothing.
t_add_not_running() {
	write_config "$PWD" 1
	local err rc
	err=$("$MM" agent add 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && [ "$err" = "Cluster ID is not found in $PWD/.minimesos/minimesos.cluster" ] ||
		{ echo "  no cluster: exit $rc: $err"; return 1; }
	mkdir -p .minimesos && echo 4242 >.minimesos/minimesos.cluster
	err=$("$MM" agent add 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "Minimesos cluster 4242 is not running" <<<"$err" || { echo "  stale record: exit $rc: $err"; return 1; }
	[ "$(count_containers "$PWD")" = 0 ] || { echo "  containers were created"; return 1; }
	up || return 1
	"$MM" stop master 2>/dev/null || { echo "  stop master failed"; return 1; }
	err=$("$MM" agent add 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "the master of cluster $id is not running (exited)" <<<"$err" ||
		{ echo "  master stopped: exit $rc: $err"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  add with the master stopped created containers"; return 1; }
	# Its containers gone behind its back: the cluster is not running.
	docker rm -fv $(docker ps -aq --filter "label=$LABEL_DIR=$PWD") >/dev/null
	err=$("$MM" agent add 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "Minimesos cluster $id is not running" <<<"$err" || { echo "  containers gone: exit $rc: $err"; return 1; }
	assert_clean "$PWD" "$id"
}

# The last agent stays; destroy removes everything.
t_remove_last_agent() {
	write_config "$PWD" 1
	up || return 1
	local err rc
	err=$("$MM" agent remove 0 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "agent 0 (minimesos-agent-$id-[0-9]*) is the last agent of cluster $id" <<<"$err" ||
		{ echo "  exit $rc: $err"; return 1; }
	[ "$(count_role "$PWD" agent running)" = 1 ] || { echo "  the agent went"; return 1; }
	[ "$(activated)" = 1 ] || { echo "  activated_slaves $(activated)"; return 1; }
	destroy_clean "$id"
}

# An unknown agent or role: exit 1 with what there is.
t_unknown_id() {
	write_config "$PWD" 1
	up || return 1
	local err rc short
	short=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=agent)
	for c in "agent stop 7" "agent start 7" "agent remove 7" "agent stop nosuchid" "agent start zzzz"; do
		err=$("$MM" $c 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] && grep -q "^minimesos: ${c% *}: no agent .* in cluster $id; its agents: 0 ($short, running)" <<<"$err" ||
			{ echo "  $c: exit $rc: $err"; return 1; }
	done
	err=$("$MM" stop bogus 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && [ "$err" = "minimesos: stop bogus: no role 'bogus' in cluster $id; its roles: zookeeper, master" ] ||
		{ echo "  stop bogus: exit $rc: $err"; return 1; }
	err=$("$MM" start marathon 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "cluster $id has no marathon" <<<"$err" || { echo "  start marathon: exit $rc: $err"; return 1; }
	err=$("$MM" stop agent 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "agents are stopped and started one by one" <<<"$err" || { echo "  stop agent: exit $rc: $err"; return 1; }
	[ "$(count_role "$PWD" agent running)$(count_role "$PWD" master running)" = 11 ] || { echo "  something stopped"; return 1; }
	destroy_clean "$id"
}

# The master stopped: wait times out saying so; started again, the agents
# find it and wait succeeds.
t_master_stop_wait() {
	write_config "$PWD" 1
	up || return 1
	"$MM" stop master 2>err || { echo "  stop master: $(cat err)"; return 1; }
	[ "$(count_role "$PWD" master running)" = 0 ] || { echo "  the master runs"; return 1; }
	[ "$(count_role "$PWD" agent running)" = 1 ] || { echo "  the agent stopped too"; return 1; }
	local err rc start=$SECONDS
	err=$("$MM" wait --agents 1 --timeout 3 2>&1 >/dev/null); rc=$?
	local took=$((SECONDS - start))
	[ $rc = 1 ] || { echo "  wait exited $rc"; return 1; }
	((took >= 2 && took <= 8)) || { echo "  wait --timeout 3 took $took s"; return 1; }
	grep -q "^minimesos: wait: timed out after 3 s waiting for 1 active agent; last seen: the master is not running (exited)$" <<<"$err" ||
		{ echo "  wait said: $err"; return 1; }
	[ "$("$MM" agent list | awk 'NR == 2 { print $4 }')" = "?" ] || { echo "  list: master column not '?'"; return 1; }
	"$MM" start master 2>err || { echo "  start master: $(cat err)"; return 1; }
	grep -q "Master ready: 1 agent active" err || { echo "  start said: $(cat err)"; return 1; }
	"$MM" wait --agents 1 --timeout 5 >/dev/null 2>&1 || { echo "  wait after start"; return 1; }
	# wait --timeout 0 asks once.
	"$MM" wait --agents 1 --timeout 0 >/dev/null 2>&1 || { echo "  wait --timeout 0"; return 1; }
	destroy_clean "$id"
}

# SIGINT while agent add creates and starts its agents: exit 130, every agent
# it made removed, the cluster as it was.
t_sigint_add() {
	write_config "$PWD" 1
	up || return 1
	"$MM" agent add --count 8 >out 2>err &
	local pid=$! i
	for ((i = 0; i < 200; i++)); do
		[ "$(count_containers "$PWD")" -gt 3 ] && break
		sleep 0.05
	done
	[ "$(count_containers "$PWD")" -gt 3 ] || { echo "  no agent was created"; kill -INT $pid; wait $pid; return 1; }
	kill -INT $pid
	wait $pid; local rc=$?
	[ $rc = 130 ] || { echo "  exit $rc after SIGINT (want 130): $(cat err)"; return 1; }
	grep -q "interrupted" err && grep -q "removed the [0-9]* agents\? this add created" err ||
		{ echo "  said: $(cat err)"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  $(count_containers "$PWD") containers after the interrupted add"; return 1; }
	[ "$("$MM" agent list | grep -c '^[0-9]')" = 1 ] || { echo "  agent list after the interrupted add"; return 1; }
	[ ! -s out ] || { echo "  printed a result: $(cat out)"; return 1; }
	destroy_clean "$id"
}

# Tasks and apps: wait for a task's state and a healthy app; Marathon
# stopped and started again.
t_wait_task_app() {
	write_config "$PWD" 1 '
    marathon { imageName = "minimesos-test/marathon"; imageTag = "test" }'
	up || return 1
	echo '{"id": "web", "cmd": "serve", "instances": 2}' >web.json
	"$MM" install --app web.json >/dev/null 2>err || { echo "  install: $(cat err)"; return 1; }
	local out err rc
	out=$("$MM" wait --app web --timeout 20 2>err) || { echo "  wait --app web: $(cat err)"; return 1; }
	[ "$out" = "app /web: 2 of 2 tasks running" ] || { echo "  wait --app printed: $out"; return 1; }
	out=$("$MM" wait --task web --state TASK_RUNNING --agents 1 --timeout 20 2>err) ||
		{ echo "  wait --task web: $(cat err)"; return 1; }
	grep -q "^activated_slaves = 1, deactivated_slaves = 0; web\.[0-9a-f]*-[0-9a-f]* TASK_RUNNING" <<<"$out" ||
		{ echo "  wait --task printed: $out"; return 1; }
	err=$("$MM" wait --task nope --timeout 1 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "waiting for task 'nope' TASK_RUNNING; last seen: no task matches 'nope'" <<<"$err" ||
		{ echo "  wait --task nope: exit $rc: $err"; return 1; }
	err=$("$MM" wait --task web --state TASK_FINISHED --timeout 1 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "last seen: web.* TASK_RUNNING" <<<"$err" || { echo "  wait TASK_FINISHED: exit $rc: $err"; return 1; }
	err=$("$MM" wait --app nope --timeout 1 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "last seen: Marathon has no app /nope" <<<"$err" || { echo "  wait --app nope: exit $rc: $err"; return 1; }
	"$MM" stop marathon 2>/dev/null || { echo "  stop marathon"; return 1; }
	err=$("$MM" wait --app web --timeout 1 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "last seen: Marathon is not running (exited)" <<<"$err" || { echo "  wait, Marathon stopped: exit $rc: $err"; return 1; }
	"$MM" start marathon 2>err || { echo "  start marathon: $(cat err)"; return 1; }
	grep -q "Marathon ready" err || { echo "  start marathon said: $(cat err)"; return 1; }
	destroy_clean "$id"
}

# ZooKeeper stopped and started: when the engine gives it another IP (here
# a container takes its old one meanwhile), start says the cluster cannot
# reach it and that `minimesos up` recreates what points at the old
# address; when it gets its IP back, the cluster works on.
t_zookeeper_restart() {
	write_config "$PWD" 1
	up || return 1
	local zk old new probe err rc
	zk=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=zookeeper)
	old=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "$zk")
	"$MM" stop zookeeper 2>/dev/null || { echo "  stop zookeeper"; return 1; }
	probe=$(docker run -d --label "mm-control-probe=$PWD" minimesos-test/zookeeper:test) || { echo "  probe"; return 1; }
	err=$("$MM" start zookeeper 2>&1 >/dev/null); rc=$?
	new=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "$zk")
	docker rm -fv "$probe" >/dev/null
	if [ "$new" != "$old" ]; then
		[ $rc = 1 ] && grep -q "zookeeper (minimesos-zookeeper-$id-[0-9]*) runs again, at $new, but .* was created to reach it at $old" <<<"$err" ||
			{ echo "  zookeeper moved $old -> $new: exit $rc: $err"; return 1; }
		# The way out it names (reconcile_test's zookeeper_moved follows it).
		grep -qF "cannot reach its zookeeper; run \`minimesos up\` in $PWD to recreate the containers that point at the old address" <<<"$err" ||
			{ echo "  no hint to run up: $err"; return 1; }
	else
		[ $rc = 0 ] || { echo "  zookeeper back at $old: exit $rc: $err"; return 1; }
		"$MM" wait --agents 1 --timeout 10 >/dev/null 2>&1 || { echo "  the cluster does not work after the restart"; return 1; }
	fi
	destroy_clean "$id"
}

# Every command of this file under valgrind on a live cluster (threads, the
# engine, the master): no invalid access, no definite or indirect leak.
t_valgrind() {
	command -v valgrind >/dev/null || { echo "  valgrind is needed (scripts/deps.sh test)"; return 1; }
	if grep -qa __asan_init "$MM"; then return 0; fi   # an ASan build: ASan checks it
	write_config "$PWD" 1
	up || return 1
	local vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect)
	local cmd rc
	for cmd in "agent add --count 2" "agent list" "agent stop 1" "wait --agents 2 --timeout $NOTICE" \
		"agent start 1" "agent remove 2" "wait --agents 9 --timeout 1" "stop master" "start master" \
		"agent stop 7" "agent remove 5"; do
		# shellcheck disable=SC2086
		"${vg[@]}" "$MM" $cmd >out 2>err; rc=$?
		case "$cmd" in
		"wait --agents 9"* | "agent stop 7" | "agent remove 5") [ $rc = 1 ] || { echo "  valgrind $cmd: exit $rc"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; } ;;
		*) [ $rc = 0 ] || { echo "  valgrind $cmd: exit $rc"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; } ;;
		esac
	done
	destroy_clean "$id"
}

ALL=(add_list_remove stop_start add_not_running remove_last_agent unknown_id master_stop_wait sigint_add
	wait_task_app zookeeper_restart valgrind)
suite_main "$@"
