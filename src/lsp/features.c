/* What the server answers about a document, all from what the rest of the
 * library already has: hover and completion from the schema table's rows
 * (type, default, allowed values, doc line: the same text as
 * docs/language.md), formatting from mm_fmt, the outline from the syntax
 * tree, quick fixes from the hints of the diagnostics `lint` gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"
#include "base/util.h"
#include "minimesos/fmt.h"
#include "model/schema.h"

/* ---- the tree at a byte offset ---- */

static bool span_has(mm_span s, size_t off)
{
    return s.start.line && s.start.off <= off && off <= s.end.off;
}

/* Between a block's braces (an unclosed block runs to the end). */
static bool inside(const mm_node *b, size_t off)
{
    if (b->kind != MM_NODE_BLOCK || !b->open_brace.start.line || off < b->open_brace.end.off)
        return false;
    return b->close_brace.start.line == 0 || off <= b->close_brace.start.off;
}

static const sc_block *root_schema(const mm_node *root)
{
    return root && root->name && strcmp(root->name, "minimesos") == 0
        ? mm_sc_block_get(SC_B_CLUSTER) : NULL;
}

static const sc_block *child_schema(const sc_block *parent, const mm_node *n)
{
    return parent && n->name ? mm_sc_child_find(parent, n->name) : NULL;
}

/* The innermost block whose braces hold off, and its schema (NULL when it
 * has none). NULL outside the root block. */
static const mm_node *block_at(const mm_file *f, size_t off, const sc_block **sb)
{
    const mm_node *cur = f->root;
    *sb = NULL;
    if (!cur || !inside(cur, off))
        return NULL;
    *sb = root_schema(cur);
    for (;;) {
        const mm_node *next = NULL;
        for (const mm_node *c = cur->first_child; c && !next; c = c->next)
            if (inside(c, off))
                next = c;
        if (!next)
            return cur;
        *sb = child_schema(*sb, next);
        cur = next;
    }
}

/* The statement whose name (or value) is at off, and the schema of the
 * block it is in. */
static const mm_node *node_at(const mm_file *f, size_t off, const sc_block **owner)
{
    const mm_node *cur = f->root;
    const sc_block *sb = NULL;
    *owner = NULL;
    if (!cur)
        return NULL;
    if (span_has(cur->name_span, off))
        return cur;
    if (!inside(cur, off))
        return NULL;
    sb = root_schema(cur);
    for (;;) {
        const mm_node *next = NULL;
        for (const mm_node *c = cur->first_child; c; c = c->next) {
            if (span_has(c->name_span, off) ||
                (c->kind == MM_NODE_PROPERTY && span_has(c->value.span, off))) {
                *owner = sb;
                return c;
            }
            if (inside(c, off)) {
                next = c;
                break;
            }
        }
        if (!next)
            return NULL;
        sb = child_schema(sb, next);
        cur = next;
    }
}

/* ---- what the table says ---- */

static void add_names(strbuf *sb, const char *label, const char *const *names, size_t n)
{
    if (!n)
        return;
    mm_sb_addf(sb, "\n- %s: ", label);
    for (size_t i = 0; i < n; i++)
        mm_sb_addf(sb, "%s`%s`", i ? ", " : "", names[i]);
}

/* Markdown for a property row of block b. */
static char *prop_doc(const sc_block *b, const sc_prop *p)
{
    strbuf sb = STRBUF_INIT;
    char *def = mm_sc_prop_default_text(p), *allowed = mm_sc_prop_allowed_text(p);
    mm_sb_addf(&sb, "`%s`: %s property of the `%s` block\n\n%s\n", p->name,
               mm_sc_type_name(p->type), b->name, p->doc);
    if (p->flags & SC_F_REQUIRED)
        mm_sb_adds(&sb, "\n- required: the block must set it");
    else
        mm_sb_addf(&sb, "\n- default: `%s`", def);
    if (*allowed)
        mm_sb_addf(&sb, "\n- allowed: %s", allowed);
    free(def);
    free(allowed);
    return mm_sb_detach(&sb);
}

