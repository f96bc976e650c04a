/* The scanner, seen through mm_parse: every token kind, escapes, lexical
 * errors with their positions, CRLF, shebang, package, comments. */
#include <stdlib.h>
#include <string.h>

#include "minimesos/ast.h"
#include "testutil.h"

static mm_diags D;
static mm_file *F;

static mm_file *parse(const char *s)
{
    mm_diags_init(&D, "t");
    F = mm_parse(s, strlen(s), "t", &D);
    return F;
}

static void done(void)
{
    mm_file_free(F);
    mm_diags_free(&D);
    F = NULL;
}

static const mm_node *prop(const char *name)
{
    ck_assert_ptr_nonnull(F->root);
    const mm_node *n = mm_node_child(F->root, name);
    ck_assert_msg(n != NULL, "no property %s", name);
    ck_assert_int_eq(n->kind, MM_NODE_PROPERTY);
    return n;
}

/* Exactly one diagnostic, with this code at line:col. */
static const mm_diag *one_diag(mm_diag_code code, unsigned line, unsigned col)
{
    ck_assert_msg(D.len == 1, "expected one diagnostic, got %zu (first: %s)", D.len,
                  D.len ? D.items[0].message : "-");
    const mm_diag *g = &D.items[0];
    ck_assert_str_eq(mm_diag_code_str(g->code), mm_diag_code_str(code));
    ck_assert_uint_eq(g->span.start.line, line);
    ck_assert_uint_eq(g->span.start.col, col);
    return g;
}

START_TEST(test_values)
{
    parse("minimesos {\n"
          "    s1 = \"dq\"\n"
          "    s2 = 'sq'\n"
          "    s3 = \"\"\"a\nb\"\"\"\n"
          "    s4 = '''it's'''\n"
          "    n1 = 42\n"
          "    n2 = -2.50\n"
          "    n3 = 1e3\n"
          "    b1 = true\n"
          "    b2 = false\n"
          "    z = null\n"
          "    _id_9 = \"\"\n"
          "}\n");
    ck_assert_uint_eq(D.len, 0);
    const mm_node *n = prop("s1");
    ck_assert_int_eq(n->value.kind, MM_VAL_STRING);
    ck_assert_str_eq(n->value.text, "dq");
    ck_assert_uint_eq(n->value.len, 2);
    ck_assert_int_eq(n->value.quote, MM_QUOTE_DOUBLE);
    ck_assert_int_eq(prop("s2")->value.quote, MM_QUOTE_SINGLE);
    ck_assert_str_eq(prop("s3")->value.text, "a\nb");
    ck_assert_int_eq(prop("s3")->value.quote, MM_QUOTE_TRIPLE_DOUBLE);
    ck_assert_str_eq(prop("s4")->value.text, "it's");
    ck_assert_int_eq(prop("s4")->value.quote, MM_QUOTE_TRIPLE_SINGLE);
    n = prop("n1");
    ck_assert_int_eq(n->value.kind, MM_VAL_NUMBER);
    ck_assert_str_eq(n->value.text, "42");
    ck_assert(n->value.is_integer);
    ck_assert(n->value.number == 42);
    n = prop("n2");
    ck_assert_str_eq(n->value.text, "-2.50");
    ck_assert(!n->value.is_integer);
    ck_assert(n->value.number == -2.5);
    ck_assert(prop("n3")->value.number == 1000);
    ck_assert(!prop("n3")->value.is_integer);
    ck_assert_int_eq(prop("b1")->value.kind, MM_VAL_BOOL);
    ck_assert(prop("b1")->value.boolean);
    ck_assert(!prop("b2")->value.boolean);
    ck_assert_int_eq(prop("z")->value.kind, MM_VAL_NULL);
    ck_assert_str_eq(prop("_id_9")->value.text, "");
    /* value span includes the quotes */
    n = prop("s1");
    ck_assert_uint_eq(n->value.span.start.line, 2);
    ck_assert_uint_eq(n->value.span.start.col, 10);
    ck_assert_uint_eq(n->value.span.end.col, 14);
    done();
}
END_TEST

