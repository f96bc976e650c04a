/* The mm_running handle of a running cluster (minimesos/cluster.h): lookup
 * and release. The engine layer builds it (engine/record.c); every client of
 * the cluster's services reads it. And mm_error, which the engine's calls
 * fill (mm_error_set in engine/record.c). */
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

void mm_error_free(mm_error *err)
{
    if (!err)
        return;
    free(err->message);
    err->message = NULL;
    err->code = MM_ERR_NONE;
}

const char *mm_error_code_name(mm_error_code code)
{
    switch (code) {
    case MM_ERR_NONE: return "none";
    case MM_ERR_CONFIG: return "config";
    case MM_ERR_ENGINE_UNREACHABLE: return "engine-unreachable";
    case MM_ERR_ENGINE: return "engine";
    case MM_ERR_IMAGE: return "image";
    case MM_ERR_CONTAINER: return "container";
    case MM_ERR_TIMEOUT: return "timeout";
    case MM_ERR_INTERRUPTED: return "interrupted";
    case MM_ERR_IO: return "io";
    case MM_ERR_LOCKED: return "locked";
    case MM_ERR_ALREADY_RUNNING: return "already-running";
    case MM_ERR_NO_CLUSTER: return "no-cluster";
    case MM_ERR_REAPER: return "reaper";
    case MM_ERR_NOT_FOUND: return "not-found";
    case MM_ERR_REFUSED: return "refused";
    }
    return "unknown";
}