/* Markdown for a block row. */
static char *block_doc(const sc_block *b)
{
    strbuf sb = STRBUF_INIT;
    const sc_block *parent = mm_sc_block_get(b->parent);
    if (parent)
        mm_sb_addf(&sb, "`%s`: block in `%s`, %s\n\n%s\n", b->name, parent->name,
                   b->repeat ? "any number of them" : "at most one", b->doc);
    else
        mm_sb_addf(&sb, "`%s`: the cluster block, one a file\n\n%s\n", b->name, b->doc);
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < b->n_props && n < 64; i++)
        names[n++] = b->props[i].name;
    add_names(&sb, "properties", names, n);
    const sc_block *kids[SC_B__COUNT];
    size_t k = mm_sc_children(b, kids);
    for (size_t i = 0; i < k; i++)
        names[i] = kids[i]->name;
    add_names(&sb, "blocks", names, k);
    const sc_block *need = mm_sc_block_get(b->requires);
    if (need)
        mm_sb_addf(&sb, "\n- needs: a `%s` block", need->name);
    return mm_sb_detach(&sb);
}

static cJSON *markup(const char *text, bool markdown)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "kind", markdown ? "markdown" : "plaintext");
    cJSON_AddStringToObject(m, "value", text);
    return m;
}

static bool get_doc_position(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params,
                             size_t *off)
{
    mm_lsp_pos p;
    if (!mm_lsp_get_position(cJSON_GetObjectItemCaseSensitive(params, "position"), &p))
        return false;
    *off = mm_lsp_text_offset(&d->text, p, c->enc);
    return true;
}

/* ---- hover ---- */

cJSON *mm_lsp_hover(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params)
{
    size_t off;
    if (!d->file || !get_doc_position(d, c, params, &off))
        return NULL;
    const sc_block *owner;
    const mm_node *n = node_at(d->file, off, &owner);
    if (!n || !n->name)
        return NULL;
    char *text = NULL;
    if (n == d->file->root) {
        const sc_block *b = root_schema(n);
        text = b ? block_doc(b) : NULL;
    } else if (owner && n->kind == MM_NODE_BLOCK) {
        const sc_block *b = mm_sc_child_find(owner, n->name);
        text = b ? block_doc(b) : NULL;
    } else if (owner) {
        const sc_prop *p = mm_sc_prop_find(owner, n->name);
        const char *to = p ? NULL : mm_sc_renamed(owner, n->name);
        if (p)
            text = prop_doc(owner, p);
        else if (to)
            text = mm_xasprintf("`%s`: renamed to `%s`", n->name, to);
    }
    if (!text)
        return NULL;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "contents", markup(text, c->markdown_hover));
    cJSON_AddItemToObject(r, "range",
                          mm_lsp_range_json(d, c->enc, n->name_span.start.off, n->name_span.end.off));
    free(text);
    return r;
}

/* ---- completion ---- */

enum { KIND_PROPERTY = 10, KIND_VALUE = 12, KIND_ENUM_MEMBER = 20, KIND_STRUCT = 22 };

/* Text for a snippet: `$`, `}` and `\` escaped. */
static void snippet_text(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '$' || *s == '}' || *s == '\\')
            mm_sb_addc(sb, '\\');
        mm_sb_addc(sb, *s);
    }
}

static void add_item(cJSON *items, const char *label, int kind, const char *detail, char *doc,
                     bool markdown, mm_lsp_doc *d, const mm_lsp_client_caps *c, size_t a, size_t b,
                     const char *new_text, bool snippet, const char *filter, int order)
{
    cJSON *it = cJSON_CreateObject();
    cJSON_AddStringToObject(it, "label", label);
    cJSON_AddNumberToObject(it, "kind", kind);
    if (detail)
        cJSON_AddStringToObject(it, "detail", detail);
    if (doc) {
        cJSON_AddItemToObject(it, "documentation", markup(doc, markdown));
        free(doc);
    }
    char sort[16];
    snprintf(sort, sizeof sort, "%04d", order);
    cJSON_AddStringToObject(it, "sortText", sort);
    if (filter)
        cJSON_AddStringToObject(it, "filterText", filter);
    cJSON *te = cJSON_AddObjectToObject(it, "textEdit");
    cJSON_AddItemToObject(te, "range", mm_lsp_range_json(d, c->enc, a, b));
    cJSON_AddStringToObject(te, "newText", new_text);
    cJSON_AddNumberToObject(it, "insertTextFormat", snippet ? 2 : 1);
    cJSON_AddItemToArray(items, it);
}

static bool ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* Where the cursor is, read from its line: a statement's name being typed
 * ([name_a, off)), or a value after `name =` ([val_a, off), name in
 * [name_a, name_b), quote the quote typed or 0), or neither. */
typedef struct cursor {
    enum { AT_NOTHING, AT_NAME, AT_VALUE } at;
    size_t name_a, name_b, val_a;
    char quote;
    bool space_before; /* white space between `=` and the value */
} cursor;

