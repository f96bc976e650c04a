/* Shared by the libFuzzer harnesses of what the engine, the master, the
 * agents and Marathon answer (tests/fuzz/fuzz_*.c): a failed property
 * aborts with what it was and the two texts compared. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h" /* strbuf, mm_xasprintf, mm_utf8_valid */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "PROPERTY FAILED: %s\n--- first\n%s\n--- second\n%s\n", what,
            a ? a : "(null)", b ? b : "(null)");
    abort();
}

#define FUZZ_CHECK(cond, a, b)                                  \
    do {                                                        \
        if (!(cond))                                            \
            fuzz_fail(#cond, (a), (b));                         \
    } while (0)

/* A NUL-terminated copy of data[0..n) (the answers are C strings to the
 * parsers: a NUL byte ends them, as it ends what libcurl hands over). */
static inline char *fuzz_str(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    if (n)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

/* Inputs with parameters: the first line is the parameters, the rest is the
 * answer ("409\n{...}"). *param and *body are malloc'd. */
static inline void fuzz_split(const uint8_t *data, size_t size, char **param, char **body)
{
    const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
    size_t k = nl ? (size_t)(nl - data) : size;
    *param = fuzz_str(data, k);
    *body = nl ? fuzz_str(nl + 1, size - k - 1) : fuzz_str(data, 0);
}

/* A byte below 0x20 (or DEL) other than those allowed. */
static inline bool fuzz_has_control(const char *s, const char *allowed)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 || *p == 0x7f) && !strchr(allowed, *p))
            return true;
    return false;
}

static inline bool fuzz_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

#endif
