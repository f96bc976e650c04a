/* libcurl, loaded on first use (see curl_lazy.c). The HTTP helper includes
 * this instead of <curl/curl.h>: the calls it writes as curl_easy_init() and
 * so on go to our mm_curl_* shims, which bind to libcurl with dlopen the first
 * time one runs. The shims have names of our own, so a program that links
 * libminimesos and also uses libcurl directly keeps the real functions. */
#ifndef MM_CURL_LAZY_H
#define MM_CURL_LAZY_H

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

/* setopt and getinfo take their value through `...`: an int where libcurl
 * reads a long, or a long where it reads a pointer, compiles and then reads
 * garbage. curl.h's own macros catch that only with GCC, only when
 * optimising, and only through a warning attribute that GCC keeps silent
 * while curl.h is a system header (as it is here): in effect never. So the
 * two macros below replace curl.h's: each asserts at compile time, with any
 * compiler and at any -O level, that the value's type is what the option
 * (or info) takes by its number (curl.h's CURLOPTTYPE_* and CURLINFO_*
 * ranges), then calls the shim. The option must be a constant, as every
 * CURLOPT_* and CURLINFO_* is. tests/net/curl_types.sh holds them to it. */
#define MM_CURL_IS_LONG(v) _Generic((v), long: 1, unsigned long: 1, default: 0)
#define MM_CURL_IS_OFF_T(v) _Generic((v), curl_off_t: 1, default: 0)
/* Not arithmetic: a pointer (object, string, list or function). */
#define MM_CURL_IS_POINTER(v) \
    _Generic((v), _Bool: 0, char: 0, signed char: 0, unsigned char: 0, short: 0, \
             unsigned short: 0, int: 0, unsigned int: 0, long: 0, unsigned long: 0, long long: 0, \
             unsigned long long: 0, float: 0, double: 0, long double: 0, default: 1)
#define MM_CURLOPT_TAKES(opt, v) \
    ((opt) < CURLOPTTYPE_OBJECTPOINT ? MM_CURL_IS_LONG(v) : \
     (opt) == CURLOPT_WRITEFUNCTION ? _Generic((v), curl_write_callback: 1, default: 0) : \
     (opt) < CURLOPTTYPE_OFF_T ? MM_CURL_IS_POINTER(v) : \
     (opt) < CURLOPTTYPE_BLOB ? MM_CURL_IS_OFF_T(v) : MM_CURL_IS_POINTER(v))
#define MM_CURLINFO_KIND(info) ((info) & CURLINFO_TYPEMASK)
#define MM_CURLINFO_TAKES(info, p) \
    (MM_CURLINFO_KIND(info) == CURLINFO_LONG ? _Generic((p), long *: 1, default: 0) : \
     MM_CURLINFO_KIND(info) == CURLINFO_STRING ? _Generic((p), char **: 1, const char **: 1, default: 0) : \
     MM_CURLINFO_KIND(info) == CURLINFO_DOUBLE ? _Generic((p), double *: 1, default: 0) : \
     MM_CURLINFO_KIND(info) == CURLINFO_OFF_T ? _Generic((p), curl_off_t *: 1, default: 0) : \
     MM_CURLINFO_KIND(info) == CURLINFO_SOCKET ? _Generic((p), curl_socket_t *: 1, default: 0) : \
     MM_CURL_IS_POINTER(p))
#define MM_CURL_ASSERT(cond, what) \
    ((void)sizeof(struct { _Static_assert(cond, what ": the value's type is not the one this " \
                                                 "option takes (curl.h CURLOPTTYPE_*, CURLINFO_*)"); \
                           char c; }))

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_setopt(h, opt, v) \
    (MM_CURL_ASSERT(MM_CURLOPT_TAKES(opt, v), "curl_easy_setopt"), mm_curl_easy_setopt(h, opt, v))
#define curl_easy_getinfo(h, info, p) \
    (MM_CURL_ASSERT(MM_CURLINFO_TAKES(info, p), "curl_easy_getinfo"), mm_curl_easy_getinfo(h, info, p))
#define curl_global_init     mm_curl_global_init
#define curl_easy_init       mm_curl_easy_init
#define curl_easy_perform    mm_curl_easy_perform
#define curl_easy_cleanup    mm_curl_easy_cleanup
#define curl_easy_strerror   mm_curl_easy_strerror
#define curl_slist_append    mm_curl_slist_append
#define curl_slist_free_all  mm_curl_slist_free_all

#endif