START_TEST(test_escapes)
{
    parse("minimesos {\n"
          "    a = \"\\\" \\' \\\\ \\n \\t \\r \\b \\f \\/ \\u00e9 \\$ \\uD83D\\uDE00\"\n"
          "    b = '\\' $HOME \\$'\n"
          "    c = \"\"\"x\\ty\"\"\"\n"
          "}\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_str_eq(prop("a")->value.text,
                     "\" ' \\ \n \t \r \b \f / \xc3\xa9 $ \xf0\x9f\x98\x80");
    ck_assert_str_eq(prop("b")->value.text, "' $HOME $");
    ck_assert_str_eq(prop("c")->value.text, "x\ty");
    done();
}
END_TEST

START_TEST(test_interpolation)
{
    parse("minimesos {\n    clusterName = \"$HOME\"\n}\n");
    const mm_diag *g = one_diag(MM_E_INTERPOLATION, 2, 20);
    ck_assert_ptr_nonnull(g->hint);
    ck_assert_ptr_nonnull(strstr(g->hint, "single quotes"));
    ck_assert_ptr_nonnull(strstr(g->hint, "\\$"));
    done();
    parse("minimesos {\n    a = \"\"\"x ${y}\"\"\"\n}\n");
    one_diag(MM_E_INTERPOLATION, 2, 14);
    done();
    /* single-quoted: literal */
    parse("minimesos {\n    a = '$HOME'\n    b = '''$x'''\n}\n");
    ck_assert_uint_eq(D.len, 0);
    done();
}
END_TEST

START_TEST(test_bad_escapes)
{
    parse("minimesos {\n    a = \"x\\qy\"\n}\n");
    one_diag(MM_E_BAD_ESCAPE, 2, 11);
    done();
    parse("minimesos {\n    a = \"\\u00\"\n}\n");
    one_diag(MM_E_BAD_ESCAPE, 2, 10);
    done();
    parse("minimesos {\n    a = \"\\u0000\"\n}\n");
    one_diag(MM_E_BAD_ESCAPE, 2, 10);
    done();
    parse("minimesos {\n    a = \"\\uD800\"\n}\n");
    one_diag(MM_E_BAD_ESCAPE, 2, 10);
    done();
}
END_TEST

START_TEST(test_string_errors)
{
    /* a raw new line in a one-line string: one error, parsing goes on */
    parse("minimesos {\n    a = \"abc\n    b = 1\n}\n");
    one_diag(MM_E_NEWLINE_IN_STR, 2, 9);
    ck_assert_int_eq(prop("b")->value.number, 1);
    done();
    parse("minimesos {\n    a = 'abc\n}\n");
    one_diag(MM_E_NEWLINE_IN_STR, 2, 9);
    done();
    parse("minimesos {\n    a = \"\"\"abc\n");
    ck_assert_uint_ge(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_UNTERMINATED);
    ck_assert_uint_eq(D.items[0].span.start.line, 2);
    ck_assert_uint_eq(D.items[0].span.start.col, 9);
    done();
}
END_TEST

