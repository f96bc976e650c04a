/* libFuzzer harness: a container's inspect answer (GET /containers/ID/json)
 * and what minimesos takes from it (mm_docker_inspect_net). Properties:
 *  - the IP and the gateway, when found, are IP addresses (they become
 *    URLs and the `export ...=IP` lines users eval from `minimesos info`);
 *  - NetworkSettings.IPAddress wins when it is an address, else the first
 *    network's, as a second reading of the JSON finds them;
 *  - the state is State.Status when that is a non-empty string, else NULL;
 *  - asking for fewer outputs (NULL pointers) leaks nothing. */
#include "fuzz_util.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>

#include "engine/docker.h"

static bool is_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static const char *addr_in(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && is_ip(v->valuestring) ? v->valuestring : NULL;
}

/* The expected address: the top level's, else the first network's. */
static const char *expected(const cJSON *ns, const char *key)
{
    const char *a = addr_in(ns, key);
    const cJSON *net;
    cJSON_ArrayForEach(net, cJSON_GetObjectItemCaseSensitive(ns, "Networks")) {
        if (a)
            break;
        a = addr_in(net, key);
    }
    return a;
}

static void same(const char *got, const char *want, const char *what)
{
    if (!got && !want)
        return;
    if (!got || !want || strcmp(got, want) != 0)
        fuzz_fail(what, got, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_str(data, size);
    cJSON *j = cJSON_Parse(body);
    char *ip = NULL, *gw = NULL, *state = NULL;
    mm_docker_inspect_net(j, &ip, &gw, &state);
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(j, "NetworkSettings");
    same(ip, expected(ns, "IPAddress"), "the IP address");
    same(gw, expected(ns, "Gateway"), "the gateway");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "State"), "Status");
    same(state, cJSON_IsString(st) && st->valuestring[0] ? st->valuestring : NULL, "the state");
    mm_docker_inspect_net(j, NULL, NULL, NULL);
    char *ip2 = NULL;
    mm_docker_inspect_net(j, &ip2, NULL, NULL);
    same(ip2, ip, "the IP address asked alone");
    free(ip2);
    free(ip);
    free(gw);
    free(state);
    cJSON_Delete(j);
    free(body);
    return 0;
}
