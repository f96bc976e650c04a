#!/usr/bin/env bash
# Bench: time for `minimesos agent add --count K` to have K more agents ready
# (it returns once the master counts every new agent active) on a running
# one-agent cluster, beside a fresh `minimesos up` of K agents (ready = the
# master counts K), for K = 1 and 8 on the local stand-in images. Adding skips
# ZooKeeper and the master, so it should take no longer than the up.
#
#   MINIMESOS=build/minimesos bash bench/agent_add.sh [SIZES...]   (default: 1 8)
#   REPS=3 (default) takes the median of 3 runs of each.
set -u
BENCH_NAME=bench-agent-add
. "$(dirname "$0")/docker_lib.sh"
REPS=${REPS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 8)
bench_docker_init minimesos-bench-add

run_up() { # k -> ms for up of k agents
	local d="$WORK/up-$1-$RANDOM" t0 t1
	mkdir -p "$d" && write_config "$d" "$1"
	t0=$(now_ms)
	(cd "$d" && "$MM" --quiet up >/dev/null) || { echo "bench-agent-add: up failed" >&2; return 1; }
	t1=$(now_ms)
	(cd "$d" && "$MM" destroy >/dev/null) || return 1
	echo $((t1 - t0))
}

run_add() { # k -> ms for agent add --count k on a one-agent cluster
	local d="$WORK/add-$1-$RANDOM" t0 t1
	mkdir -p "$d" && write_config "$d" 1
	(cd "$d" && "$MM" --quiet up >/dev/null) || { echo "bench-agent-add: up failed" >&2; return 1; }
	t0=$(now_ms)
	(cd "$d" && "$MM" --quiet agent add --count "$1" >/dev/null) || { echo "bench-agent-add: agent add failed" >&2; return 1; }
	t1=$(now_ms)
	[ "$(cd "$d" && "$MM" state | jq .activated_slaves)" = $(($1 + 1)) ] ||
		{ echo "bench-agent-add: the master does not count $(($1 + 1)) agents" >&2; return 1; }
	(cd "$d" && "$MM" destroy >/dev/null) || return 1
	echo $((t1 - t0))
}

measure() { # fn k
	local r i all=()
	for ((i = 0; i < REPS; i++)); do
		r=$("$1" "$2") || return 1
		all+=("$r")
	done
	printf '%s\n' "${all[@]}" | median
}

echo "bench-agent-add: time to ready, median of $REPS, seconds"
printf '%-7s %-26s %-34s %s\n' agents "up of K agents (fresh)" "agent add --count K (to 1 agent)" "add/up"
fail=0
for k in "${SIZES[@]}"; do
	u=$(measure run_up "$k") || { fail=1; continue; }
	a=$(measure run_add "$k") || { fail=1; continue; }
	printf '%-7s %-26s %-34s %s\n' "$k" "$(sec "$u")" "$(sec "$a")" \
		"$(awk -v a="$a" -v u="$u" 'BEGIN { printf "%.2fx", a / u }')"
done
exit $fail
