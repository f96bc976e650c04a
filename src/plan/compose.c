/* The plan as a compose file (docs/cluster.md "Compose export").
 *
 * Everything comes from the plan, the container table `up` uses: one service
 * per container, in plan order. What compose cannot say the way `up` does it
 * is said in comments, and what a stack cannot honour (MM_COMPOSE_STACK) is
 * left out with a comment. Every string from the plan is written as a YAML
 * double-quoted scalar by mm_compose_quote, never bare, so user text
 * (clusterName, attributes, aclJson, Marathon's cmd, paths) cannot change the
 * structure of the file. */
#include "minimesos/compose.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NETWORK "minimesos"

/* ------------------------------------------------------------ quoting */

/* One UTF-8 sequence at s (the parser has checked the text is valid UTF-8;
 * a stray byte is taken as the code point of its value). */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
    unsigned c = s[0];
    int n = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (c >= 0xF8)
        n = 0;
    uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return c;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *len = (size_t)n + 1;
    return cp;
}

char *mm_compose_quote(const char *s)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_addc(&sb, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t len;
        uint32_t cp = utf8_next(p, &len);
        switch (cp) {
        case '"': mm_sb_adds(&sb, "\\\""); break;
        case '\\': mm_sb_adds(&sb, "\\\\"); break;
        case '\n': mm_sb_adds(&sb, "\\n"); break;
        case '\t': mm_sb_adds(&sb, "\\t"); break;
        case '\r': mm_sb_adds(&sb, "\\r"); break;
        case '$': mm_sb_adds(&sb, "$$"); break;     /* compose interpolates $NAME */
        case 0x85: mm_sb_adds(&sb, "\\N"); break;   /* YAML line breaks: escaped, */
        case 0x2028: mm_sb_adds(&sb, "\\L"); break; /* else a reader folds them */
        case 0x2029: mm_sb_adds(&sb, "\\P"); break;
        default:
            /* Outside YAML's printable set: an escape naming the same code point. */
            if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
                mm_sb_addf(&sb, "\\x%02X", (unsigned)cp);
            else if (cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                mm_sb_addf(&sb, "\\u%04X", (unsigned)cp);
            else
                mm_sb_add(&sb, (const char *)p, len);
        }
        p += len;
    }
    mm_sb_addc(&sb, '"');
    return mm_sb_detach(&sb);
}

static void add_q(strbuf *sb, const char *s)
{
    char *q = mm_compose_quote(s);
    mm_sb_adds(sb, q);
    free(q);
}

/* ------------------------------------------------------------ services */

char *mm_compose_service_name(const mm_container_spec *s)
{
    if (strcmp(s->role, "agent") == 0 && s->agent_index >= 0)
        return mm_xasprintf("agent%d", s->agent_index);
    return mm_xstrdup(s->role);
}

typedef struct strlist {
    char **items;
    size_t n, cap;
} strlist;

static void sl_add_unique(strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return;
    l->items = mm_xgrow(l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = mm_xstrdup(s);
}

static void sl_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

typedef struct writer {
    const mm_plan *p;
    mm_compose_mode mode;
    char **names;       /* service name per container */
    strlist *aliases;   /* network aliases per container */
    char **health;      /* healthcheck shell command per container, or NULL */
    strbuf out;
} writer;

/* The first container of a role (references name roles with one container). */
static long first_of(const mm_plan *p, const char *role)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->containers[i].role, role) == 0)
            return (long)i;
    return -1;
}

/* mm_plan_lookup: a reference to a role's IP becomes its service name. */
static const char *service_of_role(const char *role, void *ctx)
{
    writer *w = ctx;
    long i = first_of(w->p, role);
    return i >= 0 ? w->names[i] : NULL;
}

/* "name:" followed by one reference at its end: an extra host that is the
 * IP of another container, which a network alias says as well. */
static bool is_alias_host(const mm_plan_value *v)
{
    size_t len = strlen(v->text);
    return v->n_refs == 1 && len > 1 && v->refs[0].at == len && v->text[len - 1] == ':' &&
           memchr(v->text, ':', len - 1) == NULL;
}

/* What each image is probed with. The commands use what the images of
 * docs/cluster.md and the test stand-ins have: busybox `wget` or `curl`,
 * and `nc` for ZooKeeper's four-letter word. None for registrator and
 * mesosdns: no port to ask. */
