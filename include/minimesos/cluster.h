/* Running clusters: start, find, query and destroy them from C, as the
 * historical Java API did for JUnit.
 *
 *   mm_up_options o;
 *   mm_up_options_init(&o);
 *   o.config_path = "minimesosFile";
 *   mm_running *rc;
 *   mm_error err;
 *   if (mm_up(&o, &rc, &err) != 0) {
 *       fprintf(stderr, "%s\n", err.message);       // err.code says what kind
 *       mm_error_free(&err);
 *       ...
 *   }
 *   const mm_member *m = mm_running_role(rc, "master");   // m->url
 *   char *state; char *why;
 *   mm_state_json(rc, NULL, &state, &why);
 *   mm_running_destroy(rc, &err);
 *   mm_running_free(rc);
 *
 * What holds for every call of this header:
 *
 * - Ownership. Everything a call hands back through a pointer (strings,
 *   mm_running, an mm_error's message) is malloc'd and belongs to the caller:
 *   free() for strings, mm_running_free, mm_error_free. Nothing returned
 *   points into the library's own storage, except the mm_member pointers of
 *   mm_running_role (valid as long as their mm_running) and the fields of an
 *   mm_event (valid during the callback only). Inputs are only read, and may
 *   be released as soon as the call returns.
 * - Memory. Allocation failure aborts the process (after one line on
 *   stderr); no call returns an out-of-memory error.
 * - Output. The library writes nothing on stdout or stderr: progress,
 *   warnings and image pulls go to the caller's on_event callback, outcomes
 *   to return values, errors to an mm_error (or a char ** message for the
 *   service queries). The HTTP trace goes where mm_set_trace() says.
 * - Threads. Every call may run in several threads at once, on different
 *   folders or handles, and read-only calls on one mm_running are safe to
 *   share. Two mm_up in one folder exclude each other through a lock file
 *   (the second reports MM_ALREADY_RUNNING). mm_interrupt() (runtime.h) stops
 *   the waits of every thread. The calls that talk to the engine read
 *   DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH from the environment.
 * - Waiting. mm_up blocks until the cluster is ready or its timeout passes;
 *   the others until the engine or the service answers (each request has a
 *   timeout of its own, 30 s at most for the engine).
 */
#ifndef MINIMESOS_CLUSTER_H
#define MINIMESOS_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "minimesos/runtime.h" /* mm_interrupt, mm_set_trace */
#include "minimesos/model.h"   /* mm_cluster, for mm_up_model */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ---- */

/* What kind of failure an mm_error reports. */
typedef enum mm_error_code {
    MM_ERR_NONE = 0,
    MM_ERR_CONFIG,              /* the minimesosFile, text or model is invalid or cannot be
                                   read, or an option does not fit it */
    MM_ERR_ENGINE_UNREACHABLE,  /* no Docker engine answers at DOCKER_HOST, or DOCKER_HOST
                                   is not an address minimesos can use */
    MM_ERR_ENGINE,              /* the engine answered a request with an error (create,
                                   start, inspect, list, remove) or stopped answering */
    MM_ERR_IMAGE,               /* an image is missing under MM_PULL_NEVER, or its pull failed */
    MM_ERR_CONTAINER,           /* a container of the cluster failed: it did not start, or
                                   stopped, or its service refused a request (a Marathon app) */
    MM_ERR_TIMEOUT,             /* the cluster was not ready within the timeout */
    MM_ERR_INTERRUPTED,         /* mm_interrupt() stopped the call */
    MM_ERR_IO,                  /* <dir>/.minimesos (the record, the lock) cannot be written */
    MM_ERR_LOCKED,              /* another mm_up holds the folder (returned with MM_ALREADY_RUNNING) */
    MM_ERR_ALREADY_RUNNING,     /* a cluster runs in the folder and nothing was changed: it is
                                   up to date, or reconcile was off (returned with
                                   MM_ALREADY_RUNNING) */
    MM_ERR_NO_CLUSTER,          /* nothing recorded or found (returned with MM_NO_CLUSTER) */
    MM_ERR_REAPER,              /* the reaper that reap_when_process_exits asks for could not
                                   be started (nothing was created) */
    MM_ERR_NOT_FOUND,           /* no agent or role of the cluster has that id, index or name
                                   (the message lists those it has) */
    MM_ERR_REFUSED              /* the change would break the cluster (removing its last
                                   agent); nothing changed */
} mm_error_code;

