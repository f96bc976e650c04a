/* The emitters: JSON against golden files (tests/golden/config/NAME.json),
 * the canonical minimesosFile against golden files (NAME.canonical) and
 * re-parsing to the same model, the streaming writer against the cJSON tree.
 * MM_UPDATE_GOLDEN=1 rewrites the golden files (review the diff!). */
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#include "minimesos/minimesos.h"
#include "model/schema.h"

static const char *const golden_names[] = { "full", "minimal", "empty" };
static const char *const corpus_names[] = {
    "devops-utrecht-2016", "twosigma-cook", "upstream-authenticationTest", "upstream-basic",
    "upstream-complete", "upstream-marathonAppConfig", "upstream-mesosClusterTest",
    "upstream-two-agents", "upstream-withMarathon", "vault-gatekeeper",
};

static mm_cluster *build_text(const char *src, unsigned flags)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, strlen(src), "t", &d);
    mm_cluster *c = mm_cluster_build(f, flags, &d);
    ck_assert_msg(c != NULL, "build failed: %s\n%s", d.len ? d.items[0].message : "?", src);
    mm_file_free(f);
    mm_diags_free(&d);
    return c;
}

static mm_cluster *load(const char *path)
{
    mm_diags d;
    mm_diags_init(&d, path);
    mm_cluster *c = mm_cluster_load(path, MM_MODEL_EFFECTIVE, &d);
    ck_assert_msg(c != NULL, "%s: %s", path, d.len ? d.items[0].message : "?");
    mm_diags_free(&d);
    return c;
}

/* mm_cluster_write_json into a string. */
static char *json_text(const mm_cluster *c, bool indent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(mm_cluster_write_json(f, c, indent), 0);
    fclose(f);
    return buf;
}

static void compare_golden(const char *path, const char *got)
{
    const char *upd = getenv("MM_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(got, f);
        fclose(f);
    }
    char *want = tu_read_file(path, NULL);
    ck_assert_msg(want != NULL, "missing golden file %s", path);
    if (strcmp(want, got) != 0) {
        /* show the first differing line */
        const char *a = want, *b = got;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++;
            b++;
        }
        ck_abort_msg("%s differs at line %d: want \"%.60s\", got \"%.60s\"", path, line, a, b);
    }
    free(want);
}

START_TEST(json_golden)
{
    const char *name = golden_names[_i];
    char path[1024], gold[1024];
    snprintf(path, sizeof path, "%s/tests/golden/config/%s.minimesosFile", tu_srcdir(), name);
    snprintf(gold, sizeof gold, "%s/tests/golden/config/%s.json", tu_srcdir(), name);
    mm_cluster *c = load(path);
    char *got = json_text(c, true);
    compare_golden(gold, got);
    free(got);
    mm_cluster_free(c);
}
END_TEST

START_TEST(canonical_golden)
{
    const char *name = golden_names[_i];
    char path[1024], gold[1024];
    snprintf(path, sizeof path, "%s/tests/golden/config/%s.minimesosFile", tu_srcdir(), name);
    snprintf(gold, sizeof gold, "%s/tests/golden/config/%s.canonical", tu_srcdir(), name);
    mm_cluster *c = load(path);
    char *got = mm_cluster_to_minimesosfile(c);
    compare_golden(gold, got);
    free(got);
    mm_cluster_free(c);
}
END_TEST

/* The streaming writer and the cJSON tree agree, pretty or compact. */
static void check_stream_matches_tree(const mm_cluster *c)
{
    cJSON *tree = mm_cluster_to_json(c);
    for (int indent = 0; indent < 2; indent++) {
        char *text = json_text(c, indent);
        if (!indent)
            ck_assert_ptr_eq(strchr(text, '\n'), text + strlen(text) - 1);
        cJSON *parsed = cJSON_Parse(text);
        ck_assert_msg(parsed != NULL, "invalid JSON: %.200s", text);
        ck_assert_msg(cJSON_Compare(tree, parsed, true), "stream and tree differ: %.300s", text);
        cJSON_Delete(parsed);
        free(text);
    }
    cJSON_Delete(tree);
}

