/* The minimesos program: a thin layer of commands over libminimesos.
 * One file a command (src/cli/cmd_*.c), each defining a cli_command with its
 * usage text next to its option table; main.c dispatches. Commands use the
 * public headers (include/minimesos/) for everything the library does, and
 * src/util.h only for its generic helpers (allocation, strbuf, reading a
 * file), as git's builtins use strbuf. */
#ifndef MINIMESOS_CLI_H
#define MINIMESOS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct option;

typedef struct cli_command {
    const char *name;
    const char *summary;    /* one line for `minimesos help` */
    const char *usage;      /* full usage text, ends with a newline */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const struct option *options;      /* its getopt_long table (NULL: none); the
                                          usage names every one (tests/unit/test_cli.c) */
} cli_command;

/* Global options, set by main before dispatch. */
extern bool cli_debug;      /* --debug: every HTTP request traced on stderr */
extern bool cli_quiet;      /* --quiet: no progress on stderr */

/* Colour on out only when it is a terminal, NO_COLOR is unset or empty
 * (no-color.org) and TERM is not "dumb". The one rule for every command. */
bool cli_use_color(FILE *out);

/* "minimesos: <what failed>: <why>" on stderr; returns 1 (the work failed). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A one-line command-line error plus the command's usage on stderr; returns 2. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Progress on stderr (silenced by --quiet). */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The library's events (minimesos/cluster.h mm_event_fn) on stderr, as the
 * program has always shown them: progress as plain lines, or on a terminal
 * one live line rewritten per step; warnings as lines that stay; image pull
 * lines (byte-count updates on a terminal only). user: unused. */
struct mm_event;
void cli_report(const struct mm_event *ev, void *user);
/* End the live line cli_report may have left open on a terminal. */
void cli_report_done(void);

/* Find the cluster recorded in the current folder for a command that talks
 * to it. Returns 0 with *rc set, or the exit status (1) after saying why on
 * stderr: "Cluster ID is not found in <path>", the stale-record message, or
 * "minimesos: cannot reach the Docker engine at ...". */
struct mm_running;
int cli_find_cluster(struct mm_running **rc);

/* Read a minimesosFile or JSON input ("-": standard input) for command cmd,
 * up to the language's file size limit. *name: how to call it in messages
 * ("<stdin>" or the path). NULL after saying why on stderr. malloc'd. */
char *cli_read_input(const char *cmd, const char *path, const char **name, size_t *len);

/* For commands that clean up before they stop (up, destroy, run): SIGINT
 * and SIGTERM ask the library to stop (mm_interrupt) instead of killing the
 * process; a second one kills it at once. cli_signal() is the first signal
 * that arrived, 0 when none did; a command it ended exits 128 + that number
 * (130 for SIGINT, 143 for SIGTERM), as shells expect. */
void cli_catch_signals(void);
int cli_signal(void);
/* For run: while pid (> 0) runs, pass every SIGINT and SIGTERM that a
 * process sent to minimesos on to it, and nothing else (not the library's
 * interrupt). One that the terminal sent (Ctrl-C) reached pid already, in
 * the same process group: it is only recorded. 0 goes back to the above,
 * counting signals afresh. Call with the signals blocked around the fork. */
void cli_forward_signals(int pid);

/* up's options, which run takes too: the entries of both getopt tables,
 * the lines of both usage texts (--retain and --cleanup-on-failure apart:
 * their meaning is worded per command), and their handling. */
enum { CLI_UP_CONFIG = 256, CLI_UP_MAP, CLI_UP_NUM, CLI_UP_TIMEOUT, CLI_UP_PULL, CLI_UP_BIND,
       CLI_UP_CLEAN, CLI_UP_RETAIN, CLI_UP_DRY, CLI_UP_SWARM, CLI_UP_ENGINE, CLI_UP_PLACE };
#define CLI_UP_OPTIONS                                                  \
    { "clusterConfig", required_argument, NULL, CLI_UP_CONFIG },       \
    { "mapPortsToHost", optional_argument, NULL, CLI_UP_MAP },         \
    { "num-agents", required_argument, NULL, CLI_UP_NUM },             \
    { "numAgents", required_argument, NULL, CLI_UP_NUM },              \
    { "timeout", required_argument, NULL, CLI_UP_TIMEOUT },            \
    { "pull", required_argument, NULL, CLI_UP_PULL },                  \
    { "bind-address", required_argument, NULL, CLI_UP_BIND },          \
    { "retain", no_argument, NULL, CLI_UP_RETAIN },                    \
    { "cleanup-on-failure", no_argument, NULL, CLI_UP_CLEAN },         \
    { "rm-on-failure", no_argument, NULL, CLI_UP_CLEAN },              \
    { "quiet", no_argument, NULL, 'q' }
#define CLI_UP_USAGE_LINES                                                                   \
    "  --clusterConfig PATH     the minimesosFile (default: minimesosFile)\n"                 \
    "  --mapPortsToHost         publish master, zookeeper, marathon and consul ports\n"       \
    "  --num-agents N           run N agents (the file's first N, then default agents)\n"    \
    "  --numAgents N            the historical name of --num-agents\n"                        \
    "  --timeout S              seconds to wait for the cluster (default: the file's timeout)\n" \
    "  --pull POLICY            missing (default), always or never\n"                        \
    "  --bind-address ADDR      host address for published ports (default 127.0.0.1)\n"
struct mm_up_options;
/* Apply option c (getopt_long's answer; optarg, optind as it left them;
 * argc: the end of the options) to o and *quiet. Returns 0 when applied, 2
 * after a usage error of cmd (the exit status), -1 when c is none of up's
 * options (the caller handles it: ':', '?', its own). */
int cli_up_option(const cli_command *cmd, int c, int argc, char **argv, struct mm_up_options *o,
                  bool *quiet);

/* Parse a non-negative decimal int option value; -1 when invalid. */
long cli_parse_count(const char *s, long max);

/* Every command, in `minimesos help` order; lookup by name; the main usage. */
extern const cli_command *const cli_commands[];
extern const size_t cli_n_commands;
const cli_command *cli_find_command(const char *name);
void cli_print_main_usage(FILE *out);

/* Every command, for the table. */
extern const cli_command cmd_init, cmd_lint, cmd_config, cmd_convert, cmd_schema, cmd_fmt, cmd_lsp,
    cmd_up, cmd_run, cmd_destroy, cmd_info, cmd_state, cmd_ps, cmd_logs, cmd_install,
    cmd_uninstall, cmd_version;
/* Changing a running cluster (cmd_agent.c, cmd_role.c, cmd_wait.c). */
extern const cli_command cmd_agent, cmd_stop, cmd_start, cmd_wait;

#endif