/* The error of a call: a code and the message `minimesos` prints (one or
 * more lines, no final newline; it names the container, what was awaited and
 * the tail of its log where that applies). A call that takes an mm_error *
 * sets it on every return: { MM_ERR_NONE, NULL } on success. It overwrites
 * the struct without freeing what it held, so free a message (mm_error_free)
 * before reusing the struct. NULL is accepted: no details wanted. */
typedef struct mm_error {
    mm_error_code code;
    char *message;              /* malloc'd; NULL when code is MM_ERR_NONE */
} mm_error;

/* Free the message and reset to { MM_ERR_NONE, NULL }. NULL is a no-op. */
void mm_error_free(mm_error *err);

/* The code as a stable lower-case word ("config", "engine-unreachable",
 * "timeout", ...), for logs and tests. Static storage; never NULL. */
const char *mm_error_code_name(mm_error_code code);

/* Outcome codes of the calls that return int: 0 done; MM_ALREADY_RUNNING
 * (mm_up: a cluster runs in that folder, or another mm_up is starting one:
 * nothing changed); MM_NO_CLUSTER (nothing recorded or found); -1 failure.
 * With MM_ALREADY_RUNNING and MM_NO_CLUSTER the mm_error carries the
 * sentence `minimesos` prints for them, with the matching code. */
enum { MM_ALREADY_RUNNING = 2, MM_NO_CLUSTER = 3 };

/* ---- progress ---- */

typedef enum mm_event_kind {
    MM_EVENT_PROGRESS,          /* a step of mm_up: "Started <name> (<image>) at <ip>" */
    MM_EVENT_WARNING,           /* worth telling; the call goes on ("... removed the
                                   stale record ...") */
    MM_EVENT_PULL,              /* an image pull: "Pulling image <ref>", then each status
                                   line the engine sends */
    MM_EVENT_PLAN               /* mm_up on a running cluster: one line of the plan of
                                   changes ("+ agent 2", "- consul", "~ master (...):
                                   recreate"; docs/cli.md "up on a running cluster"),
                                   before they are made */
} mm_event_kind;

typedef struct mm_event {
    mm_event_kind kind;
    const char *message;        /* one line without newline: what `minimesos up` prints */
    /* MM_EVENT_PULL only (NULL otherwise): */
    const char *image;          /* the image reference, name:tag */
    const char *status;         /* the engine's status ("Downloading", "Pull complete");
                                   NULL on the line that starts the pull */
    const char *progress;       /* the engine's progress bar of a byte-count update, else
                                   NULL (`minimesos` shows those on a terminal only) */
} mm_event;

/* Called for each event, from the thread of the call or from threads it
 * started, never twice at once (the library serialises the calls), so it
 * needs no lock of its own for what only it touches. The event and its
 * strings are valid during the call only. It must return promptly and must
 * not call back into the library for the same folder. */
typedef void (*mm_event_fn)(const mm_event *ev, void *user);

/* ---- starting a cluster ---- */

typedef enum mm_pull_policy {
    MM_PULL_MISSING = 0,        /* pull the images the engine does not have */
    MM_PULL_ALWAYS,             /* pull every image */
    MM_PULL_NEVER               /* fail with MM_ERR_IMAGE when one is missing */
} mm_pull_policy;

/* Options of mm_up and mm_up_dry_run (and their _text and _model forms).
 * Fill with mm_up_options_init, then set fields by name: new fields get
 * their defaults there, so code that sets fields by name keeps working. */
