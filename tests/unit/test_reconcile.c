/* `up` on a running cluster: the spec digests of the plan, the pure diff
 * of a running set (as its labels describe it) and a new plan, and the plan
 * lines it prints (engine/reconcile.h). */
#include "testutil.h"
#include "engine/reconcile.h"
#include "engine/record.h"
#include "minimesos/ast.h"
#include "minimesos/diag.h"
#include "minimesos/model.h"
#include "minimesos/plan.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZK "    zookeeper { imageName = \"zk\"; imageTag = \"1\" }\n"
#define MASTER "    master { imageName = \"mm\"; imageTag = \"1\" }\n"
#define AGENT "    agent { imageName = \"ma\"; imageTag = \"1\"; privileged = false }\n"
#define CONSUL "    consul { imageName = \"co\"; imageTag = \"1\" }\n"
#define DNS "    mesosdns { imageName = \"md\"; imageTag = \"1\" }\n"
#define REGISTRATOR "    registrator { imageName = \"re\"; imageTag = \"1\" }\n"

static mm_cluster *model(const char *body)
{
    char *text = NULL;
    if (asprintf(&text, "minimesos {\n%s}\n", body) < 0)
        abort();
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(text, strlen(text), "t", &d);
    mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &d);
    ck_assert_msg(c, "model does not build:\n%s", text);
    mm_file_free(f);
    mm_diags_free(&d);
    free(text);
    free(c->path);
    free(c->dir);
    c->path = strdup("/p/minimesosFile");
    c->dir = strdup("/p");
    return c;
}

/* The plan of a model text; uuids from `seed` so two plans differ in every
 * name. */
static mm_plan *plan(const char *body, unsigned seed)
{
    mm_cluster *c = model(body);
    size_t n = mm_plan_count(c, -1);
    char **u = calloc(n, sizeof *u);
    for (size_t i = 0; i < n; i++)
        if (asprintf(&u[i], "%u", seed * 1000 + (unsigned)i) < 0)
            abort();
    mm_plan_options o = { .cluster_id = "77", .uuids = (const char *const *)u, .n_uuids = n,
                          .num_agents = -1, .map_ports_to_host = -1 };
    char *err = NULL;
    mm_plan *p = mm_plan_build(c, &o, &err);
    ck_assert_msg(p, "plan: %s", err ? err : "?");
    for (size_t i = 0; i < n; i++)
        free(u[i]);
    free(u);
    mm_cluster_free(c);
    return p;
}

static const char *label(const mm_container_spec *s, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < s->labels.n; i++)
        if (strncmp(s->labels.items[i], key, n) == 0 && s->labels.items[i][n] == '=')
            return s->labels.items[i] + n + 1;
    return NULL;
}

static const char *fake_ip(const char *role, void *ctx)
{
    (void)role;
    (void)ctx;
    return "10.0.0.2";
}

/* The environments of the running set, as the engine shows them: the
 * image's PATH, then the plan's values with their IPs. */
static char **envs[64];

static void envs_free(void)
{
    for (size_t i = 0; i < 64; i++) {
        for (size_t k = 0; envs[i] && envs[i][k]; k++)
            free(envs[i][k]);
        free(envs[i]);
        envs[i] = NULL;
    }
}

/* The running set a plan's containers would be, all running. */
static mm_rc_have *have_of(const mm_plan *p)
{
    mm_rc_have *h = calloc(p->n, sizeof *h);
    ck_assert_uint_le(p->n, 64);
    envs_free();
    for (size_t i = 0; i < p->n; i++) {
        const mm_container_spec *s = &p->containers[i];
        envs[i] = calloc(s->env.n + 2, sizeof *envs[i]);
        envs[i][0] = strdup("PATH=/bin");
        for (size_t k = 0; k < s->env.n; k++)
            envs[i][k + 1] = mm_plan_value_str(&s->env.items[k], fake_ip, NULL);
        h[i] = (mm_rc_have){ .role = s->role, .agent = s->agent_index, .spec = label(s, MM_LABEL_SPEC),
                             .image = s->image, .state = "running", .id = s->uuid, .name = s->name,
                             .env = (const char *const *)envs[i] };
    }
    return h;
}

