/* Docker Engine API client (see docker.h). */
#include "engine/docker.h"
#include "net/http.h"
#include "minimesos/runtime.h" /* mm_interrupted */
#include "base/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CALL_TIMEOUT_MS 30000L

static char *url_escape(const char *s)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~')
            mm_sb_addc(&sb, (char)*p);
        else
            mm_sb_addf(&sb, "%%%02X", *p);
    }
    return mm_sb_detach(&sb);
}

/* path_fmt ("/networks/%s") with arg, URL-escaped, in place of its %s. */
static char *escaped_path(const char *path_fmt, const char *arg)
{
    char *esc = url_escape(arg);
    char *path = mm_xasprintf(path_fmt, esc);
    free(esc);
    return path;
}

int mm_docker_init(mm_docker *d, char **err)
{
    const char *host = getenv("DOCKER_HOST");
    bool from_env = host && *host;
    int rc = mm_docker_init_addr(d, from_env ? host : "unix:///var/run/docker.sock", err);
    if (from_env && rc == 0) {
        free(d->shown);
        d->shown = mm_xasprintf("%s (DOCKER_HOST)", host);
    } else if (from_env) {
        char *why = *err;
        const char *colon = strstr(why, ": ");
        *err = mm_xasprintf("cannot reach the Docker engine at %s (DOCKER_HOST)%s", host, colon ? colon : "");
        free(why);
    }
    return rc;
}

mm_docker *mm_docker_node(mm_docker *d, size_t k)
{
    return k == 0 ? d : k <= d->n_nodes ? &d->nodes[k - 1] : NULL;
}

int mm_docker_init_addr(mm_docker *d, const char *host, char **err)
{
    memset(d, 0, sizeof *d);
    d->addr = mm_xstrdup(host);
    d->shown = mm_xstrdup(host);
    const char *tls = getenv("DOCKER_TLS_VERIFY");
    bool use_tls = tls && *tls && strcmp(tls, "0") != 0;
    if (strncmp(host, "unix://", 7) == 0) {
        d->unix_socket = mm_xstrdup(host + 7);
        d->base = mm_xstrdup("http://localhost");
    } else if (strncmp(host, "tcp://", 6) == 0 || strncmp(host, "http://", 7) == 0 ||
               strncmp(host, "https://", 8) == 0) {
        const char *hp = strstr(host, "://") + 3;
        size_t n = strlen(hp);
        while (n && hp[n - 1] == '/')
            n--;
        if (strncmp(host, "https://", 8) == 0)
            use_tls = true;
        d->base = mm_xasprintf("%s://%.*s", use_tls ? "https" : "http", (int)n, hp);
        if (use_tls) {
            const char *certs = getenv("DOCKER_CERT_PATH");
            if (!certs || !*certs) {
                const char *home = getenv("HOME");
                d->ca = mm_xasprintf("%s/.docker/ca.pem", home ? home : "");
                d->cert = mm_xasprintf("%s/.docker/cert.pem", home ? home : "");
                d->key = mm_xasprintf("%s/.docker/key.pem", home ? home : "");
            } else {
                d->ca = mm_xasprintf("%s/ca.pem", certs);
                d->cert = mm_xasprintf("%s/cert.pem", certs);
                d->key = mm_xasprintf("%s/key.pem", certs);
            }
        }
    } else {
        *err = mm_xasprintf("cannot reach the Docker engine at %s: unsupported address "
                         "(use unix://PATH or tcp://HOST:PORT)", host);
        return -1;
    }
    return 0;
}

void mm_docker_free(mm_docker *d)
{
    for (size_t k = 0; k < d->n_nodes; k++)
        mm_docker_free(&d->nodes[k]);
    free(d->nodes);
    free(d->addr);
    free(d->shown);
    free(d->unix_socket);
    free(d->base);
    free(d->ca);
    free(d->cert);
    free(d->key);
    memset(d, 0, sizeof *d);
}

