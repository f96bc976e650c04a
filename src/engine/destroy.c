/* `destroy`: remove every container of the cluster recorded in a folder,
 * found by the record AND by labels (so it works when the record is lost),
 * with their volumes and networks, then the record. Containers go in
 * parallel, at most MM_DOCKER_WORKERS at once. A destroyed cluster's reaper
 * (reaper.c) is told that there is nothing left for it to do. */
#include "engine/docker.h"
#include "minimesos/cluster.h"
#include "minimesos/plan.h"
#include "engine/record.h"
#include "engine/reaper.h"
#include "base/parallel.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct rm_job {
    mm_docker *d;
    const char *id;
    const char *name;
    char *err;
    bool done;          /* tried, err says whether it worked */
} rm_job;

static void rm_one(rm_job *j)
{
    char *why = NULL;
    if (mm_docker_remove(j->d, j->id, &why) != 0) {
        /* Name the container, not only its id. */
        const char *m = why ? why : "removal failed";
        const char *colon = strncmp(m, "removing container ", 19) == 0 ? strstr(m + 19, ": ") : NULL;
        j->err = mm_xasprintf("removing container %s: %s", j->name, colon ? colon + 2 : m);
        free(why);
    }
}

/* The removals, shared by the workers (mm_parallel). */
typedef struct rm_queue {
    rm_job *jobs;
    bool interruptible; /* an interrupt stops the workers taking more */
} rm_queue;

static void rm_at(size_t i, void *ctx)
{
    rm_job *j = &((rm_queue *)ctx)->jobs[i];
    rm_one(j);
    j->done = true;
}

static bool rm_stop(void *ctx)
{
    return ((rm_queue *)ctx)->interruptible && mm_interrupted();
}

/* strict: only what carries cluster id's label, and the record left alone. */
static int remove_cluster(mm_docker *d, const char *dir, const char *id, bool strict, size_t *removed,
                          char **err)
{
    cJSON *list = NULL;
    char *found = NULL;
    *removed = 0;
    /* An interrupt that comes now stops the removal; one that came before
     * (up cleaning up after Ctrl-C) does not stop the clean-up it asked for. */
    bool interruptible = !mm_interrupted();
    /* Everything labelled with this folder (leftovers of an earlier cluster
     * whose record was lost included) and everything of cluster `id`. */
    if (mm_find_containers(d, dir, id, strict, &list, &found, err) != 0)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(list);
    rm_job *jobs = mm_xcalloc(n ? n : 1, sizeof *jobs);
    size_t k = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "Id");
        if (!cJSON_IsString(cid))
            continue;
        const cJSON *names = cJSON_GetObjectItemCaseSensitive(c, "Names");
        const cJSON *n0 = cJSON_GetArrayItem(names, 0);
        const char *name = cJSON_IsString(n0) ? n0->valuestring + (n0->valuestring[0] == '/') : cid->valuestring;
        jobs[k++] = (rm_job){ mm_node_of(d, c), cid->valuestring, name, NULL, false };
    }
    rm_queue q = { jobs, interruptible };
    mm_parallel(k, MM_DOCKER_WORKERS, rm_at, &q, rm_stop, NULL);
    int ret = 0;
    strbuf sb = STRBUF_INIT;
    size_t skipped = 0;
    for (size_t i = 0; i < k; i++) {
        if (!jobs[i].done) {
            skipped++;
        } else if (jobs[i].err) {
            if (sb.len)
                mm_sb_adds(&sb, "\n");
            mm_sb_adds(&sb, jobs[i].err);
            free(jobs[i].err);
            ret = -1;
        } else
            (*removed)++;
    }
    free(jobs);
    cJSON_Delete(list);
    bool stopped = interruptible && mm_interrupted();
    if (stopped) {
        if (sb.len)
            mm_sb_adds(&sb, "\n");
        if (skipped)
            mm_sb_addf(&sb, "interrupted: %zu of %zu containers not removed (run destroy again for them)",
                       skipped, k);
        else
            mm_sb_adds(&sb, "interrupted before removing the volumes");
        ret = -1;
    }
    /* Named volumes carrying the cluster's label (anonymous ones went with v=1).
     * One the engine keeps (409: in use by a container of another cluster)
     * fails destroy and keeps the record, so that a retry can finish. Then
     * networks with the label, the same way (403: still has endpoints). */
    const char *vid = id ? id : found;
    size_t volumes = 0, networks = 0;
    if (vid && !stopped) {
        char *label = mm_xasprintf(MM_LABEL_CLUSTER "=%s", vid);
        /* On every engine of the cluster (up --swarm: its nodes). */
        for (size_t node = 0; node <= d->n_nodes; node++) {
            mm_docker *e = mm_docker_node(d, node);
            size_t vols = 0, nets = 0;
            char *why = NULL;
            if (mm_docker_remove_volumes(e, label, &vols, &why) != 0) {
                if (sb.len)
                    mm_sb_adds(&sb, "\n");
                mm_sb_adds(&sb, why ? why : "removing volumes failed");
                ret = -1;
            }
            free(why);
            why = NULL;
            /* Networks on the manager only: the cluster's overlay network
             * shows on a worker while a container there uses it, but only a
             * manager may remove it ("This node is not a swarm manager"). */
            if (node == 0 && mm_docker_remove_networks(e, label, &nets, &why) != 0) {
                if (sb.len)
                    mm_sb_adds(&sb, "\n");
                mm_sb_adds(&sb, why ? why : "removing networks failed");
                ret = -1;
            }
            free(why);
            volumes += vols;
            networks += nets;
        }
        free(label);
    }
    free(found);
    if (ret != 0) {
        *err = mm_sb_detach(&sb);
        return -1;
    }
    mm_sb_free(&sb);
    if (!strict)
        mm_record_remove(dir);
    /* Only volumes or networks left (a retry after a failed removal): destroyed too. */
    return k || volumes || networks ? 0 : MM_NO_CLUSTER;
}

