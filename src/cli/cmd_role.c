/* minimesos stop ROLE / start ROLE: one role's container of a running cluster. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char stop_usage[] =
    "usage: minimesos stop ROLE\n"
    "\n"
    "Stop the container of ROLE in the cluster started from this folder: master,\n"
    "marathon, zookeeper, consul, registrator or mesosdns (agents one by one:\n"
    "`minimesos agent stop ID`). The other containers keep running; `start`\n"
    "starts it again, `destroy` removes it with the rest.\n"
    "\n"
    "  -q, --quiet    no progress on stderr\n";

static const char start_usage[] =
    "usage: minimesos start ROLE [--timeout S]\n"
    "\n"
    "Start the stopped container of ROLE (master, marathon, zookeeper, consul,\n"
    "registrator or mesosdns) in the cluster started from this folder, and wait\n"
    "until it is ready as `up` waits: the master answering and counting every\n"
    "running agent, Marathon answering. ZooKeeper, Consul and Mesos-DNS are\n"
    "reached by the IP they had: when the engine gives them another, start fails\n"
    "and says so (destroy and up again).\n"
    "\n"
    "  --timeout S    seconds to wait (default: the minimesosFile's timeout; 0: do\n"
    "                 not wait)\n"
    "  -q, --quiet    no progress on stderr\n";

enum { O_TIMEOUT = 256 };
static const struct option stop_options[] = {
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
};
static const struct option start_options[] = {
    { "timeout", required_argument, NULL, O_TIMEOUT },
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
};

static int run_role(const cli_command *cmd, bool start, int argc, char **argv)
{
    mm_control_options o;
    mm_control_options_init(&o);
    bool quiet = cli_quiet;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", cmd->options, NULL)) != -1) {
        switch (c) {
        case O_TIMEOUT:
            if ((o.timeout = cli_parse_count(optarg, 86400)) < 0)
                return cli_usage_error(cmd, "--timeout needs a number of seconds from 0 to 86400, not '%s'", optarg);
            break;
        case 'q': quiet = true; break;
        case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cmd, "%s needs a role: master, marathon, zookeeper, consul, registrator or mesosdns",
                               cmd->name);
    const char *role = argv[optind++];
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);

    cli_catch_signals();
    mm_running *rc = NULL;
    if (cli_find_cluster(&rc) != 0)
        return 1;
    if (!quiet)
        o.on_event = cli_report;
    mm_error err;
    int r = start ? mm_role_start(rc, role, &o, &err) : mm_role_stop(rc, role, &o, &err);
    cli_report_done();
    int status = 0;
    if (r != 0) {
        status = cli_fail("%s %s: %s", cmd->name, role, err.message ? err.message : "failed");
        if (cli_signal())
            status = 128 + cli_signal();
    }
    mm_error_free(&err);
    mm_running_free(rc);
    return status;
}

static int run_stop(int argc, char **argv)
{
    return run_role(&cmd_stop, false, argc, argv);
}

static int run_start(int argc, char **argv)
{
    return run_role(&cmd_start, true, argc, argv);
}

const cli_command cmd_stop = {
    .name = "stop",
    .summary = "Stop the master, Marathon, ZooKeeper or a service of the cluster",
    .usage = stop_usage,
    .run = run_stop,
    .options = stop_options,
};

const cli_command cmd_start = {
    .name = "start",
    .summary = "Start a stopped role of the cluster again, wait until it is ready",
    .usage = start_usage,
    .run = run_start,
    .options = start_options,
};
