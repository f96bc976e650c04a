/* Watching a running cluster: mm_wait_for and its ready-made conditions
 * (agents active, a task's state, a Marathon app healthy), and the agent
 * table of `agent list`. Everything here asks the master or Marathon over
 * HTTP; the engine is not involved (engine/control.c changes the cluster). */
#include "services/watch.h"
#include "services/tasks.h"
#include "net/http.h"
#include "minimesos/cluster.h"
#include "minimesos/runtime.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* mm_error_set lives in the engine layer, above this one. */
static void set_error(mm_error *err, mm_error_code code, char *msg)
{
    if (!err) {
        free(msg);
        return;
    }
    err->code = code;
    err->message = msg;
}

char *mm_agent_hostname(const mm_member *m)
{
    const char *dash = m->name ? strrchr(m->name, '-') : NULL;
    return dash && dash[1] ? mm_xasprintf("agent-%s", dash + 1) : mm_xstrdup("");
}

/* The IP of a slave's pid "slave(1)@ip:port", into buf. */
static const char *pid_ip(const cJSON *slave, char *buf, size_t size)
{
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(slave, "pid");
    const char *at = cJSON_IsString(pid) ? strchr(pid->valuestring, '@') : NULL;
    if (!at)
        return NULL;
    const char *colon = strchr(at + 1, ':');
    size_t n = colon ? (size_t)(colon - at - 1) : strlen(at + 1);
    if (n >= size)
        return NULL;
    memcpy(buf, at + 1, n);
    buf[n] = '\0';
    return buf;
}

int mm_master_agent_view(const cJSON *state, const char *ip, const char *hostname)
{
    /* By hostname first: an agent just stopped may still be listed active
     * at an IP the engine has already given to a new container. By IP when
     * no entry has the hostname (a master that reports another name). */
    for (int by_ip = 0; by_ip < 2; by_ip++) {
        int view = -1;
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(state, "slaves")) {
            char buf[64];
            const char *sip = pid_ip(s, buf, sizeof buf);
            const cJSON *host = cJSON_GetObjectItemCaseSensitive(s, "hostname");
            bool match = by_ip ? ip && sip && strcmp(ip, sip) == 0
                               : hostname && *hostname && cJSON_IsString(host) &&
                                     strcmp(host->valuestring, hostname) == 0;
            if (!match)
                continue;
            const cJSON *active = cJSON_GetObjectItemCaseSensitive(s, "active");
            /* A Mesos master lists only active agents unless it says otherwise. */
            if (!active || cJSON_IsTrue(active))
                return 1;
            view = 0;
        }
        if (view != -1)
            return view;
    }
    return -1;
}

int mm_master_state_within(const mm_running *rc, long timeout_ms, char **json, char **why)
{
    *json = NULL;
    const mm_member *master = mm_running_role(rc, "master");
    if (!master) {
        *why = mm_xasprintf("cluster %s has no master", rc->cluster_id);
        return -1;
    }
    if (!master->url) {
        *why = mm_xasprintf("the master is not running (%s)", master->state ? master->state : "no address");
        return -1;
    }
    if (timeout_ms <= 0 || timeout_ms > 10000)
        timeout_ms = 10000;
    char *url = mm_xasprintf("%s/state.json", master->url);
    mm_http_request req = { .url = url, .timeout_ms = timeout_ms,
                            .connect_timeout_ms = timeout_ms < 1000 ? timeout_ms : 1000,
                            .max_body = 64u << 20, .direct = true };
    mm_http_response resp;
    char *w = NULL;
    int rc_ = mm_http_do(&req, &resp, &w);
    free(url);
    if (rc_ != 0) {
        *why = mm_xasprintf("the master does not answer: %s", w);
        free(w);
        return -1;
    }
    if (resp.status != 200) {
        *why = mm_xasprintf("the master answers HTTP %ld", resp.status);
        mm_http_response_free(&resp);
        return -1;
    }
    *json = resp.body;
    return 0;
}

/* ---- mm_wait_for ---- */

#define POLL_FIRST_S 0.025
#define POLL_MAX_S   0.5

static char *duration(long ms)
{
    return ms % 1000 == 0 ? mm_xasprintf("%ld s", ms / 1000) : mm_xasprintf("%ld ms", ms);
}

