/* The schema rules: every error and warning the model layer reports, where it
 * points and what its hint says; the value checks on their own. */
#include "testutil.h"

#include "minimesos/minimesos.h"
#include "model/schema.h"

static mm_diags D;
static mm_cluster *C;

/* Build src into C (flags 0), diagnostics sorted into D. */
static void build(const char *src)
{
    mm_diags_init(&D, "t.minimesosFile");
    mm_file *f = mm_parse(src, strlen(src), "t.minimesosFile", &D);
    C = mm_cluster_build(f, 0, &D);
    mm_file_free(f);
    mm_diags_sort(&D);
}

static void teardown(void)
{
    mm_cluster_free(C);
    C = NULL;
    mm_diags_free(&D);
}

static const mm_diag *find(mm_diag_code code)
{
    for (size_t i = 0; i < D.len; i++)
        if (D.items[i].code == code)
            return &D.items[i];
    return NULL;
}

static size_t count(mm_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < D.len; i++)
        n += D.items[i].code == code;
    return n;
}

/* Exactly one diagnostic with code, at line; hint (if given) contains word. */
static const mm_diag *expect_one(mm_diag_code code, unsigned line, const char *hint_word)
{
    const mm_diag *g = find(code);
    ck_assert_msg(g != NULL, "no %s diagnostic (have %zu, first: %s)", mm_diag_code_str(code),
                  D.len, D.len ? D.items[0].message : "-");
    ck_assert_uint_eq(count(code), 1);
    ck_assert_uint_eq(g->span.start.line, line);
    if (hint_word) {
        ck_assert_msg(g->hint != NULL, "%s has no hint", mm_diag_code_str(code));
        ck_assert_msg(strstr(g->hint, hint_word) != NULL, "hint '%s' lacks '%s'", g->hint,
                      hint_word);
    }
    return g;
}

static void expect_error(const char *src, mm_diag_code code, unsigned line, const char *hint_word)
{
    build(src);
    expect_one(code, line, hint_word);
    ck_assert_ptr_null(C);
    ck_assert_uint_eq(mm_diags_count(&D, MM_SEV_ERROR), 1);
    teardown();
}

static void expect_clean(const char *src)
{
    build(src);
    ck_assert_msg(D.len == 0, "unexpected %s: %s", D.len ? mm_diag_code_str(D.items[0].code) : "",
                  D.len ? D.items[0].message : "");
    ck_assert_ptr_nonnull(C);
    teardown();
}

START_TEST(unknown_property_did_you_mean)
{
    build("minimesos {\n    clusterNme = \"x\"\n}\n");
    const mm_diag *g = expect_one(MM_E_UNKNOWN_PROP, 2, "`clusterName`");
    ck_assert_uint_eq(g->span.start.col, 5);
    ck_assert_ptr_nonnull(strstr(g->message, "clusterNme"));
    ck_assert_ptr_null(C);
    teardown();
    expect_error("minimesos {\n agent {\n  portNumbr = 1\n }\n}\n", MM_E_UNKNOWN_PROP, 3,
                 "portNumber");
}
END_TEST

START_TEST(unknown_property_lists_allowed)
{
    build("minimesos { zookeeper { quux = 1 } }");
    const mm_diag *g = expect_one(MM_E_UNKNOWN_PROP, 1, "imageName");
    ck_assert_ptr_nonnull(strstr(g->hint, "imageTag"));
    teardown();
}
END_TEST

START_TEST(unknown_block_did_you_mean)
{
    expect_error("minimesos {\n    marathon {\n        apps {\n        }\n    }\n}\n",
                 MM_E_UNKNOWN_BLOCK, 3, "`app`");
    expect_error("minimesos {\n  agnet {\n  }\n}\n", MM_E_UNKNOWN_BLOCK, 2, "`agent`");
    expect_error("minimesos { agent { resources { cpus { value = 1 } } } }", MM_E_UNKNOWN_BLOCK, 1,
                 "`cpu`");
}
END_TEST

START_TEST(block_as_property_and_back)
{
    expect_error("minimesos {\n  master = \"x\"\n}\n", MM_E_BLOCK_AS_PROP, 2, "master {");
    expect_error("minimesos {\n  timeout {\n  }\n}\n", MM_E_PROP_AS_BLOCK, 2, "timeout =");
}
END_TEST

