/* libcurl, loaded on first use (see curl_lazy.c). The HTTP helper includes
 * this instead of <curl/curl.h>: the calls it writes as curl_easy_init() and
 * so on go to our mm_curl_* shims, which bind to libcurl with dlopen the first
 * time one runs. The shims have names of our own, so a program that links
 * libminimesos and also uses libcurl directly keeps the real functions. */
#ifndef MM_CURL_LAZY_H
#define MM_CURL_LAZY_H

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

CURLcode mm_curl_global_init(long flags);
CURL *mm_curl_easy_init(void);
CURLcode mm_curl_easy_setopt(CURL *h, CURLoption opt, ...);
CURLcode mm_curl_easy_perform(CURL *h);
void mm_curl_easy_cleanup(CURL *h);
CURLcode mm_curl_easy_getinfo(CURL *h, CURLINFO info, ...);
const char *mm_curl_easy_strerror(CURLcode code);
struct curl_slist *mm_curl_slist_append(struct curl_slist *list, const char *s);
void mm_curl_slist_free_all(struct curl_slist *list);

/* curl.h defines these two as identity macros */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init     mm_curl_global_init
#define curl_easy_init       mm_curl_easy_init
#define curl_easy_setopt     mm_curl_easy_setopt
#define curl_easy_perform    mm_curl_easy_perform
#define curl_easy_cleanup    mm_curl_easy_cleanup
#define curl_easy_getinfo    mm_curl_easy_getinfo
#define curl_easy_strerror   mm_curl_easy_strerror
#define curl_slist_append    mm_curl_slist_append
#define curl_slist_free_all  mm_curl_slist_free_all

#endif