/* The canonical minimesosFile reads back as the same model, and is a fixed point. */
static void check_roundtrip(const mm_cluster *c)
{
    char *text = mm_cluster_to_minimesosfile(c);
    mm_cluster *back = build_text(text, MM_MODEL_EFFECTIVE);
    char *j1 = json_text(c, false), *j2 = json_text(back, false);
    ck_assert_str_eq(j1, j2);
    char *text2 = mm_cluster_to_minimesosfile(back);
    ck_assert_str_eq(text, text2);
    free(text);
    free(text2);
    free(j1);
    free(j2);
    mm_cluster_free(back);
}

START_TEST(corpus_roundtrip)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/corpus/accept/%s.minimesosFile", tu_srcdir(),
             corpus_names[_i]);
    if (access(path, R_OK) != 0)
        return;
    mm_cluster *c = load(path);
    check_stream_matches_tree(c);
    check_roundtrip(c);
    mm_cluster_free(c);
}
END_TEST

START_TEST(golden_roundtrip)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/config/%s.minimesosFile", tu_srcdir(),
             golden_names[_i]);
    mm_cluster *c = load(path);
    check_stream_matches_tree(c);
    check_roundtrip(c);
    mm_cluster_free(c);
}
END_TEST

START_TEST(strings_escape_both_ways)
{
    const char *names[] = { "quote \" and backslash \\ end", "dollar $HOME here", "tab\there",
                            "two\nlines with ''' and \"\"\"", "unicode \xc3\xa9\xe2\x82\xac",
                            "ctrl \x01 \x1f", "single ' quote $x", "" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
        c->cluster_name = strdup(names[i]);
        char *text = mm_cluster_to_minimesosfile(c);
        mm_cluster *back = build_text(text, MM_MODEL_EFFECTIVE);
        ck_assert_msg(strcmp(back->cluster_name, names[i]) == 0, "[%zu] read back as '%s' from:\n%s",
                      i, back->cluster_name, text);
        check_stream_matches_tree(c);
        /* the JSON string decodes to the same bytes */
        char *j = json_text(c, false);
        cJSON *p = cJSON_Parse(j);
        ck_assert_str_eq(cJSON_GetObjectItem(p, "clusterName")->valuestring, names[i]);
        cJSON_Delete(p);
        free(j);
        free(text);
        mm_cluster_free(back);
        mm_cluster_free(c);
    }
}
END_TEST

START_TEST(numbers_keep_their_value)
{
    const double values[] = { 0, 0.2, 1.25, 4, 1024, 0.1 + 0.2, 123456789.125, 1e-7, 3e14, 1e15, 7, 2.005, 999999999999999 };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
        mm_cluster_add_default_agents(c, 1);
        c->agents[0].res[MM_RES_CPUS][0].value = values[i];
        char *text = mm_cluster_to_minimesosfile(c);
        mm_cluster *back = build_text(text, 0);
        ck_assert_double_eq(back->agents[0].res[MM_RES_CPUS][0].value, values[i]);
        char *j = json_text(c, false);
        cJSON *p = cJSON_Parse(j);
        cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
            cJSON_GetArrayItem(cJSON_GetObjectItem(p, "agents"), 0), "resources"), "cpus"), 0);
        ck_assert_double_eq(cJSON_GetObjectItem(v, "value")->valuedouble, values[i]);
        /* the streamed mesosResources is the library's resource string */
        char *mr = mm_agent_mesos_resources(&c->agents[0]);
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "agents"), 0),
                                             "mesosResources")->valuestring, mr);
        free(mr);
        cJSON_Delete(p);
        free(j);
        free(text);
        mm_cluster_free(back);
        mm_cluster_free(c);
    }
    char buf[32];
    ck_assert_str_eq(mm_sc_format_double(4, buf), "4");
    ck_assert_str_eq(mm_sc_format_double(0.2, buf), "0.2");
    ck_assert_str_eq(mm_sc_format_double(-0.0, buf), "0");
}
END_TEST

