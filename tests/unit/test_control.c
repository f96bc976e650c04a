/* Changing and watching a running cluster (cluster.h "changing a running
 * cluster", "waiting for what the master reports"): the conditions over
 * fixed state JSON, mm_wait_for's timing and messages, and the control calls
 * against a fake Docker engine on a unix socket that keeps a small cluster
 * (ZooKeeper, a master, agents) and records what it is asked. */
#include "testutil.h"
#include "fake_engine.h"
#include "minimesos/cluster.h"
#include "minimesos/runtime.h"
#include "services/watch.h"

#include <cjson/cJSON.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ---- the conditions, over state JSON ---- */

static const char *const master_state =
    "{\"activated_slaves\":2,\"deactivated_slaves\":1,"
    "\"slaves\":["
    "{\"id\":\"a-S0\",\"hostname\":\"agent-11\",\"pid\":\"slave(1)@10.0.0.5:5051\",\"active\":true},"
    "{\"id\":\"b-S0\",\"hostname\":\"agent-22\",\"pid\":\"slave(1)@10.0.0.6:5051\",\"active\":false},"
    "{\"id\":\"c-S0\",\"hostname\":\"agent-33\",\"pid\":\"slave(1)@10.0.0.7:5051\",\"active\":true}],"
    "\"frameworks\":[{\"id\":\"marathon-0001\",\"tasks\":["
    "{\"id\":\"web.1234-0001\",\"state\":\"TASK_STAGING\"},"
    "{\"id\":\"db.5678-0002\",\"state\":\"TASK_RUNNING\"}],"
    "\"completed_tasks\":[{\"id\":\"batch.9-0003\",\"state\":\"TASK_FINISHED\"}]}]}";

static mm_running *hand_made(bool with_master_url)
{
    mm_running *rc = calloc(1, sizeof *rc);
    rc->cluster_id = strdup("42");
    rc->dir = strdup("/nowhere");
    rc->config_path = strdup("");
    rc->n_members = 3;
    rc->members = calloc(3, sizeof *rc->members);
    const char *roles[] = { "master", "agent", "agent" };
    for (int i = 0; i < 3; i++) {
        mm_member *m = &rc->members[i];
        m->role = strdup(roles[i]);
        char buf[64];
        snprintf(buf, sizeof buf, "c%d0000000000000000", i);
        m->container_id = strdup(buf);
        snprintf(buf, sizeof buf, "minimesos-%s-42-%d%d", roles[i], i, i);
        m->name = strdup(buf);
        m->state = strdup(i == 2 ? "exited" : "running");
        m->agent = i ? 2 - i : -1;   /* agent 1 first, then agent 0: the table sorts them */
        if (i != 2) {
            snprintf(buf, sizeof buf, "10.0.0.%d", i == 0 ? 3 : 5);
            m->ip = strdup(buf);
        }
        /* A master nobody answers at (a reserved test address, 1 s connect timeout). */
        if (i == 0 && with_master_url)
            m->url = strdup("http://192.0.2.1:5050");
    }
    return rc;
}

START_TEST(agents_condition_compares_activated_slaves)
{
    char *seen = NULL;
    long two = 2, three = 3;
    ck_assert(mm_wait_agents(NULL, master_state, &two, &seen));
    ck_assert_str_eq(seen, "activated_slaves = 2, deactivated_slaves = 1");
    free(seen);
    seen = NULL;
    ck_assert(!mm_wait_agents(NULL, master_state, &three, &seen));
    free(seen);
    seen = NULL;
    ck_assert(!mm_wait_agents(NULL, NULL, &two, &seen));
    ck_assert_ptr_null(seen);
    ck_assert(!mm_wait_agents(NULL, "{}", &two, &seen));
    ck_assert_str_eq(seen, "the master's state has no activated_slaves");
    free(seen);
}
END_TEST

