/* minimesosFile <-> literal JSON. See convert.h. */
#include "minimesos/convert.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/schema.h"

/* From the schema table: a name is repeatable when its block is (a block
 * name means the same block wherever it appears). */
bool mm_convert_repeatable(const char *name)
{
    for (size_t id = 0; id < SC_B__COUNT; id++) {
        const sc_block *b = mm_sc_block_get((sc_block_id)id);
        if (b->repeat && strcmp(b->name, name) == 0)
            return true;
    }
    return false;
}

/* "agent, app, group, cpu, mem, disk and ports", for messages. malloc'd. */
static char *repeatable_list(void)
{
    const char *names[SC_B__COUNT];
    size_t n = 0;
    for (size_t id = 0; id < SC_B__COUNT; id++) {
        const sc_block *b = mm_sc_block_get((sc_block_id)id);
        if (b->repeat)
            names[n++] = b->name;
    }
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        mm_sb_addf(&sb, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
    return mm_sb_detach(&sb);
}

/* ---- tree -> JSON ---- */

static cJSON *value_json(const mm_value *v)
{
    switch (v->kind) {
    case MM_VAL_STRING: return cJSON_CreateString(v->text ? v->text : "");
    case MM_VAL_NUMBER: return cJSON_CreateNumber(v->number);
    case MM_VAL_BOOL: return cJSON_CreateBool(v->boolean);
    case MM_VAL_NULL: return cJSON_CreateNull();
    }
    return cJSON_CreateNull();
}

/* Names seen in one block: the first node so named and its JSON member.
 * A hash table, so a block with very many children stays linear. */
typedef struct seen {
    const mm_node *first;
    cJSON *item;
} seen;

typedef struct seen_set {
    seen *slots;
    size_t mask;
} seen_set;

static void seen_init(seen_set *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    t->slots = mm_xcalloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
}

/* The slot for name: either its entry or the empty slot to fill. */
static seen *seen_slot(seen_set *t, const char *name)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask)
        if (!t->slots[i].first || strcmp(t->slots[i].first->name, name) == 0)
            return &t->slots[i];
}

static cJSON *block_json(const mm_node *b, mm_diags *d, int depth)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = true;
    if (depth > MM_MAX_DEPTH + 1) {
        mm_diag_add(d, MM_E_TOO_DEEP, b->name_span, NULL,
                    "blocks are nested more than %d levels deep", MM_MAX_DEPTH);
        cJSON_Delete(o);
        return NULL;
    }
    seen_set names;
    seen_init(&names, b->n_children);
    for (const mm_node *c = b->first_child; c; c = c->next) {
        seen *sl = seen_slot(&names, c->name);
        const mm_node *first = sl->first;
        if (first && first->kind != c->kind) {
            mm_diag_add_related(d, MM_E_SYNTAX, c->name_span, first->name_span,
                                "JSON has one member per name",
                                "`%s` is used for both a property and a block", c->name);
            ok = false;
            continue;
        }
        if (c->kind == MM_NODE_PROPERTY) {
            cJSON *v = value_json(&c->value);
            if (first) {
                v->string = mm_xstrdup(c->name); /* the replacement carries the key */
                cJSON_ReplaceItemViaPointer(o, sl->item, v);
            }
            else {
                cJSON_AddItemToObject(o, c->name, v);
            }
            sl->first = first ? first : c;
            sl->item = v;
            continue;
        }
        cJSON *sub = block_json(c, d, depth + 1);
        if (!sub) {
            ok = false;
            if (!first)
                sl->first = c;
            continue;
        }
        if (mm_convert_repeatable(c->name)) {
            if (!sl->item) {
                sl->item = cJSON_CreateArray();
                cJSON_AddItemToObject(o, c->name, sl->item);
            }
            cJSON_AddItemToArray(sl->item, sub);
            sl->first = first ? first : c;
        } else if (first) {
            mm_diag_add_related(d, MM_E_DUPLICATE_BLOCK, c->name_span, first->name_span, NULL,
                                "a second `%s` block (the first is at line %u)", c->name,
                                (unsigned)first->name_span.start.line);
            cJSON_Delete(sub);
            ok = false;
        } else {
            cJSON_AddItemToObject(o, c->name, sub);
            sl->first = c;
            sl->item = sub;
        }
    }
    free(names.slots);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *mm_convert_to_json(const mm_file *f, mm_diags *d)
{
    if (!f->root)
        return cJSON_CreateObject();
    return block_json(f->root, d, 1);
}

/* ---- JSON -> tree ---- */

