/* minimesos destroy: remove the cluster recorded in this folder. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "usage: minimesos destroy\n"
    "\n"
    "Remove every container of the cluster started from this folder (found by its\n"
    "record in .minimesos/ and by the containers' labels), with their volumes, and\n"
    "the record. With nothing running it says so and succeeds.\n";

static int run_destroy(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(&cmd_destroy, "unexpected argument '%s'", argv[1]);
    char *id = NULL;
    mm_error err;
    cli_catch_signals();
    int r = mm_destroy(NULL, &id, &err);
    int status = 0;
    if (r == 0)
        printf("Destroyed minimesos cluster %s\n", id);
    else if (r == MM_NO_CLUSTER)
        printf("%s\n", err.message);
    else
        status = cli_fail("%s", err.message ? err.message : "destroy failed");
    /* Ended by a signal: 128+N, as shells expect (what is left is said). */
    if (r == -1 && cli_signal())
        status = 128 + cli_signal();
    free(id);
    mm_error_free(&err);
    return status;
}

const cli_command cmd_destroy = {
    .name = "destroy",
    .summary = "Remove the cluster started from this folder",
    .usage = usage,
    .run = run_destroy,
};
