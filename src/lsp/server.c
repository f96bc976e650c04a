/* The server: the lifecycle (initialize, shutdown, exit), the documents
 * (didOpen, didChange full and incremental, didClose), diagnostics, and the
 * dispatch of requests to what features.c answers.
 *
 * Diagnostics are those of `minimesos lint`: the same parse, the same model
 * build, the same sort; only spans are converted to the client's positions.
 * A document is checked once per batch of messages, after all of them were
 * applied (see mm_lsp_server_batch). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"
#include "base/pool.h"
#include "base/util.h"
#include "lang/reparse.h"
#include "minimesos/model.h"
#include "minimesos/runtime.h"

enum { S_NEW, S_RUNNING, S_SHUTDOWN, S_EXITED };

struct mm_lsp_server {
    mm_lsp_options opt;
    mm_lsp_write_fn write;
    void *user;
    int state;
    int exit_status;
    mm_lsp_client_caps caps;
    mm_lsp_doc *docs;
    size_t checks;
    size_t full_parses, reparses;   /* how checks got their tree (for the tests) */
    cJSON **cancelled;      /* ids cancelled in the current batch */
    size_t n_cancelled, cap_cancelled;
};

void mm_lsp_options_init(mm_lsp_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_message = MM_LSP_MAX_MESSAGE;
}

mm_lsp_server *mm_lsp_server_new(const mm_lsp_options *o, mm_lsp_write_fn write, void *user)
{
    mm_lsp_server *s = mm_xcalloc(1, sizeof *s);
    if (o)
        s->opt = *o;
    else
        mm_lsp_options_init(&s->opt);
    if (!s->opt.max_message)
        s->opt.max_message = MM_LSP_MAX_MESSAGE;
    s->write = write;
    s->user = user;
    s->state = S_NEW;
    s->exit_status = 1;
    s->caps.enc = MM_LSP_UTF16;
    s->caps.markdown_hover = s->caps.markdown_completion = true;
    return s;
}

/* The tree borrows the text's buffer (mm_parse_in_place): it lets go of it
 * first. */
static void tree_free(mm_lsp_doc *d)
{
    if (!d->file)
        return;
    d->file->src = NULL;
    mm_file_free(d->file);
    d->file = NULL;
}

/* The text's buffer changed (and may have moved): the tree follows it. A
 * tree that is not current is only ever freed (analyse), never read. */
static void text_moved(mm_lsp_doc *d)
{
    if (d->file)
        d->file->src = d->text.buf;
}

static void doc_free(mm_lsp_doc *d)
{
    free(d->uri);
    tree_free(d);
    mm_lsp_text_free(&d->text);
    mm_diags_free(&d->diags);
    free(d);
}

void mm_lsp_server_free(mm_lsp_server *s)
{
    if (!s)
        return;
    for (mm_lsp_doc *d = s->docs, *next; d; d = next) {
        next = d->next;
        doc_free(d);
    }
    for (size_t i = 0; i < s->n_cancelled; i++)
        cJSON_Delete(s->cancelled[i]);
    free(s->cancelled);
    free(s);
}

bool mm_lsp_server_exited(const mm_lsp_server *s, int *status)
{
    if (s->state != S_EXITED)
        return false;
    if (status)
        *status = s->exit_status;
    return true;
}

int mm_lsp_server_eof_status(const mm_lsp_server *s)
{
    if (s->state == S_EXITED)
        return s->exit_status;
    return s->state == S_SHUTDOWN ? 0 : 1;
}

size_t mm_lsp_server_checks(const mm_lsp_server *s)
{
    return s->checks;
}

size_t mm_lsp_server_full_parses(const mm_lsp_server *s)
{
    return s->full_parses;
}

size_t mm_lsp_server_reparses(const mm_lsp_server *s)
{
    return s->reparses;
}

void mm_lsp_server_log(mm_lsp_server *s, const char *fmt, ...)
{
    if (!s->opt.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    strbuf sb = STRBUF_INIT;
    mm_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    s->opt.log(s->opt.log_user, sb.buf);
    mm_sb_free(&sb);
}

/* ---- sending ---- */

static void send(mm_lsp_server *s, cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (text) {
        s->write(s->user, text, strlen(text));
        free(text);
    }
    cJSON_Delete(msg);
}

static cJSON *envelope(void)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    return m;
}

