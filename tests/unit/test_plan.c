/* The plan: golden JSON for real minimesosFiles (fixed cluster id and
 * uuids), and properties of plans built from models made in code.
 * MM_UPDATE_GOLDEN=1 rewrites the golden files (review the diff!). */
#include "testutil.h"
#include "minimesos/minimesos.h"
#include "minimesos/plan.h"
#include "model/schema.h" /* every string property of the language, from its table */

#include <cjson/cJSON.h>

static const char *const golden_names[] = {
    "upstream-basic", "upstream-complete", "upstream-two-agents",
    "upstream-authenticationTest", "upstream-withMarathon", "vault-gatekeeper",
    "twosigma-cook", "upstream-mesosClusterTest",
};

static const char *const uuids[] = {
    "101", "202", "303", "404", "505", "606", "707", "808", "909", "1010", "1111", "1212",
};

/* Fixed identity, so the golden files do not depend on where the tree is. */
static void fix_paths(mm_cluster *c)
{
    free(c->path);
    free(c->dir);
    c->path = strdup("/home/user/project/minimesosFile");
    c->dir = strdup("/home/user/project");
}

static mm_plan *plan_of(mm_cluster *c, long num_agents, int map, const char *bind)
{
    mm_plan_options o = {
        .cluster_id = "3878417609", .uuids = uuids, .n_uuids = sizeof uuids / sizeof uuids[0],
        .num_agents = num_agents, .map_ports_to_host = map, .bind_address = bind,
    };
    char *err = NULL;
    mm_plan *p = mm_plan_build(c, &o, &err);
    ck_assert_msg(p, "plan failed: %s", err ? err : "?");
    return p;
}

START_TEST(golden)
{
    const char *name = golden_names[_i];
    char in[1024], gold[1024];
    snprintf(in, sizeof in, "%s/tests/golden/plan/%s.minimesosFile", tu_srcdir(), name);
    snprintf(gold, sizeof gold, "%s/tests/golden/plan/%s.json", tu_srcdir(), name);
    mm_diags d;
    mm_diags_init(&d, in);
    mm_cluster *c = mm_cluster_load(in, MM_MODEL_EFFECTIVE, &d);
    ck_assert_msg(c, "%s does not load", in);
    mm_diags_free(&d);
    fix_paths(c);
    mm_plan *p = plan_of(c, -1, -1, NULL);
    cJSON *j = mm_plan_to_json(p);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    const char *upd = getenv("MM_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        FILE *f = fopen(gold, "w");
        ck_assert(f);
        fputs(text, f);
        fputc('\n', f);
        fclose(f);
    }
    size_t len;
    char *want = tu_read_file(gold, &len);
    ck_assert_msg(want, "missing golden file %s (run with MM_UPDATE_GOLDEN=1)", gold);
    char *got = malloc(strlen(text) + 2);
    sprintf(got, "%s\n", text);
    ck_assert_msg(strcmp(got, want) == 0, "plan of %s differs from %s", name, gold);
    free(got);
    free(want);
    free(text);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

static const mm_container_spec *find_role(const mm_plan *p, const char *role, int nth)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->containers[i].role, role) == 0 && nth-- == 0)
            return &p->containers[i];
    return NULL;
}

static bool list_has(const mm_plan_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

/* A value as `up --dry-run` shows it (references as {{role.ip}}), in one
 * of a few rotating buffers. */
static const char *shown(const mm_plan_value *v)
{
    static char bufs[8][4096];
    static int next;
    char *s = mm_plan_value_str(v, NULL, NULL);
    char *out = bufs[next++ % 8];
    snprintf(out, sizeof bufs[0], "%s", s);
    free(s);
    return out;
}

static bool values_has(const mm_plan_values *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(shown(&l->items[i]), s) == 0)
            return true;
    return false;
}

static const mm_plan_value *env_value(const mm_container_spec *s, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < s->env.n; i++)
        if (strncmp(s->env.items[i].text, key, n) == 0 && s->env.items[i].text[n] == '=')
            return &s->env.items[i];
    return NULL;
}

static const char *env_of(const mm_container_spec *s, const char *key)
{
    const mm_plan_value *v = env_value(s, key);
    return v ? shown(v) + strlen(key) + 1 : NULL;
}

/* The value refers to role's IP exactly once, at offset at of its text. */
static void assert_one_ref(const mm_plan_value *v, const char *text, size_t at, const char *role)
{
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v->text, text);
    ck_assert_uint_eq(v->n_refs, 1);
    ck_assert_uint_eq(v->refs[0].at, at);
    ck_assert_str_eq(v->refs[0].role, role);
}

static int index_of(const mm_plan *p, const mm_container_spec *s)
{
    return (int)(s - p->containers);
}

