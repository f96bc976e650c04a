#!/usr/bin/env bash
# The commands that change a running cluster (agent, stop, start, wait) on
# the command line, without a Docker engine: bad command lines exit 2 with
# the usage, --help exits 0, and without an engine each exits 1 with the
# engine's message. What they do to a cluster: tests/integration/control_test.sh.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export DOCKER_HOST=unix:///nonexistent

for bad in "agent" "agent bogus" "agent stop" "agent start" "agent remove" "agent stop 1 2" \
           "agent list --count 2" "agent stop 1 --like 0" "agent remove 1 --timeout 3" \
           "agent add --count 0" "agent add --count 101" "agent add --count x" "agent add --like -1" \
           "agent add --timeout -1" "agent add --bogus" "agent add extra" \
           "stop" "stop master extra" "stop master --timeout 3" "start" "start master --timeout x" \
           "wait" "wait --state TASK_RUNNING" "wait --agents x" "wait --agents -1" "wait --task ''" \
           "wait --agents 1 --timeout -2" "wait --agents 1 extra"; do
    eval "run \"\$mm\" $bad"
    expect_status 2
    expect_err '^minimesos: '
    expect_err '^usage: minimesos '
done

run "$mm" agent --help; expect_status 0; expect_out '^usage: minimesos agent add'
run "$mm" help wait; expect_status 0; expect_out '--agents N'
run "$mm" stop -h; expect_status 0; expect_out '^usage: minimesos stop ROLE'
run "$mm" help start; expect_status 0; expect_out '--timeout S'

# No engine: one line, exit 1, nothing written.
for c in "agent list" "agent add" "agent stop 0" "agent start 0" "agent remove 0" "stop master" \
         "start master" "wait --agents 1"; do
    run "$mm" $c
    expect_status 1
    expect_err '^minimesos: cannot reach the Docker engine at unix:///nonexistent'
done
check "nothing written without an engine" test ! -e .minimesos

finish control
