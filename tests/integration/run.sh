#!/usr/bin/env bash
# Docker integration tests for up / info / state / destroy over the local
# stand-in images (tests/standin/CONTRACT.md). Each test runs in its own
# temporary folder with its own minimesosFile; afterwards no container, volume
# or network carrying that folder's labels may remain. Cleanup runs in traps.
#
#   MINIMESOS=build/minimesos bash tests/integration/run.sh [TEST...]
#
# Starts the engine with tests/docker/engine.sh when none answers (and stops it
# at the end only then); builds the images with tests/docker/images.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
MM=${MINIMESOS:-$REPO/build/minimesos}
MM=$(cd "$(dirname "$MM")" && pwd)/$(basename "$MM")
EXAMPLE=${MINIMESOS_EXAMPLE:-$(dirname "$MM")/examples/cluster_test}
HOLD=${MINIMESOS_HOLD:-$(dirname "$MM")/tests/hold_cluster}
SOCK=/var/run/docker.sock
# LABEL_DIR, remove_by_label, count_containers, assert_clean (the self-contained
# suites' runner, in the same file, is not used here).
# shellcheck source=suite_lib.sh
. "$HERE/suite_lib.sh"
SUITE_START=$(date +%s)

[ -x "$MM" ] || { echo "integration: no minimesos binary at $MM" >&2; exit 1; }
command -v docker >/dev/null || { echo "integration: the docker client is needed" >&2; exit 1; }
command -v jq >/dev/null || { echo "integration: jq is needed" >&2; exit 1; }

# ---- engine and images ----
started_engine=0
if ! curl -sf --max-time 3 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; then
	bash "$REPO/tests/docker/engine.sh" start || { echo "integration: no Docker engine" >&2; exit 1; }
	started_engine=1
