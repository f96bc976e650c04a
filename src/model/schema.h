/* The schema table: every block and property of the minimesosFile language.
 *
 * One row per property says its type, nullability, default, rule, where the
 * model keeps it and one line of documentation. The model builder
 * (model.c), the emitters (emit_file.c, init's template), "did you mean"
 * hints and the canonical block/property order all read this table, so adding
 * a property is one row here (plus a field in model.h when it is new).
 * Internal to libminimesos.
 */
#ifndef MM_SCHEMA_H
#define MM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "minimesos/model.h"

typedef enum sc_type {
    SC_STRING,
    SC_INT,
    SC_NUMBER,
    SC_BOOL,
} sc_type;

/* What a value must satisfy beyond its type. */
typedef enum sc_rule {
    SC_R_NONE,
    SC_R_LEVEL,         /* INFO WARNING ERROR, any case, stored upper-case */
    SC_R_LEVEL_INHERIT, /* "# INHERIT FROM CLUSTER" or a level */
    SC_R_VERSION,       /* one of mm_sc_mesos_versions */
    SC_R_POSITIVE,      /* int > 0 */
    SC_R_PORT,          /* int 1..65535 */
    SC_R_IMAGE_NAME,    /* Docker repository reference (no tag) */
    SC_R_IMAGE_TAG,     /* Docker tag; legacy "# derive from mesos version" */
    SC_R_JSON,          /* valid JSON text */
    SC_R_ROLE,          /* Mesos role: * or [A-Za-z0-9_][A-Za-z0-9_.-]* */
    SC_R_SCALAR,        /* number >= 0; a quoted number is accepted */
    SC_R_RANGES,        /* "[a-b,c-d]", low <= high <= 65535 */
    SC_R_PATH_OR_URL,   /* non-empty: a path relative to the file, or an http(s) URL */
} sc_rule;

enum {
    SC_F_NULLABLE = 1u << 0,  /* null is allowed (stored as NULL) */
    SC_F_REQUIRED = 1u << 1,  /* the block must set it */
    SC_F_DERIVED  = 1u << 2,  /* default is "<mesosVersion>-0.1.0" */
};

typedef enum sc_block_id {
    SC_B_CLUSTER,
    SC_B_MASTER,
    SC_B_AGENT,
    SC_B_RESOURCES,
    SC_B_CPU,
    SC_B_MEM,
    SC_B_DISK,
    SC_B_PORTS,
    SC_B_ZOOKEEPER,
    SC_B_MARATHON,
    SC_B_APP,
    SC_B_GROUP,
    SC_B_CONSUL,
    SC_B_REGISTRATOR,
    SC_B_MESOSDNS,
    SC_B__COUNT
} sc_block_id;

typedef struct sc_prop {
    const char *name;
    sc_type type;
    unsigned flags;         /* SC_F_* */
    sc_rule rule;
    const char *def_str;    /* SC_STRING default; NULL means null (or derived) */
    long def_num;           /* SC_INT / SC_BOOL default */
    size_t offset;          /* where the block's model struct keeps it */
    const char *doc;        /* one line */
} sc_prop;

/* The model struct of a block that has no struct of its own in model.h. */
typedef struct sc_app {
    char *marathon_json;
} sc_app;

/* Where a block's model struct lives inside its parent's. */
typedef enum sc_at_kind {
    SC_AT_ROOT,     /* the cluster itself */
    SC_AT_ONE,      /* a T * at `at` in the parent (NULL when absent) */
    SC_AT_MANY,     /* a T * array at `at` with a size_t count at `count_at` */
    SC_AT_INLINE,   /* no struct of its own: its children live in the parent's */
} sc_at_kind;

typedef struct sc_block {
    sc_block_id id;
    const char *name;
    sc_block_id parent;         /* SC_B__COUNT for the cluster */
    bool repeat;                /* 0..n (else 0..1) */
    mm_res_kind res_kind;       /* resource blocks only */
    const sc_prop *props;
    size_t n_props;
    const char *doc;
    sc_at_kind at_kind;
    size_t at, count_at, size;  /* see sc_at_kind; size: sizeof the block's struct */
    const char *json_key;       /* its key in `config` JSON ("agents"); NULL: its name */
    sc_block_id requires;       /* a sibling block it cannot work without, or SC_B__COUNT */
    bool effective;             /* a 0..1 block the effective model always has (MM_MODEL_EFFECTIVE
                                   adds it where the file has none) */
} sc_block;

extern const char *const mm_sc_mesos_versions[];   /* NULL-terminated */
extern const char *const mm_sc_levels[];           /* INFO WARNING ERROR, NULL-terminated */

