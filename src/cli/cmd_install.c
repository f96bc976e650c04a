/* minimesos install --app F | --group F | --marathonFile F | --stdin [--update] */
#include "cli/cli.h"
#include "minimesos/cluster.h"
#include "base/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: minimesos install (--app F | --group F | --marathonFile F | --stdin) [--update]\n"
    "\n"
    "Send a Marathon app or group definition to the cluster's Marathon, after\n"
    "replacing the ${MINIMESOS_*} tokens in it (${MINIMESOS_MASTER},\n"
    "${MINIMESOS_MASTER_IP}, ${MINIMESOS_MASTER_PORT} and so on for every role,\n"
    "${MINIMESOS_NETWORK_GATEWAY}, ${MINIMESOS_HOST_DIR}).\n"
    "\n"
    "  --app F           an app definition: a path (relative to the current folder)\n"
    "                    or an http(s) URL\n"
    "  --group F         a group definition, path or URL\n"
    "  --marathonFile F  the old name of --app\n"
    "  --stdin           read the definition from standard input; it is a group when\n"
    "                    it has \"apps\" or \"groups\" (and no \"cmd\"), else an app\n"
    "  --update          update an existing app or group (PUT) instead of creating it\n"
    "\n"
    "Marathon's answer is printed on stdout; its error message, if any, on stderr.\n";

#define STDIN_MAX (4u << 20)

static const struct option options[] = {
    { "app", required_argument, NULL, 'a' },
    { "group", required_argument, NULL, 'g' },
    { "marathonFile", required_argument, NULL, 'm' },
    { "stdin", no_argument, NULL, 's' },
    { "update", no_argument, NULL, 'u' },
    { NULL, 0, NULL, 0 },
};

static int run_install(int argc, char **argv)
{
    const char *kind = NULL, *source = NULL;
    bool from_stdin = false, update = false;
    int n_sources = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'a': case 'm': kind = "app"; source = optarg; n_sources++; break;
        case 'g': kind = "group"; source = optarg; n_sources++; break;
        case 's': from_stdin = true; n_sources++; break;
        case 'u': update = true; break;
        case ':': return cli_usage_error(&cmd_install, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cmd_install, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_install, "unexpected argument '%s'", argv[optind]);
    if (n_sources == 0)
        return cli_usage_error(&cmd_install, "say what to install: --app, --group, --marathonFile or --stdin");
    if (n_sources > 1)
        return cli_usage_error(&cmd_install, "give one of --app, --group, --marathonFile and --stdin");
    if (source && !*source)
        return cli_usage_error(&cmd_install, "the definition's path or URL is empty");

    char *text = NULL;
    if (from_stdin) {
        size_t len = 0;
        text = mm_read_all("-", STDIN_MAX, &len);
        if (!text)
            return cli_fail("install: standard input: %s",
                            errno == EFBIG ? "larger than 4 MiB" : strerror(errno));
    }
    mm_running *rc = NULL;
    int r = cli_find_cluster(&rc);
    if (r != 0) {
        free(text);
        return r;
    }
    char *err = NULL;
    char *answer = NULL;
    if (from_stdin)
        r = mm_marathon_install_text(rc, NULL, text, update, &answer, &err);
    else
        r = mm_marathon_install(rc, kind, source, NULL, update, &answer, &err);
    int status = 0;
    if (r == 0) {
        fputs(answer, stdout);
        if (!*answer || answer[strlen(answer) - 1] != '\n')
            fputc('\n', stdout);
    } else {
        status = cli_fail("install: %s%s", from_stdin ? "standard input: " : "", err ? err : "failed");
    }
    free(answer);
    free(err);
    free(text);
    mm_running_free(rc);
    return status;
}

const cli_command cmd_install = {
    .name = "install",
    .summary = "Install a Marathon app or group on the cluster",
    .usage = usage,
    .run = run_install,
    .options = options,
};
