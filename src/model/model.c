/* The model builder: a syntax tree, checked against the schema table, becomes
 * a typed mm_cluster with every default applied.
 *
 * Each block is handled the same way: defaults from its rows, then its
 * properties (type, rule, store through the row's offset), then its child
 * blocks. The cluster's properties are applied before any child block, so
 * imageTag derivation and loggingLevel inheritance see the final mesosVersion
 * and loggingLevel wherever the file sets them.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "minimesos/model.h"
#include "model/schema.h"
#include "base/util.h"

/* A resource block already applied to the current agent, for the duplicate warning. */
typedef struct res_seen {
    mm_res_kind kind;
    const char *role;       /* points into the agent's entry */
    const mm_node *node;
} res_seen;

typedef struct builder {
    mm_diags *d;
    mm_cluster *c;
    res_seen *seen;         /* current agent's resource blocks */
    size_t n_seen, cap_seen;
} builder;

static bool errors_since(const mm_diags *d, size_t from)
{
    for (size_t i = from; i < d->len; i++)
        if (d->items[i].severity == MM_SEV_ERROR)
            return true;
    return false;
}

static bool has_errors(const mm_diags *d)
{
    return errors_since(d, 0);
}

/* ---- defaults ---- */

static void set_defaults(const sc_block *b, void *obj, const char *version)
{
    for (size_t i = 0; i < b->n_props; i++) {
        const sc_prop *p = &b->props[i];
        switch (p->type) {
        case SC_STRING: {
            char **f = &SC_FIELD(obj, p, char *);
            free(*f);
            if (p->flags & SC_F_DERIVED)
                *f = mm_sc_derived_tag(version);
            else
                *f = p->def_str ? mm_xstrdup(p->def_str) : NULL;
            break;
        }
        case SC_INT:
            SC_FIELD(obj, p, int) = (int)p->def_num;
            break;
        case SC_BOOL:
            SC_FIELD(obj, p, bool) = p->def_num != 0;
            break;
        case SC_NUMBER:
            SC_FIELD(obj, p, double) = (double)p->def_num;
            break;
        }
    }
}

/* The inherited level sentinel becomes the cluster's level. */
static void resolve_level(char **level, const mm_cluster *c)
{
    if (*level && strcmp(*level, SC_INHERIT) == 0) {
        free(*level);
        *level = mm_xstrdup(c->logging_level);
    }
}

/* ---- properties ---- */

static const char *type_phrase(sc_type t)
{
    switch (t) {
    case SC_STRING: return "a string";
    case SC_INT: return "an int";
    case SC_NUMBER: return "a number";
    case SC_BOOL: return "a bool (true or false)";
    }
    return "?";
}

static const char *value_phrase(const mm_value *v)
{
    switch (v->kind) {
    case MM_VAL_STRING: return "a string";
    case MM_VAL_NUMBER: return v->is_integer ? "a number" : "a decimal number";
    case MM_VAL_BOOL: return "a bool";
    case MM_VAL_NULL: return "null";
    }
    return "?";
}

static char *join_allowed(const char *const *list)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; list[i]; i++)
        mm_sb_addf(&sb, "%s%s", i ? ", " : "", list[i]);
    return mm_sb_detach(&sb);
}

static void wrong_type(builder *B, const sc_prop *p, const mm_node *n)
{
    const mm_value *v = &n->value;
    char *hint = NULL;
    double num;
    if (v->kind == MM_VAL_STRING && p->type == SC_INT && mm_sc_parse_number_text(v->text, &num))
        hint = mm_xasprintf("remove the quotes: %s = %s", p->name, v->text);
    else if (v->kind == MM_VAL_STRING && p->type == SC_BOOL &&
             (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0))
        hint = mm_xasprintf("remove the quotes: %s = %s", p->name, v->text);
    else if (v->kind == MM_VAL_NUMBER && p->type == SC_INT)
        hint = mm_xstrdup("write a whole number, without a decimal point or exponent");
    else if (v->kind == MM_VAL_NUMBER && p->type == SC_STRING)
        hint = mm_xasprintf("put it in quotes: %s = \"%s\"", p->name, v->text);
    else if (v->kind == MM_VAL_NULL)
        hint = mm_xasprintf("remove the line to get the default");
    mm_diag_add(B->d, MM_E_WRONG_TYPE, v->span, hint, "`%s` must be %s, not %s",
                p->name, type_phrase(p->type), value_phrase(v));
    free(hint);
}

static bool list_has(const char *const *list, const char *s, bool nocase)
{
    for (size_t i = 0; list[i]; i++)
        if (nocase ? strcasecmp(list[i], s) == 0 : strcmp(list[i], s) == 0)
            return true;
    return false;
}