typedef struct mm_up_options {
    const char *config_path;    /* mm_up, mm_up_dry_run: the minimesosFile ("minimesosFile");
                                   its folder holds the record; ignored by _text and _model */
    long num_agents;            /* -1: as the configuration says; N >= 0: exactly N agents
                                   (the configuration's first N, then default agents) */
    long timeout;               /* seconds to wait for readiness; -1: the configuration's */
    int map_ports_to_host;      /* -1: as the configuration says; 0 or 1 overrides it */
    mm_pull_policy pull;        /* MM_PULL_MISSING */
    const char *bind_address;   /* host address of published ports; NULL: "127.0.0.1" */
    bool retain;                /* false (the default): when mm_up fails or is interrupted
                                   after creating something, it removes what it created and
                                   the record. true: keep them, for inspection and mm_destroy
                                   (the error message says so) */
    bool cleanup_on_failure;    /* no longer read: removing what was created on failure is
                                   the default, and only retain keeps it. Kept so that code
                                   setting it still compiles; mm_up_options_init sets it true */
    bool reap_when_process_exits; /* false (the default): the cluster outlives this process
                                   until mm_destroy. true: mm_up first starts a watcher, a small
                                   process in a session of its own, that removes the cluster
                                   (everything carrying its id label, and the record if it
                                   still names it) as soon as this process has ended, however
                                   it ended: exit, crash or SIGKILL. Destroying the cluster
                                   here (mm_running_destroy, mm_destroy) or mm_running_keep
                                   lets the watcher go without removing anything, and so does
                                   a failed mm_up that cleaned up or, with retain, kept what
                                   it created. "This process" includes its fork()ed children
                                   until they exit or exec. Linux only; the program must be
                                   linked with libminimesos (not dlopen it): the watcher runs
                                   the program's own image again, which becomes the watcher
                                   before its main(). See docs/cluster.md "The reaper". */
    mm_event_fn on_event;       /* progress, warnings, pulls; NULL: none reported */
    void *event_user;           /* handed to on_event */
    bool reconcile;             /* true (the default): mm_up on a folder whose cluster runs
                                   brings that cluster in line with the configuration (see
                                   mm_up). false: it changes nothing and returns
                                   MM_ALREADY_RUNNING ("Cluster <id> is already running") */
    bool swarm;                 /* false (the default): every container on the engine at
                                   DOCKER_HOST, on its bridge network. true (up --swarm):
                                   DOCKER_HOST must be a swarm manager; mm_up creates an
                                   attachable overlay network for the cluster there and each
                                   container on the engine mm_plan_place gives it (engines,
                                   place), attached to that network. See docs/cluster.md
                                   "Across a swarm" */
    const char *const *engines; /* swarm: the engines, numbered from 0 (addresses as
                                   DOCKER_HOST says them); NULL/0: DOCKER_HOST alone */
    size_t n_engines;
    const char *const *place;   /* swarm: placement rules "ROLE=N", "agent:K=N" */
    size_t n_place;
} mm_up_options;

/* Every field at its default (as above). Needs a non-NULL o; cannot fail. */
void mm_up_options_init(mm_up_options *o);

/* One container of a running cluster. */
typedef struct mm_member {
    char *role;          /* zookeeper master agent marathon consul registrator mesosdns */
    char *container_id;
    char *name;          /* minimesos-<role>-<clusterId>-<uuid> */
    char *ip;            /* on the engine's bridge network; NULL on the host network */
    int port;            /* the service port (5050, agent portNumber, 2181, 8080, 8500), 0 if none */
    char *url;           /* service URL (CLUSTER.md), NULL if none; the host address
                            replaces the ip when the port is published */
    char *state;         /* engine state: "running", "exited", ... */
    int agent;           /* agents: the agent's number (label org.minimesos.agent): 0.. in
                            the order of up; an added agent gets one more than the
                            highest of the cluster's agents; -1 for the other roles */
} mm_member;

/* A running cluster: what the engine says about its containers. */
typedef struct mm_running {
    char *cluster_id;    /* decimal uint32 */
    char *dir;           /* the folder of the configuration (absolute): its record */
    char *config_path;   /* absolute path of the minimesosFile ("" when started from text
                            or a model) */
    char *gateway;       /* gateway of the master's network */
    mm_member *members;  /* in start order */
    size_t n_members;
} mm_running;

