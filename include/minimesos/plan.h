/* The plan: what `up` will ask the engine for, container by container.
 *
 * A pure function of the effective model and the cluster's identity (cluster
 * id, one uuid per container) and a few options: no I/O, so it is unit-tested
 * against golden JSON and printed by `up --dry-run`. Values only known once a
 * dependency runs (its IP) are placeholders such as `{{zookeeper.ip}}`, which
 * the executor resolves after that container started (mm_plan_resolve).
 */
#ifndef MINIMESOS_PLAN_H
#define MINIMESOS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

/* Labels on every container (CLUSTER.md "Identity and bookkeeping"). */
#define MM_LABEL_CLUSTER "org.minimesos.cluster-id"
#define MM_LABEL_ROLE    "org.minimesos.role"
#define MM_LABEL_CONFIG  "org.minimesos.config"   /* absolute minimesosFile path */
#define MM_LABEL_DIR     "org.minimesos.dir"      /* its folder: how commands find a cluster */
#define MM_LABEL_INDEX   "org.minimesos.index"    /* position in the plan (start order) */
#define MM_LABEL_PORT    "org.minimesos.port"     /* the service port, when there is one */

typedef struct mm_plan_port {
    int port;
    const char *proto;      /* "tcp" or "udp" (static strings) */
    bool publish;           /* bound on the host at the same port */
} mm_plan_port;

typedef struct mm_plan_list {
    char **items;
    size_t n, cap;
} mm_plan_list;

typedef struct mm_container_spec {
    char *role;             /* zookeeper master agent marathon consul registrator mesosdns */
    char *uuid;             /* decimal uint32 */
    char *name;             /* minimesos-<role>-<clusterId>-<uuid> */
    char *image;            /* name:tag */
    char *hostname;         /* NULL: the engine's default */
    mm_plan_list cmd;       /* empty: the image's default */
    mm_plan_list env;       /* "K=V", may hold placeholders */
    mm_plan_port *ports;
    size_t n_ports;
    mm_plan_list binds;
    mm_plan_list volumes;   /* anonymous volumes (container paths) */
    mm_plan_list links;     /* "container-name:alias" */
    mm_plan_list extra_hosts; /* "name:ip", may hold placeholders */
    mm_plan_list dns;       /* may hold placeholders */
    bool privileged;
    char *pid_mode;         /* NULL or "host" */
    char *network_mode;     /* "bridge" or "host" */
    mm_plan_list depends;   /* roles that must be started first (IPs, links) */
    mm_plan_list labels;    /* "key=value", in a fixed order */
    int service_port;       /* 0 when none */
    int agent_index;        /* agents: 0.., others -1 */
} mm_container_spec;

typedef struct mm_plan_options {
    const char *cluster_id;     /* decimal uint32 */
    const char *const *uuids;   /* one per container, in plan order; NULL: derived for tests */
    size_t n_uuids;
    long num_agents;            /* -1: the model's agents; else exactly this many
                                   (the model must hold at least that many) */
    int map_ports_to_host;      /* -1: as the model says */
    const char *bind_address;   /* default "127.0.0.1" */
} mm_plan_options;

typedef struct mm_plan {
    char *cluster_id;
    char *config_path;      /* absolute, or "" for a model without a file */
    char *dir;
    char *bind_address;
    bool map_ports_to_host;
    int timeout;
    mm_container_spec *containers;   /* start order */
    size_t n;
} mm_plan;

/* How many containers a plan of this model holds (so callers can make uuids). */
size_t mm_plan_count(const mm_cluster *c, long num_agents);

/* Build the plan. Never fails on a valid effective model (master and
 * zookeeper present); returns NULL with *err set otherwise. */
mm_plan *mm_plan_build(const mm_cluster *c, const mm_plan_options *o, char **err);
void mm_plan_free(mm_plan *p);

/* The plan as JSON: {"clusterId", "config", "bindAddress", "containers": [
 * {"role","name","image","hostname","cmd","env","labels","exposedPorts",
 *  "portBindings","binds","volumes","links","extraHosts","dns","privileged",
 *  "pidMode","networkMode","dependsOn"}]}; also the Engine API create body of
 * each container (mm_plan_create_body) once placeholders are resolved. */
struct cJSON *mm_plan_to_json(const mm_plan *p);

/* The body of POST /containers/create for one container, with placeholders
 * resolved by lookup(role) -> ip (NULL when unknown: left as is). */
typedef const char *(*mm_plan_lookup)(const char *role, void *ctx);
struct cJSON *mm_plan_create_body(const mm_plan *p, const mm_container_spec *s,
                                  mm_plan_lookup lookup, void *ctx);

/* Replace every {{role.ip}} in s; malloc'd. */
char *mm_plan_resolve(const char *s, mm_plan_lookup lookup, void *ctx);

/* Rank of a role in the start order of CLUSTER.md (unknown roles last). */
int mm_role_rank(const char *role);

#ifdef __cplusplus
}
#endif

#endif
