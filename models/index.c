/* models/index.c — FNV-1a hashed open-addressing table. */
#include "index.h"
#include <stdlib.h>
#include <string.h>

void md_index_init(md_index *ix) { memset(ix, 0, sizeof *ix); }

void md_index_free(md_index *ix)
{
    free(ix->keys);
    free(ix->vals);
    memset(ix, 0, sizeof *ix);
}

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int grow(md_index *ix)
{
    unsigned ncap = ix->cap ? ix->cap * 2 : 64;
    const char **keys = calloc(ncap, sizeof *keys);
    int *vals = calloc(ncap, sizeof *vals);
    if (!keys || !vals) { free(keys); free(vals); return -1; }
    for (unsigned i = 0; i < ix->cap; i++) {
        if (!ix->keys[i]) continue;
        unsigned j = hash(ix->keys[i]) & (ncap - 1);
        while (keys[j]) j = (j + 1) & (ncap - 1);
        keys[j] = ix->keys[i];
        vals[j] = ix->vals[i];
    }
    free(ix->keys);
    free(ix->vals);
    ix->keys = keys;
    ix->vals = vals;
    ix->cap = ncap;
    return 0;
}

int md_index_put(md_index *ix, const char *key, int val)
{
    if ((ix->n + 1) * 2 > ix->cap && grow(ix) != 0) return -2;
    unsigned j = hash(key) & (ix->cap - 1);
    while (ix->keys[j]) {
        if (strcmp(ix->keys[j], key) == 0) return ix->vals[j];
        j = (j + 1) & (ix->cap - 1);
    }
    ix->keys[j] = key;
    ix->vals[j] = val;
    ix->n++;
    return -1;
}

int md_index_get(const md_index *ix, const char *key)
{
    if (!ix->cap || !key) return -1;
    unsigned j = hash(key) & (ix->cap - 1);
    while (ix->keys[j]) {
        if (strcmp(ix->keys[j], key) == 0) return ix->vals[j];
        j = (j + 1) & (ix->cap - 1);
    }
    return -1;
}
