/* The JSON Schemas generated from the schema table and the SARIF writer:
 * each rule's pattern accepts exactly what the rule's C check accepts (run
 * through POSIX regex, the patterns being written in the part of the syntax
 * ECMA-262 and POSIX ERE share), the schemas name every row, block and key
 * the JSON writers emit, the table's `effective` flag is what the model
 * adds, and SARIF's paths, rules and regions. tests/schema/validate.sh runs a
 * real JSON Schema validator over the actual outputs. */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <regex.h>
#include <stdint.h>

#include "minimesos/minimesos.h"
#include "model/schema.h"
#include "lang/sarif.h"

static regex_t compile(sc_rule r)
{
    regex_t re;
    const char *p = mm_sc_rule_pattern(r);
    ck_assert_ptr_nonnull(p);
    ck_assert_msg(regcomp(&re, p, REG_EXTENDED | REG_NOSUB) == 0, "pattern of rule %d: %s", r, p);
    return re;
}

static bool matches(const regex_t *re, const char *s)
{
    return regexec(re, s, 0, NULL, 0) == 0;
}

/* Every string of up to max_len characters of alphabet, in turn, to f. */
static void each_string(const char *alphabet, int max_len, void (*f)(const char *s, void *ctx), void *ctx)
{
    size_t n = strlen(alphabet);
    char s[16];
    for (int len = 0; len <= max_len; len++) {
        int idx[16] = { 0 };
        for (;;) {
            for (int i = 0; i < len; i++)
                s[i] = alphabet[idx[i]];
            s[len] = '\0';
            f(s, ctx);
            int k = len - 1;
            while (k >= 0 && ++idx[k] == (int)n)
                idx[k--] = 0;
            if (k < 0)
                break;
        }
    }
}

/* Random strings made of tokens, from a fixed seed. */
static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_string(char *out, size_t cap, const char *const *tokens, size_t n_tokens, int max_tokens)
{
    int k = 1 + (int)(next_rand() % (uint64_t)max_tokens);
    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        const char *t = tokens[next_rand() % n_tokens];
        if (strlen(out) + strlen(t) + 1 < cap)
            strcat(out, t);
    }
}

typedef struct {
    regex_t re;
    bool (*check)(const char *s);
    size_t compared;
} agree_ctx;

static void agree(const char *s, void *p)
{
    agree_ctx *c = p;
    bool want = c->check(s);
    ck_assert_msg(matches(&c->re, s) == want, "pattern says %s, check says %s for \"%s\"",
                  want ? "no" : "yes", want ? "yes" : "no", s);
    c->compared++;
}

