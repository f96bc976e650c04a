/* The model: defaults, derivation order, inheritance, resource merging, the
 * Mesos resource string, effective additions, loading from a path. */
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#include "minimesos/minimesos.h"

static mm_diags D;

static mm_cluster *build_flags(const char *src, unsigned flags)
{
    mm_diags_init(&D, "t");
    mm_file *f = mm_parse(src, strlen(src), "t", &D);
    mm_cluster *c = mm_cluster_build(f, flags, &D);
    mm_file_free(f);
    return c;
}

/* Build src, which must be free of errors. */
static mm_cluster *build_ok(const char *src, unsigned flags)
{
    mm_cluster *c = build_flags(src, flags);
    ck_assert_msg(c != NULL, "build failed: %s", D.len ? D.items[0].message : "?");
    return c;
}

static void done(mm_cluster *c)
{
    mm_cluster_free(c);
    mm_diags_free(&D);
}

static void check_default_agent(const mm_agent *a, const char *tag, const char *level)
{
    ck_assert_str_eq(a->image.name, "containersol/mesos-agent");
    ck_assert_str_eq(a->image.tag, tag);
    ck_assert_str_eq(a->logging_level, level);
    ck_assert_int_eq(a->port_number, 5051);
    ck_assert_str_eq(a->attributes, "");
    ck_assert(a->privileged);
    char *mr = mm_agent_mesos_resources(a);
    ck_assert_str_eq(mr, "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000");
    free(mr);
}

START_TEST(default_cluster)
{
    mm_cluster *c = mm_cluster_new_default(0);
    ck_assert_ptr_null(c->cluster_name);
    ck_assert_str_eq(c->logging_level, "INFO");
    ck_assert(!c->map_agent_sandbox_volume);
    ck_assert(!c->map_ports_to_host);
    ck_assert_str_eq(c->mesos_version, "1.0.0");
    ck_assert_int_eq(c->timeout, 60);
    ck_assert_ptr_null(c->master);
    ck_assert_ptr_null(c->zookeeper);
    ck_assert_uint_eq(c->n_agents, 0);
    ck_assert_ptr_null(c->marathon);
    ck_assert_ptr_null(c->consul);
    ck_assert_ptr_null(c->registrator);
    ck_assert_ptr_null(c->mesosdns);
    mm_cluster_free(c);

    c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    ck_assert_str_eq(c->master->image.name, "containersol/mesos-master");
    ck_assert_str_eq(c->master->image.tag, "1.0.0-0.1.0");
    ck_assert_str_eq(c->master->logging_level, "INFO");
    ck_assert(!c->master->authenticate);
    ck_assert_ptr_null(c->master->acl_json);
    ck_assert_str_eq(c->zookeeper->name, "jplock/zookeeper");
    ck_assert_str_eq(c->zookeeper->tag, "3.4.6");
    ck_assert_uint_eq(c->n_agents, 0);
    mm_cluster_add_default_agents(c, 3);
    ck_assert_uint_eq(c->n_agents, 3);
    for (size_t i = 0; i < 3; i++)
        check_default_agent(&c->agents[i], "1.0.0-0.1.0", "INFO");
    mm_cluster_free(c);
}
END_TEST

START_TEST(block_defaults)
{
    mm_cluster *c = build_ok("minimesos { master { }; agent { }; zookeeper { }; marathon { }; "
                             "consul { }; registrator { }; mesosdns { } }", 0);
    ck_assert_uint_eq(D.len, 0);
    check_default_agent(&c->agents[0], "1.0.0-0.1.0", "INFO");
    ck_assert_str_eq(c->marathon->image.name, "mesosphere/marathon");
    ck_assert_str_eq(c->marathon->image.tag, "v1.3.5");
    ck_assert_str_eq(c->marathon->cmd, "--master zk://minimesos-zookeeper:2181/mesos "
                                       "--zk zk://minimesos-zookeeper:2181/marathon");
    ck_assert_uint_eq(c->marathon->n_apps, 0);
    ck_assert_uint_eq(c->marathon->n_groups, 0);
    ck_assert_str_eq(c->consul->name, "consul");
    ck_assert_str_eq(c->consul->tag, "0.7.1");
    ck_assert_str_eq(c->registrator->name, "gliderlabs/registrator");
    ck_assert_str_eq(c->registrator->tag, "v6");
    ck_assert_str_eq(c->mesosdns->name, "xebia/mesos-dns");
    ck_assert_str_eq(c->mesosdns->tag, "0.0.5");
    done(c);
}
END_TEST

