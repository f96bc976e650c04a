/* The cluster record, the folder lock, and label-based discovery.
 *
 * The record (<dir>/.minimesos/minimesos.cluster) holds the cluster id and is
 * written before the first container is created; every container also carries
 * labels naming its cluster, role and folder, so a cluster is found from the
 * engine alone when the record is lost. */
#include "engine/record.h"
#include "minimesos/runtime.h"
#include "minimesos/plan.h"
#include "base/util.h"
#include "base/parallel.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void mm_error_set(mm_error *err, mm_error_code code, char *msg)
{
    if (!err) {
        free(msg);
        return;
    }
    free(err->message);
    err->code = code;
    err->message = msg;
}


int mm_engine_add_node(mm_docker *d, const char *addr, size_t *k, char **err)
{
    for (size_t i = 0; i <= d->n_nodes; i++)
        if (strcmp(mm_docker_node(d, i)->addr, addr) == 0) {
            *k = i;
            return 0;
        }
    mm_docker n;
    if (mm_docker_init_addr(&n, addr, err) != 0 || mm_docker_connect(&n, err) != 0) {
        mm_docker_free(&n);
        return -1;
    }
    d->nodes = mm_xrealloc(d->nodes, (d->n_nodes + 1) * sizeof *d->nodes);
    d->nodes[d->n_nodes++] = n;
    *k = d->n_nodes;
    return 0;
}

/* The engines that the containers of folder dir on d name (MM_LABEL_ENGINES,
 * up --swarm), for a cluster whose record was lost; none otherwise. */
static void labelled_engines(mm_docker *d, const char *dir, char ***engines, size_t *n)
{
    *engines = NULL;
    *n = 0;
    char *label = mm_xasprintf(MM_LABEL_DIR "=%s", dir), *why = NULL;
    cJSON *list = NULL;
    if (mm_docker_list(d, label, &list, &why) == 0) {
        const cJSON *c;
        cJSON_ArrayForEach(c, list) {
            const char *all = mm_label_of(c, MM_LABEL_ENGINES);
            for (const char *p = all; p && *p;) {
                while (*p == ' ')
                    p++;
                size_t len = strcspn(p, " ");
                if (len) {
                    *engines = mm_xrealloc(*engines, (*n + 1) * sizeof **engines);
                    (*engines)[(*n)++] = mm_xstrndup(p, len);
                }
                p += len;
                if (!*p)
                    break;
            }
            if (*n)
                break;
        }
    }
    free(why);
    free(label);
    cJSON_Delete(list);
}

int mm_record_restore(mm_docker *d, const char *dir, const char *id, char **err)
{
    char **engines = NULL;
    size_t n = 0;
    labelled_engines(d, dir, &engines, &n);
    int rc = mm_record_write_engines(dir, id, (const char *const *)engines, n, err);
    for (size_t i = 0; i < n; i++)
        free(engines[i]);
    free(engines);
    return rc;
}

int mm_engine_open(mm_docker *d, const char *dir, mm_error *err)
{
    char *why = NULL;
    if (mm_docker_init(d, &why) != 0 || mm_docker_connect(d, &why) != 0) {
        mm_error_set(err, MM_ERR_ENGINE_UNREACHABLE, why);
        return -1;
    }
    return dir ? mm_engine_add_recorded(d, dir, NULL, NULL, err) : 0;
}

int mm_engine_add_recorded(mm_docker *d, const char *dir, char ***out, size_t *n_out, mm_error *err)
{
    char **engines = NULL, *id = NULL, *why = NULL;
    size_t n = 0, k;
    int rc = 0;
    if (out) {
        *out = NULL;
        *n_out = 0;
    }
    bool recorded = mm_record_read(dir, &id) == 0;
    free(id);
    if (recorded)
        mm_record_engines(dir, &engines, &n);
    else
        labelled_engines(d, dir, &engines, &n); /* the record is lost: the labels still say */
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && mm_engine_add_node(d, engines[i], &k, &why) != 0) {
            char *path = mm_record_path(dir);
            mm_error_set(err, MM_ERR_ENGINE_UNREACHABLE,
                         recorded ? mm_xasprintf("%s (an engine of the cluster, listed in %s; if that cluster is "
                                                 "gone, remove that file)", why, path)
                                  : mm_xasprintf("%s (an engine of the cluster, named by its containers' label "
                                                 MM_LABEL_ENGINES ")", why));
            free(path);
            free(why);
            rc = -1;
        }
    }
    if (out && rc == 0) {
        *out = engines;
        *n_out = n;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        free(engines[i]);
    free(engines);
    return rc;
}

