/* The language server (src/lsp): framing, positions, the lifecycle,
 * documents and diagnostics, driven through its message handler (a batch of
 * parsed messages, output captured) and through mm_lsp_serve over file
 * descriptors with scripted bytes: bad framing, bad JSON, unknown methods,
 * requests before initialize, exit without shutdown, a message over the
 * size limit, incremental edits with non-ASCII text and CRLF. */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "lsp/lsp.h"
#include "base/util.h"
#include "minimesos/model.h"
#include "model/schema.h"
#include "testutil.h"

/* ---- a captured session ---- */

typedef struct cap {
    cJSON *msgs; /* array of everything the server sent */
} cap;

static void cap_write(void *user, const char *json, size_t len)
{
    cap *c = user;
    cJSON *m = cJSON_ParseWithLength(json, len);
    ck_assert_msg(m != NULL, "the server wrote something that is not JSON: %.*s", (int)len, json);
    cJSON_AddItemToArray(c->msgs, m);
}

typedef struct sess {
    cap out;
    mm_lsp_server *srv;
} sess;

static void sess_start(sess *s, const char *init_caps)
{
    s->out.msgs = cJSON_CreateArray();
    s->srv = mm_lsp_server_new(NULL, cap_write, &s->out);
    if (init_caps) {
        char *m = mm_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                               "\"params\":{\"capabilities\":%s}}", init_caps);
        mm_lsp_server_text(s->srv, m, strlen(m));
        free(m);
        const char *ini = "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}";
        mm_lsp_server_text(s->srv, ini, strlen(ini));
    }
}

static void sess_end(sess *s)
{
    mm_lsp_server_free(s->srv);
    cJSON_Delete(s->out.msgs);
}

static void sess_clear(sess *s)
{
    cJSON_Delete(s->out.msgs);
    s->out.msgs = cJSON_CreateArray();
}

static void sendf(sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sendf(sess *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf sb = STRBUF_INIT;
    mm_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    mm_lsp_server_text(s->srv, sb.buf, sb.len);
    mm_sb_free(&sb);
}

/* A JSON string literal of text (escaped). malloc'd. */
static char *jstr(const char *text)
{
    cJSON *v = cJSON_CreateString(text);
    char *s = cJSON_PrintUnformatted(v);
    cJSON_Delete(v);
    return s;
}

static void open_doc(sess *s, const char *uri, const char *text)
{
    char *t = jstr(text);
    sendf(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
             "{\"uri\":\"%s\",\"languageId\":\"minimesos\",\"version\":1,\"text\":%s}}}", uri, t);
    free(t);
}

/* The response to request id, or NULL. */
static const cJSON *response(const sess *s, int id)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, s->out.msgs) {
        const cJSON *i = cJSON_GetObjectItem(m, "id");
        if (cJSON_IsNumber(i) && i->valueint == id && !cJSON_GetObjectItem(m, "method"))
            return m;
    }
    return NULL;
}

static int error_code(const cJSON *resp)
{
    const cJSON *e = cJSON_GetObjectItem(resp, "error");
    ck_assert_msg(e != NULL, "not an error response: %s", resp ? cJSON_PrintUnformatted(resp) : "none");
    return cJSON_GetObjectItem(e, "code")->valueint;
}

static size_t count_method(const cJSON *msgs, const char *method)
{
    size_t n = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, msgs) {
        const cJSON *me = cJSON_GetObjectItem(m, "method");
        if (cJSON_IsString(me) && strcmp(me->valuestring, method) == 0)
            n++;
    }
    return n;
}

/* The last publishDiagnostics params for uri. */
static const cJSON *last_publish(const cJSON *msgs, const char *uri)
{
    const cJSON *m, *found = NULL;
    cJSON_ArrayForEach(m, msgs) {
        const cJSON *me = cJSON_GetObjectItem(m, "method");
        if (!cJSON_IsString(me) || strcmp(me->valuestring, "textDocument/publishDiagnostics") != 0)
            continue;
        const cJSON *p = cJSON_GetObjectItem(m, "params");
        if (strcmp(cJSON_GetObjectItem(p, "uri")->valuestring, uri) == 0)
            found = p;
    }
    return found;
}

static int num(const cJSON *o, const char *path)
{
    /* "a.b.c" */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *v = o;
    for (char *k = strtok(buf, "."); k; k = strtok(NULL, "."))
        v = cJSON_GetObjectItem(v, k);
    ck_assert_msg(cJSON_IsNumber(v), "no number at %s", path);
    return v->valueint;
}

/* ---- framing ---- */

static const char *const three[] = {
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}",
    "{\"x\":\"Content-Length: 5\\r\\n\"}",
    "[]",
};

/* The events of a whole stream fed in pieces of `step` bytes, as text:
 * "M:<body>" or "B" (bad header) or "L" (too large), one a line. */
static char *events(const char *stream, size_t len, size_t step, size_t max)
{
    mm_lsp_reader r;
    mm_lsp_reader_init(&r, max);
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < len || i == 0; i += step) {
        size_t n = len - i < step ? len - i : step;
        mm_lsp_reader_feed(&r, stream + i, n);
        const char *b;
        size_t bl;
        int e;
        while ((e = mm_lsp_reader_next(&r, &b, &bl)) != MM_LSP_READ_MORE) {
            if (e == MM_LSP_READ_MESSAGE) {
                mm_sb_adds(&sb, "M:");
                mm_sb_add(&sb, b, bl);
            } else {
                mm_sb_adds(&sb, e == MM_LSP_READ_BAD_HEADER ? "B" : "L");
            }
            mm_sb_addc(&sb, '\n');
        }
        if (len == 0)
            break;
    }
    mm_lsp_reader_free(&r);
    return mm_sb_detach(&sb);
}

START_TEST(framing_split_anywhere)
{
    strbuf st = STRBUF_INIT, want = STRBUF_INIT;
    for (size_t i = 0; i < 3; i++) {
        /* header names in any case, Content-Type accepted, \n alone accepted */
        if (i == 1)
            mm_sb_addf(&st, "content-length: %zu\nContent-Type: application/vscode-jsonrpc; "
                            "charset=utf-8\n\n%s", strlen(three[i]), three[i]);
        else
            mm_sb_addf(&st, "Content-Length: %zu\r\n\r\n%s", strlen(three[i]), three[i]);
        mm_sb_addf(&want, "M:%s\n", three[i]);
    }
    for (size_t step = 1; step <= st.len; step++) {
        char *got = events(st.buf, st.len, step, 0);
        ck_assert_msg(strcmp(got, want.buf) == 0, "step %zu:\n%s", step, got);
        free(got);
    }
    mm_sb_free(&st);
    mm_sb_free(&want);
}
END_TEST

START_TEST(framing_bad_headers_resync)
{
    /* each bad part is followed by a good message, which must be read */
    static const char *const bad[] = {
        "garbage without a colon\r\n\r\n",
        "X-Other: 1\r\n\r\n",                   /* no Content-Length */
        "Content-Length: 12abc\r\n\r\n",
        "Content-Length: 99999999999999999999999999\r\n\r\n",
        "Content-Length:\r\n\r\n",
        "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
        "{\"jsonrpc\":\"2.0\"}",                /* a body without headers */
        "\x01\x02\xff\xfe binary\r\n\r\n",
    };
    const char *good = "{\"id\":7}";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* (the first good one may be taken for the rest of a bad header) */
        char *st = mm_xasprintf("%sContent-Length: %zu\r\n\r\n%sContent-Length: %zu\r\n\r\n%s",
                                bad[i], strlen(good), good, strlen(good), good);
        for (size_t step = 1; step <= strlen(st); step += strlen(st) - 1) {
            char *got = events(st, strlen(st), step, 0);
            ck_assert_msg(strncmp(got, "B\n", 2) == 0, "case %zu: no bad-header event first: %s", i,
                          got);
            ck_assert_msg(strstr(got, "M:{\"id\":7}\n") != NULL, "case %zu step %zu: lost the next "
                          "message: %s", i, step, got);
            free(got);
        }
        free(st);
    }
    /* a header section with no end */
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 2000; i++)
        mm_sb_adds(&sb, "abcdefgh");
    mm_sb_addf(&sb, "Content-Length: %zu\r\n\r\n%s", strlen(good), good);
    char *got = events(sb.buf, sb.len, 4096, 0);
    ck_assert_msg(strncmp(got, "B\n", 2) == 0 && strstr(got, "M:{\"id\":7}\n"), "%s", got);
    free(got);
    mm_sb_free(&sb);
}
END_TEST

START_TEST(framing_too_large_is_skipped_not_buffered)
{
    /* the default limit (64 MiB): a 100 MiB content fed in 64 KiB pieces */
    mm_lsp_reader r;
    mm_lsp_reader_init(&r, 0);
    size_t big = 100u * 1024 * 1024;
    char head[64];
    snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", big);
    mm_lsp_reader_feed(&r, head, strlen(head));
    const char *b;
    size_t bl;
    ck_assert_int_eq(mm_lsp_reader_next(&r, &b, &bl), MM_LSP_READ_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(r.error, "over the limit"));
    char *chunk = calloc(1, 65536);
    memset(chunk, 'x', 65536);
    for (size_t done = 0; done < big; done += 65536) {
        mm_lsp_reader_feed(&r, chunk, 65536);
        ck_assert_int_eq(mm_lsp_reader_next(&r, &b, &bl), MM_LSP_READ_MORE);
        ck_assert_uint_lt(r.cap, 1u << 20);
    }
    free(chunk);
    const char *next = "Content-Length: 2\r\n\r\n{}";
    mm_lsp_reader_feed(&r, next, strlen(next));
    ck_assert_int_eq(mm_lsp_reader_next(&r, &b, &bl), MM_LSP_READ_MESSAGE);
    ck_assert_uint_eq(bl, 2);
    ck_assert_uint_lt(r.cap, 1u << 20);
    mm_lsp_reader_free(&r);

    /* and a small limit, with the refused content partly in the same piece */
    char *st = mm_xasprintf("Content-Length: 11\r\n\r\n0123456789AContent-Length: 2\r\n\r\n{}");
    char *got = events(st, strlen(st), strlen(st), 10);
    ck_assert_str_eq(got, "L\nM:{}\n");
    free(got);
    got = events(st, strlen(st), 1, 10);
    ck_assert_str_eq(got, "L\nM:{}\n");
    free(got);
    free(st);
}
END_TEST

