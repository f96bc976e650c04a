/* standin: role dispatch. Usage: standin <role> [args...] */
#include "standin.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
} roles[] = {
    {"zookeeper", role_zookeeper}, {"master", role_master},
    {"agent", role_agent},         {"marathon", role_marathon},
    {"consul", role_consul},       {"registrator", role_registrator},
    {"mesosdns", role_mesosdns},   {"crash", role_crash},
    {"json", role_json},           {"resolve", role_resolve},
};

/* As PID 1 in a container, SIGTERM has no default action: without a handler
 * `docker stop` would wait for its timeout and then kill. */
static void on_term(int sig)
{
    static const char msg[] = "standin: terminated by signal\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
    _exit(0);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: standin zookeeper|master|agent|marathon|consul|registrator|mesosdns|crash [args]\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        if (strcmp(argv[1], roles[i].name) == 0) {
            g_role = roles[i].name;
            return roles[i].fn(argc, argv);
        }
    }
    fprintf(stderr, "standin: unknown role '%s'\n", argv[1]);
    return 2;
}
