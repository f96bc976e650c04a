/* The plan: the effective model turned into container specs, exactly as
 * CLUSTER.md's table says. Pure: no I/O, no clock, no randomness; the caller
 * passes the cluster id and the uuids.
 *
 * Order: zookeeper, consul, mesosdns, master, agents, marathon, registrator.
 * CLUSTER.md lists mesosdns last, but the master's and agents' DNS is the
 * mesosdns IP, so it has to run before them. Every container names what it
 * points at in `depends` (an IP, a link) and the executor starts it as soon
 * as those run: agents and marathon find the master through ZooKeeper, so they
 * start alongside the master rather than after it. */
#include "minimesos/plan.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_order[] = {
    "zookeeper", "consul", "mesosdns", "master", "agent", "marathon", "registrator",
};

int mm_role_rank(const char *role)
{
    for (size_t i = 0; i < sizeof role_order / sizeof role_order[0]; i++)
        if (strcmp(role, role_order[i]) == 0)
            return (int)i;
    return 100;
}

static void list_add(mm_plan_list *l, char *owned)
{
    l->items = mm_xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = owned;
}

static void list_addf(mm_plan_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void list_addf(mm_plan_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    list_add(l, mm_xvasprintf(fmt, ap));
    va_end(ap);
}

static void list_free(mm_plan_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Values: literal text, and references to other containers' IPs beside it. */
static mm_plan_value *values_push(mm_plan_values *l)
{
    l->items = mm_xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    mm_plan_value *v = &l->items[l->n++];
    memset(v, 0, sizeof *v);
    return v;
}

/* Literal text, user text included: copied as is, never interpreted. */
static void values_addf(mm_plan_values *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void values_addf(mm_plan_values *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    values_push(l)->text = mm_xvasprintf(fmt, ap);
    va_end(ap);
}

/* prefix, then the IP of the container of `role`, then suffix. */
static void values_add_ref(mm_plan_values *l, const char *prefix, const char *role, const char *suffix)
{
    mm_plan_value *v = values_push(l);
    v->text = mm_xasprintf("%s%s", prefix, suffix);
    v->refs = mm_xcalloc(1, sizeof *v->refs);
    v->refs[0] = (mm_plan_ref){ strlen(prefix), mm_xstrdup(role) };
    v->n_refs = 1;
}

static void values_free(mm_plan_values *l)
{
    for (size_t i = 0; i < l->n; i++) {
        for (size_t k = 0; k < l->items[i].n_refs; k++)
            free(l->items[i].refs[k].role);
        free(l->items[i].refs);
        free(l->items[i].text);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static void add_port(mm_container_spec *s, int port, const char *proto, bool publish)
{
    s->ports = mm_xrealloc(s->ports, (s->n_ports + 1) * sizeof *s->ports);
    s->ports[s->n_ports++] = (mm_plan_port){ port, proto, publish };
}

static char *image_ref(const mm_image *img)
{
    return mm_xasprintf("%s:%s", img->name, img->tag);
}

size_t mm_plan_count(const mm_cluster *c, long num_agents)
{
    size_t n = 2; /* zookeeper, master */
    n += num_agents >= 0 ? (size_t)num_agents : c->n_agents;
    n += !!c->marathon + !!c->consul + !!c->registrator + !!c->mesosdns;
    return n;
}

typedef struct builder {
    mm_plan *p;
    const mm_plan_options *o;
    size_t next_uuid;
    char *zk_name;
    const char *fixed_uuid;     /* the canonical plan: every uuid this */
} builder;

static mm_container_spec *new_spec(builder *b, const char *role, const mm_image *img)
{
    mm_plan *p = b->p;
    mm_container_spec *s = &p->containers[p->n];
    memset(s, 0, sizeof *s);
    s->role = mm_xstrdup(role);
    if (b->fixed_uuid)
        s->uuid = mm_xstrdup(b->fixed_uuid);
    else if (b->o->uuids && b->next_uuid < b->o->n_uuids)
        s->uuid = mm_xstrdup(b->o->uuids[b->next_uuid]);
    else
        s->uuid = mm_xasprintf("%zu", 1000 + b->next_uuid);
    b->next_uuid++;
    s->name = mm_xasprintf("minimesos-%s-%s-%s", role, p->cluster_id, s->uuid);
    s->image = image_ref(img);
    s->network_mode = mm_xstrdup("bridge");
    s->agent_index = -1;
    p->n++;
    return s;
}

static void finish_labels(builder *b, mm_container_spec *s)
{
    mm_plan *p = b->p;
    list_addf(&s->labels, MM_LABEL_CLUSTER "=%s", p->cluster_id);
    list_addf(&s->labels, MM_LABEL_ROLE "=%s", s->role);
    list_addf(&s->labels, MM_LABEL_CONFIG "=%s", p->config_path);
    list_addf(&s->labels, MM_LABEL_DIR "=%s", p->dir);
    list_addf(&s->labels, MM_LABEL_INDEX "=%zu", (size_t)(s - p->containers));
    if (s->service_port)
        list_addf(&s->labels, MM_LABEL_PORT "=%d", s->service_port);
    if (s->agent_index >= 0)
        list_addf(&s->labels, MM_LABEL_AGENT "=%d", s->agent_index);
}

static void shared_mesos_env(mm_container_spec *s, const char *level)
{
    values_addf(&s->env, "GLOG_v=1");
    values_addf(&s->env, "MESOS_EXECUTOR_REGISTRATION_TIMEOUT=5mins");
    values_addf(&s->env, "MESOS_CONTAINERIZERS=docker,mesos");
    values_addf(&s->env, "MESOS_ISOLATOR=cgroups/cpu,cgroups/mem");
    values_addf(&s->env, "MESOS_LOG_DIR=/var/log");
    values_addf(&s->env, "MESOS_LOGGING_LEVEL=%s", level);
}

/* Words of a command line, each literal. */
static void split_ws(mm_plan_values *l, const char *s)
{
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        const char *start = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            s++;
        if (s > start)
            values_addf(l, "%.*s", (int)(s - start), start);
    }
}

static const char *level_or(const char *own, const char *cluster)
{
    return own && *own ? own : (cluster ? cluster : "INFO");
}

static mm_plan *build(const mm_cluster *c, const mm_plan_options *o, const char *fixed_uuid, char **err)
{
    if (!c->master || !c->zookeeper) {
        *err = mm_xstrdup("the model has no master or zookeeper (load it with MM_MODEL_EFFECTIVE)");
        return NULL;
    }
    if (!o->cluster_id || !*o->cluster_id) {
        *err = mm_xstrdup("no cluster id");
        return NULL;
    }
    size_t n_agents = o->num_agents >= 0 ? (size_t)o->num_agents : c->n_agents;
    if (n_agents > c->n_agents) {
        *err = mm_xasprintf("the model has %zu agents, %zu asked for", c->n_agents, n_agents);
        return NULL;
    }
    mm_plan *p = mm_xcalloc(1, sizeof *p);
    p->cluster_id = mm_xstrdup(o->cluster_id);
    p->config_path = mm_xstrdup(c->path ? c->path : "");
    p->dir = mm_xstrdup(c->dir ? c->dir : "");
    p->bind_address = mm_xstrdup(o->bind_address && *o->bind_address ? o->bind_address : "127.0.0.1");
    p->map_ports_to_host = o->map_ports_to_host >= 0 ? o->map_ports_to_host != 0 : c->map_ports_to_host;
    p->timeout = c->timeout;
    p->containers = mm_xcalloc(mm_plan_count(c, (long)n_agents), sizeof *p->containers);
    builder b = { .p = p, .o = o, .fixed_uuid = fixed_uuid };
    bool pub = p->map_ports_to_host;
    mm_container_spec *s;

    /* 1. zookeeper */
    s = new_spec(&b, "zookeeper", c->zookeeper);
    add_port(s, 2181, "tcp", pub);
    add_port(s, 2888, "tcp", false);
    add_port(s, 3888, "tcp", false);
    s->service_port = 2181;
    finish_labels(&b, s);
    b.zk_name = s->name;

    /* 2. consul */
    if (c->consul) {
        s = new_spec(&b, "consul", c->consul);
        split_ws(&s->cmd, "agent -server -bootstrap -client 0.0.0.0");
        add_port(s, 8500, "tcp", pub);
        add_port(s, 8600, "udp", false);
        s->service_port = 8500;
        finish_labels(&b, s);
    }

    /* mesosdns: before master and agents, whose DNS it is. */
    if (c->mesosdns) {
        s = new_spec(&b, "mesosdns", c->mesosdns);
        split_ws(&s->cmd, "-v=2 -config=/etc/mesos-dns/config.json");
        values_add_ref(&s->env, "MESOS_DNS_ZK=zk://", "zookeeper", ":2181/mesos");
        values_addf(&s->env, "MESOS_DNS_DOMAIN=mm");
        values_addf(&s->env, "MESOS_DNS_PORT=53");
        values_addf(&s->env, "MESOS_DNS_REFRESH_SECONDS=1");
        add_port(s, 53, "udp", false);
        add_port(s, 53, "tcp", false);
        list_addf(&s->depends, "zookeeper");
        finish_labels(&b, s);
    }

    /* 3. master */
    s = new_spec(&b, "master", &c->master->image);
    shared_mesos_env(s, level_or(c->master->logging_level, c->logging_level));
    values_addf(&s->env, "MESOS_QUORUM=1");
    values_add_ref(&s->env, "MESOS_ZK=zk://", "zookeeper", ":2181/mesos");
    if (c->cluster_name)
        values_addf(&s->env, "MESOS_CLUSTER=%s", c->cluster_name);
    if (c->master->authenticate && c->master->acl_json) {
        values_addf(&s->env, "MESOS_AUTHENTICATE=true");
        values_addf(&s->env, "MESOS_ACLS=%s", c->master->acl_json);
    }
    add_port(s, 5050, "tcp", pub);
    s->service_port = 5050;
    list_addf(&s->depends, "zookeeper");
    if (c->mesosdns) {
        values_add_ref(&s->dns, "", "mesosdns", "");
        list_addf(&s->depends, "mesosdns");
    }
    finish_labels(&b, s);

    /* 4. agents */
    for (size_t i = 0; i < n_agents; i++) {
        const mm_agent *a = &c->agents[i];
        s = new_spec(&b, "agent", &a->image);
        s->agent_index = (int)i;
        s->hostname = mm_xasprintf("agent-%s", s->uuid);
        shared_mesos_env(s, level_or(a->logging_level, c->logging_level));
        char *res = mm_agent_mesos_resources(a);
        values_addf(&s->env, "MESOS_RESOURCES=%s", res);
        free(res);
        values_addf(&s->env, "MESOS_WORK_DIR=/var/lib/mesos/%s", s->hostname);
        values_addf(&s->env, "MESOS_DOCKER_STORE_DIR=/var/lib/mesos/%s/store/docker", s->hostname);
        values_addf(&s->env, "MESOS_ISOLATION=filesystem/linux,docker/runtime,cgroups/cpu,cgroups/mem");
        values_addf(&s->env, "MESOS_IMAGE_PROVIDERS=docker");
        values_addf(&s->env, "MESOS_SYSTEMD_ENABLE_SUPPORT=false");
        values_addf(&s->env, "MESOS_ATTRIBUTES=%s", a->attributes ? a->attributes : "");
        values_addf(&s->env, "MESOS_PORT=%d", a->port_number);
        values_add_ref(&s->env, "MESOS_MASTER=zk://", "zookeeper", ":2181/mesos");
        values_addf(&s->env, "MESOS_SWITCH_USER=false");
        values_addf(&s->env, "SERVICE_IGNORE=1");
        add_port(s, a->port_number, "tcp", false);
        for (size_t k = 0; k < a->n_res[MM_RES_PORTS]; k++) {
            /* "[31000-32000]" or "[514-514,8080-8090]": expose every port. */
            const char *r = a->res[MM_RES_PORTS][k].ranges;
            while (r && *r) {
                while (*r && (*r < '0' || *r > '9'))
                    r++;
                if (!*r)
                    break;
                long lo = strtol(r, (char **)&r, 10), hi = lo;
                if (*r == '-')
                    hi = strtol(r + 1, (char **)&r, 10);
                for (long port = lo; port <= hi && port <= 65535; port++)
                    if (port > 0 && port != a->port_number)
                        add_port(s, (int)port, "tcp", false);
            }
        }
        s->service_port = a->port_number;
        s->privileged = a->privileged;
        s->pid_mode = mm_xstrdup("host");
        list_addf(&s->binds, "/var/run/docker.sock:/var/run/docker.sock:rw");
        list_addf(&s->binds, "/sys/fs/cgroup:/sys/fs/cgroup");
        if (*p->dir)
            list_addf(&s->binds, "%s:%s", p->dir, p->dir);
        if (c->map_agent_sandbox_volume && *p->dir)
            list_addf(&s->binds, "%s/.minimesos/sandbox-%s/%s:/var/lib/mesos/%s/slaves:rw",
                      p->dir, p->cluster_id, s->hostname, s->hostname);
        list_addf(&s->volumes, "/var/lib/mesos/%s", s->hostname);
        list_addf(&s->links, "%s:minimesos-zookeeper", b.zk_name);
        list_addf(&s->depends, "zookeeper");
        if (c->mesosdns) {
            values_add_ref(&s->dns, "", "mesosdns", "");
            list_addf(&s->depends, "mesosdns");
        }
        finish_labels(&b, s);
    }

    /* 5. marathon */
    if (c->marathon) {
        s = new_spec(&b, "marathon", &c->marathon->image);
        split_ws(&s->cmd, c->marathon->cmd ? c->marathon->cmd : "");
        add_port(s, 8080, "tcp", pub);
        s->service_port = 8080;
        values_add_ref(&s->extra_hosts, "minimesos-zookeeper:", "zookeeper", "");
        list_addf(&s->depends, "zookeeper");
        finish_labels(&b, s);
    }

    /* 6. registrator */
    if (c->registrator) {
        s = new_spec(&b, "registrator", c->registrator);
        values_addf(&s->cmd, "-internal");
        values_add_ref(&s->cmd, "consul://", "consul", ":8500");
        free(s->network_mode);
        s->network_mode = mm_xstrdup("host");
        list_addf(&s->binds, "/var/run/docker.sock:/tmp/docker.sock");
        list_addf(&s->depends, "consul");
        finish_labels(&b, s);
    }
    return p;
}

/* FNV-1a, 64 bits: a fingerprint, not a defence against forgery. */
static uint64_t fnv1a64(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static char *spec_digest(const mm_plan *canonical, const mm_container_spec *s)
{
    cJSON *body = mm_plan_create_body(canonical, s, NULL, NULL);
    cJSON *labels = cJSON_GetObjectItemCaseSensitive(body, "Labels");
    cJSON_DeleteItemFromObjectCaseSensitive(labels, MM_LABEL_INDEX);
    cJSON_DeleteItemFromObjectCaseSensitive(labels, MM_LABEL_AGENT);
    cJSON_DeleteItemFromObjectCaseSensitive(labels, MM_LABEL_SPEC);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    char *hex = mm_xasprintf("%016llx", (unsigned long long)fnv1a64(text));
    free(text);
    return hex;
}

mm_plan *mm_plan_build(const mm_cluster *c, const mm_plan_options *o, char **err)
{
    mm_plan *p = build(c, o, NULL, err);
    if (!p)
        return NULL;
    /* The same plan with every uuid "0": what a container is, apart from
     * its name and place, so that a running cluster can be compared with a
     * changed file (each container's digest goes in its labels). */
    mm_plan *canon = build(c, o, "0", err);
    if (!canon) {
        mm_plan_free(p);
        return NULL;
    }
    for (size_t i = 0; i < p->n && i < canon->n; i++) {
        char *hex = spec_digest(canon, &canon->containers[i]);
        list_addf(&p->containers[i].labels, MM_LABEL_SPEC "=%s", hex);
        free(hex);
    }
    mm_plan_free(canon);
    return p;
}

static void spec_free(mm_container_spec *s)
{
    free(s->role);
    free(s->uuid);
    free(s->name);
    free(s->image);
    free(s->hostname);
    values_free(&s->cmd);
    values_free(&s->env);
    free(s->ports);
    list_free(&s->binds);
    list_free(&s->volumes);
    list_free(&s->links);
    values_free(&s->extra_hosts);
    values_free(&s->dns);
    free(s->pid_mode);
    free(s->network_mode);
    list_free(&s->depends);
    list_free(&s->labels);
}

void mm_plan_free(mm_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        spec_free(&p->containers[i]);
    free(p->containers);
    free(p->cluster_id);
    free(p->config_path);
    free(p->dir);
    free(p->bind_address);
    free(p);
}

/* How a reference is shown without its IP. */
static void add_shown_ref(strbuf *sb, const char *role)
{
    mm_sb_addf(sb, "{{%s.ip}}", role);
}

char *mm_plan_value_str(const mm_plan_value *v, mm_plan_lookup lookup, void *ctx)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    size_t len = strlen(v->text), from = 0;
    for (size_t k = 0; k < v->n_refs; k++) {
        size_t at = v->refs[k].at < len ? v->refs[k].at : len;
        if (at > from) {
            mm_sb_add(&sb, v->text + from, at - from);
            from = at;
        }
        const char *ip = lookup ? lookup(v->refs[k].role, ctx) : NULL;
        if (ip)
            mm_sb_adds(&sb, ip);
        else
            add_shown_ref(&sb, v->refs[k].role);
    }
    mm_sb_adds(&sb, v->text + from);
    return mm_sb_detach(&sb);
}

static cJSON *str_array(const mm_plan_list *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(l->items[i]));
    return a;
}

static cJSON *value_array(const mm_plan_values *l, mm_plan_lookup lookup, void *ctx)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++) {
        char *v = mm_plan_value_str(&l->items[i], lookup, ctx);
        cJSON_AddItemToArray(a, cJSON_CreateString(v));
        free(v);
    }
    return a;
}

/* Where the references of one field are in its shown strings. */
static void add_references(cJSON *out, const char *field, const mm_plan_values *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const mm_plan_value *v = &l->items[i];
        size_t shift = 0;
        for (size_t k = 0; k < v->n_refs; k++) {
            strbuf sb = STRBUF_INIT;
            add_shown_ref(&sb, v->refs[k].role);
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "field", field);
            cJSON_AddNumberToObject(r, "index", (double)i);
            cJSON_AddNumberToObject(r, "offset", (double)(v->refs[k].at + shift));
            cJSON_AddNumberToObject(r, "length", (double)sb.len);
            cJSON_AddStringToObject(r, "ipOf", v->refs[k].role);
            cJSON_AddItemToArray(out, r);
            shift += sb.len;
            mm_sb_free(&sb);
        }
    }
}

