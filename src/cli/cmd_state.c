/* minimesos state [--agent ID]: the master's (or an agent's) state.json. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos state [--agent ID]\n"
    "\n"
    "Print the master's state.json, or with --agent that agent's (ID is an agent id\n"
    "or hostname), as JSON on stdout.\n";

static const struct option options[] = {
    { "agent", required_argument, NULL, 'a' },
    { NULL, 0, NULL, 0 },
};

static int run_state(int argc, char **argv)
{
    const char *agent = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'a': agent = optarg; break;
        case ':': return cli_usage_error(&cmd_state, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_state, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_state, "unexpected argument '%s'", argv[optind]);
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0)
        return r;
    char *err = NULL;
    char *json = NULL;
    int status = 0;
    if (mm_state_json(rc, agent, &json, &err) == 0) {
        fputs(json, stdout);
        if (!*json || json[strlen(json) - 1] != '\n')
            fputc('\n', stdout);
    } else
        status = cli_fail("state: %s", err);
    free(json);
    free(err);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_state = {
    .name = "state",
    .summary = "Print the master's or an agent's state.json",
    .usage = usage,
    .run = run_state,
    .options = options,
};
