/* minimesos info: how to reach the cluster recorded in this folder. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: minimesos info\n"
    "\n"
    "Print the cluster's id, Mesos version and service URLs as shell exports:\n"
    "  eval $(minimesos info | grep ^export)\n"
    "With no cluster here it says so on stderr and exits 1.\n";

static int run_info(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(&cmd_info, "unexpected argument '%s'", argv[1]);
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0)
        return r;
    char *version = mm_mesos_version(rc);
    char *text = mm_info_text(rc, version);
    fputs(text, stdout);
    free(text);
    free(version);
    mm_running_free(rc);
    return 0;
}

const cli_command cmd_info = {
    .name = "info",
    .summary = "Show the running cluster's id, version and service URLs",
    .usage = usage,
    .run = run_info,
};
