/* `up`: the plan carried out through the engine.
 *
 * A small pool of workers (MM_DOCKER_WORKERS) creates and starts the
 * containers, each as soon as the containers it points at are running (their
 * IPs fill its placeholders); independent containers (the agents, at least)
 * start concurrently. Then one loop polls, within the timeout, until every
 * container runs, the master counts every agent and Marathon answers: at
 * once, then after 25 ms, the pause doubling up to 500 ms (wait_ready). The
 * record is written before the first container exists, so a failure at any
 * point leaves something `destroy` can remove. */
#include "engine/docker.h"
#include "net/http.h"
#include "minimesos/cluster.h"
#include "minimesos/model.h"
#include "minimesos/plan.h"
#include "engine/record.h"
#include "engine/reaper.h"
#include "engine/reconcile.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define LOG_TAIL_LINES 20

typedef struct slot {
    mm_container_spec *spec;
    char *id;
    char *ip;
    char *reach;        /* up --swarm: its docker_gwbridge address, which this host
                           reaches (ip is on the overlay network); else NULL */
    mm_docker *d;       /* the engine it is created on */
    size_t node;        /* that engine's number (--engine order) */
    int state;          /* 0 pending, 1 started, 2 failed, 3 being created */
} slot;

typedef struct exec {
    mm_plan *plan;
    mm_docker *d;
    const char *config_path;
    mm_event_fn on_event;   /* the caller's reporter, or NULL */
    void *event_user;
    pthread_mutex_t report_mu; /* one event at a time */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot *slots;
    char *error;        /* the first failure, with detail lines */
    mm_error_code error_code;
    bool failed;
    double deadline;    /* monotonic seconds: the whole up's timeout */
    const char *network;        /* up --swarm: the cluster's overlay network; else NULL */
    const char *const *engines; /* up --swarm: the address of each engine, by number */
    size_t n_engines;
} exec;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Hand one event to the caller's reporter, one at a time: containers start
 * in threads of their own. */
static void report(exec *e, const mm_event *ev)
{
    if (!e->on_event)
        return;
    pthread_mutex_lock(&e->report_mu);
    e->on_event(ev, e->event_user);
    pthread_mutex_unlock(&e->report_mu);
}

