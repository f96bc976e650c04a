#!/usr/bin/env bash
# Marathon end to end on the local stand-ins (tests/standin/CONTRACT.md):
# apps and groups of the minimesosFile deployed at `up` with their tokens
# replaced (checked in what the Marathon stand-in received), install from a
# path, a URL, stdin, --update, Marathon's and our own errors, uninstall,
# ps (ports and no ports) and logs (stdout, stderr, no match, several).
# Removes only the containers of the clusters it started (by their folder label).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}

if ! curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
  "$top/tests/docker/engine.sh" start >&2 || { echo "marathon: no Docker engine" >&2; exit 1; }
fi
for i in zookeeper mesos-master mesos-agent marathon; do
  if ! docker image inspect "minimesos-test/$i:test" >/dev/null 2>&1; then
    "$top/tests/docker/images.sh" build >&2 || { echo "marathon: cannot build the stand-in images" >&2; exit 1; }
    break
  fi
done

tmp=$(mktemp -d /tmp/mm-marathon-test.XXXXXX)
web_pid=
engine() { curl -sf --max-time 10 --unix-socket /var/run/docker.sock "http://localhost$1"; }
remove_dir_containers() {
  # Only containers labelled with one of our own folders.
  local f ids
  f=$(jq -rn --arg d "$1" '{label: ["org.minimesos.dir=\($d)"]} | @uri')
  ids=$(engine "/containers/json?all=1&filters=$f" | jq -r '.[].Id' 2>/dev/null)
  for id in $ids; do
    curl -sf --max-time 30 -X DELETE --unix-socket /var/run/docker.sock \
      "http://localhost/containers/$id?force=1&v=1" >/dev/null || true
  done
}
cleanup() {
  [ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null
  for d in "$tmp/c1" "$tmp/c2"; do
    [ -d "$d" ] && (cd "$d" && "$mm" destroy >/dev/null 2>&1)
    remove_dir_containers "$d"
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

images() {
  cat <<'EOF'
    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }
    master { imageName = "minimesos-test/mesos-master"; imageTag = "test" }
    agent { imageName = "minimesos-test/mesos-agent"; imageTag = "test"; privileged = false }
EOF
}

# ---- no cluster in this folder: each command says so, exit 1 ----
mkdir -p "$tmp/none"
cd "$tmp/none"
for args in "install --app x.json" "uninstall --app x" "ps" "logs --task x"; do
  run "$mm" $args
  expect_status 1; expect_err "Cluster ID is not found in $tmp/none/"
done

# ---- cluster 1: an app and a group deployed at up, tokens replaced ----
c1=$tmp/c1
mkdir -p "$c1/apps" "$c1/defs"
{
  echo 'minimesos {'
  echo '    clusterName = "marathon-test"'
  echo '    timeout = 60'
  images
  echo '    marathon {'
  echo '        imageName = "minimesos-test/marathon"; imageTag = "test"'
  echo '        app { marathonJson = "apps/web.json" }'
  echo '        group { marathonJson = "apps/grp.json" }'
  echo '    }'
  echo '}'
} > "$c1/minimesosFile"
cat > "$c1/apps/web.json" <<'EOF'
{"id": "web", "instances": 1, "portDefinitions": [{"port": 0}],
 "cmd": "m=${MINIMESOS_MASTER} mip=${MINIMESOS_MASTER_IP} mport=${MINIMESOS_MASTER_PORT} zk=${MINIMESOS_ZOOKEEPER} aip=${MINIMESOS_AGENT_IP} mar=${MINIMESOS_MARATHON} gw=${MINIMESOS_NETWORK_GATEWAY} dir=${MINIMESOS_HOST_DIR} keep=${MINIMESOS_NOSUCH}"}
EOF
cat > "$c1/apps/grp.json" <<'EOF'
{"id": "grp", "apps": [{"id": "inner", "cmd": "inner at ${MINIMESOS_ZOOKEEPER_IP}"}]}
EOF
cd "$c1"
run "$mm" up
expect_status 0
expect_err 'Deploying app apps/web.json'
[ "$st" -eq 0 ] || finish marathon
exports=$(printf '%s\n' "$out" | grep '^export')
eval "$exports"
marathon=$MINIMESOS_MARATHON
received() { curl -sf --max-time 10 "$marathon/test/received"; }
n_received() { received | jq length; }

# What the Marathon stand-in received at up: the app, then the group.
rcv=$(received)
web_body=$(jq -r '[.[] | select(.method == "POST" and .path == "/v2/apps")][0].body' <<<"$rcv")
want="m=$MINIMESOS_MASTER mip=$MINIMESOS_MASTER_IP mport=5050 zk=$MINIMESOS_ZOOKEEPER aip=$MINIMESOS_AGENT_IP mar=$MINIMESOS_MARATHON gw=$MINIMESOS_NETWORK_GATEWAY dir=$c1 keep=\${MINIMESOS_NOSUCH}"
last="tokens replaced in the app sent at up"
[ "$(jq -r .cmd <<<"$web_body")" = "$want" ] && _ok || _no "cmd is '$(jq -r .cmd <<<"$web_body")', want '$want'"
check "the master's URL is an http URL" test -n "${MINIMESOS_MASTER#http://}"
grp_body=$(jq -r '[.[] | select(.method == "POST" and .path == "/v2/groups")][0].body' <<<"$rcv")
last="tokens replaced in the group sent at up"
[ "$(jq -r '.apps[0].cmd' <<<"$grp_body")" = "inner at $MINIMESOS_ZOOKEEPER_IP" ] && _ok || _no "group body: $grp_body"
check "Marathon lists /web and /grp/inner" \
  bash -c "curl -sf '$marathon/v2/apps' | jq -e '[.apps[].id] | index(\"/web\") and index(\"/grp/inner\")' >/dev/null"

# ---- install from a path relative to the current folder ----
cat > "$c1/defs/solo.json" <<'EOF'
{"id": "solo", "cmd": "solo on ${MINIMESOS_MASTER_IP}", "ports": []}
EOF
n0=$(n_received)
run "$mm" install --app defs/solo.json
expect_status 0; expect_out '"id"'
last="install sent the app with its tokens replaced"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path) \(.body | fromjson | .cmd)"')" = "POST /v2/apps solo on $MINIMESOS_MASTER_IP" ] && _ok || _no "last received: $(received | jq -c '.[-1]')"

