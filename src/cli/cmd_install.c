/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_install(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("install: not built yet");
}

const cli_command cmd_install = {
    "install", "(not built yet)", "usage: minimesos install\n", run_install,
};
