/* standin: a small JSON reader (tree) and writer. Depth-limited, never
 * crashes on bad input: json_parse returns NULL. */
#include "standin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    int depth;
} jparser;

static void skip_ws(jparser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static jval *jnew(jtype t)
{
    jval *v = xmalloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->t = t;
    return v;
}

void json_free(jval *v)
{
    while (v) {
        jval *next = v->next;
        json_free(v->kids);
        free(v->s);
        free(v->key);
        free(v);
        v = next;
    }
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static void put_utf8(sbuf *b, unsigned cp)
{
    char o[4];
    if (cp < 0x80) { o[0] = (char)cp; sb_addn(b, o, 1); }
    else if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); sb_addn(b, o, 2); }
    else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); sb_addn(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); sb_addn(b, o, 4);
    }
}

static char *parse_string(jparser *ps)
{
    if (ps->p >= ps->end || *ps->p != '"') return NULL;
    ps->p++;
    sbuf b;
    sb_init(&b);
    sb_addn(&b, "", 0);
    while (ps->p < ps->end) {
        char c = *ps->p++;
        if (c == '"') return b.s;
        if ((unsigned char)c < 0x20) break;
        if (c != '\\') { sb_addc(&b, c); continue; }
        if (ps->p >= ps->end) break;
        c = *ps->p++;
        switch (c) {
        case '"': sb_addc(&b, '"'); break;
        case '\\': sb_addc(&b, '\\'); break;
        case '/': sb_addc(&b, '/'); break;
        case 'b': sb_addc(&b, '\b'); break;
        case 'f': sb_addc(&b, '\f'); break;
        case 'n': sb_addc(&b, '\n'); break;
        case 'r': sb_addc(&b, '\r'); break;
        case 't': sb_addc(&b, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(ps->p, ps->end, &cp) != 0) goto bad;
            ps->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
                ps->p[1] == 'u' && hex4(ps->p + 2, ps->end, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ps->p += 6;
            }
            if (cp == 0 || (cp >= 0xD800 && cp < 0xE000)) cp = 0xFFFD; /* NUL, lone surrogate */
            put_utf8(&b, cp);
            break;
        }
        default: goto bad;
        }
    }
bad:
    sb_free(&b);
    return NULL;
}

static jval *parse_value(jparser *ps);

static jval *parse_container(jparser *ps, int obj)
{
    jval *v = jnew(obj ? J_OBJ : J_ARR);
    jval **tail = &v->kids;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (obj) {
            key = parse_string(ps);
            if (!key) goto bad;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') { free(key); goto bad; }
            ps->p++;
        }
        jval *k = parse_value(ps);
        if (!k) { free(key); goto bad; }
        k->key = key;
        *tail = k;
        tail = &k->next;
        skip_ws(ps);
        if (ps->p >= ps->end) goto bad;
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
        goto bad;
    }
bad:
    json_free(v);
    return NULL;
}

static jval *parse_value(jparser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end) return NULL;
    char c = *ps->p;
    if (c == '{' || c == '[') {
        if (++ps->depth > 64) return NULL;
        jval *v = parse_container(ps, c == '{');
        ps->depth--;
        return v;
    }
    if (c == '"') {
        char *s = parse_string(ps);
        if (!s) return NULL;
        jval *v = jnew(J_STR);
        v->s = s;
        return v;
    }
    static const struct { const char *w; jtype t; } words[] = {
        {"true", J_BOOL}, {"false", J_BOOL}, {"null", J_NULL}};
    for (size_t i = 0; i < 3; i++) {
        size_t l = strlen(words[i].w);
        if ((size_t)(ps->end - ps->p) >= l && memcmp(ps->p, words[i].w, l) == 0) {
            ps->p += l;
            jval *v = jnew(words[i].t);
            v->s = xstrdup(words[i].w);
            return v;
        }
    }
    const char *st = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    int digits = 0;
    while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p)) { ps->p++; digits++; }
    if (!digits) return NULL;
    jval *v = jnew(J_NUM);
    v->s = xmalloc((size_t)(ps->p - st) + 1);
    memcpy(v->s, st, (size_t)(ps->p - st));
    v->s[ps->p - st] = 0;
    char *e;
    strtod(v->s, &e);
    if (*e) { json_free(v); return NULL; }
    return v;
}

jval *json_parse(const char *text, size_t len)
{
    if (!text) return NULL;
    jparser ps = {text, text + len, 0};
    jval *v = parse_value(&ps);
    if (!v) return NULL;
    skip_ws(&ps);
    if (ps.p != ps.end) { json_free(v); return NULL; }
    return v;
}

const jval *json_get(const jval *obj, const char *key)
{
    if (!obj || obj->t != J_OBJ) return NULL;
    for (const jval *k = obj->kids; k; k = k->next)
        if (k->key && strcmp(k->key, key) == 0) return k;
    return NULL;
}

const char *json_getstr(const jval *obj, const char *key)
{
    const jval *v = json_get(obj, key);
    return (v && v->t == J_STR) ? v->s : NULL;
}

int json_getint(const jval *obj, const char *key, long *out)
{
    const jval *v = json_get(obj, key);
    if (!v || v->t != J_NUM) return -1;
    double d = strtod(v->s, NULL);
    if (d < -1e15 || d > 1e15) return -1;
    *out = (long)d;
    return 0;
}

void json_write(sbuf *b, const jval *v)
{
    if (!v) { sb_add(b, "null"); return; }
    switch (v->t) {
    case J_NULL: sb_add(b, "null"); break;
    case J_BOOL:
    case J_NUM: sb_add(b, v->s); break;
    case J_STR: sb_json_str(b, v->s); break;
    case J_ARR:
    case J_OBJ:
        sb_addc(b, v->t == J_OBJ ? '{' : '[');
        for (const jval *k = v->kids; k; k = k->next) {
            if (k != v->kids) sb_addc(b, ',');
            if (v->t == J_OBJ) { sb_json_str(b, k->key); sb_addc(b, ':'); }
            json_write(b, k);
        }
        sb_addc(b, v->t == J_OBJ ? '}' : ']');
        break;
    }
}

int role_json(int argc, char **argv)
{
    sbuf in, out;
    sb_init(&in);
    sb_init(&out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) sb_addn(&in, buf, n);
    jval *v = json_parse(in.s ? in.s : "", in.len);
    int rc = 1;
    if (v) {
        json_write(&out, v);
        fwrite(out.s, 1, out.len, stdout);
        fputc('\n', stdout);
        rc = 0;
    }
    json_free(v);
    sb_free(&in);
    sb_free(&out);
    return rc;
}
