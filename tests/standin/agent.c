/* standin agent: finds the master through the ZooKeeper stand-in, registers
 * and heartbeats every AGENT_HEARTBEAT_MS, "runs" the tasks assigned to it by writing
 * their sandbox files, serves state.json and /files/download. */
#include "standin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The master counts an agent inactive after 2 s without a heartbeat
 * (master.c ACTIVE_MS): eight chances to be heard in that time. */
#define AGENT_HEARTBEAT_MS 250

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static jval *cur_tasks; /* last answer of GET /tasks/for/<id> (array) */
static char my_id[300], my_host[256], my_ip[INET_ADDRSTRLEN], master_addr[128];
static const char *work_dir;
static int my_port;
static int g_argc;
static char **g_argv;

static int mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* a path component must not escape the work dir */
static int safe_component(const char *s)
{
    return s && *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static void task_dir(char *out, size_t n, const char *fwid, const char *tid)
{
    snprintf(out, n, "%s/slaves/%s/frameworks/%s/executors/%s/runs/latest", work_dir, my_id, fwid, tid);
}

static void write_file(const char *path, const char *content)
{
    struct stat st;
    if (stat(path, &st) == 0) return;
    FILE *f = fopen(path, "w");
    if (!f) { logmsg("cannot write %s: %s", path, strerror(errno)); return; }
    fputs(content, f);
    fclose(f);
}

static void launch(const jval *t)
{
    const char *tid = json_getstr(t, "id"), *fwid = json_getstr(t, "framework_id"),
               *cmd = json_getstr(t, "cmd");
    if (!safe_component(tid) || !safe_component(fwid)) return;
    char dir[PATH_MAX], file[PATH_MAX + 16];
    task_dir(dir, sizeof dir, fwid, tid);
    struct stat st;
    if (stat(dir, &st) == 0) return;
    if (mkdir_p(dir) != 0) { logmsg("cannot create %s: %s", dir, strerror(errno)); return; }
    sbuf c;
    sb_init(&c);
    sb_printf(&c, "stdout of %s: %s\n", tid, cmd ? cmd : "");
    snprintf(file, sizeof file, "%s/stdout", dir);
    write_file(file, c.s);
    c.len = 0;
    sb_printf(&c, "stderr of %s\n", tid);
    snprintf(file, sizeof file, "%s/stderr", dir);
    write_file(file, c.s);
    sb_free(&c);
    logmsg("task %s of framework %s running in %s", tid, fwid, dir);
}

static void json_state(sbuf *b)
{
    sb_add(b, "{\"id\":");
    sb_json_str(b, my_id);
    sb_add(b, ",\"hostname\":");
    sb_json_str(b, my_host);
    sb_printf(b, ",\"pid\":\"slave(1)@%s:%d\",\"port\":%d", my_ip, my_port, my_port);
    sb_add(b, ",\"version\":");
    sb_json_str(b, env_or("MINIMESOS_TEST_VERSION", "1.0.0"));
    sb_add(b, ",\"master_hostname\":");
    pthread_mutex_lock(&mu);
    sb_json_str(b, master_addr);
    pthread_mutex_unlock(&mu);
    sb_add(b, ",\"flags\":");
    json_flags(b);
    sb_add(b, ",\"resources\":");
    json_resources(b, getenv("MESOS_RESOURCES"));
    sb_add(b, ",\"attributes\":");
    json_attributes(b, getenv("MESOS_ATTRIBUTES"));
    sb_add(b, ",\"frameworks\":[");
    /* group the tasks by framework id, one executor per task */
    pthread_mutex_lock(&mu);
    int nfw = 0;
    for (const jval *t = cur_tasks ? cur_tasks->kids : NULL; t; t = t->next) {
        const char *fwid = json_getstr(t, "framework_id");
        if (!safe_component(fwid)) continue;
        int seen = 0;
        for (const jval *u = cur_tasks->kids; u != t; u = u->next) {
            const char *f2 = json_getstr(u, "framework_id");
            if (f2 && strcmp(f2, fwid) == 0) seen = 1;
        }
        if (seen) continue;
        if (nfw++) sb_addc(b, ',');
        sb_add(b, "{\"id\":");
        sb_json_str(b, fwid);
        sb_add(b, ",\"name\":");
        sb_json_str(b, fwid);
        sb_add(b, ",\"executors\":[");
        int nex = 0;
        for (const jval *u = t; u; u = u->next) {
            const char *f2 = json_getstr(u, "framework_id"), *tid = json_getstr(u, "id");
            if (!f2 || strcmp(f2, fwid) != 0 || !safe_component(tid)) continue;
            char dir[PATH_MAX];
            task_dir(dir, sizeof dir, fwid, tid);
            if (nex++) sb_addc(b, ',');
            sb_add(b, "{\"id\":");
            sb_json_str(b, tid);
            sb_add(b, ",\"name\":");
            sb_json_str(b, json_getstr(u, "name"));
            sb_add(b, ",\"source\":");
            sb_json_str(b, tid);
            sb_add(b, ",\"directory\":");
            sb_json_str(b, dir);
            sb_add(b, ",\"tasks\":[");
            json_write(b, u);
            sb_add(b, "],\"queued_tasks\":[],\"completed_tasks\":[]}");
        }
        sb_add(b, "],\"completed_executors\":[]}");
    }
    pthread_mutex_unlock(&mu);
    sb_add(b, "],\"completed_frameworks\":[],\"started_with\":{\"argv\":");
    json_argv(b, g_argc, g_argv);
    sb_add(b, ",\"env\":");
    json_env(b);
    sb_add(b, "}}");
}

static void download(const http_req *rq, http_resp *rs)
{
    char path[PATH_MAX], real[PATH_MAX], base[PATH_MAX];
    if (query_param(rq->query, "path", path, sizeof path) != 0) { resp_msg(rs, 400, "missing path"); return; }
    if (!realpath(work_dir, base) || !realpath(path, real)) { resp_msg(rs, 404, "no such file"); return; }
    size_t bl = strlen(base);
    struct stat st;
    if (strncmp(real, base, bl) != 0 || (real[bl] != '/' && real[bl] != 0) || stat(real, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        resp_msg(rs, 404, "no such file under the work directory");
        return;
    }
    FILE *f = fopen(real, "rb");
    if (!f) { resp_msg(rs, 404, "cannot open file"); return; }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && rs->body.len < 64 * 1024 * 1024) sb_addn(&rs->body, buf, n);
    fclose(f);
    rs->status = 200;
    rs->ctype = "application/octet-stream";
}

static void agent_http(const http_req *rq, http_resp *rs)
{
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    if (!get) { resp_msg(rs, 405, "method not allowed"); return; }
    if (strcmp(rq->path, "/state.json") == 0 || strcmp(rq->path, "/slave(1)/state.json") == 0 ||
        strcmp(rq->path, "/slave(1)/state") == 0 || strcmp(rq->path, "/state") == 0 ||
        strcmp(rq->path, "/slave%281%29/state.json") == 0 || strcmp(rq->path, "/slave%281%29/state") == 0) {
        rs->status = 200;
        json_state(&rs->body);
    } else if (strcmp(rq->path, "/files/download") == 0 || strcmp(rq->path, "/files/download.json") == 0) {
        download(rq, rs);
    } else if (strcmp(rq->path, "/health") == 0) {
        rs->status = 200;
    } else {
        resp_msg(rs, 404, "not found");
    }
}

int role_agent(int argc, char **argv)
{
    log_start(argc, argv);
    g_argc = argc;
    g_argv = argv;
    const char *zk = getenv("MESOS_MASTER"), *port_s = getenv("MESOS_PORT");
    struct in_addr zip;
    int zport;
    char path[512];
    if (!zk || parse_zk_url(zk, &zip, &zport, path, sizeof path) != 0) {
        logmsg("MESOS_MASTER missing or malformed (want zk://<ip-or-name>:2181/<path>): %s", zk ? zk : "(unset)");
        return 1;
    }
    char *end;
    long pv = port_s ? strtol(port_s, &end, 10) : 0;
    if (!port_s || *end || pv <= 0 || pv > 65535) {
        logmsg("MESOS_PORT missing or not a port: %s", port_s ? port_s : "(unset)");
        return 1;
    }
    my_port = (int)pv;
    work_dir = env_or("MESOS_WORK_DIR", "/var/lib/mesos");
    own_hostname(my_host, sizeof my_host);
    snprintf(my_id, sizeof my_id, "%s-S0", my_host);
    own_ip(&zip, my_ip);
    if (mkdir_p(work_dir) != 0) logmsg("cannot create work dir %s: %s", work_dir, strerror(errno));
    if (http_serve_bg(my_port, agent_http) != 0) return 1;
    logmsg("agent %s at %s:%d, work dir %s", my_id, my_ip, my_port, work_dir);

    char key[600], leader[128];
    snprintf(key, sizeof key, "%s/leader", path);
    int was_registered = 0;
    long last_log = 0;
    for (;;) {
        int ok = 0;
        struct in_addr mip;
        int mport = 0;
        char *colon;
        if (zk_get(&zip, zport, key, leader, sizeof leader) == 0 && (colon = strchr(leader, ':')) &&
            (*colon = 0, inet_pton(AF_INET, leader, &mip) == 1) && (mport = atoi(colon + 1)) > 0) {
            *colon = ':';
            if (strcmp(leader, master_addr) != 0) {
                pthread_mutex_lock(&mu);
                snprintf(master_addr, sizeof master_addr, "%s", leader);
                pthread_mutex_unlock(&mu);
                logmsg("master leader is %s", leader);
            }
            sbuf body, out;
            sb_init(&body);
            sb_init(&out);
            sb_add(&body, "{\"id\":");
            sb_json_str(&body, my_id);
            sb_add(&body, ",\"hostname\":");
            sb_json_str(&body, my_host);
            sb_add(&body, ",\"ip\":");
            sb_json_str(&body, my_ip);
            sb_printf(&body, ",\"port\":%d,\"resources\":", my_port);
            sb_json_str(&body, env_or("MESOS_RESOURCES", ""));
            sb_add(&body, ",\"attributes\":");
            sb_json_str(&body, env_or("MESOS_ATTRIBUTES", ""));
            sb_addc(&body, '}');
            int st = 0;
            if (http_call(&mip, mport, "POST", "/register", body.s, &st, &out, 3000) == 0 && st == 200) {
                ok = 1;
                if (!was_registered) logmsg("registered with master %s", leader);
                was_registered = 1;
                char tpath[400];
                snprintf(tpath, sizeof tpath, "/tasks/for/%s", my_id);
                if (http_call(&mip, mport, "GET", tpath, NULL, &st, &out, 3000) == 0 && st == 200) {
                    jval *arr = json_parse(out.s, out.len);
                    if (arr && arr->t == J_ARR) {
                        for (const jval *t = arr->kids; t; t = t->next) launch(t);
                        pthread_mutex_lock(&mu);
                        json_free(cur_tasks);
                        cur_tasks = arr;
                        pthread_mutex_unlock(&mu);
                    } else {
                        json_free(arr);
                    }
                }
            }
            sb_free(&body);
            sb_free(&out);
        }
        if (!ok && (now_ms() - last_log > 5000 || !last_log)) {
            logmsg("no master to register with yet (ZooKeeper %s)", zk);
            last_log = now_ms();
            was_registered = 0;
        }
        sleep_ms(AGENT_HEARTBEAT_MS);
    }
}
