/* standin: buffers, logging, names, sockets, HTTP server and client. */
#include "standin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
const char *g_role = "standin";

/* ---------------------------------------------------------------- buffers */
void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) { fputs("standin: out of memory\n", stderr); _exit(70); }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) { fputs("standin: out of memory\n", stderr); _exit(70); }
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = xmalloc(n + 1);
    memcpy(p, s ? s : "", n + 1);
    return p;
}

void sb_init(sbuf *b) { b->s = NULL; b->len = b->cap = 0; }
void sb_free(sbuf *b) { free(b->s); sb_init(b); }

void sb_addn(sbuf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->len + n + 1) c *= 2;
        b->s = xrealloc(b->s, c);
        b->cap = c;
    }
    if (n) memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_add(sbuf *b, const char *p) { sb_addn(b, p, strlen(p)); }
void sb_addc(sbuf *b, char c) { sb_addn(b, &c, 1); }

void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) { sb_addn(b, tmp, (size_t)n); return; }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_addn(b, big, (size_t)n);
    free(big);
}

void sb_json_str(sbuf *b, const char *p)
{
    if (!p) { sb_add(b, "null"); return; }
    sb_addc(b, '"');
    for (const unsigned char *q = (const unsigned char *)p; *q; q++) {
        switch (*q) {
        case '"': sb_add(b, "\\\""); break;
        case '\\': sb_add(b, "\\\\"); break;
        case '\n': sb_add(b, "\\n"); break;
        case '\r': sb_add(b, "\\r"); break;
        case '\t': sb_add(b, "\\t"); break;
        default:
            if (*q < 0x20) sb_printf(b, "\\u%04x", *q);
            else sb_addc(b, (char)*q);
        }
    }
    sb_addc(b, '"');
}

/* ---------------------------------------------------------------- logging */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

void logmsg(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&log_mu);
    fprintf(stderr, "standin %s: %s\n", g_role, line);
    fflush(stderr);
    pthread_mutex_unlock(&log_mu);
}

void log_start(int argc, char **argv)
{
    sbuf b;
    sb_init(&b);
    for (int i = 0; i < argc; i++) { if (i) sb_addc(&b, ' '); sb_add(&b, argv[i]); }
    logmsg("argv: %s", b.s ? b.s : "");
    sb_free(&b);
    for (char **e = environ; e && *e; e++) logmsg("env: %s", *e);
}

void json_env(sbuf *b)
{
    sb_addc(b, '{');
    int first = 1;
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char *k = xmalloc((size_t)(eq - *e) + 1);
        memcpy(k, *e, (size_t)(eq - *e));
        k[eq - *e] = 0;
        if (!first) sb_addc(b, ',');
        first = 0;
        sb_json_str(b, k);
        sb_addc(b, ':');
        sb_json_str(b, eq + 1);
        free(k);
    }
    sb_addc(b, '}');
}

void json_flags(sbuf *b)
{
    sb_addc(b, '{');
    int first = 1;
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || strncmp(*e, "MESOS_", 6) != 0 || eq == *e + 6) continue;
        size_t n = (size_t)(eq - *e) - 6;
        char *k = xmalloc(n + 1);
        for (size_t i = 0; i < n; i++) k[i] = (char)tolower((unsigned char)(*e)[6 + i]);
        k[n] = 0;
        if (!first) sb_addc(b, ',');
        first = 0;
        sb_json_str(b, k);
        sb_addc(b, ':');
        sb_json_str(b, eq + 1);
        free(k);
    }
    sb_addc(b, '}');
}

void json_argv(sbuf *b, int argc, char **argv)
{
    sb_addc(b, '[');
    for (int i = 0; i < argc; i++) {
        if (i) sb_addc(b, ',');
        sb_json_str(b, argv[i]);
    }
    sb_addc(b, ']');
}

long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return (v && *v) ? v : dflt;
}

