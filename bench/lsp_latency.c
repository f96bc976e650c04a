/* bench-lsp's client: the time from writing a didChange to reading the
 * publishDiagnostics of that version, as an editor waits for it (each
 * message is encoded before the clock starts: a whole text of megabytes
 * takes the client itself tens of milliseconds to encode), and the
 * server's peak memory.
 *
 * usage: lsp_latency MINIMESOS FILE RUNS
 * Starts `MINIMESOS lsp`, opens FILE, then RUNS times changes it (adds a
 * space at the end of the first line, or takes it away again: the file stays
 * what it was) two ways: an incremental edit of that one character, and the
 * whole text (full sync); between the two, the same incremental edit at the
 * end of the middle line. Prints, one a line:
 *   open MS                    initialize + didOpen to the first diagnostics
 *   incremental MEDIAN P90     ms, over RUNS changes (end of the first line)
 *   incremental_mid MEDIAN P90 ms, over RUNS changes (end of the middle line)
 *   full MEDIAN P90            ms, over RUNS changes
 *   rss KIB                    the server's peak RSS (VmHWM) at the end
 *   cpu MS                     the server's CPU time (user + system) so far:
 *                              initialize and 1 + 3 * RUNS checks
 *   exit STATUS                after shutdown and exit (0 expected)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "lsp/lsp.h"
#include "base/util.h"

static int to_srv, from_srv;
static mm_lsp_reader rd;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* A message framed for the wire (encoding a whole text of megabytes takes
 * the client tens of milliseconds: done before the clock starts). */
typedef struct framed {
    char *bytes;
    size_t n;
} framed;

static framed frame_json(cJSON *m)
{
    char *body = cJSON_PrintUnformatted(m);
    framed f;
    f.bytes = mm_lsp_frame(body, strlen(body), &f.n);
    free(body);
    cJSON_Delete(m);
    return f;
}

static void send_framed(framed f)
{
    for (size_t off = 0; off < f.n;) {
        ssize_t k = write(to_srv, f.bytes + off, f.n - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            perror("lsp_latency: write");
            exit(1);
        }
        off += (size_t)k;
    }
    free(f.bytes);
}

static void send_json(cJSON *m)
{
    send_framed(frame_json(m));
}

/* Read messages until one satisfies want; return it (caller deletes). */
static cJSON *wait_for(int (*want)(const cJSON *, long), long arg)
{
    static char buf[1 << 16];
    for (;;) {
        const char *b;
        size_t n;
        int e;
        while ((e = mm_lsp_reader_next(&rd, &b, &n)) != MM_LSP_READ_MORE) {
            if (e != MM_LSP_READ_MESSAGE) {
                fprintf(stderr, "lsp_latency: bad framing from the server: %s\n", rd.error);
                exit(1);
            }
            cJSON *m = cJSON_ParseWithLength(b, n);
            if (m && want(m, arg))
                return m;
            cJSON_Delete(m);
        }
        ssize_t k = read(from_srv, buf, sizeof buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            fprintf(stderr, "lsp_latency: the server closed its output\n");
            exit(1);
        }
        mm_lsp_reader_feed(&rd, buf, (size_t)k);
    }
}

static int is_response(const cJSON *m, long id)
{
    const cJSON *i = cJSON_GetObjectItem(m, "id");
    return cJSON_IsNumber(i) && (long)i->valuedouble == id && !cJSON_GetObjectItem(m, "method");
}

static int is_publish(const cJSON *m, long version)
{
    const cJSON *me = cJSON_GetObjectItem(m, "method");
    if (!cJSON_IsString(me) || strcmp(me->valuestring, "textDocument/publishDiagnostics") != 0)
        return 0;
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "params"), "version");
    return cJSON_IsNumber(v) && (long)v->valuedouble == version;
}

static cJSON *msg(const char *method, long id)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    if (id >= 0)
        cJSON_AddNumberToObject(m, "id", (double)id);
    cJSON_AddStringToObject(m, "method", method);
    return m;
}

static cJSON *change_msg(const char *uri, long version)
{
    cJSON *m = msg("textDocument/didChange", -1);
    cJSON *p = cJSON_AddObjectToObject(m, "params");
    cJSON *td = cJSON_AddObjectToObject(p, "textDocument");
    cJSON_AddStringToObject(td, "uri", uri);
    cJSON_AddNumberToObject(td, "version", (double)version);
    cJSON_AddArrayToObject(p, "contentChanges");
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("%s %.3f %.3f\n", what, t[n / 2], t[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1]);
}

/* runs changes of one character at (line, col) (utf-8 columns): a space
 * added, then taken away again, alternately; the latency of each into t. */
