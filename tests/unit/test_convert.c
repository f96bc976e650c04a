/* convert: golden files (tests/golden/convert), the round trip over the
 * corpus, and JSON that cannot be expressed. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/convert.h"
#include "emit/fmt.h"
#include "minimesos/ast.h"
#include "testutil.h"

static char *golden_path(const char *name)
{
    static char path[4300];
    snprintf(path, sizeof path, "%s/tests/golden/convert/%s", tu_srcdir(), name);
    return path;
}

/* minimesosFile text -> printed JSON (NULL on errors). */
static char *file_to_json(const char *src, size_t len)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, len, "t", &d);
    char *out = NULL;
    if (d.len == 0) {
        cJSON *j = mm_convert_to_json(f, &d);
        if (j) {
            out = mm_json_print(j);
            cJSON_Delete(j);
        }
    }
    mm_file_free(f);
    mm_diags_free(&d);
    return out;
}

/* JSON text -> formatted minimesosFile (NULL on errors, diagnostics in *d). */
static char *json_to_file(const char *json, mm_diags *d)
{
    mm_file *f = mm_convert_from_json_text(json, strlen(json), "j", d);
    if (!f)
        return NULL;
    char *out = mm_fmt(f);
    mm_file_free(f);
    return out;
}

START_TEST(test_golden_to_json)
{
    size_t len = 0, elen = 0;
    char *src = tu_read_file(golden_path("golden.minimesosFile"), &len);
    char *expected = tu_read_file(golden_path("golden.json"), &elen);
    ck_assert(src && expected);
    char *out = file_to_json(src, len);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_gt(elen, 0);
    expected[elen - 1] = '\0'; /* the file ends with a newline */
    ck_assert_str_eq(out, expected);
    free(out);
    free(src);
    free(expected);
}
END_TEST

START_TEST(test_golden_from_json)
{
    size_t len = 0, elen = 0;
    char *src = tu_read_file(golden_path("fromjson.input.json"), &len);
    char *expected = tu_read_file(golden_path("fromjson.output.minimesosFile"), &elen);
    ck_assert(src && expected);
    mm_diags d;
    mm_diags_init(&d, "j");
    char *out = json_to_file(src, &d);
    ck_assert_msg(out != NULL, "%s", d.len ? d.items[0].message : "");
    ck_assert_str_eq(out, expected);
    mm_diags_free(&d);
    free(out);
    free(src);
    free(expected);
}
END_TEST

START_TEST(test_values_typed)
{
    const char *src = "minimesos {\n timeout = 60\n v = 0.5\n b = true\n n = null\n s = 'x'\n"
                      " agent { }\n master { }\n}\n";
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, strlen(src), "t", &d);
    cJSON *j = mm_convert_to_json(f, &d);
    ck_assert_ptr_nonnull(j);
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, "timeout")));
    ck_assert(cJSON_GetObjectItem(j, "timeout")->valuedouble == 60);
    ck_assert(cJSON_GetObjectItem(j, "v")->valuedouble == 0.5);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "b")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "n")));
    ck_assert_str_eq(cJSON_GetObjectItem(j, "s")->valuestring, "x");
    ck_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "agent")));
    ck_assert(cJSON_IsObject(cJSON_GetObjectItem(j, "master")));
    cJSON_Delete(j);
    mm_file_free(f);
    mm_diags_free(&d);

    /* no minimesos block: {} */
    char *out = file_to_json("// nothing\n", 11);
    ck_assert_str_eq(out, "{}");
    free(out);
}
END_TEST

START_TEST(test_inexpressible_tree)
{
    const char *src = "minimesos {\n    zookeeper {\n    }\n    zookeeper {\n    }\n}\n";
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, strlen(src), "t", &d);
    ck_assert_ptr_null(mm_convert_to_json(f, &d));
    ck_assert_uint_eq(d.len, 1);
    ck_assert_int_eq(d.items[0].code, MM_E_DUPLICATE_BLOCK);
    ck_assert_uint_eq(d.items[0].span.start.line, 4);
    mm_file_free(f);
    mm_diags_free(&d);

    src = "minimesos {\n    master = 1\n    master {\n    }\n}\n";
    mm_diags_init(&d, "t");
    f = mm_parse(src, strlen(src), "t", &d);
    ck_assert_ptr_null(mm_convert_to_json(f, &d));
    ck_assert_uint_eq(d.len, 1);
    mm_file_free(f);
    mm_diags_free(&d);
}
END_TEST

static void expect_json_error(const char *json, mm_diag_code code, const char *needle)
{
    mm_diags d;
    mm_diags_init(&d, "j");
    char *out = json_to_file(json, &d);
    ck_assert_msg(out == NULL, "accepted: %s", json);
    ck_assert_uint_ge(d.len, 1);
    ck_assert_int_eq(d.items[0].code, code);
    ck_assert_msg(strstr(d.items[0].message, needle) != NULL, "%s: message `%s` lacks `%s`", json,
                  d.items[0].message, needle);
    mm_diags_free(&d);
}