START_TEST(default_cluster_names_labels_order)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    fix_paths(c);
    mm_cluster_add_default_agents(c, 2);
    mm_plan *p = plan_of(c, -1, -1, NULL);
    ck_assert_uint_eq(p->n, 4);
    ck_assert_str_eq(p->containers[0].role, "zookeeper");
    ck_assert_str_eq(p->containers[1].role, "master");
    ck_assert_str_eq(p->containers[2].role, "agent");
    ck_assert_str_eq(p->containers[3].role, "agent");
    ck_assert_str_eq(p->containers[0].name, "minimesos-zookeeper-3878417609-101");
    ck_assert_str_eq(p->containers[2].name, "minimesos-agent-3878417609-303");
    ck_assert_str_eq(p->containers[2].hostname, "agent-303");
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        ck_assert(list_has(&s->labels, MM_LABEL_CLUSTER "=3878417609"));
        ck_assert(list_has(&s->labels, MM_LABEL_CONFIG "=/home/user/project/minimesosFile"));
        ck_assert(list_has(&s->labels, MM_LABEL_DIR "=/home/user/project"));
        char role[64];
        snprintf(role, sizeof role, MM_LABEL_ROLE "=%s", s->role);
        ck_assert(list_has(&s->labels, role));
    }
    /* Default agent: privileged, host PID, binds, link, env placeholders. */
    const mm_container_spec *a = find_role(p, "agent", 0);
    ck_assert(a->privileged);
    ck_assert_str_eq(a->pid_mode, "host");
    ck_assert(list_has(&a->binds, "/var/run/docker.sock:/var/run/docker.sock:rw"));
    ck_assert(list_has(&a->binds, "/sys/fs/cgroup:/sys/fs/cgroup"));
    ck_assert(list_has(&a->binds, "/home/user/project:/home/user/project"));
    ck_assert(list_has(&a->volumes, "/var/lib/mesos/agent-303"));
    ck_assert(list_has(&a->links, "minimesos-zookeeper-3878417609-101:minimesos-zookeeper"));
    ck_assert_str_eq(env_of(a, "MESOS_MASTER"), "zk://{{zookeeper.ip}}:2181/mesos");
    assert_one_ref(env_value(a, "MESOS_MASTER"), "MESOS_MASTER=zk://:2181/mesos", 18, "zookeeper");
    /* Nothing else refers to another container. */
    for (size_t i = 0; i < a->env.n; i++)
        ck_assert_uint_eq(a->env.items[i].n_refs, strcmp(a->env.items[i].text, "MESOS_MASTER=zk://:2181/mesos") == 0);
    ck_assert_str_eq(env_of(a, "MESOS_RESOURCES"), "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000");
    ck_assert_str_eq(env_of(a, "MESOS_WORK_DIR"), "/var/lib/mesos/agent-303");
    ck_assert_str_eq(env_of(a, "MESOS_PORT"), "5051");
    ck_assert_str_eq(env_of(a, "MESOS_LOGGING_LEVEL"), "INFO");
    ck_assert_str_eq(env_of(a, "SERVICE_IGNORE"), "1");
    /* 5051 plus 31000..32000 exposed, none published. */
    ck_assert_uint_eq(a->n_ports, 1 + 1001);
    for (size_t i = 0; i < a->n_ports; i++)
        ck_assert(!a->ports[i].publish);
    const mm_container_spec *m = find_role(p, "master", 0);
    ck_assert_str_eq(env_of(m, "MESOS_ZK"), "zk://{{zookeeper.ip}}:2181/mesos");
    assert_one_ref(env_value(m, "MESOS_ZK"), "MESOS_ZK=zk://:2181/mesos", 14, "zookeeper");
    ck_assert_str_eq(env_of(m, "MESOS_QUORUM"), "1");
    ck_assert_ptr_null(env_of(m, "MESOS_AUTHENTICATE"));
    ck_assert(list_has(&m->depends, "zookeeper"));
    /* Agents point at ZooKeeper only: they start alongside the master. */
    ck_assert_uint_eq(a->depends.n, 1);
    ck_assert_str_eq(a->depends.items[0], "zookeeper");
    ck_assert_uint_eq(m->dns.n, 0);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

START_TEST(published_ports_bind_to_loopback_or_given_address)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    fix_paths(c);
    mm_plan *p = plan_of(c, -1, 1, NULL);
    cJSON *body = mm_plan_create_body(p, find_role(p, "master", 0), NULL, NULL);
    const cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "HostConfig"),
                                                             "PortBindings"), "5050/tcp");
    ck_assert(b);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "HostIp")->valuestring, "127.0.0.1");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "HostPort")->valuestring, "5050");
    cJSON_Delete(body);
    mm_plan_free(p);

    p = plan_of(c, -1, 1, "10.1.2.3");
    body = mm_plan_create_body(p, find_role(p, "zookeeper", 0), NULL, NULL);
    b = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "HostConfig"),
                                                 "PortBindings"), "2181/tcp");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "HostIp")->valuestring, "10.1.2.3");
    /* 2888 and 3888 are exposed, never published. */
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "HostConfig"),
                                                               "PortBindings"), "2888/tcp"));
    ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "ExposedPorts"), "2888/tcp"));
    cJSON_Delete(body);
    mm_plan_free(p);

    /* Not mapped: no PortBindings at all. */
    p = plan_of(c, -1, 0, NULL);
    body = mm_plan_create_body(p, find_role(p, "master", 0), NULL, NULL);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "HostConfig"), "PortBindings"));
    cJSON_Delete(body);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

