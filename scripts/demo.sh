#!/usr/bin/env bash
# The main job end to end on a fresh Debian machine: dependencies, build, a
# Docker engine if none runs, the local stand-in images, then `minimesos up`
# on examples/, `info`, `state` and `destroy`. Stops only what it started.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh all
make --no-print-directory all
mm=$top/build/minimesos
# Stop the engine at the end only if none answered before we started one.
if curl -sf --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
  started_engine=no
else
  started_engine=yes
fi
tests/docker/engine.sh start
built_images=no
docker image inspect minimesos-test/mesos-master:test >/dev/null 2>&1 || built_images=yes
tests/docker/images.sh build
work=$(mktemp -d)
cleanup() {
  (cd "$work" && "$mm" destroy >/dev/null 2>&1 || true)
  cd "$top"
  rm -rf "$work"
  # The stand-in images were built for this demo only: remove them unless asked
  # to keep them (MINIMESOS_KEEP_TEST_IMAGES=1) or they were there before.
  if [ "$built_images" = yes ] && [ -z "${MINIMESOS_KEEP_TEST_IMAGES:-}" ]; then
    "$top/tests/docker/images.sh" remove >/dev/null 2>&1 || true
  fi
  # (absolute paths: the demo runs in its own folder by then)
  [ "$started_engine" = yes ] && "$top/tests/docker/engine.sh" stop || true
}
trap cleanup EXIT
cp examples/minimesosFile "$work/minimesosFile"
cd "$work"
echo "+ minimesos up"
"$mm" up
echo "+ minimesos info"
"$mm" info
echo "+ minimesos state | jq '{version, activated_slaves, cluster}'"
"$mm" state | jq '{version, activated_slaves, cluster}'
echo "+ minimesos destroy"
"$mm" destroy