fi
WORKROOT=$(mktemp -d /tmp/minimesos-it.XXXXXX)
built_images=0
suite_cleanup() {
	# Every folder's containers, by label, whatever happened.
	for d in "$WORKROOT"/*/; do
		[ -d "$d" ] || continue
		remove_by_label "${d%/}"
	done
	rm -rf "$WORKROOT"
	# Images built only for this run go too (MINIMESOS_KEEP_TEST_IMAGES=1 keeps
	# them for quicker reruns); images that were there before are left alone.
	if [ "$built_images" = 1 ] && [ -z "${MINIMESOS_KEEP_TEST_IMAGES:-}" ]; then
		bash "$REPO/tests/docker/images.sh" remove >/dev/null 2>&1 ||
			echo "integration: could not remove the test images" >&2
	fi
	if [ "$started_engine" = 1 ]; then bash "$REPO/tests/docker/engine.sh" stop; fi
}
trap suite_cleanup EXIT
trap 'exit 130' INT TERM

IMAGES=(minimesos-test/zookeeper:test minimesos-test/mesos-master:test minimesos-test/mesos-master:never-ready
	minimesos-test/mesos-agent:test minimesos-test/marathon:test minimesos-test/consul:test
	minimesos-test/registrator:test minimesos-test/mesos-dns:test minimesos-test/crash:test)
for i in "${IMAGES[@]}"; do
	docker image inspect "$i" >/dev/null 2>&1 || built_images=1
done
if ! bash "$REPO/tests/docker/images.sh" build >"$WORKROOT/images.log" 2>&1; then
	for i in "${IMAGES[@]}"; do
		docker image inspect "$i" >/dev/null 2>&1 || {
			echo "integration: building the test images failed and $i is missing:" >&2
			tail -20 "$WORKROOT/images.log" >&2
			exit 1
		}
	done
	echo "integration: images.sh build failed, the images exist: using them" >&2
fi

# ---- helpers ----
running_containers() { # folder
	docker ps -q --filter "label=$LABEL_DIR=$1" --filter status=running | grep -c . || true
}
# info's output is shell: it parses, and eval of its export lines sets the variables.
assert_info_is_shell() { # info-output role...
	local out=$1; shift
	bash -n <<<"$out" || { echo "  info output does not parse as shell"; return 1; }
	local r
	for r in "$@"; do
		local var="MINIMESOS_$(tr a-z A-Z <<<"$r")"
		local got
		got=$(bash -c 'eval "$(grep ^export)"; printf "%s|%s" "${'"$var"':-}" "${'"$var"'_IP:-}"' <<<"$out")
		case "$got" in
		\|* | *\|) echo "  eval of info did not set $var and ${var}_IP (got '$got')"; return 1 ;;
		esac
	done
	bash -c 'eval "$(grep ^export)"; [ -n "$MINIMESOS_NETWORK_GATEWAY" ]' <<<"$out" ||
		{ echo "  eval of info did not set MINIMESOS_NETWORK_GATEWAY"; return 1; }
}
# A minimesosFile on the stand-ins. $1: extra text inside the block; agents via $AGENTS.
write_config() { # dir master-image extra
	local dir=$1 master=${2:-minimesos-test/mesos-master:test} extra=${3:-}
	local agents=${AGENTS:-1} i
	{
		echo 'minimesos {'
		echo "    clusterName = \"it-$(basename "$dir")\""
		echo "    timeout = ${TIMEOUT:-30}"
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo "    master { imageName = \"${master%:*}\"; imageTag = \"${master##*:}\" }"
		for ((i = 0; i < agents; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"test\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		printf '%s\n' "$extra"
		echo '}'
	} >"$dir/minimesosFile"
}
# Wait (0.1 s steps, at most $2 s) until the folder has no container and no
# record; prints how long it took. Fails if something is still there.
wait_gone() { # folder seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(count_containers "$1")" = 0 ] && [ ! -e "$1/.minimesos/minimesos.cluster" ] && { echo "$((i / 10)).$((i % 10))"; return 0; }
		sleep 0.1
	done
	echo "  after $2 s: $(count_containers "$1") container(s) left$([ -e "$1/.minimesos/minimesos.cluster" ] && echo ", and the record")"
	return 1
}
# Wait until file $1 exists (at most $2 s).
wait_file() { # file seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}
master_ip() { # folder
	docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \
		"$(docker ps -q --filter "label=$LABEL_DIR=$1" --filter label=org.minimesos.role=master)"
}

# ---- tests: each runs in a subshell, in its folder, and returns 0 on success ----

t_one_agent() {
	local out id
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ -n "$id" ] || { echo "  up printed no cluster id: $out"; return 1; }
	[ "$(cat .minimesos/minimesos.cluster)" = "$id" ] || { echo "  record does not hold $id"; return 1; }
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  expected 3 running containers"; return 1; }
	grep -q '^Mesos version: 1.0.0$' <<<"$out" || { echo "  no Mesos version line"; return 1; }
	# Every container carries the labels; names follow minimesos-<role>-<id>-<uuid>.
	local n
	n=$(docker ps -a --filter "label=org.minimesos.cluster-id=$id" \
		--filter "label=org.minimesos.config=$PWD/minimesosFile" --format '{{.Names}}' |
		grep -cE "^minimesos-(zookeeper|master|agent)-$id-[0-9]+$")
	[ "$n" = 3 ] || { echo "  expected 3 labelled, well-named containers, got $n"; return 1; }
	local state
	state=$("$MM" state) || { echo "  state failed"; return 1; }
	[ "$(jq .activated_slaves <<<"$state")" = 1 ] || { echo "  activated_slaves != 1"; return 1; }
	[ "$(jq -r .flags.zk <<<"$state")" = "zk://$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \
		"$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=zookeeper)"):2181/mesos" ] ||
		{ echo "  master's MESOS_ZK is not the zookeeper's IP"; return 1; }
	# What the plan put in the env reached Mesos (as the stand-ins report it).
	[ "$(jq -r '.slaves[0].resources_text' <<<"$state")" = "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000" ] ||
		{ echo "  agent resources: $(jq -c '.slaves[0].resources_text' <<<"$state")"; return 1; }
	[[ "$(jq -r '.slaves[0].hostname' <<<"$state")" =~ ^agent-[0-9]+$ ]] || { echo "  agent hostname"; return 1; }
	[ "$(jq -r '[.flags.quorum, .flags.cluster, .flags.logging_level] | join(",")' <<<"$state")" = "1,it-one_agent,INFO" ] ||
		{ echo "  master flags: $(jq -c .flags <<<"$state")"; return 1; }
	local agent_id
	agent_id=$(jq -r '.slaves[0].id' <<<"$state")
	"$MM" state --agent "$agent_id" | jq -e '.id' >/dev/null || { echo "  state --agent failed"; return 1; }
	local info
	info=$("$MM" info) || { echo "  info failed"; return 1; }
	assert_info_is_shell "$info" master zookeeper agent || return 1
	# Bare minimesos prints info when a cluster runs here.
	[ "$("$MM")" = "$info" ] || { echo "  bare minimesos did not print info"; return 1; }
	out=$("$MM" destroy) || { echo "  destroy failed"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy said: $out"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  record left behind"; return 1; }
	assert_clean "$PWD" "$id"
}

t_every_service() {
	cat >app.json <<'EOF'
{"id": "web", "cmd": "echo ${MINIMESOS_MASTER}", "instances": 1}
EOF
	AGENTS=3 write_config "$PWD" "" '
    consul { imageName = "minimesos-test/consul"; imageTag = "test" }
    registrator { imageName = "minimesos-test/registrator"; imageTag = "test" }
    mesosdns { imageName = "minimesos-test/mesos-dns"; imageTag = "test" }
    marathon {
        imageName = "minimesos-test/marathon"
        imageTag = "test"
        app { marathonJson = "app.json" }
    }'
	local out id
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ "$(running_containers "$PWD")" = 9 ] || { echo "  expected 9 running containers"; docker ps -a --filter "label=$LABEL_DIR=$PWD"; return 1; }
	[ "$("$MM" state | jq .activated_slaves)" = 3 ] || { echo "  activated_slaves != 3"; return 1; }
	assert_info_is_shell "$out" master zookeeper agent marathon consul || return 1
	grep -q "server=/mm/" <<<"$out" || { echo "  no dnsmasq line for mesosdns"; return 1; }
	# The master's and agents' DNS is the mesosdns container.
	local dns_ip mdns
	dns_ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \
		"$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=mesosdns)")
	mdns=$(docker inspect -f '{{json .HostConfig.Dns}}' \
		"$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=master)")
	[ "$mdns" = "[\"$dns_ip\"]" ] || { echo "  master DNS $mdns, mesosdns at $dns_ip"; return 1; }
	# Registrator: host network, pointed at consul.
	local reg
	reg=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=registrator)
	[ "$(docker inspect -f '{{.HostConfig.NetworkMode}}' "$reg")" = host ] || { echo "  registrator not on the host network"; return 1; }
	# The app reached Marathon, tokens replaced.
	local murl received
	murl=$(bash -c 'eval "$(grep ^export)"; echo "$MINIMESOS_MARATHON"' <<<"$out")
	received=$(curl -sf --max-time 5 "$murl/test/received") || { echo "  marathon /test/received failed"; return 1; }
	local mmaster
	mmaster=$(bash -c 'eval "$(grep ^export)"; echo "$MINIMESOS_MASTER"' <<<"$out")
	jq -e --arg m "echo $mmaster" '[.[] | select(.method == "POST" and .path == "/v2/apps") | .body |
		(if type == "string" then fromjson else . end) | select(.id == "web" and .cmd == $m)] | length == 1' \
		<<<"$received" >/dev/null || { echo "  Marathon did not get the app with tokens replaced: $received"; return 1; }
	out=$("$MM" destroy) || return 1
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy said: $out"; return 1; }
	assert_clean "$PWD" "$id"
}

t_map_ports() {
	# Skip (as a failure with a reason) when another process holds 5050 on the host.
	if curl -s --max-time 1 http://127.0.0.1:5050/ >/dev/null 2>&1; then
		echo "  port 5050 on 127.0.0.1 is in use by something else"; return 1
	fi
	local out id
	out=$("$MM" up --mapPortsToHost 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	grep -qx 'export MINIMESOS_MASTER=http://127.0.0.1:5050; export MINIMESOS_MASTER_IP=[0-9.]*' <<<"$out" ||
		{ echo "  info does not use the published address: $out"; return 1; }
	curl -sf --max-time 5 http://127.0.0.1:5050/state.json | jq -e '.activated_slaves == 1' >/dev/null ||
		{ echo "  published master port does not answer on 127.0.0.1"; return 1; }
	local master bind
	master=$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=master)
	bind=$(docker inspect -f '{{json .HostConfig.PortBindings}}' "$master")
	[ "$(jq -r '."5050/tcp" | map(.HostIp) | join(",")' <<<"$bind")" = 127.0.0.1 ] ||
		{ echo "  5050 bound to something other than 127.0.0.1: $bind"; return 1; }
	[ "$(jq -r '."2181/tcp"' <<<"$(docker inspect -f '{{json .HostConfig.PortBindings}}' \
		"$(docker ps -q --filter "label=$LABEL_DIR=$PWD" --filter label=org.minimesos.role=zookeeper)")" |
		jq -r '.[0].HostIp')" = 127.0.0.1 ] || { echo "  2181 not bound to 127.0.0.1"; return 1; }
	"$MM" destroy >/dev/null || return 1
	assert_clean "$PWD" "$id"
}

t_up_twice() {
	local out id n out2
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	n=$(count_containers "$PWD")
	local ids_before
	ids_before=$(docker ps -aq --no-trunc --filter "label=$LABEL_DIR=$PWD" | sort)
	# The file did not change: up reconciles to nothing (docs/cli.md "up on
	# a running cluster").
	out2=$("$MM" up 2>/dev/null) || { echo "  second up failed"; return 1; }
	[ "$out2" = "Cluster $id is up to date" ] || { echo "  second up said: $out2"; return 1; }
	[ "$(count_containers "$PWD")" = "$n" ] || { echo "  container count changed"; return 1; }
	[ "$(docker ps -aq --no-trunc --filter "label=$LABEL_DIR=$PWD" | sort)" = "$ids_before" ] ||
		{ echo "  container ids changed"; return 1; }
	"$MM" destroy >/dev/null || return 1
	assert_clean "$PWD" "$id" || return 1
	# Two racing ups in one folder: one cluster.
	"$MM" --quiet up >race1 2>&1 &
	local p1=$!
	"$MM" --quiet up >race2 2>&1 &
	local p2=$!
	wait $p1; local r1=$?
	wait $p2; local r2=$?
	[ "$r1$r2" = 00 ] || { echo "  racing ups exited $r1 and $r2"; cat race1 race2; return 1; }
	local ids
	ids=$(docker ps -a --filter "label=$LABEL_DIR=$PWD" --format '{{.Label "org.minimesos.cluster-id"}}' | sort -u | grep -c .)
	[ "$ids" = 1 ] || { echo "  racing ups made $ids clusters"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  racing ups made $(count_containers "$PWD") containers"; return 1; }
	# The loser either found the winner still starting (already running) or
	# its cluster ready and the file unchanged (up to date).
	grep -Eqh "is already running|is up to date" race1 race2 ||
		{ echo "  neither racing up said already running or up to date"; cat race1 race2; return 1; }
	id=$(cat .minimesos/minimesos.cluster)
	"$MM" destroy >/dev/null || return 1
	assert_clean "$PWD" "$id"
}

t_destroy_twice() {
	local out id
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	out=$("$MM" destroy) || { echo "  second destroy failed"; return 1; }
	[ "$out" = "Minimesos cluster is not running" ] || { echo "  second destroy said: $out"; return 1; }
	assert_clean "$PWD" "$id" || return 1
	# With the record lost, destroy finds the cluster by its labels.
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	rm -f .minimesos/minimesos.cluster
	# up finds it by its labels too: unchanged file, so up to date; record restored.
	out=$("$MM" up 2>/dev/null) || { echo "  up without record failed"; return 1; }
	[ "$out" = "Cluster $id is up to date" ] || { echo "  up without record said: $out"; return 1; }
	[ "$(cat .minimesos/minimesos.cluster)" = "$id" ] || { echo "  record not restored"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  up without record created containers"; return 1; }
	rm -f .minimesos/minimesos.cluster
	out=$("$MM" destroy) || { echo "  destroy without record failed"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy without record said: $out"; return 1; }
	assert_clean "$PWD" "$id"
}

t_stale_record() {
	mkdir -p .minimesos && echo 4242 >.minimesos/minimesos.cluster
	local err rc
	err=$("$MM" info 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  info on a stale record exited $rc"; return 1; }
	grep -q "Minimesos cluster 4242 is not running" <<<"$err" || { echo "  info said: $err"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  stale record not removed"; return 1; }
	err=$("$MM" info 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && [ "$err" = "Cluster ID is not found in $PWD/.minimesos/minimesos.cluster" ] ||
		{ echo "  info without record: $rc $err"; return 1; }
	# up over a stale record starts a new cluster.
	echo 4242 >.minimesos/minimesos.cluster
	local out id
	out=$("$MM" up 2>err) || { echo "  up over a stale record failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ "$id" != 4242 ] && [ "$(cat .minimesos/minimesos.cluster)" = "$id" ] || { echo "  record not replaced"; return 1; }
	grep -q "4242 is not running" err || { echo "  up did not report the stale record"; return 1; }
	"$MM" destroy >/dev/null || return 1
	assert_clean "$PWD" "$id"
}

t_engine_unreachable() {
	local err rc
	err=$(DOCKER_HOST=unix:///nonexistent "$MM" up 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  exit $rc"; return 1; }
	[ "$err" = "minimesos: cannot reach the Docker engine at unix:///nonexistent (DOCKER_HOST): no such socket" ] ||
		{ echo "  said: $err"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  a record was written"; return 1; }
	local c
	for c in destroy info state ps; do
		err=$(DOCKER_HOST=unix:///nonexistent "$MM" $c 2>&1 >/dev/null); rc=$?
		[ $rc = 1 ] && [ "$err" = "minimesos: cannot reach the Docker engine at unix:///nonexistent (DOCKER_HOST): no such socket" ] ||
			{ echo "  $c: $rc $err"; return 1; }
	done
	# --dry-run contacts nothing: it works without an engine and prints the plan.
	local plan
	plan=$(DOCKER_HOST=unix:///nonexistent "$MM" up --dry-run --num-agents 2) || { echo "  dry-run failed"; return 1; }
	[ "$(jq '.containers | map(.role) | join(",")' <<<"$plan")" = '"zookeeper,master,agent,agent"' ] ||
		{ echo "  dry-run plan roles: $(jq -c '.containers | map(.role)' <<<"$plan")"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  dry-run wrote a record"; return 1; }
	assert_clean "$PWD"
}

t_dry_run_options() {
	# Option parsing and the plan, without an engine.
	export DOCKER_HOST=unix:///nonexistent
	local plan rc
	for bad in "--pull sometimes" "--timeout 0" "--num-agents x" "--mapPortsToHost maybe" "--bogus" "extra"; do
		"$MM" up --dry-run $bad >/dev/null 2>&1; rc=$?
		[ $rc = 2 ] || { echo "  up $bad exited $rc, want 2"; return 1; }
	done
	plan=$("$MM" up --dry-run --mapPortsToHost true --bind-address 10.9.8.7 --timeout 7) || return 1
	[ "$(jq -r '.timeout, .bindAddress, .mapPortsToHost' <<<"$plan" | paste -sd,)" = "7,10.9.8.7,true" ] ||
		{ echo "  options not in the plan: $(jq -c '{timeout, bindAddress, mapPortsToHost}' <<<"$plan")"; return 1; }
	[ "$(jq -r '.containers[] | select(.role == "master") | .create.body.HostConfig.PortBindings."5050/tcp"[0].HostIp' <<<"$plan")" = 10.9.8.7 ] ||
		{ echo "  master port not bound to the given address"; return 1; }
	# Each container's env reaches ZooKeeper through a placeholder the executor fills.
	[ "$(jq -r '.containers[] | select(.role == "agent") | .create.body.Env[] | select(startswith("MESOS_MASTER="))' <<<"$plan")" = \
		"MESOS_MASTER=zk://{{zookeeper.ip}}:2181/mesos" ] || { echo "  agent MESOS_MASTER placeholder missing"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  dry-run wrote a record"; return 1; }
	# The plan path leaks nothing (valgrind, when installed), every service included.
	if command -v valgrind >/dev/null && ! grep -qa __asan_init "$MM"; then  # not under ASan
		cp "$REPO/tests/golden/plan/upstream-complete.minimesosFile" complete.minimesosFile
		valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=9 \
			"$MM" up --dry-run --num-agents 3 --clusterConfig complete.minimesosFile >/dev/null 2>vg.log ||
			{ echo "  valgrind on up --dry-run:"; head -30 vg.log; return 1; }
	fi
	# An invalid minimesosFile: exit 1 with the diagnostic.
	echo 'minimesos { agent { portNumber = 0 } }' >minimesosFile
	local err
	err=$("$MM" up --dry-run 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] && grep -q "minimesosFile" <<<"$err" || { echo "  invalid file: exit $rc: $err"; return 1; }
}

t_missing_image() {
	write_config "$PWD" minimesos-test/mesos-master:no-such-tag
	local err rc
	err=$("$MM" up --pull never 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  exit $rc"; return 1; }
	grep -q "minimesos-test/mesos-master:no-such-tag" <<<"$err" || { echo "  error does not name the image: $err"; return 1; }
	[ "$(count_containers "$PWD")" = 0 ] || { echo "  containers were created"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  a record was written"; return 1; }
	assert_clean "$PWD"
}

t_crash_at_start() {
	write_config "$PWD" "" '
    marathon { imageName = "minimesos-test/crash"; imageTag = "test" }'
	local err rc start=$SECONDS
	err=$("$MM" up 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  exit $rc"; return 1; }
	grep -q "minimesos-marathon-" <<<"$err" || { echo "  error does not name the container: $err"; return 1; }
	grep -q "standin crash: exiting on purpose" <<<"$err" || { echo "  no log tail: $err"; return 1; }
	(( SECONDS - start < 15 )) || { echo "  took $((SECONDS - start)) s to notice"; return 1; }
	# By default a failed up removes what it created, and its record.
	grep -q "^removed the 4 containers of cluster [0-9]*$" <<<"$err" || { echo "  no clean-up line: $err"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  record kept without --retain"; return 1; }
	assert_clean "$PWD" || return 1
	# --retain keeps them, with the record, and says how to remove them.
	err=$("$MM" up --retain 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  exit $rc with --retain"; return 1; }
	local id
	id=$(cat .minimesos/minimesos.cluster) || { echo "  no record kept with --retain"; return 1; }
	grep -q "cluster $id is kept.*run \`minimesos destroy\` there" <<<"$err" || { echo "  --retain said: $err"; return 1; }
	[ "$(count_containers "$PWD")" = 4 ] || { echo "  --retain kept $(count_containers "$PWD") containers"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id"
}

t_never_ready() {
	write_config "$PWD" minimesos-test/mesos-master:never-ready
	local err rc start=$SECONDS
	err=$("$MM" up --timeout 5 2>&1 >/dev/null); rc=$?
	local took=$((SECONDS - start))
	[ $rc = 1 ] || { echo "  exit $rc"; return 1; }
	(( took >= 4 && took <= 9 )) || { echo "  failed after $took s with --timeout 5"; return 1; }
	grep -q "minimesos-master-.*was not ready after 5 s" <<<"$err" || { echo "  said: $err"; return 1; }
	grep -q "activated_slaves" <<<"$err" || { echo "  does not say what it waited for: $err"; return 1; }
	grep -q "last lines of the log" <<<"$err" || { echo "  no log tail: $err"; return 1; }
	# Removed by default: nothing left, no record.
	grep -q "removed the 3 containers" <<<"$err" || { echo "  did not clean up: $err"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  record kept without --retain"; return 1; }
	assert_clean "$PWD"
}

# A signal to up while it waits for a master that is never ready (the
# folder's minimesosFile): `minimesos up ARGS...` in the background; once its
# 3 containers run, SIGNAL; up must stop within SECONDS, exit with STATUS and
# say it was interrupted. Its stderr stays in ./err for the caller.
up_interrupted() { # signal status seconds [up-arg...]
	local sig=$1 want=$2 max=$3
	shift 3
	"$MM" up "$@" >out 2>err &
	local pid=$! i
	for ((i = 0; i < 100; i++)); do
		[ "$(running_containers "$PWD")" -ge 3 ] && break
		sleep 0.1
	done
	[ "$(running_containers "$PWD")" -ge 3 ] || { echo "  the cluster's containers never appeared"; kill -"$sig" $pid; wait $pid; return 1; }
	local start=$SECONDS
	kill -"$sig" $pid
	wait $pid; local rc=$?
	(( SECONDS - start <= max )) || { echo "  up $* took $((SECONDS - start)) s to stop"; return 1; }
	[ $rc = "$want" ] || { echo "  up $*: exit $rc after SIG$sig, want $want"; cat err; return 1; }
	grep -q "interrupted" err || { echo "  no message: $(cat err)"; return 1; }
}

# SIGINT during up: exit 130; what was created is removed, unless --retain.
t_sigint() {
	TIMEOUT=60 write_config "$PWD" minimesos-test/mesos-master:never-ready
	up_interrupted INT 130 3 || return 1
	up_interrupted INT 130 3 --retain || return 1
	# The first one cleaned up; the second (--retain) kept its cluster.
	local id
	id=$(cat .minimesos/minimesos.cluster) || { echo "  no record kept with --retain"; return 1; }
	grep -q "cluster $id is kept" err || { echo "  --retain said: $(cat err)"; return 1; }
	[ "$(count_containers "$PWD")" = 3 ] || { echo "  expected only the retained cluster's 3 containers"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id"
}

# A volume of the cluster that another container still uses: destroy exits 1
# with the engine's message and keeps the record; once it is free, destroy
# again finishes.
t_volume_in_use() {
	local out id rc err holder vol
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	vol=mm-it-vol-$id
	docker volume create --label "org.minimesos.cluster-id=$id" "$vol" >/dev/null || { echo "  volume create failed"; return 1; }
	holder=$(docker create -v "$vol:/data" minimesos-test/zookeeper:test) || { docker volume rm "$vol"; return 1; }
	err=$("$MM" destroy 2>&1 >/dev/null); rc=$?
	docker rm -f "$holder" >/dev/null
	[ $rc = 1 ] || { echo "  destroy with the volume in use exited $rc: $err"; docker volume rm "$vol" >/dev/null; return 1; }
	grep -q "removing volume $vol: .*in use" <<<"$err" || { echo "  destroy said: $err"; docker volume rm "$vol" >/dev/null; return 1; }
	[ "$(cat .minimesos/minimesos.cluster 2>/dev/null)" = "$id" ] || { echo "  the record went"; docker volume rm "$vol" >/dev/null; return 1; }
	out=$("$MM" destroy 2>&1) || { echo "  second destroy failed: $out"; docker volume rm "$vol" >/dev/null; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  second destroy said: $out"; return 1; }
	assert_clean "$PWD" "$id"
}

# SIGTERM, as a service manager or `timeout` sends it: exit 128+15 once the
# clean-up is done (nothing left, no record; --rm-on-failure, the old name
# of what is now the default, is still accepted).
t_sigterm() {
	TIMEOUT=60 write_config "$PWD" minimesos-test/mesos-master:never-ready
	up_interrupted TERM 143 5 --rm-on-failure || return 1
	grep -q "removed the 3 containers" err || { echo "  did not clean up: $(cat err)"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  record kept despite --rm-on-failure"; return 1; }
	assert_clean "$PWD"
}

# destroy waits for the folder's lock (held by a running `up`), removing
# nothing meanwhile; a signal ends the wait with 128+N and leaves the cluster
# and its record; once the lock is free, destroy finishes.
t_destroy_waits_for_lock() {
	local out id rc pid
	out=$("$MM" up 2>err) || { echo "  up failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	mkfifo release
	# flock -o: only flock holds the lock; it lets go when cat reads EOF.
	flock -o .minimesos/lock cat release >/dev/null &
	local holder=$!
	let_go() { timeout 5 bash -c 'echo >release' 2>/dev/null; wait $holder 2>/dev/null; }
	local i
	for ((i = 0; i < 50; i++)); do flock -n .minimesos/lock true || break; sleep 0.1; done
	flock -n .minimesos/lock true && { echo "  could not take the lock for the test"; let_go; return 1; }
	"$MM" destroy >out1 2>err1 &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { echo "  destroy did not wait for the lock: $(cat out1 err1)"; let_go; return 1; }
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  destroy removed containers while up held the lock"; let_go; return 1; }
	kill -TERM $pid
	wait $pid; rc=$?
	[ $rc = 143 ] || { echo "  destroy exited $rc after SIGTERM, want 143: $(cat err1)"; let_go; return 1; }
	grep -q "interrupted while waiting" err1 || { echo "  destroy said: $(cat out1 err1)"; let_go; return 1; }
	[ "$(cat .minimesos/minimesos.cluster 2>/dev/null)" = "$id" ] || { echo "  the record went"; let_go; return 1; }
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  an interrupted destroy removed containers"; let_go; return 1; }
	"$MM" destroy >out2 2>err2 &
	pid=$!
	sleep 0.5
	kill -0 $pid 2>/dev/null || { echo "  second destroy did not wait: $(cat out2 err2)"; let_go; return 1; }
	let_go
	wait $pid; rc=$?
	[ $rc = 0 ] && [ "$(cat out2)" = "Destroyed minimesos cluster $id" ] ||
		{ echo "  destroy after the lock was freed: exit $rc: $(cat out2 err2)"; return 1; }
	assert_clean "$PWD" "$id"
}

t_app_rejected() {
	# Marathon refuses the second copy of an app: up fails with Marathon's own
	# message and the file concerned; with --retain the record lets destroy clean up.
	echo '{"id": "dup", "cmd": "sleep 100"}' >dup.json
	write_config "$PWD" "" '
    marathon {
        imageName = "minimesos-test/marathon"
        imageTag = "test"
        app { marathonJson = "dup.json" }
        app { marathonJson = "dup.json" }
    }'
	local err rc
	err=$("$MM" up --retain 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  exit $rc"; return 1; }
	grep -q "dup.json" <<<"$err" && grep -q "already exists" <<<"$err" || { echo "  said: $err"; return 1; }
	local id
	id=$(cat .minimesos/minimesos.cluster) || { echo "  no record kept"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id"
}

t_privileged_refused() {
	# Agents privileged (the default). An engine that refuses it must get the hint;
	# one that allows it must simply work.
	write_config "$PWD"
	sed -i 's/ privileged = false;//' minimesosFile
	local out err rc
	out=$("$MM" up --cleanup-on-failure 2>err); rc=$?
	if [ $rc = 0 ]; then
		"$MM" destroy >/dev/null || return 1
		assert_clean "$PWD"; return
	fi
	grep -q "unable to apply caps" err || { echo "  up failed otherwise: $(cat err)"; return 1; }
	grep -q "minimesos-agent-" err || { echo "  error does not name the agent: $(cat err)"; return 1; }
	grep -q 'set `privileged = false` in the agent block' err || { echo "  no hint: $(cat err)"; return 1; }
	assert_clean "$PWD"
}

t_example() {
	[ -x "$EXAMPLE" ] || { echo "  example not built at $EXAMPLE"; return 1; }
	cp "$REPO/examples/minimesosFile" .
	"$EXAMPLE" >out 2>&1 || { echo "  example failed:"; tail -20 out; return 1; }
	assert_clean "$PWD"
}

# ---- run: a cluster for the time of one command ----

# COMMAND's status is run's; COMMAND sees the cluster's variables, its master
# answers with every agent active, stdin and stdout are COMMAND's alone, and
# nothing is left afterwards.
t_run_command() {
	AGENTS=2 write_config "$PWD" "" '
    marathon { imageName = "minimesos-test/marathon"; imageTag = "test" }'
	local rc out
	"$MM" run -- sh -c 'exit 3' 2>err; rc=$?
	[ $rc = 3 ] || { echo "  run -- sh -c 'exit 3' exited $rc"; cat err; return 1; }
	grep -q "^Destroyed minimesos cluster [0-9]*$" err || { echo "  no destroy line: $(cat err)"; return 1; }
	assert_clean "$PWD" || return 1
	"$MM" --quiet run -- true; rc=$?
	[ $rc = 0 ] || { echo "  run -- true exited $rc"; return 1; }
	assert_clean "$PWD" || return 1
	# The environment, and the master it names, seen from inside COMMAND.
	out=$(echo from-stdin | "$MM" run -- sh -c '
		env | grep ^MINIMESOS_ | sort >env.txt
		curl -sf --max-time 5 "$MINIMESOS_MASTER/state.json" >state.json
		docker ps -q --filter "label=org.minimesos.cluster-id=$MINIMESOS_CLUSTER_ID" --filter status=running | grep -c . >running.txt
		read line; echo "COMMAND read $line"' 2>err); rc=$?
	[ $rc = 0 ] || { echo "  run exited $rc"; cat err; return 1; }
	[ "$out" = "COMMAND read from-stdin" ] || { echo "  stdout is not COMMAND's alone: $out"; return 1; }
	local v
	for v in MINIMESOS_MASTER MINIMESOS_MASTER_IP MINIMESOS_ZOOKEEPER MINIMESOS_ZOOKEEPER_IP MINIMESOS_AGENT \
		MINIMESOS_AGENT_IP MINIMESOS_MARATHON MINIMESOS_MARATHON_IP MINIMESOS_NETWORK_GATEWAY MINIMESOS_CLUSTER_ID; do
		grep -q "^$v=." env.txt || { echo "  COMMAND did not get $v: $(cat env.txt)"; return 1; }
	done
	grep -qx 'MINIMESOS_MASTER=http://[0-9.]*:5050' env.txt || { echo "  MINIMESOS_MASTER: $(grep MASTER= env.txt)"; return 1; }
	jq -e '.activated_slaves == 2' state.json >/dev/null || { echo "  the master COMMAND reached: $(head -c 300 state.json)"; return 1; }
	[ "$(cat running.txt)" = 5 ] || { echo "  MINIMESOS_CLUSTER_ID labels $(cat running.txt) running containers, want 5"; return 1; }
	local id
	id=$(sed -n 's/^MINIMESOS_CLUSTER_ID=//p' env.txt)
	grep -q "^Destroyed minimesos cluster $id$" err || { echo "  did not destroy $id: $(cat err)"; return 1; }
	assert_clean "$PWD" "$id"
}

# SIGINT to run while COMMAND sleeps: COMMAND gets it (its trap runs), then
# the cluster goes and run exits 130.
t_run_sigint() {
	"$MM" run -- sh -c 'trap "echo INT >got; exit 7" INT; : >started; while :; do sleep 0.1; done' >out 2>err &
	local pid=$! rc
	wait_file started 30 || { echo "  COMMAND never started: $(cat err)"; kill -9 $pid; return 1; }
	local id
	id=$(cat .minimesos/minimesos.cluster)
	kill -INT $pid
	wait $pid; rc=$?
	[ $rc = 130 ] || { echo "  run exited $rc after SIGINT, want 130"; cat err; return 1; }
	[ "$(cat got 2>/dev/null)" = INT ] || { echo "  COMMAND did not get SIGINT"; return 1; }
	grep -q "^Destroyed minimesos cluster $id$" err || { echo "  did not destroy $id: $(cat err)"; return 1; }
	assert_clean "$PWD" "$id"
}

# kill -9 of run while COMMAND sleeps: the reaper removes the cluster
# within 10 s, and COMMAND does not outlive run.
t_run_kill9() {
	"$MM" run -- sh -c ': >started; exec sleep 300' >out 2>err &
	local pid=$!
	wait_file started 30 || { echo "  COMMAND never started: $(cat err)"; kill -9 $pid; return 1; }
	local id cmd_pid took
	id=$(cat .minimesos/minimesos.cluster)
	cmd_pid=$(pgrep -P $pid -x sleep)
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  expected 3 running containers"; return 1; }
	pgrep -f "^minimesos-reaper $id\$" >/dev/null || { echo "  no reaper process for $id"; return 1; }
	kill -9 $pid
	wait $pid 2>/dev/null
	took=$(wait_gone "$PWD" 10) || { echo "$took"; cat .minimesos/reaper.log; return 1; }
	echo "  cluster $id gone ${took} s after kill -9"
	grep -q "is gone: removing cluster $id" .minimesos/reaper.log || { echo "  reaper log: $(cat .minimesos/reaper.log)"; return 1; }
	local i
	for ((i = 0; i < 30; i++)); do kill -0 "$cmd_pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$cmd_pid" 2>/dev/null || { echo "  COMMAND ($cmd_pid) outlived run"; kill -9 "$cmd_pid"; return 1; }
	assert_clean "$PWD" "$id"
}

# kill -9 of a C test program that brought a cluster up through the library:
# with reap_when_process_exits the cluster is gone within 10 s; without, it
# stays (and destroy removes it).
t_library_kill9() {
	[ -x "$HOLD" ] || { echo "  test program not built at $HOLD"; return 1; }
	local pid id took
	"$HOLD" --reap >out 2>err &
	pid=$!
	for ((i = 0; i < 300; i++)); do grep -q '^ready ' out && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	id=$(sed -n 's/^ready //p' out)
	[ -n "$id" ] || { echo "  hold_cluster --reap did not come up: $(cat err)"; kill -9 $pid; return 1; }
	kill -9 $pid
	wait $pid 2>/dev/null
	took=$(wait_gone "$PWD" 10) || { echo "$took"; cat .minimesos/reaper.log; return 1; }
	echo "  cluster $id gone ${took} s after kill -9 (reap_when_process_exits)"
	assert_clean "$PWD" "$id" || return 1
	# Without the option: the cluster outlives the program.
	"$HOLD" >out 2>err &
	pid=$!
	for ((i = 0; i < 300; i++)); do grep -q '^ready ' out && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	id=$(sed -n 's/^ready //p' out)
	[ -n "$id" ] || { echo "  hold_cluster did not come up: $(cat err)"; kill -9 $pid; return 1; }
	kill -9 $pid
	wait $pid 2>/dev/null
	sleep 4
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  without the option the cluster went ($(running_containers "$PWD") running)"; return 1; }
	[ "$(cat .minimesos/minimesos.cluster)" = "$id" ] || { echo "  without the option the record went"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id"
}

# Two runs in two folders; one killed: its cluster goes, the other is
# untouched; SIGTERM then ends the other one (exit 143, nothing left).
t_run_two_clusters() {
	mkdir a b
	write_config "$PWD/a"
	write_config "$PWD/b"
	trap 'kill -9 $pa $pb 2>/dev/null; remove_by_label "$PWD"; remove_by_label "$PWD/a"; remove_by_label "$PWD/b"' EXIT
	"$MM" run --clusterConfig a/minimesosFile -- sh -c ': >started-a; exec sleep 300' >out-a 2>err-a &
	pa=$!
	"$MM" run --clusterConfig b/minimesosFile -- sh -c ': >started-b; exec sleep 300' >out-b 2>err-b &
	pb=$!
	wait_file started-a 30 && wait_file started-b 30 || { echo "  COMMANDs did not start: $(cat err-a err-b)"; return 1; }
	local ida idb before took rc
	ida=$(cat a/.minimesos/minimesos.cluster)
	idb=$(cat b/.minimesos/minimesos.cluster)
	[ "$ida" != "$idb" ] || return 1
	before=$(docker ps -q --no-trunc --filter "label=org.minimesos.cluster-id=$idb" --filter status=running | sort)
	[ "$(grep -c . <<<"$before")" = 3 ] || { echo "  cluster b: $(grep -c . <<<"$before") running containers"; return 1; }
	kill -9 $pa
	wait $pa 2>/dev/null
	took=$(wait_gone "$PWD/a" 10) || { echo "$took"; return 1; }
	echo "  cluster $ida (a) gone ${took} s after kill -9"
	assert_clean "$PWD/a" "$ida" || return 1
	# Let a's reaper finish its later passes, then look at b.
	sleep 3
	[ "$(docker ps -q --no-trunc --filter "label=org.minimesos.cluster-id=$idb" --filter status=running | sort)" = "$before" ] ||
		{ echo "  cluster b changed while a was reaped"; return 1; }
	[ "$(cat b/.minimesos/minimesos.cluster)" = "$idb" ] || { echo "  b's record changed"; return 1; }
	kill -0 $pb || { echo "  run b ended"; return 1; }
	kill -TERM $pb
	wait $pb; rc=$?
	[ $rc = 143 ] || { echo "  run b exited $rc after SIGTERM, want 143: $(cat err-b)"; return 1; }
	assert_clean "$PWD/b" "$idb"
}

# A cluster already up in the folder: run names it and fails, runs nothing,
# touches nothing.
t_run_refuses_running_cluster() {
	local out id err rc
	out=$("$MM" up 2>/dev/null) || { echo "  up failed"; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	err=$("$MM" run -- touch ran 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  run exited $rc, want 1"; return 1; }
	grep -q "minimesos: run: minimesos cluster $id is already running in $PWD" <<<"$err" || { echo "  run said: $err"; return 1; }
	[ ! -e ran ] || { echo "  COMMAND ran"; return 1; }
	[ "$(running_containers "$PWD")" = 3 ] && [ "$(cat .minimesos/minimesos.cluster)" = "$id" ] ||
		{ echo "  run touched the running cluster"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id"
}

# --retain: a failing COMMAND leaves the cluster (its reaper let go), with a
# line saying how to destroy it. A cluster that never comes up: exit 1,
# COMMAND not run, nothing left.
t_run_retain() {
	local err rc id
	err=$("$MM" run --retain -- sh -c 'exit 4' 2>&1 >/dev/null); rc=$?
	[ $rc = 4 ] || { echo "  run --retain exited $rc, want 4"; return 1; }
	id=$(cat .minimesos/minimesos.cluster) || { echo "  no record kept"; return 1; }
	grep -q "kept minimesos cluster $id (--retain); run \`minimesos destroy\` in $PWD to remove it" <<<"$err" ||
		{ echo "  run --retain said: $err"; return 1; }
	sleep 3 # its reaper, had it not been told, would have removed it by now
	[ "$(running_containers "$PWD")" = 3 ] || { echo "  the retained cluster went"; return 1; }
	grep -q "destroyed cluster $id or keeps it: nothing to do" .minimesos/reaper.log || { echo "  reaper log: $(cat .minimesos/reaper.log)"; return 1; }
	[ "$("$MM" destroy)" = "Destroyed minimesos cluster $id" ] || return 1
	assert_clean "$PWD" "$id" || return 1
	# --retain and a COMMAND that succeeds: destroyed.
	"$MM" -q run --retain -- true || { echo "  run --retain -- true failed"; return 1; }
	assert_clean "$PWD" || return 1
	# Never ready: 1, COMMAND not run, nothing left.
	write_config "$PWD" minimesos-test/mesos-master:never-ready
	err=$("$MM" run --timeout 3 -- touch ran 2>&1 >/dev/null); rc=$?
	[ $rc = 1 ] || { echo "  run with a cluster that never comes up exited $rc"; return 1; }
	grep -q "was not ready after 3 s" <<<"$err" && grep -q "removed the 3 containers" <<<"$err" || { echo "  said: $err"; return 1; }
	[ ! -e ran ] || { echo "  COMMAND ran"; return 1; }
	assert_clean "$PWD"
}

# The commands that talk to a live cluster (threads, libcurl, the engine and
# the stand-ins' HTTP) under valgrind: no invalid access, no definite or
# indirect leak. Marathon is in the cluster so install, ps and logs run too.
t_valgrind_live() {
	command -v valgrind >/dev/null || { echo "  valgrind is needed (scripts/deps.sh test)"; return 1; }
	write_config "$PWD" "" '
    marathon {
        imageName = "minimesos-test/marathon"
        imageTag = "test"
    }'
	printf '{"id": "vg", "cmd": "sleep 1000", "portDefinitions": [{"port": 0}]}\n' >vg.json
	local vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect)
	local cmd rc
	for cmd in "up" "info" "state" "install --app vg.json" "ps" "logs --task vg" "uninstall --app vg" "destroy" \
		"run -- true"; do
		# shellcheck disable=SC2086
		"${vg[@]}" "$MM" $cmd >out 2>err; rc=$?
		[ $rc = 0 ] || { echo "  valgrind minimesos $cmd: exit $rc"; grep -m 20 '==[0-9]*==\|minimesos:' err; return 1; }
	done
	assert_clean "$PWD"
}

ALL=(one_agent every_service map_ports up_twice destroy_twice stale_record engine_unreachable
	dry_run_options missing_image crash_at_start never_ready sigint sigterm destroy_waits_for_lock volume_in_use
	app_rejected
	privileged_refused example
	run_command run_sigint run_kill9 library_kill9 run_two_clusters run_refuses_running_cluster run_retain
	valgrind_live)
# Self-contained suites: tests/integration/*_test.sh (each cleans up its own clusters).
for s in "$HERE"/*_test.sh; do [ -e "$s" ] && ALL+=("$(basename "$s" .sh)"); done
[ $# -gt 0 ] && ALL=("$@")
passed=0 failed=0 failed_names=()
for t in "${ALL[@]}"; do
	dir="$WORKROOT/$t"
	mkdir -p "$dir"
	t0=$(date +%s%N)
	(
		cd "$dir" || exit 1
		trap 'remove_by_label "$PWD"' EXIT
		if [ -f "$HERE/$t.sh" ]; then MINIMESOS="$MM" bash "$HERE/$t.sh"; exit; fi
		[ -e minimesosFile ] || write_config "$dir"
		"t_$t"
	)
	rc=$?
	# Whatever the test did, nothing of its folder may remain.
	if [ $rc = 0 ] && ! assert_clean "$dir"; then rc=1; fi
	remove_by_label "$dir"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	dt=$((ms / 1000)).$(( (ms % 1000) / 100 ))
	if [ $rc = 0 ]; then
		passed=$((passed + 1)); echo "ok   $t (${dt}s)"
	else
		failed=$((failed + 1)); failed_names+=("$t"); echo "FAIL $t (${dt}s)"
	fi
done
[ -n "${failed_names:-}" ] && echo "integration: failed: ${failed_names[*]}"
echo "integration: took $(( $(date +%s) - SUITE_START )) s"
echo "integration: $passed passed, $failed failed"
[ $failed = 0 ]
