/* minimesos logs --task SUBSTRING [--stderr]: a task's stdout or stderr. */
#include "cli/cli.h"
#include "minimesos/cluster.h"
#include "http.h"
#include "tasks.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos logs --task SUBSTRING [--stderr]\n"
    "\n"
    "Print the stdout (or with --stderr the stderr) of the task whose id contains\n"
    "SUBSTRING (see `minimesos ps`), read from its sandbox on its agent. A task id\n"
    "equal to SUBSTRING is chosen even when others contain it; otherwise several\n"
    "matches are listed and nothing is printed.\n";

/* The agent's address as minimesos reaches it: the member of role agent with
 * the task's agent's IP (its URL may be a published host address), else the
 * address from the master's state. */
static const char *agent_base(const mm_running *rc, const mm_task_ref *t)
{
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        if (m->role && strcmp(m->role, "agent") == 0 && m->ip && m->url && t->agent_host
            && strcmp(m->ip, t->agent_host) == 0)
            return m->url;
    }
    return t->agent_url;
}

static int show_file(const mm_running *rc, const char *sub, bool use_stderr)
{
    char *json = NULL, *err = NULL, *dir = NULL, *url = NULL;
    mm_task_ref t = { 0 };
    mm_http_response resp = { 0 };
    int status = 1;
    if (mm_state_json(rc, NULL, &json, &err) != 0) {
        cli_fail("logs: %s", err ? err : "the master's state is not available");
        goto out;
    }
    if (mm_task_find(json, sub, &t, &err) != 0) {
        cli_fail("logs: %s", err);
        goto out;
    }
    free(json);
    json = NULL;
    if (mm_state_json(rc, t.slave_id, &json, &err) != 0) {
        cli_fail("logs: task %s: the state of its agent %s: %s", t.task_id, t.slave_id,
                 err ? err : "not available");
        goto out;
    }
    if (mm_executor_directory(json, t.framework_id, t.task_id, &dir, &err) != 0) {
        cli_fail("logs: %s", err);
        goto out;
    }
    url = mm_sandbox_file_url(agent_base(rc, &t), dir, use_stderr);
    if (cli_debug)
        fprintf(stderr, "minimesos: logs: GET %s\n", url);
    mm_http_request req = { .url = url, .timeout_ms = 60000 };
    if (mm_http_do(&req, &resp, &err) != 0) {
        cli_fail("logs: task %s: agent %s: %s", t.task_id, t.slave_id, err);
        goto out;
    }
    if (resp.status != 200) {
        cli_fail("logs: task %s: the agent answered %ld for %s/%s", t.task_id, resp.status, dir,
                 use_stderr ? "stderr" : "stdout");
        goto out;
    }
    fwrite(resp.body, 1, resp.len, stdout);
    status = fflush(stdout) == 0 ? 0 : 1;
out:
    mm_http_response_free(&resp);
    mm_task_ref_free(&t);
    free(url);
    free(dir);
    free(json);
    free(err);
    return status;
}

static int run_logs(int argc, char **argv)
{
    const char *task = NULL;
    bool use_stderr = false;
    static const struct option opts[] = {
        { "task", required_argument, NULL, 't' },
        { "stderr", no_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 't': task = optarg; break;
        case 'e': use_stderr = true; break;
        case ':': return cli_usage_error(&cmd_logs, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_logs, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_logs, "unexpected argument '%s'", argv[optind]);
    if (!task || !*task)
        return cli_usage_error(&cmd_logs, "--task SUBSTRING is required");
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0)
        return r;
    int status = show_file(rc, task, use_stderr);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_logs = {
    "logs", "Print a task's stdout or stderr", usage, run_logs,
};