static void add_id(cJSON *m, const cJSON *id)
{
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
}

static void respond(mm_lsp_server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = envelope();
    add_id(m, id);
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    send(s, m);
}

static void respond_error(mm_lsp_server *s, const cJSON *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void respond_error(mm_lsp_server *s, const cJSON *id, int code, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    mm_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    cJSON *m = envelope();
    add_id(m, id);
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", sb.buf ? sb.buf : "");
    mm_sb_free(&sb);
    send(s, m);
}

static void notify(mm_lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = envelope();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send(s, m);
}

void mm_lsp_server_wire_error(mm_lsp_server *s, int code, const char *message)
{
    mm_lsp_server_log(s, "%s", message);
    respond_error(s, NULL, code, "%s", message);
}

/* ---- reading params ---- */

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *get_str(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool get_bool(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(get(o, key));
}

/* A string array holding s. */
static bool has_string(const cJSON *arr, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return true;
    return false;
}

static bool get_uint(const cJSON *o, const char *key, uint32_t *out)
{
    const cJSON *v = get(o, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0))
        return false;
    *out = v->valuedouble >= 4294967295.0 ? UINT32_MAX : (uint32_t)v->valuedouble;
    return true;
}

bool mm_lsp_get_position(const cJSON *pos, mm_lsp_pos *out)
{
    return get_uint(pos, "line", &out->line) && get_uint(pos, "character", &out->character);
}

/* ---- documents ---- */

static mm_lsp_doc *doc_find(mm_lsp_server *s, const char *uri)
{
    for (mm_lsp_doc *d = s->docs; d; d = d->next)
        if (strcmp(d->uri, uri) == 0)
            return d;
    return NULL;
}

static void doc_remove(mm_lsp_server *s, const char *uri)
{
    for (mm_lsp_doc **p = &s->docs; *p; p = &(*p)->next)
        if (strcmp((*p)->uri, uri) == 0) {
            mm_lsp_doc *d = *p;
            *p = d->next;
            doc_free(d);
            return;
        }
}

/* Parse and check, exactly as `lint` does; once per text. A tree that
 * edits kept current by re-parsing in place (did_change) is not parsed
 * again: it is what mm_parse would give, and had no parse diagnostic. */
static void analyse(mm_lsp_server *s, mm_lsp_doc *d)
{
    if (d->analysed)
        return;
    mm_diags_free(&d->diags);
    mm_diags_init(&d->diags, d->uri);
    if (!d->tree_current || !d->tree_clean) {
        /* the old tree goes before the new one is built, which reads the
         * text in place (one copy of it, not two) */
        tree_free(d);
        if (!d->text.buf)
            mm_lsp_text_set(&d->text, "", 0);
        d->file = mm_parse_in_place(d->text.buf, d->text.len, d->uri, &d->diags);
        d->syntax_errors = mm_diags_count(&d->diags, MM_SEV_ERROR) > 0;
        d->tree_clean = d->diags.len == 0;
        d->tree_current = true;
        d->pool_base = d->file->pool ? mm_pool_footprint(d->file->pool) : 0;
        s->full_parses++;
    } else {
        d->syntax_errors = false;
    }
    mm_cluster *c = mm_cluster_build(d->file, 0, &d->diags);
    mm_cluster_free(c);
    mm_diags_sort(&d->diags);
    d->analysed = true;
    s->checks++;
}

/* After the edit [a, b) <- n bytes of d's text: keep d's tree current by
 * re-parsing in place when it can be, else mark it for a full parse. The
 * statements re-parsing replaces stay in the tree's pool: past twice the
 * pool of the full parse (and a megabyte), the next parse is a full one. */
static void reparse_edit(mm_lsp_server *s, mm_lsp_doc *d, size_t a, size_t b, size_t n)
{
    if (d->tree_current && d->tree_clean && d->file && d->file->pool &&
        mm_pool_footprint(d->file->pool) <= 2 * d->pool_base + (1u << 20) &&
        (text_moved(d), mm_reparse_edit(d->file, d->text.buf, d->text.len, a, b, n))) {
        s->reparses++;
        return;
    }
    text_moved(d);
    d->tree_current = false;
}

cJSON *mm_lsp_range_json(mm_lsp_doc *d, mm_lsp_enc enc, size_t a, size_t b)
{
    if (b < a)
        b = a;
    mm_lsp_pos p = mm_lsp_text_position(&d->text, a, enc);
    mm_lsp_pos q = mm_lsp_text_position(&d->text, b, enc);
    cJSON *r = cJSON_CreateObject();
    cJSON *st = cJSON_AddObjectToObject(r, "start");
    cJSON_AddNumberToObject(st, "line", p.line);
    cJSON_AddNumberToObject(st, "character", p.character);
    cJSON *en = cJSON_AddObjectToObject(r, "end");
    cJSON_AddNumberToObject(en, "line", q.line);
    cJSON_AddNumberToObject(en, "character", q.character);
    return r;
}

static cJSON *span_range(mm_lsp_doc *d, mm_lsp_enc enc, mm_span sp)
{
    if (sp.start.line == 0) /* no place in the file (an I/O or size error) */
        return mm_lsp_range_json(d, enc, 0, 0);
    return mm_lsp_range_json(d, enc, sp.start.off, sp.end.off);
}

cJSON *mm_lsp_diag_json(mm_lsp_doc *d, mm_lsp_enc enc, const mm_diag *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "range", span_range(d, enc, g->span));
    cJSON_AddNumberToObject(o, "severity", g->severity == MM_SEV_ERROR ? 1
                                           : g->severity == MM_SEV_WARNING ? 2 : 3);
    cJSON_AddStringToObject(o, "code", mm_diag_code_str(g->code));
    cJSON_AddStringToObject(o, "source", "minimesos");
    /* as `lint --format gcc` writes it: the hint after the message */
    if (g->hint) {
        char *m = mm_xasprintf("%s; hint: %s", g->message, g->hint);
        cJSON_AddStringToObject(o, "message", m);
        free(m);
    } else {
        cJSON_AddStringToObject(o, "message", g->message);
    }
    if (g->has_related && g->related.start.line) {
        cJSON *arr = cJSON_AddArrayToObject(o, "relatedInformation");
        cJSON *ri = cJSON_CreateObject();
        cJSON *loc = cJSON_AddObjectToObject(ri, "location");
        cJSON_AddStringToObject(loc, "uri", d->uri);
        cJSON_AddItemToObject(loc, "range", span_range(d, enc, g->related));
        cJSON_AddStringToObject(ri, "message", "the earlier one");
        cJSON_AddItemToArray(arr, ri);
    }
    return o;
}

