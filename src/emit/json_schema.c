/* JSON Schemas (draft 2020-12) of the two JSON forms, generated from the
 * schema table, for `minimesos schema`:
 *
 *   config   the effective model, as emit_json.c writes it: every key
 *            present, values normalised (levels upper-case and inherited,
 *            tags derived, resource values numbers), 0..1 blocks an object
 *            or null, repeatable blocks arrays under their JSON key;
 *   convert  the literal form of convert.c: only what the file says, block
 *            names as keys, values as written (a level in any case, a
 *            quoted resource value, the legacy derived-tag sentinel);
 *            repeatable blocks an array (or, as convert reads JSON, one
 *            object).
 *
 * Both take each row's type, nullability, default, doc line and rule (an
 * enum, a pattern from mm_sc_rule_pattern, a range) and each block's
 * nesting, repeat and `requires`, so a row added to the table appears here
 * without an edit. Unknown keys are refused (additionalProperties false),
 * as the model refuses unknown properties and blocks.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "minimesos/convert.h"
#include "minimesos/model.h"
#include "minimesos/runtime.h" /* MINIMESOS_VERSION */
#include "model/schema.h"
#include "base/util.h"

typedef enum { FORM_CONFIG, FORM_CONVERT } form;

/* Keys the config JSON adds to a block beyond its rows and children
 * (emit_json.c's walk_block writes them). */
static const struct {
    sc_block_id block;
    const char *key, *doc;
} derived_keys[] = {
    { SC_B_AGENT, "mesosResources",
      "the agent's resources in Mesos' own form, as `up` passes them in MESOS_RESOURCES "
      "(\"ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000\")" },
};

/* A regular expression matching s in any case ("[iI][nN][fF][oO]"):
 * JSON Schema patterns have no flags. */
static void add_any_case(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalpha(c))
            mm_sb_addf(sb, "[%c%c]", toupper(c), tolower(c));
        else if (strchr("\\^$.|?*+()[]{}/", c))
            mm_sb_addf(sb, "\\%c", c);
        else
            mm_sb_addc(sb, (char)c);
    }
}

/* "^(INFO|WARNING|ERROR)$" in any case, with the inherit sentinel first
 * when inherit. malloc'd. */
static char *levels_any_case(bool inherit)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "^(");
    if (inherit) {
        add_any_case(&sb, SC_INHERIT);
        mm_sb_addc(&sb, '|');
    }
    for (size_t i = 0; mm_sc_levels[i]; i++) {
        if (i)
            mm_sb_addc(&sb, '|');
        add_any_case(&sb, mm_sc_levels[i]);
    }
    mm_sb_adds(&sb, ")$");
    return mm_sb_detach(&sb);
}

