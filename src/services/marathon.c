/* Marathon: token replacement, loading app and group definitions from files
 * or URLs, installing and uninstalling them (CLUSTER.md "Tokens in Marathon
 * JSON"). All network I/O goes through the HTTP helper. */
#include "minimesos/cluster.h"
#include "net/http.h"
#include "services/tasks.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFINITION_MAX   (4u << 20)  /* a definition file or URL: 4 MiB at most */
#define FETCH_TIMEOUT_MS 20000
#define MARATHON_TIMEOUT_MS 30000

/* First member of a role (local, so this file needs only the structs). */
static const mm_member *role_member(const mm_running *rc, const char *role, size_t len)
{
    for (size_t i = 0; i < rc->n_members; i++) {
        const char *r = rc->members[i].role;
        if (r && strlen(r) == len && strncasecmp(r, role, len) == 0)
            return &rc->members[i];
    }
    return NULL;
}

/* Values are added JSON-escaped: tokens stand inside JSON strings, and a
 * folder name with a quote or backslash must not break the definition. */
static void add_escaped(strbuf *sb, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            mm_sb_addf(sb, "\\%c", *p);
        else if (*p < 0x20)
            mm_sb_addf(sb, "\\u%04x", *p);
        else
            mm_sb_addc(sb, (char)*p);
    }
}

/* The value of token name (between "${MINIMESOS_" and "}"), or false to
 * leave the token as it is. */
static bool token_value(const mm_running *rc, const char *name, size_t len, strbuf *out)
{
    if (len == 15 && strncmp(name, "NETWORK_GATEWAY", 15) == 0) {
        if (!rc->gateway)
            return false;
        add_escaped(out, rc->gateway);
        return true;
    }
    if (len == 8 && strncmp(name, "HOST_DIR", 8) == 0) {
        if (!rc->dir)
            return false;
        add_escaped(out, rc->dir);
        return true;
    }
    /* Role names are lower-case letters; tokens use them in upper case. */
    for (size_t i = 0; i < len; i++)
        if (!(isupper((unsigned char)name[i]) || name[i] == '_'))
            return false;
    const mm_member *m = role_member(rc, name, len);
    if (m) {
        if (!m->url)
            return false;
        add_escaped(out, m->url);
        return true;
    }
    if (len > 3 && strncmp(name + len - 3, "_IP", 3) == 0) {
        m = role_member(rc, name, len - 3);
        if (!m || !m->ip)
            return false;
        add_escaped(out, m->ip);
        return true;
    }
    if (len > 5 && strncmp(name + len - 5, "_PORT", 5) == 0) {
        m = role_member(rc, name, len - 5);
        if (!m || m->port <= 0)
            return false;
        mm_sb_addf(out, "%d", m->port);
        return true;
    }
    return false;
}

char *mm_replace_tokens(const mm_running *rc, const char *text)
{
    static const char prefix[] = "${MINIMESOS_";
    const size_t plen = sizeof prefix - 1;
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    const char *p = text;
    for (;;) {
        const char *t = strstr(p, prefix);
        if (!t) {
            mm_sb_adds(&sb, p);
            break;
        }
        mm_sb_add(&sb, p, (size_t)(t - p));
        const char *name = t + plen;
        const char *close = strchr(name, '}');
        size_t len = close ? (size_t)(close - name) : 0;
        if (close && len > 0 && len < 64 && rc && token_value(rc, name, len, &sb)) {
            p = close + 1;
        } else {
            /* Unknown token (or a role the cluster lacks): keep it verbatim. */
            mm_sb_add(&sb, t, plen);
            p = name;
        }
    }
    return mm_sb_detach(&sb);
}

static bool is_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* The definition's text from a path (relative to base_dir) or URL. */
static char *load_source(const char *source, const char *base_dir, char **err)
{
    if (is_url(source)) {
        char *body = NULL, *why = NULL;
        size_t len = 0;
        if (mm_http_fetch(source, DEFINITION_MAX, FETCH_TIMEOUT_MS, &body, &len, &why) != 0) {
            /* mm_http_fetch names the URL already. */
            *err = why;
            return NULL;
        }
        if (memchr(body, '\0', len)) {
            free(body);
            *err = mm_xasprintf("%s: the answer is not text", source);
            return NULL;
        }
        return body;
    }
    char *path = (source[0] == '/' || !base_dir || !*base_dir)
                     ? mm_xstrdup(source) : mm_xasprintf("%s/%s", base_dir, source);
    size_t len = 0;
    char *text = mm_read_all(path, DEFINITION_MAX, &len);
    if (!text) {
        if (errno == EFBIG)
            *err = mm_xasprintf("%s: larger than %u bytes", path, DEFINITION_MAX);
        else
            *err = mm_xasprintf("%s: %s", path, strerror(errno));
    } else if (memchr(text, '\0', len)) {
        *err = mm_xasprintf("%s: not a text file", path);
        free(text);
        text = NULL;
    }
    free(path);
    return text;
}