static void progress(exec *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(exec *e, const char *fmt, ...)
{
    if (!e->on_event)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = mm_xvasprintf(fmt, ap);
    va_end(ap);
    mm_event ev = { .kind = MM_EVENT_PROGRESS, .message = msg };
    report(e, &ev);
    free(msg);
}

static void warning(exec *e, const char *msg)
{
    mm_event ev = { .kind = MM_EVENT_WARNING, .message = msg };
    report(e, &ev);
}

/* The log of a container that failed, for the error message. */
static char *log_tail(mm_docker *d, const char *id, const char *name)
{
    return mm_docker_log_tail(d, id, name, LOG_TAIL_LINES, false);
}

/* Record the first failure. msg is consumed. */
static void fail_slot(exec *e, slot *s, mm_error_code code, char *msg)
{
    char *tail = s ? log_tail(s->d ? s->d : e->d, s->id, s->spec->name) : mm_xstrdup("");
    pthread_mutex_lock(&e->mu);
    if (s)
        s->state = 2;
    if (!e->error) {
        e->error = mm_xasprintf("%s%s", msg, tail);
        e->error_code = code;
    }
    e->failed = true;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    free(msg);
    free(tail);
}

/* Called with e->mu held. */
static const char *lookup_ip(const char *role, void *ctx)
{
    exec *e = ctx;
    for (size_t i = 0; i < e->plan->n; i++)
        if (strcmp(e->slots[i].spec->role, role) == 0 && e->slots[i].state == 1)
            return e->slots[i].ip;
    return NULL;
}

static bool deps_started(exec *e, const mm_container_spec *spec)
{
    for (size_t k = 0; k < spec->depends.n; k++)
        for (size_t i = 0; i < e->plan->n; i++)
            if (strcmp(e->slots[i].spec->role, spec->depends.items[k]) == 0 && e->slots[i].state != 1)
                return false;
    return true;
}

static bool is_caps_error(const char *msg)
{
    return strstr(msg, "unable to apply caps") || strstr(msg, "apply caps");
}

static char *with_privileged_hint(exec *e, const mm_container_spec *spec, char *msg)
{
    if (!spec->privileged || !is_caps_error(msg))
        return msg;
    char *m = mm_xasprintf("%s\nhint: this engine refuses privileged containers; set "
                        "`privileged = false` in the agent block of %s", msg, e->config_path);
    free(msg);
    return m;
}

/* " on engine N (ADDR)" for up --swarm, else "". malloc'd. */
static char *where(const exec *e, const slot *s)
{
    return e->network ? mm_xasprintf(" on engine %zu (%s)", s->node, e->engines[s->node]) : mm_xstrdup("");
}

/* Create, start and inspect one container whose dependencies run. */
static void run_container(exec *e, slot *s)
{
    mm_container_spec *spec = s->spec;

    pthread_mutex_lock(&e->mu);
    /* Never a create request with a reference left unfilled: each role it
     * points at runs, and must have an address. */
    for (size_t k = 0; k < spec->depends.n; k++) {
        if (!lookup_ip(spec->depends.items[k], e)) {
            pthread_mutex_unlock(&e->mu);
            fail_slot(e, s, MM_ERR_CONTAINER,
                      mm_xasprintf("container %s (%s): the address of its %s is not known, so it cannot be "
                                   "created pointing at it", spec->name, spec->role, spec->depends.items[k]));
            return;
        }
    }
    cJSON *body = mm_plan_create_body(e->plan, spec, lookup_ip, e);
    if (e->network)
        mm_plan_swarm_body(e->plan, spec, body, e->network, e->engines, e->n_engines, s->node, lookup_ip, e);
    pthread_mutex_unlock(&e->mu);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);

    char *id = NULL, *err = NULL;
    int rc = mm_docker_create(s->d, spec->name, text, &id, &err);
    free(text);
    char *on = where(e, s);
    if (rc != 0) {
        fail_slot(e, s, MM_ERR_ENGINE, with_privileged_hint(e, spec, mm_xasprintf("%s (%s)%s", err, spec->role, on)));
        free(err);
        free(on);
        return;
    }
    pthread_mutex_lock(&e->mu);
    s->id = id;
    pthread_mutex_unlock(&e->mu);
    if (mm_docker_start(s->d, id, &err) != 0) {
        char *m = mm_xasprintf("starting container %s (%s)%s: %s", spec->name, spec->role, on,
                            err + (strncmp(err, "starting container: ", 20) == 0 ? 20 : 0));
        free(err);
        free(on);
        fail_slot(e, s, MM_ERR_ENGINE, with_privileged_hint(e, spec, m));
        return;
    }
    cJSON *ins = NULL;
    if (mm_docker_inspect(s->d, id, &ins, &err) != 0) {
        fail_slot(e, s, MM_ERR_ENGINE, mm_xasprintf("container %s (%s)%s: %s", spec->name, spec->role, on, err));
        free(err);
        free(on);
        return;
    }
    char *ip = NULL, *state = NULL;
    mm_docker_inspect_net(ins, &ip, NULL, &state);
    cJSON_Delete(ins);
    bool host_net = strcmp(spec->network_mode, "host") == 0;
    if (!host_net && !ip) {
        fail_slot(e, s, MM_ERR_CONTAINER, mm_xasprintf("container %s (%s)%s: waited for it to run: it is %s right after its start",
                                  spec->name, spec->role, on, state ? state : "gone"));
        free(state);
        free(on);
        return;
    }
    free(state);
    char *reach = NULL;
    if (e->network && !host_net && mm_docker_gwbridge_ip(s->d, id, &reach, &err) != 0) {
        fail_slot(e, s, MM_ERR_ENGINE, mm_xasprintf("container %s (%s)%s: %s", spec->name, spec->role, on, err));
        free(err);
        free(on);
        free(ip);
        return;
    }
    progress(e, "Started %s (%s)%s%s%s", spec->name, spec->image, ip ? " at " : "", ip ? ip : "", on);
    free(on);
    pthread_mutex_lock(&e->mu);
    s->reach = reach;
    s->ip = ip;
    s->state = 1;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

/* Called with e->mu held: the first pending container whose dependencies
 * run; NULL when none is ready (*pending: whether any waits). */
static slot *next_ready(exec *e, bool *pending)
{
    *pending = false;
    for (size_t i = 0; i < e->plan->n; i++) {
        if (e->slots[i].state != 0)
            continue;
        *pending = true;
        if (deps_started(e, e->slots[i].spec))
            return &e->slots[i];
    }
    return NULL;
}

/* A worker: takes the next container that can start, until none is left,
 * one failed, or an interrupt. */
static void *worker(void *arg)
{
    exec *e = arg;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        bool pending;
        if (e->failed || mm_interrupted())
            break;
        slot *s = next_ready(e, &pending);
        if (!pending)
            break;
        if (s) {
            s->state = 3;
            pthread_mutex_unlock(&e->mu);
            run_container(e, s);
            pthread_mutex_lock(&e->mu);
            continue;
        }
        if (now_s() > e->deadline) {
            /* Still waiting for what they point at: name the first. */
            for (size_t i = 0; i < e->plan->n && !s; i++)
                if (e->slots[i].state == 0)
                    s = &e->slots[i];
            pthread_mutex_unlock(&e->mu);
            fail_slot(e, s, MM_ERR_TIMEOUT, mm_xasprintf("container %s (%s): its dependencies did not start in time",
                                      s->spec->name, s->spec->role));
            pthread_mutex_lock(&e->mu);
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&e->cv, &e->mu, &ts);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* Create and start every container, each once its dependencies run, with at
 * most MM_DOCKER_WORKERS at once. */
static void start_all(exec *e)
{
    size_t n = e->plan->n < MM_DOCKER_WORKERS ? e->plan->n : MM_DOCKER_WORKERS, started = 0;
    pthread_t th[MM_DOCKER_WORKERS];
    for (size_t i = 0; i < n; i++)
        if (pthread_create(&th[started], NULL, worker, e) == 0)
            started++;
    if (!started)
        worker(e); /* no thread to spare: do it all here */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* GET a URL with a short timeout: 0 with status and body, -1 with *why. */
static int probe(const char *url, long *status, char **body, char **why)
{
    mm_http_request req = { .url = url, .timeout_ms = 2000, .connect_timeout_ms = 1000,
                            .max_body = 16u << 20, .direct = true };
    mm_http_response resp;
    if (mm_http_do(&req, &resp, why) != 0)
        return -1;
    *status = resp.status;
    *body = resp.body;
    return 0;
}

static slot *slot_of_role(exec *e, const char *role)
{
    for (size_t i = 0; i < e->plan->n; i++)
        if (strcmp(e->slots[i].spec->role, role) == 0)
            return &e->slots[i];
    return NULL;
}

#define READY_POLL_FIRST_S 0.025
#define READY_POLL_MAX_S   0.5

/* Poll until everything is ready or the deadline passes. */
static void wait_ready(exec *e, double deadline, int timeout_s)
{
    slot *master = slot_of_role(e, "master"), *marathon = slot_of_role(e, "marathon");
    long n_agents = 0;
    for (size_t i = 0; i < e->plan->n; i++)
        n_agents += strcmp(e->slots[i].spec->role, "agent") == 0;
    /* From here: an overlay address (up --swarm) is not, its gwbridge one is. */
    char *master_url = mm_xasprintf("http://%s:5050/state.json", master->reach ? master->reach : master->ip);
    char *marathon_url = marathon ? mm_xasprintf("http://%s:8080/v2/apps", marathon->reach ? marathon->reach
                                                                                          : marathon->ip) : NULL;
    char *master_last = mm_xstrdup("no answer yet"), *marathon_last = mm_xstrdup("no answer yet");
    bool master_ok = false, marathon_ok = !marathon;
    char *label = mm_xasprintf(MM_LABEL_CLUSTER "=%s", e->plan->cluster_id);
    progress(e, "Waiting (up to %d s) for the master to count %ld agent%s%s", timeout_s, n_agents,
             n_agents == 1 ? "" : "s", marathon ? " and for Marathon to answer" : "");

    /* No fixed grain: poll at once, then back off from 25 ms, doubling up to
     * 500 ms, so a cluster that is ready in 0.3 s is seen at 0.3 s, and a
     * slow one costs the engine and the master two requests a second. */
    double interval = READY_POLL_FIRST_S;
    for (int iter = 0;; iter++) {
        double tick = now_s();
        if (mm_interrupted()) {
            fail_slot(e, NULL, MM_ERR_INTERRUPTED, mm_xstrdup("interrupted while waiting for the cluster to be ready"));
            break;
        }
        /* Every container must be running. */
        cJSON *list = NULL;
        char *why = NULL;
        if (mm_list_labelled(e->d, label, &list, &why) != 0) {
            fail_slot(e, NULL, MM_ERR_ENGINE, why);
            break;
        }
        bool dead = false;
        for (size_t i = 0; i < e->plan->n && !dead; i++) {
            slot *s = &e->slots[i];
            const cJSON *c;
            const char *state = "gone", *status = NULL;
            cJSON_ArrayForEach(c, list) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "Id");
                if (cJSON_IsString(id) && s->id && strcmp(id->valuestring, s->id) == 0) {
                    const cJSON *st = cJSON_GetObjectItemCaseSensitive(c, "State");
                    const cJSON *ss = cJSON_GetObjectItemCaseSensitive(c, "Status");
                    state = cJSON_IsString(st) ? st->valuestring : "unknown";
                    status = cJSON_IsString(ss) ? ss->valuestring : NULL;
                }
            }
            if (strcmp(state, "running") != 0) {
                fail_slot(e, s, MM_ERR_CONTAINER, mm_xasprintf("container %s (%s): waited for it to keep running: it is %s%s%s%s",
                                          s->spec->name, s->spec->role, state,
                                          status ? " (" : "", status ? status : "", status ? ")" : ""));
                dead = true;
            }
        }
        cJSON_Delete(list);
        if (dead)
            break;

        if (!master_ok) {
            long st = 0;
            char *body = NULL;
            why = NULL;
            free(master_last);
            if (probe(master_url, &st, &body, &why) != 0) {
                master_last = why;
            } else if (st != 200) {
                master_last = mm_xasprintf("HTTP %ld", st);
            } else {
                cJSON *j = cJSON_Parse(body);
                const cJSON *as = cJSON_GetObjectItemCaseSensitive(j, "activated_slaves");
                if (!cJSON_IsNumber(as))
                    master_last = mm_xstrdup("an answer without activated_slaves");
                else {
                    master_last = mm_xasprintf("activated_slaves = %g", as->valuedouble);
                    master_ok = (long)as->valuedouble == n_agents;
                }
                cJSON_Delete(j);
            }
            free(body);
            if (master_ok)
                progress(e, "Master ready: %ld agent%s active", n_agents, n_agents == 1 ? "" : "s");
        }
        if (!marathon_ok) {
            long st = 0;
            char *body = NULL;
            why = NULL;
            free(marathon_last);
            if (probe(marathon_url, &st, &body, &why) != 0)
                marathon_last = why;
            else if (st != 200)
                marathon_last = mm_xasprintf("HTTP %ld", st);
            else {
                marathon_last = mm_xstrdup("HTTP 200");
                marathon_ok = true;
                progress(e, "Marathon ready");
            }
            free(body);
        }
        if (master_ok && marathon_ok)
            break;
        if (now_s() >= deadline) {
            if (!master_ok)
                fail_slot(e, master, MM_ERR_TIMEOUT, mm_xasprintf(
                    "container %s (master) was not ready after %d s: waited for GET %s to answer "
                    "with activated_slaves = %ld (last: %s)",
                    master->spec->name, timeout_s, master_url, n_agents, master_last));
            else
                fail_slot(e, marathon, MM_ERR_TIMEOUT, mm_xasprintf(
                    "container %s (marathon) was not ready after %d s: waited for GET %s to answer "
                    "200 (last: %s)", marathon->spec->name, timeout_s, marathon_url, marathon_last));
            break;
        }
        /* Nap until the next poll, in short naps so an interrupt is seen at once. */
        for (double now = now_s(); now < tick + interval && now < deadline && !mm_interrupted();
             now = now_s()) {
            double left = tick + interval - now;
            usleep((useconds_t)((left < 0.02 ? left : 0.02) * 1e6) + 1);
        }
        interval = interval * 2 < READY_POLL_MAX_S ? interval * 2 : READY_POLL_MAX_S;
        (void)iter;
    }
    free(label);
    free(master_url);
    free(marathon_url);
    free(master_last);
    free(marathon_last);
}

int mm_exec_start(mm_docker *d, mm_plan *plan, char **ids, char **ips, const mm_exec_place *place,
                  const char *config_path, mm_event_fn on_event, void *event_user, mm_error *err)
{
    exec e = { .plan = plan, .d = d, .config_path = config_path, .on_event = on_event,
               .event_user = event_user };
    if (place) {
        e.network = place->network;
        e.engines = place->engines;
        e.n_engines = place->n_engines;
    }
    pthread_mutex_init(&e.report_mu, NULL);
    pthread_mutex_init(&e.mu, NULL);
    pthread_cond_init(&e.cv, NULL);
    double deadline = now_s() + plan->timeout;
    e.deadline = deadline;
    e.slots = mm_xcalloc(plan->n ? plan->n : 1, sizeof *e.slots);
    for (size_t i = 0; i < plan->n; i++) {
        slot *s = &e.slots[i];
        s->spec = &plan->containers[i];
        s->d = d;
        if (place) {
            s->node = place->node_of[i];
            s->d = place->engine_of[i];
        }
        if (ids[i]) {   /* kept: runs already */
            s->id = mm_xstrdup(ids[i]);
            s->ip = ips[i] ? mm_xstrdup(ips[i]) : NULL;
            s->state = 1;
            /* The master and Marathon are probed from here: at their
             * docker_gwbridge address on an overlay network. */
            bool probed = strcmp(s->spec->role, "master") == 0 || strcmp(s->spec->role, "marathon") == 0;
            char *why = NULL;
            if (place && probed && strcmp(s->spec->network_mode, "host") != 0 &&
                mm_docker_gwbridge_ip(s->d, s->id, &s->reach, &why) != 0)
                free(why); /* the probe then says what it cannot reach */
        }
    }
    start_all(&e);
    if (!e.failed && mm_interrupted())
        fail_slot(&e, NULL, MM_ERR_INTERRUPTED, mm_xstrdup("interrupted while starting the containers"));
    if (!e.failed)
        wait_ready(&e, deadline, plan->timeout);
    int ret = 0;
    if (e.failed) {
        mm_error_set(err, e.error_code, e.error);
        e.error = NULL;
        ret = -1;
    }
    for (size_t i = 0; i < plan->n; i++) {
        if (!ids[i] && e.slots[i].id)
            ids[i] = mm_xstrdup(e.slots[i].id);
        free(e.slots[i].id);
        free(e.slots[i].ip);
        free(e.slots[i].reach);
    }
    free(e.slots);
    free(e.error);
    pthread_mutex_destroy(&e.report_mu);
    pthread_mutex_destroy(&e.mu);
    pthread_cond_destroy(&e.cv);
    return ret;
}

static char *diags_text(const char *path, const mm_diags *d)
{
    /* A file that cannot be read: one line, not a diagnostics report. */
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].code == MM_E_IO)
            return mm_xstrdup(d->items[i].message);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return mm_xasprintf("%s: invalid minimesosFile", path);
    mm_diags_print_gcc(f, d);
    fclose(f);
    while (len && buf[len - 1] == '\n')
        buf[--len] = '\0';
    char *s = mm_xasprintf("%s: invalid minimesosFile\n%s", path, buf);
    free(buf);
    return s;
}

