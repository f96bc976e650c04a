/* `info` text from a running-cluster description built in code: exact lines,
 * one export line per distinct role, the dnsmasq hint with mesosdns; and
 * the environment `run` gives its COMMAND: every variable info exports, with
 * the same value, plus MINIMESOS_CLUSTER_ID. */
#include "testutil.h"
#include "minimesos/cluster.h"

static mm_member member(const char *role, const char *ip, int port, const char *url)
{
    mm_member m = { 0 };
    m.role = strdup(role);
    m.ip = ip ? strdup(ip) : NULL;
    m.port = port;
    m.url = url ? strdup(url) : NULL;
    m.name = strdup("x");
    m.container_id = strdup("0");
    m.state = strdup("running");
    return m;
}

static mm_running *cluster(bool with_dns)
{
    mm_running *rc = calloc(1, sizeof *rc);
    rc->cluster_id = strdup("3878417609");
    rc->dir = strdup("/p");
    rc->config_path = strdup("/p/minimesosFile");
    rc->gateway = strdup("172.17.0.1");
    rc->members = calloc(8, sizeof *rc->members);
    size_t n = 0;
    rc->members[n++] = member("zookeeper", "172.17.0.2", 2181, "zk://172.17.0.2:2181/mesos");
    if (with_dns)
        rc->members[n++] = member("mesosdns", "172.17.0.9", 0, NULL);
    rc->members[n++] = member("master", "172.17.0.3", 5050, "http://127.0.0.1:5050");
    rc->members[n++] = member("agent", "172.17.0.4", 5051, "http://172.17.0.4:5051");
    rc->members[n++] = member("agent", "172.17.0.5", 5052, "http://172.17.0.5:5052");
    rc->members[n++] = member("marathon", "172.17.0.6", 8080, "http://172.17.0.6:8080");
    rc->members[n++] = member("registrator", NULL, 0, NULL);
    rc->n_members = n;
    return rc;
}

START_TEST(info_lines)
{
    mm_running *rc = cluster(false);
    char *t = mm_info_text(rc, "1.0.0");
    ck_assert_str_eq(t,
        "Minimesos cluster is running: 3878417609\n"
        "Mesos version: 1.0.0\n"
        "export MINIMESOS_NETWORK_GATEWAY=172.17.0.1\n"
        "export MINIMESOS_ZOOKEEPER=zk://172.17.0.2:2181/mesos; export MINIMESOS_ZOOKEEPER_IP=172.17.0.2\n"
        "export MINIMESOS_MASTER=http://127.0.0.1:5050; export MINIMESOS_MASTER_IP=172.17.0.3\n"
        "export MINIMESOS_AGENT=http://172.17.0.4:5051; export MINIMESOS_AGENT_IP=172.17.0.4\n"
        "export MINIMESOS_MARATHON=http://172.17.0.6:8080; export MINIMESOS_MARATHON_IP=172.17.0.6\n");
    free(t);
    ck_assert_str_eq(mm_running_role(rc, "agent")->ip, "172.17.0.4");
    ck_assert_ptr_null(mm_running_role(rc, "consul"));
    mm_running_free(rc);
}
END_TEST

START_TEST(info_with_mesosdns_and_unknown_version)
{
    mm_running *rc = cluster(true);
    char *t = mm_info_text(rc, NULL);
    ck_assert_ptr_nonnull(strstr(t, "Mesos version: unknown\n"));
    ck_assert_ptr_nonnull(strstr(t, "\nexport MINIMESOS_MESOSDNS_IP=172.17.0.9\n"));
    ck_assert_ptr_nonnull(strstr(t, "'server=/mm/172.17.0.9#53'"));
    ck_assert_ptr_null(strstr(t, "REGISTRATOR"));
    free(t);
    mm_running_free(rc);
}
END_TEST

/* Every "export NAME=value" of info's text, in order, one a line. */
static char *exports_of(const char *text)
{
    char *out = calloc(1, strlen(text) + 1);
    const char *p = text;
    while ((p = strstr(p, "export ")) != NULL) {
        p += 7;
        size_t n = strcspn(p, ";\n");
        strncat(out, p, n);
        strcat(out, "\n");
        p += n;
    }
    return out;
}

START_TEST(env_is_what_info_exports_and_the_id)
{
    for (int dns = 0; dns < 2; dns++) {
        mm_running *rc = cluster(dns);
        char *t = mm_info_text(rc, "1.0.0");
        char *want = exports_of(t);
        char **env = mm_info_env(rc);
        char got[2048] = "";
        size_t n = 0;
        for (; env[n]; n++) {
            if (strncmp(env[n], "MINIMESOS_CLUSTER_ID=", 21) == 0)
                continue;
            strcat(got, env[n]);
            strcat(got, "\n");
        }
        ck_assert_str_eq(got, want);
        ck_assert_str_eq(env[n - 1], "MINIMESOS_CLUSTER_ID=3878417609");
        ck_assert_str_eq(env[0], "MINIMESOS_NETWORK_GATEWAY=172.17.0.1");
        mm_info_env_free(env);
        free(want);
        free(t);
        mm_running_free(rc);
    }
    mm_info_env_free(NULL);
}
END_TEST

/* The `export` lines are eval'd by users: a Mesos version from the
 * master's state, or a role, URL or address from the engine's answers, must
 * not smuggle a line or a command into them (the version went in as it
 * was: "1.0\nexport X=$(cmd)" became an export line of its own). */
START_TEST(info_from_untrusted_answers)
{
    mm_running *rc = cluster(false);
    free(rc->members[1].url);
    rc->members[1].url = strdup("http://x:5050;$(reboot)");
    free(rc->members[2].role);
    rc->members[2].role = strdup("agent=1;reboot;X");
    char *t = mm_info_text(rc, "1.0\nexport MINIMESOS_MASTER=$(reboot)\n");
    ck_assert_str_eq(t,
        "Minimesos cluster is running: 3878417609\n"
        "Mesos version: 1.0 export MINIMESOS_MASTER=$(reboot)\n"
        "export MINIMESOS_NETWORK_GATEWAY=172.17.0.1\n"
        "export MINIMESOS_ZOOKEEPER=zk://172.17.0.2:2181/mesos; export MINIMESOS_ZOOKEEPER_IP=172.17.0.2\n"
        "export MINIMESOS_MASTER_IP=172.17.0.3\n"
        "export MINIMESOS_AGENT=http://172.17.0.5:5052; export MINIMESOS_AGENT_IP=172.17.0.5\n"
        "export MINIMESOS_MARATHON=http://172.17.0.6:8080; export MINIMESOS_MARATHON_IP=172.17.0.6\n");
    free(t);
    mm_running_free(rc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("info");
    TCase *t = tcase_create("info");
    tcase_add_test(t, info_lines);
    tcase_add_test(t, info_with_mesosdns_and_unknown_version);
    tcase_add_test(t, env_is_what_info_exports_and_the_id);
    tcase_add_test(t, info_from_untrusted_answers);
    suite_add_tcase(s, t);
    return tu_run(s);
}