static void publish(mm_lsp_server *s, mm_lsp_doc *d)
{
    analyse(s, d);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", d->uri);
    cJSON_AddNumberToObject(p, "version", (double)d->version);
    cJSON *arr = cJSON_AddArrayToObject(p, "diagnostics");
    for (size_t i = 0; i < d->diags.len; i++)
        cJSON_AddItemToArray(arr, mm_lsp_diag_json(d, s->caps.enc, &d->diags.items[i]));
    notify(s, "textDocument/publishDiagnostics", p);
    d->publish = false;
}

static void did_open(mm_lsp_server *s, const cJSON *params)
{
    const cJSON *td = get(params, "textDocument");
    const char *uri = get_str(td, "uri"), *text = get_str(td, "text");
    const cJSON *version = get(td, "version");
    if (!uri || !text) {
        mm_lsp_server_log(s, "didOpen without a textDocument uri and text: ignored");
        return;
    }
    mm_lsp_doc *d = doc_find(s, uri);
    if (!d) {
        d = mm_xcalloc(1, sizeof *d);
        d->uri = mm_xstrdup(uri);
        mm_lsp_text_init(&d->text);
        mm_diags_init(&d->diags, uri);
        d->next = s->docs;
        s->docs = d;
    }
    mm_lsp_text_set(&d->text, text, strlen(text));
    text_moved(d);
    d->tree_current = false;
    d->version = cJSON_IsNumber(version) ? (int64_t)version->valuedouble : 0;
    d->analysed = false;
    d->publish = true;
}

/* The index of the last change without a range (a whole new text): the
 * changes before it do not matter. -1 when every change has a range. */
