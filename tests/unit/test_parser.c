/* The grammar and the tree: spans, error recovery, roots, bounds (depth,
 * sizes), hostile bytes, the building API, the corpus. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "minimesos/ast.h"
#include "base/pool.h"
#include "base/util.h"
#include "testutil.h"

static mm_diags D;
static mm_file *F;

static mm_file *parse_n(const char *s, size_t n)
{
    mm_diags_init(&D, "t");
    F = mm_parse(s, n, "t", &D);
    ck_assert_ptr_nonnull(F);
    return F;
}

static mm_file *parse(const char *s)
{
    return parse_n(s, strlen(s));
}

static void done(void)
{
    mm_file_free(F);
    mm_diags_free(&D);
    F = NULL;
}

static const char *corpus_dir(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/tests/corpus", tu_srcdir());
    return path;
}

START_TEST(test_spans)
{
    parse("minimesos {\n    timeout = 60\n    agent {\n        portNumber = 5051\n    }\n}\n");
    ck_assert_uint_eq(D.len, 0);
    mm_node *r = F->root;
    ck_assert_str_eq(r->name, "minimesos");
    ck_assert_ptr_null(r->parent);
    ck_assert_uint_eq(r->open_brace.start.line, 1);
    ck_assert_uint_eq(r->open_brace.start.col, 11);
    ck_assert_uint_eq(r->close_brace.start.line, 6);
    ck_assert_uint_eq(r->close_brace.start.col, 1);
    ck_assert_uint_eq(r->n_children, 2);
    mm_node *t = r->first_child;
    ck_assert_str_eq(t->name, "timeout");
    ck_assert_uint_eq(t->name_span.start.line, 2);
    ck_assert_uint_eq(t->name_span.start.col, 5);
    ck_assert_uint_eq(t->name_span.end.col, 12);
    ck_assert_uint_eq(t->span.end.col, 17);
    ck_assert_uint_eq(t->span.start.off, 16);
    ck_assert_ptr_eq(t->parent, r);
    mm_node *a = t->next;
    ck_assert_ptr_eq(a, r->last_child);
    ck_assert_int_eq(a->kind, MM_NODE_BLOCK);
    ck_assert_uint_eq(a->span.start.line, 3);
    ck_assert_uint_eq(a->span.end.line, 5);
    ck_assert_uint_eq(a->span.end.col, 6);
    ck_assert_str_eq(a->first_child->name, "portNumber");
    ck_assert_ptr_eq(a->first_child->parent, a);
    ck_assert_ptr_eq(mm_node_child(a, "portNumber"), a->first_child);
    ck_assert_ptr_null(mm_node_child(a, "nope"));
    done();
}
END_TEST

START_TEST(test_stray_token)
{
    parse("minimesos {\n    timeout = 60 60\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_SYNTAX);
    ck_assert_uint_eq(D.items[0].span.start.line, 2);
    ck_assert_uint_eq(D.items[0].span.start.col, 18);
    ck_assert_str_eq(D.items[0].message,
                     "unexpected number `60`, expected a new line, `;` or `}`");
    ck_assert_ptr_nonnull(F->root);
    done();
    /* two statements on one line need a `;` */
    parse("minimesos {\n    a = 1 b = 2\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_uint_eq(D.items[0].span.start.col, 11);
    done();
}
END_TEST

START_TEST(test_recovery_reports_every_error)
{
    parse("minimesos {\n"
          "    timeout = 60 60\n"
          "    clusterName = \"ok\"\n"
          "    mesosVersion = = \"1.0.0\"\n"
          "    loggingLevel = INFO\n"
          "    agent {\n"
          "        portNumber 5051\n"
          "    }\n"
          "    mapPortsToHost = true\n"
          "}\n");
    ck_assert_uint_eq(D.len, 4);
    ck_assert_uint_eq(D.items[0].span.start.line, 2);
    ck_assert_uint_eq(D.items[1].span.start.line, 4);
    ck_assert_uint_eq(D.items[2].span.start.line, 5);
    ck_assert_ptr_nonnull(strstr(D.items[2].hint, "\"INFO\""));
    ck_assert_uint_eq(D.items[3].span.start.line, 7);
    ck_assert_ptr_nonnull(strstr(D.items[3].message, "`5051`"));
    for (size_t i = 0; i < D.len; i++)
        ck_assert_int_eq(D.items[i].code, MM_E_SYNTAX);
    /* the good statements around them are kept */
    ck_assert_ptr_nonnull(mm_node_child(F->root, "clusterName"));
    ck_assert_ptr_nonnull(mm_node_child(F->root, "mapPortsToHost"));
    ck_assert_ptr_nonnull(mm_node_child(F->root, "agent"));
    done();
}
END_TEST

