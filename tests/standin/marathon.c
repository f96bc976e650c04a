/* standin marathon: apps and groups over HTTP 8080; tasks go to the master
 * stand-in (found through ZooKeeper) with POST /tasks. Records every non-GET
 * request for GET /test/received. See CONTRACT.md. */
#include "standin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FRAMEWORK_ID "marathon-0001"

typedef struct {
    char *id, *slave_id;
} mtask;

typedef struct {
    char *id;      /* normalized: "/a/b" */
    jval *def;     /* the object as received */
    long instances;
    long *ports;   /* port definitions (0 = assign) */
    size_t nports;
    char *cmd;
    char *version;
    unsigned gen;  /* identifies this incarnation */
    mtask *tasks;
    size_t ntasks;
} app_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
/* one scheduling round at a time: the loop and request handlers both run them */
static pthread_mutex_t sched_mu = PTHREAD_MUTEX_INITIALIZER;
static app_t *apps;
static size_t napps;
static char **groups; /* explicit group ids */
static size_t ngroups;
static char **to_delete; /* task ids to remove from the master */
static size_t ndelete;
static sbuf received; /* JSON array items, comma separated */
static size_t nreceived;
static unsigned next_gen = 1;
static unsigned task_counter;
static long next_port = 31000;

static atomic_int ready;
static struct in_addr master_ip;
static int master_port;
static char zk_url[1024];
static char my_ip[INET_ADDRSTRLEN];

/* ---------------------------------------------------------------- helpers */
static void now_version(char *out, size_t n)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char t[32];
    strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, n, "%s.%03dZ", t, (int)((ts.tv_nsec / 1000000) % 1000));
}

static void deployment_id(sbuf *b)
{
    unsigned r1 = (unsigned)rand(), r2 = (unsigned)rand(), r3 = (unsigned)rand();
    sb_printf(b, "\"%08x-%04x-%04x-%04x-%08x%04x\"", r1, r2 & 0xffff, (r2 >> 16) & 0xffff, r3 & 0xffff,
              (unsigned)rand(), r3 >> 16 & 0xffff);
}

static void resp_deployment(http_resp *rs, int status)
{
    char v[64];
    now_version(v, sizeof v);
    rs->status = status;
    sb_add(&rs->body, "{\"version\":");
    sb_json_str(&rs->body, v);
    sb_add(&rs->body, ",\"deploymentId\":");
    deployment_id(&rs->body);
    sb_addc(&rs->body, '}');
}

/* "/a//b/" or "a/b" -> "/a/b"; base joins relative ids. 0 when valid. */
static int normalize_id(const char *raw, const char *base, char *out, size_t n)
{
    char tmp[1024];
    if (!raw) return -1;
    if (raw[0] == '/' || !base || strcmp(base, "/") == 0) snprintf(tmp, sizeof tmp, "/%s", raw);
    else snprintf(tmp, sizeof tmp, "%s/%s", base, raw);
    size_t o = 0;
    for (size_t i = 0; tmp[i] && o + 1 < n; i++) {
        if (tmp[i] == '/' && o && out[o - 1] == '/') continue;
        out[o++] = tmp[i];
    }
    while (o > 1 && out[o - 1] == '/') o--;
    out[o] = 0;
    if (strcmp(out, "/") == 0) return -1;
    /* segments: lower-case letters, digits, '-', '.'; no "." or ".." */
    for (char *p = out; *p; p++) {
        if (*p == '/') {
            if ((p[1] == '.' && (p[2] == '/' || !p[2])) || (p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3])))
                return -1;
            continue;
        }
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '.')) return -1;
    }
    return 0;
}

static void parent_of(const char *id, char *out, size_t n)
{
    const char *slash = strrchr(id, '/');
    if (!slash || slash == id) snprintf(out, n, "/");
    else snprintf(out, n, "%.*s", (int)(slash - id), id);
}

static int under(const char *id, const char *prefix)
{
    size_t l = strlen(prefix);
    return strncmp(id, prefix, l) == 0 && (id[l] == 0 || id[l] == '/');
}

