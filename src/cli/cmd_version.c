#include <stdio.h>
#include "cli/cli.h"
#include "minimesos/minimesos.h"

static int run_version(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(&cmd_version, "unexpected argument '%s'", argv[1]);
    printf("%s\n", MINIMESOS_VERSION);
    return 0;
}

const cli_command cmd_version = {
    .name = "version",
    .summary = "Print the version",
    .usage = "usage: minimesos version\n\nPrints the version of minimesos.\n",
    .run = run_version,
};
