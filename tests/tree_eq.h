/* Deep equality of two syntax trees, saying where they differ: every node,
 * span, value, comment, blank line and parent link, and the text. Used to
 * check the in-place re-parse (lang/reparse.h) against mm_parse by
 * tests/unit/test_reparse.c and tests/fuzz/fuzz_reparse.c. */
#ifndef MM_TREE_EQ_H
#define MM_TREE_EQ_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "minimesos/ast.h"

/* Where the last comparison found a difference. */
static char why[512];

static bool pos_eq(mm_pos a, mm_pos b) { return a.line == b.line && a.col == b.col && a.off == b.off; }
static bool span_eq(mm_span a, mm_span b) { return pos_eq(a.start, b.start) && pos_eq(a.end, b.end); }

static bool comments_eq(const mm_comment *a, const mm_comment *b, const char *where)
{
    for (; a && b; a = a->next, b = b->next)
        if (strcmp(a->text, b->text) != 0 || !span_eq(a->span, b->span)) {
            snprintf(why, sizeof why, "%s: comment `%s` at %u:%u vs `%s` at %u:%u", where, a->text,
                     a->span.start.line, a->span.start.col, b->text, b->span.start.line,
                     b->span.start.col);
            return false;
        }
    if (a || b) {
        snprintf(why, sizeof why, "%s: %s comment `%s`", where, a ? "extra" : "missing",
                 a ? a->text : b->text);
        return false;
    }
    return true;
}

static bool node_eq(const mm_node *a, const mm_node *b)
{
    char where[200];
    snprintf(where, sizeof where, "`%s` at %u:%u (full: %u:%u)", a->name, a->span.start.line,
             a->span.start.col, b->span.start.line, b->span.start.col);
    if (a->kind != b->kind || strcmp(a->name, b->name) != 0 || !span_eq(a->span, b->span) ||
        !span_eq(a->name_span, b->name_span) || a->blank_before != b->blank_before) {
        snprintf(why, sizeof why, "%s: name, kind, span or blank line differ (%s, blank %d vs %d)",
                 where, b->name, a->blank_before, b->blank_before);
        return false;
    }
    if (!comments_eq(a->leading, b->leading, where) || !comments_eq(a->trailing, b->trailing, where))
        return false;
    if (a->kind == MM_NODE_PROPERTY) {
        const mm_value *x = &a->value, *y = &b->value;
        if (x->kind != y->kind || x->len != y->len || (x->text && memcmp(x->text, y->text, x->len)) ||
            x->is_integer != y->is_integer || x->boolean != y->boolean || x->quote != y->quote ||
            !span_eq(x->span, y->span) || (x->kind == MM_VAL_NUMBER && x->number != y->number)) {
            snprintf(why, sizeof why, "%s: values differ", where);
            return false;
        }
        return true;
    }
    if (!span_eq(a->open_brace, b->open_brace) || !span_eq(a->close_brace, b->close_brace) ||
        a->n_children != b->n_children) {
        snprintf(why, sizeof why, "%s: braces or %u vs %u statements", where, a->n_children,
                 b->n_children);
        return false;
    }
    if (!comments_eq(a->inner, b->inner, where))
        return false;
    const mm_node *x = a->first_child, *y = b->first_child, *lx = NULL;
    uint32_t k = 0;
    for (; x && y; lx = x, x = x->next, y = y->next, k++) {
        if (x->parent != a) {
            snprintf(why, sizeof why, "%s: child %u has the wrong parent", where, k);
            return false;
        }
        if (!node_eq(x, y))
            return false;
    }
    if (x || y || k != a->n_children || a->last_child != lx) {
        snprintf(why, sizeof why, "%s: the child list is broken", where);
        return false;
    }
    return true;
}

static bool file_eq(const mm_file *a, const mm_file *b)
{
    if (a->len != b->len || memcmp(a->src, b->src, a->len) != 0) {
        snprintf(why, sizeof why, "texts differ");
        return false;
    }
    if (!comments_eq(a->head, b->head, "head") || !comments_eq(a->tail, b->tail, "tail"))
        return false;
    if (!a->root || !b->root) {
        snprintf(why, sizeof why, "a root is missing");
        return a->root == b->root;
    }
    return node_eq(a->root, b->root);
}

#endif