static app_t *find_app(const char *id)
{
    for (size_t i = 0; i < napps; i++)
        if (strcmp(apps[i].id, id) == 0) return &apps[i];
    return NULL;
}

static void unvalid(http_resp *rs, const char *path, const char *error)
{
    rs->status = 422;
    sb_add(&rs->body, "{\"message\":\"Object is not valid\",\"details\":[{\"path\":");
    sb_json_str(&rs->body, path);
    sb_add(&rs->body, ",\"errors\":[");
    sb_json_str(&rs->body, error);
    sb_add(&rs->body, "]}]}");
}

/* check an app definition (object); id already normalized into idout */
static int check_app(const jval *def, const char *base, char *idout, size_t n, http_resp *rs)
{
    if (!def || def->t != J_OBJ) { unvalid(rs, "/", "error.expected.jsobject"); return -1; }
    const char *id = json_getstr(def, "id");
    if (!id || !*id) { unvalid(rs, "/id", "error.path.missing"); return -1; }
    if (normalize_id(id, base, idout, n) != 0) {
        unvalid(rs, "/id", "must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'");
        return -1;
    }
    const jval *inst = json_get(def, "instances");
    if (inst && (inst->t != J_NUM || strtol(inst->s, NULL, 10) < 0 || strtol(inst->s, NULL, 10) > 100)) {
        unvalid(rs, "/instances", "error.expected.jsnumber");
        return -1;
    }
    return 0;
}

static void retire_tasks(app_t *a)
{
    for (size_t i = 0; i < a->ntasks; i++) {
        to_delete = xrealloc(to_delete, (ndelete + 1) * sizeof *to_delete);
        to_delete[ndelete++] = a->tasks[i].id;
        free(a->tasks[i].slave_id);
    }
    free(a->tasks);
    a->tasks = NULL;
    a->ntasks = 0;
}

static void free_app(app_t *a)
{
    retire_tasks(a);
    free(a->id);
    json_free(a->def);
    free(a->ports);
    free(a->cmd);
    free(a->version);
}

static void remove_app_at(size_t i)
{
    logmsg("app %s removed", apps[i].id);
    free_app(&apps[i]);
    memmove(&apps[i], &apps[i + 1], (napps - i - 1) * sizeof *apps);
    napps--;
}

/* create or replace the app with normalized id from def (ownership of def moves) */
static app_t *put_app(const char *id, jval *def)
{
    app_t *a = find_app(id);
    if (a) {
        retire_tasks(a);
        json_free(a->def);
        free(a->ports);
        free(a->cmd);
        free(a->version);
        logmsg("app %s replaced", id);
    } else {
        apps = xrealloc(apps, (napps + 1) * sizeof *apps);
        a = &apps[napps++];
        memset(a, 0, sizeof *a);
        a->id = xstrdup(id);
        logmsg("app %s created", id);
    }
    a->def = def;
    a->gen = next_gen++;
    long inst = 1;
    json_getint(def, "instances", &inst);
    a->instances = inst < 0 ? 0 : inst > 100 ? 100 : inst; /* PUT is not validated */
    const char *cmd = json_getstr(def, "cmd");
    a->cmd = xstrdup(cmd ? cmd : "");
    a->ports = NULL;
    a->nports = 0;
    const jval *pd = json_get(def, "portDefinitions"), *pl = json_get(def, "ports");
    if (pd && pd->t == J_ARR) {
        for (const jval *p = pd->kids; p; p = p->next) {
            long port = 0;
            json_getint(p, "port", &port);
            a->ports = xrealloc(a->ports, (a->nports + 1) * sizeof *a->ports);
            a->ports[a->nports++] = port;
        }
    } else if (pl && pl->t == J_ARR) {
        for (const jval *p = pl->kids; p; p = p->next) {
            a->ports = xrealloc(a->ports, (a->nports + 1) * sizeof *a->ports);
            a->ports[a->nports++] = p->t == J_NUM ? strtol(p->s, NULL, 10) : 0;
        }
    } else {
        a->ports = xmalloc(sizeof *a->ports);
        a->ports[0] = 0;
        a->nports = 1;
    }
    char v[64];
    now_version(v, sizeof v);
    a->version = xstrdup(v);
    return a;
}

