/* Compiled by tests/net/curl_types.sh, never linked: curl_easy_setopt and
 * curl_easy_getinfo as src/net/ writes them must reject a value of the wrong
 * type at compile time. CASE 0 is right and must compile; every other CASE
 * must fail to compile. */
#include "net/curl_lazy.h"

#ifndef CASE
#define CASE 0
#endif

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    (void)data;
    (void)userp;
    return size * nmemb;
}

static int on_write_int(char *data, size_t size, size_t nmemb, void *userp)
{
    (void)data;
    (void)userp;
    return (int)(size * nmemb);
}

int mm_curl_types_case(CURL *h);
int mm_curl_types_case(CURL *h)
{
    char errbuf[CURL_ERROR_SIZE];
    long status = 0;
    int small = 5;
    CURLcode rc = CURLE_OK;
    (void)on_write;
    (void)on_write_int;
    (void)small;
#if CASE == 0 /* right: every kind of option and info */
    rc |= curl_easy_setopt(h, CURLOPT_URL, "http://localhost/");
    rc |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    rc |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    rc |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    rc |= curl_easy_setopt(h, CURLOPT_WRITEDATA, &status);
    rc |= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)3);
    rc |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    rc |= curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
#elif CASE == 1 /* an int where libcurl reads a long */
    rc = curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, small);
#elif CASE == 2 /* a string where libcurl reads a long */
    rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, "1");
#elif CASE == 3 /* a long where libcurl reads a string */
    rc = curl_easy_setopt(h, CURLOPT_URL, 1L);
#elif CASE == 4 /* a write callback of the wrong type */
    rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write_int);
#elif CASE == 5 /* an int where libcurl reads a curl_off_t */
    rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, small);
#elif CASE == 6 /* an int * where libcurl writes a long */
    rc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &small);
#elif CASE == 7 /* a long where libcurl writes through a pointer */
    rc = curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
#endif
    return (int)rc + errbuf[0];
}