/* ---- positions ---- */

/* "é" is 2 bytes, 1 UTF-16 unit; "東" 3 bytes, 1 unit; "🚀" 4 bytes, 2 units. */
static const char text_mixed[] = "a\té東🚀b\r\n\r\nx\ry\n🚀";

START_TEST(positions_in_every_encoding)
{
    mm_lsp_text t;
    mm_lsp_text_init(&t);
    mm_lsp_text_set(&t, text_mixed, strlen(text_mixed));
    /* offset of 'b': 1 + 1 + 2 + 3 + 4 = 11 */
    struct { mm_lsp_enc enc; uint32_t ch; } b_at[] = {
        { MM_LSP_UTF8, 11 }, { MM_LSP_UTF16, 6 }, { MM_LSP_UTF32, 5 },
    };
    for (size_t i = 0; i < 3; i++) {
        mm_lsp_pos p = mm_lsp_text_position(&t, 11, b_at[i].enc);
        ck_assert_uint_eq(p.line, 0);
        ck_assert_uint_eq(p.character, b_at[i].ch);
        mm_lsp_pos q = { 0, b_at[i].ch };
        ck_assert_uint_eq(mm_lsp_text_offset(&t, q, b_at[i].enc), 11);
    }
    /* lines: "a..b" CRLF, "" CRLF, "x" CR, "y" LF, "🚀" */
    mm_lsp_pos x = mm_lsp_text_position(&t, 16, MM_LSP_UTF16);
    ck_assert_uint_eq(x.line, 2);
    ck_assert_uint_eq(x.character, 0);
    mm_lsp_pos y = mm_lsp_text_position(&t, 18, MM_LSP_UTF16);
    ck_assert_uint_eq(y.line, 3);
    mm_lsp_pos last = mm_lsp_text_position(&t, strlen(text_mixed), MM_LSP_UTF16);
    ck_assert_uint_eq(last.line, 4);
    ck_assert_uint_eq(last.character, 2);
    /* inside the CRLF: the end of the line */
    mm_lsp_pos cr = mm_lsp_text_position(&t, 13, MM_LSP_UTF16);
    ck_assert_uint_eq(cr.line, 0);
    ck_assert_uint_eq(cr.character, 7);
    /* past the end of a line: the end of that line, not the next */
    mm_lsp_pos far = { 0, 999 };
    ck_assert_uint_eq(mm_lsp_text_offset(&t, far, MM_LSP_UTF16), 12);
    /* past the last line: the end of the text */
    mm_lsp_pos beyond = { 99, 0 };
    ck_assert_uint_eq(mm_lsp_text_offset(&t, beyond, MM_LSP_UTF16), strlen(text_mixed));
    /* half a surrogate pair rounds down to the character */
    mm_lsp_pos half = { 0, 5 };
    ck_assert_uint_eq(mm_lsp_text_offset(&t, half, MM_LSP_UTF16), 7);
    /* inside a UTF-8 sequence, too */
    mm_lsp_pos mid = { 0, 5 };
    ck_assert_uint_eq(mm_lsp_text_offset(&t, mid, MM_LSP_UTF8), 4);
    ck_assert_uint_eq(mm_lsp_text_position(&t, 5, MM_LSP_UTF8).character, 4);
    mm_lsp_text_free(&t);
}
END_TEST

/* Edits keep the line index right: after each random edit, positions from
 * the kept index equal those of a fresh one. */
START_TEST(edits_keep_the_line_index)
{
    static const char *const pieces[] = { "\n", "\r", "\r\n", "é", "🚀", "ab", "", "\t", "x\ny" };
    mm_lsp_text t, fresh;
    mm_lsp_text_init(&t);
    mm_lsp_text_init(&fresh);
    mm_lsp_text_set(&t, text_mixed, strlen(text_mixed));
    unsigned seed = 12345;
    for (int round = 0; round < 3000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t a = (seed >> 8) % (t.len + 1);
        seed = seed * 1103515245u + 12345u;
        size_t b = a + (seed >> 8) % 3;
        if (b > t.len)
            b = t.len;
        const char *p = pieces[(seed >> 4) % (sizeof pieces / sizeof pieces[0])];
        /* ask something first, so part of the index exists before the edit */
        mm_lsp_text_position(&t, (seed >> 3) % (t.len + 1), MM_LSP_UTF16);
        ck_assert(mm_lsp_text_replace(&t, a, b, p, strlen(p)));
        mm_lsp_text_set(&fresh, t.buf, t.len);
        for (size_t off = 0; off <= t.len; off++) {
            mm_lsp_pos x = mm_lsp_text_position(&t, off, MM_LSP_UTF16);
            mm_lsp_pos y = mm_lsp_text_position(&fresh, off, MM_LSP_UTF16);
            ck_assert_msg(x.line == y.line && x.character == y.character,
                          "round %d offset %zu: %u:%u vs %u:%u", round, off, x.line, x.character,
                          y.line, y.character);
            ck_assert_uint_eq(mm_lsp_text_offset(&t, x, MM_LSP_UTF16),
                              mm_lsp_text_offset(&fresh, y, MM_LSP_UTF16));
        }
        if (t.len > 200)
            mm_lsp_text_set(&t, text_mixed, strlen(text_mixed));
    }
    mm_lsp_text_free(&t);
    mm_lsp_text_free(&fresh);
}
END_TEST

/* ---- lifecycle ---- */

START_TEST(lifecycle)
{
    sess s;
    sess_start(&s, NULL);
    /* before initialize: requests refused, notifications dropped */
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/hover\",\"params\":{}}");
    ck_assert_int_eq(error_code(response(&s, 1)), MM_LSP_SERVER_NOT_INITIALIZED);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
    ck_assert_int_eq(error_code(response(&s, 2)), MM_LSP_SERVER_NOT_INITIALIZED);
    open_doc(&s, "file:///early", "minimesos {\n    bogus = 1\n}\n");
    ck_assert_uint_eq(count_method(s.out.msgs, "textDocument/publishDiagnostics"), 0);

    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"processId\":null,"
              "\"capabilities\":{}}}");
    const cJSON *r = cJSON_GetObjectItem(response(&s, 3), "result");
    const cJSON *caps = cJSON_GetObjectItem(r, "capabilities");
    ck_assert_str_eq(cJSON_GetObjectItem(caps, "positionEncoding")->valuestring, "utf-16");
    ck_assert_int_eq(num(caps, "textDocumentSync.change"), 2);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "serverInfo"), "name")->valuestring,
                     "minimesos");
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{}}");
    ck_assert_int_eq(error_code(response(&s, 4)), MM_LSP_INVALID_REQUEST);
    /* unknown requests; unknown notifications say nothing */
    size_t before = (size_t)cJSON_GetArraySize(s.out.msgs);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/somethingNew\",\"params\":{}}");
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/setTrace\",\"params\":{\"value\":\"off\"}}");
    ck_assert_uint_eq((size_t)cJSON_GetArraySize(s.out.msgs), before);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"workspace/somethingNew\",\"params\":{}}");
    ck_assert_int_eq(error_code(response(&s, 5)), MM_LSP_METHOD_NOT_FOUND);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"$/private\"}");
    ck_assert_int_eq(error_code(response(&s, 6)), MM_LSP_METHOD_NOT_FOUND);
    /* a string id comes back as it was */
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"nope\"}");
    const cJSON *last = cJSON_GetArrayItem(s.out.msgs, cJSON_GetArraySize(s.out.msgs) - 1);
    ck_assert_str_eq(cJSON_GetObjectItem(last, "id")->valuestring, "abc");
    /* malformed messages */
    sendf(&s, "[1,2]");
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"x\"}");
    sendf(&s, "{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"x\"}");
    ck_assert_int_eq(error_code(response(&s, 7)), MM_LSP_INVALID_REQUEST);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"x\",\"params\":3}");
    ck_assert_int_eq(error_code(response(&s, 8)), MM_LSP_INVALID_PARAMS);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":9}");
    ck_assert_int_eq(error_code(response(&s, 9)), MM_LSP_INVALID_REQUEST);
    sendf(&s, "{\"oops\"");
    last = cJSON_GetArrayItem(s.out.msgs, cJSON_GetArraySize(s.out.msgs) - 1);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(last, "id")));
    ck_assert_int_eq(error_code(last), MM_LSP_PARSE_ERROR);
    /* a response from the client is not answered */
    before = (size_t)cJSON_GetArraySize(s.out.msgs);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":null}");
    ck_assert_uint_eq((size_t)cJSON_GetArraySize(s.out.msgs), before);

    /* shutdown, then only exit */
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"shutdown\"}");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(response(&s, 10), "result")));
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"textDocument/hover\",\"params\":{}}");
    ck_assert_int_eq(error_code(response(&s, 11)), MM_LSP_INVALID_REQUEST);
    int st = -1;
    ck_assert(!mm_lsp_server_exited(s.srv, &st));
    ck_assert_int_eq(mm_lsp_server_eof_status(s.srv), 0);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
    ck_assert(mm_lsp_server_exited(s.srv, &st));
    ck_assert_int_eq(st, 0);
    sess_end(&s);

    /* exit without shutdown: status 1 */
    sess_start(&s, "{}");
    ck_assert_int_eq(mm_lsp_server_eof_status(s.srv), 1);
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
    ck_assert(mm_lsp_server_exited(s.srv, &st));
    ck_assert_int_eq(st, 1);
    sess_end(&s);
}
END_TEST

