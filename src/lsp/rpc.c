/* Message framing of the base protocol: a header section of
 * "Name: value\r\n" lines ended by an empty line, with Content-Length, then
 * that many bytes of content (JSON).
 *
 * The reader is a state machine fed with bytes in whatever pieces they
 * arrive, so it is the same code over a pipe, in the tests and under the
 * fuzzer. It keeps at most one header section (MM_LSP_MAX_HEADER) or one
 * content (max_body) plus what was fed after it: a content over the limit
 * is skipped as it arrives. After a malformed header section it looks for
 * the next "Content-Length:" and goes on from there. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lsp/lsp.h"
#include "base/util.h"

enum {
    ST_HEADER,  /* reading a header section */
    ST_BODY,    /* waiting for body_len bytes of content */
    ST_SKIP,    /* dropping skip_left bytes of a refused content */
    ST_RESYNC,  /* after garbage: looking for "Content-Length:" */
};

static const char CL[] = "content-length";

void mm_lsp_reader_init(mm_lsp_reader *r, size_t max_body)
{
    memset(r, 0, sizeof *r);
    r->max_body = max_body ? max_body : MM_LSP_MAX_MESSAGE;
    r->state = ST_HEADER;
}

void mm_lsp_reader_free(mm_lsp_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Make room for n more bytes at the end, first moving what is left to the front. */
static void reserve(mm_lsp_reader *r, size_t n)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n)
            cap *= 2;
        r->buf = mm_xrealloc(r->buf, cap);
        r->cap = cap;
    }
}

void mm_lsp_reader_feed(mm_lsp_reader *r, const char *data, size_t n)
{
    /* A refused content is dropped here, before it is ever copied. */
    if (r->state == ST_SKIP && r->start == r->len) {
        size_t k = n < r->skip_left ? n : r->skip_left;
        r->skip_left -= k;
        data += k;
        n -= k;
        if (r->skip_left == 0)
            r->state = ST_HEADER;
    }
    if (n == 0)
        return;
    reserve(r, n);
    memcpy(r->buf + r->len, data, n);
    r->len += n;
}