static const char *fake_ip(const char *role, void *ctx)
{
    (void)ctx;
    if (strcmp(role, "zookeeper") == 0)
        return "172.17.0.2";
    if (strcmp(role, "consul") == 0)
        return "172.17.0.3";
    if (strcmp(role, "mesosdns") == 0)
        return "172.17.0.4";
    return NULL;
}

START_TEST(references_fill_at_their_offsets)
{
    mm_plan_ref refs[] = { { 5, (char *)"zookeeper" }, { 10, (char *)"consul" }, { 10, (char *)"nobody" } };
    mm_plan_value v = { (char *)"zk://:2181{{x}}", refs, 3 };
    char *s = mm_plan_value_str(&v, fake_ip, NULL);
    /* Filled where the plan says, the text (braces and all) left as it is;
     * a role the lookup does not know is shown. */
    ck_assert_str_eq(s, "zk://172.17.0.2:2181172.17.0.3{{nobody.ip}}{{x}}");
    free(s);
    s = mm_plan_value_str(&v, NULL, NULL);
    ck_assert_str_eq(s, "zk://{{zookeeper.ip}}:2181{{consul.ip}}{{nobody.ip}}{{x}}");
    free(s);
    mm_plan_value lit = { (char *)"{{zookeeper.ip}}", NULL, 0 };
    s = mm_plan_value_str(&lit, fake_ip, NULL);
    ck_assert_str_eq(s, "{{zookeeper.ip}}");
    free(s);
    mm_plan_value empty = { (char *)"", NULL, 0 };
    s = mm_plan_value_str(&empty, fake_ip, NULL);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(every_service_wired)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    fix_paths(c);
    mm_cluster_add_default_agents(c, 3);
    c->agents[1].privileged = false;
    c->consul = calloc(1, sizeof *c->consul);
    c->consul->name = strdup("consul");
    c->consul->tag = strdup("0.7.1");
    c->registrator = calloc(1, sizeof *c->registrator);
    c->registrator->name = strdup("gliderlabs/registrator");
    c->registrator->tag = strdup("v6");
    c->mesosdns = calloc(1, sizeof *c->mesosdns);
    c->mesosdns->name = strdup("xebia/mesos-dns");
    c->mesosdns->tag = strdup("0.0.5");
    c->marathon = calloc(1, sizeof *c->marathon);
    c->marathon->image.name = strdup("mesosphere/marathon");
    c->marathon->image.tag = strdup("v1.3.5");
    c->marathon->cmd = strdup("  --master zk://minimesos-zookeeper:2181/mesos\t--zk zk://minimesos-zookeeper:2181/marathon ");
    c->map_agent_sandbox_volume = true;
    mm_plan *p = plan_of(c, 2, -1, NULL); /* --num-agents 2 */
    ck_assert_uint_eq(p->n, 2 + 2 + 4);
    ck_assert_ptr_null(find_role(p, "agent", 2));
    const mm_container_spec *zk = find_role(p, "zookeeper", 0), *consul = find_role(p, "consul", 0),
        *dns = find_role(p, "mesosdns", 0), *m = find_role(p, "master", 0),
        *a1 = find_role(p, "agent", 1), *mar = find_role(p, "marathon", 0),
        *reg = find_role(p, "registrator", 0);
    /* Start order respects every dependency. */
    ck_assert_int_lt(index_of(p, zk), index_of(p, dns));
    ck_assert_int_lt(index_of(p, dns), index_of(p, m));
    ck_assert_int_lt(index_of(p, m), index_of(p, a1));
    ck_assert_int_lt(index_of(p, a1), index_of(p, mar));
    ck_assert_int_lt(index_of(p, consul), index_of(p, reg));
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < p->containers[i].depends.n; k++) {
            const mm_container_spec *dep = find_role(p, p->containers[i].depends.items[k], 0);
            ck_assert(dep);
            ck_assert_int_lt(index_of(p, dep), (int)i);
        }
    ck_assert(values_has(&m->dns, "{{mesosdns.ip}}"));
    ck_assert(values_has(&a1->dns, "{{mesosdns.ip}}"));
    assert_one_ref(&a1->dns.items[0], "", 0, "mesosdns");
    /* Every role a reference names is a dependency. */
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        const mm_plan_values *fields[] = { &s->cmd, &s->env, &s->extra_hosts, &s->dns };
        for (size_t f = 0; f < 4; f++)
            for (size_t v = 0; v < fields[f]->n; v++)
                for (size_t r = 0; r < fields[f]->items[v].n_refs; r++)
                    ck_assert_msg(list_has(&s->depends, fields[f]->items[v].refs[r].role),
                                  "%s refers to %s without depending on it", s->name,
                                  fields[f]->items[v].refs[r].role);
    }
    ck_assert(!a1->privileged);
    ck_assert(find_role(p, "agent", 0)->privileged);
    ck_assert(list_has(&a1->binds, "/home/user/project/.minimesos/sandbox-3878417609/agent-606:"
                                   "/var/lib/mesos/agent-606/slaves:rw"));
    ck_assert_uint_eq(mar->cmd.n, 4);
    ck_assert_str_eq(mar->cmd.items[0].text, "--master");
    ck_assert_str_eq(mar->cmd.items[3].text, "zk://minimesos-zookeeper:2181/marathon");
    ck_assert(values_has(&mar->extra_hosts, "minimesos-zookeeper:{{zookeeper.ip}}"));
    assert_one_ref(&mar->extra_hosts.items[0], "minimesos-zookeeper:", 20, "zookeeper");
    ck_assert_str_eq(reg->network_mode, "host");
    ck_assert_str_eq(shown(&reg->cmd.items[1]), "consul://{{consul.ip}}:8500");
    assert_one_ref(&reg->cmd.items[1], "consul://:8500", 9, "consul");
    ck_assert(list_has(&reg->binds, "/var/run/docker.sock:/tmp/docker.sock"));
    ck_assert_str_eq(consul->cmd.items[0].text, "agent");
    ck_assert_str_eq(env_of(dns, "MESOS_DNS_ZK"), "zk://{{zookeeper.ip}}:2181/mesos");
    ck_assert_str_eq(env_of(dns, "MESOS_DNS_DOMAIN"), "mm");
    /* The create body with IPs resolved. */
    cJSON *body = mm_plan_create_body(p, reg, fake_ip, NULL);
    ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(body, "Cmd"), 1)->valuestring,
                     "consul://172.17.0.3:8500");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "HostConfig"), "NetworkMode")->valuestring,
                     "host");
    cJSON_Delete(body);
    body = mm_plan_create_body(p, a1, fake_ip, NULL);
    char *text = cJSON_PrintUnformatted(body);
    ck_assert_ptr_null(strstr(text, "{{"));
    ck_assert_ptr_nonnull(strstr(text, "\"MESOS_MASTER=zk://172.17.0.2:2181/mesos\""));
    ck_assert_ptr_nonnull(strstr(text, "\"Dns\":[\"172.17.0.4\"]"));
    ck_assert_ptr_nonnull(strstr(text, "\"Privileged\":false"));
    free(text);
    cJSON_Delete(body);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

