/* A test program that brings a cluster up through the library and then
 * waits to be killed: tests/integration/run.sh kills it with SIGKILL and
 * checks what is left of the cluster.
 *
 *   hold_cluster [--reap] [MINIMESOSFILE]
 *
 * --reap sets reap_when_process_exits. It prints "ready <clusterId>" on
 * stdout once mm_up returned, then sleeps. A second thread allocates and
 * writes to a stream all along, as a test harness's threads would: the
 * reaper is started while it runs (see src/engine/reaper.c on fork). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minimesos/cluster.h"

static void show(const mm_event *ev, void *user)
{
    (void)user;
    if (ev->kind != MM_EVENT_PULL || !ev->progress)
        fprintf(stderr, "%s\n", ev->message);
}

static void *busy(void *arg)
{
    FILE *sink = arg;
    for (unsigned long i = 0;; i++) {
        char *p = malloc(64 + i % 4096);
        if (p) {
            memset(p, 'x', 64);
            fprintf(sink, "%.8s %lu\n", p, i);
        }
        free(p);
        if (i % 1024 == 0)
            usleep(1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    bool reap = false;
    const char *config = "minimesosFile";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reap") == 0)
            reap = true;
        else
            config = argv[i];
    }
    FILE *sink = fopen("/dev/null", "w");
    pthread_t th;
    if (!sink || pthread_create(&th, NULL, busy, sink) != 0) {
        fprintf(stderr, "hold_cluster: cannot start the busy thread\n");
        return 1;
    }

    mm_up_options o;
    mm_up_options_init(&o);
    o.config_path = config;
    o.pull = MM_PULL_NEVER;
    o.reap_when_process_exits = reap;
    o.on_event = show;
    mm_running *rc = NULL;
    mm_error err;
    if (mm_up(&o, &rc, &err) != 0) {
        fprintf(stderr, "hold_cluster: %s: %s\n", mm_error_code_name(err.code),
                err.message ? err.message : "?");
        mm_error_free(&err);
        return 1;
    }
    printf("ready %s\n", rc->cluster_id);
    fflush(stdout);
    for (;;)
        pause();
}
