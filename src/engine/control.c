/* Changing a running cluster (minimesos/cluster.h "changing a running
 * cluster"): agents added like an agent block of the minimesosFile, agents
 * stopped, started and removed, the other roles stopped and started, and the
 * handle read afresh.
 *
 * Every change takes the folder's lock (as up and destroy do), reads the
 * cluster from the engine, changes it, and leaves the handle describing the
 * cluster as it is afterwards. An agent is added through the same plan as
 * `up` makes (the file's agent block turned into a create request, with the
 * running ZooKeeper's IP filled in), labelled with the next agent number and
 * start position; an add that fails or is interrupted removes what it
 * created. */
#include "engine/docker.h"
#include "engine/record.h"
#include "net/http.h"
#include "services/watch.h"
#include "minimesos/cluster.h"
#include "minimesos/model.h"
#include "minimesos/plan.h"
#include "minimesos/runtime.h"
#include "base/util.h"
#include "base/parallel.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define STOP_GRACE_S 10
#define MAX_ADD 100
#define DEFAULT_TIMEOUT_S 30

void mm_control_options_init(mm_control_options *o)
{
    memset(o, 0, sizeof *o);
    o->timeout = -1;
    o->pull = MM_PULL_MISSING;
    o->on_event = NULL;
    o->event_user = NULL;
}

/* ---- a change in progress ---- */

typedef struct ctl {
    mm_running *rc;
    mm_control_options o;
    mm_docker d;
    int lockfd;
    pthread_mutex_t report_mu;  /* one event at a time: adds start agents in threads */
} ctl;

static void report(ctl *c, mm_event_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(ctl *c, mm_event_kind kind, const char *fmt, ...)
{
    if (!c->o.on_event)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = mm_xvasprintf(fmt, ap);
    va_end(ap);
    mm_event ev = { .kind = kind, .message = msg };
    pthread_mutex_lock(&c->report_mu);
    c->o.on_event(&ev, c->o.event_user);
    pthread_mutex_unlock(&c->report_mu);
    free(msg);
}

/* Replace rc's contents with the engine's view of its cluster. */
static int refresh_with(mm_docker *d, mm_running *rc, mm_error *err)
{
    mm_running *fresh = NULL;
    char *why = NULL;
    int r = mm_running_build(d, rc->dir, rc->cluster_id, &fresh, &why);
    if (r == MM_NO_CLUSTER) {
        mm_error_set(err, MM_ERR_NO_CLUSTER,
                     mm_xasprintf("Minimesos cluster %s is not running: its containers are gone", rc->cluster_id));
        return MM_NO_CLUSTER;
    }
    if (r != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why ? why : mm_xstrdup("cannot list the cluster's containers"));
        return -1;
    }
    mm_running old = *rc;
    *rc = *fresh;
    *fresh = old;
    mm_running_free(fresh);
    return 0;
}

int mm_cluster_refresh(mm_running *rc, mm_error *err)
{
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    mm_docker d;
    memset(&d, 0, sizeof d);
    int r = mm_engine_open(&d, rc->dir, err) == 0 ? refresh_with(&d, rc, err) : -1;
    mm_docker_free(&d);
    return r;
}

/* Engine, folder lock, the cluster read afresh. 0, or the call's return
 * value with err set; end() in every case. */
static int begin(ctl *c, mm_running *rc, const mm_control_options *o, mm_error *err)
{
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    memset(c, 0, sizeof *c);
    c->rc = rc;
    c->lockfd = -1;
    if (o)
        c->o = *o;
    else
        mm_control_options_init(&c->o);
    pthread_mutex_init(&c->report_mu, NULL);
    if (mm_engine_open(&c->d, rc->dir, err) != 0)
        return -1;
    char *why = NULL;
    if (mm_lock_dir(rc->dir, true, &c->lockfd, &why) != 0) {
        mm_error_set(err, mm_interrupted() ? MM_ERR_INTERRUPTED : MM_ERR_IO, why);
        c->lockfd = -1;
        return -1;
    }
    return refresh_with(&c->d, rc, err);
}

static void end(ctl *c)
{
    mm_unlock_dir(c->lockfd);
    mm_docker_free(&c->d);
    pthread_mutex_destroy(&c->report_mu);
}

/* A change to one member: find it (find: by agent id or role name), act on
 * it, and leave rc refreshed (act may refresh it itself; refresh_after says
 * whether the helper refreshes once more). Returns what act returns, or
 * begin's outcome, or -1 when find fails (err set). */
typedef mm_member *(*member_find)(mm_running *rc, const char *id, mm_error *err);
typedef int (*member_act)(ctl *c, mm_member *m, mm_error *err);

static int with_member(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err,
                       member_find find, member_act act, bool refresh_after)
{
    ctl c;
    int ret = begin(&c, rc, o, err);
    if (ret == 0) {
        mm_member *m = find(rc, id, err);
        ret = m ? act(&c, m, err) : -1;
    }
    if (refresh_after && ret != MM_NO_CLUSTER && c.d.base) {
        mm_error e2 = { MM_ERR_NONE, NULL };
        refresh_with(&c.d, rc, &e2);
        mm_error_free(&e2);
    }
    end(&c);
    return ret;
}