START_TEST(authentication_env)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    fix_paths(c);
    c->master->authenticate = true;
    c->master->acl_json = strdup("{\"run_tasks\": []}");
    free(c->cluster_name);
    c->cluster_name = strdup("two words");
    mm_plan *p = plan_of(c, -1, -1, NULL);
    const mm_container_spec *m = find_role(p, "master", 0);
    ck_assert_str_eq(env_of(m, "MESOS_AUTHENTICATE"), "true");
    ck_assert_str_eq(env_of(m, "MESOS_ACLS"), "{\"run_tasks\": []}");
    ck_assert_str_eq(env_of(m, "MESOS_CLUSTER"), "two words");
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

/* ---- user text is never a template ----
 * The plan refers to other containers' IPs; user values that look like those
 * references ({{zookeeper.ip}}, ...) or like any template syntax must reach
 * the container specs unchanged. Every string property of the schema table
 * is set, in turn, to text holding every placeholder form; what the model
 * accepts must come out verbatim in the create bodies, with IPs filled in
 * only where the plan itself refers to a container. */

static const char user_text[] =
    "a{{zookeeper.ip}}b{{master.ip}}c{{consul.ip}}d{{mesosdns.ip}}e{{agent.ip}}"
    "f{{marathon.ip}}g{{registrator.ip}}h{{x}}i{{.ip}}j}}k{{l{{zookeeper.ip";

/* A distinct IP for every role (and for anything else), so an expansion
 * anywhere shows. */
static const char *every_ip(const char *role, void *ctx)
{
    (void)ctx;
    static const char *const roles[][2] = {
        { "zookeeper", "10.0.0.1" }, { "master", "10.0.0.2" }, { "consul", "10.0.0.3" },
        { "mesosdns", "10.0.0.4" }, { "agent", "10.0.0.5" }, { "marathon", "10.0.0.6" },
        { "registrator", "10.0.0.7" },
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i][0]) == 0)
            return roles[i][1];
    return "10.0.0.99";
}

/* The strings the plan itself fills with an IP: nothing else may hold one. */
static const char *const filled_by_the_plan[] = {
    "MESOS_ZK=zk://10.0.0.1:2181/mesos", "MESOS_MASTER=zk://10.0.0.1:2181/mesos",
    "MESOS_DNS_ZK=zk://10.0.0.1:2181/mesos", "10.0.0.4", "minimesos-zookeeper:10.0.0.1",
    "consul://10.0.0.3:8500",
};