static void agree_on(agree_ctx *c, const char *const *tokens, size_t n_tokens, int max_tokens,
                     int samples)
{
    char s[512];
    for (int i = 0; i < samples; i++) {
        random_string(s, sizeof s, tokens, n_tokens, max_tokens);
        agree(s, c);
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(patterns_compile)
{
    for (int r = SC_R_NONE; r <= SC_R_PATH_OR_URL; r++) {
        if (!mm_sc_rule_pattern((sc_rule)r))
            continue;
        regex_t re = compile((sc_rule)r);
        regfree(&re);
        const char *p = mm_sc_rule_pattern((sc_rule)r);
        ck_assert_msg(p[0] == '^' && p[strlen(p) - 1] == '$', "pattern %s is anchored", p);
        ck_assert_msg(!strstr(p, "(?"), "pattern %s: no (? groups (POSIX has none)", p);
    }
    ck_assert_ptr_null(mm_sc_rule_pattern(SC_R_NONE));
    ck_assert_ptr_null(mm_sc_rule_pattern(SC_R_LEVEL));
}
END_TEST

START_TEST(role_pattern_is_the_check)
{
    agree_ctx c = { compile(SC_R_ROLE), mm_sc_valid_role, 0 };
    each_string("*a_.-Z0 ", 4, agree, &c);
    ck_assert_uint_gt(c.compared, 4000);
    regfree(&c.re);
}
END_TEST

START_TEST(tag_pattern_is_the_check)
{
    agree_ctx c = { compile(SC_R_IMAGE_TAG), mm_sc_valid_image_tag, 0 };
    each_string("aZ0_.-:", 4, agree, &c);
    char s[200];
    for (size_t n = 126; n <= 130; n++) {
        memset(s, 'v', n);
        s[n] = '\0';
        agree(s, &c);
    }
    regfree(&c.re);
}
END_TEST

static bool valid_image_name_short(const char *s)
{
    return mm_sc_valid_image_name(s);
}

START_TEST(image_name_pattern_is_the_check)
{
    agree_ctx c = { compile(SC_R_IMAGE_NAME), valid_image_name_short, 0 };
    each_string("a.-_/:A1", 5, agree, &c);
    static const char *const tokens[] = {
        "a", "b9", "localhost", "Ab", "example.com", ":5000", ":123456", ".", "_", "__", "-",
        "--", "/", ":", "1", "my_image", "x-", "-y", "a..b", "A_B",
    };
    agree_on(&c, tokens, N(tokens), 8, 60000);
    ck_assert_uint_gt(c.compared, 90000);
    regfree(&c.re);
    /* the length is the schema's maxLength, not the pattern's */
    ck_assert_uint_eq(mm_sc_rule_max_length(SC_R_IMAGE_NAME), 255);
}
END_TEST

/* check_ranges, without its one condition the pattern leaves out */
static const char *ranges_verdict(const char *s, bool *skip)
{
    char *why = mm_sc_check_ranges(s);
    *skip = why && strstr(why, "reversed");
    bool ok = why == NULL;
    free(why);
    return ok ? "ok" : "bad";
}

START_TEST(ranges_pattern_is_the_check)
{
    regex_t re = compile(SC_R_RANGES);
    static const char *const tokens[] = {
        "[", "]", "-", ",", " ", "\t", "0", "80", "65535", "65536", "000080", "0000080",
        "99999", "1", "x", "31000-32000", "[0-0]", "6553", "65530",
    };
    size_t compared = 0;
    char s[512];
    for (int i = 0; i < 200000; i++) {
        random_string(s, sizeof s, tokens, N(tokens), 9);
        bool skip;
        const char *v = ranges_verdict(s, &skip);
        if (skip)
            continue;
        ck_assert_msg(matches(&re, s) == (strcmp(v, "ok") == 0), "pattern and check differ on \"%s\"", s);
        compared++;
    }
    /* every value 0..99999 and its 6-digit form with a leading zero */
    for (long v = 0; v <= 99999; v += 7) {
        snprintf(s, sizeof s, "[%ld-%ld]", v, v);
        bool skip;
        ck_assert_msg(matches(&re, s) == (strcmp(ranges_verdict(s, &skip), "ok") == 0), "%s", s);
        snprintf(s, sizeof s, "[0%05ld-0%05ld]", v, v);
        ck_assert_msg(matches(&re, s) == (strcmp(ranges_verdict(s, &skip), "ok") == 0), "%s", s);
    }
    ck_assert_uint_gt(compared, 100000);
    regfree(&re);
}
END_TEST

/* A quoted resource value the model takes: apply_scalar's checks. */
static bool scalar_text_ok(const char *s, bool *skip)
{
    double v;
    *skip = false;
    if (strchr(s, ',') || !mm_sc_parse_number_text(s, &v))
        return false;
    if (isfinite(v) && v > SC_SCALAR_MAX) /* beyond the pattern: a value check */
        *skip = true;
    return isfinite(v) && !(v < 0) && v <= SC_SCALAR_MAX;
}

static regex_t scalar_re;
static size_t scalar_compared;
static void scalar_agree(const char *s, void *ctx)
{
    (void)ctx;
    bool skip;
    bool ok = scalar_text_ok(s, &skip);
    if (skip)
        return;
    ck_assert_msg(matches(&scalar_re, s) == ok, "pattern and model differ on \"%s\"", s);
    scalar_compared++;
}

START_TEST(scalar_text_pattern_is_the_check)
{
    scalar_re = compile(SC_R_SCALAR);
    each_string("0-1.eE+,", 5, scalar_agree, NULL);
    ck_assert_uint_gt(scalar_compared, 30000);
    regfree(&scalar_re);
}
END_TEST

/* ---- the schemas ---- */

static const cJSON *def_of(const cJSON *schema, const sc_block *b)
{
    if (b->id == SC_B_CLUSTER)
        return schema;
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"), b->name);
}

static bool in_array(const cJSON *a, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return true;
    return false;
}

START_TEST(schemas_name_every_row)
{
    cJSON *forms[2] = { mm_cluster_json_schema(), mm_convert_json_schema() };
    for (int f = 0; f < 2; f++) {
        const cJSON *s = forms[f];
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(s, "$schema")->valuestring,
                         "https://json-schema.org/draft/2020-12/schema");
        for (int id = 0; id < SC_B__COUNT; id++) {
            const sc_block *b = mm_sc_block_get((sc_block_id)id);
            const cJSON *d = def_of(s, b);
            ck_assert_msg(d != NULL, "no schema for block %s", b->name);
            ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(d, "additionalProperties")));
            const cJSON *props = cJSON_GetObjectItemCaseSensitive(d, "properties");
            const cJSON *req = cJSON_GetObjectItemCaseSensitive(d, "required");
            for (size_t i = 0; i < b->n_props; i++) {
                const sc_prop *p = &b->props[i];
                const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, p->name);
                ck_assert_msg(ps != NULL, "%s.%s missing", b->name, p->name);
                ck_assert_msg(strncmp(cJSON_GetObjectItemCaseSensitive(ps, "description")->valuestring,
                                      p->doc, strlen(p->doc)) == 0, "%s.%s: description", b->name, p->name);
                bool required = f == 0 || (p->flags & SC_F_REQUIRED);
                ck_assert_msg(in_array(req, p->name) == required, "%s.%s required", b->name, p->name);
                bool has_default = !(p->flags & (SC_F_REQUIRED | SC_F_DERIVED)) &&
                                   !(f == 0 && p->rule == SC_R_LEVEL_INHERIT);
                ck_assert_msg(cJSON_HasObjectItem(ps, "default") == has_default,
                              "%s.%s default", b->name, p->name);
            }
            const sc_block *kids[SC_B__COUNT];
            size_t nk = mm_sc_children(b, kids);
            for (size_t i = 0; i < nk; i++) {
                const char *key = f == 0 ? mm_sc_json_key(kids[i]) : kids[i]->name;
                ck_assert_msg(cJSON_HasObjectItem(props, key), "%s: child %s", b->name, key);
            }
        }
    }
    /* a nullable row takes null; its enum too */
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(forms[0], "properties"), "clusterName");
    ck_assert(in_array(cJSON_GetObjectItemCaseSensitive(cn, "type"), "null"));
    cJSON_Delete(forms[0]);
    cJSON_Delete(forms[1]);
}
END_TEST

