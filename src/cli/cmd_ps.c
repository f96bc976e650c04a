/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_ps(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("ps: not built yet");
}

const cli_command cmd_ps = {
    "ps", "(not built yet)", "usage: minimesos ps\n", run_ps,
};
