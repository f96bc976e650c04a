/* libFuzzer harness: mm_docker_demux over a container's log stream as the
 * engine sends it (GET /containers/ID/logs): frames of
 * [stream 0 0 0 size(4, big endian)] payload, or raw text from a TTY
 * container. Properties:
 *  - the text is never longer than the input (frames only lose headers);
 *  - it is what a plain reading of the format gives: each frame's payload
 *    (cut at the end of the input) in order, or the input itself when the
 *    first 8 bytes are not a header; as a C string (up to a NUL byte). */
#include "fuzz_util.h"

#include "engine/docker.h"

/* The format read another way: a slow byte-at-a-time decoder. */
static char *reference(const uint8_t *b, size_t n, size_t *out_len)
{
    char *out = malloc(n + 1);
    size_t k = 0;
    bool framed = n >= 8 && b[0] <= 2 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    if (!framed) {
        memcpy(out, b, n);
        k = n;
    } else {
        size_t i = 0;
        while (n - i >= 8) {
            uint64_t size = 0;
            for (int j = 4; j < 8; j++)
                size = size * 256 + b[i + j];
            i += 8;
            for (uint64_t j = 0; j < size && i < n; j++)
                out[k++] = (char)b[i++];
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = mm_docker_demux((const char *)data, size);
    FUZZ_CHECK(text != NULL, "", "");
    size_t n;
    char *want = reference(data, size, &n);
    FUZZ_CHECK(strlen(text) <= size, text, "");
    FUZZ_CHECK(strcmp(text, want) == 0, text, want);
    free(want);
    free(text);
    return 0;
}