/* The keys of every object of the config JSON are exactly its schema's
 * properties (all required), walking the JSON and the schema together. */
static void same_keys(const cJSON *schema, const cJSON *sub, const cJSON *json, const char *where)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(sub, "$ref");
    if (ref) {
        const char *name = ref->valuestring + strlen("#/$defs/");
        sub = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"), name);
    }
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(sub, "anyOf");
    if (any && !cJSON_IsNull(json)) {
        same_keys(schema, cJSON_GetArrayItem(any, 0), json, where);
        return;
    }
    if (cJSON_IsArray(json)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, json)
            same_keys(schema, cJSON_GetObjectItemCaseSensitive(sub, "items"), e, where);
        return;
    }
    if (!cJSON_IsObject(json))
        return;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(sub, "properties");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(sub, "required");
    ck_assert_int_eq(cJSON_GetArraySize(json), cJSON_GetArraySize(props));
    ck_assert_int_eq(cJSON_GetArraySize(req), cJSON_GetArraySize(props));
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, m->string);
        ck_assert_msg(ps != NULL, "%s: key %s is not in the schema", where, m->string);
        ck_assert_msg(in_array(req, m->string), "%s: %s not required", where, m->string);
        same_keys(schema, ps, m, m->string);
    }
}

START_TEST(config_json_keys_are_the_schema)
{
    static const char src[] =
        "minimesos {\n master { }\n agent { resources { cpu { value = 1 }; ports { value = \"[1-2]\" } } }\n"
        " agent { }\n zookeeper { }\n marathon { app { marathonJson = \"a\" }; group { marathonJson = \"g\" } }\n"
        " consul { }\n registrator { }\n mesosdns { }\n}\n";
    mm_diags d;
    mm_diags_init(&d, "t");
    mm_file *f = mm_parse(src, strlen(src), "t", &d);
    mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &d);
    ck_assert_ptr_nonnull(c);
    cJSON *j = mm_cluster_to_json(c);
    cJSON *s = mm_cluster_json_schema();
    same_keys(s, s, j, "cluster");
    cJSON_Delete(j);
    /* and with the optional blocks null */
    mm_cluster *def = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    j = mm_cluster_to_json(def);
    same_keys(s, s, j, "default cluster");
    cJSON_Delete(j);
    cJSON_Delete(s);
    mm_cluster_free(def);
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_free(&d);
}
END_TEST

