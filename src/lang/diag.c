/* Diagnostics: the list, the code table, and the text / gcc / JSON emitters. */
#include "minimesos/diag.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const struct {
    const char *code;
    mm_severity sev;
    const char *name;
} code_table[] = {
#define MM_X_ROW(e, code, sev, name) { code, sev, name },
    MM_DIAG_CODES(MM_X_ROW)
#undef MM_X_ROW
};

void mm_diags_init(mm_diags *d, const char *filename)
{
    memset(d, 0, sizeof *d);
    d->filename = mm_xstrdup(filename ? filename : "<stdin>");
}

void mm_diags_free(mm_diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].message);
        free(d->items[i].hint);
    }
    free(d->items);
    free(d->filename);
    memset(d, 0, sizeof *d);
}

static void add_v(mm_diags *d, mm_diag_code code, mm_span span, bool has_related,
                  mm_span related, const char *hint, const char *fmt, va_list ap)
{
    d->items = mm_xgrow(d->items, &d->cap, d->len + 1, sizeof *d->items);
    mm_diag *g = &d->items[d->len++];
    memset(g, 0, sizeof *g);
    g->code = code;
    g->severity = (unsigned)code < MM_DIAG__COUNT ? code_table[code].sev : MM_SEV_ERROR;
    strbuf sb = STRBUF_INIT;
    mm_sb_vaddf(&sb, fmt, ap);
    g->message = mm_sb_detach(&sb);
    g->hint = hint ? mm_xstrdup(hint) : NULL;
    g->span = span;
    g->has_related = has_related;
    if (has_related)
        g->related = related;
}

void mm_diag_add(mm_diags *d, mm_diag_code code, mm_span span, const char *hint,
                 const char *fmt, ...)
{
    va_list ap;
    mm_span none;
    memset(&none, 0, sizeof none);
    va_start(ap, fmt);
    add_v(d, code, span, false, none, hint, fmt, ap);
    va_end(ap);
}

void mm_diag_add_related(mm_diags *d, mm_diag_code code, mm_span span, mm_span related,
                         const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(d, code, span, true, related, hint, fmt, ap);
    va_end(ap);
}

size_t mm_diags_count(const mm_diags *d, mm_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].severity == sev)
            n++;
    return n;
}

static bool diag_before(const mm_diag *a, const mm_diag *b)
{
    return a->span.start.line < b->span.start.line ||
           (a->span.start.line == b->span.start.line && a->span.start.col < b->span.start.col);
}

void mm_diags_sort(mm_diags *d)
{
    /* Bottom-up merge sort: stable, and n log n however many a model adds. */
    size_t n = d->len;
    if (n < 2)
        return;
    mm_diag *a = d->items, *tmp = mm_xmalloc(n * sizeof *tmp);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = diag_before(&a[j], &a[i]) ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        mm_diag *t = a;
        a = tmp;
        tmp = t;
    }
    if (a != d->items) {
        memcpy(d->items, a, n * sizeof *a);
        free(a);
    } else {
        free(tmp);
    }
}

const char *mm_diag_code_str(mm_diag_code code)
{
    return (unsigned)code < MM_DIAG__COUNT ? code_table[code].code : "E000";
}

const char *mm_diag_code_name(mm_diag_code code)
{
    return (unsigned)code < MM_DIAG__COUNT ? code_table[code].name : "unknown";
}

const char *mm_severity_str(mm_severity sev)
{
    switch (sev) {
    case MM_SEV_ERROR: return "error";
    case MM_SEV_WARNING: return "warning";
    case MM_SEV_NOTE: return "note";
    }
    return "error";
}

/* ---- text ---- */

static const char *sev_color(mm_severity sev)
{
    switch (sev) {
    case MM_SEV_ERROR: return "\033[1;31m";
    case MM_SEV_WARNING: return "\033[1;33m";
    case MM_SEV_NOTE: return "\033[1;36m";
    }
    return "";
}

/* Find the source line of a position: by its offset when that agrees with
 * its column (spans from the parser), else by counting lines. */
static bool find_line(const char *src, size_t len, mm_pos p, size_t *start, size_t *n)
{
    size_t s = SIZE_MAX;
    if (p.col >= 1 && p.off <= len && p.off >= p.col - 1) {
        size_t cand = p.off - (p.col - 1);
        bool ok = cand == 0 || src[cand - 1] == '\n';
        for (size_t i = cand; ok && i < p.off; i++)
            if (src[i] == '\n')
                ok = false;
        if (ok)
            s = cand;
    }
    if (s == SIZE_MAX) {
        uint32_t line = 1;
        s = 0;
        while (line < p.line && s < len) {
            const char *nl = memchr(src + s, '\n', len - s);
            if (!nl)
                return false;
            s = (size_t)(nl - src) + 1;
            line++;
        }
        if (line != p.line)
            return false;
    }
    /* a huge line is only shown around the position: don't scan all of it */
    size_t stop = p.off < len ? p.off + 512 : len;
    if (stop > len || stop < s)
        stop = len;
    size_t e = s;
    while (e < len && e < stop && src[e] != '\n')
        e++;
    if (e > s && src[e - 1] == '\r')
        e--;
    *start = s;
    *n = e - s;
    return true;
}

