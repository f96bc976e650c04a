/* The incremental re-parse (lang/reparse.h) against a full parse: random
 * edits (fixed seeds) on every corpus file, on hand-written files with
 * comments, separators and nesting everywhere, and on a generated file of
 * 300 agents. Whenever mm_reparse_edit says it updated the tree, that tree
 * must equal mm_parse of the new text node for node, span for span, comment
 * for comment; when it declines, the old tree must be left as it was (the
 * next comparisons would catch a tree it half changed). */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/ast.h"
#include "minimesos/model.h"
#include "base/pool.h"
#include "base/util.h"
#include "lang/reparse.h"
#include "testutil.h"
#include "../tree_eq.h"

/* ---- random edits ---- */

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

/* What edits insert: mostly what typing does (white space, a character, a
 * new line, a value), sometimes something that changes the structure. */
static const char *const pieces[] = {
    " ", " ", "\t", "\n", "\n", "\n    ", "1", "0", "a", "x", "e", "_", ".", "-", "\"", "'",
    "=", " = ", ";", "{", "}", "{\n}", "// note\n", "// note", "/* c */", "/* a\nb */", "/*",
    "*/", "\n\n", "\r\n", "\xc3\xa9", "\xe2\x82\xac", "x = 1\n", "role = \"*\"\n",
    "agent {\n    imageTag = \"2\"\n}\n", "cpu { value = 2 }", "value = 1.5", "\"\"\"",
    "true", "null", "#", "$", "\\", "package a", "minimesos { }",
};

/* An edit of text[0..len): [a, b) replaced by ins; biased to small ones
 * and, when possible, to places near a statement. */
static void pick_edit(const char *text, size_t len, size_t *a, size_t *b, const char **ins)
{
    *a = len ? rnd((uint32_t)len + 1) : 0;
    uint32_t kind = rnd(10);
    size_t del = kind < 5 ? 0 : kind < 8 ? rnd(3) + 1 : kind < 9 ? rnd(40) : rnd(400);
    *b = *a + del > len ? len : *a + del;
    *ins = kind >= 5 && rnd(3) == 0 ? "" : pieces[rnd(sizeof pieces / sizeof pieces[0])];
    (void)text;
}

typedef struct stats {
    unsigned edits, eligible, incremental, full_errors;
} stats;

/* Edit text `rounds` times; compare after each. */
static void fuzz_text(const char *name, const char *text0, size_t len0, unsigned rounds,
                      uint64_t seed, stats *st)
{
    rng = seed;
    size_t len = len0, cap = len0 + 1;
    char *text = mm_xmalloc(cap);
    memcpy(text, text0, len0);
    text[len] = '\0';
    mm_diags d;
    mm_diags_init(&d, name);
    mm_file *cur = mm_parse(text, len, name, &d);
    bool clean = d.len == 0;
    mm_diags_free(&d);
    for (unsigned r = 0; r < rounds; r++) {
        size_t a, b;
        const char *ins;
        pick_edit(text, len, &a, &b, &ins);
        size_t n = strlen(ins), nlen = len - (b - a) + n;
        char *next = mm_xmalloc(nlen + 1);
        memcpy(next, text, a);
        memcpy(next + a, ins, n);
        memcpy(next + a + n, text + b, len - b);
        next[nlen] = '\0';
        st->edits++;

        mm_diags_init(&d, name);
        mm_file *full = mm_parse(next, nlen, name, &d);
        bool full_clean = d.len == 0;
        if (!full_clean)
            st->full_errors++;
        mm_diags_free(&d);
        bool inc = false;
        if (clean) {
            st->eligible++;
            inc = mm_reparse_edit(cur, next, nlen, a, b, n);
        }
        if (inc) {
            st->incremental++;
            ck_assert_msg(full_clean, "%s, edit %u ([%zu, %zu) <- \"%s\"): re-parsed, but the "
                          "full parse has diagnostics", name, r, a, b, ins);
            ck_assert_msg(file_eq(cur, full), "%s, edit %u ([%zu, %zu) <- \"%s\"): %s", name, r,
                          a, b, ins, why);
            mm_file_free(full);
        } else if (full_clean) {
            /* declined: the server parses it all */
            mm_file_free(cur);
            cur = full;
            clean = full_clean;
        } else {
            /* go back to the text before a broken edit (the old tree,
             * declined, must still be that text's) */
            mm_file_free(full);
            ck_assert_msg(cur->len == len && memcmp(cur->src, text, len) == 0,
                          "%s, edit %u: a declined re-parse changed the tree", name, r);
            free(next);
            continue;
        }
        free(text);
        text = next;
        len = nlen;
    }
    /* the last tree against a fresh parse */
    mm_diags_init(&d, name);
    mm_file *full = mm_parse(text, len, name, &d);
    mm_diags_free(&d);
    ck_assert_msg(file_eq(cur, full), "%s, at the end: %s", name, why);
    mm_file_free(full);
    mm_file_free(cur);
    free(text);
}

