/* The language server's parts, internal to libminimesos (the public entry is
 * minimesos/lsp.h): the message reader and writer (rpc.c), document text and
 * position encodings (text.c), the server: lifecycle, documents,
 * diagnostics (server.c), the loop over file descriptors (serve.c), and
 * what it answers about a document: hover, completion, formatting, symbols,
 * quick fixes (features.c). Exposed here for the unit tests, the fuzzer and
 * the benchmark client. */
#ifndef MM_LSP_INTERNAL_H
#define MM_LSP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "minimesos/lsp.h"
#include "minimesos/ast.h"
#include "minimesos/diag.h"

/* ---- framing: Content-Length headers, then the content (rpc.c) ---- */

/* Longest header section accepted (the headers are two short lines). */
#define MM_LSP_MAX_HEADER 8192

enum {
    MM_LSP_READ_MORE = 0,    /* nothing complete: feed more bytes */
    MM_LSP_READ_MESSAGE,     /* *body, *len: one message's content */
    MM_LSP_READ_BAD_HEADER,  /* a malformed header section; r->error says how;
                              * the reader looks for the next Content-Length */
    MM_LSP_READ_TOO_LARGE,   /* Content-Length above the limit: refused; its
                              * content is skipped as it arrives, not kept */
};

typedef struct mm_lsp_reader {
    char *buf;              /* bytes not consumed yet: buf[start..len) */
    size_t start, len, cap;
    size_t max_body;
    int state;              /* see rpc.c */
    size_t body_len;        /* reading a content of this many bytes */
    size_t skip_left;       /* skipping a refused content */
    char error[200];        /* what the last BAD_HEADER / TOO_LARGE was */
} mm_lsp_reader;

void mm_lsp_reader_init(mm_lsp_reader *r, size_t max_body);
void mm_lsp_reader_free(mm_lsp_reader *r);
/* Hand the reader bytes as they arrive (any split). */
void mm_lsp_reader_feed(mm_lsp_reader *r, const char *data, size_t n);
/* The next event. A MESSAGE's body stays valid until the next call to
 * feed or next; it is not NUL-terminated. */
int mm_lsp_reader_next(mm_lsp_reader *r, const char **body, size_t *len);

/* "Content-Length: N\r\n\r\n" + body, into a malloc'd buffer. */
char *mm_lsp_frame(const char *body, size_t len, size_t *out_len);

/* ---- document text and positions (text.c) ---- */

/* How a Position's character counts: UTF-8 bytes, UTF-16 code units (the
 * protocol's default) or code points. */
typedef enum mm_lsp_enc { MM_LSP_UTF8, MM_LSP_UTF16, MM_LSP_UTF32 } mm_lsp_enc;

const char *mm_lsp_enc_name(mm_lsp_enc e); /* "utf-8", "utf-16", "utf-32" */

typedef struct mm_lsp_pos {
    uint32_t line, character;   /* both 0-based */
} mm_lsp_pos;

/* The text of an open document and where its lines start. Lines end at
 * "\r\n", "\n" or a lone "\r", as the protocol says. The line index is
 * built lazily and, after an edit, kept up to the edit (typing costs no
 * full rescan). */
typedef struct mm_lsp_text {
    char *buf;          /* len bytes, then two NULs */
    size_t len, cap;
    uint32_t *lines;    /* byte offsets of the line starts known so far; lines[0] = 0 */
    size_t n_lines, cap_lines;
    bool lines_done;    /* every line start is in lines[] */
} mm_lsp_text;

/* The largest document kept (edits that would grow it beyond are refused). */
#define MM_LSP_MAX_DOC (256u * 1024 * 1024)

void mm_lsp_text_init(mm_lsp_text *t);
void mm_lsp_text_free(mm_lsp_text *t);
void mm_lsp_text_set(mm_lsp_text *t, const char *s, size_t n);
/* Replace bytes [a, b) with s[0..n); false (nothing changed) when the text
 * would grow past MM_LSP_MAX_DOC. a <= b <= len. */
bool mm_lsp_text_replace(mm_lsp_text *t, size_t a, size_t b, const char *s, size_t n);
/* A position to a byte offset: a character past the line's end means the
 * end of the line, a line past the last the end of the text; inside a
 * character (half a surrogate pair, a byte of a sequence) rounds down. */
size_t mm_lsp_text_offset(mm_lsp_text *t, mm_lsp_pos p, mm_lsp_enc enc);
/* A byte offset to a position (an offset inside a line break or a
 * character rounds down to where it starts). */
mm_lsp_pos mm_lsp_text_position(mm_lsp_text *t, size_t off, mm_lsp_enc enc);
/* The byte offset where the line holding off starts. */
size_t mm_lsp_text_line_start(mm_lsp_text *t, size_t off);

/* ---- the server (server.c) ---- */

typedef struct mm_lsp_server mm_lsp_server;

/* Where the server's messages go: one JSON text each (not framed). */
typedef void (*mm_lsp_write_fn)(void *user, const char *json, size_t len);