#define SC_DEFAULT_MESOS_VERSION "1.0.0"
#define SC_TAG_SUFFIX            "-0.1.0"
#define SC_INHERIT               "# INHERIT FROM CLUSTER"
#define SC_LEGACY_DERIVE         "# derive from mesos version"
#define SC_SCALAR_MAX            1e15   /* largest cpu/mem/disk value */

const sc_block *mm_sc_block_get(sc_block_id id);
/* The model struct of child block cb inside parent_obj (the struct of cb's
 * parent block): how many there are (0 or 1 for a 0..1 block), and the i-th.
 * Every walk over a model (JSON, minimesosFile, free) goes through these. */
size_t mm_sc_count(const sc_block *cb, const void *parent_obj);
void *mm_sc_instance(const sc_block *cb, const void *parent_obj, size_t i);
/* A new model struct for block b with every row at its default (tags
 * derived from c's mesosVersion, levels inherited from c's), malloc'd. */
void *mm_sc_new_default(const sc_block *b, const mm_cluster *c);
/* Free the strings of every row and every child block of obj (of block b),
 * recursively; not obj itself. */
void mm_sc_free_fields(const sc_block *b, void *obj);
/* The key of a block in the model's JSON. */
const char *mm_sc_json_key(const sc_block *b);

/* A property of block b, or NULL. */
const sc_prop *mm_sc_prop_find(const sc_block *b, const char *name);
/* A child block of b so named, or NULL. */
const sc_block *mm_sc_child_find(const sc_block *b, const char *name);
/* The new name of a renamed property of b (e.g. exposePorts), or NULL. */
const char *mm_sc_renamed(const sc_block *b, const char *name);

/* "did you mean `x`?" or, when nothing is close, the list of what is allowed
 * here. prefer_blocks: look among child blocks first. malloc'd. */
char *mm_sc_hint_unknown(const sc_block *b, const char *name, bool prefer_blocks);

/* Value checks, exposed for the tests. */
bool mm_sc_valid_image_name(const char *s);
bool mm_sc_valid_image_tag(const char *s);
bool mm_sc_valid_role(const char *s);
/* 0 when valid; else a malloc'd reason ("65536 is above 65535"). */
char *mm_sc_check_ranges(const char *s);
/* Parse a number written as text (the language's number form, whole string).
 * Returns false when it is not one. */
bool mm_sc_parse_number_text(const char *s, double *out);
/* A double as the shortest text that reads back to the same value
 * ("4", "0.2", "1e+300"), for JSON and minimesosFile output. buf: 32 bytes. */
const char *mm_sc_format_double(double v, char buf[32]);
/* The image tag derived from a mesos version: "<v>-0.1.0". malloc'd. */
char *mm_sc_derived_tag(const char *mesos_version);

/* Describing a row, for generated docs, hover and completion (one source
 * with validation): the type's name ("string", "int", "number", "bool"),
 * the default as the file would write it ("\"INFO\"", "60", "null",
 * "<mesosVersion>-0.1.0", or "required"), and the allowed values in words
 * ("INFO, WARNING or ERROR (any case)", "1..65535", or "" when any value of
 * the type goes). The last two are malloc'd. */
const char *mm_sc_type_name(sc_type t);
char *mm_sc_prop_default_text(const sc_prop *p);
char *mm_sc_prop_allowed_text(const sc_prop *p);
/* The blocks whose parent is b, in table order (n: how many, at most
 * SC_B__COUNT). */
size_t mm_sc_children(const sc_block *b, const sc_block *out[SC_B__COUNT]);

/* The rule as an ECMA-262 regular expression (also a POSIX extended one:
 * no escapes inside brackets, no (?:), anchored) that matches exactly the
 * strings the rule's check accepts, for JSON Schema `pattern`, together with
 * mm_sc_rule_max_length (bytes; 0: no limit beyond the pattern's); NULL when
 * the rule has no such form. Two conditions are left out: low <= high in
 * SC_R_RANGES, and SC_R_SCALAR's text (its number form) at most 1e15. */
const char *mm_sc_rule_pattern(sc_rule r);
size_t mm_sc_rule_max_length(sc_rule r);

/* Accessors through a row's offset. */
#define SC_FIELD(obj, prop, type) (*(type *)((char *)(obj) + (prop)->offset))

/* A strbuf-producing minimesosFile writer (emit_file.c). */
enum {
    SC_EMIT_TEMPLATE = 1u << 0, /* init: doc comments, inherited levels and derived tags left to defaults */
};
char *mm_sc_emit_minimesosfile(const mm_cluster *c, unsigned opts, const char *header);

#endif