static void json_app(sbuf *b, const app_t *a, int with_tasks)
{
    sb_add(b, "{\"id\":");
    sb_json_str(b, a->id);
    for (const jval *k = a->def->kids; k; k = k->next) {
        if (strcmp(k->key, "id") == 0 || strcmp(k->key, "instances") == 0 || strcmp(k->key, "version") == 0 ||
            strcmp(k->key, "tasksRunning") == 0 || strcmp(k->key, "tasksStaged") == 0 ||
            strcmp(k->key, "tasks") == 0)
            continue;
        sb_addc(b, ',');
        sb_json_str(b, k->key);
        sb_addc(b, ':');
        json_write(b, k);
    }
    sb_printf(b, ",\"instances\":%ld,\"tasksRunning\":%zu,\"tasksStaged\":%ld,\"tasksHealthy\":0,\"tasksUnhealthy\":0",
              a->instances, a->ntasks, a->instances - (long)a->ntasks);
    sb_add(b, ",\"version\":");
    sb_json_str(b, a->version);
    if (with_tasks) {
        sb_add(b, ",\"tasks\":[");
        for (size_t i = 0; i < a->ntasks; i++) {
            if (i) sb_addc(b, ',');
            sb_add(b, "{\"id\":");
            sb_json_str(b, a->tasks[i].id);
            sb_add(b, ",\"appId\":");
            sb_json_str(b, a->id);
            sb_add(b, ",\"slaveId\":");
            sb_json_str(b, a->tasks[i].slave_id);
            sb_add(b, ",\"state\":\"TASK_RUNNING\"}");
        }
        sb_addc(b, ']');
    }
    sb_addc(b, '}');
}

/* ---------------------------------------------------------------- groups */
static void add_unique(char ***list, size_t *n, const char *id)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], id) == 0) return;
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = xstrdup(id);
}

/* every group id: explicit ones and the ancestors of apps and groups */
static void all_groups(char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char p[1024];
    for (size_t i = 0; i < ngroups; i++) {
        add_unique(out, n, groups[i]);
        for (parent_of(groups[i], p, sizeof p); strcmp(p, "/") != 0;) {
            add_unique(out, n, p);
            char q[1024];
            parent_of(p, q, sizeof q);
            snprintf(p, sizeof p, "%s", q);
        }
    }
    for (size_t i = 0; i < napps; i++) {
        for (parent_of(apps[i].id, p, sizeof p); strcmp(p, "/") != 0;) {
            add_unique(out, n, p);
            char q[1024];
            parent_of(p, q, sizeof q);
            snprintf(p, sizeof p, "%s", q);
        }
    }
}

static void json_group(sbuf *b, const char *gid, char **all, size_t nall, int depth)
{
    char p[1024], v[64];
    now_version(v, sizeof v);
    sb_add(b, "{\"id\":");
    sb_json_str(b, gid);
    sb_add(b, ",\"apps\":[");
    int first = 1;
    for (size_t i = 0; i < napps; i++) {
        parent_of(apps[i].id, p, sizeof p);
        if (strcmp(p, gid) != 0) continue;
        if (!first) sb_addc(b, ',');
        first = 0;
        json_app(b, &apps[i], 0);
    }
    sb_add(b, "],\"groups\":[");
    first = 1;
    for (size_t i = 0; i < nall && depth < 32; i++) {
        parent_of(all[i], p, sizeof p);
        if (strcmp(p, gid) != 0) continue;
        if (!first) sb_addc(b, ',');
        first = 0;
        json_group(b, all[i], all, nall, depth + 1);
    }
    sb_add(b, "],\"dependencies\":[],\"version\":");
    sb_json_str(b, v);
    sb_addc(b, '}');
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++) free(l[i]);
    free(l);
}