/* The uuids of the file's plan: other than the running ones (the diff must
 * not care), or the same (as `up` builds it to compare environments). */
static unsigned to_seed = 2;

/* The lines of the diff from running `from` to file `to`. */
static char *lines(const char *from, const char *to, void (*tweak)(mm_rc_have *, size_t))
{
    mm_plan *a = plan(from, 1), *b = plan(to, to_seed);
    mm_rc_have *h = have_of(a);
    if (tweak)
        tweak(h, a->n);
    mm_rc_diff *d = mm_reconcile_diff(h, a->n, b);
    char *text = mm_reconcile_lines(d);
    /* Every plan position is either kept or made by exactly one action. */
    for (size_t w = 0; w < b->n; w++) {
        size_t made = 0;
        for (size_t i = 0; i < d->n; i++)
            made += d->actions[i].want == w;
        ck_assert_uint_eq(made + (d->kept[w] != MM_RC_NONE), 1);
        if (d->kept[w] != MM_RC_NONE)
            ck_assert_str_eq(h[d->kept[w]].role, b->containers[w].role);
    }
    mm_rc_diff_free(d);
    free(h);
    envs_free();
    mm_plan_free(a);
    mm_plan_free(b);
    return text;
}

static void expect(const char *from, const char *to, void (*tweak)(mm_rc_have *, size_t), const char *want)
{
    char *got = lines(from, to, tweak);
    ck_assert_msg(strcmp(got, want) == 0, "plan lines:\n%s\nwanted:\n%s", got, want);
    free(got);
}

START_TEST(digest_ignores_names_and_sees_settings)
{
    mm_plan *a = plan(ZK MASTER AGENT AGENT, 1), *b = plan(ZK MASTER AGENT AGENT, 2);
    for (size_t i = 0; i < a->n; i++) {
        ck_assert_str_ne(a->containers[i].name, b->containers[i].name);
        const char *da = label(&a->containers[i], MM_LABEL_SPEC);
        ck_assert_ptr_nonnull(da);
        ck_assert_uint_eq(strlen(da), 16);
        ck_assert_str_eq(da, label(&b->containers[i], MM_LABEL_SPEC));
    }
    /* Two agents of one block: one spec, whatever their place. */
    ck_assert_str_eq(label(&a->containers[2], MM_LABEL_SPEC), label(&a->containers[3], MM_LABEL_SPEC));
    mm_plan *c = plan(ZK "    master { imageName = \"mm\"; imageTag = \"1\"; loggingLevel = \"WARNING\" }\n" AGENT AGENT, 1);
    ck_assert_str_eq(label(&a->containers[0], MM_LABEL_SPEC), label(&c->containers[0], MM_LABEL_SPEC));
    ck_assert_str_ne(label(&a->containers[1], MM_LABEL_SPEC), label(&c->containers[1], MM_LABEL_SPEC));
    mm_plan_free(a);
    mm_plan_free(b);
    mm_plan_free(c);
}
END_TEST

START_TEST(unchanged_keeps_everything)
{
    expect(ZK MASTER AGENT CONSUL, ZK MASTER AGENT CONSUL, NULL, "");
}
END_TEST

START_TEST(more_agents_are_added)
{
    expect(ZK MASTER AGENT, ZK MASTER AGENT AGENT AGENT, NULL, "+ agent 1\n+ agent 2");
}
END_TEST

START_TEST(fewer_agents_are_removed_last_first)
{
    expect(ZK MASTER AGENT AGENT AGENT, ZK MASTER AGENT, NULL, "- agent 2\n- agent 1");
}
END_TEST

START_TEST(changed_master_is_recreated_alone)
{
    /* Published ports: not in the environment. */
    expect(ZK MASTER AGENT, "    mapPortsToHost = true\n" ZK MASTER AGENT, NULL,
           "~ zookeeper (settings changed): recreate\n"
           "~ master (settings changed): recreate\n"
           "~ agent 0 (zookeeper recreated): recreate");
    expect(ZK MASTER AGENT, ZK "    master { imageName = \"mm\"; imageTag = \"2\" }\n" AGENT, NULL,
           "~ master (image mm:1 → mm:2): recreate");
}
END_TEST

