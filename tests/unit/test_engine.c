/* up and destroy against a fake Docker engine on a unix socket: what they ask
 * the engine, in which order and how many at once, and what they make of its
 * errors. The fake serves each connection on its own thread, so concurrency
 * is what the client makes of it. */
#include "testutil.h"
#include "fake_engine.h"
#include "minimesos/cluster.h"
#include "minimesos/runtime.h"
#include "engine/record.h"
#include "engine/reconcile.h"
#include "minimesos/plan.h"
#include "base/parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONTAINERS 64
#define MAX_EVENTS 512

/* ---- the fake engine ---- */

static struct {
    pthread_mutex_t mu;
    /* destroy: the cluster's containers (ids c0.., cluster 42) and one volume */
    int n_listed;
    bool deleted[MAX_CONTAINERS];
    int volume_status;          /* answer to DELETE /volumes/vol-42 */
    bool volume_gone;
    bool network;               /* a network labelled with cluster 42 (net-42) exists */
    /* up: containers created so far */
    int n_created;
    char *created_names[MAX_CONTAINERS];
    bool placeholder_seen;      /* a create body still held a {{...}} */
    /* both: slow calls, counted while they run */
    int delay_ms;
    int inflight, max_inflight;
    int n_requests;
    char *events[MAX_EVENTS];   /* "create NAME", "started NAME", "delete ID", ... */
    int n_events;
} fk = { .mu = PTHREAD_MUTEX_INITIALIZER };

static fe_server srv;
static char sock_path[108];

static void event(const char *fmt, const char *arg)
{
    char buf[256];
    snprintf(buf, sizeof buf, fmt, arg);
    pthread_mutex_lock(&fk.mu);
    if (fk.n_events < MAX_EVENTS)
        fk.events[fk.n_events++] = strdup(buf);
    pthread_mutex_unlock(&fk.mu);
}

static int find_event(const char *prefix)
{
    pthread_mutex_lock(&fk.mu);
    int at = -1;
    for (int i = 0; i < fk.n_events && at < 0; i++)
        if (strncmp(fk.events[i], prefix, strlen(prefix)) == 0)
            at = i;
    pthread_mutex_unlock(&fk.mu);
    return at;
}

static void slow_begin(void)
{
    pthread_mutex_lock(&fk.mu);
    if (++fk.inflight > fk.max_inflight)
        fk.max_inflight = fk.inflight;
    pthread_mutex_unlock(&fk.mu);
    usleep((useconds_t)fk.delay_ms * 1000);
}

static void slow_end(void)
{
    pthread_mutex_lock(&fk.mu);
    fk.inflight--;
    pthread_mutex_unlock(&fk.mu);
}

/* The name's role: minimesos-<role>-<cluster>-<uuid>. */
static void role_of(const char *name, char *role, size_t size)
{
    const char *p = strncmp(name, "minimesos-", 10) == 0 ? name + 10 : name;
    const char *dash = strchr(p, '-');
    snprintf(role, size, "%.*s", dash ? (int)(dash - p) : (int)strlen(p), p);
}