START_TEST(renamed_expose_ports)
{
    build("minimesos {\n    exposePorts = false\n}\n");
    const mm_diag *g = expect_one(MM_E_RENAMED, 2, "mapPortsToHost");
    ck_assert_int_eq(g->severity, MM_SEV_ERROR);
    teardown();
}
END_TEST

START_TEST(duplicate_block_points_at_both)
{
    build("minimesos {\n    zookeeper {\n    }\n    zookeeper {\n    }\n}\n");
    const mm_diag *g = expect_one(MM_E_DUPLICATE_BLOCK, 4, NULL);
    ck_assert(g->has_related);
    ck_assert_uint_eq(g->related.start.line, 2);
    ck_assert_ptr_null(C);
    teardown();
    /* agent is 0..n: no error */
    expect_clean("minimesos { agent { }; agent { } }");
    /* resources is 0..1 inside an agent */
    expect_error("minimesos { agent {\n resources { }\n resources { }\n } }", MM_E_DUPLICATE_BLOCK, 3,
                 NULL);
}
END_TEST

START_TEST(duplicate_block_contents_still_checked)
{
    build("minimesos {\n  master { }\n  master {\n    imageNme = \"x\"\n  }\n}\n");
    ck_assert_ptr_nonnull(find(MM_E_DUPLICATE_BLOCK));
    ck_assert_ptr_nonnull(find(MM_E_UNKNOWN_PROP));
    teardown();
}
END_TEST

START_TEST(wrong_types_name_the_type)
{
    build("minimesos {\n    timeout = \"60\"\n}\n");
    const mm_diag *g = expect_one(MM_E_WRONG_TYPE, 2, "remove the quotes");
    ck_assert_ptr_nonnull(strstr(g->message, "an int"));
    ck_assert_uint_eq(g->span.start.col, 15);
    teardown();

    build("minimesos {\n    timeout = 60.5\n}\n");
    g = expect_one(MM_E_WRONG_TYPE, 2, NULL);
    ck_assert_ptr_nonnull(strstr(g->message, "an int"));
    teardown();

    build("minimesos {\n    mapPortsToHost = \"false\"\n}\n");
    g = expect_one(MM_E_WRONG_TYPE, 2, "mapPortsToHost = false");
    ck_assert_ptr_nonnull(strstr(g->message, "bool"));
    teardown();

    build("minimesos {\n    clusterName = 5\n}\n");
    g = expect_one(MM_E_WRONG_TYPE, 2, NULL);
    ck_assert_ptr_nonnull(strstr(g->message, "a string"));
    teardown();

    expect_error("minimesos { timeout = null }", MM_E_WRONG_TYPE, 1, NULL);
    expect_error("minimesos { timeout = true }", MM_E_WRONG_TYPE, 1, NULL);
    expect_error("minimesos { timeout = 6e1 }", MM_E_WRONG_TYPE, 1, NULL);
    expect_error("minimesos { master { authenticate = 1 } }", MM_E_WRONG_TYPE, 1, NULL);
    expect_error("minimesos { agent { privileged = \"true\" } }", MM_E_WRONG_TYPE, 1, NULL);
    expect_error("minimesos { agent { resources { cpu { value = true } } } }", MM_E_WRONG_TYPE, 1,
                 NULL);
    expect_error("minimesos { agent { resources { ports { value = 31000 } } } }", MM_E_WRONG_TYPE,
                 1, NULL);
    expect_error("minimesos { loggingLevel = null }", MM_E_WRONG_TYPE, 1, NULL);
}
END_TEST

START_TEST(null_where_allowed)
{
    build("minimesos { clusterName = null\n master { aclJson = null } }");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_ptr_null(C->cluster_name);
    ck_assert_ptr_null(C->master->acl_json);
    teardown();
}
END_TEST