START_TEST(recreated_zookeeper_cascades)
{
    expect(ZK MASTER AGENT, "    zookeeper { imageName = \"zk\"; imageTag = \"2\" }\n" MASTER AGENT, NULL,
           "~ zookeeper (image zk:1 → zk:2): recreate\n"
           "~ master (zookeeper recreated): recreate\n"
           "~ agent 0 (zookeeper recreated): recreate");
}
END_TEST

START_TEST(removed_role_and_added_role)
{
    expect(ZK CONSUL MASTER AGENT, ZK MASTER AGENT, NULL, "- consul");
    expect(ZK MASTER AGENT, ZK CONSUL MASTER AGENT, NULL, "+ consul");
    /* Removals come first, then the rest in start order. */
    expect(ZK CONSUL MASTER AGENT AGENT, ZK "    master { imageName = \"mm\"; imageTag = \"2\" }\n" AGENT, NULL,
           "- agent 1\n- consul\n~ master (image mm:1 → mm:2): recreate");
}
END_TEST

static void no_env(mm_rc_have *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h[i].env = NULL;
}

START_TEST(changed_variables_are_named)
{
    to_seed = 1; /* up names the recreated containers as before (reconcile.c) */
    expect(ZK MASTER AGENT, ZK "    master { imageName = \"mm\"; imageTag = \"1\"; loggingLevel = \"WARNING\" }\n" AGENT,
           NULL, "~ master (MESOS_LOGGING_LEVEL INFO → WARNING): recreate");
    /* Without the environment: only that it changed. */
    expect(ZK MASTER AGENT, ZK "    master { imageName = \"mm\"; imageTag = \"1\"; loggingLevel = \"WARNING\" }\n" AGENT,
           no_env, "~ master (settings changed): recreate");
    /* A new variable; the ZooKeeper reference (its IP) is not compared. */
    expect(ZK MASTER AGENT, "    clusterName = \"c1\"\n" ZK MASTER AGENT, NULL, "~ master (+MESOS_CLUSTER=c1): recreate");
    /* More than two: the first two, then "...". */
    expect(ZK MASTER "    agent { imageName = \"ma\"; imageTag = \"1\"; privileged = false }\n",
           ZK MASTER "    agent { imageName = \"ma\"; imageTag = \"1\"; privileged = false; portNumber = 5099; "
           "loggingLevel = \"ERROR\"; attributes = \"rack:a\" }\n", NULL,
           "~ agent 0 (MESOS_LOGGING_LEVEL INFO → ERROR, MESOS_ATTRIBUTES '' → rack:a, ...): recreate");
    to_seed = 2;
}
END_TEST

static void stop_agent0(mm_rc_have *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].role, "agent") == 0 && h[i].agent == 0)
            h[i].state = "exited";
}

static void no_spec_labels(mm_rc_have *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].role, "master") == 0)
            h[i].spec = NULL;
}

/* Agents numbered beyond the file (agent add) and a missing number. */
static void renumber(mm_rc_have *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].role, "agent") == 0 && h[i].agent == 1)
            h[i].agent = 5;
}

START_TEST(stopped_unlabelled_and_renumbered)
{
    expect(ZK MASTER AGENT, ZK MASTER AGENT, stop_agent0, "~ agent 0 (it is exited): recreate");
    expect(ZK MASTER AGENT, ZK MASTER AGENT, no_spec_labels,
           "~ master (no spec label: not made by this up, but by an older minimesos or compose): recreate");
    expect(ZK MASTER AGENT AGENT, ZK MASTER AGENT AGENT, renumber, "- agent 5\n+ agent 1");
}
END_TEST

/* Where each role runs now and the IPs the others were created with: as
 * the engine shows them, with `now` for the role that moved. */
static const char *moved_role = "zookeeper", *moved_now = "10.0.0.7";
static mm_rc_ref refs[64][4];

