/* Diagnostics as SARIF 2.1.0 (see diag.h): one log, one run of the tool
 * "minimesos" whose rules are the code table, one result per diagnostic.
 *
 * Locations name files by a URI relative to the current folder, against the
 * base id %SRCROOT% (the current folder, in the run's originalUriBaseIds),
 * which is how code-scanning services expect a checkout's files. Columns are
 * SARIF's default unit, UTF-16 code units, counted from the source text (the
 * diagnostics count bytes). */
#include "minimesos/diag.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minimesos/runtime.h" /* MINIMESOS_VERSION */
#include "lang/sarif.h"
#include "base/util.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SRCROOT "%SRCROOT%"
#define INFORMATION_URI "https://github.com/ContainerSolutions/minimesos"

static const char *sarif_level(mm_severity s)
{
    switch (s) {
    case MM_SEV_ERROR: return "error";
    case MM_SEV_WARNING: return "warning";
    case MM_SEV_NOTE: return "note";
    }
    return "error";
}

/* The code table's severities, in code order (diag.c keeps the table). */
static const mm_severity code_sev[] = {
#define MM_X_SEV(e, code, sev, name) sev,
    MM_DIAG_CODES(MM_X_SEV)
#undef MM_X_SEV
};

static cJSON *text_message(const char *text)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "text", text);
    return m;
}

/* RFC 3986: unreserved characters, sub-delimiters, @ and / stay; anything
 * else (: too, so that a first segment is never read as a scheme) is %XX. */
static void uri_escape(strbuf *sb, const char *path)
{
    static const char keep[] = "-._~!$&'()*+,;=@/";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            mm_sb_addc(sb, (char)*p);
        else
            mm_sb_addf(sb, "%%%02X", *p);
    }
}

cJSON *mm_sarif_new(void)
{
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(log, "runs"), run);

    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "minimesos");
    cJSON_AddStringToObject(driver, "version", MINIMESOS_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", MINIMESOS_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", INFORMATION_URI);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (int c = 0; c < MM_DIAG__COUNT; c++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "id", mm_diag_code_str((mm_diag_code)c));
        cJSON_AddStringToObject(r, "name", mm_diag_code_name((mm_diag_code)c));
        /* "unknown-property" -> "unknown property" */
        char *words = mm_xstrdup(mm_diag_code_name((mm_diag_code)c));
        for (char *p = words; *p; p++)
            if (*p == '-')
                *p = ' ';
        cJSON_AddItemToObject(r, "shortDescription", text_message(words));
        free(words);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "defaultConfiguration"), "level",
                                sarif_level(code_sev[c]));
        cJSON_AddItemToArray(rules, r);
    }

    /* the base of every relative URI: the current folder, as a file: URI */
    char *cwd = getcwd(NULL, 0);
    if (cwd && cwd[0] == '/') {
        strbuf sb = STRBUF_INIT;
        mm_sb_adds(&sb, "file://");
        uri_escape(&sb, cwd);
        if (sb.buf[sb.len - 1] != '/')
            mm_sb_addc(&sb, '/');
        cJSON *base = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "originalUriBaseIds"),
                                              SRCROOT);
        cJSON_AddStringToObject(base, "uri", sb.buf);
        mm_sb_free(&sb);
    }
    free(cwd);
    cJSON_AddArrayToObject(run, "artifacts");
    cJSON_AddArrayToObject(run, "results");
    cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
    return log;
}

/* The segments of a path, "." dropped and "x/.." folded (a leading ".."
 * stays). n: how many; malloc'd array of pointers into the malloc'd *buf. */