/* The minimesosFile's effective model, or NULL with *why. */
static mm_cluster *load_file(const mm_running *rc, char **why)
{
    if (!rc->config_path || !*rc->config_path) {
        *why = mm_xasprintf("cluster %s was started from text or a model, not a minimesosFile", rc->cluster_id);
        return NULL;
    }
    mm_diags diags;
    mm_diags_init(&diags, rc->config_path);
    mm_cluster *c = mm_cluster_load(rc->config_path, MM_MODEL_EFFECTIVE, &diags);
    if (!c) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            mm_diags_print_gcc(f, &diags);
            fclose(f);
        }
        while (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        *why = mm_xasprintf("%s: invalid minimesosFile%s%s", rc->config_path, len ? "\n" : "", len ? buf : "");
        free(buf);
    }
    mm_diags_free(&diags);
    return c;
}

/* o->timeout, else the file's, else 30 s. */
static long timeout_of(ctl *c, const mm_cluster *model)
{
    if (c->o.timeout >= 0)
        return c->o.timeout;
    if (model)
        return model->timeout;
    char *why = NULL;
    mm_cluster *m = load_file(c->rc, &why);
    free(why);
    long t = m ? m->timeout : DEFAULT_TIMEOUT_S;
    mm_cluster_free(m);
    return t;
}

static bool is_running(const mm_member *m)
{
    return m && m->state && strcmp(m->state, "running") == 0;
}

static size_t count_role(const mm_running *rc, const char *role, bool running_only)
{
    size_t n = 0;
    for (size_t i = 0; i < rc->n_members; i++)
        n += strcmp(rc->members[i].role, role) == 0 && (!running_only || is_running(&rc->members[i]));
    return n;
}

/* "0 (3f2a1b4c5d6e, running), 1 (...)" */
static char *agent_list(const mm_running *rc)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        if (strcmp(m->role, "agent") == 0)
            mm_sb_addf(&sb, "%s%d (%.12s, %s)", sb.len ? ", " : "", m->agent, m->container_id, m->state);
    }
    return mm_sb_detach(&sb);
}

/* The agent an id names: its number, a container id prefix (4 characters
 * at least), or its container name. NULL with err MM_ERR_NOT_FOUND. */
static mm_member *find_agent(mm_running *rc, const char *id, mm_error *err)
{
    size_t len = id ? strlen(id) : 0;
    bool digits = len > 0 && len <= 9;
    for (size_t i = 0; i < len && digits; i++)
        digits = isdigit((unsigned char)id[i]);
    mm_member *hit = NULL;
    size_t hits = 0;
    if (digits) {
        int n = atoi(id);
        for (size_t i = 0; i < rc->n_members; i++)
            if (strcmp(rc->members[i].role, "agent") == 0 && rc->members[i].agent == n)
                return &rc->members[i];
    }
    const char *name = id && id[0] == '/' ? id + 1 : id;
    for (size_t i = 0; len && i < rc->n_members; i++) {
        mm_member *m = &rc->members[i];
        if (strcmp(m->role, "agent") != 0)
            continue;
        if (strcmp(m->name, name) == 0)
            return m;
        if (len >= 4 && strncmp(m->container_id, id, len) == 0) {
            hit = m;
            hits++;
        }
    }
    if (hits == 1)
        return hit;
    char *list = agent_list(rc);
    if (hits > 1)
        mm_error_set(err, MM_ERR_NOT_FOUND, mm_xasprintf("'%s' names several agents of cluster %s: %s", id,
                                                         rc->cluster_id, list));
    else
        mm_error_set(err, MM_ERR_NOT_FOUND,
                     mm_xasprintf("no agent %s in cluster %s; its agents: %s (by number, container id or name)",
                                  id && *id ? id : "''", rc->cluster_id, *list ? list : "none"));
    free(list);
    return NULL;
}

/* The IP of the running member of a role (the plan's references). */
static const char *running_ip(const char *role, void *ctx)
{
    const mm_running *rc = ctx;
    for (size_t i = 0; i < rc->n_members; i++)
        if (strcmp(rc->members[i].role, role) == 0 && is_running(&rc->members[i]) && rc->members[i].ip)
            return rc->members[i].ip;
    return NULL;
}

/* The last 10 lines of a container's log, or "" (an agent that would not
 * start: the message is complete without them). */
static char *log_tail(mm_docker *d, const char *id, const char *name)
{
    return mm_docker_log_tail(d, id, name, 10, true);
}

/* ---- waiting for the master ---- */

typedef struct agent_ref {
    const char *ip;
    char *hostname;
} agent_ref;

typedef struct agents_wait {
    agent_ref *refs;
    size_t n;
} agents_wait;

/* Every agent of the list active in the master's view. */
static bool agents_active(const mm_running *rc, const char *state, void *user, char **seen)
{
    (void)rc;
    agents_wait *w = user;
    if (!state)
        return false;
    cJSON *j = cJSON_Parse(state);
    size_t active = 0;
    for (size_t i = 0; i < w->n; i++)
        active += mm_master_agent_view(j, w->refs[i].ip, w->refs[i].hostname) == 1;
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(j, "activated_slaves");
    if (w->n == 1)
        *seen = mm_xasprintf("the master counts it %s (activated_slaves = %g)", active ? "active" : "not active",
                             cJSON_IsNumber(as) ? as->valuedouble : -1);
    else
        *seen = mm_xasprintf("%zu of the %zu agents active (activated_slaves = %g)", active, w->n,
                             cJSON_IsNumber(as) ? as->valuedouble : -1);
    cJSON_Delete(j);
    return active == w->n;
}