START_TEST(effective_adds_master_and_zookeeper)
{
    mm_cluster *c = build_ok("minimesos { clusterName = \"x\" }", 0);
    ck_assert_ptr_null(c->master);
    ck_assert_ptr_null(c->zookeeper);
    done(c);
    c = build_ok("minimesos { clusterName = \"x\"; loggingLevel = \"ERROR\" }", MM_MODEL_EFFECTIVE);
    ck_assert_ptr_nonnull(c->master);
    ck_assert_ptr_nonnull(c->zookeeper);
    ck_assert_str_eq(c->master->logging_level, "ERROR");
    ck_assert_uint_eq(c->n_agents, 0);
    done(c);
    /* the empty file: default cluster, with the warning */
    c = build_ok("", MM_MODEL_EFFECTIVE);
    ck_assert_ptr_nonnull(c->master);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_W_NO_CLUSTER);
    done(c);
}
END_TEST

START_TEST(derived_tag_wherever_version_is_set)
{
    /* mesosVersion after the blocks still drives their tags */
    mm_cluster *c = build_ok("minimesos {\n agent { }\n master { }\n mesosVersion = \"0.28\"\n}",
                             MM_MODEL_EFFECTIVE);
    ck_assert_str_eq(c->mesos_version, "0.28");
    ck_assert_str_eq(c->agents[0].image.tag, "0.28-0.1.0");
    ck_assert_str_eq(c->master->image.tag, "0.28-0.1.0");
    done(c);
    /* an explicit tag wins */
    c = build_ok("minimesos { mesosVersion = \"0.26\"; agent { imageTag = \"custom\" } }", 0);
    ck_assert_str_eq(c->agents[0].image.tag, "custom");
    done(c);
    /* the master `up` adds follows the historical defaults (corpus upstream-withMarathon) */
    c = build_ok("minimesos { mesosVersion = \"0.28\" }", MM_MODEL_EFFECTIVE);
    ck_assert_str_eq(c->master->image.tag, "1.0.0-0.1.0");
    /* agents added for `up --num-agents` follow the cluster's version */
    mm_cluster_add_default_agents(c, 1);
    ck_assert_str_eq(c->agents[0].image.tag, "0.28-0.1.0");
    done(c);
    /* the last of two mesosVersion lines wins */
    c = build_ok("minimesos { mesosVersion = \"0.26\"; agent { }; mesosVersion = \"0.27\" }", 0);
    ck_assert_str_eq(c->agents[0].image.tag, "0.27-0.1.0");
    done(c);
}
END_TEST

START_TEST(logging_level_inheritance)
{
    mm_cluster *c = build_ok("minimesos {\n master { loggingLevel = \"# INHERIT FROM CLUSTER\" }\n"
                             " agent { }\n agent { loggingLevel = \"info\" }\n"
                             " loggingLevel = \"warning\"\n}", 0);
    ck_assert_str_eq(c->logging_level, "WARNING");
    ck_assert_str_eq(c->master->logging_level, "WARNING");
    ck_assert_str_eq(c->agents[0].logging_level, "WARNING");
    ck_assert_str_eq(c->agents[1].logging_level, "INFO");
    done(c);
}
END_TEST

static void expect_res(const mm_agent *a, mm_res_kind k, size_t i, const char *role, double v)
{
    ck_assert_uint_gt(a->n_res[k], i);
    ck_assert_str_eq(a->res[k][i].role, role);
    ck_assert_double_eq_tol(a->res[k][i].value, v, 1e-9);
}

