/* standin master: registers itself in the ZooKeeper stand-in, keeps agents,
 * frameworks and tasks, serves state.json on 5050. See CONTRACT.md. */
#include "standin.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *id, *hostname, *ip, *resources, *attributes;
    int port;
    long last_seen;
    long registered;
    int deactivated; /* logged as deactivated (the monitor's view) */
} agent_t;

typedef struct {
    char *id, *name;
} framework_t;

typedef struct {
    char *id, *name, *fwid, *slave_id, *state, *cmd;
    long *ports;
    size_t nports;
} task_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static agent_t *agents;
static size_t nagents;
static framework_t *fws;
static size_t nfws;
static task_t *tasks;
static size_t ntasks;
static size_t rr;

static atomic_int registered; /* leader key written to ZK */
static int never_ready;
static char my_ip[INET_ADDRSTRLEN];
static char my_host[256];
static int g_argc;
static char **g_argv;
static long started_at;

/* An agent heartbeats every AGENT_HEARTBEAT_MS (agent.c); the master counts
 * it inactive once it has not heard from it for ACTIVE_MS, as a Mesos master
 * deactivates an agent whose connection breaks, and active again at its next
 * heartbeat. Short, so tests see a stopped agent go within about 2 s. */
#define ACTIVE_MS 2000

static int agent_active(const agent_t *a, long now) { return now - a->last_seen <= ACTIVE_MS; }

static void json_task(sbuf *b, const task_t *t, int with_cmd)
{
    sb_add(b, "{\"id\":");
    sb_json_str(b, t->id);
    sb_add(b, ",\"name\":");
    sb_json_str(b, t->name);
    sb_add(b, ",\"framework_id\":");
    sb_json_str(b, t->fwid);
    sb_add(b, ",\"slave_id\":");
    sb_json_str(b, t->slave_id);
    sb_add(b, ",\"executor_id\":\"\",\"state\":");
    sb_json_str(b, t->state);
    sb_add(b, ",\"resources\":{\"cpus\":0.1,\"mem\":32");
    if (t->nports) {
        sb_add(b, ",\"ports\":\"[");
        for (size_t i = 0; i < t->nports; i++)
            sb_printf(b, "%s%ld-%ld", i ? "," : "", t->ports[i], t->ports[i]);
        sb_add(b, "]\"");
    }
    sb_add(b, "},\"discovery\":{\"visibility\":\"FRAMEWORK\",\"name\":");
    sb_json_str(b, t->name);
    sb_add(b, ",\"ports\":{\"ports\":[");
    for (size_t i = 0; i < t->nports; i++)
        sb_printf(b, "%s{\"number\":%ld,\"protocol\":\"tcp\"}", i ? "," : "", t->ports[i]);
    sb_add(b, "]}}");
    if (with_cmd) {
        sb_add(b, ",\"cmd\":");
        sb_json_str(b, t->cmd);
    }
    sb_addc(b, '}');
}

