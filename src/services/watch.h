/* Internal to services and engine: how the master sees the cluster's agent
 * containers, and its state fetched within a time limit. Pure except
 * mm_master_state_within. */
#ifndef MM_WATCH_H
#define MM_WATCH_H

#include <stdbool.h>
#include "minimesos/cluster.h"

struct cJSON;

/* The hostname `up` gives an agent container: "agent-<uuid>", the uuid being
 * the last part of its name minimesos-agent-<cluster>-<uuid>. malloc'd. */
char *mm_agent_hostname(const mm_member *m);

/* What the master's parsed state says of the agent container with this IP
 * (may be NULL: stopped) and hostname: 1 listed active, 0 listed inactive,
 * -1 not listed. An entry matches by the IP of its pid (slave(1)@ip:port) or
 * by its hostname; an active match wins. */
int mm_master_agent_view(const struct cJSON *state, const char *ip, const char *hostname);

/* GET the master's state.json, giving up after timeout_ms (at most 10 s).
 * 0 with *json (malloc'd), or -1 with *why (malloc'd): "the master is not
 * running (exited)", "cluster 1 has no master", or the HTTP failure. */
int mm_master_state_within(const mm_running *rc, long timeout_ms, char **json, char **why);

#endif
