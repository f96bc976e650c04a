/* minimesos logs --task SUBSTRING [--stderr]: a task's stdout or stderr. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

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

static int show_file(const mm_running *rc, const char *sub, bool use_stderr)
{
    char *content = NULL, *err = NULL;
    size_t len = 0;
    if (mm_task_log(rc, sub, use_stderr, &content, &len, &err) != 0) {
        int status = cli_fail("logs: %s", err ? err : "failed");
        free(err);
        return status;
    }
    fwrite(content, 1, len, stdout);
    free(content);
    return fflush(stdout) == 0 ? 0 : 1;
}

static const struct option options[] = {
    { "task", required_argument, NULL, 't' },
    { "stderr", no_argument, NULL, 'e' },
    { NULL, 0, NULL, 0 },
};

static int run_logs(int argc, char **argv)
{
    const char *task = NULL;
    bool use_stderr = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
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
    .name = "logs",
    .summary = "Print a task's stdout or stderr",
    .usage = usage,
    .run = run_logs,
    .options = options,
};