static char *upper_dup(const char *s)
{
    char *u = mm_xstrdup(s);
    for (char *q = u; *q; q++)
        if (*q >= 'a' && *q <= 'z')
            *q = (char)(*q - 'a' + 'A');
    return u;
}

static void store_string(void *obj, const sc_prop *p, char *s)
{
    char **f = &SC_FIELD(obj, p, char *);
    free(*f);
    *f = s;
}


/* Check a string value against its rule; store it (or what it means). */
static void apply_string(builder *B, const sc_prop *p, const mm_node *n, void *obj,
                         const char *version)
{
    const mm_value *v = &n->value;
    const char *s = v->text ? v->text : "";
    /* The scanner checks text files; trees built by code (convert from JSON)
     * are checked here, so every emitter writes valid UTF-8. */
    if (!mm_utf8_valid(s, v->text ? v->len : 0)) {
        mm_diag_add(B->d, MM_E_BAD_UTF8, v->span, "save the file as UTF-8",
                    "`%s` is not valid UTF-8", p->name);
        return;
    }
    switch (p->rule) {
    case SC_R_LEVEL:
    case SC_R_LEVEL_INHERIT:
        if (p->rule == SC_R_LEVEL_INHERIT && strcasecmp(s, SC_INHERIT) == 0) {
            store_string(obj, p, mm_xstrdup(SC_INHERIT));
            return;
        }
        if (!list_has(mm_sc_levels, s, true)) {
            char *allowed = join_allowed(mm_sc_levels);
            char *hint = mm_xasprintf("allowed values: %s%s (any case)",
                                   p->rule == SC_R_LEVEL_INHERIT ? "\"" SC_INHERIT "\", " : "",
                                   allowed);
            mm_diag_add(B->d, MM_E_NOT_ALLOWED, v->span, hint,
                        "logging level \"%s\" is not allowed", s);
            free(hint);
            free(allowed);
            return;
        }
        store_string(obj, p, upper_dup(s));
        return;
    case SC_R_VERSION:
        if (!list_has(mm_sc_mesos_versions, s, false)) {
            char *allowed = join_allowed(mm_sc_mesos_versions);
            char *hint = mm_xasprintf("supported versions: %s", allowed);
            mm_diag_add(B->d, MM_E_NOT_ALLOWED, v->span, hint,
                        "Mesos version \"%s\" is not supported", s);
            free(hint);
            free(allowed);
            return;
        }
        break;
    case SC_R_IMAGE_NAME:
        if (!mm_sc_valid_image_name(s)) {
            const char *hint = strchr(s, ':') && !strchr(s, '/')
                ? "the tag goes in imageTag; imageName is the repository, e.g. \"containersol/mesos-agent\""
                : "an image name is lower-case letters, digits and separators (. _ -) in "
                  "/-separated parts, optionally after a registry host[:port]/";
            mm_diag_add(B->d, MM_E_BAD_IMAGE, v->span, hint,
                        "`%s` \"%s\" is not a valid Docker image name", p->name, s);
            return;
        }
        break;
    case SC_R_IMAGE_TAG:
        if (strcmp(s, SC_LEGACY_DERIVE) == 0) {
            mm_diag_add(B->d, MM_W_LEGACY_TAG, v->span,
                        (p->flags & SC_F_DERIVED)
                            ? "remove the line: the tag is derived from mesosVersion by default"
                            : "remove the line to use the default tag",
                        "imageTag \"" SC_LEGACY_DERIVE "\" is a legacy form of the default");
            store_string(obj, p, (p->flags & SC_F_DERIVED) ? mm_sc_derived_tag(version)
                                                           : mm_xstrdup(p->def_str));
            return;
        }
        if (!mm_sc_valid_image_tag(s)) {
            mm_diag_add(B->d, MM_E_BAD_IMAGE, v->span,
                        "a tag is up to 128 letters, digits, _ . and -, not starting with . or -",
                        "`imageTag` \"%s\" is not a valid Docker tag", s);
            return;
        }
        break;
    case SC_R_JSON: {
        const char *end = NULL;
        cJSON *j = cJSON_ParseWithLengthOpts(s, strlen(s), &end, false);
        bool ok = j != NULL;
        if (ok) {
            while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
                end++;
            ok = *end == '\0';
        }
        cJSON_Delete(j);
        if (!ok) {
            mm_diag_add(B->d, MM_E_BAD_JSON, v->span,
                        "write the Mesos ACLs as a JSON object, e.g. {\"run_tasks\": [...]}",
                        "`%s` is not valid JSON", p->name);
            return;
        }
        break;
    }
    case SC_R_ROLE:
        if (!mm_sc_valid_role(s)) {
            mm_diag_add(B->d, MM_E_BAD_ROLE, v->span,
                        "a role is * or letters, digits, _ . and -, not starting with . or -",
                        "\"%s\" is not a valid Mesos role", s);
            return;
        }
        break;
    case SC_R_RANGES: {
        char *why = mm_sc_check_ranges(s);
        if (why) {
            mm_diag_add(B->d, MM_E_BAD_RANGES, v->span,
                        "write port ranges as \"[low-high,low-high]\" with 0 <= low <= high <= 65535",
                        "invalid port ranges \"%s\": %s", s, why);
            free(why);
            return;
        }
        break;
    }
    case SC_R_PATH_OR_URL:
        if (!*s) {
            mm_diag_add(B->d, MM_E_NOT_ALLOWED, v->span,
                        "a path relative to the minimesosFile, or an http(s) URL",
                        "`%s` must not be empty", p->name);
            return;
        }
        break;
    default:
        break;
    }
    store_string(obj, p, mm_xstrndup(s, v->text ? v->len : 0));
}