START_TEST(test_comments)
{
    parse("// head\n"
          "minimesos { // on brace\n"
          "    // lead\n"
          "    a = 1 // trail\n"
          "    /* block\n       comment */\n"
          "    b { /* in b */ }\n"
          "    // inner\n"
          "} // after root\n"
          "// tail\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_ptr_nonnull(F->head);
    ck_assert_str_eq(F->head->text, "// head");
    const mm_node *a = prop("a");
    ck_assert_ptr_nonnull(a->leading);
    ck_assert_str_eq(a->leading->text, "// on brace");
    ck_assert_str_eq(a->leading->next->text, "// lead");
    ck_assert_ptr_nonnull(a->trailing);
    ck_assert_str_eq(a->trailing->text, "// trail");
    const mm_node *b = mm_node_child(F->root, "b");
    ck_assert_str_eq(b->leading->text, "/* block\n       comment */");
    ck_assert_uint_eq(b->leading->span.start.line, 5);
    ck_assert_uint_eq(b->leading->span.end.line, 6);
    ck_assert_str_eq(b->inner->text, "/* in b */");
    ck_assert_str_eq(F->root->inner->text, "// inner");
    ck_assert_str_eq(F->root->trailing->text, "// after root");
    ck_assert_str_eq(F->tail->text, "// tail");
    done();
    parse("minimesos {\n    a = 1\n    /* never closed\n}\n");
    ck_assert_uint_ge(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_UNTERM_COMMENT);
    ck_assert_uint_eq(D.items[0].span.start.line, 3);
    ck_assert_uint_eq(D.items[0].span.start.col, 5);
    done();
}
END_TEST

START_TEST(test_blank_before)
{
    parse("minimesos {\n    a = 1\n\n\n    b = 2\n    c = 3\n\n    // x\n    d = 4\n}\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert(!prop("a")->blank_before);
    ck_assert(prop("b")->blank_before);
    ck_assert(!prop("c")->blank_before);
    ck_assert(prop("d")->blank_before);
    done();
}
END_TEST

START_TEST(test_crlf)
{
    parse("// c\r\nminimesos {\r\n    a = 1\r\n    b = \"\"\"x\r\ny\"\"\"\r\n    c = 'z' // t\r\n}\r\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_str_eq(F->head->text, "// c");
    ck_assert_uint_eq(prop("a")->span.start.line, 3);
    ck_assert_uint_eq(prop("a")->span.start.col, 5);
    ck_assert_str_eq(prop("b")->value.text, "x\ny");
    ck_assert_str_eq(prop("c")->trailing->text, "// t");
    ck_assert_uint_eq(prop("c")->span.start.line, 6);
    done();
}
END_TEST

START_TEST(test_shebang_and_package)
{
    parse("#!/usr/bin/env minimesos\npackage a.b.c\nminimesos {\n}\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_ptr_nonnull(F->shebang);
    ck_assert_str_eq(F->shebang->text, "#!/usr/bin/env minimesos");
    ck_assert_str_eq(F->package, "a.b.c");
    ck_assert_uint_eq(F->package_span.start.line, 2);
    ck_assert_ptr_nonnull(F->root);
    done();
    /* #! on line 2 is not a comment */
    parse("minimesos {\n#!x\n}\n");
    one_diag(MM_E_BAD_CHAR, 2, 1);
    done();
    parse("minimesos {\n    # a comment\n}\n");
    ck_assert_uint_ge(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_BAD_CHAR);
    ck_assert_ptr_nonnull(strstr(D.items[0].hint, "//"));
    done();
}
END_TEST

START_TEST(test_bad_chars)
{
    parse("minimesos {\n    a = 1\n    @@@\n    b = 2\n}\n");
    const mm_diag *g = one_diag(MM_E_BAD_CHAR, 3, 5);
    ck_assert_uint_eq(g->span.end.col, 8); /* a run is one diagnostic */
    ck_assert_int_eq(prop("b")->value.number, 2);
    done();
    parse("minimesos {\n    a = \xe2\x80\x9cx\xe2\x80\x9d\n}\n");
    ck_assert_uint_ge(D.len, 1);
    ck_assert_int_eq(D.items[0].code, MM_E_BAD_CHAR);
    ck_assert_uint_eq(D.items[0].span.start.col, 9);
    ck_assert_ptr_nonnull(strstr(D.items[0].hint, "straight quotes"));
    done();
}
END_TEST

START_TEST(test_semicolons)
{
    parse("minimesos { a = 1; b = 2; c { d = 3 }; ; }\n");
    ck_assert_uint_eq(D.len, 0);
    ck_assert_uint_eq(F->root->n_children, 3);
    done();
}
END_TEST

START_TEST(test_numbers_too_large)
{
    char buf[256];
    snprintf(buf, sizeof buf, "minimesos {\n    a = %s\n}\n",
             "1234567890123456789012345678901234567890123456789012345678901234567890");
    parse(buf);
    one_diag(MM_E_TOO_LARGE, 2, 9);
    done();
    parse("minimesos {\n    a = 1e999\n}\n");
    one_diag(MM_E_TOO_LARGE, 2, 9);
    done();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("lexer");
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_interpolation);
    tcase_add_test(tc, test_bad_escapes);
    tcase_add_test(tc, test_string_errors);
    tcase_add_test(tc, test_comments);
    tcase_add_test(tc, test_blank_before);
    tcase_add_test(tc, test_crlf);
    tcase_add_test(tc, test_shebang_and_package);
    tcase_add_test(tc, test_bad_chars);
    tcase_add_test(tc, test_semicolons);
    tcase_add_test(tc, test_numbers_too_large);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
