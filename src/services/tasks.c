/* Pure helpers for install, uninstall, ps and logs (see tasks.h). */
#include "services/tasks.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON helpers ---- */

static const char *jstr(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* Parse text; on failure *err names the line and column and what is there. */
static cJSON *parse_json(const char *text, char **err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, true);
    if (root)
        return root;
    if (!end || end < text)
        end = text;
    size_t len = strlen(text);
    if ((size_t)(end - text) > len)
        end = text + len;
    int line = 1, col = 1;
    for (const char *p = text; p < end; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    bool blank = true;
    for (const char *p = text; *p; p++)
        if (!isspace((unsigned char)*p))
            blank = false;
    if (blank) {
        *err = mm_xstrdup("invalid JSON: the text is empty");
        return NULL;
    }
    if (!*end) {
        *err = mm_xasprintf("invalid JSON at line %d, column %d: unexpected end of text", line, col);
        return NULL;
    }
    /* Show a little of what is there, up to the end of the line. */
    size_t n = 0;
    while (end[n] && end[n] != '\n' && end[n] != '\r' && n < 20)
        n++;
    *err = mm_xasprintf("invalid JSON at line %d, column %d, near '%.*s'", line, col, (int)n, end);
    return NULL;
}

/* ---- Marathon definitions ---- */

/* A detail of an error is "; " + 100 bytes of path + "...: " + 300 bytes of
 * text + "...": details stop where one more and "; and N more" could pass
 * the bound. */
#define DETAIL_MAX (2 + 103 + 2 + 303)
#define DETAILS_END (MM_MARATHON_ERROR_MAX - DETAIL_MAX - 32)
_Static_assert(DETAILS_END > 600, "room for a message and a detail");

const char *mm_marathon_detect_kind(const char *text)
{
    cJSON *root = cJSON_Parse(text);
    const char *kind = "app";
    if (cJSON_IsObject(root)
        && (cJSON_GetObjectItemCaseSensitive(root, "apps") || cJSON_GetObjectItemCaseSensitive(root, "groups"))
        && !cJSON_GetObjectItemCaseSensitive(root, "cmd") && !cJSON_GetObjectItemCaseSensitive(root, "args")
        && !cJSON_GetObjectItemCaseSensitive(root, "container"))
        kind = "group";
    cJSON_Delete(root);
    return kind;
}

int mm_marathon_check(const char *text, const char *kind, char **id, char **err)
{
    if (id)
        *id = NULL;
    bool group = kind && strcmp(kind, "group") == 0;
    cJSON *root = parse_json(text, err);
    if (!root)
        return -1;
    int rc = -1;
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(root, "id");
    const cJSON *apps = cJSON_GetObjectItemCaseSensitive(root, "apps");
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(root, "groups");
    if (!cJSON_IsObject(root)) {
        *err = mm_xasprintf("a Marathon %s must be a JSON object", group ? "group" : "app");
    } else if (!idv) {
        if (!group && (apps || groups))
            *err = mm_xstrdup("no \"id\"; it has \"apps\" or \"groups\": if it is a group, install it with --group");
        else
            *err = mm_xasprintf("a Marathon %s needs an \"id\"", group ? "group" : "app");
    } else if (!cJSON_IsString(idv) || !idv->valuestring[0]) {
        *err = mm_xstrdup("\"id\" must be a non-empty string");
    } else if (group && !cJSON_IsArray(apps) && !cJSON_IsArray(groups)) {
        if (apps || groups)
            *err = mm_xstrdup("\"apps\" and \"groups\" of a group must be arrays");
        else
            *err = mm_xstrdup("a Marathon group needs \"apps\" or \"groups\"; if it is an app, install it with --app");
    } else if (!group && (cJSON_IsArray(apps) || cJSON_IsArray(groups))
               && !cJSON_GetObjectItemCaseSensitive(root, "cmd")
               && !cJSON_GetObjectItemCaseSensitive(root, "args")
               && !cJSON_GetObjectItemCaseSensitive(root, "container")) {
        *err = mm_xstrdup("this looks like a group (it has \"apps\" or \"groups\"); install it with --group");
    } else {
        if (id)
            *id = mm_xstrdup(idv->valuestring);
        rc = 0;
    }
    cJSON_Delete(root);
    return rc;
}

/* One detail: "; PATH: TEXT". */
static void add_detail(strbuf *sb, const char *path, const char *text)
{
    mm_sb_adds(sb, "; ");
    if (path && *path) {
        mm_sb_add_oneline(sb, path, 100);
        mm_sb_adds(sb, ": ");
    }
    mm_sb_add_oneline(sb, text, 300);
}

/* Marathon's validation details: [{"path":"/id","errors":["..."]}], as
 * many as fit in MM_MARATHON_ERROR_MAX. */
static void add_details(strbuf *sb, const cJSON *details)
{
    const cJSON *d;
    size_t left = 0;
    cJSON_ArrayForEach(d, details) {
        const char *path = jstr(d, "path");
        const cJSON *errors = cJSON_GetObjectItemCaseSensitive(d, "errors");
        const cJSON *e;
        if (cJSON_IsArray(errors)) {
            cJSON_ArrayForEach(e, errors) {
                if (!cJSON_IsString(e))
                    continue;
                if (sb->len > DETAILS_END)
                    left++;
                else
                    add_detail(sb, path, e->valuestring);
            }
        } else if (cJSON_IsString(d) || (path && jstr(d, "message"))) {
            if (sb->len > DETAILS_END)
                left++;
            else
                add_detail(sb, cJSON_IsString(d) ? NULL : path,
                           cJSON_IsString(d) ? d->valuestring : jstr(d, "message"));
        }
    }
    if (left)
        mm_sb_addf(sb, "; and %zu more", left);
}

char *mm_marathon_error(long status, const char *body)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_addf(&sb, "Marathon answered %ld", status);
    cJSON *root = body ? cJSON_Parse(body) : NULL;
    const char *msg = root ? jstr(root, "message") : NULL;
    if (msg) {
        mm_sb_adds(&sb, ": ");
        /* 500 bytes of message, then details of at most DETAIL_MAX each */
        mm_sb_add_oneline(&sb, msg, 500);
        add_details(&sb, cJSON_GetObjectItemCaseSensitive(root, "details"));
    } else if (body && *body) {
        mm_sb_adds(&sb, ": ");
        mm_sb_add_oneline(&sb, body, 300);
    }
    cJSON_Delete(root);
    return mm_sb_detach(&sb);
}

