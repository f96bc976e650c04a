/* libFuzzer harness: the master's state.json as `ps`, `logs` and `state`
 * read it (mm_ps_table, mm_task_find, mm_agent_state_url). The first line
 * of the input is the task substring / agent id asked for, the rest the
 * state. Properties:
 *  - the `ps` table has a header and exactly one line per task, no control
 *    character and no trailing blank (names and ids come from the cluster:
 *    a task id with a newline or an escape sequence must not forge lines or
 *    drive the terminal); or it is refused with a one-line reason;
 *  - a task found has an id containing what was asked (the exact id when a
 *    task has it), and its agent URL is http://HOST:PORT with a plain host
 *    (printable ASCII, nothing that changes a URL's meaning) and a port
 *    number (it is used to build further URLs);
 *  - an agent state URL is http://HOST:PORT/state.json, the same way;
 *  - the Mesos version is one line of at most 64 bytes (and "..."), with no
 *    control character (`info` prints it among lines users eval);
 *  - every error is non-empty and has no control character but the
 *    newlines that list several matching tasks. */
#include "fuzz_util.h"

#include <cjson/cJSON.h>

#include "services/tasks.h"

/* HOST:PORT with a plain host and a port in 1..65535; returns the end. */
static const char *check_hostport(const char *s, const char *whole)
{
    const char *colon = NULL, *p = s;
    for (; *p && *p != '/'; p++)
        if (*p == ':')
            colon = p;
    FUZZ_CHECK(colon && colon > s, whole, "");
    for (const char *q = s; q < colon; q++)
        FUZZ_CHECK((unsigned char)*q > ' ' && (unsigned char)*q < 0x7f && !strchr("/?#@[]\\", *q), whole, "");
    long port = 0;
    for (const char *q = colon + 1; q < p; q++) {
        FUZZ_CHECK(*q >= '0' && *q <= '9' && port < 100000, whole, "");
        port = port * 10 + (*q - '0');
    }
    FUZZ_CHECK(port >= 1 && port <= 65535, whole, "");
    return p;
}

static size_t count_tasks(const char *state)
{
    cJSON *j = cJSON_Parse(state);
    size_t n = 0;
    const cJSON *fw, *t;
    cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(j, "frameworks"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(fw, "tasks"))
            n++;
    cJSON_Delete(j);
    return n;
}

static bool has_task_id(const char *state, const char *id)
{
    cJSON *j = cJSON_Parse(state);
    bool found = false;
    const cJSON *fw, *t;
    cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(j, "frameworks"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(fw, "tasks")) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "id");
            if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
                found = true;
        }
    cJSON_Delete(j);
    return found;
}

static void check_ps(const char *state)
{
    char *err = NULL;
    char *table = mm_ps_table(state, &err);
    if (!table) {
        FUZZ_CHECK(err && *err && !fuzz_has_control(err, ""), err, state);
        free(err);
        return;
    }
    FUZZ_CHECK(!err, err, "");
    FUZZ_CHECK(fuzz_starts(table, "FRAMEWORK"), table, state);
    FUZZ_CHECK(!fuzz_has_control(table, "\n"), table, state);
    size_t len = strlen(table), lines = 0;
    FUZZ_CHECK(len > 0 && table[len - 1] == '\n', table, state);
    for (size_t i = 0; i < len; i++)
        if (table[i] == '\n') {
            lines++;
            FUZZ_CHECK(i == 0 || table[i - 1] != ' ', table, state);
        }
    FUZZ_CHECK(lines == 1 + count_tasks(state), table, state);
    free(table);
}

static void check_find(const char *state, const char *sub)
{
    mm_task_ref t;
    char *err = NULL;
    if (mm_task_find(state, sub, &t, &err) != 0) {
        FUZZ_CHECK(err && *err && !fuzz_has_control(err, "\n"), err, state);
        FUZZ_CHECK(!t.task_id && !t.agent_url, err, "");
        free(err);
        return;
    }
    FUZZ_CHECK(t.task_id && strstr(t.task_id, sub), t.task_id, sub);
    FUZZ_CHECK(strcmp(t.task_id, sub) == 0 || !has_task_id(state, sub), t.task_id, sub);
    FUZZ_CHECK(t.slave_id && t.agent_host && *t.agent_host, t.slave_id, t.agent_host);
    FUZZ_CHECK(fuzz_starts(t.agent_url, "http://"), t.agent_url, "");
    const char *end = check_hostport(t.agent_url + 7, t.agent_url);
    FUZZ_CHECK(*end == '\0', t.agent_url, "");
    mm_task_ref_free(&t);
}

static void check_agent_url(const char *state, const char *agent)
{
    char *url = mm_agent_state_url(state, agent);
    if (!url)
        return;
    FUZZ_CHECK(fuzz_starts(url, "http://"), url, "");
    const char *end = check_hostport(url + 7, url);
    FUZZ_CHECK(strcmp(end, "/state.json") == 0, url, "");
    free(url);
}

static void check_version(const char *state)
{
    char *v = mm_state_version(state);
    if (!v)
        return;
    FUZZ_CHECK(*v && strlen(v) <= 64 + 3 && !fuzz_has_control(v, ""), v, state);
    free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *param, *state;
    fuzz_split(data, size, &param, &state);
    for (char *p = param; *p; p++) /* the user's text, not the cluster's: */
        if ((unsigned char)*p < 0x20 || *p == 0x7f) /* kept out of the checks */
            *p = '_';
    check_ps(state);
    check_find(state, param);
    check_agent_url(state, param);
    check_version(state);
    free(param);
    free(state);
    return 0;
}