/* validate a group tree: collect (id, def) of apps and group ids */
typedef struct {
    char **gids;
    size_t ng;
    char **aids;
    const jval **adefs;
    size_t na;
} gplan;

static int plan_group(const jval *g, const char *base, gplan *pl, http_resp *rs, int depth)
{
    char gid[1024];
    if (!g || g->t != J_OBJ) { unvalid(rs, "/", "error.expected.jsobject"); return -1; }
    const char *id = json_getstr(g, "id");
    if (!id || !*id) { unvalid(rs, "/id", "error.path.missing"); return -1; }
    if (depth > 16) { unvalid(rs, "/groups", "nested too deep"); return -1; }
    if (normalize_id(id, base, gid, sizeof gid) != 0) { unvalid(rs, "/id", "invalid group id"); return -1; }
    add_unique(&pl->gids, &pl->ng, gid);
    const jval *as = json_get(g, "apps"), *gs = json_get(g, "groups");
    if (as && as->t != J_ARR) { unvalid(rs, "/apps", "error.expected.jsarray"); return -1; }
    if (gs && gs->t != J_ARR) { unvalid(rs, "/groups", "error.expected.jsarray"); return -1; }
    for (const jval *a = as ? as->kids : NULL; a; a = a->next) {
        char aid[1024];
        if (check_app(a, gid, aid, sizeof aid, rs) != 0) return -1;
        pl->aids = xrealloc(pl->aids, (pl->na + 1) * sizeof *pl->aids);
        pl->adefs = xrealloc(pl->adefs, (pl->na + 1) * sizeof *pl->adefs);
        pl->aids[pl->na] = xstrdup(aid);
        pl->adefs[pl->na++] = a;
    }
    for (const jval *s = gs ? gs->kids : NULL; s; s = s->next)
        if (plan_group(s, gid, pl, rs, depth + 1) != 0) return -1;
    return 0;
}

static void free_plan(gplan *pl)
{
    free_list(pl->gids, pl->ng);
    free_list(pl->aids, pl->na);
    free(pl->adefs);
}

static int group_exists(const char *gid)
{
    char **all;
    size_t n;
    all_groups(&all, &n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i], gid) == 0) found = 1;
    free_list(all, n);
    return found;
}

static void remove_group(const char *gid)
{
    for (size_t i = napps; i-- > 0;)
        if (under(apps[i].id, gid)) remove_app_at(i);
    for (size_t i = ngroups; i-- > 0;) {
        if (under(groups[i], gid)) {
            free(groups[i]);
            memmove(&groups[i], &groups[i + 1], (ngroups - i - 1) * sizeof *groups);
            ngroups--;
        }
    }
}

/* POST (replace = 0) or PUT (replace = 1) of a group body; path id may be NULL */
static void write_group(const http_req *rq, http_resp *rs, const char *path_id, int replace)
{
    jval *v = json_parse(rq->body, rq->body_len);
    if (v && v->t == J_OBJ && path_id && !json_get(v, "id")) {
        /* PUT /v2/groups/<id> without an id in the body */
        jval *idv = xmalloc(sizeof *idv);
        memset(idv, 0, sizeof *idv);
        idv->t = J_STR;
        idv->key = xstrdup("id");
        idv->s = xstrdup(path_id);
        idv->next = v->kids;
        v->kids = idv;
    }
    gplan pl = {0};
    if (plan_group(v, "/", &pl, rs, 0) != 0) {
        free_plan(&pl);
        json_free(v);
        return;
    }
    const char *gid = pl.gids[0];
    pthread_mutex_lock(&mu);
    if (!replace) {
        if (group_exists(gid)) {
            pthread_mutex_unlock(&mu);
            rs->status = 409;
            sb_add(&rs->body, "{\"message\":");
            sbuf m;
            sb_init(&m);
            sb_printf(&m, "Group %s is already created. Use PUT to change this group.", gid);
            sb_json_str(&rs->body, m.s);
            sb_free(&m);
            sb_addc(&rs->body, '}');
            free_plan(&pl);
            json_free(v);
            return;
        }
        for (size_t i = 0; i < pl.na; i++) {
            if (find_app(pl.aids[i])) {
                pthread_mutex_unlock(&mu);
                rs->status = 409;
                sb_add(&rs->body, "{\"message\":");
                sbuf m;
                sb_init(&m);
                sb_printf(&m, "An app with id [%s] already exists.", pl.aids[i]);
                sb_json_str(&rs->body, m.s);
                sb_free(&m);
                sb_addc(&rs->body, '}');
                free_plan(&pl);
                json_free(v);
                return;
            }
        }
    } else {
        remove_group(gid);
    }
    for (size_t i = 0; i < pl.ng; i++) add_unique(&groups, &ngroups, pl.gids[i]);
    for (size_t i = 0; i < pl.na; i++) {
        sbuf t;
        sb_init(&t);
        json_write(&t, pl.adefs[i]);
        put_app(pl.aids[i], json_parse(t.s, t.len));
        sb_free(&t);
    }
    pthread_mutex_unlock(&mu);
    logmsg("group %s %s with %zu apps", gid, replace ? "written" : "created", pl.na);
    resp_deployment(rs, replace ? 200 : 201);
    free_plan(&pl);
    json_free(v);
}