/* The master answers and counts n agents. */
static bool master_counts(const mm_running *rc, const char *state, void *user, char **seen)
{
    return state && mm_wait_agents(rc, state, user, seen);
}

/* Marathon answers GET /v2/apps. */
static bool marathon_answers(const mm_running *rc, const char *state, void *user, char **seen)
{
    (void)state;
    (void)user;
    const mm_member *m = mm_running_role(rc, "marathon");
    if (!m || !m->url) {
        *seen = mm_xstrdup("Marathon has no address");
        return false;
    }
    char *url = mm_xasprintf("%s/v2/apps", m->url);
    mm_http_request req = { .url = url, .timeout_ms = 2000, .connect_timeout_ms = 1000, .direct = true };
    mm_http_response resp;
    char *why = NULL;
    bool ok = false;
    if (mm_http_do(&req, &resp, &why) != 0) {
        *seen = mm_xasprintf("Marathon does not answer: %s", why);
        free(why);
    } else {
        ok = resp.status == 200;
        *seen = mm_xasprintf("Marathon answers HTTP %ld", resp.status);
        mm_http_response_free(&resp);
    }
    free(url);
    return ok;
}

/* ---- adding agents ---- */

typedef struct add_job {
    ctl *c;
    mm_docker *d;       /* the engine it is created on */
    const char *node;   /* up --swarm: that engine's address (the record's); else NULL */
    size_t node_index;  /* its number in the record */
    char *name;
    char *image;
    char *body;         /* the create request */
    char *id;           /* once created */
    char *ip;
    char *err;
    bool done;
} add_job;


static void add_one(add_job *j)
{
    mm_docker *d = j->d;
    char *why = NULL;
    if (mm_docker_create(d, j->name, j->body, &j->id, &why) != 0) {
        j->err = why;
        return;
    }
    if (mm_docker_start(d, j->id, &why) != 0) {
        j->err = mm_xasprintf("starting container %s: %s", j->name,
                              why + (strncmp(why, "starting container: ", 20) == 0 ? 20 : 0));
        free(why);
        return;
    }
    cJSON *ins = NULL;
    if (mm_docker_inspect(d, j->id, &ins, &why) != 0) {
        j->err = mm_xasprintf("container %s: %s", j->name, why);
        free(why);
        return;
    }
    char *state = NULL;
    mm_docker_inspect_net(ins, &j->ip, NULL, &state);
    cJSON_Delete(ins);
    if (!j->ip) {
        char *tail = log_tail(d, j->id, j->name);
        j->err = mm_xasprintf("container %s (agent): it is %s right after its start%s", j->name,
                              state ? state : "gone", tail);
        free(tail);
    } else {
        report(j->c, MM_EVENT_PROGRESS, "Started %s (%s) at %s%s%s", j->name, j->image, j->ip,
               j->node ? " on " : "", j->node ? j->node : "");
    }
    free(state);
}

/* The adds go side by side (mm_parallel); an interrupt stops new ones. */
static void add_at(size_t i, void *jobs)
{
    add_one(&((add_job *)jobs)[i]);
    ((add_job *)jobs)[i].done = true;
}

static bool add_stop(void *jobs)
{
    (void)jobs;
    return mm_interrupted();
}

/* The next start position and agent number: one more than any of the
 * cluster's containers (stopped ones included) has. */
static int next_numbers(ctl *c, long *index, int *agent, mm_error *err)
{
    cJSON *list = NULL;
    char *why = NULL;
    if (mm_find_containers(&c->d, c->rc->dir, c->rc->cluster_id, true, &list, NULL, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why);
        return -1;
    }
    *index = 0;
    *agent = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *ix = mm_label_of(e, MM_LABEL_INDEX), *ag = mm_label_of(e, MM_LABEL_AGENT);
        if (ix && atol(ix) + 1 > *index)
            *index = atol(ix) + 1;
        if (ag && atoi(ag) + 1 > *agent)
            *agent = atoi(ag) + 1;
    }
    cJSON_Delete(list);
    /* Agents numbered by their order (a cluster from before the label). */
    for (size_t i = 0; i < c->rc->n_members; i++)
        if (c->rc->members[i].agent + 1 > *agent)
            *agent = c->rc->members[i].agent + 1;
    return 0;
}

