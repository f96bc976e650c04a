/* minimesos convert [FILE] --to json|minimesosFile: a minimesosFile to its
 * literal JSON form and back (src/convert.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/convert.h"
#include "minimesos/fmt.h"
#include "minimesos/ast.h"
#include "minimesos/diag.h"
#include "base/util.h"

static const char usage[] =
    "usage: minimesos convert [FILE] --to json|minimesosFile\n"
    "\n"
    "Convert a minimesosFile to its literal JSON form, or JSON back to a\n"
    "minimesosFile (in the canonical layout), on standard output. No defaults are\n"
    "added: repeatable blocks (agent app group cpu mem disk ports) are arrays of\n"
    "objects, other blocks objects.\n"
    "\n"
    "  --to json           FILE is a minimesosFile (default: minimesosFile)\n"
    "  --to minimesosFile  FILE is JSON (default: standard input)\n"
    "  FILE -              read standard input\n"
    "\n"
    "Without --to, JSON input (starting with `{`) is converted to a minimesosFile\n"
    "and anything else to JSON.\n"
    "\n"
    "Exit status: 0 converted, 1 the input is invalid or cannot be expressed in\n"
    "the other form, 2 wrong command line.\n";

enum target { TO_GUESS, TO_JSON, TO_FILE };

static void print_diags(mm_diags *d, const char *text, size_t len)
{
    mm_diags_sort(d);
    mm_diags_print_text(stderr, d, text, len, cli_use_color(stderr));
}

static int to_json(const char *name, const char *text, size_t len)
{
    mm_diags d;
    mm_diags_init(&d, name);
    mm_file *f = mm_parse(text, len, name, &d);
    int rc = 0;
    cJSON *j = NULL;
    if (mm_diags_count(&d, MM_SEV_ERROR) == 0)
        j = mm_convert_to_json(f, &d);
    if (!j) {
        print_diags(&d, text, len);
        rc = cli_fail("convert: %s cannot be converted: it has errors", name);
    } else {
        char *out = mm_json_print(j);
        printf("%s\n", out);
        free(out);
        cJSON_Delete(j);
    }
    mm_file_free(f);
    mm_diags_free(&d);
    return rc;
}

static int to_file(const char *name, const char *text, size_t len)
{
    mm_diags d;
    mm_diags_init(&d, name);
    mm_file *f = mm_convert_from_json_text(text, len, name, &d);
    int rc = 0;
    if (!f) {
        print_diags(&d, text, len);
        rc = cli_fail("convert: %s cannot be converted to a minimesosFile", name);
    } else {
        char *out = mm_fmt(f);
        fputs(out, stdout);
        free(out);
        mm_file_free(f);
    }
    mm_diags_free(&d);
    return rc;
}

static const struct option options[] = {
    { "to", required_argument, NULL, 't' },
    { NULL, 0, NULL, 0 },
};

static int run_convert(int argc, char **argv)
{
    enum target to = TO_GUESS;
    const char *file = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 't':
            if (strcmp(optarg, "json") == 0)
                to = TO_JSON;
            else if (strcmp(optarg, "minimesosFile") == 0)
                to = TO_FILE;
            else
                return cli_usage_error(&cmd_convert,
                                       "convert: --to takes json or minimesosFile, not %s", optarg);
            break;
        case ':':
            return cli_usage_error(&cmd_convert, "convert: %s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error(&cmd_convert, "convert: unknown option %s", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (file)
            return cli_usage_error(&cmd_convert, "convert: one FILE at a time (got %s and %s)",
                                   file, argv[i]);
        file = argv[i];
    }
    if (!file)
        file = to == TO_FILE ? "-" : "minimesosFile";
    const char *name;
    size_t len = 0;
    char *text = cli_read_input("convert", file, &name, &len);
    if (!text)
        return 1;
    if (to == TO_GUESS) {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            i++;
        to = i < len && (text[i] == '{' || text[i] == '[') ? TO_FILE : TO_JSON;
    }
    int rc = to == TO_JSON ? to_json(name, text, len) : to_file(name, text, len);
    free(text);
    return rc;
}

const cli_command cmd_convert = {
    .name = "convert",
    .summary = "Convert a minimesosFile to JSON and back",
    .usage = usage,
    .run = run_convert,
    .options = options,
};
