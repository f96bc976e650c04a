#!/usr/bin/env bash
# Bench: time to a ready cluster, and to remove it, with 1, 4 and 16 agents on
# the local stand-in images, for
#   minimesos       `minimesos up` (ready = master activated_slaves == N) / `destroy`
#   docker-compose  the same containers (images, env, links, binds, exposed
#                   ports: generated from `minimesos up --dry-run`) via
#                   `docker-compose up -d`, then the same readiness wait / `down -v`
#   docker run      the same containers one `docker run -d` after another, then
#                   the same readiness wait / one `docker rm -fv`
# and the ratios. The references' readiness wait polls on the same schedule
# as minimesos (25 ms doubling to 500 ms), so the comparison is like for like.
#
#   MINIMESOS=build/minimesos bash bench/up.sh [SIZES...]     (default: 1 4 16)
#   REPS=3 takes the median of 3 runs of each.
set -u
BENCH_NAME=bench-up
. "$(dirname "$0")/docker_lib.sh"
REPS=${REPS:-1}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 4 16)
COMPOSE=$(command -v docker-compose || true)

# The docker-compose and docker-run references carry the minimesos-bench label.
bench_up_cleanup() { # work
	local d ids
	ids=$(docker ps -aq --filter "label=minimesos-bench=$1" 2>/dev/null)
	[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	for d in "$1"/*/; do
		if [ -f "$d/docker-compose.yml" ] && [ -n "$COMPOSE" ]; then
			(cd "$d" && "$COMPOSE" -p "$(basename "$d")" down -v >/dev/null 2>&1)
		fi
	done
}
BENCH_EXTRA_CLEANUP=bench_up_cleanup
bench_docker_init minimesos-bench

# The plan's containers, as compact JSON lines: role, image, env, hostname, cmd,
# binds, exposed ports, volumes, pid mode, privileged.
plan_lines() { # dir
	(cd "$1" && "$MM" up --dry-run) | jq -c '.containers[] | {role, name, b: .create.body}'
}

compose_file() { # dir
	local zk_alias=minimesos-zookeeper
	plan_lines "$1" | jq -s --arg zk "$zk_alias" --arg blabel "$WORK" '
	  def fix: gsub("\\{\\{zookeeper\\.ip\\}\\}"; $zk);
	  { version: "2.4",
	    services: (to_entries | map(
	      .key as $i | .value as $c |
	      { key: ($c.role + ($i | tostring)),
	        value: ({ image: $c.b.Image,
	                  network_mode: "bridge",
	                  environment: ($c.b.Env | map(fix)),
	                  "labels": { "minimesos-bench": $blabel },
	                  expose: ($c.b.ExposedPorts | keys),
	                  privileged: $c.b.HostConfig.Privileged }
	                + (if $c.b.Hostname then { hostname: $c.b.Hostname } else {} end)
	                + (if $c.b.Cmd then { command: $c.b.Cmd } else {} end)
	                + (if $c.b.HostConfig.PidMode then { pid: $c.b.HostConfig.PidMode } else {} end)
	                + { volumes: (($c.b.HostConfig.Binds // []) + (($c.b.Volumes // {}) | keys)) }
	                + (if $c.role == "zookeeper" then {} else
	                     { links: ["zookeeper0:" + $zk], depends_on: ["zookeeper0"] } end)
	                + (if $c.role == "agent" then { depends_on: ["zookeeper0", "master1"] } else {} end))
	      }) | from_entries) }'
}

run_minimesos() { # n -> "up_ms destroy_ms"
	local d="$WORK/mm-$1-$RANDOM"
	mkdir -p "$d" && write_config "$d" "$1"
	local t0 t1 t2
	t0=$(now_ms)
	(cd "$d" && "$MM" --quiet up >/dev/null) || { echo "bench-up: minimesos up failed" >&2; return 1; }
	t1=$(now_ms)
	(cd "$d" && "$MM" destroy >/dev/null) || return 1
	t2=$(now_ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}

run_compose() { # n
	local p="cmp$1x$RANDOM"
	local d="$WORK/$p"
	mkdir -p "$d" && write_config "$d" "$1"
	compose_file "$d" >"$d/docker-compose.yml"
	local t0 t1 t2 ip
	t0=$(now_ms)
	(cd "$d" && "$COMPOSE" -p "$p" up -d >/dev/null 2>"$d/up.log") || { echo "bench-up: docker-compose up failed:" >&2; tail -5 "$d/up.log" >&2; return 1; }
	ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "${p}_master1_1")
	wait_ready "$ip" "$1" || return 1
	t1=$(now_ms)
	(cd "$d" && "$COMPOSE" -p "$p" down -v >/dev/null 2>&1) || return 1
	t2=$(now_ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}

run_docker_run() { # n
	local d="$WORK/run-$1-$RANDOM"
	mkdir -p "$d" && write_config "$d" "$1"
	local lines t0 t1 t2 zk_ip="" master_ip="" ids=()
	lines=$(plan_lines "$d")
	t0=$(now_ms)
	while IFS= read -r c; do
		local role name args=()
		role=$(jq -r .role <<<"$c")
		name="bench-$(jq -r .name <<<"$c")"
		args=(run -d --name "$name" --label "minimesos-bench=$WORK")
		while IFS= read -r e; do args+=(-e "${e//\{\{zookeeper.ip\}\}/$zk_ip}"); done < <(jq -r '.b.Env[]' <<<"$c")
		while IFS= read -r v; do [ -n "$v" ] && args+=(-v "$v"); done < <(jq -r '(.b.HostConfig.Binds // [])[], ((.b.Volumes // {}) | keys[])' <<<"$c")
		while IFS= read -r p; do args+=(--expose "$p"); done < <(jq -r '.b.ExposedPorts | keys[]' <<<"$c")
		local h pid
		h=$(jq -r '.b.Hostname // empty' <<<"$c"); [ -n "$h" ] && args+=(--hostname "$h")
		pid=$(jq -r '.b.HostConfig.PidMode // empty' <<<"$c"); [ -n "$pid" ] && args+=(--pid "$pid")
		[ "$role" = agent ] && args+=(--link "${ids[0]}:minimesos-zookeeper")
		args+=("$(jq -r .b.Image <<<"$c")")
		ids+=("$(docker "${args[@]}")") || return 1
		local ip
		ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "${ids[-1]}")
		[ "$role" = zookeeper ] && zk_ip=$ip
		[ "$role" = master ] && master_ip=$ip
	done <<<"$lines"
	wait_ready "$master_ip" "$1" || return 1
	t1=$(now_ms)
	docker rm -fv "${ids[@]}" >/dev/null || return 1
	t2=$(now_ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}

# The engine's own floors, asked directly over its socket (curl, as many at
# once as there are containers; no CLI process per container):
#   up:      start n+2 already-created containers all at once, nothing else.
#            No tool can be ready sooner than its containers have started.
#   destroy: remove those n+2 running containers all at once (force, with
#            their volumes), nothing else.
SOCK=/var/run/docker.sock
api() { # method path [curl args...]
	local m=$1 p=$2; shift 2
	curl -sf --max-time 60 --unix-socket "$SOCK" -X "$m" "$@" "http://localhost$p"
}
floor_create() { # n -> the ids of n+2 created (not started) containers, a line each
	local i
	for ((i = 0; i < $1 + 2; i++)); do
		api POST /containers/create -H 'Content-Type: application/json' \
			-d "{\"Image\":\"minimesos-test/zookeeper:test\",\"Labels\":{\"minimesos-bench\":\"$WORK\"}}" | jq -r .Id || return 1
	done
}
run_engine_floor() { # n -> "start_ms remove_ms"
	local ids=() i t0 t1 t2 pids=() ok=0 id
	mapfile -t ids < <(floor_create "$1")
	[ ${#ids[@]} = $(($1 + 2)) ] || return 1
	t0=$(now_ms)
	for id in "${ids[@]}"; do api POST "/containers/$id/start" -o /dev/null & pids+=($!); done
	for i in "${pids[@]}"; do wait "$i" || ok=1; done
	t1=$(now_ms)
	pids=()
	for id in "${ids[@]}"; do api DELETE "/containers/$id?force=1&v=1" -o /dev/null & pids+=($!); done
	for i in "${pids[@]}"; do wait "$i" || ok=1; done
	t2=$(now_ms)
	[ "$ok" = 0 ] || { echo "bench-up: the engine refused a floor start or removal" >&2; return 1; }
	echo "$((t1 - t0)) $((t2 - t1))"
}

# What the engine's starts cost the machine: /proc/stat's busy and idle
# ticks (all cores, machine-wide: dockerd, containerd, and the short-lived
# shim and runc processes of each start) while n+2 created containers start
# at once, as in the floor. Idle near 0 means the engine is bound by this
# machine's CPUs, and no client can start containers faster than the cores
# allow.
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
engine_start_cpu() { # n -> "busy_ticks idle_ticks"
	local ids=() i pids=() id b0 b1
	mapfile -t ids < <(floor_create "$1")
	[ ${#ids[@]} = $(($1 + 2)) ] || return 1
	b0=$(cpu_ticks)
	for id in "${ids[@]}"; do api POST "/containers/$id/start" -o /dev/null & pids+=($!); done
	for i in "${pids[@]}"; do wait "$i"; done
	b1=$(cpu_ticks)
	docker rm -fv "${ids[@]}" >/dev/null
	echo "$(( ${b1% *} - ${b0% *} )) $(( ${b1#* } - ${b0#* } ))"
}

# The same floor for exactly the containers `up` makes (the plan's create
# bodies: volumes, binds, links, pid mode), created beforehand, started in the
# order links force (zookeeper, then all the others at once) and nothing
# else: what is left above it is up's own (creates, inspects, readiness).
run_plan_floor() { # n -> "start_ms 0"
	local d="$WORK/floor-$1-$RANDOM" lines zk="" zk_ip t_zk t0 t1 ids=() pids=() ok=0 id c
	mkdir -p "$d" && write_config "$d" "$1"
	lines=$(cd "$d" && "$MM" up --dry-run | jq -c --arg w "$WORK" \
		'.containers[] | {role, name, b: (.create.body | .Labels = {"minimesos-bench": $w})}')
	while IFS= read -r c; do
		[ "$(jq -r .role <<<"$c")" = zookeeper ] || continue
		zk=$(api POST "/containers/create?name=$(jq -r .name <<<"$c")" -H 'Content-Type: application/json' \
			-d "$(jq -c .b <<<"$c")" | jq -r .Id)
		[ -n "$zk" ] && [ "$zk" != null ] || { echo "bench-up: the engine refused zookeeper's create" >&2; return 1; }
	done <<<"$lines"
	t0=$(now_ms)
	api POST "/containers/$zk/start" -o /dev/null || return 1
	t_zk=$(( $(now_ms) - t0 ))
	zk_ip=$(api GET "/containers/$zk/json" | jq -r .NetworkSettings.IPAddress)
	while IFS= read -r c; do
		[ "$(jq -r .role <<<"$c")" = zookeeper ] && continue
		id=$(api POST "/containers/create?name=$(jq -r .name <<<"$c")" -H 'Content-Type: application/json' \
			-d "$(jq -c .b <<<"$c" | sed "s/{{zookeeper.ip}}/$zk_ip/g")" | jq -r .Id)
		[ -n "$id" ] && [ "$id" != null ] || { echo "bench-up: the engine refused a plan-floor create" >&2; return 1; }
		ids+=("$id")
	done <<<"$lines"
	t0=$(now_ms)
	for id in "${ids[@]}"; do api POST "/containers/$id/start" -o /dev/null & pids+=($!); done
	for c in "${pids[@]}"; do wait "$c" || ok=1; done
	t1=$(now_ms)
	# Every one must run (a refused link or bind would make the floor a lie).
	for id in "$zk" "${ids[@]}"; do
		[ "$(api GET "/containers/$id/json" | jq -r .State.Status)" = running ] || ok=1
	done
	for id in "$zk" "${ids[@]}"; do api DELETE "/containers/$id?force=1&v=1" -o /dev/null & done
	wait
	[ "$ok" = 0 ] && [ ${#ids[@]} = $(($1 + 1)) ] || { echo "bench-up: a plan-floor container did not start" >&2; return 1; }
	echo "$((t_zk + t1 - t0)) 0"
}

# What a pool of engine connections could win: the cost of a new connection
# per request over reusing one (200 GET /_ping each way, one curl process).
connection_cost_us() {
	local urls=() i t0 t1 t2
	for ((i = 0; i < 200; i++)); do urls+=(http://localhost/_ping); done
	t0=$(date +%s%N)
	curl -sf --unix-socket "$SOCK" "${urls[@]}" >/dev/null || return 1
	t1=$(date +%s%N)
	curl -sf -H 'Connection: close' --unix-socket "$SOCK" "${urls[@]}" >/dev/null || return 1
	t2=$(date +%s%N)
	echo $(( ((t2 - t1) - (t1 - t0)) / 200000 ))
}

measure() { # fn n -> "up destroy" medians
	local ups=() downs=() r i
	for ((i = 0; i < REPS; i++)); do
		r=$("$1" "$2") || return 1
		ups+=("${r% *}"); downs+=("${r#* }")
	done
	echo "$(printf '%s\n' "${ups[@]}" | median) $(printf '%s\n' "${downs[@]}" | median)"
}


echo "bench-up: time to ready (master counts N agents) and to destroy; median of $REPS; seconds"
printf '%-7s %-21s %-21s %-21s %s\n' agents "minimesos up/destroy" "compose up/down" "docker run/rm" "compose/minimesos (up, destroy)  run/minimesos (up)"
declare -A MM_UP MM_DOWN FLOOR RMFLOOR PLANFLOOR CMP_UP CMP_DOWN
fail=0
for n in "${SIZES[@]}"; do
	m=$(measure run_minimesos "$n") || { fail=1; continue; }
	MM_UP[$n]=${m% *} MM_DOWN[$n]=${m#* }
	f=$(measure run_engine_floor "$n") && FLOOR[$n]=${f% *} RMFLOOR[$n]=${f#* }
	f=$(measure run_plan_floor "$n") && PLANFLOOR[$n]=${f% *}
	c="- -"
	if [ -n "$COMPOSE" ]; then c=$(measure run_compose "$n") || c="- -"; fi
	[ "$c" = "- -" ] || { CMP_UP[$n]=${c% *}; CMP_DOWN[$n]=${c#* }; }
	r=$(measure run_docker_run "$n") || r="- -"
	printf '%-7s %-21s %-21s %-21s %s\n' "$n" \
		"$(sec "${m% *}") / $(sec "${m#* }")" \
		"$( [ "$c" = "- -" ] && echo "n/a" || echo "$(sec "${c% *}") / $(sec "${c#* }")")" \
		"$( [ "$r" = "- -" ] && echo "n/a" || echo "$(sec "${r% *}") / $(sec "${r#* }")")" \
		"$( [ "$c" = "- -" ] && echo "n/a" || echo "$(ratio "${m% *}" "${c% *}"), $(ratio "${m#* }" "${c#* }")")  $( [ "$r" = "- -" ] && echo "n/a" || ratio "${m% *}" "${r% *}")"
done
for n in "${SIZES[@]}"; do
	[ -n "${FLOOR[$n]:-}" ] && [ -n "${MM_UP[$n]:-}" ] || continue
	echo "bench-up: engine floor for $((n + 2)) containers (started at once, nothing else / removed at once): $(sec "${FLOOR[$n]}") s / $(sec "${RMFLOOR[$n]}") s; minimesos up is $(sec "$(( MM_UP[$n] - FLOOR[$n] ))") s above it (goal <= 0.30), destroy $(sec "$(( MM_DOWN[$n] - RMFLOOR[$n] ))") s"
	[ -n "${PLANFLOOR[$n]:-}" ] &&
		echo "bench-up:   floor for up's own $((n + 2)) containers (zookeeper, then the rest at once; created beforehand): $(sec "${PLANFLOOR[$n]}") s; up is $(sec "$(( MM_UP[$n] - PLANFLOOR[$n] ))") s above it"
	# Whether a goal is reachable at all on this engine: the time it asks
	# for against the engine's own floor.
	if [ -n "${CMP_UP[$n]:-}" ]; then
		need=$(( CMP_UP[$n] * 10 / 13 ))
		echo "bench-up:   1.3x faster than compose up needs up <= $(sec "$need") s: $( [ "$need" -ge "${FLOOR[$n]}" ] && echo "at or above the engine floor, reachable" || echo "BELOW the engine floor ($(sec "${FLOOR[$n]}") s), unreachable on this engine")"
		need=$(( CMP_DOWN[$n] * 10 / 15 ))
		echo "bench-up:   1.5x faster than compose down needs destroy <= $(sec "$need") s: $( [ "$need" -ge "${RMFLOOR[$n]}" ] && echo "at or above the engine's removal floor, reachable" || echo "BELOW the engine's removal floor ($(sec "${RMFLOOR[$n]}") s), unreachable on this engine")"
	fi
	if cpu=$(engine_start_cpu "$n"); then
		hz=$(getconf CLK_TCK)
		echo "bench-up:   while the engine started $((n + 2)) containers, the machine's $(nproc) cores were busy $(awk -v b="${cpu% *}" -v hz="$hz" -v k=$((n + 2)) 'BEGIN { printf "%.2f CPU-s (%.2f a start; machine-wide, so run the bench on a quiet machine)", b / hz, b / hz / k }') and idle $(awk -v b="${cpu% *}" -v i="${cpu#* }" 'BEGIN { printf "%.0f", (b + i) ? 100 * i / (b + i) : 0 }')% of the time: $( [ $(( ${cpu#* } * 4 )) -lt "${cpu% *}" ] && echo "the engine is CPU-bound here (idle under 20%)" || echo "the engine has CPU to spare")"
	fi
	[ "$n" = 16 ] && echo "bench-up:   destroy <= 1 s: the engine alone removes $((n + 2)) containers in $(sec "${RMFLOOR[$n]}") s: $( [ "${RMFLOOR[$n]}" -le 1000 ] && echo reachable || echo "unreachable on this engine")"
done
if [ -n "${MM_UP[1]:-}" ] && [ -n "${MM_UP[16]:-}" ]; then
	echo "bench-up: 16 agents ready in $(awk -v a="${MM_UP[16]}" -v b="${MM_UP[1]}" 'BEGIN { printf "%.2f", a / b }')x the time of 1 (goal: < 2x)"
	[ -n "${FLOOR[1]:-}" ] && [ -n "${FLOOR[16]:-}" ] &&
		echo "bench-up: the engine alone takes $(awk -v a="${FLOOR[16]}" -v b="${FLOOR[1]}" 'BEGIN { printf "%.2f", a / b }')x as long to start 18 containers as 3"
fi
if c=$(connection_cost_us); then
	echo "bench-up: a new engine connection costs ${c} us more per request than a reused one; up of 16 agents makes 80 engine requests (counted with strace -e connect): a connection pool could win about $(( c * 80 / 1000 )) ms"
fi
[ -n "$COMPOSE" ] || echo "bench-up: docker-compose not installed (scripts/deps.sh bench): compose column skipped"
exit $fail
