/* The canonical minimesosFile layout (`minimesos fmt`, and the text side of
 * `minimesos convert`): 4-space indent, one statement a line, `name = value`,
 * `name {` ... `}`, `;` dropped, at most one blank line where the source had
 * any (none right after `{` or before `}`), every comment kept where it was,
 * statement order unchanged, one newline at the end. fmt(fmt(x)) == fmt(x). */
#ifndef MM_FMT_H
#define MM_FMT_H

#include <stddef.h>

#include "minimesos/ast.h"
#include "util.h"

/* The canonical text of a tree (malloc'd, NUL-terminated). For a parsed file
 * (f->src set, spans non-zero) strings and numbers keep their source spelling
 * and blank lines/comment placement follow the source; a tree built by code
 * (zero spans) is printed from its values. Never fails. */
char *mm_fmt(const mm_file *f);

/* Append a string literal for text[0..len) in quote style q (MM_QUOTE_NONE
 * means double quotes), escaping what that style needs: `\"`, `\\`, `\$`
 * (double-quoted styles), control characters. */
void mm_fmt_quote(strbuf *sb, const char *text, size_t len, mm_quote q);

/* Append a value as it would appear after `name = `. */
void mm_fmt_value(strbuf *sb, const mm_value *v);

#endif
