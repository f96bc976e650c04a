/* The effective model as JSON (the `config --format json` shape of docs/cli.md).
 *
 * One walk over the schema table (walk_block) writes to one of two sinks:
 * a stream through a 64 KiB buffer (mm_cluster_write_json), so a
 * 10,000-agent model is written without building a second tree, or a cJSON
 * tree (mm_cluster_to_json) for callers that want to edit or embed it. A
 * property added to the table appears in both without an edit here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "minimesos/model.h"
#include "model/schema.h"
#include "base/util.h"

/* ---- streaming writer ---- */

#define JW_BUF   65536
#define JW_DEPTH 16

typedef struct jw {
    FILE *out;
    int err;
    bool indent;
    bool after_key;
    int depth;
    bool nonempty[JW_DEPTH];
    size_t len;
    char buf[JW_BUF];
} jw;

static void jw_flush(jw *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->err = -1;
    w->len = 0;
}

static void jw_raw(jw *w, const char *s, size_t n)
{
    if (n > JW_BUF - w->len) {
        jw_flush(w);
        if (n > JW_BUF) {
            if (fwrite(s, 1, n, w->out) != n)
                w->err = -1;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void jw_c(jw *w, char c)
{
    if (w->len == JW_BUF)
        jw_flush(w);
    w->buf[w->len++] = c;
}

static void jw_newline(jw *w)
{
    static const char spaces[] = "                                ";
    jw_c(w, '\n');
    size_t n = (size_t)w->depth * 2;
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        jw_raw(w, spaces, k);
        n -= k;
    }
}

/* Before a value or a key: the comma and the layout. */
static void jw_sep(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->nonempty[w->depth])
            jw_c(w, ',');
        w->nonempty[w->depth] = true;
        if (w->indent)
            jw_newline(w);
    }
}

static void jw_str_body_n(jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s, *end = s + n;
    for (; s < end; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        jw_raw(w, run, (size_t)(s - run));
        run = s + 1;
        switch (ch) {
        case '"': jw_raw(w, "\\\"", 2); break;
        case '\\': jw_raw(w, "\\\\", 2); break;
        case '\n': jw_raw(w, "\\n", 2); break;
        case '\t': jw_raw(w, "\\t", 2); break;
        case '\r': jw_raw(w, "\\r", 2); break;
        case '\b': jw_raw(w, "\\b", 2); break;
        case '\f': jw_raw(w, "\\f", 2); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
            jw_raw(w, e, 6);
        }
        }
    }
    jw_raw(w, run, (size_t)(s - run));
}

static void jw_str_body(jw *w, const char *s)
{
    jw_str_body_n(w, s, strlen(s));
}

static void jw_string(jw *w, const char *s)
{
    jw_sep(w);
    if (!s) {
        jw_raw(w, "null", 4);
        return;
    }
    jw_c(w, '"');
    jw_str_body(w, s);
    jw_c(w, '"');
}

static void jw_key(jw *w, const char *k)
{
    jw_sep(w);
    jw_c(w, '"');
    jw_raw(w, k, strlen(k)); /* keys are ours: nothing to escape */
    jw_c(w, '"');
    jw_c(w, ':');
    if (w->indent)
        jw_c(w, ' ');
    w->after_key = true;
}

static void jw_bool(jw *w, bool b)
{
    jw_sep(w);
    if (b)
        jw_raw(w, "true", 4);
    else
        jw_raw(w, "false", 5);
}

static void jw_int(jw *w, int v)
{
    char b[16];
    int n = snprintf(b, sizeof b, "%d", v);
    jw_sep(w);
    jw_raw(w, b, (size_t)n);
}

static void jw_double(jw *w, double v)
{
    char b[32];
    mm_sc_format_double(v, b);
    jw_sep(w);
    jw_raw(w, b, strlen(b));
}

static void jw_open(jw *w, char c)
{
    jw_sep(w);
    jw_c(w, c);
    if (w->depth < JW_DEPTH - 1)
        w->depth++;
    w->nonempty[w->depth] = false;
}