static cJSON *string_array(const char *const *v)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; v[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* The constraints of a string row's rule, added to s. */
static void string_rule(cJSON *s, const sc_prop *p, form f)
{
    const char *pattern = mm_sc_rule_pattern(p->rule);
    size_t max = mm_sc_rule_max_length(p->rule);
    switch (p->rule) {
    case SC_R_LEVEL:
    case SC_R_LEVEL_INHERIT:
        if (f == FORM_CONFIG) { /* upper-case, inheritance resolved */
            cJSON_AddItemToObject(s, "enum", string_array(mm_sc_levels));
        } else {
            char *rx = levels_any_case(p->rule == SC_R_LEVEL_INHERIT);
            cJSON_AddStringToObject(s, "pattern", rx);
            free(rx);
        }
        return;
    case SC_R_VERSION:
        cJSON_AddItemToObject(s, "enum", string_array(mm_sc_mesos_versions));
        return;
    case SC_R_IMAGE_TAG:
        if (f == FORM_CONVERT) { /* the legacy sentinel means the default (lint warns) */
            cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
            cJSON *tag = cJSON_CreateObject();
            cJSON_AddStringToObject(tag, "pattern", pattern);
            cJSON_AddItemToArray(any, tag);
            cJSON *legacy = cJSON_CreateObject();
            cJSON_AddStringToObject(legacy, "const", SC_LEGACY_DERIVE);
            cJSON_AddStringToObject(legacy, "description", "legacy: the default tag");
            cJSON_AddItemToArray(any, legacy);
            return;
        }
        break;
    case SC_R_JSON:
        cJSON_AddStringToObject(s, "contentMediaType", "application/json");
        return;
    case SC_R_PATH_OR_URL:
        cJSON_AddNumberToObject(s, "minLength", 1);
        return;
    default:
        break;
    }
    if (pattern)
        cJSON_AddStringToObject(s, "pattern", pattern);
    if (max)
        cJSON_AddNumberToObject(s, "maxLength", (double)max);
}

/* The default of a row as JSON, or NULL when it has none to state: a
 * required row, a derived tag, and in the config form an inherited level
 * (there the value is the cluster's). */
static cJSON *row_default(const sc_prop *p, form f)
{
    if (p->flags & (SC_F_REQUIRED | SC_F_DERIVED))
        return NULL;
    if (f == FORM_CONFIG && p->rule == SC_R_LEVEL_INHERIT)
        return NULL;
    switch (p->type) {
    case SC_STRING: return p->def_str ? cJSON_CreateString(p->def_str) : cJSON_CreateNull();
    case SC_INT:
    case SC_NUMBER: return cJSON_CreateNumber((double)p->def_num);
    case SC_BOOL: return cJSON_CreateBool(p->def_num != 0);
    }
    return NULL;
}

static cJSON *prop_schema(const sc_prop *p, form f)
{
    cJSON *s = cJSON_CreateObject();
    const char *type = NULL;
    switch (p->type) {
    case SC_BOOL: type = "boolean"; break;
    case SC_INT: type = "integer"; break;
    case SC_STRING: type = "string"; break;
    case SC_NUMBER: type = f == FORM_CONFIG ? "number" : NULL; break; /* literal: see below */
    }
    bool nullable = p->flags & SC_F_NULLABLE;
    if (type && nullable) {
        cJSON *t = cJSON_AddArrayToObject(s, "type");
        cJSON_AddItemToArray(t, cJSON_CreateString(type));
        cJSON_AddItemToArray(t, cJSON_CreateString("null"));
    } else if (type) {
        cJSON_AddStringToObject(s, "type", type);
    }
    if (p->flags & SC_F_DERIVED) {
        char *def = mm_sc_prop_default_text(p);
        char *doc = mm_xasprintf("%s; by default %s", p->doc, def);
        cJSON_AddStringToObject(s, "description", doc);
        free(doc);
        free(def);
    } else {
        cJSON_AddStringToObject(s, "description", p->doc);
    }
    switch (p->type) {
    case SC_BOOL:
        break;
    case SC_INT:
        cJSON_AddNumberToObject(s, "minimum",
                                p->rule == SC_R_POSITIVE || p->rule == SC_R_PORT ? 1 : INT_MIN);
        cJSON_AddNumberToObject(s, "maximum", p->rule == SC_R_PORT ? 65535 : INT_MAX);
        break;
    case SC_NUMBER: {
        /* a number from 0 to 1e15; in the literal form also a quoted number */
        cJSON *num = f == FORM_CONVERT ? cJSON_CreateObject() : s;
        if (f == FORM_CONVERT)
            cJSON_AddStringToObject(num, "type", "number");
        cJSON_AddNumberToObject(num, "minimum", 0);
        cJSON_AddNumberToObject(num, "maximum", SC_SCALAR_MAX);
        if (f == FORM_CONVERT) {
            cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
            cJSON_AddItemToArray(any, num);
            cJSON *text = cJSON_CreateObject();
            cJSON_AddStringToObject(text, "type", "string");
            cJSON_AddStringToObject(text, "pattern", mm_sc_rule_pattern(SC_R_SCALAR));
            cJSON_AddNumberToObject(text, "maxLength", (double)mm_sc_rule_max_length(SC_R_SCALAR));
            cJSON_AddItemToArray(any, text);
            if (nullable) {
                cJSON *null = cJSON_CreateObject();
                cJSON_AddStringToObject(null, "type", "null");
                cJSON_AddItemToArray(any, null);
            }
        }
        break;
    }
    case SC_STRING:
        string_rule(s, p, f);
        break;
    }
    cJSON *e = cJSON_GetObjectItemCaseSensitive(s, "enum");
    if (e && nullable)
        cJSON_AddItemToArray(e, cJSON_CreateNull());
    cJSON *def = row_default(p, f);
    if (def)
        cJSON_AddItemToObject(s, "default", def);
    return s;
}

static const char *key_of(const sc_block *b, form f)
{
    return f == FORM_CONFIG ? mm_sc_json_key(b) : b->name;
}

static cJSON *ref_to(const sc_block *b)
{
    cJSON *r = cJSON_CreateObject();
    char *ref = mm_xasprintf("#/$defs/%s", b->name);
    cJSON_AddStringToObject(r, "$ref", ref);
    free(ref);
    return r;
}

/* How a child block appears in its parent's object. */
static cJSON *child_schema(const sc_block *cb, form f)
{
    if (cb->repeat && f == FORM_CONFIG) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "type", "array");
        cJSON_AddStringToObject(a, "description", cb->doc);
        cJSON_AddItemToObject(a, "items", ref_to(cb));
        cJSON_AddItemToObject(a, "default", cJSON_CreateArray());
        return a;
    }
    if (cb->repeat) {
        /* convert writes an array; reading JSON back, it takes one object too */
        cJSON *o = cJSON_CreateObject();
        char *doc = mm_xasprintf("%s: an array of blocks, or one block", cb->doc);
        cJSON_AddStringToObject(o, "description", doc);
        free(doc);
        cJSON *any = cJSON_AddArrayToObject(o, "anyOf");
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "type", "array");
        cJSON_AddItemToObject(a, "items", ref_to(cb));
        cJSON_AddItemToArray(any, a);
        cJSON_AddItemToArray(any, ref_to(cb));
        return o;
    }
    if (f == FORM_CONVERT || cb->effective || cb->at_kind == SC_AT_INLINE)
        return ref_to(cb);
    /* config: null when the file has none */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "description", cb->doc);
    cJSON *any = cJSON_AddArrayToObject(o, "anyOf");
    cJSON_AddItemToArray(any, ref_to(cb));
    cJSON *null = cJSON_CreateObject();
    cJSON_AddStringToObject(null, "type", "null");
    cJSON_AddItemToArray(any, null);
    cJSON_AddItemToObject(o, "default", cJSON_CreateNull());
    return o;
}