static const char *const handmade[] = {
    ("minimesos {\n    timeout = 60 // seconds\n\n    // the master\n    master {\n"
    "        imageName = \"m\" /* inline */\n    }\n    /* before agents */\n\n"
    "    agent { portNumber = 5051; imageTag = '1' }\n    agent {\n        resources {\n"
    "            cpu { value = 1; role = \"*\" }\n            mem {\n                value = 2\n"
    "            } // after mem\n        }\n        // last in agent\n    }\n"
    "    zookeeper { }\n    // inner of root\n} // after root\n// tail\n"),
    ("// head\npackage a.b\nminimesos {\n    clusterName = \"\"\"long\ntext\"\"\"\n"
    "    a = 1; b = 2; c { d = 3 }; e = 'x'\n\n\n    f { }\n    g {\n    }\n}\n"),
    "minimesos {\r\n    timeout = 60\r\n    agent {\r\n        portNumber = 5051\r\n    }\r\n}\r\n",
    "minimesos { timeout = 1 }",
    "minimesos {}\n",
};

START_TEST(test_handmade)
{
    stats st = { 0 };
    for (size_t i = 0; i < sizeof handmade / sizeof handmade[0]; i++)
        for (uint64_t seed = 1; seed <= 40; seed++)
            fuzz_text("handmade", handmade[i], strlen(handmade[i]), 60, seed * 7919 + i, &st);
    printf("handmade: %u edits, %u on a clean tree, %u re-parsed in place, %u broke the file\n",
           st.edits, st.eligible, st.incremental, st.full_errors);
    /* the fast path is taken for a good share of them (a path never taken tests nothing) */
    ck_assert_uint_gt(st.incremental, st.eligible / 5);
}
END_TEST

START_TEST(test_corpus_files)
{
    char dir[4200];
    stats st = { 0 };
    int files = 0;
    for (int k = 0; k < 2; k++) {
        snprintf(dir, sizeof dir, "%s/tests/corpus/%s", tu_srcdir(), k ? "reject" : "accept");
        DIR *dp = opendir(dir);
        ck_assert_msg(dp != NULL, "no corpus at %s", dir);
        struct dirent *e;
        while ((e = readdir(dp)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 14 || strcmp(e->d_name + n - 14, ".minimesosFile") != 0)
                continue;
            char path[8400];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            size_t len;
            char *text = tu_read_file(path, &len);
            ck_assert_ptr_nonnull(text);
            fuzz_text(e->d_name, text, len, 300, 12345 + (uint64_t)files, &st);
            free(text);
            files++;
        }
        closedir(dp);
    }
    printf("corpus (%d files): %u edits, %u on a clean tree, %u re-parsed in place\n", files,
           st.edits, st.eligible, st.incremental);
    ck_assert_int_ge(files, 10);
    ck_assert_uint_gt(st.incremental, st.eligible / 5);
}
END_TEST

/* What bench/gen_agents.sh writes, for n agents. */
static char *gen_agents(int n, size_t *len)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "minimesos {\n    clusterName = \"bench\"\n    timeout = 60\n\n"
                    "    master {\n        imageName = \"containersol/mesos-master\"\n    }\n");
    for (int i = 0; i < n; i++)
        mm_sb_addf(&sb, "\n    agent {\n        imageName = \"containersol/mesos-agent\"\n"
                        "        portNumber = %d\n        attributes = \"az:%da;rack:r%d\"\n\n"
                        "        resources {\n            cpu {\n                role = \"*\"\n"
                        "                value = %g\n            }\n            mem {\n"
                        "                value = %d\n            }\n        }\n    }\n",
                   5051 + i, i % 3, i % 40, 1 + (i % 8) / 4.0, 512 * (1 + i % 8));
    mm_sb_adds(&sb, "\n    zookeeper {\n        imageTag = \"3.4.6\"\n    }\n}\n");
    *len = sb.len;
    return sb.buf;
}