START_TEST(test_unclosed_block)
{
    parse("minimesos {\n    master {\n        imageTag = \"1.0.0-0.1.0\"\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_UNCLOSED_BLOCK);
    ck_assert_uint_eq(D.items[0].span.start.line, 1);
    ck_assert_uint_eq(D.items[0].span.start.col, 11);
    ck_assert_ptr_nonnull(strstr(D.items[0].message, "end of the file"));
    ck_assert_ptr_nonnull(F->root);
    ck_assert_uint_eq(F->root->close_brace.start.line, 0);
    ck_assert_ptr_nonnull(mm_node_child(F->root, "master"));
    done();
    parse("minimesos {\n    a {\n        b {\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_UNCLOSED_BLOCK);
    ck_assert_uint_eq(D.items[0].span.start.line, 3);
    done();
    /* a bad statement head before a block: the whole block is skipped */
    parse("minimesos {\n    resources {\n        cpu { value = 1 } mem { value = 2 }\n    }\n    x = 1\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_uint_eq(D.items[0].span.start.line, 3);
    ck_assert_uint_eq(D.items[0].span.start.col, 27);
    ck_assert_ptr_nonnull(mm_node_child(F->root, "x"));
    done();
    /* a `}` too many */
    parse("minimesos {\n}\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_uint_eq(D.items[0].span.start.line, 3);
    done();
}
END_TEST

START_TEST(test_no_root)
{
    const char *const inputs[] = { "", "\n\n", "// only a comment\n", "/* x */", "package a.b\n" };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        parse(inputs[i]);
        ck_assert_msg(D.len == 0, "input %zu: %zu diagnostics", i, D.len);
        ck_assert_ptr_null(F->root);
        done();
    }
}
END_TEST

START_TEST(test_roots)
{
    parse("cluster {\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_NOT_CLUSTER);
    ck_assert_ptr_null(F->root);
    done();
    parse("minimesso {\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_NOT_CLUSTER);
    ck_assert_ptr_nonnull(strstr(D.items[0].hint, "minimesos"));
    done();
    parse("minimesos {\n    a = 1\n}\nminimesos {\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_MULTIPLE_ROOTS);
    ck_assert_uint_eq(D.items[0].span.start.line, 4);
    ck_assert(D.items[0].has_related);
    ck_assert_uint_eq(D.items[0].related.start.line, 1);
    ck_assert_ptr_nonnull(mm_node_child(F->root, "a"));
    done();
    parse("timeout = 60\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_NOT_CLUSTER);
    done();
}
END_TEST

static char *nested(int depth, bool close)
{
    size_t n = (size_t)depth * 8 + 32;
    char *s = malloc(n), *p = s;
    p += sprintf(p, "minimesos {\n");
    for (int i = 1; i < depth; i++)
        p += sprintf(p, "a {\n");
    if (close)
        for (int i = 0; i < depth; i++)
            p += sprintf(p, "}\n");
    *p = '\0';
    return s;
}

static int tree_depth(const mm_node *n)
{
    int best = 0;
    if (n->kind != MM_NODE_BLOCK)
        return 1;
    for (const mm_node *c = n->first_child; c; c = c->next) {
        int d = tree_depth(c);
        if (d > best)
            best = d;
    }
    return best + 1;
}

START_TEST(test_depth_limit)
{
    char *s = nested(MM_MAX_DEPTH, true);
    parse(s);
    ck_assert_uint_eq(D.len, 0);
    ck_assert_int_eq(tree_depth(F->root), MM_MAX_DEPTH);
    done();
    free(s);

    s = nested(MM_MAX_DEPTH + 1, true);
    parse(s);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_TOO_DEEP);
    ck_assert_uint_eq(D.items[0].span.start.line, MM_MAX_DEPTH + 1);
    done();
    free(s);

    s = nested(5000, true);
    parse(s);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_TOO_DEEP);
    ck_assert_int_le(tree_depth(F->root), MM_MAX_DEPTH + 1);
    done();
    free(s);

    s = nested(5000, false);
    parse(s);
    ck_assert_uint_ge(D.len, 2);
    ck_assert_int_eq(D.items[0].code, MM_E_TOO_DEEP);
    ck_assert_int_eq(D.items[1].code, MM_E_UNCLOSED_BLOCK);
    done();
    free(s);
}
END_TEST

START_TEST(test_nul_and_utf8)
{
    static const char nul[] = "minimesos {\n    a = 1\0\n}\n";
    parse_n(nul, sizeof nul - 1);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_BAD_CHAR);
    ck_assert_uint_eq(D.items[0].span.start.line, 2);
    ck_assert_uint_eq(D.items[0].span.start.col, 10);
    ck_assert_ptr_nonnull(strstr(D.items[0].message, "NUL"));
    done();

    parse("minimesos {\n    a = \"caf\xc3\xa9 \xe2\x82\xac\"\n    b = \"\xc3\x28\"\n}\n");
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_BAD_UTF8);
    ck_assert_uint_eq(D.items[0].span.start.line, 3);
    ck_assert_uint_eq(D.items[0].span.start.col, 10);
    done();

    /* overlong and surrogate encodings are invalid too */
    parse("minimesos {\n    a = \"\xc0\xaf \xed\xa0\x80\"\n}\n");
    ck_assert_uint_ge(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_BAD_UTF8);
    done();

    /* valid UTF-8 in strings and comments is fine */
    parse("// h\xc3\xa9\nminimesos {\n    a = \"\xf0\x9f\x98\x80\"\n}\n");
    ck_assert_uint_eq(D.len, 0);
    done();
}
END_TEST

START_TEST(test_huge_inputs)
{
    /* a 100 MB string: refused as a whole (file bound), quickly */
    size_t n = 100u * 1024 * 1024;
    char *s = malloc(n + 64);
    memcpy(s, "minimesos {\n    a = \"", 21);
    memset(s + 21, 'x', n);
    memcpy(s + 21 + n, "\"\n}\n", 5);
    clock_t t0 = clock();
    parse_n(s, n + 25);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(D.items[0].message, "file"));
    ck_assert_ptr_null(F->root);
    done();

    /* a string over the string bound inside a file under the file bound */
    size_t m = 40u * 1024 * 1024;
    memcpy(s + 21 + m, "\"\n}\n", 5);
    parse_n(s, m + 25);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(D.items[0].message, "string"));
    ck_assert_uint_eq(D.items[0].span.start.line, 2);
    ck_assert_ptr_nonnull(F->root);
    done();
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 5.0, "too slow: %.1fs", secs);
    free(s);
}
END_TEST

