/* standin: a small DNS client (no NSS in a static binary).
 *
 * An A query over UDP to each `nameserver` (IPv4) of /etc/resolv.conf
 * ($STANDIN_RESOLV_CONF for tests), as Docker's embedded DNS on a
 * user-defined, compose or swarm network answers service names. Bounded:
 * 2 rounds over at most 3 servers, 700 ms per answer, so a name nobody
 * knows fails within about 4 s; NXDOMAIN ends it at once. */
#include "standin.h"

#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { DNS_ROUNDS = 2, DNS_MAX_SERVERS = 3, DNS_WAIT_MS = 700 };

static int nameservers(struct in_addr *out, int max)
{
    const char *path = getenv("STANDIN_RESOLV_CONF");
    FILE *f = fopen(path && *path ? path : "/etc/resolv.conf", "r");
    if (!f) return 0;
    char line[512];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        char *save = NULL, *k = strtok_r(line, " \t\r\n", &save);
        if (!k || strcmp(k, "nameserver") != 0) continue;
        char *v = strtok_r(NULL, " \t\r\n", &save);
        if (v && inet_pton(AF_INET, v, &out[n]) == 1) n++;
    }
    fclose(f);
    return n;
}

/* The query for name (A, IN, recursion desired); its length, or -1 when the
 * name cannot be a DNS name. */
static int build_query(const char *name, uint16_t id, unsigned char *q, size_t cap)
{
    size_t len = strlen(name);
    if (len == 0 || len > 253 || 12 + len + 2 + 4 > cap) return -1;
    memset(q, 0, 12);
    q[0] = (unsigned char)(id >> 8);
    q[1] = (unsigned char)id;
    q[2] = 0x01; /* RD */
    q[5] = 1;    /* QDCOUNT */
    size_t at = 12;
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        if (l == 0 || l > 63) return -1;
        q[at++] = (unsigned char)l;
        memcpy(q + at, p, l);
        at += l;
        p += l;
        if (*p == '.') p++;
    }
    q[at++] = 0;
    q[at++] = 0; q[at++] = 1; /* QTYPE A */
    q[at++] = 0; q[at++] = 1; /* QCLASS IN */
    return (int)at;
}

/* Skip a (possibly compressed) name; the offset after it, or -1. */
static int skip_name(const unsigned char *m, int len, int at)
{
    for (int guard = 0; guard < 128 && at < len; guard++) {
        unsigned l = m[at];
        if (l == 0) return at + 1;
        if ((l & 0xC0) == 0xC0) return at + 2 <= len ? at + 2 : -1;
        if (l & 0xC0) return -1;
        at += 1 + (int)l;
    }
    return -1;
}

/* 0: *out set; 1: the server says there is no such name; -1: no usable answer. */
static int parse_answer(const unsigned char *m, int len, uint16_t id, struct in_addr *out)
{
    if (len < 12 || m[0] != (id >> 8) || m[1] != (id & 0xFF) || !(m[2] & 0x80)) return -1;
    int rcode = m[3] & 0x0F;
    if (rcode == 3) return 1;
    if (rcode != 0) return -1;
    int qd = (m[4] << 8) | m[5], an = (m[6] << 8) | m[7], at = 12;
    for (int i = 0; i < qd; i++) {
        at = skip_name(m, len, at);
        if (at < 0 || at + 4 > len) return -1;
        at += 4;
    }
    for (int i = 0; i < an; i++) {
        at = skip_name(m, len, at);
        if (at < 0 || at + 10 > len) return -1;
        int type = (m[at] << 8) | m[at + 1], class = (m[at + 2] << 8) | m[at + 3];
        int rdlen = (m[at + 8] << 8) | m[at + 9];
        at += 10;
        if (at + rdlen > len) return -1;
        if (type == 1 && class == 1 && rdlen == 4) {
            memcpy(&out->s_addr, m + at, 4);
            return 0;
        }
        at += rdlen; /* a CNAME: its A record follows */
    }
    return 1; /* the name exists, without an A record */
}

int dns_resolve(const char *name, struct in_addr *out)
{
    struct in_addr ns[DNS_MAX_SERVERS];
    int n = nameservers(ns, DNS_MAX_SERVERS);
    if (n == 0) return -1;
    unsigned char q[512], a[1500];
    uint16_t id = (uint16_t)(((unsigned)getpid() * 31u) ^ (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&q);
    for (int round = 0; round < DNS_ROUNDS; round++) {
        for (int s = 0; s < n; s++) {
            id++;
            int qlen = build_query(name, id, q, sizeof q);
            if (qlen < 0) return -1;
            int fd = socket(AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) return -1;
            struct sockaddr_in sa = {0};
            sa.sin_family = AF_INET;
            sa.sin_port = htons(53);
            sa.sin_addr = ns[s];
            int r = -1;
            if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
                send(fd, q, (size_t)qlen, 0) == qlen) {
                /* answers with another id (a late one) are skipped, within the wait */
                struct timespec t0, t1;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                for (;;) {
                    clock_gettime(CLOCK_MONOTONIC, &t1);
                    long spent = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
                    if (spent >= DNS_WAIT_MS) break;
                    struct pollfd pf = { fd, POLLIN, 0 };
                    if (poll(&pf, 1, (int)(DNS_WAIT_MS - spent)) <= 0) break;
                    ssize_t got = recv(fd, a, sizeof a, 0);
                    if (got < 0) break; /* e.g. ICMP port unreachable */
                    r = parse_answer(a, (int)got, id, out);
                    if (r >= 0) break;
                }
            }
            close(fd);
            if (r == 0) return 0;
            if (r == 1) return -1;
        }
    }
    return -1;
}

int role_resolve(int argc, char **argv)
{
    int rc = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: standin resolve NAME...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        struct in_addr a;
        char ip[INET_ADDRSTRLEN];
        if (resolve_host(argv[i], &a) == 0 && inet_ntop(AF_INET, &a, ip, sizeof ip)) {
            printf("%s %s\n", argv[i], ip);
        } else {
            fprintf(stderr, "standin resolve: %s: not found\n", argv[i]);
            rc = 1;
        }
    }
    return rc;
}
