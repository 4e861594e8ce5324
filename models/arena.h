/* models/arena.h — bump allocator for the domain model.
 * Ownership: an md_arena owns every block it hands out; md_arena_free()
 * releases them all at once. Allocation failure returns NULL (never aborts). */
#ifndef MD_ARENA_H
#define MD_ARENA_H
#include <stddef.h>

typedef struct md_arena_block md_arena_block;
typedef struct md_arena {
    md_arena_block *head;
    size_t used, cap; /* of head */
    int failed;       /* set once an allocation failed */
} md_arena;

void md_arena_init(md_arena *a);
void md_arena_free(md_arena *a);
/* Zeroed, 16-byte aligned memory; NULL on failure (a->failed is set). */
void *md_arena_alloc(md_arena *a, size_t n);
/* Copy of s (NULL stays NULL); NULL on failure. */
char *md_arena_strdup(md_arena *a, const char *s);
char *md_arena_strndup(md_arena *a, const char *s, size_t n);

/* Growable array owned by the caller's struct, freed with free().
 * Returns a pointer to a new zeroed element, or NULL on failure. */
void *md_vec_push(void **arr, int *n, int *cap, size_t elem);

#endif
