/* A language server for minimesosFiles: `minimesos lsp`.
 *
 * JSON-RPC 2.0 over a pair of file descriptors (the program uses standard
 * input and output), Language Server Protocol 3.17. It shows the same
 * diagnostics as `minimesos lint` while a file is edited, and offers hover,
 * completion, formatting (`minimesos fmt`), a block outline and quick fixes,
 * all from the parser, the schema table and the formatter of this library.
 *
 * The server is single-threaded and checks a document once for every burst of
 * messages that arrived together (the debounce needs no timer): it reads all
 * that is waiting on the input, applies every edit, then checks each changed
 * document once and publishes its diagnostics.
 */
#ifndef MINIMESOS_LSP_H
#define MINIMESOS_LSP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest message content accepted by default: a bigger one is refused
 * with an error response and its content skipped, never buffered. */
#define MM_LSP_MAX_MESSAGE (64u * 1024 * 1024)

typedef struct mm_lsp_options {
    /* Bytes of one message's content (the Content-Length); 0 means
     * MM_LSP_MAX_MESSAGE. */
    size_t max_message;
    /* Where the server says what went wrong on the wire (a bad header, bad
     * JSON, a message too large, an edit to a document it does not have):
     * one line each, without a newline. NULL: nothing is said. The library
     * never prints; the program passes a function writing to stderr. */
    void (*log)(void *user, const char *line);
    void *log_user;
} mm_lsp_options;

/* Every default (as memset to 0, spelled out). */
void mm_lsp_options_init(mm_lsp_options *o);

/* Serve one client: read messages from in_fd and write responses and
 * notifications to out_fd until the client sends `exit` or closes in_fd.
 * Returns the exit status the protocol asks for: 0 when `shutdown` came
 * before the end, 1 otherwise (also when out_fd can no longer be written).
 * o may be NULL. Not thread-safe with itself on the same descriptors; two
 * servers on different descriptors share nothing. A write to a closed pipe
 * raises SIGPIPE unless the caller ignores it (the program does). */
int mm_lsp_serve(int in_fd, int out_fd, const mm_lsp_options *o);

#ifdef __cplusplus
}
#endif

#endif
