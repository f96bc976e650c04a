#include "base/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
    fputs("minimesos: out of memory\n", stderr);
    abort();
}

void *mm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *mm_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *mm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *mm_xstrdup(const char *s)
{
    return mm_xstrndup(s, strlen(s));
}

char *mm_xstrndup(const char *s, size_t n)
{
    char *p = mm_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mm_xvasprintf(const char *fmt, va_list ap)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    mm_sb_vaddf(&sb, fmt, ap);
    return mm_sb_detach(&sb);
}

char *mm_join(const char *const *items, size_t n, const char *sep)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (size_t i = 0; i < n; i++) {
        if (i)
            mm_sb_adds(&sb, sep);
        mm_sb_adds(&sb, items[i]);
    }
    return mm_sb_detach(&sb);
}

char *mm_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = mm_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void *mm_xgrow(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > ((size_t)-1) / 2 / size)
            oom();
        n *= 2;
    }
    *cap = n;
    return mm_xrealloc(items, n * size);
}

static void sb_reserve(strbuf *sb, size_t extra)
{
    if (extra > ((size_t)-1) - sb->len - 1)
        oom();
    sb->buf = mm_xgrow(sb->buf, &sb->cap, sb->len + extra + 1, 1);
}

void mm_sb_add(strbuf *sb, const char *s, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void mm_sb_adds(strbuf *sb, const char *s)
{
    mm_sb_add(sb, s, strlen(s));
}

void mm_sb_addc(strbuf *sb, char c)
{
    mm_sb_add(sb, &c, 1);
}

void mm_sb_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        mm_sb_add(sb, small, (size_t)n);
        return;
    }
    sb_reserve(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void mm_sb_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mm_sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void mm_sb_add_oneline(strbuf *sb, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s), n = 0;
    bool space = false;
    while (*p) {
        size_t k = 1;
        bool blank = *p <= 0x20 || *p == 0x7f;
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            blank = true; /* a C1 control (U+0080-U+009F), e.g. CSI */
            k = 2;
        } else if (*p >= 0x80) {
            k = mm_utf8_seq(p, left);
            if (k == 0)
                k = 1; /* not UTF-8: the byte as it is */
        }
        if (!blank) {
            size_t sep = space && n ? 1 : 0;
            if (n + sep + k > max) {
                mm_sb_adds(sb, "...");
                return;
            }
            if (sep)
                mm_sb_addc(sb, ' ');
            mm_sb_add(sb, (const char *)p, k);
            n += sep + k;
        }
        space = blank;
        p += k;
        left -= k;
    }
}

char *mm_sb_detach(strbuf *sb)
{
    char *p = sb->buf ? sb->buf : mm_xstrdup("");
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return p;
}

void mm_sb_free(strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

/* Exact size for a regular file (its size from fstat), so a 6 MB file costs
 * 6 MB, not the 8 MB a doubling buffer reaches; pipes and files that grew
 * while being read fall back to doubling, trimmed to size at the end. */
char *mm_read_all(const char *path, size_t max, size_t *len_out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, len = 0; /* cap: bytes of text the buffer can take */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (uintmax_t)st.st_size <= max ? (size_t)st.st_size : max + 1;
    char *buf = mm_xmalloc(cap + 2);
    int err = 0;
    for (;;) {
        if (len == cap) { /* full: at the end of the file, or it grew */
            int c = getc(f);
            if (c == EOF)
                break;
            if (cap > ((size_t)-1) / 2 - 2)
                oom();
            cap *= 2;
            buf = mm_xrealloc(buf, cap + 2);
            buf[len++] = (char)c;
        } else {
            size_t want = cap - len;
            size_t n = fread(buf + len, 1, want, f);
            len += n;
            if (n < want && len <= max)
                break;
        }
        if (len > max) {
            err = EFBIG;
            break;
        }
    }
    if (!err && ferror(f))
        err = errno ? errno : EIO;
    if (f != stdin)
        fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    if (cap != len)
        buf = mm_xrealloc(buf, len + 2);
    buf[len] = buf[len + 1] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

const char *mm_format_number(double v, char buf[32])
{
    if (!isfinite(v)) {
        snprintf(buf, 32, "0");
        return buf;
    }
    snprintf(buf, 32, "%.2f", v);
    /* trim trailing zeros and a trailing point */
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

size_t mm_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (n < need + 1)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i <= need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need + 1;
}

bool mm_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, k; i < n; i += k)
        if ((k = mm_utf8_seq(u + i, n - i)) == 0)
            return false;
    return true;
}

uint32_t mm_random_u32(void)
{
    uint32_t v = 0;
    if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() * 2654435761u ^ (uint32_t)rand();
    }
    return v;
}
