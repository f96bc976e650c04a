# shellcheck shell=bash
# What the self-contained integration suites (tests/integration/*_test.sh,
# each run by run.sh as one of its tests) have in common, sourced: the Docker
# engine and the stand-in images they need, a temporary folder per run and
# one per case, the runner over the cases with its output lines, and the
# label-based clean-up and its check; up, activated and destroy_clean for
# cases. Sourcing it only defines; run.sh sources it too, for
# remove_by_label, count_containers and assert_clean.
#
#   set -u
#   top=$(cd "$(dirname "$0")/../.." && pwd)
#   . "$top/tests/integration/suite_lib.sh"
#   suite_init NAME TMP-PREFIX       # $WORK=/tmp/TMP-PREFIX.XXXXXX, the traps
#   suite_need_engine                # starts tests/docker/engine.sh if none answers
#   suite_need_images zookeeper ...  # minimesos-test/NAME:test, built if one is missing
#   t_CASE() { ...; }                # runs in $WORK/CASE, in a subshell; 0 = passed
#   ALL=(CASE ...)
#   suite_main "$@"                  # the cases named, else ALL; then the summary
#
# suite_main runs suite_case for each case; a suite with steps between its
# cases calls suite_case itself, then suite_summary. Each case prints
#   "  ok   NAME: CASE (N s)"   or   "  FAIL NAME: CASE (N s)"
# and the summary, whose last line run.sh and scripts/check-summary.sh count,
#   "NAME: failed: CASE ..."        (only when some failed)
#   "NAME: P passed, F failed"      (the status: 0 when none failed)
#
# Hooks: a suite redefines these after sourcing this file.
#   suite_case_setup DIR    in the case's subshell, in DIR, before t_CASE
#   suite_remove_more DIR   before the containers and networks of DIR are
#                           removed: what else the suite made for that folder
#   suite_assert_more DIR   more that assert_clean DIR requires (a status)
#   suite_end               at exit, after every folder's clean-up, before
#                           $WORK goes (a second engine, the swarm, ...)
# SUITE_NETWORK_WAIT: seconds assert_clean gives a network of the folder to
# go (the engine removes swarm-scoped ones in the background); 0: none.

LABEL_DIR=org.minimesos.dir
SUITE_NETWORK_WAIT=0
suite_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

suite_case_setup() { :; }
suite_remove_more() { :; }
suite_assert_more() { :; }
suite_end() { :; }

# ---- counting and removing what carries a folder's label ----

count_labelled() { # container|volume|network folder
	case $1 in
	container) docker ps -aq --filter "label=$LABEL_DIR=$2" ;;
	volume) docker volume ls -q --filter "label=$LABEL_DIR=$2" ;;
	network) docker network ls -q --filter "label=$LABEL_DIR=$2" ;;
	esac | grep -c . || true
}
count_containers() { count_labelled container "$1"; }