static cursor read_cursor(mm_lsp_doc *d, size_t off)
{
    cursor k = { AT_NOTHING, 0, 0, 0, 0, false };
    const char *s = d->text.buf;
    size_t ls = mm_lsp_text_line_start(&d->text, off);
    /* the statement starts after the last `{`, `}` or `;` outside quotes */
    size_t st = ls;
    char q = 0;
    for (size_t i = ls; i < off; i++) {
        char ch = s[i];
        if (q) {
            if (ch == '\\')
                i++;
            else if (ch == q)
                q = 0;
        } else if (ch == '"' || ch == '\'') {
            q = ch;
        } else if (ch == '{' || ch == '}' || ch == ';') {
            st = i + 1;
        } else if (ch == '/' && i + 1 < off && (s[i + 1] == '/' || s[i + 1] == '*')) {
            return k; /* in a comment */
        } else if (ch == '#') {
            return k;
        }
    }
    size_t p = st;
    while (p < off && (s[p] == ' ' || s[p] == '\t'))
        p++;
    k.name_a = p;
    if (p < off && !(ident_char(s[p]) && !(s[p] >= '0' && s[p] <= '9')))
        return k;
    while (p < off && ident_char(s[p]))
        p++;
    k.name_b = p;
    if (p == off) {
        k.at = AT_NAME;
        return k;
    }
    if (k.name_b == k.name_a)
        return k;
    while (p < off && (s[p] == ' ' || s[p] == '\t'))
        p++;
    if (p == off || s[p] != '=')
        return k;
    p++;
    k.space_before = p < off && (s[p] == ' ' || s[p] == '\t');
    while (p < off && (s[p] == ' ' || s[p] == '\t'))
        p++;
    k.val_a = p;
    if (p < off && (s[p] == '"' || s[p] == '\'')) {
        k.quote = s[p];
        for (size_t i = p + 1; i < off; i++)
            if (s[i] == k.quote || s[i] == '\\')
                return k; /* a closed string, or an escape: not a plain word */
    } else {
        for (size_t i = p; i < off; i++)
            if (!ident_char(s[i]) && s[i] != '.')
                return k;
    }
    k.at = AT_VALUE;
    return k;
}

/* The values a property takes from a fixed list: bools, levels, versions
 * (the table's lists), and null where allowed. */
static void value_items(cJSON *items, mm_lsp_doc *d, const mm_lsp_client_caps *c,
                        const sc_prop *p, const cursor *k, size_t off)
{
    const char *words[32];
    size_t n = 0;
    bool strings = p->type == SC_STRING;
    if (p->type == SC_BOOL) {
        words[n++] = "true";
        words[n++] = "false";
    } else if (p->rule == SC_R_LEVEL || p->rule == SC_R_LEVEL_INHERIT) {
        if (p->rule == SC_R_LEVEL_INHERIT)
            words[n++] = SC_INHERIT;
        for (size_t i = 0; mm_sc_levels[i]; i++)
            words[n++] = mm_sc_levels[i];
    } else if (p->rule == SC_R_VERSION) {
        for (size_t i = 0; mm_sc_mesos_versions[i] && n < 30; i++)
            words[n++] = mm_sc_mesos_versions[i];
    }
    if (n == 0)
        return;
    size_t nwords = n;
    if (p->flags & SC_F_NULLABLE)
        words[n++] = "null";
    /* the edit replaces what was typed of the value, and a closing quote
     * the editor put after the cursor */
    size_t b = off;
    if (k->quote && b < d->text.len && d->text.buf[b] == k->quote)
        b++;
    char quote = k->quote ? k->quote : '"';
    char *def = mm_sc_prop_default_text(p);
    for (size_t i = 0; i < n; i++) {
        bool quoted = strings && i < nwords;
        strbuf t = STRBUF_INIT;
        if (k->val_a == off && !k->space_before && !k->quote)
            mm_sb_addc(&t, ' ');
        size_t lead = t.len;
        if (quoted)
            mm_sb_addc(&t, quote);
        mm_sb_adds(&t, words[i]);
        if (quoted)
            mm_sb_addc(&t, quote);
        /* is it the default? (the default text is quoted with ") */
        char *as_default = quoted ? mm_xasprintf("\"%s\"", words[i]) : mm_xstrdup(words[i]);
        bool is_def = strcmp(as_default, def) == 0;
        free(as_default);
        add_item(items, words[i], p->type == SC_BOOL || !quoted ? KIND_VALUE : KIND_ENUM_MEMBER,
                 is_def ? "the default" : NULL, NULL, false, d, c, k->val_a, b, t.buf, false,
                 t.buf + lead, (int)i);
        mm_sb_free(&t);
    }
    free(def);
}

