/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_destroy(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("destroy: not built yet");
}

const cli_command cmd_destroy = {
    "destroy", "(not built yet)", "usage: minimesos destroy\n", run_destroy,
};
