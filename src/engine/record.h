/* Internal to the executor side: the record file, the folder lock, and
 * finding a cluster's containers through the engine by their labels. */
#ifndef MM_RECORD_H
#define MM_RECORD_H

#include <stdbool.h>
#include "engine/docker.h"
#include "minimesos/cluster.h"

/* Set *err (NULL: no details wanted) to code and msg; msg is consumed. */
void mm_error_set(mm_error *err, mm_error_code code, char *msg);

/* mm_docker_init and mm_docker_connect: 0, or -1 with err
 * MM_ERR_ENGINE_UNREACHABLE ("cannot reach the Docker engine at ..."). d is
 * to be freed (mm_docker_free) either way. dir (may be NULL): the folder of a
 * cluster whose record lists other engines (up --swarm), or, when it has no
 * record, whose containers on d name them (MM_LABEL_ENGINES): those are
 * opened too, as d's nodes, and one that does not answer fails the call,
 * named. */
int mm_engine_open(mm_docker *d, const char *dir, mm_error *err);
/* The second half of mm_engine_open: the engines of the cluster of dir
 * (record, else labels) added to d as its nodes. out (may be NULL): those
 * engines' addresses, in --engine order (none for a single-engine cluster;
 * the caller frees each and the array). 0, or -1 with err. */
int mm_engine_add_recorded(mm_docker *d, const char *dir, char ***out, size_t *n_out, mm_error *err);
/* The node of d at address addr: 0 when it is d's own, else an existing
 * node's number, else a new node, connected. -1 with *err (naming addr)
 * when it cannot be reached. */
int mm_engine_add_node(mm_docker *d, const char *addr, size_t *k, char **err);

/* Containers with this label on d and every node of d, as one list; each
 * item carries its node's number in "MinimesosNode" (mm_node_of). */
int mm_list_labelled(mm_docker *d, const char *label, struct cJSON **out, char **err);
/* The engine, d or one of its nodes, that has container id: d when there
 * are no nodes, or when none has it (the caller's request then says so). */
mm_docker *mm_container_engine(mm_docker *d, const char *id);
/* Whether a container of cluster id carries the node label (up --swarm). */
bool mm_list_has_node_label(mm_docker *d, const char *id);
/* The value of label `key` of a container (or network) in an engine's list
 * or inspect answer, or NULL. */
const char *mm_label_of(const struct cJSON *c, const char *key);
/* The IP a container was created to reach `role` at, read from its inspect
 * answer: ZooKeeper in a zk:// URL of its environment or command or as the
 * extra host minimesos-zookeeper, Consul in a consul:// URL, Mesos-DNS as
 * its DNS server. NULL when it holds none (malloc'd otherwise). The one
 * reader of these addresses: `start ROLE` and `up` on a running cluster
 * compare it with where the role runs now. */
char *mm_referenced_ip(const struct cJSON *ins, const char *role);
/* The engine an item of mm_list_labelled (or of mm_find_containers) is on. */
mm_docker *mm_node_of(mm_docker *d, const struct cJSON *item);

/* Absolute, normalised folder (NULL: the current folder); malloc'd. */
char *mm_abs_path(const char *path);
/* <dir>/.minimesos/minimesos.cluster; malloc'd. */
char *mm_record_path(const char *dir);
/* 0 with *id, 1 when there is no record (or it is empty). */
int mm_record_read(const char *dir, char **id);
int mm_record_write(const char *dir, const char *id, char **err);
/* The same with the engines of a cluster spread over several (up --swarm):
 * a line "engine ADDR" each, after the id. */
int mm_record_write_engines(const char *dir, const char *id, const char *const *engines, size_t n,
                            char **err);
/* The engines the record of dir lists (none: a single-engine cluster).
 * *engines malloc'd (free each and the array). */
void mm_record_engines(const char *dir, char ***engines, size_t *n);
/* Write the record of a cluster found by its labels alone (the record was
 * lost): id, and the engines its containers on d name (MM_LABEL_ENGINES). */
int mm_record_restore(mm_docker *d, const char *dir, const char *id, char **err);
/* up --swarm: the name of the cluster's overlay network; malloc'd. */
char *mm_overlay_name(const char *cluster_id);
void mm_record_remove(const char *dir);

/* flock on <dir>/.minimesos/lock. Returns 0 locked (*fd to close later),
 * 1 when another process holds it (only when !wait), -1 on error. With
 * wait, it waits as long as the holder keeps it, but mm_interrupt() ends the
 * wait at once: -1, *err "interrupted while waiting for ...". */
int mm_lock_dir(const char *dir, bool wait, int *fd, char **err);
void mm_unlock_dir(int fd);
/* Who holds the lock, written in the lock file by its holder ("destroy"),
 * NULL to clear it before unlocking; and whether dir's lock file says so. */
void mm_lock_mark(int fd, const char *holder);
bool mm_lock_marked(const char *dir, const char *holder);

/* The containers labelled with folder dir (org.minimesos.dir) or with cluster
 * id `id`, as the parsed list answer (caller deletes). strict: only those of
 * cluster `id` (when id is given). *found_id gets the cluster id of the first
 * (malloc'd) when any. */
int mm_find_containers(mm_docker *d, const char *dir, const char *id, bool strict,
                       struct cJSON **list, char **found_id, char **err);
/* Build an mm_running from the engine (inspecting every container). */
int mm_running_build(mm_docker *d, const char *dir, const char *id, mm_running **out, char **err);

/* The message for a stale record. */
char *mm_stale_message(const char *dir, const char *id);




/* Remove every container of the cluster `id` in dir (NULL id: whatever the
 * labels say), its labelled volumes and the record. Parallel. Returns 0, or
 * MM_NO_CLUSTER when nothing was there, or -1 (the record kept). *removed:
 * how many. mm_interrupt() during the removal stops it (no new removal
 * starts, *err says how many are left); an interrupt that came before the
 * call does not, so up's clean-up after Ctrl-C removes everything. */
int mm_destroy_with(mm_docker *d, const char *dir, const char *id, size_t *removed, char **err);
/* The same for cluster `id` alone (id required): only what carries its
 * label, never the rest of the folder's (which may be a newer cluster's),
 * and the record left alone. The reaper's removal. */
int mm_destroy_cluster_only(mm_docker *d, const char *dir, const char *id, size_t *removed, char **err);
#endif