/* ---------------------------------------------------------------- HTTP */
static void not_exist(http_resp *rs, const char *what, const char *id)
{
    sbuf m;
    sb_init(&m);
    sb_printf(&m, "%s '%s' does not exist", what, id);
    resp_msg(rs, 404, m.s);
    sb_free(&m);
}

static void record(const http_req *rq)
{
    pthread_mutex_lock(&mu);
    if (nreceived < 10000 && received.len < 32 * 1024 * 1024) {
        if (nreceived++) sb_addc(&received, ',');
        sb_add(&received, "{\"method\":");
        sb_json_str(&received, rq->method);
        sbuf p;
        sb_init(&p);
        sb_add(&p, rq->path);
        if (rq->query[0]) { sb_addc(&p, '?'); sb_add(&p, rq->query); }
        sb_add(&received, ",\"path\":");
        sb_json_str(&received, p.s);
        sb_free(&p);
        sb_add(&received, ",\"body\":");
        /* bodies are text; a NUL would cut them short, which is fine here */
        sb_json_str(&received, rq->body ? rq->body : "");
        sb_addc(&received, '}');
    }
    pthread_mutex_unlock(&mu);
}

/* "/v2/apps/<rest>" -> normalized id; 0 ok */
static int id_from_path(const char *rest, char *out, size_t n)
{
    char dec[1024];
    url_decode(rest, dec, sizeof dec);
    return normalize_id(dec, "/", out, n);
}

static void schedule_once(void);