static char **segments(const char *path, size_t *n, char **buf)
{
    *buf = mm_xstrdup(path);
    char **seg = mm_xmalloc((strlen(path) / 2 + 2) * sizeof *seg);
    size_t k = 0;
    char *save = NULL;
    for (char *s = strtok_r(*buf, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
        if (strcmp(s, ".") == 0)
            continue;
        if (strcmp(s, "..") == 0 && k > 0 && strcmp(seg[k - 1], "..") != 0) {
            k--;
            continue;
        }
        seg[k++] = s;
    }
    *n = k;
    return seg;
}

char *mm_sarif_relative_path(const char *path, const char *cwd)
{
    char *pbuf, *cbuf = NULL;
    size_t np, nc = 0;
    char **ps = segments(path, &np, &pbuf);
    char **cs = NULL;
    size_t common = 0;
    strbuf sb = STRBUF_INIT;
    if (path[0] == '/') {
        if (!cwd || cwd[0] != '/') { /* nothing to be relative to */
            free(ps);
            free(pbuf);
            return NULL;
        }
        cs = segments(cwd, &nc, &cbuf);
        while (common < np && common < nc && strcmp(ps[common], cs[common]) == 0)
            common++;
        for (size_t i = common; i < nc; i++)
            mm_sb_adds(&sb, "../");
    }
    for (size_t i = common; i < np; i++)
        mm_sb_addf(&sb, "%s%s", ps[i], i + 1 < np ? "/" : "");
    if (sb.len == 0)
        mm_sb_adds(&sb, ".");
    free(ps);
    free(pbuf);
    free(cs);
    free(cbuf);
    return mm_sb_detach(&sb);
}

/* The 1-based UTF-16 column of p, counted on its line of src; p.col (bytes)
 * when there is no text or p does not agree with it. */
static uint32_t utf16_col(const char *src, size_t len, mm_pos p)
{
    if (!src || p.col < 1 || p.off > len || p.off < p.col - 1)
        return p.col;
    size_t start = p.off - (p.col - 1);
    if (start > 0 && src[start - 1] != '\n')
        return p.col;
    uint32_t col = 1;
    for (size_t i = start; i < p.off;) {
        if (src[i] == '\n')
            return p.col;
        size_t k = mm_utf8_seq((const unsigned char *)src + i, p.off - i);
        if (k == 0)
            k = 1; /* a byte that is not UTF-8: one unit, as editors show it */
        col += k == 4 ? 2 : 1;  /* beyond U+FFFF: a surrogate pair */
        i += k;
    }
    return col;
}

/* A relative URI is against %SRCROOT%; NULL (standard input) has none. */
static void add_uri(cJSON *artifact_location, const char *uri)
{
    if (!uri)
        return;
    cJSON_AddStringToObject(artifact_location, "uri", uri);
    if (strncmp(uri, "file:", 5) != 0)
        cJSON_AddStringToObject(artifact_location, "uriBaseId", SRCROOT);
}

static cJSON *physical(const mm_span *sp, const char *uri, int index, const char *src, size_t len)
{
    cJSON *phys = cJSON_CreateObject();
    cJSON *al = cJSON_AddObjectToObject(phys, "artifactLocation");
    add_uri(al, uri);
    cJSON_AddNumberToObject(al, "index", index);
    if (sp->start.line >= 1 && sp->start.col >= 1) {
        cJSON *r = cJSON_AddObjectToObject(phys, "region");
        uint32_t sc = utf16_col(src, len, sp->start);
        cJSON_AddNumberToObject(r, "startLine", sp->start.line);
        cJSON_AddNumberToObject(r, "startColumn", sc);
        const mm_pos *e = &sp->end;
        bool end_ok = e->line > sp->start.line || (e->line == sp->start.line && e->col >= sp->start.col);
        if (end_ok && e->col >= 1) {
            uint32_t ec = utf16_col(src, len, *e);
            if (e->line == sp->start.line && ec < sc)
                ec = sc;
            cJSON_AddNumberToObject(r, "endLine", e->line);
            cJSON_AddNumberToObject(r, "endColumn", ec);
        }
    }
    return phys;
}

void mm_sarif_add(cJSON *log, const mm_diags *d, const char *path, const char *src, size_t len)
{
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(log, "runs"), 0);
    cJSON *artifacts = cJSON_GetObjectItemCaseSensitive(run, "artifacts");
    cJSON *results = cJSON_GetObjectItemCaseSensitive(run, "results");
    if (!artifacts || !results)
        return;

    char *uri = NULL;
    if (path) {
        char *cwd = getcwd(NULL, 0);
        char *rel = mm_sarif_relative_path(path, cwd);
        strbuf sb = STRBUF_INIT;
        if (rel) {
            uri_escape(&sb, rel);
        } else { /* no current folder: the absolute file: URI */
            mm_sb_adds(&sb, "file://");
            uri_escape(&sb, path);
        }
        uri = mm_sb_detach(&sb);
        free(rel);
        free(cwd);
    }
    int index = cJSON_GetArraySize(artifacts);
    cJSON *art = cJSON_CreateObject();
    cJSON *loc = cJSON_AddObjectToObject(art, "location");
    add_uri(loc, uri);
    if (!uri)
        cJSON_AddItemToObject(loc, "description", text_message("standard input"));
    cJSON_AddItemToArray(artifacts, art);

    for (size_t i = 0; i < d->len; i++) {
        const mm_diag *g = &d->items[i];
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "ruleId", mm_diag_code_str(g->code));
        if ((unsigned)g->code < MM_DIAG__COUNT)
            cJSON_AddNumberToObject(r, "ruleIndex", g->code);
        cJSON_AddStringToObject(r, "level", sarif_level(g->severity));
        char *text = g->hint ? mm_xasprintf("%s; hint: %s", g->message, g->hint)
                             : mm_xstrdup(g->message);
        cJSON_AddItemToObject(r, "message", text_message(text));
        free(text);
        cJSON *where = cJSON_CreateObject();
        cJSON_AddItemToObject(where, "physicalLocation", physical(&g->span, uri, index, src, len));
        cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "locations"), where);
        if (g->has_related && g->related.start.line) {
            cJSON *rel = cJSON_CreateObject();
            cJSON_AddNumberToObject(rel, "id", 1);
            cJSON_AddItemToObject(rel, "physicalLocation", physical(&g->related, uri, index, src, len));
            cJSON_AddItemToObject(rel, "message", text_message("the first occurrence"));
            cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "relatedLocations"), rel);
        }
        cJSON_AddItemToArray(results, r);
    }
    free(uri);
}