/* The pull of one image, as events. */
typedef struct pull_report {
    exec *e;
    const char *ref;
} pull_report;

static void on_pull_status(const char *id, const char *status, const char *progress_bar, void *ctx)
{
    pull_report *pr = ctx;
    char *msg = mm_xasprintf("pull %s: %s%s%s%s%s", pr->ref, id ? id : "", id ? " " : "", status,
                             progress_bar ? " " : "", progress_bar ? progress_bar : "");
    mm_event ev = { .kind = MM_EVENT_PULL, .message = msg, .image = pr->ref, .status = status,
                    .progress = progress_bar };
    report(pr->e, &ev);
    free(msg);
}

/* Each image on the engine of each container that needs it. */
static int ensure_images(exec *e, mm_pull_policy policy, mm_error *err)
{
    const mm_plan *p = e->plan;
    for (size_t i = 0; i < p->n; i++) {
        const char *ref = p->containers[i].image;
        mm_docker *d = e->slots[i].d;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= strcmp(p->containers[k].image, ref) == 0 && e->slots[k].d == d;
        if (seen)
            continue;
        bool exists = false;
        char *why = NULL;
        if (policy != MM_PULL_ALWAYS && mm_docker_image_exists(d, ref, &exists, &why) != 0) {
            mm_error_set(err, MM_ERR_ENGINE, why);
            return -1;
        }
        if (exists)
            continue;
        if (policy == MM_PULL_NEVER) {
            char *on = where(e, &e->slots[i]);
            mm_error_set(err, MM_ERR_IMAGE, mm_xasprintf("image %s (for %s) is not present%s and --pull is never",
                                                         ref, p->containers[i].role, on));
            free(on);
            return -1;
        }
        char *msg = mm_xasprintf("Pulling image %s", ref);
        mm_event ev = { .kind = MM_EVENT_PULL, .message = msg, .image = ref };
        report(e, &ev);
        free(msg);
        pull_report pr = { e, ref };
        if (mm_docker_pull(d, ref, e->on_event ? on_pull_status : NULL, &pr, &why) != 0) {
            mm_error_set(err, mm_interrupted() ? MM_ERR_INTERRUPTED : MM_ERR_IMAGE, why);
            return -1;
        }
    }
    return 0;
}

