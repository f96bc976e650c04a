#!/usr/bin/env bash
# Faults: each leaves nothing behind and says what happened.
#
#   engine addresses  DOCKER_HOST naming a stale socket file, a closed TCP
#                     port, and a TCP address that accepts and never answers:
#                     exit 1 in bounded time, the message names the address
#                     and what happened, no record, no container.
#   read-only folder  the minimesosFile's folder is on a read-only file
#                     system: up refuses before creating anything.
#   fake engine       tests/integration/fake_engine.c on a unix socket, made
#                     to answer one call with a 500, a body that is not JSON,
#                     or a truncated body: up fails with the engine's message
#                     (or "malformed answer from the Docker engine at ..."),
#                     exit 1, and sends a DELETE for every container it had
#                     created; no record left.
#   engine killed     a second dockerd of the test's own (tests/docker/engine.sh
#                     start-second), SIGKILLed while up waits for the master:
#                     up fails promptly naming the engine, exit 1; the engine
#                     started again, `destroy` removes what is left.
#   tls               the same second engine on 127.0.0.1:PORT with TLS and
#                     client verification (certificates made with openssl
#                     here): up/info/destroy through DOCKER_HOST=tcp://...,
#                     DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH; a wrong CA and a
#                     missing client certificate each fail with a TLS error.
#
# run.sh runs this file as one of its suites; alone:
#
#   MINIMESOS=build/minimesos bash tests/integration/faults_test.sh [CASE...]
#
# The fake engine is $MINIMESOS_FAKE_ENGINE (default: tests/fake_engine next
# to the binary, built by `make integration`). Each timing is printed; none is
# asserted beyond the `timeout` that keeps a hang from stalling the run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MM=${MINIMESOS:?set MINIMESOS to the minimesos binary}
FAKE=${MINIMESOS_FAKE_ENGINE:-$(dirname "$MM")/tests/fake_engine}
# shellcheck source=suite_lib.sh
. "$top/tests/integration/suite_lib.sh"