static char *health_cmd(const mm_container_spec *s)
{
    const char *path = NULL;
    if (!s->service_port)
        return NULL;
    if (strcmp(s->role, "zookeeper") == 0)
        return mm_xasprintf("echo ruok | nc 127.0.0.1 %d | grep -q imok", s->service_port);
    if (strcmp(s->role, "master") == 0)
        path = "/health";
    else if (strcmp(s->role, "agent") == 0)
        path = "/state.json";
    else if (strcmp(s->role, "marathon") == 0)
        path = "/v2/apps";
    else if (strcmp(s->role, "consul") == 0)
        path = "/v1/status/leader";
    else
        return NULL;
    return mm_xasprintf("wget -q -O /dev/null http://127.0.0.1:%d%s || "
                        "curl -fsS -o /dev/null http://127.0.0.1:%d%s",
                        s->service_port, path, s->service_port, path);
}

static void prepare(writer *w)
{
    const mm_plan *p = w->p;
    w->names = mm_xcalloc(p->n ? p->n : 1, sizeof *w->names);
    w->aliases = mm_xcalloc(p->n ? p->n : 1, sizeof *w->aliases);
    w->health = mm_xcalloc(p->n ? p->n : 1, sizeof *w->health);
    for (size_t i = 0; i < p->n; i++) {
        w->names[i] = mm_compose_service_name(&p->containers[i]);
        w->health[i] = health_cmd(&p->containers[i]);
    }
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        /* links "container-name:alias": an alias of the container named */
        for (size_t k = 0; k < s->links.n; k++) {
            const char *l = s->links.items[k], *colon = strchr(l, ':');
            if (!colon)
                continue;
            for (size_t t = 0; t < p->n; t++)
                if (strlen(p->containers[t].name) == (size_t)(colon - l) &&
                    strncmp(p->containers[t].name, l, (size_t)(colon - l)) == 0)
                    sl_add_unique(&w->aliases[t], colon + 1);
        }
        for (size_t k = 0; k < s->extra_hosts.n; k++) {
            const mm_plan_value *v = &s->extra_hosts.items[k];
            long t = is_alias_host(v) ? first_of(p, v->refs[0].role) : -1;
            if (t >= 0) {
                char *name = mm_xstrndup(v->text, strlen(v->text) - 1);
                sl_add_unique(&w->aliases[t], name);
                free(name);
            }
        }
    }
}

static void finish(writer *w)
{
    for (size_t i = 0; i < w->p->n; i++) {
        free(w->names[i]);
        sl_free(&w->aliases[i]);
        free(w->health[i]);
    }
    free(w->names);
    free(w->aliases);
    free(w->health);
}

static void put_values(writer *w, const char *key, const mm_plan_values *l)
{
    mm_sb_addf(&w->out, "    %s:\n", key);
    for (size_t i = 0; i < l->n; i++) {
        char *v = mm_plan_value_str(&l->items[i], service_of_role, w);
        mm_sb_adds(&w->out, "      - ");
        add_q(&w->out, v);
        mm_sb_addc(&w->out, '\n');
        free(v);
    }
}

static bool stack_publishes(const mm_plan *p)
{
    return strcmp(p->bind_address, "0.0.0.0") == 0 || strcmp(p->bind_address, "::") == 0;
}