/* Start the cluster that the minimesosFile o->config_path describes, wait
 * until it is ready (every container running, the master counting every
 * agent, Marathon answering), deploy its Marathon apps and groups.
 *
 * o: NULL for the defaults. out: required. err: may be NULL.
 * Returns 0 with *out the running cluster (free with mm_running_free);
 * MM_ALREADY_RUNNING when the folder already has one (*out is it, err
 * MM_ERR_ALREADY_RUNNING) or another mm_up is starting one there (*out NULL,
 * err MM_ERR_LOCKED) -- no reaper is started for a cluster it did not
 * start; -1 with *out NULL and err one of MM_ERR_CONFIG,
 * ENGINE_UNREACHABLE, ENGINE, IMAGE, CONTAINER, TIMEOUT, INTERRUPTED, IO,
 * REAPER.
 * Writes <folder>/.minimesos/minimesos.cluster before the first container
 * exists. On a failure after that (an interrupt included) it removes what it
 * created and the record, unless o->retain asks to keep them for mm_destroy;
 * a clean-up that fails too is said in the message, with the record kept.
 *
 * When the folder's cluster already runs (and o->reconcile, the default),
 * mm_up brings it in line with the configuration instead: it compares each
 * running container's org.minimesos.spec label with the new plan, reports
 * the plan of changes as MM_EVENT_PLAN events, checks that every image the
 * changes need is present (pulling as o->pull allows; else nothing changes,
 * err MM_ERR_IMAGE "cluster <id> left as it was: image <ref> is missing"),
 * removes what the file no longer has and what changed, creates and starts
 * the new containers in dependency order with the cluster's labels, and
 * waits until ready (the rules: docs/cli.md "up on a running cluster").
 * Containers whose spec did not change are kept (same ids), unless one was
 * created to reach ZooKeeper, Consul or Mesos-DNS at an IP that role no
 * longer runs at (started again at another): it is recreated, the reason
 * naming the role, its old IP and its new one (docs/cli.md). A cluster
 * across a swarm is changed on its own engines, new containers placed as
 * o->swarm places them (o->place applies); o->engines other than the
 * cluster's, or o->swarm for a cluster on one engine, are refused with
 * MM_ERR_REFUSED, nothing changed. Returns 0 with
 * *out the changed cluster; MM_ALREADY_RUNNING with *out the cluster when
 * nothing had to change (err MM_ERR_ALREADY_RUNNING "Cluster <id> is up to
 * date"); -1 with *out NULL when a change failed: the message says which
 * changes were made and which not; what was created carries the cluster's
 * labels, so mm_destroy removes it. No reaper is started for it. */
int mm_up(const mm_up_options *o, mm_running **out, mm_error *err);

/* What mm_up would change in the folder's running cluster, without changing
 * it: the plan lines (as the MM_EVENT_PLAN events of mm_up, joined by '\n',
 * no final newline) in *lines (malloc'd); with json, the same plan as the
 * JSON of docs/cli.md "up on a running cluster" ({"clusterId", "upToDate",
 * "changes": [{"change", "role", "agent", "reason", "line"}]}, indented). Reads o->config_path (and the
 * options that shape the plan: num_agents, map_ports_to_host,
 * bind_address) and asks the engine; takes no lock, writes nothing.
 * Returns 0 with the lines; MM_ALREADY_RUNNING when nothing would change
 * (*lines "Cluster <id> is up to date", or the JSON with "upToDate": true);
 * MM_NO_CLUSTER when no cluster runs
 * in the folder, or o->config_path does not exist (*lines NULL;
 * mm_up_dry_run tells what a new one would be, or what is wrong);
 * -1 with err MM_ERR_CONFIG, ENGINE_UNREACHABLE or ENGINE. */
int mm_up_changes(const mm_up_options *o, bool json, char **lines, mm_error *err);

/* mm_up of a minimesosFile given as text (len bytes; need not end in NUL):
 * diagnostics name it "<text>". dir is the cluster's folder (NULL: the
 * current one): it must exist, gets the record, and relative Marathon app
 * paths resolve against it. o->config_path is ignored. */
int mm_up_text(const char *text, size_t len, const char *dir, const mm_up_options *o,
               mm_running **out, mm_error *err);

/* mm_up of a model built in code or loaded before (MM_MODEL_EFFECTIVE, or
 * with master and zookeeper set; else MM_ERR_CONFIG). c is only read (the
 * call works on a copy); its folder is c->dir (NULL: the current one).
 * o->config_path is ignored. */
int mm_up_model(const mm_cluster *c, const mm_up_options *o, mm_running **out, mm_error *err);