int mm_wait_for(const mm_running *rc, mm_wait_fn pred, void *user, const char *what,
                long timeout_ms, mm_error *err)
{
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    if (!what)
        what = "the condition";
    double deadline = timeout_ms < 0 ? INFINITY : now_s() + (double)timeout_ms / 1000;
    double interval = POLL_FIRST_S;
    char *last = NULL;
    for (;;) {
        double tick = now_s();
        if (mm_interrupted()) {
            set_error(err, MM_ERR_INTERRUPTED,
                      mm_xasprintf("interrupted while waiting for %s; last seen: %s", what,
                                   last ? last : "nothing yet"));
            free(last);
            return -1;
        }
        /* The master's answer must come before the deadline (a second at least). */
        double left = deadline - tick;
        long limit = left > 10 ? 10000 : left < 1 ? 1000 : (long)(left * 1000);
        char *state = NULL, *why = NULL, *seen = NULL;
        mm_master_state_within(rc, limit, &state, &why);
        bool ok = pred(rc, state, user, &seen);
        free(last);
        if (seen) {
            last = seen;
            free(why);
        } else if (why) {
            last = why;
        } else {
            last = mm_xstrdup("the condition does not hold");
        }
        free(state);
        if (ok) {
            free(last);
            return 0;
        }
        if (now_s() >= deadline) {
            char *d = duration(timeout_ms);
            set_error(err, MM_ERR_TIMEOUT,
                      mm_xasprintf("timed out after %s waiting for %s; last seen: %s", d, what, last));
            free(d);
            free(last);
            return -1;
        }
        for (double now = now_s(); now < tick + interval && now < deadline && !mm_interrupted(); now = now_s()) {
            double rest = tick + interval - now;
            usleep((useconds_t)((rest < 0.02 ? rest : 0.02) * 1e6) + 1);
        }
        interval = interval * 2 < POLL_MAX_S ? interval * 2 : POLL_MAX_S;
    }
}

/* ---- ready-made conditions ---- */

static long count_of(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : -1;
}

bool mm_wait_agents(const mm_running *rc, const char *master_state, void *user, char **seen)
{
    (void)rc;
    long want = *(const long *)user;
    if (!master_state)
        return false;
    cJSON *j = cJSON_Parse(master_state);
    long active = count_of(j, "activated_slaves"), inactive = count_of(j, "deactivated_slaves");
    cJSON_Delete(j);
    if (active < 0) {
        *seen = mm_xstrdup("the master's state has no activated_slaves");
        return false;
    }
    if (inactive >= 0)
        *seen = mm_xasprintf("activated_slaves = %ld, deactivated_slaves = %ld", active, inactive);
    else
        *seen = mm_xasprintf("activated_slaves = %ld", active);
    return active == want;
}

bool mm_wait_task_state(const mm_running *rc, const char *master_state, void *user, char **seen)
{
    (void)rc;
    const mm_wait_task *w = user;
    const char *sub = w->substring ? w->substring : "";
    const char *want = w->state && *w->state ? w->state : "TASK_RUNNING";
    if (!master_state)
        return false;
    cJSON *j = cJSON_Parse(master_state);
    if (!j) {
        *seen = mm_xstrdup("the master's state is not JSON");
        return false;
    }
    bool ok = false;
    size_t matches = 0;
    strbuf sb = STRBUF_INIT;
    static const char *const lists[] = { "tasks", "completed_tasks" };
    const cJSON *fw;
    cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(j, "frameworks")) {
        for (size_t l = 0; l < 2; l++) {
            const cJSON *t;
            cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(fw, lists[l])) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
                const cJSON *st = cJSON_GetObjectItemCaseSensitive(t, "state");
                if (!cJSON_IsString(id) || !strstr(id->valuestring, sub))
                    continue;
                const char *state = cJSON_IsString(st) ? st->valuestring : "?";
                ok |= strcmp(state, want) == 0;
                if (matches++ < 5)
                    mm_sb_addf(&sb, "%s%s %s", matches > 1 ? ", " : "", id->valuestring, state);
                else if (matches == 6)
                    mm_sb_adds(&sb, ", ...");
            }
        }
    }
    cJSON_Delete(j);
    if (!matches) {
        mm_sb_free(&sb);
        *seen = mm_xasprintf("no task matches '%s'", sub);
    } else {
        *seen = mm_sb_detach(&sb);
    }
    return ok;
}