/* `name = ` with the default as a placeholder (a snippet), or plain. */
static char *prop_insert(const sc_prop *p, bool snippets)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_addf(&sb, "%s = ", p->name);
    if (!snippets)
        return mm_sb_detach(&sb);
    bool none = (p->flags & (SC_F_REQUIRED | SC_F_DERIVED)) != 0;
    switch (p->type) {
    case SC_BOOL:
        mm_sb_adds(&sb, p->def_num ? "${1|true,false|}" : "${1|false,true|}");
        break;
    case SC_INT:
    case SC_NUMBER:
        if (none)
            mm_sb_adds(&sb, "$1");
        else
            mm_sb_addf(&sb, "${1:%ld}", p->def_num);
        break;
    case SC_STRING:
        if (none || !p->def_str || !*p->def_str) {
            mm_sb_adds(&sb, "\"$1\"");
        } else {
            mm_sb_adds(&sb, "\"${1:");
            snippet_text(&sb, p->def_str);
            mm_sb_adds(&sb, "}\"");
        }
        break;
    }
    mm_sb_adds(&sb, "$0");
    return mm_sb_detach(&sb);
}

static void statement_items(cJSON *items, mm_lsp_doc *d, const mm_lsp_client_caps *c,
                            const mm_node *blk, const sc_block *sb, const cursor *k, size_t off)
{
    if (!blk) {
        /* outside the root block: only the root block, if there is none */
        if (d->file->root)
            return;
        add_item(items, "minimesos", KIND_STRUCT, "the cluster block",
                 block_doc(mm_sc_block_get(SC_B_CLUSTER)), c->markdown_completion, d, c, k->name_a,
                 off, c->snippets ? "minimesos {\n\t$0\n}" : "minimesos {\n}", c->snippets, NULL, 0);
        return;
    }
    if (!sb)
        return;
    /* what the block sets already (the statement being typed aside) */
    bool set[64] = { false }, present[SC_B__COUNT] = { false };
    for (const mm_node *n = blk->first_child; n; n = n->next) {
        if (!n->name || span_has(n->name_span, off))
            continue;
        if (n->kind == MM_NODE_PROPERTY) {
            const sc_prop *p = mm_sc_prop_find(sb, n->name);
            if (p && (size_t)(p - sb->props) < 64)
                set[p - sb->props] = true;
        } else {
            const sc_block *cb = mm_sc_child_find(sb, n->name);
            if (cb)
                present[cb->id] = true;
        }
    }
    int order = 0;
    for (size_t i = 0; i < sb->n_props && i < 64; i++) {
        const sc_prop *p = &sb->props[i];
        if (set[i])
            continue;
        char *def = mm_sc_prop_default_text(p);
        char *detail = (p->flags & SC_F_REQUIRED) ? mm_xasprintf("%s, required", mm_sc_type_name(p->type))
                                                   : mm_xasprintf("%s = %s", mm_sc_type_name(p->type), def);
        char *ins = prop_insert(p, c->snippets);
        add_item(items, p->name, KIND_PROPERTY, detail, prop_doc(sb, p), c->markdown_completion, d, c,
                 k->name_a, off, ins, c->snippets, NULL, order++);
        free(ins);
        free(detail);
        free(def);
    }
    const sc_block *kids[SC_B__COUNT];
    size_t nk = mm_sc_children(sb, kids);
    for (size_t i = 0; i < nk; i++) {
        const sc_block *cb = kids[i];
        if (present[cb->id] && !cb->repeat)
            continue;
        char *ins = c->snippets ? mm_xasprintf("%s {\n\t$0\n}", cb->name)
                                : mm_xasprintf("%s {\n}", cb->name);
        add_item(items, cb->name, KIND_STRUCT, cb->repeat ? "block (repeatable)" : "block",
                 block_doc(cb), c->markdown_completion, d, c, k->name_a, off, ins, c->snippets, NULL,
                 100 + order++);
        free(ins);
    }
}