cJSON *mm_plan_create_body(const mm_plan *p, const mm_container_spec *s,
                           mm_plan_lookup lookup, void *ctx)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "Image", s->image);
    if (s->hostname)
        cJSON_AddStringToObject(body, "Hostname", s->hostname);
    if (s->cmd.n)
        cJSON_AddItemToObject(body, "Cmd", value_array(&s->cmd, lookup, ctx));
    cJSON_AddItemToObject(body, "Env", value_array(&s->env, lookup, ctx));
    cJSON *labels = cJSON_AddObjectToObject(body, "Labels");
    for (size_t i = 0; i < s->labels.n; i++) {
        const char *kv = s->labels.items[i];
        const char *eq = strchr(kv, '=');
        char *k = mm_xstrndup(kv, (size_t)(eq - kv));
        cJSON_AddStringToObject(labels, k, eq + 1);
        free(k);
    }
    cJSON *exposed = cJSON_AddObjectToObject(body, "ExposedPorts");
    cJSON *host = cJSON_CreateObject();
    cJSON *bindings = NULL;
    /* Which port/proto keys are in already: one bit each (an agent exposes
     * its whole port range, and a lookup in the object per port made this
     * quadratic in the range). */
    unsigned char *seen = mm_xcalloc(2 * 65536 / 8, 1);
    for (size_t i = 0; i < s->n_ports; i++) {
        char key[32];
        snprintf(key, sizeof key, "%d/%s", s->ports[i].port, s->ports[i].proto);
        unsigned bit = ((unsigned)s->ports[i].port & 0xffffu) * 2u + (strcmp(s->ports[i].proto, "udp") == 0);
        if (!(seen[bit / 8] & (1u << (bit % 8)))) {
            seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
            cJSON_AddItemToObject(exposed, key, cJSON_CreateObject());
        }
        if (s->ports[i].publish) {
            if (!bindings)
                bindings = cJSON_CreateObject();
            cJSON *arr = cJSON_AddArrayToObject(bindings, key);
            cJSON *b = cJSON_CreateObject();
            cJSON_AddStringToObject(b, "HostIp", p->bind_address);
            char hp[16];
            snprintf(hp, sizeof hp, "%d", s->ports[i].port);
            cJSON_AddStringToObject(b, "HostPort", hp);
            cJSON_AddItemToArray(arr, b);
        }
    }
    free(seen);
    if (s->volumes.n) {
        cJSON *vols = cJSON_AddObjectToObject(body, "Volumes");
        for (size_t i = 0; i < s->volumes.n; i++)
            cJSON_AddItemToObject(vols, s->volumes.items[i], cJSON_CreateObject());
    }
    cJSON_AddItemToObject(host, "NetworkMode", cJSON_CreateString(s->network_mode));
    cJSON_AddBoolToObject(host, "Privileged", s->privileged);
    if (s->pid_mode)
        cJSON_AddStringToObject(host, "PidMode", s->pid_mode);
    if (bindings)
        cJSON_AddItemToObject(host, "PortBindings", bindings);
    if (s->binds.n)
        cJSON_AddItemToObject(host, "Binds", str_array(&s->binds));
    if (s->links.n)
        cJSON_AddItemToObject(host, "Links", str_array(&s->links));
    if (s->extra_hosts.n)
        cJSON_AddItemToObject(host, "ExtraHosts", value_array(&s->extra_hosts, lookup, ctx));
    if (s->dns.n)
        cJSON_AddItemToObject(host, "Dns", value_array(&s->dns, lookup, ctx));
    cJSON_AddItemToObject(body, "HostConfig", host);
    return body;
}

