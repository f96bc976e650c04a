/* The HTTP helper and the engine client against a tiny in-process server on a
 * unix socket and on 127.0.0.1: methods, bodies, statuses, timeouts, size
 * limits, streaming, transport errors, API version negotiation, log demux. */
#include "testutil.h"
#include "fake_engine.h"
#include "net/http.h"
#include "engine/docker.h"
#include "minimesos/cluster.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static fe_server srv_unix, srv_tcp;
static int tcp_port;
static char sock_path[108];
static const char *api_version = "1.45";

static void serve(int c, void *ctx)
{
    (void)ctx;
    char method[16], path[4096];
    const char *body;
    char *buf = fe_read_request(c, 65536, method, path, &body);
    if (strncmp(path, "http://", 7) == 0) {
        /* An absolute URL: the request came through us as its proxy. */
        char out[512];
        int n = snprintf(out, sizeof out, "proxied:%s", path);
        fe_reply_n(c, 200, out, (size_t)n);
    } else if (strcmp(path, "/hello") == 0) {
        fe_reply_n(c, 200, "hello", 5);
    } else if (strcmp(path, "/echo") == 0) {
        char out[4096];
        int n = snprintf(out, sizeof out, "%s:%s", method, body);
        fe_reply_n(c, 200, out, (size_t)n);
    } else if (strcmp(path, "/slow") == 0) {
        usleep(1500 * 1000);
        fe_reply_n(c, 200, "late", 4);
    } else if (strcmp(path, "/big") == 0) {
        char *big = malloc(100000);
        memset(big, 'x', 100000);
        fe_reply_n(c, 200, big, 100000);
        free(big);
    } else if (strcmp(path, "/state.json") == 0) {
        fe_reply_n(c, 200, "{\"version\":\"1.0.0\"}", 19);
    } else if (strcmp(path, "/v2/apps/x") == 0) {
        fe_reply_n(c, 200, "{\"deploymentId\":\"d\"}", 20);
    } else if (strcmp(path, "/version") == 0) {
        char out[256];
        int n = snprintf(out, sizeof out, "{\"ApiVersion\":\"%s\",\"MinAPIVersion\":\"1.12\"}", api_version);
        fe_reply_n(c, 200, out, (size_t)n);
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/create?fromImage=good")) {
        const char *m = "{\"status\":\"Pulling from good\"}\n{\"status\":\"Downloaded\",\"id\":\"abc\"}\n";
        fe_reply_n(c, 200, m, strlen(m));
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/create?fromImage=bad")) {
        const char *m = "{\"status\":\"Pulling from bad\"}\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n";
        fe_reply_n(c, 200, m, strlen(m));
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/create?fromImage=denied")) {
        /* What the engine answers for a repository that does not exist. */
        const char *m = "{\"message\":\"pull access denied for denied, repository does not exist or may "
                        "require 'docker login': denied: requested access to the resource is denied\"}\n";
        fe_reply_n(c, 404, m, strlen(m));
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/create?fromImage=detail")) {
        /* An error line with only errorDetail, split over two writes, without a final newline. */
        const char *m1 = "{\"status\":\"Pulling from detail\"}\n{\"errorDetail\":{\"mess";
        const char *m2 = "age\":\"toomanyrequests: rate limit\"}}";
        char head[160];
        int n = snprintf(head, sizeof head, "HTTP/1.1 200 X\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                         strlen(m1) + strlen(m2));
        fe_send_all(c, head, (size_t)n);
        fe_send_all(c, m1, strlen(m1));
        usleep(50 * 1000);
        fe_send_all(c, m2, strlen(m2));
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/create?fromImage=broken")) {
        fe_reply_n(c, 500, "engine on fire\n", 15);
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/broken%3A1/json")) {
        const char *m = "{\"message\":\"layer store is corrupt\"}";
        fe_reply_n(c, 500, m, strlen(m));
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/images/present%3Atag/json")) {
        fe_reply_n(c, 200, "{}", 2);
    } else if (strcmp(path, "/hang-up") == 0) {
        /* Read the request, answer nothing. */
    } else if (strcmp(path, "/reset") == 0) {
        /* Read the request, then drop the connection with a reset (as a
         * killed engine's kernel does). */
        struct linger lg = { 1, 0 };
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/containers/create?name=garbled")) {
        fe_reply(c, 201, "{\"Id\": tru");
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/containers/garbled/json")) {
        fe_reply(c, 200, "<html>busy</html>");
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/containers/json?")) {
        fe_reply(c, 200, "{\"not\": \"a list\"}");
    } else if (strncmp(path, "/v1.", 4) == 0 && strstr(path, "/containers/create")) {
        const char *m = "{\"message\":\"Conflict. The container name is already in use\"}";
        fe_reply_n(c, 409, m, strlen(m));
    } else {
        fe_reply_n(c, 404, "{\"message\":\"page not found\"}", strlen("{\"message\":\"page not found\"}"));
    }
    close(c);
    free(buf);
}

static void setup(void)
{
    /* A proxy of the machine running the tests must not see their requests. */
    const char *proxies[] = { "http_proxy", "https_proxy", "all_proxy", "HTTPS_PROXY", "ALL_PROXY",
                              "no_proxy", "NO_PROXY" };
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    snprintf(sock_path, sizeof sock_path, "/tmp/mm-test-http-%d.sock", (int)getpid());
    ck_assert_int_eq(fe_start(&srv_unix, sock_path, false, serve, NULL), 0);
    ck_assert_int_eq(fe_start(&srv_tcp, NULL, false, serve, NULL), 0);
    tcp_port = srv_tcp.port;
}

static void teardown(void)
{
    fe_stop(&srv_unix);
    fe_stop(&srv_tcp);
}

START_TEST(get_over_unix_socket)
{
    mm_http_request req = { .url = "http://localhost/hello", .unix_socket = sock_path };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_str_eq(resp.body, "hello");
    ck_assert_uint_eq(resp.len, 5);
    mm_http_response_free(&resp);
}
END_TEST

START_TEST(post_and_put_over_tcp)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", tcp_port);
    mm_http_request req = { .method = "POST", .url = url, .body = "{\"a\":1}", .body_len = 7 };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_str_eq(resp.body, "POST:{\"a\":1}");
    mm_http_response_free(&resp);
    req.method = "PUT";
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_str_eq(resp.body, "PUT:{\"a\":1}");
    mm_http_response_free(&resp);
}
END_TEST

