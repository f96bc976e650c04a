/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_config(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("config: not built yet");
}

const cli_command cmd_config = {
    "config", "(not built yet)", "usage: minimesos config\n", run_config,
};