void mm_plan_swarm_body(const mm_plan *p, const mm_container_spec *s, cJSON *body, const char *network,
                        const char *const *engines, size_t n_engines, size_t node, mm_plan_lookup lookup,
                        void *ctx)
{
    cJSON *host = cJSON_GetObjectItemCaseSensitive(body, "HostConfig");
    if (strcmp(s->network_mode, "host") != 0)
        cJSON_ReplaceItemInObjectCaseSensitive(host, "NetworkMode", cJSON_CreateString(network));
    cJSON *labels = cJSON_GetObjectItemCaseSensitive(body, "Labels");
    cJSON_AddStringToObject(labels, MM_LABEL_NODE, engines[node]);
    char *all = mm_join(engines, n_engines, " ");
    cJSON_AddStringToObject(labels, MM_LABEL_ENGINES, all);
    free(all);
    if (!s->links.n)
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(host, "Links");
    cJSON *extra = cJSON_GetObjectItemCaseSensitive(host, "ExtraHosts");
    if (!extra)
        extra = cJSON_AddArrayToObject(host, "ExtraHosts");
    for (size_t i = 0; i < s->links.n; i++) {
        const char *link = s->links.items[i], *colon = strrchr(link, ':');
        size_t nlen = colon ? (size_t)(colon - link) : strlen(link);
        for (size_t k = 0; k < p->n; k++) {
            const mm_container_spec *t = &p->containers[k];
            const char *ip = strlen(t->name) == nlen && strncmp(t->name, link, nlen) == 0 && lookup
                                 ? lookup(t->role, ctx)
                                 : NULL;
            if (ip) {
                char *line = mm_xasprintf("%s:%s", colon ? colon + 1 : t->name, ip);
                cJSON_AddItemToArray(extra, cJSON_CreateString(line));
                free(line);
            }
        }
    }
}

