/* standin: one static program that stands in for ZooKeeper, the Mesos master
 * and agent, Marathon, Consul, Registrator and Mesos-DNS in the Docker tests.
 * See tests/standin/CONTRACT.md. No NSS: names resolve through /etc/hosts, then DNS (dns.c). */
#ifndef STANDIN_H
#define STANDIN_H

#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>

/* ---- growable string buffer ---- */
typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_addn(sbuf *b, const char *p, size_t n);
void sb_add(sbuf *b, const char *p);
void sb_addc(sbuf *b, char c);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* append p as a JSON string literal (with quotes); NULL -> null */
void sb_json_str(sbuf *b, const char *p);
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);

/* ---- logging ---- */
extern const char *g_role;
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_start(int argc, char **argv);
/* the environment as a JSON object / the MESOS_* env as lower-case flags */
void json_env(sbuf *b);
void json_flags(sbuf *b);
void json_argv(sbuf *b, int argc, char **argv);
long now_ms(void);
void sleep_ms(long ms);
const char *env_or(const char *name, const char *dflt);

/* ---- names and addresses ---- */
/* dotted IPv4, a name from /etc/hosts, else a name from DNS (dns.c); 0 on success */
int resolve_host(const char *name, struct in_addr *out);
/* an A query to the nameservers of /etc/resolv.conf (bounded: about 4 s at most); 0 on success */
int dns_resolve(const char *name, struct in_addr *out);
/* `standin resolve NAME...`: prints each name's IPv4 address as resolve_host finds it */
int role_resolve(int argc, char **argv);
/* this container's IPv4 as text (toward peer when given) */
void own_ip(const struct in_addr *peer, char out[INET_ADDRSTRLEN]);
void own_hostname(char *out, size_t n);
/* parse zk://host[:port][,...]/path; 0 on success. host resolved. */
int parse_zk_url(const char *url, struct in_addr *ip, int *port, char *path, size_t pathn);
/* parse scheme://host:port[/...] (scheme given) */
int parse_host_url(const char *url, const char *scheme, struct in_addr *ip, int *port);

/* ---- TCP ---- */
int tcp_connect(const struct in_addr *ip, int port, int timeout_ms);
int tcp_listen(int port, int type); /* SOCK_STREAM or SOCK_DGRAM, any address */
int write_all(int fd, const char *p, size_t n);

/* ---- the ZooKeeper stand-in's line protocol ---- */
/* sends "GET key" / "SET key value"; reply line into out (no newline). 0 ok */
int zk_get(const struct in_addr *ip, int port, const char *key, char *out, size_t n);
int zk_set(const struct in_addr *ip, int port, const char *key, const char *value);

/* ---- HTTP ---- */
typedef struct {
    char method[16];
    char path[8192];  /* raw (not percent-decoded), without the query */
    char query[8192];
    char *body;
    size_t body_len;
} http_req;

typedef struct {
    int status;
    const char *ctype;
    sbuf body;
} http_resp;

typedef void (*http_handler)(const http_req *req, http_resp *resp);

/* listen on port and serve forever in a background thread; -1 on failure */
int http_serve_bg(int port, http_handler h);
void resp_json(http_resp *r, int status, const char *json);
void resp_msg(http_resp *r, int status, const char *message);
/* value of query parameter name, percent-decoded; 0 if found */
int query_param(const char *query, const char *name, char *out, size_t n);
void url_decode(const char *in, char *out, size_t n);
/* a request to ip:port; status and body returned. 0 when a response came. */
int http_call(const struct in_addr *ip, int port, const char *method, const char *path,
              const char *body, int *status, sbuf *out, int timeout_ms);

/* ---- JSON reader ---- */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
    jtype t;
    char *s;          /* string value, number text, "true"/"false" */
    char *key;        /* member name inside an object */
    struct jval *kids;
    struct jval *next;
} jval;

jval *json_parse(const char *text, size_t len);
void json_free(jval *v);
const jval *json_get(const jval *obj, const char *key);
const char *json_getstr(const jval *obj, const char *key);
/* integer member; 0 when it is a number */
int json_getint(const jval *obj, const char *key, long *out);
void json_write(sbuf *b, const jval *v);

/* ---- Mesos text formats ---- */
/* "cpus(*):1; mem(*):256; ports(*):[31000-32000]" as a JSON object (scalars as
 * numbers, ranges and sets as their text) */
void json_resources(sbuf *b, const char *text);
/* "rack:1;zone:a" as a JSON object of strings */
void json_attributes(sbuf *b, const char *text);

/* ---- roles ---- */
int role_zookeeper(int argc, char **argv);
int role_master(int argc, char **argv);
int role_agent(int argc, char **argv);
int role_marathon(int argc, char **argv);
int role_consul(int argc, char **argv);
int role_registrator(int argc, char **argv);
int role_mesosdns(int argc, char **argv);
int role_crash(int argc, char **argv);
/* debugging aid: JSON on stdin -> compact JSON on stdout, exit 1 if invalid */
int role_json(int argc, char **argv);

#endif
