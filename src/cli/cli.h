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

/* Parse a non-negative decimal int option value; -1 when invalid. */
long cli_parse_count(const char *s, long max);

/* Every command, in `minimesos help` order; lookup by name; the main usage. */
extern const cli_command *const cli_commands[];
extern const size_t cli_n_commands;
const cli_command *cli_find_command(const char *name);
void cli_print_main_usage(FILE *out);

/* Every command, for the table. */
extern const cli_command cmd_init, cmd_lint, cmd_config, cmd_convert, cmd_fmt,
    cmd_lsp, cmd_up, cmd_destroy, cmd_info, cmd_state, cmd_ps, cmd_logs, cmd_install,
    cmd_uninstall, cmd_version;

#endif