START_TEST(allowed_values_in_hints)
{
    expect_error("minimesos {\n    loggingLevel = \"TRACE\"\n}\n", MM_E_NOT_ALLOWED, 2, "INFO");
    expect_error("minimesos {\n    mesosVersion = \"0.24\"\n}\n", MM_E_NOT_ALLOWED, 2, "0.25");
    build("minimesos { mesosVersion = \"2.0\" }");
    const mm_diag *g = expect_one(MM_E_NOT_ALLOWED, 1, "1.0.0");
    ck_assert_ptr_nonnull(strstr(g->hint, "0.28.1"));
    teardown();
    expect_error("minimesos { master { loggingLevel = \"debug\" } }", MM_E_NOT_ALLOWED, 1,
                 "INHERIT FROM CLUSTER");
    expect_error("minimesos { marathon { app { marathonJson = \"\" } } }", MM_E_NOT_ALLOWED, 1,
                 NULL);
    /* the cluster's level has no sentinel */
    expect_error("minimesos { loggingLevel = \"# INHERIT FROM CLUSTER\" }", MM_E_NOT_ALLOWED, 1,
                 NULL);
}
END_TEST

START_TEST(levels_any_case)
{
    build("minimesos { loggingLevel = \"warning\"\n agent { loggingLevel = \"Error\" } }");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_str_eq(C->logging_level, "WARNING");
    ck_assert_str_eq(C->agents[0].logging_level, "ERROR");
    teardown();
}
END_TEST

START_TEST(ranges_of_numbers)
{
    expect_error("minimesos {\n    timeout = 0\n}\n", MM_E_OUT_OF_RANGE, 2, NULL);
    expect_error("minimesos { timeout = -5 }", MM_E_OUT_OF_RANGE, 1, NULL);
    expect_error("minimesos { timeout = 3000000000 }", MM_E_OUT_OF_RANGE, 1, NULL);
    expect_error("minimesos {\n    agent {\n        portNumber = 0\n    }\n}\n", MM_E_OUT_OF_RANGE, 3,
                 NULL);
    expect_error("minimesos { agent { portNumber = 65536 } }", MM_E_OUT_OF_RANGE, 1, NULL);
    expect_clean("minimesos { agent { portNumber = 65535 }; agent { portNumber = 1 } }");
    expect_error("minimesos { agent { resources { cpu { value = -1 } } } }", MM_E_OUT_OF_RANGE, 1,
                 NULL);
    expect_error("minimesos { agent { resources { mem { value = \"1e999\" } } } }", MM_E_OUT_OF_RANGE,
                 1, NULL);
    expect_clean("minimesos { agent { resources { disk { value = 0 } } } }");
    expect_clean("minimesos { agent { resources { disk { value = 1e15 } } } }");
    /* beyond Mesos's fixed-point range (and the resource string's buffer) */
    expect_error("minimesos { agent { resources { disk { value = 1e29 } } } }", MM_E_OUT_OF_RANGE,
                 1, "1e15");
}
END_TEST

START_TEST(image_references)
{
    expect_error("minimesos { master { imageName = \"Containersol/Mesos\" } }", MM_E_BAD_IMAGE, 1,
                 NULL);
    expect_error("minimesos { master { imageName = \"mesos:1.0\" } }", MM_E_BAD_IMAGE, 1,
                 "imageTag");
    expect_error("minimesos { consul { imageTag = \"-bad\" } }", MM_E_BAD_IMAGE, 1, NULL);
    expect_error("minimesos { consul { imageTag = \"\" } }", MM_E_BAD_IMAGE, 1, NULL);
    expect_clean("minimesos { consul { imageName = \"localhost:5000/my/consul\"; imageTag = \"1.0_rc-1\" } }");

    ck_assert(mm_sc_valid_image_name("containersol/mesos-master"));
    ck_assert(mm_sc_valid_image_name("consul"));
    ck_assert(mm_sc_valid_image_name("registry.example.com/a_b/c__d"));
    ck_assert(mm_sc_valid_image_name("localhost/foo"));
    ck_assert(mm_sc_valid_image_name("my-registry:5000/x.y/z"));
    ck_assert(mm_sc_valid_image_name("a-b---c"));
    ck_assert(mm_sc_valid_image_name("Registry.Example.COM/foo"));
    ck_assert(!mm_sc_valid_image_name(""));
    ck_assert(!mm_sc_valid_image_name("Foo"));
    ck_assert(!mm_sc_valid_image_name("foo/Bar"));
    ck_assert(!mm_sc_valid_image_name("a//b"));
    ck_assert(!mm_sc_valid_image_name("a/"));
    ck_assert(!mm_sc_valid_image_name("_a"));
    ck_assert(!mm_sc_valid_image_name("a_"));
    ck_assert(!mm_sc_valid_image_name("a___b"));
    ck_assert(!mm_sc_valid_image_name("a b"));
    ck_assert(!mm_sc_valid_image_name("foo:latest"));
    ck_assert(!mm_sc_valid_image_name("host:port/x"));
    ck_assert(!mm_sc_valid_image_name("-host.com/x"));
    ck_assert(mm_sc_valid_image_tag("v1.3.5"));
    ck_assert(mm_sc_valid_image_tag("_x"));
    ck_assert(mm_sc_valid_image_tag("1.0.0-0.1.0"));
    ck_assert(!mm_sc_valid_image_tag(".x"));
    ck_assert(!mm_sc_valid_image_tag("a/b"));
    char tag[200];
    memset(tag, 'a', 128);
    tag[128] = '\0';
    ck_assert(mm_sc_valid_image_tag(tag));
    tag[128] = 'a';
    tag[129] = '\0';
    ck_assert(!mm_sc_valid_image_tag(tag));
}
END_TEST