START_TEST(error_status_is_an_answer)
{
    mm_http_request req = { .url = "http://localhost/nothing", .unix_socket = sock_path };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_int_eq(resp.status, 404);
    mm_http_response_free(&resp);
    char *body = NULL;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/nothing", tcp_port);
    ck_assert_int_eq(mm_http_fetch(url, 0, 0, &body, NULL, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "404"));
    free(err);
}
END_TEST

START_TEST(timeout_is_reported)
{
    mm_http_request req = { .url = "http://localhost/slow", .unix_socket = sock_path, .timeout_ms = 300 };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "timed out after 300 ms"));
    free(err);
}
END_TEST

START_TEST(body_limit)
{
    mm_http_request req = { .url = "http://localhost/big", .unix_socket = sock_path, .max_body = 1000 };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "larger than 1000 bytes"));
    free(err);
    req.max_body = 0;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_uint_eq(resp.len, 100000);
    mm_http_response_free(&resp);
}
END_TEST

static bool count_chunks(const char *data, size_t len, void *ctx)
{
    (void)data;
    *(size_t *)ctx += len;
    return true;
}

START_TEST(streaming)
{
    size_t total = 0;
    mm_http_request req = { .url = "http://localhost/big", .unix_socket = sock_path, .max_body = 10,
                            .on_data = count_chunks, .ctx = &total };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), 0);
    ck_assert_uint_eq(total, 100000);
    ck_assert_ptr_null(resp.body);
}
END_TEST

