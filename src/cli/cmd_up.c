/* minimesos up: start the cluster the minimesosFile describes. Its options
 * are run's too (cli_up_option). */
#include "cli/cli.h"
#include "minimesos/cluster.h"
#include "minimesos/minimesos.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos up [options]\n"
    "\n"
    "Start the cluster a minimesosFile describes, wait until it is ready, deploy its\n"
    "Marathon apps and print how to reach it (as `info` does).\n"
    "\n"
    CLI_UP_USAGE_LINES
    "  --retain                 when up fails or is interrupted, keep what it created\n"
    "                           (and say how to remove it with `minimesos destroy`)\n"
    "  --cleanup-on-failure     when up fails, remove what it created (the default)\n"
    "  --rm-on-failure          the same as --cleanup-on-failure\n"
    "  --dry-run                print the planned engine requests as JSON; on a running\n"
    "                           cluster, the changes up would make to it (no change made)\n"
    "  --format text|json       the form of those changes (default text)\n"
    "  --swarm                  spread the cluster over the nodes of a Docker swarm: an\n"
    "                           overlay network on the manager (DOCKER_HOST), each\n"
    "                           container on its node's engine (docs/cluster.md)\n"
    "  --engine URL             with --swarm, one a node: unix://PATH or tcp://HOST:PORT,\n"
    "                           numbered from 0 (default: DOCKER_HOST alone)\n"
    "  --place RULE             with --swarm: ROLE=N puts ROLE's containers on engine N,\n"
    "                           agent:K=N agent K (default: agents round-robin, the rest on 0)\n"
    "  -q, --quiet              no progress on stderr\n";

static const struct option options[] = {
    CLI_UP_OPTIONS,
    { "dry-run", no_argument, NULL, CLI_UP_DRY },
    { "format", required_argument, NULL, 'f' },
    { "swarm", no_argument, NULL, CLI_UP_SWARM },
    { "engine", required_argument, NULL, CLI_UP_ENGINE },
    { "place", required_argument, NULL, CLI_UP_PLACE },
    { NULL, 0, NULL, 0 },
};

int cli_up_option(const cli_command *cmd, int c, int argc, char **argv, mm_up_options *o, bool *quiet)
{
    switch (c) {
    case CLI_UP_CONFIG: o->config_path = optarg; return 0;
    case CLI_UP_MAP:
        /* Also "--mapPortsToHost true|false" (the historical form). */
        if (!optarg && optind < argc &&
            (strcmp(argv[optind], "true") == 0 || strcmp(argv[optind], "false") == 0))
            optarg = argv[optind++];
        if (!optarg || strcmp(optarg, "true") == 0)
            o->map_ports_to_host = 1;
        else if (strcmp(optarg, "false") == 0)
            o->map_ports_to_host = 0;
        else
            return cli_usage_error(cmd, "--mapPortsToHost takes true or false, not '%s'", optarg);
        return 0;
    case CLI_UP_NUM:
        if ((o->num_agents = cli_parse_count(optarg, 10000)) < 0)
            return cli_usage_error(cmd, "--num-agents needs a number from 0 to 10000, not '%s'", optarg);
        return 0;
    case CLI_UP_TIMEOUT:
        if ((o->timeout = cli_parse_count(optarg, 86400)) <= 0)
            return cli_usage_error(cmd, "--timeout needs a number of seconds from 1 to 86400, not '%s'", optarg);
        return 0;
    case CLI_UP_PULL:
        if (strcmp(optarg, "missing") == 0)
            o->pull = MM_PULL_MISSING;
        else if (strcmp(optarg, "always") == 0)
            o->pull = MM_PULL_ALWAYS;
        else if (strcmp(optarg, "never") == 0)
            o->pull = MM_PULL_NEVER;
        else
            return cli_usage_error(cmd, "--pull takes missing, always or never, not '%s'", optarg);
        return 0;
    case CLI_UP_BIND:
        if (!*optarg)
            return cli_usage_error(cmd, "--bind-address needs an address");
        o->bind_address = optarg;
        return 0;
    /* The last of --retain and --cleanup-on-failure wins. */
    case CLI_UP_CLEAN: o->retain = false; return 0;
    case CLI_UP_RETAIN: o->retain = true; return 0;
    case 'q': *quiet = true; return 0;
    }
    return -1;
}