/* A resource scalar: a number, or (as historically) a quoted number. */
static void apply_scalar(builder *B, const sc_prop *p, const mm_node *n, void *obj)
{
    const mm_value *v = &n->value;
    double num;
    if (v->kind == MM_VAL_NUMBER) {
        num = v->number;
    } else if (v->kind == MM_VAL_STRING) {
        if (strchr(v->text, ',')) {
            mm_diag_add(B->d, MM_E_BAD_NUMBER, v->span,
                        "write a plain number such as 1024 or 0.5: a comma is neither a "
                        "decimal point nor a digit separator here",
                        "\"%s\" is not a number", v->text);
            return;
        }
        if (!mm_sc_parse_number_text(v->text, &num)) {
            mm_diag_add(B->d, MM_E_BAD_NUMBER, v->span,
                        "write a plain number such as 1024 or 0.5, without units",
                        "\"%s\" is not a number", v->text);
            return;
        }
    } else {
        wrong_type(B, p, n);
        return;
    }
    /* Mesos keeps scalars as fixed-point with three decimals in 64 bits:
     * beyond 1e15 they overflow there (and in the resource string). */
    if (!isfinite(num) || num < 0 || num > SC_SCALAR_MAX) {
        mm_diag_add(B->d, MM_E_OUT_OF_RANGE, v->span, "use a number from 0 to 1e15",
                    "resource value %s is out of range", v->text);
        return;
    }
    SC_FIELD(obj, p, double) = num;
}

static void apply_prop(builder *B, const sc_prop *p, const mm_node *n, void *obj,
                       const char *version)
{
    const mm_value *v = &n->value;
    if (v->kind == MM_VAL_NULL) {
        if (p->flags & SC_F_NULLABLE)
            store_string(obj, p, NULL);
        else
            wrong_type(B, p, n);
        return;
    }
    switch (p->type) {
    case SC_STRING:
        if (v->kind != MM_VAL_STRING) {
            wrong_type(B, p, n);
            return;
        }
        apply_string(B, p, n, obj, version);
        return;
    case SC_BOOL:
        if (v->kind != MM_VAL_BOOL) {
            wrong_type(B, p, n);
            return;
        }
        SC_FIELD(obj, p, bool) = v->boolean;
        return;
    case SC_NUMBER:
        apply_scalar(B, p, n, obj);
        return;
    case SC_INT:
        if (v->kind != MM_VAL_NUMBER || !v->is_integer) {
            wrong_type(B, p, n);
            return;
        }
        if (p->rule == SC_R_PORT && (v->number < 1 || v->number > 65535)) {
            mm_diag_add(B->d, MM_E_OUT_OF_RANGE, v->span, "a port number is 1 to 65535",
                        "`%s` %s is out of range", p->name, v->text);
            return;
        }
        if (p->rule == SC_R_POSITIVE && v->number <= 0) {
            mm_diag_add(B->d, MM_E_OUT_OF_RANGE, v->span, "use a whole number of seconds, 1 or more",
                        "`%s` must be greater than 0", p->name);
            return;
        }
        if (v->number > INT_MAX || v->number < INT_MIN) {
            mm_diag_add(B->d, MM_E_OUT_OF_RANGE, v->span, NULL,
                        "`%s` %s is too large", p->name, v->text);
            return;
        }
        SC_FIELD(obj, p, int) = (int)v->number;
        return;
    }
}