cJSON *mm_plan_to_json(const mm_plan *p)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "clusterId", p->cluster_id);
    cJSON_AddStringToObject(root, "config", p->config_path);
    char *rec = *p->dir ? mm_xasprintf("%s/.minimesos/minimesos.cluster", p->dir) : mm_xstrdup("");
    cJSON_AddStringToObject(root, "record", rec);
    free(rec);
    cJSON_AddStringToObject(root, "bindAddress", p->bind_address);
    cJSON_AddBoolToObject(root, "mapPortsToHost", p->map_ports_to_host);
    cJSON_AddNumberToObject(root, "timeout", p->timeout);
    cJSON *arr = cJSON_AddArrayToObject(root, "containers");
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "role", s->role);
        cJSON_AddStringToObject(c, "name", s->name);
        cJSON_AddItemToObject(c, "dependsOn", str_array(&s->depends));
        cJSON *refs = cJSON_AddArrayToObject(c, "references");
        if (s->cmd.n)
            add_references(refs, "Cmd", &s->cmd);
        add_references(refs, "Env", &s->env);
        add_references(refs, "HostConfig.ExtraHosts", &s->extra_hosts);
        add_references(refs, "HostConfig.Dns", &s->dns);
        cJSON *req = cJSON_AddObjectToObject(c, "create");
        cJSON_AddStringToObject(req, "method", "POST");
        char *path = mm_xasprintf("/containers/create?name=%s", s->name);
        cJSON_AddStringToObject(req, "path", path);
        free(path);
        cJSON_AddItemToObject(req, "body", mm_plan_create_body(p, s, NULL, NULL));
        cJSON *start = cJSON_AddObjectToObject(c, "start");
        cJSON_AddStringToObject(start, "method", "POST");
        path = mm_xasprintf("/containers/%s/start", s->name);
        cJSON_AddStringToObject(start, "path", path);
        free(path);
        cJSON_AddItemToArray(arr, c);
    }
    return root;
}