START_TEST(encoding_negotiated)
{
    static const struct { const char *caps, *want; } cases[] = {
        { "{\"general\":{\"positionEncodings\":[\"utf-16\",\"utf-8\"]}}", "utf-8" },
        { "{\"general\":{\"positionEncodings\":[\"utf-32\",\"utf-16\"]}}", "utf-16" },
        { "{\"general\":{\"positionEncodings\":[]}}", "utf-16" },
        { "{\"offsetEncoding\":[\"utf-8\",\"utf-16\"]}", "utf-8" },
        { "{}", "utf-16" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sess s;
        sess_start(&s, cases[i].caps);
        const cJSON *r = cJSON_GetObjectItem(response(&s, 0), "result");
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "capabilities"),
                                             "positionEncoding")->valuestring, cases[i].want);
        if (i == 3) /* clangd's extension is answered in its own words too */
            ck_assert_str_eq(cJSON_GetObjectItem(r, "offsetEncoding")->valuestring, "utf-8");
        sess_end(&s);
    }
}
END_TEST

/* ---- documents and diagnostics ---- */

/* What `lint` reports for text: parse, model, sort. */
static void lint_text(const char *text, mm_diags *d)
{
    mm_diags_init(d, "t");
    mm_file *f = mm_parse(text, strlen(text), "t", d);
    mm_cluster *c = mm_cluster_build(f, 0, d);
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_sort(d);
}

/* The published diagnostics of uri equal lint's for text: code, message
 * and hint, severity, and (utf-8 positions) line-1:col-1 of both ends. */
static void assert_same_as_lint(const sess *s, const char *uri, const char *text)
{
    const cJSON *p = last_publish(s->out.msgs, uri);
    ck_assert_msg(p != NULL, "nothing published for %s", uri);
    const cJSON *arr = cJSON_GetObjectItem(p, "diagnostics");
    mm_diags d;
    lint_text(text, &d);
    ck_assert_msg((size_t)cJSON_GetArraySize(arr) == d.len, "%s: %d published, lint has %zu", uri,
                  cJSON_GetArraySize(arr), d.len);
    for (size_t i = 0; i < d.len; i++) {
        const mm_diag *g = &d.items[i];
        const cJSON *o = cJSON_GetArrayItem(arr, (int)i);
        ck_assert_str_eq(cJSON_GetObjectItem(o, "code")->valuestring, mm_diag_code_str(g->code));
        ck_assert_str_eq(cJSON_GetObjectItem(o, "source")->valuestring, "minimesos");
        char *want = g->hint ? mm_xasprintf("%s; hint: %s", g->message, g->hint)
                             : mm_xstrdup(g->message);
        ck_assert_str_eq(cJSON_GetObjectItem(o, "message")->valuestring, want);
        free(want);
        ck_assert_int_eq(num(o, "severity"), g->severity == MM_SEV_ERROR ? 1 : 2);
        if (g->span.start.line) {
            ck_assert_int_eq(num(o, "range.start.line"), (int)g->span.start.line - 1);
            ck_assert_int_eq(num(o, "range.start.character"), (int)g->span.start.col - 1);
            ck_assert_int_eq(num(o, "range.end.line"), (int)g->span.end.line - 1);
            ck_assert_int_eq(num(o, "range.end.character"), (int)g->span.end.col - 1);
        }
        const cJSON *rel = cJSON_GetObjectItem(o, "relatedInformation");
        ck_assert_int_eq(rel != NULL, g->has_related && g->related.start.line);
        if (rel) {
            const cJSON *loc = cJSON_GetObjectItem(cJSON_GetArrayItem(rel, 0), "location");
            ck_assert_str_eq(cJSON_GetObjectItem(loc, "uri")->valuestring, uri);
            ck_assert_int_eq(num(loc, "range.start.line"), (int)g->related.start.line - 1);
            ck_assert_int_eq(num(loc, "range.start.character"), (int)g->related.start.col - 1);
        }
    }
    mm_diags_free(&d);
}

START_TEST(diagnostics_are_lints_over_the_corpus)
{
    const char *dirs[] = { "accept", "reject" };
    size_t files = 0, with_diags = 0;
    for (size_t k = 0; k < 2; k++) {
        char *dir = mm_xasprintf("%s/tests/corpus/%s", tu_srcdir(), dirs[k]);
        DIR *dp = opendir(dir);
        ck_assert_msg(dp != NULL, "no %s", dir);
        struct dirent *e;
        while ((e = readdir(dp))) {
            if (!strstr(e->d_name, ".minimesosFile"))
                continue;
            char *path = mm_xasprintf("%s/%s", dir, e->d_name);
            char *text = tu_read_file(path, NULL);
            ck_assert_ptr_nonnull(text);
            sess s;
            sess_start(&s, "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}");
            char *uri = mm_xasprintf("file://%s", path);
            open_doc(&s, uri, text);
            assert_same_as_lint(&s, uri, text);
            const cJSON *p = last_publish(s.out.msgs, uri);
            with_diags += cJSON_GetArraySize(cJSON_GetObjectItem(p, "diagnostics")) > 0;
            ck_assert_int_eq(num(p, "version"), 1);
            files++;
            free(uri);
            sess_end(&s);
            free(text);
            free(path);
        }
        closedir(dp);
        free(dir);
    }
    ck_assert_uint_gt(files, 20);
    ck_assert_uint_gt(with_diags, 10);
}
END_TEST

static const char bad_text[] =
    "minimesos {\n"
    "    clusterNme = \"demo\"\n"
    "    timeout = \"60\"\n"
    "    mastr {\n"
    "    }\n"
    "    zookeeper { }\n"
    "    zookeeper { }\n"
    "}\n";

START_TEST(diagnostics_shape)
{
    sess s;
    sess_start(&s, "{}");
    open_doc(&s, "file:///bad", bad_text);
    assert_same_as_lint(&s, "file:///bad", bad_text);
    const cJSON *arr = cJSON_GetObjectItem(last_publish(s.out.msgs, "file:///bad"), "diagnostics");
    const cJSON *first = cJSON_GetArrayItem(arr, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(first, "message")->valuestring,
                     "unknown property `clusterNme` in the cluster block; hint: did you mean "
                     "`clusterName`?");
    /* the duplicate points at the first zookeeper */
    const cJSON *dup = cJSON_GetArrayItem(arr, 3);
    ck_assert_str_eq(cJSON_GetObjectItem(dup, "code")->valuestring, "E202");
    const cJSON *rel = cJSON_GetArrayItem(cJSON_GetObjectItem(dup, "relatedInformation"), 0);
    ck_assert_int_eq(num(cJSON_GetObjectItem(rel, "location"), "range.start.line"), 5);
    /* closing clears them */
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file:///bad\"}}}");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(last_publish(s.out.msgs, "file:///bad"),
                                                            "diagnostics")), 0);
    sess_end(&s);
}
END_TEST

/* A didChange replacing [from, to) given as positions. */
static void change(sess *s, const char *uri, int version, mm_lsp_pos from, mm_lsp_pos to,
                   const char *text)
{
    char *t = jstr(text);
    sendf(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
             "{\"uri\":\"%s\",\"version\":%d},\"contentChanges\":[{\"range\":{\"start\":{\"line\":%u,"
             "\"character\":%u},\"end\":{\"line\":%u,\"character\":%u}},\"text\":%s}]}}",
          uri, version, from.line, from.character, to.line, to.character, t);
    free(t);
}

/* Incremental edits on a CRLF file with non-ASCII text before the edits on
 * the same line, in utf-16 and in utf-8: the result is the text edited by
 * bytes, and its diagnostics are those of lint on that text. */