static void print_snippet(FILE *out, const char *src, size_t len, mm_span sp, bool color,
                          mm_severity sev)
{
    size_t ls, ln;
    if (!src || sp.start.line == 0 || !find_line(src, len, sp.start, &ls, &ln))
        return;
    char num[16];
    snprintf(num, sizeof num, "%u", (unsigned)sp.start.line);
    int w = (int)strlen(num);
    /* cap very long lines so one diagnostic stays readable */
    size_t col0 = sp.start.col ? sp.start.col - 1 : 0;
    size_t shown_from = 0;
    if (ln > 200 && col0 > 100)
        shown_from = col0 - 60;
    while (shown_from > 0 && ((unsigned char)src[ls + shown_from] & 0xC0) == 0x80)
        shown_from--;
    size_t shown_n = ln - shown_from;
    if (shown_n > 200) {
        shown_n = 200;
        while (shown_n > 0 && ((unsigned char)src[ls + shown_from + shown_n] & 0xC0) == 0x80)
            shown_n--;
    }
    const char *blue = color ? "\033[1;34m" : "", *reset = color ? "\033[0m" : "";
    fprintf(out, "%s%s |%s ", blue, num, reset);
    if (shown_from)
        fputs("...", out);
    for (size_t i = 0; i < shown_n; i++) {
        unsigned char ch = (unsigned char)src[ls + shown_from + i];
        fputc(ch == '\t' || (ch >= 0x20 && ch != 0x7F) ? ch : '?', out);
    }
    fputc('\n', out);
    fprintf(out, "%s%*s |%s ", blue, w, "", reset);
    if (shown_from)
        fputs("   ", out);
    for (size_t i = shown_from; i < col0 && i < ln; i++)
        fputc(src[ls + i] == '\t' ? '\t' : ' ', out);
    size_t carets = 1;
    if (sp.end.line == sp.start.line && sp.end.col > sp.start.col)
        carets = sp.end.col - sp.start.col;
    else if (sp.end.line > sp.start.line && ln > col0)
        carets = ln - col0;
    if (col0 + carets > shown_from + shown_n)
        carets = shown_from + shown_n > col0 ? shown_from + shown_n - col0 : 1;
    if (carets == 0)
        carets = 1;
    fputs(color ? sev_color(sev) : "", out);
    for (size_t i = 0; i < carets; i++)
        fputc('^', out);
    fprintf(out, "%s\n", reset);
}

void mm_diags_print_text(FILE *out, const mm_diags *d, const char *src, size_t len, bool color)
{
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    for (size_t i = 0; i < d->len; i++) {
        const mm_diag *g = &d->items[i];
        fprintf(out, "%s%s", bold, d->filename ? d->filename : "<stdin>");
        if (g->span.start.line)
            fprintf(out, ":%u:%u", (unsigned)g->span.start.line, (unsigned)g->span.start.col);
        fprintf(out, ":%s %s%s[%s]%s%s: %s%s\n", reset, color ? sev_color(g->severity) : "",
                mm_severity_str(g->severity), mm_diag_code_str(g->code), reset, bold,
                g->message, reset);
        print_snippet(out, src, len, g->span, color, g->severity);
        if (g->has_related && g->related.start.line) {
            fprintf(out, "  = note: see line %u, column %u\n", (unsigned)g->related.start.line,
                    (unsigned)g->related.start.col);
            print_snippet(out, src, len, g->related, color, MM_SEV_NOTE);
        }
        if (g->hint)
            fprintf(out, "  = hint: %s\n", g->hint);
    }
}

void mm_diags_print_gcc(FILE *out, const mm_diags *d)
{
    for (size_t i = 0; i < d->len; i++) {
        const mm_diag *g = &d->items[i];
        fputs(d->filename ? d->filename : "<stdin>", out);
        if (g->span.start.line)
            fprintf(out, ":%u:%u", (unsigned)g->span.start.line, (unsigned)g->span.start.col);
        fprintf(out, ": %s: %s", mm_severity_str(g->severity), g->message);
        if (g->hint)
            fprintf(out, "; hint: %s", g->hint);
        fprintf(out, " [%s]\n", mm_diag_code_str(g->code));
    }
}

void mm_diags_to_json(const mm_diags *d, struct cJSON *out)
{
    for (size_t i = 0; i < d->len; i++) {
        const mm_diag *g = &d->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", d->filename ? d->filename : "<stdin>");
        cJSON_AddNumberToObject(o, "line", g->span.start.line);
        cJSON_AddNumberToObject(o, "column", g->span.start.col);
        cJSON_AddNumberToObject(o, "endLine", g->span.end.line);
        cJSON_AddNumberToObject(o, "endColumn", g->span.end.col);
        cJSON_AddStringToObject(o, "severity", mm_severity_str(g->severity));
        cJSON_AddStringToObject(o, "code", mm_diag_code_str(g->code));
        cJSON_AddStringToObject(o, "name", mm_diag_code_name(g->code));
        cJSON_AddStringToObject(o, "message", g->message);
        if (g->hint)
            cJSON_AddStringToObject(o, "hint", g->hint);
        else
            cJSON_AddNullToObject(o, "hint");
        if (g->has_related) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddNumberToObject(r, "line", g->related.start.line);
            cJSON_AddNumberToObject(r, "column", g->related.start.col);
            cJSON_AddItemToObject(o, "related", r);
        }
        cJSON_AddItemToArray(out, o);
    }
}

/* ---- did you mean ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Optimal-string-alignment distance; a change of case alone costs nothing,
 * so `mapportstohost` finds `mapPortsToHost`. Returns > cap early. */
static size_t osa_distance(const char *a, const char *b, size_t cap)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return cap + 1;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

const char *mm_closest(const char *word, const char *const *candidates)
{
    if (!word || !candidates)
        return NULL;
    size_t wl = strlen(word);
    size_t cap = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; candidates[i]; i++) {
        size_t dist = osa_distance(word, candidates[i], cap);
        if (dist == 0 && strcmp(word, candidates[i]) != 0)
            dist = 0; /* differs in case only: the best possible match */
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best_d <= cap ? best : NULL;
}
