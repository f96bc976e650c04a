/* `destroy`: remove every container of the cluster recorded in a folder,
 * found by the record AND by labels (so it works when the record is lost),
 * with their volumes, then the record. Containers go in parallel. */
#include "engine/docker.h"
#include "minimesos/cluster.h"
#include "minimesos/plan.h"
#include "engine/record.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct rm_job {
    mm_docker *d;
    const char *id;
    const char *name;
    char *err;
} rm_job;

static void *rm_one(void *arg)
{
    rm_job *j = arg;
    char *why = NULL;
    if (mm_docker_remove(j->d, j->id, &why) != 0) {
        /* Name the container, not only its id. */
        const char *m = why ? why : "removal failed";
        const char *colon = strncmp(m, "removing container ", 19) == 0 ? strstr(m + 19, ": ") : NULL;
        j->err = mm_xasprintf("removing container %s: %s", j->name, colon ? colon + 2 : m);
        free(why);
    }
    return NULL;
}

int mm_destroy_with(mm_docker *d, const char *dir, const char *id, size_t *removed, char **err)
{
    cJSON *list = NULL;
    char *found = NULL;
    *removed = 0;
    /* Everything labelled with this folder (leftovers of an earlier cluster
     * whose record was lost included) and everything of cluster `id`. */
    if (mm_find_containers(d, dir, id, false, &list, &found, err) != 0)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(list);
    rm_job *jobs = mm_xcalloc(n ? n : 1, sizeof *jobs);
    pthread_t *th = mm_xcalloc(n ? n : 1, sizeof *th);
    bool *started = mm_xcalloc(n ? n : 1, sizeof *started);
    size_t k = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "Id");
        if (!cJSON_IsString(cid))
            continue;
        const cJSON *names = cJSON_GetObjectItemCaseSensitive(c, "Names");
        const cJSON *n0 = cJSON_GetArrayItem(names, 0);
        const char *name = cJSON_IsString(n0) ? n0->valuestring + (n0->valuestring[0] == '/') : cid->valuestring;
        jobs[k] = (rm_job){ d, cid->valuestring, name, NULL };
        started[k] = pthread_create(&th[k], NULL, rm_one, &jobs[k]) == 0;
        if (!started[k])
            rm_one(&jobs[k]);
        k++;
    }
    int ret = 0;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < k; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        if (jobs[i].err) {
            if (sb.len)
                mm_sb_adds(&sb, "\n");
            mm_sb_adds(&sb, jobs[i].err);
            free(jobs[i].err);
            ret = -1;
        } else
            (*removed)++;
    }
    free(jobs);
    free(th);
    free(started);
    cJSON_Delete(list);
    /* Named volumes carrying the cluster's label (anonymous ones went with v=1). */
    const char *vid = id ? id : found;
    if (vid) {
        char *label = mm_xasprintf(MM_LABEL_CLUSTER "=%s", vid);
        char *why = NULL;
        if (mm_docker_remove_volumes(d, label, &why) != 0) {
            if (sb.len)
                mm_sb_adds(&sb, "\n");
            mm_sb_adds(&sb, why ? why : "removing volumes failed");
            ret = -1;
        }
        free(why);
        free(label);
    }
    free(found);
    if (ret != 0) {
        *err = mm_sb_detach(&sb);
        return -1;
    }
    mm_sb_free(&sb);
    mm_record_remove(dir);
    return k ? 0 : MM_NO_CLUSTER;
}

/* Destroy the cluster of folder dir: the recorded one, else whatever the
 * labels say. want_id (a handle's cluster): only when the record, if any,
 * names it. */
static int destroy_in(const char *dir, const char *want_id, char **cluster_id, mm_error *err)
{
    if (cluster_id)
        *cluster_id = NULL;
    if (err)
        *err = (mm_error){ MM_ERR_NONE, NULL };
    char *adir = mm_abs_path(dir);
    char *rec = NULL, *why = NULL;
    bool have = mm_record_read(adir, &rec) == 0;
    const char *id = have ? rec : want_id;
    mm_docker d;
    memset(&d, 0, sizeof d);
    int ret = -1;
    if (want_id && have && strcmp(rec, want_id) != 0) {
        char *path = mm_record_path(adir);
        mm_error_set(err, MM_ERR_NO_CLUSTER,
                     mm_xasprintf("Minimesos cluster %s is no longer the cluster of %s: %s names "
                                  "cluster %s; nothing removed", want_id, adir, path, rec));
        free(path);
        ret = MM_NO_CLUSTER;
        goto out;
    }
    if (mm_engine_open(&d, err) != 0)
        goto out;
    /* Which cluster: the record's, else whatever the labels say. */
    char *found = NULL;
    if (!id) {
        cJSON *list = NULL;
        if (mm_find_containers(&d, adir, NULL, false, &list, &found, &why) != 0)
            goto out;
        cJSON_Delete(list);
    }
    size_t removed = 0;
    int r = mm_destroy_with(&d, adir, id ? id : found, &removed, &why);
    if (r == -1) {
        free(found);
        goto out;
    }
    if (r == MM_NO_CLUSTER) {
        if (have) {
            mm_record_remove(adir);
            mm_error_set(err, MM_ERR_NO_CLUSTER, mm_stale_message(adir, rec));
        } else
            mm_error_set(err, MM_ERR_NO_CLUSTER, mm_xstrdup("Minimesos cluster is not running"));
        free(found);
        ret = MM_NO_CLUSTER;
        goto out;
    }
    if (cluster_id)
        *cluster_id = mm_xstrdup(id ? id : found);
    free(found);
    ret = 0;
out:
    if (why)
        mm_error_set(err, MM_ERR_ENGINE, why);
    mm_docker_free(&d);
    free(adir);
    free(rec);
    return ret;
}

int mm_destroy(const char *dir, char **cluster_id, mm_error *err)
{
    return destroy_in(dir, NULL, cluster_id, err);
}

int mm_running_destroy(const mm_running *rc, mm_error *err)
{
    return destroy_in(rc->dir, rc->cluster_id, NULL, err);
}
