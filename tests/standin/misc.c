/* standin consul, registrator, mesosdns and crash. */
#include "standin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- consul */
static char consul_ip[INET_ADDRSTRLEN];
static sbuf consul_services; /* names, one per line */
static pthread_mutex_t consul_mu = PTHREAD_MUTEX_INITIALIZER;

static void consul_http(const http_req *rq, http_resp *rs)
{
    if (strcmp(rq->method, "GET") == 0 && strcmp(rq->path, "/v1/status/leader") == 0) {
        rs->status = 200;
        sb_printf(&rs->body, "\"%s:8300\"", consul_ip);
    } else if (strcmp(rq->method, "GET") == 0 && strcmp(rq->path, "/v1/status/peers") == 0) {
        rs->status = 200;
        sb_printf(&rs->body, "[\"%s:8300\"]", consul_ip);
    } else if (strcmp(rq->method, "GET") == 0 && strcmp(rq->path, "/v1/catalog/services") == 0) {
        rs->status = 200;
        sb_addc(&rs->body, '{');
        pthread_mutex_lock(&consul_mu);
        int first = 1;
        for (char *p = consul_services.s; p && *p;) {
            char *nl = strchr(p, '\n');
            if (!nl) break;
            *nl = 0;
            if (!first) sb_addc(&rs->body, ',');
            first = 0;
            sb_json_str(&rs->body, p);
            sb_add(&rs->body, ":[]");
            *nl = '\n';
            p = nl + 1;
        }
        pthread_mutex_unlock(&consul_mu);
        sb_addc(&rs->body, '}');
    } else if (strcmp(rq->method, "PUT") == 0 && strcmp(rq->path, "/v1/agent/service/register") == 0) {
        jval *v = json_parse(rq->body, rq->body_len);
        const char *name = json_getstr(v, "Name");
        if (!name) name = json_getstr(v, "name");
        if (!name) {
            resp_msg(rs, 400, "missing service Name");
        } else {
            pthread_mutex_lock(&consul_mu);
            if (!strchr(name, '\n')) { sb_add(&consul_services, name); sb_addc(&consul_services, '\n'); }
            pthread_mutex_unlock(&consul_mu);
            logmsg("registered service %s", name);
            rs->status = 200;
        }
        json_free(v);
    } else if (strcmp(rq->path, "/v1/agent/self") == 0) {
        rs->status = 200;
        sb_printf(&rs->body, "{\"Config\":{\"AdvertiseAddr\":\"%s\",\"Server\":true}}", consul_ip);
    } else {
        resp_msg(rs, 404, "not found");
    }
}

int role_consul(int argc, char **argv)
{
    log_start(argc, argv);
    sb_init(&consul_services);
    own_ip(NULL, consul_ip);
    if (http_serve_bg(8500, consul_http) != 0) return 1;
    logmsg("consul stand-in at %s:8500", consul_ip);
    for (;;) sleep(3600);
}

/* ---------------------------------------------------------------- registrator */
int role_registrator(int argc, char **argv)
{
    log_start(argc, argv);
    const char *url = NULL;
    for (int i = 2; i < argc; i++)
        if (strncmp(argv[i], "consul://", 9) == 0) url = argv[i];
    struct in_addr ip;
    int port;
    if (!url || parse_host_url(url, "consul", &ip, &port) != 0) {
        logmsg("registrator: missing or malformed consul URL (want consul://<ip>:8500)");
        return 1;
    }
    struct stat st;
    if (stat("/tmp/docker.sock", &st) != 0) {
        logmsg("registrator: /tmp/docker.sock: %s", strerror(errno));
        return 1;
    }
    for (;;) {
        int status = 0;
        if (http_call(&ip, port, "GET", "/v1/status/leader", NULL, &status, NULL, 2000) == 0 && status == 200)
            logmsg("registrator: synced");
        else
            logmsg("registrator: consul at %s does not answer yet", url);
        sleep_ms(3000);
    }
}

/* ---------------------------------------------------------------- mesosdns */
static void *dns_udp(void *arg)
{
    int fd = (int)(long)arg;
    for (;;) {
        unsigned char buf[1500];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 12) continue;
        buf[2] |= 0x80;                       /* QR: response */
        buf[3] = (unsigned char)(0x80 | 3);   /* RA, NXDOMAIN */
        buf[6] = buf[7] = buf[8] = buf[9] = buf[10] = buf[11] = 0;
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

static void *dns_tcp(void *arg)
{
    int fd = (int)(long)arg;
    for (;;) {
        int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) { sleep_ms(50); continue; }
        close(c);
    }
    return NULL;
}

int role_mesosdns(int argc, char **argv)
{
    log_start(argc, argv);
    const char *zk = getenv("MESOS_DNS_ZK");
    struct in_addr ip;
    int port;
    char path[512];
    if (!zk || parse_zk_url(zk, &ip, &port, path, sizeof path) != 0) {
        logmsg("MESOS_DNS_ZK missing or malformed (want zk://<ip>:2181/<path>): %s", zk ? zk : "(unset)");
        return 1;
    }
    int ufd = tcp_listen(53, SOCK_DGRAM), tfd = tcp_listen(53, SOCK_STREAM);
    if (ufd < 0 || tfd < 0) { logmsg("cannot listen on 53: %s", strerror(errno)); return 1; }
    pthread_t t;
    pthread_create(&t, NULL, dns_udp, (void *)(long)ufd);
    pthread_create(&t, NULL, dns_tcp, (void *)(long)tfd);
    logmsg("answering DNS on 53/udp and 53/tcp");
    char key[600], leader[256] = "", value[256];
    snprintf(key, sizeof key, "%s/leader", path);
    for (;;) {
        if (zk_get(&ip, port, key, value, sizeof value) == 0) {
            if (strcmp(value, leader) != 0) {
                snprintf(leader, sizeof leader, "%s", value);
                logmsg("mesos master leader is %s", leader);
            }
        } else if (!leader[0]) {
            logmsg("no mesos master leader in %s yet", zk);
        }
        sleep_ms(1000);
    }
}

/* ---------------------------------------------------------------- crash */
int role_crash(int argc, char **argv)
{
    sbuf b;
    sb_init(&b);
    for (int i = 0; i < argc; i++) { if (i) sb_addc(&b, ' '); sb_add(&b, argv[i]); }
    logmsg("argv: %s", b.s);
    sb_free(&b);
    logmsg("about to fail");
    logmsg("exiting on purpose");
    return 3;
}
