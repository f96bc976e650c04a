/* Internal to the engine: the reaper, a watcher process that removes a
 * cluster once the process that started it is gone (reaper.c). */
#ifndef MM_REAPER_H
#define MM_REAPER_H

#include <stdbool.h>

/* Start the watcher of cluster `id` of folder dir (absolute; its .minimesos
 * exists): a process in a session of its own that waits for this process to
 * end, then removes every container, volume and network carrying the
 * cluster's label, and the record when it still names the cluster. It
 * reports in <dir>/.minimesos/reaper.log. Returns 0 once the watcher is
 * waiting, or -1 with *err (malloc'd): nothing was left running. Thread-safe. */
int mm_reaper_start(const char *dir, const char *id, char **err);

/* This process destroyed cluster id itself, or keeps it on purpose: its
 * watcher exits without removing anything. Returns whether this process had
 * a watcher for id (NULL: none). Thread-safe. */
bool mm_reaper_disarm(const char *id);

#endif