/* A decimal number that fits size_t, the whole of [s, end). */
static bool parse_index(const char *s, const char *end, size_t *out)
{
    if (s == end || end - s > 9)
        return false;
    size_t v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return true;
}

int mm_plan_place(const mm_plan *p, size_t n_engines, const char *const *rules, size_t n_rules,
                  size_t *node_of, char **err)
{
    if (!n_engines) {
        *err = mm_xstrdup("no engine to place the containers on");
        return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        node_of[i] = s->agent_index >= 0 ? (size_t)s->agent_index % n_engines : 0;
    }
    for (size_t r = 0; r < n_rules; r++) {
        const char *rule = rules[r], *eq = strrchr(rule, '=');
        const char *colon = eq ? memchr(rule, ':', (size_t)(eq - rule)) : NULL;
        const char *role_end = colon ? colon : eq;
        size_t engine = 0, agent = 0;
        if (!eq || role_end == rule || !parse_index(eq + 1, eq + strlen(eq), &engine) ||
            (colon && !parse_index(colon + 1, eq, &agent))) {
            *err = mm_xasprintf("--place %s: not ROLE=N or agent:K=N (N an engine number, K an agent number)", rule);
            return -1;
        }
        if (engine >= n_engines) {
            *err = mm_xasprintf("--place %s: there %s %zu engine%s, numbered from 0 (one a --engine)", rule,
                                n_engines == 1 ? "is" : "are", n_engines, n_engines == 1 ? "" : "s");
            return -1;
        }
        size_t rlen = (size_t)(role_end - rule);
        if (colon && (rlen != 5 || strncmp(rule, "agent", 5) != 0)) {
            *err = mm_xasprintf("--place %s: only agents are placed one by one (agent:K=N)", rule);
            return -1;
        }
        bool matched = false;
        for (size_t i = 0; i < p->n; i++) {
            const mm_container_spec *s = &p->containers[i];
            if (strlen(s->role) != rlen || strncmp(s->role, rule, rlen) != 0)
                continue;
            if (colon && (s->agent_index < 0 || (size_t)s->agent_index != agent))
                continue;
            node_of[i] = engine;
            matched = true;
        }
        if (!matched) {
            *err = colon ? mm_xasprintf("--place %s: the cluster has no agent number %zu", rule, agent)
                         : mm_xasprintf("--place %s: the cluster has no %.*s", rule, (int)rlen, rule);
            return -1;
        }
    }
    return 0;
}
