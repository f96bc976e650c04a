/* The plan as a compose file: `minimesos config --format compose|stack`.
 *
 * A pure function of an mm_plan (plan.h), the container table `up` uses, so
 * the file has the same containers, images, commands, environment, binds and
 * labels as `up` (docs/cluster.md "Compose export" says what maps to what and
 * what compose cannot express). No I/O.
 */
#ifndef MINIMESOS_COMPOSE_H
#define MINIMESOS_COMPOSE_H

#include "ast.h"
#include "diag.h"
#include "plan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mm_compose_mode {
    /* For docker-compose (the compose specification, no `version`):
     * container names, privileged agents, `pid: host`, ports published on
     * the plan's bind address, `depends_on` with health conditions. */
    MM_COMPOSE_FILE,
    /* For `docker stack deploy` (version "3.8"): what a swarm service cannot
     * honour is left out with a comment saying so (container_name,
     * privileged, pid, depends_on conditions, ports bound to one address). */
    MM_COMPOSE_STACK,
} mm_compose_mode;

/* The compose file of plan p, as YAML text. References between containers
 * (`{{zookeeper.ip}}`) become service names (resolved by Docker's DNS on the
 * file's network); links and `name:{{role.ip}}` extra hosts become network
 * aliases of the service they point at. Never fails; malloc'd, the caller
 * frees it. */
char *mm_compose_write(const mm_plan *p, mm_compose_mode mode);

/* The service name of container s in that file: its role, or agent<N> for
 * the agent with number N (org.minimesos.agent). malloc'd. */
char *mm_compose_service_name(const mm_container_spec *s);

/* s as a YAML double-quoted scalar, with each `$` doubled (compose and
 * `docker stack deploy` interpolate `$NAME`): quotes, backslashes and
 * control characters escaped, newlines as \n, other bytes as they are.
 * malloc'd. */
char *mm_compose_quote(const char *s);

/* `lint --swarm`: the settings of file f (c: its model, built from f,
 * effective or not) that a stack (MM_COMPOSE_STACK) cannot honour, as
 * MM_W_NOT_FOR_STACK warnings appended to d: each privileged agent (at its
 * `privileged` property, or at the agent block when it is the default), and
 * `mapPortsToHost = true` (a swarm publishes a port on every address of the
 * node, never on one). Returns how many it added; nothing when f or c is
 * NULL. */
size_t mm_compose_stack_lint(const mm_file *f, const mm_cluster *c, mm_diags *d);

#ifdef __cplusplus
}
#endif

#endif
