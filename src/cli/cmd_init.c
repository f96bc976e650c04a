/* minimesos init: write a minimesosFile with sensible defaults. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "minimesos/minimesos.h"
#include "schema.h"
#include "util.h"

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
    "  --mesos-version V   0.25 0.25.0 0.26 0.27 0.28 0.28.0 0.28.1 or 1.0.0 (default 1.0.0)\n"
    "  --services LIST     optional services to include, comma-separated, from\n"
    "                      marathon,consul,registrator,mesosdns (default all; \"none\")\n"
    "  --no-SERVICE        leave one out (marathon, consul, registrator, mesosdns)\n";

#define EXAMPLE_APP "https://raw.githubusercontent.com/ContainerSolutions/minimesos/" \
                    "e2a43362f4581122762c80d8780d09b567783f1a/apps/weave-scope.json"

static const char header[] =
    "// minimesosFile: a local Mesos cluster in Docker containers, for `minimesos up`.\n"
    "// Written by `minimesos init`. `minimesos lint` checks it; `minimesos config`\n"
    "// prints what it means with every default applied.\n"
    "\n";

enum { SVC_MARATHON = 1, SVC_CONSUL = 2, SVC_REGISTRATOR = 4, SVC_MESOSDNS = 8, SVC_ALL = 15 };

static int parse_services(const char *list, unsigned *out)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        { "marathon", SVC_MARATHON }, { "consul", SVC_CONSUL },
        { "registrator", SVC_REGISTRATOR }, { "mesosdns", SVC_MESOSDNS },
    };
    unsigned set = 0;
    char *copy = xstrdup(list);
    int rc = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        if (strcmp(tok, "none") == 0)
            continue;
        if (strcmp(tok, "all") == 0) {
            set |= SVC_ALL;
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

/* The template model: defaults everywhere, the chosen version, agents and services. */
static mm_cluster *template_cluster(const char *version, long agents, unsigned services)
{
    mm_cluster *c = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    free(c->mesos_version);
    c->mesos_version = xstrdup(version);
    free(c->master->image.tag);
    c->master->image.tag = sc_derived_tag(version);
    mm_cluster_add_default_agents(c, (size_t)agents);
    if (services & SVC_MARATHON) {
        c->marathon = xcalloc(1, sizeof *c->marathon);
        c->marathon->image.name = xstrdup("mesosphere/marathon");
        c->marathon->image.tag = xstrdup("v1.3.5");
        const sc_prop *cmd = sc_prop_find(sc_block_get(SC_B_MARATHON), "cmd");
        c->marathon->cmd = xstrdup(cmd->def_str);
        c->marathon->apps = xmalloc(sizeof *c->marathon->apps);
        c->marathon->apps[0] = xstrdup(EXAMPLE_APP);
        c->marathon->n_apps = 1;
    }
    static const struct { unsigned bit; sc_block_id id; size_t off; } imgs[] = {
        { SVC_CONSUL, SC_B_CONSUL, offsetof(mm_cluster, consul) },
        { SVC_REGISTRATOR, SC_B_REGISTRATOR, offsetof(mm_cluster, registrator) },
        { SVC_MESOSDNS, SC_B_MESOSDNS, offsetof(mm_cluster, mesosdns) },
    };
    for (size_t i = 0; i < sizeof imgs / sizeof imgs[0]; i++) {
        if (!(services & imgs[i].bit))
            continue;
        const sc_block *b = sc_block_get(imgs[i].id);
        mm_image *img = xcalloc(1, sizeof *img);
        img->name = xstrdup(sc_prop_find(b, "imageName")->def_str);
        img->tag = xstrdup(sc_prop_find(b, "imageTag")->def_str);
        *(mm_image **)((char *)c + imgs[i].off) = img;
    }
    return c;
}

/* The template must be what lint accepts: check it before writing. */
static bool self_check(const char *text)
{
    mm_diags d;
    mm_diags_init(&d, "<init>");
    mm_file *f = mm_parse(text, strlen(text), "<init>", &d);
    mm_cluster *c = mm_cluster_build(f, 0, &d);
    bool ok = c && d.len == 0;
    if (!ok)
        mm_diags_print_text(stderr, &d, text, strlen(text), false);
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_free(&d);
    return ok;
}

static int run_init(int argc, char **argv)
{
    enum { O_FORCE = 1, O_STDOUT, O_AGENTS, O_VERSION, O_SERVICES, O_NO_MARATHON, O_NO_CONSUL,
           O_NO_REGISTRATOR, O_NO_MESOSDNS };
    static const struct option opts[] = {
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
    bool force = false, to_stdout = false;
    long agents = 1;
    const char *version = SC_DEFAULT_MESOS_VERSION;
    unsigned services = SVC_ALL, removed = 0;
    int ch, rc;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
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
            bool ok = false;
            for (size_t i = 0; sc_mesos_versions[i]; i++)
                if (strcmp(sc_mesos_versions[i], optarg) == 0)
                    ok = true;
            if (!ok)
                return cli_usage_error(&cmd_init, "init: Mesos version '%s' is not supported "
                                       "(0.25 0.25.0 0.26 0.27 0.28 0.28.0 0.28.1 1.0.0)", optarg);
            version = optarg;
            break;
        }
        case O_SERVICES:
            if ((rc = parse_services(optarg, &services)) != 0)
                return rc;
            break;
        case O_NO_MARATHON: removed |= SVC_MARATHON; break;
        case O_NO_CONSUL: removed |= SVC_CONSUL; break;
        case O_NO_REGISTRATOR: removed |= SVC_REGISTRATOR; break;
        case O_NO_MESOSDNS: removed |= SVC_MESOSDNS; break;
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
    if ((services & SVC_REGISTRATOR) && !(services & SVC_CONSUL))
        return cli_usage_error(&cmd_init, "init: registrator needs consul "
                               "(add consul, or leave registrator out with --no-registrator)");

    mm_cluster *c = template_cluster(version, agents, services);
    char *text = sc_emit_minimesosfile(c, SC_EMIT_TEMPLATE, header);
    mm_cluster_free(c);
    if (!self_check(text)) {
        free(text);
        return cli_fail("init: internal error: the template does not validate");
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
    "init", "Write a minimesosFile with sensible defaults", usage, run_init,
};