static void check_strings(const cJSON *j, const char *what, const char *value, bool *seen)
{
    if (cJSON_IsString(j)) {
        const char *s = j->valuestring;
        if (strstr(s, "10.0.0.")) {
            bool ok = false;
            for (size_t i = 0; i < sizeof filled_by_the_plan / sizeof filled_by_the_plan[0]; i++)
                ok |= strcmp(s, filled_by_the_plan[i]) == 0;
            ck_assert_msg(ok, "%s: a user value was expanded as a template: \"%s\"", what, s);
        }
        if (value && strstr(s, value))
            *seen = true;
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, j) {
        if (c->string && strstr(c->string, "10.0.0."))
            ck_assert_msg(0, "%s: a user value was expanded in a key: \"%s\"", what, c->string);
        if (c->string && value && strstr(c->string, value))
            *seen = true;
        check_strings(c, what, value, seen);
    }
}

/* Every create body of the plan of c, IPs filled: no stray IP, and value
 * (when given) somewhere verbatim. Returns whether value was seen. */
static bool plan_passes_text_through(mm_cluster *c, const char *what, const char *value)
{
    mm_plan *p = plan_of(c, -1, -1, NULL);
    bool seen = false;
    for (size_t i = 0; i < p->n; i++) {
        cJSON *body = mm_plan_create_body(p, &p->containers[i], every_ip, NULL);
        check_strings(body, what, value, &seen);
        cJSON_Delete(body);
    }
    mm_plan_free(p);
    return seen;
}

/* A minimesosFile with every block, and `line` in block `where` (a base
 * line of that block setting the same property is left out). */
static char *file_with(sc_block_id where, const char *prop, const char *line)
{
    static const struct { sc_block_id id; const char *open, *base[3]; } parts[] = {
        { SC_B_CLUSTER, "minimesos {", { "mapAgentSandboxVolume = true", NULL } },
        { SC_B_MASTER, "master {", { "authenticate = true", "aclJson = '{}'", NULL } },
        { SC_B_AGENT, "agent {", { "privileged = false", NULL } },
        { SC_B_RESOURCES, "resources {", { NULL } },
        { SC_B_CPU, "cpu {", { "value = 2", NULL } },
        { SC_B_MEM, "mem {", { "value = 512", NULL } },
        { SC_B_DISK, "disk {", { "value = 100", NULL } },
        { SC_B_PORTS, "ports {", { "value = \"[31000-31001]\"", NULL } },
        { SC_B_ZOOKEEPER, "zookeeper {", { NULL } },
        { SC_B_MARATHON, "marathon {", { NULL } },
        { SC_B_APP, "app {", { "marathonJson = \"app.json\"", NULL } },
        { SC_B_GROUP, "group {", { "marathonJson = \"group.json\"", NULL } },
        { SC_B_CONSUL, "consul {", { NULL } },
        { SC_B_REGISTRATOR, "registrator {", { NULL } },
        { SC_B_MESOSDNS, "mesosdns {", { NULL } },
    };
    /* Nesting: which blocks close after which. */
    static const struct { sc_block_id after; int closes; } closes[] = {
        { SC_B_MASTER, 1 }, { SC_B_CPU, 1 }, { SC_B_MEM, 1 }, { SC_B_DISK, 1 },
        { SC_B_PORTS, 3 }, /* ports, resources, agent */
        { SC_B_ZOOKEEPER, 1 }, { SC_B_APP, 1 }, { SC_B_GROUP, 2 }, /* group, marathon */
        { SC_B_CONSUL, 1 }, { SC_B_REGISTRATOR, 1 }, { SC_B_MESOSDNS, 2 }, /* mesosdns, cluster */
    };
    size_t cap = 8192, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
#define ADD(...) (len += (size_t)snprintf(out + len, cap - len, __VA_ARGS__))
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        ADD("%s\n", parts[i].open);
        for (size_t k = 0; parts[i].base[k]; k++) {
            size_t n = strlen(prop);
            if (parts[i].id == where && strncmp(parts[i].base[k], prop, n) == 0 &&
                parts[i].base[k][n] == ' ')
                continue;
            ADD("%s\n", parts[i].base[k]);
        }
        if (parts[i].id == where)
            ADD("%s\n", line);
        for (size_t k = 0; k < sizeof closes / sizeof closes[0]; k++)
            if (closes[k].after == parts[i].id)
                for (int m = 0; m < closes[k].closes; m++)
                    ADD("}\n");
    }
#undef ADD
    ck_assert_uint_lt(len, cap - 1);
    return out;
}

static mm_cluster *build_text(const char *text, bool *had_errors)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(text, strlen(text), "t", &d);
    mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &d);
    mm_file_free(f);
    *had_errors = c == NULL;
    mm_diags_free(&d);
    return c;
}

