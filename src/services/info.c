/* `info` text and `state`: what a running cluster says about itself. */
#include "net/http.h"
#include "minimesos/cluster.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void upper(strbuf *sb, const char *s)
{
    for (; *s; s++)
        mm_sb_addc(sb, (char)toupper((unsigned char)*s));
}

/* Whether info has a line for m: the first member of its role, with an
 * address (not registrator: host network, no service). */
static bool exported(const mm_running *rc, const mm_member *m)
{
    return mm_running_role(rc, m->role) == m && (m->ip || m->url);
}

char *mm_info_text(const mm_running *rc, const char *mesos_version)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_addf(&sb, "Minimesos cluster is running: %s\n", rc->cluster_id);
    mm_sb_addf(&sb, "Mesos version: %s\n", mesos_version && *mesos_version ? mesos_version : "unknown");
    mm_sb_addf(&sb, "export MINIMESOS_NETWORK_GATEWAY=%s\n", rc->gateway ? rc->gateway : "");
    const char *dns_ip = NULL;
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        /* One line per distinct role: the first member of each. */
        if (mm_running_role(rc, m->role) != m)
            continue;
        if (strcmp(m->role, "mesosdns") == 0)
            dns_ip = m->ip;
        if (!exported(rc, m))
            continue;
        if (m->url) {
            mm_sb_adds(&sb, "export MINIMESOS_");
            upper(&sb, m->role);
            mm_sb_addf(&sb, "=%s; ", m->url);
        }
        if (m->ip) {
            mm_sb_adds(&sb, "export MINIMESOS_");
            upper(&sb, m->role);
            mm_sb_addf(&sb, "_IP=%s", m->ip);
        }
        mm_sb_addc(&sb, '\n');
    }
    if (dns_ip)
        mm_sb_addf(&sb, "Running dnsmasq? Add 'server=/mm/%s#53' to /etc/dnsmasq.d/10-minimesos "
                     "to resolve master.mm, zookeeper.mm and Marathon apps on app.marathon.mm\n",
                dns_ip);
    return mm_sb_detach(&sb);
}

/* "MINIMESOS_<ROLE><suffix>=value", malloc'd. */
static char *var(const char *role, const char *suffix, const char *value)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "MINIMESOS_");
    upper(&sb, role);
    mm_sb_addf(&sb, "%s=%s", suffix, value);
    return mm_sb_detach(&sb);
}

char **mm_info_env(const mm_running *rc)
{
    /* At most two a member, the gateway, the id, the NULL. */
    char **env = mm_xcalloc(2 * rc->n_members + 3, sizeof *env);
    size_t n = 0;
    env[n++] = mm_xasprintf("MINIMESOS_NETWORK_GATEWAY=%s", rc->gateway ? rc->gateway : "");
    /* The same walk as mm_info_text's export lines. */
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        if (!exported(rc, m))
            continue;
        if (m->url)
            env[n++] = var(m->role, "", m->url);
        if (m->ip)
            env[n++] = var(m->role, "_IP", m->ip);
    }
    env[n++] = mm_xasprintf("MINIMESOS_CLUSTER_ID=%s", rc->cluster_id);
    env[n] = NULL;
    return env;
}

void mm_info_env_free(char **env)
{
    for (char **e = env; e && *e; e++)
        free(*e);
    free(env);
}

/* The master's or an agent's JSON: the cluster's own containers, direct. */
static int get_json(const char *url, char **json, char **err)
{
    mm_http_request req = { .url = url, .timeout_ms = 10000, .direct = true };
    return mm_http_get(&req, json, NULL, err);
}

int mm_state_json(const mm_running *rc, const char *agent_id, char **json, char **err)
{
    *json = NULL;
    const mm_member *master = mm_running_role(rc, "master");
    if (!master || !master->url) {
        *err = mm_xasprintf("cluster %s has no master", rc->cluster_id);
        return -1;
    }
    char *url = mm_xasprintf("%s/state.json", master->url);
    char *mstate = NULL;
    int r = get_json(url, &mstate, err);
    free(url);
    if (r != 0)
        return -1;
    if (!agent_id) {
        *json = mstate;
        return 0;
    }
    /* Find the agent by id or hostname in the master's view. */
    cJSON *j = cJSON_Parse(mstate);
    free(mstate);
    const cJSON *slaves = cJSON_GetObjectItemCaseSensitive(j, "slaves"), *s;
    char *agent_url = NULL;
    cJSON_ArrayForEach(s, slaves) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
        const cJSON *host = cJSON_GetObjectItemCaseSensitive(s, "hostname");
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(s, "pid");
        bool match = (cJSON_IsString(id) && strcmp(id->valuestring, agent_id) == 0) ||
                     (cJSON_IsString(host) && strcmp(host->valuestring, agent_id) == 0);
        if (!match || !cJSON_IsString(pid))
            continue;
        const char *at = strchr(pid->valuestring, '@'); /* slave(1)@ip:port */
        if (at)
            agent_url = mm_xasprintf("http://%s/state.json", at + 1);
        break;
    }
    cJSON_Delete(j);
    if (!agent_url) {
        *err = mm_xasprintf("no agent %s in cluster %s", agent_id, rc->cluster_id);
        return -1;
    }
    r = get_json(agent_url, json, err);
    free(agent_url);
    return r;
}

char *mm_mesos_version(const mm_running *rc)
{
    char *state = NULL, *err = NULL, *v = NULL;
    if (mm_state_json(rc, NULL, &state, &err) != 0) {
        free(err);
        return NULL;
    }
    cJSON *j = cJSON_Parse(state);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    if (cJSON_IsString(ver))
        v = mm_xstrdup(ver->valuestring);
    cJSON_Delete(j);
    free(state);
    return v;
}