static void json_state(sbuf *b)
{
    long now = now_ms();
    size_t active = 0;
    for (size_t i = 0; i < nagents; i++) active += agent_active(&agents[i], now);
    sb_add(b, "{\"version\":");
    sb_json_str(b, env_or("MINIMESOS_TEST_VERSION", "1.0.0"));
    sb_add(b, ",\"git_sha\":\"standin\",\"build_user\":\"standin\",\"id\":");
    sb_printf(b, "\"%s-master\"", my_host);
    sb_add(b, ",\"cluster\":");
    sb_json_str(b, getenv("MESOS_CLUSTER") ? getenv("MESOS_CLUSTER") : "");
    sb_add(b, ",\"hostname\":");
    sb_json_str(b, my_host);
    sb_printf(b, ",\"pid\":\"master@%s:5050\",\"leader\":\"master@%s:5050\"", my_ip, my_ip);
    sb_printf(b, ",\"start_time\":%ld", started_at);
    sb_printf(b, ",\"activated_slaves\":%zu,\"deactivated_slaves\":%zu", active, nagents - active);
    sb_add(b, ",\"flags\":");
    json_flags(b);
    sb_add(b, ",\"slaves\":[");
    for (size_t i = 0; i < nagents; i++) {
        agent_t *a = &agents[i];
        if (i) sb_addc(b, ',');
        sb_add(b, "{\"id\":");
        sb_json_str(b, a->id);
        sb_add(b, ",\"hostname\":");
        sb_json_str(b, a->hostname);
        sb_printf(b, ",\"pid\":\"slave(1)@%s:%d\",\"port\":%d,\"active\":%s", a->ip, a->port, a->port,
                  agent_active(a, now) ? "true" : "false");
        sb_printf(b, ",\"registered_time\":%ld", a->registered);
        sb_add(b, ",\"resources\":");
        json_resources(b, a->resources);
        /* the raw text too, inside resources and beside it */
        b->len--;
        sb_add(b, b->s[b->len - 1] == '{' ? "\"resources_text\":" : ",\"resources_text\":");
        sb_json_str(b, a->resources);
        sb_add(b, "},\"resources_text\":");
        sb_json_str(b, a->resources);
        sb_add(b, ",\"attributes\":");
        json_attributes(b, a->attributes);
        sb_addc(b, '}');
    }
    sb_add(b, "],\"frameworks\":[");
    for (size_t f = 0; f < nfws; f++) {
        if (f) sb_addc(b, ',');
        sb_add(b, "{\"id\":");
        sb_json_str(b, fws[f].id);
        sb_add(b, ",\"name\":");
        sb_json_str(b, fws[f].name);
        sb_add(b, ",\"active\":true,\"tasks\":[");
        int first = 1;
        for (size_t t = 0; t < ntasks; t++) {
            if (strcmp(tasks[t].fwid, fws[f].id) != 0) continue;
            if (!first) sb_addc(b, ',');
            first = 0;
            json_task(b, &tasks[t], 0);
        }
        sb_add(b, "],\"completed_tasks\":[]}");
    }
    sb_add(b, "],\"completed_frameworks\":[],\"orphan_tasks\":[],\"unregistered_frameworks\":[]");
    sb_add(b, ",\"started_with\":{\"argv\":");
    json_argv(b, g_argc, g_argv);
    sb_add(b, ",\"env\":");
    json_env(b);
    sb_add(b, "}}");
}

static framework_t *find_fw(const char *id)
{
    for (size_t i = 0; i < nfws; i++)
        if (strcmp(fws[i].id, id) == 0) return &fws[i];
    return NULL;
}

static void add_fw(const char *id, const char *name)
{
    if (find_fw(id)) return;
    fws = xrealloc(fws, (nfws + 1) * sizeof *fws);
    fws[nfws].id = xstrdup(id);
    fws[nfws].name = xstrdup(name ? name : id);
    nfws++;
    logmsg("framework %s (%s) registered", id, name ? name : id);
}

static void free_task(task_t *t)
{
    free(t->id); free(t->name); free(t->fwid); free(t->slave_id); free(t->state); free(t->cmd);
    free(t->ports);
}

static void do_register(const http_req *rq, http_resp *rs)
{
    jval *v = json_parse(rq->body, rq->body_len);
    const char *id = json_getstr(v, "id"), *ip = json_getstr(v, "ip");
    long port = 0;
    struct in_addr tmp;
    if (!id || !*id || !ip || inet_pton(AF_INET, ip, &tmp) != 1 || json_getint(v, "port", &port) != 0 ||
        port <= 0 || port > 65535) {
        resp_msg(rs, 400, "register needs {id, ip, port, hostname, resources, attributes}");
        json_free(v);
        return;
    }
    const char *host = json_getstr(v, "hostname"), *res = json_getstr(v, "resources"),
               *attr = json_getstr(v, "attributes");
    pthread_mutex_lock(&mu);
    agent_t *a = NULL;
    for (size_t i = 0; i < nagents; i++)
        if (strcmp(agents[i].id, id) == 0) a = &agents[i];
    long now = now_ms();
    if (!a) {
        agents = xrealloc(agents, (nagents + 1) * sizeof *agents);
        a = &agents[nagents++];
        memset(a, 0, sizeof *a);
        a->id = xstrdup(id);
        a->registered = (long)time(NULL);
        logmsg("agent %s registered from %s:%ld", id, ip, port);
    } else if (!agent_active(a, now) || a->deactivated) {
        logmsg("agent %s re-activated", id);
    }
    a->deactivated = 0;
    free(a->hostname); free(a->ip); free(a->resources); free(a->attributes);
    a->hostname = xstrdup(host ? host : id);
    a->ip = xstrdup(ip);
    a->resources = xstrdup(res ? res : "");
    a->attributes = xstrdup(attr ? attr : "");
    a->port = (int)port;
    a->last_seen = now;
    pthread_mutex_unlock(&mu);
    resp_json(rs, 200, "{}");
    json_free(v);
}