/* RFC 7230 token characters: what a header name is made of. */
static bool tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int fail(mm_lsp_reader *r, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(mm_lsp_reader *r, int kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return kind;
}

/* Show at most 40 bytes of bad text, without control characters. */
static void excerpt(char out[48], const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 40; i++)
        out[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    out[k] = '\0';
}

/* A malformed header section starting at r->start: go look for the next
 * Content-Length after its first byte. */
static int bad_header(mm_lsp_reader *r, const char *what, const char *line, size_t n)
{
    char ex[48];
    excerpt(ex, line, n);
    r->start++;
    r->state = ST_RESYNC;
    return fail(r, MM_LSP_READ_BAD_HEADER, "%s: \"%s\"", what, ex);
}

/* Parse the header section buf[start..end) (lines without the final empty
 * one). Returns 0 with *cl set, or a READ_* error. */
static int parse_headers(mm_lsp_reader *r, size_t end, size_t *cl)
{
    bool have = false;
    size_t p = r->start;
    while (p < end) {
        const char *line = r->buf + p;
        const char *nl = memchr(line, '\n', end - p);
        size_t n = nl ? (size_t)(nl - line) : end - p;
        size_t next = p + n + 1;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        const char *colon = memchr(line, ':', n);
        if (!colon || colon == line)
            return bad_header(r, "a header line is not `Name: value`", line, n);
        for (const char *c = line; c < colon; c++)
            if (!tchar((unsigned char)*c))
                return bad_header(r, "a header name has a character it cannot have", line, n);
        size_t nlen = (size_t)(colon - line);
        const char *v = colon + 1, *ve = line + n;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        if (nlen == sizeof CL - 1 && strncasecmp(line, CL, nlen) == 0) {
            size_t val = 0;
            if (v == ve)
                return bad_header(r, "Content-Length has no value", line, n);
            for (const char *c = v; c < ve; c++) {
                if (*c < '0' || *c > '9')
                    return bad_header(r, "Content-Length is not a number", line, n);
                if (val > (SIZE_MAX - 9) / 10)
                    return bad_header(r, "Content-Length is too large a number", line, n);
                val = val * 10 + (size_t)(*c - '0');
            }
            if (have && val != *cl)
                return bad_header(r, "two different Content-Length headers", line, n);
            have = true;
            *cl = val;
        }
        /* Content-Type and anything else: accepted and ignored. */
        p = next;
    }
    if (!have) {
        char ex[48];
        excerpt(ex, r->buf + r->start, end - r->start);
        return fail(r, MM_LSP_READ_BAD_HEADER, "a header section without Content-Length: \"%s\"", ex);
    }
    return 0;
}

/* The end of the header section at buf[start..): sets *lines_end (where the
 * empty line starts) and *body (just past it). False when not all there. */
static bool find_header_end(const mm_lsp_reader *r, size_t *lines_end, size_t *body)
{
    size_t p = r->start;
    for (;;) {
        const char *nl = memchr(r->buf + p, '\n', r->len - p);
        if (!nl)
            return false;
        size_t i = (size_t)(nl - r->buf);
        /* the line [p, i) is empty, or is just "\r" */
        if (i == p || (i == p + 1 && r->buf[p] == '\r')) {
            *lines_end = p;
            *body = i + 1;
            return true;
        }
        p = i + 1;
    }
}

int mm_lsp_reader_next(mm_lsp_reader *r, const char **body, size_t *len)
{
    /* The buffer a large message needed goes back once that message is read
     * (the body handed out last time is not used any more). */
    if (r->cap > (1u << 20) && r->state != ST_BODY && r->len - r->start < r->cap / 8) {
        reserve(r, 0);
        size_t cap = r->len > 4096 ? r->len : 4096;
        r->buf = mm_xrealloc(r->buf, cap);
        r->cap = cap;
    }
    for (;;) {
        size_t avail = r->len - r->start;
        switch (r->state) {
        case ST_RESYNC: {
            /* look for "Content-Length" at any place (case-insensitive) */
            size_t k = sizeof CL - 1;
            for (size_t i = r->start; i + k <= r->len; i++)
                if ((r->buf[i] | 0x20) == 'c' && strncasecmp(r->buf + i, CL, k) == 0) {
                    r->start = i;
                    r->state = ST_HEADER;
                    goto next;
                }
            /* keep the last k-1 bytes: they may begin a match */
            if (avail > k - 1)
                r->start = r->len - (k - 1);
            return MM_LSP_READ_MORE;
        }
        case ST_HEADER: {
            /* blank lines between messages are skipped */
            while (r->start < r->len && (r->buf[r->start] == '\r' || r->buf[r->start] == '\n'))
                r->start++;
            avail = r->len - r->start;
            if (avail == 0)
                return MM_LSP_READ_MORE;
            size_t lines_end, body_at;
            if (!find_header_end(r, &lines_end, &body_at)) {
                if (avail > MM_LSP_MAX_HEADER) {
                    char ex[48];
                    excerpt(ex, r->buf + r->start, avail);
                    r->start++;
                    r->state = ST_RESYNC;
                    return fail(r, MM_LSP_READ_BAD_HEADER,
                                "no end of the header section in %d bytes: \"%s\"",
                                MM_LSP_MAX_HEADER, ex);
                }
                return MM_LSP_READ_MORE;
            }
            if (body_at - r->start > MM_LSP_MAX_HEADER)
                return bad_header(r, "a header section longer than the limit", r->buf + r->start,
                                  lines_end - r->start);
            size_t cl = 0;
            int e = parse_headers(r, lines_end, &cl);
            if (e) {
                if (r->state == ST_HEADER)
                    r->start = body_at; /* well-formed, but no Content-Length */
                return e;
            }
            r->start = body_at;
            if (cl > r->max_body) {
                r->state = ST_SKIP;
                r->skip_left = cl;
                return fail(r, MM_LSP_READ_TOO_LARGE,
                            "a message of %zu bytes is over the limit of %zu bytes; skipped", cl,
                            r->max_body);
            }
            r->state = ST_BODY;
            r->body_len = cl;
            goto next;
        }
        case ST_BODY:
            if (avail < r->body_len) {
                /* room for all of it at once: no repeated growing */
                if (r->cap - r->start < r->body_len)
                    reserve(r, r->body_len - avail);
                return MM_LSP_READ_MORE;
            }
            *body = r->buf + r->start;
            *len = r->body_len;
            r->start += r->body_len;
            r->state = ST_HEADER;
            return MM_LSP_READ_MESSAGE;
        case ST_SKIP: {
            size_t k = avail < r->skip_left ? avail : r->skip_left;
            r->start += k;
            r->skip_left -= k;
            if (r->skip_left > 0)
                return MM_LSP_READ_MORE;
            r->state = ST_HEADER;
            goto next;
        }
        }
        return MM_LSP_READ_MORE;
    next:;
    }
}

char *mm_lsp_frame(const char *body, size_t len, size_t *out_len)
{
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
    char *out = mm_xmalloc((size_t)h + len + 1);
    memcpy(out, head, (size_t)h);
    memcpy(out + h, body, len);
    out[h + len] = '\0';
    *out_len = (size_t)h + len;
    return out;
}
