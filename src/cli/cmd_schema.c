/* minimesos schema [--for config|convert]
 * The JSON Schema of a JSON output, generated from the schema table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "minimesos/minimesos.h"

static const char usage[] =
    "usage: minimesos schema [--for config|convert]\n"
    "\n"
    "Print the JSON Schema (draft 2020-12) of a JSON output of minimesos,\n"
    "generated from the table that checks minimesosFiles.\n"
    "\n"
    "  --for config    the JSON of the effective cluster (default)\n"
    "  --for convert   the literal JSON form of a minimesosFile\n"
    "\n"
    "`config --format json` prints the first, `convert --to json` the second.\n"
    "\n"
    "Exit status: 0 printed, 2 bad command line.\n";

static const struct option options[] = {
    { "for", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
};

static int run_schema(int argc, char **argv)
{
    bool convert = false;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "config") == 0)
                convert = false;
            else if (strcmp(optarg, "convert") == 0)
                convert = true;
            else
                return cli_usage_error(&cmd_schema, "schema: unknown output '%s' (config or convert)",
                                       optarg);
            break;
        default:
            if (optopt)
                return cli_usage_error(&cmd_schema, "schema: option '%s' needs a value",
                                       argv[optind - 1]);
            return cli_usage_error(&cmd_schema, "schema: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cmd_schema, "schema: unexpected argument '%s'", argv[optind]);
    cJSON *s = convert ? mm_convert_json_schema() : mm_cluster_json_schema();
    char *text = mm_json_print(s);
    cJSON_Delete(s);
    fputs(text, stdout);
    fputc('\n', stdout);
    free(text);
    if (fflush(stdout) != 0)
        return cli_fail("schema: cannot write the output");
    return 0;
}

const cli_command cmd_schema = {
    .name = "schema",
    .summary = "Print the JSON Schema of config's or convert's JSON",
    .usage = usage,
    .run = run_schema,
    .options = options,
};