static int last_full_change(const cJSON *changes)
{
    int i = 0, last = -1;
    const cJSON *c;
    cJSON_ArrayForEach(c, changes) {
        if (!get(c, "range"))
            last = i;
        i++;
    }
    return last;
}

/* A whole new text (full sync): what differs from the old one is found
 * (the common start and end) and applied as one edit, so a tree kept
 * current stays current when that edit can be re-parsed in place. */
static void set_text(mm_lsp_server *s, mm_lsp_doc *d, const char *text, size_t n)
{
    const char *old = d->text.buf ? d->text.buf : "";
    size_t len = d->text.len, p = 0, q = 0;
    if (!d->tree_current || !d->tree_clean) {
        mm_lsp_text_set(&d->text, text, n);
        text_moved(d);
        d->tree_current = false;
        return;
    }
    while (p < len && p < n && old[p] == text[p])
        p++;
    while (q < len - p && q < n - p && old[len - 1 - q] == text[n - 1 - q])
        q++;
    if (!mm_lsp_text_replace(&d->text, p, len - q, text + p, n - q - p)) {
        mm_lsp_text_set(&d->text, text, n);
        text_moved(d);
        d->tree_current = false;
        return;
    }
    reparse_edit(s, d, p, len - q, n - q - p);
}

static void did_change(mm_lsp_server *s, const cJSON *params)
{
    const cJSON *td = get(params, "textDocument");
    const char *uri = get_str(td, "uri");
    const cJSON *changes = get(params, "contentChanges");
    if (!uri || !cJSON_IsArray(changes)) {
        mm_lsp_server_log(s, "didChange without a textDocument uri and contentChanges: ignored");
        return;
    }
    mm_lsp_doc *d = doc_find(s, uri);
    if (!d) {
        mm_lsp_server_log(s, "didChange of %s, which is not open: ignored", uri);
        return;
    }
    int from = last_full_change(changes), i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, changes) {
        if (i++ < from)
            continue;
        const char *text = get_str(c, "text");
        const cJSON *range = get(c, "range");
        if (!text) {
            mm_lsp_server_log(s, "didChange of %s: a change without text: ignored", uri);
            continue;
        }
        if (!range) {
            set_text(s, d, text, strlen(text));
            continue;
        }
        mm_lsp_pos p, q;
        if (!mm_lsp_get_position(get(range, "start"), &p) ||
            !mm_lsp_get_position(get(range, "end"), &q)) {
            mm_lsp_server_log(s, "didChange of %s: a range that is not one: ignored", uri);
            continue;
        }
        size_t a = mm_lsp_text_offset(&d->text, p, s->caps.enc);
        size_t b = mm_lsp_text_offset(&d->text, q, s->caps.enc);
        if (b < a) {
            size_t t = a;
            a = b;
            b = t;
        }
        size_t n = strlen(text);
        if (!mm_lsp_text_replace(&d->text, a, b, text, n))
            mm_lsp_server_log(s, "didChange of %s: the text would be larger than %u bytes: "
                                 "edit refused", uri, (unsigned)MM_LSP_MAX_DOC);
        else
            reparse_edit(s, d, a, b, n);
    }
    const cJSON *version = get(td, "version");
    if (cJSON_IsNumber(version))
        d->version = (int64_t)version->valuedouble;
    d->analysed = false;
    d->publish = true;
}

static void did_close(mm_lsp_server *s, const cJSON *params)
{
    const char *uri = get_str(get(params, "textDocument"), "uri");
    if (!uri || !doc_find(s, uri))
        return;
    doc_remove(s, uri);
    /* its diagnostics go with it */
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddArrayToObject(p, "diagnostics");
    notify(s, "textDocument/publishDiagnostics", p);
}

/* ---- lifecycle ---- */