static void marathon_route(const http_req *rq, http_resp *rs)
{
    const char *m = rq->method, *p = rq->path;
    int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
    if (!get) record(rq);
    if (get && strcmp(p, "/test/received") == 0) {
        rs->status = 200;
        pthread_mutex_lock(&mu);
        sb_addc(&rs->body, '[');
        if (received.len) sb_addn(&rs->body, received.s, received.len);
        sb_addc(&rs->body, ']');
        pthread_mutex_unlock(&mu);
        return;
    }
    if (get && strcmp(p, "/ping") == 0) {
        rs->status = 200;
        rs->ctype = "text/plain";
        sb_add(&rs->body, "pong\n");
        return;
    }
    if (!ready) { resp_msg(rs, 503, "no Mesos master found through ZooKeeper yet"); return; }
    char id[1024];
    if (get && strcmp(p, "/v2/info") == 0) {
        rs->status = 200;
        sb_add(&rs->body, "{\"name\":\"marathon\",\"version\":\"1.4.2-standin\",\"frameworkId\":\"" FRAMEWORK_ID "\"");
        sb_printf(&rs->body, ",\"leader\":\"%s:8080\",\"marathon_config\":{\"master\":", my_ip);
        sb_json_str(&rs->body, zk_url);
        sb_add(&rs->body, "}}");
    } else if (get && (strcmp(p, "/v2/apps") == 0 || strcmp(p, "/v2/apps/") == 0)) {
        rs->status = 200;
        sb_add(&rs->body, "{\"apps\":[");
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < napps; i++) {
            if (i) sb_addc(&rs->body, ',');
            json_app(&rs->body, &apps[i], 0);
        }
        pthread_mutex_unlock(&mu);
        sb_add(&rs->body, "]}");
    } else if (strcmp(m, "POST") == 0 && (strcmp(p, "/v2/apps") == 0 || strcmp(p, "/v2/apps/") == 0)) {
        jval *v = json_parse(rq->body, rq->body_len);
        if (check_app(v, "/", id, sizeof id, rs) != 0) { json_free(v); return; }
        pthread_mutex_lock(&mu);
        if (find_app(id)) {
            pthread_mutex_unlock(&mu);
            sbuf msg;
            sb_init(&msg);
            sb_printf(&msg, "An app with id [%s] already exists.", id);
            resp_msg(rs, 409, msg.s);
            sb_free(&msg);
            json_free(v);
            return;
        }
        app_t *a = put_app(id, v);
        rs->status = 201;
        json_app(&rs->body, a, 0);
        pthread_mutex_unlock(&mu);
    } else if (strncmp(p, "/v2/apps/", 9) == 0) {
        if (id_from_path(p + 9, id, sizeof id) != 0) { not_exist(rs, "App", p + 8); return; }
        if (get) {
            pthread_mutex_lock(&mu);
            app_t *a = find_app(id);
            if (a) {
                rs->status = 200;
                sb_add(&rs->body, "{\"app\":");
                json_app(&rs->body, a, 1);
                sb_addc(&rs->body, '}');
            }
            pthread_mutex_unlock(&mu);
            if (!a) not_exist(rs, "App", id);
        } else if (strcmp(m, "PUT") == 0) {
            jval *v = json_parse(rq->body, rq->body_len);
            if (!v || v->t != J_OBJ) { unvalid(rs, "/", "error.expected.jsobject"); json_free(v); return; }
            pthread_mutex_lock(&mu);
            put_app(id, v);
            pthread_mutex_unlock(&mu);
            resp_deployment(rs, 200);
        } else if (strcmp(m, "DELETE") == 0) {
            int found = 0;
            pthread_mutex_lock(&mu);
            for (size_t i = 0; i < napps; i++)
                if (strcmp(apps[i].id, id) == 0) { remove_app_at(i); found = 1; break; }
            pthread_mutex_unlock(&mu);
            if (found) resp_deployment(rs, 200);
            else not_exist(rs, "App", id);
        } else {
            resp_msg(rs, 405, "method not allowed");
        }
    } else if (get && (strcmp(p, "/v2/groups") == 0 || strcmp(p, "/v2/groups/") == 0 ||
                       strncmp(p, "/v2/groups/", 11) == 0)) {
        const char *gid = "/";
        if (strlen(p) > 11) {
            if (id_from_path(p + 11, id, sizeof id) != 0) { not_exist(rs, "Group", p + 10); return; }
            gid = id;
        }
        pthread_mutex_lock(&mu);
        if (strcmp(gid, "/") != 0 && !group_exists(gid)) {
            pthread_mutex_unlock(&mu);
            not_exist(rs, "Group", gid);
            return;
        }
        char **all;
        size_t n;
        all_groups(&all, &n);
        rs->status = 200;
        json_group(&rs->body, gid, all, n, 0);
        free_list(all, n);
        pthread_mutex_unlock(&mu);
    } else if ((strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0) &&
               (strcmp(p, "/v2/groups") == 0 || strcmp(p, "/v2/groups/") == 0)) {
        write_group(rq, rs, NULL, strcmp(m, "PUT") == 0);
    } else if (strncmp(p, "/v2/groups/", 11) == 0) {
        if (id_from_path(p + 11, id, sizeof id) != 0) { not_exist(rs, "Group", p + 10); return; }
        if (strcmp(m, "DELETE") == 0) {
            pthread_mutex_lock(&mu);
            int found = group_exists(id);
            if (found) { remove_group(id); logmsg("group %s removed", id); }
            pthread_mutex_unlock(&mu);
            if (found) resp_deployment(rs, 200);
            else not_exist(rs, "Group", id);
        } else if (strcmp(m, "PUT") == 0 || strcmp(m, "POST") == 0) {
            write_group(rq, rs, id, strcmp(m, "PUT") == 0);
        } else {
            resp_msg(rs, 405, "method not allowed");
        }
    } else {
        resp_msg(rs, 404, "not found");
    }
}

