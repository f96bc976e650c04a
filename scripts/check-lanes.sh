#!/usr/bin/env bash
# Runs the offline groups of `make check` in two lanes at once, each lane's
# groups one after the other, stopping a lane at its first failure.
#
#   scripts/check-lanes.sh LOG GROUP... -- GROUP...
#
# A GROUP is a list of make targets ("unit corpus"). Every group of this
# script is single-threaded at heart (one test, one valgrind, one fuzzer at
# a time), so on a machine of two cores two lanes take about the time of the
# longer one instead of the sum. Each lane logs to LOG.a / LOG.b (its wall
# time per group too: "check: took N s for ..."), appended to LOG at the
# end for scripts/check-summary.sh; the terminal sees both, each line marked
# with its lane. Exits 1 when either lane failed.
set -u
log=${1:?usage: check-lanes.sh LOG GROUP... -- GROUP...}
shift
lane_a=() lane_b=() in_b=0
for g in "$@"; do
	if [ "$g" = -- ]; then in_b=1; continue; fi
	if [ "$in_b" = 1 ]; then lane_b+=("$g"); else lane_a+=("$g"); fi
done
MAKE=${MAKE:-make}

run_lane() { # name groups...
	local name=$1 g t0 rc
	shift
	for g in "$@"; do
		t0=$(date +%s)
		# shellcheck disable=SC2086 # a group is a list of targets
		$MAKE --no-print-directory $g 2>&1 | tee -a "$log.$name" | sed -u "s/^/[$name] /"
		rc=${PIPESTATUS[0]}
		echo "check: took $(( $(date +%s) - t0 )) s for $g" | tee -a "$log.$name" | sed -u "s/^/[$name] /"
		if [ "$rc" != 0 ]; then
			echo "check: lane $name stopped: $g failed (exit $rc)" | tee -a "$log.$name"
			return 1
		fi
	done
}

rm -f "$log.a" "$log.b"
run_lane a "${lane_a[@]}" &
pid_a=$!
run_lane b "${lane_b[@]}" &
pid_b=$!
# An interrupt stops both lanes (their makes are in this process group).
trap 'kill -- "$pid_a" "$pid_b" 2>/dev/null; exit 130' INT TERM
wait "$pid_a"; rc_a=$?
wait "$pid_b"; rc_b=$?
cat "$log.a" "$log.b" >>"$log" 2>/dev/null
rm -f "$log.a" "$log.b"
[ "$rc_a" = 0 ] && [ "$rc_b" = 0 ]
