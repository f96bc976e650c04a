/* Diagnostics: every error and warning the toolkit reports.
 *
 * A diagnostic has a stable code (below), a severity, a message, a 1-based
 * line:column span in one file and, where it helps, a hint ("did you mean
 * `mapPortsToHost`?", the allowed values) and a related span (the first copy
 * of a duplicated block). Parsing and validation append to one mm_diags list
 * and go on, so a single run reports every problem.
 */
#ifndef MINIMESOS_DIAG_H
#define MINIMESOS_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

/* A position in a source file. line and col are 1-based; col counts bytes.
 * off is the 0-based byte offset. */
typedef struct mm_pos {
    uint32_t line;
    uint32_t col;
    uint32_t off;
} mm_pos;

/* [start, end): end is the position just past the last byte. */
typedef struct mm_span {
    mm_pos start;
    mm_pos end;
} mm_span;

typedef enum mm_severity {
    MM_SEV_ERROR = 0,
    MM_SEV_WARNING = 1,
    MM_SEV_NOTE = 2,
} mm_severity;

/* The stable codes. X(enum, "code", severity, "short name").
 * Codes never change meaning once released; new ones are appended.
 * E1xx: reading and syntax; E2xx: schema and values; W3xx: warnings. */
#define MM_DIAG_CODES(X) \
    X(MM_E_IO,              "E100", MM_SEV_ERROR,   "io-error") \
    X(MM_E_SYNTAX,          "E101", MM_SEV_ERROR,   "syntax-error") \
    X(MM_E_UNTERMINATED,    "E102", MM_SEV_ERROR,   "unterminated-string") \
    X(MM_E_NEWLINE_IN_STR,  "E103", MM_SEV_ERROR,   "newline-in-string") \
    X(MM_E_BAD_ESCAPE,      "E104", MM_SEV_ERROR,   "invalid-escape") \
    X(MM_E_UNTERM_COMMENT,  "E105", MM_SEV_ERROR,   "unterminated-comment") \
    X(MM_E_BAD_CHAR,        "E106", MM_SEV_ERROR,   "invalid-character") \
    X(MM_E_BAD_UTF8,        "E107", MM_SEV_ERROR,   "invalid-utf8") \
    X(MM_E_TOO_DEEP,        "E108", MM_SEV_ERROR,   "nesting-too-deep") \
    X(MM_E_TOO_LARGE,       "E109", MM_SEV_ERROR,   "too-large") \
    X(MM_E_INTERPOLATION,   "E110", MM_SEV_ERROR,   "interpolation") \
    X(MM_E_UNCLOSED_BLOCK,  "E111", MM_SEV_ERROR,   "unclosed-block") \
    X(MM_E_MULTIPLE_ROOTS,  "E112", MM_SEV_ERROR,   "multiple-cluster-blocks") \
    X(MM_E_NOT_CLUSTER,     "E113", MM_SEV_ERROR,   "not-a-cluster-block") \
    X(MM_E_UNKNOWN_PROP,    "E200", MM_SEV_ERROR,   "unknown-property") \
    X(MM_E_UNKNOWN_BLOCK,   "E201", MM_SEV_ERROR,   "unknown-block") \
    X(MM_E_DUPLICATE_BLOCK, "E202", MM_SEV_ERROR,   "duplicate-block") \
    X(MM_E_WRONG_TYPE,      "E203", MM_SEV_ERROR,   "wrong-type") \
    X(MM_E_NOT_ALLOWED,     "E204", MM_SEV_ERROR,   "value-not-allowed") \
    X(MM_E_OUT_OF_RANGE,    "E205", MM_SEV_ERROR,   "out-of-range") \
    X(MM_E_BAD_IMAGE,       "E206", MM_SEV_ERROR,   "invalid-image-reference") \
    X(MM_E_BAD_JSON,        "E207", MM_SEV_ERROR,   "invalid-json") \
    X(MM_E_MISSING,         "E208", MM_SEV_ERROR,   "missing-property") \
    X(MM_E_BAD_ROLE,        "E209", MM_SEV_ERROR,   "invalid-role") \
    X(MM_E_BAD_RANGES,      "E210", MM_SEV_ERROR,   "invalid-port-ranges") \
    X(MM_E_BAD_NUMBER,      "E211", MM_SEV_ERROR,   "invalid-number") \
    X(MM_E_NEEDS,           "E212", MM_SEV_ERROR,   "missing-dependency") \
    X(MM_E_RENAMED,         "E213", MM_SEV_ERROR,   "renamed-property") \
    X(MM_E_BLOCK_AS_PROP,   "E214", MM_SEV_ERROR,   "block-used-as-property") \
    X(MM_E_PROP_AS_BLOCK,   "E215", MM_SEV_ERROR,   "property-used-as-block") \
    X(MM_W_LEGACY_TAG,      "W300", MM_SEV_WARNING, "legacy-derived-tag") \
    X(MM_W_ACL_UNUSED,      "W301", MM_SEV_WARNING, "acl-without-authenticate") \
    X(MM_W_DUP_RESOURCE,    "W302", MM_SEV_WARNING, "duplicate-resource") \
    X(MM_W_NO_CLUSTER,      "W303", MM_SEV_WARNING, "no-cluster-block") \
    X(MM_W_DUP_PROPERTY,    "W304", MM_SEV_WARNING, "duplicate-property") \
    X(MM_W_NOT_FOR_STACK,   "W305", MM_SEV_WARNING, "not-honoured-by-a-stack")