START_TEST(incremental_edits_non_ascii_crlf)
{
    const char *orig =
        "minimesos {\r\n"
        "\tclusterName = \"Zürich 東京 🚀\"; timeout = \"60\"\r\n"
        "\tagent { portNumber = 0; imageNme = \"x\" }\r\n"
        "}\r\n";
    /* line 1: tab, `clusterName = "`, Zürich (ü 2 bytes), 東京 (3 each), 🚀 (4) */
    const char *l1 = "\tclusterName = \"Zürich 東京 🚀\"; timeout = ";
    const char *l2 = "\tagent { portNumber = 0; imageN";
    struct { const char *caps; mm_lsp_enc enc; } modes[] = {
        { "{}", MM_LSP_UTF16 },
        { "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}", MM_LSP_UTF8 },
    };
    for (size_t m = 0; m < 2; m++) {
        sess s;
        sess_start(&s, modes[m].caps);
        open_doc(&s, "file:///e", orig);
        /* characters of the value's quote on line 1 and of "Nme" on line 2 */
        mm_lsp_text probe;
        mm_lsp_text_init(&probe);
        mm_lsp_text_set(&probe, orig, strlen(orig));
        size_t q_off = strlen("minimesos {\r\n") + strlen(l1);
        size_t n_off = strlen("minimesos {\r\n") + strlen(l1) + strlen("\"60\"\r\n") + strlen(l2);
        mm_lsp_pos q = mm_lsp_text_position(&probe, q_off, modes[m].enc);
        mm_lsp_pos n = mm_lsp_text_position(&probe, n_off, modes[m].enc);
        ck_assert_uint_eq(q.line, 1);
        ck_assert_uint_eq(n.line, 2);
        if (modes[m].enc == MM_LSP_UTF16) /* 40 characters, 🚀 two units */
            ck_assert_uint_eq(q.character, 41);
        else
            ck_assert_uint_eq(q.character, strlen(l1));
        mm_lsp_text_free(&probe);
        /* "60" -> 60 (remove both quotes: the later one first, positions stay) */
        mm_lsp_pos q2 = { q.line, q.character + 3 }, q2e = { q.line, q.character + 4 };
        change(&s, "file:///e", 2, q2, q2e, "");
        mm_lsp_pos qe = { q.line, q.character + 1 };
        change(&s, "file:///e", 3, q, qe, "");
        /* imageNme -> imageName: insert "a" after "imageN" */
        change(&s, "file:///e", 4, n, n, "a");
        /* a new line with a non-ASCII name, inserted with a CRLF */
        mm_lsp_pos l3 = { 3, 0 };
        change(&s, "file:///e", 5, l3, l3, "\tmäster { }\r\n");
        const char *want =
            "minimesos {\r\n"
            "\tclusterName = \"Zürich 東京 🚀\"; timeout = 60\r\n"
            "\tagent { portNumber = 0; imageName = \"x\" }\r\n"
            "\tmäster { }\r\n"
            "}\r\n";
        const cJSON *p = last_publish(s.out.msgs, "file:///e");
        ck_assert_int_eq(num(p, "version"), 5);
        if (modes[m].enc == MM_LSP_UTF8) {
            assert_same_as_lint(&s, "file:///e", want);
        } else {
            /* same codes; the ranges in utf-16 */
            mm_diags d;
            lint_text(want, &d);
            const cJSON *arr = cJSON_GetObjectItem(p, "diagnostics");
            ck_assert_uint_eq((size_t)cJSON_GetArraySize(arr), d.len);
            mm_lsp_text w;
            mm_lsp_text_init(&w);
            mm_lsp_text_set(&w, want, strlen(want));
            for (size_t i = 0; i < d.len; i++) {
                const cJSON *o = cJSON_GetArrayItem(arr, (int)i);
                mm_lsp_pos a = mm_lsp_text_position(&w, d.items[i].span.start.off, MM_LSP_UTF16);
                ck_assert_str_eq(cJSON_GetObjectItem(o, "code")->valuestring,
                                 mm_diag_code_str(d.items[i].code));
                ck_assert_int_eq(num(o, "range.start.line"), (int)a.line);
                ck_assert_int_eq(num(o, "range.start.character"), (int)a.character);
            }
            mm_lsp_text_free(&w);
            mm_diags_free(&d);
        }
        /* what is left: port 0 (E205) on line 2 and the name with a non-ASCII
         * letter on line 3 (E106 at the `ä`, then E101) */
        const cJSON *arr = cJSON_GetObjectItem(p, "diagnostics");
        ck_assert_int_eq(cJSON_GetArraySize(arr), 3);
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "code")->valuestring, "E205");
        const cJSON *mast = cJSON_GetArrayItem(arr, 1);
        ck_assert_str_eq(cJSON_GetObjectItem(mast, "code")->valuestring, "E106");
        ck_assert_int_eq(num(mast, "range.start.line"), 3);
        ck_assert_int_eq(num(mast, "range.start.character"), 2);
        ck_assert_int_eq(num(mast, "range.end.character"), modes[m].enc == MM_LSP_UTF8 ? 4 : 3);
        sess_end(&s);
    }
}
END_TEST

/* A burst of edits in one batch is one check and one publish, of the last
 * version; a full text later in the batch makes the edits before it moot. */
START_TEST(debounce_one_check_per_batch)
{
    sess s;
    sess_start(&s, "{}");
    size_t checks0 = mm_lsp_server_checks(s.srv);
    cJSON *msgs[60];
    size_t n = 0;
    char *t = jstr("minimesos {\n    timeout = 1\n}\n");
    char *m = mm_xasprintf("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{"
                           "\"textDocument\":{\"uri\":\"file:///d\",\"version\":1,\"text\":%s}}}", t);
    msgs[n++] = cJSON_Parse(m);
    free(m);
    free(t);
    /* 50 keystrokes: append a digit to the timeout each time */
    for (int i = 0; i < 50; i++) {
        m = mm_xasprintf("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                         "\"textDocument\":{\"uri\":\"file:///d\",\"version\":%d},\"contentChanges\":"
                         "[{\"range\":{\"start\":{\"line\":1,\"character\":%d},\"end\":{\"line\":1,"
                         "\"character\":%d}},\"text\":\"%d\"}]}}", i + 2, 15 + i, 15 + i, i % 10);
        msgs[n++] = cJSON_Parse(m);
        free(m);
    }
    mm_lsp_server_batch(s.srv, msgs, n);
    ck_assert_uint_eq(mm_lsp_server_checks(s.srv) - checks0, 1);
    ck_assert_uint_eq(count_method(s.out.msgs, "textDocument/publishDiagnostics"), 1);
    const cJSON *p = last_publish(s.out.msgs, "file:///d");
    ck_assert_int_eq(num(p, "version"), 51);
    /* 1 followed by 50 digits: out of range for an int */
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "diagnostics")), 1);
    for (size_t i = 0; i < n; i++)
        ck_assert_ptr_null(msgs[i]); /* the batch took them */

    /* edits, then a full text: the edits are skipped, the text wins */
    sess_clear(&s);
    n = 0;
    for (int i = 0; i < 3; i++) {
        m = mm_xasprintf("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                         "\"textDocument\":{\"uri\":\"file:///d\",\"version\":%d},\"contentChanges\":"
                         "[{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":9,"
                         "\"character\":0}},\"text\":\"garbage {\"}]}}", 60 + i);
        msgs[n++] = cJSON_Parse(m);
        free(m);
    }
    msgs[n++] = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                            "\"textDocument\":{\"uri\":\"file:///d\",\"version\":70},\"contentChanges\":"
                            "[{\"text\":\"minimesos {\\n}\\n\"}]}}");
    checks0 = mm_lsp_server_checks(s.srv);
    mm_lsp_server_batch(s.srv, msgs, n);
    ck_assert_uint_eq(mm_lsp_server_checks(s.srv) - checks0, 1);
    p = last_publish(s.out.msgs, "file:///d");
    ck_assert_int_eq(num(p, "version"), 70);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "diagnostics")), 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_ptr_null(msgs[i]); /* the batch took them */

    /* but a request in between sees the edit before it: a hover on
     * `timeout` after an edit that wrote it, then a whole text without it */
    sess_clear(&s);
    n = 0;
    msgs[n++] = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                            "\"textDocument\":{\"uri\":\"file:///d\",\"version\":71},\"contentChanges\":"
                            "[{\"range\":{\"start\":{\"line\":1,\"character\":0},\"end\":{\"line\":1,"
                            "\"character\":0}},\"text\":\"    timeout = 5\\n\"}]}}");
    msgs[n++] = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":90,\"method\":\"textDocument/hover\",\"params\":{"
                            "\"textDocument\":{\"uri\":\"file:///d\"},\"position\":{\"line\":1,\"character\":6}}}");
    msgs[n++] = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                            "\"textDocument\":{\"uri\":\"file:///d\",\"version\":72},\"contentChanges\":"
                            "[{\"text\":\"minimesos {\\n}\\n\"}]}}");
    mm_lsp_server_batch(s.srv, msgs, n);
    const cJSON *h = cJSON_GetObjectItem(response(&s, 90), "result");
    ck_assert_msg(cJSON_IsObject(h), "the hover did not see the edit before it");
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "contents"), "value")->valuestring,
                                 "`timeout`"));
    ck_assert_int_eq(num(last_publish(s.out.msgs, "file:///d"), "version"), 72);
    sess_end(&s);
}
END_TEST

START_TEST(cancel_in_the_same_batch)
{
    sess s;
    sess_start(&s, "{}");
    cJSON *msgs[3] = {
        cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"workspace/nothing\"}"),
        cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"workspace/nothing\"}"),
        cJSON_Parse("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":41}}"),
    };
    mm_lsp_server_batch(s.srv, msgs, 3);
    ck_assert_int_eq(error_code(response(&s, 41)), MM_LSP_REQUEST_CANCELLED);
    ck_assert_int_eq(error_code(response(&s, 42)), MM_LSP_METHOD_NOT_FOUND);
    ck_assert_ptr_null(msgs[2]);
    sess_end(&s);
}
END_TEST


/* ---- hover, completion, formatting, symbols, quick fixes ---- */

static const char FULL_CAPS[] =
    "{\"general\":{\"positionEncodings\":[\"utf-16\"]},\"textDocument\":{"
    "\"completion\":{\"completionItem\":{\"snippetSupport\":true,\"documentationFormat\":[\"markdown\"]}},"
    "\"hover\":{\"contentFormat\":[\"markdown\",\"plaintext\"]},"
    "\"documentSymbol\":{\"hierarchicalDocumentSymbolSupport\":true},"
    "\"codeAction\":{\"codeActionLiteralSupport\":{\"codeActionKind\":{\"valueSet\":[\"quickfix\"]}}}}}";

static int next_id = 100;

/* A request on file:///f at line:character; returns its result (owned by
 * the session's output). */
static const cJSON *ask(sess *s, const char *method, int line, int ch)
{
    int id = next_id++;
    sendf(s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"%s\",\"params\":{\"textDocument\":"
             "{\"uri\":\"file:///f\"},\"position\":{\"line\":%d,\"character\":%d},"
             "\"options\":{\"tabSize\":2,\"insertSpaces\":true},"
             "\"range\":{\"start\":{\"line\":%d,\"character\":%d},\"end\":{\"line\":%d,\"character\":%d}},"
             "\"context\":{\"diagnostics\":[]}}}", id, method, line, ch, line, ch, line, ch);
    const cJSON *r = response(s, id);
    ck_assert_msg(r != NULL, "no answer to %s", method);
    return r;
}

static const cJSON *result_of(const cJSON *resp)
{
    ck_assert_msg(cJSON_GetObjectItem(resp, "error") == NULL, "error: %s",
                  cJSON_PrintUnformatted(resp));
    return cJSON_GetObjectItem(resp, "result");
}

static const char *hover_text(sess *s, int line, int ch)
{
    const cJSON *r = result_of(ask(s, "textDocument/hover", line, ch));
    if (cJSON_IsNull(r))
        return NULL;
    const cJSON *c = cJSON_GetObjectItem(r, "contents");
    ck_assert_str_eq(cJSON_GetObjectItem(c, "kind")->valuestring, "markdown");
    return cJSON_GetObjectItem(c, "value")->valuestring;
}