suite_init faults mm-faults-test
suite_need_engine
suite_need_images zookeeper mesos-master mesos-agent
# A case's fake engines and second engine stop when it ends (its EXIT trap);
# each starts with the default minimesosFile; a case leaves no record.
suite_case_setup() {
	trap 'stop_fakes; stop_second' EXIT
	write_config "$1"
}
suite_assert_more() { assert_no_record "$1"; }
# Whatever happened: a read-only mount, a second engine left.
suite_end() {
	local d
	for d in "$WORK"/*/; do
		[ -d "$d" ] || continue
		mountpoint -q "${d}ro" 2>/dev/null && umount "${d}ro"
		[ -d "${d}engine" ] && bash "$top/tests/docker/engine.sh" stop-second "${d}engine" >/dev/null
	done
}

# ---- helpers ----
write_config() { # dir [master-image]
	local master=${2:-minimesos-test/mesos-master:test}
	cat >"$1/minimesosFile" <<EOF
minimesos {
    clusterName = "faults-$(basename "$1")"
    timeout = ${TIMEOUT:-30}
    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }
    master { imageName = "${master%:*}"; imageTag = "${master##*:}" }
    agent { imageName = "minimesos-test/mesos-agent"; imageTag = "test"; privileged = false }
}
EOF
}
# Fake engines started by a case: stopped when the case ends, however it ends.
FAKE_PIDS=()
start_fake() { # fake-engine-args...
	[ -x "$FAKE" ] || { echo "  no fake engine at $FAKE (make integration builds it)"; return 1; }
	"$FAKE" "$@" &
	FAKE_PIDS+=($!)
}
stop_fakes() {
	local p
	for p in "${FAKE_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	FAKE_PIDS=()
}
# A TCP port on 127.0.0.1 that nothing listens on: one a fake engine had
# until it stopped.
free_port() {
	start_fake --tcp "$PWD/free.port" --log /dev/null || return 1
	local i
	for ((i = 0; i < 50; i++)); do [ -s "$PWD/free.port" ] && break; sleep 0.1; done
	stop_fakes
	cat "$PWD/free.port" && rm -f "$PWD/free.port"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Run COMMAND... with a 60 s bound; sets rc, err (stderr) and ms.
timed() {
	local t0
	t0=$(now_ms)
	err=$(timeout 60 "$@" 2>&1 >/dev/null); rc=$?
	ms=$(($(now_ms) - t0))
}

# ---- DOCKER_HOST naming an engine that is not there ----

# One address: exit 1 within the bound, the message names the address and
# the reason, nothing written, nothing created.
unreachable() { # DOCKER_HOST reason-regex label
	timed env DOCKER_HOST="$1" "$MM" up
	echo "  $3: exit $rc after $ms ms: $err"
	[ $rc = 1 ] || { echo "  $3: exit $rc, want 1 (124 = no answer within 60 s)"; return 1; }
	grep -qE "^minimesos: cannot reach the Docker engine at $(sed 's/[.[\*^$/]/\\&/g' <<<"$1") \(DOCKER_HOST\): $2$" <<<"$err" ||
		{ echo "  $3: the message does not name $1 and '$2'"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  $3: a record was written"; return 1; }
	assert_clean "$PWD"
}

t_dead_socket() {
	# A socket file that nothing listens on (left by an engine that died).
	# A socket file whose listener died without removing it (SIGKILL).
	start_fake --unix "$PWD/stale.sock" --log stale.log || return 1
	local i
	for ((i = 0; i < 50; i++)); do [ -S stale.sock ] && break; sleep 0.1; done
	kill -KILL "${FAKE_PIDS[-1]}"; wait "${FAKE_PIDS[-1]}" 2>/dev/null
	[ -S stale.sock ] || { echo "  cannot make a stale socket"; return 1; }
	unreachable "unix://$PWD/stale.sock" "connection refused" "stale socket" || return 1
	unreachable "unix://$PWD/no-such.sock" "no such socket" "no socket" || return 1
	# destroy, info and ps say the same.
	local c
	for c in destroy info ps; do
		timed env DOCKER_HOST="unix://$PWD/stale.sock" "$MM" $c
		[ $rc = 1 ] && grep -q "cannot reach the Docker engine at unix://$PWD/stale.sock (DOCKER_HOST): connection refused" <<<"$err" ||
			{ echo "  $c: exit $rc: $err"; return 1; }
	done
}

t_closed_port() {
	# A port on 127.0.0.1 with no listener: bind one, note it, close it.
	local port
	port=$(free_port) || return 1
	unreachable "tcp://127.0.0.1:$port" "connection refused" "closed port" || return 1
	# With TLS asked for, the same (the files exist; nothing reads them
	# before the connection is made).
	mkdir certs && : >certs/ca.pem && : >certs/cert.pem && : >certs/key.pem
	timed env DOCKER_HOST="tcp://127.0.0.1:$port" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$PWD/certs" "$MM" up
	[ $rc = 1 ] && grep -q "cannot reach the Docker engine at tcp://127.0.0.1:$port (DOCKER_HOST): connection refused" <<<"$err" ||
		{ echo "  with TLS: exit $rc: $err"; return 1; }
	assert_clean "$PWD"
}

t_silent_engine() {
	# A listener that accepts and never answers: up gives up on its own.
	start_fake --tcp port --log fake.log --silent || return 1
	local i
	for ((i = 0; i < 50; i++)); do [ -s port ] && break; sleep 0.1; done
	[ -s port ] || { echo "  the fake engine did not start"; return 1; }
	unreachable "tcp://127.0.0.1:$(cat port)" "timed out after [0-9]+ ms" "silent listener" || return 1
	grep -q "^GET /version -> silent$" fake.log || { echo "  the request never reached the listener: $(cat fake.log)"; return 1; }
	# The same on a unix socket.
	start_fake --unix "$PWD/silent.sock" --log fake2.log --silent || return 1
	for ((i = 0; i < 50; i++)); do [ -S silent.sock ] && break; sleep 0.1; done
	unreachable "unix://$PWD/silent.sock" "timed out after [0-9]+ ms" "silent unix socket"
}

# ---- the record's folder not writable ----

t_readonly_folder() {
	mkdir ro
	if [ "$(id -u)" = 0 ]; then
		# As root chmod does not stop writes: a read-only file system does.
		mount -t tmpfs -o size=1m tmpfs ro || { echo "  cannot mount a tmpfs (needs CAP_SYS_ADMIN)"; return 1; }
		write_config "$PWD/ro"
		mkdir ro/with-dir && write_config "$PWD/ro/with-dir" && mkdir ro/with-dir/.minimesos
		mount -o remount,ro ro || { echo "  cannot remount read-only"; return 1; }
		! touch ro/probe 2>/dev/null || { echo "  the folder is still writable"; return 1; }
	else
		write_config "$PWD/ro"
		mkdir ro/with-dir && write_config "$PWD/ro/with-dir" && mkdir ro/with-dir/.minimesos
		chmod a-w ro ro/with-dir ro/with-dir/.minimesos
	fi
	local d
	for d in ro ro/with-dir; do
		(cd "$d" && timed "$MM" up
		echo "  $d: exit $rc after $ms ms: $err"
		[ $rc = 1 ] || { echo "  $d: exit $rc, want 1"; exit 1; }
		grep -qE "^minimesos: cannot (create|open) $PWD(/\.minimesos|/\.minimesos/lock): (Read-only file system|Permission denied)$" <<<"$err" ||
			{ echo "  $d: the message does not name the folder and why"; exit 1; }
		grep -q "Starting minimesos cluster" <<<"$err" && { echo "  $d: up started a cluster"; exit 1; }
		assert_clean "$PWD") || return 1
	done
	if mountpoint -q ro; then umount ro; else chmod -R u+w ro; fi
}

# ---- a fake engine that fails one call ----

# Start the fake engine on ./fake.sock with the given --fail rules, run up
# through it; sets rc, err, ms; stops the engine; fake.log has the requests.
fake_up() { # fake-engine-args...
	rm -f fake.sock fake.log
	start_fake --unix "$PWD/fake.sock" --log fake.log "$@" || return 1
	local i
	for ((i = 0; i < 50; i++)); do [ -S fake.sock ] && break; sleep 0.1; done
	[ -S fake.sock ] || { echo "  the fake engine did not start"; return 1; }
	timed env DOCKER_HOST="unix://$PWD/fake.sock" ${VG[@]+"${VG[@]}"} "$MM" up
	echo "  $*: exit $rc after $ms ms"
	sed 's/^/    | /' <<<"$err"
	# What the fake still holds, from itself, before it stops.
	left=$(curl -sf --max-time 5 --unix-socket fake.sock http://localhost/v1.41/containers/json | jq length)
	stop_fakes
	return 0
}
# Every container the fake created got a DELETE, none is left, no record.
assert_fake_clean() {
	local created id
	created=$(sed -n 's/^created \([^ ]*\) .*/\1/p' fake.log)
	for id in $created; do
		grep -q "^DELETE /v1.41/containers/$id?force=1&v=1 -> 204$" fake.log ||
			{ echo "  no DELETE for $id:"; cat fake.log; return 1; }
	done
	[ "$left" = 0 ] || { echo "  the fake engine still holds $left container(s)"; return 1; }
	[ ! -e .minimesos/minimesos.cluster ] || { echo "  a record was left"; return 1; }
	grep -q "^removed the $(grep -c . <<<"$created") containers\? of cluster" <<<"$err" ||
		{ echo "  no clean-up line for $(grep -c . <<<"$created") container(s)"; return 1; }
}

