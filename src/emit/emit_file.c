/* The model as a canonical minimesosFile: blocks and properties in schema
 * order, every property explicit, 4-space indent. Driven by the schema table:
 * each row's offset says where the model keeps the value. With
 * SC_EMIT_TEMPLATE (init) it writes a template instead: each row's doc as a
 * comment, loggingLevel inherited from the cluster where it is the same, and
 * derived image tags left to their default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/model.h"
#include "emit/fmt.h"
#include "model/schema.h"
#include "base/util.h"

typedef struct ew {
    strbuf sb;
    unsigned opts;
    const mm_cluster *c;
} ew;

static void indent(ew *w, int depth)
{
    for (int i = 0; i < depth; i++)
        mm_sb_add(&w->sb, "    ", 4);
}

/* A string literal that reads back as s, through the formatter's quoter
 * (one escaping rule for every minimesosFile we write): "..." normally;
 * '...' when s has a `$` (reads better than \$); '''...''' across lines. */
static void write_string(strbuf *sb, const char *s)
{
    mm_quote q = strchr(s, '\n') ? MM_QUOTE_TRIPLE_SINGLE : strchr(s, '$') ? MM_QUOTE_SINGLE
                                                                          : MM_QUOTE_DOUBLE;
    mm_fmt_quote(sb, s, strlen(s), q);
}

static void write_doc(ew *w, const char *doc)
{
    if ((w->opts & SC_EMIT_TEMPLATE) && doc) {
        mm_sb_adds(&w->sb, " // ");
        mm_sb_adds(&w->sb, doc);
    }
}

static void write_props(ew *w, const sc_block *b, const void *obj, int depth)
{
    char num[32];
    for (size_t i = 0; i < b->n_props; i++) {
        const sc_prop *p = &b->props[i];
        if (w->opts & SC_EMIT_TEMPLATE) {
            if (p->flags & SC_F_DERIVED) {
                const char *tag = SC_FIELD(obj, p, char *);
                char *derived = mm_sc_derived_tag(w->c->mesos_version);
                bool same = tag && strcmp(tag, derived) == 0;
                free(derived);
                if (same) {
                    indent(w, depth);
                    mm_sb_addf(&w->sb, "// %s = \"%s\"  (the default: <mesosVersion>%s)\n", p->name,
                            tag, SC_TAG_SUFFIX);
                    continue;
                }
            }
        }
        indent(w, depth);
        mm_sb_adds(&w->sb, p->name);
        mm_sb_adds(&w->sb, " = ");
        switch (p->type) {
        case SC_STRING: {
            const char *s = SC_FIELD(obj, p, char *);
            if (!s)
                mm_sb_adds(&w->sb, "null");
            else if ((w->opts & SC_EMIT_TEMPLATE) && p->rule == SC_R_LEVEL_INHERIT &&
                     w->c->logging_level && strcmp(s, w->c->logging_level) == 0)
                write_string(&w->sb, SC_INHERIT);
            else
                write_string(&w->sb, s);
            break;
        }
        case SC_INT:
            mm_sb_addf(&w->sb, "%d", SC_FIELD(obj, p, int));
            break;
        case SC_BOOL:
            mm_sb_adds(&w->sb, SC_FIELD(obj, p, bool) ? "true" : "false");
            break;
        case SC_NUMBER:
            mm_sb_adds(&w->sb, mm_sc_format_double(SC_FIELD(obj, p, double), num));
            break;
        }
        write_doc(w, p->doc);
        mm_sb_addc(&w->sb, '\n');
    }
}

static void write_block(ew *w, const sc_block *b, const void *obj, int depth);

static void open_block(ew *w, const sc_block *b, int depth)
{
    indent(w, depth);
    mm_sb_adds(&w->sb, b->name);
    mm_sb_adds(&w->sb, " {\n");
    /* a block's doc is its first line, where fmt keeps a comment */
    if ((w->opts & SC_EMIT_TEMPLATE) && b->doc) {
        indent(w, depth + 1);
        mm_sb_adds(&w->sb, "// ");
        mm_sb_adds(&w->sb, b->doc);
        mm_sb_addc(&w->sb, '\n');
    }
}

static void close_block(ew *w, int depth)
{
    indent(w, depth);
    mm_sb_adds(&w->sb, "}\n");
}

/* Every instance of child block cb under obj (of cb's parent block). */
static void write_children_of(ew *w, const sc_block *cb, const void *obj, int depth)
{
    size_t n = mm_sc_count(cb, obj);
    for (size_t i = 0; i < n; i++)
        write_block(w, cb, mm_sc_instance(cb, obj, i), depth);
}

static void write_block(ew *w, const sc_block *b, const void *obj, int depth)
{
    bool top = b->id == SC_B_CLUSTER;
    if (top) {
        mm_sb_adds(&w->sb, "minimesos {\n");
    } else {
        if (b->parent == SC_B_CLUSTER)
            mm_sb_addc(&w->sb, '\n');
        open_block(w, b, depth);
    }
    write_props(w, b, obj, depth + 1);
    for (int id = 0; id < SC_B__COUNT; id++) {
        const sc_block *cb = mm_sc_block_get((sc_block_id)id);
        if (cb->parent == b->id && id != SC_B_CLUSTER)
            write_children_of(w, cb, obj, depth + 1);
    }
    close_block(w, depth);
}

char *mm_sc_emit_minimesosfile(const mm_cluster *c, unsigned opts, const char *header)
{
    ew w = { STRBUF_INIT, opts, c };
    if (header)
        mm_sb_adds(&w.sb, header);
    write_block(&w, mm_sc_block_get(SC_B_CLUSTER), c, 0);
    return mm_sb_detach(&w.sb);
}

char *mm_cluster_to_minimesosfile(const mm_cluster *c)
{
    return mm_sc_emit_minimesosfile(c, 0, NULL);
}
