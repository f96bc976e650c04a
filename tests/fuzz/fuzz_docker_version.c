/* libFuzzer harness: the engine's GET /version answer and the API version
 * chosen from it (mm_docker_choose_api), and the engine's error answers
 * (mm_docker_error_message). The input is "STATUS\nBODY"; the whole input
 * and the body are each tried as a /version answer.
 * Properties:
 *  - a chosen version is "MAJOR.MINOR" (digits only: it goes into every
 *    request's path), and it is the engine's ApiVersion capped at
 *    MM_DOCKER_API_MAX, raised to its MinAPIVersion when that is higher,
 *    as a second reading of the JSON computes it;
 *  - a refusal says why, on one line;
 *  - an error message is one non-empty line without trailing blanks; it is
 *    the answer's "message" (trimmed) when that is a non-empty string. */
#include "fuzz_util.h"

#include <cjson/cJSON.h>

#include "engine/docker.h"

/* "N.M" with 1 to 6 digits each: the version as two numbers. */
static bool version(const char *s, long *major, long *minor)
{
    const char *p = s;
    long v[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 7) {
            v[k] = v[k] * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 6)
            return false;
        if (k == 0 && *p++ != '.')
            return false;
    }
    if (*p)
        return false;
    *major = v[0];
    *minor = v[1];
    return true;
}

static int cmp(long a1, long a2, long b1, long b2)
{
    return a1 != b1 ? (a1 < b1 ? -1 : 1) : (a2 < b2 ? -1 : a2 > b2 ? 1 : 0);
}

static void check_choose(const char *body)
{
    char api[16];
    memset(api, 'x', sizeof api);
    char *why = NULL;
    int rc = mm_docker_choose_api(body, api, &why);

    cJSON *j = cJSON_Parse(body);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "ApiVersion");
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(j, "MinAPIVersion");
    long a1, a2, m1, m2, x1, x2;
    bool have = cJSON_IsString(v) && version(v->valuestring, &a1, &a2);
    bool have_min = cJSON_IsString(mv) && version(mv->valuestring, &m1, &m2);
    if (!version(MM_DOCKER_API_MAX, &x1, &x2))
        fuzz_fail("MM_DOCKER_API_MAX is a version", MM_DOCKER_API_MAX, "");
    if (have) {
        FUZZ_CHECK(rc == 0, body, why);
        long u1 = a1, u2 = a2;
        if (cmp(a1, a2, x1, x2) > 0) {
            u1 = x1;
            u2 = x2;
        }
        if (have_min && cmp(u1, u2, m1, m2) < 0) {
            u1 = m1;
            u2 = m2;
        }
        long c1, c2;
        FUZZ_CHECK(memchr(api, '\0', sizeof api) != NULL, body, "");
        FUZZ_CHECK(version(api, &c1, &c2), api, body);
        FUZZ_CHECK(c1 == u1 && c2 == u2, api, body);
    } else {
        FUZZ_CHECK(rc == -1, api, body);
        FUZZ_CHECK(why && *why && !fuzz_has_control(why, ""), why, body);
    }
    free(why);
    cJSON_Delete(j);
}

static void check_error_message(long status, const char *body)
{
    char *m = mm_docker_error_message(status, body);
    FUZZ_CHECK(m && *m, m, body);
    FUZZ_CHECK(!fuzz_has_control(m, ""), m, body);
    size_t n = strlen(m);
    FUZZ_CHECK(m[n - 1] != ' ' && m[n - 1] != '\t', m, body);
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *all = fuzz_str(data, size);
    check_choose(all);
    free(all);
    char *param, *body;
    fuzz_split(data, size, &param, &body);
    check_choose(body);
    check_error_message(strtol(param, NULL, 10), body);
    check_error_message(500, NULL);
    free(param);
    free(body);
    return 0;
}
