/* The plan: golden JSON for real minimesosFiles (fixed cluster id and
 * uuids), and properties of plans built from models made in code.
 * MM_UPDATE_GOLDEN=1 rewrites the golden files (review the diff!). */
#include "testutil.h"
#include "minimesos/minimesos.h"
#include "minimesos/plan.h"

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

static const char *env_of(const mm_container_spec *s, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < s->env.n; i++)
        if (strncmp(s->env.items[i], key, n) == 0 && s->env.items[i][n] == '=')
            return s->env.items[i] + n + 1;
    return NULL;
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

START_TEST(placeholders_resolve)
{
    char *s = mm_plan_resolve("zk://{{zookeeper.ip}}:2181/mesos", fake_ip, NULL);
    ck_assert_str_eq(s, "zk://172.17.0.2:2181/mesos");
    free(s);
    s = mm_plan_resolve("{{unknown.ip}} {{consul.ip}}{{", fake_ip, NULL);
    ck_assert_str_eq(s, "{{unknown.ip}} 172.17.0.3{{");
    free(s);
    s = mm_plan_resolve("", fake_ip, NULL);
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
    ck_assert(list_has(&m->dns, "{{mesosdns.ip}}"));
    ck_assert(list_has(&a1->dns, "{{mesosdns.ip}}"));
    ck_assert(!a1->privileged);
    ck_assert(find_role(p, "agent", 0)->privileged);
    ck_assert(list_has(&a1->binds, "/home/user/project/.minimesos/sandbox-3878417609/agent-606:"
                                   "/var/lib/mesos/agent-606/slaves:rw"));
    ck_assert_uint_eq(mar->cmd.n, 4);
    ck_assert_str_eq(mar->cmd.items[0], "--master");
    ck_assert_str_eq(mar->cmd.items[3], "zk://minimesos-zookeeper:2181/marathon");
    ck_assert(list_has(&mar->extra_hosts, "minimesos-zookeeper:{{zookeeper.ip}}"));
    ck_assert_str_eq(reg->network_mode, "host");
    ck_assert_str_eq(reg->cmd.items[1], "consul://{{consul.ip}}:8500");
    ck_assert(list_has(&reg->binds, "/var/run/docker.sock:/tmp/docker.sock"));
    ck_assert_str_eq(consul->cmd.items[0], "agent");
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

int main(void)
{
    Suite *s = suite_create("plan");
    TCase *t = tcase_create("plan");
    tcase_add_loop_test(t, golden, 0, (int)(sizeof golden_names / sizeof golden_names[0]));
    tcase_add_test(t, default_cluster_names_labels_order);
    tcase_add_test(t, published_ports_bind_to_loopback_or_given_address);
    tcase_add_test(t, placeholders_resolve);
    tcase_add_test(t, every_service_wired);
    tcase_add_test(t, authentication_env);
    tcase_add_test(t, too_many_agents_is_an_error);
    suite_add_tcase(s, t);
    return tu_run(s);
}
