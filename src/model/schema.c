/* The schema table (see schema.h) and the value checks its rules name. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/schema.h"
#include "base/util.h"
#include "minimesos/diag.h"

const char *const mm_sc_mesos_versions[] = {
    "0.25", "0.25.0", "0.26", "0.27", "0.28", "0.28.0", "0.28.1", "1.0.0", NULL,
};
const char *const *mm_mesos_versions(void)
{
    return mm_sc_mesos_versions;
}

const char *const mm_sc_levels[] = { "INFO", "WARNING", "ERROR", NULL };

#define MARATHON_CMD "--master zk://minimesos-zookeeper:2181/mesos --zk zk://minimesos-zookeeper:2181/marathon"

/* Rows: name, type, flags, rule, string default, int/bool default, offset, doc. */
#define ROW_S(name, fl, rule, def, st, field, doc) \
    { name, SC_STRING, fl, rule, def, 0, offsetof(st, field), doc }
#define ROW_I(name, fl, rule, def, st, field, doc) \
    { name, SC_INT, fl, rule, NULL, def, offsetof(st, field), doc }
#define ROW_B(name, def, st, field, doc) \
    { name, SC_BOOL, 0, SC_R_NONE, NULL, def, offsetof(st, field), doc }
#define ROW_N(name, fl, rule, st, field, doc) \
    { name, SC_NUMBER, fl, rule, NULL, 0, offsetof(st, field), doc }

static const sc_prop cluster_props[] = {
    ROW_S("clusterName", SC_F_NULLABLE, SC_R_NONE, NULL, mm_cluster, cluster_name,
          "a name for the cluster (free text)"),
    ROW_S("loggingLevel", 0, SC_R_LEVEL, "INFO", mm_cluster, logging_level,
          "log level of the Mesos processes; master and agents inherit it"),
    ROW_B("mapAgentSandboxVolume", 0, mm_cluster, map_agent_sandbox_volume,
          "mount the agents' sandboxes in the host's folder"),
    ROW_B("mapPortsToHost", 0, mm_cluster, map_ports_to_host,
          "publish the services' ports on the host"),
    ROW_S("mesosVersion", 0, SC_R_VERSION, SC_DEFAULT_MESOS_VERSION, mm_cluster, mesos_version,
          "the Mesos version; it picks the master and agent image tags"),
    ROW_I("timeout", 0, SC_R_POSITIVE, 60, mm_cluster, timeout,
          "seconds to wait for the cluster to be ready"),
};

static const sc_prop master_props[] = {
    ROW_S("imageName", 0, SC_R_IMAGE_NAME, "containersol/mesos-master", mm_master, image.name,
          "Docker image of the Mesos master"),
    ROW_S("imageTag", SC_F_DERIVED, SC_R_IMAGE_TAG, NULL, mm_master, image.tag,
          "its tag, derived from mesosVersion"),
    ROW_S("loggingLevel", 0, SC_R_LEVEL_INHERIT, SC_INHERIT, mm_master, logging_level,
          "its log level; the sentinel takes the cluster's"),
    ROW_B("authenticate", 0, mm_master, authenticate,
          "require frameworks to authenticate"),
    ROW_S("aclJson", SC_F_NULLABLE, SC_R_JSON, NULL, mm_master, acl_json,
          "Mesos ACLs as JSON; used only with authenticate = true"),
};

static const sc_prop agent_props[] = {
    ROW_S("imageName", 0, SC_R_IMAGE_NAME, "containersol/mesos-agent", mm_agent, image.name,
          "Docker image of the Mesos agent"),
    ROW_S("imageTag", SC_F_DERIVED, SC_R_IMAGE_TAG, NULL, mm_agent, image.tag,
          "its tag, derived from mesosVersion"),
    ROW_S("loggingLevel", 0, SC_R_LEVEL_INHERIT, SC_INHERIT, mm_agent, logging_level,
          "its log level; the sentinel takes the cluster's"),
    ROW_I("portNumber", 0, SC_R_PORT, 5051, mm_agent, port_number,
          "the port the agent listens on"),
    ROW_S("attributes", 0, SC_R_NONE, "", mm_agent, attributes,
          "Mesos attributes: name:value pairs joined by ;"),
    ROW_B("privileged", 1, mm_agent, privileged,
          "run the agent container privileged (false for rootless engines)"),
#ifdef MM_SCHEMA_TEST_ROW
    /* Only in the build of tests/schema_row.sh, which proves that a row and
     * its model field are all a new property needs. */
    ROW_S("testRow", SC_F_NULLABLE, SC_R_NONE, "row-default", mm_agent, test_row,
          "a property of the schema test build only"),
#endif
};