static int raw(mm_docker *d, const char *method, const char *path, bool versioned,
               const char *body, long timeout_ms,
               bool (*on_data)(const char *, size_t, void *), void *ctx,
               mm_http_response *resp, char **err)
{
    char *url = versioned && d->api[0] ? mm_xasprintf("%s/v%s%s", d->base, d->api, path)
                                       : mm_xasprintf("%s%s", d->base, path);
    mm_http_request req = {
        .method = method, .url = url, .unix_socket = d->unix_socket,
        .body = body, .body_len = body ? strlen(body) : 0,
        .timeout_ms = timeout_ms > 0 ? timeout_ms : CALL_TIMEOUT_MS,
        .connect_timeout_ms = 5000,
        .ca_file = d->ca, .cert_file = d->cert, .key_file = d->key,
        .direct = true,
        .on_data = on_data, .ctx = ctx,
    };
    char *why = NULL;
    int rc = mm_http_do(&req, resp, &why);
    free(url);
    if (rc != 0) {
        if (d->ca && strncmp(why, "TLS", 3) == 0)
            *err = mm_xasprintf("cannot reach the Docker engine at %s: %s (CA %s, client certificate %s)",
                                d->shown, why, d->ca, d->cert);
        else
            *err = mm_xasprintf("cannot reach the Docker engine at %s: %s", d->shown, why);
        free(why);
        return -1;
    }
    return 0;
}

/* An answer that is not what the API promises: "<what>: malformed answer
 * from the Docker engine at <addr> (<expected>)". */
static char *malformed(const mm_docker *d, const char *what, const char *expected)
{
    return mm_xasprintf("%s: malformed answer from the Docker engine at %s (%s)", what, d->addr, expected);
}

/* On one line (mm_sb_add_oneline): it ends a message of ours, and an
 * answer (or a proxy's HTML page) must not break it or drive the terminal. */
char *mm_docker_error_message(long status, const char *body)
{
    cJSON *j = body ? cJSON_Parse(body) : NULL;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
    strbuf sb = STRBUF_INIT;
    if (cJSON_IsString(m))
        mm_sb_add_oneline(&sb, m->valuestring, SIZE_MAX);
    if (!sb.len && body && !j && strlen(body) < 300) {
        mm_sb_addf(&sb, "HTTP %ld: ", status);
        size_t k = sb.len;
        mm_sb_add_oneline(&sb, body, SIZE_MAX);
        if (sb.len == k)
            sb.len = 0; /* only blanks */
    }
    if (!sb.len)
        mm_sb_addf(&sb, "HTTP status %ld", status);
    cJSON_Delete(j);
    return mm_sb_detach(&sb);
}

/* An API version, "MAJOR.MINOR" with 1 to 6 digits each (it goes into the
 * path of every request). */
static bool api_version(const char *s, long v[2])
{
    for (int k = 0; k < 2; k++) {
        int digits = 0;
        v[k] = 0;
        while (*s >= '0' && *s <= '9' && digits <= 6) {
            v[k] = v[k] * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 6 || *s++ != (k == 0 ? '.' : '\0'))
            return false;
    }
    return true;
}