t_engine_500() {
	# 500 on the master's create, after ZooKeeper was created and started.
	fake_up --fail "POST:/containers/create?name=minimesos-master:500" || return 1
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; return 1; }
	grep -q "^minimesos: creating container minimesos-master-[0-9-]*: fake engine: refused POST on purpose" <<<"$err" ||
		{ echo "  the engine's message is not in the error"; return 1; }
	grep -q "^created .* minimesos-zookeeper-" fake.log || { echo "  ZooKeeper was never created"; return 1; }
	assert_fake_clean || return 1
	# 500 on a start: the container exists, was never started, is removed.
	fake_up --fail "POST:/start:500" || return 1
	[ $rc = 1 ] && grep -q "starting container.*fake engine: refused POST on purpose" <<<"$err" ||
		{ echo "  start refused: exit $rc"; return 1; }
	assert_fake_clean || return 1
	# 500 on the very first call: nothing created, nothing to remove.
	fake_up --fail "GET:/version:500" || return 1
	[ $rc = 1 ] && grep -qx "minimesos: cannot reach the Docker engine at unix://$PWD/fake.sock (DOCKER_HOST): GET /version: fake engine: refused GET on purpose" <<<"$err" ||
		{ echo "  /version refused: exit $rc"; return 1; }
	! grep -q "^created" fake.log || { echo "  containers created after /version failed"; return 1; }
	assert_clean "$PWD"
}