/* The image of the new agents, on engine d (node: its address, up --swarm). */
static int ensure_image(ctl *c, mm_docker *d, const char *node, const char *ref, mm_error *err)
{
    bool exists = false;
    char *why = NULL;
    char *on = node ? mm_xasprintf(" on %s", node) : mm_xstrdup("");
    int ret = -1;
    if (c->o.pull != MM_PULL_ALWAYS && mm_docker_image_exists(d, ref, &exists, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why);
        goto out;
    }
    if (exists) {
        ret = 0;
        goto out;
    }
    if (c->o.pull == MM_PULL_NEVER) {
        mm_error_set(err, MM_ERR_IMAGE,
                     mm_xasprintf("image %s (for agent) is not present%s and pull is never", ref, on));
        goto out;
    }
    if (c->o.on_event) {
        char *msg = mm_xasprintf("Pulling image %s%s", ref, on);
        mm_event ev = { .kind = MM_EVENT_PULL, .message = msg, .image = ref };
        pthread_mutex_lock(&c->report_mu);
        c->o.on_event(&ev, c->o.event_user);
        pthread_mutex_unlock(&c->report_mu);
        free(msg);
    }
    if (mm_docker_pull(d, ref, NULL, NULL, &why) != 0) {
        mm_error_set(err, mm_interrupted() ? MM_ERR_INTERRUPTED : MM_ERR_IMAGE, why);
        goto out;
    }
    ret = 0;
out:
    free(on);
    return ret;
}

/* The create request of one more agent like agent block `like`: the plan of
 * the file with fresh uuids, that agent's spec, the running cluster's IPs
 * filled in, the next numbers as labels. */
static int make_job(ctl *c, const mm_cluster *model, int like, long index, int agent, const char *network,
                    const char *const *engines, size_t n_engines, add_job *j, mm_error *err)
{
    /* Twice: first to learn the roles of the plan's positions, then with
     * the running containers' uuids in theirs (an agent's link names the
     * ZooKeeper container) and fresh ones for the agents. */
    size_t n = mm_plan_count(model, -1);
    char **uuids = mm_xcalloc(n, sizeof *uuids);
    mm_plan *plan = NULL;
    char *why = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const mm_member *m = pass ? mm_running_role(c->rc, plan->containers[i].role) : NULL;
            const char *dash = m && strcmp(m->role, "agent") != 0 ? strrchr(m->name, '-') : NULL;
            free(uuids[i]);
            uuids[i] = dash ? mm_xstrdup(dash + 1) : mm_xasprintf("%u", mm_random_u32());
        }
        mm_plan_free(plan);
        mm_plan_options po = { .cluster_id = c->rc->cluster_id, .uuids = (const char *const *)uuids,
                               .n_uuids = n, .num_agents = -1, .map_ports_to_host = -1 };
        plan = mm_plan_build(model, &po, &why);
        if (!plan)
            break;
    }
    for (size_t i = 0; i < n; i++)
        free(uuids[i]);
    free(uuids);
    if (!plan) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        return -1;
    }
    const mm_container_spec *spec = NULL;
    for (size_t i = 0; i < plan->n && !spec; i++)
        if (plan->containers[i].agent_index == like)
            spec = &plan->containers[i];
    int ret = -1;
    /* Every container it points at must run (ZooKeeper, Mesos-DNS). */
    for (size_t k = 0; spec && k < spec->depends.n; k++) {
        const char *role = spec->depends.items[k];
        if (!running_ip(role, c->rc)) {
            const mm_member *m = mm_running_role(c->rc, role);
            mm_error_set(err, MM_ERR_CONTAINER,
                         m ? mm_xasprintf("the %s of cluster %s is not running (%s): start it first", role,
                                          c->rc->cluster_id, m->state)
                           : mm_xasprintf("cluster %s has no %s, which agent %d of %s points at", c->rc->cluster_id,
                                          role, like, c->rc->config_path));
            goto out;
        }
    }
    if (spec) {
        cJSON *body = mm_plan_create_body(plan, spec, running_ip, c->rc);
        if (network)
            mm_plan_swarm_body(plan, spec, body, network, engines, n_engines, j->node_index, running_ip, c->rc);
        cJSON *labels = cJSON_GetObjectItemCaseSensitive(body, "Labels");
        char num[32];
        snprintf(num, sizeof num, "%ld", index);
        cJSON_ReplaceItemInObjectCaseSensitive(labels, MM_LABEL_INDEX, cJSON_CreateString(num));
        snprintf(num, sizeof num, "%d", agent);
        cJSON_ReplaceItemInObjectCaseSensitive(labels, MM_LABEL_AGENT, cJSON_CreateString(num));
        j->body = cJSON_PrintUnformatted(body);
        cJSON_Delete(body);
        j->name = mm_xstrdup(spec->name);
        j->image = mm_xstrdup(spec->image);
        ret = 0;
    } else {
        mm_error_set(err, MM_ERR_CONFIG, mm_xasprintf("%s has no agent %d", c->rc->config_path, like));
    }
out:
    mm_plan_free(plan);
    return ret;
}

/* A cluster of up --swarm: the engines its record lists, by number (as
 * --engine gave them), and its overlay network, where new agents go. */
static int swarm_engines(ctl *c, char ***engines, size_t *n, char **network, mm_error *err)
{
    mm_record_engines(c->rc->dir, engines, n);
    if (*n == 0) {
        char *path = mm_record_path(c->rc->dir);
        mm_error_set(err, MM_ERR_REFUSED,
                     mm_xasprintf("cluster %s was started with up --swarm, but %s does not list its engines: "
                                  "agent add cannot tell where to place new agents; nothing changed",
                                  c->rc->cluster_id, path));
        free(path);
        return -1;
    }
    *network = mm_overlay_name(c->rc->cluster_id);
    return 0;
}

