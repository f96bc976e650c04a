/* The compose writer: golden files for corpus minimesosFiles (fixed cluster
 * id and uuids, both modes), YAML quoting of tricky text, and properties of
 * the files written from plans made in code.
 * MM_UPDATE_GOLDEN=1 rewrites the golden files (review the diff!). */
#include "testutil.h"
#include "minimesos/compose.h"
#include "minimesos/minimesos.h"
#include "minimesos/plan.h"

static const char *const golden_names[] = {
    "upstream-basic", "upstream-complete", "upstream-two-agents", "upstream-authenticationTest",
    "vault-gatekeeper", "twosigma-cook", "devops-utrecht-2016",
};

static const char *const uuids[] = {
    "101", "202", "303", "404", "505", "606", "707", "808", "909", "1010", "1111", "1212",
};

static mm_cluster *load(const char *path)
{
    mm_diags d;
    mm_diags_init(&d, path);
    mm_cluster *c = mm_cluster_load(path, MM_MODEL_EFFECTIVE, &d);
    ck_assert_msg(c, "%s does not load", path);
    mm_diags_free(&d);
    free(c->path);
    free(c->dir);
    c->path = strdup("/home/user/project/minimesosFile");
    c->dir = strdup("/home/user/project");
    return c;
}

static mm_plan *plan_of(const mm_cluster *c, int map, const char *bind)
{
    mm_plan_options o = {
        .cluster_id = "3878417609", .uuids = uuids, .n_uuids = sizeof uuids / sizeof uuids[0],
        .num_agents = -1, .map_ports_to_host = map, .bind_address = bind,
    };
    char *err = NULL;
    mm_plan *p = mm_plan_build(c, &o, &err);
    ck_assert_msg(p, "plan failed: %s", err ? err : "?");
    return p;
}

static void compare_golden(const char *text, const char *gold)
{
    const char *upd = getenv("MM_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        FILE *f = fopen(gold, "w");
        ck_assert(f);
        fputs(text, f);
        fclose(f);
    }
    char *want = tu_read_file(gold, NULL);
    ck_assert_msg(want, "missing golden file %s (run with MM_UPDATE_GOLDEN=1)", gold);
    ck_assert_msg(strcmp(text, want) == 0, "output differs from %s", gold);
    free(want);
}

START_TEST(golden)
{
    const char *name = golden_names[_i];
    char in[1024], gold[1024];
    snprintf(in, sizeof in, "%s/tests/corpus/accept/%s.minimesosFile", tu_srcdir(), name);
    mm_cluster *c = load(in);
    mm_plan *p = plan_of(c, -1, NULL);
    static const struct { mm_compose_mode mode; const char *ext; } modes[] = {
        { MM_COMPOSE_FILE, "compose" }, { MM_COMPOSE_STACK, "stack" },
    };
    for (size_t m = 0; m < 2; m++) {
        char *text = mm_compose_write(p, modes[m].mode);
        snprintf(gold, sizeof gold, "%s/tests/golden/compose/%s.%s.yml", tu_srcdir(), name, modes[m].ext);
        compare_golden(text, gold);
        free(text);
    }
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

START_TEST(quoting)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "\"\"" },
        { "plain", "\"plain\"" },
        { "say \"hi\"", "\"say \\\"hi\\\"\"" },
        { "a: b # c", "\"a: b # c\"" },
        { "- [x], {y}: &z *w !t |", "\"- [x], {y}: &z *w !t |\"" },
        { "C:\\dir\\", "\"C:\\\\dir\\\\\"" },
        { "two\nlines\r\n", "\"two\\nlines\\r\\n\"" },
        { "tab\there", "\"tab\\there\"" },
        { "$HOME ${X} $$", "\"$$HOME $${X} $$$$\"" },
        { "bell\a del\x7f", "\"bell\\x07 del\\x7F\"" },
        { "caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"" },
        { "nel\xc2\x85 ls\xe2\x80\xa8 ps\xe2\x80\xa9", "\"nel\\N ls\\L ps\\P\"" },
        { "c1\xc2\x9b bom\xef\xbb\xbf", "\"c1\\x9B bom\\uFEFF\"" },
        { "'single' 'quotes'", "\"'single' 'quotes'\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *q = mm_compose_quote(cases[i].in);
        ck_assert_msg(strcmp(q, cases[i].out) == 0, "quote(%s) = %s, not %s", cases[i].in, q, cases[i].out);
        free(q);
    }
}
END_TEST

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static mm_cluster *every_service(void)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    static const char src[] =
        "minimesos {\n"
        "  clusterName = 'x: \"y\" # $HOME\\n- z'\n"
        "  mapPortsToHost = true\n"
        "  agent { privileged = true }\n"
        "  agent { privileged = false; attributes = \"rack:1;zone:a\" }\n"
        "  consul { }\n  registrator { }\n  mesosdns { }\n  marathon { }\n"
        "}\n";
    mm_file *file = mm_parse(src, sizeof src - 1, "t", &d);
    mm_cluster *c = mm_cluster_build(file, MM_MODEL_EFFECTIVE, &d);
    ck_assert_msg(c, "the test file does not build");
    mm_file_free(file);
    mm_diags_free(&d);
    free(c->path);
    free(c->dir);
    c->path = strdup("/p/minimesosFile");
    c->dir = strdup("/p");
    return c;
}