static void put_ports(writer *w, const mm_container_spec *s)
{
    const mm_plan *p = w->p;
    bool any = false;
    for (size_t i = 0; i < s->n_ports; i++) {
        const mm_plan_port *pt = &s->ports[i];
        if (!pt->publish)
            continue;
        if (w->mode == MM_COMPOSE_STACK && !stack_publishes(p)) {
            mm_sb_addf(&w->out,
                       "    # %d/%s is not published: a stack publishes a port on every address,\n"
                       "    # not on %s only (export with --bind-address 0.0.0.0 to publish it)\n",
                       pt->port, pt->proto, p->bind_address);
            continue;
        }
        if (!any)
            mm_sb_adds(&w->out, "    ports:\n");
        any = true;
        if (w->mode == MM_COMPOSE_STACK) {
            mm_sb_addf(&w->out,
                       "      - target: %d\n        published: %d\n        protocol: %s\n"
                       "        mode: host\n",
                       pt->port, pt->port, pt->proto);
        } else {
            const char *a = p->bind_address;
            char *spec = strchr(a, ':') ? mm_xasprintf("[%s]:%d:%d/%s", a, pt->port, pt->port, pt->proto)
                                        : mm_xasprintf("%s:%d:%d/%s", a, pt->port, pt->port, pt->proto);
            mm_sb_adds(&w->out, "      - ");
            add_q(&w->out, spec);
            mm_sb_addc(&w->out, '\n');
            free(spec);
        }
    }
    /* Every port is exposed, runs of consecutive ports as one range (not in
     * a stack: a swarm ignores `expose`, and the client warns about it). */
    if (!s->n_ports || w->mode == MM_COMPOSE_STACK)
        return;
    mm_sb_adds(&w->out, "    expose:\n");
    for (size_t i = 0; i < s->n_ports;) {
        size_t j = i;
        while (j + 1 < s->n_ports && s->ports[j + 1].port == s->ports[j].port + 1 &&
               strcmp(s->ports[j + 1].proto, s->ports[i].proto) == 0)
            j++;
        char *e = j > i ? mm_xasprintf("%d-%d/%s", s->ports[i].port, s->ports[j].port, s->ports[i].proto)
                        : mm_xasprintf("%d/%s", s->ports[i].port, s->ports[i].proto);
        mm_sb_adds(&w->out, "      - ");
        add_q(&w->out, e);
        mm_sb_addc(&w->out, '\n');
        free(e);
        i = j + 1;
    }
}

static void put_service(writer *w, size_t i)
{
    const mm_plan *p = w->p;
    const mm_container_spec *s = &p->containers[i];
    strbuf *o = &w->out;
    bool stack = w->mode == MM_COMPOSE_STACK;

    mm_sb_addf(o, "  %s:\n", w->names[i]);
    mm_sb_adds(o, "    image: ");
    add_q(o, s->image);
    mm_sb_addc(o, '\n');
    if (!stack) {
        mm_sb_adds(o, "    container_name: ");
        add_q(o, s->name);
        mm_sb_addc(o, '\n');
    }
    if (s->hostname) {
        mm_sb_adds(o, "    hostname: ");
        add_q(o, s->hostname);
        mm_sb_addc(o, '\n');
    }
    if (s->cmd.n)
        put_values(w, "command", &s->cmd);
    if (s->env.n)
        put_values(w, "environment", &s->env);
    mm_sb_adds(o, "    labels:\n");
    for (size_t k = 0; k < s->labels.n; k++) {
        const char *kv = s->labels.items[k], *eq = strchr(kv, '=');
        /* The spec digest says "this is the container `up` would create";
         * a compose-made one is not (names for IPs, healthchecks), so it
         * goes without it and `up` in the folder recreates it. */
        if (eq && (size_t)(eq - kv) == strlen(MM_LABEL_SPEC) && strncmp(kv, MM_LABEL_SPEC, (size_t)(eq - kv)) == 0)
            continue;
        char *key = eq ? mm_xstrndup(kv, (size_t)(eq - kv)) : mm_xstrdup(kv);
        mm_sb_adds(o, "      ");
        add_q(o, key);
        mm_sb_adds(o, ": ");
        add_q(o, eq ? eq + 1 : "");
        mm_sb_addc(o, '\n');
        free(key);
    }
    put_ports(w, s);
    if (s->binds.n || s->volumes.n) {
        mm_sb_adds(o, "    volumes:\n");
        for (size_t k = 0; k < s->binds.n; k++) {
            mm_sb_adds(o, "      - ");
            add_q(o, s->binds.items[k]);
            mm_sb_addc(o, '\n');
        }
        for (size_t k = 0; k < s->volumes.n; k++) {
            mm_sb_adds(o, "      - ");
            add_q(o, s->volumes.items[k]);
            mm_sb_adds(o, "  # an anonymous volume\n");
        }
    }
    if (s->privileged) {
        if (stack)
            mm_sb_adds(o, "    # privileged: true is not honoured by a stack (a swarm service cannot be privileged)\n");
        else
            mm_sb_adds(o, "    privileged: true\n");
    }
    if (s->pid_mode) {
        if (stack) {
            mm_sb_adds(o, "    # pid: ");
            add_q(o, s->pid_mode);
            mm_sb_adds(o, " is not honoured by a stack (a swarm service shares no PID namespace)\n");
        } else {
            mm_sb_adds(o, "    pid: ");
            add_q(o, s->pid_mode);
            mm_sb_addc(o, '\n');
        }
    }
    /* extra hosts and DNS servers that are plain text stay; the ones that
     * are another container's IP are its network alias, or Docker's DNS */
    bool head = false;
    for (size_t k = 0; k < s->extra_hosts.n; k++) {
        const mm_plan_value *v = &s->extra_hosts.items[k];
        if (is_alias_host(v) && first_of(p, v->refs[0].role) >= 0)
            continue;
        if (!head)
            mm_sb_adds(o, "    extra_hosts:\n");
        head = true;
        char *t = mm_plan_value_str(v, service_of_role, w);
        mm_sb_adds(o, "      - ");
        add_q(o, t);
        mm_sb_addc(o, '\n');
        free(t);
    }
    head = false;
    for (size_t k = 0; k < s->dns.n; k++) {
        const mm_plan_value *v = &s->dns.items[k];
        if (v->n_refs) {
            mm_sb_addf(o, "    # dns: the %s container, which compose cannot say (it wants an IP here):\n"
                          "    # names are resolved by Docker's DNS on the network instead\n",
                       v->refs[0].role);
            continue;
        }
        if (!head)
            mm_sb_adds(o, "    dns:\n");
        head = true;
        mm_sb_adds(o, "      - ");
        add_q(o, v->text);
        mm_sb_addc(o, '\n');
    }
    if (s->network_mode && strcmp(s->network_mode, "host") == 0)
        mm_sb_adds(o, "    # `up` runs it on the host's network; here it joins the network " NETWORK
                      " to reach the others by name\n");
    mm_sb_adds(o, "    networks:\n      " NETWORK ":\n");
    if (w->aliases[i].n) {
        mm_sb_adds(o, "        aliases:\n");
        for (size_t k = 0; k < w->aliases[i].n; k++) {
            mm_sb_adds(o, "          - ");
            add_q(o, w->aliases[i].items[k]);
            mm_sb_addc(o, '\n');
        }
    }
    if (s->depends.n) {
        mm_sb_adds(o, "    depends_on:\n");
        for (size_t k = 0; k < s->depends.n; k++) {
            long t = first_of(p, s->depends.items[k]);
            if (t < 0)
                continue;
            if (stack)
                mm_sb_addf(o, "      - %s\n", w->names[t]);
            else
                mm_sb_addf(o, "      %s:\n        condition: %s\n", w->names[t],
                           w->health[t] ? "service_healthy" : "service_started");
        }
    }
    if (stack)
        /* the service's name is its container's address, as `up` gives
         * IPs, rather than a virtual IP in front of it */
        mm_sb_adds(o, "    deploy:\n      endpoint_mode: dnsrr\n");
    if (w->health[i]) {
        int retries = p->timeout > 0 ? p->timeout : 60;
        mm_sb_adds(o, "    healthcheck:\n      test: [\"CMD-SHELL\", ");
        add_q(o, w->health[i]);
        mm_sb_addf(o, "]\n      interval: 1s\n      timeout: 3s\n      retries: %d\n", retries);
    }
}

