/* The formatter: golden files (tests/golden/fmt/NAME.in.minimesosFile ->
 * NAME.out.minimesosFile), idempotence and comment preservation over every
 * corpus and golden file, trees built by code, quoting. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "emit/fmt.h" /* internal helpers too: mm_fmt_quote */
#include "minimesos/ast.h"
#include "testutil.h"

static char *fmt_text(const char *src, size_t len, size_t *nerr)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, len, "t", &d);
    *nerr = mm_diags_count(&d, MM_SEV_ERROR);
    char *out = *nerr ? NULL : mm_fmt(f);
    mm_file_free(f);
    mm_diags_free(&d);
    return out;
}

/* Every comment of a tree, as text with trailing blanks per line removed. */
static void collect(strbuf *sb, const mm_comment *c)
{
    for (; c; c = c->next) {
        const char *s = c->text;
        for (;;) {
            const char *nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
                n--;
            mm_sb_add(sb, s, n);
            mm_sb_addc(sb, '|');
            if (!nl)
                break;
            s = nl + 1;
        }
        mm_sb_addc(sb, '\n');
    }
}

static void collect_node(strbuf *sb, const mm_node *n)
{
    collect(sb, n->leading);
    collect(sb, n->trailing);
    if (n->kind != MM_NODE_BLOCK)
        return;
    for (const mm_node *c = n->first_child; c; c = c->next)
        collect_node(sb, c);
    collect(sb, n->inner);
}

static char *all_comments(const char *src, size_t len)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, len, "t", &d);
    strbuf sb = STRBUF_INIT;
    collect(&sb, f->shebang);
    collect(&sb, f->head);
    if (f->root)
        collect_node(&sb, f->root);
    collect(&sb, f->tail);
    mm_file_free(f);
    mm_diags_free(&d);
    return mm_sb_detach(&sb);
}

/* Sorted multiset comparison: comments may move between slots (a comment on
 * a `{` line becomes the first child's), never disappear or duplicate. */
static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted(char *s)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (char *tok = strtok(s, "\n"); tok; tok = strtok(NULL, "\n")) {
        v = mm_xgrow(v, &cap, n + 1, sizeof *v);
        v[n++] = tok;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_lines);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        mm_sb_adds(&sb, v[i]);
        mm_sb_addc(&sb, '\n');
    }
    free(v);
    free(s);
    return mm_sb_detach(&sb);
}

static void check_file(const char *path, bool must_parse)
{
    size_t len = 0;
    char *src = tu_read_file(path, &len);
    ck_assert_msg(src != NULL, "cannot read %s", path);
    size_t nerr;
    char *once = fmt_text(src, len, &nerr);
    if (!once) {
        ck_assert_msg(!must_parse, "%s: %zu errors", path, nerr);
        free(src);
        return;
    }
    char *twice = fmt_text(once, strlen(once), &nerr);
    ck_assert_msg(twice != NULL, "%s: formatted text does not parse", path);
    ck_assert_msg(strcmp(once, twice) == 0, "%s: not idempotent:\n%s\n----\n%s", path, once, twice);
    /* layout rules */
    size_t n = strlen(once);
    ck_assert_msg(n == 0 || (once[n - 1] == '\n' && (n < 2 || once[n - 2] != '\n')),
                  "%s: must end with exactly one newline", path);
    ck_assert_msg(strstr(once, " \n") == NULL && strstr(once, "\t\n") == NULL,
                  "%s: trailing white space", path);
    ck_assert_msg(strstr(once, "\n\n\n") == NULL, "%s: two blank lines in a row", path);
    ck_assert_msg(strstr(once, "{\n\n") == NULL, "%s: blank line after {", path);
    ck_assert_msg(strstr(once, "\r") == NULL || strstr(src, "\\r") != NULL, "%s: CR kept", path);
    /* comments */
    char *c1 = sorted(all_comments(src, len)), *c2 = sorted(all_comments(once, strlen(once)));
    ck_assert_msg(strcmp(c1, c2) == 0, "%s: comments differ:\n%s\n----\n%s", path, c1, c2);
    free(c1);
    free(c2);
    free(once);
    free(twice);
    free(src);
}

static int for_each(const char *dir, const char *suffix, void (*fn)(const char *path, const char *name))
{
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "cannot open %s", dir);
    struct dirent *e;
    int count = 0;
    size_t sl = strlen(suffix);
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= sl || strcmp(e->d_name + n - sl, suffix) != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        fn(path, e->d_name);
        count++;
    }
    closedir(dp);
    return count;
}

static void golden_one(const char *path, const char *name)
{
    (void)name;
    size_t len = 0, elen = 0;
    char *src = tu_read_file(path, &len);
    char exp_path[8300];
    snprintf(exp_path, sizeof exp_path, "%.*s.out.minimesosFile",
             (int)(strlen(path) - strlen(".in.minimesosFile")), path);
    char *expected = tu_read_file(exp_path, &elen);
    ck_assert_msg(src && expected, "missing %s or %s", path, exp_path);
    size_t nerr;
    char *out = fmt_text(src, len, &nerr);
    ck_assert_msg(out != NULL, "%s does not parse", path);
    ck_assert_msg(strcmp(out, expected) == 0, "%s:\n--- got\n%s--- expected\n%s", path, out, expected);
    check_file(path, true);
    check_file(exp_path, true);
    free(out);
    free(src);
    free(expected);
}

