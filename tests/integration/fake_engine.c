/* A small fake Docker engine for the fault tests (tests/integration/faults_test.sh).
 *
 *   fake_engine (--unix PATH | --tcp PORTFILE) --log FILE [--fail RULE]... [--silent]
 *
 * It keeps the containers it is asked to create (id, name, labels from the
 * create body) and answers the calls `minimesos up` and `destroy` make:
 * /_ping, /version, containers create/start/json/list/stop/logs/delete,
 * volumes and networks (none), images (every image exists). Inspect gives
 * every container 127.0.0.1 as its address.
 *
 * A RULE, METHOD:SUBSTRING:KIND, spoils the first request whose method is
 * METHOD and whose path contains SUBSTRING (later ones are served normally):
 *   500        HTTP 500 {"message":"fake engine: refused <METHOD> on purpose"}
 *   malformed  HTTP 200/201 with a body that is not JSON
 *   truncated  a Content-Length of 1000 and 10 bytes of body, then close
 *   silent     read the request and never answer (until the client goes)
 * --silent spoils every request that way (an address that accepts and never
 * answers).
 *
 * Every request goes to the log, one line each, as it is answered:
 *   METHOD PATH -> STATUS         (STATUS: a number, "truncated" or "silent")
 * and the containers as they change:
 *   created ID NAME  /  deleted ID
 * With --tcp, the chosen port is written to PORTFILE once it listens (with
 * --unix, the socket exists once it listens). SIGTERM or SIGINT ends it
 * (the socket is removed). */
#include "../unit/fake_engine.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>

#define MAX_RULES 8
#define MAX_CONTAINERS 64

typedef struct rule {
    char method[16];
    char substr[256];
    char kind[16];
    bool used;
} rule;

typedef struct container {
    char id[32];
    char name[256];
    char *labels;               /* JSON object text */
    bool deleted;
} container;

static struct {
    pthread_mutex_t mu;
    FILE *log;
    rule rules[MAX_RULES];
    int n_rules;
    bool silent;
    container c[MAX_CONTAINERS];
    int n;
} fk = { .mu = PTHREAD_MUTEX_INITIALIZER };

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
    (void)sig;
    done = 1;
}

static void logf_line(const char *fmt, const char *a, const char *b, const char *c)
{
    pthread_mutex_lock(&fk.mu);
    fprintf(fk.log, fmt, a, b, c);
    fflush(fk.log);
    pthread_mutex_unlock(&fk.mu);
}

/* The rule this request triggers (marked used), or NULL. */
static const char *spoiled(const char *method, const char *path)
{
    if (fk.silent)
        return "silent";
    const char *kind = NULL;
    pthread_mutex_lock(&fk.mu);
    for (int i = 0; i < fk.n_rules && !kind; i++) {
        rule *r = &fk.rules[i];
        if (!r->used && strcmp(r->method, method) == 0 && strstr(path, r->substr)) {
            r->used = true;
            kind = r->kind;
        }
    }
    pthread_mutex_unlock(&fk.mu);
    return kind;
}

static void answer(int fd, const char *method, const char *path, int status, const char *body)
{
    char st[16];
    snprintf(st, sizeof st, "%d", status);
    fe_reply(fd, status, body);
    logf_line("%s %s -> %s\n", method, path, st);
}

/* The container whose id starts the path rest ("ID/..." or "ID?..."), or -1. */
static int find(const char *rest)
{
    size_t n = strcspn(rest, "/?");
    for (int i = 0; i < fk.n; i++)
        if (!fk.c[i].deleted && strlen(fk.c[i].id) == n && strncmp(fk.c[i].id, rest, n) == 0)
            return i;
    return -1;
}

