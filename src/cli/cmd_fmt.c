/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_fmt(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("fmt: not built yet");
}

const cli_command cmd_fmt = {
    "fmt", "(not built yet)", "usage: minimesos fmt\n", run_fmt,
};
