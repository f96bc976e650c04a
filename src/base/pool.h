/* A pool: many small allocations that end together, freed at once.
 *
 * A parsed minimesosFile holds hundreds of thousands of small objects (a
 * 10,000-agent file: 190,000 nodes, as many names, 130,000 values); one
 * malloc each costs 8 to 30 bytes of overhead apiece and one free each at
 * the end. The parser takes them from the file's pool instead (ast.c), and
 * names and short values, which repeat (imageName, role, "*"), are stored
 * once (mm_pool_intern). Not thread-safe: one pool, one owner.
 * Internal to libminimesos. */
#ifndef MM_POOL_H
#define MM_POOL_H

#include <stddef.h>

typedef struct mm_pool mm_pool;

mm_pool *mm_pool_new(void);
/* Frees every block the pool gave out (NULL is fine). */
void mm_pool_free(mm_pool *p);

/* n bytes aligned for any object, uninitialised; never NULL (aborts when
 * memory is exhausted, like mm_xmalloc). */
void *mm_pool_alloc(mm_pool *p, size_t n);
/* n bytes, zeroed. */
void *mm_pool_zalloc(mm_pool *p, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *mm_pool_strndup(mm_pool *p, const char *s, size_t n);
/* The same, but one copy per distinct text of at most MM_POOL_INTERN_MAX
 * bytes: two calls with equal text return the same pointer, so the result
 * must never be written to. Longer texts are copied each time. */
#define MM_POOL_INTERN_MAX 64
char *mm_pool_intern(mm_pool *p, const char *s, size_t n);

/* Bytes taken from malloc so far, blocks and intern table (for tests). */
size_t mm_pool_footprint(const mm_pool *p);

#endif