static void report_plan_only(const mm_event *ev, void *user)
{
    if (ev->kind == MM_EVENT_PLAN)
        cli_report(ev, user);
}
/* How many --engine and --place an up takes. */
#define MAX_ENGINES 256
#define MAX_PLACE 1024

static int run_up(int argc, char **argv)
{
    mm_up_options o;
    mm_up_options_init(&o);
    static const char *engines[MAX_ENGINES], *place[MAX_PLACE];
    bool quiet = cli_quiet, dry_run = false, json = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", options, NULL)) != -1) {
        int r = cli_up_option(&cmd_up, c, argc, argv, &o, &quiet);
        if (r >= 0) {
            if (r)
                return r;
            continue;
        }
        switch (c) {
        case CLI_UP_DRY: dry_run = true; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                json = false;
            else if (strcmp(optarg, "json") == 0)
                json = true;
            else
                return cli_usage_error(&cmd_up, "--format takes text or json, not '%s'", optarg);
            break;
        case CLI_UP_SWARM: o.swarm = true; break;
        case CLI_UP_ENGINE:
            if (strncmp(optarg, "unix://", 7) != 0 && strncmp(optarg, "tcp://", 6) != 0 &&
                strncmp(optarg, "https://", 8) != 0 && strncmp(optarg, "http://", 7) != 0)
                return cli_usage_error(&cmd_up, "--engine takes unix://PATH or tcp://HOST:PORT, not '%s'", optarg);
            if (o.n_engines == MAX_ENGINES)
                return cli_usage_error(&cmd_up, "at most %d --engine", MAX_ENGINES);
            engines[o.n_engines++] = optarg;
            o.engines = engines;
            break;
        case CLI_UP_PLACE:
            if (o.n_place == MAX_PLACE)
                return cli_usage_error(&cmd_up, "at most %d --place", MAX_PLACE);
            place[o.n_place++] = optarg;
            o.place = place;
            break;
        case ':': return cli_usage_error(&cmd_up, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_up, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_up, "unexpected argument '%s'", argv[optind]);
    if (json && !dry_run)
        return cli_usage_error(&cmd_up, "--format goes with --dry-run");
    if (!o.swarm && (o.n_engines || o.n_place))
        return cli_usage_error(&cmd_up, "--%s needs --swarm", o.n_engines ? "engine" : "place");
    if (o.swarm && dry_run)
        return cli_usage_error(&cmd_up, "--dry-run does not show --swarm's placement; drop one");

    cli_catch_signals();

    /* The plan of changes to a running cluster is printed even with -q. */
    o.on_event = quiet ? report_plan_only : cli_report;
    mm_running *rc = NULL;
    mm_error err;
    char *plan = NULL;
    int r;
    if (dry_run) {
        /* A running cluster: the changes up would make. Otherwise (or
         * without an engine to ask) what a new cluster would be. */
        r = mm_up_changes(&o, json, &plan, &err);
        if (r == MM_ALREADY_RUNNING)
            r = 0;
        if (r == MM_NO_CLUSTER || (r == -1 && err.code == MM_ERR_ENGINE_UNREACHABLE)) {
            mm_error_free(&err);
            r = mm_up_dry_run(&o, &plan, &err);
        }
    } else {
        r = mm_up(&o, &rc, &err);
    }
    cli_report_done();
    int status;
    if (r == 0 && dry_run) {
        printf("%s\n", plan);
        status = 0;
    } else if (r == 0 || r == MM_ALREADY_RUNNING) {
        if (r == MM_ALREADY_RUNNING)
            printf("%s\n", err.message ? err.message : "Cluster is already running");
        if (rc) {
            char *version = r == 0 ? mm_mesos_version(rc) : NULL;
            if (r == 0) {
                char *text = mm_info_text(rc, version);
                fputs(text, stdout);
                free(text);
            }
            free(version);
        }
        status = 0;
    } else {
        fprintf(stderr, "minimesos: %s\n", err.message ? err.message : "up failed");
        /* Ended by a signal (after the clean-up): 128+N, as shells expect. */
        status = cli_signal() ? 128 + cli_signal() : 1;
    }
    free(plan);
    mm_error_free(&err);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_up = {
    .name = "up",
    .summary = "Start the cluster the minimesosFile describes",
    .usage = usage,
    .run = run_up,
    .options = options,
};