static void route(int c, const char *method, const char *path, const char *body)
{
    char out[16384];
    if (strcmp(path, "/version") == 0) {
        fe_reply(c, 200, "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/containers/json", 22) == 0) {
        /* The cluster's containers that are not deleted yet. */
        size_t n = (size_t)snprintf(out, sizeof out, "[");
        pthread_mutex_lock(&fk.mu);
        for (int i = 0; i < fk.n_listed; i++)
            if (!fk.deleted[i])
                n += (size_t)snprintf(out + n, sizeof out - n,
                    "%s{\"Id\":\"c%d\",\"Names\":[\"/minimesos-agent-42-%d\"],\"State\":\"running\","
                    "\"Labels\":{\"org.minimesos.cluster-id\":\"42\",\"org.minimesos.role\":\"agent\"}}",
                    n > 1 ? "," : "", i, i);
        pthread_mutex_unlock(&fk.mu);
        snprintf(out + n, sizeof out - n, "]");
        fe_reply(c, 200, out);
    } else if (strcmp(method, "DELETE") == 0 && strncmp(path, "/v1.41/containers/c", 19) == 0) {
        int i = atoi(path + 19);
        slow_begin();
        event("delete c%s", path + 19);
        pthread_mutex_lock(&fk.mu);
        if (i >= 0 && i < MAX_CONTAINERS)
            fk.deleted[i] = true;
        pthread_mutex_unlock(&fk.mu);
        slow_end();
        fe_reply(c, 204, "");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/containers/c", 19) == 0 &&
               strstr(path, "/json")) {
        int i = atoi(path + 19);
        slow_begin();
        snprintf(out, sizeof out, "{\"Id\":\"c%d\",\"Name\":\"/minimesos-agent-42-%d\",\"State\":{\"Status\":\"running\"},"
                 "\"NetworkSettings\":{\"IPAddress\":\"10.8.0.%d\",\"Gateway\":\"10.8.0.1\"}}", i, i, i + 2);
        slow_end();
        fe_reply(c, 200, out);
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/volumes?", 15) == 0) {
        fe_reply(c, 200, fk.volume_gone ? "{\"Volumes\":[]}" : "{\"Volumes\":[{\"Name\":\"vol-42\"}]}");
    } else if (strcmp(method, "DELETE") == 0 && strncmp(path, "/v1.41/volumes/vol-42", 21) == 0) {
        event("delete volume %s", "vol-42");
        if (fk.volume_status == 409) {
            fe_reply(c, 409, "{\"message\":\"remove vol-42: volume is in use - [0123456789ab]\"}");
        } else {
            fk.volume_gone = true;
            fe_reply(c, fk.volume_status ? fk.volume_status : 204, "");
        }
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/networks?", 16) == 0) {
        fe_reply(c, 200, fk.network ? "[{\"Id\":\"n42\",\"Name\":\"net-42\"}]" : "[]");
    } else if (strcmp(method, "DELETE") == 0 && strcmp(path, "/v1.41/networks/n42") == 0) {
        event("delete network %s", "net-42");
        fk.network = false;
        fe_reply(c, 204, "");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/images/", 14) == 0) {
        fe_reply(c, 200, "{}");
    } else if (strcmp(method, "POST") == 0 && strncmp(path, "/v1.41/containers/create?name=", 30) == 0) {
        const char *name = path + 30;
        slow_begin();
        event("create %s", name);
        pthread_mutex_lock(&fk.mu);
        int k = fk.n_created < MAX_CONTAINERS ? fk.n_created++ : MAX_CONTAINERS - 1;
        if (!fk.created_names[k])
            fk.created_names[k] = strdup(name);
        if (strstr(body, "{{"))
            fk.placeholder_seen = true;
        pthread_mutex_unlock(&fk.mu);
        slow_end();
        snprintf(out, sizeof out, "{\"Id\":\"u%d\"}", k);
        fe_reply(c, 201, out);
    } else if (strcmp(method, "POST") == 0 && strncmp(path, "/v1.41/containers/u", 19) == 0 &&
               strstr(path, "/start")) {
        int k = atoi(path + 19);
        slow_begin();
        pthread_mutex_lock(&fk.mu);
        const char *name = k >= 0 && k < fk.n_created ? fk.created_names[k] : "?";
        pthread_mutex_unlock(&fk.mu);
        char role[32];
        role_of(name, role, sizeof role);
        event("started %s", role);
        slow_end();
        fe_reply(c, 204, "");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1.41/containers/u", 19) == 0 &&
               strstr(path, "/json")) {
        int k = atoi(path + 19);
        snprintf(out, sizeof out, "{\"Id\":\"u%d\",\"State\":{\"Status\":\"running\"},"
                 "\"NetworkSettings\":{\"IPAddress\":\"10.9.0.%d\",\"Gateway\":\"10.9.0.1\"}}", k, k + 2);
        fe_reply(c, 200, out);
    } else {
        fe_reply(c, 404, "{\"message\":\"page not found\"}");
    }
}

static void handle(int c, void *ctx)
{
    (void)ctx;
    char method[16], path[4096];
    const char *body;
    char *buf = fe_read_request(c, 1 << 20, method, path, &body);
    pthread_mutex_lock(&fk.mu);
    fk.n_requests++;
    pthread_mutex_unlock(&fk.mu);
    route(c, method, path, body);
    close(c);
    free(buf);
}

static char dir[64];

