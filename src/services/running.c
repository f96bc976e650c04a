/* The mm_running handle of a running cluster (minimesos/cluster.h): lookup
 * and release. The engine layer builds it (engine/record.c); every client of
 * the cluster's services reads it. */
#include "minimesos/cluster.h"

#include <stdlib.h>
#include <string.h>

static void member_free(mm_member *m)
{
    free(m->role);
    free(m->container_id);
    free(m->name);
    free(m->ip);
    free(m->url);
    free(m->state);
}

void mm_running_free(mm_running *rc)
{
    if (!rc)
        return;
    for (size_t i = 0; i < rc->n_members; i++)
        member_free(&rc->members[i]);
    free(rc->members);
    free(rc->cluster_id);
    free(rc->dir);
    free(rc->config_path);
    free(rc->gateway);
    free(rc);
}

const mm_member *mm_running_role(const mm_running *rc, const char *role)
{
    for (size_t i = 0; rc && i < rc->n_members; i++)
        if (strcmp(rc->members[i].role, role) == 0)
            return &rc->members[i];
    return NULL;
}
