/* Marathon: tokens, definition checks, Marathon's errors, and install /
 * uninstall against a tiny fake Marathon on 127.0.0.1 (one thread). */
#include "minimesos/cluster.h"
#include "services/tasks.h"
#include "base/util.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- a cluster description without containers ---- */

static mm_member members[] = {
    { "zookeeper", "c1", "n1", "172.17.0.2", 2181, "zk://172.17.0.2:2181/mesos", "running", -1 },
    { "master", "c2", "n2", "172.17.0.3", 5050, "http://172.17.0.3:5050", "running", -1 },
    { "agent", "c3", "n3", "172.17.0.4", 5051, "http://172.17.0.4:5051", "running", 0 },
    { "agent", "c4", "n4", "172.17.0.5", 5052, "http://172.17.0.5:5052", "running", 1 },
    { "registrator", "c5", "n5", "172.17.0.6", 0, NULL, "running", -1 },
    { "marathon", "c6", "n6", "127.0.0.1", 0, NULL, "running", -1 },
};

static mm_running cluster = {
    "42", "/home/u/my \"cluster\"", "/home/u/my \"cluster\"/minimesosFile", "172.17.0.1",
    members, sizeof members / sizeof members[0],
};

START_TEST(tokens_replaced)
{
    char *s = mm_replace_tokens(&cluster,
        "${MINIMESOS_MASTER} ${MINIMESOS_MASTER_IP}:${MINIMESOS_MASTER_PORT} "
        "${MINIMESOS_ZOOKEEPER} ${MINIMESOS_AGENT_IP} ${MINIMESOS_AGENT_PORT} "
        "${MINIMESOS_NETWORK_GATEWAY}|${MINIMESOS_HOST_DIR}");
    ck_assert_str_eq(s, "http://172.17.0.3:5050 172.17.0.3:5050 "
                        "zk://172.17.0.2:2181/mesos 172.17.0.4 5051 "
                        "172.17.0.1|/home/u/my \\\"cluster\\\"");
    free(s);
}
END_TEST