/* Whether list already holds a container with c's Id. */
static bool listed(const cJSON *list, const cJSON *c)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "Id"));
    const cJSON *o;
    cJSON_ArrayForEach(o, list) {
        const char *oid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "Id"));
        if (id && oid && strcmp(id, oid) == 0)
            return true;
    }
    return false;
}

int mm_list_labelled(mm_docker *d, const char *label, cJSON **out, char **err)
{
    *out = NULL;
    cJSON *all = cJSON_CreateArray();
    for (size_t k = 0; k <= d->n_nodes; k++) {
        cJSON *list = NULL;
        if (mm_docker_list(mm_docker_node(d, k), label, &list, err) != 0) {
            cJSON_Delete(all);
            return -1;
        }
        cJSON *c;
        while ((c = cJSON_DetachItemFromArray(list, 0)) != NULL) {
            /* One engine named twice (DOCKER_HOST and an --engine spelt
             * otherwise) lists its containers twice: once is the truth. */
            if (listed(all, c)) {
                cJSON_Delete(c);
                continue;
            }
            cJSON_DeleteItemFromObjectCaseSensitive(c, "MinimesosNode");
            cJSON_AddNumberToObject(c, "MinimesosNode", (double)k);
            cJSON_AddItemToArray(all, c);
        }
        cJSON_Delete(list);
    }
    *out = all;
    return 0;
}

mm_docker *mm_container_engine(mm_docker *d, const char *id)
{
    if (!d->n_nodes || !id)
        return d;
    char *path = mm_xasprintf("/containers/%s/json", id);
    mm_docker *found = NULL;
    for (size_t k = 0; k <= d->n_nodes && !found; k++) {
        long st = 0;
        char *why = NULL;
        if (mm_docker_call(mm_docker_node(d, k), "GET", path, NULL, 10000, &st, NULL, &why) == 0 && st == 200)
            found = mm_docker_node(d, k);
        free(why);
    }
    free(path);
    return found ? found : d;
}

bool mm_list_has_node_label(mm_docker *d, const char *id)
{
    char *label = mm_xasprintf(MM_LABEL_CLUSTER "=%s", id);
    cJSON *list = NULL;
    char *why = NULL;
    bool yes = false;
    if (mm_list_labelled(d, label, &list, &why) == 0) {
        const cJSON *c;
        cJSON_ArrayForEach(c, list)
            yes |= mm_label_of(c, MM_LABEL_NODE) != NULL;
    }
    free(why);
    free(label);
    cJSON_Delete(list);
    return yes;
}

mm_docker *mm_node_of(mm_docker *d, const cJSON *item)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(item, "MinimesosNode");
    mm_docker *n = cJSON_IsNumber(k) && k->valuedouble >= 0 ? mm_docker_node(d, (size_t)k->valuedouble) : NULL;
    return n ? n : d;
}

char *mm_abs_path(const char *path)
{
    char buf[PATH_MAX];
    if (!path || !*path)
        path = ".";
    if (realpath(path, buf))
        return mm_xstrdup(buf);
    /* Not there (yet): make it absolute without resolving. */
    if (path[0] == '/')
        return mm_xstrdup(path);
    if (!getcwd(buf, sizeof buf))
        return mm_xstrdup(path);
    return mm_xasprintf("%s/%s", buf, path);
}

char *mm_record_path(const char *dir)
{
    return mm_xasprintf("%s/.minimesos/minimesos.cluster", dir);
}

int mm_record_read(const char *dir, char **id)
{
    char *path = mm_record_path(dir);
    size_t len = 0;
    char *text = mm_read_all(path, 4096, &len);
    free(path);
    *id = NULL;
    if (!text)
        return 1;
    char *nl = strchr(text, '\n'); /* the id is the first line; engines follow */
    if (nl)
        *nl = '\0';
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    if (!n) {
        free(text);
        return 1;
    }
    *id = text;
    return 0;
}