static void setup(void)
{
    snprintf(sock_path, sizeof sock_path, "/tmp/mm-test-engine-%d.sock", (int)getpid());
    ck_assert_int_eq(fe_start(&srv, sock_path, true, handle, NULL), 0);
    char host[160];
    snprintf(host, sizeof host, "unix://%s", sock_path);
    setenv("DOCKER_HOST", host, 1);
    snprintf(dir, sizeof dir, "/tmp/mm-test-engine-dir-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    fe_stop(&srv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void write_record(const char *id)
{
    char *err = NULL;
    ck_assert_msg(mm_record_write(dir, id, &err) == 0, "%s", err);
}

static bool record_exists(void)
{
    char *path = mm_record_path(dir);
    bool there = access(path, F_OK) == 0;
    free(path);
    return there;
}

/* ---- destroy ---- */

/* The tests compare messages: the calls' mm_error, as a malloc'd string. */
static char *take_message(mm_error *e)
{
    char *m = e->message;
    e->message = NULL;
    mm_error_free(e);
    return m;
}

static int destroy_s(const char *d, char **id, char **msg)
{
    mm_error e;
    int r = mm_destroy(d, id, &e);
    *msg = take_message(&e);
    return r;
}

static int up_s(const mm_up_options *o, mm_running **out, char **msg)
{
    mm_error e;
    int r = mm_up(o, out, &e);
    *msg = take_message(&e);
    return r;
}

START_TEST(destroy_reports_a_volume_in_use_and_keeps_the_record)
{
    fk.n_listed = 2;
    fk.volume_status = 409;
    write_record("42");
    char *id = NULL, *err = NULL;
    ck_assert_int_eq(destroy_s(dir, &id, &err), -1);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "removing volume vol-42: remove vol-42: volume is in use - [0123456789ab]"),
                  "destroy said: %s", err);
    ck_assert_ptr_null(id);
    ck_assert_msg(record_exists(), "the record went although the volume is still there");
    free(err);
    /* The containers went; a retry once the volume is free finishes the job. */
    ck_assert_int_ge(find_event("delete c0"), 0);
    ck_assert_int_ge(find_event("delete c1"), 0);
    fk.volume_status = 204;
    err = NULL;
    ck_assert_msg(destroy_s(dir, &id, &err) == 0, "retry: %s", err ? err : "");
    ck_assert_str_eq(id, "42");
    ck_assert(fk.volume_gone);
    ck_assert(!record_exists());
    free(id);
    free(err);
}
END_TEST

/* Another process holding the folder's lock (as a running `up` does). */
typedef struct holder {
    pid_t pid;
    int release;    /* write a byte to let it go */
} holder;

static holder hold_lock_as(const char *mark);
static holder hold_lock(void)
{
    return hold_lock_as(NULL);
}

/* mark: what the holder writes in the lock file, as destroy does. */
static holder hold_lock_as(const char *mark)
{
    char dot[96], lock[112];
    snprintf(dot, sizeof dot, "%s/.minimesos", dir);
    snprintf(lock, sizeof lock, "%s/lock", dot);
    mkdir(dot, 0755);
    int locked[2], release[2];
    ck_assert_int_eq(pipe(locked), 0);
    ck_assert_int_eq(pipe(release), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(lock, O_RDWR | O_CREAT, 0644);
        char b = 'L';
        if (fd < 0 || flock(fd, LOCK_EX) != 0)
            _exit(1);
        if (mark && (ftruncate(fd, 0) != 0 || pwrite(fd, mark, strlen(mark), 0) != (ssize_t)strlen(mark)))
            _exit(1);
        if (write(locked[1], &b, 1) != 1)
            _exit(1);
        if (read(release[0], &b, 1) < 0)
            _exit(1);
        _exit(0); /* the lock goes with the process */
    }
    char b;
    ck_assert_int_eq(read(locked[0], &b, 1), 1);
    close(locked[0]);
    close(locked[1]);
    close(release[0]);
    return (holder){ pid, release[1] };
}

