/* The cluster calls of minimesos/cluster.h without Docker: options, dry runs
 * from a file, text and a model, error codes (missing file, bad text, no
 * engine), and, against a fake engine on a unix socket, that the library
 * writes nothing on stdout or stderr: progress, warnings and pulls reach the
 * caller's callback instead; and the reaper (src/engine/reaper.c): started
 * by a process that then exits, it removes that cluster's containers and
 * record, and only those; told "done", it removes nothing. */
#include "testutil.h"
#include "fake_engine.h"
#include "minimesos/cluster.h"
#include "minimesos/minimesos.h"
#include "engine/reaper.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <unistd.h>

/* ---- a scratch folder ---- */

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/mm-test-cluster-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void make_subdir(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* destroy takes the folder lock, so .minimesos may exist already */
    ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
}

static bool file_exists(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- events, and what reaches stdout and stderr ---- */

typedef struct seen {
    int n[3];                   /* per mm_event_kind */
    char text[8192];            /* every message, one a line */
    int pull_progress;          /* pull events with a progress bar */
} seen;

static void collect(const mm_event *ev, void *user)
{
    seen *s = user;
    ck_assert_int_ge(ev->kind, MM_EVENT_PROGRESS);
    ck_assert_int_le(ev->kind, MM_EVENT_PLAN);
    ck_assert_ptr_nonnull(ev->message);
    ck_assert_ptr_null(strchr(ev->message, '\n'));
    s->n[ev->kind]++;
    if (ev->kind == MM_EVENT_PULL) {
        ck_assert_ptr_nonnull(ev->image);
        s->pull_progress += ev->progress != NULL;
    } else {
        ck_assert_ptr_null(ev->image);
    }
    size_t len = strlen(s->text);
    snprintf(s->text + len, sizeof s->text - len, "%d %s\n", (int)ev->kind, ev->message);
}

/* stdout and stderr go to files while the library runs. */
static int saved_out = -1, saved_err = -1;
static char out_path[64], err_path[64];

static void capture_start(void)
{
    snprintf(out_path, sizeof out_path, "/tmp/mm-test-cluster-out-%d", (int)getpid());
    snprintf(err_path, sizeof err_path, "/tmp/mm-test-cluster-err-%d", (int)getpid());
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(o >= 0 && e >= 0);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
}

/* Restores the streams; asserts that nothing was written to either. */
static void capture_end_silent(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    size_t lo = 0, le = 0;
    char *o = tu_read_file(out_path, &lo), *e = tu_read_file(err_path, &le);
    unlink(out_path);
    unlink(err_path);
    ck_assert_msg(lo == 0, "the library wrote on stdout: %s", o);
    ck_assert_msg(le == 0, "the library wrote on stderr: %s", e);
    free(o);
    free(e);
}

/* ---- a fake Docker engine on a unix socket ---- */

static fe_server srv;
static char sock_path[108];
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char request_log[16384];
static const char *list_answer = "[]";

static void serve(int c, void *ctx)
{
    (void)ctx;
    char method[16], path[4096];
    const char *body;
    char *buf = fe_read_request(c, 65536, method, path, &body);
    pthread_mutex_lock(&log_mu);
    size_t l = strlen(request_log);
    snprintf(request_log + l, sizeof request_log - l, "%s %s\n", method, path);
    pthread_mutex_unlock(&log_mu);
    if (strcmp(path, "/version") == 0)
        fe_reply(c, 200, "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");
    else if (strncmp(path, "/v1.41/containers/json?", 23) == 0)
        fe_reply(c, 200, list_answer);
    else if (strncmp(path, "/v1.41/images/create?", 21) == 0)
        fe_reply(c, 200, "{\"status\":\"Pulling from fake\"}\n"
                      "{\"status\":\"Downloading\",\"id\":\"abc\",\"progress\":\"[=>   ] 1MB/2MB\"}\n"
                      "{\"status\":\"Pull complete\",\"id\":\"abc\"}\n");
    else if (strncmp(path, "/v1.41/containers/create?", 25) == 0)
        fe_reply(c, 500, "{\"message\":\"no space left on device\"}");
    else if (strcmp(method, "DELETE") == 0 && strncmp(path, "/v1.41/containers/", 18) == 0)
        fe_reply(c, 204, "");
    else if (strncmp(path, "/v1.41/volumes?", 15) == 0)
        fe_reply(c, 200, "{\"Volumes\":[]}");
    else if (strncmp(path, "/v1.41/networks?", 16) == 0)
        fe_reply(c, 200, "[]");
    else
        fe_reply(c, 404, "{\"message\":\"no such thing\"}");
    close(c);
    free(buf);
}

static void engine_start(void)
{
    request_log[0] = '\0';
    list_answer = "[]";
    snprintf(sock_path, sizeof sock_path, "/tmp/mm-test-cluster-%d.sock", (int)getpid());
    ck_assert_int_eq(fe_start(&srv, sock_path, false, serve, NULL), 0);
    char host[160];
    snprintf(host, sizeof host, "unix://%s", sock_path);
    setenv("DOCKER_HOST", host, 1);
    make_dir();
}

static void engine_stop(void)
{
    fe_stop(&srv);
    remove_dir();
}

static bool requested(const char *what)
{
    pthread_mutex_lock(&log_mu);
    bool r = strstr(request_log, what) != NULL;
    pthread_mutex_unlock(&log_mu);
    return r;
}

/* ---- options ---- */

START_TEST(options_init_sets_every_default)
{
    mm_up_options o;
    memset(&o, 0x5a, sizeof o);
    mm_up_options_init(&o);
    ck_assert_str_eq(o.config_path, "minimesosFile");
    ck_assert_int_eq(o.num_agents, -1);
    ck_assert_int_eq(o.timeout, -1);
    ck_assert_int_eq(o.map_ports_to_host, -1);
    ck_assert_int_eq(o.pull, MM_PULL_MISSING);
    ck_assert_ptr_null(o.bind_address);
    ck_assert(!o.retain);                 /* a failed up removes what it created */
    ck_assert(o.cleanup_on_failure);      /* no longer read; says what happens */
    ck_assert_ptr_null(o.on_event);
    ck_assert_ptr_null(o.event_user);
    ck_assert_str_eq(mm_error_code_name(MM_ERR_ENGINE_UNREACHABLE), "engine-unreachable");
    ck_assert_str_eq(mm_error_code_name(MM_ERR_CONFIG), "config");
    mm_error e = { MM_ERR_TIMEOUT, strdup("x") };
    mm_error_free(&e);
    ck_assert_int_eq(e.code, MM_ERR_NONE);
    ck_assert_ptr_null(e.message);
    mm_error_free(NULL);
}
END_TEST

/* ---- dry runs ---- */

static cJSON *roles_of(const char *plan)
{
    cJSON *j = cJSON_Parse(plan);
    ck_assert_ptr_nonnull(j);
    cJSON *roles = cJSON_CreateArray();
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "containers"))
        cJSON_AddItemToArray(roles, cJSON_CreateString(cJSON_GetObjectItem(c, "role")->valuestring));
    cJSON_Delete(j);
    return roles;
}