static void unknown_prop(builder *B, const sc_block *b, const mm_node *n)
{
    const char *to = mm_sc_renamed(b, n->name);
    if (to) {
        char *hint = mm_xasprintf("rename it to `%s`", to);
        mm_diag_add(B->d, MM_E_RENAMED, n->name_span, hint,
                    "`%s` was renamed to `%s`", n->name, to);
        free(hint);
        return;
    }
    const sc_block *cb = mm_sc_child_find(b, n->name);
    if (cb) {
        char *hint = mm_xasprintf("write it as a block: %s { ... }", n->name);
        mm_diag_add(B->d, MM_E_BLOCK_AS_PROP, n->name_span, hint,
                    "`%s` is a block, not a property", n->name);
        free(hint);
        return;
    }
    char *hint = mm_sc_hint_unknown(b, n->name, false);
    if (b->id == SC_B_CLUSTER)
        mm_diag_add(B->d, MM_E_UNKNOWN_PROP, n->name_span, hint,
                    "unknown property `%s` in the cluster block", n->name);
    else
        mm_diag_add(B->d, MM_E_UNKNOWN_PROP, n->name_span, hint,
                    "unknown property `%s` in a `%s` block", n->name, b->name);
    free(hint);
}

/* Apply every property statement of blk to obj (defaults already set). */
static void apply_props(builder *B, const sc_block *b, const mm_node *blk, void *obj,
                        const char *version)
{
    /* where each row was first set, for duplicates and required rows */
    const mm_node **first = mm_xcalloc(b->n_props ? b->n_props : 1, sizeof *first);
    for (const mm_node *n = blk->first_child; n; n = n->next) {
        if (n->kind != MM_NODE_PROPERTY || !n->name)
            continue;
        const sc_prop *p = mm_sc_prop_find(b, n->name);
        if (!p) {
            unknown_prop(B, b, n);
            continue;
        }
        size_t i = (size_t)(p - b->props);
        if (first[i])
            mm_diag_add_related(B->d, MM_W_DUP_PROPERTY, n->name_span, first[i]->name_span,
                                "remove one of them", "`%s` is set more than once; the last "
                                "one wins", p->name);
        else
            first[i] = n;
        apply_prop(B, p, n, obj, version);
    }
    for (size_t i = 0; i < b->n_props; i++)
        if ((b->props[i].flags & SC_F_REQUIRED) && !first[i]) {
            char *hint = b->props[i].rule == SC_R_PATH_OR_URL
                ? mm_xasprintf("add %s = \"<path or URL of a Marathon %s definition>\"",
                            b->props[i].name, b->name)
                : mm_xasprintf("add %s = ...", b->props[i].name);
            mm_diag_add(B->d, MM_E_MISSING, blk->name_span, hint,
                        "a `%s` block needs `%s`", b->name, b->props[i].name);
            free(hint);
        }
    free(first);
}

/* ---- blocks ---- */

static void process_children(builder *B, const sc_block *b, const mm_node *blk, void *obj,
                             bool discard);

static void unknown_block(builder *B, const sc_block *b, const mm_node *n)
{
    if (mm_sc_prop_find(b, n->name) || mm_sc_renamed(b, n->name)) {
        char *hint = mm_xasprintf("write it as a property: %s = ...",
                               mm_sc_renamed(b, n->name) ? mm_sc_renamed(b, n->name) : n->name);
        mm_diag_add(B->d, MM_E_PROP_AS_BLOCK, n->name_span, hint,
                    "`%s` is a property, not a block", n->name);
        free(hint);
        return;
    }
    char *hint = mm_sc_hint_unknown(b, n->name, true);
    if (b->id == SC_B_CLUSTER)
        mm_diag_add(B->d, MM_E_UNKNOWN_BLOCK, n->name_span, hint,
                    "unknown block `%s` in the cluster block", n->name);
    else
        mm_diag_add(B->d, MM_E_UNKNOWN_BLOCK, n->name_span, hint,
                    "unknown block `%s` in a `%s` block", n->name, b->name);
    free(hint);
}

/* Free a block's model struct and everything in it, from the table's rows. */
static void free_block(sc_block_id id, void *obj)
{
    if (!obj)
        return;
    mm_sc_free_fields(mm_sc_block_get(id), obj);
    free(obj);
}

static void free_image(sc_block_id id, mm_image *img)
{
    free_block(id, img);
}

static void free_master(mm_master *m)
{
    free_block(SC_B_MASTER, m);
}

static void free_agent_fields(mm_agent *a)
{
    mm_sc_free_fields(mm_sc_block_get(SC_B_AGENT), a);
}

static void free_marathon(mm_marathon *m)
{
    free_block(SC_B_MARATHON, m);
}