cJSON *mm_lsp_completion(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params)
{
    size_t off;
    cJSON *list = cJSON_CreateObject();
    cJSON_AddBoolToObject(list, "isIncomplete", false);
    cJSON *items = cJSON_AddArrayToObject(list, "items");
    if (!d->file || !get_doc_position(d, c, params, &off))
        return list;
    cursor k = read_cursor(d, off);
    const sc_block *sb;
    const mm_node *blk = block_at(d->file, off, &sb);
    if (k.at == AT_NAME) {
        statement_items(items, d, c, blk, sb, &k, off);
    } else if (k.at == AT_VALUE && sb) {
        char *name = mm_xstrndup(d->text.buf + k.name_a, k.name_b - k.name_a);
        const sc_prop *p = mm_sc_prop_find(sb, name);
        free(name);
        if (p)
            value_items(items, d, c, p, &k, off);
    }
    return list;
}

/* ---- formatting ---- */

cJSON *mm_lsp_formatting(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params,
                         int *err_code, char **err_msg)
{
    (void)params; /* tab size and spaces: the canonical layout has its own */
    if (d->syntax_errors) {
        const mm_diag *first = NULL;
        for (size_t i = 0; i < d->diags.len && !first; i++)
            if (d->diags.items[i].severity == MM_SEV_ERROR &&
                d->diags.items[i].code < MM_E_UNKNOWN_PROP)
                first = &d->diags.items[i];
        *err_code = MM_LSP_REQUEST_FAILED;
        if (first && first->span.start.line)
            *err_msg = mm_xasprintf("not formatted: the file has syntax errors (the first at line "
                                    "%u, column %u: %s)", (unsigned)first->span.start.line,
                                    (unsigned)first->span.start.col, first->message);
        else
            *err_msg = mm_xstrdup("not formatted: the file has syntax errors");
        return NULL;
    }
    char *out = mm_fmt(d->file);
    cJSON *edits = cJSON_CreateArray();
    size_t n = strlen(out);
    if (n != d->text.len || memcmp(out, d->text.buf, n) != 0) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "range", mm_lsp_range_json(d, c->enc, 0, d->text.len));
        cJSON_AddStringToObject(e, "newText", out);
        cJSON_AddItemToArray(edits, e);
    }
    free(out);
    return edits;
}

/* ---- document symbols ---- */

enum { SYM_MODULE = 2, SYM_STRUCT = 23 };

/* "agent 2" for the second agent block among its siblings; the name alone
 * for a block that cannot repeat. */
static char *symbol_name(const mm_node *n, const sc_block *b)
{
    if (!b || !b->repeat || !n->parent)
        return mm_xstrdup(n->name);
    size_t k = 0;
    for (const mm_node *s = n->parent->first_child; s; s = s->next) {
        if (s->kind == MM_NODE_BLOCK && s->name && strcmp(s->name, n->name) == 0)
            k++;
        if (s == n)
            break;
    }
    return mm_xasprintf("%s %zu", n->name, k);
}

static const char *symbol_detail(const mm_node *n, const sc_block *b)
{
    if (b && b->id == SC_B_CLUSTER) {
        const mm_node *name = mm_node_child(n, "clusterName");
        if (name && name->kind == MM_NODE_PROPERTY && name->value.kind == MM_VAL_STRING)
            return name->value.text;
    }
    return b ? b->doc : "not a block of the language";
}

static void symbols_of(cJSON *out, mm_lsp_doc *d, const mm_lsp_client_caps *c, const mm_node *n,
                       const sc_block *b, const char *container)
{
    char *name = symbol_name(n, b);
    cJSON *sym = cJSON_CreateObject();
    cJSON_AddStringToObject(sym, "name", name);
    cJSON_AddNumberToObject(sym, "kind", b && b->id == SC_B_CLUSTER ? SYM_MODULE : SYM_STRUCT);
    cJSON *range = mm_lsp_range_json(d, c->enc, n->span.start.off, n->span.end.off);
    cJSON *kids_out = out;
    if (c->hierarchical_symbols) {
        cJSON_AddStringToObject(sym, "detail", symbol_detail(n, b));
        cJSON_AddItemToObject(sym, "range", range);
        cJSON_AddItemToObject(sym, "selectionRange", mm_lsp_range_json(d, c->enc, n->name_span.start.off,
                                                                       n->name_span.end.off));
        kids_out = cJSON_AddArrayToObject(sym, "children");
    } else {
        cJSON *loc = cJSON_AddObjectToObject(sym, "location");
        cJSON_AddStringToObject(loc, "uri", d->uri);
        cJSON_AddItemToObject(loc, "range", range);
        if (container)
            cJSON_AddStringToObject(sym, "containerName", container);
    }
    cJSON_AddItemToArray(out, sym);
    for (const mm_node *k = n->first_child; k; k = k->next)
        if (k->kind == MM_NODE_BLOCK && k->name)
            symbols_of(kids_out, d, c, k, child_schema(b, k), name);
    free(name);
}