t_engine_malformed() {
	# The inspect of the first container (ZooKeeper) answers with half a JSON object.
	fake_up --fail "GET:/containers/fake00/json:malformed" || return 1
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; return 1; }
	grep -q "inspecting container fake[0-9]*: malformed answer from the Docker engine at unix://$PWD/fake.sock (not JSON)" <<<"$err" ||
		{ echo "  no 'malformed answer' naming the engine"; return 1; }
	assert_fake_clean || return 1
	# The create answer of the agent.
	fake_up --fail "POST:/containers/create?name=minimesos-agent:malformed" || return 1
	[ $rc = 1 ] && grep -q "creating container minimesos-agent-[0-9-]*: malformed answer from the Docker engine at unix://$PWD/fake.sock (not JSON)" <<<"$err" ||
		{ echo "  create: exit $rc"; return 1; }
	assert_fake_clean || return 1
	# /version, and the first list: nothing created.
	fake_up --fail "GET:/version:malformed" || return 1
	[ $rc = 1 ] && grep -qx "minimesos: cannot reach the Docker engine at unix://$PWD/fake.sock (DOCKER_HOST): GET /version gave a malformed answer (not JSON)" <<<"$err" ||
		{ echo "  /version: exit $rc"; return 1; }
	fake_up --fail "GET:/containers/json:malformed" || return 1
	[ $rc = 1 ] && grep -qx "minimesos: listing containers: malformed answer from the Docker engine at unix://$PWD/fake.sock (not a JSON array)" <<<"$err" ||
		{ echo "  list: exit $rc"; return 1; }
	! grep -q "^created" fake.log || { echo "  containers created after the list failed"; return 1; }
	assert_clean "$PWD"
}

t_engine_truncated() {
	# The answer to the first start stops 990 bytes short of its Content-Length.
	fake_up --fail "POST:/start:truncated" || return 1
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; return 1; }
	grep -q "starting container minimesos-zookeeper-.*cannot reach the Docker engine at unix://$PWD/fake.sock (DOCKER_HOST): transfer closed with 990 bytes remaining" <<<"$err" ||
		{ echo "  the message does not say the answer was cut"; return 1; }
	assert_fake_clean || return 1
	# An inspect that never answers: up waits its bound, then cleans up.
	fake_up --fail "GET:/containers/fake00/json:silent" || return 1
	[ $rc = 1 ] && grep -q "minimesos: container minimesos-zookeeper-[0-9-]* (zookeeper): cannot reach the Docker engine at unix://$PWD/fake.sock (DOCKER_HOST): timed out after [0-9]* ms" <<<"$err" ||
		{ echo "  silent inspect: exit $rc"; return 1; }
	assert_fake_clean
}

# The failure and clean-up paths under valgrind: no invalid access, no leak.
t_engine_valgrind() {
	command -v valgrind >/dev/null || { echo "  valgrind is needed (scripts/deps.sh test)"; return 1; }
	if grep -qa __asan_init "$MM"; then echo "  (built with ASan: valgrind skipped)"; return 0; fi
	VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect --log-file=vg.log)
	local f
	for f in "POST:/containers/create?name=minimesos-master:500" "GET:/containers/fake00/json:malformed" \
		"POST:/start:truncated" "GET:/containers/json:malformed"; do
		fake_up --fail "$f" || return 1
		[ $rc = 1 ] || { echo "  $f under valgrind: exit $rc"; grep -m 20 . vg.log; return 1; }
	done
	# TLS files missing, and a closed port.
	mkdir -p certs
	timed env DOCKER_HOST=tcp://127.0.0.1:1 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$PWD/certs" "${VG[@]}" "$MM" up
	[ $rc = 1 ] || { echo "  TLS without files under valgrind: exit $rc"; grep -m 20 . vg.log; return 1; }
}

# ---- a second engine of the test's own ----