static void push_resource(mm_agent *a, mm_res_kind k, const char *role, double value,
                          const char *ranges)
{
    size_t cap = a->n_res[k]; /* exact growth: agents hold few entries */
    a->res[k] = mm_xrealloc(a->res[k], (cap + 1) * sizeof *a->res[k]);
    mm_resource *r = &a->res[k][a->n_res[k]++];
    r->role = mm_xstrdup(role);
    r->value = value;
    r->ranges = ranges ? mm_xstrdup(ranges) : NULL;
}

/* Defaults that no resource block of the file replaced: cpus(*):4 mem(*):1024
 * disk(*):2000 ports(*):[31000-32000]. File entries come first, in file order. */
static void add_default_resources(mm_agent *a)
{
    static const double defaults[MM_RES__COUNT] = { 0, 4, 1024, 2000 };
    for (int k = 0; k < MM_RES__COUNT; k++) {
        bool has_star = false;
        for (size_t i = 0; i < a->n_res[k]; i++)
            if (strcmp(a->res[k][i].role, "*") == 0)
                has_star = true;
        if (!has_star)
            push_resource(a, (mm_res_kind)k, "*", defaults[k],
                          k == MM_RES_PORTS ? "[31000-32000]" : NULL);
    }
}

static void process_resource(builder *B, const sc_block *b, const mm_node *n, mm_agent *a,
                             bool discard)
{
    size_t mark = B->d->len;
    mm_resource r = { 0 };
    set_defaults(b, &r, NULL);
    apply_props(B, b, n, &r, NULL);
    process_children(B, b, n, &r, true);
    if (!discard && !errors_since(B->d, mark)) {
        mm_res_kind k = b->res_kind;
        mm_resource *hit = NULL;
        for (size_t i = 0; i < B->n_seen; i++)
            if (B->seen[i].kind == k && strcmp(B->seen[i].role, r.role) == 0) {
                mm_diag_add_related(B->d, MM_W_DUP_RESOURCE, n->name_span,
                                    B->seen[i].node->name_span, "remove one of them",
                                    "%s(%s) is set more than once in this agent; the last one wins",
                                    mm_res_kind_name(k), r.role);
                B->seen[i].node = n;
                for (size_t j = 0; j < a->n_res[k]; j++)
                    if (strcmp(a->res[k][j].role, r.role) == 0)
                        hit = &a->res[k][j];
                break;
            }
        if (hit) {
            hit->value = r.value;
            free(hit->ranges);
            hit->ranges = r.ranges ? mm_xstrdup(r.ranges) : NULL;
        } else {
            push_resource(a, k, r.role, r.value, r.ranges);
            B->seen = mm_xgrow(B->seen, &B->cap_seen, B->n_seen + 1, sizeof *B->seen);
            B->seen[B->n_seen++] = (res_seen){ k, a->res[k][a->n_res[k] - 1].role, n };
        }
    }
    free(r.role);
    free(r.ranges);
}

static void init_agent(mm_agent *a, const mm_cluster *c, const char *version)
{
    memset(a, 0, sizeof *a);
    set_defaults(mm_sc_block_get(SC_B_AGENT), a, version);
    resolve_level(&a->logging_level, c);
}

static void init_master(mm_master *m, const mm_cluster *c, const char *version)
{
    memset(m, 0, sizeof *m);
    set_defaults(mm_sc_block_get(SC_B_MASTER), m, version);
    resolve_level(&m->logging_level, c);
}

void *mm_sc_new_default(const sc_block *b, const mm_cluster *c)
{
    void *obj = mm_xcalloc(1, b->size);
    set_defaults(b, obj, c->mesos_version);
    for (size_t i = 0; i < b->n_props; i++)
        if (b->props[i].rule == SC_R_LEVEL_INHERIT)
            resolve_level(&SC_FIELD(obj, &b->props[i], char *), c);
    return obj;
}

static mm_image *new_image(sc_block_id id)
{
    mm_image *img = mm_xcalloc(1, sizeof *img);
    set_defaults(mm_sc_block_get(id), img, NULL);
    return img;
}

