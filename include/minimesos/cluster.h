/* Running clusters: start, find, query and destroy them from C, as the
 * historical Java API did for JUnit.
 *
 *   mm_up_options o = MM_UP_OPTIONS_INIT;
 *   o.config_path = "minimesosFile";
 *   mm_running *rc; char *err;
 *   if (mm_up(&o, &rc, &err) != 0) { fprintf(stderr, "%s\n", err); ... }
 *   const mm_member *m = mm_running_role(rc, "master");   // m->url
 *   char *state; mm_state_json(rc, NULL, &state, &err);
 *   mm_destroy(rc->dir, NULL, &err); mm_running_free(rc);
 */
#ifndef MINIMESOS_CLUSTER_H
#define MINIMESOS_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "minimesos/runtime.h" /* mm_interrupt, mm_set_trace */

#ifdef __cplusplus
extern "C" {
#endif

/* One container of a running cluster. */
typedef struct mm_member {
    char *role;          /* zookeeper master agent marathon consul registrator mesosdns */
    char *container_id;
    char *name;          /* minimesos-<role>-<clusterId>-<uuid> */
    char *ip;            /* on the engine's bridge network */
    int port;            /* the service port (5050, agent portNumber, 2181, 8080, 8500), 0 if none */
    char *url;           /* service URL (CLUSTER.md), NULL if none; the host address
                            replaces the ip when the port is published */
    char *state;         /* engine state: "running", "exited", ... */
} mm_member;

typedef struct mm_running {
    char *cluster_id;    /* decimal uint32 */
    char *dir;           /* folder of the minimesosFile (absolute) */
    char *config_path;   /* absolute path of the minimesosFile */
    char *gateway;       /* gateway of the master's network */
    mm_member *members;  /* in start order */
    size_t n_members;
} mm_running;

typedef struct mm_up_options {
    const char *config_path;    /* default "minimesosFile" */
    long num_agents;            /* -1: as the file says */
    long timeout;               /* -1: as the file says */
    int map_ports_to_host;      /* -1: as the file says, 0/1 override */
    const char *pull;           /* "missing" (default), "always", "never" */
    const char *bind_address;   /* for published ports; default "127.0.0.1" */
    bool dry_run;               /* print the plan as JSON to stdout, contact nothing */
    bool cleanup_on_failure;    /* remove what was created when up fails */
    bool quiet;                 /* no progress on stderr */
} mm_up_options;

#define MM_UP_OPTIONS_INIT { "minimesosFile", -1, -1, -1, "missing", "127.0.0.1", false, false, false }

/* Outcome codes: 0 ok; MM_ALREADY_RUNNING (up found a cluster here, nothing
 * changed); MM_NO_CLUSTER (nothing recorded or found); -1 failure with *err. */
enum { MM_ALREADY_RUNNING = 2, MM_NO_CLUSTER = 3 };

int mm_up(const mm_up_options *o, mm_running **out, char **err);

/* Find the cluster recorded in dir (NULL: the current folder), checking its
 * containers through the engine by their labels. A stale record (containers
 * gone) is removed and reported as MM_NO_CLUSTER with *err saying so. */
int mm_running_find(const char *dir, mm_running **out, char **err);
/* True when dir (NULL: the current folder) holds a cluster record, whether or
 * not its containers still run. No engine call. */
bool mm_cluster_recorded(const char *dir);
const mm_member *mm_running_role(const mm_running *rc, const char *role); /* first of that role */
void mm_running_free(mm_running *rc);

/* Remove every container of the cluster recorded in dir (by record and by
 * labels), with volumes, and the record. *cluster_id gets the id removed. */
int mm_destroy(const char *dir, char **cluster_id, char **err);

/* The master's state.json, or that agent's (agent_id may be an id or a
 * hostname) as JSON text. */
int mm_state_json(const mm_running *rc, const char *agent_id, char **json, char **err);

/* The "version" of the master's state.json, malloc'd; NULL when it does not answer. */
char *mm_mesos_version(const mm_running *rc);

/* `info` text (CLUSTER.md "Service URLs and info"), malloc'd. */
char *mm_info_text(const mm_running *rc, const char *mesos_version);

/* Marathon: replace ${MINIMESOS_*} tokens (CLUSTER.md) in text; malloc'd. */
char *mm_replace_tokens(const mm_running *rc, const char *text);
/* Load a Marathon app or group (path relative to base_dir, or http(s) URL),
 * replace tokens, check it, and send it. kind: "app" or "group". update:
 * PUT an existing app. *answer: Marathon's reply body. */
int mm_marathon_install(const mm_running *rc, const char *kind, const char *source,
                        const char *base_dir, bool update, char **answer, char **err);
int mm_marathon_install_text(const mm_running *rc, const char *kind, const char *text,
                             bool update, char **answer, char **err);
int mm_marathon_uninstall(const mm_running *rc, const char *kind, const char *id,
                          char **answer, char **err);


/* The tasks of every framework as the table `minimesos ps` prints: a header
 * `FRAMEWORK TASK STATE PORT`, then one aligned row per task (PORT empty for
 * a task without ports). malloc'd into *table. */
int mm_ps(const mm_running *rc, char **table, char **err);

/* The stdout (or stderr) of the task whose id contains substring (an exact id
 * wins over other matches), read from its sandbox on its agent: *len bytes at
 * *content (malloc'd). -1 with *err: no match, several (listed), the agent
 * missing or not answering. */
int mm_task_log(const mm_running *rc, const char *substring, bool use_stderr, char **content,
                size_t *len, char **err);

#ifdef __cplusplus
}
#endif

#endif