static void release_lock(holder h)
{
    char b = 'R';
    ck_assert_int_eq(write(h.release, &b, 1), 1);
    close(h.release);
    int st;
    ck_assert_int_eq(waitpid(h.pid, &st, 0), h.pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

typedef struct destroy_run {
    int rc;
    char *id, *err;
    bool done;
} destroy_run;

static void *run_destroy(void *arg)
{
    destroy_run *r = arg;
    r->rc = destroy_s(dir, &r->id, &r->err);
    __atomic_store_n(&r->done, true, __ATOMIC_SEQ_CST);
    return NULL;
}

START_TEST(destroy_waits_for_the_folder_lock)
{
    fk.n_listed = 2;
    fk.volume_status = 204;
    write_record("42");
    holder h = hold_lock();
    destroy_run r = { 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_destroy, &r);
    usleep(600 * 1000);
    /* While `up` holds the folder, destroy removes nothing. */
    ck_assert_msg(!__atomic_load_n(&r.done, __ATOMIC_SEQ_CST), "destroy did not wait for the lock: %s",
                  r.err ? r.err : "");
    ck_assert_int_lt(find_event("delete"), 0);
    ck_assert(record_exists());
    release_lock(h);
    pthread_join(t, NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err ? r.err : "");
    ck_assert_str_eq(r.id, "42");
    ck_assert_int_ge(find_event("delete c0"), 0);
    ck_assert(!record_exists());
    free(r.id);
    free(r.err);
}
END_TEST

START_TEST(destroy_waiting_for_the_lock_stops_on_interrupt)
{
    fk.n_listed = 2;
    fk.volume_status = 204;
    write_record("42");
    holder h = hold_lock();
    destroy_run r = { 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_destroy, &r);
    usleep(300 * 1000);
    ck_assert(!__atomic_load_n(&r.done, __ATOMIC_SEQ_CST));
    mm_interrupt();
    for (int i = 0; i < 40 && !__atomic_load_n(&r.done, __ATOMIC_SEQ_CST); i++)
        usleep(50 * 1000);
    ck_assert_msg(__atomic_load_n(&r.done, __ATOMIC_SEQ_CST), "destroy went on waiting after mm_interrupt");
    pthread_join(t, NULL);
    mm_interrupt_reset();
    ck_assert_int_eq(r.rc, -1);
    ck_assert_msg(r.err && strstr(r.err, "interrupted"), "said: %s", r.err ? r.err : "");
    ck_assert_int_lt(find_event("delete"), 0);
    ck_assert(record_exists());
    release_lock(h);
    free(r.err);
}
END_TEST

/* A network carrying the cluster's label goes too (up creates none, but a
 * cluster's networks must not outlive it). */
START_TEST(destroy_removes_the_clusters_networks)
{
    fk.n_listed = 1;
    fk.volume_status = 204;
    fk.network = true;
    write_record("42");
    char *id = NULL, *err = NULL;
    ck_assert_msg(destroy_s(dir, &id, &err) == 0, "%s", err ? err : "");
    ck_assert_int_ge(find_event("delete network net-42"), 0);
    ck_assert(!fk.network);
    free(id);
    free(err);
}
END_TEST

/* Removals run in parallel, but at most 8 at a time, whatever the cluster's size. */
/* up --swarm's record: the id on the first line, then one line an engine;
 * readers of the id see the first line alone. */
START_TEST(record_lists_the_engines)
{
    const char *const engines[] = { "unix:///var/run/docker.sock", "tcp://node2:2376" };
    char *err = NULL, *id = NULL, **got = NULL;
    size_t n = 9;
    ck_assert_msg(mm_record_write_engines(dir, "77", engines, 2, &err) == 0, "%s", err);
    ck_assert_int_eq(mm_record_read(dir, &id), 0);
    ck_assert_str_eq(id, "77");
    free(id);
    mm_record_engines(dir, &got, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(got[0], engines[0]);
    ck_assert_str_eq(got[1], engines[1]);
    for (size_t i = 0; i < n; i++)
        free(got[i]);
    free(got);
    /* A plain record lists none. */
    write_record("78");
    mm_record_engines(dir, &got, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(got);
}
END_TEST

/* destroy opens every engine the record lists: one that does not answer
 * fails it, named, with nothing removed and the record kept. */
START_TEST(destroy_names_a_recorded_engine_it_cannot_reach)
{
    fk.n_listed = 2;
    fk.volume_status = 204;
    char *fake = mm_xasprintf("unix://%s", sock_path);
    const char *const engines[] = { fake, "unix:///nonexistent.sock" };
    char *err = NULL, *id = NULL;
    ck_assert_msg(mm_record_write_engines(dir, "42", engines, 2, &err) == 0, "%s", err);
    ck_assert_int_eq(destroy_s(dir, &id, &err), -1);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "cannot reach the Docker engine at unix:///nonexistent.sock") &&
                  strstr(err, "an engine of the cluster, listed in") &&
                  strstr(err, "if that cluster is gone, remove that file"), "%s", err);
    ck_assert_int_lt(find_event("delete c0"), 0);
    ck_assert(record_exists());
    free(err);
    free(id);
    free(fake);
}
END_TEST

/* One engine that the record names twice, spelt two ways (DOCKER_HOST and
 * an --engine with another spelling): each container is listed once, so
 * nothing takes the second copy for a container of its own. */
START_TEST(an_engine_named_twice_lists_each_container_once)
{
    fk.n_listed = 3;
    char *plain = mm_xasprintf("unix://%s", sock_path), *other = mm_xasprintf("unix:///%s", sock_path);
    const char *const engines[] = { plain, other };
    char *err = NULL;
    ck_assert_msg(mm_record_write_engines(dir, "42", engines, 2, &err) == 0, "%s", err);
    mm_running *rc = NULL;
    mm_error e;
    int r = mm_running_find(dir, &rc, &e);
    err = r == 0 ? NULL : take_message(&e);
    ck_assert_msg(r == 0, "%s", err ? err : "");
    ck_assert_uint_eq(rc->n_members, 3);
    mm_running_free(rc);
    free(err);
    free(plain);
    free(other);
}
END_TEST

START_TEST(destroy_removes_with_a_bounded_pool)
{
    fk.n_listed = 24;
    fk.volume_status = 204;
    fk.delay_ms = 100;
    write_record("42");
    char *id = NULL, *err = NULL;
    ck_assert_msg(destroy_s(dir, &id, &err) == 0, "%s", err ? err : "");
    for (int i = 0; i < fk.n_listed; i++)
        ck_assert_msg(fk.deleted[i], "container c%d was not removed", i);
    ck_assert_msg(fk.max_inflight <= 8, "%d removals at once", fk.max_inflight);
    ck_assert_msg(fk.max_inflight >= 2, "removals ran one by one");
    free(id);
    free(err);
}
END_TEST

/* Reading a running cluster (ps, info, the end of up) inspects its
 * containers side by side, at most MM_DOCKER_WORKERS at once, and each
 * member gets its own container's answer. */
START_TEST(running_cluster_is_inspected_with_a_bounded_pool)
{
    fk.n_listed = 24;
    fk.delay_ms = 50;
    write_record("42");
    mm_running *rc = NULL;
    mm_error e;
    int r = mm_running_find(dir, &rc, &e);
    char *err = r == 0 ? NULL : take_message(&e);
    ck_assert_msg(r == 0, "%s", err ? err : "");
    ck_assert_uint_eq(rc->n_members, 24);
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        int k = atoi(m->container_id + 1);
        char ip[32], name[64];
        snprintf(ip, sizeof ip, "10.8.0.%d", k + 2);
        snprintf(name, sizeof name, "minimesos-agent-42-%d", k);
        ck_assert_str_eq(m->ip, ip);
        ck_assert_str_eq(m->name, name);
        ck_assert_str_eq(m->state, "running");
    }
    ck_assert_msg(fk.max_inflight <= 8, "%d inspects at once", fk.max_inflight);
    ck_assert_msg(fk.max_inflight >= 2, "inspects ran one by one");
    mm_running_free(rc);
    free(err);
}
END_TEST

/* mm_parallel: every job once, however many workers; a stop skips the
 * jobs not yet taken and says which ran. */
typedef struct {
    int runs[100];
    int done;           /* atomic */
    int stop_after;
} par_ctx;

static void par_job(size_t i, void *arg)
{
    par_ctx *p = arg;
    __atomic_fetch_add(&p->runs[i], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&p->done, 1, __ATOMIC_RELAXED);
}

static bool par_stop(void *arg)
{
    par_ctx *p = arg;
    return p->stop_after && __atomic_load_n(&p->done, __ATOMIC_RELAXED) >= p->stop_after;
}

START_TEST(parallel_runs_each_job_once)
{
    size_t workers[] = { 0, 1, 3, 8, 200 };
    for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
        par_ctx p = { .stop_after = 0 };
        bool ran[100];
        ck_assert_uint_eq(mm_parallel(100, workers[w], par_job, &p, par_stop, ran), 100);
        for (int i = 0; i < 100; i++) {
            ck_assert_msg(p.runs[i] == 1, "job %d ran %d times with %zu workers", i, p.runs[i], workers[w]);
            ck_assert(ran[i]);
        }
    }
    par_ctx none = { .stop_after = 0 };
    ck_assert_uint_eq(mm_parallel(0, 8, par_job, &none, NULL, NULL), 0);
    /* One worker, stop after 10: exactly the first 10 ran. */
    par_ctx p = { .stop_after = 10 };
    bool ran[100];
    ck_assert_uint_eq(mm_parallel(100, 1, par_job, &p, par_stop, ran), 10);
    for (int i = 0; i < 100; i++) {
        ck_assert_int_eq(p.runs[i], i < 10);
        ck_assert_int_eq(ran[i], i < 10);
    }
}
END_TEST