START_TEST(test_inexpressible_json)
{
    expect_json_error("[1, 2]", MM_E_BAD_JSON, "object");
    expect_json_error("\"x\"", MM_E_BAD_JSON, "object");
    expect_json_error("{\"agent\": [[{}]]}", MM_E_BAD_JSON, "agent[0]");
    expect_json_error("{\"agent\": [1]}", MM_E_BAD_JSON, "agent[0]");
    expect_json_error("{\"master\": [{}]}", MM_E_BAD_JSON, "`master`");
    expect_json_error("{\"timeout\": [60]}", MM_E_BAD_JSON, "repeatable");
    expect_json_error("{\"agent\": [{\"resources\": {\"bad-key\": 1}}]}", MM_E_BAD_JSON,
                      "agent[0].resources.bad-key");
    expect_json_error("{\"1x\": 1}", MM_E_BAD_JSON, "1x");
    expect_json_error("{\"a\": 1e999}", MM_E_TOO_LARGE, "a");
    expect_json_error("{\"master\": {\"aclJson\": \"\xff\xfe\"}}", MM_E_BAD_UTF8,
                      "master.aclJson");
    expect_json_error("{\"a\": \"\xed\xa0\x80\"}", MM_E_BAD_UTF8, "`a`");
    /* syntax errors carry a position */
    mm_diags d;
    mm_diags_init(&d, "j");
    ck_assert_ptr_null(json_to_file("{\n  \"a\": 1,\n  \"b\": ]\n}", &d));
    ck_assert_uint_eq(d.len, 1);
    ck_assert_int_eq(d.items[0].code, MM_E_BAD_JSON);
    ck_assert_uint_eq(d.items[0].span.start.line, 3);
    mm_diags_free(&d);
    mm_diags_init(&d, "j");
    ck_assert_ptr_null(json_to_file("{} x", &d));
    ck_assert_uint_eq(d.len, 1);
    mm_diags_free(&d);
    /* too deep */
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 100; i++)
        mm_sb_adds(&sb, "{\"a\": ");
    mm_sb_adds(&sb, "1");
    for (int i = 0; i < 100; i++)
        mm_sb_addc(&sb, '}');
    expect_json_error(sb.buf, MM_E_TOO_DEEP, "nested");
    mm_sb_free(&sb);
}
END_TEST

/* file -> JSON -> file -> JSON is stable, and the second file parses cleanly
 * into the same JSON: the same literal content, hence the same model. */
static int round_trip_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "cannot open %s", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 14 || strcmp(e->d_name + l - 14, ".minimesosFile") != 0)
            continue;
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *src = tu_read_file(path, &len);
        char *j1 = file_to_json(src, len);
        if (!j1) { /* a reject file with syntax errors */
            free(src);
            continue;
        }
        mm_diags d;
        mm_diags_init(&d, "j");
        char *back = json_to_file(j1, &d);
        ck_assert_msg(back != NULL, "%s: %s", e->d_name, d.len ? d.items[0].message : "");
        mm_diags_free(&d);
        char *j2 = file_to_json(back, strlen(back));
        ck_assert_msg(j2 != NULL, "%s: converted file does not parse:\n%s", e->d_name, back);
        ck_assert_msg(strcmp(j1, j2) == 0, "%s: round trip differs:\n%s\n----\n%s", e->d_name, j1, j2);
        free(j1);
        free(j2);
        free(back);
        free(src);
        n++;
    }
    closedir(dp);
    return n;
}

START_TEST(test_round_trip_corpus)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests/corpus/accept", tu_srcdir());
    ck_assert_int_ge(round_trip_dir(dir), 5);
    snprintf(dir, sizeof dir, "%s/tests/corpus/reject", tu_srcdir());
    round_trip_dir(dir);
    snprintf(dir, sizeof dir, "%s/tests/golden/convert", tu_srcdir());
    ck_assert_int_ge(round_trip_dir(dir), 2);
}
END_TEST

START_TEST(test_long_string_round_trip)
{
    const char *src = "minimesos {\n    master {\n        aclJson = \"\"\"\n  { \"a\": [\"b\"] }\n\"\"\"\n    }\n}\n";
    char *j = file_to_json(src, strlen(src));
    mm_diags d;
    mm_diags_init(&d, "j");
    char *back = json_to_file(j, &d);
    ck_assert_ptr_nonnull(back);
    mm_diags_free(&d);
    mm_diags_init(&d, "b");
    mm_file *f = mm_parse(back, strlen(back), "b", &d);
    ck_assert_uint_eq(d.len, 0);
    const mm_node *acl = mm_node_child(mm_node_child(f->root, "master"), "aclJson");
    ck_assert_str_eq(acl->value.text, "\n  { \"a\": [\"b\"] }\n");
    ck_assert_int_eq(acl->value.quote, MM_QUOTE_TRIPLE_DOUBLE);
    mm_file_free(f);
    mm_diags_free(&d);
    free(back);
    free(j);
}
END_TEST

START_TEST(test_json_print)
{
    cJSON *j = cJSON_Parse("{\"a\": [1, 2.5, \"x\\ny\", true, null, {}, []], \"b\": 1e20}");
    char *s = mm_json_print(j);
    ck_assert_str_eq(s, "{\n  \"a\": [\n    1,\n    2.5,\n    \"x\\ny\",\n    true,\n    null,\n"
                        "    {},\n    []\n  ],\n  \"b\": 1e+20\n}");
    free(s);
    cJSON_Delete(j);
    ck_assert(mm_convert_repeatable("agent"));
    ck_assert(mm_convert_repeatable("ports"));
    ck_assert(!mm_convert_repeatable("master"));
    ck_assert(!mm_convert_repeatable("resources"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("convert");
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, test_golden_to_json);
    tcase_add_test(tc, test_golden_from_json);
    tcase_add_test(tc, test_values_typed);
    tcase_add_test(tc, test_inexpressible_tree);
    tcase_add_test(tc, test_inexpressible_json);
    tcase_add_test(tc, test_round_trip_corpus);
    tcase_add_test(tc, test_long_string_round_trip);
    tcase_add_test(tc, test_json_print);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
