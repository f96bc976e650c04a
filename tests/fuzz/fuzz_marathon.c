/* libFuzzer harness: Marathon's error answers as `install` and `uninstall`
 * report them (mm_marathon_error, the status on the input's first line, the
 * body after it), and the definition checks run before a request
 * (mm_marathon_detect_kind, mm_marathon_check) over the same body.
 * Properties:
 *  - the reason is one line starting "Marathon answered STATUS", with no
 *    control character (Marathon's text must not drive the terminal), of
 *    bounded length however many details the answer lists, and valid UTF-8
 *    when the answer is (a cut never splits a character);
 *  - a definition accepted has a non-empty string id, equal to the JSON's;
 *    one refused says why. */
#include "fuzz_util.h"

#include <cjson/cJSON.h>

#include "services/tasks.h"

static void check_error(long status, const char *body)
{
    char *m = mm_marathon_error(status, body);
    char head[64];
    snprintf(head, sizeof head, "Marathon answered %ld", status);
    FUZZ_CHECK(fuzz_starts(m, head), m, body);
    FUZZ_CHECK(!fuzz_has_control(m, ""), m, body);
    FUZZ_CHECK(strlen(m) <= MM_MARATHON_ERROR_MAX, m, body);
    if (body && mm_utf8_valid(body, strlen(body)))
        FUZZ_CHECK(mm_utf8_valid(m, strlen(m)), m, body);
    free(m);
}

static void check_definition(const char *text, const char *kind)
{
    char *id = NULL, *err = NULL;
    if (mm_marathon_check(text, kind, &id, &err) == 0) {
        cJSON *j = cJSON_Parse(text);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "id");
        FUZZ_CHECK(id && *id && !err, id, text);
        FUZZ_CHECK(cJSON_IsString(v) && strcmp(v->valuestring, id) == 0, id, text);
        cJSON_Delete(j);
    } else {
        FUZZ_CHECK(!id && err && *err, err, text);
    }
    free(id);
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *param, *body;
    fuzz_split(data, size, &param, &body);
    check_error(strtol(param, NULL, 10) % 1000, body);
    check_error(500, NULL);
    const char *kind = mm_marathon_detect_kind(body);
    FUZZ_CHECK(strcmp(kind, "app") == 0 || strcmp(kind, "group") == 0, kind, body);
    check_definition(body, kind);
    check_definition(body, strcmp(kind, "app") == 0 ? "group" : "app");
    free(param);
    free(body);
    return 0;
}
