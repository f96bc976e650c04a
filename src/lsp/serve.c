/* The server over two file descriptors: mm_lsp_serve.
 *
 * The loop waits for input, then reads everything already waiting (poll
 * with a zero timeout between reads), frames it into messages and hands
 * them to the server as one batch: a burst of keystrokes is one check. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp/lsp.h"
#include "base/util.h"

#define CHUNK (64 * 1024)
/* A batch ends early past this much content or this many messages, so a
 * client that writes faster than the server checks cannot make it hold
 * more than that. */
#define BATCH_BYTES ((size_t)64 * 1024 * 1024)
#define BATCH_MSGS 4096

typedef struct out_fd {
    int fd;
    bool failed;
} out_fd;

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static void write_frame(void *user, const char *json, size_t len)
{
    out_fd *o = user;
    if (o->failed)
        return;
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
    if (!write_all(o->fd, head, (size_t)h) || !write_all(o->fd, json, len))
        o->failed = true;
}

typedef struct batch {
    cJSON **msgs;
    size_t n, cap, bytes;
} batch;

static void run_batch(mm_lsp_server *s, batch *b)
{
    mm_lsp_server_batch(s, b->msgs, b->n); /* it deletes them */
    b->n = 0;
    b->bytes = 0;
}

/* Every complete message the reader has, into the batch. A framing error
 * is answered after the messages before it, so answers keep their order. */
static void drain(mm_lsp_reader *r, mm_lsp_server *s, batch *b)
{
    const char *body;
    size_t len;
    int e;
    while ((e = mm_lsp_reader_next(r, &body, &len)) != MM_LSP_READ_MORE) {
        if (e == MM_LSP_READ_MESSAGE) {
            size_t at = 0;
            cJSON *m = mm_lsp_parse_json(body, len, &at);
            if (m) {
                b->msgs = mm_xgrow(b->msgs, &b->cap, b->n + 1, sizeof *b->msgs);
                b->msgs[b->n++] = m;
                b->bytes += len;
            } else {
                run_batch(s, b);
                mm_lsp_server_not_json(s, at, len);
            }
            continue;
        }
        run_batch(s, b);
        if (e == MM_LSP_READ_BAD_HEADER)
            mm_lsp_server_wire_error(s, MM_LSP_PARSE_ERROR, r->error);
        else
            mm_lsp_server_wire_error(s, MM_LSP_INVALID_REQUEST, r->error);
    }
}

int mm_lsp_serve(int in_fd, int out_fd_, const mm_lsp_options *o)
{
    mm_lsp_options opt;
    if (o)
        opt = *o;
    else
        mm_lsp_options_init(&opt);
    out_fd out = { out_fd_, false };
    mm_lsp_server *s = mm_lsp_server_new(&opt, write_frame, &out);
    mm_lsp_reader r;
    mm_lsp_reader_init(&r, opt.max_message);
    char *chunk = mm_xmalloc(CHUNK);
    batch b = { NULL, 0, 0, 0 };
    int status = -1;
    bool eof = false;
    while (!eof) {
        struct pollfd p = { .fd = in_fd, .events = POLLIN };
        if (poll(&p, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            mm_lsp_server_log(s, "cannot wait for input: %s", strerror(errno));
            break;
        }
        /* everything already waiting, then one batch */
        for (;;) {
            ssize_t k = read(in_fd, chunk, CHUNK);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                mm_lsp_server_log(s, "cannot read the input: %s", strerror(errno));
            if (k <= 0) {
                eof = !(k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
                break;
            }
            mm_lsp_reader_feed(&r, chunk, (size_t)k);
            drain(&r, s, &b);
            if (b.bytes >= BATCH_BYTES || b.n >= BATCH_MSGS || mm_lsp_server_exited(s, NULL))
                break;
            p.revents = 0;
            if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
                break;
        }
        run_batch(s, &b);
        if (out.failed) {
            mm_lsp_server_log(s, "cannot write to the client: %s", strerror(errno));
            status = 1;
            break;
        }
        if (mm_lsp_server_exited(s, &status))
            break;
    }
    if (status < 0)
        status = mm_lsp_server_eof_status(s);
    for (size_t i = 0; i < b.n; i++)
        cJSON_Delete(b.msgs[i]);
    free(b.msgs);
    free(chunk);
    mm_lsp_reader_free(&r);
    mm_lsp_server_free(s);
    return status;
}