/* Remove what an add created; the count removed. Not stopped by an
 * interrupt: that is what asked for it. */
static size_t roll_back(ctl *c, add_job *jobs, size_t n, strbuf *why)
{
    size_t removed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].id)
            continue;
        char *w = NULL;
        if (mm_docker_remove(jobs[i].d, jobs[i].id, &w) != 0) {
            mm_sb_addf(why, "\ncould not remove %s: %s", jobs[i].name, w);
            free(w);
        } else {
            removed++;
        }
    }
    return removed;
}

int mm_agent_add(mm_running *rc, int like, int count, const mm_control_options *o, mm_error *err)
{
    ctl c;
    if (count < 1 || count > MAX_ADD || like < 0) {
        if (err)
            *err = (mm_error){ MM_ERR_NONE, NULL };
        mm_error_set(err, MM_ERR_CONFIG,
                     count < 1 || count > MAX_ADD
                         ? mm_xasprintf("the number of agents to add must be from 1 to %d, not %d", MAX_ADD, count)
                         : mm_xasprintf("no agent block %d: they count from 0", like));
        return -1;
    }
    int ret = begin(&c, rc, o, err);
    mm_cluster *model = NULL;
    add_job *jobs = NULL;
    size_t n = (size_t)count, n_engines = 0;
    char **engines = NULL, *network = NULL;
    if (ret != 0)
        goto out;
    ret = -1;
    char *why = NULL;
    if ((c.d.n_nodes || mm_list_has_node_label(&c.d, rc->cluster_id)) &&
        swarm_engines(&c, &engines, &n_engines, &network, err) != 0)
        goto out;
    model = load_file(rc, &why);
    if (!model) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        goto out;
    }
    if ((size_t)like >= model->n_agents) {
        mm_error_set(err, MM_ERR_CONFIG,
                     model->n_agents ? mm_xasprintf("%s has %zu agent block%s (0 to %zu): there is no agent %d to add "
                                                    "agents like", rc->config_path, model->n_agents,
                                                    model->n_agents == 1 ? "" : "s", model->n_agents - 1, like)
                                     : mm_xasprintf("%s has no agent block to add agents like", rc->config_path));
        goto out;
    }
    long timeout = timeout_of(&c, model);
    const mm_member *master = mm_running_role(rc, "master");
    if (timeout != 0 && !is_running(master)) {
        mm_error_set(err, MM_ERR_CONTAINER,
                     mm_xasprintf("the master of cluster %s is not running (%s): new agents could not register; "
                                  "start it first", rc->cluster_id, master ? master->state : "none"));
        goto out;
    }
    long index;
    int agent;
    if (next_numbers(&c, &index, &agent, err) != 0)
        goto out;
    jobs = mm_xcalloc(n, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        jobs[i].c = &c;
        jobs[i].d = &c.d;
        if (network) {
            /* As up --swarm places agents: agent K on engine K mod the number of engines. */
            size_t e = (size_t)(agent + (int)i) % n_engines, k = 0;
            if (mm_engine_add_node(&c.d, engines[e], &k, &why) != 0) {
                mm_error_set(err, MM_ERR_ENGINE_UNREACHABLE, mm_xasprintf("engine %zu (%s): %s", e, engines[e], why));
                free(why);
                goto out;
            }
            jobs[i].node = engines[e];
            jobs[i].node_index = e;
        }
        if (make_job(&c, model, like, index + (long)i, agent + (int)i, network, (const char *const *)engines,
                     n_engines, &jobs[i], err) != 0)
            goto out;
    }
    /* Only now: adding an engine moves the nodes. */
    for (size_t i = 0; network && i < n; i++) {
        size_t k = 0;
        mm_engine_add_node(&c.d, jobs[i].node, &k, &why);
        jobs[i].d = mm_docker_node(&c.d, k);
    }
    for (size_t i = 0; i < n; i++) {
        bool seen = false; /* each engine once */
        for (size_t k = 0; k < i; k++)
            seen |= jobs[k].d == jobs[i].d;
        if (!seen && ensure_image(&c, jobs[i].d, jobs[i].node, jobs[i].image, err) != 0)
            goto out;
    }
    report(&c, MM_EVENT_PROGRESS, "Adding %d agent%s like agent %d of %s to cluster %s", count,
           count == 1 ? "" : "s", like, rc->config_path, rc->cluster_id);
    mm_parallel(n, MM_DOCKER_WORKERS, add_at, jobs, add_stop, NULL);
    strbuf fail = STRBUF_INIT;
    mm_error_code code = MM_ERR_NONE;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].err && code == MM_ERR_NONE) {
            code = jobs[i].id ? MM_ERR_CONTAINER : MM_ERR_ENGINE;
            mm_sb_adds(&fail, jobs[i].err);
        }
    }
    if (code == MM_ERR_NONE && mm_interrupted()) {
        code = MM_ERR_INTERRUPTED;
        mm_sb_adds(&fail, "interrupted while starting the new agents");
    }
    if (code == MM_ERR_NONE && timeout != 0) {
        agents_wait w = { mm_xcalloc(n, sizeof *w.refs), n };
        for (size_t i = 0; i < n; i++) {
            w.refs[i].ip = jobs[i].ip;
            w.refs[i].hostname = mm_xasprintf("agent-%s", strrchr(jobs[i].name, '-') + 1);
        }
        report(&c, MM_EVENT_PROGRESS, "Waiting (up to %ld s) for the master to count the new agent%s", timeout,
               n == 1 ? "" : "s");
        char *what = mm_xasprintf("the master to count %zu new agent%s active", n, n == 1 ? "" : "s");
        mm_error we = { MM_ERR_NONE, NULL };
        if (mm_wait_for(rc, agents_active, &w, what, timeout * 1000, &we) != 0) {
            code = we.code;
            mm_sb_adds(&fail, we.message);
            /* Say so when a new agent is not running any more. */
            for (size_t i = 0; i < n && code == MM_ERR_TIMEOUT; i++) {
                cJSON *ins = NULL;
                char *st = NULL, *w2 = NULL;
                if (mm_docker_inspect(jobs[i].d, jobs[i].id, &ins, &w2) == 0)
                    mm_docker_inspect_net(ins, NULL, NULL, &st);
                if (!st || strcmp(st, "running") != 0) {
                    char *tail = log_tail(jobs[i].d, jobs[i].id, jobs[i].name);
                    mm_sb_addf(&fail, "\ncontainer %s (agent) is %s%s", jobs[i].name, st ? st : "gone", tail);
                    free(tail);
                    code = MM_ERR_CONTAINER;
                }
                free(st);
                free(w2);
                cJSON_Delete(ins);
            }
        } else {
            report(&c, MM_EVENT_PROGRESS, "Master counts the new agent%s active", n == 1 ? "" : "s");
        }
        mm_error_free(&we);
        free(what);
        for (size_t i = 0; i < n; i++)
            free(w.refs[i].hostname);
        free(w.refs);
    }
    if (code != MM_ERR_NONE) {
        size_t created = 0;
        for (size_t i = 0; i < n; i++)
            created += jobs[i].id != NULL;
        size_t removed = roll_back(&c, jobs, n, &fail);
        if (created)
            mm_sb_addf(&fail, "\nremoved the %zu agent%s this add created", removed, removed == 1 ? "" : "s");
        mm_error_set(err, code, mm_sb_detach(&fail));
        goto out;
    }
    mm_sb_free(&fail);
    ret = 0;
