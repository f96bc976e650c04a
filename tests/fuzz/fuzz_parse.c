/* libFuzzer harness: parse, build the model, run every emitter.
 *
 * Beyond "no crash, no leak, no undefined behaviour" it checks properties:
 *  - the canonical minimesosFile of a model reads back to the same model
 *    (JSON text equal) without an error, and is a fixed point;
 *  - the streaming JSON writer and the cJSON tree agree;
 *  - fmt (when built) is idempotent and keeps the model;
 *  - convert (when built): file -> JSON -> file keeps the model; the input
 *    bytes are also tried as JSON for convert's other direction.
 * Build and run: make fuzz FUZZ_SECONDS=300 (mk/fuzz.mk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "minimesos/minimesos.h"
#if __has_include("minimesos/fmt.h")
#include "minimesos/fmt.h"
#define HAVE_FMT 1
#endif
#if __has_include("minimesos/convert.h")
#include "minimesos/convert.h"
#define HAVE_CONVERT 1
#endif

static FILE *devnull;

static char *json_of(const mm_cluster *c, bool indent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (mm_cluster_write_json(f, c, indent) != 0)
        abort();
    fclose(f);
    return buf;
}

static void fail(const char *what, const char *a, const char *b);

static mm_cluster *build(const char *src, size_t len, mm_diags *d, mm_file **fo)
{
    mm_diags_init(d, "fuzz");
    mm_file *f = mm_parse(src, len, "fuzz", d);
    /* The scanner reads f->src in place: it must hold the text unchanged. */
    if (f->len != 0 && (f->len != len || memcmp(f->src, src, len) != 0))
        fail("f->src == the text parsed", "", "");
    mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, d);
    if (fo)
        *fo = f;
    else
        mm_file_free(f);
    return c;
}

static void fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "PROPERTY FAILED: %s\n--- first\n%s\n--- second\n%s\n", what, a, b);
    abort();
}

static void check_model(const mm_cluster *c)
{
    char *j = json_of(c, false);
    char *jp = json_of(c, true);
    cJSON *tree = mm_cluster_to_json(c);
    cJSON *parsed = cJSON_Parse(jp);
    if (!parsed || !cJSON_Compare(tree, parsed, true))
        fail("stream JSON == cJSON tree", jp, "");
    cJSON_Delete(parsed);
    cJSON_Delete(tree);
    for (size_t i = 0; i < c->n_agents; i++)
        free(mm_agent_mesos_resources(&c->agents[i]));

    char *text = mm_cluster_to_minimesosfile(c);
    mm_diags d2;
    mm_cluster *back = build(text, strlen(text), &d2, NULL);
    if (!back || mm_diags_count(&d2, MM_SEV_ERROR))
        fail("canonical file reads back", text, d2.len ? d2.items[0].message : "");
    char *j2 = json_of(back, false);
    if (strcmp(j, j2) != 0)
        fail("canonical file keeps the model", j, j2);
    char *text2 = mm_cluster_to_minimesosfile(back);
    if (strcmp(text, text2) != 0)
        fail("canonical file is a fixed point", text, text2);
    free(text2);
    free(j2);
    mm_cluster_free(back);
    mm_diags_free(&d2);
    free(text);
    free(jp);
    free(j);
}

#ifdef HAVE_FMT
static void check_fmt(const mm_file *f, const mm_cluster *c)
{
    char *once = mm_fmt(f);
    mm_diags d;
    mm_file *f2;
    mm_cluster *c2 = build(once, strlen(once), &d, &f2);
    char *twice = mm_fmt(f2);
    if (strcmp(once, twice) != 0)
        fail("fmt is idempotent", once, twice);
    if (c) {
        if (!c2)
            fail("fmt output still valid", once, d.len ? d.items[0].message : "");
        char *a = json_of(c, false), *b = json_of(c2, false);
        if (strcmp(a, b) != 0)
            fail("fmt keeps the model", a, b);
        free(a);
        free(b);
    }
    free(twice);
    mm_cluster_free(c2);
    mm_file_free(f2);
    mm_diags_free(&d);
    free(once);
}
#endif

#ifdef HAVE_CONVERT
static void check_convert(const mm_file *f, const mm_cluster *c)
{
    mm_diags d;
    mm_diags_init(&d, "fuzz");
    cJSON *j = mm_convert_to_json(f, &d);
    if (!j)
        fail("convert to JSON of a valid file", d.len ? d.items[0].message : "", "");
    char *text = mm_json_print(j);
    mm_file *f2 = mm_convert_from_json_text(text, strlen(text), "fuzz.json", &d);
    mm_cluster *c2 = f2 ? mm_cluster_build(f2, MM_MODEL_EFFECTIVE, &d) : NULL;
    if (!c2)
        fail("convert's JSON reads back", text, d.len ? d.items[0].message : "");
    char *a = json_of(c, false), *b = json_of(c2, false);
    if (strcmp(a, b) != 0)
        fail("convert keeps the model", a, b);
    free(a);
    free(b);
    mm_cluster_free(c2);
    mm_file_free(f2);
    free(text);
    cJSON_Delete(j);
    mm_diags_free(&d);
}

/* The input as JSON: convert it to a tree, build and emit what comes out. */
static void json_side(const uint8_t *data, size_t size)
{
    mm_diags d;
    mm_diags_init(&d, "fuzz.json");
    mm_file *f = mm_convert_from_json_text((const char *)data, size, "fuzz.json", &d);
    if (f) {
        mm_cluster *c = mm_cluster_build(f, MM_MODEL_EFFECTIVE, &d);
        if (c)
            check_model(c);
#ifdef HAVE_FMT
        free(mm_fmt(f));
#endif
        mm_cluster_free(c);
        mm_file_free(f);
    }
    mm_diags_print_gcc(devnull, &d);
    mm_diags_free(&d);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    mm_diags d;
    mm_file *f;
    mm_cluster *c = build((const char *)data, size, &d, &f);
    mm_diags_sort(&d);
    mm_diags_print_text(devnull, &d, f->src, f->len, true);
    mm_diags_print_text(devnull, &d, NULL, 0, false);
    mm_diags_print_gcc(devnull, &d);
    cJSON *arr = cJSON_CreateArray();
    mm_diags_to_json(&d, arr);
    char *s = cJSON_PrintUnformatted(arr);
    free(s);
    cJSON_Delete(arr);
    if (c)
        check_model(c);
#ifdef HAVE_FMT
    if (f->root && mm_diags_count(&d, MM_SEV_ERROR) == 0)
        check_fmt(f, c);
    else {
        char *t = mm_fmt(f); /* must not crash on a recovered tree either */
        free(t);
    }
#endif
#ifdef HAVE_CONVERT
    if (c)
        check_convert(f, c);
    if (size && (data[0] == '{' || data[0] == '[' || data[0] == ' '))
        json_side(data, size);
#endif
    mm_cluster_free(c);
    mm_file_free(f);
    mm_diags_free(&d);
    return 0;
}