static int cmp_version(const long a[2], const long b[2])
{
    return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

int mm_docker_connect(mm_docker *d, char **err)
{
    mm_http_response resp;
    /* A unix socket that is not there is said so without loading libcurl
     * (an offline `up --dry-run` asks whether a cluster runs, and should not
     * pay for it). The words are the transport's (net/http.c). Under
     * --debug the request is made anyway, so the trace shows it. */
    struct stat st;
    if (d->unix_socket && !mm_trace_stream() && stat(d->unix_socket, &st) != 0 && errno == ENOENT) {
        *err = mm_xasprintf("cannot reach the Docker engine at %s: no such socket", d->shown);
        return -1;
    }
    /* TLS: the three files first, so that a missing one is named as such
     * rather than as whatever the TLS library makes of it. */
    const char *files[3][2] = { { "the CA certificate", d->ca }, { "the client certificate", d->cert },
                                { "the client key", d->key } };
    for (int i = 0; i < 3; i++) {
        if (files[i][1] && access(files[i][1], R_OK) != 0) {
            *err = mm_xasprintf("cannot reach the Docker engine at %s: TLS: cannot read %s %s: %s "
                                "(DOCKER_CERT_PATH names the folder of ca.pem, cert.pem and key.pem)",
                                d->shown, files[i][0], files[i][1], strerror(errno));
            return -1;
        }
    }
    if (raw(d, "GET", "/version", false, NULL, 10000, NULL, NULL, &resp, err) != 0)
        return -1;
    if (resp.status != 200) {
        char *m = mm_docker_error_message(resp.status, resp.body);
        *err = mm_xasprintf("cannot reach the Docker engine at %s: GET /version: %s", d->shown, m);
        free(m);
        mm_http_response_free(&resp);
        return -1;
    }
    char *why = NULL;
    int rc = mm_docker_choose_api(resp.body, d->api, &why);
    mm_http_response_free(&resp);
    if (rc != 0) {
        *err = mm_xasprintf("cannot reach the Docker engine at %s: GET /version %s", d->shown, why);
        free(why);
        return -1;
    }
    return 0;
}

int mm_docker_choose_api(const char *version_json, char api[16], char **why)
{
    cJSON *j = version_json ? cJSON_Parse(version_json) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "ApiVersion");
    const cJSON *minv = cJSON_GetObjectItemCaseSensitive(j, "MinAPIVersion");
    long have[2], max[2], min[2];
    if (!j) {
        *why = mm_xstrdup("gave a malformed answer (not JSON)");
        return -1;
    }
    if (!cJSON_IsString(v)) {
        cJSON_Delete(j);
        *why = mm_xstrdup("gave no ApiVersion");
        return -1;
    }
    if (!api_version(v->valuestring, have)) {
        strbuf sb = STRBUF_INIT;
        mm_sb_adds(&sb, "gave an ApiVersion that is not a version: ");
        mm_sb_add_oneline(&sb, v->valuestring, 40);
        cJSON_Delete(j);
        *why = mm_sb_detach(&sb);
        return -1;
    }
    if (!api_version(MM_DOCKER_API_MAX, max))
        abort();
    const long *use = cmp_version(have, max) < 0 ? have : max;
    /* A MinAPIVersion that is not a version is ignored, as it was when
     * versions were compared with sscanf. */
    if (cJSON_IsString(minv) && api_version(minv->valuestring, min) && cmp_version(use, min) < 0)
        use = min;
    snprintf(api, 16, "%ld.%ld", use[0], use[1]);
    cJSON_Delete(j);
    return 0;
}

int mm_docker_call(mm_docker *d, const char *method, const char *path, const char *body,
                   long timeout_ms, long *status, char **answer, char **err)
{
    mm_http_response resp;
    if (raw(d, method, path, true, body, timeout_ms, NULL, NULL, &resp, err) != 0)
        return -1;
    *status = resp.status;
    if (answer)
        *answer = resp.body;
    else
        free(resp.body);
    return 0;
}

/* A call that must answer with one of the ok statuses; else *err is
 * "<what>: <engine message>". */
static int call_ok(mm_docker *d, const char *method, const char *path, const char *body,
                   long timeout_ms, long ok1, long ok2, const char *what, long *status,
                   char **answer, char **err)
{
    long st = 0;
    char *ans = NULL;
    if (mm_docker_call(d, method, path, body, timeout_ms, &st, &ans, err) != 0)
        return -1;
    if (status)
        *status = st;
    if (st != ok1 && st != ok2) {
        char *m = mm_docker_error_message(st, ans);
        *err = mm_xasprintf("%s: %s", what, m);
        free(m);
        free(ans);
        return -1;
    }
    if (answer)
        *answer = ans;
    else
        free(ans);
    return 0;
}

