/* PLACEHOLDER: replaced by the real command. */
#include "cli/cli.h"

static int run_convert(int argc, char **argv)
{
    (void)argc; (void)argv;
    return cli_fail("convert: not built yet");
}

const cli_command cmd_convert = {
    "convert", "(not built yet)", "usage: minimesos convert\n", run_convert,
};