START_TEST(task_condition_matches_a_substring_and_a_state)
{
    char *seen = NULL;
    mm_wait_task w = { "web", NULL };   /* TASK_RUNNING by default */
    ck_assert(!mm_wait_task_state(NULL, master_state, &w, &seen));
    ck_assert_str_eq(seen, "web.1234-0001 TASK_STAGING");
    free(seen);
    w.state = "TASK_STAGING";
    ck_assert(mm_wait_task_state(NULL, master_state, &w, &seen));
    free(seen);
    mm_wait_task done = { "batch", "TASK_FINISHED" };  /* completed tasks count too */
    ck_assert(mm_wait_task_state(NULL, master_state, &done, &seen));
    free(seen);
    mm_wait_task none = { "nope", NULL };
    ck_assert(!mm_wait_task_state(NULL, master_state, &none, &seen));
    ck_assert_str_eq(seen, "no task matches 'nope'");
    free(seen);
    mm_wait_task any = { ".", "TASK_RUNNING" };
    ck_assert(mm_wait_task_state(NULL, master_state, &any, &seen));
    ck_assert_str_eq(seen, "web.1234-0001 TASK_STAGING, db.5678-0002 TASK_RUNNING, batch.9-0003 TASK_FINISHED");
    free(seen);
}
END_TEST

START_TEST(app_condition_without_marathon_says_so)
{
    mm_running *rc = hand_made(false);
    char *seen = NULL;
    ck_assert(!mm_wait_app_healthy(rc, NULL, (void *)"/web", &seen));
    ck_assert_str_eq(seen, "cluster 42 has no Marathon");
    free(seen);
    mm_running_free(rc);
}
END_TEST

START_TEST(master_view_prefers_the_hostname)
{
    cJSON *j = cJSON_Parse(master_state);
    ck_assert_int_eq(mm_master_agent_view(j, "10.0.0.5", "agent-11"), 1);
    ck_assert_int_eq(mm_master_agent_view(j, NULL, "agent-22"), 0);
    /* agent-22 is listed inactive: an active entry at its IP is someone else's */
    ck_assert_int_eq(mm_master_agent_view(j, "10.0.0.7", "agent-22"), 0);
    /* no entry with the hostname: by IP */
    ck_assert_int_eq(mm_master_agent_view(j, "10.0.0.7", "agent-99"), 1);
    ck_assert_int_eq(mm_master_agent_view(j, "10.0.0.9", "agent-99"), -1);
    ck_assert_int_eq(mm_master_agent_view(j, NULL, NULL), -1);
    cJSON_Delete(j);
    mm_member m = { .name = "minimesos-agent-42-1234" };
    char *h = mm_agent_hostname(&m);
    ck_assert_str_eq(h, "agent-1234");
    free(h);
}
END_TEST

/* ---- mm_wait_for ---- */

static int calls;

static bool never(const mm_running *rc, const char *state, void *user, char **seen)
{
    (void)rc;
    (void)user;
    calls++;
    if (state)
        *seen = strdup("a state?");
    return false;
}

