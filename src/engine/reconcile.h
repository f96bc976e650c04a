/* Internal to the engine side: `up` on a running cluster. The diff of the
 * running containers (as their labels describe them) and the plan of the
 * file, as a pure function, and the plan lines that `up` and `up --dry-run`
 * print; the apply step, which the executor calls under the folder's lock. */
#ifndef MM_RECONCILE_H
#define MM_RECONCILE_H

#include <stddef.h>
#include <stdbool.h>
#include "engine/docker.h"
#include "minimesos/cluster.h"
#include "minimesos/plan.h"

/* An address a container was created with: it reaches `role` at `ip`. */
typedef struct mm_rc_ref {
    const char *role;       /* zookeeper, consul, mesosdns */
    const char *ip;
} mm_rc_ref;

/* A container of the running cluster, as the engine lists it. Strings are
 * borrowed. */
typedef struct mm_rc_have {
    const char *role;       /* label org.minimesos.role */
    int agent;              /* label org.minimesos.agent; -1 when none */
    const char *spec;       /* label org.minimesos.spec; NULL when none (an older minimesos) */
    const char *image;      /* the image it was created from */
    const char *state;      /* "running", "exited", ... */
    const char *id;         /* container id */
    const char *name;       /* container name, without '/' */
    const char *const *env; /* its environment ("K=V", NULL-terminated), or NULL when not
                               read: only to say which variables changed */
    const char *ip;         /* its IP now (on the bridge network); NULL when none or not known */
    const mm_rc_ref *refs;  /* the IPs it was created to reach other roles at (its env, command,
                               extra hosts, DNS: mm_referenced_ip), n_refs of them; none when
                               not read */
    size_t n_refs;
} mm_rc_have;

typedef enum mm_rc_kind { MM_RC_REMOVE, MM_RC_RECREATE, MM_RC_ADD } mm_rc_kind;

typedef struct mm_rc_action {
    mm_rc_kind kind;
    const char *role;       /* borrowed from the have or the plan */
    int agent;              /* agents: their number; -1 otherwise */
    size_t have;            /* REMOVE, RECREATE: index in the running set */
    size_t want;            /* ADD, RECREATE: position in the plan */
    char *reason;           /* RECREATE: why, e.g. "image a:1 → a:2", "zookeeper recreated" */
} mm_rc_action;

typedef struct mm_rc_diff {
    mm_rc_action *actions;  /* in the order they apply: removals in reverse start order,
                               then recreations and additions in start order */
    size_t n;
    size_t *kept;           /* per plan position: the running container kept there, or
                               MM_RC_NONE when it is created */
    size_t n_plan;
} mm_rc_diff;

#define MM_RC_NONE ((size_t)-1)

/* What must change for the running set to be what plan describes. Pure. The
 * file is the truth: a container whose spec label equals its plan entry's
 * (same role; agents: same number as the plan's agent index) is kept, unless
 * it is not running, or a container it points at (its `depends`) is created
 * anew (then it is recreated: it holds that container's old IP or name,
 * reason "zookeeper recreated"), or one it points at is kept but runs at an
 * IP other than the one it was created with (a ref whose ip differs from
 * the kept container's ip: it was started again and the engine gave it
 * another address; reason "zookeeper moved OLD → NEW").
 * Plan entries without a running match are added; running containers
 * without a plan entry (agents beyond the file's count included, whether
 * `up` or `agent add` started them) are removed. */
mm_rc_diff *mm_reconcile_diff(const mm_rc_have *have, size_t n_have, const mm_plan *plan);
void mm_rc_diff_free(mm_rc_diff *d);

/* The plan lines, one per action, joined by '\n' without a final one:
 * "+ agent 1", "- consul", "~ master (image a:1 → a:2): recreate". "" when
 * there is none. malloc'd. The one printer of `up` and `up --dry-run`. */
char *mm_reconcile_lines(const mm_rc_diff *d);

/* The same plan as JSON text (docs/cli.md "up on a running cluster"):
 * {"clusterId", "upToDate", "changes": [{"change": "remove" | "recreate" |
 * "add", "role", "agent" (agents only), "reason" (recreate only), "line"}]}.
 * malloc'd, indented, no final newline. */
char *mm_reconcile_json(const mm_rc_diff *d, const char *cluster_id);

/* Bring the running cluster rc (of the folder locked by the caller) in line
 * with model c: diff, plan lines as MM_EVENT_PLAN events (and in *lines when
 * lines is not NULL, as mm_reconcile_json when json), then, unless dry_run, check the images, remove, create
 * and start, and wait until ready. Returns 0 changed (rc refreshed),
 * MM_ALREADY_RUNNING nothing to change (err MM_ERR_ALREADY_RUNNING "Cluster
 * N is up to date"; dry runs too), -1 with err. */
int mm_reconcile_run(mm_docker *d, const mm_cluster *c, const mm_up_options *o, mm_running *rc,
                     bool dry_run, bool json, char **lines, mm_error *err);

/* A plan spread over the engines of a swarm (up --swarm): the cluster's
 * overlay network, the address of each engine by number, and for each plan
 * position its engine's number and handle (d or one of its nodes). */
typedef struct mm_exec_place {
    const char *network;
    const char *const *engines;
    size_t n_engines;
    const size_t *node_of;
    mm_docker *const *engine_of;
} mm_exec_place;

/* The executor's start: create and start every container of plan whose
 * ids[i] is NULL, each once those it depends on run (ids[i], ips[i] set:
 * running already, kept as they are), then wait (plan->timeout) until every
 * container runs, the master counts every agent of the plan and Marathon
 * answers. place (NULL: everything on d): where each container is, or goes,
 * and on which network. ids[i] of created containers are set (malloc'd)
 * even on failure. 0, or -1 with err. In executor.c. */
int mm_exec_start(mm_docker *d, mm_plan *plan, char **ids, char **ips, const mm_exec_place *place,
                  const char *config_path, mm_event_fn on_event, void *event_user, mm_error *err);

#endif
