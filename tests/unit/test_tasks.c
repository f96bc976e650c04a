/* ps table, task lookup and sandbox paths over state.json fixtures. */
#include "services/tasks.h"
#include "testutil.h"

static char *fixture(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", tu_srcdir(), name);
    char *s = tu_read_file(path, NULL);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

/* The row of the table whose TASK column is task, split on blanks. */
static int row_fields(const char *table, const char *task, char f[4][128])
{
    const char *p = table;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        memset(f, 0, 4 * 128);
        int k = sscanf(line, "%127s %127s %127s %127s", f[0], f[1], f[2], f[3]);
        if (k >= 3 && strcmp(f[1], task) == 0)
            return k;
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

START_TEST(ps_table_rows)
{
    char *state = fixture("master_state.json");
    char *err = NULL;
    char *t = mm_ps_table(state, &err);
    ck_assert_ptr_nonnull(t);
    char f[4][128];
    ck_assert_int_eq(strncmp(t, "FRAMEWORK", 9), 0);
    ck_assert_int_eq(row_fields(t, "TASK", f), 4);
    ck_assert_str_eq(f[3], "PORT");

    ck_assert_int_eq(row_fields(t, "web.1a2b", f), 4);
    ck_assert_str_eq(f[0], "marathon");
    ck_assert_str_eq(f[2], "TASK_RUNNING");
    ck_assert_str_eq(f[3], "31001");

    /* No ports: an empty column, and no trailing blanks on the line. */
    ck_assert_int_eq(row_fields(t, "worker.3c4d", f), 3);
    ck_assert_str_eq(f[2], "TASK_STAGING");
    const char *w = strstr(t, "worker.3c4d");
    const char *eol = strchr(w, '\n');
    ck_assert(eol[-1] != ' ');

    ck_assert_int_eq(row_fields(t, "multi.5e6f", f), 4);
    ck_assert_str_eq(f[3], "31000,31005-31007");
    ck_assert_int_eq(row_fields(t, "job", f), 4);
    ck_assert_str_eq(f[0], "chronos");
    ck_assert_str_eq(f[3], "8081,8082");

    /* Header plus five tasks; columns aligned: STATE starts at one offset. */
    int lines = 0;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 6);
    size_t col = (size_t)(strstr(t, "STATE") - t);
    const char *row = strstr(t, "\nchronos") + 1;
    ck_assert_int_eq(strncmp(row + col, "TASK_FINISHED", 13), 0);
    free(t);
    free(state);
}
END_TEST

START_TEST(ps_table_empty_and_bad)
{
    char *err = NULL;
    char *t = mm_ps_table("{\"frameworks\": []}", &err);
    ck_assert_str_eq(t, "FRAMEWORK  TASK  STATE  PORT\n");
    free(t);
    t = mm_ps_table("{}", &err);
    ck_assert_str_eq(t, "FRAMEWORK  TASK  STATE  PORT\n");
    free(t);
    ck_assert_ptr_null(mm_ps_table("not json", &err));
    ck_assert_ptr_nonnull(strstr(err, "frameworks"));
    free(err);
    err = NULL;
    ck_assert_ptr_null(mm_ps_table("{\"frameworks\": 3}", &err));
    free(err);
}
END_TEST

START_TEST(find_one_task)
{
    char *state = fixture("master_state.json");
    char *err = NULL;
    mm_task_ref r;
    ck_assert_int_eq(mm_task_find(state, "1a2b", &r, &err), 0);
    ck_assert_str_eq(r.task_id, "web.1a2b");
    ck_assert_str_eq(r.framework_id, "marathon-0001");
    ck_assert_str_eq(r.slave_id, "agent-111-S0");
    ck_assert_str_eq(r.agent_url, "http://172.17.0.4:5051");
    ck_assert_str_eq(r.agent_host, "172.17.0.4");
    mm_task_ref_free(&r);

    /* An agent without a pid: hostname and port. */
    ck_assert_int_eq(mm_task_find(state, "worker", &r, &err), 0);
    ck_assert_str_eq(r.agent_url, "http://agent-222:5052");
    mm_task_ref_free(&r);

    ck_assert_int_eq(mm_task_find(state, "job", &r, &err), 0);
    ck_assert_str_eq(r.framework_id, "chronos-0002");
    mm_task_ref_free(&r);

    /* An exact id wins over other tasks that contain it. */
    const char *two = "{\"slaves\": [{\"id\": \"s1\", \"pid\": \"slave(1)@10.0.0.9:5055\"}],"
                      " \"frameworks\": [{\"id\": \"f\", \"tasks\": ["
                      "{\"id\": \"app.10\", \"slave_id\": \"s1\"}, {\"id\": \"app.1\", \"slave_id\": \"s1\"}]}]}";
    ck_assert_int_eq(mm_task_find(two, "app.1", &r, &err), 0);
    ck_assert_str_eq(r.task_id, "app.1");
    ck_assert_str_eq(r.framework_id, "f");
    ck_assert_str_eq(r.agent_url, "http://10.0.0.9:5055");
    mm_task_ref_free(&r);
    ck_assert_int_eq(mm_task_find(two, "app.", &r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "2 tasks match"));
    free(err);

    /* Many matches: the first 20 listed, then a count. */
    char *many = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&many, &len);
    fputs("{\"frameworks\": [{\"id\": \"f\", \"tasks\": [", m);
    for (int i = 0; i < 25; i++)
        fprintf(m, "%s{\"id\": \"t.%02d\", \"slave_id\": \"s\"}", i ? "," : "", i);
    fputs("]}]}", m);
    fclose(m);
    ck_assert_int_eq(mm_task_find(many, "t.", &r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "25 tasks match"));
    ck_assert_ptr_nonnull(strstr(err, "\n  t.19"));
    ck_assert_ptr_null(strstr(err, "t.20"));
    ck_assert_ptr_nonnull(strstr(err, "\n  ... and 5 more"));
    free(err);
    free(many);
    free(state);
}
END_TEST