START_TEST(user_text_is_never_a_template)
{
    /* The base file itself plans cleanly. */
    char *base = file_with(SC_B__COUNT, "", "");
    bool bad;
    mm_cluster *c = build_text(base, &bad);
    ck_assert_msg(c, "the base file does not load:\n%s", base);
    fix_paths(c);
    plan_passes_text_through(c, "base", NULL);
    mm_cluster_free(c);
    free(base);

    /* Two spellings: the text as is, and as a JSON string (for aclJson). */
    char json_text[sizeof user_text + 2];
    snprintf(json_text, sizeof json_text, "\"%s\"", user_text);
    const char *const values[] = { user_text, json_text };
    /* Where an accepted free-text value must show up in the containers. */
    static const char *const reaches_containers[] = { "clusterName", "aclJson", "attributes", "cmd" };
    static const char *const reaches_nothing[] = { "marathonJson" }; /* read by `up` to deploy */
    size_t accepted = 0;
    for (int b = 0; b < SC_B__COUNT; b++) {
        const sc_block *blk = mm_sc_block_get((sc_block_id)b);
        for (size_t i = 0; i < blk->n_props; i++) {
            const sc_prop *prop = &blk->props[i];
            if (prop->type != SC_STRING)
                continue;
            for (size_t v = 0; v < 2; v++) {
                char line[1024];
                snprintf(line, sizeof line, "%s = '%s'", prop->name, values[v]);
                char *text = file_with((sc_block_id)b, prop->name, line);
                c = build_text(text, &bad);
                free(text);
                if (!c)
                    continue; /* the language refuses it: it reaches no container */
                accepted++;
                fix_paths(c);
                char what[128];
                snprintf(what, sizeof what, "%s.%s = '%s'", blk->name, prop->name, values[v]);
                bool must_show = false, known = false;
                for (size_t k = 0; k < sizeof reaches_containers / sizeof *reaches_containers; k++)
                    if (strcmp(prop->name, reaches_containers[k]) == 0)
                        must_show = known = true;
                for (size_t k = 0; k < sizeof reaches_nothing / sizeof *reaches_nothing; k++)
                    known |= strcmp(prop->name, reaches_nothing[k]) == 0;
                ck_assert_msg(known, "%s: a new free-text property: say where it reaches the containers", what);
                bool seen = plan_passes_text_through(c, what, values[v]);
                if (must_show)
                    ck_assert_msg(seen, "%s: the value does not reach the containers verbatim", what);
                mm_cluster_free(c);
            }
        }
    }
    /* At least clusterName, attributes, cmd and marathonJson (app, group) in
     * both spellings, and aclJson as a JSON string. */
    ck_assert_uint_ge(accepted, 11);

    /* Exactly where: master env, agent env, Marathon's command. */
    char *text = malloc(4096);
    snprintf(text, 4096,
             "minimesos {\n clusterName = '%s'\n master {\n  authenticate = true\n  aclJson = '%s'\n }\n"
             " agent {\n  attributes = '%s'\n }\n marathon {\n  cmd = '--x %s'\n }\n"
             " consul {\n }\n registrator {\n }\n mesosdns {\n }\n}\n",
             user_text, json_text, user_text, user_text);
    c = build_text(text, &bad);
    ck_assert_msg(c, "does not load:\n%s", text);
    free(text);
    fix_paths(c);
    mm_plan *p = plan_of(c, -1, -1, NULL);
    char want[1024];
    cJSON *body = mm_plan_create_body(p, find_role(p, "master", 0), every_ip, NULL);
    char *s = cJSON_PrintUnformatted(body);
    snprintf(want, sizeof want, "\"MESOS_CLUSTER=%s\"", user_text);
    ck_assert_msg(strstr(s, want), "MESOS_CLUSTER is not the user's text: %s", s);
    ck_assert_msg(strstr(s, "\"MESOS_ACLS=\\\"a{{zookeeper.ip}}b{{master.ip}}"), "MESOS_ACLS: %s", s);
    ck_assert_msg(strstr(s, "\"MESOS_ZK=zk://10.0.0.1:2181/mesos\""), "MESOS_ZK not filled: %s", s);
    free(s);
    cJSON_Delete(body);
    body = mm_plan_create_body(p, find_role(p, "agent", 0), every_ip, NULL);
    s = cJSON_PrintUnformatted(body);
    snprintf(want, sizeof want, "\"MESOS_ATTRIBUTES=%s\"", user_text);
    ck_assert_msg(strstr(s, want), "MESOS_ATTRIBUTES is not the user's text: %s", s);
    ck_assert_msg(strstr(s, "\"MESOS_MASTER=zk://10.0.0.1:2181/mesos\""), "MESOS_MASTER not filled: %s", s);
    ck_assert_msg(strstr(s, "\"Dns\":[\"10.0.0.4\"]"), "Dns not filled: %s", s);
    free(s);
    cJSON_Delete(body);
    body = mm_plan_create_body(p, find_role(p, "marathon", 0), every_ip, NULL);
    const cJSON *cmd = cJSON_GetObjectItem(body, "Cmd");
    ck_assert_int_eq(cJSON_GetArraySize(cmd), 2);
    ck_assert_str_eq(cJSON_GetArrayItem(cmd, 1)->valuestring, user_text);
    cJSON_Delete(body);

    /* `up --dry-run` shows references as {{role.ip}} and says where each is:
     * exactly the plan's own, none inside the user's text. */
    cJSON *j = mm_plan_to_json(p);
    size_t n_refs = 0;
    const cJSON *ct;
    cJSON_ArrayForEach(ct, cJSON_GetObjectItem(j, "containers")) {
        const cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(ct, "create"), "body"), *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(ct, "references")) {
            const char *field = cJSON_GetObjectItem(r, "field")->valuestring;
            const cJSON *arr = strncmp(field, "HostConfig.", 11) == 0
                                   ? cJSON_GetObjectItem(cJSON_GetObjectItem(b, "HostConfig"), field + 11)
                                   : cJSON_GetObjectItem(b, field);
            const char *str = cJSON_GetArrayItem(arr, cJSON_GetObjectItem(r, "index")->valueint)->valuestring;
            int off = cJSON_GetObjectItem(r, "offset")->valueint, len = cJSON_GetObjectItem(r, "length")->valueint;
            snprintf(want, sizeof want, "{{%s.ip}}", cJSON_GetObjectItem(r, "ipOf")->valuestring);
            ck_assert_int_eq(len, (int)strlen(want));
            ck_assert_int_le(off + len, (int)strlen(str));
            ck_assert_msg(strncmp(str + off, want, (size_t)len) == 0, "reference at %d of \"%s\"", off, str);
            ck_assert_msg(!strstr(str, user_text), "a reference inside the user's text: %s", str);
            n_refs++;
        }
    }
    /* mesosdns, master and agent (zookeeper, Dns), marathon, registrator. */
    ck_assert_uint_eq(n_refs, 1 + 2 + 2 + 1 + 1);
    cJSON_Delete(j);
    mm_plan_free(p);

    /* The folder is user text too: binds and labels keep it. */
    free(c->path);
    free(c->dir);
    c->path = strdup("/tmp/{{zookeeper.ip}}/{{x}}/minimesosFile");
    c->dir = strdup("/tmp/{{zookeeper.ip}}/{{x}}");
    c->map_agent_sandbox_volume = true;
    ck_assert(plan_passes_text_through(c, "folder", "/tmp/{{zookeeper.ip}}/{{x}}:/tmp/{{zookeeper.ip}}/{{x}}"));
    mm_cluster_free(c);
}
END_TEST

