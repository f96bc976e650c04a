/* The syntax tree: building, freeing, parsing entry points, and attaching
 * comments to the statements they belong to (so `fmt` keeps every one). */
#include "minimesos/ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "base/pool.h"
#include "base/util.h"

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
