/* minimesos config [--clusterConfig F] [--format json|minimesosFile|compose|stack]
 * The effective model: defaults applied, master and zookeeper present; or
 * the containers `up` would start, as a compose file. */
#include <getopt.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/util.h"
#include "minimesos/compose.h"
#include "minimesos/minimesos.h"

static const char usage[] =
    "usage: minimesos config [--clusterConfig FILE] [--format json|minimesosFile|compose|stack]\n"
    "                        [--compact] [--bind-address ADDR]\n"
    "\n"
    "Print the effective cluster: every default applied, image tags derived,\n"
    "logging levels inherited, a master and a zookeeper added where absent.\n"
    "\n"
    "  --clusterConfig FILE   the minimesosFile (default ./minimesosFile; - for stdin)\n"
    "  --format json          JSON, as `up` uses it (default)\n"
    "  --format minimesosFile the same as a canonical minimesosFile\n"
    "  --format compose       the containers `up` would start, as a compose file\n"
    "                         for docker-compose (a new cluster id each time)\n"
    "  --format stack         the same for `docker stack deploy` (what a swarm\n"
    "                         cannot honour is left out, with a comment)\n"
    "  --bind-address ADDR    compose, stack: where published ports are bound\n"
    "                         (default 127.0.0.1)\n"
    "  --compact              JSON on one line\n"
    "\n"
    "Problems go to stderr; exit 1 when the file has errors.\n";

static const struct option options[] = {
    { "clusterConfig", required_argument, NULL, 'c' },
    { "format", required_argument, NULL, 'f' },
    { "compact", no_argument, NULL, 'C' },
    { "bind-address", required_argument, NULL, 'b' },
    { NULL, 0, NULL, 0 },
};

/* The plan `up` would make (a fresh cluster id, one distinct number per
 * container), written as a compose file. */
static int write_compose(const mm_cluster *c, mm_compose_mode mode, const char *bind)
{
    char cid[16];
    snprintf(cid, sizeof cid, "%u", mm_random_u32());
    size_t n = mm_plan_count(c, -1);
    char **uuids = calloc(n ? n : 1, sizeof *uuids);
    if (!uuids)
        return cli_fail("config: out of memory");
    for (size_t i = 0; i < n; i++) {
        char u[16];
        bool dup;
        do {
            snprintf(u, sizeof u, "%u", mm_random_u32());
            dup = false;
            for (size_t k = 0; k < i; k++)
                dup |= strcmp(uuids[k], u) == 0;
        } while (dup);
        uuids[i] = mm_xstrdup(u);
    }
    mm_plan_options po = {
        .cluster_id = cid, .uuids = (const char *const *)uuids, .n_uuids = n,
        .num_agents = -1, .map_ports_to_host = -1, .bind_address = bind,
    };
    char *why = NULL;
    mm_plan *plan = mm_plan_build(c, &po, &why);
    for (size_t i = 0; i < n; i++)
        free(uuids[i]);
    free(uuids);
    int rc = 0;
    if (!plan) {
        rc = cli_fail("config: %s", why ? why : "cannot plan the cluster");
    } else {
        char *text = mm_compose_write(plan, mode);
        fputs(text, stdout);
        free(text);
        if (fflush(stdout) != 0)
            rc = cli_fail("config: cannot write the output");
    }
    free(why);
    mm_plan_free(plan);
    return rc;
}

static int run_config(int argc, char **argv)
{
    const char *path = "minimesosFile";
    enum { AS_JSON, AS_FILE, AS_COMPOSE, AS_STACK } as = AS_JSON;
    bool compact = false;
    const char *bind = NULL;
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (ch) {
        case 'c':
            path = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                as = AS_JSON;
            else if (strcmp(optarg, "minimesosFile") == 0)
                as = AS_FILE;
            else if (strcmp(optarg, "compose") == 0)
                as = AS_COMPOSE;
            else if (strcmp(optarg, "stack") == 0)
                as = AS_STACK;
            else
                return cli_usage_error(&cmd_config,
                                       "config: unknown format '%s' (json, minimesosFile, compose or stack)",
                                       optarg);
            break;
        case 'C':
            compact = true;
            break;
        case 'b':
            if (!*optarg)
                return cli_usage_error(&cmd_config, "config: --bind-address needs an address");
            bind = optarg;
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
    if (bind && as != AS_COMPOSE && as != AS_STACK)
        return cli_usage_error(&cmd_config, "config: --bind-address is for --format compose or stack");

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
    } else if (as == AS_COMPOSE || as == AS_STACK) {
        mm_cluster_set_source(c, path);
        rc = write_compose(c, as == AS_STACK ? MM_COMPOSE_STACK : MM_COMPOSE_FILE, bind);
    } else if (as == AS_FILE) {
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