static const sc_prop scalar_props[] = {
    ROW_S("role", 0, SC_R_ROLE, "*", mm_resource, role,
          "Mesos role: * or a role name"),
    ROW_N("value", SC_F_REQUIRED, SC_R_SCALAR, mm_resource, value,
          "a non-negative number"),
};

static const sc_prop ports_props[] = {
    ROW_S("role", 0, SC_R_ROLE, "*", mm_resource, role,
          "Mesos role: * or a role name"),
    ROW_S("value", SC_F_REQUIRED, SC_R_RANGES, NULL, mm_resource, ranges,
          "port ranges such as \"[31000-32000]\" or \"[514-514,8080-8090]\""),
};

#define IMAGE_ROWS(img_, tag_, what_) \
    ROW_S("imageName", 0, SC_R_IMAGE_NAME, img_, mm_image, name, "Docker image of " what_), \
    ROW_S("imageTag", 0, SC_R_IMAGE_TAG, tag_, mm_image, tag, "its tag")

static const sc_prop zookeeper_props[] = { IMAGE_ROWS("jplock/zookeeper", "3.4.6", "ZooKeeper") };
static const sc_prop consul_props[] = { IMAGE_ROWS("consul", "0.7.1", "Consul") };
static const sc_prop registrator_props[] = {
    IMAGE_ROWS("gliderlabs/registrator", "v6", "Registrator"),
};
static const sc_prop mesosdns_props[] = { IMAGE_ROWS("xebia/mesos-dns", "0.0.5", "Mesos-DNS") };

static const sc_prop marathon_props[] = {
    ROW_S("imageName", 0, SC_R_IMAGE_NAME, "mesosphere/marathon", mm_marathon, image.name,
          "Docker image of Marathon"),
    ROW_S("imageTag", 0, SC_R_IMAGE_TAG, "v1.3.5", mm_marathon, image.tag, "its tag"),
    ROW_S("cmd", 0, SC_R_NONE, MARATHON_CMD, mm_marathon, cmd,
          "Marathon's command line"),
};

static const sc_prop app_props[] = {
    ROW_S("marathonJson", SC_F_REQUIRED, SC_R_PATH_OR_URL, NULL, sc_app, marathon_json,
          "path (relative to this file) or http(s) URL of the definition"),
};

#define PROPS(a) a, sizeof a / sizeof a[0]

#define ROOT SC_AT_ROOT, 0, 0, sizeof(mm_cluster)
#define ONE(pst, field, st) SC_AT_ONE, offsetof(pst, field), 0, sizeof(st)
#define MANY(pst, field, count, st) SC_AT_MANY, offsetof(pst, field), offsetof(pst, count), sizeof(st)
#define RES(k) SC_AT_MANY, offsetof(mm_agent, res[k]), offsetof(mm_agent, n_res[k]), sizeof(mm_resource)
#define NONE SC_B__COUNT

/* Rows: id, name, parent, repeat, resource kind, properties, doc, where the
 * model keeps it, JSON key, the block it requires, always in the effective
 * model (add_effective in model.c adds those; test_schema.c ties the two). */
