/* minimesos config [--clusterConfig F] [--format json|minimesosFile]
 * The effective model: defaults applied, master and zookeeper present. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/minimesos.h"

static const char usage[] =
    "usage: minimesos config [--clusterConfig FILE] [--format json|minimesosFile] [--compact]\n"
    "\n"
    "Print the effective cluster: every default applied, image tags derived,\n"
    "logging levels inherited, a master and a zookeeper added where absent.\n"
    "\n"
    "  --clusterConfig FILE   the minimesosFile (default ./minimesosFile; - for stdin)\n"
    "  --format json          JSON, as `up` uses it (default)\n"
    "  --format minimesosFile the same as a canonical minimesosFile\n"
    "  --compact              JSON on one line\n"
    "\n"
    "Problems go to stderr; exit 1 when the file has errors.\n";

static const struct option options[] = {
    { "clusterConfig", required_argument, NULL, 'c' },
    { "format", required_argument, NULL, 'f' },
    { "compact", no_argument, NULL, 'C' },
    { NULL, 0, NULL, 0 },
};

static int run_config(int argc, char **argv)
{
    const char *path = "minimesosFile";
    bool as_file = false, compact = false;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (ch) {
        case 'c':
            path = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                as_file = false;
            else if (strcmp(optarg, "minimesosFile") == 0)
                as_file = true;
            else
                return cli_usage_error(&cmd_config,
                                       "config: unknown format '%s' (json or minimesosFile)", optarg);
            break;
        case 'C':
            compact = true;
            break;
        default:
            if (optopt)
                return cli_usage_error(&cmd_config, "config: option '%s' needs a value",
                                       argv[optind - 1]);
            return cli_usage_error(&cmd_config, "config: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_config, "config: unexpected argument '%s'", argv[optind]);

    mm_diags d;
    mm_diags_init(&d, strcmp(path, "-") == 0 ? "<stdin>" : path);
    mm_file *f = mm_parse_path(path, &d);
    mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &d);
    if (d.len) {
        mm_diags_sort(&d);
        mm_diags_print_text(stderr, &d, f ? f->src : NULL, f ? f->len : 0,
                            cli_use_color(stderr));
    }
    mm_file_free(f);
    int rc = 0;
    if (!c) {
        size_t n = mm_diags_count(&d, MM_SEV_ERROR);
        rc = cli_fail("config: %s has %zu error%s", d.filename, n, n == 1 ? "" : "s");
    } else if (as_file) {
        char *s = mm_cluster_to_minimesosfile(c);
        fputs(s, stdout);
        free(s);
        if (fflush(stdout) != 0)
            rc = cli_fail("config: cannot write the output");
    } else if (mm_cluster_write_json(stdout, c, !compact) != 0) {
        rc = cli_fail("config: cannot write the output");
    }
    mm_cluster_free(c);
    mm_diags_free(&d);
    return rc;
}

const cli_command cmd_config = {
    .name = "config",
    .summary = "Print the effective cluster configuration (JSON or minimesosFile)",
    .usage = usage,
    .run = run_config,
    .options = options,
};