static char *encode(const char *s, const char *keep)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr(keep, *p))
            mm_sb_addc(&sb, (char)*p);
        else
            mm_sb_addf(&sb, "%%%02X", *p);
    }
    return mm_sb_detach(&sb);
}

char *mm_url_encode(const char *s)
{
    return encode(s, "._~-");
}

char *mm_marathon_id_path(const char *id)
{
    while (*id == '/')
        id++;
    return encode(id, "._~-/");
}

/* ---- Tasks ---- */

/* "[31000-31000, 31005-31007]" -> "31000,31005-31007". */
static void add_ports_text(strbuf *sb, const char *ranges)
{
    bool first = true;
    const char *p = ranges;
    while (*p) {
        while (*p && !isdigit((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        unsigned long lo = strtoul(p, &end, 10);
        unsigned long hi = lo;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == '-') {
            p++;
            while (*p == ' ')
                p++;
            if (isdigit((unsigned char)*p)) {
                hi = strtoul(p, &end, 10);
                p = end;
            }
        }
        if (!first)
            mm_sb_addc(sb, ',');
        first = false;
        if (hi == lo)
            mm_sb_addf(sb, "%lu", lo);
        else
            mm_sb_addf(sb, "%lu-%lu", lo, hi);
    }
}

/* A task's ports: resources.ports (a range text in state.json), else its
 * discovery ports; "" when it has none. */
static char *task_ports(const cJSON *task)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(task, "resources");
    const char *ports = res ? jstr(res, "ports") : NULL;
    if (ports) {
        add_ports_text(&sb, ports);
        return mm_sb_detach(&sb);
    }
    const cJSON *disc = cJSON_GetObjectItemCaseSensitive(task, "discovery");
    const cJSON *dp = disc ? cJSON_GetObjectItemCaseSensitive(disc, "ports") : NULL;
    const cJSON *list = dp ? cJSON_GetObjectItemCaseSensitive(dp, "ports") : NULL;
    const cJSON *p;
    bool first = true;
    cJSON_ArrayForEach(p, list) {
        const cJSON *num = cJSON_GetObjectItemCaseSensitive(p, "number");
        if (!cJSON_IsNumber(num))
            continue;
        if (!first)
            mm_sb_addc(&sb, ',');
        first = false;
        mm_sb_addf(&sb, "%d", num->valueint);
    }
    return mm_sb_detach(&sb);
}

typedef struct row { char *col[4]; } row;

/* A cell of the table: the cluster's text on one line (a name or id with a
 * line break or an escape sequence must not forge rows or drive the
 * terminal), "-" when empty. */
static char *field_or_dash(const char *s)
{
    strbuf sb = STRBUF_INIT;
    if (s)
        mm_sb_add_oneline(&sb, s, SIZE_MAX);
    if (!sb.len)
        mm_sb_adds(&sb, "-");
    return mm_sb_detach(&sb);
}

char *mm_ps_table(const char *master_state, char **err)
{
    cJSON *root = cJSON_Parse(master_state);
    const cJSON *fws = root ? cJSON_GetObjectItemCaseSensitive(root, "frameworks") : NULL;
    if (!cJSON_IsObject(root) || (fws && !cJSON_IsArray(fws))) {
        *err = mm_xstrdup("the master's state is not the JSON expected (no \"frameworks\" array)");
        cJSON_Delete(root);
        return NULL;
    }
    row *rows = NULL;
    size_t n = 0, cap = 0;
    rows = mm_xgrow(rows, &cap, 1, sizeof *rows);
    rows[n++] = (row){ { mm_xstrdup("FRAMEWORK"), mm_xstrdup("TASK"), mm_xstrdup("STATE"), mm_xstrdup("PORT") } };
    const cJSON *fw;
    cJSON_ArrayForEach(fw, fws) {
        const char *fname = jstr(fw, "name");
        if (!fname)
            fname = jstr(fw, "id");
        const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(fw, "tasks");
        const cJSON *t;
        cJSON_ArrayForEach(t, tasks) {
            const char *tid = jstr(t, "id");
            if (!tid)
                tid = jstr(t, "name");
            rows = mm_xgrow(rows, &cap, n + 1, sizeof *rows);
            rows[n++] = (row){ { field_or_dash(fname), field_or_dash(tid),
                                 field_or_dash(jstr(t, "state")), task_ports(t) } };
        }
    }
    cJSON_Delete(root);
    size_t w[3] = { 0, 0, 0 };
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) {
            size_t l = strlen(rows[i].col[c]);
            if (l > w[c])
                w[c] = l;
        }
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++)
            mm_sb_addf(&sb, "%-*s  ", (int)w[c], rows[i].col[c]);
        mm_sb_adds(&sb, rows[i].col[3]);
        /* No trailing blanks when the port is empty. */
        while (sb.len && sb.buf[sb.len - 1] == ' ')
            sb.buf[--sb.len] = '\0';
        mm_sb_addc(&sb, '\n');
        for (int c = 0; c < 4; c++)
            free(rows[i].col[c]);
    }
    free(rows);
    return mm_sb_detach(&sb);
}