START_TEST(test_error_cap)
{
    /* millions of bad characters: a bounded list of diagnostics, quickly */
    size_t n = 8u * 1024 * 1024;
    char *s = malloc(n + 16);
    memcpy(s, "minimesos {\n", 12);
    for (size_t i = 12; i < n; i += 2) {
        s[i] = '@';
        s[i + 1] = ' ';
    }
    clock_t t0 = clock();
    parse_n(s, n);
    ck_assert_uint_le(D.len, 210);
    ck_assert_uint_ge(D.len, 200);
    ck_assert_ptr_nonnull(strstr(D.items[D.len - 1].message, "too many errors"));
    done();
    /* the same with bad escapes inside one string */
    memcpy(s, "minimesos {\n a = \"", 18);
    for (size_t i = 18; i < n; i += 2) {
        s[i] = '\\';
        s[i + 1] = 'q';
    }
    parse_n(s, n);
    ck_assert_uint_le(D.len, 210);
    done();
    ck_assert_msg((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0, "too slow");
    free(s);

    /* very many comments in one place attach in linear time */
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "minimesos {\n");
    for (int i = 0; i < 200000; i++)
        mm_sb_adds(&sb, "    // c\n");
    mm_sb_adds(&sb, "}\n");
    t0 = clock();
    parse_n(sb.buf, sb.len);
    ck_assert_uint_eq(D.len, 0);
    size_t count = 0;
    for (mm_comment *c = F->root->inner; c; c = c->next)
        count++;
    ck_assert_uint_eq(count, 200000);
    done();
    mm_sb_free(&sb);
    ck_assert_msg((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0, "comments: too slow");
}
END_TEST

START_TEST(test_parse_path)
{
    mm_diags_init(&D, "nope");
    F = mm_parse_path("/nonexistent/minimesosFile", &D);
    ck_assert_ptr_nonnull(F);
    ck_assert_ptr_null(F->root);
    ck_assert_uint_eq(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_IO);
    done();

    /* A file is scanned in place (no copies): afterwards f->src is exactly
     * its text, also when parsing stopped at an error mid-token. */
    static char many_errors[4000] = "minimesos {\n";
    for (int i = 0; i < 300; i++) /* the parser gives up mid-file */
        strcat(many_errors, "a b\n");
    strcat(many_errors, "}\n");
    const char *const texts[] = {
        many_errors,
        "minimesos {\n  clusterName = \"x\" // c\n  agent { a = 1 }\n}\n",
        "minimesos {\n  a = \"unterminated",
        "minimesos { a = } b",
        "minimesos { /* open",
        "x",
        "",
    };
    char path[] = "/tmp/test_parser_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        FILE *fp = fopen(path, "wb");
        ck_assert_ptr_nonnull(fp);
        fputs(texts[i], fp);
        fclose(fp);
        mm_diags_init(&D, path);
        F = mm_parse_path(path, &D);
        ck_assert_uint_eq(F->len, strlen(texts[i]));
        ck_assert_str_eq(F->src, texts[i]);
        done();
        parse(texts[i]);
        ck_assert_str_eq(F->src, texts[i]);
        done();
    }
    unlink(path);
}
END_TEST

