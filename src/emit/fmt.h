/* Internal helpers of the formatter; the public part is minimesos/fmt.h. */
#ifndef MM_FMT_H
#define MM_FMT_H

#include <stddef.h>

#include "minimesos/fmt.h"
#include "base/util.h"


/* Append a string literal for text[0..len) in quote style q (MM_QUOTE_NONE
 * means double quotes), escaping what that style needs: `\"`, `\\`, `\$`
 * (double-quoted styles), control characters. */
void mm_fmt_quote(strbuf *sb, const char *text, size_t len, mm_quote q);

/* Append a value as it would appear after `name = `. */
void mm_fmt_value(strbuf *sb, const mm_value *v);

#endif