static cJSON *initialize(mm_lsp_server *s, const cJSON *params)
{
    const cJSON *caps = get(params, "capabilities");
    const cJSON *general = get(caps, "general");
    const cJSON *encs = get(general, "positionEncodings");
    const cJSON *clangd_encs = get(caps, "offsetEncoding"); /* the clangd extension before 3.17 */
    bool clangd = false;
    /* utf-8 when offered (no conversion of the parser's byte columns), else
     * the protocol's mandatory utf-16 */
    if (cJSON_IsArray(encs))
        s->caps.enc = has_string(encs, "utf-8") ? MM_LSP_UTF8 : MM_LSP_UTF16;
    else if (cJSON_IsArray(clangd_encs) && has_string(clangd_encs, "utf-8"))
        s->caps.enc = MM_LSP_UTF8, clangd = true;
    else
        s->caps.enc = MM_LSP_UTF16;

    const cJSON *td = get(caps, "textDocument");
    const cJSON *item = get(get(td, "completion"), "completionItem");
    s->caps.snippets = get_bool(item, "snippetSupport");
    const cJSON *df = get(item, "documentationFormat");
    s->caps.markdown_completion = !cJSON_IsArray(df) || has_string(df, "markdown");
    const cJSON *hf = get(get(td, "hover"), "contentFormat");
    s->caps.markdown_hover = !cJSON_IsArray(hf) || has_string(hf, "markdown");
    s->caps.hierarchical_symbols =
        get_bool(get(td, "documentSymbol"), "hierarchicalDocumentSymbolSupport");
    bool action_literals = get(get(td, "codeAction"), "codeActionLiteralSupport") != NULL;

    cJSON *r = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
    cJSON_AddStringToObject(c, "positionEncoding", mm_lsp_enc_name(s->caps.enc));
    cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 2); /* Incremental */
    cJSON_AddBoolToObject(c, "hoverProvider", true);
    cJSON *comp = cJSON_AddObjectToObject(c, "completionProvider");
    cJSON *trig = cJSON_AddArrayToObject(comp, "triggerCharacters");
    cJSON_AddItemToArray(trig, cJSON_CreateString("="));
    cJSON_AddItemToArray(trig, cJSON_CreateString("\""));
    cJSON_AddBoolToObject(comp, "resolveProvider", false);
    cJSON_AddBoolToObject(c, "documentFormattingProvider", true);
    cJSON_AddBoolToObject(c, "documentSymbolProvider", true);
    if (action_literals) {
        cJSON *ca = cJSON_AddObjectToObject(c, "codeActionProvider");
        cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
        cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    } else {
        cJSON_AddBoolToObject(c, "codeActionProvider", true);
    }
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "minimesos");
    cJSON_AddStringToObject(info, "version", MINIMESOS_VERSION);
    if (clangd)
        cJSON_AddStringToObject(r, "offsetEncoding", "utf-8");
    return r;
}

/* ---- dispatch ---- */

/* The requests on a document, each answered by features.c. */
typedef cJSON *(*answer_fn)(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params,
                            int *err_code, char **err_msg);

static cJSON *hover(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *p, int *e, char **m)
{
    (void)e, (void)m;
    return mm_lsp_hover(d, c, p);
}
static cJSON *completion(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *p, int *e, char **m)
{
    (void)e, (void)m;
    return mm_lsp_completion(d, c, p);
}
static cJSON *symbols(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *p, int *e, char **m)
{
    (void)e, (void)m;
    return mm_lsp_symbols(d, c, p);
}
static cJSON *actions(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *p, int *e, char **m)
{
    (void)e, (void)m;
    return mm_lsp_code_actions(d, c, p);
}

static const struct feature {
    const char *method;
    answer_fn answer;
} features[] = {
    { "textDocument/hover", hover },
    { "textDocument/completion", completion },
    { "textDocument/formatting", mm_lsp_formatting },
    { "textDocument/documentSymbol", symbols },
    { "textDocument/codeAction", actions },
};

static const struct feature *feature_of(const char *method)
{
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
        if (strcmp(features[i].method, method) == 0)
            return &features[i];
    return NULL;
}

static bool cancelled(mm_lsp_server *s, const cJSON *id)
{
    for (size_t i = 0; i < s->n_cancelled; i++)
        if (cJSON_Compare(s->cancelled[i], id, true))
            return true;
    return false;
}