/* call_ok for an answer the API promises is JSON: *json is it, parsed
 * (caller deletes); *json is left as it is when the call fails. An answer
 * that is not JSON fails with "<not_json>: malformed answer from the Docker
 * engine at <addr> (not JSON)"; with not_json NULL it does not, *json is
 * NULL, and the caller finds nothing in it (or says what it misses). */
static int call_json(mm_docker *d, const char *method, const char *path, const char *body,
                     long timeout_ms, long ok1, long ok2, const char *what, const char *not_json,
                     long *status, cJSON **json, char **err)
{
    char *ans = NULL;
    if (call_ok(d, method, path, body, timeout_ms, ok1, ok2, what, status, &ans, err) != 0)
        return -1;
    *json = cJSON_Parse(ans);
    free(ans);
    if (!*json && not_json) {
        *err = malformed(d, not_json, "not JSON");
        return -1;
    }
    return 0;
}

int mm_docker_image_exists(mm_docker *d, const char *ref, bool *exists, char **err)
{
    char *path = escaped_path("/images/%s/json", ref);
    long st;
    char *ans = NULL;
    int rc = mm_docker_call(d, "GET", path, NULL, 0, &st, &ans, err);
    free(path);
    if (rc != 0)
        return -1;
    if (st == 200)
        *exists = true;
    else if (st == 404)
        *exists = false;
    else {
        char *m = mm_docker_error_message(st, ans);
        *err = mm_xasprintf("inspecting image %s: %s", ref, m);
        free(m);
        free(ans);
        return -1;
    }
    free(ans);
    return 0;
}

void mm_docker_pull_parser_init(mm_docker_pull_parser *c, mm_docker_pull_fn on_status, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->on_status = on_status;
    c->ctx = ctx;
}

void mm_docker_pull_parser_free(mm_docker_pull_parser *c)
{
    mm_sb_free(&c->line);
    mm_sb_free(&c->head);
    free(c->error);
    c->error = NULL;
}

/* Text of a progress line for the caller's display: a control character
 * (C0, DEL, C1) becomes a blank, in place; anything else is kept as it is
 * (runs of blanks draw the progress bar). */
static const char *blank_controls(const cJSON *v)
{
    if (!cJSON_IsString(v))
        return NULL;
    for (unsigned char *p = (unsigned char *)v->valuestring; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = ' ';
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            p[0] = p[1] = ' ';
    }
    return v->valuestring;
}

static void pull_line(mm_docker_pull_parser *c, const char *line)
{
    cJSON *j = cJSON_Parse(line);
    if (!j)
        return;
    /* An error inside the stream: {"error": ..., "errorDetail": {"message": ...}}. */
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    const cJSON *dm = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "errorDetail"),
                                                       "message");
    for (int k = 0; k < 2 && !c->error; k++) {
        const cJSON *m = k == 0 ? e : dm; /* on one line: it ends our message */
        if (!cJSON_IsString(m))
            continue;
        strbuf sb = STRBUF_INIT;
        mm_sb_add_oneline(&sb, m->valuestring, SIZE_MAX);
        if (sb.len)
            c->error = mm_sb_detach(&sb);
    }
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(j, "progress");
    if (c->on_status && cJSON_IsString(st))
        c->on_status(blank_controls(id), blank_controls(st), blank_controls(pr), c->ctx);
    cJSON_Delete(j);
}

void mm_docker_pull_parser_feed(mm_docker_pull_parser *c, const char *data, size_t len)
{
    if (c->head.len < MM_DOCKER_PULL_HEAD_MAX)
        mm_sb_add(&c->head, data, len < MM_DOCKER_PULL_HEAD_MAX - c->head.len ? len : MM_DOCKER_PULL_HEAD_MAX - c->head.len);
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t k = nl ? (size_t)(nl - data) : len;
        if (!c->overlong) {
            if (c->line.len + k > MM_DOCKER_PULL_LINE_MAX) {
                c->overlong = true; /* skipped: no engine writes such lines */
                c->line.len = 0;
            } else {
                mm_sb_add(&c->line, data, k);
            }
        }
        if (!nl)
            break;
        mm_docker_pull_parser_end(c);
        data += k + 1;
        len -= k + 1;
    }
}

