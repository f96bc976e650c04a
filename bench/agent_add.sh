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
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MM=${MINIMESOS:-$REPO/build/minimesos}
MM=$(cd "$(dirname "$MM")" && pwd)/$(basename "$MM")
REPS=${REPS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 8)

for tool in docker jq curl; do
	command -v $tool >/dev/null || { echo "bench-agent-add: $tool is needed" >&2; exit 1; }
done
[ -x "$MM" ] || { echo "bench-agent-add: no minimesos at $MM" >&2; exit 1; }
started_engine=0
if ! curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
	bash "$REPO/tests/docker/engine.sh" start || exit 1
	started_engine=1
fi
bash "$REPO/tests/docker/images.sh" build >/dev/null 2>&1 ||
	docker image inspect minimesos-test/mesos-agent:test >/dev/null 2>&1 ||
	{ echo "bench-agent-add: the stand-in images are missing" >&2; exit 1; }

WORK=$(mktemp -d /tmp/minimesos-bench-add.XXXXXX)
cleanup() {
	local d ids
	for d in "$WORK"/*/; do
		[ -d "$d" ] || continue
		ids=$(docker ps -aq --filter "label=org.minimesos.dir=${d%/}" 2>/dev/null)
		[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	done
	rm -rf "$WORK"
	[ "$started_engine" = 1 ] && bash "$REPO/tests/docker/engine.sh" stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
write_config() { # dir agents
	local i
	{
		echo 'minimesos {'
		echo '    clusterName = "bench"'
		echo '    timeout = 120'
		echo '    zookeeper { imageName = "minimesos-test/zookeeper"; imageTag = "test" }'
		echo '    master { imageName = "minimesos-test/mesos-master"; imageTag = "test" }'
		for ((i = 0; i < $2; i++)); do
			echo '    agent { imageName = "minimesos-test/mesos-agent"; imageTag = "test"; privileged = false }'
		done
		echo '}'
	} >"$1/minimesosFile"
}

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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # fn k
	local r i all=()
	for ((i = 0; i < REPS; i++)); do
		r=$("$1" "$2") || return 1
		all+=("$r")
	done
	printf '%s\n' "${all[@]}" | median
}
sec() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

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