/* Another `up` holds the lock: report the cluster it is starting. */
static int report_busy(const char *dir, mm_error *err)
{
    char *id = NULL;
    for (int i = 0; i < 100 && mm_record_read(dir, &id) != 0 && !mm_interrupted(); i++)
        usleep(100 * 1000);
    if (id) {
        mm_error_set(err, MM_ERR_LOCKED, mm_xasprintf("Cluster %s is already running", id));
        free(id);
    } else {
        mm_error_set(err, MM_ERR_LOCKED,
                     mm_xasprintf("Cluster is already being started by another `minimesos up` in %s", dir));
    }
    return MM_ALREADY_RUNNING;
}

void mm_up_options_init(mm_up_options *o)
{
    memset(o, 0, sizeof *o);
    o->config_path = "minimesosFile";
    o->num_agents = -1;
    o->timeout = -1;
    o->map_ports_to_host = -1;
    o->pull = MM_PULL_MISSING;
    o->bind_address = NULL;
    o->retain = false;
    o->cleanup_on_failure = true; /* not read: removal on failure is the default */
    o->reconcile = true;
    o->on_event = NULL;
    o->event_user = NULL;
}

/* Where the configuration of mm_up comes from: exactly one of path, text
 * (with dir) and model. */
typedef struct up_source {
    const char *path;
    const char *text;
    size_t len;
    const char *dir;
    const mm_cluster *model;
} up_source;

