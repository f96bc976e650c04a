/* The effective model as JSON (CLI.md's `config --format json` shape).
 *
 * mm_cluster_write_json streams through a 64 KiB buffer, so a 10,000-agent
 * model is written without building a second tree; mm_cluster_to_json builds
 * a cJSON tree for callers that want to edit or embed it. Both follow the
 * same key order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "minimesos/model.h"
#include "model/schema.h"
#include "base/util.h"

/* ---- streaming writer ---- */

#define JW_BUF   65536
#define JW_DEPTH 16

typedef struct jw {
    FILE *out;
    int err;
    bool indent;
    bool after_key;
    int depth;
    bool nonempty[JW_DEPTH];
    size_t len;
    char buf[JW_BUF];
} jw;

static void jw_flush(jw *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->err = -1;
    w->len = 0;
}

static void jw_raw(jw *w, const char *s, size_t n)
{
    if (n > JW_BUF - w->len) {
        jw_flush(w);
        if (n > JW_BUF) {
            if (fwrite(s, 1, n, w->out) != n)
                w->err = -1;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void jw_c(jw *w, char c)
{
    if (w->len == JW_BUF)
        jw_flush(w);
    w->buf[w->len++] = c;
}

static void jw_newline(jw *w)
{
    static const char spaces[] = "                                ";
    jw_c(w, '\n');
    size_t n = (size_t)w->depth * 2;
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        jw_raw(w, spaces, k);
        n -= k;
    }
}

/* Before a value or a key: the comma and the layout. */
static void jw_sep(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->nonempty[w->depth])
            jw_c(w, ',');
        w->nonempty[w->depth] = true;
        if (w->indent)
            jw_newline(w);
    }
}

static void jw_str_body(jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        jw_raw(w, run, (size_t)(s - run));
        run = s + 1;
        switch (ch) {
        case '"': jw_raw(w, "\\\"", 2); break;
        case '\\': jw_raw(w, "\\\\", 2); break;
        case '\n': jw_raw(w, "\\n", 2); break;
        case '\t': jw_raw(w, "\\t", 2); break;
        case '\r': jw_raw(w, "\\r", 2); break;
        case '\b': jw_raw(w, "\\b", 2); break;
        case '\f': jw_raw(w, "\\f", 2); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
            jw_raw(w, e, 6);
        }
        }
    }
    jw_raw(w, run, (size_t)(s - run));
}

static void jw_string(jw *w, const char *s)
{
    jw_sep(w);
    if (!s) {
        jw_raw(w, "null", 4);
        return;
    }
    jw_c(w, '"');
    jw_str_body(w, s);
    jw_c(w, '"');
}

static void jw_key(jw *w, const char *k)
{
    jw_sep(w);
    jw_c(w, '"');
    jw_raw(w, k, strlen(k)); /* keys are ours: nothing to escape */
    jw_c(w, '"');
    jw_c(w, ':');
    if (w->indent)
        jw_c(w, ' ');
    w->after_key = true;
}

static void jw_null(jw *w)
{
    jw_sep(w);
    jw_raw(w, "null", 4);
}

static void jw_bool(jw *w, bool b)
{
    jw_sep(w);
    if (b)
        jw_raw(w, "true", 4);
    else
        jw_raw(w, "false", 5);
}

static void jw_int(jw *w, int v)
{
    char b[16];
    int n = snprintf(b, sizeof b, "%d", v);
    jw_sep(w);
    jw_raw(w, b, (size_t)n);
}

static void jw_double(jw *w, double v)
{
    char b[32];
    mm_sc_format_double(v, b);
    jw_sep(w);
    jw_raw(w, b, strlen(b));
}

static void jw_open(jw *w, char c)
{
    jw_sep(w);
    jw_c(w, c);
    if (w->depth < JW_DEPTH - 1)
        w->depth++;
    w->nonempty[w->depth] = false;
}