static void process_block(builder *B, const sc_block *b, const mm_node *n, void *parent,
                          bool discard)
{
    mm_cluster *c = B->c;
    const char *version = c->mesos_version;
    switch (b->id) {
    case SC_B_MASTER: {
        mm_master *m = mm_xcalloc(1, sizeof *m);
        set_defaults(b, m, version);
        apply_props(B, b, n, m, version);
        resolve_level(&m->logging_level, c);
        if (m->acl_json && !m->authenticate) {
            const mm_node *acl = NULL;
            for (const mm_node *s = n->first_child; s; s = s->next)
                if (s->kind == MM_NODE_PROPERTY && s->name && strcmp(s->name, "aclJson") == 0)
                    acl = s;
            mm_diag_add(B->d, MM_W_ACL_UNUSED, acl ? acl->value.span : n->name_span,
                        "set authenticate = true in this master block, or remove aclJson",
                        "aclJson takes effect only with authenticate = true");
        }
        process_children(B, b, n, m, discard);
        if (discard)
            free_master(m);
        else
            c->master = m;
        return;
    }
    case SC_B_AGENT: {
        mm_agent a;
        memset(&a, 0, sizeof a);
        set_defaults(b, &a, version);
        apply_props(B, b, n, &a, version);
        resolve_level(&a.logging_level, c);
        B->n_seen = 0;
        process_children(B, b, n, &a, discard);
        B->n_seen = 0;
        if (discard) {
            free_agent_fields(&a);
            return;
        }
        add_default_resources(&a);
        size_t cap = c->n_agents;   /* grow geometrically */
        if ((cap & (cap - 1)) == 0) {
            size_t ncap = cap ? cap * 2 : 1;
            c->agents = mm_xrealloc(c->agents, ncap * sizeof *c->agents);
        }
        c->agents[c->n_agents++] = a;
        return;
    }
    case SC_B_RESOURCES:
        apply_props(B, b, n, parent, NULL);
        process_children(B, b, n, parent, discard);
        return;
    case SC_B_CPU:
    case SC_B_MEM:
    case SC_B_DISK:
    case SC_B_PORTS:
        process_resource(B, b, n, parent, discard);
        return;
    case SC_B_MARATHON: {
        mm_marathon *m = mm_xcalloc(1, sizeof *m);
        set_defaults(b, m, version);
        apply_props(B, b, n, m, version);
        process_children(B, b, n, m, discard);
        if (discard)
            free_marathon(m);
        else
            c->marathon = m;
        return;
    }
    case SC_B_APP:
    case SC_B_GROUP: {
        mm_marathon *m = parent;
        sc_app app = { 0 };
        set_defaults(b, &app, NULL);
        apply_props(B, b, n, &app, NULL);
        process_children(B, b, n, &app, true);
        if (discard || !app.marathon_json) {
            free(app.marathon_json);
            return;
        }
        if (b->id == SC_B_APP) {
            m->apps = mm_xrealloc(m->apps, (m->n_apps + 1) * sizeof *m->apps);
            m->apps[m->n_apps++] = app.marathon_json;
        } else {
            m->groups = mm_xrealloc(m->groups, (m->n_groups + 1) * sizeof *m->groups);
            m->groups[m->n_groups++] = app.marathon_json;
        }
        return;
    }
    case SC_B_ZOOKEEPER:
    case SC_B_CONSUL:
    case SC_B_REGISTRATOR:
    case SC_B_MESOSDNS: {
        mm_image *img = new_image(b->id);
        apply_props(B, b, n, img, version);
        process_children(B, b, n, img, discard);
        mm_image **slot = b->id == SC_B_ZOOKEEPER ? &c->zookeeper
                        : b->id == SC_B_CONSUL ? &c->consul
                        : b->id == SC_B_REGISTRATOR ? &c->registrator : &c->mesosdns;
        if (discard)
            free_image(b->id, img);
        else
            *slot = img;
        return;
    }
    case SC_B_CLUSTER:
    case SC_B__COUNT:
        break;
    }
}

static void process_children(builder *B, const sc_block *b, const mm_node *blk, void *obj,
                             bool discard)
{
    const mm_node *once[SC_B__COUNT] = { 0 };
    for (const mm_node *n = blk->first_child; n; n = n->next) {
        if (n->kind != MM_NODE_BLOCK || !n->name)
            continue;
        const sc_block *cb = mm_sc_child_find(b, n->name);
        if (!cb) {
            unknown_block(B, b, n);
            continue;
        }
        bool dup = false;
        if (!cb->repeat) {
            if (once[cb->id]) {
                const char *where = b->id == SC_B_CLUSTER ? "a cluster" : b->name;
                char *hint = mm_xasprintf("%s has at most one `%s` block: merge the two",
                                       where, cb->name);
                mm_diag_add_related(B->d, MM_E_DUPLICATE_BLOCK, n->name_span,
                                    once[cb->id]->name_span, hint,
                                    "duplicate `%s` block (the first is at line %u)", cb->name,
                                    (unsigned)once[cb->id]->name_span.start.line);
                free(hint);
                dup = true;
            } else {
                once[cb->id] = n;
            }
        }
        /* A duplicate is still checked, so every problem is reported. */
        process_block(B, cb, n, obj, discard || dup);
    }
}

/* ---- public ---- */

static mm_cluster *new_cluster(void)
{
    mm_cluster *c = mm_xcalloc(1, sizeof *c);
    set_defaults(mm_sc_block_get(SC_B_CLUSTER), c, NULL);
    return c;
}