/* The effective model of the source, owned, with its folder set and the
 * agents --num-agents asks for; NULL with err MM_ERR_CONFIG. */
static mm_cluster *load_source(const up_source *src, const mm_up_options *o, mm_error *err)
{
    mm_cluster *c;
    if (src->model) {
        if (!src->model->master || !src->model->zookeeper) {
            mm_error_set(err, MM_ERR_CONFIG, mm_xstrdup("the model has no master or zookeeper "
                                                        "(load it with MM_MODEL_EFFECTIVE)"));
            return NULL;
        }
        c = mm_cluster_copy(src->model);
        if (!c->dir)
            c->dir = mm_abs_path(NULL);
    } else {
        const char *name = src->path ? src->path : "<text>";
        mm_diags diags;
        mm_diags_init(&diags, name);
        if (src->path) {
            c = mm_cluster_load(src->path, MM_MODEL_EFFECTIVE, &diags);
        } else {
            mm_file *f = mm_parse(src->text ? src->text : "", src->text ? src->len : 0, name, &diags);
            c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &diags);
            mm_file_free(f);
            if (c) {
                free(c->path);
                c->path = NULL;
                c->dir = mm_abs_path(src->dir);
            }
        }
        if (!c)
            mm_error_set(err, MM_ERR_CONFIG, diags_text(name, &diags));
        mm_diags_free(&diags);
        if (!c)
            return NULL;
    }
    if (o->num_agents >= 0 && (size_t)o->num_agents > c->n_agents)
        mm_cluster_add_default_agents(c, (size_t)o->num_agents - c->n_agents);
    return c;
}

/* The plan of c with a fresh identity: a random cluster id, one uuid per
 * container. NULL with err MM_ERR_CONFIG. */
static mm_plan *plan_for(const mm_cluster *c, const mm_up_options *o, mm_error *err)
{
    char cid[16];
    snprintf(cid, sizeof cid, "%u", mm_random_u32());
    size_t n = mm_plan_count(c, o->num_agents);
    char **uuids = mm_xcalloc(n ? n : 1, sizeof *uuids);
    for (size_t i = 0; i < n; i++) {
        char *u;
        bool dup;
        do {
            u = mm_xasprintf("%u", mm_random_u32());
            dup = false;
            for (size_t k = 0; k < i; k++)
                dup |= strcmp(uuids[k], u) == 0;
            if (dup)
                free(u);
        } while (dup);
        uuids[i] = u;
    }
    mm_plan_options po = {
        .cluster_id = cid, .uuids = (const char *const *)uuids, .n_uuids = n,
        .num_agents = o->num_agents, .map_ports_to_host = o->map_ports_to_host,
        .bind_address = o->bind_address,
    };
    char *why = NULL;
    mm_plan *plan = mm_plan_build(c, &po, &why);
    for (size_t i = 0; i < n; i++)
        free(uuids[i]);
    free(uuids);
    if (!plan) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        return NULL;
    }
    if (o->timeout > 0)
        plan->timeout = (int)o->timeout;
    return plan;
}