static const char *ip_of_role(const char *role)
{
    if (strcmp(role, "zookeeper") == 0)
        return "10.0.0.2";
    if (strcmp(role, "consul") == 0)
        return "10.0.0.3";
    if (strcmp(role, "mesosdns") == 0)
        return "10.0.0.4";
    return "10.0.0.9";
}

/* Every container runs at its role's IP (the moved role at moved_now) and
 * was created to reach each role it depends on at that role's old IP. */
static void addresses(mm_rc_have *h, size_t n, const mm_plan *p)
{
    static const char *const reached[] = { "zookeeper", "consul", "mesosdns" };
    for (size_t i = 0; i < n; i++) {
        h[i].ip = strcmp(h[i].role, moved_role) == 0 ? moved_now : ip_of_role(h[i].role);
        if (strcmp(h[i].role, "registrator") == 0)
            h[i].ip = NULL; /* the host's network */
        h[i].n_refs = 0;
        h[i].refs = refs[i];
        const mm_container_spec *s = &p->containers[i];
        for (size_t k = 0; k < s->depends.n; k++)
            for (size_t r = 0; r < 3; r++)
                if (strcmp(s->depends.items[k], reached[r]) == 0)
                    refs[i][h[i].n_refs++] = (mm_rc_ref){ .role = reached[r], .ip = ip_of_role(reached[r]) };
    }
}

static const mm_plan *addr_plan;
static void moved(mm_rc_have *h, size_t n)
{
    addresses(h, n, addr_plan);
}

static void expect_moved(const char *from, const char *to, const char *role, const char *now, const char *want)
{
    moved_role = role;
    moved_now = now;
    mm_plan *a = plan(from, 1);
    addr_plan = a;
    expect(from, to, moved, want);
    addr_plan = NULL;
    mm_plan_free(a);
}

START_TEST(moved_reference_is_recreated)
{
    expect_moved(ZK MASTER AGENT AGENT, ZK MASTER AGENT AGENT, "zookeeper", "10.0.0.7",
                 "~ master (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ agent 0 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ agent 1 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate");
    /* Consul: registrator (on the host's network) holds its IP in its command. */
    expect_moved(ZK CONSUL REGISTRATOR MASTER AGENT, ZK CONSUL REGISTRATOR MASTER AGENT, "consul", "10.0.0.8",
                 "~ registrator (consul moved 10.0.0.3 → 10.0.0.8): recreate");
    /* Mesos-DNS: the master's and the agents' DNS server. */
    expect_moved(ZK DNS MASTER AGENT, ZK DNS MASTER AGENT, "mesosdns", "10.0.0.5",
                 "~ master (mesosdns moved 10.0.0.4 → 10.0.0.5): recreate\n"
                 "~ agent 0 (mesosdns moved 10.0.0.4 → 10.0.0.5): recreate");
}
END_TEST

START_TEST(same_address_is_kept)
{
    expect_moved(ZK MASTER AGENT, ZK MASTER AGENT, "zookeeper", "10.0.0.2", "");
    expect_moved(ZK CONSUL REGISTRATOR DNS MASTER AGENT, ZK CONSUL REGISTRATOR DNS MASTER AGENT, "none", "", "");
    /* The moved role's own container is not what changed. */
    expect_moved(ZK MASTER, ZK MASTER, "master", "10.0.0.99", "");
}
END_TEST

/* Not read (the inspect failed, or an IP the role does not run at now is
 * unknown): nothing to compare, kept. */
static void refs_unknown(mm_rc_have *h, size_t n)
{
    addresses(h, n, addr_plan);
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].role, "agent") == 0)
            h[i].n_refs = 0;
        else if (strcmp(h[i].role, "zookeeper") == 0 && strcmp(moved_role, "none") == 0)
            h[i].ip = NULL;
}

START_TEST(unknown_address_is_kept)
{
    moved_role = "zookeeper";
    moved_now = "10.0.0.7";
    mm_plan *a = plan(ZK MASTER AGENT, 1);
    addr_plan = a;
    expect(ZK MASTER AGENT, ZK MASTER AGENT, refs_unknown, "~ master (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate");
    moved_role = "none";
    expect(ZK MASTER AGENT, ZK MASTER AGENT, refs_unknown, "");
    addr_plan = NULL;
    mm_plan_free(a);
}
END_TEST