static int ensure_dotdir(const char *dir, char **err)
{
    char *p = mm_xasprintf("%s/.minimesos", dir);
    int rc = 0;
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        *err = mm_xasprintf("cannot create %s: %s", p, strerror(errno));
        rc = -1;
    }
    free(p);
    return rc;
}

char *mm_overlay_name(const char *cluster_id)
{
    return mm_xasprintf("minimesos-%s", cluster_id);
}

void mm_record_engines(const char *dir, char ***engines, size_t *n)
{
    *engines = NULL;
    *n = 0;
    char *path = mm_record_path(dir);
    size_t len = 0;
    char *text = mm_read_all(path, 1u << 20, &len);
    free(path);
    if (!text)
        return;
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        if (strncmp(line, "engine ", 7) != 0 || !line[7])
            continue;
        *engines = mm_xrealloc(*engines, (*n + 1) * sizeof **engines);
        (*engines)[(*n)++] = mm_xstrdup(line + 7);
    }
    free(text);
}

int mm_record_write(const char *dir, const char *id, char **err)
{
    return mm_record_write_engines(dir, id, NULL, 0, err);
}

int mm_record_write_engines(const char *dir, const char *id, const char *const *engines, size_t n,
                            char **err)
{
    if (ensure_dotdir(dir, err) != 0)
        return -1;
    char *path = mm_record_path(dir);
    char *tmp = mm_xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    bool ok = f && fprintf(f, "%s\n", id) >= 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = fprintf(f, "engine %s\n", engines[i]) >= 0;
    if (!ok || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        *err = mm_xasprintf("cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        *err = mm_xasprintf("cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        *err = mm_xasprintf("cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    free(path);
    return rc;
}

void mm_record_remove(const char *dir)
{
    char *path = mm_record_path(dir);
    unlink(path);
    free(path);
}

int mm_lock_dir(const char *dir, bool wait, int *fd, char **err)
{
    if (ensure_dotdir(dir, err) != 0)
        return -1;
    char *path = mm_xasprintf("%s/.minimesos/lock", dir);
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (f < 0) {
        *err = mm_xasprintf("cannot open %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    /* Waiting polls: a blocking flock would not see mm_interrupt() when the
     * signal lands on another thread, or just before the call. */
    int rc;
    while ((rc = flock(f, LOCK_EX | LOCK_NB)) != 0 && (errno == EWOULDBLOCK || errno == EINTR) && wait &&
           !mm_interrupted())
        usleep(50 * 1000);
    if (rc != 0) {
        int e = errno;
        close(f);
        if (wait && mm_interrupted()) {
            *err = mm_xasprintf("interrupted while waiting for %s (held by another minimesos)", path);
            free(path);
            return -1;
        }
        if (e == EWOULDBLOCK) {
            free(path);
            return 1;
        }
        *err = mm_xasprintf("cannot lock %s: %s", path, strerror(e));
        free(path);
        return -1;
    }
    free(path);
    *fd = f;
    return 0;
}

void mm_lock_mark(int fd, const char *holder)
{
    if (fd < 0 || ftruncate(fd, 0) != 0 || !holder)
        return;
    /* Best effort: unmarked, an up meanwhile reports the cluster being
     * removed as running instead of waiting. */
    ssize_t w = pwrite(fd, holder, strlen(holder), 0);
    (void)w;
}

bool mm_lock_marked(const char *dir, const char *holder)
{
    char *path = mm_xasprintf("%s/.minimesos/lock", dir);
    size_t len = 0;
    char *text = mm_read_all(path, 64, &len);
    bool yes = text && strcmp(text, holder) == 0;
    free(text);
    free(path);
    return yes;
}

void mm_unlock_dir(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

const char *mm_label_of(const cJSON *c, const char *key)
{
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(c, "Labels");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Where a container holds another role's IP, as the plan puts it there:
 * the extra host minimesos-zookeeper:IP (Marathon) first, as its command is
 * the user's and may name some other ZooKeeper; then zk:// and consul://
 * URLs in the environment and the command; Mesos-DNS as the DNS server. */
char *mm_referenced_ip(const cJSON *ins, const char *role)
{
    static const struct {
        const char *parent, *key;
    } fields[] = { { "HostConfig", "ExtraHosts" }, { "Config", "Env" }, { "Config", "Cmd" }, { "HostConfig", "Dns" } };
    if (!ins || !role)
        return NULL;
    bool zk = strcmp(role, "zookeeper") == 0, consul = strcmp(role, "consul") == 0,
         dns = strcmp(role, "mesosdns") == 0;
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
        bool extra_hosts = f == 0, dns_field = f == 3;
        const cJSON *v;
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ins, fields[f].parent),
                                                               fields[f].key)) {
            if (!cJSON_IsString(v))
                continue;
            const char *s = v->valuestring, *p = NULL;
            if (zk && extra_hosts)
                p = strncmp(s, "minimesos-zookeeper:", 20) == 0 ? s + 20 : NULL;
            else if (zk && !dns_field && (p = strstr(s, "zk://")))
                p += 5;
            else if (consul && !extra_hosts && !dns_field && (p = strstr(s, "consul://")))
                p += 9;
            else if (dns && dns_field)
                p = s;
            if (!p)
                continue;
            size_t n = strcspn(p, ":/,");
            char ip[INET_ADDRSTRLEN];
            struct in_addr a;
            if (n < sizeof ip) {
                memcpy(ip, p, n);
                ip[n] = '\0';
                if (inet_pton(AF_INET, ip, &a) == 1)
                    return mm_xstrdup(ip);
            }
        }
    }
    return NULL;
}

int mm_find_containers(mm_docker *d, const char *dir, const char *id, bool strict,
                       cJSON **list, char **found_id, char **err)
{
    char *label = mm_xasprintf(MM_LABEL_DIR "=%s", dir);
    cJSON *all = NULL;
    int rc = mm_list_labelled(d, label, &all, err);
    free(label);
    if (rc != 0)
        return -1;
    /* And by cluster id, for containers whose folder label differs (moved
     * folder, symlinks): the record names them. */
    if (id) {
        char *l2 = mm_xasprintf(MM_LABEL_CLUSTER "=%s", id);
        cJSON *more = NULL;
        if (mm_list_labelled(d, l2, &more, err) != 0) {
            free(l2);
            cJSON_Delete(all);
            return -1;
        }
        free(l2);
        cJSON *c;
        while ((c = cJSON_DetachItemFromArray(more, 0)) != NULL) {
            if (listed(all, c))
                cJSON_Delete(c);
            else
                cJSON_AddItemToArray(all, c);
        }
        cJSON_Delete(more);
    }
    cJSON *out = cJSON_CreateArray();
    cJSON *c;
    while ((c = cJSON_DetachItemFromArray(all, 0)) != NULL) {
        const char *cid = mm_label_of(c, MM_LABEL_CLUSTER);
        if (cid && (!id || !strict || strcmp(cid, id) == 0)) {
            if (found_id && (!*found_id || (id && strcmp(cid, id) == 0))) {
                free(*found_id);
                *found_id = mm_xstrdup(cid);
            }
            cJSON_AddItemToArray(out, c);
        } else
            cJSON_Delete(c);
    }
    cJSON_Delete(all);
    *list = out;
    return 0;
}

typedef struct sortable {
    mm_member m;
    long index;
} sortable;

static int by_index(const void *a, const void *b)
{
    const sortable *x = a, *y = b;
    int rx = mm_role_rank(x->m.role), ry = mm_role_rank(y->m.role);
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return rx - ry;
}

/* The service URL of a member: the published host address when its service
 * port is bound on the host, else the container's IP. */
static char *member_url(const char *role, const char *ip, int port, const cJSON *inspect)
{
    if (!port)
        return NULL;
    const char *host = ip;
    int hport = port;
    char key[32];
    snprintf(key, sizeof key, "%d/tcp", port);
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(inspect, "HostConfig");
    const cJSON *pb = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(hc, "PortBindings"), key);
    const cJSON *b0 = cJSON_GetArrayItem(pb, 0);
    if (b0) {
        const cJSON *hip = cJSON_GetObjectItemCaseSensitive(b0, "HostIp");
        const cJSON *hp = cJSON_GetObjectItemCaseSensitive(b0, "HostPort");
        host = cJSON_IsString(hip) && hip->valuestring[0] && strcmp(hip->valuestring, "0.0.0.0") != 0
                   ? hip->valuestring : "127.0.0.1";
        if (cJSON_IsString(hp) && atoi(hp->valuestring) > 0)
            hport = atoi(hp->valuestring);
    }
    if (!host)
        return NULL;
    if (strcmp(role, "zookeeper") == 0)
        return mm_xasprintf("zk://%s:%d/mesos", host, hport);
    return mm_xasprintf("http://%s:%d", host, hport);
}

/* One member read from its list entry and its inspect (mm_parallel job):
 * ok false when it was removed meanwhile. */
typedef struct member_job {
    const cJSON *entry;
    sortable s;
    char *gw;
    bool ok;
} member_job;

typedef struct {
    mm_docker *d;
    member_job *jobs;
} members_ctx;

static void read_member(size_t i, void *arg)
{
    members_ctx *ctx = arg;
    member_job *j = &ctx->jobs[i];
    const cJSON *c = j->entry;
    const char *cid = cJSON_GetObjectItemCaseSensitive(c, "Id")->valuestring;
    const char *role = mm_label_of(c, MM_LABEL_ROLE);
    const char *idx = mm_label_of(c, MM_LABEL_INDEX);
    const char *port = mm_label_of(c, MM_LABEL_PORT);
    const char *agent = mm_label_of(c, MM_LABEL_AGENT);
    cJSON *ins = NULL;
    char *why = NULL;
    mm_docker *node = mm_node_of(ctx->d, c);
    if (mm_docker_inspect(node, cid, &ins, &why) != 0) {
        free(why); /* removed meanwhile: skip it */
        return;
    }
    j->ok = true;
    sortable *s = &j->s;
    s->index = idx ? atol(idx) : 1000;
    s->m.role = mm_xstrdup(role ? role : "unknown");
    s->m.container_id = mm_xstrdup(cid);
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ins, "Name");
    s->m.name = mm_xstrdup(cJSON_IsString(nm) ? nm->valuestring + (nm->valuestring[0] == '/') : "");
    mm_docker_inspect_net(ins, &s->m.ip, &j->gw, &s->m.state);
    if (!s->m.state)
        s->m.state = mm_xstrdup("unknown");
    s->m.port = port ? atoi(port) : 0;
    s->m.agent = strcmp(s->m.role, "agent") == 0 ? (agent ? atoi(agent) : -2) : -1;
    /* On an overlay network (up --swarm), this host reaches a container
     * of a local engine at its docker_gwbridge address, not the overlay's. */
    char *reach = NULL;
    if (mm_label_of(c, MM_LABEL_NODE) && s->m.port && mm_docker_gwbridge_ip(node, cid, &reach, &why) != 0) {
        free(why);
        why = NULL;
    }
    s->m.url = s->m.ip || s->m.port ? member_url(s->m.role, reach ? reach : s->m.ip, s->m.port, ins) : NULL;
    free(reach);
    /* An overlay network (up --swarm): its containers have no gateway; the network has. */
    if (!j->gw && mm_label_of(c, MM_LABEL_NODE) && strcmp(s->m.role, "master") == 0) {
        const cJSON *nets = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ins, "NetworkSettings"),
                                                             "Networks");
        const cJSON *first = nets ? nets->child : NULL;
        if (first && first->string && mm_docker_network_gateway(node, first->string, &j->gw, &why) != 0)
            free(why);
    }
    cJSON_Delete(ins);
}