static void jw_close(jw *w, char c)
{
    bool had = w->nonempty[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (w->indent && had)
        jw_newline(w);
    jw_c(w, c);
}

/* ---- the sinks ---- */

typedef struct sink sink;
struct sink {
    void (*open)(sink *, char c);               /* '{' or '[' */
    void (*close)(sink *, char c);
    void (*key)(sink *, const char *k);
    void (*string)(sink *, const char *s);      /* NULL: null */
    void (*boolean)(sink *, bool b);
    void (*integer)(sink *, int v);
    void (*number)(sink *, double v);
    void (*mesos_resources)(sink *, const mm_agent *a);
};

/* The streaming sink. */
typedef struct stream_sink {
    sink ops;
    jw *w;
} stream_sink;

#define W(s) (((stream_sink *)(s))->w)
static void st_open(sink *s, char c) { jw_open(W(s), c); }
static void st_close(sink *s, char c) { jw_close(W(s), c); }
static void st_key(sink *s, const char *k) { jw_key(W(s), k); }
static void st_string(sink *s, const char *v) { jw_string(W(s), v); }
static void st_bool(sink *s, bool b) { jw_bool(W(s), b); }
static void st_int(sink *s, int v) { jw_int(W(s), v); }
static void st_number(sink *s, double v) { jw_double(W(s), v); }

/* Pieces of mesosResources: a role or a range may hold anything: escape. */
static void st_put_escaped(void *ctx, const char *text, size_t n)
{
    jw_str_body_n(ctx, text, n);
}

static void st_mesos_resources(sink *s, const mm_agent *a)
{
    jw *w = W(s);
    jw_sep(w);
    jw_c(w, '"');
    mm_agent_mesos_resources_to(a, st_put_escaped, w); /* written in place: no allocation per agent */
    jw_c(w, '"');
}
#undef W

/* The cJSON sink: a stack of the containers being filled. */
typedef struct tree_sink {
    sink ops;
    cJSON *stack[JW_DEPTH];
    int depth;
    const char *key;        /* the key of the next value, in an object */
    cJSON *root;
} tree_sink;

static void tr_add(sink *s, cJSON *v)
{
    tree_sink *t = (tree_sink *)s;
    if (t->depth == 0) {
        t->root = v;
        return;
    }
    cJSON *parent = t->stack[t->depth - 1];
    if (cJSON_IsObject(parent))
        cJSON_AddItemToObject(parent, t->key ? t->key : "", v);
    else
        cJSON_AddItemToArray(parent, v);
    t->key = NULL;
}

static void tr_open(sink *s, char c)
{
    tree_sink *t = (tree_sink *)s;
    cJSON *v = c == '{' ? cJSON_CreateObject() : cJSON_CreateArray();
    tr_add(s, v);
    if (t->depth < JW_DEPTH)
        t->stack[t->depth++] = v;
}

static void tr_close(sink *s, char c)
{
    (void)c;
    tree_sink *t = (tree_sink *)s;
    if (t->depth > 0)
        t->depth--;
}

static void tr_key(sink *s, const char *k) { ((tree_sink *)s)->key = k; }
static void tr_string(sink *s, const char *v) { tr_add(s, v ? cJSON_CreateString(v) : cJSON_CreateNull()); }
static void tr_bool(sink *s, bool b) { tr_add(s, cJSON_CreateBool(b)); }
static void tr_int(sink *s, int v) { tr_add(s, cJSON_CreateNumber(v)); }
static void tr_number(sink *s, double v) { tr_add(s, cJSON_CreateNumber(v)); }

static void tr_mesos_resources(sink *s, const mm_agent *a)
{
    char *mr = mm_agent_mesos_resources(a);
    tr_add(s, cJSON_CreateString(mr));
    free(mr);
}

/* ---- the walk ---- */

static void walk_block(sink *s, const sc_block *b, const void *obj);

static void walk_props(sink *s, const sc_block *b, const void *obj)
{
    for (size_t i = 0; i < b->n_props; i++) {
        const sc_prop *p = &b->props[i];
        s->key(s, p->name);
        switch (p->type) {
        case SC_STRING: s->string(s, SC_FIELD(obj, p, char *)); break;
        case SC_INT: s->integer(s, SC_FIELD(obj, p, int)); break;
        case SC_BOOL: s->boolean(s, SC_FIELD(obj, p, bool)); break;
        case SC_NUMBER: s->number(s, SC_FIELD(obj, p, double)); break;
        }
    }
}

/* A child block under its JSON key: an array for a repeatable block, an
 * object or null for a 0..1 block, an object holding its own children for a
 * block without a struct (resources). */
static void walk_child(sink *s, const sc_block *cb, const void *parent_obj)
{
    s->key(s, mm_sc_json_key(cb));
    size_t n = mm_sc_count(cb, parent_obj);
    if (cb->repeat) {
        s->open(s, '[');
        for (size_t i = 0; i < n; i++)
            walk_block(s, cb, mm_sc_instance(cb, parent_obj, i));
        s->close(s, ']');
    } else if (n == 0) {
        s->string(s, NULL);
    } else {
        walk_block(s, cb, mm_sc_instance(cb, parent_obj, 0));
    }
}

static void walk_block(sink *s, const sc_block *b, const void *obj)
{
    s->open(s, '{');
    walk_props(s, b, obj);
    const sc_block *kids[SC_B__COUNT];
    size_t n = mm_sc_children(b, kids);
    for (size_t i = 0; i < n; i++)
        walk_child(s, kids[i], obj);
    /* Derived, not a property: the agent's resources in Mesos' own form. */
    if (b->id == SC_B_AGENT) {
        s->key(s, "mesosResources");
        s->mesos_resources(s, obj);
    }
    s->close(s, '}');
}

int mm_cluster_write_json(FILE *out, const mm_cluster *c, bool indent)
{
    jw *w = mm_xmalloc(sizeof *w);
    w->out = out;
    w->err = 0;
    w->indent = indent;
    w->after_key = false;
    w->depth = 0;
    w->nonempty[0] = false;
    w->len = 0;
    stream_sink ss = { { st_open, st_close, st_key, st_string, st_bool, st_int, st_number,
                         st_mesos_resources }, w };
    walk_block(&ss.ops, mm_sc_block_get(SC_B_CLUSTER), c);
    jw_c(w, '\n');
    jw_flush(w);
    int err = w->err;
    free(w);
    if (fflush(out) != 0 || ferror(out))
        err = -1;
    return err;
}

cJSON *mm_cluster_to_json(const mm_cluster *c)
{
    tree_sink ts = { { tr_open, tr_close, tr_key, tr_string, tr_bool, tr_int, tr_number,
                       tr_mesos_resources }, { 0 }, 0, NULL, NULL };
    walk_block(&ts.ops, mm_sc_block_get(SC_B_CLUSTER), c);
    return ts.root;
}