out:
    if (ret != MM_NO_CLUSTER && c.d.base) {
        mm_error e2 = { MM_ERR_NONE, NULL };
        refresh_with(&c.d, rc, &e2);
        mm_error_free(&e2);
    }
    if (ret == 0)
        report(&c, MM_EVENT_PROGRESS, "Cluster %s has %zu agents (%zu running)", rc->cluster_id,
               count_role(rc, "agent", false), count_role(rc, "agent", true));
    for (size_t i = 0; jobs && i < n; i++) {
        free(jobs[i].name);
        free(jobs[i].image);
        free(jobs[i].body);
        free(jobs[i].id);
        free(jobs[i].ip);
        free(jobs[i].err);
    }
    free(jobs);
    for (size_t i = 0; i < n_engines; i++)
        free(engines[i]);
    free(engines);
    free(network);
    mm_cluster_free(model);
    end(&c);
    return ret;
}

/* ---- a member stopped or started ---- */

/* How the messages name a member: "agent 1 (minimesos-agent-...)", "master
 * (minimesos-master-...)". first: the words open a sentence, where an agent
 * is "Agent 1 (...)" (a role keeps its lower-case name there). malloc'd. */
typedef char *(*member_words)(const mm_member *m, bool first);

static char *agent_words(const mm_member *m, bool first)
{
    return mm_xasprintf("%s %d (%s)", first ? "Agent" : "agent", m->agent, m->name);
}

static char *role_words(const mm_member *m, bool first)
{
    (void)first;
    return mm_xasprintf("%s (%s)", m->role, m->name);
}

/* Stop m; one that is not running is said so and left as it is. */
static int stop_member(ctl *c, const mm_member *m, member_words words, mm_error *err)
{
    if (!is_running(m)) {
        char *who = words(m, true);
        report(c, MM_EVENT_PROGRESS, "%s is not running (%s)", who, m->state);
        free(who);
        return 0;
    }
    char *who = words(m, false), *why = NULL;
    int ret = 0;
    if (mm_docker_stop(mm_container_engine(&c->d, m->container_id), m->container_id, STOP_GRACE_S, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, mm_xasprintf("%s: %s", who, why));
        free(why);
        ret = -1;
    } else {
        report(c, MM_EVENT_PROGRESS, "Stopped %s", who);
    }
    free(who);
    return ret;
}

/* The first half of a start, the same for an agent and a role: start m
 * unless it runs, then read the cluster afresh. That replaces rc's members,
 * so m is not valid afterwards: who (its words, taken before) names it in
 * the error. How the caller finds it again differs (an agent by its
 * container id, a role by its role), and so does what it then checks and
 * waits for. 0, or -1 or MM_NO_CLUSTER with err. */
