#!/usr/bin/env bash
# The tag of stand-in images whose program resolves names through DNS, for
# the compose and stack suites (service names exist only in Docker's DNS).
# Prints `test` when the shared images minimesos-test/*:test have it (the
# usual case: tests/docker/images.sh builds them from this tree). Otherwise
# (they were built from an older stand-in, e.g. by another tree on the same
# engine) it adds this tree's stand-in on top of each, as
# minimesos-test/<name>:dns (labelled minimesos-test=1 like them, so
# `images.sh remove` removes them too), and prints `dns`. Never pulls.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
names=(zookeeper mesos-master mesos-agent marathon consul registrator mesos-dns)
for n in "${names[@]}"; do
	docker image inspect "minimesos-test/$n:test" >/dev/null 2>&1 || { "$top/tests/docker/images.sh" build >&2; break; }
done
if docker run --rm --entrypoint /standin minimesos-test/zookeeper:test resolve localhost >/dev/null 2>&1; then
	echo test
	exit 0
fi
make --no-print-directory -C "$top" build/standin/standin >&2
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$top/build/standin/standin" "$ctx/standin"
for n in "${names[@]}"; do
	printf 'FROM minimesos-test/%s:test\nCOPY standin /standin\n' "$n" >"$ctx/Dockerfile"
	docker build -q -t "minimesos-test/$n:dns" "$ctx" >/dev/null 2>"$ctx/err" || { cat "$ctx/err" >&2; exit 1; }
done
docker run --rm --entrypoint /standin minimesos-test/zookeeper:dns resolve localhost >/dev/null
echo dns
