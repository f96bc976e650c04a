/* Run n independent jobs on at most `workers` threads, the caller's thread
 * being one of them (so one job, or no thread to spare, costs no thread).
 *
 * up, destroy, agent add and the reading of a running cluster each talk to
 * the engine about many containers whose requests do not depend on each
 * other; the engine answers them side by side, so they go at once, bounded
 * however large the cluster. Internal to libminimesos. */
#ifndef MM_PARALLEL_H
#define MM_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

/* Calls job(i, ctx) once for each i in [0, n) not skipped, each on one of
 * the threads, in no set order, and returns when all have returned. stop
 * (may be NULL) is asked before each job is taken: once it says true, the
 * jobs not yet taken are skipped. Returns how many jobs ran; ran[i] (may be
 * NULL) says whether job i did. */
size_t mm_parallel(size_t n, size_t workers, void (*job)(size_t i, void *ctx), void *ctx,
                   bool (*stop)(void *ctx), bool *ran);

#endif
