/* The plan: what `up` will ask the engine for, container by container.
 *
 * A pure function of the effective model and the cluster's identity (cluster
 * id, one uuid per container) and a few options: no I/O, so it is unit-tested
 * against golden JSON and printed by `up --dry-run`.
 *
 * Values known only once another container runs (its IP) are references held
 * beside the text, never inside it: an mm_plan_value is literal text plus a
 * list of (offset, role) saying "the IP of that role goes here". The text is
 * copied through verbatim and never interpreted, so user text that looks like
 * a reference (`{{zookeeper.ip}}` as a clusterName) stays what it is. The
 * executor fills the references once those containers run
 * (mm_plan_create_body with a lookup); without one they are shown as
 * `{{role.ip}}`, and mm_plan_to_json lists where they are.
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
#define MM_LABEL_AGENT   "org.minimesos.agent"    /* agents: the agent's number, from 0 */
#define MM_LABEL_SPEC    "org.minimesos.spec"     /* digest of what the container is (mm_plan_spec_digest):
                                                     `up` on a running cluster compares it */
#define MM_LABEL_NODE    "org.minimesos.node"     /* up --swarm: the engine it was created on */
#define MM_LABEL_ENGINES "org.minimesos.engines"  /* up --swarm: every engine of the cluster, in --engine
                                                     order, separated by spaces (the record's, again) */

typedef struct mm_plan_port {
    int port;
    const char *proto;      /* "tcp" or "udp" (static strings) */
    bool publish;           /* bound on the host at the same port */
} mm_plan_port;

/* Strings copied through as they are. */
typedef struct mm_plan_list {
    char **items;
    size_t n, cap;
} mm_plan_list;

/* A reference to another container of the plan: its IP goes at byte offset
 * `at` of the value's text. */
typedef struct mm_plan_ref {
    size_t at;
    char *role;             /* zookeeper, consul, mesosdns, ... */
} mm_plan_ref;

/* A string that may refer to other containers: literal text (never
 * interpreted) and the references to insert into it, by increasing offset
 * (several may share one). "MESOS_ZK=zk://{{zookeeper.ip}}:2181/mesos" is
 * { "MESOS_ZK=zk://:2181/mesos", [{ 14, "zookeeper" }] }. */
typedef struct mm_plan_value {
    char *text;
    mm_plan_ref *refs;
    size_t n_refs;
} mm_plan_value;

typedef struct mm_plan_values {
    mm_plan_value *items;
    size_t n, cap;
} mm_plan_values;

typedef struct mm_container_spec {
    char *role;             /* zookeeper master agent marathon consul registrator mesosdns */
    char *uuid;             /* decimal uint32 */
    char *name;             /* minimesos-<role>-<clusterId>-<uuid> */
    char *image;            /* name:tag */
    char *hostname;         /* NULL: the engine's default */
    mm_plan_values cmd;     /* empty: the image's default */
    mm_plan_values env;     /* "K=V" */
    mm_plan_port *ports;
    size_t n_ports;
    mm_plan_list binds;
    mm_plan_list volumes;   /* anonymous volumes (container paths) */
    mm_plan_list links;     /* "container-name:alias" */
    mm_plan_values extra_hosts; /* "name:ip" */
    mm_plan_values dns;
    bool privileged;
    char *pid_mode;         /* NULL or "host" */
    char *network_mode;     /* "bridge" or "host" */
    mm_plan_list depends;   /* roles that must be started first: every role a
                               reference names, and the targets of links */
    mm_plan_list labels;    /* "key=value", in a fixed order; the last is MM_LABEL_SPEC:
                               16 hex digits, a digest of the create request with
                               references shown as `{{role.ip}}`, every uuid taken
                               as "0" and without the index, agent and spec labels,
                               so that two builds of one model agree on it */
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

/* The IP of the container of `role`, or NULL when not known (yet). */
typedef const char *(*mm_plan_lookup)(const char *role, void *ctx);

/* The value as text, each reference filled with lookup(role); with lookup
 * NULL, or where it returns NULL, a reference is shown as `{{role.ip}}`.
 * malloc'd. */
char *mm_plan_value_str(const mm_plan_value *v, mm_plan_lookup lookup, void *ctx);

/* The plan as JSON (docs/cli.md "up --dry-run"): {"clusterId", "config",
 * "record", "bindAddress", "mapPortsToHost", "timeout", "containers": [
 * {"role", "name", "dependsOn", "references", "create": {"method", "path",
 * "body"}, "start": {"method", "path"}}]}. "body" is mm_plan_create_body
 * without a lookup, references shown as `{{role.ip}}`; "references" says
 * where each one is: [{"field": "Env" | "Cmd" | "HostConfig.ExtraHosts" |
 * "HostConfig.Dns", "index", "offset", "length", "ipOf"}] (offset and length
 * in bytes of the shown string). Text elsewhere, even `{{zookeeper.ip}}`, is
 * literal. The caller frees with cJSON_Delete. */
struct cJSON *mm_plan_to_json(const mm_plan *p);

/* The body of POST /containers/create for one container, references filled
 * by lookup as mm_plan_value_str does. The caller frees with cJSON_Delete. */
struct cJSON *mm_plan_create_body(const mm_plan *p, const mm_container_spec *s,
                                  mm_plan_lookup lookup, void *ctx);

/* up --swarm: turn body, the create request of s (mm_plan_create_body), into
 * that of s on the cluster's overlay network `network` (a container on the
 * host network stays there), labelled MM_LABEL_NODE = engines[node], the
 * engine it is created on, and MM_LABEL_ENGINES = all n_engines of them (so
 * that the labels find every engine again when the record is lost). A link names a container that may be on another engine, which
 * cannot resolve it: it becomes an ExtraHosts line, the link's alias at the
 * linked container's address, lookup(its role); a link whose address lookup
 * does not know is dropped (the caller starts the linked container first). */
void mm_plan_swarm_body(const mm_plan *p, const mm_container_spec *s, struct cJSON *body, const char *network,
                        const char *const *engines, size_t n_engines, size_t node, mm_plan_lookup lookup,
                        void *ctx);

/* Where each container of p goes when `up --swarm` spreads the cluster over
 * n_engines engines (numbered from 0 in the order of --engine): node_of[i]
 * (p->n entries, caller's) gets the engine of container i. By default every
 * container goes on engine 0 but the agents, which go round-robin (agent k
 * on engine k mod n_engines). Then each rule, in order, moves containers:
 * "ROLE=N" every container of ROLE (a role of p) to engine N, "agent:K=N"
 * agent number K to engine N. A pure function: 0, or -1 with *err (malloc'd)
 * naming the rule and why (malformed, a role or agent p does not have, an
 * engine beyond n_engines); n_engines 0 is an error too. */
int mm_plan_place(const mm_plan *p, size_t n_engines, const char *const *rules, size_t n_rules,
                  size_t *node_of, char **err);

/* Rank of a role in the start order of CLUSTER.md (unknown roles last). */
int mm_role_rank(const char *role);

#ifdef __cplusplus
}
#endif

#endif