/* A signal during the removals: no new one starts, destroy says what is
 * left, and the record stays for a retry. */
START_TEST(destroy_stops_on_interrupt)
{
    fk.n_listed = 24;
    fk.volume_status = 204;
    fk.delay_ms = 200;
    write_record("42");
    destroy_run r = { 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_destroy, &r);
    /* Interrupt once removals run (not after a fixed nap: on a loaded
     * machine destroy may not have reached them yet). Bounded: 10 s. */
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&fk.mu);
        bool busy = fk.inflight > 0;
        pthread_mutex_unlock(&fk.mu);
        if (busy)
            break;
        usleep(10 * 1000);
    }
    mm_interrupt();
    pthread_join(t, NULL);
    mm_interrupt_reset();
    ck_assert_int_eq(r.rc, -1);
    int removed = 0;
    for (int i = 0; i < fk.n_listed; i++)
        removed += fk.deleted[i];
    ck_assert_msg(removed < fk.n_listed, "all %d containers were removed after the interrupt", removed);
    char want[128];
    snprintf(want, sizeof want, "interrupted: %d of 24 containers not removed", 24 - removed);
    ck_assert_msg(r.err && strstr(r.err, want), "said: %s (want %s)", r.err ? r.err : "", want);
    ck_assert(!fk.volume_gone);
    ck_assert(record_exists());
    free(r.err);
    /* The retry removes the rest. */
    char *id = NULL, *err = NULL;
    ck_assert_msg(destroy_s(dir, &id, &err) == 0, "%s", err ? err : "");
    for (int i = 0; i < fk.n_listed; i++)
        ck_assert(fk.deleted[i]);
    ck_assert(!record_exists());
    free(id);
    free(err);
}
END_TEST