static const char hover_doc[] =
    "minimesos {\n"                                   /* 0 */
    "    clusterName = \"Zürich 🚀\"; timeout = 30\n"   /* 1 */
    "    exposePorts = true\n"                        /* 2 */
    "    agent {\n"                                   /* 3 */
    "        loggingLevel = \"info\"\n"               /* 4 */
    "        bogus = 1\n"                             /* 5 */
    "    }\n"                                         /* 6 */
    "}\n";

START_TEST(hover_from_the_schema_table)
{
    sess s;
    sess_start(&s, FULL_CAPS);
    open_doc(&s, "file:///f", hover_doc);
    /* timeout, after non-ASCII text on its line: "    clusterName = "Zürich 🚀"; " is
     * 31 UTF-16 units (🚀 two), 35 bytes */
    const char *t = hover_text(&s, 1, 31);
    ck_assert_ptr_nonnull(t);
    const sc_block *cl = mm_sc_block_get(SC_B_CLUSTER);
    const sc_prop *p = mm_sc_prop_find(cl, "timeout");
    char *def = mm_sc_prop_default_text(p), *allowed = mm_sc_prop_allowed_text(p);
    ck_assert_ptr_nonnull(strstr(t, "`timeout`: int property of the `minimesos` block"));
    ck_assert_ptr_nonnull(strstr(t, p->doc));
    char *want = mm_xasprintf("- default: `%s`", def);
    ck_assert_ptr_nonnull(strstr(t, want));
    free(want);
    want = mm_xasprintf("- allowed: %s", allowed);
    ck_assert_ptr_nonnull(strstr(t, want));
    free(want);
    free(def);
    free(allowed);
    const cJSON *r = result_of(ask(&s, "textDocument/hover", 1, 31));
    ck_assert_int_eq(num(r, "range.start.character"), 31);
    ck_assert_int_eq(num(r, "range.end.character"), 38);
    /* on the value: the same property */
    t = hover_text(&s, 1, 41);
    ck_assert_ptr_nonnull(strstr(t, "`timeout`"));
    /* an agent's loggingLevel: its own row, with the sentinel allowed */
    t = hover_text(&s, 4, 10);
    ck_assert_ptr_nonnull(strstr(t, "`loggingLevel`: string property of the `agent` block"));
    ck_assert_ptr_nonnull(strstr(t, "INHERIT FROM CLUSTER"));
    ck_assert_ptr_nonnull(strstr(t, "INFO, WARNING or ERROR"));
    /* blocks */
    t = hover_text(&s, 3, 5);
    ck_assert_ptr_nonnull(strstr(t, "`agent`: block in `minimesos`, any number of them"));
    ck_assert_ptr_nonnull(strstr(t, mm_sc_block_get(SC_B_AGENT)->doc));
    ck_assert_ptr_nonnull(strstr(t, "- blocks: `resources`"));
    ck_assert_ptr_nonnull(strstr(t, "`portNumber`"));
    t = hover_text(&s, 0, 2);
    ck_assert_ptr_nonnull(strstr(t, "`minimesos`: the cluster block"));
    /* a renamed property says so; unknown names and blank space: null */
    t = hover_text(&s, 2, 6);
    ck_assert_ptr_nonnull(strstr(t, "renamed to `mapPortsToHost`"));
    ck_assert_ptr_null(hover_text(&s, 5, 9));
    ck_assert_ptr_null(hover_text(&s, 6, 2));
    ck_assert_ptr_null(hover_text(&s, 40, 0));
    /* a document that is not open */
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file:///nope\"},\"position\":{\"line\":0,\"character\":0}}}");
    ck_assert_int_eq(error_code(response(&s, 77)), MM_LSP_INVALID_PARAMS);
    /* cancelled in the same batch */
    cJSON *msgs[2] = {
        cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":78,\"method\":\"textDocument/hover\",\"params\":{"
                    "\"textDocument\":{\"uri\":\"file:///f\"},\"position\":{\"line\":1,\"character\":31}}}"),
        cJSON_Parse("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":78}}"),
    };
    mm_lsp_server_batch(s.srv, msgs, 2);
    ck_assert_int_eq(error_code(response(&s, 78)), MM_LSP_REQUEST_CANCELLED);
    ck_assert_ptr_null(msgs[0]);
    sess_end(&s);
}
END_TEST

/* The item labelled label, or NULL. */
static const cJSON *item(const cJSON *list, const char *label)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(list, "items"))
        if (strcmp(cJSON_GetObjectItem(it, "label")->valuestring, label) == 0)
            return it;
    return NULL;
}

static int n_items(const cJSON *list)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(list, "items"));
}

static const char *new_text(const cJSON *it)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(it, "textEdit"), "newText")->valuestring;
}

static const char compl_doc[] =
    "minimesos {\n"                      /* 0 */
    "    timeout = 30\n"                 /* 1 */
    "    master {\n"                     /* 2 */
    "    }\n"                            /* 3 */
    "    agent {\n"                      /* 4 */
    "        imageName = \"a/b\"\n"      /* 5 */
    "        \n"                         /* 6 */
    "    }\n"                            /* 7 */
    "    \n"                             /* 8 */
    "    loggingLevel = \n"              /* 9: the value is missing (an error) */
    "}\n";

START_TEST(completion_of_names)
{
    sess s;
    sess_start(&s, FULL_CAPS);
    open_doc(&s, "file:///f", compl_doc);
    /* in the agent: its rows but imageName (set), and its block */
    const cJSON *l = result_of(ask(&s, "textDocument/completion", 6, 8));
    const sc_block *ag = mm_sc_block_get(SC_B_AGENT);
    ck_assert_int_eq(n_items(l), (int)ag->n_props - 1 + 1);
    ck_assert_ptr_null(item(l, "imageName"));
    const cJSON *it = item(l, "portNumber");
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(num(it, "kind"), 10);
    ck_assert_str_eq(new_text(it), "portNumber = ${1:5051}$0");
    ck_assert_int_eq(num(it, "insertTextFormat"), 2);
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(it, "documentation"),
                                                     "value")->valuestring, "- default: `5051`"));
    ck_assert_str_eq(new_text(item(l, "privileged")), "privileged = ${1|true,false|}$0");
    it = item(l, "resources");
    ck_assert_str_eq(new_text(it), "resources {\n\t$0\n}");
    ck_assert_int_eq(num(it, "insertTextFormat"), 2);
    /* in the cluster: master is there (not offered again), agent repeats */
    l = result_of(ask(&s, "textDocument/completion", 8, 4));
    ck_assert_ptr_null(item(l, "master"));
    ck_assert_ptr_null(item(l, "timeout"));
    ck_assert_ptr_nonnull(item(l, "zookeeper"));
    it = item(l, "agent");
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(new_text(it), "agent {\n\t$0\n}");
    ck_assert_ptr_nonnull(item(l, "mesosVersion"));
    /* a prefix typed: replaced by the edit */
    mm_lsp_pos at = { 8, 4 };
    change(&s, "file:///f", 2, at, at, "mes");
    l = result_of(ask(&s, "textDocument/completion", 8, 7));
    it = item(l, "mesosVersion");
    const cJSON *range = cJSON_GetObjectItem(cJSON_GetObjectItem(it, "textEdit"), "range");
    ck_assert_int_eq(num(range, "start.character"), 4);
    ck_assert_int_eq(num(range, "end.character"), 7);
    /* not in a comment, not after a finished statement */
    change(&s, "file:///f", 3, at, (mm_lsp_pos){ 8, 7 }, "// mes");
    ck_assert_int_eq(n_items(result_of(ask(&s, "textDocument/completion", 8, 10))), 0);
    ck_assert_int_eq(n_items(result_of(ask(&s, "textDocument/completion", 1, 16))), 0);
    sess_end(&s);

    /* an empty file: the root block; a client without snippets gets text */
    sess_start(&s, "{}");
    open_doc(&s, "file:///f", "");
    l = result_of(ask(&s, "textDocument/completion", 0, 0));
    ck_assert_int_eq(n_items(l), 1);
    it = item(l, "minimesos");
    ck_assert_str_eq(new_text(it), "minimesos {\n}");
    ck_assert_int_eq(num(it, "insertTextFormat"), 1);
    open_doc(&s, "file:///f", "minimesos {\n    \n}\n");
    l = result_of(ask(&s, "textDocument/completion", 1, 4));
    ck_assert_str_eq(new_text(item(l, "timeout")), "timeout = ");
    ck_assert_str_eq(new_text(item(l, "agent")), "agent {\n}");
    sess_end(&s);
}
END_TEST

/* The labels of a completion list, joined by spaces. */
static char *labels(const cJSON *l)
{
    strbuf sb = STRBUF_INIT;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(l, "items"))
        mm_sb_addf(&sb, "%s%s", sb.len ? " " : "", cJSON_GetObjectItem(it, "label")->valuestring);
    return mm_sb_detach(&sb);
}

