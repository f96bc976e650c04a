/* standin: Mesos resource and attribute strings as JSON. */
#include "standin.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void trim(char *s)
{
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1])) s[--l] = 0;
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    if (i) memmove(s, s + i, strlen(s + i) + 1);
}

static int is_number(const char *s)
{
    if (!*s) return 0;
    char *e;
    strtod(s, &e);
    return *e == 0 && !strpbrk(s, "xXnN") && (isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '.');
}

/* iterate over "a;b;c" entries split at the first ':'; the name loses "(role)" */
static void json_pairs(sbuf *b, const char *text, int numbers)
{
    sb_addc(b, '{');
    char *copy = xstrdup(text ? text : "");
    char *save = NULL;
    int first = 1;
    for (char *e = strtok_r(copy, ";", &save); e; e = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(e, ':');
        if (!colon) continue;
        *colon = 0;
        char *name = e, *val = colon + 1;
        if (numbers) { char *paren = strchr(name, '('); if (paren) *paren = 0; }
        trim(name);
        trim(val);
        if (!*name) continue;
        if (!first) sb_addc(b, ',');
        first = 0;
        sb_json_str(b, name);
        sb_addc(b, ':');
        if (numbers && is_number(val)) sb_add(b, val);
        else sb_json_str(b, val);
    }
    free(copy);
    sb_addc(b, '}');
}

void json_resources(sbuf *b, const char *text) { json_pairs(b, text, 1); }
void json_attributes(sbuf *b, const char *text) { json_pairs(b, text, 0); }
