/* The Docker Engine API client: just what minimesos needs, over src/http.h.
 * Every call has a timeout; every engine error comes back as the engine's own
 * message in *err. Thread-safe: one mm_docker may be shared by threads. */
#ifndef MM_DOCKER_H
#define MM_DOCKER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

struct cJSON;

typedef struct mm_docker {
    char *addr;         /* as the user knows it: "unix:///var/run/docker.sock" */
    char *shown;        /* addr as messages name it: "ADDR (DOCKER_HOST)" when
                         * it came from that variable, so that a user who set
                         * it long ago sees where the address comes from */
    char *unix_socket;  /* path, or NULL for TCP */
    char *base;         /* "http://localhost" or "https://host:port" */
    char *ca, *cert, *key;
    char api[16];       /* negotiated: "1.41" */
    /* A cluster on several engines (up --swarm): the engines other than this
     * one (DOCKER_HOST, the swarm manager), each connected; node k >= 1 is
     * nodes[k - 1] (mm_docker_node). None on a single engine. Owned. */
    struct mm_docker *nodes;
    size_t n_nodes;
} mm_docker;

/* The newest API version this client was written against. */
#define MM_DOCKER_API_MAX "1.41"

/* Read DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH; no I/O. */
int mm_docker_init(mm_docker *d, char **err);
/* The same for the engine at host (as DOCKER_HOST would say it; TLS from
 * DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or https://). */
int mm_docker_init_addr(mm_docker *d, const char *host, char **err);
/* Node k of d's cluster: d itself for 0, else d->nodes[k - 1]; NULL when
 * there is no such node. */
mm_docker *mm_docker_node(mm_docker *d, size_t k);
/* GET /version and choose the API version. On failure *err is the one-line
 * "cannot reach the Docker engine at <addr>: <why>". */
int mm_docker_connect(mm_docker *d, char **err);
void mm_docker_free(mm_docker *d);

/* The parsers of what the engine answers, apart from the I/O so that unit
 * tests and the fuzzers (tests/fuzz/) reach them. */

/* The API version to use, from the engine's GET /version answer: its
 * ApiVersion capped at MM_DOCKER_API_MAX, raised to its MinAPIVersion when
 * that is higher; versions are "MAJOR.MINOR", digits only (a MinAPIVersion
 * that is not one is ignored). 0, or -1 with *why (malloc'd: "gave a
 * malformed answer (not JSON)", "gave no ApiVersion", "gave an ApiVersion
 * that is not a version: ..."). */
int mm_docker_choose_api(const char *version_json, char api[16], char **why);
/* The engine's own message from an error answer ({"message": ...}), else
 * the short body, else "HTTP status N": one line, never empty, without
 * control characters (mm_sb_add_oneline). malloc'd. */
char *mm_docker_error_message(long status, const char *body);

/* A raw call on a versioned path ("/containers/json"); status and body out.
 * Returns -1 on transport errors. */
int mm_docker_call(mm_docker *d, const char *method, const char *path, const char *body,
                   long timeout_ms, long *status, char **answer, char **err);

/* Images */
int mm_docker_image_exists(mm_docker *d, const char *ref, bool *exists, char **err);
/* Pull. on_status (may be NULL) gets each status line of the engine's
 * stream: the layer id or NULL, the status, the progress bar or NULL. */
typedef void (*mm_docker_pull_fn)(const char *id, const char *status, const char *progress, void *ctx);
int mm_docker_pull(mm_docker *d, const char *ref, mm_docker_pull_fn on_status, void *ctx, char **err);

/* The reader of a pull's answer, fed the bytes as they arrive: one JSON
 * object a line, {"status", "id", "progress"} or {"error", "errorDetail":
 * {"message"}}. It calls on_status for each status (control characters
 * blanked) and keeps the first error (on one line) and the answer's first
 * bytes (when the engine refuses the pull, they are its JSON error, not a
 * progress stream). Lines longer than MM_DOCKER_PULL_LINE_MAX are skipped,
 * so an answer without line breaks cannot exhaust memory. */
