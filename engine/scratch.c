/* engine/scratch.c — the solve's scratch memory: every temporary that the
 * search code holds while it calls GLPK comes from here, so that when GLPK
 * aborts into solve.c's error hook (its longjmp skips our frees) solve.c
 * can release what the unwound frames held (docs/solver.md, "When GLPK
 * fails"). Blocks are linked in one list; one solve runs at a time. */
#include "eng_int.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef union blk {
    struct { union blk *prev, *next; } l;
    max_align_t align; /* the caller's memory after the header stays aligned */
} blk;

static blk live = { .l = { &live, &live } };

void *eng_scratch(size_t n)
{
    if (n > SIZE_MAX - sizeof(blk)) return NULL;
    blk *b = malloc(sizeof *b + n);
    if (!b) return NULL;
    b->l.prev = &live;
    b->l.next = live.l.next;
    live.l.next->l.prev = b;
    live.l.next = b;
    return b + 1;
}

void *eng_scratch0(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = eng_scratch(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *eng_scratch_realloc(void *p, size_t n)
{
    if (!p) return eng_scratch(n);
    if (n > SIZE_MAX - sizeof(blk)) return NULL;
    blk *b = (blk *)p - 1, *prev = b->l.prev, *next = b->l.next;
    blk *nb = realloc(b, sizeof *nb + n);
    if (!nb) return NULL; /* the old block stays, linked */
    prev->l.next = nb;
    next->l.prev = nb;
    return nb + 1;
}

void eng_scratch_free(void *p)
{
    if (!p) return;
    blk *b = (blk *)p - 1;
    b->l.prev->l.next = b->l.next;
    b->l.next->l.prev = b->l.prev;
    free(b);
}

void eng_scratch_release(void)
{
    while (live.l.next != &live) eng_scratch_free(live.l.next + 1);
}
