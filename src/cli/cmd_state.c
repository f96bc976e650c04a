/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_state(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("state: not built yet");
}

const cli_command cmd_state = {
    "state", "(not built yet)", "usage: minimesos state\n", run_state,
};
