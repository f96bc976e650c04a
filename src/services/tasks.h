/* Pure helpers behind `install`, `uninstall`, `ps` and `logs`: checking
 * Marathon definitions and reading Marathon's errors, building the task table
 * from the master's state, and finding a task's agent and sandbox from the
 * master's and the agent's state. No I/O here, so each is unit-tested over
 * JSON fixtures (tests/unit/test_marathon.c, test_tasks.c). */
#ifndef MM_TASKS_H
#define MM_TASKS_H

#include <stdbool.h>
#include <stddef.h>

/* ---- Marathon definitions ---- */

/* "app" or "group" for a definition read without a stated kind (--stdin):
 * an object with an `apps` or `groups` member and no `cmd`, `args` or
 * `container` is a group, anything else an app. */
const char *mm_marathon_detect_kind(const char *text);

/* Parse text as JSON and check it is a Marathon `kind` ("app" or "group"):
 * an object with a non-empty string `id`; a group also needs an `apps` or
 * `groups` array. On success *id (if id) gets a copy of the id. On failure
 * -1 and *err says what is wrong ("invalid JSON at line 3, column 7: ...",
 * "no \"id\"", "looks like a group; install it with --group"). */
int mm_marathon_check(const char *text, const char *kind, char **id, char **err);

/* The one-line reason for a Marathon answer that is not 2xx: its `message`
 * (plus `details` where they say more), else the start of the body.
 * "Marathon answered 409: An app with id [/x] already exists." At most
 * MM_MARATHON_ERROR_MAX bytes, on one line without control characters
 * (mm_sb_add_oneline), however long and many Marathon's texts. */
#define MM_MARATHON_ERROR_MAX 4096
char *mm_marathon_error(long status, const char *body);

/* A Marathon id as a URL path: leading slashes dropped, each byte outside
 * [A-Za-z0-9._~/-] percent-encoded. */
char *mm_marathon_id_path(const char *id);

/* Percent-encode every byte outside [A-Za-z0-9._~-] (a query value). */
char *mm_url_encode(const char *s);

/* ---- Tasks in the master's state ---- */

/* The `ps` table: a header `FRAMEWORK TASK STATE PORT` and one row per task
 * of every framework (task id, its state, its ports: "31001",
 * "31000-31002", "31000,31005"; empty when it has none), columns aligned.
 * NULL with *err when state is not the master's state JSON. */
char *mm_ps_table(const char *master_state, char **err);

/* The URL of an agent's state.json from the master's state: the agent
 * whose id or hostname is agent_id, at the address of its pid
 * ("slave(1)@IP:PORT" -> "http://IP:PORT/state.json"). NULL when the state
 * lists no such agent with a pid. */
char *mm_agent_state_url(const char *master_state, const char *agent_id);

/* The "version" of a master's (or agent's) state on one line, at most 64
 * bytes (mm_sb_add_oneline): `info` prints it among the `export` lines
 * users eval. NULL when the state has none. */
char *mm_state_version(const char *state);

typedef struct mm_task_ref {
    char *task_id;
    char *framework_id;
    char *slave_id;
    char *agent_url;     /* http://<ip>:<port> of its agent, from the master's state */
    char *agent_host;    /* the agent's ip (from its pid) or hostname */
} mm_task_ref;

/* Find the one task whose id contains `substring` (a task whose id equals it
 * wins over other matches), and its agent in the master's state. 0 on
 * success; -1 with *err: no match, several matches (listed, one per line
 * after the first), an agent missing from the state. */
int mm_task_find(const char *master_state, const char *substring, mm_task_ref *out, char **err);
void mm_task_ref_free(mm_task_ref *t);

/* The sandbox directory of task_id in an agent's state: the executor of
 * framework_id (or of any framework, when that one is not listed) whose id
 * is task_id or which runs (or ran) that task. -1 with *err when none. */
int mm_executor_directory(const char *agent_state, const char *framework_id,
                          const char *task_id, char **dir, char **err);

/* agent_url + "/files/download?path=" + the encoded path of dir/stdout
 * (or dir/stderr). */
char *mm_sandbox_file_url(const char *agent_url, const char *dir, bool use_stderr);

#endif