START_TEST(resource_merging)
{
    /* upstream-basic: other roles are added beside the defaults */
    mm_cluster *c = build_ok(
        "minimesos { agent { resources {\n"
        "  cpu { role = \"logstash\"; value = 0.2 }\n"
        "  mem { role = \"logstash\"; value = 512 }\n"
        "  disk { role = \"*\"; value = 5120 }\n"
        "} } }", 0);
    const mm_agent *a = &c->agents[0];
    ck_assert_uint_eq(a->n_res[MM_RES_CPUS], 2);
    expect_res(a, MM_RES_CPUS, 0, "logstash", 0.2);
    expect_res(a, MM_RES_CPUS, 1, "*", 4);
    expect_res(a, MM_RES_MEM, 0, "logstash", 512);
    expect_res(a, MM_RES_MEM, 1, "*", 1024);
    ck_assert_uint_eq(a->n_res[MM_RES_DISK], 1);
    expect_res(a, MM_RES_DISK, 0, "*", 5120);
    ck_assert_uint_eq(a->n_res[MM_RES_PORTS], 1);
    ck_assert_str_eq(a->res[MM_RES_PORTS][0].ranges, "[31000-32000]");
    char *mr = mm_agent_mesos_resources(a);
    ck_assert_str_eq(mr, "ports(*):[31000-32000]; cpus(logstash):0.2; cpus(*):4; "
                         "mem(logstash):512; mem(*):1024; disk(*):5120");
    free(mr);
    done(c);

    /* ports replaced and added; the role defaults to * */
    c = build_ok("minimesos { agent { resources {\n"
                 "  ports { value = \"[1000-2000]\" }\n"
                 "  ports { role = \"web\"; value = \"[80-80,443-443]\" }\n"
                 "} } }", 0);
    a = &c->agents[0];
    ck_assert_uint_eq(a->n_res[MM_RES_PORTS], 2);
    ck_assert_str_eq(a->res[MM_RES_PORTS][0].role, "*");
    ck_assert_str_eq(a->res[MM_RES_PORTS][0].ranges, "[1000-2000]");
    ck_assert_str_eq(a->res[MM_RES_PORTS][1].ranges, "[80-80,443-443]");
    mr = mm_agent_mesos_resources(a);
    ck_assert_str_eq(mr, "ports(*):[1000-2000]; ports(web):[80-80,443-443]; cpus(*):4; "
                         "mem(*):1024; disk(*):2000");
    free(mr);
    done(c);

    /* a repeated kind+role: the later wins, in the first one's place */
    c = build_flags("minimesos { agent { resources {\n"
                    "  mem { role = \"a\"; value = 1 }\n"
                    "  mem { role = \"*\"; value = 2 }\n"
                    "  mem { role = \"a\"; value = 3 }\n"
                    "} } }", 0);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(mm_diags_count(&D, MM_SEV_WARNING), 1);
    a = &c->agents[0];
    ck_assert_uint_eq(a->n_res[MM_RES_MEM], 2);
    expect_res(a, MM_RES_MEM, 0, "a", 3);
    expect_res(a, MM_RES_MEM, 1, "*", 2);
    done(c);

    /* each agent has its own resources */
    c = build_ok("minimesos { agent { resources { cpu { value = 1 } } }; agent { } }", 0);
    expect_res(&c->agents[0], MM_RES_CPUS, 0, "*", 1);
    expect_res(&c->agents[1], MM_RES_CPUS, 0, "*", 4);
    done(c);
}
END_TEST

START_TEST(mesos_string_numbers)
{
    mm_cluster *c = build_ok("minimesos { agent { resources { cpu { value = 1.25 }; "
                             "mem { value = 0.5 }; disk { value = 1.256 } } } }", 0);
    char *mr = mm_agent_mesos_resources(&c->agents[0]);
    ck_assert_str_eq(mr, "ports(*):[31000-32000]; cpus(*):1.25; mem(*):0.5; disk(*):1.26");
    free(mr);
    ck_assert_str_eq(mm_res_kind_name(MM_RES_PORTS), "ports");
    ck_assert_str_eq(mm_res_kind_name(MM_RES_CPUS), "cpus");
    ck_assert_str_eq(mm_res_kind_name(MM_RES_MEM), "mem");
    ck_assert_str_eq(mm_res_kind_name(MM_RES_DISK), "disk");
    done(c);
}
END_TEST

START_TEST(agent_properties)
{
    mm_cluster *c = build_ok("minimesos { agent { imageName = \"my/agent\"; portNumber = 6000; "
                             "attributes = \"az:0a\"; privileged = false } }", 0);
    const mm_agent *a = &c->agents[0];
    ck_assert_str_eq(a->image.name, "my/agent");
    ck_assert_int_eq(a->port_number, 6000);
    ck_assert_str_eq(a->attributes, "az:0a");
    ck_assert(!a->privileged);
    done(c);
}
END_TEST

START_TEST(marathon_apps_and_groups_in_order)
{
    mm_cluster *c = build_ok("minimesos { marathon { cmd = \"--x\"; app { marathonJson = \"a.json\" }"
                             "; group { marathonJson = \"g.json\" }; app { marathonJson = "
                             "\"https://h/b.json\" } } }", 0);
    ck_assert_str_eq(c->marathon->cmd, "--x");
    ck_assert_uint_eq(c->marathon->n_apps, 2);
    ck_assert_str_eq(c->marathon->apps[0], "a.json");
    ck_assert_str_eq(c->marathon->apps[1], "https://h/b.json");
    ck_assert_uint_eq(c->marathon->n_groups, 1);
    ck_assert_str_eq(c->marathon->groups[0], "g.json");
    done(c);
}
END_TEST

