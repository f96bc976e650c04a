/* What the commands share: the command table, errors and progress on
 * stderr, the colour rule, finding the cluster, number options. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/ast.h" /* MM_MAX_FILE_BYTES */
#include "minimesos/cluster.h"
#include "base/util.h"

bool cli_debug = false;
bool cli_quiet = false;

const cli_command *const cli_commands[] = {
    &cmd_init, &cmd_lint, &cmd_config, &cmd_convert, &cmd_schema, &cmd_fmt, &cmd_lsp,
    &cmd_up, &cmd_run, &cmd_destroy, &cmd_info, &cmd_state, &cmd_ps, &cmd_logs,
    &cmd_install, &cmd_uninstall,
    &cmd_agent, &cmd_stop, &cmd_start, &cmd_wait,
    &cmd_version,
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

void cli_print_main_usage(FILE *out)
{
    fprintf(out, "usage: minimesos [--debug] [--quiet] [--help] COMMAND [options]\n\n"
                 "A local Apache Mesos cluster in Docker containers, described by a minimesosFile.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < cli_n_commands; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fprintf(out, "  %-10s %s\n", "help", "Show a command's usage");
    fprintf(out, "\nRun 'minimesos help COMMAND' or 'minimesos COMMAND --help' for its options,\n"
                 "and 'minimesos help language' for the minimesosFile reference.\n");
}

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

bool cli_use_color(FILE *out)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(fileno(out)) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

/* "minimesos: <message>\n" on stderr. */
static void say(const char *fmt, va_list ap)
{
    fputs("minimesos: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return 1;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    if (cmd)
        fputs(cmd->usage, stderr);
    else
        cli_print_main_usage(stderr);
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
    case MM_EVENT_PLAN:
        /* The plan of changes is output, not progress: standard output. */
        if (report_live_open)
            fputs("\r\033[K", stderr);
        report_live_open = false;
        printf("%s\n", ev->message);
        fflush(stdout);
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

char *cli_read_input(const char *cmd, const char *path, const char **name, size_t *len)
{
    *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    errno = 0;
    char *text = mm_read_all(path, MM_MAX_FILE_BYTES, len);
    if (!text)
        cli_fail("%s: cannot read %s: %s", cmd, *name,
                 errno == EFBIG ? "file too large" : strerror(errno ? errno : EIO));
    return text;
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