static void jw_close(jw *w, char c)
{
    bool had = w->nonempty[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (w->indent && had)
        jw_newline(w);
    jw_c(w, c);
}

/* The image rows of any block: imageName, imageTag. */
static void write_image(jw *w, const mm_image *img)
{
    jw_key(w, "imageName");
    jw_string(w, img->name);
    jw_key(w, "imageTag");
    jw_string(w, img->tag);
}

static void write_opt_image(jw *w, const char *key, const mm_image *img)
{
    jw_key(w, key);
    if (!img) {
        jw_null(w);
        return;
    }
    jw_open(w, '{');
    write_image(w, img);
    jw_close(w, '}');
}

static void write_agent(jw *w, const mm_agent *a)
{
    static const mm_res_kind order[] = { MM_RES_CPUS, MM_RES_MEM, MM_RES_DISK, MM_RES_PORTS };
    jw_open(w, '{');
    write_image(w, &a->image);
    jw_key(w, "loggingLevel");
    jw_string(w, a->logging_level);
    jw_key(w, "portNumber");
    jw_int(w, a->port_number);
    jw_key(w, "attributes");
    jw_string(w, a->attributes);
    jw_key(w, "privileged");
    jw_bool(w, a->privileged);
    jw_key(w, "resources");
    jw_open(w, '{');
    for (size_t o = 0; o < 4; o++) {
        mm_res_kind k = order[o];
        jw_key(w, mm_res_kind_name(k));
        jw_open(w, '[');
        for (size_t i = 0; i < a->n_res[k]; i++) {
            const mm_resource *r = &a->res[k][i];
            jw_open(w, '{');
            jw_key(w, "role");
            jw_string(w, r->role);
            jw_key(w, "value");
            if (k == MM_RES_PORTS)
                jw_string(w, r->ranges ? r->ranges : "");
            else
                jw_double(w, r->value);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }
    jw_close(w, '}');
    /* mesosResources, written in place (no allocation per agent) */
    jw_key(w, "mesosResources");
    jw_sep(w);
    jw_c(w, '"');
    bool first = true;
    char num[32];
    for (int k = 0; k < MM_RES__COUNT; k++)
        for (size_t i = 0; i < a->n_res[k]; i++) {
            const mm_resource *r = &a->res[k][i];
            if (!first)
                jw_raw(w, "; ", 2);
            first = false;
            const char *kn = mm_res_kind_name((mm_res_kind)k);
            jw_raw(w, kn, strlen(kn));
            jw_c(w, '(');
            jw_str_body(w, r->role);
            jw_raw(w, "):", 2);
            if (k == MM_RES_PORTS)
                jw_str_body(w, r->ranges ? r->ranges : "");
            else {
                /* the same text as mm_format_number, faster for integers */
                if (r->value == floor(r->value) && fabs(r->value) < 1e15)
                    mm_sc_format_double(r->value, num);
                else
                    mm_format_number(r->value, num);
                jw_raw(w, num, strlen(num));
            }
        }
    jw_c(w, '"');
    jw_close(w, '}');
}

static void write_list(jw *w, const char *key, char *const *items, size_t n)
{
    jw_key(w, key);
    jw_open(w, '[');
    for (size_t i = 0; i < n; i++) {
        jw_open(w, '{');
        jw_key(w, "marathonJson");
        jw_string(w, items[i]);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

int mm_cluster_write_json(FILE *out, const mm_cluster *c, bool indent)
{
    jw *w = mm_xmalloc(sizeof *w);
    w->out = out;
    w->err = 0;
    w->indent = indent;
    w->after_key = false;
    w->depth = 0;
    w->nonempty[0] = false;
    w->len = 0;

    jw_open(w, '{');
    jw_key(w, "clusterName");
    jw_string(w, c->cluster_name);
    jw_key(w, "loggingLevel");
    jw_string(w, c->logging_level);
    jw_key(w, "mapAgentSandboxVolume");
    jw_bool(w, c->map_agent_sandbox_volume);
    jw_key(w, "mapPortsToHost");
    jw_bool(w, c->map_ports_to_host);
    jw_key(w, "mesosVersion");
    jw_string(w, c->mesos_version);
    jw_key(w, "timeout");
    jw_int(w, c->timeout);

    jw_key(w, "master");
    if (c->master) {
        jw_open(w, '{');
        write_image(w, &c->master->image);
        jw_key(w, "loggingLevel");
        jw_string(w, c->master->logging_level);
        jw_key(w, "authenticate");
        jw_bool(w, c->master->authenticate);
        jw_key(w, "aclJson");
        jw_string(w, c->master->acl_json);
        jw_close(w, '}');
    } else {
        jw_null(w);
    }

    jw_key(w, "agents");
    jw_open(w, '[');
    for (size_t i = 0; i < c->n_agents; i++)
        write_agent(w, &c->agents[i]);
    jw_close(w, ']');

    write_opt_image(w, "zookeeper", c->zookeeper);

    jw_key(w, "marathon");
    if (c->marathon) {
        jw_open(w, '{');
        write_image(w, &c->marathon->image);
        jw_key(w, "cmd");
        jw_string(w, c->marathon->cmd);
        write_list(w, "apps", c->marathon->apps, c->marathon->n_apps);
        write_list(w, "groups", c->marathon->groups, c->marathon->n_groups);
        jw_close(w, '}');
    } else {
        jw_null(w);
    }
    write_opt_image(w, "consul", c->consul);
    write_opt_image(w, "registrator", c->registrator);
    write_opt_image(w, "mesosdns", c->mesosdns);
    jw_close(w, '}');
    jw_c(w, '\n');
    jw_flush(w);
    int err = w->err;
    free(w);
    if (fflush(out) != 0 || ferror(out))
        err = -1;
    return err;
}

/* ---- cJSON tree ---- */

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *image_obj(const mm_image *img)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "imageName", str_or_null(img->name));
    cJSON_AddItemToObject(o, "imageTag", str_or_null(img->tag));
    return o;
}

static cJSON *opt_image(const mm_image *img)
{
    return img ? image_obj(img) : cJSON_CreateNull();
}

static cJSON *app_list(char *const *items, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "marathonJson", str_or_null(items[i]));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *agent_obj(const mm_agent *a)
{
    static const mm_res_kind order[] = { MM_RES_CPUS, MM_RES_MEM, MM_RES_DISK, MM_RES_PORTS };
    cJSON *o = image_obj(&a->image);
    cJSON_AddItemToObject(o, "loggingLevel", str_or_null(a->logging_level));
    cJSON_AddNumberToObject(o, "portNumber", a->port_number);
    cJSON_AddItemToObject(o, "attributes", str_or_null(a->attributes));
    cJSON_AddBoolToObject(o, "privileged", a->privileged);
    cJSON *res = cJSON_AddObjectToObject(o, "resources");
    for (size_t i = 0; i < 4; i++) {
        mm_res_kind k = order[i];
        cJSON *arr = cJSON_AddArrayToObject(res, mm_res_kind_name(k));
        for (size_t j = 0; j < a->n_res[k]; j++) {
            const mm_resource *r = &a->res[k][j];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddItemToObject(e, "role", str_or_null(r->role));
            if (k == MM_RES_PORTS)
                cJSON_AddItemToObject(e, "value", str_or_null(r->ranges));
            else
                cJSON_AddNumberToObject(e, "value", r->value);
            cJSON_AddItemToArray(arr, e);
        }
    }
    char *mr = mm_agent_mesos_resources(a);
    cJSON_AddStringToObject(o, "mesosResources", mr);
    free(mr);
    return o;
}

cJSON *mm_cluster_to_json(const mm_cluster *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "clusterName", str_or_null(c->cluster_name));
    cJSON_AddItemToObject(o, "loggingLevel", str_or_null(c->logging_level));
    cJSON_AddBoolToObject(o, "mapAgentSandboxVolume", c->map_agent_sandbox_volume);
    cJSON_AddBoolToObject(o, "mapPortsToHost", c->map_ports_to_host);
    cJSON_AddItemToObject(o, "mesosVersion", str_or_null(c->mesos_version));
    cJSON_AddNumberToObject(o, "timeout", c->timeout);
    if (c->master) {
        cJSON *m = image_obj(&c->master->image);
        cJSON_AddItemToObject(m, "loggingLevel", str_or_null(c->master->logging_level));
        cJSON_AddBoolToObject(m, "authenticate", c->master->authenticate);
        cJSON_AddItemToObject(m, "aclJson", str_or_null(c->master->acl_json));
        cJSON_AddItemToObject(o, "master", m);
    } else {
        cJSON_AddNullToObject(o, "master");
    }
    cJSON *agents = cJSON_AddArrayToObject(o, "agents");
    for (size_t i = 0; i < c->n_agents; i++)
        cJSON_AddItemToArray(agents, agent_obj(&c->agents[i]));
    cJSON_AddItemToObject(o, "zookeeper", opt_image(c->zookeeper));
    if (c->marathon) {
        cJSON *m = image_obj(&c->marathon->image);
        cJSON_AddItemToObject(m, "cmd", str_or_null(c->marathon->cmd));
        cJSON_AddItemToObject(m, "apps", app_list(c->marathon->apps, c->marathon->n_apps));
        cJSON_AddItemToObject(m, "groups", app_list(c->marathon->groups, c->marathon->n_groups));
        cJSON_AddItemToObject(o, "marathon", m);
    } else {
        cJSON_AddNullToObject(o, "marathon");
    }
    cJSON_AddItemToObject(o, "consul", opt_image(c->consul));
    cJSON_AddItemToObject(o, "registrator", opt_image(c->registrator));
    cJSON_AddItemToObject(o, "mesosdns", opt_image(c->mesosdns));
    return o;
}