START_TEST(transport_errors_are_one_line)
{
    /* A port nobody listens on: bind, read the port, close. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in si = { .sin_family = AF_INET, .sin_port = 0 };
    si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&si, sizeof si);
    socklen_t sl = sizeof si;
    getsockname(fd, (struct sockaddr *)&si, &sl);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(si.sin_port));
    mm_http_request req = { .url = url };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), -1);
    ck_assert_str_eq(err, "connection refused");
    free(err);
    mm_http_request r2 = { .url = "http://localhost/", .unix_socket = "/nonexistent/docker.sock" };
    ck_assert_int_eq(mm_http_do(&r2, &resp, &err), -1);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_str_eq(err, "no such socket");
    free(err);
    /* A server that goes away in the middle of a request. */
    mm_http_request r3 = { .url = "http://localhost/hang-up", .unix_socket = sock_path };
    ck_assert_int_eq(mm_http_do(&r3, &resp, &err), -1);
    ck_assert_str_eq(err, "connection closed without an answer");
    free(err);
    mm_http_request r4 = { .url = "http://localhost/reset", .unix_socket = sock_path };
    ck_assert_int_eq(mm_http_do(&r4, &resp, &err), -1);
    ck_assert_msg(strcmp(err, "connection reset in the middle of a request") == 0 ||
                  strcmp(err, "connection closed without an answer") == 0, "said: %s", err);
    free(err);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/reset", tcp_port);
    mm_http_request r5 = { .url = url };
    ck_assert_int_eq(mm_http_do(&r5, &resp, &err), -1);
    ck_assert_str_eq(err, "connection reset in the middle of a request");
    free(err);
}
END_TEST

/* An option libcurl refuses fails the request, naming it, instead of being
 * ignored (a URL longer than libcurl's 8 MB limit for strings). */
START_TEST(refused_option_fails_the_request)
{
    size_t n = 9u << 20;
    char *url = malloc(n + 1);
    memcpy(url, "http://localhost/", 17);
    memset(url + 17, 'a', n - 17);
    url[n] = '\0';
    mm_http_request req = { .url = url, .unix_socket = sock_path };
    mm_http_response resp;
    char *err = NULL;
    ck_assert_int_eq(mm_http_do(&req, &resp, &err), -1);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strncmp(err, "libcurl refused CURLOPT_URL: ", 29) == 0, "said: %s", err);
    ck_assert_ptr_null(strchr(err, '\n'));
    free(err);
    free(url);
}
END_TEST

/* Proxies from the environment apply to URLs from outside (a Marathon app's
 * URL in the minimesosFile), never to the engine or the cluster's own
 * containers. The TCP server is its own proxy: an absolute URL in the
 * request line gets "proxied:<url>". */