int mm_running_build(mm_docker *d, const char *dir, const char *id, mm_running **out, char **err)
{
    cJSON *list = NULL;
    char *found = NULL;
    *out = NULL;
    if (mm_find_containers(d, dir, id, true, &list, &found, err) != 0)
        return -1;
    if (cJSON_GetArraySize(list) == 0) {
        cJSON_Delete(list);
        free(found);
        return MM_NO_CLUSTER;
    }
    size_t n = (size_t)cJSON_GetArraySize(list), k = 0;
    mm_running *rc = mm_xcalloc(1, sizeof *rc);
    rc->cluster_id = found;
    rc->dir = mm_xstrdup(dir);
    /* The inspects go side by side: `ps` of a 16-agent cluster waited for
     * 18 of them one after the other. */
    member_job *jobs = mm_xcalloc(n, sizeof *jobs);
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "Id")))
            continue;
        const char *cfg = mm_label_of(c, MM_LABEL_CONFIG);
        if (cfg && !rc->config_path)
            rc->config_path = mm_xstrdup(cfg);
        jobs[k++].entry = c;
    }
    members_ctx ctx = { d, jobs };
    mm_parallel(k, MM_DOCKER_WORKERS, read_member, &ctx, NULL, NULL);
    sortable *tmp = mm_xcalloc(n, sizeof *tmp);
    size_t read = 0;
    for (size_t i = 0; i < k; i++) {
        if (!jobs[i].ok)
            continue;
        tmp[read++] = jobs[i].s;
        if (strcmp(jobs[i].s.m.role, "master") == 0 && jobs[i].gw && !rc->gateway)
            rc->gateway = jobs[i].gw;
        else
            free(jobs[i].gw);
    }
    free(jobs);
    cJSON_Delete(list);
    k = read;
    if (!k) {
        free(tmp);
        mm_running_free(rc);
        return MM_NO_CLUSTER;
    }
    qsort(tmp, k, sizeof *tmp, by_index);
    rc->members = mm_xcalloc(k, sizeof *rc->members);
    int agents = 0;
    for (size_t i = 0; i < k; i++) {
        rc->members[i] = tmp[i].m;
        /* A cluster started before agents were numbered: their order. */
        if (rc->members[i].agent == -2)
            rc->members[i].agent = agents;
        agents += rc->members[i].agent != -1;
    }
    rc->n_members = k;
    free(tmp);
    if (!rc->config_path)
        rc->config_path = mm_xasprintf("%s/minimesosFile", dir);
    *out = rc;
    return 0;
}

