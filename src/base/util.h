/* Small shared helpers: allocation that aborts on exhaustion, a growable
 * string buffer, whole-file reading. Internal to libminimesos and its tools. */
#ifndef MM_UTIL_H
#define MM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *mm_xmalloc(size_t n);
void *mm_xcalloc(size_t n, size_t size);
void *mm_xrealloc(void *p, size_t n);
char *mm_xstrdup(const char *s);
char *mm_xstrndup(const char *s, size_t n);
char *mm_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same from a va_list: never NULL ("" for an empty result). */
char *mm_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* items[0..n) joined by sep; "" for none. malloc'd. */
char *mm_join(const char *const *items, size_t n, const char *sep);

/* 32 random bits (getrandom; the clock and the pid if it fails): cluster
 * ids and container numbers. */
uint32_t mm_random_u32(void);

/* Grow *items (of *cap elements of size `size`) so it holds at least `need`. */
void *mm_xgrow(void *items, size_t *cap, size_t need, size_t size);

typedef struct strbuf {
    char *buf;      /* always NUL-terminated once anything was added */
    size_t len, cap;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }
void mm_sb_add(strbuf *sb, const char *s, size_t n);
void mm_sb_adds(strbuf *sb, const char *s);
void mm_sb_addc(strbuf *sb, char c);
void mm_sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mm_sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
/* Append text from elsewhere (an engine's or a server's answer) as part of a
 * one-line message: each run of white space and control characters (C0,
 * DEL, C1) becomes one space, none at either end, so the text can neither
 * break the line nor drive a terminal; at most max bytes of it, cut before a
 * whole UTF-8 character and followed by "..." when cut. */
void mm_sb_add_oneline(strbuf *sb, const char *s, size_t max);
/* Take the buffer (never NULL: "" when empty); the strbuf is reset. */
char *mm_sb_detach(strbuf *sb);
void mm_sb_free(strbuf *sb);

/* Read a whole file ("-" = stdin) into a malloc'd buffer of exactly
 * *len_out + 2 bytes: the text, then two NUL bytes (the scanner reads the
 * buffer in place and flex wants both). Fails (returns NULL, errno set; EFBIG beyond max bytes) */
char *mm_read_all(const char *path, size_t max, size_t *len_out);

/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF):
 * the length of the valid sequence at s (n > 0 bytes left), or 0. */
size_t mm_utf8_seq(const unsigned char *s, size_t n);
/* True when s[0..n) is all valid UTF-8. */
bool mm_utf8_valid(const char *s, size_t n);

/* Format a number as Mesos and the historical tool print it: at most two
 * decimals, no trailing zeros ("4", "0.2", "1.25"). buf needs 32 bytes. */
const char *mm_format_number(double v, char buf[32]);

/* The stream mm_set_trace() chose, or NULL (src/base/runtime.c). */
FILE *mm_trace_stream(void);

#endif
