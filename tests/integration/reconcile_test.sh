#!/usr/bin/env bash
# `up` on a running cluster whose minimesosFile changed, on the local
# stand-ins (tests/standin/CONTRACT.md): agents added and removed, the master
# recreated when its settings change, consul removed, an unchanged file,
# ZooKeeper started again at another IP, a dry run, a missing image.
# Containers whose spec did not change must keep their ids. Each case runs
# in its own folder and afterwards nothing labelled with that folder or its
# cluster id may remain. run.sh runs this file as one of its suites; alone:
#
#   MINIMESOS=build/minimesos bash tests/integration/reconcile_test.sh [CASE...]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"

suite_init reconcile mm-reconcile-test
suite_need_engine
suite_need_images zookeeper mesos-master mesos-agent marathon consul
suite_case_setup() { id=""; }
# The containers t_zookeeper_moved runs to take ZooKeeper's address.
suite_remove_more() {
	local ids
	ids=$(docker ps -aq --filter "label=mm-reconcile-probe=$1" 2>/dev/null)
	[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	return 0
}

# ---- helpers ----
count_role() { # folder role
	docker ps -aq --filter "label=$LABEL_DIR=$1" --filter "label=org.minimesos.role=$2" | grep -c . || true
}
# write_config AGENTS [MASTER-EXTRA] [EXTRA-BLOCKS] [MASTER-TAG]
write_config() {
	local i
	{
		echo 'minimesos {'
		echo '    clusterName = "reconcile"'
		echo '    timeout = 30'
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo "    master { imageName = \"minimesos-test/mesos-master\"; imageTag = \"${4:-test}\"${2:+; $2} }"
		for ((i = 0; i < $1; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"test\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		printf '%s\n' "${3:-}"
		echo '}'
	} >minimesosFile
}
CONSUL='    consul { imageName = "minimesos-test/consul"; imageTag = "test" }'
# "role:agent:id" of every container, sorted: what must not change.
ids_of() { # [role...]: only those roles
	docker ps -a --filter "label=$LABEL_DIR=$PWD" \
		--format '{{.Label "org.minimesos.role"}}:{{.Label "org.minimesos.agent"}}:{{.ID}}' |
		{ if [ $# -gt 0 ]; then grep -E "^($(IFS='|'; echo "$*")):"; else cat; fi; } | sort
}

# ---- cases ----

# 1 agent -> 3: `+ agent 1`, `+ agent 2`; the others keep their ids; the
# master counts 3; the new agents carry the cluster's labels; destroy
# removes them.
t_add_agents() {
	write_config 1 "" "$CONSUL"
	up || return 1
	local before after out
	before=$(ids_of)
	write_config 3 "" "$CONSUL"
	out=$("$MM" up 2>err) || { echo "  reconcile failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "$(printf '+ agent 1\n+ agent 2')" ] ||
		{ echo "  plan printed: $out"; return 1; }
	grep -q "^Minimesos cluster is running: $id\$" <<<"$out" || { echo "  no info for cluster $id: $out"; return 1; }
	after=$(ids_of zookeeper master consul)
	[ "$after" = "$(grep -Ev '^agent:' <<<"$before")" ] || { echo "  ids changed: $before / $after"; return 1; }
	[ "$(ids_of agent | grep '^agent:0:')" = "$(grep '^agent:0:' <<<"$before")" ] || { echo "  agent 0 changed"; return 1; }
	[ "$(count_role "$PWD" agent)" = 3 ] || { echo "  $(count_role "$PWD" agent) agents, want 3"; return 1; }
	[ "$(activated)" = 3 ] || { echo "  activated_slaves $(activated), want 3"; return 1; }
	# Every new container carries the cluster's labels and its spec.
	local c
	for c in $(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=agent); do
		[ "$(docker inspect -f '{{index .Config.Labels "org.minimesos.cluster-id"}}' "$c")" = "$id" ] ||
			{ echo "  $c lacks the cluster id label"; return 1; }
		[ -n "$(docker inspect -f '{{index .Config.Labels "org.minimesos.spec"}}' "$c")" ] ||
			{ echo "  $c lacks the spec label"; return 1; }
	done
	[ "$("$MM" state | jq '.slaves | length')" = 3 ] || { echo "  state does not list 3 slaves"; return 1; }
	"$MM" info | grep -q "^export MINIMESOS_AGENT=" || { echo "  info lost the agents"; return 1; }
	# Back to 2: `- agent 2`; agents 0 and 1 stay.
	before=$(ids_of)
	write_config 2 "" "$CONSUL"
	out=$("$MM" up 2>err) || { echo "  reconcile to 2 failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "- agent 2" ] || { echo "  plan printed: $out"; return 1; }
	[ "$(ids_of)" = "$(grep -v '^agent:2:' <<<"$before")" ] || { echo "  ids changed: $(ids_of)"; return 1; }
	destroy_clean "$id"
}

# A changed master setting: `~ master (...): recreate`; the master is a new
# container, ZooKeeper and the agents are kept (they find the master through
# ZooKeeper). Then consul goes: `- consul`. Then the file unchanged: "up to
# date", exit 0, same ids.
t_recreate_remove_unchanged() {
	write_config 2 "" "$CONSUL"
	up || return 1
	local before out
	before=$(ids_of)
	write_config 2 'loggingLevel = "WARNING"' "$CONSUL"
	out=$("$MM" up 2>err) || { echo "  reconcile failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "~ master (MESOS_LOGGING_LEVEL INFO → WARNING): recreate" ] || { echo "  plan printed: $out"; return 1; }
	[ "$(ids_of zookeeper agent consul)" = "$(grep -v '^master:' <<<"$before")" ] || { echo "  kept ids changed"; return 1; }
	[ "$(ids_of master)" != "$(grep '^master:' <<<"$before")" ] || { echo "  the master was not recreated"; return 1; }
	[ "$(count_role "$PWD" master)" = 1 ] || { echo "  $(count_role "$PWD" master) masters"; return 1; }
	docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$(ids_of master | cut -d: -f3)" |
		grep -qx 'MESOS_LOGGING_LEVEL=WARNING' || { echo "  the new master lacks the new setting"; return 1; }
	[ "$(activated)" = 2 ] || { echo "  activated_slaves $(activated), want 2"; return 1; }
	# consul removed from the file.
	before=$(ids_of)
	write_config 2 'loggingLevel = "WARNING"' ""
	out=$("$MM" up 2>err) || { echo "  reconcile failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "- consul" ] || { echo "  plan printed: $out"; return 1; }
	[ "$(count_role "$PWD" consul)" = 0 ] || { echo "  consul still there"; return 1; }
	[ "$(ids_of)" = "$(grep -v '^consul:' <<<"$before")" ] || { echo "  kept ids changed"; return 1; }
	# Unchanged.
	before=$(ids_of)
	out=$("$MM" up 2>err) || { echo "  up on an unchanged file failed:"; cat err; return 1; }
	[ "$out" = "Cluster $id is up to date" ] || { echo "  up said: $out"; return 1; }
	[ "$(ids_of)" = "$before" ] || { echo "  ids changed"; return 1; }
	destroy_clean "$id"
}

# ZooKeeper recreated: everything that points at it is recreated too, and
# says why.
t_cascade() {
	write_config 1
	up || return 1
	local before out
	before=$(ids_of)
	echo '// a comment changes no container' >>minimesosFile
	out=$("$MM" up 2>&1) || { echo "  up failed: $out"; return 1; }
	[ "$out" = "Cluster $id is up to date" ] || { echo "  a comment changed the plan: $out"; return 1; }
	[ "$(ids_of)" = "$before" ] || { echo "  ids changed"; return 1; }
	# The model of a changed ZooKeeper image: tag the same image anew.
	docker tag minimesos-test/zookeeper:test minimesos-test/zookeeper:reconcile >/dev/null || return 1
	sed -i 's|"minimesos-test/zookeeper"; imageTag = "test"|"minimesos-test/zookeeper"; imageTag = "reconcile"|' minimesosFile
	out=$("$MM" up 2>err); local rc=$?
	docker rmi minimesos-test/zookeeper:reconcile >/dev/null 2>&1
	[ $rc = 0 ] || { echo "  reconcile failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "$(printf '%s\n' \
		'~ zookeeper (image minimesos-test/zookeeper:test → minimesos-test/zookeeper:reconcile): recreate' \
		'~ master (zookeeper recreated): recreate' \
		'~ agent 0 (zookeeper recreated): recreate')" ] || { echo "  plan printed: $out"; return 1; }
	[ "$(activated)" = 1 ] || { echo "  activated_slaves $(activated), want 1"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  $(count_containers "$PWD") containers, want 3"; return 1; }
	destroy_clean "$id"
}

# ZooKeeper started again at another IP (a container of the test took its
# old one meanwhile): `start zookeeper` says so and names `up` as the way
# out; `up --dry-run` shows the master and the agents that point at the old
# address and changes nothing; `up` recreates them (ZooKeeper kept), they
# reach the new address and the master counts the agents again; `up` once
# more is up to date.
t_zookeeper_moved() {
	write_config 2
	up || return 1
	local zk old new held err out rc before want i
	zk=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=zookeeper)
	old=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "$zk")
	"$MM" stop zookeeper 2>/dev/null || { echo "  stop zookeeper"; return 1; }
	# The engine gives a starting container the lowest free address; another
	# suite's container may take a lower one first, so up to 5 probes, until
	# something holds ZooKeeper's.
	for ((i = 0; i < 5; i++)); do
		held=$(docker network inspect bridge -f '{{range .Containers}}{{println .IPv4Address}}{{end}}' | grep -c "^$old/")
		[ "$held" = 0 ] || break
		docker run -d --label "mm-reconcile-probe=$PWD" minimesos-test/zookeeper:test >/dev/null || { echo "  probe"; return 1; }
	done
	err=$("$MM" start zookeeper 2>&1 >/dev/null); rc=$?
	new=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "$zk")
	[ -n "$new" ] && [ "$new" != "$old" ] || { echo "  zookeeper is back at $old (held: $held)"; return 1; }
	[ $rc = 1 ] && grep -qF "was created to reach it at $old" <<<"$err" &&
		grep -qF "run \`minimesos up\` in $PWD to recreate the containers that point at the old address" <<<"$err" ||
		{ echo "  start zookeeper, moved $old -> $new: exit $rc: $err"; return 1; }
	before=$(ids_of)
	want=$(printf '%s\n' "~ master (zookeeper moved $old → $new): recreate" \
		"~ agent 0 (zookeeper moved $old → $new): recreate" "~ agent 1 (zookeeper moved $old → $new): recreate")
	out=$("$MM" up --dry-run 2>err) || { echo "  dry run failed:"; cat err; return 1; }
	[ "$out" = "$want" ] || { echo "  dry run printed: $out"; return 1; }
	out=$("$MM" up --dry-run --format json 2>err) || { echo "  dry run --format json failed:"; cat err; return 1; }
	jq -e --arg r "zookeeper moved $old → $new" '.upToDate == false and
		([.changes[] | [.change, .role, (.agent // -1), .reason]] ==
		 [["recreate", "master", -1, $r], ["recreate", "agent", 0, $r], ["recreate", "agent", 1, $r]])' <<<"$out" >/dev/null ||
		{ echo "  dry run JSON: $out"; return 1; }
	# The inspects and the moved reasons leak nothing (t_valgrind covers up).
	if command -v valgrind >/dev/null && ! grep -qa __asan_init "$MM"; then
		out=$(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect "$MM" up --dry-run 2>err) ||
			{ echo "  valgrind up --dry-run: exit $?"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; }
		[ "$out" = "$want" ] || { echo "  dry run under valgrind printed: $out"; return 1; }
	fi
	[ "$(ids_of)" = "$before" ] || { echo "  the dry run changed the cluster"; return 1; }
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "$want" ] || { echo "  up printed: $out"; return 1; }
	[ "$(ids_of zookeeper)" = "$(grep '^zookeeper:' <<<"$before")" ] || { echo "  zookeeper was not kept"; return 1; }
	for i in master:: agent:0: agent:1:; do
		[ "$(ids_of | grep "^$i")" != "$(grep "^$i" <<<"$before")" ] || { echo "  ${i%%:*} ${i#*:} was not recreated"; return 1; }
	done
	docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$(ids_of master | cut -d: -f3)" |
		grep -qx "MESOS_ZK=zk://$new:2181/mesos" || { echo "  the new master does not reach $new"; return 1; }
	for i in $(ids_of agent | cut -d: -f3); do
		docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$i" |
			grep -qx "MESOS_MASTER=zk://$new:2181/mesos" || { echo "  agent $i does not reach $new"; return 1; }
	done
	[ "$(activated)" = 2 ] || { echo "  activated_slaves $(activated), want 2"; return 1; }
	out=$("$MM" up 2>err) || { echo "  up once more failed:"; cat err; return 1; }
	[ "$out" = "Cluster $id is up to date" ] || { echo "  up once more said: $out"; return 1; }
	suite_remove_more "$PWD"
	destroy_clean "$id"
}

# --dry-run prints the plan and changes nothing.
t_dry_run() {
	write_config 1
	up || return 1
	local before out
	before=$(ids_of)
	write_config 2 'loggingLevel = "WARNING"'
	out=$("$MM" up --dry-run 2>err) || { echo "  dry run failed:"; cat err; return 1; }
	[ "$out" = "$(printf '%s\n' '~ master (MESOS_LOGGING_LEVEL INFO → WARNING): recreate' '+ agent 1')" ] || { echo "  dry run printed: $out"; return 1; }
	[ "$(ids_of)" = "$before" ] || { echo "  the dry run changed the cluster"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  the dry run changed the count"; return 1; }
	out=$("$MM" up --dry-run --format json 2>err) || { echo "  dry run --format json failed:"; cat err; return 1; }
	jq -e --arg id "$id" '.clusterId == $id and .upToDate == false and
		([.changes[] | [.change, .role, (.agent // -1), (.reason // ""), .line]] ==
		 [["recreate", "master", -1, "MESOS_LOGGING_LEVEL INFO → WARNING", "~ master (MESOS_LOGGING_LEVEL INFO → WARNING): recreate"],
		  ["add", "agent", 1, "", "+ agent 1"]])' <<<"$out" >/dev/null || { echo "  dry run JSON: $out"; return 1; }
	[ "$(ids_of)" = "$before" ] || { echo "  the JSON dry run changed the cluster"; return 1; }
	write_config 1
	out=$("$MM" up --dry-run 2>err) || { echo "  dry run failed:"; cat err; return 1; }
	[ "$out" = "Cluster $id is up to date" ] || { echo "  dry run on an unchanged file: $out"; return 1; }
	out=$("$MM" up --dry-run --format json 2>err) || { echo "  dry run --format json failed:"; cat err; return 1; }
	jq -e '.upToDate == true and .changes == []' <<<"$out" >/dev/null || { echo "  up-to-date JSON: $out"; return 1; }
	"$MM" up --format json >/dev/null 2>&1 && { echo "  --format without --dry-run was accepted"; return 1; }
	destroy_clean "$id" || return 1
	# No cluster: the JSON plan of a new one, as before.
	out=$("$MM" up --dry-run 2>err) || { echo "  dry run without a cluster failed:"; cat err; return 1; }
	jq -e '.containers | length == 3' <<<"$out" >/dev/null || { echo "  dry run without a cluster: $out"; return 1; }
}

# An image the change needs is missing: nothing changes, and it says so.
t_missing_image() {
	write_config 1
	up || return 1
	local before out rc
	before=$(ids_of)
	write_config 2 "" "" missing
	out=$("$MM" up --pull never 2>err); rc=$?
	[ $rc = 1 ] || { echo "  up exited $rc"; cat err; return 1; }
	grep -qx "minimesos: cluster $id left as it was: image minimesos-test/mesos-master:missing is missing (for master; --pull is never)" err ||
		{ echo "  up said: $(cat err)"; return 1; }
	[ "$(ids_of)" = "$before" ] || { echo "  the cluster changed"; return 1; }
	[ "$(activated)" = 1 ] || { echo "  activated_slaves $(activated), want 1"; return 1; }
	destroy_clean "$id"
}

# A change that fails midway (the new agent's container exits at once): exit
# 1, the message says what was done and what not, the kept containers stay,
# and destroy removes everything, the failed container included.
t_fail_midway() {
	write_config 1
	up || return 1
	local before out rc
	before=$(ids_of)
	write_config 1
	sed -i '/^}/i\    agent { imageName = "minimesos-test/crash"; imageTag = "test"; privileged = false; portNumber = 5052 }' minimesosFile
	out=$("$MM" up 2>err); rc=$?
	[ $rc = 1 ] || { echo "  up exited $rc"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "+ agent 1" ] || { echo "  plan printed: $out"; return 1; }
	grep -q "^cluster $id is changed in part: done: + agent 1; not done: nothing\$" err ||
		{ echo "  up said: $(cat err)"; return 1; }
	grep -q "^run \`minimesos up\` again to finish, or \`minimesos destroy\` in $PWD to remove it\$" err ||
		{ echo "  no advice: $(cat err)"; return 1; }
	[ "$(ids_of zookeeper master agent | grep -v '^agent:1:')" = "$before" ] || { echo "  kept ids changed"; return 1; }
	[ "$(count_role "$PWD" agent)" = 2 ] || { echo "  the failed agent is not labelled as the cluster's"; return 1; }
	destroy_clean "$id"
}

# No leak or memory error in a reconcile, its dry run and an unchanged up.
t_valgrind() {
	command -v valgrind >/dev/null || { echo "  valgrind is needed (scripts/deps.sh test)"; return 1; }
	if grep -qa __asan_init "$MM"; then return 0; fi   # an ASan build: ASan checks it
	write_config 1
	up || return 1
	write_config 2 'loggingLevel = "WARNING"'
	local vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect)
	local cmd
	for cmd in "up --dry-run" "up" "up" "up --dry-run"; do
		# shellcheck disable=SC2086
		"${vg[@]}" "$MM" $cmd >out 2>err || { echo "  valgrind $cmd: exit $?"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; }
	done
	[ "$(cat out)" = "Cluster $id is up to date" ] || { echo "  last dry run: $(cat out)"; return 1; }
	destroy_clean "$id"
}

# Marathon added to the file, with an app: `+ marathon`, and the app is
# deployed on the new Marathon (tokens replaced) as at a first up.
t_marathon_added() {
	write_config 1
	up || return 1
	local before out
	before=$(ids_of)
	mkdir -p apps
	echo '{"id": "web", "instances": 1, "cmd": "zk at ${MINIMESOS_ZOOKEEPER_IP}"}' >apps/web.json
	write_config 1 "" '    marathon { imageName = "minimesos-test/marathon"; imageTag = "test"; app { marathonJson = "apps/web.json" } }'
	out=$("$MM" up 2>err) || { echo "  reconcile failed:"; cat err; return 1; }
	[ "$(grep -E '^[-+~] ' <<<"$out")" = "+ marathon" ] || { echo "  plan printed: $out"; return 1; }
	grep -q "^Deploying app apps/web.json" err || { echo "  no deploy: $(cat err)"; return 1; }
	[ "$(ids_of zookeeper master agent)" = "$before" ] || { echo "  kept ids changed"; return 1; }
	local exports
	exports=$(grep '^export' <<<"$out")
	eval "$exports"
	local cmd
	cmd=$(curl -sf --max-time 10 "$MINIMESOS_MARATHON/test/received" |
		jq -r '[.[] | select(.method == "POST" and .path == "/v2/apps")][0].body' | jq -r .cmd)
	[ "$cmd" = "zk at $MINIMESOS_ZOOKEEPER_IP" ] || { echo "  the app Marathon got: $cmd"; return 1; }
	destroy_clean "$id"
}

ALL=(add_agents recreate_remove_unchanged cascade zookeeper_moved dry_run missing_image fail_midway marathon_added valgrind)
suite_main "$@"