START_TEST(acl_json)
{
    expect_error("minimesos { master { authenticate = true\n aclJson = \"{bad\" } }", MM_E_BAD_JSON,
                 2, NULL);
    expect_error("minimesos { master { authenticate = true\n aclJson = \"{} trailing\" } }",
                 MM_E_BAD_JSON, 2, NULL);
    build("minimesos { master {\n aclJson = \"{}\" } }");
    expect_one(MM_W_ACL_UNUSED, 2, "authenticate = true");
    ck_assert_ptr_nonnull(C);
    ck_assert_str_eq(C->master->acl_json, "{}");
    teardown();
    expect_clean("minimesos { master { authenticate = true\n aclJson = \"\"\" {\"a\": [1]} \"\"\" } }");
}
END_TEST

START_TEST(missing_required)
{
    expect_error("minimesos {\n    marathon {\n        group {\n        }\n    }\n}\n", MM_E_MISSING, 3,
                 "marathonJson");
    expect_error("minimesos {\n marathon {\n  app { }\n }\n}\n", MM_E_MISSING, 3, "marathonJson");
    expect_error("minimesos { agent { resources {\n cpu { role = \"*\" } } } }", MM_E_MISSING, 2,
                 "value");
}
END_TEST

START_TEST(roles)
{
    expect_error("minimesos { agent { resources { cpu {\n role = \"-x\"\n value = 1 } } } }",
                 MM_E_BAD_ROLE, 2, NULL);
    expect_error("minimesos { agent { resources { cpu { role = \"a b\"; value = 1 } } } }",
                 MM_E_BAD_ROLE, 1, NULL);
    ck_assert(mm_sc_valid_role("*"));
    ck_assert(mm_sc_valid_role("logstash"));
    ck_assert(mm_sc_valid_role("_a.b-c9"));
    ck_assert(!mm_sc_valid_role(""));
    ck_assert(!mm_sc_valid_role("**"));
    ck_assert(!mm_sc_valid_role(".a"));
    ck_assert(!mm_sc_valid_role("a/b"));
}
END_TEST

START_TEST(port_ranges)
{
    expect_error("minimesos {\n agent {\n  resources {\n   ports {\n    role = \"*\"\n    value = "
                 "\"[31000-70000]\"\n   }\n  }\n }\n}\n",
                 MM_E_BAD_RANGES, 6, NULL);
    char *why;
    ck_assert_ptr_null(mm_sc_check_ranges("[31000-32000]"));
    ck_assert_ptr_null(mm_sc_check_ranges("[514-514,8080-8090]"));
    ck_assert_ptr_null(mm_sc_check_ranges("[1-2, 3-4]"));
    ck_assert_ptr_null(mm_sc_check_ranges("[0-65535]"));
    const char *bad[] = { "31000-32000", "[]", "[2-1]", "[1-65536]", "[1-2", "[1-2,]", "[1]",
                          "[a-b]", "[1-2]x", "[99999999-1]", "", "[-1-2]" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = mm_sc_check_ranges(bad[i]);
        ck_assert_msg(why != NULL, "'%s' accepted", bad[i]);
        free(why);
    }
    why = mm_sc_check_ranges("[31000-70000]");
    ck_assert_ptr_nonnull(strstr(why, "70000"));
    free(why);
}
END_TEST