static const sc_block blocks[SC_B__COUNT] = {
    [SC_B_CLUSTER] = { SC_B_CLUSTER, "minimesos", SC_B__COUNT, false, 0, PROPS(cluster_props),
                       "the cluster", ROOT, NULL, NONE, false },
    [SC_B_MASTER] = { SC_B_MASTER, "master", SC_B_CLUSTER, false, 0, PROPS(master_props),
                      "the Mesos master", ONE(mm_cluster, master, mm_master), NULL, NONE, true },
    [SC_B_AGENT] = { SC_B_AGENT, "agent", SC_B_CLUSTER, true, 0, PROPS(agent_props),
                     "a Mesos agent (one block each)",
                     MANY(mm_cluster, agents, n_agents, mm_agent), "agents", NONE, false },
    [SC_B_RESOURCES] = { SC_B_RESOURCES, "resources", SC_B_AGENT, false, 0, NULL, 0,
                         "what the agent offers, over the defaults",
                         SC_AT_INLINE, 0, 0, 0, NULL, NONE, false },
    [SC_B_CPU] = { SC_B_CPU, "cpu", SC_B_RESOURCES, true, MM_RES_CPUS, PROPS(scalar_props),
                   "CPUs for a role (default cpus(*):4)", RES(MM_RES_CPUS), "cpus", NONE, false },
    [SC_B_MEM] = { SC_B_MEM, "mem", SC_B_RESOURCES, true, MM_RES_MEM, PROPS(scalar_props),
                   "memory in MB for a role (default mem(*):1024)", RES(MM_RES_MEM), "mem", NONE, false },
    [SC_B_DISK] = { SC_B_DISK, "disk", SC_B_RESOURCES, true, MM_RES_DISK, PROPS(scalar_props),
                    "disk in MB for a role (default disk(*):2000)", RES(MM_RES_DISK), "disk", NONE, false },
    [SC_B_PORTS] = { SC_B_PORTS, "ports", SC_B_RESOURCES, true, MM_RES_PORTS, PROPS(ports_props),
                     "port ranges for a role (default ports(*):[31000-32000])", RES(MM_RES_PORTS),
                     "ports", NONE, false },
    [SC_B_ZOOKEEPER] = { SC_B_ZOOKEEPER, "zookeeper", SC_B_CLUSTER, false, 0, PROPS(zookeeper_props),
                         "ZooKeeper, for the master and Marathon",
                         ONE(mm_cluster, zookeeper, mm_image), NULL, NONE, true },
    [SC_B_MARATHON] = { SC_B_MARATHON, "marathon", SC_B_CLUSTER, false, 0, PROPS(marathon_props),
                        "Marathon and the apps it starts", ONE(mm_cluster, marathon, mm_marathon),
                        NULL, NONE, false },
    [SC_B_APP] = { SC_B_APP, "app", SC_B_MARATHON, true, 0, PROPS(app_props),
                   "a Marathon app to install", MANY(mm_marathon, apps, n_apps, sc_app), "apps", NONE, false },
    [SC_B_GROUP] = { SC_B_GROUP, "group", SC_B_MARATHON, true, 0, PROPS(app_props),
                     "a Marathon group to install", MANY(mm_marathon, groups, n_groups, sc_app),
                     "groups", NONE, false },
    [SC_B_CONSUL] = { SC_B_CONSUL, "consul", SC_B_CLUSTER, false, 0, PROPS(consul_props),
                      "Consul service discovery", ONE(mm_cluster, consul, mm_image), NULL, NONE, false },
    [SC_B_REGISTRATOR] = { SC_B_REGISTRATOR, "registrator", SC_B_CLUSTER, false, 0,
                           PROPS(registrator_props),
                           "Registrator: registers containers into Consul (needs consul)",
                           ONE(mm_cluster, registrator, mm_image), NULL, SC_B_CONSUL, false },
    [SC_B_MESOSDNS] = { SC_B_MESOSDNS, "mesosdns", SC_B_CLUSTER, false, 0, PROPS(mesosdns_props),
                        "Mesos-DNS", ONE(mm_cluster, mesosdns, mm_image), NULL, NONE, false },
};

/* An app or group is kept as its marathonJson string: the array of char *
 * is read as an array of sc_app, so they must have the same layout. */
_Static_assert(sizeof(sc_app) == sizeof(char *) && offsetof(sc_app, marathon_json) == 0,
               "sc_app must overlay a char *");

