/* minimesos [--debug] [--quiet] [--help] COMMAND [options] */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/minimesos.h"
#include "minimesos/cluster.h"

bool cli_debug = false;
bool cli_quiet = false;

static const cli_command *const commands[] = {
    &cmd_init, &cmd_lint, &cmd_config, &cmd_convert, &cmd_fmt,
    &cmd_up, &cmd_destroy, &cmd_info, &cmd_state, &cmd_ps, &cmd_logs,
    &cmd_install, &cmd_uninstall, &cmd_version,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_main_usage(FILE *out)
{
    fprintf(out, "usage: minimesos [--debug] [--quiet] [--help] COMMAND [options]\n\n"
                 "A local Apache Mesos cluster in Docker containers, described by a minimesosFile.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "  %-10s %s\n", "help", "Show a command's usage");
    fprintf(out, "\nRun 'minimesos help COMMAND' or 'minimesos COMMAND --help' for its options,\n"
                 "and 'minimesos help language' for the minimesosFile reference.\n");
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

bool cli_use_color(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(fileno(out)) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("minimesos: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("minimesos: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd)
        fputs(cmd->usage, stderr);
    else
        print_main_usage(stderr);
    return 2;
}

void cli_progress(const char *fmt, ...)
{
    if (cli_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int report_tty = -1;   /* stderr is a terminal; -1: not asked yet */
static bool report_live_open;  /* a live line is on screen without its newline */

void cli_report(const mm_event *ev, void *user)
{
    (void)user;
    if (report_tty < 0)
        report_tty = isatty(2) == 1;
    switch (ev->kind) {
    case MM_EVENT_PROGRESS:
        /* On a terminal one live line rewritten per step, otherwise lines. */
        if (report_tty)
            fprintf(stderr, "\r\033[K%s", ev->message);
        else
            fprintf(stderr, "%s\n", ev->message);
        fflush(stderr);
        report_live_open = report_tty;
        break;
    case MM_EVENT_WARNING:
        /* A line that stays (not overwritten by the live line). */
        fprintf(stderr, "%s%s\n", report_tty ? "\r\033[K" : "", ev->message);
        report_live_open = false;
        break;
    case MM_EVENT_PULL:
        /* Skip the byte-by-byte progress lines on a pipe; keep each step. */
        if (!ev->progress || report_tty)
            fprintf(stderr, "%s\n", ev->message);
        break;
    }
}

void cli_report_done(void)
{
    if (report_live_open)
        fputc('\n', stderr);
    report_live_open = false;
}

int cli_find_cluster(mm_running **rc)
{
    mm_error err;
    int r = mm_running_find(NULL, rc, &err);
    if (r == 0) {
        mm_error_free(&err); /* a note such as a restored record is not an error */
        return 0;
    }
    if (r == MM_NO_CLUSTER)
        fprintf(stderr, "%s\n", err.message ? err.message : "no minimesos cluster here");
    else
        cli_fail("%s", err.message ? err.message : "cannot find the cluster");
    mm_error_free(&err);
    return 1;
}

long cli_parse_count(const char *s, long max)
{
    if (!s || !*s)
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0 || v > max || *s == '-' || *s == '+')
        return -1;
    return v;
}

/* `COMMAND --help` anywhere before a "--" prints usage on stdout, exit 0. */
static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

/* `help language [--format markdown|man]`: the language reference,
 * generated from the schema table (docs/language.md, minimesosFile(5)). */
static int run_help_language(int argc, char **argv)
{
    const char *format = "markdown";
    if (argc == 3 && strcmp(argv[1], "--format") == 0)
        format = argv[2];
    else if (argc == 2 && strncmp(argv[1], "--format=", 9) == 0)
        format = argv[1] + 9;
    else if (argc != 1)
        return cli_usage_error(NULL, "usage: minimesos help language [--format markdown|man]");
    char *text = mm_language_reference(format);
    if (!text)
        return cli_usage_error(NULL, "unknown format '%s' (markdown or man)", format);
    fputs(text, stdout);
    free(text);
    return 0;
}

static int run_help(int argc, char **argv)
{
    if (argc < 2) {
        print_main_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "language") == 0)
        return run_help_language(argc - 1, argv + 1);
    const cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
    fputs(cmd->usage, stdout);
    return 0;
}

/* True when the current folder has a record of a cluster whose containers
 * still exist. A stale record is reported (and removed by mm_running_find);
 * on an engine error, `info` reports it. */
static bool cluster_running_here(void)
{
    if (!mm_cluster_recorded(NULL))
        return false;
    mm_running *rc = NULL;
    mm_error err;
    int r = mm_running_find(NULL, &rc, &err);
    mm_running_free(rc);
    if (r == MM_NO_CLUSTER && err.message)
        fprintf(stderr, "%s\n", err.message);
    mm_error_free(&err);
    return r == 0 || r == -1;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--debug") == 0)
            cli_debug = true;
        else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0)
            cli_quiet = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_main_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            return cmd_version.run(1, (char *[]){ "version", NULL });
        } else
            return cli_usage_error(NULL, "unknown option '%s'", argv[i]);
    }
    if (cli_debug)
        mm_set_trace(stderr);
    if (i == argc) {
        /* Bare `minimesos`: info when a cluster runs here, else the usage. */
        if (cluster_running_here())
            return cmd_info.run(1, (char *[]){ "info", NULL });
        print_main_usage(stdout);
        return 0;
    }
    argc -= i;
    argv += i;
    if (strcmp(argv[0], "help") == 0)
        return run_help(argc, argv);
    const cli_command *cmd = find_command(argv[0]);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
    if (wants_help(argc, argv)) {
        fputs(cmd->usage, stdout);
        return 0;
    }
    optind = 0; /* GNU getopt: reinitialise for the command's own parse */
    return cmd->run(argc, argv);
}