/* Changes reach the master before the answer: a deleted app's tasks are gone
 * and a new app's tasks exist (when an agent is active) once the request
 * returns; the background loop retries whatever could not be done. */
static void marathon_http(const http_req *rq, http_resp *rs)
{
    marathon_route(rq, rs);
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    if (!get && ready && rs->status >= 200 && rs->status < 300) schedule_once();
}

/* ---------------------------------------------------------------- scheduler */
/* task name like Marathon's: "/g/app" -> "app.g" */
static void task_name(const char *appid, char *out, size_t n)
{
    out[0] = 0;
    size_t o = 0;
    const char *end = appid + strlen(appid);
    while (end > appid) {
        const char *s = end;
        while (s > appid && s[-1] != '/') s--;
        size_t l = (size_t)(end - s);
        if (l && o + l + 2 < n) {
            if (o) out[o++] = '.';
            memcpy(out + o, s, l);
            o += l;
            out[o] = 0;
        }
        end = s > appid ? s - 1 : appid;
    }
}

static void schedule_round(const struct in_addr *mip, int mport)
{
    /* removals first */
    for (;;) {
        char *tid = NULL;
        pthread_mutex_lock(&mu);
        if (ndelete) tid = to_delete[--ndelete];
        pthread_mutex_unlock(&mu);
        if (!tid) break;
        char path[1200];
        snprintf(path, sizeof path, "/tasks/%s", tid);
        int st = 0;
        if (http_call(mip, mport, "DELETE", path, NULL, &st, NULL, 3000) != 0 ||
            (st != 200 && st != 404)) {
            pthread_mutex_lock(&mu);
            to_delete = xrealloc(to_delete, (ndelete + 1) * sizeof *to_delete);
            to_delete[ndelete++] = tid;
            pthread_mutex_unlock(&mu);
            break;
        }
        logmsg("task %s killed", tid);
        free(tid);
    }
    /* launches */
    for (int guard = 0; guard < 200; guard++) {
        sbuf body;
        sb_init(&body);
        char tid[1200] = "", appid[1024] = "";
        unsigned gen = 0;
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < napps && !tid[0]; i++) {
            app_t *a = &apps[i];
            if ((long)a->ntasks >= a->instances) continue;
            char mangled[1024], name[1024];
            snprintf(mangled, sizeof mangled, "%s", a->id + 1);
            for (char *c = mangled; *c; c++) if (*c == '/') *c = '_';
            task_name(a->id, name, sizeof name);
            snprintf(tid, sizeof tid, "%s.%08x-%04x", mangled, (unsigned)rand(), ++task_counter & 0xffff);
            snprintf(appid, sizeof appid, "%s", a->id);
            gen = a->gen;
            sb_add(&body, "{\"framework\":\"marathon\",\"framework_id\":\"" FRAMEWORK_ID "\",\"id\":");
            sb_json_str(&body, tid);
            sb_add(&body, ",\"name\":");
            sb_json_str(&body, name);
            sb_add(&body, ",\"state\":\"TASK_RUNNING\",\"ports\":[");
            for (size_t k = 0; k < a->nports; k++) {
                long port = a->ports[k];
                if (port == 0) port = next_port++;
                sb_printf(&body, "%s%ld", k ? "," : "", port);
            }
            sb_add(&body, "],\"cmd\":");
            sb_json_str(&body, a->cmd);
            sb_addc(&body, '}');
        }
        pthread_mutex_unlock(&mu);
        if (!tid[0]) { sb_free(&body); break; }
        int st = 0;
        sbuf out;
        sb_init(&out);
        int rc = http_call(mip, mport, "POST", "/tasks", body.s, &st, &out, 3000);
        sb_free(&body);
        if (rc != 0 || st != 200) {
            sb_free(&out);
            break; /* no agent yet, or master gone: try again next round */
        }
        jval *r = json_parse(out.s, out.len);
        const char *sid = json_getstr(r, "slave_id");
        pthread_mutex_lock(&mu);
        app_t *a = find_app(appid);
        if (a && a->gen == gen) {
            a->tasks = xrealloc(a->tasks, (a->ntasks + 1) * sizeof *a->tasks);
            a->tasks[a->ntasks].id = xstrdup(tid);
            a->tasks[a->ntasks].slave_id = xstrdup(sid ? sid : "");
            a->ntasks++;
        } else {
            to_delete = xrealloc(to_delete, (ndelete + 1) * sizeof *to_delete);
            to_delete[ndelete++] = xstrdup(tid);
        }
        pthread_mutex_unlock(&mu);
        logmsg("task %s of app %s launched on %s", tid, appid, sid ? sid : "?");
        json_free(r);
        sb_free(&out);
    }
}