START_TEST(completion_of_values)
{
    sess s;
    sess_start(&s, FULL_CAPS);
    open_doc(&s, "file:///f", compl_doc);
    /* loggingLevel = |: the table's levels, quoted */
    const cJSON *l = result_of(ask(&s, "textDocument/completion", 9, 19));
    char *got = labels(l);
    strbuf want = STRBUF_INIT;
    for (size_t i = 0; mm_sc_levels[i]; i++)
        mm_sb_addf(&want, "%s%s", i ? " " : "", mm_sc_levels[i]);
    ck_assert_str_eq(got, want.buf);
    free(got);
    mm_sb_free(&want);
    ck_assert_str_eq(new_text(item(l, "WARNING")), "\"WARNING\"");
    ck_assert_str_eq(cJSON_GetObjectItem(item(l, "INFO"), "detail")->valuestring, "the default");
    /* mesosVersion = "0.2|" (the editor closed the quote): the versions; the
     * edit replaces the typed quote, text and closing quote */
    mm_lsp_pos at = { 8, 4 };
    change(&s, "file:///f", 2, at, at, "mesosVersion = \"0.2\"");
    l = result_of(ask(&s, "textDocument/completion", 8, 23));
    got = labels(l);
    for (size_t i = 0; mm_sc_mesos_versions[i]; i++)
        mm_sb_addf(&want, "%s%s", i ? " " : "", mm_sc_mesos_versions[i]);
    ck_assert_str_eq(got, want.buf);
    free(got);
    mm_sb_free(&want);
    const cJSON *te = cJSON_GetObjectItem(item(l, "0.28"), "textEdit");
    ck_assert_str_eq(cJSON_GetObjectItem(te, "newText")->valuestring, "\"0.28\"");
    ck_assert_int_eq(num(te, "range.start.character"), 19);
    ck_assert_int_eq(num(te, "range.end.character"), 24);
    /* bools; right after `=` a space comes first */
    change(&s, "file:///f", 3, at, (mm_lsp_pos){ 8, 24 }, "mapPortsToHost =");
    l = result_of(ask(&s, "textDocument/completion", 8, 20));
    got = labels(l);
    ck_assert_str_eq(got, "true false");
    free(got);
    ck_assert_str_eq(new_text(item(l, "false")), " false");
    ck_assert_str_eq(cJSON_GetObjectItem(item(l, "false"), "detail")->valuestring, "the default");
    /* in an agent, the sentinel too; clusterName has no list (nothing) */
    change(&s, "file:///f", 4, (mm_lsp_pos){ 6, 8 }, (mm_lsp_pos){ 6, 8 }, "loggingLevel = ");
    got = labels(result_of(ask(&s, "textDocument/completion", 6, 23)));
    ck_assert_str_eq(got, "# INHERIT FROM CLUSTER INFO WARNING ERROR");
    free(got);
    change(&s, "file:///f", 5, at, (mm_lsp_pos){ 8, 20 }, "clusterName = ");
    ck_assert_int_eq(n_items(result_of(ask(&s, "textDocument/completion", 8, 18))), 0);
    sess_end(&s);
}
END_TEST

/* Apply a list of TextEdits (in enc) to text; malloc'd. Edits are applied
 * from the last to the first, as the protocol's edits do not overlap. */
static char *apply_edits(const char *text, const cJSON *edits, mm_lsp_enc enc)
{
    mm_lsp_text t;
    mm_lsp_text_init(&t);
    mm_lsp_text_set(&t, text, strlen(text));
    size_t n = (size_t)cJSON_GetArraySize(edits);
    size_t *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    for (size_t i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(edits, (int)i);
        const cJSON *r = cJSON_GetObjectItem(e, "range");
        mm_lsp_pos p, q;
        ck_assert(mm_lsp_get_position(cJSON_GetObjectItem(r, "start"), &p));
        ck_assert(mm_lsp_get_position(cJSON_GetObjectItem(r, "end"), &q));
        a[i] = mm_lsp_text_offset(&t, p, enc);
        b[i] = mm_lsp_text_offset(&t, q, enc);
    }
    for (size_t k = n; k-- > 0;) {
        /* the edit starting last goes first */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (a[i] >= a[best])
                best = i;
        const char *nt = cJSON_GetObjectItem(cJSON_GetArrayItem(edits, (int)best), "newText")->valuestring;
        ck_assert(mm_lsp_text_replace(&t, a[best], b[best], nt, strlen(nt)));
        a[best] = 0;
        b[best] = 0;
        (void)k;
    }
    char *out = mm_xstrndup(t.buf, t.len);
    mm_lsp_text_free(&t);
    free(a);
    free(b);
    return out;
}

START_TEST(formatting_is_fmt)
{
    char *path = mm_xasprintf("%s/tests/golden/fmt/comments.in.minimesosFile", tu_srcdir());
    char *in = tu_read_file(path, NULL);
    free(path);
    path = mm_xasprintf("%s/tests/golden/fmt/comments.out.minimesosFile", tu_srcdir());
    char *out = tu_read_file(path, NULL);
    free(path);
    ck_assert(in && out);
    sess s;
    sess_start(&s, FULL_CAPS);
    open_doc(&s, "file:///f", in);
    const cJSON *edits = result_of(ask(&s, "textDocument/formatting", 0, 0));
    ck_assert_int_eq(cJSON_GetArraySize(edits), 1);
    const cJSON *e = cJSON_GetArrayItem(edits, 0);
    ck_assert_int_eq(num(e, "range.start.line"), 0);
    ck_assert_int_eq(num(e, "range.start.character"), 0);
    /* the whole document: it ends where the text ends */
    mm_lsp_text t;
    mm_lsp_text_init(&t);
    mm_lsp_text_set(&t, in, strlen(in));
    mm_lsp_pos end = mm_lsp_text_position(&t, t.len, MM_LSP_UTF16);
    mm_lsp_text_free(&t);
    ck_assert_int_eq(num(e, "range.end.line"), (int)end.line);
    ck_assert_int_eq(num(e, "range.end.character"), (int)end.character);
    char *got = apply_edits(in, edits, MM_LSP_UTF16);
    ck_assert_str_eq(got, out); /* comments kept: the golden file has them */
    free(got);
    /* formatted already: no edit */
    open_doc(&s, "file:///f", out);
    ck_assert_int_eq(cJSON_GetArraySize(result_of(ask(&s, "textDocument/formatting", 0, 0))), 0);
    /* syntax errors: an error, not an edit */
    open_doc(&s, "file:///f", "minimesos {\n    timeout = \n}\n// note\n");
    const cJSON *r = ask(&s, "textDocument/formatting", 0, 0);
    ck_assert_int_eq(error_code(r), MM_LSP_REQUEST_FAILED);
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "error"), "message")->valuestring,
                                 "syntax errors"));
    /* model errors only: formatted (as `fmt` does) */
    open_doc(&s, "file:///f", "minimesos {\n  bogus=1\n}\n");
    got = apply_edits("minimesos {\n  bogus=1\n}\n", result_of(ask(&s, "textDocument/formatting", 0, 0)),
                      MM_LSP_UTF16);
    ck_assert_str_eq(got, "minimesos {\n    bogus = 1\n}\n");
    free(got);
    sess_end(&s);
    free(in);
    free(out);
}
END_TEST

START_TEST(symbols_outline)
{
    const char *doc =
        "minimesos {\n"
        "    clusterName = \"demo\"\n"
        "    master { }\n"
        "    agent {\n"
        "        resources {\n"
        "            cpu { value = 1 }\n"
        "        }\n"
        "    }\n"
        "    agent { }\n"
        "    marathon {\n"
        "        app { marathonJson = \"a.json\" }\n"
        "        app { marathonJson = \"b.json\" }\n"
        "    }\n"
        "}\n";
    sess s;
    sess_start(&s, FULL_CAPS);
    open_doc(&s, "file:///f", doc);
    const cJSON *r = result_of(ask(&s, "textDocument/documentSymbol", 0, 0));
    ck_assert_int_eq(cJSON_GetArraySize(r), 1);
    const cJSON *root = cJSON_GetArrayItem(r, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(root, "name")->valuestring, "minimesos");
    ck_assert_str_eq(cJSON_GetObjectItem(root, "detail")->valuestring, "demo");
    ck_assert_int_eq(num(root, "range.end.line"), 13);
    const cJSON *kids = cJSON_GetObjectItem(root, "children");
    ck_assert_int_eq(cJSON_GetArraySize(kids), 4);
    const char *names[] = { "master", "agent 1", "agent 2", "marathon" };
    const int lines[] = { 2, 3, 8, 9 };
    for (int i = 0; i < 4; i++) {
        const cJSON *k = cJSON_GetArrayItem(kids, i);
        ck_assert_str_eq(cJSON_GetObjectItem(k, "name")->valuestring, names[i]);
        ck_assert_int_eq(num(k, "selectionRange.start.line"), lines[i]);
        ck_assert_int_eq(num(k, "selectionRange.start.character"), 4);
    }
    const cJSON *a1 = cJSON_GetArrayItem(kids, 1);
    ck_assert_int_eq(num(a1, "range.end.line"), 7);
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItem(a1, "children"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(res, "name")->valuestring, "resources");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(res, "children"), 0),
                                         "name")->valuestring, "cpu 1");
    const cJSON *apps = cJSON_GetObjectItem(cJSON_GetArrayItem(kids, 3), "children");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(apps, 1), "name")->valuestring, "app 2");
    sess_end(&s);

    /* a client without hierarchy: a flat list with containers */
    sess_start(&s, "{}");
    open_doc(&s, "file:///f", doc);
    r = result_of(ask(&s, "textDocument/documentSymbol", 0, 0));
    ck_assert_int_eq(cJSON_GetArraySize(r), 9);
    const cJSON *last = cJSON_GetArrayItem(r, 8);
    ck_assert_str_eq(cJSON_GetObjectItem(last, "name")->valuestring, "app 2");
    ck_assert_str_eq(cJSON_GetObjectItem(last, "containerName")->valuestring, "marathon");
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(last, "location"), "uri")->valuestring,
                     "file:///f");
    sess_end(&s);
}
END_TEST

/* Every quick fix offered for text, applied alone, removes its diagnostic
 * (no diagnostic of that code is left where it was) and adds no error. */