START_TEST(quoted_numbers_only_for_resource_values)
{
    build("minimesos { agent { resources { cpu { value = \"0.5\" }; mem { value = \"512\" } } } }");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_double_eq(C->agents[0].res[MM_RES_CPUS][0].value, 0.5);
    ck_assert_double_eq(C->agents[0].res[MM_RES_MEM][0].value, 512);
    teardown();
    expect_error("minimesos {\n agent {\n  resources {\n   mem {\n    role = \"*\"\n    value = "
                 "\"1,024\"\n   }\n  }\n }\n}\n",
                 MM_E_BAD_NUMBER, 6, NULL);
    expect_error("minimesos { agent { resources { mem { value = \"1,2\" } } } }", MM_E_BAD_NUMBER, 1,
                 NULL);
    expect_error("minimesos { agent { resources { mem { value = \"512M\" } } } }", MM_E_BAD_NUMBER, 1,
                 NULL);
    expect_error("minimesos { agent { resources { mem { value = \"\" } } } }", MM_E_BAD_NUMBER, 1,
                 NULL);
    double v;
    ck_assert(mm_sc_parse_number_text("-1.5e3", &v));
    ck_assert_double_eq(v, -1500);
    ck_assert(!mm_sc_parse_number_text("1.", &v));
    ck_assert(!mm_sc_parse_number_text(".5", &v));
    ck_assert(!mm_sc_parse_number_text("0x10", &v));
    ck_assert(!mm_sc_parse_number_text(" 1", &v));
}
END_TEST

START_TEST(registrator_needs_consul)
{
    expect_error("minimesos {\n registrator {\n }\n}\n", MM_E_NEEDS, 2, "consul");
    expect_clean("minimesos { registrator { }; consul { } }");
}
END_TEST

START_TEST(warnings)
{
    build("minimesos {\n mesosVersion = \"0.25\"\n master {\n  imageTag = \"# derive from mesos version\"\n } }");
    expect_one(MM_W_LEGACY_TAG, 4, "remove");
    ck_assert_ptr_nonnull(C);
    ck_assert_str_eq(C->master->image.tag, "0.25-0.1.0");
    teardown();

    build("minimesos {\n timeout = 10\n timeout = 20\n}");
    const mm_diag *g = expect_one(MM_W_DUP_PROPERTY, 3, NULL);
    ck_assert(g->has_related);
    ck_assert_uint_eq(g->related.start.line, 2);
    ck_assert_int_eq(C->timeout, 20);
    teardown();

    build("minimesos { agent { resources {\n cpu { value = 1 }\n cpu { role = \"*\"; value = 3 } } } }");
    g = expect_one(MM_W_DUP_RESOURCE, 3, NULL);
    ck_assert_uint_eq(g->related.start.line, 2);
    ck_assert_uint_eq(C->agents[0].n_res[MM_RES_CPUS], 1);
    ck_assert_double_eq(C->agents[0].res[MM_RES_CPUS][0].value, 3);
    teardown();

    build("");
    expect_one(MM_W_NO_CLUSTER, 1, NULL);
    ck_assert_ptr_nonnull(C);
    teardown();
    build("// only a comment\n");
    expect_one(MM_W_NO_CLUSTER, 1, NULL);
    teardown();
}
END_TEST

START_TEST(every_problem_reported)
{
    build("minimesos {\n clusterNme = 1\n timeout = \"x\"\n agent { portNumber = 0 }\n registrator { }\n}\n");
    ck_assert_uint_eq(mm_diags_count(&D, MM_SEV_ERROR), 4);
    ck_assert_ptr_null(C);
    /* sorted by position */
    for (size_t i = 1; i < D.len; i++)
        ck_assert_uint_le(D.items[i - 1].span.start.line, D.items[i].span.start.line);
    teardown();
}
END_TEST

/* Regression (fuzz, tests/fuzz/regressions/json-acl-invalid-utf8.json): a
 * tree built by code (convert from JSON) with a string that is not UTF-8 was
 * accepted, and the canonical file written from it did not read back. */
START_TEST(strings_built_by_code_must_be_utf8)
{
    mm_file *f = mm_file_new();
    f->root = mm_node_new_block("minimesos");
    mm_value v = { 0 };
    v.kind = MM_VAL_STRING;
    v.text = "ba\x88r";
    v.len = 4;
    mm_node_append(f->root, mm_node_new_property("clusterName", v));
    mm_diags_init(&D, "t");
    C = mm_cluster_build(f, 0, &D);
    expect_one(MM_E_BAD_UTF8, 0, "UTF-8");
    ck_assert_ptr_null(C);
    teardown();
    mm_file_free(f);
    /* valid multi-byte text passes */
    build("minimesos { clusterName = \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\" }");
    ck_assert_uint_eq(D.len, 0);
    teardown();
}
END_TEST

