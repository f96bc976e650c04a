/* A failover test as a framework author writes one: start a cluster, add an
 * agent, take it away and bring it back, and check at each step what the
 * master reports, then leave nothing behind.
 *
 *   make example        builds $(BUILD)/examples/failover_test and runs it
 *   cd a folder holding examples/minimesosFile && .../failover_test
 *
 * MINIMESOS_CONFIG names another minimesosFile. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/cluster.h"

#define WAIT_MS 30000   /* the stand-in master notices a stopped agent in 2 s; Mesos takes longer */

static mm_running *cluster;
static long agents_at_start;

/* Progress on stderr, as `minimesos` shows it. */
static void show(const mm_event *ev, void *user)
{
    (void)user;
    if (ev->kind != MM_EVENT_PULL || !ev->progress)
        fprintf(stderr, "%s\n", ev->message);
}

static size_t count_agents(const mm_running *rc)
{
    size_t n = 0;
    for (size_t i = 0; i < rc->n_members; i++)
        n += strcmp(rc->members[i].role, "agent") == 0;
    return n;
}

static void start_cluster(void)
{
    mm_up_options o;
    mm_up_options_init(&o);
    const char *cfg = getenv("MINIMESOS_CONFIG");
    o.config_path = cfg && *cfg ? cfg : "minimesosFile";
    o.pull = MM_PULL_NEVER;         /* the stand-in images are built locally */
    o.cleanup_on_failure = true;
    o.on_event = show;
    mm_error err;
    int rc = mm_up(&o, &cluster, &err);
    ck_assert_msg(rc == 0, "mm_up failed (%s): %s", mm_error_code_name(err.code), err.message ? err.message : "?");
    mm_error_free(&err);
    agents_at_start = (long)count_agents(cluster);
}

static void stop_cluster(void)
{
    if (!cluster)
        return;
    mm_error err;
    char *dir = strdup(cluster->dir);
    if (mm_running_destroy(cluster, &err) != 0)
        fprintf(stderr, "destroy: %s\n", err.message ? err.message : "?");
    mm_error_free(&err);
    mm_running_free(cluster);
    cluster = NULL;
    /* Nothing of the cluster is left: neither its record nor a container. */
    mm_running *left = NULL;
    int r = mm_running_find(dir, &left, &err);
    if (r != MM_NO_CLUSTER) {
        fprintf(stderr, "after destroy, the cluster is still found (%d): %s\n", r, err.message ? err.message : "");
        mm_running_free(left);
        exit(1);
    }
    mm_error_free(&err);
    free(dir);
}

/* Wait until the master counts n agents active, or fail the test with what
 * it saw last. */
static void wait_for_agents(long n)
{
    mm_error err;
    char what[64];
    snprintf(what, sizeof what, "%ld active agent%s", n, n == 1 ? "" : "s");
    int r = mm_wait_for(cluster, mm_wait_agents, &n, what, WAIT_MS, &err);
    ck_assert_msg(r == 0, "%s", err.message ? err.message : "?");
    mm_error_free(&err);
}

START_TEST(an_agent_goes_away_and_comes_back)
{
    mm_control_options o;
    mm_control_options_init(&o);
    o.on_event = show;
    mm_error err;
    long n = agents_at_start;
    wait_for_agents(n);

    /* One more agent, like the file's first. */
    ck_assert_msg(mm_agent_add(cluster, 0, 1, &o, &err) == 0, "add: %s", err.message);
    ck_assert_uint_eq(count_agents(cluster), (size_t)n + 1);
    wait_for_agents(n + 1);

    /* The new one: the highest number. */
    const mm_member *added = NULL;
    for (size_t i = 0; i < cluster->n_members; i++)
        if (strcmp(cluster->members[i].role, "agent") == 0 && (!added || cluster->members[i].agent > added->agent))
            added = &cluster->members[i];
    ck_assert_ptr_nonnull(added);
    ck_assert_str_eq(added->state, "running");
    char id[16];
    snprintf(id, sizeof id, "%d", added->agent);

    /* It stops: the master counts one agent fewer. */
    ck_assert_msg(mm_agent_stop(cluster, id, &o, &err) == 0, "stop: %s", err.message);
    wait_for_agents(n);

    /* It comes back (mm_agent_start waits for the master too). */
    ck_assert_msg(mm_agent_start(cluster, id, &o, &err) == 0, "start: %s", err.message);
    wait_for_agents(n + 1);

    /* An agent that is not there: an error that lists the agents. */
    ck_assert_int_eq(mm_agent_stop(cluster, "999", &o, &err), -1);
    ck_assert_int_eq(err.code, MM_ERR_NOT_FOUND);
    ck_assert_msg(strstr(err.message, "its agents: 0 ("), "%s", err.message);
    mm_error_free(&err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("failover");
    TCase *t = tcase_create("an agent fails over");
    tcase_add_unchecked_fixture(t, start_cluster, stop_cluster);
    tcase_set_timeout(t, 180);
    tcase_add_test(t, an_agent_goes_away_and_comes_back);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* the fixture's cluster lives in this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