#define MM_DOCKER_PULL_HEAD_MAX 4096
#define MM_DOCKER_PULL_LINE_MAX 65536
typedef struct mm_docker_pull_parser {
    mm_docker_pull_fn on_status;
    void *ctx;
    strbuf line;        /* the line being read */
    bool overlong;      /* it passed MM_DOCKER_PULL_LINE_MAX: skipped */
    strbuf head;        /* the answer's first MM_DOCKER_PULL_HEAD_MAX bytes */
    char *error;        /* the stream's first error, or NULL */
} mm_docker_pull_parser;
void mm_docker_pull_parser_init(mm_docker_pull_parser *p, mm_docker_pull_fn on_status, void *ctx);
void mm_docker_pull_parser_feed(mm_docker_pull_parser *p, const char *data, size_t len);
/* The end of the answer: reads a last line that had no newline. */
void mm_docker_pull_parser_end(mm_docker_pull_parser *p);
void mm_docker_pull_parser_free(mm_docker_pull_parser *p);

/* Containers. An answer that is not the JSON the API promises fails the
 * call with "<what>: malformed answer from the Docker engine at <addr>
 * (not JSON)" (or "(not a JSON array)" for the list). */
int mm_docker_create(mm_docker *d, const char *name, const char *body, char **id, char **err);
int mm_docker_start(mm_docker *d, const char *id, char **err);
/* Stop: SIGTERM, SIGKILL after grace_s seconds; returns once it has stopped
 * (a container already stopped is fine). */
int mm_docker_stop(mm_docker *d, const char *id, int grace_s, char **err);
/* Inspect: the parsed JSON (caller deletes). */
int mm_docker_inspect(mm_docker *d, const char *id, struct cJSON **out, char **err);
/* The container's IP on its first network, its gateway (each the first
 * that is an IPv4 or IPv6 address, else NULL), its state. */
void mm_docker_inspect_net(const struct cJSON *inspect, char **ip, char **gateway, char **state);
/* The last `tail` lines of stdout+stderr, demultiplexed. */
int mm_docker_logs(mm_docker *d, const char *id, int tail, char **text, char **err);
/* For an error message: "\nlast lines of the log of NAME:\n    ..." (its last
 * `tail` lines, indented), or, when there is nothing to show, "" if quiet,
 * else a line saying why ("(the log of NAME is empty)", "(could not read
 * the log of NAME: ...)"). id NULL: "". malloc'd. */
char *mm_docker_log_tail(mm_docker *d, const char *id, const char *name, int tail, bool quiet);
/* Containers (running or not) with this label ("key=value" or "key"). */
int mm_docker_list(mm_docker *d, const char *label, struct cJSON **out, char **err);
int mm_docker_remove(mm_docker *d, const char *id, char **err);
/* Volumes with this label, removed (*removed: how many; a volume already
 * gone counts as removed). -1 when any removal failed, *err saying which and
 * the engine's message ("volume is in use", ...), one line each. */
int mm_docker_remove_volumes(mm_docker *d, const char *label, size_t *removed, char **err);
/* Networks with this label, removed, as mm_docker_remove_volumes does for
 * volumes. up creates none today; destroy and the reaper remove any that
 * carry the cluster's label, so a cluster that gets networks one day (or a
 * test that adds one) leaves nothing. */
int mm_docker_remove_networks(mm_docker *d, const char *label, size_t *removed, char **err);

/* Networks */
/* Create an attachable overlay network (up --swarm) named name with these
 * labels ("key=value" each); *id its id. The engine must be a swarm
 * manager (else its own message says so). */
int mm_docker_overlay_create(mm_docker *d, const char *name, const char *const *labels, size_t n_labels,
                             char **id, char **err);
/* The address of container id on the engine's docker_gwbridge network (a
 * container on an overlay network gets one there): the address this host
 * reaches it at when the engine is local. 0 with *ip (malloc'd), or NULL
 * when it has none; -1 with *err when the engine does not answer. */
int mm_docker_gwbridge_ip(mm_docker *d, const char *id, char **ip, char **err);

/* The gateway of network name (its first IPAM pool's): 0 with *gateway
 * (malloc'd, NULL when it has none), -1 with *err. */
int mm_docker_network_gateway(mm_docker *d, const char *name, char **gateway, char **err);

/* up and destroy work on at most this many containers at once: enough to
 * keep the engine busy, and bounded however large the cluster (one thread
 * per container made a 1000-agent up start 1000 threads and connections). */
#define MM_DOCKER_WORKERS 8

/* Turn the demultiplexed log stream format into text (exposed for tests). */
char *mm_docker_demux(const char *buf, size_t len);

#endif
