#!/bin/bash
# Local images for the Docker tests (tests/standin/CONTRACT.md): build|remove|list
#
#   build   make the root filesystem (busybox-static + /standin + /etc/passwd,
#           /etc/group, /tmp, /var/log, /var/lib/mesos) and `docker import` it
#           once per image name, with ENTRYPOINT ["/standin","<role>",...] and
#           the labels minimesos-test=1 and minimesos-test-sha=<sha256 of the
#           standin binary and this script>. Images already carrying that sha
#           are kept (nothing to do when the binary is unchanged).
#   remove  delete every image labelled minimesos-test=1.
#   list    print the image names.
#
# The binary: $STANDIN, else <repo>/build/standin/standin (made up to date with
# make first). Never pulls anything. Concurrent runs serialize on a lock file.
set -eu -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LOCK=/tmp/minimesos-test-images.lock

# name|entrypoint JSON|extra env (space separated KEY=VALUE, may be empty)
IMAGES=(
	'minimesos-test/zookeeper:test|["/standin","zookeeper"]|'
	'minimesos-test/mesos-master:test|["/standin","master"]|MINIMESOS_TEST_VERSION=1.0.0'
	'minimesos-test/mesos-master:never-ready|["/standin","master","--never-ready"]|MINIMESOS_TEST_VERSION=1.0.0'
	'minimesos-test/mesos-agent:test|["/standin","agent"]|MINIMESOS_TEST_VERSION=1.0.0'
	'minimesos-test/marathon:test|["/standin","marathon"]|'
	'minimesos-test/consul:test|["/standin","consul"]|'
	'minimesos-test/registrator:test|["/standin","registrator"]|'
	'minimesos-test/mesos-dns:test|["/standin","mesosdns"]|'
	'minimesos-test/crash:test|["/standin","crash"]|'
)

die() { echo "images.sh: $*" >&2; exit 1; }

standin_bin() {
	local bin=${STANDIN:-$REPO/build/standin/standin}
	if [ -z "${STANDIN:-}" ]; then # (re)build when the sources changed
		make --no-print-directory -C "$REPO" build/standin/standin >&2 || die "cannot build the standin program"
	fi
	[ -f "$bin" ] && [ -x "$bin" ] || die "no standin binary at $bin"
	echo "$bin"
}

busybox_bin() {
	local b
	for b in /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then echo "$b"; return; fi
	done
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >/dev/null 2>&1 || true
		[ -x /bin/busybox ] && { echo /bin/busybox; return; }
	fi
	die "need a static busybox (Debian package busybox-static)"
}

image_sha() { # image -> its sha label, or empty
	docker image inspect -f '{{index .Config.Labels "minimesos-test-sha"}}' "$1" 2>/dev/null || true
}

build() {
	command -v docker >/dev/null || die "no docker CLI"
	local bin bb sha rootfs entry name env line missing=0 e
	bin=$(standin_bin)
	sha=$(cat "$bin" "$HERE/images.sh" | sha256sum | cut -c1-64)
	for line in "${IMAGES[@]}"; do
		name=${line%%|*}
		[ "$(image_sha "$name")" = "$sha" ] || missing=1
	done
	if [ $missing = 0 ]; then
		echo "images.sh: images up to date (sha ${sha:0:12})"
		return 0
	fi
	bb=$(busybox_bin)
	rootfs=$(mktemp -d /tmp/minimesos-rootfs.XXXXXX)
	trap 'rm -rf "$rootfs"' RETURN
	mkdir -p "$rootfs"/{bin,etc,tmp,var/log,var/lib/mesos,etc/mesos-dns,root}
	chmod 1777 "$rootfs/tmp"
	cp "$bin" "$rootfs/standin"
	chmod 755 "$rootfs/standin"
	cp "$bb" "$rootfs/bin/busybox"
	for e in sh cat ls sleep echo env ps grep head tail mkdir rm wget nc find vi kill; do
		ln -s busybox "$rootfs/bin/$e"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
	echo '{"zk":"","domain":"mm","port":53}' >"$rootfs/etc/mesos-dns/config.json"
	local tarball="$rootfs.tar"
	tar -C "$rootfs" --numeric-owner -cf "$tarball" . || die "cannot pack the root filesystem"
	trap 'rm -rf "$rootfs" "$tarball"' RETURN
	for line in "${IMAGES[@]}"; do
		name=${line%%|*}
		entry=${line#*|}
		env=${entry#*|}
		entry=${entry%%|*}
		if [ "$(image_sha "$name")" = "$sha" ]; then continue; fi
		local args=(--change "ENTRYPOINT $entry" --change "ENV PATH=/bin"
			--change "LABEL minimesos-test=1 minimesos-test-sha=$sha"
			--message "minimesos test stand-in")
		for e in $env; do args+=(--change "ENV $e"); done
		docker import "${args[@]}" "$tarball" "$name" >/dev/null || die "docker import $name failed"
		echo "images.sh: built $name"
	done
	# older builds left untagged: drop those no container uses any more
	docker image prune -f --filter label=minimesos-test=1 >/dev/null 2>&1 || true
}

remove() {
	command -v docker >/dev/null || die "no docker CLI"
	local ids
	ids=$(docker images -q --filter label=minimesos-test=1 | sort -u)
	if [ -z "$ids" ]; then echo "images.sh: no test images"; return 0; fi
	# untag every name (an image id may carry several), then remove
	docker images --filter label=minimesos-test=1 --format '{{.Repository}}:{{.Tag}}' |
		grep -v '<none>' | xargs -r docker rmi -f >/dev/null || true
	docker rmi -f $ids >/dev/null 2>&1 || true
	echo "images.sh: test images removed"
}

case "${1:-}" in
build|remove)
	exec 9>"$LOCK"
	flock -w 300 9 || die "timed out waiting for $LOCK"
	"$1"
	;;
list) for line in "${IMAGES[@]}"; do echo "${line%%|*}"; done ;;
*) echo "usage: $0 build|remove|list" >&2; exit 2 ;;
esac
