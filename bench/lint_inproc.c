/* In-process cost of what `minimesos lint FILE` does (read, parse, build the
 * model, print diagnostics), without process start-up: the part of lint's
 * wall time this code owns. Usage: lint_inproc FILE [ITERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "minimesos/minimesos.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: lint_inproc FILE [ITERATIONS]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 2000;
    FILE *devnull = fopen("/dev/null", "w");
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) {
        mm_diags d;
        mm_diags_init(&d, argv[1]);
        mm_file *f = mm_parse_path(argv[1], &d);
        mm_cluster *c = mm_cluster_build(f, 0, &d);
        mm_diags_sort(&d);
        mm_diags_print_text(devnull, &d, f->src, f->len, false);
        mm_cluster_free(c);
        mm_file_free(f);
        mm_diags_free(&d);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n;
    printf("%.1f\n", us);
    fclose(devnull);
    return 0;
}
