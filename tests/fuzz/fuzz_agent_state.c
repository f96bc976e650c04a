/* libFuzzer harness: an agent's state.json as `logs` reads it
 * (mm_executor_directory) and the sandbox URL made from what it finds
 * (mm_sandbox_file_url). The first line of the input is
 * "FRAMEWORK_ID TASK_ID" (or just "TASK_ID"), the rest the state.
 * Properties:
 *  - a directory is found exactly when some executor of some framework
 *    (current or completed) has a "directory" and is the task's (its id is
 *    the task id, or it lists the task); it is the directory of such an
 *    executor, of the task's framework when that one has one;
 *  - otherwise the error says which task and agent, on one line;
 *  - the sandbox URL is the agent's URL, "/files/download?path=" and the
 *    percent-encoded path DIR/stdout (or stderr): only unreserved bytes and
 *    %XX escapes, which decode back to that path. */
#include "fuzz_util.h"

#include <cjson/cJSON.h>

#include "services/tasks.h"

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool lists(const cJSON *tasks, const char *task)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tasks) {
        const char *id = jstr(t, "id");
        if (id && strcmp(id, task) == 0)
            return true;
    }
    return false;
}

/* Is dir the directory of an executor of the task in fw? (dir NULL: any) */
static bool fw_has(const cJSON *fw, const char *task, const char *dir)
{
    static const char *const ek[] = { "executors", "completed_executors" };
    static const char *const tk[] = { "tasks", "queued_tasks", "completed_tasks" };
    for (int k = 0; k < 2; k++) {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(fw, ek[k])) {
            const char *d = jstr(e, "directory"), *id = jstr(e, "id");
            if (!d || (dir && strcmp(d, dir) != 0))
                continue;
            bool mine = id && strcmp(id, task) == 0;
            for (int j = 0; j < 3 && !mine; j++)
                mine = lists(cJSON_GetObjectItemCaseSensitive(e, tk[j]), task);
            if (mine)
                return true;
        }
    }
    return false;
}

/* Some framework (of fw_id, when given) has an executor of the task with dir. */
static bool state_has(const cJSON *root, const char *fw_id, const char *task, const char *dir)
{
    static const char *const fk[] = { "frameworks", "completed_frameworks" };
    for (int k = 0; k < 2; k++) {
        const cJSON *fw;
        cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(root, fk[k])) {
            const char *id = jstr(fw, "id");
            if (fw_id && (!id || strcmp(id, fw_id) != 0))
                continue;
            if (fw_has(fw, task, dir))
                return true;
        }
    }
    return false;
}

static int unhex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void check_url(const char *agent_url, const char *dir, bool use_stderr)
{
    char *url = mm_sandbox_file_url(agent_url, dir, use_stderr);
    size_t ul = strlen(agent_url);
    while (ul && agent_url[ul - 1] == '/')
        ul--;
    FUZZ_CHECK(strncmp(url, agent_url, ul) == 0, url, agent_url);
    const char *q = url + ul;
    FUZZ_CHECK(fuzz_starts(q, "/files/download?path="), url, "");
    q += strlen("/files/download?path=");
    strbuf dec = STRBUF_INIT;
    mm_sb_adds(&dec, "");
    for (; *q; q++) {
        if (*q == '%') {
            int hi = unhex(q[1]), lo = hi < 0 ? -1 : unhex(q[2]);
            FUZZ_CHECK(hi >= 0 && lo >= 0, url, "");
            mm_sb_addc(&dec, (char)(hi * 16 + lo));
            q += 2;
        } else {
            FUZZ_CHECK((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                       (*q >= '0' && *q <= '9') || strchr("._~-", *q), url, "");
            mm_sb_addc(&dec, *q);
        }
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *want = mm_xasprintf("%.*s/%s", (int)n, dir, use_stderr ? "stderr" : "stdout");
    FUZZ_CHECK(strcmp(dec.buf, want) == 0, dec.buf, want);
    free(want);
    mm_sb_free(&dec);
    free(url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *param, *state;
    fuzz_split(data, size, &param, &state);
    char *sp = strchr(param, ' ');
    const char *fw = sp ? param : NULL, *task = sp ? sp + 1 : param;
    if (sp)
        *sp = '\0';
    char *dir = NULL, *err = NULL;
    int rc = mm_executor_directory(state, fw, task, &dir, &err);
    cJSON *root = cJSON_Parse(state);
    bool any = cJSON_IsObject(root) && state_has(root, NULL, task, NULL);
    if (rc == 0) {
        FUZZ_CHECK(any && dir && !err, dir, state);
        FUZZ_CHECK(state_has(root, NULL, task, dir), dir, state);
        if (fw && state_has(root, fw, task, NULL))
            FUZZ_CHECK(state_has(root, fw, task, dir), dir, state);
        check_url("http://10.0.0.4:5051", dir, false);
        check_url("http://agent:5051/", dir, true);
    } else {
        FUZZ_CHECK(!any && !dir, "", state);
        FUZZ_CHECK(err && *err && !strchr(err, '\n'), err, state);
    }
    check_url("http://10.0.0.4:5051", param, false);
    cJSON_Delete(root);
    free(dir);
    free(err);
    free(param);
    free(state);
    return 0;
}
