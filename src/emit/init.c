/* The minimesosFile `minimesos init` writes: the default cluster with the
 * chosen Mesos version, agents and optional services, emitted from the schema
 * table with a comment on every property. */
#include "minimesos/model.h"
#include "model/schema.h"
#include "base/util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* An app every Marathon user knows, so the template shows how `app` looks. */
#define EXAMPLE_APP "https://raw.githubusercontent.com/ContainerSolutions/minimesos/" \
                    "e2a43362f4581122762c80d8780d09b567783f1a/apps/weave-scope.json"

static const char header[] =
    "// minimesosFile: a local Mesos cluster in Docker containers, for `minimesos up`.\n"
    "// Written by `minimesos init`. `minimesos lint` checks it; `minimesos config`\n"
    "// prints what it means with every default applied.\n"
    "\n";

bool mm_mesos_version_supported(const char *version)
{
    for (size_t i = 0; mm_sc_mesos_versions[i]; i++)
        if (strcmp(mm_sc_mesos_versions[i], version) == 0)
            return true;
    return false;
}

/* The optional services of `init` and their blocks. */
static const struct { unsigned bit; sc_block_id id; } service_blocks[] = {
    { MM_SVC_MARATHON, SC_B_MARATHON },
    { MM_SVC_CONSUL, SC_B_CONSUL },
    { MM_SVC_REGISTRATOR, SC_B_REGISTRATOR },
    { MM_SVC_MESOSDNS, SC_B_MESOSDNS },
};

static unsigned service_bit(sc_block_id id)
{
    for (size_t i = 0; i < sizeof service_blocks / sizeof service_blocks[0]; i++)
        if (service_blocks[i].id == id)
            return service_blocks[i].bit;
    return 0;
}

/* The template model: defaults everywhere, the chosen version, agents and services. */
static mm_cluster *template_cluster(const char *version, size_t agents, unsigned services)
{
    mm_cluster *c = mm_cluster_new_default(0);
    free(c->mesos_version);
    c->mesos_version = mm_xstrdup(version);
    c->master = mm_sc_new_default(mm_sc_block_get(SC_B_MASTER), c);
    c->zookeeper = mm_sc_new_default(mm_sc_block_get(SC_B_ZOOKEEPER), c);
    mm_cluster_add_default_agents(c, agents);
    for (size_t i = 0; i < sizeof service_blocks / sizeof service_blocks[0]; i++) {
        if (!(services & service_blocks[i].bit))
            continue;
        const sc_block *b = mm_sc_block_get(service_blocks[i].id);
        *(void **)((char *)c + b->at) = mm_sc_new_default(b, c);
    }
    if (c->marathon) {
        c->marathon->apps = mm_xmalloc(sizeof *c->marathon->apps);
        c->marathon->apps[0] = mm_xstrdup(EXAMPLE_APP);
        c->marathon->n_apps = 1;
    }
    return c;
}

/* The template must be what lint accepts: check it before handing it out. */
static bool self_check(const char *text, char **err)
{
    mm_diags d;
    mm_diags_init(&d, "<init>");
    mm_file *f = mm_parse(text, strlen(text), "<init>", &d);
    mm_cluster *c = mm_cluster_build(f, 0, &d);
    bool ok = c && d.len == 0;
    if (!ok)
        *err = mm_xasprintf("internal error: the template does not validate (%s)",
                         d.len ? d.items[0].message : "no model");
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_free(&d);
    return ok;
}

char *mm_init_template(const char *mesos_version, size_t agents, unsigned services, char **err)
{
    *err = NULL;
    if (!mesos_version)
        mesos_version = SC_DEFAULT_MESOS_VERSION;
    if (!mm_mesos_version_supported(mesos_version)) {
        *err = mm_xasprintf("Mesos version '%s' is not supported", mesos_version);
        return NULL;
    }
    for (size_t i = 0; i < sizeof service_blocks / sizeof service_blocks[0]; i++) {
        const sc_block *b = mm_sc_block_get(service_blocks[i].id);
        if ((services & service_blocks[i].bit) && b->requires != SC_B__COUNT &&
            !(services & service_bit(b->requires))) {
            *err = mm_xasprintf("%s needs %s", b->name, mm_sc_block_get(b->requires)->name);
            return NULL;
        }
    }
    mm_cluster *c = template_cluster(mesos_version, agents, services);
    char *text = mm_sc_emit_minimesosfile(c, SC_EMIT_TEMPLATE, header);
    mm_cluster_free(c);
    if (!self_check(text, err)) {
        free(text);
        return NULL;
    }
    return text;
}