static bool third_time(const mm_running *rc, const char *state, void *user, char **seen)
{
    (void)rc;
    (void)state;
    (void)user;
    *seen = strdup("counting");
    return ++calls == 3;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(wait_for_times_out_saying_what_it_saw)
{
    mm_running *rc = hand_made(false);
    mm_error err;
    calls = 0;
    double t0 = now_s();
    ck_assert_int_eq(mm_wait_for(rc, never, NULL, "nothing", 300, &err), -1);
    double took = now_s() - t0;
    ck_assert_int_eq(err.code, MM_ERR_TIMEOUT);
    ck_assert_str_eq(err.message, "timed out after 300 ms waiting for nothing; last seen: the master is not "
                                  "running (running)");
    ck_assert_msg(took >= 0.29 && took < 1.5, "took %.3f s", took);
    /* 25 ms, then doubling: 0, 25, 75, 175 ms... at least 4 polls in 300 ms */
    ck_assert_int_ge(calls, 4);
    mm_error_free(&err);
    /* 0: ask once */
    calls = 0;
    ck_assert_int_eq(mm_wait_for(rc, never, NULL, NULL, 0, &err), -1);
    ck_assert_int_eq(calls, 1);
    ck_assert_msg(strstr(err.message, "timed out after 0 s waiting for the condition"), "%s", err.message);
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

START_TEST(wait_for_returns_when_the_condition_holds)
{
    mm_running *rc = hand_made(false);
    mm_error err;
    calls = 0;
    ck_assert_int_eq(mm_wait_for(rc, third_time, NULL, "three", -1, &err), 0);
    ck_assert_int_eq(calls, 3);
    ck_assert_int_eq(err.code, MM_ERR_NONE);
    ck_assert_ptr_null(err.message);
    mm_running_free(rc);
}
END_TEST

START_TEST(wait_for_stops_on_interrupt)
{
    mm_running *rc = hand_made(false);
    mm_error err;
    mm_interrupt();
    ck_assert_int_eq(mm_wait_for(rc, never, NULL, "x", -1, &err), -1);
    mm_interrupt_reset();
    ck_assert_int_eq(err.code, MM_ERR_INTERRUPTED);
    ck_assert_msg(strstr(err.message, "interrupted while waiting for x"), "%s", err.message);
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

START_TEST(wait_for_says_why_the_master_does_not_answer)
{
    mm_running *rc = hand_made(true);
    mm_error err;
    ck_assert_int_eq(mm_wait_for(rc, never, NULL, "x", 0, &err), -1);
    ck_assert_msg(strstr(err.message, "last seen: the master does not answer: "), "%s", err.message);
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

START_TEST(agent_table_without_a_master_answer)
{
    mm_running *rc = hand_made(false);
    char *table = NULL, *err = NULL;
    ck_assert_int_eq(mm_agent_table(rc, &table, &err), 0);
    ck_assert_str_eq(table,
                     "AGENT  CONTAINER     STATE    MASTER  IP        NAME\n"
                     "0      c20000000000  exited   ?       -         minimesos-agent-42-22\n"
                     "1      c10000000000  running  ?       10.0.0.5  minimesos-agent-42-11\n");
    free(table);
    mm_running_free(rc);
}
END_TEST

START_TEST(options_and_codes)
{
    mm_control_options o;
    memset(&o, 0x5a, sizeof o);
    mm_control_options_init(&o);
    ck_assert_int_eq(o.timeout, -1);
    ck_assert_int_eq(o.pull, MM_PULL_MISSING);
    ck_assert_ptr_null(o.on_event);
    ck_assert_ptr_null(o.event_user);
    ck_assert_str_eq(mm_error_code_name(MM_ERR_NOT_FOUND), "not-found");
    ck_assert_str_eq(mm_error_code_name(MM_ERR_REFUSED), "refused");
}
END_TEST

/* ---- the control calls, against a fake engine ---- */

#define MAX_C 32
typedef struct fake_c {
    char id[40], name[80], role[16];
    int agent, index;
    bool running, deleted;
    char ip[32];
    char *body;         /* create request, for created ones */
} fake_c;

static struct {
    pthread_mutex_t mu;
    fake_c c[MAX_C];
    int n;
    char events[64][96];
    int n_events;
} fk = { .mu = PTHREAD_MUTEX_INITIALIZER };

static fe_server srv;
static char sock_path[108];
static char dir[64];

static void ev(const char *what, const char *name)
{
    char copy[96];
    snprintf(copy, sizeof copy, "%s %s", what, name);
    if (fk.n_events < 64)
        memcpy(fk.events[fk.n_events++], copy, sizeof copy);
}

static bool has_event(const char *e)
{
    pthread_mutex_lock(&fk.mu);
    bool yes = false;
    for (int i = 0; i < fk.n_events; i++)
        yes |= strcmp(fk.events[i], e) == 0;
    pthread_mutex_unlock(&fk.mu);
    return yes;
}

static void add_fake(const char *role, int agent, const char *uuid)
{
    fake_c *c = &fk.c[fk.n];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s%02d0123456789abcdef", role[0] == 'a' ? "abcd" : "ffff", fk.n);
    snprintf(c->name, sizeof c->name, "minimesos-%s-42-%s", role, uuid);
    snprintf(c->role, sizeof c->role, "%s", role);
    c->agent = agent;
    c->index = fk.n;
    c->running = true;
    snprintf(c->ip, sizeof c->ip, "10.9.0.%d", fk.n + 2);
    fk.n++;
}

static fake_c *fake_by_id(const char *p)
{
    for (int i = 0; i < fk.n; i++)
        if (!fk.c[i].deleted && strncmp(p, fk.c[i].id, strlen(fk.c[i].id)) == 0)
            return &fk.c[i];
    return NULL;
}

static void route(int fd, const char *method, const char *path, const char *body)
{
    static char out[65536];
    pthread_mutex_lock(&fk.mu);
    if (strcmp(path, "/version") == 0) {
        fe_reply(fd, 200, "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/containers/json", 22) == 0) {
        size_t n = (size_t)snprintf(out, sizeof out, "[");
        for (int i = 0; i < fk.n; i++) {
            fake_c *c = &fk.c[i];
            if (c->deleted)
                continue;
            char agent[64] = "";
            if (c->agent >= 0)
                snprintf(agent, sizeof agent, ",\"org.minimesos.agent\":\"%d\"", c->agent);
            n += (size_t)snprintf(out + n, sizeof out - n,
                                  "%s{\"Id\":\"%s\",\"Names\":[\"/%s\"],\"State\":\"%s\",\"Labels\":{"
                                  "\"org.minimesos.cluster-id\":\"42\",\"org.minimesos.role\":\"%s\","
                                  "\"org.minimesos.dir\":\"%s\",\"org.minimesos.config\":\"%s/minimesosFile\","
                                  "\"org.minimesos.index\":\"%d\"%s}}",
                                  n > 1 ? "," : "", c->id, c->name, c->running ? "running" : "exited", c->role, dir,
                                  dir, c->index, agent);
        }
        snprintf(out + n, sizeof out - n, "]");
        fe_reply(fd, 200, out);
    } else if (strcmp(method, "POST") == 0 && strncmp(path, "/v1.41/containers/create?name=", 30) == 0) {
        fake_c *c = &fk.c[fk.n];
        memset(c, 0, sizeof *c);
        snprintf(c->id, sizeof c->id, "eeee%02d0123456789abcdef", fk.n);
        snprintf(c->name, sizeof c->name, "%.79s", path + 30);
        cJSON *j = cJSON_Parse(body);
        const cJSON *l = cJSON_GetObjectItem(j, "Labels");
        snprintf(c->role, sizeof c->role, "%s", cJSON_GetObjectItem(l, "org.minimesos.role")->valuestring);
        c->agent = atoi(cJSON_GetObjectItem(l, "org.minimesos.agent")->valuestring);
        c->index = atoi(cJSON_GetObjectItem(l, "org.minimesos.index")->valuestring);
        cJSON_Delete(j);
        c->body = strdup(body);
        fk.n++;
        ev("create", c->name);
        snprintf(out, sizeof out, "{\"Id\":\"%s\"}", c->id);
        fe_reply(fd, 201, out);
    } else if (strncmp(path, "/v1.41/containers/", 18) == 0 && fake_by_id(path + 18)) {
        fake_c *c = fake_by_id(path + 18);
        const char *rest = path + 18 + strlen(c->id);
        if (strcmp(method, "GET") == 0 && strcmp(rest, "/json") == 0) {
            snprintf(out, sizeof out, "{\"Id\":\"%s\",\"Name\":\"/%s\",\"State\":{\"Status\":\"%s\"},"
                     "\"NetworkSettings\":{\"IPAddress\":\"%s\",\"Gateway\":\"10.9.0.1\"}}", c->id, c->name,
                     c->running ? "running" : "exited", c->running ? c->ip : "");
            fe_reply(fd, 200, out);
        } else if (strcmp(method, "POST") == 0 && strncmp(rest, "/stop", 5) == 0) {
            ev("stop", c->name);
            c->running = false;
            fe_reply(fd, 204, "");
        } else if (strcmp(method, "POST") == 0 && strcmp(rest, "/start") == 0) {
            ev("start", c->name);
            c->running = true;
            if (!c->ip[0])
                snprintf(c->ip, sizeof c->ip, "10.9.0.%d", (int)(c - fk.c) + 2);
            fe_reply(fd, 204, "");
        } else if (strcmp(method, "DELETE") == 0) {
            ev("delete", c->name);
            c->deleted = true;
            fe_reply(fd, 204, "");
        } else {
            fe_reply(fd, 404, "{\"message\":\"page not found\"}");
        }
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/images/", 14) == 0) {
        fe_reply(fd, 200, "{}");
    } else {
        fe_reply(fd, 404, "{\"message\":\"page not found\"}");
    }
    pthread_mutex_unlock(&fk.mu);
}

static void handle(int c, void *ctx)
{
    (void)ctx;
    char method[16], path[4096];
    const char *body;
    char *buf = fe_read_request(c, 1 << 20, method, path, &body);
    route(c, method, path, body);
    close(c);
    free(buf);
}

static void setup(void)
{
    memset(fk.c, 0, sizeof fk.c);
    fk.n = fk.n_events = 0;
    snprintf(sock_path, sizeof sock_path, "/tmp/mm-test-control-%d.sock", (int)getpid());
    ck_assert_int_eq(fe_start(&srv, sock_path, true, handle, NULL), 0);
    char host[160];
    snprintf(host, sizeof host, "unix://%s", sock_path);
    setenv("DOCKER_HOST", host, 1);
    snprintf(dir, sizeof dir, "/tmp/mm-test-control-dir-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof path, "%s/minimesosFile", dir);
    FILE *f = fopen(path, "w");
    fputs("minimesos {\n    timeout = 7\n    agent {\n    }\n"
          "    agent {\n        imageName = \"other/agent\"\n        imageTag = \"t\"\n        portNumber = 5061\n"
          "    }\n}\n", f);
    fclose(f);
}

static void teardown(void)
{
    fe_stop(&srv);
    for (int i = 0; i < fk.n; i++)
        free(fk.c[i].body);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* ZooKeeper, a master and n agents, found as mm_running_find finds them. */
static mm_running *cluster_of(int agents)
{
    add_fake("zookeeper", -1, "100");
    add_fake("master", -1, "101");
    for (int i = 0; i < agents; i++) {
        char uuid[16];
        snprintf(uuid, sizeof uuid, "%d", 200 + i);
        add_fake("agent", i, uuid);
    }
    mm_running *rc = NULL;
    mm_error err;
    ck_assert_msg(mm_running_find(dir, &rc, &err) == 0, "%s", err.message);
    mm_error_free(&err);
    return rc;
}

static mm_control_options no_wait(void)
{
    mm_control_options o;
    mm_control_options_init(&o);
    o.timeout = 0;
    return o;
}

START_TEST(an_unknown_agent_is_an_error_listing_the_agents)
{
    mm_running *rc = cluster_of(2);
    mm_error err;
    ck_assert_int_eq(mm_agent_stop(rc, "7", NULL, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    ck_assert_str_eq(err.message, "no agent 7 in cluster 42; its agents: 0 (abcd02012345, running), "
                                  "1 (abcd03012345, running) (by number, container id or name)");
    mm_error_free(&err);
    ck_assert_int_eq(mm_agent_remove(rc, "ffff", NULL, &err), -1);   /* the master's id prefix */
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    mm_error_free(&err);
    ck_assert_int_eq(mm_agent_start(rc, "abcd0", NULL, &err), -1);   /* a prefix of both */
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    ck_assert_msg(strstr(err.message, "'abcd0' names several agents"), "%s", err.message);
    mm_error_free(&err);
    ck_assert_int_eq(fk.n_events, 0);
    mm_running_free(rc);
}
END_TEST

START_TEST(agents_by_number_id_prefix_and_name)
{
    mm_running *rc = cluster_of(3);
    mm_error err;
    mm_control_options o = no_wait();
    ck_assert_int_eq(mm_agent_stop(rc, "1", &o, &err), 0);
    ck_assert(has_event("stop minimesos-agent-42-201"));
    ck_assert_int_eq(mm_agent_stop(rc, "abcd04", &o, &err), 0);
    ck_assert(has_event("stop minimesos-agent-42-202"));
    ck_assert_int_eq(mm_agent_stop(rc, "minimesos-agent-42-200", &o, &err), 0);
    ck_assert(has_event("stop minimesos-agent-42-200"));
    /* rc follows: every agent exited */
    for (size_t i = 0; i < rc->n_members; i++)
        if (strcmp(rc->members[i].role, "agent") == 0)
            ck_assert_str_eq(rc->members[i].state, "exited");
    /* stopping a stopped agent changes nothing */
    int before = fk.n_events;
    ck_assert_int_eq(mm_agent_stop(rc, "1", &o, &err), 0);
    ck_assert_int_eq(fk.n_events, before);
    ck_assert_int_eq(mm_agent_start(rc, "1", &o, &err), 0);
    ck_assert(has_event("start minimesos-agent-42-201"));
    mm_running_free(rc);
}
END_TEST

START_TEST(the_last_agent_is_not_removed)
{
    mm_running *rc = cluster_of(2);
    mm_error err;
    ck_assert_int_eq(mm_agent_remove(rc, "0", NULL, &err), 0);
    ck_assert(has_event("delete minimesos-agent-42-200"));
    ck_assert_int_eq(rc->n_members, 3);
    ck_assert_int_eq(mm_agent_remove(rc, "1", NULL, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_REFUSED);
    ck_assert_msg(strstr(err.message, "agent 1 (minimesos-agent-42-201) is the last agent of cluster 42"), "%s",
                  err.message);
    ck_assert(!has_event("delete minimesos-agent-42-201"));
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

START_TEST(roles_stop_and_start_by_name)
{
    mm_running *rc = cluster_of(1);
    mm_error err;
    mm_control_options o = no_wait();
    ck_assert_int_eq(mm_role_stop(rc, "marathon", &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    ck_assert_str_eq(err.message, "cluster 42 has no marathon; its roles: zookeeper, master");
    mm_error_free(&err);
    ck_assert_int_eq(mm_role_stop(rc, "agent", &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    mm_error_free(&err);
    ck_assert_int_eq(mm_role_start(rc, "mastr", &o, &err), -1);
    ck_assert_str_eq(err.message, "no role 'mastr' in cluster 42; its roles: zookeeper, master");
    mm_error_free(&err);
    ck_assert_int_eq(mm_role_stop(rc, "master", &o, &err), 0);
    ck_assert(has_event("stop minimesos-master-42-101"));
    ck_assert_str_eq(mm_running_role(rc, "master")->state, "exited");
    ck_assert_int_eq(mm_role_start(rc, "master", &o, &err), 0);
    ck_assert(has_event("start minimesos-master-42-101"));
    ck_assert_str_eq(mm_running_role(rc, "master")->state, "running");
    mm_running_free(rc);
}
END_TEST

START_TEST(add_makes_agents_like_the_file_with_the_cluster_labels)
{
    mm_running *rc = cluster_of(2);
    mm_error err;
    mm_control_options o = no_wait();
    ck_assert_msg(mm_agent_add(rc, 1, 2, &o, &err) == 0, "%s", err.message);
    int made = 0;
    for (int i = 0; i < fk.n; i++) {
        fake_c *c = &fk.c[i];
        if (!c->body)
            continue;
        made++;
        cJSON *j = cJSON_Parse(c->body);
        ck_assert_str_eq(cJSON_GetObjectItem(j, "Image")->valuestring, "other/agent:t");
        const cJSON *l = cJSON_GetObjectItem(j, "Labels");
        ck_assert_str_eq(cJSON_GetObjectItem(l, "org.minimesos.cluster-id")->valuestring, "42");
        ck_assert_str_eq(cJSON_GetObjectItem(l, "org.minimesos.dir")->valuestring, dir);
        ck_assert_str_eq(cJSON_GetObjectItem(l, "org.minimesos.port")->valuestring, "5061");
        /* numbered after agents 0 and 1, placed after the 4 containers */
        ck_assert(c->agent == 2 || c->agent == 3);
        ck_assert_int_eq(c->index, c->agent + 2);
        /* the running ZooKeeper: its IP in the env, its container in the link */
        bool zk = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "Env"))
            zk |= strcmp(e->valuestring, "MESOS_MASTER=zk://10.9.0.2:2181/mesos") == 0;
        ck_assert_msg(zk, "%s", c->body);
        const cJSON *links = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "HostConfig"), "Links");
        ck_assert_str_eq(cJSON_GetArrayItem(links, 0)->valuestring, "minimesos-zookeeper-42-100:minimesos-zookeeper");
        cJSON_Delete(j);
    }
    ck_assert_int_eq(made, 2);
    /* rc has them */
    int agents = 0;
    for (size_t i = 0; i < rc->n_members; i++)
        agents += strcmp(rc->members[i].role, "agent") == 0;
    ck_assert_int_eq(agents, 4);
    /* no agent block 2 in the file; count out of range; nothing created */
    ck_assert_int_eq(mm_agent_add(rc, 2, 1, &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    ck_assert_msg(strstr(err.message, "has 2 agent blocks (0 to 1): there is no agent 2"), "%s", err.message);
    mm_error_free(&err);
    ck_assert_int_eq(mm_agent_add(rc, 0, 0, &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    mm_error_free(&err);
    ck_assert_int_eq(fk.n, 6);
    mm_running_free(rc);
}
END_TEST

START_TEST(add_needs_a_running_zookeeper)
{
    mm_running *rc = cluster_of(1);
    fk.c[0].running = false;
    mm_error err;
    mm_control_options o = no_wait();
    ck_assert_int_eq(mm_agent_add(rc, 0, 1, &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONTAINER);
    ck_assert_str_eq(err.message, "the zookeeper of cluster 42 is not running (exited): start it first");
    mm_error_free(&err);
    ck_assert(!has_event("create"));
    mm_running_free(rc);
}
END_TEST

START_TEST(refresh_follows_the_engine)
{
    mm_running *rc = cluster_of(1);
    mm_error err;
    fk.c[2].running = false;
    ck_assert_int_eq(mm_cluster_refresh(rc, &err), 0);
    ck_assert_str_eq(rc->members[2].state, "exited");
    ck_assert_ptr_null(rc->members[2].ip);
    for (int i = 0; i < fk.n; i++)
        fk.c[i].deleted = true;
    ck_assert_int_eq(mm_cluster_refresh(rc, &err), MM_NO_CLUSTER);
    ck_assert_int_eq(err.code, MM_ERR_NO_CLUSTER);
    ck_assert_int_eq(rc->n_members, 3);   /* unchanged */
    mm_error_free(&err);
    ck_assert_int_eq(mm_agent_stop(rc, "0", NULL, &err), MM_NO_CLUSTER);
    ck_assert_str_eq(err.message, "Minimesos cluster 42 is not running: its containers are gone");
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

START_TEST(no_engine_says_engine_unreachable)
{
    mm_running *rc = hand_made(false);
    setenv("DOCKER_HOST", "unix:///nonexistent", 1);
    mm_error err;
    ck_assert_int_eq(mm_agent_add(rc, 0, 1, NULL, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
    mm_error_free(&err);
    ck_assert_int_eq(mm_role_stop(rc, "master", NULL, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
    mm_error_free(&err);
    ck_assert_int_eq(mm_cluster_refresh(rc, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
    mm_error_free(&err);
    mm_running_free(rc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("control");
    TCase *pure = tcase_create("conditions");
    tcase_set_timeout(pure, 30);
    tcase_add_test(pure, agents_condition_compares_activated_slaves);
    tcase_add_test(pure, task_condition_matches_a_substring_and_a_state);
    tcase_add_test(pure, app_condition_without_marathon_says_so);
    tcase_add_test(pure, master_view_prefers_the_hostname);
    tcase_add_test(pure, wait_for_times_out_saying_what_it_saw);
    tcase_add_test(pure, wait_for_returns_when_the_condition_holds);
    tcase_add_test(pure, wait_for_stops_on_interrupt);
    tcase_add_test(pure, wait_for_says_why_the_master_does_not_answer);
    tcase_add_test(pure, agent_table_without_a_master_answer);
    tcase_add_test(pure, options_and_codes);
    tcase_add_test(pure, no_engine_says_engine_unreachable);
    suite_add_tcase(s, pure);
    TCase *t = tcase_create("control");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, an_unknown_agent_is_an_error_listing_the_agents);
    tcase_add_test(t, agents_by_number_id_prefix_and_name);
    tcase_add_test(t, the_last_agent_is_not_removed);
    tcase_add_test(t, roles_stop_and_start_by_name);
    tcase_add_test(t, add_makes_agents_like_the_file_with_the_cluster_labels);
    tcase_add_test(t, add_needs_a_running_zookeeper);
    tcase_add_test(t, refresh_follows_the_engine);
    suite_add_tcase(s, t);
    return tu_run(s);
}