static void route(int fd, const char *method, const char *path, const char *body)
{
    const char *kind = spoiled(method, path);
    if (kind && strcmp(kind, "silent") == 0) {
        logf_line("%s %s -> %s\n", method, path, "silent");
        char buf[4096];
        while (!done && read(fd, buf, sizeof buf) > 0)
            ; /* until the client gives up */
        return;
    }
    if (kind && strcmp(kind, "truncated") == 0) {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                           "Connection: close\r\n\r\n{\"Id\": \"ab";
        fe_send_all(fd, head, strlen(head));
        logf_line("%s %s -> %s\n", method, path, "truncated");
        return;
    }
    if (kind && strcmp(kind, "500") == 0) {
        char m[128];
        snprintf(m, sizeof m, "{\"message\":\"fake engine: refused %s on purpose\"}", method);
        answer(fd, method, path, 500, m);
        return;
    }
    bool malformed = kind && strcmp(kind, "malformed") == 0;
    const char *bad = "{\"Id\": \"abc\", \"State\": {\"Running\": tru";

    /* The API version prefix, if any. */
    const char *p = path;
    if (strncmp(p, "/v1.", 4) == 0)
        p = strchr(p + 1, '/') ? strchr(p + 1, '/') : p;

    char out[32768];
    if (strcmp(p, "/_ping") == 0) {
        answer(fd, method, path, 200, malformed ? bad : "OK");
    } else if (strcmp(p, "/version") == 0) {
        answer(fd, method, path, 200, malformed ? bad : "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\","
                                                        "\"Version\":\"fake\"}");
    } else if (strcmp(method, "GET") == 0 && strncmp(p, "/containers/json", 16) == 0) {
        size_t n = (size_t)snprintf(out, sizeof out, "[");
        pthread_mutex_lock(&fk.mu);
        for (int i = 0; i < fk.n; i++)
            if (!fk.c[i].deleted && n < sizeof out - 1024)
                n += (size_t)snprintf(out + n, sizeof out - n,
                                      "%s{\"Id\":\"%s\",\"Names\":[\"/%s\"],\"State\":\"running\","
                                      "\"Status\":\"Up\",\"Labels\":%s}",
                                      n > 1 ? "," : "", fk.c[i].id, fk.c[i].name, fk.c[i].labels);
        pthread_mutex_unlock(&fk.mu);
        snprintf(out + n, sizeof out - n, "]");
        answer(fd, method, path, 200, malformed ? bad : out);
    } else if (strcmp(method, "GET") == 0 && strncmp(p, "/images/", 8) == 0) {
        answer(fd, method, path, 200, malformed ? bad : "{\"Id\":\"sha256:fake\"}");
    } else if (strcmp(method, "POST") == 0 && strncmp(p, "/containers/create?name=", 24) == 0) {
        cJSON *j = cJSON_Parse(body);
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(j, "Labels");
        char *ltext = cJSON_IsObject(labels) ? cJSON_PrintUnformatted(labels) : strdup("{}");
        cJSON_Delete(j);
        pthread_mutex_lock(&fk.mu);
        if (fk.n == MAX_CONTAINERS) {
            pthread_mutex_unlock(&fk.mu);
            free(ltext);
            answer(fd, method, path, 500, "{\"message\":\"fake engine: too many containers\"}");
            return;
        }
        container *c = &fk.c[fk.n];
        snprintf(c->id, sizeof c->id, "fake%02d", fk.n);
        snprintf(c->name, sizeof c->name, "%s", p + 24);
        c->labels = ltext;
        fk.n++;
        fprintf(fk.log, "created %s %s\n", c->id, c->name);
        snprintf(out, sizeof out, "{\"Id\":\"%s\",\"Warnings\":[]}", c->id);
        pthread_mutex_unlock(&fk.mu);
        answer(fd, method, path, 201, malformed ? bad : out);
    } else if (strncmp(p, "/containers/", 12) == 0) {
        pthread_mutex_lock(&fk.mu);
        int i = find(p + 12);
        char id[32] = "", name[256] = "", *labels = NULL;
        if (i >= 0) {
            snprintf(id, sizeof id, "%s", fk.c[i].id);
            snprintf(name, sizeof name, "%s", fk.c[i].name);
            labels = strdup(fk.c[i].labels);
            if (strcmp(method, "DELETE") == 0) {
                fk.c[i].deleted = true;
                fprintf(fk.log, "deleted %s\n", id);
            }
        }
        pthread_mutex_unlock(&fk.mu);
        const char *rest = p + 12 + strcspn(p + 12, "/?");
        if (i < 0) {
            answer(fd, method, path, 404, "{\"message\":\"fake engine: no such container\"}");
        } else if (strcmp(method, "DELETE") == 0) {
            answer(fd, method, path, 204, "");
        } else if (strcmp(method, "POST") == 0 && (strncmp(rest, "/start", 6) == 0 ||
                                                   strncmp(rest, "/stop", 5) == 0)) {
            answer(fd, method, path, 204, "");
        } else if (strcmp(method, "GET") == 0 && strncmp(rest, "/json", 5) == 0) {
            snprintf(out, sizeof out,
                     "{\"Id\":\"%s\",\"Name\":\"/%s\",\"State\":{\"Status\":\"running\",\"Running\":true,"
                     "\"ExitCode\":0},\"Config\":{\"Labels\":%s},\"NetworkSettings\":{\"IPAddress\":"
                     "\"127.0.0.1\",\"Gateway\":\"127.0.0.1\",\"Networks\":{}}}", id, name, labels);
            answer(fd, method, path, 200, malformed ? bad : out);
        } else if (strcmp(method, "GET") == 0 && strncmp(rest, "/logs", 5) == 0) {
            answer(fd, method, path, 200, "");
        } else {
            answer(fd, method, path, 404, "{\"message\":\"fake engine: no such call\"}");
        }
        free(labels);
    } else if (strcmp(method, "GET") == 0 && strncmp(p, "/volumes", 8) == 0) {
        answer(fd, method, path, 200, malformed ? bad : "{\"Volumes\":[],\"Warnings\":null}");
    } else if (strcmp(method, "GET") == 0 && strncmp(p, "/networks", 9) == 0) {
        answer(fd, method, path, 200, malformed ? bad : "[]");
    } else {
        answer(fd, method, path, 404, "{\"message\":\"fake engine: no such call\"}");
    }
}