/* What mm_up would do, as the JSON `minimesos up --dry-run` prints
 * (docs/cli.md): the cluster id and container names drawn for it, every
 * create request. Reads the configuration only: contacts no engine, writes
 * nothing, reports no event. Returns 0 with *plan_json (malloc'd, indented,
 * no final newline; free it), or -1 with *plan_json NULL and err
 * MM_ERR_CONFIG. plan_json: required; o, err: may be NULL. */
int mm_up_dry_run(const mm_up_options *o, char **plan_json, mm_error *err);
int mm_up_dry_run_text(const char *text, size_t len, const char *dir, const mm_up_options *o,
                       char **plan_json, mm_error *err);
int mm_up_dry_run_model(const mm_cluster *c, const mm_up_options *o, char **plan_json,
                        mm_error *err);

/* ---- finding and destroying ---- */

/* Find the cluster recorded in dir (NULL: the current folder), checking its
 * containers through the engine by their labels; a cluster found by its
 * labels alone gets its lost record back. Returns 0 with *out (free with
 * mm_running_free); MM_NO_CLUSTER with *out NULL and err MM_ERR_NO_CLUSTER
 * ("Cluster ID is not found in <record>", or for a stale record, which is
 * removed, "Minimesos cluster <id> is not running: ..."); -1 with err
 * MM_ERR_ENGINE_UNREACHABLE or MM_ERR_ENGINE. out: required; err may be NULL. */
int mm_running_find(const char *dir, mm_running **out, mm_error *err);

/* True when dir (NULL: the current folder) holds a cluster record, whether or
 * not its containers still run. No engine call; cannot fail. */
bool mm_cluster_recorded(const char *dir);

/* The first member of that role, or NULL. Points into rc. */
const mm_member *mm_running_role(const mm_running *rc, const char *role);

/* Free a handle and everything in it. NULL is a no-op. A reaper started for
 * the cluster (reap_when_process_exits) stays: freeing a handle is not
 * destroying the cluster. */
void mm_running_free(mm_running *rc);

/* Let the cluster of rc outlive this process after all: the reaper started
 * for it (reap_when_process_exits) exits without removing anything. Returns
 * whether this process had a reaper for it. `minimesos run --retain` uses it
 * when COMMAND fails. Thread-safe. */
bool mm_running_keep(const mm_running *rc);

/* Remove every container of the cluster recorded in dir (NULL: the current
 * folder), found by the record and by the labels (so a lost record does not
 * matter), with their volumes, and the record. Containers go in parallel.
 * Returns 0 with *cluster_id (if cluster_id is not NULL; malloc'd) the id
 * removed; MM_NO_CLUSTER when nothing was there (err MM_ERR_NO_CLUSTER:
 * "Minimesos cluster is not running", or the stale-record sentence); -1 with
 * err MM_ERR_ENGINE_UNREACHABLE or MM_ERR_ENGINE (what could be removed is
 * removed; run it again). err may be NULL. A reaper this process started
 * for the cluster (reap_when_process_exits) is told it has nothing left to
 * do once the cluster is gone (0 or MM_NO_CLUSTER). */
int mm_destroy(const char *dir, char **cluster_id, mm_error *err);

/* Destroy the cluster of a handle (from mm_up or mm_running_find): its
 * containers and volumes, whatever else is labelled with its folder, and the
 * folder's record, as mm_destroy(rc->dir) does. When the folder's record
 * names another cluster (rc's was destroyed, and a new one started there),
 * nothing is removed: MM_NO_CLUSTER. rc is only read: free it afterwards
 * with mm_running_free. Returns and errors as mm_destroy. */
int mm_running_destroy(const mm_running *rc, mm_error *err);

/* ---- asking a running cluster ----
 * These report failures as a message only: *err (malloc'd, free it) is set
 * when they return -1. The services they ask answer or not; there is nothing
 * more for a caller to tell apart. */

/* The master's state.json, or that agent's (agent_id may be an id or a
 * hostname), as JSON text in *json (malloc'd). 0, or -1 with *err. */
int mm_state_json(const mm_running *rc, const char *agent_id, char **json, char **err);

/* The "version" of the master's state.json, malloc'd; NULL when it does not answer. */
char *mm_mesos_version(const mm_running *rc);