# Marathon refuses a duplicate id: its message reaches the user.
run "$mm" install --marathonFile defs/solo.json
expect_status 1; expect_err 'install: app defs/solo.json: Marathon answered 409: An app with id \[/solo\] already exists'

# --update: PUT with the new definition.
sed 's/solo on/solo updated on/' "$c1/defs/solo.json" > "$c1/defs/solo2.json"
run "$mm" install --app defs/solo2.json --update
expect_status 0; expect_out 'deploymentId'
last="--update sent PUT /v2/apps/solo"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path)"')" = "PUT /v2/apps/solo" ] && _ok || _no "last received: $(received | jq -c '.[-1]')"
check "the app's cmd changed" \
  bash -c "curl -sf '$marathon/v2/apps/solo' | jq -e '(.app // .).cmd == \"solo updated on $MINIMESOS_MASTER_IP\"' >/dev/null"

# ---- errors caught before anything is sent ----
n1=$(n_received)
run "$mm" install --app defs/missing.json
expect_status 1; expect_err "defs/missing.json: No such file or directory"
printf '{"id": "broken",\n "cmd": oops}\n' > "$c1/defs/broken.json"
run "$mm" install --app defs/broken.json
expect_status 1; expect_err 'broken.json: invalid JSON at line 2'
echo '{"cmd": "no id"}' > "$c1/defs/noid.json"
run "$mm" install --app defs/noid.json
expect_status 1; expect_err 'needs an "id"'
run "$mm" install --app apps/grp.json
expect_status 1; expect_err 'looks like a group.*--group'
last="nothing was sent for the rejected definitions"
[ "$(n_received)" = "$n1" ] && _ok || _no "Marathon received $(( $(n_received) - n1 )) more requests"

# ---- usage errors ----
run "$mm" install;                             expect_status 2; expect_err 'usage: minimesos install'
run "$mm" install --app a.json --group b.json; expect_status 2; expect_err 'one of'
run "$mm" uninstall;                           expect_status 2; expect_err 'usage: minimesos uninstall'
run "$mm" logs;                                expect_status 2; expect_err '--task'

# ---- --stdin: an app, and a group detected by its "apps" ----
run_in '{"id": "piped", "cmd": "piped ${MINIMESOS_ZOOKEEPER_IP}", "portDefinitions": [{"port": 0}]}' "$mm" install --stdin
expect_status 0
last="--stdin app"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path) \(.body | fromjson | .cmd)"')" = "POST /v2/apps piped $MINIMESOS_ZOOKEEPER_IP" ] && _ok || _no "$(received | jq -c '.[-1]')"
run_in '{"id": "pgroup", "apps": [{"id": "one", "cmd": "c"}]}' "$mm" install --stdin
expect_status 0
last="--stdin group"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path)"')" = "POST /v2/groups" ] && _ok || _no "$(received | jq -c '.[-1]')"
run_in 'not json' "$mm" install --stdin
expect_status 1; expect_err 'standard input: invalid JSON'

# ---- a URL, served on 127.0.0.1 ----
cat > "$c1/defs/fromurl.json" <<'EOF'
{"id": "fromurl", "cmd": "fetched ${MINIMESOS_MASTER_PORT}", "portDefinitions": [{"port": 0}]}
EOF
python3 - "$c1/defs" > "$tmp/web.port" 2> "$tmp/web.log" <<'EOF' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
EOF
web_pid=$!
for _ in $(seq 1 50); do [ -s "$tmp/web.port" ] && break; sleep 0.1; done
port=$(cat "$tmp/web.port")
check "the local web server started" test -n "$port"
run "$mm" install --app "http://127.0.0.1:$port/fromurl.json"
expect_status 0
last="the app fetched from a URL was sent"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path) \(.body | fromjson | .cmd)"')" = "POST /v2/apps fetched 5050" ] && _ok || _no "$(received | jq -c '.[-1]')"
run "$mm" install --app "http://127.0.0.1:$port/nosuch.json"
expect_status 1; expect_err "http://127.0.0.1:$port/nosuch.json.*404"
run "$mm" install --group "http://127.0.0.1:$port/broken.json"
expect_status 1; expect_err 'group .*broken.json: invalid JSON'