int mm_destroy_with(mm_docker *d, const char *dir, const char *id, size_t *removed, char **err)
{
    return remove_cluster(d, dir, id, false, removed, err);
}

int mm_destroy_cluster_only(mm_docker *d, const char *dir, const char *id, size_t *removed, char **err)
{
    return remove_cluster(d, dir, id, true, removed, err);
}

/* The folder's lock, which `up` holds for its whole run: destroy waits for
 * a running up to finish or fail instead of racing it (removing containers
 * it is still creating, or the record it just wrote). A folder without
 * .minimesos that cannot get one had no up and cannot get one: no lock. */
static int lock_folder(const char *dir, int *fd, char **err)
{
    *fd = -1;
    char *why = NULL;
    if (mm_lock_dir(dir, true, fd, &why) == 0)
        return 0;
    char *dot = mm_xasprintf("%s/.minimesos", dir);
    bool none = access(dot, F_OK) != 0 && !mm_interrupted();
    free(dot);
    if (none) {
        free(why);
        return 0;
    }
    *err = why;
    return -1;
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
    const char *id = NULL;
    int lockfd = -1;
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
    if (mm_engine_open(&d, adir, err) != 0)
        goto out;
    if (lock_folder(adir, &lockfd, &why) != 0)
        goto out;
    mm_lock_mark(lockfd, "destroy"); /* an up meanwhile waits for us, see mm_up */
    /* Read again under the lock: an up that just finished wrote it. */
    free(rec);
    rec = NULL;
    have = mm_record_read(adir, &rec) == 0;
    id = have ? rec : want_id;
    /* Which cluster: the record's, else whatever the labels say. */
    char *found = NULL;
    if (!id) {
        cJSON *list = NULL;
        if (mm_find_containers(&d, adir, NULL, false, &list, &found, &why) != 0)
            goto out;
        cJSON_Delete(list);
    }
    size_t removed = 0;
    if (mm_interrupted()) {
        why = mm_xstrdup("interrupted before removing anything");
        free(found);
        goto out;
    }
    int r = mm_destroy_with(&d, adir, id ? id : found, &removed, &why);
    if (r == -1) {
        free(found);
        goto out;
    }
    if (r == MM_NO_CLUSTER) {
        if (id)
            mm_reaper_disarm(id); /* gone already: nothing for its reaper either */
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
    /* Destroyed by its owner: a reaper of this process has nothing left to do. */
    mm_reaper_disarm(id ? id : found);
    free(found);
    ret = 0;
out:
    if (why)
        mm_error_set(err, mm_interrupted() ? MM_ERR_INTERRUPTED : MM_ERR_ENGINE, why);
    mm_lock_mark(lockfd, NULL);
    mm_unlock_dir(lockfd);
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