static void check_fixes(const char *text, const char *caps, mm_lsp_enc enc, int want_fixes,
                        const char *const *titles)
{
    sess s;
    sess_start(&s, caps);
    open_doc(&s, "file:///f", text);
    int id = next_id++;
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"textDocument/codeAction\",\"params\":{"
              "\"textDocument\":{\"uri\":\"file:///f\"},\"range\":{\"start\":{\"line\":0,\"character\":0},"
              "\"end\":{\"line\":99,\"character\":0}},\"context\":{\"diagnostics\":[]}}}", id);
    const cJSON *acts = result_of(response(&s, id));
    ck_assert_int_eq(cJSON_GetArraySize(acts), want_fixes);
    mm_diags before;
    lint_text(text, &before);
    int i = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, acts) {
        ck_assert_str_eq(cJSON_GetObjectItem(a, "kind")->valuestring, "quickfix");
        ck_assert_str_eq(cJSON_GetObjectItem(a, "title")->valuestring, titles[i++]);
        const cJSON *dg = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "diagnostics"), 0);
        const char *code = cJSON_GetObjectItem(dg, "code")->valuestring;
        int line = num(dg, "range.start.line");
        const cJSON *edits = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "edit"),
                                                                     "changes"), "file:///f");
        char *fixed = apply_edits(text, edits, enc);
        mm_diags after;
        lint_text(fixed, &after);
        for (size_t k = 0; k < after.len; k++)
            ck_assert_msg(!(strcmp(mm_diag_code_str(after.items[k].code), code) == 0 &&
                            (int)after.items[k].span.start.line - 1 == line),
                          "%s at line %d is still there after `%s`:\n%s", code, line,
                          cJSON_GetObjectItem(a, "title")->valuestring, fixed);
        ck_assert_uint_eq(mm_diags_count(&after, MM_SEV_ERROR), mm_diags_count(&before, MM_SEV_ERROR) - 1);
        mm_diags_free(&after);
        free(fixed);
    }
    mm_diags_free(&before);
    /* only what was asked for: a range on one line, or another kind */
    id = next_id++;
    sendf(&s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"textDocument/codeAction\",\"params\":{"
              "\"textDocument\":{\"uri\":\"file:///f\"},\"range\":{\"start\":{\"line\":1,\"character\":0},"
              "\"end\":{\"line\":1,\"character\":0}},\"context\":{\"diagnostics\":[],\"only\":[\"refactor\"]}}}",
          id);
    ck_assert_int_eq(cJSON_GetArraySize(result_of(response(&s, id))), 0);
    sess_end(&s);
}

START_TEST(quick_fixes_remove_their_diagnostic)
{
    const char *text =
        "minimesos {\n"
        "    clusterNme = \"Zürich 🚀\"; timeout = \"60\"\n"
        "    exposePorts = true\n"
        "    mapAgentSandboxVolume = \"false\"\n"
        "    mastr {\n"
        "    }\n"
        "    zookeeper { imageTag = 3.4 }\n"
        "    agent { portNumbr = 5051 }\n"
        "}\n";
    static const char *const titles[] = {
        "Change `clusterNme` to `clusterName`",
        "Remove the quotes: 60",
        "Rename `exposePorts` to `mapPortsToHost`",
        "Remove the quotes: false",
        "Change `mastr` to `master`",
        "Put it in quotes: \"3.4\"",
        "Change `portNumbr` to `portNumber`",
    };
    check_fixes(text, FULL_CAPS, MM_LSP_UTF16, 7, titles);
    check_fixes(text, "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}", MM_LSP_UTF8, 7, titles);
    /* CRLF lines */
    strbuf crlf = STRBUF_INIT;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            mm_sb_addc(&crlf, '\r');
        mm_sb_addc(&crlf, *p);
    }
    check_fixes(crlf.buf, FULL_CAPS, MM_LSP_UTF16, 7, titles);
    mm_sb_free(&crlf);
}
END_TEST

/* ---- over file descriptors ---- */

static void frame_to(strbuf *sb, const char *body)
{
    mm_sb_addf(sb, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
}

/* Run mm_lsp_serve with input bytes from a file; returns its status and
 * the messages it wrote (array). */
static int serve_bytes(const char *in, size_t len, size_t max, cJSON **out_msgs)
{
    FILE *fi = tmpfile(), *fo = tmpfile();
    ck_assert(fi && fo);
    ck_assert_uint_eq(fwrite(in, 1, len, fi), len);
    fflush(fi);
    rewind(fi);
    mm_lsp_options o;
    mm_lsp_options_init(&o);
    o.max_message = max;
    int st = mm_lsp_serve(fileno(fi), fileno(fo), &o);
    /* read back what it wrote */
    fflush(fo);
    rewind(fo);
    strbuf all = STRBUF_INIT;
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, fo)) > 0)
        mm_sb_add(&all, buf, k);
    mm_lsp_reader r;
    mm_lsp_reader_init(&r, 0);
    mm_lsp_reader_feed(&r, all.buf ? all.buf : "", all.len);
    cJSON *arr = cJSON_CreateArray();
    const char *b;
    size_t bl;
    int e;
    while ((e = mm_lsp_reader_next(&r, &b, &bl)) != MM_LSP_READ_MORE) {
        ck_assert_int_eq(e, MM_LSP_READ_MESSAGE);
        cJSON *m = cJSON_ParseWithLength(b, bl);
        ck_assert_ptr_nonnull(m);
        cJSON_AddItemToArray(arr, m);
    }
    mm_lsp_reader_free(&r);
    mm_sb_free(&all);
    fclose(fi);
    fclose(fo);
    *out_msgs = arr;
    return st;
}

static const char INIT[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}";
static const char SHUTDOWN[] = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\"}";
static const char EXIT[] = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}";

static const cJSON *resp_in(const cJSON *arr, int id)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, arr) {
        const cJSON *i = cJSON_GetObjectItem(m, "id");
        if (cJSON_IsNumber(i) && i->valueint == id)
            return m;
    }
    return NULL;
}

START_TEST(serve_exit_status)
{
    cJSON *out;
    strbuf sb = STRBUF_INIT;
    frame_to(&sb, INIT);
    frame_to(&sb, SHUTDOWN);
    frame_to(&sb, EXIT);
    frame_to(&sb, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"after-exit\"}");
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 0, &out), 0);
    ck_assert_ptr_nonnull(resp_in(out, 9));
    ck_assert_ptr_null(resp_in(out, 10)); /* nothing is read after exit */
    cJSON_Delete(out);
    mm_sb_free(&sb);

    /* exit without shutdown */
    frame_to(&sb, INIT);
    frame_to(&sb, EXIT);
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 0, &out), 1);
    cJSON_Delete(out);
    mm_sb_free(&sb);

    /* the input ends: 1, or 0 after shutdown */
    frame_to(&sb, INIT);
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 0, &out), 1);
    cJSON_Delete(out);
    frame_to(&sb, SHUTDOWN);
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 0, &out), 0);
    cJSON_Delete(out);
    mm_sb_free(&sb);
    ck_assert_int_eq(serve_bytes("", 0, 0, &out), 1);
    ck_assert_int_eq(cJSON_GetArraySize(out), 0);
    cJSON_Delete(out);
}
END_TEST

START_TEST(serve_keeps_serving_after_bad_input)
{
    cJSON *out;
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "GET / HTTP/1.1\r\n\r\n");                   /* garbage */
    frame_to(&sb, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"x\"}");  /* before initialize */
    frame_to(&sb, INIT);
    frame_to(&sb, "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\"");   /* bad JSON */
    mm_sb_adds(&sb, "Content-Length: 5000\r\n\r\n");                /* too large (limit 4096) */
    for (int i = 0; i < 5000; i++)
        mm_sb_addc(&sb, 'z');
    frame_to(&sb, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"nope\"}");
    mm_sb_adds(&sb, "Content-Length: 3\r\n\r\n{}}");                 /* JSON and more */
    frame_to(&sb, SHUTDOWN);
    frame_to(&sb, EXIT);
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 4096, &out), 0);
    mm_sb_free(&sb);
    /* in order: parse error (header), -32002, initialize, parse error
     * (JSON), too large, -32601, parse error, shutdown */
    static const int codes[] = { MM_LSP_PARSE_ERROR, MM_LSP_SERVER_NOT_INITIALIZED, 0,
                                 MM_LSP_PARSE_ERROR, MM_LSP_INVALID_REQUEST,
                                 MM_LSP_METHOD_NOT_FOUND, MM_LSP_PARSE_ERROR, 0 };
    ck_assert_int_eq(cJSON_GetArraySize(out), 8);
    for (int i = 0; i < 8; i++) {
        const cJSON *m = cJSON_GetArrayItem(out, i);
        if (codes[i])
            ck_assert_int_eq(error_code(m), codes[i]);
        else
            ck_assert_ptr_nonnull(cJSON_GetObjectItem(m, "result"));
    }
    ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(out, 4),
                                                                         "error"),
                                                     "message")->valuestring, "over the limit"));
    cJSON_Delete(out);
}
END_TEST

/* Messages that all arrived together are one batch: 40 edits after the
 * open, one publish. */
START_TEST(serve_debounces_what_is_waiting)
{
    cJSON *out;
    strbuf sb = STRBUF_INIT;
    frame_to(&sb, INIT);
    frame_to(&sb, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    frame_to(&sb, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                  "{\"uri\":\"file:///w\",\"version\":1,\"text\":\"minimesos {\\n}\\n\"}}}");
    for (int i = 0; i < 40; i++) {
        char *m = mm_xasprintf("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                               "\"textDocument\":{\"uri\":\"file:///w\",\"version\":%d},"
                               "\"contentChanges\":[{\"range\":{\"start\":{\"line\":1,\"character\":0},"
                               "\"end\":{\"line\":1,\"character\":0}},\"text\":\"x\"}]}}", i + 2);
        frame_to(&sb, m);
        free(m);
    }
    frame_to(&sb, SHUTDOWN);
    frame_to(&sb, EXIT);
    ck_assert_int_eq(serve_bytes(sb.buf, sb.len, 0, &out), 0);
    mm_sb_free(&sb);
    ck_assert_uint_eq(count_method(out, "textDocument/publishDiagnostics"), 1);
    const cJSON *p = last_publish(out, "file:///w");
    ck_assert_int_eq(num(p, "version"), 41);
    /* "xxxx...x}" : a syntax error on line 2 */
    const cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "diagnostics"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(d0, "code")->valuestring, "E101");
    cJSON_Delete(out);
}
END_TEST