typedef enum mm_diag_code {
#define MM_X_ENUM(e, code, sev, name) e,
    MM_DIAG_CODES(MM_X_ENUM)
#undef MM_X_ENUM
    MM_DIAG__COUNT
} mm_diag_code;

typedef struct mm_diag {
    mm_diag_code code;
    mm_severity severity;
    char *message;      /* one sentence, no trailing period */
    char *hint;         /* NULL or a suggestion */
    mm_span span;
    bool has_related;
    mm_span related;    /* e.g. the first occurrence of a duplicate */
} mm_diag;

typedef struct mm_diags {
    mm_diag *items;
    size_t len, cap;
    char *filename;     /* as given by the user; "<stdin>" for standard input */
} mm_diags;

void mm_diags_init(mm_diags *d, const char *filename);
void mm_diags_free(mm_diags *d);

/* Append a diagnostic; severity comes from the code's row. hint may be NULL.
 * The message is printf-formatted. */
void mm_diag_add(mm_diags *d, mm_diag_code code, mm_span span, const char *hint,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, with a related span. */
void mm_diag_add_related(mm_diags *d, mm_diag_code code, mm_span span, mm_span related,
                         const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

size_t mm_diags_count(const mm_diags *d, mm_severity sev);
/* Sort by position (stable), so output follows the file. */
void mm_diags_sort(mm_diags *d);

const char *mm_diag_code_str(mm_diag_code code);   /* "E201" */
const char *mm_diag_code_name(mm_diag_code code);  /* "unknown-block" */
const char *mm_severity_str(mm_severity sev);      /* "error" */

/* Emitters. src/len is the file's text (may be NULL: then no source line is shown).
 * text: "file:line:col: error[E201]: message" + the source line with a caret
 *       under the span + "  = hint: ..." (colour when color is true).
 * gcc:  "file:line:col: error: message [E201]" one line each (hint appended
 *       as "; hint: ..." ), the form editors and CI problem matchers read.
 * json: appends one object per diagnostic to the array `out`:
 *       {"file","line","column","endLine","endColumn","severity","code",
 *        "name","message","hint"(or null)} */
void mm_diags_print_text(FILE *out, const mm_diags *d, const char *src, size_t len, bool color);
void mm_diags_print_gcc(FILE *out, const mm_diags *d);
void mm_diags_to_json(const mm_diags *d, struct cJSON *out);

/* SARIF 2.1.0, the format of code-scanning dashboards (`lint --format
 * sarif`). mm_sarif_new: a log (free with cJSON_Delete) with one run of the
 * tool "minimesos" whose rules are the code table above (id, name,
 * shortDescription, defaultConfiguration.level), and whose base URI
 * %SRCROOT% is the current folder. mm_sarif_add: one file's diagnostics as
 * results (ruleId, ruleIndex, level, message with the hint, the span as a
 * region with 1-based lines and UTF-16 columns, the related span as a
 * related location) and the file as an artifact. path: the file as named
 * on the command line, given a URI relative to the current folder; NULL for
 * standard input (no URI). src/len: its text, for the columns (NULL: byte
 * columns). */
struct cJSON *mm_sarif_new(void);
void mm_sarif_add(struct cJSON *log, const mm_diags *d, const char *path, const char *src,
                  size_t len);

/* Edit distance helper for "did you mean" hints: the closest of candidates
 * (NULL-terminated) within a small distance of word, or NULL. */
const char *mm_closest(const char *word, const char *const *candidates);

#ifdef __cplusplus
}
#endif

#endif