static bool is_ident(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static const mm_span no_span;

static void number_text(double v, char buf[40])
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        snprintf(buf, 40, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}


static bool json_block(const cJSON *obj, mm_node *b, strbuf *path, int depth, mm_diags *d);

static bool json_member(const cJSON *it, const char *key, mm_node *b, strbuf *path, int depth,
                        mm_diags *d)
{
    mm_value v;
    memset(&v, 0, sizeof v);
    char num[40];
    if (cJSON_IsObject(it)) {
        if (depth >= MM_MAX_DEPTH) {
            mm_diag_add(d, MM_E_TOO_DEEP, no_span, NULL,
                        "`%s`: blocks nested more than %d levels deep", path->buf, MM_MAX_DEPTH);
            return false;
        }
        mm_node *sub = mm_node_new_block(key);
        sub->blank_before = b->n_children > 0;  /* blocks stand apart */
        mm_node_append(b, sub);
        return json_block(it, sub, path, depth + 1, d);
    }
    if (cJSON_IsArray(it)) {
        if (!mm_convert_repeatable(key)) {
            char *names = repeatable_list();
            char *hint = mm_xasprintf("only %s blocks repeat", names);
            mm_diag_add(d, MM_E_BAD_JSON, no_span, hint,
                        "`%s`: an array is only allowed for a repeatable block", path->buf);
            free(hint);
            free(names);
            return false;
        }
        size_t base = path->len;
        int i = 0;
        bool ok = true;
        for (const cJSON *e = it->child; e; e = e->next, i++) {
            path->len = base;
            path->buf[base] = '\0';
            mm_sb_addf(path, "[%d]", i);
            if (!cJSON_IsObject(e)) {
                mm_diag_add(d, MM_E_BAD_JSON, no_span, "each element is one block: {...}",
                            "`%s`: an array element must be an object", path->buf);
                ok = false;
                continue;
            }
            if (depth >= MM_MAX_DEPTH) {
                mm_diag_add(d, MM_E_TOO_DEEP, no_span, NULL,
                            "`%s`: blocks nested more than %d levels deep", path->buf,
                            MM_MAX_DEPTH);
                return false;
            }
            mm_node *sub = mm_node_new_block(key);
            sub->blank_before = b->n_children > 0;  /* blocks stand apart */
            mm_node_append(b, sub);
            if (!json_block(e, sub, path, depth + 1, d))
                ok = false;
        }
        path->len = base;
        path->buf[base] = '\0';
        return ok;
    }
    if (cJSON_IsString(it)) {
        v.kind = MM_VAL_STRING;
        v.text = it->valuestring;
        v.len = strlen(it->valuestring);
        if (v.len > MM_MAX_STRING_BYTES) {
            mm_diag_add(d, MM_E_TOO_LARGE, no_span, NULL, "`%s`: string longer than %u bytes",
                        path->buf, (unsigned)MM_MAX_STRING_BYTES);
            return false;
        }
        if (!mm_utf8_valid(v.text, v.len)) { /* cJSON takes any bytes in a string */
            mm_diag_add(d, MM_E_BAD_UTF8, no_span, "JSON text is UTF-8",
                        "`%s`: the string is not valid UTF-8", path->buf);
            return false;
        }
        v.quote = memchr(v.text, '\n', v.len) ? MM_QUOTE_TRIPLE_DOUBLE : MM_QUOTE_DOUBLE;
    } else if (cJSON_IsNumber(it)) {
        if (!isfinite(it->valuedouble)) {
            mm_diag_add(d, MM_E_TOO_LARGE, no_span, NULL, "`%s`: number out of range", path->buf);
            return false;
        }
        v.kind = MM_VAL_NUMBER;
        v.number = it->valuedouble;
        number_text(v.number, num);
        v.text = num;
        v.len = strlen(num);
        v.is_integer = strpbrk(num, ".eE") == NULL;
    } else if (cJSON_IsBool(it)) {
        v.kind = MM_VAL_BOOL;
        v.boolean = cJSON_IsTrue(it);
    } else if (cJSON_IsNull(it)) {
        v.kind = MM_VAL_NULL;
    } else {
        mm_diag_add(d, MM_E_BAD_JSON, no_span, NULL, "`%s`: unsupported JSON value", path->buf);
        return false;
    }
    mm_node *p = mm_node_new_property(key, v);
    p->blank_before = b->last_child && b->last_child->kind == MM_NODE_BLOCK;
    mm_node_append(b, p);
    return true;
}

static bool json_block(const cJSON *obj, mm_node *b, strbuf *path, int depth, mm_diags *d)
{
    bool ok = true;
    size_t base = path->len;
    for (const cJSON *it = obj->child; it; it = it->next) {
        const char *key = it->string ? it->string : "";
        path->len = base;
        if (path->buf)
            path->buf[base] = '\0';
        if (base)
            mm_sb_addc(path, '.');
        mm_sb_adds(path, key);
        if (!is_ident(key)) {
            mm_diag_add(d, MM_E_BAD_JSON, no_span,
                        "names are letters, digits and _, not starting with a digit",
                        "`%s`: `%s` is not a valid property or block name", path->buf, key);
            ok = false;
            continue;
        }
        if (!json_member(it, key, b, path, depth, d))
            ok = false;
    }
    path->len = base;
    if (path->buf)
        path->buf[base] = '\0';
    return ok;
}

mm_file *mm_convert_from_json(const cJSON *json, mm_diags *d)
{
    if (!cJSON_IsObject(json)) {
        mm_diag_add(d, MM_E_BAD_JSON, no_span, "the JSON form of a minimesosFile is an object",
                    "the top-level JSON value must be an object");
        return NULL;
    }
    mm_file *f = mm_file_new();
    f->filename = mm_xstrdup(d->filename ? d->filename : "<stdin>");
    f->src = NULL;
    f->root = mm_node_new_block("minimesos");
    strbuf path = STRBUF_INIT;
    bool ok = json_block(json, f->root, &path, 1, d);
    mm_sb_free(&path);
    if (!ok) {
        mm_file_free(f);
        return NULL;
    }
    return f;
}

static mm_pos pos_at(const char *text, size_t off)
{
    mm_pos p = { 1, 1, (uint32_t)off };
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col++;
        }
    }
    return p;
}

