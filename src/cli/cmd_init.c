/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_init(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("init: not built yet");
}

const cli_command cmd_init = {
    "init", "(not built yet)", "usage: minimesos init\n", run_init,
};
