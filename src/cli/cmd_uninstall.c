/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_uninstall(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("uninstall: not built yet");
}

const cli_command cmd_uninstall = {
    "uninstall", "(not built yet)", "usage: minimesos uninstall\n", run_uninstall,
};
