/* The pool (pool.h): blocks taken from malloc, handed out by bumping an
 * offset; an open-addressing table of the interned texts. */
#include "base/pool.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Objects come out aligned for pointers, doubles and 64-bit integers, what
 * the syntax tree holds; not 16 (max_align_t), which would round a 168-byte
 * node up to 176. */
#define POOL_ALIGN 8
_Static_assert(alignof(void *) <= POOL_ALIGN && alignof(double) <= POOL_ALIGN &&
               alignof(long long) <= POOL_ALIGN && alignof(size_t) <= POOL_ALIGN,
               "pool alignment");

#define FIRST_BLOCK (8u * 1024)   /* a typical file's tree fits in the first two */
#define MAX_BLOCK   (1u << 20)    /* then 1 MiB at a time: at most that much unused */
#define OWN_BLOCK   (MAX_BLOCK / 8) /* larger requests get a block of their own */

typedef struct block {
    struct block *next;
    size_t size;                /* bytes after the header */
    alignas(POOL_ALIGN) char data[];
} block;

typedef struct entry {
    const char *s;              /* NULL: empty slot */
    uint32_t len, hash;
} entry;

struct mm_pool {
    block *blocks;              /* every block, newest first */
    char *cur;                  /* the block being filled ... */
    size_t used, cap;           /* ... its bytes used and its size */
    size_t next_size;           /* size of the next block */
    size_t footprint;
    entry *tab;                 /* interned texts; tab_cap a power of 2 */
    size_t tab_cap, tab_n;
};

mm_pool *mm_pool_new(void)
{
    mm_pool *p = mm_xcalloc(1, sizeof *p);
    p->next_size = FIRST_BLOCK;
    return p;
}

void mm_pool_free(mm_pool *p)
{
    if (!p)
        return;
    for (block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p->tab);
    free(p);
}

static block *add_block(mm_pool *p, size_t size)
{
    if (size > SIZE_MAX - sizeof(block))
        abort();
    block *b = mm_xmalloc(sizeof(block) + size);
    b->size = size;
    b->next = p->blocks;
    p->blocks = b;
    p->footprint += sizeof(block) + size;
    return b;
}

/* n bytes at an offset that is a multiple of align (1 or POOL_ALIGN). */
static void *take(mm_pool *p, size_t n, size_t align)
{
    if (n == 0)
        n = 1;
    size_t at = (p->used + align - 1) & ~(align - 1);
    if (p->cur && at <= p->cap && n <= p->cap - at) {
        p->used = at + n;
        return p->cur + at;
    }
    if (n > OWN_BLOCK) /* the current block stays current */
        return add_block(p, n)->data;
    size_t size = p->next_size;
    if (size < n)
        size = n;
    if (p->next_size < MAX_BLOCK)
        p->next_size *= 2;
    block *b = add_block(p, size);
    p->cur = b->data;
    p->cap = size;
    p->used = n;
    return b->data;
}

void *mm_pool_alloc(mm_pool *p, size_t n)
{
    return take(p, n, POOL_ALIGN);
}

void *mm_pool_zalloc(mm_pool *p, size_t n)
{
    return memset(take(p, n, POOL_ALIGN), 0, n);
}

char *mm_pool_strndup(mm_pool *p, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        abort();
    char *t = take(p, n + 1, 1);
    if (n)
        memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

static uint32_t hash_text(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void tab_grow(mm_pool *p)
{
    size_t cap = p->tab_cap ? p->tab_cap * 2 : 64;
    entry *t = mm_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < p->tab_cap; i++) {
        const entry *e = &p->tab[i];
        if (!e->s)
            continue;
        size_t j = e->hash & (cap - 1);
        while (t[j].s)
            j = (j + 1) & (cap - 1);
        t[j] = *e;
    }
    p->footprint += (cap - p->tab_cap) * sizeof *t;
    free(p->tab);
    p->tab = t;
    p->tab_cap = cap;
}

/* A text whose search passes this many slots is copied, not interned: a
 * file crafted so that its names collide in the hash costs a bounded
 * search each, not one growing with the file. */
#define MAX_PROBES 32

char *mm_pool_intern(mm_pool *p, const char *s, size_t n)
{
    if (n > MM_POOL_INTERN_MAX)
        return mm_pool_strndup(p, s, n);
    if (2 * (p->tab_n + 1) > p->tab_cap)
        tab_grow(p);
    uint32_t h = hash_text(s, n);
    size_t j = h & (p->tab_cap - 1);
    int probes = 0;
    for (entry *e; (e = &p->tab[j])->s; j = (j + 1) & (p->tab_cap - 1)) {
        if (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0)
            return (char *)e->s;
        if (++probes == MAX_PROBES)
            return mm_pool_strndup(p, s, n);
    }
    char *t = mm_pool_strndup(p, s, n);
    p->tab[j] = (entry){ t, (uint32_t)n, h };
    p->tab_n++;
    return t;
}

size_t mm_pool_footprint(const mm_pool *p)
{
    return p ? p->footprint : 0;
}