cJSON *mm_lsp_symbols(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params)
{
    (void)params;
    cJSON *out = cJSON_CreateArray();
    if (d->file && d->file->root)
        symbols_of(out, d, c, d->file->root, root_schema(d->file->root), NULL);
    return out;
}

/* ---- quick fixes ---- */

/* The `x` of a hint "PREFIX`x`...", or NULL. malloc'd. */
static char *quoted_after(const char *hint, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!hint || strncmp(hint, prefix, n) != 0)
        return NULL;
    const char *a = hint + n, *b = strchr(a, '`');
    if (!b || b == a)
        return NULL;
    return mm_xstrndup(a, (size_t)(b - a));
}

/* The VALUE of a hint "PREFIX name = VALUE", or NULL. malloc'd. */
static char *value_after(const char *hint, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!hint || strncmp(hint, prefix, n) != 0)
        return NULL;
    const char *eq = strstr(hint + n, " = ");
    return eq && eq[3] ? mm_xstrdup(eq + 3) : NULL;
}

/* The fix a diagnostic's hint spells out: replace its span by *text. */
static char *fix_of(const mm_diag *g, mm_lsp_doc *d, char **text)
{
    char *was = mm_xstrndup(d->text.buf + g->span.start.off, g->span.end.off - g->span.start.off);
    char *title = NULL;
    if ((*text = quoted_after(g->hint, "did you mean `")))
        title = mm_xasprintf("Change `%s` to `%s`", was, *text);
    else if ((*text = quoted_after(g->hint, "rename it to `")))
        title = mm_xasprintf("Rename `%s` to `%s`", was, *text);
    else if ((*text = value_after(g->hint, "remove the quotes:")))
        title = mm_xasprintf("Remove the quotes: %s", *text);
    else if ((*text = value_after(g->hint, "put it in quotes:")))
        title = mm_xasprintf("Put it in quotes: %s", *text);
    free(was);
    return title;
}

static bool wants_quickfix(const cJSON *only)
{
    if (!cJSON_IsArray(only))
        return true;
    const cJSON *k;
    cJSON_ArrayForEach(k, only)
        if (cJSON_IsString(k) && (strcmp(k->valuestring, "quickfix") == 0 || !*k->valuestring))
            return true;
    return false;
}

cJSON *mm_lsp_code_actions(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
    const cJSON *context = cJSON_GetObjectItemCaseSensitive(params, "context");
    mm_lsp_pos p, q;
    if (!mm_lsp_get_position(cJSON_GetObjectItemCaseSensitive(range, "start"), &p) ||
        !mm_lsp_get_position(cJSON_GetObjectItemCaseSensitive(range, "end"), &q) ||
        !wants_quickfix(cJSON_GetObjectItemCaseSensitive(context, "only")))
        return out;
    size_t a = mm_lsp_text_offset(&d->text, p, c->enc), b = mm_lsp_text_offset(&d->text, q, c->enc);
    if (b < a) {
        size_t t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < d->diags.len; i++) {
        const mm_diag *g = &d->diags.items[i];
        if (!g->span.start.line || !g->hint || g->span.end.off < g->span.start.off ||
            g->span.end.off > d->text.len || g->span.start.off > b || a > g->span.end.off)
            continue;
        char *text = NULL;
        char *title = fix_of(g, d, &text);
        if (!title) {
            free(text);
            continue;
        }
        cJSON *act = cJSON_CreateObject();
        cJSON_AddStringToObject(act, "title", title);
        cJSON_AddStringToObject(act, "kind", "quickfix");
        cJSON *diags = cJSON_AddArrayToObject(act, "diagnostics");
        cJSON_AddItemToArray(diags, mm_lsp_diag_json(d, c->enc, g));
        cJSON_AddBoolToObject(act, "isPreferred", true);
        cJSON *edit = cJSON_AddObjectToObject(act, "edit");
        cJSON *changes = cJSON_AddObjectToObject(edit, "changes");
        cJSON *edits = cJSON_AddArrayToObject(changes, d->uri);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "range", mm_lsp_range_json(d, c->enc, g->span.start.off,
                                                            g->span.end.off));
        cJSON_AddStringToObject(e, "newText", text);
        cJSON_AddItemToArray(edits, e);
        cJSON_AddItemToArray(out, act);
        free(title);
        free(text);
    }
    return out;
}
