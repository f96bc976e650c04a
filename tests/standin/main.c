/* standin: role dispatch. Usage: standin <role> [args...] */
#include "standin.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
} roles[] = {
    {"zookeeper", role_zookeeper}, {"master", role_master},
    {"agent", role_agent},         {"marathon", role_marathon},
    {"consul", role_consul},       {"registrator", role_registrator},
    {"mesosdns", role_mesosdns},   {"crash", role_crash},
};

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
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