static void incremental(const char *uri, long *version, size_t line, size_t col, double *t,
                        int runs)
{
    for (int i = 0; i < runs; i++) {
        bool add = i % 2 == 0;
        cJSON *m = change_msg(uri, ++*version);
        cJSON *ch = cJSON_CreateObject();
        cJSON *r = cJSON_AddObjectToObject(ch, "range");
        cJSON *s = cJSON_AddObjectToObject(r, "start");
        cJSON_AddNumberToObject(s, "line", (double)line);
        cJSON_AddNumberToObject(s, "character", (double)col);
        cJSON *e = cJSON_AddObjectToObject(r, "end");
        cJSON_AddNumberToObject(e, "line", (double)line);
        cJSON_AddNumberToObject(e, "character", (double)col + (add ? 0 : 1));
        cJSON_AddStringToObject(ch, "text", add ? " " : "");
        cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "params"), "contentChanges"), ch);
        framed f = frame_json(m);
        double a = now_ms();
        send_framed(f);
        cJSON_Delete(wait_for(is_publish, *version));
        t[i] = now_ms() - a;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: lsp_latency MINIMESOS FILE RUNS\n");
        return 2;
    }
    int runs = atoi(argv[3]);
    if (runs < 1)
        runs = 1;
    size_t len;
    char *text = mm_read_all(argv[2], MM_LSP_MAX_MESSAGE, &len);
    if (!text) {
        perror(argv[2]);
        return 1;
    }
    size_t first_nl = strcspn(text, "\n");
    int pin[2], pout[2];
    if (pipe(pin) || pipe(pout))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        close(pin[1]);
        close(pout[0]);
        execl(argv[1], argv[1], "lsp", (char *)NULL);
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    to_srv = pin[1];
    from_srv = pout[0];
    signal(SIGPIPE, SIG_IGN);
    mm_lsp_reader_init(&rd, 0);

    double t0 = now_ms();
    cJSON *m = msg("initialize", 1);
    cJSON *p = cJSON_AddObjectToObject(m, "params");
    cJSON *gen = cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "capabilities"), "general");
    cJSON_AddItemToObject(gen, "positionEncodings", cJSON_CreateStringArray((const char *[]){ "utf-8" }, 1));
    send_json(m);
    cJSON_Delete(wait_for(is_response, 1));
    m = msg("initialized", -1);
    cJSON_AddObjectToObject(m, "params");
    send_json(m);
    const char *uri = "file:///bench.minimesosFile";
    m = msg("textDocument/didOpen", -1);
    cJSON *td = cJSON_AddObjectToObject(cJSON_AddObjectToObject(m, "params"), "textDocument");
    cJSON_AddStringToObject(td, "uri", uri);
    cJSON_AddStringToObject(td, "languageId", "minimesos");
    cJSON_AddNumberToObject(td, "version", 1);
    cJSON_AddStringToObject(td, "text", text);
    send_json(m);
    cJSON_Delete(wait_for(is_publish, 1));
    printf("open %.3f\n", now_ms() - t0);

    long version = 1;
    double *t = mm_xmalloc((size_t)runs * sizeof *t);
    /* incremental: one character at the end of the first line, in and out */
    incremental(uri, &version, 0, first_nl, t, runs);
    report("incremental", t, runs);
    /* the same at the end of the middle line (inside an agent block of a
     * generated file: typing in the middle of a large file) */
    size_t mid_line = 0, mid_col = 0, lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    for (size_t i = 0, l = 0, start = 0; i <= len; i++)
        if (i == len || text[i] == '\n') {
            if (l == lines / 2) {
                mid_line = l;
                mid_col = i - start;
                break;
            }
            l++;
            start = i + 1;
        }
    incremental(uri, &version, mid_line, mid_col, t, runs);
    report("incremental_mid", t, runs);

    /* full sync: the whole text each time, with and without the space */
    char *spaced = mm_xmalloc(len + 2);
    memcpy(spaced, text, first_nl);
    spaced[first_nl] = ' ';
    memcpy(spaced + first_nl + 1, text + first_nl, len - first_nl + 1);
    for (int i = 0; i < runs; i++) {
        m = change_msg(uri, ++version);
        cJSON *ch = cJSON_CreateObject();
        cJSON_AddStringToObject(ch, "text", i % 2 == 0 ? spaced : text);
        cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "params"), "contentChanges"), ch);
        framed f = frame_json(m);
        double a = now_ms();
        send_framed(f);
        cJSON_Delete(wait_for(is_publish, version));
        t[i] = now_ms() - a;
    }
    report("full", t, runs);

    /* the server's peak memory, then a clean end */
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long hwm = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
            break;
    if (f)
        fclose(f);
    printf("rss %ld\n", hwm);
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    unsigned long ut = 0, stt = 0;
    if (f) {
        /* after "pid (comm) ": fields 3.. ; utime and stime are 14 and 15 */
        char stat[1024];
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        stat[n] = '\0';
        const char *q = strrchr(stat, ')');
        if (q && sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &stt) == 2)
            printf("cpu %.1f\n", (double)(ut + stt) * 1000.0 / (double)sysconf(_SC_CLK_TCK));
        fclose(f);
    }
    send_json(msg("shutdown", 2));
    cJSON_Delete(wait_for(is_response, 2));
    send_json(msg("exit", -1));
    close(to_srv);
    int st = 0;
    waitpid(pid, &st, 0);
    printf("exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    mm_lsp_reader_free(&rd);
    free(spaced);
    free(t);
    free(text);
    return 0;
}