void mm_docker_pull_parser_end(mm_docker_pull_parser *c)
{
    if (c->line.len && !c->overlong)
        pull_line(c, c->line.buf);
    c->line.len = 0;
    c->overlong = false;
}

static bool pull_data(const char *data, size_t len, void *ctx)
{
    if (mm_interrupted())
        return false; /* SIGINT during a pull: abort the transfer */
    mm_docker_pull_parser_feed(ctx, data, len);
    return true;
}

int mm_docker_pull(mm_docker *d, const char *ref, mm_docker_pull_fn on_status, void *ctx, char **err)
{
    /* Split name and tag at the last ':' after the last '/'. */
    const char *slash = strrchr(ref, '/');
    const char *colon = strrchr(slash ? slash : ref, ':');
    char *name = colon ? mm_xstrndup(ref, (size_t)(colon - ref)) : mm_xstrdup(ref);
    char *ename = url_escape(name), *etag = url_escape(colon ? colon + 1 : "latest");
    char *path = mm_xasprintf("/images/create?fromImage=%s&tag=%s", ename, etag);
    free(name);
    free(ename);
    free(etag);
    mm_docker_pull_parser c;
    mm_docker_pull_parser_init(&c, on_status, ctx);
    mm_http_response resp;
    int rc = raw(d, "POST", path, true, "", 30L * 60 * 1000, pull_data, &c, &resp, err);
    free(path);
    if (rc != 0) {
        if (mm_interrupted()) {
            free(*err);
            *err = mm_xasprintf("pulling image %s: interrupted", ref);
        }
        mm_docker_pull_parser_free(&c);
        return -1;
    }
    mm_docker_pull_parser_end(&c);
    int ret = 0;
    if (c.error) {
        *err = mm_xasprintf("pulling image %s: %s", ref, c.error);
        ret = -1;
    } else if (resp.status != 200) {
        /* Refused before any progress: the answer is the engine's error. */
        char *m = mm_docker_error_message(resp.status, c.head.buf);
        *err = mm_xasprintf("pulling image %s: %s", ref, m);
        free(m);
        ret = -1;
    }
    mm_docker_pull_parser_free(&c);
    return ret;
}

/* *id from the answer j of a create (j deleted here); -1 when it has none,
 * with "creating <kind> <name>: the engine's answer has no Id". */
static int created_id(cJSON *j, const char *kind, const char *name, char **id, char **err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "Id");
    int rc = 0;
    if (cJSON_IsString(v)) {
        *id = mm_xstrdup(v->valuestring);
    } else {
        *err = mm_xasprintf("creating %s %s: the engine's answer has no Id", kind, name);
        rc = -1;
    }
    cJSON_Delete(j);
    return rc;
}

int mm_docker_create(mm_docker *d, const char *name, const char *body, char **id, char **err)
{
    char *path = escaped_path("/containers/create?name=%s", name);
    char *what = mm_xasprintf("creating container %s", name);
    cJSON *j = NULL;
    int rc = call_json(d, "POST", path, body, 0, 201, 201, what, what, NULL, &j, err);
    free(path);
    free(what);
    return rc != 0 ? -1 : created_id(j, "container", name, id, err);
}

int mm_docker_start(mm_docker *d, const char *id, char **err)
{
    char *path = mm_xasprintf("/containers/%s/start", id);
    int rc = call_ok(d, "POST", path, NULL, 0, 204, 304, "starting container", NULL, NULL, err);
    free(path);
    return rc;
}

int mm_docker_stop(mm_docker *d, const char *id, int grace_s, char **err)
{
    char *path = mm_xasprintf("/containers/%s/stop?t=%d", id, grace_s);
    /* 304: already stopped. The engine answers once it has stopped: allow
     * the grace period and the kill after it. */
    int rc = call_ok(d, "POST", path, NULL, (grace_s + 30) * 1000L, 204, 304, "stopping container", NULL,
                     NULL, err);
    free(path);
    return rc;
}