/* `info` text (CLUSTER.md "Service URLs and info"), malloc'd. No I/O. */
char *mm_info_text(const mm_running *rc, const char *mesos_version);

/* The variables that `info` exports (MINIMESOS_NETWORK_GATEWAY, then
 * MINIMESOS_<ROLE> and MINIMESOS_<ROLE>_IP in its order), and
 * MINIMESOS_CLUSTER_ID, as "NAME=value" strings: the environment `minimesos
 * run` gives its COMMAND. A NULL-terminated array; free it with
 * mm_info_env_free. No I/O. */
char **mm_info_env(const mm_running *rc);
void mm_info_env_free(char **env);

/* Marathon: replace ${MINIMESOS_*} tokens (CLUSTER.md) in text; malloc'd.
 * Only those tokens: nothing else of the text is interpreted. */
char *mm_replace_tokens(const mm_running *rc, const char *text);
/* Load a Marathon app or group (path relative to base_dir, or http(s) URL),
 * replace tokens, check it, and send it. kind: "app" or "group". update:
 * PUT an existing app. *answer: Marathon's reply body (malloc'd). 0 or -1
 * with *err. */
int mm_marathon_install(const mm_running *rc, const char *kind, const char *source,
                        const char *base_dir, bool update, char **answer, char **err);
int mm_marathon_install_text(const mm_running *rc, const char *kind, const char *text,
                             bool update, char **answer, char **err);
int mm_marathon_uninstall(const mm_running *rc, const char *kind, const char *id,
                          char **answer, char **err);

/* The tasks of every framework as the table `minimesos ps` prints: a header
 * `FRAMEWORK TASK STATE PORT`, then one aligned row per task (PORT empty for
 * a task without ports). malloc'd into *table. 0 or -1 with *err. */
int mm_ps(const mm_running *rc, char **table, char **err);

/* The stdout (or stderr) of the task whose id contains substring (an exact id
 * wins over other matches), read from its sandbox on its agent: *len bytes at
 * *content (malloc'd). -1 with *err: no match, several (listed), the agent
 * missing or not answering. */
int mm_task_log(const mm_running *rc, const char *substring, bool use_stderr, char **content,
                size_t *len, char **err);

/* ---- changing a running cluster ----
 * Agents added, stopped, started and removed, and the other roles stopped
 * and started, while the cluster runs: what a framework's failover test
 * needs. What holds for each of these calls:
 *
 * - rc: a handle from mm_up or mm_running_find. The call takes the folder's
 *   lock (waiting, as mm_destroy does, while an mm_up or another change runs
 *   there), reads the cluster afresh from the engine, makes the change, and
 *   leaves *rc describing the cluster as it is afterwards (as
 *   mm_cluster_refresh does), on failure too. So these calls write *rc: do
 *   not share one handle between threads while one of them runs (each thread
 *   its own handle, from mm_running_find, is fine; the lock orders them).
 * - Returns 0 done; MM_NO_CLUSTER when the cluster's containers are gone (err
 *   MM_ERR_NO_CLUSTER, "Minimesos cluster <id> is not running"); -1 with err
 *   set. err may be NULL.
 * - Progress and warnings go to o->on_event, one line each, never printed.
 * - An agent is named by `id`: its number (mm_member.agent, "0", "1", ...),
 *   its container id or a unique prefix of it (at least 4 characters: the
 *   12-character short id of `docker ps` works), or its container name. A
 *   name that matches no agent is MM_ERR_NOT_FOUND, with the message listing
 *   the cluster's agents ("no agent 7 in cluster 123; its agents: 0
 *   (3f2a1b4c5d6e, running), 1 (...)").
 * - mm_interrupt() stops the waits: MM_ERR_INTERRUPTED. */

/* Options of the calls that change a running cluster. Fill with
 * mm_control_options_init, then set fields by name. */
typedef struct mm_control_options {
    long timeout;               /* seconds to wait for the master to see a started or added
                                   agent, or a started role to be ready; -1 (default): the
                                   minimesosFile's timeout (30 s when it cannot be read);
                                   0: do not wait */
    mm_pull_policy pull;        /* mm_agent_add: a missing agent image (MM_PULL_MISSING) */
    mm_event_fn on_event;       /* progress and warnings; NULL: none reported */
    void *event_user;           /* handed to on_event */
} mm_control_options;

