/* The one HTTP helper over libcurl (see http.h). Each call uses its own easy
 * handle, so threads may call it concurrently; the global init runs once. */
#include "net/http.h"
#include "base/util.h"

#include "net/curl_lazy.h" /* libcurl, loaded on first use */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line a request, written whole so concurrent calls do not interleave. */
static void trace(const mm_http_request *req, const char *method, long status, const char *why,
                  long ms)
{
    FILE *trace_out = mm_trace_stream();
    if (!trace_out)
        return;
    char *line;
    if (why)
        line = mm_xasprintf("minimesos: debug: %s %s%s%s -> failed after %ld ms: %s\n", method, req->url,
                         req->unix_socket ? " via unix:" : "", req->unix_socket ? req->unix_socket : "",
                         ms, why);
    else
        line = mm_xasprintf("minimesos: debug: %s %s%s%s -> %ld (%ld ms)\n", method, req->url,
                         req->unix_socket ? " via unix:" : "", req->unix_socket ? req->unix_socket : "",
                         status, ms);
    fputs(line, trace_out);
    free(line);
}
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_ALL);
}

typedef struct sink {
    const mm_http_request *req;
    strbuf body;
    size_t max;
    size_t total;
    bool too_big;
    bool aborted;
} sink;

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    sink *s = userp;
    size_t n = size * nmemb;
    s->total += n;
    if (s->req->on_data) {
        if (!s->req->on_data(data, n, s->req->ctx)) {
            s->aborted = true;
            return 0;
        }
        return n;
    }
    if (s->body.len + n > s->max) {
        s->too_big = true;
        return 0;
    }
    mm_sb_add(&s->body, data, n);
    return n;
}

/* Options are set one by one and each result is kept: the first one libcurl
 * refuses (an unknown option in an old libcurl, a string past its 8 MB
 * limit, no memory) fails the request, named, before anything is sent. */
typedef struct setopts {
    CURL *h;
    CURLcode rc;
    const char *name;   /* the first option refused */
} setopts;

static void setopt_result(setopts *o, const char *name, CURLcode rc)
{
    if (rc != CURLE_OK && o->rc == CURLE_OK) {
        o->rc = rc;
        o->name = name;
    }
}

#define SET(o, opt, v) setopt_result((o), #opt, curl_easy_setopt((o)->h, opt, v))

/* Append a header line; false (the list unchanged) when libcurl cannot. */
static bool add_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *l = curl_slist_append(*list, line);
    if (!l)
        return false;
    *list = l;
    return true;
}

static char *tls_error(const char *what, CURLcode rc, const char *errbuf)
{
    return mm_xasprintf("%s: %s", what, errbuf[0] ? errbuf : curl_easy_strerror(rc));
}

/* A short, lower-case reason for a transport failure. */
static char *transport_error(CURLcode rc, const char *errbuf, long os_errno, long timeout_ms,
                             long connect_ms)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        if (os_errno == ENOENT || (errbuf[0] && strstr(errbuf, "No such file")))
            return mm_xstrdup("no such socket");
        if (os_errno == EACCES || (errbuf[0] && strstr(errbuf, "ermission denied")))
            return mm_xstrdup("permission denied");
        if (os_errno == ECONNREFUSED || os_errno == 0)
            return mm_xstrdup("connection refused");
        return mm_xasprintf("cannot connect: %s", strerror((int)os_errno));
    case CURLE_OPERATION_TIMEDOUT:
        if (errbuf[0] && strstr(errbuf, "onnect"))
            return mm_xasprintf("connection timed out after %ld ms", connect_ms);
        return mm_xasprintf("timed out after %ld ms", timeout_ms);
    case CURLE_COULDNT_RESOLVE_HOST:
        return mm_xstrdup("could not resolve host");
    /* TLS: say so first, then libcurl's own words (which name the file or
     * the check that failed). */
    case CURLE_PEER_FAILED_VERIFICATION:
        return tls_error("TLS: the server's certificate is not trusted", rc, errbuf);
    case CURLE_SSL_CERTPROBLEM:
        return tls_error("TLS: cannot use the client certificate", rc, errbuf);
    case CURLE_SSL_CACERT_BADFILE:
        return tls_error("TLS: cannot use the CA certificate", rc, errbuf);
    case CURLE_SSL_CONNECT_ERROR:
        return tls_error("TLS: the handshake failed", rc, errbuf);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        /* A server that wants a client certificate and got none says so
         * with an alert, which arrives on the first read (TLS 1.3). */
        if (errbuf[0] && (strstr(errbuf, "SSL") || strstr(errbuf, "alert")))
            return tls_error("TLS: the server refused the connection", rc, errbuf);
        /* The server went away in the middle of a request (an engine that
         * was stopped or killed): what a user needs is that, not libcurl's
         * "Recv failure: Connection reset by peer". */
        if (os_errno == ECONNRESET || (errbuf[0] && strstr(errbuf, "reset by peer")))
            return mm_xstrdup("connection reset in the middle of a request");
        if (os_errno == EPIPE || (errbuf[0] && strstr(errbuf, "Broken pipe")))
            return mm_xstrdup("connection closed in the middle of a request");
        break;
    case CURLE_GOT_NOTHING:
        return mm_xstrdup("connection closed without an answer");
    default:
        break;
    }
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    char *s = mm_xstrdup(why);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return s;
}