static void put_header(writer *w)
{
    const mm_plan *p = w->p;
    strbuf *o = &w->out;
    size_t agents = 0;
    for (size_t i = 0; i < p->n; i++)
        agents += strcmp(p->containers[i].role, "agent") == 0;
    bool marathon = first_of(p, "marathon") >= 0, stack = w->mode == MM_COMPOSE_STACK;
    mm_sb_addf(o, "# The containers of `minimesos up` (docs/cluster.md) for %s,\n"
                  "# written by `minimesos config --format %s`: cluster %s, %zu containers.\n",
               stack ? "`docker stack deploy`" : "docker-compose", stack ? "stack" : "compose",
               p->cluster_id, p->n);
    if (stack)
        mm_sb_adds(o, "#   docker stack deploy -c FILE NAME    starts it; docker stack rm NAME removes it\n"
                      "#   (`minimesos destroy` removes its containers, but the swarm starts them again).\n");
    else
        mm_sb_adds(o, "#   docker-compose -f FILE up -d    starts it; `minimesos info`, `state`, `ps` and\n"
                      "#   `destroy`, run in the minimesosFile's folder, find it by its labels.\n");
    mm_sb_adds(o, "# What compose cannot say the way `up` does it:\n");
    mm_sb_addf(o, "# - readiness: `up` waits (%d s at most) until the master's /state.json counts\n"
                  "#   %zu active agent%s%s.\n",
               p->timeout, agents, agents == 1 ? "" : "s",
               marathon ? ", and until Marathon's /v2/apps answers" : "");
    if (stack)
        mm_sb_addf(o, "#   A stack runs the healthchecks below and restarts what fails, but does not\n"
                      "#   wait for the agents to register: ask the master's /state.json\n"
                      "#   (activated_slaves = %zu).\n", agents);
    else
        mm_sb_addf(o, "#   docker-compose starts a service once those it depends on are healthy (the\n"
                      "#   healthchecks below), but does not wait for the agents to register:\n"
                      "#   `minimesos wait --agents %zu`, in the minimesosFile's folder, does.\n", agents);
    mm_sb_adds(o, "# - addresses: `up` writes the IPs of the containers it depends on into the\n"
                  "#   environment and command; here they are service names, resolved by Docker's DNS\n"
                  "#   on the network " NETWORK ". Links and extra hosts are network aliases.\n");
    if (stack)
        mm_sb_adds(o, "# - a stack has no container names, no privileged containers, no `pid: host`,\n"
                      "#   no start order (depends_on is ignored: a service that fails is restarted),\n"
                      "#   no exposed ports (every port is open on the network) and no port bound to\n"
                      "#   one address; comments below say where it matters.\n");
    mm_sb_adds(o, stack ? "version: \"3.8\"\n" : "");
    mm_sb_adds(o, "services:\n");
}

