/* minimesos lsp [--stdio]
 * The language server for editors, over standard input and output
 * (minimesos/lsp.h). Messages about the wire go to standard error. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/lsp.h"

static const char usage[] =
    "usage: minimesos lsp [--stdio]\n"
    "\n"
    "Run the minimesosFile language server for editors: JSON-RPC 2.0 over\n"
    "standard input and output (Language Server Protocol 3.17). While a file is\n"
    "edited it reports lint's diagnostics, and it answers hover, completion,\n"
    "formatting, document symbols and quick fixes. Problems with the messages\n"
    "themselves are reported on standard error.\n"
    "\n"
    "  --stdio   use standard input and output (the default and only transport;\n"
    "            accepted because editors pass it)\n"
    "\n"
    "Exit status: 0 after `shutdown` and `exit`; 1 when `exit` comes without\n"
    "`shutdown` or the input ends first; 2 bad command line.\n";

static const struct option options[] = {
    { "stdio", no_argument, NULL, 's' },
    { NULL, 0, NULL, 0 },
};

static void log_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "minimesos lsp: %s\n", line);
}

static int run_lsp(int argc, char **argv)
{
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (ch == 's')
            continue;
        return cli_usage_error(&cmd_lsp, "lsp: unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage_error(&cmd_lsp, "lsp: unexpected argument '%s'", argv[optind]);
    /* a client that goes away must not kill the server mid-write: the
     * write fails and the server ends with status 1 */
    signal(SIGPIPE, SIG_IGN);
    mm_lsp_options o;
    mm_lsp_options_init(&o);
    o.log = log_line;
    return mm_lsp_serve(STDIN_FILENO, STDOUT_FILENO, &o);
}

const cli_command cmd_lsp = {
    .name = "lsp",
    .summary = "Language server for editors (LSP over stdin/stdout)",
    .usage = usage,
    .run = run_lsp,
    .options = options,
};
