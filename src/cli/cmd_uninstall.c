/* minimesos uninstall --app ID | --group ID */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos uninstall (--app ID | --group ID)\n"
    "\n"
    "Remove a Marathon app or group (and its tasks) from the cluster's Marathon.\n"
    "Marathon's answer is printed on stdout; its error message (such as an app that\n"
    "does not exist) on stderr, with exit status 1.\n";

static const struct option options[] = {
    { "app", required_argument, NULL, 'a' },
    { "group", required_argument, NULL, 'g' },
    { NULL, 0, NULL, 0 },
};

static int run_uninstall(int argc, char **argv)
{
    const char *kind = NULL, *id = NULL;
    int n = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'a': kind = "app"; id = optarg; n++; break;
        case 'g': kind = "group"; id = optarg; n++; break;
        case ':': return cli_usage_error(&cmd_uninstall, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_uninstall, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_uninstall, "unexpected argument '%s'", argv[optind]);
    if (n != 1)
        return cli_usage_error(&cmd_uninstall, "give one of --app ID and --group ID");
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0)
        return r;
    char *err = NULL;
    char *answer = NULL;
    int status = 0;
    if (mm_marathon_uninstall(rc, kind, id, &answer, &err) == 0) {
        fputs(answer, stdout);
        if (!*answer || answer[strlen(answer) - 1] != '\n')
            fputc('\n', stdout);
    } else {
        status = cli_fail("uninstall: %s", err ? err : "failed");
    }
    free(answer);
    free(err);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_uninstall = {
    .name = "uninstall",
    .summary = "Remove a Marathon app or group from the cluster",
    .usage = usage,
    .run = run_uninstall,
    .options = options,
};