START_TEST(proxy_only_for_urls_from_outside)
{
    char url[96], proxy[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hello", tcp_port);
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", tcp_port);
    setenv("http_proxy", proxy, 1);
    setenv("https_proxy", proxy, 1);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    char *body = NULL, *err = NULL;
    char want[160];
    snprintf(want, sizeof want, "proxied:%s", url);
    /* A URL to fetch: through the proxy, unless no_proxy names the host. */
    ck_assert_msg(mm_http_fetch(url, 0, 0, &body, NULL, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(body, want);
    free(body);
    setenv("no_proxy", "127.0.0.1", 1);
    ck_assert_msg(mm_http_fetch(url, 0, 0, &body, NULL, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(body, "hello");
    free(body);
    unsetenv("no_proxy");
    /* direct: never through it, over TCP or a unix socket. */
    mm_http_request req = { .url = url, .direct = true };
    mm_http_response resp;
    ck_assert_msg(mm_http_do(&req, &resp, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(resp.body, "hello");
    mm_http_response_free(&resp);
    mm_http_request ru = { .url = "http://localhost/hello", .unix_socket = sock_path, .direct = true };
    ck_assert_msg(mm_http_do(&ru, &resp, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(resp.body, "hello");
    mm_http_response_free(&resp);
    /* The cluster's services: the master's state and Marathon, direct. */
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", tcp_port);
    mm_member members[] = {
        { .role = "master", .url = base, .ip = "127.0.0.1", .port = tcp_port },
        { .role = "marathon", .url = base, .ip = "127.0.0.1", .port = tcp_port },
    };
    mm_running rc = { .cluster_id = "1", .members = members, .n_members = 2 };
    char *state = NULL;
    ck_assert_msg(mm_state_json(&rc, NULL, &state, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(state, "{\"version\":\"1.0.0\"}");
    free(state);
    char *answer = NULL;
    ck_assert_msg(mm_marathon_uninstall(&rc, "app", "x", &answer, &err) == 0, "%s", err ? err : "");
    ck_assert_str_eq(answer, "{\"deploymentId\":\"d\"}");
    free(answer);
    unsetenv("http_proxy");
    unsetenv("https_proxy");
}
END_TEST

START_TEST(engine_unreachable_message)
{
    setenv("DOCKER_HOST", "unix:///nonexistent", 1);
    mm_docker d;
    char *err = NULL;
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_int_eq(mm_docker_connect(&d, &err), -1);
    ck_assert_str_eq(err, "cannot reach the Docker engine at unix:///nonexistent (DOCKER_HOST): no such socket");
    free(err);
    mm_docker_free(&d);
    unsetenv("DOCKER_HOST");
}
END_TEST

START_TEST(engine_tls_and_tcp_addresses)
{
    setenv("DOCKER_HOST", "tcp://10.0.0.1:2376", 1);
    setenv("DOCKER_TLS_VERIFY", "1", 1);
    setenv("DOCKER_CERT_PATH", "/certs", 1);
    mm_docker d;
    char *err = NULL;
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_str_eq(d.base, "https://10.0.0.1:2376");
    ck_assert_str_eq(d.ca, "/certs/ca.pem");
    ck_assert_str_eq(d.cert, "/certs/cert.pem");
    ck_assert_str_eq(d.key, "/certs/key.pem");
    ck_assert_ptr_null(d.unix_socket);
    mm_docker_free(&d);
    unsetenv("DOCKER_TLS_VERIFY");
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_str_eq(d.base, "http://10.0.0.1:2376");
    ck_assert_ptr_null(d.ca);
    mm_docker_free(&d);
    setenv("DOCKER_HOST", "ftp://x", 1);
    ck_assert_int_eq(mm_docker_init(&d, &err), -1);
    ck_assert_str_eq(err, "cannot reach the Docker engine at ftp://x (DOCKER_HOST): unsupported address "
                          "(use unix://PATH or tcp://HOST:PORT)");
    free(err);
    mm_docker_free(&d);
    unsetenv("DOCKER_HOST");
    unsetenv("DOCKER_CERT_PATH");
}
END_TEST

START_TEST(engine_version_negotiation_and_errors)
{
    char host[160];
    snprintf(host, sizeof host, "unix://%s", sock_path);
    setenv("DOCKER_HOST", host, 1);
    mm_docker d;
    char *err = NULL;
    api_version = "1.45";
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_int_eq(mm_docker_connect(&d, &err), 0);
    ck_assert_str_eq(d.api, "1.41");
    api_version = "1.30";
    ck_assert_int_eq(mm_docker_connect(&d, &err), 0);
    ck_assert_str_eq(d.api, "1.30");
    /* An engine error reaches the caller with the engine's message and the container. */
    char *id = NULL;
    ck_assert_int_eq(mm_docker_create(&d, "minimesos-master-1-2", "{}", &id, &err), -1);
    ck_assert_str_eq(err, "creating container minimesos-master-1-2: Conflict. The container name is already in use");
    free(err);
    /* Images: inspect, and a pull whose stream reports an error. */
    bool exists = false;
    ck_assert_int_eq(mm_docker_image_exists(&d, "present:tag", &exists, &err), 0);
    ck_assert(exists);
    ck_assert_int_eq(mm_docker_image_exists(&d, "absent:tag", &exists, &err), 0);
    ck_assert(!exists);
    ck_assert_int_eq(mm_docker_pull(&d, "good:1", NULL, NULL, &err), 0);
    ck_assert_int_eq(mm_docker_pull(&d, "bad:1", NULL, NULL, &err), -1);
    ck_assert_str_eq(err, "pulling image bad:1: manifest unknown");
    free(err);
    /* The engine's message of an error answer, of a stream's errorDetail, and
     * a plain-text error body. */
    ck_assert_int_eq(mm_docker_pull(&d, "denied:1", NULL, NULL, &err), -1);
    ck_assert_str_eq(err, "pulling image denied:1: pull access denied for denied, repository does not exist "
                          "or may require 'docker login': denied: requested access to the resource is denied");
    free(err);
    ck_assert_int_eq(mm_docker_pull(&d, "detail:1", NULL, NULL, &err), -1);
    ck_assert_str_eq(err, "pulling image detail:1: toomanyrequests: rate limit");
    free(err);
    ck_assert_int_eq(mm_docker_pull(&d, "broken:1", NULL, NULL, &err), -1);
    ck_assert_str_eq(err, "pulling image broken:1: HTTP 500: engine on fire");
    free(err);
    ck_assert_int_eq(mm_docker_image_exists(&d, "broken:1", &exists, &err), -1);
    ck_assert_str_eq(err, "inspecting image broken:1: layer store is corrupt");
    free(err);
    mm_docker_free(&d);
    unsetenv("DOCKER_HOST");
}
END_TEST

/* Answers that are not the JSON the API promises name the engine; TLS files
 * that are not there are named before any connection. */
START_TEST(engine_malformed_answers_and_tls_files)
{
    char host[160];
    snprintf(host, sizeof host, "unix://%s", sock_path);
    setenv("DOCKER_HOST", host, 1);
    mm_docker d;
    char *err = NULL, *id = NULL, *want = NULL;
    api_version = "1.41";
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_int_eq(mm_docker_connect(&d, &err), 0);
    ck_assert_int_eq(mm_docker_create(&d, "garbled", "{}", &id, &err), -1);
    want = mm_xasprintf("creating container garbled: malformed answer from the Docker engine at %s (not JSON)", host);
    ck_assert_str_eq(err, want);
    free(want);
    free(err);
    cJSON *j = NULL;
    ck_assert_int_eq(mm_docker_inspect(&d, "garbled", &j, &err), -1);
    want = mm_xasprintf("inspecting container garbled: malformed answer from the Docker engine at %s (not JSON)", host);
    ck_assert_str_eq(err, want);
    free(want);
    free(err);
    ck_assert_int_eq(mm_docker_list(&d, "org.minimesos.dir=/x", &j, &err), -1);
    want = mm_xasprintf("listing containers: malformed answer from the Docker engine at %s (not a JSON array)", host);
    ck_assert_str_eq(err, want);
    free(want);
    free(err);
    mm_docker_free(&d);
    char api[16];
    ck_assert_int_eq(mm_docker_choose_api("<html>", api, &err), -1);
    ck_assert_str_eq(err, "gave a malformed answer (not JSON)");
    free(err);

    snprintf(host, sizeof host, "tcp://127.0.0.1:%d", tcp_port);
    setenv("DOCKER_HOST", host, 1);
    setenv("DOCKER_TLS_VERIFY", "1", 1);
    setenv("DOCKER_CERT_PATH", "/nonexistent-certs", 1);
    ck_assert_int_eq(mm_docker_init(&d, &err), 0);
    ck_assert_int_eq(mm_docker_connect(&d, &err), -1);
    want = mm_xasprintf("cannot reach the Docker engine at %s (DOCKER_HOST): TLS: cannot read the CA certificate "
                        "/nonexistent-certs/ca.pem: No such file or directory (DOCKER_CERT_PATH names the "
                        "folder of ca.pem, cert.pem and key.pem)", host);
    ck_assert_str_eq(err, want);
    free(want);
    free(err);
    mm_docker_free(&d);
    unsetenv("DOCKER_TLS_VERIFY");
    unsetenv("DOCKER_CERT_PATH");
    unsetenv("DOCKER_HOST");
}
END_TEST

START_TEST(log_stream_demux)
{
    const char raw[] = "\x01\0\0\0\0\0\0\x06hello\n\x02\0\0\0\0\0\0\x04" "err\n";
    char *t = mm_docker_demux(raw, sizeof raw - 1);
    ck_assert_str_eq(t, "hello\nerr\n");
    free(t);
    t = mm_docker_demux("plain tty text\n", 15);
    ck_assert_str_eq(t, "plain tty text\n");
    free(t);
    /* A frame claiming more than there is: take what is there. */
    const char cut[] = "\x01\0\0\0\0\0\0\x10" "abc";
    t = mm_docker_demux(cut, sizeof cut - 1);
    ck_assert_str_eq(t, "abc");
    free(t);
}
END_TEST

static void on_pull(const char *id, const char *status, const char *progress, void *ctx)
{
    mm_sb_addf(ctx, "%s|%s|%s\n", id ? id : "-", status, progress ? progress : "-");
}

/* Found by the fuzzers of tests/fuzz/ (docker_version, docker_pull,
 * docker_inspect): an engine's (or a proxy's) error page kept its line
 * breaks and control characters, and a message of blanks became an empty
 * one; any text was taken for an API version (and went into every path,
 * read with sscanf's %d, which overflows) or for a container's IP; a pull
 * answer without line breaks grew without bound, and control characters of
 * progress lines reached the terminal. */
START_TEST(engine_answers_are_untrusted)
{
    char *m = mm_docker_error_message(503, "<html><body><h1>503 Service Unavailable</h1>\n"
                                           "No server is available.\n</body></html>\n");
    ck_assert_str_eq(m, "HTTP 503: <html><body><h1>503 Service Unavailable</h1> No server is available. </body></html>");
    free(m);
    m = mm_docker_error_message(500, "{\"message\":\" \\n \"}");
    ck_assert_str_eq(m, "HTTP status 500");
    free(m);
    m = mm_docker_error_message(500, "{\"message\":\"a\\u001b[31m\\r\\nb\\n\"}");
    ck_assert_str_eq(m, "a [31m b");
    free(m);

    char api[16], *why = NULL;
    const char *real = "{\"Platform\":{\"Name\":\"\"},\"Version\":\"20.10.24+dfsg1\",\"ApiVersion\":\"1.41\","
                       "\"MinAPIVersion\":\"1.12\",\"Os\":\"linux\"}";
    ck_assert_int_eq(mm_docker_choose_api(real, api, &why), 0);
    ck_assert_str_eq(api, "1.41");
    ck_assert_int_eq(mm_docker_choose_api("{\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.44\"}", api, &why), 0);
    ck_assert_str_eq(api, "1.44");
    ck_assert_int_eq(mm_docker_choose_api("{\"ApiVersion\":\"1.39\",\"MinAPIVersion\":\"x\"}", api, &why), 0);
    ck_assert_str_eq(api, "1.39");
    const char *bad[] = { "{\"ApiVersion\":\"1.41/../../x?\"}", "{\"ApiVersion\":\"99999999999.1\"}",
                          "{\"ApiVersion\":\"abc\"}", "{\"ApiVersion\":\"1.\"}", "{\"ApiVersion\":\"1.2.3\"}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(mm_docker_choose_api(bad[i], api, &why) == -1, "%s", bad[i]);
        ck_assert_ptr_nonnull(strstr(why, "not a version"));
        free(why);
    }
    ck_assert_int_eq(mm_docker_choose_api("{\"Version\":\"1.13\"}", api, &why), -1);
    ck_assert_str_eq(why, "gave no ApiVersion");
    free(why);

    cJSON *ins = cJSON_Parse("{\"State\":{\"Status\":\"running\"},\"NetworkSettings\":{\"IPAddress\":\"1712.7.0.3\","
                             "\"Gateway\":\"$(reboot)\",\"Networks\":{\"a\":{\"IPAddress\":\"\"},"
                             "\"b\":{\"IPAddress\":\"10.9.0.7\",\"Gateway\":\"fd00::1\"}}}}");
    char *ip = NULL, *gw = NULL, *state = NULL;
    mm_docker_inspect_net(ins, &ip, &gw, &state);
    ck_assert_str_eq(ip, "10.9.0.7");
    ck_assert_str_eq(gw, "fd00::1");
    ck_assert_str_eq(state, "running");
    free(ip);
    free(gw);
    free(state);
    cJSON_Delete(ins);

    strbuf seen = STRBUF_INIT;
    mm_docker_pull_parser p;
    mm_docker_pull_parser_init(&p, on_pull, &seen);
    const char *stream = "{\"status\":\"Downloading\",\"id\":\"a\\u001b]0;x\\u0007\",\"progress\":\"[=>   ] 1MB\"}\n"
                         "{\"errorDetail\":{\"message\":\"line\\none\"},\"error\":\"line\\none\"}\n{\"status\":\"l";
    for (const char *c = stream; *c; c++) /* a byte at a time, as a slow network cuts it */
        mm_docker_pull_parser_feed(&p, c, 1);
    char *big = malloc(MM_DOCKER_PULL_LINE_MAX + 10);
    memset(big, ' ', MM_DOCKER_PULL_LINE_MAX + 10);
    mm_docker_pull_parser_feed(&p, big, MM_DOCKER_PULL_LINE_MAX + 10);
    mm_docker_pull_parser_feed(&p, big, MM_DOCKER_PULL_LINE_MAX + 10);
    ck_assert_uint_le(p.line.len, MM_DOCKER_PULL_LINE_MAX);
    mm_docker_pull_parser_feed(&p, "\n{\"status\":\"Done\"}", 18);
    mm_docker_pull_parser_end(&p);
    free(big);
    ck_assert_str_eq(seen.buf, "a ]0;x |Downloading|[=>   ] 1MB\n-|Done|-\n");
    ck_assert_str_eq(p.error, "line one");
    mm_docker_pull_parser_free(&p);
    mm_sb_free(&seen);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http");
    TCase *t = tcase_create("http");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, get_over_unix_socket);
    tcase_add_test(t, post_and_put_over_tcp);
    tcase_add_test(t, error_status_is_an_answer);
    tcase_add_test(t, timeout_is_reported);
    tcase_add_test(t, body_limit);
    tcase_add_test(t, streaming);
    tcase_add_test(t, transport_errors_are_one_line);
    tcase_add_test(t, refused_option_fails_the_request);
    tcase_add_test(t, proxy_only_for_urls_from_outside);
    tcase_add_test(t, engine_unreachable_message);
    tcase_add_test(t, engine_tls_and_tcp_addresses);
    tcase_add_test(t, engine_version_negotiation_and_errors);
    tcase_add_test(t, engine_malformed_answers_and_tls_files);
    tcase_add_test(t, log_stream_demux);
    tcase_add_test(t, engine_answers_are_untrusted);
    suite_add_tcase(s, t);
    return tu_run(s);
}
