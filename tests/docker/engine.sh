#!/bin/bash
# Docker engine for the tests: start | stop | status
#
#   start   make an engine reachable at unix:///var/run/docker.sock. If /_ping
#           already answers, do nothing. Otherwise (as root) install docker.io
#           when dockerd is missing, start dockerd in the background (log in
#           /tmp/minimesos-dockerd.log), wait up to 60 s for /_ping, and record
#           the pid in $PIDFILE so that `stop` knows it started it.
#   stop    stop only an engine this script started (pid file), wait (bounded)
#           for it to exit, remove the pid file.
#   status  print whether an engine answers and whether this script owns it.
#
#   start-second DIR [PORT]
#           (root) a second engine of a test's own, never the shared one: its
#           socket DIR/docker.sock, data root DIR/data, exec root DIR/exec (its
#           own containerd), pid file DIR/dockerd.pid, log DIR/dockerd.log, and
#           its own bridge (a private 10.213.N.0/24, made with `ip link`;
#           dockerd adds no iptables rules, so the shared engine's chains are
#           left alone; one FORWARD rule lets that bridge's containers talk).
#           With PORT it also listens on tcp://127.0.0.1:PORT with TLS and
#           client verification, using DIR/tls/ca.pem, server-cert.pem and
#           server-key.pem. Waits up to 60 s for /_ping. Run again after the
#           engine was killed, it starts it again with the same folders.
#   stop-second DIR
#           remove every container of that engine, stop it (TERM, then KILL
#           after 30 s), and its bridge. The caller removes DIR.
#   load-second DIR IMAGE...
#           copy images from the shared engine into the second one.
#
# Notes on the machines this was written on (Debian 12, docker.io 20.10):
# - dockerd needs no extra flags: overlay2 on ext4 works, iptables works.
#   If overlay2 is unusable (e.g. / on overlayfs without support), we retry
#   once with --storage-driver=vfs. If iptables is missing/unusable we retry
#   with --iptables=false --ip-masq=false (containers still talk to each other
#   and to the host over docker0, which is all the tests need).
# - The engine refuses privileged containers ("unable to apply caps:
#   operation not permitted"): tests must use privileged = false for agents.
# - No registry is reachable: never pull; tests import local images.
set -u

SOCK=/var/run/docker.sock
PIDFILE=${MINIMESOS_DOCKERD_PIDFILE:-/run/minimesos-dockerd.pid}
LOG=/tmp/minimesos-dockerd.log

ping_engine() {
	[ -S "$SOCK" ] || return 1
	curl -sf --max-time 3 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1
}

owned_pid() {
	[ -f "$PIDFILE" ] || return 1
	local pid
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	# the pid must still be a dockerd (pids get reused)
	case "$(cat /proc/"$pid"/comm 2>/dev/null)" in dockerd) echo "$pid"; return 0;; esac
	return 1
}