mm_lsp_server *mm_lsp_server_new(const mm_lsp_options *o, mm_lsp_write_fn write, void *user);
void mm_lsp_server_free(mm_lsp_server *s);

/* Handle messages that arrived together, in order: requests are answered,
 * notifications applied; a `$/cancelRequest` anywhere in the batch cancels a
 * request of the batch not answered yet; a didChange whose edits a later
 * full text (or a close) of the same document makes moot is skipped. Then
 * every document changed is checked once and its diagnostics published.
 * The batch takes the messages: each is deleted once handled (and msgs[i]
 * set to NULL), so a large text is not held through the check. */
void mm_lsp_server_batch(mm_lsp_server *s, cJSON **msgs, size_t n);
/* One message's content as it came off the wire, parsed: exactly one JSON
 * value (white space around it allowed). NULL with *err_at (where it went
 * wrong) when it is not. */
cJSON *mm_lsp_parse_json(const char *json, size_t len, size_t *err_at);
/* The parse error response (and log line) for content that is not JSON. */
void mm_lsp_server_not_json(mm_lsp_server *s, size_t err_at, size_t len);
/* Parse, then a batch of one (or the parse error). */
void mm_lsp_server_text(mm_lsp_server *s, const char *json, size_t len);
/* An error response with a null id (bad framing, bad JSON, too large), and
 * the same line to the log. */
void mm_lsp_server_wire_error(mm_lsp_server *s, int code, const char *message);
/* After `exit`: true, with *status 0 (after shutdown) or 1. */
bool mm_lsp_server_exited(const mm_lsp_server *s, int *status);
/* The status if the input ends now: 0 after shutdown, 1 before. */
int mm_lsp_server_eof_status(const mm_lsp_server *s);
/* How many times a document was parsed and checked (for the tests). */
size_t mm_lsp_server_checks(const mm_lsp_server *s);
/* How many checks parsed the whole text, and how many edits were re-parsed
 * in place instead (lang/reparse.h), for the tests and the benchmark. */
size_t mm_lsp_server_full_parses(const mm_lsp_server *s);
size_t mm_lsp_server_reparses(const mm_lsp_server *s);
void mm_lsp_server_log(mm_lsp_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON-RPC and LSP error codes. */
enum {
    MM_LSP_PARSE_ERROR = -32700,
    MM_LSP_INVALID_REQUEST = -32600,
    MM_LSP_METHOD_NOT_FOUND = -32601,
    MM_LSP_INVALID_PARAMS = -32602,
    MM_LSP_INTERNAL_ERROR = -32603,
    MM_LSP_SERVER_NOT_INITIALIZED = -32002,
    MM_LSP_REQUEST_FAILED = -32803,
    MM_LSP_REQUEST_CANCELLED = -32800,
};

/* ---- documents ---- */

typedef struct mm_lsp_doc {
    char *uri;
    mm_lsp_text text;
    int64_t version;
    bool analysed;          /* file and diags are those of text */
    bool publish;           /* diagnostics to publish at the end of the batch */
    bool syntax_errors;     /* the parse alone found errors (fmt refuses) */
    mm_file *file;          /* the last parse */
    bool tree_current;      /* file is the parse of text (edits re-parsed in place) */
    bool tree_clean;        /* ... and that parse had no diagnostic: edits may be
                             * re-parsed in place (lang/reparse.h) */
    size_t pool_base;       /* file's pool footprint after its full parse: what
                             * re-parses leave behind there is bounded by it */
    mm_diags diags;         /* parse + model, sorted, as `lint` reports them */
    struct mm_lsp_doc *next;
} mm_lsp_doc;

/* What the client said it can do, and the encoding agreed. */
typedef struct mm_lsp_client_caps {
    mm_lsp_enc enc;
    bool snippets;          /* completionItem.snippetSupport */
    bool markdown_hover;    /* hover.contentFormat has markdown (or was not given) */
    bool markdown_completion;
    bool hierarchical_symbols;
} mm_lsp_client_caps;

/* An LSP Range of the byte span [a, b) of doc. */
cJSON *mm_lsp_range_json(mm_lsp_doc *d, mm_lsp_enc enc, size_t a, size_t b);
/* The published form of one diagnostic of doc. */
cJSON *mm_lsp_diag_json(mm_lsp_doc *d, mm_lsp_enc enc, const mm_diag *g);
/* Parse a Position of params; false when it is not one. */
bool mm_lsp_get_position(const cJSON *pos, mm_lsp_pos *out);

/* The requests on a document (features.c). Each returns the result (a new
 * cJSON the caller sends), or NULL with *err_code and *err_msg (malloc'd)
 * set for an error response. */
cJSON *mm_lsp_hover(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params);
cJSON *mm_lsp_completion(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params);
cJSON *mm_lsp_formatting(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params,
                         int *err_code, char **err_msg);
cJSON *mm_lsp_symbols(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params);
cJSON *mm_lsp_code_actions(mm_lsp_doc *d, const mm_lsp_client_caps *c, const cJSON *params);

#endif
