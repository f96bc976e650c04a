/* A test that starts a real (stand-in) Mesos cluster from C, as the historical
 * Java API did for JUnit: up, assert on the master's state, destroy. With
 * reap_when_process_exits, a test binary that is killed half-way (a CI
 * timeout, kill -9) leaves no cluster behind either.
 *
 *   make example        builds $(BUILD)/examples/cluster_test
 *   cd a folder holding examples/minimesosFile && .../cluster_test
 *
 * MINIMESOS_CONFIG names another minimesosFile. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimesos/cluster.h"

static mm_running *cluster;

/* Progress on stderr, as `minimesos up` shows it. */
static void show(const mm_event *ev, void *user)
{
    (void)user;
    if (ev->kind != MM_EVENT_PULL || !ev->progress)
        fprintf(stderr, "%s\n", ev->message);
}

static void start_cluster(void)
{
    mm_up_options o;
    mm_up_options_init(&o);
    const char *cfg = getenv("MINIMESOS_CONFIG");
    o.config_path = cfg && *cfg ? cfg : "minimesosFile";
    o.pull = MM_PULL_NEVER;         /* the stand-in images are built locally */
    /* A failed mm_up removes what it created (o.retain = true would keep it),
     * and if this program dies before stop_cluster, the reaper removes it. */
    o.reap_when_process_exits = true;
    o.on_event = show;
    mm_error err;
    int rc = mm_up(&o, &cluster, &err);
    ck_assert_msg(rc == 0, "mm_up failed (%s): %s", mm_error_code_name(err.code),
                  err.message ? err.message : "?");
    mm_error_free(&err);
}

static void stop_cluster(void)
{
    if (!cluster)
        return;
    mm_error err;
    if (mm_running_destroy(cluster, &err) != 0)
        fprintf(stderr, "destroy: %s\n", err.message ? err.message : "?");
    mm_error_free(&err);
    mm_running_free(cluster);
    cluster = NULL;
}

START_TEST(one_agent_registers_with_the_master)
{
    const mm_member *master = mm_running_role(cluster, "master");
    ck_assert_ptr_nonnull(master);
    ck_assert_str_eq(master->state, "running");
    ck_assert_ptr_nonnull(mm_running_role(cluster, "agent"));
    ck_assert_ptr_nonnull(mm_running_role(cluster, "zookeeper"));

    char *state = NULL, *err = NULL;
    ck_assert_msg(mm_state_json(cluster, NULL, &state, &err) == 0, "state: %s", err ? err : "?");
    cJSON *j = cJSON_Parse(state);
    ck_assert_ptr_nonnull(j);
    const cJSON *active = cJSON_GetObjectItem(j, "activated_slaves");
    ck_assert(cJSON_IsNumber(active));
    ck_assert_int_eq(active->valueint, 1);
    const cJSON *cluster_name = cJSON_GetObjectItem(j, "cluster");
    ck_assert(cJSON_IsString(cluster_name));
    ck_assert_str_eq(cluster_name->valuestring, "example");
    cJSON_Delete(j);
    free(state);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cluster");
    TCase *t = tcase_create("one agent");
    tcase_add_unchecked_fixture(t, start_cluster, stop_cluster);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, one_agent_registers_with_the_master);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* the fixture's cluster lives in this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
