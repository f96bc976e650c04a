/* `up` on a running cluster: compare what runs with the plan of the file,
 * print the changes, make them.
 *
 * What runs is read from the containers' labels: role, agent number and
 * org.minimesos.spec, the digest of the container's create request that the
 * plan puts there (plan.h). The plan of the file is built with the same
 * cluster id; a plan entry whose digest equals a running container's of the
 * same role (and agent number) is that container, kept as it is. The diff is
 * a pure function (mm_reconcile_diff, unit-tested); applying it removes what
 * goes, then lets the executor create the rest in dependency order, with the
 * kept containers counted as running, and wait until the cluster is ready. */
#include "engine/reconcile.h"
#include "engine/record.h"
#include "minimesos/cluster.h"
#include "minimesos/plan.h"
#include "minimesos/runtime.h"
#include "base/util.h"
#include "base/parallel.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* ---- the diff (pure) ---- */

static const char *spec_label(const mm_container_spec *s)
{
    size_t n = strlen(MM_LABEL_SPEC);
    for (size_t i = 0; i < s->labels.n; i++)
        if (strncmp(s->labels.items[i], MM_LABEL_SPEC, n) == 0 && s->labels.items[i][n] == '=')
            return s->labels.items[i] + n + 1;
    return NULL;
}

static bool is_agent(const char *role)
{
    return strcmp(role, "agent") == 0;
}

/* Removals in reverse start order: later roles first, higher agents first. */
static int after(const mm_rc_have *a, const mm_rc_have *b)
{
    int ra = mm_role_rank(a->role), rb = mm_role_rank(b->role);
    if (ra != rb)
        return ra > rb;
    return a->agent > b->agent;
}

/* Why a container whose spec changed differs, as far as its environment
 * tells: "MESOS_LOGGING_LEVEL INFO → WARNING", "+FOO=1" (at most two, then
 * "..."); NULL when the environment does not show it (or is not known).
 * Values holding another container's IP are not compared: that is the
 * cascade's business. */
static char *env_reason(const mm_rc_have *o, const mm_container_spec *s)
{
    if (!o->env)
        return NULL;
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < s->env.n; i++) {
        const mm_plan_value *v = &s->env.items[i];
        const char *eq = strchr(v->text, '=');
        if (v->n_refs || !eq)
            continue;
        size_t klen = (size_t)(eq - v->text);
        const char *old = NULL;
        for (const char *const *e = o->env; *e && !old; e++)
            if (strncmp(*e, v->text, klen + 1) == 0)
                old = *e + klen + 1;
        if (old && strcmp(old, eq + 1) == 0)
            continue;
        if (shown == 2) {
            more++;
            continue;
        }
        if (shown++)
            mm_sb_adds(&sb, ", ");
        if (old)
            mm_sb_addf(&sb, "%.*s %s → %s", (int)klen, v->text, *old ? old : "''", eq[1] ? eq + 1 : "''");
        else
            mm_sb_addf(&sb, "+%s", v->text);
    }
    if (more)
        mm_sb_adds(&sb, ", ...");
    if (!shown) {
        mm_sb_free(&sb);
        return NULL;
    }
    return mm_sb_detach(&sb);
}

/* The IP o was created to reach role at, or NULL when not known. */
static const char *ref_ip(const mm_rc_have *o, const char *role)
{
    for (size_t i = 0; i < o->n_refs; i++)
        if (o->refs[i].role && o->refs[i].ip && strcmp(o->refs[i].role, role) == 0)
            return o->refs[i].ip;
    return NULL;
}