/* What up and its dry run begin with: *o defaulted (into *defaults when
 * NULL), err cleared, the model loaded and planned. The plan, with the model
 * in *model; NULL with err. */
static mm_plan *load_plan(const up_source *src, const mm_up_options **o, mm_up_options *defaults,
                          mm_cluster **model, mm_error *err)
{
    if (!*o) {
        mm_up_options_init(defaults);
        *o = defaults;
    }
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    mm_cluster *c = load_source(src, *o, err);
    if (!c)
        return NULL;
    mm_plan *plan = plan_for(c, *o, err);
    if (!plan) {
        mm_cluster_free(c);
        return NULL;
    }
    *model = c;
    return plan;
}

static int dry_run(const up_source *src, const mm_up_options *o, char **plan_json, mm_error *err)
{
    mm_up_options defaults;
    mm_cluster *c = NULL;
    *plan_json = NULL;
    mm_plan *plan = load_plan(src, &o, &defaults, &c, err);
    if (!plan)
        return -1;
    mm_cluster_free(c);
    cJSON *j = mm_plan_to_json(plan);
    *plan_json = cJSON_Print(j);
    cJSON_Delete(j);
    mm_plan_free(plan);
    return 0;
}

static size_t n_engines(const mm_up_options *o)
{
    return o->n_engines ? o->n_engines : 1;
}

/* up --swarm: the engines (--engine, by default DOCKER_HOST alone), each
 * reached now so that one that does not answer fails up before anything
 * exists; the engine of each container (mm_plan_place); the name of the
 * cluster's overlay network. *engines: the address of each, by number. */
static int swarm_engines(exec *e, const mm_up_options *o, mm_docker *d, char ***engines, char **network,
                         mm_error *err)
{
    size_t n = n_engines(o), *node_of = mm_xcalloc(e->plan->n, sizeof *node_of), *k = mm_xcalloc(n, sizeof *k);
    char *why = NULL;
    int rc = 0;
    *engines = mm_xcalloc(n, sizeof **engines);
    for (size_t i = 0; i < n; i++)
        (*engines)[i] = mm_xstrdup(o->n_engines ? o->engines[i] : d->addr);
    if (mm_plan_place(e->plan, n, o->place, o->n_place, node_of, &why) != 0) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (mm_engine_add_node(d, (*engines)[i], &k[i], &why) != 0) {
            mm_error_set(err, MM_ERR_ENGINE_UNREACHABLE, mm_xasprintf("engine %zu (--engine %s): %s", i, (*engines)[i], why));
            free(why);
            rc = -1;
        }
    }
    /* Only now: adding nodes moves them. */
    for (size_t i = 0; rc == 0 && i < e->plan->n; i++) {
        e->slots[i].node = node_of[i];
        e->slots[i].d = mm_docker_node(d, k[node_of[i]]);
    }
    if (rc == 0) {
        *network = mm_overlay_name(e->plan->cluster_id);
        e->network = *network;
        e->engines = (const char *const *)*engines;
        e->n_engines = n;
    }
    free(node_of);
    free(k);
    return rc;
}