/* The object schema of block b, into s. */
static void block_schema(cJSON *s, const sc_block *b, form f)
{
    cJSON_AddStringToObject(s, "type", "object");
    if (!cJSON_GetObjectItemCaseSensitive(s, "description"))
        cJSON_AddStringToObject(s, "description", b->doc);
    cJSON *props = cJSON_AddObjectToObject(s, "properties");
    cJSON *required = cJSON_CreateArray();
    for (size_t i = 0; i < b->n_props; i++) {
        const sc_prop *p = &b->props[i];
        cJSON_AddItemToObject(props, p->name, prop_schema(p, f));
        if (f == FORM_CONFIG || (p->flags & SC_F_REQUIRED))
            cJSON_AddItemToArray(required, cJSON_CreateString(p->name));
    }
    const sc_block *kids[SC_B__COUNT];
    size_t nk = mm_sc_children(b, kids);
    for (size_t i = 0; i < nk; i++) {
        cJSON_AddItemToObject(props, key_of(kids[i], f), child_schema(kids[i], f));
        if (f == FORM_CONFIG)
            cJSON_AddItemToArray(required, cJSON_CreateString(key_of(kids[i], f)));
    }
    if (f == FORM_CONFIG)
        for (size_t i = 0; i < sizeof derived_keys / sizeof derived_keys[0]; i++) {
            if (derived_keys[i].block != b->id)
                continue;
            cJSON *d = cJSON_CreateObject();
            cJSON_AddStringToObject(d, "type", "string");
            cJSON_AddStringToObject(d, "description", derived_keys[i].doc);
            cJSON_AddItemToObject(props, derived_keys[i].key, d);
            cJSON_AddItemToArray(required, cJSON_CreateString(derived_keys[i].key));
        }
    if (cJSON_GetArraySize(required))
        cJSON_AddItemToObject(s, "required", required);
    else
        cJSON_Delete(required);
    cJSON_AddFalseToObject(s, "additionalProperties");

    /* a block that needs a sibling (registrator needs consul) */
    cJSON *dep = NULL, *conds = NULL;
    for (size_t i = 0; i < nk; i++) {
        if (kids[i]->requires == SC_B__COUNT)
            continue;
        const char *k = key_of(kids[i], f);
        const char *need = key_of(mm_sc_block_get(kids[i]->requires), f);
        if (f == FORM_CONVERT) {
            if (!dep)
                dep = cJSON_AddObjectToObject(s, "dependentRequired");
            cJSON *a = cJSON_AddArrayToObject(dep, k);
            cJSON_AddItemToArray(a, cJSON_CreateString(need));
        } else {
            /* both keys are always there: not null needs not null */
            if (!conds)
                conds = cJSON_AddArrayToObject(s, "allOf");
            cJSON *c = cJSON_CreateObject();
            cJSON *ifs = cJSON_AddObjectToObject(c, "if");
            cJSON *ip = cJSON_AddObjectToObject(ifs, "properties");
            cJSON_AddStringToObject(cJSON_AddObjectToObject(ip, k), "type", "object");
            cJSON_AddItemToArray(cJSON_AddArrayToObject(ifs, "required"), cJSON_CreateString(k));
            cJSON *then = cJSON_AddObjectToObject(c, "then");
            cJSON *tp = cJSON_AddObjectToObject(then, "properties");
            cJSON_AddStringToObject(cJSON_AddObjectToObject(tp, need), "type", "object");
            char *why = mm_xasprintf("`%s` needs `%s`", kids[i]->name,
                                     mm_sc_block_get(kids[i]->requires)->name);
            cJSON_AddStringToObject(c, "description", why);
            free(why);
            cJSON_AddItemToArray(conds, c);
        }
    }
}