wait_ping() { # $1 = pid, $2 = seconds
	local i
	for ((i = 0; i < $2 * 2; i++)); do
		ping_engine && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

stop_pid() { # $1 = pid; TERM, wait up to 30 s, then KILL
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for ((i = 0; i < 60; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.5
	done
	kill -KILL "$1" 2>/dev/null
	sleep 1
}

is_dockerd() { [ -n "$1" ] && [ "$(cat /proc/"$1"/comm 2>/dev/null)" = dockerd ]; }

try_start() { # extra dockerd flags...
	echo "engine.sh: starting dockerd $*" >>"$LOG"
	# setsid: Ctrl-C in the caller's terminal must not reach dockerd. (setsid
	# forks when it is a process group leader, so $! may not be dockerd: the
	# pid dockerd writes to /var/run/docker.pid is preferred below.)
	local old i dpid pid
	old=$(cat /var/run/docker.pid 2>/dev/null || true)
	is_dockerd "$old" || old=""
	setsid dockerd "$@" >>"$LOG" 2>&1 </dev/null &
	pid=$!
	for ((i = 0; i < 120; i++)); do
		dpid=$(cat /var/run/docker.pid 2>/dev/null || true)
		[ "$dpid" = "$old" ] && dpid="" # never adopt an engine we did not start
		is_dockerd "$dpid" && pid=$dpid
		echo "$pid" >"$PIDFILE"
		if ping_engine; then return 0; fi
		if ! kill -0 "$pid" 2>/dev/null && ! is_dockerd "$dpid"; then
			[ $i -lt 4 ] || break # give a forking setsid a moment
		fi
		sleep 0.5
	done
	stop_pid "$pid"
	rm -f "$PIDFILE"
	return 1
}

start() {
	if ping_engine; then
		echo "engine.sh: engine already answers on $SOCK"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "engine.sh: no engine on $SOCK and not root: cannot start one" >&2
		return 1
	fi
	if pid=$(owned_pid); then
		# ours but not answering: give it a little time, else restart it
		if wait_ping "$pid" 20; then echo "engine.sh: engine started (pid $pid)"; return 0; fi
		stop_pid "$pid"; rm -f "$PIDFILE"
	fi
	if ! command -v dockerd >/dev/null 2>&1; then
		echo "engine.sh: installing docker.io"
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >/dev/null || {
			echo "engine.sh: could not install docker.io" >&2; return 1; }
	fi
	if ! command -v docker >/dev/null 2>&1; then
		echo "engine.sh: warning: no docker CLI (engine starts, tests need the CLI)" >&2
	fi
	: >"$LOG"
	if try_start; then :;
	elif try_start --storage-driver=vfs; then :;
	elif try_start --storage-driver=vfs --iptables=false --ip-masq=false; then :;
	else
		echo "engine.sh: dockerd did not answer within 60 s; see $LOG:" >&2
		tail -n 20 "$LOG" >&2
		return 1
	fi
	echo "engine.sh: engine started (pid $(cat "$PIDFILE")), log $LOG"
}

stop() {
	local pid
	if pid=$(owned_pid); then
		stop_pid "$pid"
		rm -f "$PIDFILE"
		echo "engine.sh: engine stopped (pid $pid)"
	else
		rm -f "$PIDFILE"
		echo "engine.sh: no engine started by this script; nothing to stop"
	fi
}

status() {
	local up=no own=no
	ping_engine && up=yes
	owned_pid >/dev/null && own=yes
	echo "engine answers: $up; started by engine.sh: $own"
	[ "$up" = yes ]
}

# ---- a second engine, in a folder of the caller's ----

second_ping() { # dir
	curl -sf --max-time 3 --unix-socket "$1/docker.sock" http://localhost/_ping >/dev/null 2>&1
}
second_pid() { # dir: the pid of its dockerd, if it runs (a zombie does not)
	local pid st
	pid=$(cat "$1/dockerd.pid" 2>/dev/null) || return 1
	is_dockerd "$pid" || return 1
	st=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ] || return 1
	echo "$pid"
}
# The bridge's name and subnet from the folder, so two folders get two.
second_net() { # dir -> "NAME N"
	local h
	h=$(printf '%s' "$(cd "$1" && pwd)" | cksum | cut -d' ' -f1)
	echo "mm2br$((h % 100000)) $((20 + h % 200))"
}

start_second() { # dir [port]
	local dir=$1 port=${2:-} name n i pid
	[ -n "$dir" ] || { echo "usage: $0 start-second DIR [PORT]" >&2; return 2; }
	[ "$(id -u)" = 0 ] || { echo "engine.sh: start-second needs root" >&2; return 1; }
	mkdir -p "$dir/data" "$dir/exec" || return 1
	dir=$(cd "$dir" && pwd)
	if second_pid "$dir" >/dev/null && second_ping "$dir"; then
		echo "engine.sh: second engine already answers on $dir/docker.sock"; return 0
	fi
	# A pid file of a dockerd that was killed: dockerd would refuse to start
	# while that pid is still in /proc (an unreaped zombie, or a reused pid).
	second_pid "$dir" >/dev/null || rm -f "$dir/dockerd.pid"
	# The containerd of a killed dockerd ends too, but not at once; a new
	# dockerd that still sees it would wait for it in vain. Let it end (10 s,
	# then KILL) and forget its pid file.
	local cpid st
	cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null)
	if [ -n "$cpid" ] && [ "$(cat /proc/"$cpid"/comm 2>/dev/null)" = containerd ]; then
		kill -TERM "$cpid" 2>/dev/null
		for ((i = 0; i < 20; i++)); do
			st=$(sed 's/^.*) //' "/proc/$cpid/stat" 2>/dev/null | cut -c1)
			[ -z "$st" ] || [ "$st" = Z ] && break
			sleep 0.5
		done
		[ -z "$st" ] || [ "$st" = Z ] || kill -KILL "$cpid" 2>/dev/null
	fi
	rm -f "$dir/exec/containerd/containerd.pid"
	read -r name n <<<"$(second_net "$dir")"
	if ! ip link show "$name" >/dev/null 2>&1; then
		if ip -4 route | grep -q "^10\.213\.$n\."; then
			echo "engine.sh: 10.213.$n.0/24 is in use already" >&2; return 1
		fi
		ip link add "$name" type bridge && ip addr add "10.213.$n.1/24" dev "$name" &&
			ip link set "$name" up || { echo "engine.sh: cannot make bridge $name" >&2; return 1; }
	fi
	# The shared engine's FORWARD policy is DROP: let the containers of this
	# bridge talk to each other (one rule, for this bridge only).
	if command -v iptables >/dev/null && ! iptables -C FORWARD -i "$name" -o "$name" -j ACCEPT 2>/dev/null; then
		iptables -I FORWARD -i "$name" -o "$name" -j ACCEPT 2>/dev/null ||
			echo "engine.sh: warning: could not allow traffic on $name" >&2
	fi
	local args=(--host "unix://$dir/docker.sock" --data-root "$dir/data" --exec-root "$dir/exec"
		--pidfile "$dir/dockerd.pid" --bridge "$name" --iptables=false --ip-masq=false)
	if [ -n "$port" ]; then
		args+=(--host "tcp://127.0.0.1:$port" --tlsverify --tlscacert "$dir/tls/ca.pem"
			--tlscert "$dir/tls/server-cert.pem" --tlskey "$dir/tls/server-key.pem")
	fi
	echo "engine.sh: starting dockerd ${args[*]}" >>"$dir/dockerd.log"
	setsid dockerd "${args[@]}" >>"$dir/dockerd.log" 2>&1 </dev/null &
	pid=$!
	for ((i = 0; i < 120; i++)); do
		second_ping "$dir" && { echo "engine.sh: second engine on $dir/docker.sock${port:+ and tcp://127.0.0.1:$port} (bridge $name, 10.213.$n.0/24)"; return 0; }
		kill -0 "$pid" 2>/dev/null || second_pid "$dir" >/dev/null || [ $i -lt 4 ] || break
		sleep 0.5
	done
	echo "engine.sh: the second dockerd did not answer within 60 s; $dir/dockerd.log:" >&2
	tail -n 20 "$dir/dockerd.log" >&2
	stop_second "$dir" >/dev/null
	return 1
}

stop_second() { # dir
	local dir=$1 name n pid ids
	[ -n "$dir" ] && [ -d "$dir" ] || { echo "engine.sh: no folder $dir" >&2; return 1; }
	dir=$(cd "$dir" && pwd)
	if second_ping "$dir"; then
		ids=$(docker -H "unix://$dir/docker.sock" ps -aq 2>/dev/null)
		[ -n "$ids" ] && docker -H "unix://$dir/docker.sock" rm -fv $ids >/dev/null 2>&1
	fi
	if pid=$(second_pid "$dir"); then
		stop_pid "$pid"
	fi
	# Its containerd, when dockerd was killed and could not stop it.
	pid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null)
	if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = containerd ]; then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -KILL "$pid" 2>/dev/null
	fi
	read -r name n <<<"$(second_net "$dir")"
	while iptables -D FORWARD -i "$name" -o "$name" -j ACCEPT 2>/dev/null; do :; done
	ip link show "$name" >/dev/null 2>&1 && ip link delete "$name"
	# Mounts dockerd left under the folder (killed mid-way).
	grep -o " $dir/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	echo "engine.sh: second engine in $dir stopped"
}

load_second() { # dir image...
	local dir=$1; shift
	docker save "$@" | docker -H "unix://$dir/docker.sock" load >/dev/null
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
start-second) start_second "${2:-}" "${3:-}" ;;
stop-second) stop_second "${2:-}" ;;
load-second) shift; [ $# -ge 2 ] || { echo "usage: $0 load-second DIR IMAGE..." >&2; exit 2; }; load_second "$@" ;;
*) echo "usage: $0 start|stop|status|start-second DIR [PORT]|stop-second DIR|load-second DIR IMAGE..." >&2; exit 2 ;;
esac
