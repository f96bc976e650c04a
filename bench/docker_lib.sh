# Shared set-up of the bench scripts that run clusters on the Docker engine
# (sourced after setting BENCH_NAME and, optionally, BENCH_EXTRA_CLEANUP, a
# function called first by the EXIT trap with the work folder).
#
#   bench_docker_init PREFIX   checks the tools, starts an engine when none
#                              answers (and stops it at exit), builds the
#                              stand-in images, makes WORK=/tmp/PREFIX.XXXXXX
#                              and removes every cluster of its sub-folders
#                              (by the org.minimesos.dir label) at exit.
#   write_config DIR N         a minimesosFile of N agents on the stand-ins
#   wait_ready IP N [TRIES]    until the master at IP counts N agents, polling
#                              as `up` does (at once, 25 ms doubling to 500 ms),
#                              bounded: TRIES polls (default 250, about 120 s)
#   now_ms, median (stdin), sec MS, ratio A B (B/A, "1.30x")
HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MM=${MINIMESOS:-$REPO/build/minimesos}
MM=$(cd "$(dirname "$MM")" && pwd)/$(basename "$MM")

bench_docker_init() { # prefix
	local tool
	for tool in docker jq curl; do
		command -v $tool >/dev/null || { echo "$BENCH_NAME: $tool is needed" >&2; exit 1; }
	done
	[ -x "$MM" ] || { echo "$BENCH_NAME: no minimesos at $MM" >&2; exit 1; }
	started_engine=0
	if ! curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
		bash "$REPO/tests/docker/engine.sh" start || exit 1
		started_engine=1
	fi
	bash "$REPO/tests/docker/images.sh" build >/dev/null 2>&1 ||
		docker image inspect minimesos-test/mesos-agent:test >/dev/null 2>&1 ||
		{ echo "$BENCH_NAME: the stand-in images are missing" >&2; exit 1; }
	WORK=$(mktemp -d "/tmp/$1.XXXXXX")
	trap bench_docker_cleanup EXIT
	trap 'exit 130' INT TERM
}

bench_docker_cleanup() {
	local d ids
	if declare -F "${BENCH_EXTRA_CLEANUP:-}" >/dev/null; then "$BENCH_EXTRA_CLEANUP" "$WORK"; fi
	for d in "$WORK"/*/; do
		[ -d "$d" ] || continue
		ids=$(docker ps -aq --filter "label=org.minimesos.dir=${d%/}" 2>/dev/null)
		[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	done
	rm -rf "$WORK"
	[ "$started_engine" = 1 ] && bash "$REPO/tests/docker/engine.sh" stop
}

wait_ready() { # master-ip agents [tries]
	local i pause=0.025
	for ((i = 0; i < ${3:-250}; i++)); do
		[ "$(curl -sf --max-time 1 "http://$1:5050/state.json" | jq .activated_slaves 2>/dev/null)" = "$2" ] && return 0
		sleep "$pause"
		pause=$(awk -v p="$pause" 'BEGIN { p *= 2; print (p > 0.5 ? 0.5 : p) }')
	done
	echo "$BENCH_NAME: master $1 never counted $2 agents" >&2
	return 1
}

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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sec() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2fx", b / a; else print "-" }'; }
