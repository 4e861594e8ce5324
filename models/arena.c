/* models/arena.c — bump allocator and growable arrays. */
#include "arena.h"
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct md_arena_block {
    md_arena_block *next;
    size_t size;
    max_align_t data[]; /* keeps every block maximally aligned */
};

enum { ARENA_BLOCK = 64 * 1024 };

void md_arena_init(md_arena *a) { memset(a, 0, sizeof *a); }

void md_arena_free(md_arena *a)
{
    md_arena_block *b = a->head;
    while (b) {
        md_arena_block *next = b->next;
        free(b);
        b = next;
    }
    memset(a, 0, sizeof *a);
}

void *md_arena_alloc(md_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) { a->failed = 1; return NULL; }
    if (!a->head || a->cap - a->used < need) {
        size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        md_arena_block *b = malloc(sizeof *b + size);
        if (!b) { a->failed = 1; return NULL; }
        b->size = size;
        /* A big one-off block goes behind the current head so the head's
         * free space is not wasted. */
        if (a->head && need > ARENA_BLOCK) {
            b->next = a->head->next;
            a->head->next = b;
            memset(b->data, 0, need);
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->cap = size;
    }
    char *p = (char *)a->head->data + a->used;
    a->used += need;
    memset(p, 0, need);
    return p;
}

char *md_arena_strndup(md_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = md_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *md_arena_strdup(md_arena *a, const char *s)
{
    return s ? md_arena_strndup(a, s, strlen(s)) : NULL;
}

void *md_vec_push(void **arr, int *n, int *cap, size_t elem)
{
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        if (ncap < *cap || (size_t)ncap > SIZE_MAX / elem) return NULL;
        void *p = realloc(*arr, (size_t)ncap * elem);
        if (!p) return NULL;
        *arr = p;
        *cap = ncap;
    }
    char *e = (char *)*arr + (size_t)(*n)++ * elem;
    memset(e, 0, elem);
    return e;
}
