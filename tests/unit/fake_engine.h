/* The plumbing of the tests' fake HTTP servers (fake Docker engines, fake
 * Mesos/Marathon): a listening socket (unix or TCP on 127.0.0.1), an accept
 * loop on its own thread that hands each connection to a handler (on the
 * loop's thread, or on a thread of its own), reading one request, and
 * writing a reply. What a server answers stays in each test; only this is
 * shared, by tests/unit/test_{engine,cluster,control,http}.c and by
 * tests/integration/fake_engine.c.
 *
 * Header-only (static inline, so a test that uses part of it does not warn
 * about the rest). */
#ifndef MM_TEST_FAKE_ENGINE_H
#define MM_TEST_FAKE_ENGINE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Write all of s (n bytes); gives up quietly when the peer has gone. */
static inline void fe_send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* An HTTP/1.1 answer with a JSON body of len bytes; the connection is to be
 * closed after it. */
static inline void fe_reply_n(int fd, int status, const char *body, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", status, len);
    fe_send_all(fd, head, (size_t)n);
    fe_send_all(fd, body, len);
}

static inline void fe_reply(int fd, int status, const char *body)
{
    fe_reply_n(fd, status, body, strlen(body));
}

/* One request read from c, whole (headers and a Content-Length body), into a
 * NUL-terminated buffer of at most max bytes that the caller frees. method
 * and path are filled from the request line ("" when there is none), *body
 * points into the buffer after the headers ("" when there are none). */
static inline char *fe_read_request(int c, size_t max, char method[16], char path[4096], const char **body)
{
    char *buf = malloc(max);
    if (!buf)
        abort();
    size_t len = 0;
    char *hdr_end = NULL;
    while (len < max - 1) {
        ssize_t r = read(c, buf + len, max - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        if ((hdr_end = strstr(buf, "\r\n\r\n")) != NULL) {
            const char *cl = strcasestr(buf, "Content-Length:");
            size_t want = cl ? (size_t)atol(cl + 15) : 0;
            if (len - (size_t)(hdr_end + 4 - buf) >= want)
                break;
        }
    }
    buf[len] = '\0';
    method[0] = path[0] = '\0';
    if (sscanf(buf, "%15s %4095s", method, path) != 2)
        method[0] = path[0] = '\0';
    *body = hdr_end ? hdr_end + 4 : "";
    return buf;
}

/* A server: handle(fd, ctx) gets each accepted connection and closes it. */
typedef struct fe_server {
    int fd;
    char sock_path[108];        /* unix socket, unlinked by fe_stop; "" for TCP */
    int port;                   /* TCP: the port chosen */
    volatile int stop;
    bool threaded;              /* each connection on a thread of its own */
    void (*handle)(int fd, void *ctx);
    void *ctx;
    pthread_t th;
} fe_server;

typedef struct fe_conn {
    fe_server *s;
    int fd;
} fe_conn;

static inline void *fe_conn_main(void *arg)
{
    fe_conn *k = arg;
    k->s->handle(k->fd, k->s->ctx);
    free(k);
    return NULL;
}

static inline void *fe_accept_loop(void *arg)
{
    fe_server *s = arg;
    while (!s->stop) {
        struct pollfd p = { s->fd, POLLIN, 0 };
        if (poll(&p, 1, 20) <= 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        if (!s->threaded) {
            s->handle(c, s->ctx);
            continue;
        }
        fe_conn *k = malloc(sizeof *k);
        pthread_t t;
        if (!k)
            abort();
        k->s = s;
        k->fd = c;
        if (pthread_create(&t, NULL, fe_conn_main, k) == 0) {
            pthread_detach(t);
        } else {
            free(k);
            close(c);
        }
    }
    return NULL;
}

/* Listen on the unix socket path (replacing a stale file), or, when path is
 * NULL, on 127.0.0.1 at a port the system picks (s->port), and start the
 * accept loop. 0, or -1 with errno set. */
static inline int fe_start(fe_server *s, const char *path, bool threaded, void (*handle)(int, void *),
                           void *ctx)
{
    memset(s, 0, sizeof *s);
    s->threaded = threaded;
    s->handle = handle;
    s->ctx = ctx;
    if (path) {
        snprintf(s->sock_path, sizeof s->sock_path, "%s", path);
        unlink(path);
        s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un su = { .sun_family = AF_UNIX };
        snprintf(su.sun_path, sizeof su.sun_path, "%s", path);
        if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&su, sizeof su) != 0)
            goto fail;
    } else {
        s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in si = { .sin_family = AF_INET, .sin_port = 0 };
        si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t sl = sizeof si;
        if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&si, sizeof si) != 0 ||
            getsockname(s->fd, (struct sockaddr *)&si, &sl) != 0)
            goto fail;
        s->port = ntohs(si.sin_port);
    }
    if (listen(s->fd, 64) != 0 || pthread_create(&s->th, NULL, fe_accept_loop, s) != 0)
        goto fail;
    return 0;
fail:
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    return -1;
}

/* End the accept loop (within its 20 ms poll), close the socket, unlink it. */
static inline void fe_stop(fe_server *s)
{
    if (s->fd < 0)
        return;
    s->stop = 1;
    pthread_join(s->th, NULL);
    close(s->fd);
    s->fd = -1;
    if (s->sock_path[0])
        unlink(s->sock_path);
}

#endif