int mm_docker_inspect(mm_docker *d, const char *id, cJSON **out, char **err)
{
    char *path = mm_xasprintf("/containers/%s/json", id);
    /* A refusal is "inspecting container: <the engine's message>", which
     * names the container ("No such container: ..."); an answer that is not
     * JSON has no such message, so the container is named here. */
    char *what = mm_xasprintf("inspecting container %s", id);
    int rc = call_json(d, "GET", path, NULL, 10000, 200, 200, "inspecting container", what, NULL, out, err);
    free(what);
    free(path);
    return rc;
}

static char *str_or_null(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring[0] ? mm_xstrdup(v->valuestring) : NULL;
}

/* An IPv4 or IPv6 address, else NULL: it goes into URLs and into the
 * `export ..._IP=` lines users eval from `minimesos info`. */
static char *addr_or_null(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    unsigned char buf[16];
    if (!cJSON_IsString(v) || (inet_pton(AF_INET, v->valuestring, buf) != 1 &&
                               inet_pton(AF_INET6, v->valuestring, buf) != 1))
        return NULL;
    return mm_xstrdup(v->valuestring);
}

void mm_docker_inspect_net(const cJSON *inspect, char **ip, char **gateway, char **state)
{
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(inspect, "NetworkSettings");
    char *i = addr_or_null(ns, "IPAddress"), *g = addr_or_null(ns, "Gateway");
    const cJSON *nets = cJSON_GetObjectItemCaseSensitive(ns, "Networks");
    const cJSON *net;
    cJSON_ArrayForEach(net, nets) {
        if (!i)
            i = addr_or_null(net, "IPAddress");
        if (!g)
            g = addr_or_null(net, "Gateway");
    }
    if (ip)
        *ip = i;
    else
        free(i);
    if (gateway)
        *gateway = g;
    else
        free(g);
    if (state)
        *state = str_or_null(cJSON_GetObjectItemCaseSensitive(inspect, "State"), "Status");
}

char *mm_docker_demux(const char *buf, size_t len)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    size_t i = 0;
    /* Stream format: [stream(1) 0 0 0 size(4, big endian)] payload. A TTY
     * container sends raw text instead: detect by the header's shape. */
    bool framed = len >= 8 && (unsigned char)buf[0] <= 2 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0;
    if (!framed) {
        mm_sb_add(&sb, buf, len);
        return mm_sb_detach(&sb);
    }
    while (i + 8 <= len) {
        const unsigned char *h = (const unsigned char *)buf + i;
        size_t n = ((size_t)h[4] << 24) | ((size_t)h[5] << 16) | ((size_t)h[6] << 8) | h[7];
        i += 8;
        if (n > len - i)
            n = len - i;
        mm_sb_add(&sb, buf + i, n);
        i += n;
    }
    return mm_sb_detach(&sb);
}

int mm_docker_logs(mm_docker *d, const char *id, int tail, char **text, char **err)
{
    char *path = mm_xasprintf("/containers/%s/logs?stdout=1&stderr=1&tail=%d", id, tail);
    long st;
    char *ans = NULL;
    mm_http_response resp;
    int rc = raw(d, "GET", path, true, NULL, 10000, NULL, NULL, &resp, err);
    free(path);
    if (rc != 0)
        return -1;
    st = resp.status;
    ans = resp.body;
    if (st != 200) {
        char *m = mm_docker_error_message(st, ans);
        *err = mm_xasprintf("reading logs: %s", m);
        free(m);
        free(ans);
        return -1;
    }
    *text = mm_docker_demux(ans, resp.len);
    free(ans);
    return 0;
}

/* path_fmt ("/volumes?filters=%s") with the URL-encoded `filters` value
 * selecting objects that carry label ("key" or "key=value"), as the list
 * endpoints take it. */
