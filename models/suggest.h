/* models/suggest.h — "did you mean" hints for values that match nothing:
 * the closest candidate by edit distance (a swap of two neighbouring letters
 * counts as one edit, so "KNE" finds "KEN"), or NULL when none is close.
 * Returned strings are borrowed from the candidates / the model. */
#ifndef MD_SUGGEST_H
#define MD_SUGGEST_H
#include "model.h"

/* Edits between a and b, letter case ignored; a large number for words over
 * 62 bytes. */
int md_edit_distance(const char *a, const char *b);
/* The closest of n candidates (NULLs skipped, s itself never): at most 1 edit
 * for words of up to 4 bytes, at most 2 for longer ones, and fewer edits than
 * s has letters. Ties go to the first candidate. */
const char *md_suggest(const char *s, const char *const *cands, int n);
/* The closest country code / topic id of m (same rules). */
const char *md_suggest_country(const md_model *m, const char *code);
const char *md_suggest_topic(const md_model *m, const char *id);

#endif