START_TEST(hint_helper)
{
    const sc_block *cl = mm_sc_block_get(SC_B_CLUSTER);
    char *h = mm_sc_hint_unknown(cl, "mesosVerison", false);
    ck_assert_ptr_nonnull(strstr(h, "mesosVersion"));
    free(h);
    h = mm_sc_hint_unknown(cl, "zookeper", true);
    ck_assert_ptr_nonnull(strstr(h, "zookeeper"));
    free(h);
    h = mm_sc_hint_unknown(cl, "qqqqqqqqqqqq", false);
    ck_assert_ptr_nonnull(strstr(h, "timeout"));
    ck_assert_ptr_nonnull(strstr(h, "agent"));
    free(h);
    ck_assert_str_eq(mm_sc_renamed(cl, "exposePorts"), "mapPortsToHost");
    ck_assert_ptr_null(mm_sc_renamed(mm_sc_block_get(SC_B_AGENT), "exposePorts"));
}
END_TEST

START_TEST(table_is_consistent)
{
    /* Every block: its rows documented, its children found by name, its place
     * in the model agrees with its repeatability, its requirement a sibling. */
    for (int id = 0; id < SC_B__COUNT; id++) {
        const sc_block *b = mm_sc_block_get((sc_block_id)id);
        ck_assert_int_eq(b->id, id);
        ck_assert_ptr_nonnull(b->doc);
        for (size_t i = 0; i < b->n_props; i++) {
            ck_assert_ptr_nonnull(b->props[i].doc);
            ck_assert_ptr_eq(mm_sc_prop_find(b, b->props[i].name), &b->props[i]);
        }
        if (id == SC_B_CLUSTER)
            ck_assert_int_eq(b->at_kind, SC_AT_ROOT);
        else if (b->repeat)
            ck_assert_int_eq(b->at_kind, SC_AT_MANY);
        else
            ck_assert(b->at_kind == SC_AT_ONE || b->at_kind == SC_AT_INLINE);
        if (b->at_kind != SC_AT_INLINE)
            ck_assert_uint_gt(b->size, 0);
        const sc_block *kids[SC_B__COUNT];
        size_t n = mm_sc_children(b, kids);
        for (size_t i = 0; i < n; i++) {
            ck_assert_ptr_eq(mm_sc_child_find(b, kids[i]->name), kids[i]);
            for (size_t k = i + 1; k < n; k++)
                ck_assert_str_ne(mm_sc_json_key(kids[i]), mm_sc_json_key(kids[k]));
        }
        if (b->requires != SC_B__COUNT)
            ck_assert_int_eq(mm_sc_block_get(b->requires)->parent, b->parent);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, unknown_property_did_you_mean);
    tcase_add_test(t, unknown_property_lists_allowed);
    tcase_add_test(t, unknown_block_did_you_mean);
    tcase_add_test(t, block_as_property_and_back);
    tcase_add_test(t, renamed_expose_ports);
    tcase_add_test(t, duplicate_block_points_at_both);
    tcase_add_test(t, duplicate_block_contents_still_checked);
    tcase_add_test(t, wrong_types_name_the_type);
    tcase_add_test(t, null_where_allowed);
    tcase_add_test(t, allowed_values_in_hints);
    tcase_add_test(t, levels_any_case);
    tcase_add_test(t, ranges_of_numbers);
    tcase_add_test(t, image_references);
    tcase_add_test(t, acl_json);
    tcase_add_test(t, missing_required);
    tcase_add_test(t, roles);
    tcase_add_test(t, port_ranges);
    tcase_add_test(t, quoted_numbers_only_for_resource_values);
    tcase_add_test(t, registrator_needs_consul);
    tcase_add_test(t, warnings);
    tcase_add_test(t, every_problem_reported);
    tcase_add_test(t, strings_built_by_code_must_be_utf8);
    tcase_add_test(t, hint_helper);
    tcase_add_test(t, table_is_consistent);
    suite_add_tcase(s, t);
    return tu_run(s);
}
