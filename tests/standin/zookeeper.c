/* standin zookeeper: in-memory key/value store on TCP 2181.
 *   SET <key> <value>\n -> OK\n      GET <key>\n -> VALUE <value>\n | NONE\n
 *   ruok -> imok (then close), srvr/stat -> a short status (then close). */
#include "standin.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct kv {
    char *k, *v;
    struct kv *next;
} kv;

static kv *store;
static size_t store_n;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* 1 when the value changed */
static int zk_set_local(const char *k, const char *v)
{
    pthread_mutex_lock(&mu);
    kv *e;
    for (e = store; e; e = e->next)
        if (strcmp(e->k, k) == 0) break;
    if (!e) {
        if (store_n >= 10000) { pthread_mutex_unlock(&mu); return 0; }
        e = xmalloc(sizeof *e);
        e->k = xstrdup(k);
        e->v = NULL;
        e->next = store;
        store = e;
        store_n++;
    }
    int changed = !e->v || strcmp(e->v, v) != 0;
    free(e->v);
    e->v = xstrdup(v);
    pthread_mutex_unlock(&mu);
    return changed;
}

static char *zk_get_local(const char *k)
{
    char *r = NULL;
    pthread_mutex_lock(&mu);
    for (kv *e = store; e; e = e->next)
        if (strcmp(e->k, k) == 0) { r = xstrdup(e->v); break; }
    pthread_mutex_unlock(&mu);
    return r;
}

static void *client(void *arg)
{
    int fd = (int)(long)arg;
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char line[4096];
    size_t len = 0;
    int closing = 0;
    while (!closing) {
        char c;
        ssize_t r = recv(fd, &c, 1, 0);
        if (r < 0 && errno == EINTR) continue;
        int eof = r <= 0;
        if (!eof && c != '\n') {
            if (len + 1 < sizeof line) line[len++] = c;
            /* four-letter words come without a newline */
            if (len == 4 && (memcmp(line, "ruok", 4) == 0 || memcmp(line, "srvr", 4) == 0 ||
                             memcmp(line, "stat", 4) == 0)) {
                eof = 0;
            } else {
                continue;
            }
        }
        if (eof && len == 0) break;
        if (len && line[len - 1] == '\r') len--;
        line[len] = 0;
        len = 0;
        if (strcmp(line, "ruok") == 0) {
            write_all(fd, "imok", 4);
            closing = 1;
        } else if (strcmp(line, "srvr") == 0 || strcmp(line, "stat") == 0) {
            const char *s = "Zookeeper version: standin\nMode: standalone\n";
            write_all(fd, s, strlen(s));
            closing = 1;
        } else if (strncmp(line, "SET ", 4) == 0 && strchr(line + 4, ' ')) {
            char *sp = strchr(line + 4, ' ');
            *sp = 0;
            if (zk_set_local(line + 4, sp + 1)) logmsg("SET %s %s", line + 4, sp + 1);
            write_all(fd, "OK\n", 3);
        } else if (strncmp(line, "GET ", 4) == 0) {
            char *v = zk_get_local(line + 4);
            if (v) {
                sbuf b;
                sb_init(&b);
                sb_printf(&b, "VALUE %s\n", v);
                write_all(fd, b.s, b.len);
                sb_free(&b);
                free(v);
            } else {
                write_all(fd, "NONE\n", 5);
            }
        } else if (line[0]) {
            write_all(fd, "ERR unknown command\n", 20);
        }
        if (eof) break;
    }
    shutdown(fd, SHUT_WR);
    close(fd);
    return NULL;
}

int role_zookeeper(int argc, char **argv)
{
    log_start(argc, argv);
    int lfd = tcp_listen(2181, SOCK_STREAM);
    if (lfd < 0) { logmsg("cannot listen on 2181: %s", strerror(errno)); return 1; }
    logmsg("listening on 2181");
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 256 * 1024);
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) { if (errno != EINTR) sleep_ms(50); continue; }
        pthread_t t;
        if (pthread_create(&t, &at, client, (void *)(long)fd) != 0) close(fd);
    }
}
