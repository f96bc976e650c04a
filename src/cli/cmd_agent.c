/* minimesos agent add|list|stop|start|remove: the agents of a running cluster. */
#include "cli/cli.h"
#include "minimesos/cluster.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos agent add [--like N] [--count K] [--timeout S]\n"
    "       minimesos agent list\n"
    "       minimesos agent stop ID\n"
    "       minimesos agent start ID [--timeout S]\n"
    "       minimesos agent remove ID\n"
    "\n"
    "Change the agents of the cluster started from this folder while it runs.\n"
    "\n"
    "  add          start more agents like an agent block of the minimesosFile, with\n"
    "               the cluster's labels, and wait until the master counts them active;\n"
    "               if that fails or is interrupted, the agents it started are removed\n"
    "  list         each agent: number, container, state, what the master says of it\n"
    "  stop ID      stop an agent; the master counts it inactive on its own schedule\n"
    "               (`minimesos wait --agents N` waits for that)\n"
    "  start ID     start a stopped agent again, and wait until the master counts it\n"
    "  remove ID    remove an agent and its volume (not the cluster's last agent)\n"
    "\n"
    "ID is an agent's number (the AGENT column of `agent list`), its container id\n"
    "(or a unique prefix of 4 characters or more) or its container name.\n"
    "\n"
    "  --like N       add agents like agent block N of the minimesosFile, counting\n"
    "                 from 0 (default 0, the first)\n"
    "  --count K      add K agents, 1 to 100 (default 1)\n"
    "  --timeout S    seconds to wait for the master (default: the minimesosFile's\n"
    "                 timeout; 0: do not wait)\n"
    "  -q, --quiet    no progress on stderr\n";

enum { O_LIKE = 256, O_COUNT, O_TIMEOUT };
static const struct option options[] = {
    { "like", required_argument, NULL, O_LIKE },
    { "count", required_argument, NULL, O_COUNT },
    { "timeout", required_argument, NULL, O_TIMEOUT },
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
};

static int run_agent(int argc, char **argv)
{
    mm_control_options o;
    mm_control_options_init(&o);
    long like = -1, count = -1;
    bool quiet = cli_quiet;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", options, NULL)) != -1) {
        switch (c) {
        case O_LIKE:
            if ((like = cli_parse_count(optarg, 10000)) < 0)
                return cli_usage_error(&cmd_agent, "--like needs an agent block number from 0, not '%s'", optarg);
            break;
        case O_COUNT:
            if ((count = cli_parse_count(optarg, 100)) < 1)
                return cli_usage_error(&cmd_agent, "--count needs a number from 1 to 100, not '%s'", optarg);
            break;
        case O_TIMEOUT:
            if ((o.timeout = cli_parse_count(optarg, 86400)) < 0)
                return cli_usage_error(&cmd_agent, "--timeout needs a number of seconds from 0 to 86400, not '%s'",
                                       optarg);
            break;
        case 'q': quiet = true; break;
        case ':': return cli_usage_error(&cmd_agent, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_agent, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cmd_agent, "agent needs a subcommand: add, list, stop, start or remove");
    const char *sub = argv[optind++];
    bool is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0;
    bool is_stop = strcmp(sub, "stop") == 0, is_start = strcmp(sub, "start") == 0;
    bool is_remove = strcmp(sub, "remove") == 0;
    if (!is_add && !is_list && !is_stop && !is_start && !is_remove)
        return cli_usage_error(&cmd_agent, "unknown agent subcommand '%s' (add, list, stop, start or remove)", sub);
    bool needs_id = is_stop || is_start || is_remove;
    if (needs_id && optind >= argc)
        return cli_usage_error(&cmd_agent, "agent %s needs an agent: its number, container id or name", sub);
    const char *id = needs_id ? argv[optind++] : NULL;
    if (optind < argc)
        return cli_usage_error(&cmd_agent, "unexpected argument '%s'", argv[optind]);
    if (!is_add && (like >= 0 || count >= 0))
        return cli_usage_error(&cmd_agent, "--like and --count go with agent add");
    if (!is_add && !is_start && o.timeout >= 0)
        return cli_usage_error(&cmd_agent, "--timeout goes with agent add and agent start");

    cli_catch_signals();
    mm_running *rc = NULL;
    if (cli_find_cluster(&rc) != 0)
        return 1;
    if (!quiet)
        o.on_event = cli_report;
    mm_error err = { MM_ERR_NONE, NULL };
    int r = 0, status = 0;
    if (is_list) {
        /* rc is fresh from the engine; the table asks the master. */
        char *table = NULL, *why = NULL;
        if (mm_agent_table(rc, &table, &why) != 0)
            status = cli_fail("agent list: %s", why);
        else
            fputs(table, stdout);
        free(table);
        free(why);
    } else if (is_add) {
        r = mm_agent_add(rc, like < 0 ? 0 : (int)like, count < 0 ? 1 : (int)count, &o, &err);
    } else if (is_stop) {
        r = mm_agent_stop(rc, id, &o, &err);
    } else if (is_start) {
        r = mm_agent_start(rc, id, &o, &err);
    } else {
        r = mm_agent_remove(rc, id, &o, &err);
    }
    cli_report_done();
    if (r != 0) {
        status = cli_fail("agent %s: %s", sub, err.message ? err.message : "failed");
        if (cli_signal())
            status = 128 + cli_signal();
    } else if (is_add) {
        /* The result: every agent, the new ones included. */
        char *table = NULL, *why = NULL;
        if (mm_agent_table(rc, &table, &why) == 0)
            fputs(table, stdout);
        free(table);
        free(why);
    }
    mm_error_free(&err);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_agent = {
    .name = "agent",
    .summary = "Add, list, stop, start or remove the running cluster's agents",
    .usage = usage,
    .run = run_agent,
    .options = options,
};