START_TEST(tokens_kept)
{
    /* Unknown names, roles the cluster lacks, a role without URL or port,
     * lower case, unterminated: all kept verbatim. */
    const char *in = "${MINIMESOS_CONSUL} ${MINIMESOS_CONSUL_IP} ${MINIMESOS_REGISTRATOR} "
                     "${MINIMESOS_REGISTRATOR_PORT} ${MINIMESOS_REGISTRATOR_IP} ${MINIMESOS_master} "
                     "${MINIMESOS_NOPE} $MINIMESOS_MASTER ${MINIMESOS_} ${MINIMESOS_MASTER";
    char *s = mm_replace_tokens(&cluster, in);
    ck_assert_str_eq(s, "${MINIMESOS_CONSUL} ${MINIMESOS_CONSUL_IP} ${MINIMESOS_REGISTRATOR} "
                        "${MINIMESOS_REGISTRATOR_PORT} 172.17.0.6 ${MINIMESOS_master} "
                        "${MINIMESOS_NOPE} $MINIMESOS_MASTER ${MINIMESOS_} ${MINIMESOS_MASTER");
    free(s);
    s = mm_replace_tokens(&cluster, "");
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(check_definitions)
{
    char *id = NULL, *err = NULL;
    ck_assert_int_eq(mm_marathon_check("{\"id\": \"/web\", \"cmd\": \"x\"}", "app", &id, &err), 0);
    ck_assert_str_eq(id, "/web");
    free(id);
    ck_assert_int_eq(mm_marathon_check("{\"id\": \"g\", \"apps\": [{\"id\": \"a\"}]}", "group", &id, &err), 0);
    ck_assert_str_eq(id, "g");
    free(id);

    struct { const char *text, *kind, *want; } bad[] = {
        { "{\"cmd\": \"x\"}", "app", "needs an \"id\"" },
        { "{\"id\": 3}", "app", "non-empty string" },
        { "{\"id\": \"\"}", "app", "non-empty string" },
        { "[1, 2]", "app", "must be a JSON object" },
        { "{\"id\": \"g\"}", "group", "group needs \"apps\" or \"groups\"" },
        { "{\"id\": \"g\", \"apps\": {}}", "group", "must be arrays" },
        { "{\"id\": \"g\", \"apps\": []}", "app", "looks like a group" },
        { "{\"apps\": []}", "app", "install it with --group" },
        { "{\n  \"id\": \"x\",\n  \"cmd\": oops\n}", "app", "invalid JSON at line 3, column 10, near 'oops'" },
        { "{\"id\": \"x\"", "app", "unexpected end of text" },
        { "{\"id\": \"x\"} trailing", "app", "near 'trailing'" },
        { "  \n", "app", "the text is empty" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        id = (char *)"untouched";
        ck_assert_int_eq(mm_marathon_check(bad[i].text, bad[i].kind, &id, &err), -1);
        ck_assert_ptr_null(id);
        ck_assert_msg(err && strstr(err, bad[i].want), "case %zu: got '%s', want '%s'", i, err, bad[i].want);
        free(err);
    }
}
END_TEST

START_TEST(detect_kind)
{
    ck_assert_str_eq(mm_marathon_detect_kind("{\"id\": \"g\", \"groups\": []}"), "group");
    ck_assert_str_eq(mm_marathon_detect_kind("{\"id\": \"g\", \"apps\": []}"), "group");
    ck_assert_str_eq(mm_marathon_detect_kind("{\"id\": \"a\", \"cmd\": \"x\", \"apps\": []}"), "app");
    ck_assert_str_eq(mm_marathon_detect_kind("{\"id\": \"a\"}"), "app");
    ck_assert_str_eq(mm_marathon_detect_kind("not json"), "app");
}
END_TEST

START_TEST(marathon_errors)
{
    char *e = mm_marathon_error(409, "{\"message\":\"An app with id [/x] already exists.\"}");
    ck_assert_str_eq(e, "Marathon answered 409: An app with id [/x] already exists.");
    free(e);
    e = mm_marathon_error(422, "{\"message\":\"Object is not valid\",\"details\":"
                               "[{\"path\":\"/id\",\"errors\":[\"error.path.missing\"]}]}");
    ck_assert_str_eq(e, "Marathon answered 422: Object is not valid; /id: error.path.missing");
    free(e);
    e = mm_marathon_error(500, "<html>\n  Oops\n</html>");
    ck_assert_str_eq(e, "Marathon answered 500: <html> Oops </html>");
    free(e);
    e = mm_marathon_error(503, "");
    ck_assert_str_eq(e, "Marathon answered 503");
    free(e);
    e = mm_marathon_id_path("//grp/my app");
    ck_assert_str_eq(e, "grp/my%20app");
    free(e);
}
END_TEST

/* Found by tests/fuzz/fuzz_marathon.c: control characters of a non-JSON
 * answer reached the terminal, a cut could split a UTF-8 character, and an
 * answer with thousands of details made a reason as long. */
START_TEST(marathon_errors_from_untrusted_answers)
{
    char *e = mm_marathon_error(200, "{\"id\":\"/g\",\"cmd\":\x13\"sleep}");
    ck_assert_str_eq(e, "Marathon answered 200: {\"id\":\"/g\",\"cmd\": \"sleep}");
    free(e);
    e = mm_marathon_error(422, "{\"message\":\"bad\\u001b[2J\\r\\nthing\\u0085\","
                               "\"details\":[{\"path\":\"/a\\nb\",\"errors\":[\"x\\ty\"]}]}");
    ck_assert_str_eq(e, "Marathon answered 422: bad [2J thing; /a b: x y");
    free(e);
    /* 499 ASCII bytes then a 2-byte character: cut before it, not inside */
    char msg[600] = "{\"message\":\"";
    size_t k = strlen(msg);
    memset(msg + k, 'a', 499);
    strcpy(msg + k + 499, "\xc3\xa9\xc3\xa9\"}");
    e = mm_marathon_error(500, msg);
    ck_assert(mm_utf8_valid(e, strlen(e)));
    ck_assert_int_eq(strcmp(e + strlen(e) - 4, "a..."), 0);
    free(e);
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "{\"message\":\"Object is not valid\",\"details\":[");
    for (int i = 0; i < 5000; i++)
        mm_sb_addf(&sb, "%s{\"path\":\"/apps(%d)/id\",\"errors\":[\"must not be empty\"]}", i ? "," : "", i);
    mm_sb_adds(&sb, "]}");
    e = mm_marathon_error(422, sb.buf);
    ck_assert_uint_le(strlen(e), MM_MARATHON_ERROR_MAX);
    ck_assert_ptr_nonnull(strstr(e, "; /apps(0)/id: must not be empty; /apps(1)/id"));
    ck_assert_ptr_nonnull(strstr(e, " more"));
    free(e);
    mm_sb_free(&sb);
}
END_TEST

/* ---- a fake Marathon: answers each connection with the next canned reply ---- */

typedef struct fake {
    int fd, port;
    int n_replies;
    struct { int status; const char *body; } reply[8];
    char seen[8][4096];   /* "METHOD PATH\nBODY" */
    int n_seen;
    pthread_t th;
} fake;

static void *fake_main(void *arg)
{
    fake *f = arg;
    for (int i = 0; i < f->n_replies; i++) {
        int c = accept(f->fd, NULL, NULL);
        if (c < 0)
            break;
        char buf[8192];
        size_t len = 0;
        char *hend = NULL;
        long clen = 0;
        for (;;) {
            ssize_t n = read(c, buf + len, sizeof buf - 1 - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            buf[len] = '\0';
            if (!hend && (hend = strstr(buf, "\r\n\r\n"))) {
                char *cl = strcasestr(buf, "\r\nContent-Length:");
                if (cl && cl < hend)
                    clen = atol(cl + 17);
            }
            if (hend && (long)(len - (size_t)(hend + 4 - buf)) >= clen)
                break;
        }
        char method[16] = "", path[1024] = "";
        sscanf(buf, "%15s %1023s", method, path);
        snprintf(f->seen[f->n_seen++], sizeof f->seen[0], "%s %s\n%s", method, path, hend ? hend + 4 : "");
        char out[4096];
        int n = snprintf(out, sizeof out,
                         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n%s",
                         f->reply[i].status, strlen(f->reply[i].body), f->reply[i].body);
        ssize_t w = write(c, out, (size_t)n);
        (void)w;
        close(c);
    }
    return NULL;
}

static void fake_start(fake *f)
{
    f->fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(f->fd, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(f->fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(f->fd, 8), 0);
    socklen_t al = sizeof a;
    getsockname(f->fd, (struct sockaddr *)&a, &al);
    f->port = ntohs(a.sin_port);
    pthread_create(&f->th, NULL, fake_main, f);
}

static void fake_stop(fake *f)
{
    pthread_join(f->th, NULL);
    close(f->fd);
}

static char marathon_url[64];

static void point_at(const fake *f)
{
    snprintf(marathon_url, sizeof marathon_url, "http://127.0.0.1:%d", f->port);
    members[5].url = marathon_url;
    members[5].port = f->port;
}

START_TEST(install_sends)
{
    fake f = { .n_replies = 4 };
    f.reply[0].status = 201; f.reply[0].body = "{\"id\":\"/web\"}";
    f.reply[1].status = 200; f.reply[1].body = "{\"deploymentId\":\"d1\"}";
    f.reply[2].status = 409; f.reply[2].body = "{\"message\":\"An app with id [/web] already exists.\"}";
    f.reply[3].status = 201; f.reply[3].body = "{}";
    fake_start(&f);
    point_at(&f);
    char *answer = NULL, *err = NULL;
    const char *app = "{\"id\": \"/web\", \"cmd\": \"echo ${MINIMESOS_MASTER} ${MINIMESOS_HOST_DIR}\"}";
    ck_assert_int_eq(mm_marathon_install_text(&cluster, "app", app, false, &answer, &err), 0);
    ck_assert_str_eq(answer, "{\"id\":\"/web\"}");
    free(answer);
    ck_assert_int_eq(mm_marathon_install_text(&cluster, "app", app, true, &answer, &err), 0);
    free(answer);
    ck_assert_int_eq(mm_marathon_install_text(&cluster, "app", app, false, &answer, &err), -1);
    ck_assert_ptr_null(answer);
    ck_assert_str_eq(err, "Marathon answered 409: An app with id [/web] already exists.");
    free(err);
    ck_assert_int_eq(mm_marathon_install_text(&cluster, NULL, "\xEF\xBB\xBF{\"id\": \"g\", \"apps\": []}", false, &answer, &err), 0);
    free(answer);
    fake_stop(&f);
    ck_assert_int_eq(f.n_seen, 4);
    ck_assert_str_eq(f.seen[0], "POST /v2/apps\n{\"id\": \"/web\", \"cmd\": \"echo http://172.17.0.3:5050 /home/u/my \\\"cluster\\\"\"}");
    ck_assert_int_eq(strncmp(f.seen[1], "PUT /v2/apps/web\n{\"id\": \"/web\"", 30), 0);
    ck_assert_int_eq(strncmp(f.seen[2], "POST /v2/apps\n", 14), 0);
    ck_assert_str_eq(f.seen[3], "POST /v2/groups\n{\"id\": \"g\", \"apps\": []}");
}
END_TEST

START_TEST(install_from_sources)
{
    char dir[] = "/tmp/mm-test-marathon-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/app.json", dir);
    FILE *fp = fopen(path, "w");
    fputs("{\"id\": \"filed\", \"cmd\": \"${MINIMESOS_AGENT_IP}\"}", fp);
    fclose(fp);

    fake f = { .n_replies = 3 };
    f.reply[0].status = 201; f.reply[0].body = "{}";
    f.reply[1].status = 200; f.reply[1].body = "{\"id\": \"fetched\", \"cmd\": \"x\"}";
    f.reply[2].status = 404; f.reply[2].body = "not here";
    fake_start(&f);
    point_at(&f);
    char *answer = NULL, *err = NULL;
    /* A path relative to base_dir. */
    ck_assert_int_eq(mm_marathon_install(&cluster, "app", "app.json", dir, false, &answer, &err), 0);
    free(answer);
    /* A URL: fetched (GET), then posted (the fake has one reply per
     * connection, so the post gets the 404 and fails with it). */
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/defs/app.json", f.port);
    ck_assert_int_eq(mm_marathon_install(&cluster, "app", url, NULL, false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "Marathon answered 404: not here"));
    ck_assert_ptr_nonnull(strstr(err, url));
    free(err);
    fake_stop(&f);
    ck_assert_str_eq(f.seen[0], "POST /v2/apps\n{\"id\": \"filed\", \"cmd\": \"172.17.0.4\"}");
    ck_assert_str_eq(f.seen[1], "GET /defs/app.json\n");
    ck_assert_str_eq(f.seen[2], "POST /v2/apps\n{\"id\": \"fetched\", \"cmd\": \"x\"}");

    /* Missing file, invalid JSON: the error names the source, nothing sent. */
    ck_assert_int_eq(mm_marathon_install(&cluster, "app", "missing.json", dir, false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "missing.json: No such file or directory"));
    ck_assert_ptr_nonnull(strstr(err, dir));
    free(err);
    fp = fopen(path, "w");
    fputs("{\"id\": ", fp);
    fclose(fp);
    ck_assert_int_eq(mm_marathon_install(&cluster, "group", path, "/elsewhere", false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "group "));
    ck_assert_ptr_nonnull(strstr(err, "app.json: invalid JSON"));
    free(err);
    /* Beyond the size limit (4 MiB): refused, never sent. */
    fp = fopen(path, "w");
    fputs("{\"id\": \"big\", \"cmd\": \"", fp);
    for (int i = 0; i < (5 << 20) / 64; i++)
        fputs("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", fp);
    fputs("\"}", fp);
    fclose(fp);
    ck_assert_int_eq(mm_marathon_install(&cluster, "app", "app.json", dir, false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "app.json: larger than"));
    free(err);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(fetch_errors_and_no_marathon)
{
    fake f = { .n_replies = 1 };
    f.reply[0].status = 404; f.reply[0].body = "nope";
    fake_start(&f);
    char url[128], *answer = NULL, *err = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x.json", f.port);
    ck_assert_int_eq(mm_marathon_install(&cluster, "app", url, NULL, false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "404"));
    ck_assert_ptr_nonnull(strstr(err, url));
    free(err);
    fake_stop(&f);

    mm_running none = { "1", "/d", "/d/minimesosFile", "172.17.0.1", members, 2 };
    ck_assert_int_eq(mm_marathon_install_text(&none, "app", "{\"id\": \"a\"}", false, &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no Marathon"));
    free(err);
    ck_assert_int_eq(mm_marathon_uninstall(&none, "app", "a", &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no Marathon"));
    free(err);
}
END_TEST

START_TEST(uninstall_sends)
{
    fake f = { .n_replies = 3 };
    f.reply[0].status = 200; f.reply[0].body = "{\"deploymentId\":\"d\"}";
    f.reply[1].status = 404; f.reply[1].body = "{\"message\":\"App '/gone' does not exist\"}";
    f.reply[2].status = 200; f.reply[2].body = "{}";
    fake_start(&f);
    point_at(&f);
    char *answer = NULL, *err = NULL;
    ck_assert_int_eq(mm_marathon_uninstall(&cluster, "app", "/web", &answer, &err), 0);
    ck_assert_str_eq(answer, "{\"deploymentId\":\"d\"}");
    free(answer);
    ck_assert_int_eq(mm_marathon_uninstall(&cluster, "app", "gone", &answer, &err), -1);
    ck_assert_str_eq(err, "app gone: Marathon answered 404: App '/gone' does not exist");
    free(err);
    ck_assert_int_eq(mm_marathon_uninstall(&cluster, "group", "grp/sub", &answer, &err), 0);
    free(answer);
    /* The root group is never deleted by accident. */
    ck_assert_int_eq(mm_marathon_uninstall(&cluster, "group", "/", &answer, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "a group id is needed"));
    free(err);
    fake_stop(&f);
    ck_assert_str_eq(f.seen[0], "DELETE /v2/apps/web\n");
    ck_assert_str_eq(f.seen[1], "DELETE /v2/apps/gone\n");
    ck_assert_str_eq(f.seen[2], "DELETE /v2/groups/grp/sub\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("marathon");
    TCase *tc = tcase_create("marathon");
    tcase_add_test(tc, tokens_replaced);
    tcase_add_test(tc, tokens_kept);
    tcase_add_test(tc, check_definitions);
    tcase_add_test(tc, detect_kind);
    tcase_add_test(tc, marathon_errors);
    tcase_add_test(tc, marathon_errors_from_untrusted_answers);
    tcase_add_test(tc, install_sends);
    tcase_add_test(tc, install_from_sources);
    tcase_add_test(tc, fetch_errors_and_no_marathon);
    tcase_add_test(tc, uninstall_sends);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
