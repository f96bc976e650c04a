/* Re-parsing a file after one edit, statements in place (ast.c). Internal
 * to libminimesos: the language server's fast path (src/lsp/server.c). */
#ifndef MM_LANG_REPARSE_H
#define MM_LANG_REPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "minimesos/ast.h"

/* f is the parse of a text that had no parse diagnostic at all (the caller
 * knows: mm_parse added none). That text had its bytes [a, b) replaced with
 * n others, giving src[0..len). When the edit lies inside one block, between
 * statements that it leaves alone, re-scan and re-parse only the statements
 * it touches (and the white space and comments around them), put them in
 * place of the old ones, move every later position, and make f->src the new
 * text: f is then what mm_parse(src, len) would have built, node for node,
 * comment for comment. Returns false, with f's tree and text untouched (its
 * pool may have grown), when the edit is not safely local: it is not inside
 * the `minimesos` block's braces (or there is none), the re-parsed part has
 * any diagnostic (a syntax error is then reported by a full parse, where it
 * is), a comment would move to another statement, a token would run on past
 * the part, or the text is too large. The old statements stay in f's pool
 * (see mm_pool_footprint) until f is freed. */
bool mm_reparse_edit(mm_file *f, const char *src, size_t len, size_t a, size_t b, size_t n);
/* With src == f->src (a tree from mm_parse_in_place whose buffer the caller
 * has edited already, and pointed f->src at again), only f->len changes. */

/* mm_parse without the copy: buf (len bytes, then two NUL bytes, writable)
 * becomes f->src, borrowed. The scanner writes in it while it runs and puts
 * every byte back. The caller keeps buf alive while f lives, points f->src
 * at it again whenever it moves, and sets f->src to NULL before
 * mm_file_free(f). The language server keeps one copy of a document's text
 * this way, not two. */
mm_file *mm_parse_in_place(char *buf, size_t len, const char *filename, mm_diags *d);

#endif
