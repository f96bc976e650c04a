/* The canonical minimesosFile layout (`minimesos fmt`, and the text side of
 * `minimesos convert`): 4-space indent, one statement a line, `name = value`,
 * `name {` ... `}`, `;` dropped, at most one blank line where the source had
 * any (none right after `{` or before `}`), every comment kept where it was,
 * statement order unchanged, one newline at the end. fmt(fmt(x)) == fmt(x). */
#ifndef MINIMESOS_FMT_H
#define MINIMESOS_FMT_H

#include "ast.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The canonical text of a tree (malloc'd, NUL-terminated). For a parsed file
 * (f->src set, spans non-zero) strings and numbers keep their source spelling
 * and blank lines/comment placement follow the source; a tree built by code
 * (zero spans) is printed from its values. Never fails. */
char *mm_fmt(const mm_file *f);

#ifdef __cplusplus
}
#endif

#endif
