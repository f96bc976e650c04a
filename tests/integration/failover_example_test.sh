#!/usr/bin/env bash
# examples/failover_test.c on the local stand-ins: the C failover test (up,
# add an agent, stop it, start it, each time waiting for what the master
# reports, destroy) passes, and nothing labelled with its folder remains.
# run.sh runs it in a folder of its own; the binary is built next to
# $MINIMESOS (make integration builds it), or $MINIMESOS_FAILOVER names it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
bin=${MINIMESOS_FAILOVER:-$(dirname "$mm")/examples/failover_test}
[ -x "$bin" ] || { echo "  failover example not built at $bin (make $bin)"; exit 1; }
dir=$(mktemp -d /tmp/mm-failover-example.XXXXXX)
cleanup() {
  local ids
  ids=$(docker ps -aq --filter "label=org.minimesos.dir=$dir" 2>/dev/null)
  [ -n "$ids" ] && docker rm -fv $ids >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
cp "$top/examples/minimesosFile" "$dir/"
cd "$dir" || exit 1
"$bin" >out 2>&1 || { echo "  failover example failed:"; tail -20 out; exit 1; }
grep -q "Checks: 1, Failures: 0, Errors: 0" out || { echo "  no passing check:"; tail -5 out; exit 1; }
grep -q "Stopped agent 1" out && grep -q "Master counts agent 1 active" out ||
  { echo "  the example did not stop and start agent 1:"; tail -10 out; exit 1; }
left=$(docker ps -aq --filter "label=org.minimesos.dir=$dir" | grep -c .)
[ "$left" = 0 ] || { echo "  $left container(s) left behind"; exit 1; }
[ ! -e .minimesos/minimesos.cluster ] || { echo "  the record was left behind"; exit 1; }
exit 0