mm_rc_diff *mm_reconcile_diff(const mm_rc_have *have, size_t n_have, const mm_plan *plan)
{
    mm_rc_diff *d = mm_xcalloc(1, sizeof *d);
    d->n_plan = plan->n;
    d->kept = mm_xcalloc(plan->n ? plan->n : 1, sizeof *d->kept);
    d->actions = mm_xcalloc(n_have + plan->n + 1, sizeof *d->actions);
    size_t *match = mm_xcalloc(plan->n ? plan->n : 1, sizeof *match);
    bool *used = mm_xcalloc(n_have ? n_have : 1, sizeof *used);
    bool *created = mm_xcalloc(plan->n ? plan->n : 1, sizeof *created);

    /* Pair plan entries with running containers: same role, and for agents
     * the same number as the plan's agent index. */
    for (size_t w = 0; w < plan->n; w++) {
        const mm_container_spec *s = &plan->containers[w];
        match[w] = MM_RC_NONE;
        for (size_t h = 0; h < n_have && match[w] == MM_RC_NONE; h++) {
            if (used[h] || strcmp(have[h].role, s->role) != 0)
                continue;
            if (is_agent(s->role) && have[h].agent != s->agent_index)
                continue;
            match[w] = h;
            used[h] = true;
        }
    }

    /* Removals: running containers the plan has no place for. */
    size_t n_rm = 0;
    size_t *rm = mm_xcalloc(n_have ? n_have : 1, sizeof *rm);
    for (size_t h = 0; h < n_have; h++)
        if (!used[h])
            rm[n_rm++] = h;
    for (size_t i = 1; i < n_rm; i++) /* insertion sort: a handful */
        for (size_t k = i; k > 0 && after(&have[rm[k]], &have[rm[k - 1]]); k--) {
            size_t t = rm[k];
            rm[k] = rm[k - 1];
            rm[k - 1] = t;
        }
    for (size_t i = 0; i < n_rm; i++) {
        mm_rc_action *a = &d->actions[d->n++];
        a->kind = MM_RC_REMOVE;
        a->role = have[rm[i]].role;
        a->agent = is_agent(a->role) ? have[rm[i]].agent : -1;
        a->have = rm[i];
        a->want = MM_RC_NONE;
    }
    free(rm);

    /* In start order: what is added, recreated or kept. What a container
     * depends on comes before it, so one pass sees every cascade. */
    for (size_t w = 0; w < plan->n; w++) {
        const mm_container_spec *s = &plan->containers[w];
        d->kept[w] = MM_RC_NONE;
        size_t h = match[w];
        char *reason = NULL;
        if (h != MM_RC_NONE) {
            const mm_rc_have *o = &have[h];
            const char *want = spec_label(s);
            if (!o->spec)
                reason = mm_xstrdup("no spec label: not made by this up, but by an older minimesos or compose");
            else if (!want || strcmp(o->spec, want) != 0) {
                reason = o->image && strcmp(o->image, s->image) != 0
                             ? mm_xasprintf("image %s → %s", o->image, s->image)
                             : env_reason(o, s);
                if (!reason)
                    reason = mm_xstrdup("settings changed");
            }
            else if (!o->state || strcmp(o->state, "running") != 0)
                reason = mm_xasprintf("it is %s", o->state ? o->state : "gone");
            /* What it points at, in its order: created anew, or kept but
             * no longer at the IP this one was created with. */
            for (size_t k = 0; !reason && k < s->depends.n; k++) {
                const char *role = s->depends.items[k], *old = ref_ip(o, role);
                for (size_t v = 0; v < w && !reason; v++) {
                    if (strcmp(plan->containers[v].role, role) != 0)
                        continue;
                    const char *now = d->kept[v] != MM_RC_NONE ? have[d->kept[v]].ip : NULL;
                    if (created[v])
                        reason = mm_xasprintf("%s %s", role, match[v] == MM_RC_NONE ? "added" : "recreated");
                    else if (old && now && strcmp(old, now) != 0)
                        reason = mm_xasprintf("%s moved %s → %s", role, old, now);
                }
            }
            if (!reason) {
                d->kept[w] = h;
                continue;
            }
        }
        created[w] = true;
        mm_rc_action *a = &d->actions[d->n++];
        a->kind = h == MM_RC_NONE ? MM_RC_ADD : MM_RC_RECREATE;
        a->role = s->role;
        a->agent = s->agent_index;
        a->have = h;
        a->want = w;
        a->reason = reason;
    }
    free(match);
    free(used);
    free(created);
    return d;
}

void mm_rc_diff_free(mm_rc_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->actions[i].reason);
    free(d->actions);
    free(d->kept);
    free(d);
}

/* "agent 2" or "master". */
static void add_what(strbuf *sb, const mm_rc_action *a)
{
    if (a->agent >= 0)
        mm_sb_addf(sb, "%s %d", a->role, a->agent);
    else
        mm_sb_adds(sb, a->role);
}

static void add_line(strbuf *sb, const mm_rc_action *a)
{
    static const char mark[] = { [MM_RC_REMOVE] = '-', [MM_RC_RECREATE] = '~', [MM_RC_ADD] = '+' };
    mm_sb_addf(sb, "%c ", mark[a->kind]);
    add_what(sb, a);
    if (a->kind == MM_RC_RECREATE)
        mm_sb_addf(sb, " (%s): recreate", a->reason ? a->reason : "changed");
}