START_TEST(json_shape)
{
    mm_cluster *c = build_text("minimesos { agent { }; marathon { } }", MM_MODEL_EFFECTIVE);
    cJSON *j = mm_cluster_to_json(c);
    const char *keys[] = { "clusterName", "loggingLevel", "mapAgentSandboxVolume", "mapPortsToHost",
                           "mesosVersion", "timeout", "master", "agents", "zookeeper", "marathon",
                           "consul", "registrator", "mesosdns" };
    cJSON *it = j->child;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, it = it->next) {
        ck_assert_ptr_nonnull(it);
        ck_assert_str_eq(it->string, keys[i]);
    }
    ck_assert_ptr_null(it);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "clusterName")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "consul")));
    cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "agents"), 0);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(a, "privileged")));
    ck_assert_str_eq(cJSON_GetObjectItem(a, "mesosResources")->valuestring,
                     "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000");
    cJSON *m = cJSON_GetObjectItem(j, "marathon");
    ck_assert(cJSON_IsArray(cJSON_GetObjectItem(m, "apps")));
    ck_assert(cJSON_IsArray(cJSON_GetObjectItem(m, "groups")));
    cJSON_Delete(j);
    mm_cluster_free(c);
}
END_TEST

START_TEST(write_errors_reported)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return;
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_cluster_add_default_agents(c, 500); /* more than one buffer */
    ck_assert_int_eq(mm_cluster_write_json(f, c, true), -1);
    fclose(f);
    mm_cluster_free(c);
}
END_TEST

START_TEST(big_model_streams)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_cluster_add_default_agents(c, 2000);
    char *text = json_text(c, true);
    cJSON *p = cJSON_Parse(text);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "agents")), 2000);
    cJSON_Delete(p);
    free(text);
    mm_cluster_free(c);
}
END_TEST

START_TEST(template_mode)
{
    mm_cluster *c = build_text("minimesos { mesosVersion = \"0.28\"; master { }; agent { } }", 0);
    char *t = mm_sc_emit_minimesosfile(c, SC_EMIT_TEMPLATE, "// head\n");
    ck_assert_int_eq(strncmp(t, "// head\n", 8), 0);
    ck_assert_ptr_nonnull(strstr(t, "loggingLevel = \"# INHERIT FROM CLUSTER\""));
    ck_assert_ptr_nonnull(strstr(t, "// imageTag = \"0.28-0.1.0\""));
    ck_assert_ptr_nonnull(strstr(t, "// seconds to wait"));
    mm_cluster *back = build_text(t, 0);
    char *j1 = json_text(c, false), *j2 = json_text(back, false);
    ck_assert_str_eq(j1, j2);
    free(j1);
    free(j2);
    free(t);
    mm_cluster_free(back);
    mm_cluster_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("emit");
    TCase *t = tcase_create("emit");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, json_golden, 0, sizeof golden_names / sizeof golden_names[0]);
    tcase_add_loop_test(t, canonical_golden, 0, sizeof golden_names / sizeof golden_names[0]);
    tcase_add_loop_test(t, golden_roundtrip, 0, sizeof golden_names / sizeof golden_names[0]);
    tcase_add_loop_test(t, corpus_roundtrip, 0, sizeof corpus_names / sizeof corpus_names[0]);
    tcase_add_test(t, strings_escape_both_ways);
    tcase_add_test(t, numbers_keep_their_value);
    tcase_add_test(t, json_shape);
    tcase_add_test(t, write_errors_reported);
    tcase_add_test(t, big_model_streams);
    tcase_add_test(t, template_mode);
    suite_add_tcase(s, t);
    return tu_run(s);
}