/* What `up` adds where the file has none. The historical tool built these
 * from its defaults alone, so their tags follow the default mesosVersion
 * (the corpus's upstream-withMarathon: 0.28 cluster, master 1.0.0-0.1.0). */
static void add_effective(mm_cluster *c)
{
    if (!c->master) {
        c->master = mm_xcalloc(1, sizeof *c->master);
        init_master(c->master, c, SC_DEFAULT_MESOS_VERSION);
    }
    if (!c->zookeeper)
        c->zookeeper = new_image(SC_B_ZOOKEEPER);
}

mm_cluster *mm_cluster_new_default(unsigned flags)
{
    mm_cluster *c = new_cluster();
    if (flags & MM_MODEL_EFFECTIVE)
        add_effective(c);
    return c;
}

/* A block the table says needs a sibling (registrator needs consul) is an
 * error at the block when the sibling is absent. */
static void check_requires(builder *B, const mm_node *root)
{
    const sc_block *cb = mm_sc_block_get(SC_B_CLUSTER);
    const sc_block *kids[SC_B__COUNT];
    size_t n = mm_sc_children(cb, kids);
    for (size_t i = 0; i < n; i++) {
        const sc_block *b = kids[i];
        if (b->requires == SC_B__COUNT || mm_sc_count(b, B->c) == 0)
            continue;
        const sc_block *need = mm_sc_block_get(b->requires);
        if (mm_sc_count(need, B->c) > 0)
            continue;
        const mm_node *at = NULL;
        for (const mm_node *k = root->first_child; k && !at; k = k->next)
            if (k->kind == MM_NODE_BLOCK && k->name && strcmp(k->name, b->name) == 0)
                at = k;
        char *hint = mm_xasprintf("add a `%s { }` block, or remove %s", need->name, b->name);
        mm_diag_add(B->d, MM_E_NEEDS, at ? at->name_span : root->name_span, hint,
                    "`%s` needs a `%s` block, but the cluster has none", b->name, need->name);
        free(hint);
    }
}

mm_cluster *mm_cluster_build(const mm_file *f, unsigned flags, mm_diags *d)
{
    mm_cluster *c = new_cluster();
    builder B = { d, c, NULL, 0, 0 };
    const mm_node *root = f ? f->root : NULL;
    if (!root) {
        if (!has_errors(d)) {
            mm_span at = { { 1, 1, 0 }, { 1, 1, 0 } };
            mm_diag_add(d, MM_W_NO_CLUSTER, at, "start the file with: minimesos { ... }",
                        "no `minimesos` block: this is the default cluster");
        }
    } else {
        const sc_block *cb = mm_sc_block_get(SC_B_CLUSTER);
        apply_props(&B, cb, root, c, NULL);
        process_children(&B, cb, root, c, false);
        check_requires(&B, root);
    }
    free(B.seen);
    if (flags & MM_MODEL_EFFECTIVE)
        add_effective(c);
    if (has_errors(d)) {
        mm_cluster_free(c);
        return NULL;
    }
    return c;
}

static char *abs_path(const char *path)
{
    char *r = realpath(path, NULL);
    return r ? r : NULL;
}

mm_cluster *mm_cluster_load(const char *path, unsigned flags, mm_diags *d)
{
    mm_file *f = mm_parse_path(path, d);
    mm_cluster *c = mm_cluster_build(f, flags, d);
    mm_file_free(f);
    if (c)
        mm_cluster_set_source(c, path);
    return c;
}

void mm_cluster_set_source(mm_cluster *c, const char *path)
{
    free(c->path);
    free(c->dir);
    c->path = c->dir = NULL;
    if (strcmp(path, "-") != 0) {
        c->path = abs_path(path);
        if (c->path) {
            char *slash = strrchr(c->path, '/');
            c->dir = slash == c->path ? mm_xstrdup("/") : mm_xstrndup(c->path, (size_t)(slash - c->path));
        }
    }
    if (!c->dir) {
        char *cwd = getcwd(NULL, 0);
        c->dir = cwd ? cwd : mm_xstrdup(".");
    }
}

void mm_cluster_add_default_agents(mm_cluster *c, size_t n)
{
    if (n == 0)
        return;
    c->agents = mm_xrealloc(c->agents, (c->n_agents + n) * sizeof *c->agents);
    for (size_t i = 0; i < n; i++) {
        mm_agent *a = &c->agents[c->n_agents++];
        init_agent(a, c, c->mesos_version);
        add_default_resources(a);
    }
}

/* Copies of every string property of a block's struct, in place of the
 * shared pointers a struct copy left there. */
