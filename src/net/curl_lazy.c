/* libcurl, loaded on first use.
 *
 * Linking libcurl makes every run of the program map it and its ~30
 * dependencies (TLS, LDAP, Kerberos, ...): about 5 ms and 6 MiB before main,
 * ten times what `minimesos lint` needs for its own work. The offline commands
 * (lint, config, fmt, convert, init) never touch the network, so the library
 * defines the few curl functions the HTTP helper and the Docker client call
 * and binds them to libcurl with dlopen the first time one is used. With the
 * linker's --as-needed (the default here) the program then no longer lists
 * libcurl as NEEDED; where it still does, dlopen returns that same copy.
 * When libcurl cannot be loaded, every call fails cleanly (CURLE_FAILED_INIT,
 * NULL handles) with an explanation from curl_easy_strerror.
 */
#include "net/curl_lazy.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} fn;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define BIND(field, name) \
    do { \
        void *p_ = dlsym(lib, name); \
        if (!p_) \
            return; \
        *(void **)&fn.field = p_; \
    } while (0)

static void load(void)
{
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        lib = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return;
    BIND(global_init, "curl_global_init");
    BIND(easy_init, "curl_easy_init");
    BIND(easy_setopt, "curl_easy_setopt");
    BIND(easy_perform, "curl_easy_perform");
    BIND(easy_cleanup, "curl_easy_cleanup");
    BIND(easy_getinfo, "curl_easy_getinfo");
    BIND(easy_strerror, "curl_easy_strerror");
    BIND(slist_append, "curl_slist_append");
    BIND(slist_free_all, "curl_slist_free_all");
    loaded = true; /* the handle stays open for the life of the process */
}

static bool ready(void)
{
    pthread_once(&once, load);
    return loaded;
}

CURLcode mm_curl_global_init(long flags)
{
    return ready() ? fn.global_init(flags) : CURLE_FAILED_INIT;
}

CURL *mm_curl_easy_init(void)
{
    return ready() ? fn.easy_init() : NULL;
}

/* The third argument's type follows the option's range (curl.h CURLOPTTYPE_*). */
CURLcode mm_curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, opt);
    CURLcode rc;
    if (opt < CURLOPTTYPE_OBJECTPOINT)
        rc = fn.easy_setopt(h, opt, va_arg(ap, long));
    else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
        rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
    else if (opt < CURLOPTTYPE_OFF_T)
        rc = fn.easy_setopt(h, opt, va_arg(ap, void (*)(void)));
    else if (opt < CURLOPTTYPE_BLOB)
        rc = fn.easy_setopt(h, opt, va_arg(ap, curl_off_t));
    else
        rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode mm_curl_easy_perform(CURL *h)
{
    return ready() ? fn.easy_perform(h) : CURLE_FAILED_INIT;
}

void mm_curl_easy_cleanup(CURL *h)
{
    if (ready())
        fn.easy_cleanup(h);
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode mm_curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode rc = fn.easy_getinfo(h, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

const char *mm_curl_easy_strerror(CURLcode code)
{
    return ready() ? fn.easy_strerror(code) : "libcurl (libcurl.so.4) could not be loaded";
}

struct curl_slist *mm_curl_slist_append(struct curl_slist *list, const char *s)
{
    return ready() ? fn.slist_append(list, s) : NULL;
}

void mm_curl_slist_free_all(struct curl_slist *list)
{
    if (ready())
        fn.slist_free_all(list);
}