START_TEST(moved_cascade_order)
{
    /* ZooKeeper moved: Mesos-DNS (which reaches it) is recreated, and the
     * master and agents, which reach both, say the first cause in their
     * order: ZooKeeper's move, not Mesos-DNS's recreation. */
    expect_moved(ZK DNS MASTER AGENT, ZK DNS MASTER AGENT, "zookeeper", "10.0.0.7",
                 "~ mesosdns (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ master (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ agent 0 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate");
    /* ZooKeeper recreated as well (its image changed): that is the reason,
     * not the IP it had. */
    expect_moved(ZK MASTER AGENT, "    zookeeper { imageName = \"zk\"; imageTag = \"2\" }\n" MASTER AGENT, "zookeeper",
                 "10.0.0.7",
                 "~ zookeeper (image zk:1 → zk:2): recreate\n"
                 "~ master (zookeeper recreated): recreate\n"
                 "~ agent 0 (zookeeper recreated): recreate");
    /* Removals first, then recreations and additions in start order. */
    expect_moved(ZK CONSUL MASTER AGENT AGENT, ZK MASTER AGENT AGENT AGENT, "zookeeper", "10.0.0.7",
                 "- consul\n"
                 "~ master (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ agent 0 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "~ agent 1 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate\n"
                 "+ agent 2");
}
END_TEST

START_TEST(moved_in_json)
{
    moved_role = "zookeeper";
    moved_now = "10.0.0.7";
    mm_plan *a = plan(ZK MASTER AGENT, 1), *b = plan(ZK MASTER AGENT, 2);
    mm_rc_have *h = have_of(a);
    addresses(h, a->n, a);
    mm_rc_diff *d = mm_reconcile_diff(h, a->n, b);
    char *text = mm_reconcile_json(d, "77");
    cJSON *j = cJSON_Parse(text);
    ck_assert_ptr_nonnull(j);
    const cJSON *c1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "changes"), 1);
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "change")->valuestring, "recreate");
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "role")->valuestring, "agent");
    ck_assert_int_eq(cJSON_GetObjectItem(c1, "agent")->valueint, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "reason")->valuestring, "zookeeper moved 10.0.0.2 → 10.0.0.7");
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "line")->valuestring,
                     "~ agent 0 (zookeeper moved 10.0.0.2 → 10.0.0.7): recreate");
    cJSON_Delete(j);
    free(text);
    mm_rc_diff_free(d);
    free(h);
    envs_free();
    mm_plan_free(a);
    mm_plan_free(b);
}
END_TEST

/* The addresses as the engine's inspect answer shows them. */
static char *ref_in(const char *inspect, const char *role)
{
    cJSON *ins = cJSON_Parse(inspect);
    ck_assert_ptr_nonnull(ins);
    char *ip = mm_referenced_ip(ins, role);
    cJSON_Delete(ins);
    return ip;
}

static void expect_ref(const char *inspect, const char *role, const char *want)
{
    char *got = ref_in(inspect, role);
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "%s in %s: %s, wanted %s", role, inspect, got ? got : "NULL", want);
    else
        ck_assert_msg(!got, "%s in %s: %s, wanted none", role, inspect, got);
    free(got);
}

START_TEST(referenced_ip_reads_the_inspect)
{
    const char *master = "{\"Config\": {\"Env\": [\"PATH=/bin\", \"MESOS_ZK=zk://172.17.0.3:2181/mesos\"]},"
                         " \"HostConfig\": {\"Dns\": [\"172.17.0.4\"]}}";
    expect_ref(master, "zookeeper", "172.17.0.3");
    expect_ref(master, "mesosdns", "172.17.0.4");
    expect_ref(master, "consul", NULL);
    /* Marathon: the extra host, not the user's command. */
    expect_ref("{\"Config\": {\"Cmd\": [\"--zk\", \"zk://10.9.9.9:2181/x\"]},"
               " \"HostConfig\": {\"ExtraHosts\": [\"minimesos-zookeeper:172.17.0.3\"]}}", "zookeeper", "172.17.0.3");
    expect_ref("{\"Config\": {\"Cmd\": [\"--master\", \"zk://minimesos-zookeeper:2181/mesos\"]}}", "zookeeper", NULL);
    expect_ref("{\"Config\": {\"Cmd\": [\"-internal\", \"consul://172.17.0.5:8500\"]}}", "consul", "172.17.0.5");
    expect_ref("{\"Config\": {\"Env\": null}, \"HostConfig\": {\"Dns\": null}}", "mesosdns", NULL);
    expect_ref("{}", "zookeeper", NULL);
}
END_TEST