void mm_task_ref_free(mm_task_ref *t)
{
    if (!t)
        return;
    free(t->task_id);
    free(t->framework_id);
    free(t->slave_id);
    free(t->agent_url);
    free(t->agent_host);
    memset(t, 0, sizeof *t);
}

/* An agent's address from the state goes into URLs: a host name or IPv4
 * address of printable ASCII with nothing that would change the URL's
 * meaning (no '/', '?', '#', '@', brackets, backslash, blanks), a port
 * number 1-65535. */
static bool plain_host(const char *h, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= ' ' || c >= 0x7f || strchr("/?#@[]\\", c))
            return false;
    }
    return true;
}

static bool port_number(const char *p)
{
    long v = 0;
    if (!*p)
        return false;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > 65535)
            return false;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= 65535;
}

/* "slave(1)@172.17.0.4:5051" -> host "172.17.0.4", port "5051". */
static bool split_pid(const char *pid, char **host, char **port)
{
    const char *at = pid ? strchr(pid, '@') : NULL;
    const char *colon = at ? strrchr(at, ':') : NULL;
    if (!at || !colon || !plain_host(at + 1, (size_t)(colon - at - 1)) || !port_number(colon + 1))
        return false;
    *host = mm_xstrndup(at + 1, (size_t)(colon - at - 1));
    *port = mm_xstrdup(colon + 1);
    return true;
}