char *mm_stale_message(const char *dir, const char *id)
{
    char *path = mm_record_path(dir);
    char *m = mm_xasprintf("Minimesos cluster %s is not running: its containers are gone; "
                        "removed the stale record %s", id, path);
    free(path);
    return m;
}

int mm_running_find(const char *dir, mm_running **out, mm_error *err)
{
    *out = NULL;
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    char *adir = mm_abs_path(dir);
    char *id = NULL;
    bool have_record = mm_record_read(adir, &id) == 0;
    mm_docker d;
    if (mm_engine_open(&d, adir, err) != 0) {
        mm_docker_free(&d);
        free(adir);
        free(id);
        return -1;
    }
    char *why = NULL;
    int rc = mm_running_build(&d, adir, id, out, &why);
    if (rc == MM_NO_CLUSTER && have_record) {
        /* Maybe the record names a cluster but the labels changed folder:
         * mm_find_containers already looked by id too. So: stale. */
        mm_record_remove(adir);
        mm_error_set(err, MM_ERR_NO_CLUSTER, mm_stale_message(adir, id));
    } else if (rc == MM_NO_CLUSTER) {
        char *path = mm_record_path(adir);
        mm_error_set(err, MM_ERR_NO_CLUSTER, mm_xasprintf("Cluster ID is not found in %s", path));
        free(path);
    } else if (rc != 0) {
        mm_error_set(err, MM_ERR_ENGINE, why);
        why = NULL;
    } else if (!have_record) {
        /* Found by labels alone: restore the lost record, engines included. */
        char *w = NULL;
        if (mm_record_restore(&d, adir, (*out)->cluster_id, &w) != 0)
            free(w);
    }
    free(why);
    mm_docker_free(&d);
    free(adir);
    free(id);
    return rc;
}

bool mm_cluster_recorded(const char *dir)
{
    char *adir = mm_abs_path(dir);
    char *id = NULL;
    bool have = mm_record_read(adir, &id) == 0;
    free(adir);
    free(id);
    return have;
}
