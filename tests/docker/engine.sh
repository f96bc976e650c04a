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

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
