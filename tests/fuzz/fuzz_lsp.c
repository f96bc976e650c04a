/* libFuzzer harness of the language server's message reader, and of the
 * server behind it.
 *
 * The input's first byte picks how the rest is cut into pieces (1 to 64
 * bytes, or pieces whose sizes come from the data itself); the rest is a
 * byte stream as a client would write it. Beyond "no crash, no leak, no
 * undefined behaviour" it checks properties:
 *  - the reader gives the same events (messages with the same content, bad
 *    headers, refusals) whatever the pieces: the stream fed whole and fed
 *    in pieces agree;
 *  - no message is longer than the limit, and the reader's buffer stays
 *    within the limit plus a header section plus a piece (a message over
 *    the limit is skipped, not kept);
 *  - every message read goes to a server (after an initialize of its own,
 *    so documents are opened and requests answered), whose every output is
 *    one valid JSON value.
 * Build and run: make fuzz-lsp FUZZ_SECONDS=300 (mk/fuzz.mk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "lsp/lsp.h"

#define MAX_BODY 65536

static void fail(const char *what)
{
    fprintf(stderr, "PROPERTY FAILED: %s\n", what);
    abort();
}

typedef struct ev {
    char *text;     /* "M" + body, "B" or "L", each followed by \0 separated */
    size_t len, cap;
} ev;

static void ev_add(ev *e, char kind, const char *body, size_t n)
{
    size_t need = e->len + n + 2;
    if (need > e->cap) {
        e->cap = need * 2;
        e->text = realloc(e->text, e->cap);
        if (!e->text)
            abort();
    }
    e->text[e->len++] = kind;
    if (n)
        memcpy(e->text + e->len, body, n);
    e->len += n;
    e->text[e->len++] = '\0';
}

/* Feed data in pieces; record the events; hand messages to srv when given. */
static void read_all(const uint8_t *data, size_t size, int how, ev *e, mm_lsp_server *srv)
{
    mm_lsp_reader r;
    mm_lsp_reader_init(&r, MAX_BODY);
    size_t i = 0, k = 0;
    while (i < size || (size == 0 && k == 0)) {
        size_t piece;
        if (how == 0 || size == 0)
            piece = size;
        else if (how <= 64)
            piece = (size_t)how;
        else
            piece = 1 + data[(i + k) % size] % 97; /* sizes from the data */
        if (piece > size - i)
            piece = size - i;
        mm_lsp_reader_feed(&r, (const char *)data + i, piece);
        i += piece;
        k++;
        const char *b;
        size_t n;
        int kind;
        while ((kind = mm_lsp_reader_next(&r, &b, &n)) != MM_LSP_READ_MORE) {
            if (kind == MM_LSP_READ_MESSAGE) {
                if (n > MAX_BODY)
                    fail("a message is longer than the limit");
                ev_add(e, 'M', b, n);
                if (srv)
                    mm_lsp_server_text(srv, b, n);
            } else {
                ev_add(e, kind == MM_LSP_READ_BAD_HEADER ? 'B' : 'L', NULL, 0);
            }
        }
        /* unconsumed: at most a header section or a message, plus a piece */
        if (r.cap > 2 * (MAX_BODY + MM_LSP_MAX_HEADER + 128) + 4096)
            fail("the reader holds more than a message and a piece");
        if (size == 0)
            break;
    }
    mm_lsp_reader_free(&r);
}

static void check_output(void *user, const char *json, size_t len)
{
    (void)user;
    cJSON *m = cJSON_ParseWithLength(json, len);
    if (!m || !cJSON_IsObject(m))
        fail("the server wrote something that is not a JSON object");
    cJSON_Delete(m);
}

static const char INIT[] =
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"capabilities\":{"
    "\"general\":{\"positionEncodings\":[\"utf-16\"]},\"textDocument\":{\"completion\":{"
    "\"completionItem\":{\"snippetSupport\":true}},\"documentSymbol\":{"
    "\"hierarchicalDocumentSymbolSupport\":true},\"codeAction\":{\"codeActionLiteralSupport\":{}}}}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int how = data[0] % 66; /* 0: whole; 1..64: fixed pieces; 65: from the data */
    data++;
    size--;

    mm_lsp_options o;
    mm_lsp_options_init(&o);
    o.max_message = MAX_BODY;
    mm_lsp_server *srv = mm_lsp_server_new(&o, check_output, NULL);
    mm_lsp_server_text(srv, INIT, strlen(INIT));

    ev whole = { 0 }, pieces = { 0 };
    read_all(data, size, 0, &whole, srv);
    read_all(data, size, how ? how : 1, &pieces, NULL);
    if (whole.len != pieces.len || (whole.len && memcmp(whole.text, pieces.text, whole.len) != 0))
        fail("the events depend on how the stream is cut");
    free(whole.text);
    free(pieces.text);

    /* whatever came, the server still ends cleanly */
    const char *bye[] = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
    };
    for (int i = 0; i < 2; i++)
        mm_lsp_server_text(srv, bye[i], strlen(bye[i]));
    int st;
    if (!mm_lsp_server_exited(srv, &st))
        fail("exit did not end the server");
    mm_lsp_server_free(srv);
    return 0;
}