/* The cluster's text in a one-line message (mm_sb_add_oneline). */
static char *clean(const char *s)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    mm_sb_add_oneline(&sb, s ? s : "", 200);
    return mm_sb_detach(&sb);
}

char *mm_agent_state_url(const char *master_state, const char *agent_id)
{
    cJSON *j = cJSON_Parse(master_state);
    const cJSON *slaves = cJSON_GetObjectItemCaseSensitive(j, "slaves"), *s;
    char *agent_url = NULL;
    cJSON_ArrayForEach(s, slaves) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
        const cJSON *host = cJSON_GetObjectItemCaseSensitive(s, "hostname");
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(s, "pid");
        bool match = (cJSON_IsString(id) && strcmp(id->valuestring, agent_id) == 0) ||
                     (cJSON_IsString(host) && strcmp(host->valuestring, agent_id) == 0);
        if (!match || !cJSON_IsString(pid))
            continue;
        char *h, *port;
        if (split_pid(pid->valuestring, &h, &port)) { /* slave(1)@ip:port */
            agent_url = mm_xasprintf("http://%s:%s/state.json", h, port);
            free(h);
            free(port);
        }
        break;
    }
    cJSON_Delete(j);
    return agent_url;
}

char *mm_state_version(const char *state)
{
    cJSON *j = cJSON_Parse(state);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    strbuf sb = STRBUF_INIT;
    if (cJSON_IsString(ver))
        mm_sb_add_oneline(&sb, ver->valuestring, 64);
    cJSON_Delete(j);
    if (!sb.len) {
        mm_sb_free(&sb);
        return NULL;
    }
    return mm_sb_detach(&sb);
}

/* Several matches are listed, up to this many. */
#define MAX_LISTED 20

static void add_task_matches(const cJSON *fws, const char *sub, const cJSON **found,
                             const cJSON **found_fw, size_t *n, strbuf *list, const cJSON **exact,
                             const cJSON **exact_fw)
{
    const cJSON *fw;
    cJSON_ArrayForEach(fw, fws) {
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(fw, "tasks")) {
            const char *tid = jstr(t, "id");
            if (!tid || !strstr(tid, sub))
                continue;
            if (strcmp(tid, sub) == 0 && !*exact) {
                *exact = t;
                *exact_fw = fw;
            }
            if (*n == 0) {
                *found = t;
                *found_fw = fw;
            }
            (*n)++;
            if (*n > MAX_LISTED)
                continue;
            const char *state = jstr(t, "state");
            mm_sb_adds(list, "\n  ");
            mm_sb_add_oneline(list, tid, 200);
            if (state) {
                mm_sb_adds(list, " (");
                mm_sb_add_oneline(list, state, 50);
                mm_sb_addc(list, ')');
            }
        }
    }
}

int mm_task_find(const char *master_state, const char *substring, mm_task_ref *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_Parse(master_state);
    if (!cJSON_IsObject(root)) {
        *err = mm_xstrdup("the master's state is not JSON");
        cJSON_Delete(root);
        return -1;
    }
    const cJSON *task = NULL, *fw = NULL, *exact = NULL, *exact_fw = NULL;
    size_t n = 0;
    strbuf list = STRBUF_INIT;
    add_task_matches(cJSON_GetObjectItemCaseSensitive(root, "frameworks"), substring,
                     &task, &fw, &n, &list, &exact, &exact_fw);
    int rc = -1;
    char *ctid = NULL, *csid = NULL; /* the ids for messages */
    if (exact) {
        task = exact;
        fw = exact_fw;
    } else if (n == 0) {
        *err = mm_xasprintf("no task matches '%s' (see `minimesos ps`)", substring);
        goto out;
    } else if (n > 1) {
        if (n > MAX_LISTED)
            mm_sb_addf(&list, "\n  ... and %zu more", n - MAX_LISTED);
        *err = mm_xasprintf("%zu tasks match '%s'; give more of the task id:%s", n, substring, list.buf);
        goto out;
    }
    const char *tid = jstr(task, "id");
    const char *sid = jstr(task, "slave_id");
    const char *fid = jstr(task, "framework_id");
    if (!fid)
        fid = jstr(fw, "id");
    ctid = clean(tid);
    if (!sid) {
        *err = mm_xasprintf("task %s has no agent (slave_id) in the master's state", ctid);
        goto out;
    }
    csid = clean(sid);
    const cJSON *slave = NULL, *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(root, "slaves")) {
        const char *id = jstr(s, "id");
        if (id && strcmp(id, sid) == 0) {
            slave = s;
            break;
        }
    }
    if (!slave) {
        *err = mm_xasprintf("the agent %s of task %s is not in the master's state (gone?)", csid, ctid);
        goto out;
    }
    char *host = NULL, *port = NULL;
    if (!split_pid(jstr(slave, "pid"), &host, &port)) {
        const char *h = jstr(slave, "hostname");
        const cJSON *pv = cJSON_GetObjectItemCaseSensitive(slave, "port");
        if (!h || !plain_host(h, strlen(h)) || !cJSON_IsNumber(pv) || pv->valuedouble < 1 ||
            pv->valuedouble > 65535) {
            *err = mm_xasprintf("the agent %s of task %s has no address in the master's state", csid, ctid);
            goto out;
        }
        host = mm_xstrdup(h);
        port = mm_xasprintf("%d", pv->valueint);
    }
    out->task_id = mm_xstrdup(tid);
    out->framework_id = fid ? mm_xstrdup(fid) : NULL;
    out->slave_id = mm_xstrdup(sid);
    out->agent_url = mm_xasprintf("http://%s:%s", host, port);
    out->agent_host = host;
    free(port);
    rc = 0;
