#!/bin/bash
# Smoke test of the stand-in images on a real Docker engine (CONTRACT.md).
# Starts the engine if needed (tests/docker/engine.sh), builds the images
# (tests/docker/images.sh; $STANDIN names the binary, else the default build),
# runs zookeeper, masters, agents, marathon, consul, registrator, mesos-dns and
# crash with plain `docker run`, and checks them from the host with curl + jq.
# Every container carries --label minimesos-test-run=<random> and is removed
# on exit, even on failure. Prints "standin: N passed, M failed".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RUN="standin-$$-$RANDOM"
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && echo "       $2"; return 0; }
check() { # description, command...
	local d=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi
}

cleanup() {
	local ids
	ids=$(docker ps -aq --filter "label=minimesos-test-run=$RUN" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f -v $ids >/dev/null 2>&1
	ids=$(docker network ls -q --filter "label=minimesos-test-run=$RUN" 2>/dev/null)
	[ -n "$ids" ] && docker network rm $ids >/dev/null 2>&1
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in curl jq docker; do
	command -v $tool >/dev/null || { echo "standin: needs $tool"; echo "standin: 0 passed, 1 failed"; exit 1; }
done
bash "$REPO/tests/docker/engine.sh" start || { echo "standin: 0 passed, 1 failed (no engine)"; exit 1; }
bash "$REPO/tests/docker/images.sh" build || { echo "standin: 0 passed, 1 failed (images)"; exit 1; }

run() { docker run -d --label "minimesos-test-run=$RUN" "$@"; }
ip_of() { docker inspect -f '{{.NetworkSettings.IPAddress}}' "$1"; }
# wait_until SECONDS command...: poll every 0.5 s
wait_until() {
	local limit=$(($1 * 2)) i; shift
	for ((i = 0; i < limit; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
# wait_eq SECONDS EXPECTED command...: until the command prints EXPECTED
wait_eq() {
	local limit=$(($1 * 2)) want=$2 i; shift 2
	for ((i = 0; i < limit; i++)); do
		[ "$("$@" 2>/dev/null)" = "$want" ] && return 0
		sleep 0.5
	done
	return 1
}
get() { curl -s --max-time 5 "$@"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
state() { get "http://$1/state.json"; }
activated() { [ "$(state "$1" | jq -r .activated_slaves)" = "$2" ]; }
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1")" = true ]; }
exited_with() { [ "$(docker inspect -f '{{.State.Running}} {{.State.ExitCode}}' "$1")" = "false $2" ]; }

# ---- zookeeper
zk=$(run minimesos-test/zookeeper:test) || { bad "zookeeper starts"; exit 1; }
zkip=$(ip_of "$zk")
zk_say() { exec 3<>"/dev/tcp/$zkip/2181" || return 1; printf '%s' "$1" >&3; timeout 3 cat <&3; exec 3<&-; }
wait_until 10 bash -c "exec 3<>/dev/tcp/$zkip/2181" || true
check "zookeeper answers ruok with imok" test "$(zk_say ruok)" = imok
check "zookeeper SET then GET" test "$(zk_say $'SET /t/k v 1\nGET /t/k\nGET /nope\n' | tr '\n' '|')" = "OK|VALUE v 1|NONE|"

# ---- master and two agents
RES='cpus(*):0.2; mem(*):256; disk(*):200; ports(*):[31000-32000]'
m=$(run -e MESOS_ZK="zk://$zkip:2181/mesos" -e MESOS_QUORUM=1 -e MESOS_CLUSTER=standin-test \
	minimesos-test/mesos-master:test)
mip=$(ip_of "$m")
agents=()
# agent 1 names ZooKeeper by IP, agent 2 by the linked name (from /etc/hosts)
zkname=("" "$zkip" minimesos-zookeeper)
for i in 1 2; do
	a=$(run --link "$zk:minimesos-zookeeper" --pid host -v /var/lib/mesos/agent$i \
		-e "MESOS_MASTER=zk://${zkname[$i]}:2181/mesos" -e MESOS_PORT=5051 \
		-e MESOS_WORK_DIR=/var/lib/mesos/agent$i -e "MESOS_RESOURCES=$RES" \
		-e "MESOS_ATTRIBUTES=rack:r$i" minimesos-test/mesos-agent:test)
	agents+=("$a")
done
if wait_until 20 activated "$mip:5050" 2; then ok "master: activated_slaves becomes 2"
else bad "master: activated_slaves becomes 2" "$(state "$mip:5050" | head -c 300)"; fi
s=$(state "$mip:5050")
check "master: version 1.0.0, cluster, pid" test "$(jq -r '[.version, .cluster, .pid] | join(" ")' <<<"$s")" = "1.0.0 standin-test master@$mip:5050"
check "master: flags from MESOS_* env" test "$(jq -r '.flags.quorum + " " + .flags.zk' <<<"$s")" = "1 zk://$zkip:2181/mesos"
check "master: started_with argv and env" test "$(jq -r '.started_with.argv[1] + " " + .started_with.env.MESOS_QUORUM' <<<"$s")" = "master 1"
check "master: agents' resources and attributes" test "$(jq -r '[.slaves[] | .resources.cpus, .resources.ports, .resources_text, .attributes.rack] | length' <<<"$s")" = 8
check "master: slave pid and port" jq -e --arg p 5051 '.slaves | all(.pid | test("^slave\\(1\\)@[0-9.]+:5051$"))' <<<"$s"
a1ip=$(ip_of "${agents[0]}")
check "agent: state.json id, flags, no frameworks yet" test "$(get "http://$a1ip:5051/state.json" | jq -r '.id + " " + .flags.port + " " + (.completed_frameworks | length | tostring)')" \
	= "$(docker inspect -f '{{.Config.Hostname}}' "${agents[0]}")-S0 5051 0"
check "agent: /slave(1)/state.json" test "$(code "http://$a1ip:5051/slave(1)/state.json")" = 200

# ---- marathon
mar=$(run --add-host "minimesos-zookeeper:$zkip" minimesos-test/marathon:test --master zk://minimesos-zookeeper:2181/mesos)
marip=$(ip_of "$mar")
M="http://$marip:8080"
if wait_eq 20 200 code $M/v2/apps; then ok "marathon: /v2/apps answers"; else bad "marathon: /v2/apps answers" "$(docker logs "$mar" 2>&1 | tail -3)"; fi
check "marathon: framework registered with master" jq -e '.frameworks[] | select(.id == "marathon-0001" and .name == "marathon")' <<<"$(state "$mip:5050")"
check "marathon: POST app -> 201" test "$(code -X POST -H 'Content-Type: application/json' -d '{"id":"hello","cmd":"echo hello world","instances":1,"portDefinitions":[{"port":0}]}' $M/v2/apps)" = 201
check "marathon: same app again -> 409" test "$(get -X POST -d '{"id":"/hello","cmd":"x"}' $M/v2/apps | jq -r .message)" = "An app with id [/hello] already exists."
check "marathon: app without id -> 422" test "$(get -w ' %{http_code}' -X POST -d '{"cmd":"x"}' $M/v2/apps | sed 's/.* //')" = 422
check "marathon: bad JSON -> 422 Object is not valid" test "$(get -X POST -d '{"id":' $M/v2/apps | jq -r .message)" = "Object is not valid"
task_of() { state "$mip:5050" | jq -e -r --arg n "$1" '.frameworks[].tasks[] | select(.name == $n) | .id' | head -1 | grep .; }
count_tasks() { state "$mip:5050" | jq --arg n "$1" '[.frameworks[].tasks[] | select($n == "" or .name == $n)] | length'; }
check "marathon app is a master task when POST returns" task_of hello
t=$(state "$mip:5050" | jq -c '.frameworks[].tasks[] | select(.name == "hello")')
tid=$(jq -r .id <<<"$t")
check "task: framework, state, ports" test "$(jq -r '[.framework_id, .state, (.resources.ports | test("^\\[3[0-9]+-3[0-9]+\\]$") | tostring)] | join(" ")' <<<"$t")" = "marathon-0001 TASK_RUNNING true"
sid=$(jq -r .slave_id <<<"$t")
aip=$(state "$mip:5050" | jq -r --arg s "$sid" '.slaves[] | select(.id == $s) | .pid' | sed 's/.*@//')
dir=""
if wait_until 10 bash -c "curl -s http://$aip/state.json | jq -e --arg t '$tid' '.frameworks[].executors[] | select(.id == \$t)'"; then
	dir=$(get "http://$aip/state.json" | jq -r --arg t "$tid" '.frameworks[].executors[] | select(.id == $t) | .directory')
	ok "agent lists the task's executor"
else bad "agent lists the task's executor"; fi
check "agent: stdout downloadable" test "$(get "http://$aip/files/download?path=$dir/stdout")" = "stdout of $tid: echo hello world"
check "agent: stderr downloadable" test "$(get "http://$aip/files/download?path=$dir/stderr")" = "stderr of $tid"
check "agent: file outside work dir -> 404" test "$(code "http://$aip/files/download?path=/etc/passwd")" = 404
check "agent: .. escape -> 404" test "$(code "http://$aip/files/download?path=$dir/../../../../../../../../../../etc/passwd")" = 404
check "marathon: GET /v2/apps/hello" test "$(get $M/v2/apps/hello | jq -r '.app.id + " " + (.app.tasksRunning | tostring)')" = "/hello 1"
check "marathon: /test/received has the POST" jq -e '.[0] | select(.method == "POST" and .path == "/v2/apps" and (.body | fromjson | .id) == "hello")' <<<"$(get $M/test/received)"
check "marathon: PUT app -> 200 with deploymentId" jq -e '.deploymentId' <<<"$(get -X PUT -d '{"cmd":"echo again","instances":2}' $M/v2/apps/hello)"
check "PUT re-creates the tasks (2 instances) before it returns" test "$(count_tasks hello)" = 2
check "tasks spread over both agents" test "$(state "$mip:5050" | jq '[.frameworks[].tasks[] | select(.name == "hello") | .slave_id] | unique | length')" = 2
check "marathon: POST group -> 201" test "$(code -X POST -d '{"id":"/grp","apps":[{"id":"web","cmd":"serve"}],"groups":[{"id":"sub","apps":[{"id":"/grp/sub/db","cmd":"db"}]}]}' $M/v2/groups)" = 201
check "marathon: group apps listed" test "$(get $M/v2/apps | jq -r '[.apps[].id] | sort | join(",")')" = "/grp/sub/db,/grp/web,/hello"
check "marathon: GET /v2/groups tree" test "$(get $M/v2/groups | jq -r '.groups[0].id + " " + .groups[0].apps[0].id + " " + .groups[0].groups[0].apps[0].id')" = "/grp /grp/web /grp/sub/db"
check "marathon: DELETE group -> 200" test "$(code -X DELETE $M/v2/groups/grp)" = 200
check "marathon: DELETE missing group -> 404" test "$(get -X DELETE $M/v2/groups/grp | jq -r .message)" = "Group '/grp' does not exist"
check "marathon: DELETE app -> 200" test "$(code -X DELETE $M/v2/apps/hello)" = 200
check "marathon: DELETE missing app -> 404 message" test "$(get -X DELETE $M/v2/apps/hello | jq -r .message)" = "App '/hello' does not exist"
check "deleted apps' tasks are gone when DELETE returns" test "$(count_tasks "")" = 0
check "marathon: /v2/info" test "$(get $M/v2/info | jq -r .name)" = marathon

# ---- an agent that stops, and comes back (as a Mesos master reports it)
counts() { state "$mip:5050" | jq -r '"\(.activated_slaves) \(.deactivated_slaves)"'; }
a2=${agents[1]}
a2id="$(docker inspect -f '{{.Config.Hostname}}' "$a2")-S0"
check "both agents active before" test "$(counts)" = "2 0"
docker stop -t 5 "$a2" >/dev/null
t0=$(date +%s%N)
if wait_eq 10 "1 1" counts; then ok "stopped agent: activated_slaves 1, deactivated_slaves 1"
else bad "stopped agent: activated_slaves 1, deactivated_slaves 1" "$(counts)"; fi
gone_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# 2 s without a heartbeat, plus the half-second grain of wait_eq
check "the master noticed within 3 s (took ${gone_ms} ms)" test "$gone_ms" -le 3000
check "stopped agent listed inactive" test "$(state "$mip:5050" | jq -r --arg id "$a2id" '.slaves[] | select(.id == $id) | .active')" = false
check "master logs the deactivation" bash -c "docker logs $m 2>&1 | grep -q 'agent $a2id deactivated'"
docker start "$a2" >/dev/null
if wait_eq 10 "2 0" counts; then ok "restarted agent: active again, deactivated_slaves 0"
else bad "restarted agent: active again, deactivated_slaves 0" "$(counts)"; fi
check "restarted agent keeps its id, listed once" test "$(state "$mip:5050" | jq --arg id "$a2id" '[.slaves[] | select(.id == $id and .active)] | length')" = 1
sleep 3
check "active agents stay active (heartbeats)" test "$(counts)" = "2 0"

# ---- wiring errors
mw=$(run -e MESOS_ZK="zk://$zkip:2181/wrong" minimesos-test/mesos-master:test)
mwip=$(ip_of "$mw")
wait_eq 10 200 code "http://$mwip:5050/state.json" || true
sleep 3
check "master with wrong MESOS_ZK path gets no agents" activated "$mwip:5050" 0
mu=$(run -e MESOS_ZK="zk://10.255.255.1:2181/mesos" minimesos-test/mesos-master:test)
sleep 2
check "master with unreachable ZK answers 503" test "$(code "http://$(ip_of "$mu"):5050/state.json")" = 503
mn=$(run minimesos-test/mesos-master:test)
if wait_until 10 exited_with "$mn" 1; then ok "master without MESOS_ZK exits 1"; else bad "master without MESOS_ZK exits 1"; fi
an=$(run -e MESOS_PORT=5051 minimesos-test/mesos-agent:test)
if wait_until 10 exited_with "$an" 1; then ok "agent without MESOS_MASTER exits 1"; else bad "agent without MESOS_MASTER exits 1"; fi
mr=$(run minimesos-test/marathon:test)
if wait_until 10 exited_with "$mr" 1; then ok "marathon without --master exits 1"; else bad "marathon without --master exits 1"; fi
nr=$(run minimesos-test/mesos-master:never-ready)
nrip=$(ip_of "$nr")
wait_until 5 bash -c "curl -s -o /dev/null http://$nrip:5050/" || true
check "never-ready master answers 503" test "$(code "http://$nrip:5050/state.json")" = 503
check "never-ready master keeps running" running "$nr"

# ---- consul, registrator, mesos-dns
c=$(run minimesos-test/consul:test agent -server -bootstrap -client 0.0.0.0)
cip=$(ip_of "$c")
if wait_eq 10 "\"$cip:8300\"" get "http://$cip:8500/v1/status/leader"; then ok "consul: leader"; else bad "consul: leader"; fi
check "consul: catalog services" test "$(get "http://$cip:8500/v1/catalog/services")" = "{}"
check "consul: service register" test "$(code -X PUT -d '{"Name":"web"}' "http://$cip:8500/v1/agent/service/register")" = 200
r=$(run --network host -v /var/run/docker.sock:/tmp/docker.sock minimesos-test/registrator:test -internal "consul://$cip:8500")
if wait_until 10 bash -c "docker logs $r 2>&1 | grep -q 'registrator: synced'"; then ok "registrator: synced"; else bad "registrator: synced" "$(docker logs "$r" 2>&1 | tail -2)"; fi
rb=$(run minimesos-test/registrator:test -internal consul://bad)
if wait_until 10 exited_with "$rb" 1; then ok "registrator with malformed URL exits 1"; else bad "registrator with malformed URL exits 1"; fi
d=$(run -e MESOS_DNS_ZK="zk://$zkip:2181/mesos" -e MESOS_DNS_PORT=53 minimesos-test/mesos-dns:test -v=2 -config=/etc/mesos-dns/config.json)
if wait_until 10 bash -c "docker logs $d 2>&1 | grep -q 'mesos master leader is $mip:5050'"; then ok "mesos-dns finds the master"; else bad "mesos-dns finds the master"; fi
check "mesos-dns accepts TCP 53" bash -c "exec 3<>/dev/tcp/$(ip_of "$d")/53"

# ---- crash
cr=$(run minimesos-test/crash:test)
if wait_until 10 exited_with "$cr" 3; then ok "crash exits 3"; else bad "crash exits 3"; fi
logs=$(docker logs "$cr" 2>&1)
check "crash prints 3 lines, last 'standin crash: exiting on purpose'" test "$(wc -l <<<"$logs") $(tail -1 <<<"$logs")" = "3 standin crash: exiting on purpose"

# ---- robustness: bad requests never crash a stand-in
{ printf 'GARBAGE\r\n\r\n'; } | timeout 3 bash -c "cat > /dev/tcp/$mip/5050" 2>/dev/null
printf 'POST /register HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n' | timeout 3 bash -c "cat > /dev/tcp/$mip/5050" 2>/dev/null
get -X POST -d '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' "http://$mip:5050/tasks" >/dev/null
get -X POST -d '{"id":"x","ip":"1.2.3.4","port":"nope"}' "http://$mip:5050/register" >/dev/null
head -c 100000 /dev/urandom | tr -d '\0' | timeout 3 bash -c "cat > /dev/tcp/$marip/8080" 2>/dev/null
get -X POST -d "{\"id\":\"$(head -c 3000 /dev/zero | tr '\0' a)\"}" $M/v2/apps >/dev/null
printf 'SET\nGET\n\n\n' | timeout 3 bash -c "cat > /dev/tcp/$zkip/2181" 2>/dev/null
check "master survives bad requests" test "$(code "http://$mip:5050/state.json")" = 200
check "marathon survives bad requests" test "$(code $M/v2/apps)" = 200
check "zookeeper survives bad input" test "$(zk_say ruok)" = imok

# ---- names through DNS: on a user-defined network only Docker's DNS knows them
net=$(docker network create --label "minimesos-test-run=$RUN" "$RUN-net") || bad "network for the DNS test"
nip_of() { docker inspect -f "{{(index .NetworkSettings.Networks \"$RUN-net\").IPAddress}}" "$1"; }
dzk=$(run --network "$RUN-net" --network-alias zk-by-dns minimesos-test/zookeeper:test)
dm=$(run --network "$RUN-net" -e MESOS_ZK=zk://zk-by-dns:2181/mesos -e MESOS_QUORUM=1 minimesos-test/mesos-master:test)
da=$(run --network "$RUN-net" -e MESOS_MASTER=zk://zk-by-dns:2181/mesos -e MESOS_PORT=5051 minimesos-test/mesos-agent:test)
dmip=$(nip_of "$dm")
if wait_until 20 activated "$dmip:5050" 1; then ok "DNS: master and agent find ZooKeeper by a name only DNS knows"
else bad "DNS: master and agent find ZooKeeper by a name only DNS knows" "$(docker logs "$dm" 2>&1 | tail -2)"; fi
check "DNS: standin resolve gives the alias's address" test "$(docker exec "$dm" /standin resolve zk-by-dns)" = "zk-by-dns $(nip_of "$dzk")"
t0=$(date +%s)
check "DNS: an unknown name is not found" bash -c "! docker exec $dm /standin resolve no-such-name.invalid"
check "DNS: and quickly (bounded retries)" test $(($(date +%s) - t0)) -le 8
dbad=$(run --network "$RUN-net" -e MESOS_ZK=zk://no-such-zk:2181/mesos minimesos-test/mesos-master:test)
if wait_until 15 exited_with "$dbad" 1; then ok "DNS: a master whose ZooKeeper name is unknown exits 1"; else bad "DNS: a master whose ZooKeeper name is unknown exits 1"; fi
# Local checks of the client: no server answering, and a resolv.conf without servers
if [ -x "${STANDIN:-$REPO/build/standin/standin}" ]; then
	sb=${STANDIN:-$REPO/build/standin/standin}
	printf 'nameserver 127.0.0.1\n' >"/tmp/$RUN.resolv"
	check "DNS: no server on 127.0.0.1:53 -> not found" bash -c "! STANDIN_RESOLV_CONF=/tmp/$RUN.resolv timeout 8 $sb resolve nothing.invalid"
	printf '# empty\n' >"/tmp/$RUN.resolv"
	check "DNS: no nameserver -> not found" bash -c "! STANDIN_RESOLV_CONF=/tmp/$RUN.resolv timeout 2 $sb resolve nothing.invalid"
	check "DNS: an IP and localhost need no server" test "$(STANDIN_RESOLV_CONF=/tmp/$RUN.resolv $sb resolve 10.1.2.3 localhost | tr '\n' ' ')" = "10.1.2.3 10.1.2.3 localhost 127.0.0.1 "
	rm -f "/tmp/$RUN.resolv"
fi

echo "standin: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