/* Every field at its default. Needs a non-NULL o; cannot fail. */
void mm_control_options_init(mm_control_options *o);

/* Read the cluster of rc afresh from the engine (its containers, their
 * states, IPs and URLs), replacing rc's members in place: pointers from
 * mm_running_role are invalid afterwards. Returns 0; MM_NO_CLUSTER when none
 * of its containers is left (rc unchanged, err MM_ERR_NO_CLUSTER); -1 with
 * err MM_ERR_ENGINE_UNREACHABLE or MM_ERR_ENGINE (rc unchanged). Writes *rc:
 * not while another thread uses it. err may be NULL. */
int mm_cluster_refresh(mm_running *rc, mm_error *err);

/* Start count (1 to 100) more agents, each like agent block `like` (0: the
 * first) of the cluster's minimesosFile (rc->config_path, read now:
 * image, resources, attributes, port, logging level, privileged, as `up`
 * makes an agent of it), labelled as the cluster's (so mm_destroy, info, ps,
 * state and mm_running_find see them, and destroy removes them), pointed at
 * the running ZooKeeper (and Mesos-DNS), numbered after every agent the
 * cluster has had. Containers are created and started in parallel; then the
 * call waits (o->timeout) until the master counts every new agent active.
 * All or nothing: on any failure, timeout or interrupt, the agents this call
 * created are removed again before it returns.
 * Errors: MM_ERR_CONFIG (no readable minimesosFile, no agent block `like`,
 * count out of range), MM_ERR_CONTAINER (ZooKeeper is not running, or the
 * master when the call is to wait for it, or a new agent stopped; nothing
 * is created in the first two cases), MM_ERR_IMAGE, MM_ERR_ENGINE,
 * MM_ERR_ENGINE_UNREACHABLE, MM_ERR_TIMEOUT, MM_ERR_INTERRUPTED, MM_ERR_IO
 * (the lock). o: NULL for the defaults. */
int mm_agent_add(mm_running *rc, int like, int count, const mm_control_options *o,
                 mm_error *err);

/* Stop the agent `id` (the engine's stop: SIGTERM, then SIGKILL after 10 s);
 * its container, volume and number stay, for mm_agent_start. The master
 * notices it has gone on its own schedule (a Mesos master when the agent's
 * connection drops, the test stand-in within 2 s): wait for that with
 * mm_wait_for. An agent that is not running is left as it is (0).
 * Errors: MM_ERR_NOT_FOUND, MM_ERR_ENGINE, MM_ERR_ENGINE_UNREACHABLE. */
int mm_agent_stop(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err);

/* Start the stopped agent `id` again (same container, hostname and work
 * volume, so Mesos sees the same agent come back, maybe at a new IP) and
 * wait (o->timeout) until the master counts it active. A running agent is
 * only waited for. Errors: MM_ERR_NOT_FOUND, MM_ERR_CONTAINER (it stopped
 * again, or the master is not running), MM_ERR_TIMEOUT (it stays started),
 * MM_ERR_INTERRUPTED, MM_ERR_ENGINE, MM_ERR_ENGINE_UNREACHABLE. */
int mm_agent_start(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err);

/* Remove the agent `id`: its container and its volume, at once (running or
 * not). The master keeps listing it as inactive, as Mesos does until it
 * gives an agent up. The cluster's last agent is not removed: MM_ERR_REFUSED
 * (mm_running_destroy removes everything). Errors: MM_ERR_NOT_FOUND,
 * MM_ERR_REFUSED, MM_ERR_ENGINE, MM_ERR_ENGINE_UNREACHABLE. */
int mm_agent_remove(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err);