size_t mm_sc_count(const sc_block *cb, const void *parent_obj)
{
    const char *p = parent_obj;
    switch (cb->at_kind) {
    case SC_AT_ROOT:
    case SC_AT_INLINE: return 1;
    case SC_AT_ONE: return *(void *const *)(p + cb->at) ? 1 : 0;
    case SC_AT_MANY: return *(const size_t *)(p + cb->count_at);
    }
    return 0;
}

void *mm_sc_instance(const sc_block *cb, const void *parent_obj, size_t i)
{
    char *p = (char *)parent_obj;
    switch (cb->at_kind) {
    case SC_AT_ROOT:
    case SC_AT_INLINE: return p;
    case SC_AT_ONE: return *(void **)(p + cb->at);
    case SC_AT_MANY: return *(char **)(p + cb->at) + i * cb->size;
    }
    return NULL;
}

const char *mm_sc_json_key(const sc_block *b)
{
    return b->json_key ? b->json_key : b->name;
}

void mm_sc_free_fields(const sc_block *b, void *obj)
{
    for (size_t i = 0; i < b->n_props; i++)
        if (b->props[i].type == SC_STRING) {
            char **f = &SC_FIELD(obj, &b->props[i], char *);
            free(*f);
            *f = NULL;
        }
    for (size_t id = 0; id < SC_B__COUNT; id++) {
        const sc_block *cb = &blocks[id];
        if (cb->parent != b->id)
            continue;
        size_t n = mm_sc_count(cb, obj);
        for (size_t i = 0; i < n; i++)
            mm_sc_free_fields(cb, mm_sc_instance(cb, obj, i));
        char *p = obj;
        if (cb->at_kind == SC_AT_ONE) {
            free(*(void **)(p + cb->at));
            *(void **)(p + cb->at) = NULL;
        } else if (cb->at_kind == SC_AT_MANY) {
            free(*(void **)(p + cb->at));
            *(void **)(p + cb->at) = NULL;
            *(size_t *)(p + cb->count_at) = 0;
        }
    }
}


/* Renamed properties: block, old name, new name. */
static const struct { sc_block_id block; const char *from, *to; } renames[] = {
    { SC_B_CLUSTER, "exposePorts", "mapPortsToHost" },
};

const sc_block *mm_sc_block_get(sc_block_id id)
{
    return id < SC_B__COUNT ? &blocks[id] : NULL;
}

const sc_prop *mm_sc_prop_find(const sc_block *b, const char *name)
{
    for (size_t i = 0; i < b->n_props; i++)
        if (strcmp(b->props[i].name, name) == 0)
            return &b->props[i];
    return NULL;
}

const sc_block *mm_sc_child_find(const sc_block *b, const char *name)
{
    for (size_t i = 0; i < SC_B__COUNT; i++)
        if (blocks[i].parent == b->id && strcmp(blocks[i].name, name) == 0)
            return &blocks[i];
    return NULL;
}

const char *mm_sc_renamed(const sc_block *b, const char *name)
{
    for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++)
        if (renames[i].block == b->id && strcmp(renames[i].from, name) == 0)
            return renames[i].to;
    return NULL;
}

const char *mm_sc_type_name(sc_type t)
{
    switch (t) {
    case SC_STRING: return "string";
    case SC_INT: return "int";
    case SC_NUMBER: return "number";
    case SC_BOOL: return "bool";
    }
    return "?";
}

char *mm_sc_prop_default_text(const sc_prop *p)
{
    if (p->flags & SC_F_REQUIRED)
        return mm_xstrdup("required");
    if (p->flags & SC_F_DERIVED)
        return mm_xasprintf("<mesosVersion>%s", SC_TAG_SUFFIX);
    switch (p->type) {
    case SC_STRING: return p->def_str ? mm_xasprintf("\"%s\"", p->def_str) : mm_xstrdup("null");
    case SC_INT:
    case SC_NUMBER: return mm_xasprintf("%ld", p->def_num);
    case SC_BOOL: return mm_xstrdup(p->def_num ? "true" : "false");
    }
    return mm_xstrdup("");
}