/* ---------------------------------------------------------------- names */
int resolve_host(const char *name, struct in_addr *out)
{
    if (!name || !*name) return -1;
    if (inet_pton(AF_INET, name, out) == 1) return 0;
    if (strcmp(name, "localhost") == 0) { inet_pton(AF_INET, "127.0.0.1", out); return 0; }
    FILE *f = fopen("/etc/hosts", "r");
    if (!f) return dns_resolve(name, out);
    char line[1024];
    int found = -1;
    while (found != 0 && fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *save = NULL;
        char *addr = strtok_r(line, " \t\r\n", &save);
        if (!addr) continue;
        struct in_addr a;
        if (inet_pton(AF_INET, addr, &a) != 1) continue;
        for (char *n = strtok_r(NULL, " \t\r\n", &save); n; n = strtok_r(NULL, " \t\r\n", &save))
            if (strcasecmp(n, name) == 0) { *out = a; found = 0; break; }
    }
    fclose(f);
    if (found != 0)
        found = dns_resolve(name, out);
    return found;
}

void own_hostname(char *out, size_t n)
{
    if (gethostname(out, n) != 0 || !*out) snprintf(out, n, "localhost");
    out[n - 1] = 0;
}

void own_ip(const struct in_addr *peer, char out[INET_ADDRSTRLEN])
{
    strcpy(out, "127.0.0.1");
    if (peer && (ntohl(peer->s_addr) >> 24) == 127) return; /* reached over loopback */
    if (peer) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd >= 0) {
            struct sockaddr_in sa = {0}, me = {0};
            socklen_t ml = sizeof me;
            sa.sin_family = AF_INET;
            sa.sin_port = htons(9);
            sa.sin_addr = *peer;
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
                getsockname(fd, (struct sockaddr *)&me, &ml) == 0 &&
                me.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) {
                inet_ntop(AF_INET, &me.sin_addr, out, INET_ADDRSTRLEN);
                close(fd);
                return;
            }
            close(fd);
        }
    }
    char host[256];
    struct in_addr a;
    own_hostname(host, sizeof host);
    if (resolve_host(host, &a) == 0 && (ntohl(a.s_addr) >> 24) != 127) {
        inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
        return;
    }
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
            struct in_addr x = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
            if ((ntohl(x.s_addr) >> 24) == 127) continue;
            inet_ntop(AF_INET, &x, out, INET_ADDRSTRLEN);
            break;
        }
        freeifaddrs(ifs);
    }
}

/* host[:port] from p up to one of the stop characters */
static int parse_hostport(const char *p, size_t n, struct in_addr *ip, int *port)
{
    char host[256];
    const char *colon = memchr(p, ':', n);
    size_t hn = colon ? (size_t)(colon - p) : n;
    if (hn == 0 || hn >= sizeof host) return -1;
    memcpy(host, p, hn);
    host[hn] = 0;
    if (colon) {
        char *end;
        long v = strtol(colon + 1, &end, 10);
        if (end != p + n || v <= 0 || v > 65535) return -1;
        *port = (int)v;
    }
    return resolve_host(host, ip);
}

int parse_zk_url(const char *url, struct in_addr *ip, int *port, char *path, size_t pathn)
{
    if (!url || strncmp(url, "zk://", 5) != 0) return -1;
    const char *h = url + 5;
    const char *slash = strchr(h, '/');
    if (!slash || !slash[1]) return -1;
    const char *comma = memchr(h, ',', (size_t)(slash - h));
    const char *end = comma ? comma : slash;
    *port = 2181;
    if (parse_hostport(h, (size_t)(end - h), ip, port) != 0) return -1;
    if (strlen(slash) >= pathn) return -1;
    strcpy(path, slash);
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/') path[--l] = 0;
    return 0;
}

int parse_host_url(const char *url, const char *scheme, struct in_addr *ip, int *port)
{
    size_t sl = strlen(scheme);
    if (!url || strncmp(url, scheme, sl) != 0 || strncmp(url + sl, "://", 3) != 0) return -1;
    const char *h = url + sl + 3;
    size_t n = strcspn(h, "/?#");
    *port = 0;
    if (parse_hostport(h, n, ip, port) != 0 || *port == 0) return -1;
    return 0;
}

