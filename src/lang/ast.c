/* The syntax tree: building, freeing, parsing entry points, and attaching
 * comments to the statements they belong to (so `fmt` keeps every one). */
#include "minimesos/ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "base/pool.h"
#include "base/util.h"
#include "lang/reparse.h"

/* ---- building ---- */

mm_file *mm_file_new(void)
{
    mm_file *f = mm_xcalloc(1, sizeof *f);
    return f;
}

mm_node *mm_node_new_block(const char *name)
{
    mm_node *n = mm_xcalloc(1, sizeof *n);
    n->kind = MM_NODE_BLOCK;
    n->name = mm_xstrdup(name ? name : "");
    return n;
}

mm_node *mm_node_new_property(const char *name, mm_value value)
{
    mm_node *n = mm_xcalloc(1, sizeof *n);
    n->kind = MM_NODE_PROPERTY;
    n->name = mm_xstrdup(name ? name : "");
    n->value = value;
    if (value.text) {
        n->value.text = mm_xstrndup(value.text, value.len);
    } else if (value.kind == MM_VAL_STRING || value.kind == MM_VAL_NUMBER) {
        n->value.text = mm_xstrdup("");
        n->value.len = 0;
    }
    return n;
}

void mm_node_append(mm_node *block, mm_node *child)
{
    child->parent = block;
    child->next = NULL;
    if (block->last_child)
        block->last_child->next = child;
    else
        block->first_child = child;
    block->last_child = child;
    block->n_children++;
}

static void comments_free(mm_comment *c)
{
    while (c) {
        mm_comment *next = c->next;
        free(c->text);
        free(c);
        c = next;
    }
}

/* Iterative, so a tree of any depth (built from code) frees without
 * recursion: each node's children are spliced onto a work list. A pooled
 * node (the parser's) gives back its comments only: it, its name and its
 * value live in the file's pool until mm_file_free. */
void mm_node_free(mm_node *n)
{
    mm_node *work = NULL;
    while (n) {
        if (n->kind == MM_NODE_BLOCK) {
            if (n->first_child) {
                n->last_child->next = work;
                work = n->first_child;
            }
            comments_free(n->inner);
        } else if (!n->pooled) {
            free(n->value.text);
        }
        comments_free(n->leading);
        comments_free(n->trailing);
        if (!n->pooled) {
            free(n->name);
            free(n);
        }
        n = work;
        if (work)
            work = work->next;
    }
}

void mm_file_free(mm_file *f)
{
    if (!f)
        return;
    mm_node_free(f->root);
    mm_pool_free(f->pool);
    comments_free(f->shebang);
    comments_free(f->head);
    comments_free(f->tail);
    free(f->package);
    free(f->filename);
    free(f->src);
    free(f);
}