# Start it in ./engine (optionally with TLS on PORT), with the stand-in
# images; the case's EXIT trap stops it. Sets E (its DOCKER_HOST, unix).
SECOND=""
start_second() { # [port]
	[ "$(id -u)" = 0 ] || { echo "  a second engine needs root"; return 1; }
	SECOND=$PWD/engine
	mkdir -p "$SECOND"
	bash "$top/tests/docker/engine.sh" start-second "$SECOND" "$@" | sed 's/^/  /' || return 1
	[ "${PIPESTATUS[0]}" = 0 ] || return 1
	E=unix://$SECOND/docker.sock
	bash "$top/tests/docker/engine.sh" load-second "$SECOND" minimesos-test/zookeeper:test \
		minimesos-test/mesos-master:test minimesos-test/mesos-master:never-ready minimesos-test/mesos-agent:test ||
		{ echo "  cannot load the images into the second engine"; return 1; }
}
stop_second() {
	[ -n "$SECOND" ] || return 0
	bash "$top/tests/docker/engine.sh" stop-second "$SECOND" >/dev/null
	rm -rf "$SECOND"
	SECOND=""
}
# Nothing of the folder on the second engine.
assert_second_clean() { # folder
	local n
	n=$(docker -H "$E" ps -aq --filter "label=$LABEL_DIR=$1" | grep -c . || true)
	[ "$n" = 0 ] || { echo "  $n container(s) of $1 remain on the second engine"; return 1; }
	[ ! -e "$1/.minimesos/minimesos.cluster" ] || { echo "  a record was left in $1"; return 1; }
}