static void notification(mm_lsp_server *s, const char *method, const cJSON *params, bool moot)
{
    if (strcmp(method, "exit") == 0) {
        s->exit_status = s->state == S_SHUTDOWN ? 0 : 1;
        s->state = S_EXITED;
        return;
    }
    if (s->state != S_RUNNING)
        return; /* before initialize and after shutdown, notifications are dropped */
    if (strcmp(method, "textDocument/didOpen") == 0)
        did_open(s, params);
    else if (strcmp(method, "textDocument/didChange") == 0) {
        if (!moot)
            did_change(s, params);
    } else if (strcmp(method, "textDocument/didClose") == 0)
        did_close(s, params);
    /* initialized, $/cancelRequest (see batch), $/setTrace, didSave,
     * didChangeConfiguration and anything else: nothing to do */
}

static void request(mm_lsp_server *s, const cJSON *id, const char *method, const cJSON *params)
{
    if (s->state == S_NEW) {
        if (strcmp(method, "initialize") == 0) {
            respond(s, id, initialize(s, params));
            s->state = S_RUNNING;
        } else {
            respond_error(s, id, MM_LSP_SERVER_NOT_INITIALIZED,
                          "`%s` before `initialize`", method);
        }
        return;
    }
    if (s->state == S_SHUTDOWN) {
        respond_error(s, id, MM_LSP_INVALID_REQUEST, "`%s` after `shutdown`: only `exit` now",
                      method);
        return;
    }
    if (cancelled(s, id)) {
        respond_error(s, id, MM_LSP_REQUEST_CANCELLED, "`%s` was cancelled", method);
        return;
    }
    const struct feature *f = feature_of(method);
    if (f) {
        const char *uri = get_str(get(params, "textDocument"), "uri");
        mm_lsp_doc *d = uri ? doc_find(s, uri) : NULL;
        if (!d) {
            respond_error(s, id, MM_LSP_INVALID_PARAMS, "`%s`: %s%s", method,
                          uri ? "no open document " : "no textDocument.uri", uri ? uri : "");
            return;
        }
        analyse(s, d);
        int code = 0;
        char *why = NULL;
        cJSON *result = f->answer(d, &s->caps, params, &code, &why);
        if (code)
            respond_error(s, id, code, "%s", why ? why : "failed");
        else
            respond(s, id, result);
        free(why);
    } else if (strcmp(method, "initialize") == 0) {
        respond_error(s, id, MM_LSP_INVALID_REQUEST, "`initialize` was already sent");
    } else if (strcmp(method, "shutdown") == 0) {
        /* what the edits before it changed is still reported */
        for (mm_lsp_doc *d = s->docs; d; d = d->next)
            if (d->publish)
                publish(s, d);
        s->state = S_SHUTDOWN;
        respond(s, id, NULL);
    } else {
        respond_error(s, id, MM_LSP_METHOD_NOT_FOUND, "no method `%s`", method);
    }
}

static void handle(mm_lsp_server *s, const cJSON *m, bool moot)
{
    if (!cJSON_IsObject(m)) {
        respond_error(s, NULL, MM_LSP_INVALID_REQUEST, "a message is a JSON object");
        return;
    }
    const cJSON *id = get(m, "id");
    const cJSON *method = get(m, "method");
    const cJSON *params = get(m, "params");
    const cJSON *jr = get(m, "jsonrpc");
    if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id) && !cJSON_IsNull(id)) {
        respond_error(s, NULL, MM_LSP_INVALID_REQUEST, "an id is a number or a string");
        return;
    }
    if (!method) {
        if (get(m, "result") || get(m, "error"))
            return; /* a response: the server sends no requests, so it answers none of ours */
        respond_error(s, id, MM_LSP_INVALID_REQUEST, "a message without a method");
        return;
    }
    if (!cJSON_IsString(method) || !cJSON_IsString(jr) || strcmp(jr->valuestring, "2.0") != 0) {
        if (id)
            respond_error(s, id, MM_LSP_INVALID_REQUEST,
                          "a request needs \"jsonrpc\": \"2.0\" and a method name");
        else
            mm_lsp_server_log(s, "a notification without \"jsonrpc\": \"2.0\" or a method name: "
                                 "ignored");
        return;
    }
    if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
        if (id)
            respond_error(s, id, MM_LSP_INVALID_PARAMS, "params is an object or an array");
        return;
    }
    if (id)
        request(s, id, method->valuestring, params);
    else
        notification(s, method->valuestring, params, moot);
}