# The folder's containers, with their anonymous volumes.
remove_by_label() { # folder
	local ids
	ids=$(docker ps -aq --filter "label=$LABEL_DIR=$1" 2>/dev/null)
	[ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
	return 0
}
# Everything of a case's folder: what the suite adds, the containers, then
# the networks they were on.
suite_remove() { # folder
	local ids
	suite_remove_more "$1"
	remove_by_label "$1"
	ids=$(docker network ls -q --filter "label=$LABEL_DIR=$1" 2>/dev/null)
	[ -n "$ids" ] && docker network rm $ids >/dev/null 2>&1
	return 0
}

# Nothing labelled with the folder remains (container, volume, network), nor
# with the cluster id (container, volume), nor what suite_assert_more checks.
assert_clean() { # folder [cluster-id]
	local n v w i
	n=$(count_containers "$1")
	[ "$n" = 0 ] || { echo "  $n container(s) of $1 remain"; return 1; }
	v=$(count_labelled volume "$1")
	[ "$v" = 0 ] || { echo "  $v volume(s) of $1 remain"; return 1; }
	if [ -n "${2:-}" ]; then
		n=$(docker ps -aq --filter "label=org.minimesos.cluster-id=$2" | grep -c . || true)
		v=$(docker volume ls -q --filter "label=org.minimesos.cluster-id=$2" | grep -c . || true)
		[ "$n$v" = 00 ] || { echo "  cluster $2 left $n container(s), $v volume(s)"; return 1; }
	fi
	suite_assert_more "$1" || return 1
	# Last, as it may wait (0.1 s steps, SUITE_NETWORK_WAIT s at most).
	for ((i = 0; ; i++)); do
		w=$(count_labelled network "$1")
		[ "$w" = 0 ] && return 0
		((i < SUITE_NETWORK_WAIT * 10)) || break
		sleep 0.1
	done
	echo "  $w network(s) of $1 remain$( ((SUITE_NETWORK_WAIT > 0)) && echo " $SUITE_NETWORK_WAIT s after")"
	docker network ls --filter "label=$LABEL_DIR=$1" | sed 's/^/    /'
	return 1
}
assert_no_record() { # folder
	[ ! -e "$1/.minimesos/minimesos.cluster" ] || { echo "  a record was left in $1"; return 1; }
}

# ---- a case's cluster, for the suites whose cases use them ----

# minimesos up in the case's folder; sets id. Fails the case when up fails.
up() {
	local out
	out=$("$MM" up 2>up.err) || { echo "  up failed:"; cat up.err; return 1; }
	id=$(sed -n 's/^Minimesos cluster is running: //p' <<<"$out")
	[ -n "$id" ]
}
activated() { "$MM" state 2>/dev/null | jq -r .activated_slaves; }
# destroy says it destroyed cluster ID, and nothing of it or the folder is left.
destroy_clean() { # id
	local out
	out=$("$MM" destroy 2>&1) || { echo "  destroy failed: $out"; return 1; }
	[ "$out" = "Destroyed minimesos cluster $1" ] || { echo "  destroy said: $out"; return 1; }
	assert_clean "$PWD" "$1"
}

# ---- the run ----

suite_init() { # name tmp-prefix
	SUITE=$1
	WORK=$(mktemp -d "/tmp/$2.XXXXXX") || { echo "$SUITE: cannot make a temporary folder" >&2; exit 1; }
	passed=0 failed=0 names=()
	trap suite_on_exit EXIT
	trap 'exit 130' INT TERM
}
# Whatever happened: every case folder's labelled things, then the suite's.
suite_on_exit() {
	local d
	for d in "$WORK"/*/; do [ -d "$d" ] && suite_remove "${d%/}"; done
	suite_end
	rm -rf "$WORK"
}

suite_need_engine() {
	curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1 && return 0
	bash "$suite_top/tests/docker/engine.sh" start >&2 || { echo "$SUITE: no Docker engine" >&2; exit 1; }
}
suite_need_images() { # name...
	local i
	for i in "$@"; do
		docker image inspect "minimesos-test/$i:test" >/dev/null 2>&1 && continue
		bash "$suite_top/tests/docker/images.sh" build >&2 || { echo "$SUITE: cannot build the stand-in images" >&2; exit 1; }
		return 0
	done
}

# One case: t_CASE in $WORK/CASE, in a subshell. Passed when it returns 0
# and then nothing labelled with its folder remains; whatever does is removed.
suite_case() { # case
	local t=$1 dir=$WORK/$1 t0=$SECONDS rc
	mkdir -p "$dir"
	(
		cd "$dir" || exit 1
		suite_case_setup "$dir"
		"t_$t"
	)
	rc=$?
	if [ $rc = 0 ] && ! assert_clean "$dir"; then rc=1; fi
	suite_remove "$dir"
	if [ $rc = 0 ]; then
		passed=$((passed + 1)); echo "  ok   $SUITE: $t ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1)); names+=("$t"); echo "  FAIL $SUITE: $t ($((SECONDS - t0)) s)"
	fi
}
suite_summary() {
	[ ${#names[@]} = 0 ] || echo "$SUITE: failed: ${names[*]}"
	echo "$SUITE: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
suite_main() { # [case...]
	local c
	[ $# -gt 0 ] || set -- "${ALL[@]}"
	for c in "$@"; do suite_case "$c"; done
	suite_summary
}