static void assert_roles(const char *plan, const char *want)
{
    cJSON *roles = roles_of(plan);
    char *got = cJSON_PrintUnformatted(roles);
    ck_assert_str_eq(got, want);
    free(got);
    cJSON_Delete(roles);
}

START_TEST(dry_run_of_a_file_text_and_model)
{
    make_dir();
    setenv("DOCKER_HOST", "unix:///nonexistent", 1); /* a dry run contacts nothing */
    write_file("minimesosFile", "minimesos {\n    clusterName = \"t\"\n    agent {\n    }\n}\n");
    char path[256];
    snprintf(path, sizeof path, "%s/minimesosFile", dir);
    seen s = { { 0 }, "", 0 };
    mm_up_options o;
    mm_up_options_init(&o);
    o.config_path = path;
    o.num_agents = 2;
    o.timeout = 7;
    o.on_event = collect;
    o.event_user = &s;
    mm_error err;
    char *plan = NULL;

    capture_start();
    int r = mm_up_dry_run(&o, &plan, &err);
    capture_end_silent();
    ck_assert_msg(r == 0, "%s", err.message);
    ck_assert_int_eq(err.code, MM_ERR_NONE);
    ck_assert_ptr_null(err.message);
    assert_roles(plan, "[\"zookeeper\",\"master\",\"agent\",\"agent\"]");
    cJSON *j = cJSON_Parse(plan);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "timeout")->valueint, 7);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "config")->valuestring, path);
    cJSON_Delete(j);
    free(plan);
    ck_assert_int_eq(s.n[0] + s.n[1] + s.n[2], 0); /* nothing to report */
    ck_assert(!file_exists(".minimesos/minimesos.cluster"));

    /* The same as text: the folder given is the cluster's. */
    static const char text[] = "minimesos {\n    consul {\n    }\n    registrator {\n    }\n}\n";
    o.num_agents = -1;
    ck_assert_int_eq(mm_up_dry_run_text(text, sizeof text - 1, dir, &o, &plan, &err), 0);
    assert_roles(plan, "[\"zookeeper\",\"consul\",\"master\",\"registrator\"]");
    j = cJSON_Parse(plan);
    char rec[256];
    snprintf(rec, sizeof rec, "%s/.minimesos/minimesos.cluster", dir);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "record")->valuestring, rec);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "config")->valuestring, "");
    cJSON_Delete(j);
    free(plan);
    /* Without a NUL after len bytes, and with NULL options. */
    char raw[] = "minimesos { }XXXX";
    ck_assert_int_eq(mm_up_dry_run_text(raw, 13, dir, NULL, &plan, NULL), 0);
    assert_roles(plan, "[\"zookeeper\",\"master\"]");
    free(plan);

    /* A model: only read; --num-agents works on a copy. */
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_cluster_add_default_agents(c, 1);
    free(c->dir);
    c->dir = strdup(dir);
    o.num_agents = 3;
    ck_assert_int_eq(mm_up_dry_run_model(c, &o, &plan, &err), 0);
    assert_roles(plan, "[\"zookeeper\",\"master\",\"agent\",\"agent\",\"agent\"]");
    free(plan);
    ck_assert_uint_eq(c->n_agents, 1);
    mm_cluster_free(c);
    remove_dir();
}
END_TEST