static int up(const up_source *src, const mm_up_options *o, mm_running **out, mm_error *err)
{
    mm_up_options defaults;
    mm_cluster *c = NULL;
    *out = NULL;
    mm_plan *plan = load_plan(src, &o, &defaults, &c, err);
    if (!plan)
        return -1;

    char *dir = mm_xstrdup(plan->dir);
    char *config_path = *plan->config_path ? mm_xstrdup(plan->config_path)
                        : mm_xasprintf("the %s in %s", src->model ? "model" : "minimesosFile text", dir);
    int ret = -1, lockfd = -1;
    char **engines = NULL, *network = NULL;
    bool reaping = false, keep_reaper = false; /* a reaper watches; it must stay armed */
    char *why = NULL;
    mm_docker d;
    memset(&d, 0, sizeof d);
    exec e = { .plan = plan, .d = &d, .config_path = config_path, .on_event = o->on_event,
               .event_user = o->event_user };
    pthread_mutex_init(&e.report_mu, NULL);
    pthread_mutex_init(&e.mu, NULL);
    pthread_cond_init(&e.cv, NULL);

    if (mm_engine_open(&d, NULL, err) != 0)
        goto done;
    e.slots = mm_xcalloc(plan->n, sizeof *e.slots);
    for (size_t i = 0; i < plan->n; i++) {
        e.slots[i].spec = &plan->containers[i];
        e.slots[i].d = &d;
    }
    int lr = mm_lock_dir(dir, false, &lockfd, &why);
    if (lr == 1 && mm_lock_marked(dir, "destroy")) /* it ends soon: then start afresh */
        lr = mm_lock_dir(dir, true, &lockfd, &why);
    if (lr == 1) {
        ret = report_busy(dir, err);
        goto done;
    }
    if (lr != 0) {
        mm_error_set(err, MM_ERR_IO, why);
        why = NULL;
        goto done;
    }

    /* One cluster per folder. */
    {
        char *rid = NULL;
        bool have = mm_record_read(dir, &rid) == 0;
        mm_running *rc = NULL;
        /* A recorded cluster across a swarm is read on all its engines. */
        if (have && mm_engine_add_recorded(&d, dir, NULL, NULL, err) != 0) {
            free(rid);
            goto done;
        }
        int br = mm_running_build(&d, dir, rid, &rc, &why);
        if (br == 0 && !have) {
            /* Found by labels alone: restore the record, and read the
             * cluster again on every engine its labels name. */
            char *w = NULL;
            if (mm_record_restore(&d, dir, rc->cluster_id, &w) != 0)
                free(w);
            size_t nodes = d.n_nodes;
            if (mm_engine_add_recorded(&d, dir, NULL, NULL, err) != 0) {
                mm_running_free(rc);
                free(rid);
                goto done;
            }
            if (d.n_nodes != nodes) {
                mm_running_free(rc);
                rc = NULL;
                br = mm_running_build(&d, dir, rid, &rc, &why);
            }
        }
        if (br == 0) {
            free(rid);
            if (o->reconcile) {
                /* Bring it in line with the file (reconcile.c). */
                ret = mm_reconcile_run(&d, c, o, rc, false, false, NULL, err);
                if (ret == -1)
                    mm_running_free(rc);
                else
                    *out = rc;
                goto done;
            }
            mm_error_set(err, MM_ERR_ALREADY_RUNNING, mm_xasprintf("Cluster %s is already running", rc->cluster_id));
            *out = rc;
            ret = MM_ALREADY_RUNNING;
            goto done;
        }
        if (br != MM_NO_CLUSTER) {
            mm_error_set(err, MM_ERR_ENGINE, why);
            why = NULL;
            free(rid);
            goto done;
        }
        if (have) {
            char *m = mm_stale_message(dir, rid);
            warning(&e, m);
            free(m);
            mm_record_remove(dir);
        }
        free(rid);
    }

    /* A new cluster: its engines and placement (a running one keeps its
     * own: reconcile checks --engine against them, and places only what
     * it adds or recreates). */
    if (o->swarm && swarm_engines(&e, o, &d, &engines, &network, err) != 0)
        goto done;
    if (ensure_images(&e, o->pull, err) != 0)
        goto done;
    /* The reaper before anything of the cluster exists: from the record on,
     * whatever this process leaves when it dies is removed. */
    if (o->reap_when_process_exits) {
        if (mm_reaper_start(dir, plan->cluster_id, &why) != 0) {
            mm_error_set(err, MM_ERR_REAPER, why);
            why = NULL;
            goto done;
        }
        reaping = true;
    }
    if (mm_record_write_engines(dir, plan->cluster_id, (const char *const *)engines, o->swarm ? n_engines(o) : 0,
                                &why) != 0) {
        mm_error_set(err, MM_ERR_IO, why);
        why = NULL;
        goto done;
    }
    progress(&e, "Starting minimesos cluster %s (%zu containers) from %s", plan->cluster_id, plan->n,
             config_path);

    double deadline = now_s() + plan->timeout;
    e.deadline = deadline;
    if (network) {
        /* The cluster's overlay network, on the manager, labelled as its containers. */
        char *labels[2] = { mm_xasprintf(MM_LABEL_CLUSTER "=%s", plan->cluster_id),
                            mm_xasprintf(MM_LABEL_DIR "=%s", dir) };
        char *nid = NULL;
        if (mm_docker_overlay_create(&d, network, (const char *const *)labels, 2, &nid, &why) != 0) {
            fail_slot(&e, NULL, MM_ERR_ENGINE,
                      mm_xasprintf("%s\nhint: up --swarm needs DOCKER_HOST (%s) to be a swarm manager "
                                   "(`docker swarm init`)", why, d.addr));
            why = NULL;
        } else
            progress(&e, "Created overlay network %s on %s", network, d.addr);
        free(nid);
        free(labels[0]);
        free(labels[1]);
    }
    if (!e.failed)
        start_all(&e);
    if (!e.failed && mm_interrupted())
        fail_slot(&e, NULL, MM_ERR_INTERRUPTED, mm_xstrdup("interrupted while starting the cluster"));
    if (!e.failed)
        wait_ready(&e, deadline, plan->timeout);

    mm_running *rc = NULL;
    if (!e.failed) {
        int br = mm_running_build(&d, dir, plan->cluster_id, &rc, &why);
        if (br != 0) {
            if (br == MM_NO_CLUSTER)
                fail_slot(&e, NULL, MM_ERR_CONTAINER, mm_xstrdup("the cluster's containers vanished"));
            else
                fail_slot(&e, NULL, MM_ERR_ENGINE, why);
            why = NULL;
        }
    }
    /* Deploy the configured apps and groups. */
    for (int kind = 0; !e.failed && c->marathon && kind < 2; kind++) {
        char **items = kind ? c->marathon->groups : c->marathon->apps;
        size_t cnt = kind ? c->marathon->n_groups : c->marathon->n_apps;
        for (size_t i = 0; i < cnt && !e.failed; i++) {
            char *answer = NULL, *w = NULL;
            progress(&e, "Deploying %s %s", kind ? "group" : "app", items[i]);
            if (mm_marathon_install(rc, kind ? "group" : "app", items[i], c->dir, false, &answer, &w) != 0)
                fail_slot(&e, NULL, MM_ERR_CONTAINER,
                          mm_xasprintf("deploying Marathon %s %s: %s", kind ? "group" : "app",
                                       items[i], w ? w : "failed"));
            free(answer);
            free(w);
        }
    }
    if (e.failed) {
        mm_running_free(rc);
        strbuf sb = STRBUF_INIT;
        mm_sb_adds(&sb, e.error);
        if (!o->retain) {
            char *w = NULL;
            size_t removed = 0;
            int dr = mm_destroy_with(&d, dir, plan->cluster_id, &removed, &w);
            if (dr == -1) {
                mm_sb_addf(&sb, "\ncleaning up failed too: %s; run `minimesos destroy` in %s", w, dir);
                keep_reaper = true; /* it tries again when this process ends */
            } else
                mm_sb_addf(&sb, "\nremoved the %zu container%s of cluster %s", removed,
                        removed == 1 ? "" : "s", plan->cluster_id);
            free(w);
        } else {
            mm_sb_addf(&sb, "\ncluster %s is kept, as asked (retain): it is recorded in %s/.minimesos; "
                         "run `minimesos destroy` there to remove it", plan->cluster_id, dir);
        }
        mm_error_set(err, e.error_code, mm_sb_detach(&sb));
        goto done;
    }
    progress(&e, "Minimesos cluster %s is ready", plan->cluster_id);
    *out = rc;
    ret = 0;

done:
    /* Failed: what was created is gone, or kept on purpose (retain). */
    if (reaping && ret != 0 && !keep_reaper)
        mm_reaper_disarm(plan->cluster_id);
    free(why);
    if (e.slots) {
        for (size_t i = 0; i < plan->n; i++) {
            free(e.slots[i].id);
            free(e.slots[i].ip);
            free(e.slots[i].reach);
        }
        free(e.slots);
    }
    free(e.error);
    pthread_mutex_destroy(&e.report_mu);
    pthread_mutex_destroy(&e.mu);
    pthread_cond_destroy(&e.cv);
    mm_unlock_dir(lockfd);
    mm_docker_free(&d);
    mm_plan_free(plan);
    mm_cluster_free(c);
    free(dir);
    free(config_path);
    for (size_t i = 0; engines && i < n_engines(o); i++)
        free(engines[i]);
    free(engines);
    free(network);
    return ret;
}