mm_file *mm_convert_from_json_text(const char *text, size_t len, const char *filename,
                                   mm_diags *d)
{
    (void)filename;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, false);
    size_t off = end ? (size_t)(end - text) : 0;
    if (j) {
        while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\n' ||
                             text[off] == '\r'))
            off++;
    }
    if (!j || off < len) {
        if (!j) {
            const char *e = cJSON_GetErrorPtr();
            off = e && e >= text && e <= text + len ? (size_t)(e - text) : 0;
        }
        mm_span sp;
        sp.start = sp.end = pos_at(text, off);
        sp.end.col++;
        sp.end.off++;
        mm_diag_add(d, MM_E_BAD_JSON, sp, NULL,
                    j ? "unexpected text after the JSON value" : "invalid JSON");
        cJSON_Delete(j);
        return NULL;
    }
    mm_file *f = mm_convert_from_json(j, d);
    cJSON_Delete(j);
    return f;
}

/* ---- printing ---- */

static void json_string(strbuf *sb, const char *s)
{
    mm_sb_addc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': mm_sb_adds(sb, "\\\""); break;
        case '\\': mm_sb_adds(sb, "\\\\"); break;
        case '\n': mm_sb_adds(sb, "\\n"); break;
        case '\t': mm_sb_adds(sb, "\\t"); break;
        case '\r': mm_sb_adds(sb, "\\r"); break;
        case '\b': mm_sb_adds(sb, "\\b"); break;
        case '\f': mm_sb_adds(sb, "\\f"); break;
        default:
            if (c < 0x20)
                mm_sb_addf(sb, "\\u%04x", c);
            else
                mm_sb_addc(sb, (char)c);
        }
    }
    mm_sb_addc(sb, '"');
}

static void json_indent(strbuf *sb, int depth)
{
    for (int i = 0; i < depth; i++)
        mm_sb_add(sb, "  ", 2);
}

static void json_value(strbuf *sb, const cJSON *j, int depth)
{
    if (depth > 1000) {
        mm_sb_adds(sb, "null");
        return;
    }
    if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
        bool obj = cJSON_IsObject(j);
        if (!j->child) {
            mm_sb_adds(sb, obj ? "{}" : "[]");
            return;
        }
        mm_sb_addc(sb, obj ? '{' : '[');
        for (const cJSON *c = j->child; c; c = c->next) {
            mm_sb_addc(sb, '\n');
            json_indent(sb, depth + 1);
            if (obj) {
                json_string(sb, c->string ? c->string : "");
                mm_sb_adds(sb, ": ");
            }
            json_value(sb, c, depth + 1);
            if (c->next)
                mm_sb_addc(sb, ',');
        }
        mm_sb_addc(sb, '\n');
        json_indent(sb, depth);
        mm_sb_addc(sb, obj ? '}' : ']');
    } else if (cJSON_IsString(j)) {
        json_string(sb, j->valuestring ? j->valuestring : "");
    } else if (cJSON_IsNumber(j)) {
        if (!isfinite(j->valuedouble)) {
            mm_sb_adds(sb, "null");
        } else {
            char buf[40];
            number_text(j->valuedouble, buf);
            mm_sb_adds(sb, buf);
        }
    } else if (cJSON_IsBool(j)) {
        mm_sb_adds(sb, cJSON_IsTrue(j) ? "true" : "false");
    } else if (cJSON_IsRaw(j)) {
        mm_sb_adds(sb, j->valuestring ? j->valuestring : "null");
    } else {
        mm_sb_adds(sb, "null");
    }
}

char *mm_json_print(const cJSON *json)
{
    strbuf sb = STRBUF_INIT;
    json_value(&sb, json, 0);
    return mm_sb_detach(&sb);
}
