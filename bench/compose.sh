#!/usr/bin/env bash
# Bench: `docker-compose up -d` of `minimesos config --format compose` (the
# exported file: healthchecks, depends_on conditions, a network of its own)
# against `minimesos up`, on the local stand-in images, with 1 and 4 agents
# (or SIZES given). Both are timed to the same readiness: the master's
# /state.json counts every agent, polled as `up` polls (25 ms doubling to
# 500 ms); then removal (`minimesos destroy` for both). Runs alternate, REPS
# of each (default 3), and the medians and their ratio are printed.
#
#   MINIMESOS=build/minimesos bash bench/compose.sh [SIZES...]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MM=${MINIMESOS:-$REPO/build/minimesos}
MM=$(cd "$(dirname "$MM")" && pwd)/$(basename "$MM")
REPS=${REPS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 4)
for tool in docker docker-compose jq curl; do
	command -v $tool >/dev/null || { echo "bench-compose: $tool is needed (scripts/deps.sh bench)" >&2; exit 1; }
done
curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1 ||
	{ echo "bench-compose: no Docker engine (tests/docker/engine.sh start)" >&2; exit 1; }
# stand-ins that resolve service names through DNS (see that script)
TAG=$(bash "$REPO/tests/integration/dns_images.sh") || { echo "bench-compose: no stand-in images" >&2; exit 1; }

WORK=$(mktemp -d /tmp/minimesos-bench-compose.XXXXXX)
cleanup() {
	local d ids
	for d in "$WORK"/*/; do
		[ -d "$d" ] || continue
		ids=$(docker ps -aq --filter "label=org.minimesos.dir=${d%/}")
		[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
		ids=$(docker network ls -q --filter "label=org.minimesos.dir=${d%/}")
		[ -n "$ids" ] && docker network rm $ids >/dev/null 2>&1
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
write_config() { # dir agents
	local i
	{
		echo 'minimesos {'
		echo '    timeout = 120'
		echo "    zookeeper { imageName = \"minimesos-test/zookeeper\"; imageTag = \"$TAG\" }"
		echo "    master { imageName = \"minimesos-test/mesos-master\"; imageTag = \"$TAG\" }"
		for ((i = 0; i < $2; i++)); do
			echo "    agent { imageName = \"minimesos-test/mesos-agent\"; imageTag = \"$TAG\"; privileged = false; portNumber = $((5051 + i)) }"
		done
		echo '}'
	} >"$1/minimesosFile"
}
wait_ready() { # dir agents (bounded: about 120 s)
	local i pause=0.025 ip=""
	for ((i = 0; i < 250; i++)); do
		[ -n "$ip" ] || ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' \
			$(docker ps -q --filter "label=org.minimesos.dir=$1" --filter label=org.minimesos.role=master) 2>/dev/null)
		[ -n "$ip" ] && [ "$(curl -sf --max-time 1 "http://$ip:5050/state.json" | jq .activated_slaves 2>/dev/null)" = "$2" ] && return 0
		sleep "$pause"
		pause=$(awk -v p="$pause" 'BEGIN { p *= 2; print (p > 0.5 ? 0.5 : p) }')
	done
	echo "bench-compose: the master of $1 never counted $2 agents" >&2
	return 1
}
run_up() { # agents -> "up_ms destroy_ms"
	local d="$WORK/up-$1-$RANDOM" t0 t1 t2
	mkdir -p "$d" && write_config "$d" "$1"
	t0=$(now_ms)
	(cd "$d" && "$MM" --quiet up >/dev/null) || { echo "bench-compose: minimesos up failed" >&2; return 1; }
	t1=$(now_ms)
	(cd "$d" && "$MM" destroy >/dev/null) || return 1
	t2=$(now_ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}
run_compose() { # agents -> "up_ms destroy_ms" (the export itself is not timed)
	local d="$WORK/cmp-$1-$RANDOM" t0 t1 t2
	mkdir -p "$d" && write_config "$d" "$1"
	(cd "$d" && "$MM" config --format compose >docker-compose.yml) || return 1
	t0=$(now_ms)
	(cd "$d" && docker-compose -p "$(basename "$d")" up -d >/dev/null 2>"$d/up.log") ||
		{ echo "bench-compose: docker-compose up failed:" >&2; tail -5 "$d/up.log" >&2; return 1; }
	wait_ready "$d" "$1" || return 1
	t1=$(now_ms)
	(cd "$d" && "$MM" destroy >/dev/null) || return 1
	t2=$(now_ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-7s %-22s %-22s %s\n' agents "minimesos up/destroy" "compose up/destroy" "compose/minimesos (up, destroy)"
for n in "${SIZES[@]}"; do
	mu=() md=() cu=() cd=()
	for ((r = 0; r < REPS; r++)); do
		read -r a b < <(run_up "$n") || exit 1
		mu+=("$a"); md+=("$b")
		read -r a b < <(run_compose "$n") || exit 1
		cu+=("$a"); cd+=("$b")
	done
	mu=$(printf '%s\n' "${mu[@]}" | median); md=$(printf '%s\n' "${md[@]}" | median)
	cu=$(printf '%s\n' "${cu[@]}" | median); cd=$(printf '%s\n' "${cd[@]}" | median)
	printf '%-7s %-22s %-22s %s\n' "$n" "${mu} ms / ${md} ms" "${cu} ms / ${cd} ms" \
		"$(awk -v a="$cu" -v b="$mu" -v c="$cd" -v d="$md" 'BEGIN { printf "%.2f, %.2f", a / b, c / d }')"
done
