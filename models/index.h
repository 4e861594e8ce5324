/* models/index.h — string → int hash index (open addressing).
 * Ownership: the index owns its slot array only; keys are borrowed and must
 * outlive it (they live in the model's arena). */
#ifndef MD_INDEX_H
#define MD_INDEX_H

typedef struct md_index {
    const char **keys;
    int *vals;
    unsigned cap, n;
} md_index;

void md_index_init(md_index *ix);
void md_index_free(md_index *ix);
/* Inserts key → val unless key is present. Returns the existing value if the
 * key was already there, -1 if it was inserted, -2 on allocation failure. */
int md_index_put(md_index *ix, const char *key, int val);
/* The value for key, or -1. */
int md_index_get(const md_index *ix, const char *key);

#endif