static cJSON *schema_of(form f)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", "https://json-schema.org/draft/2020-12/schema");
    char *title = mm_xasprintf("minimesos %s output (minimesos %s)",
                               f == FORM_CONFIG ? "config --format json" : "convert --to json",
                               MINIMESOS_VERSION);
    cJSON_AddStringToObject(root, "title", title);
    free(title);
    cJSON_AddStringToObject(root, "description",
                            f == FORM_CONFIG
                                ? "The effective cluster of a minimesosFile: every default "
                                  "applied, image tags derived, logging levels inherited, agent "
                                  "resources merged over the defaults. Every key is present."
                                : "A minimesosFile's literal JSON form: the properties and "
                                  "blocks of its `minimesos` block as written, no default added; "
                                  "repeatable blocks are arrays of objects.");
    cJSON_AddStringToObject(root, "$comment",
                            f == FORM_CONFIG
                                ? "Generated from the schema table by `minimesos schema --for config`."
                                : "Generated from the schema table by `minimesos schema --for convert`.");
    const sc_block *cluster = mm_sc_block_get(SC_B_CLUSTER);
    block_schema(root, cluster, f);
    cJSON *defs = cJSON_AddObjectToObject(root, "$defs");
    for (size_t id = 0; id < SC_B__COUNT; id++) {
        const sc_block *b = mm_sc_block_get((sc_block_id)id);
        if (b == cluster)
            continue;
        cJSON *d = cJSON_CreateObject();
        block_schema(d, b, f);
        cJSON_AddItemToObject(defs, b->name, d);
    }
    return root;
}

cJSON *mm_cluster_json_schema(void)
{
    return schema_of(FORM_CONFIG);
}

cJSON *mm_convert_json_schema(void)
{
    return schema_of(FORM_CONVERT);
}