START_TEST(too_many_agents_is_an_error)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_plan_options o = { .cluster_id = "1", .num_agents = 3, .map_ports_to_host = -1 };
    char *err = NULL;
    ck_assert_ptr_null(mm_plan_build(c, &o, &err));
    ck_assert_ptr_nonnull(err);
    free(err);
    ck_assert_uint_eq(mm_plan_count(c, 3), 5);
    mm_cluster_free(c);
}
END_TEST

/* The default cluster with n agents (zookeeper, master, agents),
 * placed on n_engines: "role=engine ..." in plan order, or NULL with *err. */
static char *placement(size_t n_agents, size_t n_engines, const char *const *rules, size_t n_rules, char **err)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    if (c->n_agents < n_agents)
        mm_cluster_add_default_agents(c, n_agents - c->n_agents);
    mm_plan *p = plan_of(c, (long)n_agents, -1, NULL);
    size_t *node = calloc(p->n, sizeof *node);
    char *out = NULL;
    *err = NULL;
    if (mm_plan_place(p, n_engines, rules, n_rules, node, err) == 0) {
        out = calloc(p->n * 24 + 1, 1);
        for (size_t i = 0; i < p->n; i++)
            sprintf(out + strlen(out), "%s%s=%zu", i ? " " : "", p->containers[i].role, node[i]);
    }
    free(node);
    mm_plan_free(p);
    mm_cluster_free(c);
    return out;
}

static void assert_placement(size_t n_agents, size_t n_engines, const char *const *rules, size_t n_rules,
                             const char *want)
{
    char *err = NULL, *got = placement(n_agents, n_engines, rules, n_rules, &err);
    ck_assert_msg(got, "placement failed: %s", err ? err : "?");
    ck_assert_str_eq(got, want);
    free(got);
}

static void assert_place_error(size_t n_engines, const char *rule, const char *want_part)
{
    const char *const rules[] = { rule };
    char *err = NULL, *got = placement(2, n_engines, rules, 1, &err);
    ck_assert_msg(!got, "--place %s was accepted: %s", rule, got ? got : "");
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, want_part), "error for %s: %s (wanted %s)", rule, err, want_part);
    ck_assert_msg(strstr(err, rule), "error does not name the rule: %s", err);
    free(err);
}

START_TEST(placement_round_robin_and_rules)
{
    /* One engine: everything on it (the plain up is the one-element case). */
    assert_placement(4, 1, NULL, 0, "zookeeper=0 master=0 agent=0 agent=0 agent=0 agent=0");
    /* Agents round-robin from engine 0, the rest on engine 0. */
    assert_placement(4, 3, NULL, 0, "zookeeper=0 master=0 agent=0 agent=1 agent=2 agent=0");
    assert_placement(1, 4, NULL, 0, "zookeeper=0 master=0 agent=0");
    /* Rules in order: every agent on 1, then agent 2 back on 0; the master on 1. */
    const char *const r1[] = { "agent=1", "agent:2=0", "master=1" };
    assert_placement(4, 2, r1, 3, "zookeeper=0 master=1 agent=1 agent=1 agent=0 agent=1");
    /* A later rule overrides an earlier one. */
    const char *const r2[] = { "agent:0=1", "agent=0" };
    assert_placement(2, 2, r2, 2, "zookeeper=0 master=0 agent=0 agent=0");
}
END_TEST