static const char *method_of(const cJSON *m)
{
    return get_str(m, "method");
}

static const char *doc_uri_of(const cJSON *m)
{
    return get_str(get(get(m, "params"), "textDocument"), "uri");
}

void mm_lsp_server_batch(mm_lsp_server *s, cJSON **msgs, size_t n)
{
    if (s->state == S_EXITED) {
        for (size_t i = 0; i < n; i++) {
            cJSON_Delete(msgs[i]);
            msgs[i] = NULL;
        }
        return;
    }
    if (n == 0)
        return;
    /* $/cancelRequest anywhere in the batch */
    for (size_t i = 0; i < n; i++) {
        const char *m = method_of(msgs[i]);
        if (m && strcmp(m, "$/cancelRequest") == 0 && !get(msgs[i], "id")) {
            const cJSON *id = get(get(msgs[i], "params"), "id");
            if (cJSON_IsNumber(id) || cJSON_IsString(id)) {
                s->cancelled = mm_xgrow(s->cancelled, &s->cap_cancelled, s->n_cancelled + 1,
                                        sizeof *s->cancelled);
                s->cancelled[s->n_cancelled++] = cJSON_Duplicate(id, true);
            }
        }
    }
    /* Edits that a later whole text, open or close of the same document
     * replaces (with no request about it in between): from the last
     * message back, remember the documents so replaced. */
    bool *moot = mm_xcalloc(n, sizeof *moot);
    const char **replaced = mm_xmalloc(n * sizeof *replaced);
    size_t n_replaced = 0;
    for (size_t i = n; i-- > 0;) {
        const char *m = method_of(msgs[i]), *uri = doc_uri_of(msgs[i]);
        if (!m || !uri)
            continue;
        if (get(msgs[i], "id")) {
            /* a request about the document needs the edits before it */
            for (size_t k = 0; k < n_replaced; k++)
                if (strcmp(replaced[k], uri) == 0)
                    replaced[k--] = replaced[--n_replaced];
            continue;
        }
        bool change = strcmp(m, "textDocument/didChange") == 0;
        if (!change && strcmp(m, "textDocument/didOpen") != 0 &&
            strcmp(m, "textDocument/didClose") != 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n_replaced && !seen; k++)
            seen = strcmp(replaced[k], uri) == 0;
        if (change && seen) {
            moot[i] = true;
            continue;
        }
        if (!seen && (!change || last_full_change(get(get(msgs[i], "params"), "contentChanges")) >= 0))
            replaced[n_replaced++] = uri;
    }
    free(replaced);
    /* each message is let go as soon as it is handled: a whole text sent
     * with a change is not kept through the check that follows */
    for (size_t i = 0; i < n; i++) {
        if (s->state != S_EXITED)
            handle(s, msgs[i], moot[i]);
        cJSON_Delete(msgs[i]);
        msgs[i] = NULL;
    }
    free(moot);
    for (size_t i = 0; i < s->n_cancelled; i++)
        cJSON_Delete(s->cancelled[i]);
    s->n_cancelled = 0;
    if (s->state == S_RUNNING)
        for (mm_lsp_doc *d = s->docs; d; d = d->next)
            if (d->publish)
                publish(s, d);
}

cJSON *mm_lsp_parse_json(const char *json, size_t len, size_t *err_at)
{
    const char *end = NULL;
    cJSON *m = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (m) {
        /* nothing but white space may follow the value */
        while (end < json + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
            end++;
        if (end != json + len) {
            cJSON_Delete(m);
            m = NULL;
        }
    }
    if (!m && err_at)
        *err_at = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
    return m;
}

void mm_lsp_server_not_json(mm_lsp_server *s, size_t err_at, size_t len)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the content is not JSON (at byte %zu of %zu)", err_at, len);
    mm_lsp_server_wire_error(s, MM_LSP_PARSE_ERROR, msg);
}

void mm_lsp_server_text(mm_lsp_server *s, const char *json, size_t len)
{
    size_t at = 0;
    cJSON *m = mm_lsp_parse_json(json, len, &at);
    if (!m)
        mm_lsp_server_not_json(s, at, len);
    else
        mm_lsp_server_batch(s, &m, 1);
}