START_TEST(compose_file_properties)
{
    mm_cluster *c = every_service();
    mm_plan *p = plan_of(c, -1, NULL);
    char *y = mm_compose_write(p, MM_COMPOSE_FILE);
    /* one service per container, with up's container name */
    for (size_t i = 0; i < p->n; i++) {
        char *q = mm_compose_quote(p->containers[i].name), *line = malloc(strlen(q) + 32);
        sprintf(line, "    container_name: %s\n", q);
        ck_assert_msg(count(y, line) == 1, "no service for %s", p->containers[i].name);
        free(line);
        free(q);
    }
    ck_assert(strstr(y, "\n  agent0:\n") && strstr(y, "\n  agent1:\n"));
    /* the user's text, quoted, with $ doubled */
    ck_assert(strstr(y, "      - \"MESOS_CLUSTER=x: \\\"y\\\" # $$HOME\\n- z\"\n"));
    /* references are service names; no template or IP is left */
    ck_assert_ptr_null(strstr(y, "{{"));
    ck_assert(strstr(y, "\"MESOS_ZK=zk://zookeeper:2181/mesos\""));
    ck_assert(strstr(y, "\"consul://consul:8500\""));
    /* the link and Marathon's extra host are one alias of zookeeper */
    ck_assert_uint_eq(count(y, "          - \"minimesos-zookeeper\"\n"), 1);
    ck_assert_ptr_null(strstr(y, "extra_hosts:"));
    ck_assert_ptr_null(strstr(y, "links:"));
    /* the DNS setting, an IP compose cannot name, is a comment */
    ck_assert_uint_eq(count(y, "    # dns: the mesosdns container"), 3);
    /* privileged as the blocks say, pid host for both agents */
    ck_assert_uint_eq(count(y, "    privileged: true\n"), 1);
    ck_assert_uint_eq(count(y, "    pid: \"host\"\n"), 2);
    /* service ports published on 127.0.0.1 only */
    ck_assert(strstr(y, "      - \"127.0.0.1:5050:5050/tcp\"\n"));
    ck_assert(strstr(y, "      - \"127.0.0.1:2181:2181/tcp\"\n"));
    ck_assert(strstr(y, "      - \"127.0.0.1:8080:8080/tcp\"\n"));
    ck_assert(strstr(y, "      - \"127.0.0.1:8500:8500/tcp\"\n"));
    ck_assert_uint_eq(count(y, ":5051:"), 0);
    ck_assert(strstr(y, "      - \"31000-32000/tcp\"\n"));
    /* start order: the master waits for a healthy zookeeper and a started mesosdns */
    ck_assert(strstr(y, "    depends_on:\n      zookeeper:\n        condition: service_healthy\n"
                        "      mesosdns:\n        condition: service_started\n"));
    ck_assert_ptr_null(strstr(y, "version:"));
    /* labels on every service, and on the network */
    ck_assert_uint_eq(count(y, "\"org.minimesos.cluster-id\": \"3878417609\""), p->n + 1);
    ck_assert_uint_eq(count(y, "\"org.minimesos.dir\": \"/p\""), p->n + 1);
    ck_assert_uint_eq(count(y, "\"org.minimesos.config\": \"/p/minimesosFile\""), p->n);
    free(y);
    mm_plan_free(p);

    /* another bind address */
    p = plan_of(c, 1, "::1");
    y = mm_compose_write(p, MM_COMPOSE_FILE);
    ck_assert(strstr(y, "      - \"[::1]:5050:5050/tcp\"\n"));
    free(y);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

START_TEST(stack_file_properties)
{
    mm_cluster *c = every_service();
    mm_plan *p = plan_of(c, -1, NULL);
    char *y = mm_compose_write(p, MM_COMPOSE_STACK);
    ck_assert(strncmp(y, "#", 1) == 0 && strstr(y, "\nversion: \"3.8\"\nservices:\n"));
    ck_assert_ptr_null(strstr(y, "container_name:"));
    ck_assert_ptr_null(strstr(y, "\n    privileged:"));
    ck_assert_ptr_null(strstr(y, "\n    pid:"));
    ck_assert_ptr_null(strstr(y, "condition:"));
    ck_assert_ptr_null(strstr(y, "expose:"));
    ck_assert_ptr_null(strstr(y, "\n    ports:"));
    /* what is left out is said, where it is left out */
    ck_assert_uint_eq(count(y, "    # privileged: true is not honoured by a stack"), 1);
    ck_assert_uint_eq(count(y, "    # pid: \"host\" is not honoured by a stack"), 2);
    ck_assert_uint_eq(count(y, " is not published: a stack publishes a port on every address"), 4);
    ck_assert(strstr(y, "    depends_on:\n      - zookeeper\n      - mesosdns\n"));
    ck_assert_uint_eq(count(y, "      endpoint_mode: dnsrr\n"), p->n);
    ck_assert(strstr(y, "    driver: overlay\n    attachable: true\n"));
    free(y);
    mm_plan_free(p);

    /* asked for every address: published on the node */
    p = plan_of(c, -1, "0.0.0.0");
    y = mm_compose_write(p, MM_COMPOSE_STACK);
    ck_assert_uint_eq(count(y, "is not published"), 0);
    ck_assert(strstr(y, "      - target: 5050\n        published: 5050\n        protocol: tcp\n        mode: host\n"));
    free(y);
    mm_plan_free(p);
    mm_cluster_free(c);
}
END_TEST

START_TEST(service_names)
{
    mm_container_spec s = { .role = "agent", .agent_index = 7 };
    char *n = mm_compose_service_name(&s);
    ck_assert_str_eq(n, "agent7");
    free(n);
    s = (mm_container_spec){ .role = "zookeeper", .agent_index = -1 };
    n = mm_compose_service_name(&s);
    ck_assert_str_eq(n, "zookeeper");
    free(n);
}
END_TEST

START_TEST(stack_lint)
{
    static const char src[] =
        "minimesos {\n"
        "  mapPortsToHost = true\n"
        "  agent { privileged = false }\n"
        "  agent { }\n"
        "  agent { privileged = false; privileged = true }\n"
        "}\n";
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, sizeof src - 1, "t", &d);
    mm_cluster *c = mm_cluster_build(f, 0, &d);
    ck_assert_ptr_nonnull(c);
    size_t before = d.len;
    ck_assert_uint_eq(mm_compose_stack_lint(f, c, &d), 3);
    ck_assert_uint_eq(d.len, before + 3);
    const mm_diag *g = &d.items[before];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(g[i].code, MM_W_NOT_FOR_STACK);
        ck_assert_int_eq(g[i].severity, MM_SEV_WARNING);
    }
    /* agent 1: privileged by default, at the block's name */
    ck_assert_ptr_nonnull(strstr(g[0].message, "agent 1 is privileged (the default)"));
    ck_assert_uint_eq(g[0].span.start.line, 4);
    ck_assert_uint_eq(g[0].span.end.col - g[0].span.start.col, 5);
    /* agent 2: at the property that wins */
    ck_assert_ptr_nonnull(strstr(g[1].message, "agent 2 is privileged,"));
    ck_assert_uint_eq(g[1].span.start.line, 5);
    ck_assert_uint_eq(g[1].span.start.col, 31);
    /* mapPortsToHost, at its property */
    ck_assert_ptr_nonnull(strstr(g[2].message, "ports published on one address"));
    ck_assert_uint_eq(g[2].span.start.line, 2);
    ck_assert_str_eq(mm_diag_code_str(MM_W_NOT_FOR_STACK), "W305");
    /* nothing to say without a file or a model */
    ck_assert_uint_eq(mm_compose_stack_lint(NULL, c, &d), 0);
    ck_assert_uint_eq(mm_compose_stack_lint(f, NULL, &d), 0);
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_free(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compose");
    TCase *t = tcase_create("compose");
    tcase_add_loop_test(t, golden, 0, (int)(sizeof golden_names / sizeof golden_names[0]));
    tcase_add_test(t, quoting);
    tcase_add_test(t, compose_file_properties);
    tcase_add_test(t, stack_file_properties);
    tcase_add_test(t, service_names);
    tcase_add_test(t, stack_lint);
    suite_add_tcase(s, t);
    return tu_run(s);
}
