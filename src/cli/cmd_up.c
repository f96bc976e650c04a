/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_up(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("up: not built yet");
}

const cli_command cmd_up = {
    "up", "(not built yet)", "usage: minimesos up\n", run_up,
};