/* ---- up ---- */

static void write_config(const char *text)
{
    char path[96];
    snprintf(path, sizeof path, "%s/minimesosFile", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

typedef struct up_run {
    mm_up_options o;
    char path[96];
    int rc;
    mm_running *out;
    char *err;
    bool done;
} up_run;

static void *run_up(void *arg)
{
    up_run *r = arg;
    r->rc = up_s(&r->o, &r->out, &r->err);
    __atomic_store_n(&r->done, true, __ATOMIC_SEQ_CST);
    return NULL;
}

static void up_init(up_run *r, long agents)
{
    mm_up_options_init(&r->o);
    snprintf(r->path, sizeof r->path, "%s/minimesosFile", dir);
    r->o.config_path = r->path;
    r->o.num_agents = agents;
    r->o.timeout = 20;
}

/* An up started while destroy holds the folder waits for it, then starts a
 * cluster, instead of taking the cluster being removed for a running one. */
START_TEST(up_during_destroy_waits_for_it)
{
    write_config("minimesos {\n    agent {\n    }\n}\n");
    write_record("42");
    holder h = hold_lock_as("destroy");
    up_run r = { 0 };
    up_init(&r, 1);
    pthread_t t;
    pthread_create(&t, NULL, run_up, &r);
    usleep(600 * 1000);
    ck_assert_msg(!__atomic_load_n(&r.done, __ATOMIC_SEQ_CST), "up did not wait for destroy: %d %s", r.rc,
                  r.err ? r.err : "");
    ck_assert_int_lt(find_event("create"), 0);
    release_lock(h);
    pthread_join(t, NULL);
    /* The fake lists no container, so up fails once it waits for them to run:
     * what matters is that it went on to create them. */
    ck_assert_int_ne(r.rc, MM_ALREADY_RUNNING);
    ck_assert_int_ge(find_event("create"), 0);
    mm_running_free(r.out);
    free(r.err);
}
END_TEST

/* Containers are created and started by at most 8 workers, each container
 * as soon as what it points at runs: nothing is created before ZooKeeper
 * runs (the master and agents carry its IP), and then several at once. */
START_TEST(up_starts_with_a_bounded_pool_in_dependency_order)
{
    write_config("minimesos {\n    agent {\n    }\n}\n");
    fk.delay_ms = 50;
    up_run r = { 0 };
    up_init(&r, 20);
    run_up(&r);
    /* The fake lists no container, so up fails once it waits for them to run. */
    ck_assert_int_eq(r.rc, -1);
    ck_assert_msg(strstr(r.err, "waited for it to keep running"), "%s", r.err);
    ck_assert_int_eq(fk.n_created, 22);
    ck_assert_msg(fk.max_inflight <= 8, "%d creates and starts at once", fk.max_inflight);
    ck_assert_msg(fk.max_inflight >= 2, "containers were created one by one");
    ck_assert_msg(!fk.placeholder_seen, "a container was created before what it points at ran");
    int zk = find_event("started zookeeper");
    ck_assert_int_ge(zk, 0);
    ck_assert_int_gt(find_event("create minimesos-master-"), zk);
    ck_assert_int_gt(find_event("create minimesos-agent-"), zk);
    ck_assert_int_ge(find_event("started master"), 0);
    mm_running_free(r.out);
    free(r.err);
}
END_TEST

/* A kept ZooKeeper whose address is not known (read on the wrong engine):
 * the executor refuses to create what points at it, rather than send a
 * create request with {{zookeeper.ip}} left in it. */
START_TEST(no_container_is_created_with_an_unknown_address)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_cluster_add_default_agents(c, 1);
    mm_plan_options po = { .cluster_id = "42", .num_agents = -1, .map_ports_to_host = -1 };
    char *why = NULL;
    mm_plan *p = mm_plan_build(c, &po, &why);
    ck_assert_msg(p, "%s", why ? why : "");
    char **ids = calloc(p->n, sizeof *ids), **ips = calloc(p->n, sizeof *ips);
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->containers[i].role, "zookeeper") == 0)
            ids[i] = strdup("c0"); /* kept, its IP unknown */
    mm_docker d;
    mm_error e = { MM_ERR_NONE, NULL };
    ck_assert_int_eq(mm_engine_open(&d, NULL, &e), 0);
    ck_assert_int_eq(mm_exec_start(&d, p, ids, ips, NULL, "test", NULL, NULL, &e), -1);
    char *err = take_message(&e);
    ck_assert_msg(strstr(err, "the address of its zookeeper is not known"), "%s", err);
    ck_assert_msg(!fk.placeholder_seen, "a create request held a placeholder");
    ck_assert_int_lt(find_event("create minimesos-master-"), 0);
    ck_assert_int_lt(find_event("create minimesos-agent-"), 0);
    for (size_t i = 0; i < p->n; i++) {
        free(ids[i]);
        free(ips[i]);
    }
    free(ids);
    free(ips);
    free(err);
    mm_docker_free(&d);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("engine");
    TCase *t = tcase_create("engine");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, destroy_reports_a_volume_in_use_and_keeps_the_record);
    tcase_add_test(t, destroy_waits_for_the_folder_lock);
    tcase_add_test(t, destroy_waiting_for_the_lock_stops_on_interrupt);
    tcase_add_test(t, up_during_destroy_waits_for_it);
    tcase_add_test(t, destroy_removes_with_a_bounded_pool);
    tcase_add_test(t, destroy_removes_the_clusters_networks);
    tcase_add_test(t, record_lists_the_engines);
    tcase_add_test(t, destroy_names_a_recorded_engine_it_cannot_reach);
    tcase_add_test(t, an_engine_named_twice_lists_each_container_once);
    tcase_add_test(t, destroy_stops_on_interrupt);
    tcase_add_test(t, running_cluster_is_inspected_with_a_bounded_pool);
    tcase_add_test(t, parallel_runs_each_job_once);
    tcase_add_test(t, up_starts_with_a_bounded_pool_in_dependency_order);
    tcase_add_test(t, no_container_is_created_with_an_unknown_address);
    suite_add_tcase(s, t);
    return tu_run(s);
}