static int start_member(ctl *c, const mm_member *m, const char *who, mm_error *err)
{
    char *why = NULL;
    if (!is_running(m) && mm_docker_start(mm_container_engine(&c->d, m->container_id), m->container_id, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, mm_xasprintf("%s: %s", who, why));
        free(why);
        return -1;
    }
    return refresh_with(&c->d, c->rc, err);
}

/* The error of a member that does not run right after its start (now: as
 * the refresh found it, or NULL when it is gone), with the end of the log of
 * container cid (none when cid is NULL). */
static void not_started(ctl *c, const char *who, const mm_member *now, const char *cid, const char *name,
                        mm_error *err)
{
    char *tail = cid ? log_tail(mm_container_engine(&c->d, cid), cid, name) : mm_xstrdup("");
    mm_error_set(err, MM_ERR_CONTAINER,
                 mm_xasprintf("%s is %s right after its start%s", who, now ? now->state : "gone", tail));
    free(tail);
}

/* ---- agents stopped, started, removed ---- */

static int agent_stop(ctl *c, mm_member *m, mm_error *err)
{
    return stop_member(c, m, agent_words, err);
}

int mm_agent_stop(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err)
{
    return with_member(rc, id, o, err, find_agent, agent_stop, true);
}

static int agent_start(ctl *c, mm_member *m, mm_error *err)
{
    mm_running *rc = c->rc;
    /* Copies: start_member replaces rc's members. */
    char *cid = mm_xstrdup(m->container_id), *name = mm_xstrdup(m->name), *who = agent_words(m, false);
    int number = m->agent;
    int ret = start_member(c, m, who, err);
    if (ret != 0)
        goto out;
    ret = -1;
    m = NULL;
    for (size_t i = 0; i < rc->n_members && !m; i++)
        if (strcmp(rc->members[i].container_id, cid) == 0)
            m = &rc->members[i];
    /* An agent needs its IP (the master counts it by it); the log is its
     * container's even when the refresh did not list it. */
    if (!is_running(m) || !m->ip) {
        not_started(c, who, m, cid, name, err);
        goto out;
    }
    report(c, MM_EVENT_PROGRESS, "Started %s at %s", who, m->ip);
    long timeout = timeout_of(c, NULL);
    if (timeout != 0) {
        const mm_member *master = mm_running_role(rc, "master");
        if (!is_running(master)) {
            mm_error_set(err, MM_ERR_CONTAINER,
                         mm_xasprintf("agent %d runs, but the master of cluster %s is not running (%s): it cannot "
                                      "count the agent", number, rc->cluster_id, master ? master->state : "none"));
            goto out;
        }
        agent_ref ref = { m->ip, mm_agent_hostname(m) };
        agents_wait w = { &ref, 1 };
        char *what = mm_xasprintf("the master to count agent %d active", number);
        report(c, MM_EVENT_PROGRESS, "Waiting (up to %ld s) for the master to count agent %d", timeout, number);
        int wr = mm_wait_for(rc, agents_active, &w, what, timeout * 1000, err);
        free(what);
        free(ref.hostname);
        if (wr != 0)
            goto out;
        report(c, MM_EVENT_PROGRESS, "Master counts agent %d active", number);
    }
    ret = 0;
out:
    free(cid);
    free(name);
    free(who);
    return ret;
}

int mm_agent_start(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err)
{
    return with_member(rc, id, o, err, find_agent, agent_start, false);
}

static int agent_remove(ctl *c, mm_member *m, mm_error *err)
{
    char *who = agent_words(m, false), *why = NULL;
    int ret = -1;
    if (count_role(c->rc, "agent", false) <= 1) {
        mm_error_set(err, MM_ERR_REFUSED,
                     mm_xasprintf("%s is the last agent of cluster %s: a cluster keeps one (destroy removes the "
                                  "whole cluster)", who, c->rc->cluster_id));
    } else if (mm_docker_remove(mm_container_engine(&c->d, m->container_id), m->container_id, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, mm_xasprintf("%s: %s", who, why));
        free(why);
    } else {
        report(c, MM_EVENT_PROGRESS, "Removed %s", who);
        ret = 0;
    }
    free(who);
    return ret;
}

int mm_agent_remove(mm_running *rc, const char *id, const mm_control_options *o, mm_error *err)
{
    return with_member(rc, id, o, err, find_agent, agent_remove, true);
}

/* ---- the other roles ---- */

static const char *const control_roles[] = { "master", "marathon", "zookeeper", "consul", "registrator", "mesosdns" };