START_TEST(test_large_file)
{
    size_t len;
    char *text = gen_agents(300, &len);
    stats st = { 0 };
    fuzz_text("agents", text, len, 400, 99, &st);
    printf("300 agents: %u edits, %u on a clean tree, %u re-parsed in place\n", st.edits,
           st.eligible, st.incremental);
    ck_assert_uint_gt(st.incremental, st.eligible / 5);
    free(text);
}
END_TEST

/* The model on a re-parsed tree says what it says on a fresh one: the
 * duplicate port an edit makes is found, with the same spans. */
START_TEST(test_model_after_reparse)
{
    const char *t0 = "minimesos {\n    agent {\n        portNumber = 5051\n    }\n"
                     "    agent {\n        portNumber = 5052\n    }\n}\n";
    const char *t1 = "minimesos {\n    agent {\n        portNumber = 5051\n    }\n"
                     "    agent {\n        portNumber = 5051\n    }\n}\n";
    mm_diags d, e;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(t0, strlen(t0), "t", &d);
    ck_assert_uint_eq(d.len, 0);
    const char *at = strstr(t0, "5052");
    size_t a = (size_t)(at - t0) + 3;
    ck_assert(mm_reparse_edit(f, t1, strlen(t1), a, a + 1, 1));
    mm_cluster_free(mm_cluster_build(f, 0, &d));
    mm_diags_init(&e, "t");
    mm_file *g = mm_parse(t1, strlen(t1), "t", &e);
    mm_cluster_free(mm_cluster_build(g, 0, &e));
    ck_assert_uint_eq(d.len, e.len);
    for (size_t i = 0; i < d.len; i++) {
        ck_assert_int_eq(d.items[i].code, e.items[i].code);
        ck_assert_str_eq(d.items[i].message, e.items[i].message);
        ck_assert(span_eq(d.items[i].span, e.items[i].span));
    }
    mm_diags_free(&d);
    mm_diags_free(&e);
    mm_file_free(f);
    mm_file_free(g);
}
END_TEST

/* Edits that must not take the fast path (the root's brace, a syntax
 * error, a line comment that would swallow the next statement), and edits
 * that may (a block's name, a trailing comment): whichever way each goes,
 * the tree is right. */
START_TEST(test_declines)
{
    const char *t = "minimesos {\n    a = 1\n    b { c = 2 }\n}\n";
    static const struct { const char *find; size_t del; const char *ins; bool must_decline; } cases[] = {
        { "{\n    a", 1, "", true },
        { "a = 1", 0, "x ", true },
        { "    b {", 0, "//", true },
        { "b {", 1, "bb", false },
        { "1\n", 1, "1 // c", false },
    };
    int taken = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mm_diags d;
        mm_diags_init(&d, "t");
        mm_file *f = mm_parse(t, strlen(t), "t", &d);
        size_t a = (size_t)(strstr(t, cases[i].find) - t);
        size_t b = a + cases[i].del;
        strbuf sb = STRBUF_INIT;
        mm_sb_add(&sb, t, a);
        mm_sb_adds(&sb, cases[i].ins);
        mm_sb_adds(&sb, t + b);
        bool ok = mm_reparse_edit(f, sb.buf, sb.len, a, b, strlen(cases[i].ins));
        taken += ok;
        if (cases[i].must_decline)
            ck_assert_msg(!ok, "case %zu took the fast path", i);
        mm_diags_free(&d);
        mm_diags_init(&d, "t");
        mm_file *g = mm_parse(sb.buf, sb.len, "t", &d);
        if (ok)
            ck_assert_msg(file_eq(f, g), "case %zu: %s", i, why);
        else
            ck_assert(f->len == strlen(t) && memcmp(f->src, t, f->len) == 0);
        mm_file_free(g);
        mm_file_free(f);
        mm_diags_free(&d);
        mm_sb_free(&sb);
    }
    ck_assert_int_ge(taken, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reparse");
    TCase *tc = tcase_create("reparse");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_handmade);
    tcase_add_test(tc, test_corpus_files);
    tcase_add_test(tc, test_large_file);
    tcase_add_test(tc, test_model_after_reparse);
    tcase_add_test(tc, test_declines);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