out:
    free(ctid);
    free(csid);
    mm_sb_free(&list);
    cJSON_Delete(root);
    return rc;
}

static bool task_list_has(const cJSON *tasks, const char *task_id)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, tasks) {
        const char *id = jstr(t, "id");
        if (id && strcmp(id, task_id) == 0)
            return true;
    }
    return false;
}

static const char *executor_dir_in(const cJSON *fw, const char *task_id)
{
    static const char *const exec_keys[] = { "executors", "completed_executors" };
    static const char *const task_keys[] = { "tasks", "queued_tasks", "completed_tasks" };
    for (size_t k = 0; k < 2; k++) {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(fw, exec_keys[k])) {
            const char *dir = jstr(e, "directory");
            if (!dir)
                continue;
            const char *eid = jstr(e, "id");
            if (eid && strcmp(eid, task_id) == 0)
                return dir;
            for (size_t j = 0; j < 3; j++)
                if (task_list_has(cJSON_GetObjectItemCaseSensitive(e, task_keys[j]), task_id))
                    return dir;
        }
    }
    return NULL;
}

int mm_executor_directory(const char *agent_state, const char *framework_id,
                          const char *task_id, char **dir, char **err)
{
    *dir = NULL;
    cJSON *root = cJSON_Parse(agent_state);
    if (!cJSON_IsObject(root)) {
        *err = mm_xstrdup("the agent's state is not JSON");
        cJSON_Delete(root);
        return -1;
    }
    static const char *const fw_keys[] = { "frameworks", "completed_frameworks" };
    const char *found = NULL;
    /* The task's own framework first, then any (ids are unique per agent). */
    for (int pass = 0; pass < 2 && !found; pass++) {
        if (pass == 0 && !framework_id)
            continue;
        for (size_t k = 0; k < 2 && !found; k++) {
            const cJSON *fw;
            cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(root, fw_keys[k])) {
                const char *fid = jstr(fw, "id");
                if (pass == 0 && (!fid || strcmp(fid, framework_id) != 0))
                    continue;
                if ((found = executor_dir_in(fw, task_id)))
                    break;
            }
        }
    }
    int rc = 0;
    if (found) {
        *dir = mm_xstrdup(found);
    } else {
        char *agent = clean(jstr(root, "id"));
        *err = mm_xasprintf("no executor of task %s in the state of agent %s", task_id, *agent ? agent : "(unknown)");
        free(agent);
        rc = -1;
    }
    cJSON_Delete(root);
    return rc;
}

char *mm_sandbox_file_url(const char *agent_url, const char *dir, bool use_stderr)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *path = mm_xasprintf("%.*s/%s", (int)n, dir, use_stderr ? "stderr" : "stdout");
    char *enc = mm_url_encode(path);
    size_t ul = strlen(agent_url);
    while (ul && agent_url[ul - 1] == '/')
        ul--;
    char *url = mm_xasprintf("%.*s/files/download?path=%s", (int)ul, agent_url, enc);
    free(path);
    free(enc);
    return url;
}