static char *label_path(const char *path_fmt, const char *label)
{
    cJSON *f = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(f, "label");
    cJSON_AddItemToArray(arr, cJSON_CreateString(label));
    char *fs = cJSON_PrintUnformatted(f);
    cJSON_Delete(f);
    char *path = escaped_path(path_fmt, fs);
    free(fs);
    return path;
}

char *mm_docker_log_tail(mm_docker *d, const char *id, const char *name, int tail, bool quiet)
{
    if (!id)
        return mm_xstrdup("");
    char *text = NULL, *why = NULL;
    if (mm_docker_logs(d, id, tail, &text, &why) != 0) {
        char *s = quiet ? mm_xstrdup("") : mm_xasprintf("\n(could not read the log of %s: %s)", name, why);
        free(why);
        return s;
    }
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    if (!*text) {
        if (!quiet)
            mm_sb_addf(&sb, "\n(the log of %s is empty)", name);
    } else {
        mm_sb_addf(&sb, "\nlast lines of the log of %s:", name);
        for (const char *p = text; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            mm_sb_adds(&sb, "\n    ");
            mm_sb_add(&sb, p, n);
            p += n + (nl ? 1 : 0);
        }
    }
    free(text);
    return mm_sb_detach(&sb);
}

int mm_docker_list(mm_docker *d, const char *label, cJSON **out, char **err)
{
    char *path = label_path("/containers/json?all=1&filters=%s", label);
    int rc = call_json(d, "GET", path, NULL, 15000, 200, 200, "listing containers", NULL, NULL, out, err);
    free(path);
    if (rc != 0)
        return -1;
    if (!cJSON_IsArray(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        *err = malformed(d, "listing containers", "not a JSON array");
        return -1;
    }
    return 0;
}

int mm_docker_remove(mm_docker *d, const char *id, char **err)
{
    char *path = mm_xasprintf("/containers/%s?force=1&v=1", id);
    char *what = mm_xasprintf("removing container %s", id);
    /* 404: already gone is fine, destroy is idempotent */
    int rc = call_ok(d, "DELETE", path, NULL, 60000, 204, 404, what, NULL, NULL, err);
    free(what);
    free(path);
    return rc;
}

/* The objects of one kind ("volume" or "network") that carry label, each
 * removed: list, then DELETE one by one. A 404 on the DELETE (gone already)
 * counts as removed; any other answer (409 "volume is in use", 403 "has
 * active endpoints") is a failure, said on a line of *err of its own. */
typedef struct label_kind {
    const char *kind;       /* "volume", "network": in the messages */
    const char *list_fmt;   /* "/volumes?filters=%s": the list, its filters in place of %s */
    const char *array_key;  /* the list's array in the answer, or NULL: the answer is it */
    const char *id_key;     /* the member that names it in the DELETE path */
    const char *delete_fmt; /* "/volumes/%s?force=1" */
} label_kind;

static const label_kind VOLUMES = { "volume", "/volumes?filters=%s", "Volumes", "Name", "/volumes/%s?force=1" };
static const label_kind NETWORKS = { "network", "/networks?filters=%s", NULL, "Id", "/networks/%s" };

static int remove_by_label(mm_docker *d, const label_kind *k, const char *label, size_t *removed, char **err)
{
    *removed = 0;
    char *path = label_path(k->list_fmt, label);
    char *what = mm_xasprintf("listing %ss", k->kind);
    cJSON *j = NULL;
    int rc = call_json(d, "GET", path, NULL, 15000, 200, 200, what, NULL, NULL, &j, err);
    free(what);
    free(path);
    if (rc != 0)
        return -1;
    const cJSON *items = k->array_key ? cJSON_GetObjectItemCaseSensitive(j, k->array_key) : j, *v;
    strbuf why = STRBUF_INIT;
    cJSON_ArrayForEach(v, items) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, k->id_key);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "Name");
        if (!cJSON_IsString(id))
            continue;
        char *p2 = escaped_path(k->delete_fmt, id->valuestring);
        char *w2 = mm_xasprintf("removing %s %s", k->kind, cJSON_IsString(name) ? name->valuestring : id->valuestring);
        char *one = NULL;
        if (call_ok(d, "DELETE", p2, NULL, 30000, 204, 404, w2, NULL, NULL, &one) != 0) {
            if (why.len)
                mm_sb_addc(&why, '\n');
            mm_sb_adds(&why, one);
            free(one);
        } else
            (*removed)++;
        free(w2);
        free(p2);
    }
    cJSON_Delete(j);
    if (why.len) {
        *err = mm_sb_detach(&why);
        return -1;
    }
    return 0;
}