static void add_words(strbuf *sb, const char *const *v)
{
    for (size_t i = 0; v[i]; i++)
        mm_sb_addf(sb, "%s%s", i == 0 ? "" : v[i + 1] ? ", " : " or ", v[i]);
}

char *mm_sc_prop_allowed_text(const sc_prop *p)
{
    strbuf sb = STRBUF_INIT;
    switch (p->rule) {
    case SC_R_NONE: break;
    case SC_R_LEVEL_INHERIT:
        mm_sb_adds(&sb, "\"" SC_INHERIT "\", ");
        /* fall through */
    case SC_R_LEVEL:
        add_words(&sb, mm_sc_levels);
        mm_sb_adds(&sb, " (any case)");
        break;
    case SC_R_VERSION: add_words(&sb, mm_sc_mesos_versions); break;
    case SC_R_POSITIVE: mm_sb_adds(&sb, "greater than 0"); break;
    case SC_R_PORT: mm_sb_adds(&sb, "1..65535"); break;
    case SC_R_IMAGE_NAME: mm_sb_adds(&sb, "a Docker repository name, without a tag"); break;
    case SC_R_IMAGE_TAG: mm_sb_adds(&sb, "a Docker tag"); break;
    case SC_R_JSON: mm_sb_adds(&sb, "valid JSON text"); break;
    case SC_R_ROLE: mm_sb_adds(&sb, "* or a name of letters, digits, _ . - (not starting with . or -)"); break;
    case SC_R_SCALAR: mm_sb_adds(&sb, "a number >= 0 (a quoted number is accepted)"); break;
    case SC_R_RANGES: mm_sb_adds(&sb, "\"[low-high,...]\" with low <= high <= 65535"); break;
    case SC_R_PATH_OR_URL: mm_sb_adds(&sb, "a path relative to the minimesosFile, or an http(s) URL"); break;
    }
    if (p->flags & SC_F_NULLABLE)
        mm_sb_adds(&sb, sb.len ? "; or null" : "any, or null");
    return mm_sb_detach(&sb);
}

size_t mm_sc_children(const sc_block *b, const sc_block *out[SC_B__COUNT])
{
    size_t n = 0;
    for (size_t i = 0; i < SC_B__COUNT; i++)
        if (blocks[i].parent == b->id)
            out[n++] = &blocks[i];
    return n;
}

static void add_list(strbuf *sb, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        mm_sb_addf(sb, "%s`%s`", i ? ", " : "", names[i]);
}

/* The names of b's properties or child blocks, NULL-terminated, from the rows. */
static void names_of(const sc_block *b, bool children, const char **out)
{
    size_t n = 0;
    if (children) {
        const sc_block *kids[SC_B__COUNT];
        size_t k = mm_sc_children(b, kids);
        for (size_t i = 0; i < k; i++)
            out[n++] = kids[i]->name;
    } else {
        for (size_t i = 0; i < b->n_props; i++)
            out[n++] = b->props[i].name;
    }
    out[n] = NULL;
}

char *mm_sc_hint_unknown(const sc_block *b, const char *name, bool prefer_blocks)
{
    const char **props = mm_xmalloc((b->n_props + 1) * sizeof *props);
    const char *kids[SC_B__COUNT + 1];
    names_of(b, false, props);
    names_of(b, true, kids);
    const char *const *first = prefer_blocks ? kids : props;
    const char *const *second = prefer_blocks ? props : kids;
    const char *best = mm_closest(name, first);
    if (!best)
        best = mm_closest(name, second);
    char *hint;
    if (best) {
        hint = mm_xasprintf("did you mean `%s`?", best);
    } else {
        strbuf sb = STRBUF_INIT;
        if (props[0]) {
            mm_sb_adds(&sb, "properties allowed here: ");
            add_list(&sb, props);
        }
        if (kids[0]) {
            mm_sb_adds(&sb, sb.len ? "; blocks: " : "blocks allowed here: ");
            add_list(&sb, kids);
        }
        if (!sb.len)
            mm_sb_adds(&sb, "nothing may be set here");
        hint = mm_sb_detach(&sb);
    }
    free(props);
    return hint;
}

