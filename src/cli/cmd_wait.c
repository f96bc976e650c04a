/* minimesos wait: block until the running cluster reports a condition. */
#include "cli/cli.h"
#include "minimesos/cluster.h"
#include "base/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: minimesos wait [--agents N] [--task SUBSTRING [--state STATE]] [--app ID]\n"
    "                      [--timeout S]\n"
    "\n"
    "Block until the cluster started from this folder reports every condition\n"
    "given, then exit 0; after the timeout exit 1, saying what it saw last.\n"
    "\n"
    "  --agents N          the master counts exactly N agents active (activated_slaves)\n"
    "  --task SUBSTRING    a task whose id contains SUBSTRING is in --state\n"
    "  --state STATE       that task state (default TASK_RUNNING)\n"
    "  --app ID            the Marathon app ID runs all its instances, healthy when it\n"
    "                      has health checks\n"
    "  --timeout S         seconds to wait (default 60; 0: ask once)\n"
    "  -q, --quiet         no progress on stderr\n";

enum { O_AGENTS = 256, O_TASK, O_STATE, O_APP, O_TIMEOUT };
static const struct option options[] = {
    { "agents", required_argument, NULL, O_AGENTS },
    { "task", required_argument, NULL, O_TASK },
    { "state", required_argument, NULL, O_STATE },
    { "app", required_argument, NULL, O_APP },
    { "timeout", required_argument, NULL, O_TIMEOUT },
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
};

/* Every condition given, asked in turn; what each saw, joined. */
typedef struct conditions {
    long agents;            /* -1: not asked */
    mm_wait_task task;      /* substring NULL: not asked */
    const char *app;
    char *last;             /* what was seen last (malloc'd) */
} conditions;

static bool all_hold(const mm_running *rc, const char *state, void *user, char **seen)
{
    conditions *c = user;
    bool ok = true;
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "");
    for (int k = 0; k < 3; k++) {
        char *s = NULL;
        bool held;
        if (k == 0 && c->agents >= 0)
            held = mm_wait_agents(rc, state, &c->agents, &s);
        else if (k == 1 && c->task.substring)
            held = mm_wait_task_state(rc, state, &c->task, &s);
        else if (k == 2 && c->app)
            held = mm_wait_app_healthy(rc, state, (void *)c->app, &s);
        else
            continue;
        ok &= held;
        if (s)
            mm_sb_addf(&sb, "%s%s", sb.len ? "; " : "", s);
        free(s);
    }
    if (!sb.len && !state) {
        const mm_member *m = mm_running_role(rc, "master");
        if (m && m->state && strcmp(m->state, "running") != 0)
            mm_sb_addf(&sb, "the master is not running (%s)", m->state);
        else
            mm_sb_adds(&sb, "the master does not answer");
    }
    free(c->last);
    c->last = mm_xstrdup(sb.buf);
    *seen = sb.len ? mm_sb_detach(&sb) : (mm_sb_free(&sb), NULL);
    return ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_wait(int argc, char **argv)
{
    conditions cond = { .agents = -1 };
    long timeout = 60;
    bool quiet = cli_quiet;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q", options, NULL)) != -1) {
        switch (c) {
        case O_AGENTS:
            if ((cond.agents = cli_parse_count(optarg, 100000)) < 0)
                return cli_usage_error(&cmd_wait, "--agents needs a number from 0, not '%s'", optarg);
            break;
        case O_TASK:
            if (!*optarg)
                return cli_usage_error(&cmd_wait, "--task needs a part of a task id");
            cond.task.substring = optarg;
            break;
        case O_STATE:
            if (!*optarg)
                return cli_usage_error(&cmd_wait, "--state needs a task state such as TASK_RUNNING");
            cond.task.state = optarg;
            break;
        case O_APP:
            if (!*optarg)
                return cli_usage_error(&cmd_wait, "--app needs a Marathon app id");
            cond.app = optarg;
            break;
        case O_TIMEOUT:
            if ((timeout = cli_parse_count(optarg, 86400)) < 0)
                return cli_usage_error(&cmd_wait, "--timeout needs a number of seconds from 0 to 86400, not '%s'",
                                       optarg);
            break;
        case 'q': quiet = true; break;
        case ':': return cli_usage_error(&cmd_wait, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_wait, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_wait, "unexpected argument '%s'", argv[optind]);
    if (cond.task.state && !cond.task.substring)
        return cli_usage_error(&cmd_wait, "--state goes with --task");
    if (cond.agents < 0 && !cond.task.substring && !cond.app)
        return cli_usage_error(&cmd_wait, "wait for what? Give --agents, --task or --app");

    strbuf what = STRBUF_INIT;
    mm_sb_adds(&what, "");
    if (cond.agents >= 0)
        mm_sb_addf(&what, "%ld active agent%s", cond.agents, cond.agents == 1 ? "" : "s");
    if (cond.task.substring)
        mm_sb_addf(&what, "%stask '%s' %s", what.len ? ", " : "", cond.task.substring,
                   cond.task.state ? cond.task.state : "TASK_RUNNING");
    if (cond.app)
        mm_sb_addf(&what, "%sapp %s healthy", what.len ? ", " : "", cond.app);

    cli_catch_signals();
    mm_running *rc = NULL;
    if (cli_find_cluster(&rc) != 0) {
        mm_sb_free(&what);
        return 1;
    }
    if (!quiet)
        cli_progress("Waiting (up to %ld s) for %s", timeout, what.buf);
    /* In rounds of 2 s, reading the cluster again between them: a master
     * started again meanwhile (by another process) may have a new address. */
    double deadline = now_s() + (double)timeout;
    int status = 0;
    for (;;) {
        double left = deadline - now_s();
        long round = left <= 0 ? 0 : left < 2 ? (long)(left * 1000) + 1 : 2000;
        mm_error err;
        int r = mm_wait_for(rc, all_hold, &cond, what.buf, round, &err);
        if (r == 0) {
            printf("%s\n", cond.last ? cond.last : what.buf);
            break;
        }
        if (err.code == MM_ERR_INTERRUPTED) {
            cli_fail("wait: interrupted while waiting for %s; last seen: %s", what.buf,
                     cond.last ? cond.last : "nothing");
            status = cli_signal() ? 128 + cli_signal() : 1;
            mm_error_free(&err);
            break;
        }
        mm_error_free(&err);
        if (now_s() >= deadline) {
            status = cli_fail("wait: timed out after %ld s waiting for %s; last seen: %s", timeout, what.buf,
                              cond.last ? cond.last : "nothing");
            break;
        }
        mm_error e2;
        if (mm_cluster_refresh(rc, &e2) == MM_NO_CLUSTER) {
            status = cli_fail("wait: %s", e2.message);
            mm_error_free(&e2);
            break;
        }
        mm_error_free(&e2);
    }
    free(cond.last);
    mm_sb_free(&what);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_wait = {
    .name = "wait",
    .summary = "Wait for a number of active agents, a task state or a healthy app",
    .usage = usage,
    .run = run_wait,
    .options = options,
};