START_TEST(test_build_api)
{
    mm_file *f = mm_file_new();
    f->root = mm_node_new_block("minimesos");
    char text[] = "hello";
    mm_value v = { .kind = MM_VAL_STRING, .text = text, .len = 5, .quote = MM_QUOTE_SINGLE };
    mm_node *p = mm_node_new_property("clusterName", v);
    text[0] = 'J'; /* copied */
    mm_node_append(f->root, p);
    mm_node *a = mm_node_new_block("agent");
    mm_node_append(f->root, a);
    mm_value num = { .kind = MM_VAL_NUMBER, .text = "5051", .len = 4, .number = 5051, .is_integer = true };
    mm_node_append(a, mm_node_new_property("portNumber", num));
    ck_assert_uint_eq(f->root->n_children, 2);
    ck_assert_str_eq(mm_node_child(f->root, "clusterName")->value.text, "hello");
    ck_assert_ptr_eq(a->parent, f->root);
    ck_assert_ptr_eq(f->root->last_child, a);
    ck_assert_str_eq(mm_value_kind_str(MM_VAL_STRING), "string");
    ck_assert_str_eq(mm_value_kind_str(MM_VAL_NUMBER), "number");
    ck_assert_str_eq(mm_value_kind_str(MM_VAL_BOOL), "bool");
    ck_assert_str_eq(mm_value_kind_str(MM_VAL_NULL), "null");
    mm_file_free(f);

    /* freeing a very deep tree built by code does not recurse */
    mm_node *top = mm_node_new_block("x"), *cur = top;
    for (int i = 0; i < 200000; i++) {
        mm_node *c = mm_node_new_block("y");
        mm_node_append(cur, c);
        cur = c;
    }
    mm_node_free(top);
}
END_TEST

