/* `info` text and `state`: what a running cluster says about itself. */
#include "net/http.h"
#include "minimesos/cluster.h"
#include "services/tasks.h"
#include "base/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void upper(strbuf *sb, const char *s)
{
    for (; *s; s++)
        mm_sb_addc(sb, (char)toupper((unsigned char)*s));
}

/* Users eval the `export` lines (`eval $(minimesos info | grep ^export)`),
 * and their values come from the engine and the cluster: a value goes in
 * only when the shell reads it as one plain word (an address, a URL), a
 * role only when it is a name. */
static bool plain_word(const char *s, const char *extra)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
            return false;
    return true;
}
#define VALUE_CHARS "._:/@%+=,~[]-"

/* What info (and run's environment) says of m: nothing unless it is the
 * first member of its role with a plain role name; then its address and
 * URL when each is a plain word. False when there is nothing to say
 * (registrator: host network, no service). */
static bool exported(const mm_running *rc, const mm_member *m, const char **ip, const char **url)
{
    *ip = *url = NULL;
    if (mm_running_role(rc, m->role) != m || !plain_word(m->role, "_"))
        return false;
    *ip = plain_word(m->ip, VALUE_CHARS) ? m->ip : NULL;
    *url = plain_word(m->url, VALUE_CHARS) ? m->url : NULL;
    return *ip || *url;
}

char *mm_info_text(const mm_running *rc, const char *mesos_version)
{
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "Minimesos cluster is running: ");
    mm_sb_add_oneline(&sb, rc->cluster_id ? rc->cluster_id : "", 64);
    mm_sb_adds(&sb, "\nMesos version: ");
    size_t at = sb.len;
    mm_sb_add_oneline(&sb, mesos_version ? mesos_version : "", 64);
    if (sb.len == at)
        mm_sb_adds(&sb, "unknown");
    mm_sb_addf(&sb, "\nexport MINIMESOS_NETWORK_GATEWAY=%s\n",
               plain_word(rc->gateway, VALUE_CHARS) ? rc->gateway : "");
    const char *dns_ip = NULL;
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        /* One line per distinct role: the first member of each. */
        const char *ip, *url;
        bool say = exported(rc, m, &ip, &url);
        if (say && strcmp(m->role, "mesosdns") == 0)
            dns_ip = ip;
        if (!say)
            continue;
        if (url) {
            mm_sb_adds(&sb, "export MINIMESOS_");
            upper(&sb, m->role);
            mm_sb_addf(&sb, "=%s; ", url);
        }
        if (ip) {
            mm_sb_adds(&sb, "export MINIMESOS_");
            upper(&sb, m->role);
            mm_sb_addf(&sb, "_IP=%s", ip);
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
    env[n++] = mm_xasprintf("MINIMESOS_NETWORK_GATEWAY=%s",
                            plain_word(rc->gateway, VALUE_CHARS) ? rc->gateway : "");
    /* The same walk as mm_info_text's export lines. */
    for (size_t i = 0; i < rc->n_members; i++) {
        const mm_member *m = &rc->members[i];
        const char *ip, *url;
        if (!exported(rc, m, &ip, &url))
            continue;
        if (url)
            env[n++] = var(m->role, "", url);
        if (ip)
            env[n++] = var(m->role, "_IP", ip);
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
    char *agent_url = mm_agent_state_url(mstate, agent_id);
    free(mstate);
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
    char *state = NULL, *err = NULL;
    if (mm_state_json(rc, NULL, &state, &err) != 0) {
        free(err);
        return NULL;
    }
    char *v = mm_state_version(state);
    free(state);
    return v;
}