char *mm_reconcile_lines(const mm_rc_diff *d)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (size_t i = 0; i < d->n; i++) {
        if (i)
            mm_sb_adds(&sb, "\n");
        add_line(&sb, &d->actions[i]);
    }
    return mm_sb_detach(&sb);
}

char *mm_reconcile_json(const mm_rc_diff *d, const char *cluster_id)
{
    static const char *const kind[] = { [MM_RC_REMOVE] = "remove", [MM_RC_RECREATE] = "recreate",
                                        [MM_RC_ADD] = "add" };
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "clusterId", cluster_id);
    cJSON_AddBoolToObject(root, "upToDate", d->n == 0);
    cJSON *arr = cJSON_AddArrayToObject(root, "changes");
    for (size_t i = 0; i < d->n; i++) {
        const mm_rc_action *a = &d->actions[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "change", kind[a->kind]);
        cJSON_AddStringToObject(o, "role", a->role);
        if (a->agent >= 0)
            cJSON_AddNumberToObject(o, "agent", a->agent);
        if (a->kind == MM_RC_RECREATE)
            cJSON_AddStringToObject(o, "reason", a->reason ? a->reason : "changed");
        strbuf sb = STRBUF_INIT;
        mm_sb_adds(&sb, "");
        add_line(&sb, a);
        cJSON_AddStringToObject(o, "line", sb.buf);
        mm_sb_free(&sb);
        cJSON_AddItemToArray(arr, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

/* ---- applying it ---- */

static void emit(const mm_up_options *o, mm_event_kind kind, const char *msg)
{
    if (!o->on_event)
        return;
    mm_event ev = { .kind = kind, .message = msg };
    o->on_event(&ev, o->event_user);
}

static const char *str_of(const cJSON *c, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The plan of c for the running cluster: its id, uuids[i] where given (the
 * kept containers'), fresh ones elsewhere. NULL with *why. */
static mm_plan *plan_with(const mm_cluster *c, const mm_up_options *o, const char *cluster_id, char **uuids,
                          size_t n, char **why)
{
    char **u = mm_xcalloc(n ? n : 1, sizeof *u);
    for (size_t i = 0; i < n; i++) {
        if (uuids && uuids[i]) {
            u[i] = mm_xstrdup(uuids[i]);
            continue;
        }
        bool dup;
        do { /* unique among the plan's, the kept ones included */
            free(u[i]);
            u[i] = mm_xasprintf("%u", mm_random_u32());
            dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = k != i && ((u[k] && strcmp(u[k], u[i]) == 0) ||
                                 (uuids && uuids[k] && strcmp(uuids[k], u[i]) == 0));
        } while (dup);
    }
    mm_plan_options po = { .cluster_id = cluster_id, .uuids = (const char *const *)u, .n_uuids = n,
                           .num_agents = o->num_agents, .map_ports_to_host = o->map_ports_to_host,
                           .bind_address = o->bind_address };
    mm_plan *p = mm_plan_build(c, &po, why);
    for (size_t i = 0; i < n; i++)
        free(u[i]);
    free(u);
    if (p && o->timeout > 0)
        p->timeout = (int)o->timeout;
    return p;
}

/* Every image the new containers need, present or pulled as o->pull allows,
 * on the engine that needs it (engine_of, per plan position). Nothing is
 * changed yet: on failure the message says so. */
static int check_images(mm_docker *const *engine_of, const char *const *engines, const size_t *node_of,
                        const mm_plan *p, const mm_rc_diff *df, const mm_up_options *o, const char *cluster_id,
                        mm_error *err)
{
    for (size_t i = 0; i < df->n; i++) {
        size_t w = df->actions[i].want;
        if (w == MM_RC_NONE)
            continue;
        const char *ref = p->containers[w].image;
        mm_docker *d = engine_of[w];
        bool seen = false;
        for (size_t k = 0; k < i; k++) {
            size_t v = df->actions[k].want;
            seen |= v != MM_RC_NONE && strcmp(p->containers[v].image, ref) == 0 && engine_of[v] == d;
        }
        if (seen)
            continue;
        /* Across a swarm, the engine is named: the same image may be
         * present on one and missing on another. */
        char *on = engines ? mm_xasprintf(" on %s", engines[node_of[w]]) : mm_xstrdup("");
        bool exists = false;
        char *why = NULL;
        int rc = 0;
        if (o->pull != MM_PULL_ALWAYS && mm_docker_image_exists(d, ref, &exists, &why) != 0) {
            mm_error_set(err, MM_ERR_ENGINE, mm_xasprintf("cluster %s left as it was: %s", cluster_id, why));
            rc = -1;
        } else if (!exists && o->pull == MM_PULL_NEVER) {
            mm_error_set(err, MM_ERR_IMAGE, mm_xasprintf("cluster %s left as it was: image %s is missing%s "
                                                         "(for %s; --pull is never)", cluster_id, ref, on,
                                                         df->actions[i].role));
            rc = -1;
        } else if (!exists) {
            char *msg = mm_xasprintf("Pulling image %s%s", ref, on);
            if (o->on_event) {
                mm_event ev = { .kind = MM_EVENT_PULL, .message = msg, .image = ref };
                o->on_event(&ev, o->event_user);
            }
            free(msg);
            if (mm_docker_pull(d, ref, NULL, NULL, &why) != 0) {
                mm_error_set(err, mm_interrupted() ? MM_ERR_INTERRUPTED : MM_ERR_IMAGE,
                             mm_xasprintf("cluster %s left as it was: image %s is missing%s (for %s) and could "
                                          "not be pulled: %s", cluster_id, ref, on, df->actions[i].role, why));
                rc = -1;
            }
        }
        free(why);
        free(on);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The uuid of a container name, minimesos-<role>-<cluster>-<uuid>. */
static char *uuid_of(const char *name)
{
    const char *dash = name ? strrchr(name, '-') : NULL;
    return dash && dash[1] ? mm_xstrdup(dash + 1) : NULL;
}

/* What the list does not say about a container, from its inspect: its
 * environment (to name changed variables) and the IPs it was created to
 * reach the roles it depends on at (to see one that moved). One job of
 * mm_parallel per container; each writes only its own slots. */
typedef struct {
    mm_docker *const *d;    /* per have: the engine that has it */
    const mm_rc_have *have;
    const mm_plan *plan;
    const size_t *which;    /* per job: the index in have */
    const size_t *want;     /* per job: its plan position, or MM_RC_NONE (no refs wanted) */
    char ***envs;           /* per have, NULL-terminated */
    mm_rc_ref **refs;       /* per have, n_refs[h] of them */
    size_t *n_refs;
} inspect_ctx;

static void inspect_one(size_t i, void *arg)
{
    inspect_ctx *x = arg;
    size_t h = x->which[i];
    cJSON *ins = NULL;
    char *why = NULL;
    if (mm_docker_inspect(x->d[h], x->have[h].id, &ins, &why) != 0) {
        free(why); /* gone meanwhile: the diff goes on without it */
        return;
    }
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ins, "Config"), "Env");
    size_t m = 0;
    x->envs[h] = mm_xcalloc((size_t)cJSON_GetArraySize(env) + 1, sizeof *x->envs[h]);
    const cJSON *v;
    cJSON_ArrayForEach(v, env)
        if (cJSON_IsString(v))
            x->envs[h][m++] = mm_xstrdup(v->valuestring);
    if (x->want[i] != MM_RC_NONE) {
        const mm_plan_list *dep = &x->plan->containers[x->want[i]].depends;
        x->refs[h] = mm_xcalloc(dep->n ? dep->n : 1, sizeof *x->refs[h]);
        for (size_t k = 0; k < dep->n; k++) {
            char *ip = mm_referenced_ip(ins, dep->items[k]);
            if (ip)
                x->refs[h][x->n_refs[h]++] = (mm_rc_ref){ .role = dep->items[k], .ip = ip };
        }
    }
    cJSON_Delete(ins);
}

int mm_reconcile_run(mm_docker *d, const mm_cluster *c, const mm_up_options *o, mm_running *rc,
                     bool dry_run, bool json, char **lines, mm_error *err)
{
    int ret = -1;
    cJSON *list = NULL;
    char *why = NULL, *text = NULL, *config_path = NULL;
    mm_rc_have *have = NULL;
    mm_plan *plan = NULL, *final = NULL;
    mm_rc_diff *df = NULL;
    char **uuids = NULL, **ids = NULL, **ips = NULL, ***envs = NULL;
    mm_rc_ref **refs = NULL;
    size_t *n_refs = NULL;
    bool *removed = NULL;
    mm_docker **hd = NULL, **wd = NULL; /* the engine of each have, of each plan position */
    mm_docker **eh = NULL;              /* across a swarm: the handle of each engine, by number */
    size_t *node_of = NULL;
    char **engines = NULL;
    size_t n_engines = 0;
    char *network = NULL;
    char *cid = mm_xstrdup(rc->cluster_id); /* rc is replaced below */
    if (lines)
        *lines = NULL;

    /* A cluster across a swarm: every engine of its record, as d's nodes. */
    if (mm_engine_add_recorded(d, rc->dir, &engines, &n_engines, err) != 0) {
        free(cid);
        return -1;
    }
    if (mm_find_containers(d, rc->dir, cid, true, &list, NULL, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why);
        why = NULL;
        goto out;
    }
    size_t n_have = (size_t)cJSON_GetArraySize(list), k = 0;
    have = mm_xcalloc(n_have ? n_have : 1, sizeof *have);
    hd = mm_xcalloc(n_have ? n_have : 1, sizeof *hd);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *role = mm_label_of(e, MM_LABEL_ROLE), *ag = mm_label_of(e, MM_LABEL_AGENT);
        /* Its own name: a container that others link to also lists
         * "/<other>/<alias>" among its names. */
        const char *name = "";
        const cJSON *nm;
        cJSON_ArrayForEach(nm, cJSON_GetObjectItemCaseSensitive(e, "Names"))
            if (cJSON_IsString(nm) && !strchr(nm->valuestring + 1, '/'))
                name = nm->valuestring;
        have[k] = (mm_rc_have){ .role = role ? role : "unknown", .agent = ag ? atoi(ag) : -1,
                                .spec = mm_label_of(e, MM_LABEL_SPEC), .image = str_of(e, "Image"),
                                .state = str_of(e, "State"), .id = str_of(e, "Id"),
                                .name = name[0] == '/' ? name + 1 : name };
        for (size_t m = 0; have[k].id && m < rc->n_members; m++)
            if (strcmp(rc->members[m].container_id, have[k].id) == 0)
                have[k].ip = rc->members[m].ip;
        hd[k] = mm_node_of(d, e);
        if (have[k].id)
            k++;
    }
    n_have = k;

    /* A cluster across a swarm is changed on its own engines: the new
     * containers go where up --swarm would put them (--place included),
     * on its overlay network; kept ones stay where they are. It is not
     * moved: not from one engine onto a swarm, nor to other engines. */
    bool swarm_cluster = n_engines > 0;
    cJSON_ArrayForEach(e, list)
        swarm_cluster |= mm_label_of(e, MM_LABEL_NODE) != NULL;
    if (o->swarm && !swarm_cluster) {
        mm_error_set(err, MM_ERR_REFUSED,
                     mm_xasprintf("cluster %s already runs on one engine: up --swarm does not move a running "
                                  "cluster onto a swarm; nothing changed (destroy it, then up --swarm)", cid));
        goto out;
    }
    if (swarm_cluster && n_engines == 0) {
        char *path = mm_record_path(rc->dir);
        mm_error_set(err, MM_ERR_REFUSED,
                     mm_xasprintf("cluster %s runs across a swarm, but %s lists none of its engines: up cannot "
                                  "tell where new containers go; nothing changed", cid, path));
        free(path);
        goto out;
    }
    if (swarm_cluster && o->n_engines) {
        bool same = o->n_engines == n_engines;
        for (size_t i = 0; same && i < n_engines; i++)
            same = strcmp(o->engines[i], engines[i]) == 0;
        if (!same) {
            char *has = mm_join((const char *const *)engines, n_engines, " ");
            char *asked = mm_join(o->engines, o->n_engines, " ");
            mm_error_set(err, MM_ERR_REFUSED,
                         mm_xasprintf("cluster %s runs on the engines %s, not on %s: up does not move a running "
                                      "cluster to other engines; nothing changed (leave out --engine, or destroy "
                                      "it first)", cid, has, asked));
            free(has);
            free(asked);
            goto out;
        }
    }

    size_t n = mm_plan_count(c, o->num_agents);
    plan = plan_with(c, o, cid, NULL, n, &why);
    if (!plan) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        why = NULL;
        goto out;
    }
    df = mm_reconcile_diff(have, n_have, plan);
    /* The plan again, every container paired with a running one under that
     * one's name (a kept one must keep it: a new agent links to the kept
     * ZooKeeper by name; a recreated one takes it over, so its host name
     * and paths stay and only what changed shows), fresh names elsewhere.
     * The pairs do not depend on names: the second diff has the same
     * actions. */
    uuids = mm_xcalloc(plan->n ? plan->n : 1, sizeof *uuids);
    for (size_t w = 0; w < plan->n; w++)
        uuids[w] = df->kept[w] != MM_RC_NONE ? uuid_of(have[df->kept[w]].name) : NULL;
    for (size_t i = 0; i < df->n; i++)
        if (df->actions[i].kind == MM_RC_RECREATE)
            uuids[df->actions[i].want] = uuid_of(have[df->actions[i].have].name);
    for (size_t w = 0; w < plan->n; w++)
        if (!uuids[w])
            uuids[w] = mm_xstrdup(plan->containers[w].uuid);
    final = plan_with(c, o, cid, uuids, plan->n, &why);
    if (!final) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        why = NULL;
        goto out;
    }
    mm_rc_diff_free(df);
    df = mm_reconcile_diff(have, n_have, final);
    /* Read, side by side, what the labels do not say (a second, cheap
     * diff): the environment of a container whose settings changed, to say
     * which variables; and, of each container kept that points at another
     * by IP, the IPs it was created with, to see that one moved (it was
     * started again and the engine gave it another address). */
    envs = mm_xcalloc(n_have ? n_have : 1, sizeof *envs);
    refs = mm_xcalloc(n_have ? n_have : 1, sizeof *refs);
    n_refs = mm_xcalloc(n_have ? n_have : 1, sizeof *n_refs);
    {
        size_t *which = mm_xcalloc(final->n + df->n + 1, sizeof *which);
        size_t *want = mm_xcalloc(final->n + df->n + 1, sizeof *want), nj = 0;
        for (size_t w = 0; w < final->n; w++)
            if (df->kept[w] != MM_RC_NONE && final->containers[w].depends.n) {
                which[nj] = df->kept[w];
                want[nj++] = w;
            }
        for (size_t i = 0; i < df->n; i++) {
            const mm_rc_action *a = &df->actions[i];
            if (a->kind == MM_RC_RECREATE && a->reason && strcmp(a->reason, "settings changed") == 0) {
                which[nj] = a->have;
                want[nj++] = MM_RC_NONE;
            }
        }
        inspect_ctx ctx = { hd, have, final, which, want, envs, refs, n_refs };
        mm_parallel(nj, MM_DOCKER_WORKERS, inspect_one, &ctx, NULL, NULL);
        free(which);
        free(want);
    }
    bool again = false;
    for (size_t h = 0; h < n_have; h++) {
        if (envs[h]) {
            have[h].env = (const char *const *)envs[h];
            again = true;
        }
        have[h].refs = refs[h];
        have[h].n_refs = n_refs[h];
        again |= n_refs[h] > 0;
    }
    if (again) {
        mm_rc_diff_free(df);
        df = mm_reconcile_diff(have, n_have, final);
    }
    /* Where each container of the final plan is, or goes (from the last
     * diff: whatever the reason, what is recreated is placed anew): a kept
     * one on its engine, even where --place would put it elsewhere; a new
     * one on the engine up --swarm gives it. */
    wd = mm_xcalloc(final->n ? final->n : 1, sizeof *wd);
    node_of = mm_xcalloc(final->n ? final->n : 1, sizeof *node_of);
    if (swarm_cluster && mm_plan_place(final, n_engines, o->place, o->n_place, node_of, &why) != 0) {
        mm_error_set(err, MM_ERR_CONFIG, why);
        why = NULL;
        goto out;
    }
    eh = mm_xcalloc(n_engines ? n_engines : 1, sizeof *eh);
    for (size_t i = 0; i < n_engines; i++) {
        size_t kk = 0;
        char *w = NULL;
        if (mm_engine_add_node(d, engines[i], &kk, &w) != 0) /* added above: found, cannot fail */
            free(w);
        eh[i] = mm_docker_node(d, kk);
    }
    for (size_t w = 0; w < final->n; w++) {
        size_t h = df->kept[w];
        for (size_t i = 0; h != MM_RC_NONE && i < n_engines; i++)
            if (hd[h] == eh[i])
                node_of[w] = i;
        wd[w] = h != MM_RC_NONE ? hd[h] : swarm_cluster ? eh[node_of[w]] : d;
    }
    if (df->n == 0) {
        char *msg = mm_xasprintf("Cluster %s is up to date", cid);
        if (lines)
            *lines = json ? mm_reconcile_json(df, cid) : mm_xstrdup(msg);
        mm_error_set(err, MM_ERR_ALREADY_RUNNING, msg);
        ret = MM_ALREADY_RUNNING;
        goto out;
    }
    text = mm_reconcile_lines(df);
    for (const char *p = text; !dry_run && *p;) {
        size_t len = strcspn(p, "\n");
        char *line = mm_xstrndup(p, len);
        emit(o, MM_EVENT_PLAN, line);
        free(line);
        p += len + (p[len] == '\n');
    }
    if (lines)
        *lines = json ? mm_reconcile_json(df, cid) : mm_xstrdup(text);
    if (dry_run) {
        ret = 0;
        goto out;
    }
    if (check_images(wd, swarm_cluster ? (const char *const *)engines : NULL, node_of, final, df, o, cid,
                     err) != 0)
        goto out;

    config_path = *final->config_path ? mm_xstrdup(final->config_path) : mm_xasprintf("the configuration in %s", rc->dir);
    {
        char *m = mm_xasprintf("Changing cluster %s (%zu change%s) as %s says", cid, df->n, df->n == 1 ? "" : "s",
                               config_path);
        emit(o, MM_EVENT_PROGRESS, m);
        free(m);
    }

    /* Remove what goes and what is recreated: later roles first. */
    removed = mm_xcalloc(df->n, sizeof *removed);
    strbuf fail = STRBUF_INIT;
    mm_error_code code = MM_ERR_NONE;
    for (int pass = 0; pass < 2 && code == MM_ERR_NONE; pass++) {
        for (size_t i = 0; i < df->n && code == MM_ERR_NONE; i++) {
            size_t ai = pass ? df->n - 1 - i : i; /* pass 1: recreations, last first */
            const mm_rc_action *a = &df->actions[ai];
            if ((pass == 0) != (a->kind == MM_RC_REMOVE) || a->have == MM_RC_NONE)
                continue;
            if (mm_interrupted()) {
                code = MM_ERR_INTERRUPTED;
                mm_sb_adds(&fail, "interrupted while removing containers");
                break;
            }
            if (mm_docker_remove(hd[a->have], have[a->have].id, &why) != 0) {
                code = MM_ERR_ENGINE;
                mm_sb_adds(&fail, why);
                free(why);
                why = NULL;
                break;
            }
            removed[ai] = true;
            char *m = mm_xasprintf("Removed %s", have[a->have].name);
            emit(o, MM_EVENT_PROGRESS, m);
            free(m);
        }
    }

    /* Create the rest, in dependency order, and wait until ready. */
    ids = mm_xcalloc(final->n ? final->n : 1, sizeof *ids);
    ips = mm_xcalloc(final->n ? final->n : 1, sizeof *ips);
    for (size_t w = 0; w < final->n; w++) {
        if (df->kept[w] == MM_RC_NONE)
            continue;
        const mm_rc_have *h = &have[df->kept[w]];
        ids[w] = mm_xstrdup(h->id);
        for (size_t m = 0; m < rc->n_members; m++)
            if (strcmp(rc->members[m].container_id, h->id) == 0 && rc->members[m].ip)
                ips[w] = mm_xstrdup(rc->members[m].ip);
    }
    mm_error xe = { MM_ERR_NONE, NULL };
    if (swarm_cluster)
        network = mm_overlay_name(cid);
    mm_exec_place place = { network, (const char *const *)engines, n_engines, node_of, wd };
    if (code == MM_ERR_NONE && mm_exec_start(d, final, ids, ips, swarm_cluster ? &place : NULL, config_path,
                                             o->on_event, o->event_user, &xe) != 0) {
        code = xe.code;
        mm_sb_adds(&fail, xe.message);
    }
    mm_error_free(&xe);

    /* The cluster as it is now. */
    mm_running *fresh = NULL;
    if (mm_running_build(d, rc->dir, cid, &fresh, &why) == 0) {
        mm_running tmp = *rc;
        *rc = *fresh;
        *fresh = tmp;
        mm_running_free(fresh);
    }
    free(why);
    why = NULL;

    /* Marathon new: deploy the configured apps and groups again. */
    bool marathon_new = false;
    for (size_t i = 0; i < df->n; i++)
        marathon_new |= df->actions[i].want != MM_RC_NONE && strcmp(df->actions[i].role, "marathon") == 0;
    for (int kind = 0; code == MM_ERR_NONE && marathon_new && c->marathon && kind < 2; kind++) {
        char **items = kind ? c->marathon->groups : c->marathon->apps;
        size_t cnt = kind ? c->marathon->n_groups : c->marathon->n_apps;
        for (size_t i = 0; i < cnt && code == MM_ERR_NONE; i++) {
            char *answer = NULL, *w = NULL;
            char *m = mm_xasprintf("Deploying %s %s", kind ? "group" : "app", items[i]);
            emit(o, MM_EVENT_PROGRESS, m);
            free(m);
            if (mm_marathon_install(rc, kind ? "group" : "app", items[i], c->dir, false, &answer, &w) != 0) {
                code = MM_ERR_CONTAINER;
                mm_sb_addf(&fail, "deploying Marathon %s %s: %s", kind ? "group" : "app", items[i],
                           w ? w : "failed");
            }
            free(answer);
            free(w);
        }
    }

    if (code != MM_ERR_NONE) {
        /* Say what was done and what not; the labels and the record stay
         * truthful, so destroy removes everything. */
        strbuf done = STRBUF_INIT, undone = STRBUF_INIT;
        mm_sb_adds(&done, "");
        mm_sb_adds(&undone, "");
        for (size_t i = 0; i < df->n; i++) {
            const mm_rc_action *a = &df->actions[i];
            bool made = a->kind == MM_RC_REMOVE ? removed[i] : ids[a->want] != NULL;
            strbuf *to = made ? &done : &undone;
            if (to->len)
                mm_sb_adds(to, ", ");
            add_line(to, a);
            if (a->kind == MM_RC_RECREATE && removed[i] && !made)
                mm_sb_adds(to, " (the old container is removed)");
        }
        mm_sb_addf(&fail, "\ncluster %s is changed in part: done: %s; not done: %s", cid,
                   done.len ? done.buf : "nothing", undone.len ? undone.buf : "nothing");
        mm_sb_addf(&fail, "\nrun `minimesos up` again to finish, or `minimesos destroy` in %s to remove it", rc->dir);
        mm_sb_free(&done);
        mm_sb_free(&undone);
        mm_error_set(err, code, mm_sb_detach(&fail));
        goto out;
    }
    mm_sb_free(&fail);
    {
        size_t add = 0, re = 0, rm = 0;
        for (size_t i = 0; i < df->n; i++) {
            add += df->actions[i].kind == MM_RC_ADD;
            re += df->actions[i].kind == MM_RC_RECREATE;
            rm += df->actions[i].kind == MM_RC_REMOVE;
        }
        char *m = mm_xasprintf("Minimesos cluster %s is ready: %zu added, %zu recreated, %zu removed, %zu kept", cid,
                               add, re, rm, final->n - add - re);
        emit(o, MM_EVENT_PROGRESS, m);
        free(m);
    }
    ret = 0;
out:
    if (uuids)
        for (size_t w = 0; w < plan->n; w++)
            free(uuids[w]);
    free(uuids);
    if (ids)
        for (size_t w = 0; w < final->n; w++) {
            free(ids[w]);
            free(ips[w]);
        }
    free(ids);
    free(ips);
    free(removed);
    free(config_path);
    free(text);
    free(why);
    mm_rc_diff_free(df);
    mm_plan_free(final);
    mm_plan_free(plan);
    for (size_t h = 0; envs && h < n_have; h++) {
        for (size_t i = 0; envs[h] && envs[h][i]; i++)
            free(envs[h][i]);
        free(envs[h]);
    }
    free(envs);
    for (size_t h = 0; refs && h < n_have; h++) {
        for (size_t i = 0; i < n_refs[h]; i++)
            free((char *)refs[h][i].ip);
        free(refs[h]);
    }
    free(refs);
    free(n_refs);
    free(have);
    free(hd);
    free(wd);
    free(eh);
    free(node_of);
    for (size_t i = 0; i < n_engines; i++)
        free(engines[i]);
    free(engines);
    free(network);
    free(cid);
    cJSON_Delete(list);
    return ret;
}
