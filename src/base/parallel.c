/* mm_parallel (parallel.h): the workers share one counter; each takes the
 * next index until none is left or stop says so. */
#include "base/parallel.h"

#include <pthread.h>

typedef struct {
    size_t n;
    size_t next;        /* atomic */
    size_t ran;         /* atomic */
    void (*job)(size_t, void *);
    void *ctx;
    bool (*stop)(void *);
    bool *ran_each;
} queue;

static void *worker(void *arg)
{
    queue *q = arg;
    size_t i;
    while (!(q->stop && q->stop(q->ctx)) && (i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED)) < q->n) {
        q->job(i, q->ctx);
        if (q->ran_each)
            q->ran_each[i] = true;
        __atomic_fetch_add(&q->ran, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

#define MM_PARALLEL_MAX 64

size_t mm_parallel(size_t n, size_t workers, void (*job)(size_t i, void *ctx), void *ctx,
                   bool (*stop)(void *ctx), bool *ran)
{
    queue q = { n, 0, 0, job, ctx, stop, ran };
    if (ran)
        for (size_t i = 0; i < n; i++)
            ran[i] = false;
    if (workers > MM_PARALLEL_MAX)
        workers = MM_PARALLEL_MAX;
    pthread_t th[MM_PARALLEL_MAX];
    size_t others = n < workers ? (n ? n - 1 : 0) : (workers ? workers - 1 : 0), started = 0;
    for (size_t i = 0; i < others; i++)
        if (pthread_create(&th[started], NULL, worker, &q) == 0)
            started++;
    worker(&q);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return q.ran;
}
