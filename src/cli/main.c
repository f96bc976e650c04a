/* minimesos [--debug] [--quiet] [--help] COMMAND [options]: main() and `help`.
 * What the commands share is in cli.c. */
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
        cli_print_main_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "language") == 0)
        return run_help_language(argc - 1, argv + 1);
    const cli_command *cmd = cli_find_command(argv[1]);
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
            cli_print_main_usage(stdout);
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
        cli_print_main_usage(stdout);
        return 0;
    }
    argc -= i;
    argv += i;
    if (strcmp(argv[0], "help") == 0)
        return run_help(argc, argv);
    const cli_command *cmd = cli_find_command(argv[0]);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
    if (wants_help(argc, argv)) {
        fputs(cmd->usage, stdout);
        return 0;
    }
    optind = 0; /* GNU getopt: reinitialise for the command's own parse */
    return cmd->run(argc, argv);
}
