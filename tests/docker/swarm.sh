# A single-node Docker swarm on the test engine, for the tests of
# `up --swarm` (sourced). Helper `compose` follows the same rule on the same
# engine: one test at a time holds /tmp/minimesos-swarm.lock for its whole
# duration; the swarm is initialised only when the engine is not in one, and
# left only by whoever initialised it.
#
#   swarm_begin || exit 1    # takes the lock, inits if needed
#   ...
#   swarm_end                # leaves if swarm_begin initialised; drops the lock
SWARM_LOCK=${MINIMESOS_SWARM_LOCK:-/tmp/minimesos-swarm.lock}
# The address the manager advertises (a multi-node test needs one its
# workers reach).
SWARM_ADVERTISE=${SWARM_ADVERTISE:-127.0.0.1}
swarm_inited=0
swarm_locked=0

swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }

swarm_begin() {
	exec {swarm_fd}>>"$SWARM_LOCK" || { echo "swarm: cannot open $SWARM_LOCK" >&2; return 1; }
	# Bounded: another suite holding the swarm for more than 15 minutes is stuck.
	flock -w 900 "$swarm_fd" || { echo "swarm: $SWARM_LOCK still held after 900 s" >&2; return 1; }
	swarm_locked=1
	local st
	st=$(swarm_state)
	case "$st" in
	active) return 0 ;;
	inactive)
		timeout 60 docker swarm init --advertise-addr "$SWARM_ADVERTISE" >/dev/null ||
			{ echo "swarm: docker swarm init failed" >&2; return 1; }
		swarm_inited=1
		[ "$(swarm_state)" = active ] || { echo "swarm: not active after init" >&2; return 1; }
		;;
	*) echo "swarm: the engine's swarm is '$st', neither active nor inactive" >&2; return 1 ;;
	esac
}

swarm_end() {
	if [ "$swarm_inited" = 1 ]; then
		timeout 60 docker swarm leave --force >/dev/null 2>&1 || echo "swarm: docker swarm leave failed" >&2
		swarm_inited=0
	fi
	if [ "$swarm_locked" = 1 ]; then
		flock -u "$swarm_fd"
		exec {swarm_fd}>&-
		swarm_locked=0
	fi
	return 0
}
