/* minimesos init: write a minimesosFile with sensible defaults. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "minimesos/minimesos.h"
#include "base/util.h"

static const char usage[] =
    "usage: minimesos init [--force] [--stdout | -] [--agents N] [--mesos-version V]\n"
    "                      [--services LIST] [--no-marathon] [--no-consul]\n"
    "                      [--no-registrator] [--no-mesosdns]\n"
    "\n"
    "Write ./minimesosFile: a master, a zookeeper, N agents and the optional\n"
    "services, every value at its default, each property with a comment.\n"
    "\n"
    "  --force             overwrite an existing minimesosFile\n"
    "  --stdout, -         write to standard output instead\n"
    "  --agents N          number of agents (default 1)\n"
    "  --mesos-version V   the cluster's mesosVersion (default 1.0.0); `minimesos help\n"
    "                      language` lists the supported versions\n"
    "  --services LIST     optional services to include, comma-separated, from\n"
    "                      marathon,consul,registrator,mesosdns (default all; \"none\")\n"
    "  --no-marathon       leave Marathon out\n"
    "  --no-consul         leave Consul out (and so registrator, which needs it)\n"
    "  --no-registrator    leave Registrator out\n"
    "  --no-mesosdns       leave Mesos-DNS out\n";

static int parse_services(const char *list, unsigned *out)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        { "marathon", MM_SVC_MARATHON }, { "consul", MM_SVC_CONSUL },
        { "registrator", MM_SVC_REGISTRATOR }, { "mesosdns", MM_SVC_MESOSDNS },
    };
    unsigned set = 0;
    char *copy = mm_xstrdup(list);
    int rc = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        if (strcmp(tok, "none") == 0)
            continue;
        if (strcmp(tok, "all") == 0) {
            set |= MM_SVC_ALL;
            continue;
        }
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(tok, names[i].name) == 0)
                break;
        if (i == sizeof names / sizeof names[0]) {
            rc = cli_usage_error(&cmd_init, "init: unknown service '%s' "
                                 "(marathon, consul, registrator, mesosdns)", tok);
            break;
        }
        set |= names[i].bit;
    }
    free(copy);
    *out = set;
    return rc;
}

enum { O_FORCE = 1, O_STDOUT, O_AGENTS, O_VERSION, O_SERVICES, O_NO_MARATHON, O_NO_CONSUL,
       O_NO_REGISTRATOR, O_NO_MESOSDNS };

static const struct option options[] = {
    { "force", no_argument, NULL, O_FORCE },
    { "stdout", no_argument, NULL, O_STDOUT },
    { "agents", required_argument, NULL, O_AGENTS },
    { "mesos-version", required_argument, NULL, O_VERSION },
    { "services", required_argument, NULL, O_SERVICES },
    { "no-marathon", no_argument, NULL, O_NO_MARATHON },
    { "no-consul", no_argument, NULL, O_NO_CONSUL },
    { "no-registrator", no_argument, NULL, O_NO_REGISTRATOR },
    { "no-mesosdns", no_argument, NULL, O_NO_MESOSDNS },
    { NULL, 0, NULL, 0 },
};

static int run_init(int argc, char **argv)
{
    bool force = false, to_stdout = false;
    long agents = 1;
    const char *version = NULL; /* the default */
    unsigned services = MM_SVC_ALL, removed = 0;
    int ch, rc;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (ch) {
        case O_FORCE: force = true; break;
        case O_STDOUT: to_stdout = true; break;
        case O_AGENTS:
            agents = cli_parse_count(optarg, 1000);
            if (agents < 0)
                return cli_usage_error(&cmd_init, "init: --agents needs a number from 0 to 1000, "
                                       "not '%s'", optarg);
            break;
        case O_VERSION: {
            if (!mm_mesos_version_supported(optarg)) {
                char list[256] = "";
                for (const char *const *v = mm_mesos_versions(); *v; v++)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                             v == mm_mesos_versions() ? "" : " ", *v);
                return cli_usage_error(&cmd_init, "init: Mesos version '%s' is not supported (%s)",
                                       optarg, list);
            }
            version = optarg;
            break;
        }
        case O_SERVICES:
            if ((rc = parse_services(optarg, &services)) != 0)
                return rc;
            break;
        case O_NO_MARATHON: removed |= MM_SVC_MARATHON; break;
        case O_NO_CONSUL: removed |= MM_SVC_CONSUL; break;
        case O_NO_REGISTRATOR: removed |= MM_SVC_REGISTRATOR; break;
        case O_NO_MESOSDNS: removed |= MM_SVC_MESOSDNS; break;
        default:
            if (optopt)
                return cli_usage_error(&cmd_init, "init: option '%s' needs a value",
                                       argv[optind - 1]);
            return cli_usage_error(&cmd_init, "init: unknown option '%s'", argv[optind - 1]);
        }
    }
    for (; optind < argc; optind++) {
        if (strcmp(argv[optind], "-") == 0)
            to_stdout = true;
        else
            return cli_usage_error(&cmd_init, "init: unexpected argument '%s'", argv[optind]);
    }
    services &= ~removed;
    if ((services & MM_SVC_REGISTRATOR) && !(services & MM_SVC_CONSUL))
        return cli_usage_error(&cmd_init, "init: registrator needs consul "
                               "(add consul, or leave registrator out with --no-registrator)");

    char *err = NULL;
    char *text = mm_init_template(version, (size_t)agents, services, &err);
    if (!text) {
        rc = cli_fail("init: %s", err);
        free(err);
        return rc;
    }
    rc = 0;
    if (to_stdout) {
        fputs(text, stdout);
        if (fflush(stdout) != 0)
            rc = cli_fail("init: cannot write to standard output");
    } else {
        FILE *out = fopen("minimesosFile", force ? "w" : "wx");
        if (!out && errno == EEXIST)
            rc = cli_fail("init: minimesosFile already exists here; use --force to overwrite it");
        else if (!out)
            rc = cli_fail("init: cannot write minimesosFile: %s", strerror(errno));
        else {
            fputs(text, out);
            if (fclose(out) != 0)
                rc = cli_fail("init: cannot write minimesosFile: %s", strerror(errno));
            else
                cli_progress("wrote minimesosFile: edit it, then run `minimesos up`");
        }
    }
    free(text);
    return rc;
}

const cli_command cmd_init = {
    .name = "init",
    .summary = "Write a minimesosFile with sensible defaults",
    .usage = usage,
    .run = run_init,
    .options = options,
};
