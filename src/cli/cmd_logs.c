/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_logs(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("logs: not built yet");
}

const cli_command cmd_logs = {
    "logs", "(not built yet)", "usage: minimesos logs\n", run_logs,
};
