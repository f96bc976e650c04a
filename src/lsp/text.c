/* A document's text, its line starts, and positions in the encoding the
 * client and server agreed on. The parser's spans are byte offsets; the
 * protocol's positions are (line, character) with lines ended by "\r\n",
 * "\n" or "\r" and characters counted in UTF-16 code units unless both
 * sides said otherwise. Everything converts through the byte offset. */
#include <stdlib.h>
#include <string.h>

#include "lsp/lsp.h"
#include "base/util.h"

const char *mm_lsp_enc_name(mm_lsp_enc e)
{
    switch (e) {
    case MM_LSP_UTF8: return "utf-8";
    case MM_LSP_UTF16: return "utf-16";
    case MM_LSP_UTF32: return "utf-32";
    }
    return "utf-16";
}

void mm_lsp_text_init(mm_lsp_text *t)
{
    memset(t, 0, sizeof *t);
}

void mm_lsp_text_free(mm_lsp_text *t)
{
    free(t->buf);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

static void reset_lines(mm_lsp_text *t)
{
    if (!t->lines) {
        t->cap_lines = 64;
        t->lines = mm_xmalloc(t->cap_lines * sizeof *t->lines);
    }
    t->lines[0] = 0;
    t->n_lines = 1;
    t->lines_done = false;
}

void mm_lsp_text_set(mm_lsp_text *t, const char *s, size_t n)
{
    if (n + 2 > t->cap || t->cap > 2 * (n + 2) + 4096) {
        free(t->buf);
        t->cap = n + 2;
        t->buf = mm_xmalloc(t->cap);
    }
    if (n)
        memcpy(t->buf, s, n);
    t->buf[n] = t->buf[n + 1] = '\0';
    t->len = n;
    reset_lines(t);
}

bool mm_lsp_text_replace(mm_lsp_text *t, size_t a, size_t b, const char *s, size_t n)
{
    if (!t->buf)
        mm_lsp_text_set(t, "", 0);
    if (a > t->len)
        a = t->len;
    if (b > t->len)
        b = t->len;
    if (b < a)
        b = a;
    size_t len = t->len - (b - a) + n;
    if (len > MM_LSP_MAX_DOC)
        return false;
    if (len + 2 > t->cap) {
        size_t cap = t->cap * 2 > len + 2 ? t->cap * 2 : len + 2;
        t->buf = mm_xrealloc(t->buf, cap);
        t->cap = cap;
    }
    memmove(t->buf + a + n, t->buf + b, t->len - b);
    if (n)
        memcpy(t->buf + a, s, n);
    t->len = len;
    t->buf[len] = t->buf[len + 1] = '\0';
    /* Line starts before the edit stay (the two bytes that decide each are
     * before it); the rest is found again when asked for. */
    size_t keep = t->n_lines;
    while (keep > 1 && t->lines[keep - 1] >= a)
        keep--;
    t->n_lines = keep;
    t->lines_done = false;
    return true;
}

/* Find line starts until line `want` (0-based) is known, or the end. */
static void scan_lines(mm_lsp_text *t, size_t want)
{
    if (!t->lines)
        reset_lines(t);
    if (t->lines_done)
        return;
    size_t p = t->lines[t->n_lines - 1];
    const char *s = t->buf ? t->buf : "";
    size_t n = t->len;
    while (t->n_lines <= want) {
        /* the next '\n' or '\r' from p */
        size_t i = p;
        while (i < n && s[i] != '\n' && s[i] != '\r')
            i++;
        if (i >= n) {
            t->lines_done = true;
            return;
        }
        p = (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? i + 2 : i + 1;
        if (t->n_lines == t->cap_lines) {
            t->cap_lines *= 2;
            t->lines = mm_xrealloc(t->lines, t->cap_lines * sizeof *t->lines);
        }
        t->lines[t->n_lines++] = (uint32_t)p;
    }
}

/* Line l's content: [*start, *end), its line break left out. l must be known. */
static void line_bounds(mm_lsp_text *t, size_t l, size_t *start, size_t *end)
{
    scan_lines(t, l + 1);
    *start = t->lines[l];
    if (l + 1 < t->n_lines) {
        size_t e = t->lines[l + 1];
        if (e > *start && t->buf[e - 1] == '\n')
            e--;
        if (e > *start && t->buf[e - 1] == '\r')
            e--;
        *end = e;
    } else {
        *end = t->len;
    }
}

/* One character at s[0..n): its byte length and its code units in enc. */
static size_t char_at(const char *s, size_t n, mm_lsp_enc enc, uint32_t *units)
{
    size_t k = mm_utf8_seq((const unsigned char *)s, n);
    if (k == 0)
        k = 1; /* a byte that is not UTF-8 counts as one character */
    *units = enc == MM_LSP_UTF8 ? (uint32_t)k : (enc == MM_LSP_UTF16 && k == 4) ? 2 : 1;
    return k;
}

size_t mm_lsp_text_offset(mm_lsp_text *t, mm_lsp_pos pos, mm_lsp_enc enc)
{
    scan_lines(t, (size_t)pos.line + 1);
    if (pos.line >= t->n_lines)
        return t->len;
    size_t p, end;
    line_bounds(t, pos.line, &p, &end);
    uint32_t done = 0;
    while (p < end && done < pos.character) {
        uint32_t u;
        size_t k = char_at(t->buf + p, end - p, enc, &u);
        if (done + u > pos.character)
            break; /* inside this character */
        done += u;
        p += k;
    }
    return p;
}

/* The line holding offset off (every line start up to it is found first). */
static size_t line_of(mm_lsp_text *t, size_t off)
{
    if (!t->lines)
        reset_lines(t);
    while (!t->lines_done && t->lines[t->n_lines - 1] <= off)
        scan_lines(t, t->n_lines);
    size_t lo = 0, hi = t->n_lines - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (t->lines[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

size_t mm_lsp_text_line_start(mm_lsp_text *t, size_t off)
{
    if (off > t->len)
        off = t->len;
    size_t l = line_of(t, off); /* may grow t->lines: read it after */
    return t->lines[l];
}

mm_lsp_pos mm_lsp_text_position(mm_lsp_text *t, size_t off, mm_lsp_enc enc)
{
    if (off > t->len)
        off = t->len;
    size_t l = line_of(t, off);
    size_t p, end;
    line_bounds(t, l, &p, &end);
    if (off < end)
        end = off;
    uint32_t units = 0;
    while (p < end) {
        uint32_t u;
        size_t k = char_at(t->buf + p, t->len - p, enc, &u);
        if (p + k > end)
            break; /* off is inside this character */
        units += u;
        p += k;
    }
    mm_lsp_pos r = { (uint32_t)l, units };
    return r;
}