START_TEST(errors_give_null)
{
    mm_cluster *c = build_flags("minimesos { timeout = 0 }", MM_MODEL_EFFECTIVE);
    ck_assert_ptr_null(c);
    mm_diags_free(&D);
    /* a syntax error also fails the build */
    c = build_flags("minimesos { timeout = }", MM_MODEL_EFFECTIVE);
    ck_assert_ptr_null(c);
    ck_assert_uint_gt(mm_diags_count(&D, MM_SEV_ERROR), 0);
    mm_diags_free(&D);
    /* warnings do not */
    c = build_flags("minimesos { timeout = 1; timeout = 2 }", 0);
    ck_assert_ptr_nonnull(c);
    done(c);
}
END_TEST

START_TEST(load_fills_paths)
{
    char dir[] = "/tmp/mm-model-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/minimesosFile", dir);
    FILE *f = fopen(path, "w");
    fputs("minimesos { clusterName = \"loaded\" }\n", f);
    fclose(f);
    mm_diags_init(&D, path);
    mm_cluster *c = mm_cluster_load(path, MM_MODEL_EFFECTIVE, &D);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->cluster_name, "loaded");
    char *real = realpath(path, NULL);
    ck_assert_str_eq(c->path, real);
    ck_assert_uint_eq(strlen(c->dir), (size_t)(strrchr(real, '/') - real));
    ck_assert_int_eq(strncmp(c->dir, real, strlen(c->dir)), 0);
    free(real);
    done(c);
    unlink(path);
    /* a missing file: an io error, no model */
    mm_diags_init(&D, path);
    c = mm_cluster_load(path, 0, &D);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(D.items[0].code, MM_E_IO);
    mm_diags_free(&D);
    rmdir(dir);
}
END_TEST

/* Every accept file of the corpus builds without an error. */
START_TEST(corpus_accept_builds)
{
    const char *names[] = { "devops-utrecht-2016", "twosigma-cook", "upstream-authenticationTest",
                            "upstream-basic", "upstream-complete", "upstream-marathonAppConfig",
                            "upstream-mesosClusterTest", "upstream-two-agents",
                            "upstream-withMarathon", "vault-gatekeeper" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/corpus/accept/%s.minimesosFile", tu_srcdir(),
                 names[i]);
        if (access(path, R_OK) != 0)
            continue; /* corpus not beside the repo */
        mm_diags_init(&D, path);
        mm_cluster *c = mm_cluster_load(path, MM_MODEL_EFFECTIVE, &D);
        ck_assert_msg(c != NULL, "%s: %s", names[i], D.len ? D.items[0].message : "?");
        ck_assert_uint_eq(mm_diags_count(&D, MM_SEV_ERROR), 0);
        done(c);
    }
}
END_TEST

/* A copy says the same as its original and shares no storage with it: the
 * original can be freed first (ASan and valgrind see a use after free). */
START_TEST(copy_is_deep_and_equal)
{
    const char *names[] = { "upstream-complete", "twosigma-cook", "upstream-marathonAppConfig" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/corpus/accept/%s.minimesosFile", tu_srcdir(), names[i]);
        mm_diags_init(&D, path);
        mm_cluster *c = mm_cluster_load(path, MM_MODEL_EFFECTIVE, &D);
        ck_assert_msg(c != NULL, "%s", names[i]);
        cJSON *want = mm_cluster_to_json(c);
        mm_cluster *copy = mm_cluster_copy(c);
        ck_assert_ptr_ne(copy->agents, c->agents);
        ck_assert_str_eq(copy->path, c->path);
        done(c);
        cJSON *got = mm_cluster_to_json(copy);
        ck_assert_msg(cJSON_Compare(want, got, true), "the copy of %s differs", names[i]);
        cJSON_Delete(want);
        cJSON_Delete(got);
        mm_cluster_add_default_agents(copy, 2);
        mm_cluster_free(copy);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *t = tcase_create("model");
    tcase_add_test(t, default_cluster);
    tcase_add_test(t, block_defaults);
    tcase_add_test(t, effective_adds_master_and_zookeeper);
    tcase_add_test(t, derived_tag_wherever_version_is_set);
    tcase_add_test(t, logging_level_inheritance);
    tcase_add_test(t, resource_merging);
    tcase_add_test(t, mesos_string_numbers);
    tcase_add_test(t, agent_properties);
    tcase_add_test(t, marathon_apps_and_groups_in_order);
    tcase_add_test(t, errors_give_null);
    tcase_add_test(t, load_fills_paths);
    tcase_add_test(t, corpus_accept_builds);
    tcase_add_test(t, copy_is_deep_and_equal);
    suite_add_tcase(s, t);
    return tu_run(s);
}
