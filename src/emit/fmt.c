/* The canonical formatter: syntax tree -> text. See fmt.h for the layout. */
#include "emit/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trees from code can be arbitrarily deep; past this the block is cut. */
#define FMT_MAX_DEPTH 1000

typedef struct fmtctx {
    strbuf sb;
    const mm_file *f;
    const mm_comment *on_brace; /* already printed after a `{` on its line */
} fmtctx;

static bool span_ok(mm_span s)
{
    return s.start.line != 0;
}

/* Did the source have a blank line between offsets a and b (white space and
 * `;` only in between)? Always false for trees built by code. */
static bool blank_between(const fmtctx *c, uint32_t a, uint32_t b)
{
    const mm_file *f = c->f;
    if (!f->src || b <= a || b > f->len)
        return false;
    int nl = 0;
    for (uint32_t i = a; i < b; i++)
        if (f->src[i] == '\n' && ++nl >= 2)
            return true;
    return false;
}

static void indent(fmtctx *c, int depth)
{
    for (int i = 0; i < depth; i++)
        mm_sb_add(&c->sb, "    ", 4);
}

/* Strip trailing blanks (and a CR) from the line being built. */
static void rstrip(strbuf *sb)
{
    while (sb->len > 0 && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t' ||
                           sb->buf[sb->len - 1] == '\r' || sb->buf[sb->len - 1] == '\f' ||
                           sb->buf[sb->len - 1] == '\v'))
        sb->buf[--sb->len] = '\0';
}

/* A comment's text; lines after the first of a block comment are kept as
 * written, minus trailing blanks. No newline at the end. */
static void put_comment(fmtctx *c, const mm_comment *cm)
{
    const char *s = cm->text;
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        mm_sb_add(&c->sb, s, n);
        rstrip(&c->sb);
        if (!nl)
            break;
        mm_sb_addc(&c->sb, '\n');
        s = nl + 1;
    }
}

void mm_fmt_quote(strbuf *sb, const char *text, size_t len, mm_quote q)
{
    bool triple = q == MM_QUOTE_TRIPLE_DOUBLE || q == MM_QUOTE_TRIPLE_SINGLE;
    bool dbl = q != MM_QUOTE_SINGLE && q != MM_QUOTE_TRIPLE_SINGLE;
    char qc = dbl ? '"' : '\'';
    const char *delim = triple ? (dbl ? "\"\"\"" : "'''") : (dbl ? "\"" : "'");
    mm_sb_adds(sb, delim);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\\') {
            mm_sb_adds(sb, "\\\\");
        } else if (ch == '$' && dbl) {
            mm_sb_adds(sb, "\\$");
        } else if (ch == (unsigned char)qc) {
            /* in a long string a quote only needs escaping where it could
             * close the string: before another quote or at the very end */
            if (!triple || i + 1 == len || text[i + 1] == qc)
                mm_sb_addc(sb, '\\');
            mm_sb_addc(sb, (char)ch);
        } else if (ch == '\n') {
            mm_sb_adds(sb, triple ? "\n" : "\\n");
        } else if (ch == '\t') {
            mm_sb_adds(sb, "\\t");
        } else if (ch == '\r') {
            mm_sb_adds(sb, "\\r");
        } else if (ch == '\b') {
            mm_sb_adds(sb, "\\b");
        } else if (ch == '\f') {
            mm_sb_adds(sb, "\\f");
        } else if (ch < 0x20 || ch == 0x7F) {
            mm_sb_addf(sb, "\\u%04x", ch);
        } else {
            mm_sb_addc(sb, (char)ch);
        }
    }
    mm_sb_adds(sb, delim);
}