static const char *marathon_url(const mm_running *rc, char **err)
{
    const mm_member *m = rc ? role_member(rc, "marathon", 8) : NULL;
    if (!m || !m->url) {
        *err = mm_xstrdup("the cluster has no Marathon (add a marathon block to the minimesosFile)");
        return NULL;
    }
    return m->url;
}

/* One request to Marathon; 0 when it answered 2xx (*answer: its body). */
static int marathon_call(const mm_running *rc, const char *method, const char *path,
                         const char *body, char **answer, char **err)
{
    *answer = NULL;
    const char *base = marathon_url(rc, err);
    if (!base)
        return -1;
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    char *url = mm_xasprintf("%.*s%s", (int)bl, base, path);
    mm_http_request req = {
        .method = method, .url = url, .body = body, .body_len = body ? strlen(body) : 0,
        .timeout_ms = MARATHON_TIMEOUT_MS, .max_body = 16u << 20, .direct = true,
    };
    mm_http_response resp;
    char *why = NULL;
    int rc_ = -1;
    if (mm_http_do(&req, &resp, &why) != 0) {
        *err = mm_xasprintf("Marathon at %.*s: %s", (int)bl, base, why);
        free(why);
    } else if (resp.status < 200 || resp.status > 299) {
        *err = mm_marathon_error(resp.status, resp.body);
        mm_http_response_free(&resp);
    } else {
        *answer = resp.body ? resp.body : mm_xstrdup("");
        rc_ = 0;
    }
    free(url);
    return rc_;
}

int mm_marathon_install_text(const mm_running *rc, const char *kind, const char *text,
                             bool update, char **answer, char **err)
{
    *answer = NULL;
    *err = NULL;
    /* Editors on some systems start UTF-8 files with a byte order mark; it
     * is not sent on. */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    if (!kind)
        kind = mm_marathon_detect_kind(text);
    bool group = strcmp(kind, "group") == 0;
    if (!group && strcmp(kind, "app") != 0) {
        *err = mm_xasprintf("unknown Marathon definition kind '%s'", kind);
        return -1;
    }
    char *json = mm_replace_tokens(rc, text);
    char *id = NULL;
    if (mm_marathon_check(json, kind, &id, err) != 0) {
        free(json);
        return -1;
    }
    char *path;
    const char *method;
    if (update) {
        char *idp = mm_marathon_id_path(id);
        path = mm_xasprintf("/v2/%s/%s", group ? "groups" : "apps", idp);
        free(idp);
        method = "PUT";
    } else {
        path = mm_xstrdup(group ? "/v2/groups" : "/v2/apps");
        method = "POST";
    }
    int r = marathon_call(rc, method, path, json, answer, err);
    free(path);
    free(id);
    free(json);
    return r;
}

int mm_marathon_install(const mm_running *rc, const char *kind, const char *source,
                        const char *base_dir, bool update, char **answer, char **err)
{
    *answer = NULL;
    *err = NULL;
    char *why = NULL;
    char *text = load_source(source, base_dir, &why);
    if (!text) {
        *err = mm_xasprintf("%s %s", kind ? kind : "app", why);
        free(why);
        return -1;
    }
    int r = mm_marathon_install_text(rc, kind, text, update, answer, &why);
    free(text);
    if (r != 0) {
        *err = mm_xasprintf("%s %s: %s", kind ? kind : "app", source, why);
        free(why);
    }
    return r;
}

int mm_marathon_uninstall(const mm_running *rc, const char *kind, const char *id,
                          char **answer, char **err)
{
    *answer = NULL;
    *err = NULL;
    bool group = kind && strcmp(kind, "group") == 0;
    char *idp = mm_marathon_id_path(id);
    if (!*idp) {
        /* An empty group id would name the root group: everything. */
        free(idp);
        *err = mm_xasprintf("%s id is needed", group ? "a group" : "an app");
        return -1;
    }
    char *path = mm_xasprintf("/v2/%s/%s", group ? "groups" : "apps", idp);
    char *why = NULL;
    int r = marathon_call(rc, "DELETE", path, NULL, answer, &why);
    if (r != 0) {
        *err = mm_xasprintf("%s %s: %s", group ? "group" : "app", id, why);
        free(why);
    }
    free(path);
    free(idp);
    return r;
}
