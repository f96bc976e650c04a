/* minimesos ps: the tasks of the cluster, from the master's state. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: minimesos ps\n"
    "\n"
    "List the tasks of every framework of the cluster started from this folder, as\n"
    "a table FRAMEWORK TASK STATE PORT (TASK is the task id, which `logs --task`\n"
    "matches; PORT is empty for a task without ports).\n";

static int run_ps(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(&cmd_ps, argv[1][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
                               argv[1]);
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0)
        return r;
    char *err = NULL, *table = NULL;
    int status = 0;
    if (mm_ps(rc, &table, &err) != 0)
        status = cli_fail("ps: %s", err ? err : "failed");
    else
        fputs(table, stdout);
    free(table);
    free(err);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_ps = {
    .name = "ps",
    .summary = "List the cluster's tasks",
    .usage = usage,
    .run = run_ps,
};