/* The pool: aligned objects, copies, one copy per distinct short text,
 * large requests, many blocks. */
START_TEST(test_pool)
{
    mm_pool *p = mm_pool_new();
    char *a = mm_pool_intern(p, "imageName", 9);
    char *b = mm_pool_intern(p, "imageNameX", 9); /* the same 9 bytes */
    ck_assert_ptr_eq(a, b);
    ck_assert_str_eq(a, "imageName");
    ck_assert_ptr_ne(mm_pool_intern(p, "imageTag", 8), a);
    ck_assert_str_eq(mm_pool_intern(p, "", 0), "");
    char *s1 = mm_pool_strndup(p, "abc", 3), *s2 = mm_pool_strndup(p, "abc", 3);
    ck_assert_ptr_ne(s1, s2);
    ck_assert_str_eq(s2, "abc");
    char long_text[MM_POOL_INTERN_MAX + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    char *l1 = mm_pool_intern(p, long_text, sizeof long_text - 1);
    char *l2 = mm_pool_intern(p, long_text, sizeof long_text - 1);
    ck_assert_ptr_ne(l1, l2); /* too long to intern: copied */
    ck_assert_str_eq(l1, long_text);
    /* thousands of distinct texts: the table grows and keeps every one */
    char *seen[5000];
    for (int i = 0; i < 5000; i++) {
        char t[16];
        int n = snprintf(t, sizeof t, "k%d", i);
        seen[i] = mm_pool_intern(p, t, (size_t)n);
        mm_pool_strndup(p, "y", 1); /* misalign the next object */
        double *d = mm_pool_alloc(p, sizeof *d);
        ck_assert_uint_eq((uintptr_t)d % sizeof(double), 0);
        *d = i;
    }
    for (int i = 0; i < 5000; i++) {
        char t[16];
        int n = snprintf(t, sizeof t, "k%d", i);
        ck_assert_ptr_eq(mm_pool_intern(p, t, (size_t)n), seen[i]);
    }
    /* texts that collide in the table (FNV-1a, the same low 12 bits): each
     * search stops after a bounded number of slots, and every text comes
     * back right, the first ones still stored once */
    char *coll[200];
    int found = 0;
    for (uint32_t i = 0; found < 200; i++) {
        char t[16];
        int n = snprintf(t, sizeof t, "c%u", (unsigned)i);
        uint32_t h = 2166136261u;
        for (int k = 0; k < n; k++)
            h = (h ^ (unsigned char)t[k]) * 16777619u;
        if ((h & 0xfff) != 0x123)
            continue;
        coll[found] = mm_pool_intern(p, t, (size_t)n);
        ck_assert_str_eq(coll[found], t);
        ck_assert_str_eq(mm_pool_intern(p, t, (size_t)n), t);
        found++;
    }
    ck_assert_ptr_eq(mm_pool_intern(p, coll[0], strlen(coll[0])), coll[0]);
    unsigned char *z = mm_pool_zalloc(p, 300000); /* a block of its own */
    for (size_t i = 0; i < 300000; i += 4096)
        ck_assert_uint_eq(z[i], 0);
    ck_assert_ptr_nonnull(mm_pool_alloc(p, 0));
    ck_assert_uint_ge(mm_pool_footprint(p), 300000);
    mm_pool_free(p);
    mm_pool_free(NULL);
}
END_TEST

/* Parsed nodes live in the file's pool and share their texts; nodes built
 * from code mix with them: appended to a parsed tree they are freed with the
 * file, and mm_node_free on a parsed subtree frees what was built below it
 * (valgrind and ASan see any leak or double free). */
START_TEST(test_pooled_tree)
{
    parse("minimesos {\n    // one\n    agent { imageName = \"x\" }\n"
          "    agent { imageName = \"x\"; role = 'x' }\n}\n");
    ck_assert_uint_eq(D.len, 0);
    mm_node *a1 = F->root->first_child, *a2 = a1->next;
    ck_assert(F->root->pooled && a1->pooled && a1->first_child->pooled);
    ck_assert_ptr_nonnull(F->pool);
    ck_assert_ptr_eq(a1->name, a2->name);                           /* interned */
    ck_assert_ptr_eq(a1->first_child->value.text, a2->first_child->value.text);
    ck_assert_str_eq(a2->last_child->value.text, "x");
    ck_assert_ptr_nonnull(a1->leading);

    mm_value v = { .kind = MM_VAL_STRING, .text = "y", .len = 1, .quote = MM_QUOTE_DOUBLE };
    mm_node *code = mm_node_new_property("imageTag", v);
    ck_assert(!code->pooled);
    mm_node_append(a2, code);
    mm_node *blk = mm_node_new_block("resources");
    mm_node_append(a1, blk);
    mm_node_append(blk, mm_node_new_property("x", v));
    ck_assert_uint_eq(a2->n_children, 3);

    /* detach the first agent (with its comment and a code-built block) and free it */
    F->root->first_child = a2;
    F->root->n_children--;
    a1->next = NULL;
    mm_node_free(a1);
    ck_assert_str_eq(a2->name, "agent");
    done();

    /* mm_node_free of a whole parsed tree, then the file */
    parse("minimesos { agent { } }\n");
    mm_node *root = F->root;
    F->root = NULL;
    mm_node_append(root, mm_node_new_block("master"));
    mm_node_free(root);
    done();

    /* error recovery discards parsed nodes and tokens: no leak, no double free */
    parse("minimesos {\n a b { c = 1; d { e = 'x' } }\n x = = 3\n y { z = \"q\" \n"
          "}\nagent { }\nminimesos { }\npackage a.b\n");
    ck_assert_uint_gt(D.len, 0);
    done();
}
END_TEST

/* Every accepted corpus file parses without a diagnostic; the syntax-level
 * rejects fail where EXPECT.tsv says. */
START_TEST(test_corpus)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/accept", corpus_dir());
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "no corpus at %s", dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 14 || strcmp(e->d_name + n - 14, ".minimesosFile") != 0)
            continue;
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        mm_diags_init(&D, path);
        F = mm_parse_path(path, &D);
        ck_assert_msg(D.len == 0, "%s: %s", e->d_name, D.len ? D.items[0].message : "");
        ck_assert_msg(F->root != NULL, "%s: no root", e->d_name);
        done();
        files++;
    }
    closedir(dp);
    ck_assert_int_ge(files, 5);

    static const struct { const char *file; unsigned line; mm_diag_code code; } rej[] = {
        { "stray-token", 2, MM_E_SYNTAX },
        { "unclosed-block", 1, MM_E_UNCLOSED_BLOCK },
        { "interpolation", 2, MM_E_INTERPOLATION },
    };
    for (size_t i = 0; i < sizeof rej / sizeof rej[0]; i++) {
        char path[8400];
        snprintf(path, sizeof path, "%s/reject/%s.minimesosFile", corpus_dir(), rej[i].file);
        mm_diags_init(&D, path);
        F = mm_parse_path(path, &D);
        ck_assert_msg(D.len >= 1, "%s: no error", rej[i].file);
        ck_assert_int_eq(D.items[0].code, rej[i].code);
        ck_assert_uint_eq(D.items[0].span.start.line, rej[i].line);
        done();
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("parser");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_spans);
    tcase_add_test(tc, test_stray_token);
    tcase_add_test(tc, test_recovery_reports_every_error);
    tcase_add_test(tc, test_unclosed_block);
    tcase_add_test(tc, test_no_root);
    tcase_add_test(tc, test_roots);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_nul_and_utf8);
    tcase_add_test(tc, test_huge_inputs);
    tcase_add_test(tc, test_error_cap);
    tcase_add_test(tc, test_parse_path);
    tcase_add_test(tc, test_build_api);
    tcase_add_test(tc, test_pool);
    tcase_add_test(tc, test_pooled_tree);
    tcase_add_test(tc, test_corpus);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