int mm_docker_remove_volumes(mm_docker *d, const char *label, size_t *removed, char **err)
{
    return remove_by_label(d, &VOLUMES, label, removed, err);
}

int mm_docker_remove_networks(mm_docker *d, const char *label, size_t *removed, char **err)
{
    return remove_by_label(d, &NETWORKS, label, removed, err);
}

int mm_docker_overlay_create(mm_docker *d, const char *name, const char *const *labels, size_t n_labels,
                             char **id, char **err)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "Name", name);
    cJSON_AddStringToObject(b, "Driver", "overlay");
    cJSON_AddBoolToObject(b, "Attachable", true);
    cJSON_AddBoolToObject(b, "CheckDuplicate", true);
    cJSON *l = cJSON_AddObjectToObject(b, "Labels");
    for (size_t i = 0; i < n_labels; i++) {
        const char *eq = strchr(labels[i], '=');
        char *k = eq ? mm_xstrndup(labels[i], (size_t)(eq - labels[i])) : mm_xstrdup(labels[i]);
        cJSON_AddStringToObject(l, k, eq ? eq + 1 : "");
        free(k);
    }
    char *body = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    char *what = mm_xasprintf("creating overlay network %s on %s", name, d->addr);
    cJSON *j = NULL;
    int rc = call_json(d, "POST", "/networks/create", body, 0, 201, 200, what, NULL, NULL, &j, err);
    free(body);
    free(what);
    return rc != 0 ? -1 : created_id(j, "overlay network", name, id, err);
}

int mm_docker_gwbridge_ip(mm_docker *d, const char *id, char **ip, char **err)
{
    *ip = NULL;
    char *what = mm_xasprintf("inspecting network docker_gwbridge on %s", d->addr);
    long st = 0;
    cJSON *j = NULL;
    int rc = call_json(d, "GET", "/networks/docker_gwbridge", NULL, 10000, 200, 404, what, NULL, &st, &j, err);
    free(what);
    if (rc != 0)
        return -1;
    if (st == 404) { /* not in a swarm, or no overlay container yet */
        cJSON_Delete(j);
        return 0;
    }
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "Containers"), id);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "IPv4Address");
    if (cJSON_IsString(a)) {
        /* "172.18.0.3/16": the address without its prefix length, if it is one */
        char *s = mm_xstrdup(a->valuestring), *slash = strchr(s, '/');
        if (slash)
            *slash = '\0';
        unsigned char buf[4];
        if (inet_pton(AF_INET, s, buf) == 1)
            *ip = s;
        else
            free(s);
    }
    cJSON_Delete(j);
    return 0;
}

int mm_docker_network_gateway(mm_docker *d, const char *name, char **gateway, char **err)
{
    *gateway = NULL;
    char *path = escaped_path("/networks/%s", name);
    char *what = mm_xasprintf("inspecting network %s on %s", name, d->addr);
    cJSON *j = NULL;
    int rc = call_json(d, "GET", path, NULL, 10000, 200, 200, what, NULL, NULL, &j, err);
    free(what);
    free(path);
    if (rc != 0)
        return -1;
    const cJSON *cfg = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                                              cJSON_GetObjectItemCaseSensitive(j, "IPAM"), "Config"), 0);
    *gateway = addr_or_null(cfg, "Gateway");
    cJSON_Delete(j);
    return 0;
}
