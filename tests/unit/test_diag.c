/* Diagnostics: the list, sorting, codes, the text/gcc/JSON emitters, and the
 * "did you mean" helper. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/ast.h"
#include "minimesos/diag.h"
#include "testutil.h"

static mm_span sp(unsigned l, unsigned c, unsigned off, unsigned n)
{
    mm_span s = { { l, c, off }, { l, c + n, off + n } };
    return s;
}

/* Run an emitter into a string. */
static char *capture_text(const mm_diags *d, const char *src, bool color)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mm_diags_print_text(f, d, src, src ? strlen(src) : 0, color);
    fclose(f);
    return buf;
}

static char *capture_gcc(const mm_diags *d)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    mm_diags_print_gcc(f, d);
    fclose(f);
    return buf;
}

START_TEST(test_codes)
{
    ck_assert_str_eq(mm_diag_code_str(MM_E_UNKNOWN_BLOCK), "E201");
    ck_assert_str_eq(mm_diag_code_name(MM_E_UNKNOWN_BLOCK), "unknown-block");
    ck_assert_str_eq(mm_diag_code_str(MM_W_NO_CLUSTER), "W303");
    ck_assert_str_eq(mm_severity_str(MM_SEV_ERROR), "error");
    ck_assert_str_eq(mm_severity_str(MM_SEV_WARNING), "warning");
    ck_assert_str_eq(mm_severity_str(MM_SEV_NOTE), "note");
}
END_TEST

START_TEST(test_list)
{
    mm_diags d;
    mm_diags_init(&d, "f");
    mm_diag_add(&d, MM_W_LEGACY_TAG, sp(5, 1, 50, 3), NULL, "w %d", 1);
    mm_diag_add(&d, MM_E_SYNTAX, sp(2, 7, 20, 1), "h", "e %s", "two");
    mm_diag_add(&d, MM_E_WRONG_TYPE, sp(2, 3, 16, 1), NULL, "e3");
    mm_diag_add_related(&d, MM_E_DUPLICATE_BLOCK, sp(2, 7, 20, 1), sp(1, 1, 0, 3), NULL, "dup");
    ck_assert_uint_eq(d.len, 4);
    ck_assert_int_eq(d.items[0].severity, MM_SEV_WARNING);
    ck_assert_int_eq(d.items[1].severity, MM_SEV_ERROR);
    ck_assert_str_eq(d.items[1].message, "e two");
    ck_assert_str_eq(d.items[1].hint, "h");
    ck_assert_ptr_null(d.items[0].hint);
    ck_assert(d.items[3].has_related);
    ck_assert_uint_eq(mm_diags_count(&d, MM_SEV_ERROR), 3);
    ck_assert_uint_eq(mm_diags_count(&d, MM_SEV_WARNING), 1);
    mm_diags_sort(&d);
    ck_assert_str_eq(d.items[0].message, "e3");
    ck_assert_str_eq(d.items[1].message, "e two"); /* stable among equal positions */
    ck_assert_str_eq(d.items[2].message, "dup");
    ck_assert_str_eq(d.items[3].message, "w 1");
    mm_diags_free(&d);

    /* many, in two interleaved runs: sorted, stable, fast */
    mm_diags_init(&d, "f");
    for (unsigned i = 0; i < 100000; i++)
        mm_diag_add(&d, MM_E_SYNTAX, sp(i + 1, 1, 0, 1), NULL, "a");
    for (unsigned i = 0; i < 100000; i++)
        mm_diag_add(&d, MM_E_SYNTAX, sp(i + 1, 1, 0, 1), NULL, "b");
    mm_diags_sort(&d);
    for (unsigned i = 0; i < 200000; i++) {
        ck_assert_uint_eq(d.items[i].span.start.line, i / 2 + 1);
        ck_assert_str_eq(d.items[i].message, i % 2 ? "b" : "a");
    }
    mm_diags_free(&d);
}
END_TEST