/* Stop or start the container of a role other than agent: "master",
 * "marathon", "zookeeper", "consul", "registrator" or "mesosdns". Stop
 * returns once it has stopped (nothing else is touched: agents keep
 * running, and the master notices they are alone on its own schedule).
 * Start waits (o->timeout) until the role is ready as `up` waits for it:
 * the master answering and counting every running agent, Marathon
 * answering, the others running. A role already stopped (started) is left
 * so. The other containers reach ZooKeeper, Consul and Mesos-DNS by the IP
 * they had when the cluster started; the engine may give a restarted one
 * another, and then mm_role_start fails with MM_ERR_CONTAINER saying which
 * container points at the old one and that mm_up (`minimesos up`) in the
 * folder recreates the containers that do (across a swarm too). Errors:
 * MM_ERR_NOT_FOUND
 * ("agent", an unknown role, or one the cluster does not have: the message
 * lists its roles),
 * MM_ERR_CONTAINER, MM_ERR_TIMEOUT, MM_ERR_INTERRUPTED, MM_ERR_ENGINE,
 * MM_ERR_ENGINE_UNREACHABLE. */
int mm_role_stop(mm_running *rc, const char *role, const mm_control_options *o, mm_error *err);
int mm_role_start(mm_running *rc, const char *role, const mm_control_options *o, mm_error *err);

/* The agents as the table `minimesos agent list` prints: a header `AGENT
 * CONTAINER STATE MASTER IP NAME`, then one aligned row per agent in
 * number order: its number, the 12-character container id, the engine's
 * state, what the master says of it ("active", "inactive", "unknown" when
 * it does not list it, "?" when the master does not answer), its IP ("-"
 * when it has none) and container name. Reads rc as it is (mm_cluster_refresh
 * first for the engine's latest) and asks the master. malloc'd into *table.
 * 0, or -1 with *err (malloc'd) when rc has no agent. Read-only on rc. */
int mm_agent_table(const mm_running *rc, char **table, char **err);

/* ---- waiting for what the master reports ---- */

/* A condition on the cluster, asked each time mm_wait_for polls.
 * master_state: the master's state.json text, or NULL when the master does
 * not answer (or does not run). Returns true when the condition holds. It
 * may set *seen to a malloc'd one-line description of what it saw ("2
 * agents active, 1 inactive"), which mm_wait_for frees and, on a timeout,
 * puts in its message; when it sets none and the master did not answer,
 * the message says why the master did not. Called from the thread of
 * mm_wait_for only. */
typedef bool (*mm_wait_fn)(const mm_running *rc, const char *master_state, void *user,
                           char **seen);

/* Poll pred until it holds: at once, then after 25 ms, the pause doubling
 * up to 500 ms, as `up` polls. timeout_ms: how long at most (0: ask once;
 * negative: no limit but mm_interrupt()). Returns 0 when it holds; -1 with
 * err MM_ERR_TIMEOUT ("timed out after 5 s waiting for <what>; last seen:
 * <seen>"; <what> is `what`, or "the condition" when NULL) or
 * MM_ERR_INTERRUPTED. rc is only read: the master's URL is the one rc has,
 * so after the master moved (mm_role_start refreshes rc; another process
 * may not) refresh first. Thread-safe on a shared rc. err may be NULL. */
int mm_wait_for(const mm_running *rc, mm_wait_fn pred, void *user, const char *what,
                long timeout_ms, mm_error *err);

/* Ready-made conditions for mm_wait_for. */

/* The master's activated_slaves equals *(const long *)user. seen:
 * "activated_slaves = 2, deactivated_slaves = 1". */
bool mm_wait_agents(const mm_running *rc, const char *master_state, void *user, char **seen);

/* A task whose id contains `substring` (as mm_task_log matches) is in
 * `state` ("TASK_RUNNING" when NULL), per the master. user: a const
 * mm_wait_task *. seen: each matching task and its state, or "no task
 * matches '<substring>'". */
typedef struct mm_wait_task {
    const char *substring;
    const char *state;
} mm_wait_task;
bool mm_wait_task_state(const mm_running *rc, const char *master_state, void *user, char **seen);

/* The Marathon app (const char *user: its id, with or without the leading
 * '/') is healthy: as many tasks running as its instances, and as many
 * healthy when it has health checks (GET /v2/apps/<id> of the cluster's
 * Marathon; master_state is not used). seen: "app /web: 1 of 2 tasks
 * running", "Marathon has no app /web", "Marathon does not answer: ...". */
bool mm_wait_app_healthy(const mm_running *rc, const char *master_state, void *user,
                         char **seen);

#ifdef __cplusplus
}
#endif

#endif