int mm_up(const mm_up_options *o, mm_running **out, mm_error *err)
{
    up_source src = { .path = o && o->config_path && *o->config_path ? o->config_path : "minimesosFile" };
    return up(&src, o, out, err);
}

int mm_up_text(const char *text, size_t len, const char *dir, const mm_up_options *o,
               mm_running **out, mm_error *err)
{
    up_source src = { .text = text, .len = len, .dir = dir };
    return up(&src, o, out, err);
}

int mm_up_model(const mm_cluster *c, const mm_up_options *o, mm_running **out, mm_error *err)
{
    up_source src = { .model = c };
    return up(&src, o, out, err);
}

int mm_up_dry_run(const mm_up_options *o, char **plan_json, mm_error *err)
{
    up_source src = { .path = o && o->config_path && *o->config_path ? o->config_path : "minimesosFile" };
    return dry_run(&src, o, plan_json, err);
}

int mm_up_dry_run_text(const char *text, size_t len, const char *dir, const mm_up_options *o,
                       char **plan_json, mm_error *err)
{
    up_source src = { .text = text, .len = len, .dir = dir };
    return dry_run(&src, o, plan_json, err);
}

int mm_up_dry_run_model(const mm_cluster *c, const mm_up_options *o, char **plan_json, mm_error *err)
{
    up_source src = { .model = c };
    return dry_run(&src, o, plan_json, err);
}

int mm_up_changes(const mm_up_options *o, bool json, char **lines, mm_error *err)
{
    mm_up_options defaults;
    if (!o) {
        mm_up_options_init(&defaults);
        o = &defaults;
    }
    *lines = NULL;
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    const char *path = o->config_path && *o->config_path ? o->config_path : "minimesosFile";
    /* The folder first (as mm_cluster_load names it): the file is read only
     * when a cluster runs there, so a file on standard input is left for
     * mm_up_dry_run otherwise, and an unreadable one is reported there. */
    char *dir = NULL;
    if (strcmp(path, "-") == 0) {
        dir = mm_abs_path(NULL);
    } else {
        char *real = realpath(path, NULL);
        if (!real) {
            mm_error_set(err, MM_ERR_NO_CLUSTER, mm_xstrdup("Minimesos cluster is not running"));
            return MM_NO_CLUSTER;
        }
        char *slash = strrchr(real, '/');
        dir = slash == real ? mm_xstrdup("/") : mm_xstrndup(real, (size_t)(slash - real));
        free(real);
    }
    int ret = -1;
    char *rid = NULL, *why = NULL;
    mm_docker d;
    memset(&d, 0, sizeof d);
    mm_running *rc = NULL;
    mm_cluster *c = NULL;
    if (mm_engine_open(&d, dir, err) != 0)
        goto done;
    (void)mm_record_read(dir, &rid);
    int br = mm_running_build(&d, dir, rid, &rc, &why);
    if (br == MM_NO_CLUSTER) {
        mm_error_set(err, MM_ERR_NO_CLUSTER, mm_xstrdup("Minimesos cluster is not running"));
        ret = MM_NO_CLUSTER;
    } else if (br != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why);
        why = NULL;
    } else {
        up_source src = { .path = path };
        c = load_source(&src, o, err);
        if (c)
            ret = mm_reconcile_run(&d, c, o, rc, true, json, lines, err);
    }
done:
    free(why);
    free(rid);
    free(dir);
    mm_running_free(rc);
    mm_docker_free(&d);
    mm_cluster_free(c);
    return ret;
}