START_TEST(serve_client_gone)
{
    /* the output's reader has gone: the server stops with status 1 */
    signal(SIGPIPE, SIG_IGN);
    int po[2];
    ck_assert_int_eq(pipe(po), 0);
    close(po[0]);
    FILE *fi = tmpfile();
    strbuf sb = STRBUF_INIT;
    frame_to(&sb, INIT);
    frame_to(&sb, SHUTDOWN);
    fwrite(sb.buf, 1, sb.len, fi);
    fflush(fi);
    rewind(fi);
    ck_assert_int_eq(mm_lsp_serve(fileno(fi), po[1], NULL), 1);
    close(po[1]);
    fclose(fi);
    mm_sb_free(&sb);
}
END_TEST

/* ---- edits re-parsed in place against a full check ---- */

static uint64_t diff_rng;
static uint32_t diff_rnd(uint32_t n)
{
    diff_rng = diff_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(diff_rng >> 33) % n;
}

/* The protocol position (utf-8 characters) of byte off: lines end at
 * "\r\n", "\n" or "\r". */
static void lsp_pos_of(const char *t, size_t off, unsigned *line, unsigned *ch)
{
    size_t start = 0;
    *line = 0;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n')) {
            (*line)++;
            start = i + 1;
        }
    *ch = (unsigned)(off - start);
}

/* What a fresh server publishes for text (a full parse and check). */
static cJSON *fresh_diagnostics(const char *text)
{
    sess r;
    sess_start(&r, "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}");
    open_doc(&r, "file:///d", text);
    cJSON *d = cJSON_Duplicate(cJSON_GetObjectItem(last_publish(r.out.msgs, "file:///d"),
                                                   "diagnostics"), true);
    ck_assert(cJSON_IsArray(d));
    sess_end(&r);
    return d;
}

static bool parses_clean(const char *text)
{
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(text, strlen(text), "t", &d);
    bool clean = d.len == 0;
    mm_file_free(f);
    mm_diags_free(&d);
    return clean;
}

/* Random edits (fixed seed) through didChange: after each, the server's
 * diagnostics equal a fresh server's for the same text, whether it
 * re-parsed the edit in place or parsed the whole text; broken edits are
 * undone by the opposite edit, so every edit is made on a clean file. */
START_TEST(incremental_checks_equal_full_checks)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "minimesos {\n    clusterName = \"diff\"\n    // agents follow\n");
    for (int i = 0; i < 12; i++)
        mm_sb_addf(&sb, "\n    agent { // agent %d\n        portNumber = %d\n        imageTag = \"1\"\n"
                        "        resources {\n            cpu { value = %d; role = \"*\" }\n"
                        "        }\n    }\n", i, 5051 + i % 5, 1 + i % 3);
    mm_sb_adds(&sb, "    zookeeper { imageNme = \"z\" }\n}\n");
    static const char *const pieces[] = {
        " ", "\n", "\n    ", "1", "x", "\"", "=", " = ", ";", "{", "}", "// c\n", "/* c */",
        "\r\n", "\xc3\xa9", "x = 1\n", "portNumber = 5051\n", "agent { }\n", "mem { value = 2 }\n",
        "imageTag = \"2\"", "",
    };
    sess s;
    sess_start(&s, "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}");
    open_doc(&s, "file:///d", sb.buf);
    char *text = mm_xstrdup(sb.buf);
    mm_sb_free(&sb);
    diff_rng = 2024;
    int version = 1, compared = 0;
    for (int r = 0; r < 250; r++) {
        size_t len = strlen(text);
        size_t a = diff_rnd((uint32_t)len + 1);
        if (a > 0 && a < len && text[a - 1] == '\r' && text[a] == '\n')
            a--; /* no position lies between "\r" and "\n" */
        size_t b = a + (diff_rnd(3) == 0 ? diff_rnd(6) : 0);
        if (b > len)
            b = len;
        if (b > 0 && b < len && text[b - 1] == '\r' && text[b] == '\n')
            b++;
        while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80)
            a--; /* nor inside a character */
        while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
            b++;
        const char *ins = pieces[diff_rnd(sizeof pieces / sizeof pieces[0])];
        char *owned = NULL; /* the text an undo puts back */
        for (int undo = 0; undo < 2; undo++) {
            unsigned l0, c0, l1, c1;
            lsp_pos_of(text, a, &l0, &c0);
            lsp_pos_of(text, b, &l1, &c1);
            char *js = jstr(ins);
            sess_clear(&s);
            sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                      "\"textDocument\":{\"uri\":\"file:///d\",\"version\":%d},\"contentChanges\":"
                      "[{\"range\":{\"start\":{\"line\":%u,\"character\":%u},\"end\":{\"line\":%u,"
                      "\"character\":%u}},\"text\":%s}]}}", ++version, l0, c0, l1, c1, js);
            free(js);
            char *removed = mm_xstrndup(text + a, b - a);
            size_t n_ins = strlen(ins);
            char *next = mm_xasprintf("%.*s%s%s", (int)a, text, ins, text + b);
            free(text);
            text = next;
            const cJSON *p = last_publish(s.out.msgs, "file:///d");
            ck_assert_ptr_nonnull(p);
            cJSON *want = fresh_diagnostics(text);
            const cJSON *got = cJSON_GetObjectItem(p, "diagnostics");
            ck_assert(cJSON_IsArray(got));
            if (!cJSON_Compare(got, want, true)) {
                char *g = cJSON_PrintUnformatted(got), *w = cJSON_PrintUnformatted(want);
                ck_abort_msg("edit %d%s: [%zu, %zu) <- \"%s\": the diagnostics differ from a "
                             "full check: %.400s, not %.400s", r, undo ? " (undone)" : "", a, b, ins, g, w);
            }
            cJSON_Delete(want);
            compared++;
            /* a broken edit is undone by the opposite edit (a full parse:
             * the tree it replaces had errors) */
            bool again = !undo && !parses_clean(text);
            free(owned);
            owned = NULL;
            if (!again) {
                free(removed);
                break;
            }
            b = a + n_ins;
            ins = owned = removed;
        }
        free(owned);
    }
    ck_assert_int_ge(compared, 250);
    /* both paths were taken */
    printf("lsp differential: %d checks compared, %zu edits re-parsed in place, %zu full parses\n",
           compared, mm_lsp_server_reparses(s.srv), mm_lsp_server_full_parses(s.srv));
    ck_assert_uint_gt(mm_lsp_server_reparses(s.srv), 50);
    ck_assert_uint_gt(mm_lsp_server_full_parses(s.srv), 10);
    free(text);
    sess_end(&s);
}
END_TEST

/* What re-parses leave in the tree's pool is bounded: after enough edits
 * re-parsed in place, the server parses the whole text again (and its
 * diagnostics are still a fresh server's). */
START_TEST(reparse_waste_is_bounded)
{
    const char *t0 = "minimesos {\n    agent {\n        portNumber = 5051\n        imageTag = \"x\"\n"
                     "    }\n    zookeeper { imageNme = \"z\" }\n}\n";
    sess s;
    sess_start(&s, "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}");
    open_doc(&s, "file:///w", t0);
    size_t full0 = mm_lsp_server_full_parses(s.srv);
    /* a space typed after 5051 and taken away again, 12,000 times */
    for (int i = 0; i < 12000; i++) {
        sess_clear(&s);
        sendf(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                  "\"textDocument\":{\"uri\":\"file:///w\",\"version\":%d},\"contentChanges\":"
                  "[{\"range\":{\"start\":{\"line\":2,\"character\":25},\"end\":{\"line\":2,"
                  "\"character\":%d}},\"text\":\"%s\"}]}}", i + 2, 25 + i % 2, i % 2 ? "" : " ");
    }
    ck_assert_uint_gt(mm_lsp_server_reparses(s.srv), 11000);
    ck_assert_uint_gt(mm_lsp_server_full_parses(s.srv), full0);
    cJSON *want = fresh_diagnostics(t0);
    ck_assert(cJSON_Compare(cJSON_GetObjectItem(last_publish(s.out.msgs, "file:///w"), "diagnostics"),
                            want, true));
    ck_assert_int_eq(cJSON_GetArraySize(want), 1);
    cJSON_Delete(want);
    sess_end(&s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lsp");
    TCase *tc = tcase_create("lsp");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, framing_split_anywhere);
    tcase_add_test(tc, framing_bad_headers_resync);
    tcase_add_test(tc, framing_too_large_is_skipped_not_buffered);
    tcase_add_test(tc, positions_in_every_encoding);
    tcase_add_test(tc, edits_keep_the_line_index);
    tcase_add_test(tc, lifecycle);
    tcase_add_test(tc, encoding_negotiated);
    tcase_add_test(tc, diagnostics_are_lints_over_the_corpus);
    tcase_add_test(tc, diagnostics_shape);
    tcase_add_test(tc, incremental_edits_non_ascii_crlf);
    tcase_add_test(tc, debounce_one_check_per_batch);
    tcase_add_test(tc, cancel_in_the_same_batch);
    tcase_add_test(tc, hover_from_the_schema_table);
    tcase_add_test(tc, completion_of_names);
    tcase_add_test(tc, completion_of_values);
    tcase_add_test(tc, formatting_is_fmt);
    tcase_add_test(tc, symbols_outline);
    tcase_add_test(tc, quick_fixes_remove_their_diagnostic);
    tcase_add_test(tc, serve_exit_status);
    tcase_add_test(tc, serve_keeps_serving_after_bad_input);
    tcase_add_test(tc, serve_debounces_what_is_waiting);
    tcase_add_test(tc, serve_client_gone);
    tcase_add_test(tc, incremental_checks_equal_full_checks);
    tcase_add_test(tc, reparse_waste_is_bounded);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