bool mm_wait_app_healthy(const mm_running *rc, const char *master_state, void *user, char **seen)
{
    (void)master_state;
    const char *id = user;
    const mm_member *m = mm_running_role(rc, "marathon");
    if (!m) {
        *seen = mm_xasprintf("cluster %s has no Marathon", rc->cluster_id);
        return false;
    }
    if (!m->url) {
        *seen = mm_xasprintf("Marathon is not running (%s)", m->state ? m->state : "no address");
        return false;
    }
    char *path = mm_marathon_id_path(id);
    char *url = mm_xasprintf("%s/v2/apps/%s", m->url, path);
    mm_http_request req = { .url = url, .timeout_ms = 5000, .connect_timeout_ms = 1000, .direct = true };
    mm_http_response resp = { 0 };
    char *why = NULL;
    bool ok = false;
    if (mm_http_do(&req, &resp, &why) != 0) {
        *seen = mm_xasprintf("Marathon does not answer: %s", why);
        free(why);
    } else if (resp.status == 404) {
        *seen = mm_xasprintf("Marathon has no app /%s", path);
    } else if (resp.status != 200) {
        *seen = mm_xasprintf("Marathon answers HTTP %ld for app /%s", resp.status, path);
    } else {
        cJSON *j = cJSON_Parse(resp.body);
        const cJSON *app = cJSON_GetObjectItemCaseSensitive(j, "app");
        long instances = count_of(app, "instances"), running = count_of(app, "tasksRunning");
        long healthy = count_of(app, "tasksHealthy");
        const cJSON *checks = cJSON_GetObjectItemCaseSensitive(app, "healthChecks");
        bool has_checks = cJSON_GetArraySize(checks) > 0;
        if (!app || instances < 0 || running < 0) {
            *seen = mm_xasprintf("Marathon's answer for app /%s has no instances or tasksRunning", path);
        } else if (has_checks) {
            if (healthy < 0)
                healthy = 0;
            *seen = mm_xasprintf("app /%s: %ld of %ld tasks running, %ld healthy", path, running, instances,
                                 healthy);
            ok = running >= instances && healthy >= instances;
        } else {
            *seen = mm_xasprintf("app /%s: %ld of %ld tasks running", path, running, instances);
            ok = running >= instances;
        }
        cJSON_Delete(j);
    }
    mm_http_response_free(&resp);
    free(url);
    free(path);
    return ok;
}

/* ---- the agent table ---- */

static int by_number(const void *a, const void *b)
{
    const mm_member *x = *(const mm_member *const *)a, *y = *(const mm_member *const *)b;
    return (x->agent > y->agent) - (x->agent < y->agent);
}

int mm_agent_table(const mm_running *rc, char **table, char **err)
{
    *table = NULL;
    size_t n = 0;
    const mm_member **agents = mm_xcalloc(rc->n_members ? rc->n_members : 1, sizeof *agents);
    for (size_t i = 0; i < rc->n_members; i++)
        if (rc->members[i].role && strcmp(rc->members[i].role, "agent") == 0)
            agents[n++] = &rc->members[i];
    if (!n) {
        free(agents);
        *err = mm_xasprintf("cluster %s has no agent", rc->cluster_id);
        return -1;
    }
    qsort(agents, n, sizeof *agents, by_number);
    char *json = NULL, *why = NULL;
    cJSON *state = NULL;
    if (mm_master_state_within(rc, 3000, &json, &why) == 0)
        state = cJSON_Parse(json);
    free(json);
    free(why);
    /* Columns: AGENT CONTAINER STATE MASTER IP NAME, aligned. */
    const char *head[6] = { "AGENT", "CONTAINER", "STATE", "MASTER", "IP", "NAME" };
    char *(*cells)[6] = mm_xcalloc(n, sizeof *cells);
    size_t width[6];
    for (int c = 0; c < 6; c++)
        width[c] = strlen(head[c]);
    for (size_t i = 0; i < n; i++) {
        const mm_member *m = agents[i];
        char *host = mm_agent_hostname(m);
        int view = state ? mm_master_agent_view(state, m->ip, host) : -2;
        free(host);
        cells[i][0] = mm_xasprintf("%d", m->agent);
        cells[i][1] = mm_xasprintf("%.12s", m->container_id ? m->container_id : "");
        cells[i][2] = mm_xstrdup(m->state ? m->state : "unknown");
        cells[i][3] = mm_xstrdup(view == 1 ? "active" : view == 0 ? "inactive" : view == -1 ? "unknown" : "?");
        cells[i][4] = mm_xstrdup(m->ip ? m->ip : "-");
        cells[i][5] = mm_xstrdup(m->name ? m->name : "");
        for (int c = 0; c < 6; c++)
            if (strlen(cells[i][c]) > width[c])
                width[c] = strlen(cells[i][c]);
    }
    cJSON_Delete(state);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i <= n; i++) {
        for (int c = 0; c < 6; c++) {
            const char *v = i ? cells[i - 1][c] : head[c];
            if (c < 5)
                mm_sb_addf(&sb, "%-*s  ", (int)width[c], v);
            else
                mm_sb_addf(&sb, "%s\n", v);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 6; c++)
            free(cells[i][c]);
    free(cells);
    free(agents);
    *table = mm_sb_detach(&sb);
    return 0;
}