static void handle(int fd, void *ctx)
{
    (void)ctx;
    char method[16], path[4096];
    const char *body;
    char *buf = fe_read_request(fd, 1 << 20, method, path, &body);
    if (method[0])
        route(fd, method, path, body);
    free(buf);
    close(fd);
}

static void usage(void)
{
    fprintf(stderr, "usage: fake_engine (--unix PATH | --tcp PORTFILE) --log FILE "
                    "[--fail METHOD:SUBSTRING:KIND]... [--silent]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *sock = NULL, *portfile = NULL, *logpath = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--unix") == 0 && i + 1 < argc) {
            sock = argv[++i];
        } else if (strcmp(argv[i], "--tcp") == 0 && i + 1 < argc) {
            portfile = argv[++i];
        } else if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
            logpath = argv[++i];
        } else if (strcmp(argv[i], "--silent") == 0) {
            fk.silent = true;
        } else if (strcmp(argv[i], "--fail") == 0 && i + 1 < argc && fk.n_rules < MAX_RULES) {
            rule *r = &fk.rules[fk.n_rules++];
            const char *a = argv[++i], *c1 = strchr(a, ':'), *c2 = c1 ? strrchr(a, ':') : NULL;
            if (!c1 || c2 == c1)
                usage();
            snprintf(r->method, sizeof r->method, "%.*s", (int)(c1 - a), a);
            snprintf(r->substr, sizeof r->substr, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
            snprintf(r->kind, sizeof r->kind, "%s", c2 + 1);
            if (strcmp(r->kind, "500") && strcmp(r->kind, "malformed") && strcmp(r->kind, "truncated") &&
                strcmp(r->kind, "silent"))
                usage();
        } else {
            usage();
        }
    }
    if (!logpath || !sock == !portfile)
        usage();
    fk.log = fopen(logpath, "a");
    if (!fk.log) {
        fprintf(stderr, "fake_engine: %s: %s\n", logpath, strerror(errno));
        return 1;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    fe_server s;
    if (fe_start(&s, sock, true, handle, NULL) != 0) {
        fprintf(stderr, "fake_engine: cannot listen on %s: %s\n", sock ? sock : "127.0.0.1", strerror(errno));
        return 1;
    }
    if (portfile) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", s.port) < 0 || fclose(f) != 0 || rename(tmp, portfile) != 0) {
            fprintf(stderr, "fake_engine: cannot write %s\n", portfile);
            return 1;
        }
    }
    /* Bounded: a test that forgets to stop it does not leave it forever. */
    for (int t = 0; !done && t < 10 * 600; t++)
        usleep(100 * 1000);
    fe_stop(&s);
    for (int i = 0; i < fk.n; i++)
        free(fk.c[i].labels);
    fclose(fk.log);
    return 0;
}