mm_node *mm_node_child(const mm_node *block, const char *name)
{
    if (!block || block->kind != MM_NODE_BLOCK)
        return NULL;
    for (mm_node *c = block->first_child; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

const char *mm_value_kind_str(mm_value_kind kind)
{
    switch (kind) {
    case MM_VAL_STRING: return "string";
    case MM_VAL_NUMBER: return "number";
    case MM_VAL_BOOL: return "bool";
    case MM_VAL_NULL: return "null";
    }
    return "value";
}

/* ---- input checks before scanning ---- */


/* NUL bytes and invalid UTF-8: report (the first few) and refuse to scan. */
static bool check_bytes(const mm_file *f, mm_diags *d)
{
    const unsigned char *s = (const unsigned char *)f->src;
    mm_pos p = { 1, 1, 0 };
    int reported = 0;
    for (size_t i = 0; i < f->len && reported < 10;) {
        size_t k = s[i] == 0 ? 0 : mm_utf8_seq(s + i, f->len - i);
        if (k == 0) {
            mm_span sp = { p, p };
            sp.end.col++;
            sp.end.off++;
            if (s[i] == 0)
                mm_diag_add(d, MM_E_BAD_CHAR, sp, "a minimesosFile is UTF-8 text",
                            "a NUL byte (the file looks binary)");
            else
                mm_diag_add(d, MM_E_BAD_UTF8, sp, "save the file as UTF-8",
                            "invalid UTF-8 (byte 0x%02X)", s[i]);
            reported++;
            k = 1;
        }
        if (s[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col += (uint32_t)k;
        }
        p.off += (uint32_t)k;
        i += k;
    }
    return reported == 0;
}

/* ---- attaching comments ---- */

typedef struct cursor {
    const char *src;
    mm_comment **c;
    size_t n, i;
    mm_comment **last_list; /* the list pushed to last, and its tail: */
    mm_comment *last_tail;  /* a run of comments into one list stays linear */
} cursor;

static void push_to(cursor *cur, mm_comment **list, mm_comment *c)
{
    c->next = NULL;
    mm_comment *tail;
    if (cur->last_list == list && cur->last_tail) {
        tail = cur->last_tail;
    } else {
        tail = *list;
        while (tail && tail->next)
            tail = tail->next;
    }
    if (tail)
        tail->next = c;
    else
        *list = c;
    cur->last_list = list;
    cur->last_tail = c;
}

#define push(list, c) push_to(cur, (list), (c))

static mm_comment *last_of(mm_comment *c)
{
    while (c && c->next)
        c = c->next;
    return c;
}

/* Did a blank line separate [a, b)? Only white space lies between. */
static bool gap_blank(const char *src, uint32_t a, uint32_t b)
{
    int nl = 0;
    for (uint32_t i = a; i < b; i++)
        if (src[i] == '\n' && ++nl >= 2)
            return true;
    return false;
}

static uint32_t end_with_trailing(const mm_node *n)
{
    mm_comment *t = last_of(n->trailing);
    return t && t->span.end.off > n->span.end.off ? t->span.end.off : n->span.end.off;
}

#define CUR (cur->c[cur->i])

static void attach_block(mm_node *b, cursor *cur)
{
    uint32_t limit = b->close_brace.start.line ? b->close_brace.start.off : b->span.end.off;
    mm_node *prev = NULL;
    for (mm_node *ch = b->first_child; ch; ch = ch->next) {
        while (cur->i < cur->n && CUR->span.start.off < ch->span.start.off) {
            if (prev && CUR->span.start.line == prev->span.end.line)
                push(&prev->trailing, CUR);
            else
                push(&ch->leading, CUR);
            cur->i++;
        }
        uint32_t from = prev ? end_with_trailing(prev) : b->open_brace.end.off;
        uint32_t to = ch->leading ? ch->leading->span.start.off : ch->span.start.off;
        ch->blank_before = from < to && gap_blank(cur->src, from, to);
        if (ch->kind == MM_NODE_BLOCK) {
            while (cur->i < cur->n && CUR->span.start.off < ch->open_brace.start.off)
                push(&ch->leading, cur->c[cur->i++]);
            attach_block(ch, cur);
        } else {
            while (cur->i < cur->n && CUR->span.start.off < ch->span.end.off)
                push(&ch->trailing, cur->c[cur->i++]);
        }
        prev = ch;
    }
    while (cur->i < cur->n && CUR->span.start.off < limit) {
        if (prev && CUR->span.start.line == prev->span.end.line)
            push(&prev->trailing, CUR);
        else
            push(&b->inner, CUR);
        cur->i++;
    }
}

static void attach_comments(mm_file *f, mm_comment **cs, size_t n)
{
    cursor cursor_ = { f->src, cs, n, 0, NULL, NULL }, *cur = &cursor_;
    mm_node *root = f->root;
    while (cur->i < n && (!root || cs[cur->i]->span.start.off < root->span.start.off))
        push(&f->head, cs[cur->i++]);
    if (root) {
        while (cur->i < n && cs[cur->i]->span.start.off < root->open_brace.start.off)
            push(&f->head, cs[cur->i++]);
        attach_block(root, cur);
        while (cur->i < n && cs[cur->i]->span.start.off < root->span.end.off)
            push(&root->inner, cs[cur->i++]);
        while (cur->i < n && cs[cur->i]->span.start.line == root->span.end.line)
            push(&root->trailing, cs[cur->i++]);
    }
    while (cur->i < n)
        push(&f->tail, cs[cur->i++]);
}

/* ---- entry points ---- */

static mm_file *file_too_large(const char *filename, mm_diags *d)
{
    mm_file *f = mm_file_new();
    f->filename = mm_xstrdup(filename);
    mm_span sp = { { 1, 1, 0 }, { 1, 1, 0 } };
    mm_diag_add(d, MM_E_TOO_LARGE, sp, NULL, "file larger than %u bytes",
                (unsigned)MM_MAX_FILE_BYTES);
    f->src = mm_xstrdup("");
    return f;
}

/* Parse src, taking it over as f->src: len bytes of text and two NUL bytes
 * after them, which the scanner reads in place (flex's yy_scan_buffer). */
static mm_file *parse_owned(char *src, size_t len, const char *filename, mm_diags *d)
{
    mm_file *f = mm_file_new();
    f->filename = mm_xstrdup(filename);
    f->src = src;
    f->len = len;
    if (!check_bytes(f, d))
        return f;
    f->pool = mm_pool_new();
    mm_comment **cs = NULL;
    size_t n = 0;
    mm__parse_run(f, d, &cs, &n);
    attach_comments(f, cs, n);
    free(cs);
    return f;
}

mm_file *mm_parse(const char *src, size_t len, const char *filename, mm_diags *d)
{
    if (!filename)
        filename = "<stdin>";
    if (len > MM_MAX_FILE_BYTES)
        return file_too_large(filename, d);
    if (!src)
        len = 0;
    char *copy = mm_xmalloc(len + 2);
    if (len)
        memcpy(copy, src, len);
    copy[len] = copy[len + 1] = '\0';
    return parse_owned(copy, len, filename, d);
}

mm_file *mm_parse_in_place(char *buf, size_t len, const char *filename, mm_diags *d)
{
    mm_file *f;
    if (len > MM_MAX_FILE_BYTES) {
        f = file_too_large(filename ? filename : "<stdin>", d);
        free(f->src);
        f->src = buf; /* borrowed in every case; no text is read */
        return f;
    }
    return parse_owned(buf, len, filename ? filename : "<stdin>", d);
}

mm_file *mm_parse_path(const char *path, mm_diags *d)
{
    size_t len = 0;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    errno = 0;
    char *text = mm_read_all(path, MM_MAX_FILE_BYTES, &len); /* len + 2 bytes, as parse_owned wants */
    if (!text) {
        int err = errno;
        mm_file *f = mm_file_new();
        f->filename = mm_xstrdup(name);
        f->src = mm_xstrdup("");
        mm_span sp = { { 0, 0, 0 }, { 0, 0, 0 } };
        if (err == EFBIG)
            mm_diag_add(d, MM_E_TOO_LARGE, sp, NULL, "file larger than %u bytes",
                        (unsigned)MM_MAX_FILE_BYTES);
        else
            mm_diag_add(d, MM_E_IO, sp, NULL, "cannot read %s: %s", name,
                        strerror(err ? err : EIO));
        return f;
    }
    return parse_owned(text, len, name, d);
}

/* ---- re-parsing one edit in place (lang/reparse.h) ---- */

static uint32_t ext_start(const mm_node *n)
{
    return n->leading ? n->leading->span.start.off : n->span.start.off;
}

static mm_pos ext_start_pos(const mm_node *n)
{
    return n->leading ? n->leading->span.start : n->span.start;
}

static mm_pos end_with_trailing_pos(const mm_node *n)
{
    mm_comment *t = last_of(n->trailing);
    return t && t->span.end.off > n->span.end.off ? t->span.end : n->span.end;
}

/* Where text after an edit moves: a position at or after `from` (old) is
 * moved so that `from` lands on `to` (new); on from's line, columns move too. */
typedef struct shift {
    mm_pos from, to;
} shift;

static void shift_pos(const shift *s, mm_pos *p)
{
    if (p->line == s->from.line)
        p->col = p->col - s->from.col + s->to.col;
    p->line = p->line - s->from.line + s->to.line;
    p->off = p->off - s->from.off + s->to.off;
}

static void shift_span(const shift *s, mm_span *sp)
{
    shift_pos(s, &sp->start);
    shift_pos(s, &sp->end);
}

static void shift_comments(const shift *s, mm_comment *c)
{
    for (; c; c = c->next)
        shift_span(s, &c->span);
}

/* n and everything in it (depth is bounded by MM_MAX_DEPTH). */
static void shift_node(const shift *s, mm_node *n)
{
    shift_span(s, &n->name_span);
    shift_span(s, &n->span);
    shift_comments(s, n->leading);
    shift_comments(s, n->trailing);
    if (n->kind == MM_NODE_PROPERTY) {
        shift_span(s, &n->value.span);
        return;
    }
    shift_span(s, &n->open_brace);
    shift_span(s, &n->close_brace);
    shift_comments(s, n->inner);
    for (mm_node *c = n->first_child; c; c = c->next)
        shift_node(s, c);
}

/* The end of block b (after its last statement) and of every block around
 * it, with what follows each: moved by s. */
static void shift_after(const shift *s, mm_file *f, mm_node *b, mm_node *from_child,
                        bool b_inner)
{
    for (mm_node *c = from_child; c; c = c->next)
        shift_node(s, c);
    if (b_inner)
        shift_comments(s, b->inner);
    for (;;) {
        shift_pos(s, &b->span.end);
        shift_span(s, &b->close_brace);
        shift_comments(s, b->trailing);
        mm_node *up = b->parent;
        if (!up)
            break;
        for (mm_node *c = b->next; c; c = c->next)
            shift_node(s, c);
        shift_comments(s, up->inner);
        b = up;
    }
    shift_comments(s, f->tail);
}

static bool fragment_bytes_ok(const char *src, size_t from, size_t to)
{
    const unsigned char *s = (const unsigned char *)src;
    for (size_t i = from; i < to;) {
        size_t k = s[i] == 0 ? 0 : mm_utf8_seq(s + i, to - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

bool mm_reparse_edit(mm_file *f, const char *src, size_t len, size_t a, size_t b, size_t n)
{
    if (!f || !f->root || !f->pool || len > MM_MAX_FILE_BYTES || b < a || b > f->len ||
        f->len - (b - a) + n != len)
        return false;
    /* the innermost block whose inside (between its braces) holds [a, b] */
    mm_node *blk = f->root;
    unsigned depth = 1;
    if (!blk->close_brace.start.line || a < blk->open_brace.end.off ||
        b > blk->close_brace.start.off)
        return false;
    for (bool down = true; down;) {
        down = false;
        for (mm_node *c = blk->first_child; c; c = c->next) {
            if (c->span.start.off > b)
                break;
            if (c->kind == MM_NODE_BLOCK && c->close_brace.start.line &&
                c->open_brace.end.off <= a && b <= c->close_brace.start.off) {
                blk = c;
                depth++;
                down = true;
                break;
            }
        }
    }
    /* its statements the edit touches (comments included), and the ones
     * just before and after, which stay */
    mm_node *prev = NULL, *first = NULL, *last = NULL, *next = NULL;
    for (mm_node *c = blk->first_child; c; c = c->next) {
        if (end_with_trailing(c) < a)
            prev = c;
        else if (ext_start(c) > b) {
            next = c;
            break;
        } else {
            if (!first)
                first = c;
            last = c;
        }
    }
    mm_pos start = prev ? end_with_trailing_pos(prev) : blk->open_brace.end;
    mm_pos old_end = next ? ext_start_pos(next) : blk->close_brace.start;
    size_t new_end = (size_t)old_end.off - b + a + n;
    if (start.off > a || old_end.off < b || new_end > len || !fragment_bytes_ok(src, start.off, new_end))
        return false;
    int mode = prev ? (next ? MM_FRAG_PREV_NEXT : MM_FRAG_PREV_CLOSE)
                    : (next ? MM_FRAG_OPEN_NEXT : MM_FRAG_OPEN_CLOSE);

    mm_diags d;
    mm_diags_init(&d, f->filename);
    mm_comment **cs = NULL;
    size_t ncs = 0;
    mm_node *frag = mm__parse_fragment(f, src, len, start, new_end, mode, depth, &d, &cs, &ncs);
    mm_diags_free(&d);
    bool ok = frag != NULL;
    /* a comment on the line where the statement before ends is its
     * trailing comment; a line comment at the very end would have run on */
    for (size_t i = 0; ok && i < ncs; i++)
        if (prev && cs[i]->span.start.line == prev->span.end.line)
            ok = false;
    if (ok && ncs && cs[ncs - 1]->span.end.off == new_end && cs[ncs - 1]->text[0] == '/' &&
        cs[ncs - 1]->text[1] == '/')
        ok = false;
    mm_node *new_last = frag && frag->last_child ? frag->last_child : prev;
    /* where the text after the edit moves: from old_end to the fragment's end */
    shift sh;
    sh.from = old_end;
    if (ok) {
        sh.to = start;
        for (size_t i = start.off; i < new_end; i++) {
            if (src[i] == '\n') { /* as the scanner counts (mm__lx_advance) */
                sh.to.line++;
                sh.to.col = 1;
            } else {
                sh.to.col++;
            }
        }
        sh.to.off = (uint32_t)new_end;
        /* the next statement's first comment must not land on the line where
         * the new last statement ends: it would be that one's */
        if (next && next->leading && new_last) {
            mm_pos p = next->leading->span.start;
            shift_pos(&sh, &p);
            if (p.line == new_last->span.end.line)
                ok = false;
        }
    }
    if (!ok) {
        for (size_t i = 0; i < ncs; i++) {
            free(cs[i]->text);
            free(cs[i]);
        }
        free(cs);
        if (frag)
            mm_node_free(frag);
        return false;
    }
    /* comments onto the new statements, as attach_comments does */
    mm_node tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.kind = MM_NODE_BLOCK;
    tmp.first_child = frag->first_child;
    tmp.last_child = frag->last_child;
    tmp.open_brace.end = start;
    tmp.close_brace.start = sh.to;
    cursor cursor_ = { src, cs, ncs, 0, NULL, NULL }, *cur = &cursor_;
    attach_block(&tmp, cur);
    free(cs);

    /* what follows moves; then the new statements replace the old */
    shift_after(&sh, f, blk, next, next != NULL);
    for (mm_node *c = first, *stop = last ? last->next : NULL; c && c != stop;) {
        mm_node *nx = c->next;
        c->next = NULL;
        mm_node_free(c);
        blk->n_children--;
        c = nx;
    }
    for (mm_node *c = frag->first_child; c; c = c->next) {
        c->parent = blk;
        blk->n_children++;
    }
    mm_node *head = frag->first_child ? frag->first_child : next;
    if (prev)
        prev->next = head;
    else
        blk->first_child = head;
    if (frag->last_child)
        frag->last_child->next = next;
    if (!next)
        blk->last_child = frag->last_child ? frag->last_child : prev;
    if (next) {
        /* comments after the new statements, before the next: its own */
        if (tmp.inner) {
            last_of(tmp.inner)->next = next->leading;
            next->leading = tmp.inner;
        }
        uint32_t from = new_last ? end_with_trailing(new_last) : blk->open_brace.end.off;
        uint32_t to = ext_start(next);
        next->blank_before = from < to && gap_blank(src, from, to);
    } else {
        comments_free(blk->inner);
        blk->inner = tmp.inner;
    }
    frag->first_child = frag->last_child = NULL; /* the empty holder stays in the pool */

    if (src == f->src) { /* the caller's buffer (mm_parse_in_place), edited */
        f->len = len;
        return true;
    }
    /* f->src becomes the new text in place: only the edit is written and
     * the rest moved (a fresh copy a keystroke would leave the old one's
     * 6 MB of a large file in the heap, resident) */
    size_t old_len = f->len;
    if (len > old_len)
        f->src = mm_xrealloc(f->src, len + 2);
    memmove(f->src + a + n, f->src + b, old_len - b);
    memcpy(f->src + a, src + a, n);
    f->src[len] = f->src[len + 1] = '\0';
    f->len = len;
    return true;
}
