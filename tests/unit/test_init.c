/* mm_init_template: the file `minimesos init` writes, from the library. */
#include "testutil.h"
#include "minimesos/minimesos.h"

static mm_cluster *build(const char *text, size_t *n_diags)
{
    mm_diags d;
    mm_diags_init(&d, "<t>");
    mm_file *f = mm_parse(text, strlen(text), "<t>", &d);
    mm_cluster *c = mm_cluster_build(f, 0, &d);
    *n_diags = d.len;
    mm_file_free(f);
    mm_diags_free(&d);
    return c;
}

START_TEST(every_service_and_defaults)
{
    char *err = NULL;
    char *text = mm_init_template(NULL, 1, MM_SVC_ALL, &err);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(err);
    size_t nd;
    mm_cluster *c = build(text, &nd);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(nd, 0); /* lints clean: not even a warning */
    ck_assert_str_eq(c->mesos_version, "1.0.0");
    ck_assert_ptr_nonnull(c->master);
    ck_assert_str_eq(c->master->image.tag, "1.0.0-0.1.0");
    ck_assert_ptr_nonnull(c->zookeeper);
    ck_assert_uint_eq(c->n_agents, 1);
    char *res = mm_agent_mesos_resources(&c->agents[0]);
    ck_assert_str_eq(res, "ports(*):[31000-32000]; cpus(*):4; mem(*):1024; disk(*):2000");
    free(res);
    ck_assert_ptr_nonnull(c->marathon);
    ck_assert_uint_eq(c->marathon->n_apps, 1);
    ck_assert_ptr_nonnull(c->consul);
    ck_assert_str_eq(c->consul->name, "consul");
    ck_assert_ptr_nonnull(c->registrator);
    ck_assert_ptr_nonnull(c->mesosdns);
    mm_cluster_free(c);
    free(text);
}
END_TEST

START_TEST(version_agents_and_no_services)
{
    char *err = NULL;
    char *text = mm_init_template("0.28", 3, 0, &err);
    ck_assert_ptr_nonnull(text);
    size_t nd;
    mm_cluster *c = build(text, &nd);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->n_agents, 3);
    ck_assert_str_eq(c->agents[2].image.tag, "0.28-0.1.0");
    ck_assert_str_eq(c->master->image.tag, "0.28-0.1.0");
    ck_assert_ptr_null(c->marathon);
    ck_assert_ptr_null(c->consul);
    ck_assert_ptr_null(c->registrator);
    ck_assert_ptr_null(c->mesosdns);
    mm_cluster_free(c);
    free(text);
}
END_TEST

START_TEST(refuses_what_would_not_lint)
{
    char *err = NULL;
    ck_assert_ptr_null(mm_init_template("0.24", 1, MM_SVC_ALL, &err));
    ck_assert_ptr_nonnull(strstr(err, "0.24"));
    free(err);
    err = NULL;
    ck_assert_ptr_null(mm_init_template(NULL, 1, MM_SVC_REGISTRATOR, &err));
    ck_assert_ptr_nonnull(strstr(err, "consul"));
    free(err);
    ck_assert(mm_mesos_version_supported("0.25"));
    ck_assert(!mm_mesos_version_supported("1.1.0"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("template");
    tcase_add_test(tc, every_service_and_defaults);
    tcase_add_test(tc, version_agents_and_no_services);
    tcase_add_test(tc, refuses_what_would_not_lint);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