START_TEST(nothing_running)
{
    mm_plan *b = plan(ZK MASTER AGENT, 1);
    mm_rc_diff *d = mm_reconcile_diff(NULL, 0, b);
    char *text = mm_reconcile_lines(d);
    ck_assert_str_eq(text, "+ zookeeper\n+ master\n+ agent 0");
    free(text);
    mm_rc_diff_free(d);
    mm_plan_free(b);
}
END_TEST

START_TEST(json_form_matches_the_lines)
{
    mm_plan *a = plan(ZK CONSUL MASTER AGENT, 1);
    mm_plan *b = plan(ZK "    master { imageName = \"mm\"; imageTag = \"2\" }\n" AGENT AGENT, 2);
    mm_rc_have *h = have_of(a);
    mm_rc_diff *d = mm_reconcile_diff(h, a->n, b);
    char *text = mm_reconcile_json(d, "77");
    cJSON *j = cJSON_Parse(text);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "clusterId")->valuestring, "77");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "upToDate")));
    char *lines_text = mm_reconcile_lines(d);
    {
        /* Each change's "line" is the text line at its place. */
        const cJSON *c;
        char joined[1024] = "";
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "changes")) {
            if (*joined)
                strcat(joined, "\n");
            strcat(joined, cJSON_GetObjectItem(c, "line")->valuestring);
        }
        ck_assert_str_eq(joined, lines_text);
    }
    const cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "changes"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(c0, "change")->valuestring, "remove");
    ck_assert_str_eq(cJSON_GetObjectItem(c0, "role")->valuestring, "consul");
    ck_assert_ptr_null(cJSON_GetObjectItem(c0, "agent"));
    const cJSON *c1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "changes"), 1);
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "change")->valuestring, "recreate");
    ck_assert_str_eq(cJSON_GetObjectItem(c1, "reason")->valuestring, "image mm:1 → mm:2");
    const cJSON *c2 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "changes"), 2);
    ck_assert_str_eq(cJSON_GetObjectItem(c2, "change")->valuestring, "add");
    ck_assert_int_eq(cJSON_GetObjectItem(c2, "agent")->valueint, 1);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "changes")), 3);
    cJSON_Delete(j);
    free(lines_text);
    free(text);
    mm_rc_diff_free(d);
    free(h);
    mm_plan_free(a);
    mm_plan_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reconcile");
    TCase *t = tcase_create("diff");
    tcase_add_test(t, digest_ignores_names_and_sees_settings);
    tcase_add_test(t, unchanged_keeps_everything);
    tcase_add_test(t, more_agents_are_added);
    tcase_add_test(t, fewer_agents_are_removed_last_first);
    tcase_add_test(t, changed_master_is_recreated_alone);
    tcase_add_test(t, recreated_zookeeper_cascades);
    tcase_add_test(t, removed_role_and_added_role);
    tcase_add_test(t, stopped_unlabelled_and_renumbered);
    tcase_add_test(t, nothing_running);
    tcase_add_test(t, json_form_matches_the_lines);
    tcase_add_test(t, changed_variables_are_named);
    tcase_add_test(t, moved_reference_is_recreated);
    tcase_add_test(t, same_address_is_kept);
    tcase_add_test(t, unknown_address_is_kept);
    tcase_add_test(t, moved_cascade_order);
    tcase_add_test(t, moved_in_json);
    tcase_add_test(t, referenced_ip_reads_the_inspect);
    suite_add_tcase(s, t);
    return tu_run(s);
}