static void do_post_task(const http_req *rq, http_resp *rs)
{
    jval *v = json_parse(rq->body, rq->body_len);
    const char *fw = json_getstr(v, "framework"), *fwid = json_getstr(v, "framework_id"),
               *id = json_getstr(v, "id"), *name = json_getstr(v, "name"), *state = json_getstr(v, "state"),
               *cmd = json_getstr(v, "cmd");
    const jval *ports = json_get(v, "ports");
    if (!id || !*id || (!fw && !fwid) || (ports && ports->t != J_ARR)) {
        resp_msg(rs, 422, "task needs {framework, framework_id, id, name, state, ports, cmd}");
        json_free(v);
        return;
    }
    char fwbuf[256];
    if (!fwid) { snprintf(fwbuf, sizeof fwbuf, "%s-0001", fw); fwid = fwbuf; }
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < ntasks; i++) {
        if (strcmp(tasks[i].id, id) == 0) {
            pthread_mutex_unlock(&mu);
            resp_msg(rs, 409, "task already exists");
            json_free(v);
            return;
        }
    }
    long now = now_ms();
    agent_t *pick = NULL;
    for (size_t k = 0; k < nagents && !pick; k++) {
        agent_t *a = &agents[(rr + k) % nagents];
        if (agent_active(a, now)) { pick = a; rr = (rr + k + 1) % nagents; }
    }
    if (!pick) {
        pthread_mutex_unlock(&mu);
        resp_msg(rs, 503, "no active agent to run the task");
        json_free(v);
        return;
    }
    add_fw(fwid, fw);
    tasks = xrealloc(tasks, (ntasks + 1) * sizeof *tasks);
    task_t *t = &tasks[ntasks++];
    memset(t, 0, sizeof *t);
    t->id = xstrdup(id);
    t->name = xstrdup(name ? name : id);
    t->fwid = xstrdup(fwid);
    t->slave_id = xstrdup(pick->id);
    t->state = xstrdup(state ? state : "TASK_RUNNING");
    t->cmd = xstrdup(cmd ? cmd : "");
    if (ports) {
        for (const jval *p = ports->kids; p; p = p->next) {
            if (p->t != J_NUM) continue;
            t->ports = xrealloc(t->ports, (t->nports + 1) * sizeof *t->ports);
            t->ports[t->nports++] = strtol(p->s, NULL, 10);
        }
    }
    logmsg("task %s of framework %s assigned to agent %s", t->id, t->fwid, t->slave_id);
    rs->status = 200;
    json_task(&rs->body, t, 1);
    pthread_mutex_unlock(&mu);
    json_free(v);
}