START_TEST(effective_blocks_are_what_the_model_adds)
{
    mm_cluster *eff = mm_cluster_new_default(MM_MODEL_EFFECTIVE);
    mm_cluster *bare = mm_cluster_new_default(0);
    const sc_block *kids[SC_B__COUNT];
    size_t nk = mm_sc_children(mm_sc_block_get(SC_B_CLUSTER), kids);
    size_t n_effective = 0;
    for (size_t i = 0; i < nk; i++) {
        if (kids[i]->repeat)
            continue;
        ck_assert_msg(mm_sc_count(kids[i], eff) == (kids[i]->effective ? 1u : 0u), "%s", kids[i]->name);
        ck_assert_uint_eq(mm_sc_count(kids[i], bare), 0);
        n_effective += kids[i]->effective;
    }
    ck_assert_uint_eq(n_effective, 2); /* master and zookeeper */
    mm_cluster_free(eff);
    mm_cluster_free(bare);
}
END_TEST

/* ---- SARIF ---- */

START_TEST(relative_paths)
{
    static const struct { const char *path, *cwd, *want; } cases[] = {
        { "minimesosFile", "/w", "minimesosFile" },
        { "./a/./b", "/w", "a/b" },
        { "a/../b", "/w", "b" },
        { "../x", "/w/p", "../x" },
        { "a/../../x", "/w", "../x" },
        { "/w/p/f", "/w/p", "f" },
        { "/w/p/f", "/w/p/", "f" },
        { "/w/q/f", "/w/p", "../q/f" },
        { "/f", "/w/p", "../../f" },
        { "/w/p/../p/sub/./f", "/w/p", "sub/f" },
        { "/w/p/f", "/", "w/p/f" },
        { "/w/pp/f", "/w/p", "../pp/f" },
    };
    for (size_t i = 0; i < N(cases); i++) {
        char *got = mm_sarif_relative_path(cases[i].path, cases[i].cwd);
        ck_assert_msg(got && strcmp(got, cases[i].want) == 0, "%s from %s: %s, want %s",
                      cases[i].path, cases[i].cwd, got ? got : "NULL", cases[i].want);
        free(got);
    }
    ck_assert_ptr_null(mm_sarif_relative_path("/a", NULL));
}
END_TEST

