/* `minimesos convert`: a minimesosFile's literal JSON form and back.
 *
 * The JSON of a file is an object of the `minimesos` block's properties and
 * blocks, no defaults added: a block named agent, app, group, cpu, mem, disk
 * or ports (the repeatable ones) is always an array of objects, any other
 * block an object; values keep their type (strings, numbers by value,
 * booleans, null). Converting a file to JSON and back gives the same model. */
#ifndef MINIMESOS_CONVERT_H
#define MINIMESOS_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

/* True for the names whose blocks may repeat (and so become JSON arrays). */
bool mm_convert_repeatable(const char *name);

/* The literal JSON of a parsed file (caller frees with cJSON_Delete); `{}`
 * for a file without a `minimesos` block. NULL, with diagnostics, when the
 * tree cannot be expressed: a second copy of a non-repeatable block, or one
 * name used for both a property and a block in the same block. A repeated
 * property keeps its last value (as the model does). */
struct cJSON *mm_convert_to_json(const mm_file *f, mm_diags *d);

/* The JSON Schema (draft 2020-12) of that literal form for a valid file,
 * generated from the schema table (`minimesos schema --for convert`):
 * block names as keys, repeatable blocks as arrays (or one object, which
 * mm_convert_from_json takes too), no key required but a
 * block's required properties, no unknown key, values as the language takes
 * them (a level in any case, a resource value as a number or a quoted
 * number). `minimesos lint` checks more (low <= high in port ranges, valid
 * aclJson). The caller frees with cJSON_Delete. */
struct cJSON *mm_convert_json_schema(void);

/* A tree from JSON (an object as above); NULL, with MM_E_BAD_JSON (or
 * MM_E_TOO_DEEP / MM_E_TOO_LARGE) diagnostics naming the JSON path, when the
 * value cannot be expressed: not an object at the top, nested arrays, an
 * array of non-objects, an array for a non-repeatable name, a key that is not
 * an identifier, blocks nested too deep. Spans in the tree are zero; strings
 * get double quotes, or """ when they hold a new line. */
mm_file *mm_convert_from_json(const struct cJSON *json, mm_diags *d);

/* Parse JSON text (syntax errors get a line:column) and convert it. */
mm_file *mm_convert_from_json_text(const char *text, size_t len, const char *filename,
                                   mm_diags *d);

/* JSON text, indented by two spaces, numbers that are whole printed without
 * a fraction, no trailing newline (malloc'd). Nesting beyond 1000 levels is
 * printed as null. */
char *mm_json_print(const struct cJSON *json);

#ifdef __cplusplus
}
#endif

#endif
