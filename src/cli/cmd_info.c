/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_info(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("info: not built yet");
}

const cli_command cmd_info = {
    "info", "(not built yet)", "usage: minimesos info\n", run_info,
};