START_TEST(sarif_log)
{
    cJSON *log = mm_sarif_new();
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(log, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(log, "runs"), 0);
    cJSON *driver = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "tool"), "driver");
    cJSON *rules = cJSON_GetObjectItemCaseSensitive(driver, "rules");
    ck_assert_int_eq(cJSON_GetArraySize(rules), MM_DIAG__COUNT);
    cJSON *w = cJSON_GetArrayItem(rules, MM_W_DUP_PROPERTY);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(w, "id")->valuestring, "W304");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(w, "shortDescription"), "text")->valuestring,
                     "duplicate property");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(w, "defaultConfiguration"), "level")->valuestring,
                     "warning");

    /* "é" is two bytes and one UTF-16 unit */
    static const char src[] = "minimesos {\n  x = \"\xc3\xa9\" ; y = 1\n}\n";
    mm_diags d;
    mm_diags_init(&d, "f");
    mm_span sp = { { 2, 14, 25 }, { 2, 15, 26 } };  /* `y` */
    mm_span first = { { 2, 3, 14 }, { 2, 4, 15 } };
    mm_diag_add_related(&d, MM_W_DUP_PROPERTY, sp, first, "remove one", "twice");
    mm_span none = { { 0, 0, 0 }, { 0, 0, 0 } };
    mm_diag_add(&d, MM_E_IO, none, NULL, "cannot read");
    mm_sarif_add(log, &d, "dir/f", src, sizeof src - 1);
    mm_sarif_add(log, &d, NULL, NULL, 0);
    cJSON *results = cJSON_GetObjectItemCaseSensitive(run, "results");
    ck_assert_int_eq(cJSON_GetArraySize(results), 4);
    cJSON *r = cJSON_GetArrayItem(results, 0);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r, "ruleId")->valuestring, "W304");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(r, "ruleIndex")->valueint, MM_W_DUP_PROPERTY);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r, "level")->valuestring, "warning");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "message"), "text")->valuestring,
                     "twice; hint: remove one");
    cJSON *phys = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "locations"), 0),
                                                   "physicalLocation");
    cJSON *al = cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(al, "uri")->valuestring, "dir/f");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(al, "uriBaseId")->valuestring, "%SRCROOT%");
    cJSON *reg = cJSON_GetObjectItemCaseSensitive(phys, "region");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(reg, "startLine")->valueint, 2);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(reg, "startColumn")->valueint, 13);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(reg, "endColumn")->valueint, 14);
    cJSON *rel = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "relatedLocations"), 0);
    cJSON *rreg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(rel, "physicalLocation"), "region");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(rreg, "startColumn")->valueint, 3);
    /* no position: no region */
    cJSON *io = cJSON_GetArrayItem(results, 1);
    phys = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(io, "locations"), 0),
                                            "physicalLocation");
    ck_assert(!cJSON_HasObjectItem(phys, "region"));
    /* without the text: byte columns; standard input: no URI */
    r = cJSON_GetArrayItem(results, 2);
    phys = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "locations"), 0),
                                            "physicalLocation");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(phys, "region"), "startColumn")->valueint, 14);
    ck_assert(!cJSON_HasObjectItem(cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation"), "uri"));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(run, "artifacts")), 2);
    mm_diags_free(&d);
    cJSON_Delete(log);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_schema");
    TCase *t = tcase_create("patterns");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, patterns_compile);
    tcase_add_test(t, role_pattern_is_the_check);
    tcase_add_test(t, tag_pattern_is_the_check);
    tcase_add_test(t, image_name_pattern_is_the_check);
    tcase_add_test(t, ranges_pattern_is_the_check);
    tcase_add_test(t, scalar_text_pattern_is_the_check);
    suite_add_tcase(s, t);
    TCase *g = tcase_create("schemas");
    tcase_add_test(g, schemas_name_every_row);
    tcase_add_test(g, config_json_keys_are_the_schema);
    tcase_add_test(g, effective_blocks_are_what_the_model_adds);
    suite_add_tcase(s, g);
    TCase *r = tcase_create("sarif");
    tcase_add_test(r, relative_paths);
    tcase_add_test(r, sarif_log);
    suite_add_tcase(s, r);
    return tu_run(s);
}