char *mm_compose_write(const mm_plan *p, mm_compose_mode mode)
{
    writer w = { .p = p, .mode = mode, .out = STRBUF_INIT };
    prepare(&w);
    put_header(&w);
    for (size_t i = 0; i < p->n; i++)
        put_service(&w, i);
    strbuf *o = &w.out;
    mm_sb_adds(o, "networks:\n  " NETWORK ":\n");
    if (mode == MM_COMPOSE_STACK)
        mm_sb_adds(o, "    driver: overlay\n    attachable: true\n");
    /* the cluster's labels: `destroy` removes the network with its containers */
    mm_sb_adds(o, "    labels:\n      \"" MM_LABEL_CLUSTER "\": ");
    add_q(o, p->cluster_id);
    mm_sb_adds(o, "\n      \"" MM_LABEL_DIR "\": ");
    add_q(o, p->dir);
    mm_sb_addc(o, '\n');
    finish(&w);
    return mm_sb_detach(&w.out);
}

/* ------------------------------------------------------------ lint --swarm */

/* The last property of block b named one of names (the one that wins), or NULL. */
static const mm_node *last_property(const mm_node *b, const char *const *names)
{
    const mm_node *found = NULL;
    for (const mm_node *n = b->first_child; n; n = n->next)
        for (const char *const *k = names; *k; k++)
            if (n->kind == MM_NODE_PROPERTY && strcmp(n->name, *k) == 0)
                found = n;
    return found;
}

size_t mm_compose_stack_lint(const mm_file *f, const mm_cluster *c, mm_diags *d)
{
    if (!f || !f->root || !c)
        return 0;
    size_t before = d->len, agent = 0;
    static const char *const privileged[] = { "privileged", NULL };
    static const char *const map_ports[] = { "mapPortsToHost", NULL };
    /* the model's agents are the agent blocks, in file order */
    for (const mm_node *n = f->root->first_child; n && agent < c->n_agents; n = n->next) {
        if (n->kind != MM_NODE_BLOCK || strcmp(n->name, "agent") != 0)
            continue;
        if (c->agents[agent].privileged) {
            const mm_node *p = last_property(n, privileged);
            mm_diag_add(d, MM_W_NOT_FOR_STACK, p ? p->span : n->name_span,
                        "set `privileged = false` in this block, or start the cluster with "
                        "`minimesos up` or docker-compose",
                        "agent %zu is privileged%s, which a stack cannot honour: a swarm service "
                        "is never privileged",
                        agent, p ? "" : " (the default)");
        }
        agent++;
    }
    if (c->map_ports_to_host) {
        const mm_node *p = last_property(f->root, map_ports);
        mm_diag_add(d, MM_W_NOT_FOR_STACK, p ? p->span : f->root->name_span,
                    "`config --format stack` leaves the ports unpublished; "
                    "--bind-address 0.0.0.0 publishes them on every address",
                    "ports published on one address, which a stack cannot honour: a swarm "
                    "publishes a port on every address of the node");
    }
    return d->len - before;
}
