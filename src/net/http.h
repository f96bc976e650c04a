/* The one HTTP helper over libcurl: unix sockets, TCP, TLS, timeouts, size
 * limits. The Docker engine client, the Mesos/Marathon clients and URL
 * fetching all go through it; no other code does network I/O. */
#ifndef MM_HTTP_H
#define MM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mm_http_request {
    const char *method;         /* "GET" when NULL */
    const char *url;            /* for unix sockets: "http://localhost/v1.41/..." */
    const char *unix_socket;    /* path, or NULL for TCP */
    const char *body;           /* NULL for none */
    size_t body_len;
    const char *content_type;   /* "application/json" when body and NULL */
    long timeout_ms;            /* whole transfer; 0 = 30 s */
    long connect_timeout_ms;    /* 0 = 5 s */
    size_t max_body;            /* response limit; 0 = 64 MiB */
    const char *ca_file, *cert_file, *key_file; /* TLS, or NULL */
    /* To the engine or to the cluster's own containers: never through a
     * proxy. Otherwise (a URL from the user's files) the environment's
     * http_proxy, https_proxy and no_proxy apply, as libcurl reads them. */
    bool direct;
    /* Streaming: when set, each chunk of the body goes here instead of being
     * collected; return false to abort the transfer. */
    bool (*on_data)(const char *data, size_t len, void *ctx);
    void *ctx;
} mm_http_request;

typedef struct mm_http_response {
    long status;                /* HTTP status, 0 when no answer */
    char *body;                 /* NUL-terminated, NULL when streamed */
    size_t len;
} mm_http_response;

/* Performs the request. Returns 0 when an HTTP answer came (any status),
 * -1 on a transport error with *err a malloc'd one-line reason
 * ("connection refused", "timed out after 5000 ms", ...). */
int mm_http_do(const mm_http_request *req, mm_http_response *resp, char **err);
void mm_http_response_free(mm_http_response *resp);

/* GET req->url into memory: 200 only, else -1 with *err naming the URL and
 * the status or the transport error. */
int mm_http_get(const mm_http_request *req, char **body, size_t *len, char **err);

/* GET a URL (http or https) from the user's files (marathonJson URLs) into
 * memory, through the environment's proxies: mm_http_get of a request
 * that is not direct. */
int mm_http_fetch(const char *url, size_t max, long timeout_ms, char **body, size_t *len, char **err);

#endif