int mm_http_do(const mm_http_request *req, mm_http_response *resp, char **err)
{
    memset(resp, 0, sizeof *resp);
    if (err)
        *err = NULL;
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        if (err)
            *err = mm_xasprintf("libcurl initialisation failed: %s", curl_easy_strerror(global_rc));
        return -1;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        if (err)
            *err = mm_xstrdup("libcurl could not create a handle");
        return -1;
    }
    long timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : 30000;
    long connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 5000;
    sink s = { .req = req, .body = STRBUF_INIT, .max = req->max_body ? req->max_body : 64u << 20 };
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    const char *method = req->method ? req->method : "GET";

    setopts o = { .h = h, .rc = CURLE_OK };
    SET(&o, CURLOPT_URL, req->url);
    SET(&o, CURLOPT_NOSIGNAL, 1L);
    SET(&o, CURLOPT_ERRORBUFFER, errbuf);
    SET(&o, CURLOPT_TIMEOUT_MS, timeout_ms);
    SET(&o, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(&o, CURLOPT_WRITEFUNCTION, on_write);
    SET(&o, CURLOPT_WRITEDATA, &s);
    SET(&o, CURLOPT_USERAGENT, "minimesos");
    /* The engine and the cluster's containers are never behind a proxy;
     * other URLs go through the one the environment names, as libcurl
     * reads http_proxy, https_proxy and no_proxy when NOPROXY is not set. */
    if (req->direct)
        SET(&o, CURLOPT_NOPROXY, "*");
    if (req->unix_socket)
        SET(&o, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
    if (req->ca_file)
        SET(&o, CURLOPT_CAINFO, req->ca_file);
    if (req->cert_file)
        SET(&o, CURLOPT_SSLCERT, req->cert_file);
    if (req->key_file)
        SET(&o, CURLOPT_SSLKEY, req->key_file);

    if (strcmp(method, "GET") == 0) {
        SET(&o, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "POST") == 0) {
        SET(&o, CURLOPT_POST, 1L);
        SET(&o, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        SET(&o, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
    } else {
        SET(&o, CURLOPT_CUSTOMREQUEST, method);
        if (req->body) {
            SET(&o, CURLOPT_POSTFIELDS, req->body);
            SET(&o, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
    }
    bool headers_ok = true;
    if (req->body) {
        char *ct = mm_xasprintf("Content-Type: %s", req->content_type ? req->content_type : "application/json");
        headers_ok = add_header(&headers, ct) && add_header(&headers, "Expect:");
        free(ct);
        if (headers_ok)
            SET(&o, CURLOPT_HTTPHEADER, headers);
    }
    if (o.rc != CURLE_OK || !headers_ok) {
        char *why = !headers_ok ? mm_xstrdup("libcurl could not build the request's header list")
                                : mm_xasprintf("libcurl refused %s: %s", o.name, curl_easy_strerror(o.rc));
        trace(req, method, 0, why, 0);
        if (err)
            *err = why;
        else
            free(why);
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return -1;
    }

    long started = now_ms();
    CURLcode rc = curl_easy_perform(h);
    int ret = 0;
    if (rc != CURLE_OK) {
        if (err) {
            if (s.too_big)
                *err = mm_xasprintf("answer larger than %zu bytes", s.max);
            else if (s.aborted)
                *err = mm_xstrdup("transfer aborted");
            else
            {
                long os_errno = 0;
                curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
                *err = transport_error(rc, errbuf, os_errno, timeout_ms, connect_ms);
            }
        }
        ret = -1;
        mm_sb_free(&s.body);
        trace(req, method, 0, err && *err ? *err : curl_easy_strerror(rc), now_ms() - started);
    } else if ((rc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status)) != CURLE_OK) {
        if (err)
            *err = mm_xasprintf("no HTTP status: %s", curl_easy_strerror(rc));
        ret = -1;
        mm_sb_free(&s.body);
        trace(req, method, 0, curl_easy_strerror(rc), now_ms() - started);
    } else {
        trace(req, method, resp->status, NULL, now_ms() - started);
        if (!req->on_data) {
            resp->len = s.body.len;
            resp->body = mm_sb_detach(&s.body);
        }
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return ret;
}

void mm_http_response_free(mm_http_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    resp->body = NULL;
    resp->len = 0;
}

int mm_http_get(const mm_http_request *req, char **body, size_t *len, char **err)
{
    *body = NULL;
    if (len)
        *len = 0;
    mm_http_response resp;
    char *why = NULL;
    if (mm_http_do(req, &resp, &why) != 0) {
        *err = mm_xasprintf("%s: %s", req->url, why);
        free(why);
        return -1;
    }
    if (resp.status != 200) {
        *err = mm_xasprintf("%s: HTTP status %ld", req->url, resp.status);
        mm_http_response_free(&resp);
        return -1;
    }
    *body = resp.body;
    if (len)
        *len = resp.len;
    return 0;
}

int mm_http_fetch(const char *url, size_t max, long timeout_ms, char **body, size_t *len, char **err)
{
    *body = NULL;
    if (len)
        *len = 0;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        *err = mm_xasprintf("not an http(s) URL: %s", url);
        return -1;
    }
    mm_http_request req = { .url = url, .timeout_ms = timeout_ms, .max_body = max };
    return mm_http_get(&req, body, len, err);
}
