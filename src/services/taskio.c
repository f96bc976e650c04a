/* Tasks of a running cluster: the `ps` table and a task's sandbox files,
 * fetched from the master and the agents over tasks.c's pure lookups. */
#include "minimesos/cluster.h"
#include "net/http.h"
#include "services/tasks.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

int mm_ps(const mm_running *rc, char **table, char **err)
{
    char *json = NULL;
    *table = NULL;
    if (mm_state_json(rc, NULL, &json, err) != 0) {
        if (!*err)
            *err = mm_xstrdup("the master's state is not available");
        return -1;
    }
    *table = mm_ps_table(json, err);
    free(json);
    return *table ? 0 : -1;
}

/* The agent's address as minimesos reaches it: the member of role agent with
 * the task's agent's IP (its URL may be a published host address), else the
 * address from the master's state. */
static const char *agent_base(const mm_running *rc, const mm_task_ref *t)
{
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        if (m->role && strcmp(m->role, "agent") == 0 && m->ip && m->url && t->agent_host
            && strcmp(m->ip, t->agent_host) == 0)
            return m->url;
    }
    return t->agent_url;
}

int mm_task_log(const mm_running *rc, const char *substring, bool use_stderr, char **content,
                size_t *len, char **err)
{
    char *json = NULL, *why = NULL, *dir = NULL, *url = NULL;
    mm_task_ref t = { 0 };
    mm_http_response resp = { 0 };
    int status = -1;
    *content = NULL;
    *len = 0;
    *err = NULL;
    if (mm_state_json(rc, NULL, &json, &why) != 0) {
        *err = mm_xstrdup(why ? why : "the master's state is not available");
        goto out;
    }
    if (mm_task_find(json, substring, &t, err) != 0)
        goto out;
    free(json);
    json = NULL;
    if (mm_state_json(rc, t.slave_id, &json, &why) != 0) {
        *err = mm_xasprintf("task %s: the state of its agent %s: %s", t.task_id, t.slave_id,
                         why ? why : "not available");
        goto out;
    }
    if (mm_executor_directory(json, t.framework_id, t.task_id, &dir, err) != 0)
        goto out;
    url = mm_sandbox_file_url(agent_base(rc, &t), dir, use_stderr);
    mm_http_request req = { .url = url, .timeout_ms = 60000, .direct = true };
    if (mm_http_do(&req, &resp, &why) != 0) {
        *err = mm_xasprintf("task %s: agent %s: %s", t.task_id, t.slave_id, why);
        goto out;
    }
    if (resp.status != 200) {
        *err = mm_xasprintf("task %s: the agent answered %ld for %s/%s", t.task_id, resp.status, dir,
                         use_stderr ? "stderr" : "stdout");
        goto out;
    }
    *content = resp.body;
    *len = resp.len;
    resp.body = NULL;
    status = 0;
out:
    mm_http_response_free(&resp);
    mm_task_ref_free(&t);
    free(url);
    free(dir);
    free(json);
    free(why);
    return status;
}
