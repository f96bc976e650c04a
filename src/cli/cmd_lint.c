/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_lint(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("lint: not built yet");
}

const cli_command cmd_lint = {
    "lint", "(not built yet)", "usage: minimesos lint\n", run_lint,
};