/* ---- value checks ---- */

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool any_alnum(char c)
{
    return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | -+ */
static bool valid_path_component(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return false;
    for (;;) {
        if (i >= n || !lower_alnum(s[i]))
            return false;
        while (i < n && lower_alnum(s[i]))
            i++;
        if (i == n)
            return true;
        if (s[i] == '.')
            i++;
        else if (s[i] == '_')
            i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        else if (s[i] == '-')
            while (i < n && s[i] == '-')
                i++;
        else
            return false;
    }
}

/* domain := component ('.' component)* [':' port]; component := alnum ([alnum-]* alnum)? */
static bool valid_domain(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t host_len = colon ? (size_t)(colon - s) : n;
    if (colon) {
        size_t plen = n - host_len - 1;
        if (plen == 0 || plen > 5)
            return false;
        for (size_t i = host_len + 1; i < n; i++)
            if (!isdigit((unsigned char)s[i]))
                return false;
    }
    size_t i = 0;
    while (i < host_len) {
        size_t start = i;
        while (i < host_len && s[i] != '.')
            i++;
        size_t len = i - start;
        if (len == 0 || !any_alnum(s[start]) || !any_alnum(s[i - 1]))
            return false;
        for (size_t k = start; k < i; k++)
            if (!any_alnum(s[k]) && s[k] != '-')
                return false;
        if (i < host_len)
            i++; /* the dot */
        if (i == host_len && s[i - 1] == '.')
            return false;
    }
    return host_len > 0;
}

bool mm_sc_valid_image_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255)
        return false;
    const char *slash = strchr(s, '/');
    const char *path = s;
    if (slash) {
        size_t first = (size_t)(slash - s);
        bool is_domain = memchr(s, '.', first) || memchr(s, ':', first) ||
                         (first == 9 && memcmp(s, "localhost", 9) == 0);
        if (!is_domain)
            for (size_t i = 0; i < first; i++)
                if (s[i] >= 'A' && s[i] <= 'Z')
                    is_domain = true;
        if (is_domain) {
            if (!valid_domain(s, first))
                return false;
            path = slash + 1;
        }
    }
    /* path components separated by '/' */
    const char *p = path;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!valid_path_component(p, len))
            return false;
        if (!e)
            return true;
        p = e + 1;
    }
}