/* The member of a role a caller may stop or start; NULL with err. */
static mm_member *find_role(mm_running *rc, const char *role, mm_error *err)
{
    bool known = false;
    for (size_t i = 0; role && i < sizeof control_roles / sizeof *control_roles; i++)
        known |= strcmp(role, control_roles[i]) == 0;
    if (known)
        for (size_t i = 0; i < rc->n_members; i++)
            if (strcmp(rc->members[i].role, role) == 0)
                return &rc->members[i];
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (size_t i = 0; i < rc->n_members; i++) {
        const char *r = rc->members[i].role;
        if (strcmp(r, "agent") != 0 && mm_running_role(rc, r) == &rc->members[i])
            mm_sb_addf(&sb, "%s%s", sb.len ? ", " : "", r);
    }
    if (role && strcmp(role, "agent") == 0)
        mm_error_set(err, MM_ERR_NOT_FOUND,
                     mm_xasprintf("agents are stopped and started one by one, by number or id (agent stop ID); "
                                  "the roles of cluster %s: %s", rc->cluster_id, sb.buf));
    else if (known)
        mm_error_set(err, MM_ERR_NOT_FOUND, mm_xasprintf("cluster %s has no %s; its roles: %s", rc->cluster_id, role,
                                                         sb.buf));
    else
        mm_error_set(err, MM_ERR_NOT_FOUND,
                     mm_xasprintf("no role '%s' in cluster %s; its roles: %s", role ? role : "", rc->cluster_id,
                                  sb.buf));
    mm_sb_free(&sb);
    return NULL;
}

static int role_stop(ctl *c, mm_member *m, mm_error *err)
{
    return stop_member(c, m, role_words, err);
}

int mm_role_stop(mm_running *rc, const char *role, const mm_control_options *o, mm_error *err)
{
    return with_member(rc, role, o, err, find_role, role_stop, true);
}

/* After ZooKeeper, Consul or Mesos-DNS started again: does every container
 * that reaches it by IP still find it there? NULL, or the message. */
static char *moved_message(ctl *c, const mm_member *m)
{
    if (strcmp(m->role, "zookeeper") != 0 && strcmp(m->role, "consul") != 0 && strcmp(m->role, "mesosdns") != 0)
        return NULL;
    for (size_t i = 0; i < c->rc->n_members; i++) {
        const mm_member *o = &c->rc->members[i];
        if (o == m)
            continue;
        cJSON *ins = NULL;
        char *why = NULL;
        if (mm_docker_inspect(mm_container_engine(&c->d, o->container_id), o->container_id, &ins, &why) != 0) {
            free(why);
            continue;
        }
        char *old = mm_referenced_ip(ins, m->role);
        cJSON_Delete(ins);
        if (old && m->ip && strcmp(old, m->ip) != 0) {
            /* `up` recreates what points at the old address (reconcile.c),
             * on one engine or across a swarm. */
            char *hint = mm_xasprintf("run `minimesos up` in %s to recreate the containers that point at "
                                      "the old address", c->rc->dir);
            char *msg = mm_xasprintf("%s (%s) runs again, at %s, but %s (%s) was created to reach it at %s (the "
                                     "engine gave that address to another container meanwhile): the cluster "
                                     "cannot reach its %s; %s",
                                     m->role, m->name, m->ip, o->name, o->role, old, m->role, hint);
            free(hint);
            free(old);
            return msg;
        }
        free(old);
    }
    return NULL;
}

static int role_start(ctl *c, mm_member *m, mm_error *err)
{
    mm_running *rc = c->rc;
    /* Copies: start_member replaces rc's members. */
    char *role = mm_xstrdup(m->role), *name = mm_xstrdup(m->name), *who = role_words(m, false);
    bool was_running = is_running(m);
    int ret = start_member(c, m, who, err);
    if (ret != 0)
        goto out;
    ret = -1;
    m = (mm_member *)mm_running_role(rc, role);
    if (!is_running(m)) {
        not_started(c, who, m, m ? m->container_id : NULL, name, err);
        goto out;
    }
    if (!was_running)
        report(c, MM_EVENT_PROGRESS, "Started %s (%s)%s%s", m->role, m->name, m->ip ? " at " : "",
               m->ip ? m->ip : "");
    char *moved = moved_message(c, m);
    if (moved) {
        mm_error_set(err, MM_ERR_CONTAINER, moved);
        goto out;
    }
    long timeout = timeout_of(c, NULL);
    int wr = 0;
    if (timeout != 0 && strcmp(role, "master") == 0) {
        long agents = (long)count_role(rc, "agent", true);
        report(c, MM_EVENT_PROGRESS, "Waiting (up to %ld s) for the master to count %ld agent%s", timeout, agents,
               agents == 1 ? "" : "s");
        char *what = mm_xasprintf("the master to answer and count %ld agent%s", agents, agents == 1 ? "" : "s");
        wr = mm_wait_for(rc, master_counts, &agents, what, timeout * 1000, err);
        free(what);
        if (wr == 0)
            report(c, MM_EVENT_PROGRESS, "Master ready: %ld agent%s active", agents, agents == 1 ? "" : "s");
    } else if (timeout != 0 && strcmp(role, "marathon") == 0) {
        report(c, MM_EVENT_PROGRESS, "Waiting (up to %ld s) for Marathon to answer", timeout);
        wr = mm_wait_for(rc, marathon_answers, NULL, "Marathon to answer", timeout * 1000, err);
        if (wr == 0)
            report(c, MM_EVENT_PROGRESS, "Marathon ready");
    }
    if (wr == 0)
        ret = 0;
out:
    free(role);
    free(name);
    free(who);
    return ret;
}

int mm_role_start(mm_running *rc, const char *role, const mm_control_options *o, mm_error *err)
{
    return with_member(rc, role, o, err, find_role, role_start, false);
}