static void master_http(const http_req *rq, http_resp *rs)
{
    if (never_ready) { resp_msg(rs, 503, "master is never ready (test image)"); return; }
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    if (get && strcmp(rq->path, "/health") == 0) { rs->status = registered ? 200 : 503; return; }
    if (!registered) { resp_msg(rs, 503, "not elected: no leader registered in ZooKeeper yet"); return; }
    const char *p = rq->path;
    if (get && (strcmp(p, "/state.json") == 0 || strcmp(p, "/master/state.json") == 0 ||
                strcmp(p, "/master/state") == 0 || strcmp(p, "/state") == 0)) {
        rs->status = 200;
        pthread_mutex_lock(&mu);
        json_state(&rs->body);
        pthread_mutex_unlock(&mu);
    } else if (get && (strcmp(p, "/version") == 0)) {
        rs->status = 200;
        sb_add(&rs->body, "{\"version\":");
        sb_json_str(&rs->body, env_or("MINIMESOS_TEST_VERSION", "1.0.0"));
        sb_addc(&rs->body, '}');
    } else if (strcmp(rq->method, "POST") == 0 && strcmp(p, "/register") == 0) {
        do_register(rq, rs);
    } else if (strcmp(rq->method, "POST") == 0 && strcmp(p, "/frameworks") == 0) {
        jval *v = json_parse(rq->body, rq->body_len);
        const char *id = json_getstr(v, "id");
        if (!id || !*id) {
            resp_msg(rs, 422, "framework needs {id, name}");
        } else {
            pthread_mutex_lock(&mu);
            add_fw(id, json_getstr(v, "name"));
            pthread_mutex_unlock(&mu);
            resp_json(rs, 200, "{}");
        }
        json_free(v);
    } else if (strcmp(rq->method, "POST") == 0 && strcmp(p, "/tasks") == 0) {
        do_post_task(rq, rs);
    } else if (strcmp(rq->method, "DELETE") == 0 && strncmp(p, "/tasks/", 7) == 0) {
        char id[1024];
        url_decode(p + 7, id, sizeof id);
        int found = 0;
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < ntasks; i++) {
            if (strcmp(tasks[i].id, id) == 0) {
                free_task(&tasks[i]);
                memmove(&tasks[i], &tasks[i + 1], (ntasks - i - 1) * sizeof *tasks);
                ntasks--;
                found = 1;
                break;
            }
        }
        pthread_mutex_unlock(&mu);
        if (found) { logmsg("task %s removed", id); resp_json(rs, 200, "{}"); }
        else resp_msg(rs, 404, "no such task");
    } else if (get && strncmp(p, "/tasks/for/", 11) == 0) {
        char id[1024];
        url_decode(p + 11, id, sizeof id);
        rs->status = 200;
        sb_addc(&rs->body, '[');
        int first = 1;
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < ntasks; i++) {
            if (strcmp(tasks[i].slave_id, id) != 0) continue;
            if (!first) sb_addc(&rs->body, ',');
            first = 0;
            json_task(&rs->body, &tasks[i], 1);
        }
        pthread_mutex_unlock(&mu);
        sb_addc(&rs->body, ']');
    } else {
        resp_msg(rs, 404, "not found");
    }
}

/* Log each agent that stops heartbeating, once (state.json computes
 * activity itself; this is for `docker logs`). */
static void *monitor(void *arg)
{
    (void)arg;
    for (;;) {
        sleep_ms(250);
        pthread_mutex_lock(&mu);
        long now = now_ms();
        for (size_t i = 0; i < nagents; i++) {
            agent_t *a = &agents[i];
            if (!a->deactivated && !agent_active(a, now)) {
                a->deactivated = 1;
                logmsg("agent %s deactivated: no heartbeat for %ld ms", a->id, now - a->last_seen);
            }
        }
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int role_master(int argc, char **argv)
{
    log_start(argc, argv);
    g_argc = argc;
    g_argv = argv;
    started_at = (long)time(NULL);
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--never-ready") == 0) never_ready = 1;
    own_hostname(my_host, sizeof my_host);
    if (never_ready) {
        own_ip(NULL, my_ip);
        if (http_serve_bg(5050, master_http) != 0) return 1;
        logmsg("never ready: answering 503 to everything on 5050");
        for (;;) sleep(3600);
    }
    const char *zk = getenv("MESOS_ZK");
    struct in_addr zip;
    int zport;
    char path[512];
    if (!zk || parse_zk_url(zk, &zip, &zport, path, sizeof path) != 0) {
        logmsg("MESOS_ZK missing or malformed (want zk://<ip>:2181/<path>): %s", zk ? zk : "(unset)");
        return 1;
    }
    own_ip(&zip, my_ip);
    if (http_serve_bg(5050, master_http) != 0) return 1;
    pthread_t mon;
    if (pthread_create(&mon, NULL, monitor, NULL) == 0) pthread_detach(mon);
    char key[600], value[64];
    snprintf(key, sizeof key, "%s/leader", path);
    snprintf(value, sizeof value, "%s:5050", my_ip);
    long last_fail_log = 0;
    for (;;) {
        if (zk_set(&zip, zport, key, value) == 0) {
            if (!registered) logmsg("registered as leader in %s: %s = %s", zk, key, value);
            registered = 1;
            sleep_ms(5000); /* refresh, in case ZooKeeper restarted */
        } else {
            if (now_ms() - last_fail_log > 5000 || !last_fail_log) {
                logmsg("cannot register in ZooKeeper %s yet; retrying every 500 ms", zk);
                last_fail_log = now_ms();
            }
            sleep_ms(500);
        }
    }
}