/* ---------------------------------------------------------------- sockets */
int tcp_connect(const struct in_addr *ip, int port, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr = *ip;
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    if (rc != 0 && errno != EINPROGRESS) { close(fd); return -1; }
    if (rc != 0) {
        struct pollfd p = {fd, POLLOUT, 0};
        if (poll(&p, 1, timeout_ms) != 1) { close(fd); return -1; }
        int err = 0;
        socklen_t el = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) { close(fd); return -1; }
    }
    fcntl(fd, F_SETFL, fl);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

int tcp_listen(int port, int type)
{
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        (type == SOCK_STREAM && listen(fd, 64) != 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* read one line (without \n) into out; 0 ok */
static int read_line(int fd, char *out, size_t n)
{
    size_t len = 0;
    for (;;) {
        char c;
        ssize_t r = recv(fd, &c, 1, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { if (len) break; return -1; }
        if (c == '\n') break;
        if (len + 1 < n) out[len++] = c;
    }
    if (len && out[len - 1] == '\r') len--;
    out[len] = 0;
    return 0;
}

static int zk_cmd(const struct in_addr *ip, int port, const char *cmd, char *out, size_t n)
{
    int fd = tcp_connect(ip, port, 2000);
    if (fd < 0) return -1;
    int rc = write_all(fd, cmd, strlen(cmd)) == 0 ? read_line(fd, out, n) : -1;
    close(fd);
    return rc;
}

int zk_get(const struct in_addr *ip, int port, const char *key, char *out, size_t n)
{
    char cmd[1024], reply[1024];
    snprintf(cmd, sizeof cmd, "GET %s\n", key);
    if (zk_cmd(ip, port, cmd, reply, sizeof reply) != 0) return -1;
    if (strncmp(reply, "VALUE ", 6) != 0) return -1;
    snprintf(out, n, "%s", reply + 6);
    return 0;
}

int zk_set(const struct in_addr *ip, int port, const char *key, const char *value)
{
    char cmd[1024], reply[256];
    snprintf(cmd, sizeof cmd, "SET %s %s\n", key, value);
    if (zk_cmd(ip, port, cmd, reply, sizeof reply) != 0) return -1;
    return strcmp(reply, "OK") == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- HTTP */
#define MAX_HEAD (64 * 1024)
#define MAX_BODY (8 * 1024 * 1024)

static const char *reason(int s)
{
    switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

void resp_json(http_resp *r, int status, const char *json)
{
    r->status = status;
    r->ctype = "application/json";
    r->body.len = 0;
    sb_add(&r->body, json);
}

void resp_msg(http_resp *r, int status, const char *message)
{
    r->status = status;
    r->ctype = "application/json";
    r->body.len = 0;
    sb_add(&r->body, "{\"message\":");
    sb_json_str(&r->body, message);
    sb_add(&r->body, "}");
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void url_decode(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; in[i] && o + 1 < n; i++) {
        if (in[i] == '%' && hexv(in[i + 1]) >= 0 && hexv(in[i + 2]) >= 0) {
            out[o++] = (char)(hexv(in[i + 1]) * 16 + hexv(in[i + 2]));
            i += 2;
        } else if (in[i] == '+') {
            out[o++] = ' ';
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = 0;
}

int query_param(const char *query, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    const char *p = query;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        if (seg > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            char raw[4096];
            size_t vl = seg - nl - 1;
            if (vl >= sizeof raw) vl = sizeof raw - 1;
            memcpy(raw, p + nl + 1, vl);
            raw[vl] = 0;
            url_decode(raw, out, n);
            return 0;
        }
        p = amp ? amp + 1 : NULL;
    }
    return -1;
}

typedef struct {
    int fd;
    http_handler h;
} conn_arg;

/* case-insensitive header lookup inside the head block; copies value */
static int header_value(const char *head, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    const char *p = strstr(head, "\r\n");
    while (p && p[2]) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ' || *v == '\t') v++;
            size_t l = strcspn(v, "\r\n");
            if (l >= n) l = n - 1;
            memcpy(out, v, l);
            out[l] = 0;
            while (l && (out[l - 1] == ' ' || out[l - 1] == '\t')) out[--l] = 0;
            return 0;
        }
        p = strstr(p, "\r\n");
    }
    return -1;
}

static void send_resp(int fd, const char *method, http_resp *r)
{
    sbuf out;
    sb_init(&out);
    sb_printf(&out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
              r->status, reason(r->status), r->ctype ? r->ctype : "application/json", r->body.len);
    if (strcmp(method, "HEAD") != 0 && r->body.len) sb_addn(&out, r->body.s, r->body.len);
    write_all(fd, out.s, out.len);
    sb_free(&out);
}

static void simple_error(int fd, int status, const char *msg)
{
    http_resp r = {0};
    sb_init(&r.body);
    resp_msg(&r, status, msg);
    send_resp(fd, "GET", &r);
    sb_free(&r.body);
}

/* read a chunked body from buffered data + socket */
static int read_exact(int fd, sbuf *buf, size_t *pos, size_t need)
{
    while (buf->len - *pos < need) {
        char tmp[16384];
        ssize_t r = recv(fd, tmp, sizeof tmp, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        sb_addn(buf, tmp, (size_t)r);
        if (buf->len > MAX_BODY + MAX_HEAD) return -1;
    }
    return 0;
}

static int read_chunked(int fd, sbuf *buf, size_t pos, sbuf *body)
{
    for (;;) {
        /* need a full size line */
        char *nl;
        while (!(nl = memchr(buf->s + pos, '\n', buf->len - pos))) {
            if (read_exact(fd, buf, &pos, buf->len - pos + 1) != 0) return -1;
        }
        unsigned long sz = strtoul(buf->s + pos, NULL, 16);
        pos = (size_t)(nl - buf->s) + 1;
        if (sz > MAX_BODY || body->len + sz > MAX_BODY) return -1;
        if (sz == 0) return 0;
        if (read_exact(fd, buf, &pos, sz + 2) != 0) return -1;
        sb_addn(body, buf->s + pos, sz);
        pos += sz + 2;
    }
}

static void *conn_main(void *arg)
{
    conn_arg ca = *(conn_arg *)arg;
    free(arg);
    int fd = ca.fd;
    struct timeval tv = {15, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    sbuf buf;
    sb_init(&buf);
    char *end = NULL;
    while (!end) {
        char tmp[8192];
        ssize_t r = recv(fd, tmp, sizeof tmp, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) goto out;
        sb_addn(&buf, tmp, (size_t)r);
        end = strstr(buf.s, "\r\n\r\n");
        if (!end && buf.len > MAX_HEAD) { simple_error(fd, 400, "request head too large"); goto out; }
        if (memchr(tmp, 0, (size_t)r)) { simple_error(fd, 400, "bad request"); goto out; }
    }
    size_t head_len = (size_t)(end - buf.s) + 4;
    char *head = xmalloc(head_len + 1);
    memcpy(head, buf.s, head_len);
    head[head_len] = 0;

    http_req req;
    memset(&req, 0, sizeof req);
    char target[8192];
    char version[32];
    if (sscanf(head, "%15s %8191s %31s", req.method, target, version) != 3 ||
        strncmp(version, "HTTP/", 5) != 0 || target[0] != '/') {
        simple_error(fd, 400, "bad request line");
        free(head);
        goto out;
    }
    char *q = strchr(target, '?');
    if (q) { *q = 0; snprintf(req.query, sizeof req.query, "%s", q + 1); }
    snprintf(req.path, sizeof req.path, "%s", target);

    char hv[256];
    sbuf body;
    sb_init(&body);
    int ok = 1;
    if (header_value(head, "Expect", hv, sizeof hv) == 0 && strcasecmp(hv, "100-continue") == 0)
        write_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    if (header_value(head, "Transfer-Encoding", hv, sizeof hv) == 0 && strcasestr(hv, "chunked")) {
        if (read_chunked(fd, &buf, head_len, &body) != 0) ok = 0;
    } else if (header_value(head, "Content-Length", hv, sizeof hv) == 0) {
        char *e;
        unsigned long cl = strtoul(hv, &e, 10);
        if (*e || hv[0] == '-' || cl > MAX_BODY) ok = 0;
        else {
            size_t pos = head_len;
            if (read_exact(fd, &buf, &pos, cl) != 0) ok = 0;
            else sb_addn(&body, buf.s + head_len, cl);
        }
    }
    free(head);
    if (!ok) {
        simple_error(fd, 400, "bad or incomplete body");
        sb_free(&body);
        goto out;
    }
    req.body = body.s ? body.s : (char *)"";
    req.body_len = body.len;

    http_resp resp;
    resp.status = 404;
    resp.ctype = "application/json";
    sb_init(&resp.body);
    ca.h(&req, &resp);
    send_resp(fd, req.method, &resp);
    sb_free(&resp.body);
    sb_free(&body);
out:
    sb_free(&buf);
    shutdown(fd, SHUT_WR);
    close(fd);
    return NULL;
}

typedef struct {
    int lfd;
    http_handler h;
} serve_arg;

static void *accept_main(void *arg)
{
    serve_arg sa = *(serve_arg *)arg;
    free(arg);
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 512 * 1024);
    for (;;) {
        int fd = accept4(sa.lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) sleep_ms(100);
            continue;
        }
        conn_arg *ca = xmalloc(sizeof *ca);
        ca->fd = fd;
        ca->h = sa.h;
        pthread_t t;
        if (pthread_create(&t, &at, conn_main, ca) != 0) {
            close(fd);
            free(ca);
            sleep_ms(50);
        }
    }
    return NULL;
}

int http_serve_bg(int port, http_handler h)
{
    int lfd = tcp_listen(port, SOCK_STREAM);
    if (lfd < 0) {
        logmsg("cannot listen on port %d: %s", port, strerror(errno));
        return -1;
    }
    serve_arg *sa = xmalloc(sizeof *sa);
    sa->lfd = lfd;
    sa->h = h;
    pthread_t t;
    if (pthread_create(&t, NULL, accept_main, sa) != 0) { close(lfd); free(sa); return -1; }
    pthread_detach(t);
    logmsg("HTTP listening on port %d", port);
    return 0;
}

int http_call(const struct in_addr *ip, int port, const char *method, const char *path,
              const char *body, int *status, sbuf *out, int timeout_ms)
{
    int fd = tcp_connect(ip, port, timeout_ms);
    if (fd < 0) return -1;
    char ipt[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, ip, ipt, sizeof ipt);
    sbuf req;
    sb_init(&req);
    size_t bl = body ? strlen(body) : 0;
    sb_printf(&req, "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n", method, path, ipt, port);
    if (body) sb_printf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n", bl);
    sb_add(&req, "\r\n");
    if (body) sb_addn(&req, body, bl);
    int rc = write_all(fd, req.s, req.len);
    sb_free(&req);
    if (rc != 0) { close(fd); return -1; }
    sbuf in;
    sb_init(&in);
    for (;;) {
        char tmp[8192];
        ssize_t r = recv(fd, tmp, sizeof tmp, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        sb_addn(&in, tmp, (size_t)r);
        if (in.len > MAX_BODY) break;
    }
    close(fd);
    int st = 0;
    char *sep = in.s ? strstr(in.s, "\r\n\r\n") : NULL;
    if (!sep || sscanf(in.s, "HTTP/%*s %d", &st) != 1) { sb_free(&in); return -1; }
    *status = st;
    if (out) {
        out->len = 0;
        sb_addn(out, sep + 4, in.len - (size_t)(sep + 4 - in.s));
    }
    sb_free(&in);
    return 0;
}