static void dup_strings(const sc_block *b, void *obj)
{
    for (size_t i = 0; i < b->n_props; i++)
        if (b->props[i].type == SC_STRING) {
            char **f = &SC_FIELD(obj, &b->props[i], char *);
            *f = *f ? mm_xstrdup(*f) : NULL;
        }
}

static char *dup_or_null(const char *s)
{
    return s ? mm_xstrdup(s) : NULL;
}

static mm_image *copy_image(const mm_image *img)
{
    if (!img)
        return NULL;
    mm_image *o = mm_xcalloc(1, sizeof *o);
    o->name = dup_or_null(img->name);
    o->tag = dup_or_null(img->tag);
    return o;
}

static char **copy_strings(char *const *v, size_t n)
{
    if (!n)
        return NULL;
    char **o = mm_xcalloc(n, sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = dup_or_null(v[i]);
    return o;
}

mm_cluster *mm_cluster_copy(const mm_cluster *c)
{
    mm_cluster *o = mm_xcalloc(1, sizeof *o);
    *o = *c;
    dup_strings(mm_sc_block_get(SC_B_CLUSTER), o);
    if (c->master) {
        o->master = mm_xcalloc(1, sizeof *o->master);
        *o->master = *c->master;
        dup_strings(mm_sc_block_get(SC_B_MASTER), o->master);
    }
    o->zookeeper = copy_image(c->zookeeper);
    o->consul = copy_image(c->consul);
    o->registrator = copy_image(c->registrator);
    o->mesosdns = copy_image(c->mesosdns);
    o->agents = c->n_agents ? mm_xcalloc(c->n_agents, sizeof *o->agents) : NULL;
    for (size_t i = 0; i < c->n_agents; i++) {
        mm_agent *a = &o->agents[i];
        *a = c->agents[i];
        dup_strings(mm_sc_block_get(SC_B_AGENT), a);
        for (int k = 0; k < MM_RES__COUNT; k++) {
            a->res[k] = a->n_res[k] ? mm_xcalloc(a->n_res[k], sizeof *a->res[k]) : NULL;
            for (size_t r = 0; r < a->n_res[k]; r++) {
                a->res[k][r] = c->agents[i].res[k][r];
                a->res[k][r].role = dup_or_null(c->agents[i].res[k][r].role);
                a->res[k][r].ranges = dup_or_null(c->agents[i].res[k][r].ranges);
            }
        }
    }
    if (c->marathon) {
        o->marathon = mm_xcalloc(1, sizeof *o->marathon);
        *o->marathon = *c->marathon;
        dup_strings(mm_sc_block_get(SC_B_MARATHON), o->marathon);
        o->marathon->apps = copy_strings(c->marathon->apps, c->marathon->n_apps);
        o->marathon->groups = copy_strings(c->marathon->groups, c->marathon->n_groups);
    }
    o->path = dup_or_null(c->path);
    o->dir = dup_or_null(c->dir);
    return o;
}

void mm_cluster_free(mm_cluster *c)
{
    if (!c)
        return;
    mm_sc_free_fields(mm_sc_block_get(SC_B_CLUSTER), c);
    free(c->path);
    free(c->dir);
    free(c);
}

const char *mm_res_kind_name(mm_res_kind k)
{
    static const char *const names[MM_RES__COUNT] = { "ports", "cpus", "mem", "disk" };
    return k < MM_RES__COUNT ? names[k] : "?";
}

void mm_agent_mesos_resources_to(const mm_agent *a, void (*put)(void *ctx, const char *text, size_t n),
                                 void *ctx)
{
    char num[32];
    bool first = true;
    for (int k = 0; k < MM_RES__COUNT; k++)
        for (size_t i = 0; i < a->n_res[k]; i++) {
            const mm_resource *r = &a->res[k][i];
            const char *kind = mm_res_kind_name((mm_res_kind)k);
            const char *value = k == MM_RES_PORTS ? (r->ranges ? r->ranges : "")
                                                  : mm_format_number(r->value, num);
            if (!first)
                put(ctx, "; ", 2);
            first = false;
            put(ctx, kind, strlen(kind));
            put(ctx, "(", 1);
            put(ctx, r->role, strlen(r->role));
            put(ctx, "):", 2);
            put(ctx, value, strlen(value));
        }
}

static void put_strbuf(void *ctx, const char *text, size_t n)
{
    mm_sb_add(ctx, text, n);
}

char *mm_agent_mesos_resources(const mm_agent *a)
{
    strbuf sb = STRBUF_INIT;
    mm_agent_mesos_resources_to(a, put_strbuf, &sb);
    return mm_sb_detach(&sb);
}