/* ---- errors ---- */

START_TEST(configuration_errors_say_config)
{
    make_dir();
    setenv("DOCKER_HOST", "unix:///nonexistent", 1);
    mm_up_options o;
    mm_up_options_init(&o);
    char path[256];
    snprintf(path, sizeof path, "%s/missing/minimesosFile", dir);
    o.config_path = path;
    mm_error err;
    char *plan = (char *)"untouched";
    mm_running *rc = (mm_running *)&o;

    /* A missing file: for the dry run and for up, before any engine call. */
    ck_assert_int_eq(mm_up_dry_run(&o, &plan, &err), -1);
    ck_assert_ptr_null(plan);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    ck_assert_msg(strstr(err.message, "cannot read") && strstr(err.message, "missing/minimesosFile"), "%s",
                  err.message);
    mm_error_free(&err);
    ck_assert_int_eq(mm_up(&o, &rc, &err), -1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    mm_error_free(&err);

    /* Bad text: the diagnostics, named <text>. */
    static const char bad[] = "minimesos {\n    timeout = \"60\"\n";
    ck_assert_int_eq(mm_up_text(bad, sizeof bad - 1, dir, &o, &rc, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    ck_assert_msg(strncmp(err.message, "<text>: invalid minimesosFile\n", 30) == 0 &&
                  strstr(err.message, "\n<text>:2:15: error: `timeout` must be an int"), "%s", err.message);
    mm_error_free(&err);
    ck_assert_int_eq(mm_up_dry_run_text(bad, sizeof bad - 1, dir, &o, &plan, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    mm_error_free(&err);

    /* A model without master and zookeeper. */
    mm_cluster *c = mm_cluster_new_default(0);
    ck_assert_int_eq(mm_up_model(c, &o, &rc, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.message, "MM_MODEL_EFFECTIVE"));
    mm_error_free(&err);
    ck_assert_int_eq(mm_up_dry_run_model(c, NULL, &plan, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_CONFIG);
    mm_error_free(&err);
    mm_cluster_free(c);

    /* err may be NULL. */
    ck_assert_int_eq(mm_up(&o, &rc, NULL), -1);
    remove_dir();
}
END_TEST

START_TEST(no_engine_says_engine_unreachable)
{
    make_dir();
    write_file("minimesosFile", "minimesos {\n}\n");
    ck_assert_int_eq(chdir(dir), 0);
    static const char want[] = "cannot reach the Docker engine at unix:///nonexistent (DOCKER_HOST): no such socket";
    const char *hosts[] = { "unix:///nonexistent", "ftp://nowhere" };
    for (size_t h = 0; h < 2; h++) {
        setenv("DOCKER_HOST", hosts[h], 1);
        mm_error err;
        mm_running *rc = NULL;
        seen s = { { 0 }, "", 0 };
        mm_up_options o;
        mm_up_options_init(&o);
        o.on_event = collect;
        o.event_user = &s;
        capture_start();
        int r = mm_up(&o, &rc, &err);
        capture_end_silent();
        ck_assert_int_eq(r, -1);
        ck_assert_ptr_null(rc);
        ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
        if (h == 0)
            ck_assert_str_eq(err.message, want);
        else
            ck_assert_ptr_nonnull(strstr(err.message, "(DOCKER_HOST): unsupported address"));
        mm_error_free(&err);

        ck_assert_int_eq(mm_up_text("minimesos { }", 13, NULL, &o, &rc, &err), -1);
        ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
        mm_error_free(&err);
        mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
        ck_assert_int_eq(mm_up_model(c, &o, &rc, &err), -1);
        ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
        mm_error_free(&err);
        mm_cluster_free(c);

        char *id = (char *)"untouched";
        ck_assert_int_eq(mm_destroy(NULL, &id, &err), -1);
        ck_assert_ptr_null(id);
        ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
        if (h == 0)
            ck_assert_str_eq(err.message, want);
        mm_error_free(&err);
        ck_assert_int_eq(mm_running_find(NULL, &rc, &err), -1);
        ck_assert_int_eq(err.code, MM_ERR_ENGINE_UNREACHABLE);
        mm_error_free(&err);
        ck_assert_int_eq(s.n[0] + s.n[1] + s.n[2], 0);
    }
    ck_assert(!file_exists(".minimesos/minimesos.cluster"));
    remove_dir();
}
END_TEST

/* ---- against a fake engine: the library never prints ---- */

START_TEST(up_reports_through_the_callback_only)
{
    /* A stale record (a warning), images to pull (pull events), then the
     * engine refuses the first container: every kind of event, then an
     * MM_ERR_ENGINE error, and not a byte on stdout or stderr. */
    write_file("minimesosFile", "minimesos {\n    agent {\n    }\n}\n");
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "4242\n");
    char path[256];
    snprintf(path, sizeof path, "%s/minimesosFile", dir);
    seen s = { { 0 }, "", 0 };
    mm_up_options o;
    mm_up_options_init(&o);
    o.config_path = path;
    o.on_event = collect;
    o.event_user = &s;
    o.retain = true;
    mm_running *rc = NULL;
    mm_error err;

    capture_start();
    int r = mm_up(&o, &rc, &err);
    capture_end_silent();

    ck_assert_int_eq(r, -1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(err.code, MM_ERR_ENGINE);
    ck_assert_msg(strstr(err.message, "no space left on device"), "%s", err.message);
    ck_assert_msg(strstr(err.message, "run `minimesos destroy`"), "%s", err.message);
    mm_error_free(&err);
    ck_assert_msg(s.n[MM_EVENT_WARNING] == 1 && strstr(s.text, "1 Minimesos cluster 4242 is not running"),
                  "%s", s.text);
    ck_assert_msg(strstr(s.text, "2 Pulling image jplock/zookeeper:3.4.6\n"), "%s", s.text);
    ck_assert_msg(strstr(s.text, "2 pull jplock/zookeeper:3.4.6: abc Pull complete\n"), "%s", s.text);
    ck_assert_msg(strstr(s.text, "2 pull jplock/zookeeper:3.4.6: abc Downloading [=>   ] 1MB/2MB\n"), "%s", s.text);
    ck_assert_int_eq(s.pull_progress, 3); /* one per image: zookeeper, master, agent */
    ck_assert_msg(strstr(s.text, "0 Starting minimesos cluster "), "%s", s.text);
    ck_assert(requested("POST /v1.41/containers/create?name=minimesos-zookeeper-"));
    /* retain: the new cluster's record stays for `destroy`. */
    ck_assert(file_exists(".minimesos/minimesos.cluster"));

    /* Without a callback: the same, silently; and by default what was
     * created goes, the record too. */
    capture_start();
    o.on_event = NULL;
    o.retain = false;
    r = mm_up(&o, &rc, &err);
    capture_end_silent();
    ck_assert_int_eq(r, -1);
    ck_assert_int_eq(err.code, MM_ERR_ENGINE);
    ck_assert_msg(strstr(err.message, "no space left on device"), "%s", err.message);
    ck_assert_msg(strstr(err.message, "\nremoved the 0 containers of cluster "), "%s", err.message);
    ck_assert_msg(!strstr(err.message, "minimesos destroy"), "%s", err.message);
    mm_error_free(&err);
    ck_assert(!file_exists(".minimesos/minimesos.cluster"));
}
END_TEST

START_TEST(destroy_and_find_say_no_cluster)
{
    ck_assert_int_eq(chdir(dir), 0);
    char *id = NULL;
    mm_error err;
    mm_running *rc = NULL;
    capture_start();
    int r = mm_destroy(NULL, &id, &err);
    int f = mm_running_find(dir, &rc, NULL); /* no details wanted */
    capture_end_silent();
    ck_assert_int_eq(r, MM_NO_CLUSTER);
    ck_assert_ptr_null(id);
    ck_assert_int_eq(err.code, MM_ERR_NO_CLUSTER);
    ck_assert_str_eq(err.message, "Minimesos cluster is not running");
    mm_error_free(&err);
    ck_assert_int_eq(f, MM_NO_CLUSTER);
    ck_assert_ptr_null(rc);

    /* A stale record: removed, and said so. */
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "77\n");
    ck_assert_int_eq(mm_running_find(NULL, &rc, &err), MM_NO_CLUSTER);
    ck_assert_int_eq(err.code, MM_ERR_NO_CLUSTER);
    ck_assert_ptr_nonnull(strstr(err.message, "Minimesos cluster 77 is not running"));
    mm_error_free(&err);
    ck_assert(!file_exists(".minimesos/minimesos.cluster"));
}
END_TEST

START_TEST(running_destroy_removes_the_cluster_of_its_handle)
{
    mm_running *rc = calloc(1, sizeof *rc);
    rc->cluster_id = strdup("111");
    rc->dir = strdup(dir);
    mm_error err;

    /* The folder now records another cluster: nothing is touched. */
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "222\n");
    ck_assert_int_eq(mm_running_destroy(rc, &err), MM_NO_CLUSTER);
    ck_assert_int_eq(err.code, MM_ERR_NO_CLUSTER);
    ck_assert_msg(strstr(err.message, "cluster 222; nothing removed"), "%s", err.message);
    mm_error_free(&err);
    ck_assert(file_exists(".minimesos/minimesos.cluster"));
    ck_assert_str_eq(request_log, "");

    /* Its own record: its containers go, then the record. */
    write_file(".minimesos/minimesos.cluster", "111\n");
    static char list[512];
    snprintf(list, sizeof list,
             "[{\"Id\":\"c0ffee\",\"Names\":[\"/minimesos-zookeeper-111-1\"],\"Labels\":"
             "{\"org.minimesos.cluster-id\":\"111\",\"org.minimesos.dir\":\"%s\"}}]", dir);
    list_answer = list;
    capture_start();
    int r = mm_running_destroy(rc, &err);
    capture_end_silent();
    ck_assert_msg(r == 0, "%s", err.message);
    ck_assert_int_eq(err.code, MM_ERR_NONE);
    ck_assert(requested("DELETE /v1.41/containers/c0ffee?force=1&v=1"));
    ck_assert(!file_exists(".minimesos/minimesos.cluster"));
    mm_running_free(rc);
}
END_TEST

/* ---- the reaper ---- */

/* A process that starts a reaper for cluster id and ends (disarming it
 * first when asked): the owner, whose end the reaper waits for. */
static void owner_process(const char *id, bool disarm)
{
    pid_t p = fork();
    ck_assert_int_ge(p, 0);
    if (p == 0) {
        char *why = NULL;
        if (mm_reaper_start(dir, id, &why) != 0) {
            fprintf(stderr, "mm_reaper_start: %s\n", why);
            _exit(1);
        }
        if (disarm && !mm_reaper_disarm(id))
            _exit(2);
        _exit(mm_reaper_disarm("not-started") ? 3 : 0);
    }
    int st;
    ck_assert_int_eq(waitpid(p, &st, 0), p);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "owner exit status %d", st);
}

static bool wait_for(bool (*cond)(void), int ms)
{
    for (int i = 0; i < ms / 20; i++) {
        if (cond())
            return true;
        usleep(20 * 1000);
    }
    return cond();
}

static bool record_gone(void)
{
    return !file_exists(".minimesos/minimesos.cluster");
}

static bool deleted_c0ffee(void)
{
    return requested("DELETE /v1.41/containers/c0ffee?force=1&v=1");
}

static bool listed_networks(void)
{
    return requested("GET /v1.41/networks?filters=");
}

static bool log_says_nothing_to_do(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/.minimesos/reaper.log", dir);
    size_t n = 0;
    char *log = tu_read_file(path, &n);
    bool yes = log && strstr(log, "destroyed cluster 111 or keeps it: nothing to do");
    free(log);
    return yes;
}

START_TEST(reaper_removes_the_cluster_of_a_process_that_is_gone)
{
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "111\n");
    /* The engine lists one container of cluster 111 and one of another
     * cluster in the same folder: only the first may go. */
    static char list[1024];
    snprintf(list, sizeof list,
             "[{\"Id\":\"c0ffee\",\"Names\":[\"/minimesos-master-111-1\"],\"Labels\":"
             "{\"org.minimesos.cluster-id\":\"111\",\"org.minimesos.dir\":\"%s\"}},"
             "{\"Id\":\"decade\",\"Names\":[\"/minimesos-master-222-1\"],\"Labels\":"
             "{\"org.minimesos.cluster-id\":\"222\",\"org.minimesos.dir\":\"%s\"}}]", dir, dir);
    list_answer = list;
    owner_process("111", false);
    ck_assert_msg(wait_for(deleted_c0ffee, 5000), "the reaper removed nothing: %s", request_log);
    ck_assert_msg(wait_for(record_gone, 5000), "the record stayed");
    ck_assert_msg(!requested("DELETE /v1.41/containers/decade"), "%s", request_log);
    ck_assert(requested("GET /v1.41/volumes?filters="));
    ck_assert(requested("GET /v1.41/networks?filters="));
}
END_TEST

START_TEST(reaper_told_done_removes_nothing)
{
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "111\n");
    owner_process("111", true);
    ck_assert_msg(wait_for(log_says_nothing_to_do, 5000), "no word from the reaper");
    usleep(200 * 1000);
    ck_assert_msg(!requested("/containers/"), "%s", request_log);
    ck_assert(file_exists(".minimesos/minimesos.cluster"));
    char path[256];
    snprintf(path, sizeof path, "%s/.minimesos/minimesos.cluster", dir);
    unlink(path);
}
END_TEST

START_TEST(reaper_leaves_the_record_of_another_cluster)
{
    make_subdir(".minimesos");
    write_file(".minimesos/minimesos.cluster", "222\n");
    owner_process("111", false);
    /* It asked the engine (nothing labelled 111), and left 222's record. */
    ck_assert_msg(wait_for(listed_networks, 5000), "%s", request_log);
    usleep(200 * 1000);
    ck_assert(file_exists(".minimesos/minimesos.cluster"));
    char path[256];
    snprintf(path, sizeof path, "%s/.minimesos/minimesos.cluster", dir);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cluster");
    TCase *t = tcase_create("offline");
    tcase_add_test(t, options_init_sets_every_default);
    tcase_add_test(t, dry_run_of_a_file_text_and_model);
    tcase_add_test(t, configuration_errors_say_config);
    tcase_add_test(t, no_engine_says_engine_unreachable);
    suite_add_tcase(s, t);
    TCase *fake = tcase_create("fake engine");
    tcase_add_checked_fixture(fake, engine_start, engine_stop);
    tcase_add_test(fake, up_reports_through_the_callback_only);
    tcase_add_test(fake, destroy_and_find_say_no_cluster);
    tcase_add_test(fake, running_destroy_removes_the_cluster_of_its_handle);
    tcase_add_test(fake, reaper_removes_the_cluster_of_a_process_that_is_gone);
    tcase_add_test(fake, reaper_told_done_removes_nothing);
    tcase_add_test(fake, reaper_leaves_the_record_of_another_cluster);
    suite_add_tcase(s, fake);
    return tu_run(s);
}
