/* The typed cluster model: what a minimesosFile means.
 *
 * Built from a syntax tree by the schema table (src/schema.c), with every
 * default and rule of the language applied: image tags derived from
 * mesosVersion, logging levels inherited from the cluster, agent resources
 * merged over the defaults. All strings are owned by the model.
 */
#ifndef MINIMESOS_MODEL_H
#define MINIMESOS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

/* Resource kinds, in the order of the Mesos resource string. */
typedef enum mm_res_kind {
    MM_RES_PORTS = 0,
    MM_RES_CPUS,
    MM_RES_MEM,
    MM_RES_DISK,
    MM_RES__COUNT
} mm_res_kind;

/* "ports", "cpus", "mem", "disk": the Mesos and JSON names. */
const char *mm_res_kind_name(mm_res_kind k);

typedef struct mm_resource {
    char *role;         /* "*" or a role name */
    double value;       /* cpus/mem/disk */
    char *ranges;       /* ports only: "[31000-32000]" as written */
} mm_resource;

typedef struct mm_image {
    char *name;         /* imageName */
    char *tag;          /* imageTag, after derivation */
} mm_image;

typedef struct mm_master {
    mm_image image;
    char *logging_level;    /* effective: INFO, WARNING or ERROR (inheritance resolved) */
    bool authenticate;
    char *acl_json;         /* NULL when null */
} mm_master;

typedef struct mm_agent {
    mm_image image;
    char *logging_level;    /* effective */
    int port_number;
    char *attributes;
    bool privileged;
#ifdef MM_SCHEMA_TEST_ROW
    char *test_row;         /* the schema test build's extra row (tests/schema_row.sh) */
#endif
    mm_resource *res[MM_RES__COUNT];
    size_t n_res[MM_RES__COUNT];
} mm_agent;

typedef struct mm_marathon {
    mm_image image;
    char *cmd;
    char **apps;            /* marathonJson of each app, in file order */
    size_t n_apps;
    char **groups;          /* marathonJson of each group */
    size_t n_groups;
} mm_marathon;

typedef struct mm_cluster {
    char *cluster_name;     /* NULL when null */
    char *logging_level;    /* upper-case */
    bool map_agent_sandbox_volume;
    bool map_ports_to_host;
    char *mesos_version;
    int timeout;            /* seconds, > 0 */

    mm_master *master;      /* NULL when absent (never, with MM_MODEL_EFFECTIVE) */
    mm_image *zookeeper;    /* idem */
    mm_agent *agents;
    size_t n_agents;
    mm_marathon *marathon;  /* NULL when absent */
    mm_image *consul;
    mm_image *registrator;
    mm_image *mesosdns;

    char *path;             /* absolute path of the minimesosFile; NULL for stdin/strings */
    char *dir;              /* its folder (absolute); the current folder for stdin/strings */
} mm_cluster;

enum {
    /* Add a default master and zookeeper where the file has none: what `up`
     * and `config` use. Without it the model has only what the file says. */
    MM_MODEL_EFFECTIVE = 1u << 0,
};

/* Validate a syntax tree and build its model. Appends every problem to d.
 * Returns NULL when d gained any error; f->root == NULL gives the default
 * cluster (and a MM_W_NO_CLUSTER warning). */
mm_cluster *mm_cluster_build(const mm_file *f, unsigned flags, mm_diags *d);

/* Parse and build from a path ("-" for stdin). Fills path/dir. */
mm_cluster *mm_cluster_load(const char *path, unsigned flags, mm_diags *d);

/* Set c->path and c->dir (replacing them) as mm_cluster_load does for the
 * file at path: its absolute path and folder, or for "-" (or a path that
 * cannot be resolved) no path and the current folder. */
void mm_cluster_set_source(mm_cluster *c, const char *path);

/* The default cluster (what an empty file means), with flags as above. */
mm_cluster *mm_cluster_new_default(unsigned flags);

/* Append n agents with every default (for `up --num-agents N`). */
void mm_cluster_add_default_agents(mm_cluster *c, size_t n);

/* A deep copy of c: the copy owns all its strings (free it with
 * mm_cluster_free). */
mm_cluster *mm_cluster_copy(const mm_cluster *c);

void mm_cluster_free(mm_cluster *c);

/* The Mesos form of an agent's resources, for MESOS_RESOURCES:
 * "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000". malloc'd. */
char *mm_agent_mesos_resources(const mm_agent *a);
/* The same text in pieces of n bytes each handed to put, for
 * writers that stream it without an allocation. */
void mm_agent_mesos_resources_to(const mm_agent *a, void (*put)(void *ctx, const char *text, size_t n),
                                 void *ctx);

/* The effective model as JSON, in the shape of `config --format json`
 * (CLI.md). The caller frees with cJSON_Delete. */
struct cJSON *mm_cluster_to_json(const mm_cluster *c);

/* Write the effective model as JSON text (same shape; pretty when indent).
 * Streams, so a 10,000-agent model is not held twice. Returns 0 or -1 on I/O error. */
int mm_cluster_write_json(FILE *out, const mm_cluster *c, bool indent);

/* The JSON Schema (draft 2020-12) of that JSON, generated from the schema
 * table (`minimesos schema --for config`): every key required, no other
 * key allowed, each value's type, nullability, allowed values (an enum, a
 * pattern or a range where the rule has that form), default and doc line.
 * The caller frees with cJSON_Delete. */
struct cJSON *mm_cluster_json_schema(void);

/* The model as a canonical minimesosFile (schema order, every property
 * explicit), as `config --format minimesosFile` and `init` write it. malloc'd. */
char *mm_cluster_to_minimesosfile(const mm_cluster *c);

/* ---- `minimesos init` ---- */

/* Optional services of the init template. */
enum {
    MM_SVC_MARATHON = 1u << 0,
    MM_SVC_CONSUL = 1u << 1,
    MM_SVC_REGISTRATOR = 1u << 2,
    MM_SVC_MESOSDNS = 1u << 3,
    MM_SVC_ALL = 0xfu,
};

/* One of the mesosVersion values the language allows. */
bool mm_mesos_version_supported(const char *version);
/* All of them, oldest first, NULL-terminated (the schema table's list). */
const char *const *mm_mesos_versions(void);

/* The minimesosFile `init` writes: a comment header, then the cluster with a
 * master, a zookeeper, `agents` agents and the chosen services, every property
 * at its default with a comment saying what it is. mesos_version NULL means
 * the default. NULL with *err when the version is not supported or the
 * services include registrator without consul. malloc'd; it lints clean. */
char *mm_init_template(const char *mesos_version, size_t agents, unsigned services, char **err);

/* The language reference generated from the schema table: every block and
 * property with type, default, allowed values and meaning, plus the syntax.
 * format: "markdown" (docs/language.md) or "man" (minimesosFile(5), roff).
 * malloc'd; NULL for an unknown format. */
char *mm_language_reference(const char *format);

#ifdef __cplusplus
}
#endif

#endif