# ---- uninstall ----
run "$mm" uninstall --app piped
expect_status 0
last="uninstall sent DELETE /v2/apps/piped"
[ "$(received | jq -r '.[-1] | "\(.method) \(.path)"')" = "DELETE /v2/apps/piped" ] && _ok || _no "$(received | jq -c '.[-1]')"
run "$mm" uninstall --app piped
expect_status 1; expect_err "uninstall: app piped: Marathon answered 404: App '/piped' does not exist"
run "$mm" uninstall --group pgroup
expect_status 0

# ---- ps: wait (bounded) until the tasks show ----
ps_has() { "$mm" ps 2>/dev/null | awk -v t="$1" '$2 ~ "^"t"\\." {found=1} END {exit !found}'; }
for _ in $(seq 1 30); do ps_has web && ps_has solo && ps_has fromurl && ps_has grp_inner && break; sleep 0.5; done
run "$mm" ps
expect_status 0
expect_out '^FRAMEWORK +TASK +STATE +PORT$'
expect_out '^marathon +web\.[^ ]+ +TASK_RUNNING +31[0-9]{3}$'
expect_out '^marathon +fromurl\.[^ ]+ +TASK_[A-Z]+ +31[0-9]{3}$'
# solo has "ports": [] -> no port: an empty column, no crash.
expect_out '^marathon +solo\.[^ ]+ +TASK_[A-Z]+$'
expect_no_out 'piped\.'
last="ps ports match the master's state"
web_port=$(printf '%s\n' "$out" | awk '$2 ~ /^web\./ {print $4}')
state_port=$("$mm" state | jq -r '.frameworks[].tasks[] | select(.id | startswith("web.")) | .resources.ports' | tr -d '[]' | cut -d- -f1)
[ -n "$web_port" ] && [ "$web_port" = "$state_port" ] && _ok || _no "ps says '$web_port', state says '$state_port'"

# ---- logs ----
web_task=$(printf '%s\n' "$out" | awk '$2 ~ /^web\./ {print $2}')
solo_task=$(printf '%s\n' "$out" | awk '$2 ~ /^solo\./ {print $2}')
run "$mm" logs --task "$web_task"
expect_status 0
last="logs prints the task's stdout"
[ "$(printf '%s' "$out" | head -1)" = "stdout of $web_task: $want" ] && _ok || _no "got '${out:0:300}'"
run "$mm" logs --task "${solo_task#solo.}" --stderr
expect_status 0
last="logs --stderr prints the task's stderr"
[ "$out" = "stderr of $solo_task" ] && _ok || _no "got '${out:0:300}'"
run "$mm" logs --task no-such-task
expect_status 1; expect_err "no task matches 'no-such-task'"
# "o" is in solo.* and fromurl.* (and more): several matches, listed.
run "$mm" logs --task o
expect_status 1; expect_err 'tasks match .o.'; expect_err "^  $solo_task"; expect_err '^  fromurl\.'
check "nothing printed on stdout for several matches" test -z "$out"

# A task whose agent is gone: a clear message, exit 1 (bounded by the connect timeout).
agent_c=$(docker ps -q --filter "label=org.minimesos.dir=$c1" --filter label=org.minimesos.role=agent)
check "found the agent container of cluster 1" test -n "$agent_c"
docker stop -t 2 $agent_c >/dev/null 2>&1
run timeout 60 "$mm" logs --task "$web_task"
expect_status 1; expect_err "logs: task $web_task: .*agent"
check "nothing printed on stdout for a missing agent" test -z "$out"

# ---- cluster 2: a definition Marathon rejects fails up, naming the app ----
c2=$tmp/c2
mkdir -p "$c2"
{
  echo 'minimesos {'
  echo '    timeout = 60'
  images
  echo '    marathon {'
  echo '        imageName = "minimesos-test/marathon"; imageTag = "test"'
  echo '        app { marathonJson = "first.json" }'
  echo '        app { marathonJson = "again.json" }'
  echo '    }'
  echo '}'
} > "$c2/minimesosFile"
echo '{"id": "same", "cmd": "a"}' > "$c2/first.json"
echo '{"id": "same", "cmd": "b"}' > "$c2/again.json"
cd "$c2"
run "$mm" up
expect_status 1
expect_err 'again\.json'
expect_err 'An app with id \[/same\] already exists'
expect_no_out 'first\.json'
cd "$tmp"
finish marathon
