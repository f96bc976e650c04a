/* The syntax tree of a minimesosFile.
 *
 * Produced by the flex scanner and bison parser (grammar/), it keeps every
 * statement in source order with exact spans, and every comment attached to
 * the statement it belongs to, so diagnostics point at the exact place and
 * `fmt` can rewrite a file without losing a comment. It knows nothing of the
 * schema: `clusterNme = "x"` parses fine and is rejected by the model layer.
 */
#ifndef MINIMESOS_AST_H
#define MINIMESOS_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds: beyond these the parser reports MM_E_TOO_DEEP / MM_E_TOO_LARGE. */
#define MM_MAX_DEPTH        64
#define MM_MAX_FILE_BYTES   (64u * 1024 * 1024)
#define MM_MAX_STRING_BYTES (1u * 1024 * 1024)
#define MM_MAX_NUMBER_CHARS 64

typedef enum mm_value_kind {
    MM_VAL_STRING,   /* "..." '...' """...""" '''...''' */
    MM_VAL_NUMBER,
    MM_VAL_BOOL,
    MM_VAL_NULL,
} mm_value_kind;

typedef enum mm_quote {
    MM_QUOTE_NONE = 0,
    MM_QUOTE_DOUBLE,        /* "..."   */
    MM_QUOTE_SINGLE,        /* '...'   */
    MM_QUOTE_TRIPLE_DOUBLE, /* """...""" */
    MM_QUOTE_TRIPLE_SINGLE, /* '''...''' */
} mm_quote;

typedef struct mm_value {
    mm_value_kind kind;
    /* STRING: the decoded text (escapes resolved), NUL-terminated; len bytes
     *         (a decoded \u0000 is rejected by the scanner, so no embedded NUL).
     * NUMBER: the source text exactly as written, e.g. "0.20", "-1e3". */
    char *text;
    size_t len;
    double number;      /* NUMBER: the value */
    bool is_integer;    /* NUMBER: written without '.' or exponent */
    bool boolean;       /* BOOL */
    mm_quote quote;     /* STRING: how it was written */
    mm_span span;       /* the whole literal, quotes included */
} mm_value;

typedef struct mm_comment {
    char *text;         /* exactly as written: a line comment, a block comment or "#!..." */
    mm_span span;
    struct mm_comment *next;
} mm_comment;

typedef enum mm_node_kind {
    MM_NODE_PROPERTY,   /* name = value */
    MM_NODE_BLOCK,      /* name { ... } */
} mm_node_kind;

/* A statement. Its kind decides which fields it has: a PROPERTY's `value`
 * and a BLOCK's children, braces and inner comments share storage (a node is
 * 168 bytes, not 248: a large file has hundreds of thousands of them), so
 * read `value` only when kind == MM_NODE_PROPERTY and first_child,
 * last_child, open_brace, close_brace and inner only when
 * kind == MM_NODE_BLOCK; the other kind's fields hold garbage.
 *
 * Nodes made by the parser (`pooled`) live, with their names and value
 * texts, in their file's pool: they stay valid until mm_file_free, texts
 * are shared between nodes (equal names and short values are stored once,
 * so never write to them), and mm_node_free on such a node frees only its
 * comments and any node built from code below it. Nodes made by
 * mm_node_new_* own their strings, may be appended to any tree, and are
 * freed by mm_node_free or with the file they belong to. */
typedef struct mm_node {
    mm_node_kind kind : 8;  /* 8 bits, so kind, blank_before, pooled and n_children take 8 bytes */
    bool blank_before;      /* a blank line separated it from what came before */
    bool pooled;            /* made by the parser: see above */
    uint32_t n_children;    /* BLOCK: how many; always 0 for a PROPERTY (a file
                             * of at most MM_MAX_FILE_BYTES has far fewer than 2^32) */
    char *name;
    mm_span name_span;
    mm_span span;               /* whole statement: name .. value or closing brace */
    struct mm_node *next;           /* next sibling */
    struct mm_node *parent;         /* NULL for the root block */
    mm_comment *leading;    /* own-line comments directly before this statement */
    mm_comment *trailing;   /* a comment on the same line after it */
    union {
        mm_value value;             /* PROPERTY only */
        struct {                    /* BLOCK only */
            struct mm_node *first_child;    /* in source order */
            struct mm_node *last_child;
            mm_comment *inner;      /* comments after the last child, before '}' */
            mm_span open_brace, close_brace;/* close_brace is zero if missing */
        };
    };
} mm_node;

typedef struct mm_file {
    char *filename;         /* as given; "<stdin>" for standard input */
    char *src;              /* a NUL-terminated copy of the text */
    size_t len;
    mm_comment *shebang;    /* "#!..." on line 1, or NULL */
    char *package;          /* "a.b.c" of a `package` line, or NULL (ignored by the model) */
    mm_span package_span;
    mm_comment *head;       /* comments before `package`/`minimesos` */
    mm_node *root;          /* the `minimesos` block; NULL when the file has none */
    mm_comment *tail;       /* comments after the root block */
    struct mm_pool *pool;   /* the parsed nodes and their texts (internal); NULL
                             * for a file from mm_file_new */
} mm_file;

/* Parse text. Never returns NULL (except out of memory): on syntax errors the
 * tree holds what could be recovered and `d` says what went wrong. A file with
 * no `minimesos` block (empty, comments only) gives root == NULL and no error.
 * filename is used for diagnostics only. */
mm_file *mm_parse(const char *src, size_t len, const char *filename, mm_diags *d);

/* Read and parse a file; path "-" reads standard input. On a read error
 * returns a file with root == NULL and an MM_E_IO diagnostic. */
mm_file *mm_parse_path(const char *path, mm_diags *d);

void mm_file_free(mm_file *f);

/* Helpers for walking a block. */
mm_node *mm_node_child(const mm_node *block, const char *name); /* first child so named;
                                                                 * NULL for a property */
const char *mm_value_kind_str(mm_value_kind kind);              /* "string", "number", ... */

/* Building trees from code (used by `convert` from JSON and by `init`):
 * all strings are copied; spans are zero. */
mm_node *mm_node_new_block(const char *name);
mm_node *mm_node_new_property(const char *name, mm_value value); /* value.text is copied */
void mm_node_append(mm_node *block, mm_node *child);
mm_file *mm_file_new(void);
void mm_node_free(mm_node *n);

#ifdef __cplusplus
}
#endif

#endif