START_TEST(test_text)
{
    const char *src = "minimesos {\n    timeout = 60 60\n}\n";
    mm_diags d;
    mm_diags_init(&d, "minimesosFile");
    mm_file *f = mm_parse(src, strlen(src), "minimesosFile", &d);
    char *out = capture_text(&d, src, false);
    ck_assert_str_eq(out,
                     "minimesosFile:2:18: error[E101]: unexpected number `60`, expected a new "
                     "line, `;` or `}`\n"
                     "2 |     timeout = 60 60\n"
                     "  |                  ^^\n");
    free(out);
    /* no source: no snippet */
    out = capture_text(&d, NULL, false);
    ck_assert_ptr_null(strchr(out, '^'));
    free(out);
    /* colour only when asked */
    out = capture_text(&d, src, true);
    ck_assert_ptr_nonnull(strstr(out, "\033["));
    free(out);
    mm_file_free(f);
    mm_diags_free(&d);

    /* hint, related span, tabs kept so the caret lines up */
    src = "minimesos {\n\tzookeeper {\n\t}\n\tzookeeper {\n\t}\n}\n";
    mm_diags_init(&d, "x");
    mm_diag_add_related(&d, MM_E_DUPLICATE_BLOCK, sp(4, 2, 28, 9), sp(2, 2, 13, 9),
                        "remove one", "a second `zookeeper` block");
    out = capture_text(&d, src, false);
    ck_assert_str_eq(out,
                     "x:4:2: error[E202]: a second `zookeeper` block\n"
                     "4 | \tzookeeper {\n"
                     "  | \t^^^^^^^^^\n"
                     "  = note: see line 2, column 2\n"
                     "2 | \tzookeeper {\n"
                     "  | \t^^^^^^^^^\n"
                     "  = hint: remove one\n");
    free(out);
    mm_diags_free(&d);

    /* a span built by hand (no offset): the line is found by counting */
    mm_diags_init(&d, "z");
    mm_span by_line = { { 3, 5, 0 }, { 3, 8, 0 } };
    mm_diag_add(&d, MM_E_UNKNOWN_PROP, by_line, NULL, "unknown");
    out = capture_text(&d, "minimesos {\n    a = 1\n    bcd = 2\n}\n", false);
    ck_assert_str_eq(out, "z:3:5: error[E200]: unknown\n3 |     bcd = 2\n  |     ^^^\n");
    free(out);
    mm_diags_free(&d);

    /* a diagnostic without a position */
    mm_diags_init(&d, "y");
    mm_span none = { { 0, 0, 0 }, { 0, 0, 0 } };
    mm_diag_add(&d, MM_E_IO, none, NULL, "cannot read y");
    out = capture_text(&d, "", false);
    ck_assert_str_eq(out, "y: error[E100]: cannot read y\n");
    free(out);
    mm_diags_free(&d);
}
END_TEST

START_TEST(test_gcc)
{
    mm_diags d;
    mm_diags_init(&d, "dir/minimesosFile");
    mm_diag_add(&d, MM_E_UNKNOWN_PROP, sp(2, 5, 16, 10), "did you mean `clusterName`?",
                "unknown property `clusterNme`");
    mm_diag_add(&d, MM_W_LEGACY_TAG, sp(3, 1, 30, 1), NULL, "legacy");
    char *out = capture_gcc(&d);
    ck_assert_str_eq(out,
                     "dir/minimesosFile:2:5: error: unknown property `clusterNme`; hint: did you "
                     "mean `clusterName`? [E200]\n"
                     "dir/minimesosFile:3:1: warning: legacy [W300]\n");
    free(out);
    mm_diags_free(&d);
}
END_TEST

START_TEST(test_json)
{
    mm_diags d;
    mm_diags_init(&d, "f");
    mm_diag_add(&d, MM_E_SYNTAX, sp(2, 18, 29, 2), NULL, "bad");
    mm_diag_add(&d, MM_E_UNKNOWN_BLOCK, sp(3, 5, 40, 3), "did you mean `app`?", "unknown");
    cJSON *arr = cJSON_CreateArray();
    mm_diags_to_json(&d, arr);
    ck_assert_int_eq(cJSON_GetArraySize(arr), 2);
    cJSON *o = cJSON_GetArrayItem(arr, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(o, "file")->valuestring, "f");
    ck_assert_int_eq(cJSON_GetObjectItem(o, "line")->valueint, 2);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "column")->valueint, 18);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "endLine")->valueint, 2);
    ck_assert_int_eq(cJSON_GetObjectItem(o, "endColumn")->valueint, 20);
    ck_assert_str_eq(cJSON_GetObjectItem(o, "severity")->valuestring, "error");
    ck_assert_str_eq(cJSON_GetObjectItem(o, "code")->valuestring, "E101");
    ck_assert_str_eq(cJSON_GetObjectItem(o, "name")->valuestring, "syntax-error");
    ck_assert_str_eq(cJSON_GetObjectItem(o, "message")->valuestring, "bad");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "hint")));
    o = cJSON_GetArrayItem(arr, 1);
    ck_assert_str_eq(cJSON_GetObjectItem(o, "hint")->valuestring, "did you mean `app`?");
    cJSON_Delete(arr);
    mm_diags_free(&d);
}
END_TEST

START_TEST(test_closest)
{
    static const char *const keys[] = {
        "clusterName", "loggingLevel", "mapAgentSandboxVolume", "mapPortsToHost",
        "mesosVersion", "timeout", "zookeeper", "app", "agent", NULL,
    };
    ck_assert_str_eq(mm_closest("clusterNme", keys), "clusterName");
    ck_assert_str_eq(mm_closest("mapportstohost", keys), "mapPortsToHost");
    ck_assert_str_eq(mm_closest("zookeper", keys), "zookeeper");
    ck_assert_str_eq(mm_closest("timeuot", keys), "timeout"); /* transposition */
    ck_assert_str_eq(mm_closest("apps", keys), "app");
    ck_assert_ptr_null(mm_closest("exposePorts", keys));
    ck_assert_ptr_null(mm_closest("xyz", keys));
    ck_assert_ptr_null(mm_closest("", keys));
    static const char *const none[] = { NULL };
    ck_assert_ptr_null(mm_closest("abc", none));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, test_codes);
    tcase_add_test(tc, test_list);
    tcase_add_test(tc, test_text);
    tcase_add_test(tc, test_gcc);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_closest);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