# SIGKILL of the engine while up waits for a master that is never ready.
t_engine_killed() {
	start_second || return 1
	TIMEOUT=60 write_config "$PWD" minimesos-test/mesos-master:never-ready
	DOCKER_HOST=$E timeout 120 "$MM" up >out 2>err &
	local up=$! i
	for ((i = 0; i < 150; i++)); do
		[ "$(docker -H "$E" ps -q --filter "label=$LABEL_DIR=$PWD" | grep -c .)" -ge 3 ] && break
		sleep 0.2
	done
	[ "$(docker -H "$E" ps -q --filter "label=$LABEL_DIR=$PWD" | grep -c .)" = 3 ] ||
		{ echo "  the cluster never had 3 running containers: $(cat err)"; kill $up; return 1; }
	grep -q "^Waiting" err || sleep 0.5
	local t0
	t0=$(now_ms)
	kill -KILL "$(cat "$SECOND/dockerd.pid")"
	wait $up; rc=$?
	echo "  up ended $(($(now_ms) - t0)) ms after the engine was killed, exit $rc:"
	sed 's/^/    | /' err
	[ $rc = 1 ] || { echo "  exit $rc, want 1"; return 1; }
	# Killed between two requests (refused, or its socket gone) or in the
	# middle of one (reset, or closed without an answer): each says so.
	grep -qx "minimesos: cannot reach the Docker engine at $E (DOCKER_HOST): \(connection refused\|no such socket\|connection reset in the middle of a request\|connection closed without an answer\|connection closed in the middle of a request\)" err ||
		{ echo "  the message does not name the engine and what happened"; return 1; }
	grep -qx "cleaning up failed too: cannot reach the Docker engine at $E (DOCKER_HOST): .*; run \`minimesos destroy\` in $PWD" err ||
		{ echo "  no line saying what is left and how to remove it"; return 1; }
	# What the user is told to do, once the engine is back.
	local id
	id=$(cat .minimesos/minimesos.cluster) || { echo "  no record kept for destroy"; return 1; }
	start_second || return 1
	local out
	out=$(DOCKER_HOST=$E timeout 60 "$MM" destroy) || { echo "  destroy failed"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy said: $out"; return 1; }
	assert_second_clean "$PWD"
}

# A remote engine over TLS with client verification, and two ways to get
# it wrong.
make_certs() { # folder: ca.pem + server-cert/key.pem there; client/, wrong-ca/, no-cert/ beside
	local t=$1 o=(-days 2)
	mkdir -p "$t" client wrong-ca no-cert
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca-key.pem" -out "$t/ca.pem" "${o[@]}" \
		-subj "/CN=minimesos test CA" 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -keyout "$t/server-key.pem" -out "$t/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$t/server.ext" &&
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" -CAcreateserial \
		-out "$t/server-cert.pem" "${o[@]}" -extfile "$t/server.ext" 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -keyout client/key.pem -out "$t/client.csr" -subj "/CN=minimesos test client" 2>/dev/null &&
	printf 'extendedKeyUsage=clientAuth\n' >"$t/client.ext" &&
	openssl x509 -req -in "$t/client.csr" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" -CAcreateserial \
		-out client/cert.pem "${o[@]}" -extfile "$t/client.ext" 2>/dev/null &&
	cp "$t/ca.pem" client/ca.pem &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/wrong-key.pem" -out wrong-ca/ca.pem "${o[@]}" \
		-subj "/CN=some other CA" 2>/dev/null &&
	cp client/cert.pem client/key.pem wrong-ca/ && cp client/ca.pem no-cert/
}

t_tls() {
	command -v openssl >/dev/null || { echo "  openssl is needed"; return 1; }
	mkdir -p engine
	make_certs engine/tls || { echo "  openssl could not make the certificates"; return 1; }
	local port
	port=$(free_port) || return 1
	start_second "$port" || return 1
	local T=tcp://127.0.0.1:$port
	# The right certificates: up, info, destroy.
	local out id
	out=$(DOCKER_HOST=$T DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$PWD/client timeout 90 "$MM" up 2>err) ||
		{ echo "  up over TLS failed:"; cat err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ -n "$id" ] || { echo "  up printed no cluster id"; return 1; }
	[ "$(docker -H "$E" ps -q --filter "label=org.minimesos.cluster-id=$id" --filter status=running | grep -c .)" = 3 ] ||
		{ echo "  the cluster is not on the second engine"; return 1; }
	[ "$(count_containers "$PWD")" = 0 ] || { echo "  containers went to the shared engine"; return 1; }
	out=$(DOCKER_HOST=$T DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$PWD/client timeout 60 "$MM" info) ||
		{ echo "  info over TLS failed"; return 1; }
	grep -q "^export MINIMESOS_MASTER=http://10\.213\.[0-9]*\.[0-9]*:5050;" <<<"$out" || { echo "  info said: $out"; return 1; }
	# A wrong CA, a missing client certificate: a TLS error each, nothing done.
	timed env DOCKER_HOST="$T" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$PWD/wrong-ca" "$MM" destroy
	echo "  wrong CA: exit $rc after $ms ms: $err"
	[ $rc = 1 ] && grep -qx "minimesos: cannot reach the Docker engine at $T (DOCKER_HOST): TLS: the server's certificate is not trusted: .* (CA $PWD/wrong-ca/ca.pem, client certificate $PWD/wrong-ca/cert.pem)" <<<"$err" ||
		{ echo "  wrong CA: not the TLS error wanted"; return 1; }
	timed env DOCKER_HOST="$T" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$PWD/no-cert" "$MM" destroy
	echo "  no client certificate: exit $rc after $ms ms: $err"
	[ $rc = 1 ] && grep -qx "minimesos: cannot reach the Docker engine at $T (DOCKER_HOST): TLS: cannot read the client certificate $PWD/no-cert/cert.pem: No such file or directory (DOCKER_CERT_PATH .*)" <<<"$err" ||
		{ echo "  no client certificate: not the TLS error wanted"; return 1; }
	# Without TLS the engine refuses plain HTTP.
	timed env DOCKER_HOST="$T" DOCKER_TLS_VERIFY= "$MM" destroy
	echo "  no TLS: exit $rc: $err"
	[ $rc = 1 ] && grep -q "Client sent an HTTP request to an HTTPS server" <<<"$err" || { echo "  plain HTTP: $err"; return 1; }
	[ "$(docker -H "$E" ps -q --filter "label=org.minimesos.cluster-id=$id" --filter status=running | grep -c .)" = 3 ] ||
		{ echo "  a failed destroy removed containers"; return 1; }
	out=$(DOCKER_HOST=$T DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$PWD/client timeout 60 "$MM" destroy) ||
		{ echo "  destroy over TLS failed"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $id" ] || { echo "  destroy said: $out"; return 1; }
	assert_second_clean "$PWD"
}

ALL=(dead_socket closed_port silent_engine readonly_folder engine_500 engine_malformed engine_truncated engine_valgrind engine_killed tls)
suite_main "$@"
