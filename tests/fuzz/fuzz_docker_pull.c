/* libFuzzer harness: the progress stream of a pull (POST /images/create),
 * one JSON object a line, read by mm_docker_pull_parser. Properties:
 *  - fed in one piece or in pieces of any sizes (as the network cuts it),
 *    the parser reports the same statuses, the same error, the same head;
 *  - every report has a status; there are no more reports than lines;
 *    no report and no error has a control character (they are shown), and
 *    the error is one non-empty line;
 *  - the line being read never grows past MM_DOCKER_PULL_LINE_MAX (an
 *    engine that never sends a newline cannot exhaust memory);
 *  - the head is the stream's first MM_DOCKER_PULL_HEAD_MAX bytes, and the
 *    error message made from it (a refused pull) is one line. */
#include "fuzz_util.h"

#include "engine/docker.h"

typedef struct seen {
    strbuf log;
    size_t n;
} seen;

static void on_status(const char *id, const char *status, const char *progress, void *ctx)
{
    seen *s = ctx;
    if (!status)
        fuzz_fail("a report has a status", id, progress);
    if (fuzz_has_control(status, "") || (id && fuzz_has_control(id, "")) ||
        (progress && fuzz_has_control(progress, "")))
        fuzz_fail("a report has no control character", status, progress);
    mm_sb_addf(&s->log, "%s|%s|%s\n", id ? id : "-", status, progress ? progress : "-");
    s->n++;
}

static void run(const uint8_t *data, size_t size, uint32_t cut, seen *s, mm_docker_pull_parser *p)
{
    mm_docker_pull_parser_init(p, on_status, s);
    size_t i = 0;
    while (i < size) {
        size_t k = cut ? 1 + (cut % 97) : size - i;
        cut = cut * 1103515245u + 12345u;
        if (k > size - i)
            k = size - i;
        mm_docker_pull_parser_feed(p, (const char *)data + i, k);
        if (p->line.len > MM_DOCKER_PULL_LINE_MAX)
            fuzz_fail("the line stays bounded", "", "");
        i += k;
    }
    mm_docker_pull_parser_end(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    seen whole = { STRBUF_INIT, 0 }, pieces = { STRBUF_INIT, 0 };
    mm_docker_pull_parser a, b;
    run(data, size, 0, &whole, &a);
    run(data, size, h | 1, &pieces, &b);
    mm_sb_adds(&whole.log, "");
    mm_sb_adds(&pieces.log, "");
    FUZZ_CHECK(strcmp(whole.log.buf, pieces.log.buf) == 0, whole.log.buf, pieces.log.buf);
    FUZZ_CHECK((!a.error && !b.error) || (a.error && b.error && strcmp(a.error, b.error) == 0),
               a.error, b.error);
    FUZZ_CHECK(!a.error || (*a.error && !fuzz_has_control(a.error, "")), a.error, "");
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    FUZZ_CHECK(whole.n <= lines, whole.log.buf, "");
    size_t hl = size < MM_DOCKER_PULL_HEAD_MAX ? size : MM_DOCKER_PULL_HEAD_MAX;
    FUZZ_CHECK(a.head.len == hl && b.head.len == hl, "", "");
    FUZZ_CHECK(hl == 0 || (memcmp(a.head.buf, data, hl) == 0 && memcmp(b.head.buf, data, hl) == 0), "", "");
    char *m = mm_docker_error_message(404, a.head.buf);
    FUZZ_CHECK(*m && !strchr(m, '\n'), m, "");
    free(m);
    mm_docker_pull_parser_free(&a);
    mm_docker_pull_parser_free(&b);
    mm_sb_free(&whole.log);
    mm_sb_free(&pieces.log);
    return 0;
}
