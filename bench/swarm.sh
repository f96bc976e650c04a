#!/usr/bin/env bash
# Bench: time to a ready cluster (the master counts N agents) with 1, 4 and 16
# agents on the stand-in images, in one run, for
#   up            `minimesos up` (bridge network), the reference
#   up --swarm    `minimesos up --swarm` on a single-node swarm (overlay network)
#   stack deploy  `docker stack deploy` of `minimesos config --format stack`,
#                 then the same readiness wait (polling as up does)
# and the ratios to the plain `up`. The swarm is this engine's, under
# /tmp/minimesos-swarm.lock for the whole run (tests/docker/swarm.sh): it is
# initialised only when the engine is in none, and left only then.
#
#   MINIMESOS=build/minimesos bash bench/swarm.sh [SIZES...]     (default: 1 4 16)
#   REPS=3 takes the median of 3 runs of each.
set -u
REPS=${REPS:-1}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 4 16)
BENCH_NAME=bench-swarm
BENCH_EXTRA_CLEANUP=swarm_cleanup
# shellcheck source=docker_lib.sh
. "$(dirname "$0")/docker_lib.sh"
# shellcheck source=../tests/docker/swarm.sh
. "$REPO/tests/docker/swarm.sh"

STACKS=()
# Before the shared clean-up removes the clusters' containers: the stacks,
# then (after the containers) the overlay networks, then the swarm.
swarm_cleanup() { # work folder
	local s d ids
	for s in "${STACKS[@]}"; do docker stack rm "$s" >/dev/null 2>&1; done
	for d in "$1"/*/; do
		[ -d "$d" ] || continue
		ids=$(docker ps -aq --filter "label=org.minimesos.dir=${d%/}" 2>/dev/null)
		[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
		ids=$(docker network ls -q --filter "label=org.minimesos.dir=${d%/}" 2>/dev/null)
		[ -n "$ids" ] && docker network rm $ids >/dev/null 2>&1
	done
	swarm_end
}
bench_docker_init minimesos-bench-swarm
swarm_begin || exit 1

run_up() { # n [--swarm] -> ms to ready
	local d
	d=$(mktemp -d "$WORK/up-$1-XXXX")
	write_config "$d" "$1"
	local t0 t1
	t0=$(now_ms)
	(cd "$d" && "$MM" --quiet up ${2:-} >/dev/null 2>"$d/err") ||
		{ echo "bench-swarm: minimesos up ${2:-} failed:" >&2; tail -5 "$d/err" >&2; return 1; }
	t1=$(now_ms)
	(cd "$d" && "$MM" destroy >/dev/null 2>&1) || return 1
	echo $((t1 - t0))
}

# The docker_gwbridge address (reachable from here) of a container on an overlay.
gwbridge_ip() { # container-id
	docker network inspect docker_gwbridge |
		jq -r --arg id "$1" '.[0].Containers[$id].IPv4Address // empty | sub("/.*"; "")'
}

run_stack() { # n -> ms to ready
	local d s
	d=$(mktemp -d "$WORK/stack-$1-XXXX")
	s="mmbench$1x$RANDOM"
	write_config "$d" "$1"
	(cd "$d" && "$MM" config --format stack >"$d/stack.yml") || return 1
	local master_image t0 t1 c="" ip="" i
	master_image=$(cd "$d" && "$MM" up --dry-run | jq -r '.containers[] | select(.role == "master") | .create.body.Image')
	STACKS+=("$s")
	t0=$(now_ms)
	docker stack deploy -c "$d/stack.yml" "$s" >"$d/deploy.log" 2>&1 ||
		{ echo "bench-swarm: docker stack deploy failed:" >&2; tail -5 "$d/deploy.log" >&2; return 1; }
	for ((i = 0; i < 1800; i++)); do
		[ -n "$ip" ] && break
		c=$(docker ps -q --no-trunc --filter "label=com.docker.stack.namespace=$s" --filter "ancestor=$master_image" | head -1)
		[ -n "$c" ] && ip=$(gwbridge_ip "$c")
		[ -n "$ip" ] || sleep 0.1
	done
	[ -n "$ip" ] || { echo "bench-swarm: the stack's master never ran" >&2; return 1; }
	wait_ready "$ip" "$1" 400 || return 1
	t1=$(now_ms)
	docker stack rm "$s" >/dev/null 2>&1
	for ((i = 0; i < 600; i++)); do
		[ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$s")" ] && break
		sleep 0.1
	done
	echo $((t1 - t0))
}

measure() { # fn args... -> median ms
	local v=() r i
	for ((i = 0; i < REPS; i++)); do
		r=$("$@") || return 1
		v+=("$r")
	done
	printf '%s\n' "${v[@]}" | median
}

echo "bench-swarm: time to ready (master counts N agents), median of $REPS, seconds; ratios to plain up"
printf '%-7s %-9s %-11s %-13s %-18s %s\n' agents up "up --swarm" "stack deploy" "swarm/up" "stack/up"
fail=0
for n in "${SIZES[@]}"; do
	u=$(measure run_up "$n") || { fail=1; continue; }
	w=$(measure run_up "$n" --swarm) || { fail=1; w=""; }
	k=$(measure run_stack "$n") || { fail=1; k=failed; }
	printf '%-7s %-9s %-11s %-13s %-18s %s\n' "$n" "$(sec "$u")" \
		"$([ -n "$w" ] && sec "$w" || echo failed)" \
		"$([ "$k" = failed ] && echo failed || sec "$k")" \
		"$([ -n "$w" ] && ratio "$u" "$w" || echo -)" \
		"$([ "$k" != failed ] && ratio "$u" "$k" || echo -)"
done
exit $fail