START_TEST(placement_errors_name_the_rule)
{
    assert_place_error(2, "agent=2", "there are 2 engines");
    assert_place_error(1, "master=1", "there is 1 engine");
    assert_place_error(2, "agent:7=1", "no agent number 7");
    assert_place_error(2, "consul=1", "has no consul");
    assert_place_error(2, "master:0=1", "only agents");
    assert_place_error(2, "agent", "not ROLE=N");
    assert_place_error(2, "=1", "not ROLE=N");
    assert_place_error(2, "agent=", "not ROLE=N");
    assert_place_error(2, "agent=-1", "not ROLE=N");
    assert_place_error(2, "agent=1x", "not ROLE=N");
    assert_place_error(2, "agent:=1", "not ROLE=N");
    assert_place_error(2, "agent=99999999999999999999", "not ROLE=N");
    char *err = NULL;
    ck_assert_ptr_null(placement(1, 0, NULL, 0, &err));
    ck_assert_ptr_nonnull(err);
    free(err);
}
END_TEST

/* A lookup that knows only the zookeeper's address (an overlay one). */
static const char *zk_only(const char *role, void *ctx)
{
    (void)ctx;
    return strcmp(role, "zookeeper") == 0 ? "10.0.9.2" : NULL;
}

static cJSON *swarm_body_of(const mm_plan *p, const char *role, mm_plan_lookup lookup)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->containers[i].role, role) == 0) {
            cJSON *body = mm_plan_create_body(p, &p->containers[i], lookup, NULL);
            const char *const engines[] = { "unix:///var/run/docker.sock", "tcp://node2:2376" };
            mm_plan_swarm_body(p, &p->containers[i], body, "minimesos-3878417609", engines, 2, 1, lookup, NULL);
            return body;
        }
    ck_abort_msg("no %s in the plan", role);
    return NULL;
}

START_TEST(swarm_body_overlay_node_and_links)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    c->registrator = calloc(1, sizeof *c->registrator);
    c->registrator->name = strdup("gliderlabs/registrator");
    c->registrator->tag = strdup("v6");
    mm_cluster_add_default_agents(c, 1);
    mm_plan *p = plan_of(c, 1, -1, NULL);
    /* The agent: on the overlay, labelled with its engine, its link to the
     * zookeeper an ExtraHosts line at the zookeeper's address. */
    cJSON *agent = swarm_body_of(p, "agent", zk_only);
    cJSON *host = cJSON_GetObjectItemCaseSensitive(agent, "HostConfig");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(host, "NetworkMode")),
                     "minimesos-3878417609");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(agent, "Labels"), MM_LABEL_NODE)),
                     "tcp://node2:2376");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(agent, "Labels"), MM_LABEL_ENGINES)),
                     "unix:///var/run/docker.sock tcp://node2:2376");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(host, "Links"));
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(host, "ExtraHosts"), *line;
    int found = 0;
    cJSON_ArrayForEach(line, extra)
        found += strcmp(cJSON_GetStringValue(line), "minimesos-zookeeper:10.0.9.2") == 0;
    ck_assert_int_eq(found, 1);
    cJSON_Delete(agent);
    /* Without the zookeeper's address the link is dropped, not guessed. */
    agent = swarm_body_of(p, "agent", NULL);
    host = cJSON_GetObjectItemCaseSensitive(agent, "HostConfig");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(host, "Links"));
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(host, "ExtraHosts"))
        ck_assert_msg(!strstr(cJSON_GetStringValue(line), "minimesos-zookeeper:"), "guessed %s",
                      cJSON_GetStringValue(line));
    cJSON_Delete(agent);
    /* Registrator stays on its node's host network, labelled all the same. */
    cJSON *reg = swarm_body_of(p, "registrator", zk_only);
    host = cJSON_GetObjectItemCaseSensitive(reg, "HostConfig");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(host, "NetworkMode")), "host");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(reg, "Labels"), MM_LABEL_NODE)),
                     "tcp://node2:2376");
    cJSON_Delete(reg);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plan");
    TCase *t = tcase_create("plan");
    tcase_add_loop_test(t, golden, 0, (int)(sizeof golden_names / sizeof golden_names[0]));
    tcase_add_test(t, default_cluster_names_labels_order);
    tcase_add_test(t, published_ports_bind_to_loopback_or_given_address);
    tcase_add_test(t, references_fill_at_their_offsets);
    tcase_add_test(t, every_service_wired);
    tcase_add_test(t, authentication_env);
    tcase_add_test(t, too_many_agents_is_an_error);
    tcase_add_test(t, user_text_is_never_a_template);
    tcase_add_test(t, placement_round_robin_and_rules);
    tcase_add_test(t, placement_errors_name_the_rule);
    tcase_add_test(t, swarm_body_overlay_node_and_links);
    suite_add_tcase(s, t);
    return tu_run(s);
}