bool mm_sc_valid_image_tag(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128)
        return false;
    if (!(any_alnum(s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(any_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

bool mm_sc_valid_role(const char *s)
{
    if (strcmp(s, "*") == 0)
        return true;
    if (!(any_alnum(s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; s[i]; i++)
        if (!(any_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

static const char *skip_sp(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A port: 1 to 5 digits; returns the end, or NULL. */
static const char *parse_port(const char *p, long *out)
{
    const char *s = p;
    long v = 0;
    while (isdigit((unsigned char)*p) && p - s < 6)
        v = v * 10 + (*p++ - '0');
    if (p == s || isdigit((unsigned char)*p))
        return NULL;
    *out = v;
    return p;
}

char *mm_sc_check_ranges(const char *s)
{
    const char *p = skip_sp(s);
    if (*p != '[')
        return mm_xstrdup("a range list starts with `[`, as in \"[31000-32000]\"");
    p++;
    for (int n = 0;; n++) {
        long lo, hi;
        p = skip_sp(p);
        const char *q = parse_port(p, &lo);
        if (!q) {
            if (*p == ']' && n == 0)
                return mm_xstrdup("the range list is empty");
            if (isdigit((unsigned char)*p))
                return mm_xasprintf("the port starting \"%.8s\" is above 65535", p);
            return mm_xstrdup("expected a range low-high, as in \"[31000-32000]\"");
        }
        p = skip_sp(q);
        if (*p != '-')
            return mm_xstrdup("expected a range low-high, as in \"[31000-32000]\"");
        p = skip_sp(p + 1);
        q = parse_port(p, &hi);
        if (!q) {
            if (isdigit((unsigned char)*p))
                return mm_xasprintf("the port starting \"%.8s\" is above 65535", p);
            return mm_xstrdup("expected a range low-high, as in \"[31000-32000]\"");
        }
        if (lo > 65535)
            return mm_xasprintf("port %ld is above 65535", lo);
        if (hi > 65535)
            return mm_xasprintf("port %ld is above 65535", hi);
        if (lo > hi)
            return mm_xasprintf("range %ld-%ld is reversed (low above high)", lo, hi);
        p = skip_sp(q);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != ']')
            return mm_xstrdup("expected `,` or `]` after a range");
        p = skip_sp(p + 1);
        if (*p)
            return mm_xstrdup("unexpected text after `]`");
        return NULL;
    }
}

/* The patterns, piece by piece, beside the checks they mirror. */
#define RX_SP      "[ \t]*"
/* a port of 1 to 6 digits worth 0..65535 (parse_port reads up to 6) */
#define RX_PORT5   "([0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
#define RX_PORT    "([0-9]{1,4}|" RX_PORT5 "|0" RX_PORT5 ")"
#define RX_RANGE   RX_PORT RX_SP "-" RX_SP RX_PORT
/* valid_domain: components of alnum and -, not starting or ending with -; a port */
#define RX_DCOMP   "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
#define RX_DOMAIN  RX_DCOMP "([.]" RX_DCOMP ")*(:[0-9]{1,5})?"
/* valid_path_component; RX_PCOMP_ND without `.`: a first part with a `.`
 * (or `:`, upper case, or localhost) followed by `/` is a domain */
#define RX_PCOMP    "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*"
#define RX_PCOMP_ND "[a-z0-9]+((_|__|-+)[a-z0-9]+)*"

const char *mm_sc_rule_pattern(sc_rule r)
{
    switch (r) {
    case SC_R_ROLE: return "^([*]|[A-Za-z0-9_][A-Za-z0-9_.-]*)$";
    case SC_R_IMAGE_TAG: return "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
    case SC_R_IMAGE_NAME:
        return "^(" RX_DOMAIN "/" RX_PCOMP "(/" RX_PCOMP ")*|" RX_PCOMP_ND "(/" RX_PCOMP ")+|"
               RX_PCOMP ")$";
    case SC_R_RANGES:
        return "^" RX_SP "\\[" RX_SP RX_RANGE RX_SP "(," RX_SP RX_RANGE RX_SP ")*\\]" RX_SP "$";
    case SC_R_SCALAR: /* the text form; "-0" is zero */
        return "^(-0+([.]0+)?|[0-9]+([.][0-9]+)?)([eE][+-]?[0-9]+)?$";
    case SC_R_NONE:
    case SC_R_LEVEL:
    case SC_R_LEVEL_INHERIT:
    case SC_R_VERSION:
    case SC_R_POSITIVE:
    case SC_R_PORT:
    case SC_R_JSON:
    case SC_R_PATH_OR_URL:
        break;
    }
    return NULL;
}

size_t mm_sc_rule_max_length(sc_rule r)
{
    switch (r) {
    case SC_R_IMAGE_NAME: return 255;
    case SC_R_SCALAR: return MM_MAX_NUMBER_CHARS;
    default: return 0;
    }
}

bool mm_sc_parse_number_text(const char *s, double *out)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p || p - s > MM_MAX_NUMBER_CHARS)
        return false;
    *out = strtod(s, NULL);
    return true;
}

char *mm_sc_derived_tag(const char *mesos_version)
{
    return mm_xasprintf("%s" SC_TAG_SUFFIX, mesos_version ? mesos_version : SC_DEFAULT_MESOS_VERSION);
}

const char *mm_sc_format_double(double v, char buf[32])
{
    if (!isfinite(v)) {
        snprintf(buf, 32, "0");
        return buf;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        /* integers are most values: digits by hand, printf is the hot spot */
        long long n = (long long)v;
        char tmp[24];
        size_t k = 0, o = 0;
        unsigned long long u = n < 0 ? (unsigned long long)(-n) : (unsigned long long)n;
        do {
            tmp[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (n < 0)
            buf[o++] = '-';
        while (k)
            buf[o++] = tmp[--k];
        buf[o] = '\0';
        return buf;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}