static void put_number(strbuf *sb, double v)
{
    if (!isfinite(v)) {
        mm_sb_addc(sb, '0');
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        mm_sb_addf(sb, "%.0f", v);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    mm_sb_adds(sb, buf);
}

void mm_fmt_value(strbuf *sb, const mm_value *v)
{
    switch (v->kind) {
    case MM_VAL_STRING:
        mm_fmt_quote(sb, v->text ? v->text : "", v->text ? v->len : 0, v->quote);
        break;
    case MM_VAL_NUMBER:
        if (v->text && v->len)
            mm_sb_add(sb, v->text, v->len);
        else
            put_number(sb, v->number);
        break;
    case MM_VAL_BOOL:
        mm_sb_adds(sb, v->boolean ? "true" : "false");
        break;
    case MM_VAL_NULL:
        mm_sb_adds(sb, "null");
        break;
    }
}

/* A string keeps its source spelling (quotes, escapes) when we have it. */
static void put_value(fmtctx *c, const mm_value *v)
{
    const mm_file *f = c->f;
    if (v->kind == MM_VAL_STRING && f->src && span_ok(v->span) && v->quote != MM_QUOTE_NONE &&
        v->span.end.off <= f->len && v->span.end.off > v->span.start.off &&
        (f->src[v->span.start.off] == '"' || f->src[v->span.start.off] == '\'')) {
        const char *s = f->src + v->span.start.off, *e = f->src + v->span.end.off;
        for (; s < e; s++)
            if (!(*s == '\r' && s + 1 < e && s[1] == '\n'))
                mm_sb_addc(&c->sb, *s);
        return;
    }
    mm_fmt_value(&c->sb, v);
}

static void put_trailing(fmtctx *c, const mm_node *n, int depth)
{
    bool after_line_comment = false;
    for (const mm_comment *cm = n->trailing; cm; cm = cm->next) {
        if (after_line_comment) {
            mm_sb_addc(&c->sb, '\n');
            indent(c, depth);
        } else {
            mm_sb_addc(&c->sb, ' ');
        }
        put_comment(c, cm);
        after_line_comment = strncmp(cm->text, "//", 2) == 0;
    }
}

static uint32_t end_with_trailing(const mm_node *n)
{
    uint32_t e = n->span.end.off;
    for (const mm_comment *cm = n->trailing; cm; cm = cm->next)
        if (span_ok(cm->span) && cm->span.end.off > e)
            e = cm->span.end.off;
    return e;
}

/* Own-line comments; `from` is where the previous thing ended (for blank
 * lines between them), or UINT32_MAX for "no blank before the first". */
static uint32_t put_comment_lines(fmtctx *c, const mm_comment *list, int depth, uint32_t from)
{
    for (const mm_comment *cm = list; cm; cm = cm->next) {
        if (cm == c->on_brace)
            continue;
        if (from != UINT32_MAX && span_ok(cm->span) && blank_between(c, from, cm->span.start.off))
            mm_sb_addc(&c->sb, '\n');
        indent(c, depth);
        put_comment(c, cm);
        mm_sb_addc(&c->sb, '\n');
        from = span_ok(cm->span) ? cm->span.end.off : UINT32_MAX;
    }
    return from;
}

static void put_node(fmtctx *c, const mm_node *n, int depth, bool first)
{
    if (!first && n->blank_before)
        mm_sb_addc(&c->sb, '\n');
    uint32_t from = put_comment_lines(c, n->leading, depth, UINT32_MAX);
    if (n->leading && from != UINT32_MAX && span_ok(n->span) &&
        blank_between(c, from, n->span.start.off))
        mm_sb_addc(&c->sb, '\n');
    indent(c, depth);
    mm_sb_adds(&c->sb, n->name);
    if (n->kind == MM_NODE_PROPERTY) {
        mm_sb_adds(&c->sb, " = ");
        put_value(c, &n->value);
    } else {
        mm_sb_adds(&c->sb, " {");
        /* a comment that followed the `{` on its line stays there */
        const mm_comment *first_cm = n->first_child ? n->first_child->leading : n->inner;
        if (first_cm && span_ok(first_cm->span) && span_ok(n->open_brace) &&
            first_cm->span.start.line == n->open_brace.start.line &&
            first_cm->span.start.off > n->open_brace.start.off) {
            mm_sb_addc(&c->sb, ' ');
            put_comment(c, first_cm);
            c->on_brace = first_cm;
        }
        mm_sb_addc(&c->sb, '\n');
        const mm_node *last = NULL;
        if (depth < FMT_MAX_DEPTH) {
            for (const mm_node *ch = n->first_child; ch; ch = ch->next) {
                put_node(c, ch, depth + 1, ch == n->first_child);
                last = ch;
            }
        }
        if (n->inner) {
            uint32_t prev = last && span_ok(last->span) ? end_with_trailing(last) : UINT32_MAX;
            put_comment_lines(c, n->inner, depth + 1, prev);
        }
        indent(c, depth);
        mm_sb_addc(&c->sb, '}');
    }
    put_trailing(c, n, depth);
    mm_sb_addc(&c->sb, '\n');
}

/* Top level: a blank line between items where the source had one. */
typedef struct top {
    bool any;
    uint32_t end;   /* where the last item ended, UINT32_MAX if unknown */
} top;

static void top_sep(fmtctx *c, top *t, mm_span next)
{
    if (t->any && t->end != UINT32_MAX && span_ok(next) && blank_between(c, t->end, next.start.off))
        mm_sb_addc(&c->sb, '\n');
}

static void top_comment(fmtctx *c, top *t, const mm_comment *cm)
{
    top_sep(c, t, cm->span);
    put_comment(c, cm);
    mm_sb_addc(&c->sb, '\n');
    t->any = true;
    t->end = span_ok(cm->span) ? cm->span.end.off : UINT32_MAX;
}

char *mm_fmt(const mm_file *f)
{
    fmtctx c = { STRBUF_INIT, f, NULL };
    top t = { false, UINT32_MAX };
    if (f->shebang)
        top_comment(&c, &t, f->shebang);
    const mm_comment *h = f->head;
    bool pkg_spanned = f->package && span_ok(f->package_span);
    while (h && f->package && (!pkg_spanned || !span_ok(h->span) ||
                               h->span.start.off < f->package_span.start.off)) {
        top_comment(&c, &t, h);
        h = h->next;
    }
    if (f->package) {
        top_sep(&c, &t, f->package_span);
        mm_sb_addf(&c.sb, "package %s\n", f->package);
        t.any = true;
        t.end = pkg_spanned ? f->package_span.end.off : UINT32_MAX;
    }
    for (; h; h = h->next)
        top_comment(&c, &t, h);
    if (f->root) {
        top_sep(&c, &t, f->root->span);
        put_node(&c, f->root, 0, true);
        t.any = true;
        t.end = span_ok(f->root->span) ? end_with_trailing(f->root) : UINT32_MAX;
    }
    for (const mm_comment *cm = f->tail; cm; cm = cm->next)
        top_comment(&c, &t, cm);
    return mm_sb_detach(&c.sb);
}