static void schedule_once(void)
{
    pthread_mutex_lock(&sched_mu);
    pthread_mutex_lock(&mu);
    struct in_addr mip = master_ip;
    int mport = master_port;
    pthread_mutex_unlock(&mu);
    if (mport > 0) schedule_round(&mip, mport);
    pthread_mutex_unlock(&sched_mu);
}

int role_marathon(int argc, char **argv)
{
    log_start(argc, argv);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    sb_init(&received);
    const char *url = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--master") == 0 && i + 1 < argc) url = argv[i + 1];
        else if (strncmp(argv[i], "--master=", 9) == 0) url = argv[i] + 9;
    }
    struct in_addr zip;
    int zport;
    char path[512];
    if (!url || parse_zk_url(url, &zip, &zport, path, sizeof path) != 0) {
        logmsg("argv needs --master zk://<name-or-ip>:2181/<path> (names from /etc/hosts or DNS): %s",
               url ? url : "(no --master)");
        return 1;
    }
    snprintf(zk_url, sizeof zk_url, "%s", url);
    own_ip(&zip, my_ip);
    if (http_serve_bg(8080, marathon_http) != 0) return 1;
    char key[600], leader[128], last[128] = "";
    snprintf(key, sizeof key, "%s/leader", path);
    long last_log = 0;
    for (;;) {
        char *colon;
        struct in_addr mip;
        if (zk_get(&zip, zport, key, leader, sizeof leader) == 0 && (colon = strchr(leader, ':')) &&
            (*colon = 0, inet_pton(AF_INET, leader, &mip) == 1) && atoi(colon + 1) > 0) {
            int mport = atoi(colon + 1);
            *colon = ':';
            if (strcmp(leader, last) != 0) {
                logmsg("mesos master leader is %s", leader);
                snprintf(last, sizeof last, "%s", leader);
            }
            pthread_mutex_lock(&mu);
            master_ip = mip;
            master_port = mport;
            pthread_mutex_unlock(&mu);
            int st = 0;
            if (http_call(&mip, mport, "POST", "/frameworks",
                          "{\"id\":\"" FRAMEWORK_ID "\",\"name\":\"marathon\"}", &st, NULL, 3000) == 0 &&
                st == 200) {
                if (!ready) logmsg("registered framework marathon (" FRAMEWORK_ID ") with %s; ready", leader);
                ready = 1;
                schedule_once();
            }
        } else if (now_ms() - last_log > 5000 || !last_log) {
            logmsg("no mesos master leader in %s yet", url);
            last_log = now_ms();
        }
        sleep_ms(ready ? 500 : 1000);
    }
}