START_TEST(test_golden)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests/golden/fmt", tu_srcdir());
    ck_assert_int_ge(for_each(dir, ".in.minimesosFile", golden_one), 3);
}
END_TEST

static void accept_one(const char *path, const char *name)
{
    (void)name;
    check_file(path, true);
}

static void reject_one(const char *path, const char *name)
{
    (void)name;
    check_file(path, false);
}

START_TEST(test_corpus_idempotent)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests/corpus/accept", tu_srcdir());
    ck_assert_int_ge(for_each(dir, ".minimesosFile", accept_one), 5);
    snprintf(dir, sizeof dir, "%s/tests/corpus/reject", tu_srcdir());
    ck_assert_int_ge(for_each(dir, ".minimesosFile", reject_one), 5);
}
END_TEST

START_TEST(test_blank_lines_and_braces)
{
    const char *src = "minimesos {\n\n\n    a = 1;;\n\n\n\n    b { }\n\n}\n";
    size_t nerr;
    char *out = fmt_text(src, strlen(src), &nerr);
    ck_assert_str_eq(out, "minimesos {\n    a = 1\n\n    b {\n    }\n}\n");
    free(out);
    out = fmt_text("", 0, &nerr);
    ck_assert_str_eq(out, "");
    free(out);
    src = "// only\n\n\n// comments";
    out = fmt_text(src, strlen(src), &nerr);
    ck_assert_str_eq(out, "// only\n\n// comments\n");
    free(out);
    /* a file with errors is not formatted */
    src = "minimesos {\n    a = 1 2\n}\n";
    out = fmt_text(src, strlen(src), &nerr);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(nerr, 1);
}
END_TEST

START_TEST(test_built_tree)
{
    mm_file *f = mm_file_new();
    f->root = mm_node_new_block("minimesos");
    mm_value s = { .kind = MM_VAL_STRING, .text = "a \"b\" $c\\", .len = 9 };
    mm_node_append(f->root, mm_node_new_property("clusterName", s));
    mm_value n = { .kind = MM_VAL_NUMBER, .number = 0.25 };
    mm_node_append(f->root, mm_node_new_property("x", n));
    mm_value i = { .kind = MM_VAL_NUMBER, .number = 60, .is_integer = true };
    mm_node_append(f->root, mm_node_new_property("timeout", i));
    mm_value b = { .kind = MM_VAL_BOOL, .boolean = true };
    mm_node_append(f->root, mm_node_new_property("mapPortsToHost", b));
    mm_node *a = mm_node_new_block("agent");
    a->blank_before = true;
    mm_node_append(f->root, a);
    mm_value z = { .kind = MM_VAL_NULL };
    mm_node_append(a, mm_node_new_property("aclJson", z));
    mm_value l = { .kind = MM_VAL_STRING, .text = "{\n  \"x\": 1\n}", .len = 12,
                   .quote = MM_QUOTE_TRIPLE_DOUBLE };
    mm_node_append(a, mm_node_new_property("j", l));
    char *out = mm_fmt(f);
    ck_assert_str_eq(out, "minimesos {\n"
                          "    clusterName = \"a \\\"b\\\" \\$c\\\\\"\n"
                          "    x = 0.25\n"
                          "    timeout = 60\n"
                          "    mapPortsToHost = true\n"
                          "\n"
                          "    agent {\n"
                          "        aclJson = null\n"
                          "        j = \"\"\"{\n  \"x\": 1\n}\"\"\"\n"
                          "    }\n"
                          "}\n");
    free(out);
    mm_file_free(f);
}
END_TEST

/* Every quote style re-reads to the same text. */
START_TEST(test_quote_round_trip)
{
    static const char *const texts[] = {
        "plain", "with \"double\" and 'single'", "$HOME and ${x}", "back\\slash",
        "new\nline", "tab\tcr\rbs\bff\f", "ctrl \x01 del \x7f", "caf\xc3\xa9", "'''", "\"\"\"",
        "ends with \"", "ends with '", "",
    };
    static const mm_quote qs[] = { MM_QUOTE_DOUBLE, MM_QUOTE_SINGLE, MM_QUOTE_TRIPLE_DOUBLE,
                                   MM_QUOTE_TRIPLE_SINGLE };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (size_t q = 0; q < 4; q++) {
            strbuf sb = STRBUF_INIT;
            mm_sb_adds(&sb, "minimesos {\n    v = ");
            mm_fmt_quote(&sb, texts[i], strlen(texts[i]), qs[q]);
            mm_sb_adds(&sb, "\n}\n");
            mm_diags d;
            mm_diags_init(&d, "q");
            mm_file *f = mm_parse(sb.buf, sb.len, "q", &d);
            ck_assert_msg(d.len == 0, "text %zu quote %zu: %s\n%s", i, q, d.len ? d.items[0].message : "", sb.buf);
            const mm_node *v = mm_node_child(f->root, "v");
            ck_assert_msg(v && strcmp(v->value.text, texts[i]) == 0, "text %zu quote %zu: %s", i, q, sb.buf);
            ck_assert_int_eq(v->value.quote, qs[q]);
            mm_file_free(f);
            mm_diags_free(&d);
            mm_sb_free(&sb);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("fmt");
    tcase_add_test(tc, test_golden);
    tcase_add_test(tc, test_corpus_idempotent);
    tcase_add_test(tc, test_blank_lines_and_braces);
    tcase_add_test(tc, test_built_tree);
    tcase_add_test(tc, test_quote_round_trip);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
