/* minimesos lint [--format text|json|gcc|sarif] [--werror] [--swarm] [FILE...]
 * Parse and validate each file; print every diagnostic. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "minimesos/compose.h"
#include "minimesos/minimesos.h"

static const char usage[] =
    "usage: minimesos lint [--format text|json|gcc|sarif] [--werror] [--swarm] [FILE...]\n"
    "\n"
    "Parse and validate minimesosFiles and print every problem found.\n"
    "With no FILE, checks ./minimesosFile; `-` reads standard input.\n"
    "\n"
    "  --format text   diagnostics with the source line and a caret (default)\n"
    "  --format json   one JSON array of every file's diagnostics\n"
    "  --format gcc    file:line:col: severity: message [code], one a line\n"
    "  --format sarif  SARIF 2.1.0, for code-scanning dashboards\n"
    "  --werror        warnings fail too\n"
    "  --swarm         also warn (W305) about what `docker stack deploy` of\n"
    "                  `config --format stack` cannot honour\n"
    "\n"
    "Exit status: 0 clean, 1 when any file has an error (or a warning with --werror).\n";

enum { FMT_TEXT, FMT_JSON, FMT_GCC, FMT_SARIF };

/* Diagnostics of one file, sorted by position. Returns them; *src_out the text. */
static void lint_one(const char *path, bool swarm, mm_diags *d, mm_file **f_out)
{
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    mm_diags_init(d, shown);
    mm_file *f = mm_parse_path(path, d);
    mm_cluster *c = mm_cluster_build(f, 0, d);
    if (swarm)
        mm_compose_stack_lint(f, c, d);
    mm_cluster_free(c);
    mm_diags_sort(d);
    *f_out = f;
}

static const struct option options[] = {
    { "format", required_argument, NULL, 'f' },
    { "werror", no_argument, NULL, 'W' },
    { "swarm", no_argument, NULL, 's' },
    { NULL, 0, NULL, 0 },
};

static int run_lint(int argc, char **argv)
{
    int format = FMT_TEXT;
    bool werror = false, swarm = false;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                format = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                format = FMT_JSON;
            else if (strcmp(optarg, "gcc") == 0)
                format = FMT_GCC;
            else if (strcmp(optarg, "sarif") == 0)
                format = FMT_SARIF;
            else
                return cli_usage_error(&cmd_lint,
                                       "lint: unknown format '%s' (text, json, gcc or sarif)", optarg);
            break;
        case 'W':
            werror = true;
            break;
        case 's':
            swarm = true;
            break;
        default:
            if (optopt)
                return cli_usage_error(&cmd_lint, "lint: option '%s' needs a value",
                                       argv[optind - 1]);
            return cli_usage_error(&cmd_lint, "lint: unknown option '%s'", argv[optind - 1]);
        }
    }
    char *default_files[] = { "minimesosFile", NULL };
    char **files = optind < argc ? argv + optind : default_files;
    int n_files = optind < argc ? argc - optind : 1;

    bool color = format == FMT_TEXT && cli_use_color(stdout);
    cJSON *all = format == FMT_JSON ? cJSON_CreateArray() : NULL;
    cJSON *sarif = format == FMT_SARIF ? mm_sarif_new() : NULL;
    size_t errors = 0, warnings = 0;
    for (int i = 0; i < n_files; i++) {
        mm_diags d;
        mm_file *f;
        lint_one(files[i], swarm, &d, &f);
        errors += mm_diags_count(&d, MM_SEV_ERROR);
        warnings += mm_diags_count(&d, MM_SEV_WARNING);
        if (format == FMT_TEXT)
            mm_diags_print_text(stdout, &d, f ? f->src : NULL, f ? f->len : 0, color);
        else if (format == FMT_GCC)
            mm_diags_print_gcc(stdout, &d);
        else if (format == FMT_SARIF)
            mm_sarif_add(sarif, &d, strcmp(files[i], "-") == 0 ? NULL : files[i],
                         f ? f->src : NULL, f ? f->len : 0);
        else
            mm_diags_to_json(&d, all);
        mm_diags_free(&d);
        mm_file_free(f);
    }
    if (all) {
        char *s = cJSON_Print(all);
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
        cJSON_Delete(all);
    }
    if (sarif) {
        char *s = mm_json_print(sarif);
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
        cJSON_Delete(sarif);
    }
    if (format == FMT_TEXT && (errors || warnings) && !cli_quiet)
        fprintf(stderr, "lint: %zu error%s, %zu warning%s in %d file%s\n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", n_files,
                n_files == 1 ? "" : "s");
    if (fflush(stdout) != 0)
        return cli_fail("lint: cannot write the report");
    return errors || (werror && warnings) ? 1 : 0;
}

const cli_command cmd_lint = {
    .name = "lint",
    .summary = "Check minimesosFiles and report every problem",
    .usage = usage,
    .run = run_lint,
    .options = options,
};