START_TEST(find_errors)
{
    char *state = fixture("master_state.json");
    char *err = NULL;
    mm_task_ref r;
    ck_assert_int_eq(mm_task_find(state, "nosuch", &r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no task matches 'nosuch'"));
    free(err);

    ck_assert_int_eq(mm_task_find(state, "web.", &r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "2 tasks match 'web.'"));
    ck_assert_ptr_nonnull(strstr(err, "\n  web.1a2b (TASK_RUNNING)"));
    ck_assert_ptr_nonnull(strstr(err, "\n  web.9999"));
    ck_assert_ptr_null(strstr(err, "worker"));
    free(err);

    ck_assert_int_eq(mm_task_find(state, "9999", &r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "agent-gone-S0"));
    ck_assert_ptr_nonnull(strstr(err, "not in the master's state"));
    free(err);

    ck_assert_int_eq(mm_task_find("[", "x", &r, &err), -1);
    free(err);
    free(state);
}
END_TEST

START_TEST(executor_dirs)
{
    char *state = fixture("agent_state.json");
    char *err = NULL, *dir = NULL;
    /* The task's own framework, not another framework's executor of that id. */
    ck_assert_int_eq(mm_executor_directory(state, "marathon-0001", "web.1a2b", &dir, &err), 0);
    ck_assert_str_eq(dir, "/var/lib/mesos/agent-111/slaves/agent-111-S0/frameworks/marathon-0001/executors/web.1a2b/runs/latest");
    free(dir);
    /* A task run by an executor of another id. */
    ck_assert_int_eq(mm_executor_directory(state, "marathon-0001", "multi.5e6f", &dir, &err), 0);
    ck_assert_ptr_nonnull(strstr(dir, "/executors/shared-executor/"));
    free(dir);
    ck_assert_int_eq(mm_executor_directory(state, "marathon-0001", "old.0001", &dir, &err), 0);
    ck_assert_ptr_nonnull(strstr(dir, "/executors/shared-executor/"));
    free(dir);
    /* Completed frameworks; an unknown framework id falls back to any. */
    ck_assert_int_eq(mm_executor_directory(state, "nope", "batch.1", &dir, &err), 0);
    ck_assert_ptr_nonnull(strstr(dir, "/gone-0004/"));
    free(dir);
    ck_assert_int_eq(mm_executor_directory(state, NULL, "batch.1", &dir, &err), 0);
    free(dir);
    ck_assert_int_eq(mm_executor_directory(state, "marathon-0001", "absent", &dir, &err), -1);
    ck_assert_ptr_null(dir);
    ck_assert_ptr_nonnull(strstr(err, "no executor of task absent"));
    ck_assert_ptr_nonnull(strstr(err, "agent-111-S0"));
    free(err);
    free(state);
}
END_TEST

START_TEST(sandbox_urls)
{
    char *u = mm_sandbox_file_url("http://172.17.0.4:5051", "/var/lib/mesos/a b/runs/latest", false);
    ck_assert_str_eq(u, "http://172.17.0.4:5051/files/download?path=%2Fvar%2Flib%2Fmesos%2Fa%20b%2Fruns%2Flatest%2Fstdout");
    free(u);
    u = mm_sandbox_file_url("http://h:1/", "/d/", true);
    ck_assert_str_eq(u, "http://h:1/files/download?path=%2Fd%2Fstderr");
    free(u);
    u = mm_url_encode("a&b=c~d_e.f-g");
    ck_assert_str_eq(u, "a%26b%3Dc~d_e.f-g");
    free(u);
}
END_TEST

/* Found by tests/fuzz/fuzz_master_state.c and fuzz_agent_state.c: ids from
 * the cluster's state with a line break or an escape sequence forged rows of
 * the `ps` table and lines of errors, and an agent's pid or hostname went
 * into URLs whatever it held. */
START_TEST(untrusted_states)
{
    const char *state =
        "{\"frameworks\":[{\"name\":\"mara\\u001b[2Jthon\",\"tasks\":["
        "{\"id\":\"web.1\\nmarathon   fake.2  TASK_RUNNING\",\"state\":\"TASK_RUNNING\",\"slave_id\":\"S1\"},"
        "{\"id\":\"web.2\",\"state\":\"TASK_\\u009bFAILED\",\"slave_id\":\"S2\"},"
        "{\"id\":\"web.3\",\"slave_id\":\"S3\"},{\"id\":\"web.4\",\"slave_id\":\"S4\"},"
        "{\"id\":\"web.5\",\"slave_id\":\"S\\n5\"}]}],"
        "\"slaves\":[{\"id\":\"S1\",\"pid\":\"slave(1)@evil.example/x?:5051\"},"
        "{\"id\":\"S2\",\"pid\":\"slave(1)@10.0.0.2:5051\"},"
        "{\"id\":\"S3\",\"pid\":\"slave(1)@10.0.0.3:99999\"},"
        "{\"id\":\"S4\",\"hostname\":\"a b\",\"port\":5051}]}";
    char *err = NULL;
    char *t = mm_ps_table(state, &err);
    ck_assert_ptr_nonnull(t);
    int lines = 0;
    for (const char *p = t; *p; p++) {
        lines += *p == '\n';
        ck_assert_msg((unsigned char)*p >= 0x20 || *p == '\n', "control character in %s", t);
    }
    ck_assert_int_eq(lines, 6); /* the header and five tasks */
    ck_assert_ptr_nonnull(strstr(t, "mara [2Jthon  web.1 marathon fake.2 TASK_RUNNING  TASK_RUNNING"));
    ck_assert_ptr_nonnull(strstr(t, "TASK_ FAILED"));
    free(t);

    mm_task_ref r;
    ck_assert_int_eq(mm_task_find(state, "web.1", &r, &err), -1); /* a host with '/' and '?' */
    ck_assert_ptr_nonnull(strstr(err, "has no address"));
    ck_assert_ptr_null(strchr(err, '\n'));
    free(err);
    ck_assert_int_eq(mm_task_find(state, "web.2", &r, &err), 0);
    ck_assert_str_eq(r.agent_url, "http://10.0.0.2:5051");
    mm_task_ref_free(&r);
    ck_assert_int_eq(mm_task_find(state, "web.3", &r, &err), -1); /* port 99999 */
    free(err);
    ck_assert_int_eq(mm_task_find(state, "web.4", &r, &err), -1); /* a host name with a blank */
    free(err);
    ck_assert_int_eq(mm_task_find(state, "web.5", &r, &err), -1);
    ck_assert_str_eq(err, "the agent S 5 of task web.5 is not in the master's state (gone?)");
    free(err);
    ck_assert_int_eq(mm_task_find(state, "web", &r, &err), -1); /* several: one line each */
    ck_assert_ptr_nonnull(strstr(err, "\n  web.1 marathon fake.2 TASK_RUNNING (TASK_RUNNING)\n  web.2 (TASK_ FAILED)"));
    free(err);

    char *v = mm_state_version("{\"version\":\"1.0\\nexport X=$(reboot)\"}");
    ck_assert_str_eq(v, "1.0 export X=$(reboot)");
    free(v);
    ck_assert_ptr_null(mm_state_version("{\"version\":\" \\n\"}"));
    ck_assert_ptr_null(mm_state_version("{\"version\":1}"));

    char *u = mm_agent_state_url(state, "S2");
    ck_assert_str_eq(u, "http://10.0.0.2:5051/state.json");
    free(u);
    ck_assert_ptr_null(mm_agent_state_url(state, "S1"));
    ck_assert_ptr_null(mm_agent_state_url(state, "S3"));
    ck_assert_ptr_null(mm_agent_state_url(state, "nosuch"));
    ck_assert_ptr_null(mm_agent_state_url("{\"slaves\":[{\"id\":\"S\",\"pid\":\"slave(1)@10.0.0\x84.1:5051\"}]}", "S"));

    char *dir = NULL;
    ck_assert_int_eq(mm_executor_directory("{\"id\":\"\\na1\\u001b\",\"frameworks\":[]}", "f", "t", &dir, &err), -1);
    ck_assert_str_eq(err, "no executor of task t in the state of agent a1");
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tasks");
    TCase *tc = tcase_create("tasks");
    tcase_add_test(tc, ps_table_rows);
    tcase_add_test(tc, ps_table_empty_and_bad);
    tcase_add_test(tc, find_one_task);
    tcase_add_test(tc, find_errors);
    tcase_add_test(tc, executor_dirs);
    tcase_add_test(tc, sandbox_urls);
    tcase_add_test(tc, untrusted_states);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
