/* models/copy.c — md_model_copy(): a validated model back to what the
 * readers produce, for a sweep variant to edit and validate again. */
#include "copy.h"
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of n elements of size sz (NULL for none); -1 on failure. */
static int dup_array(void **dst, int *cap, const void *src, int n, size_t sz)
{
    *dst = NULL;
    *cap = 0;
    if (n <= 0) return 0;
    if (!(*dst = malloc((size_t)n * sz))) return -1;
    memcpy(*dst, src, (size_t)n * sz);
    *cap = n;
    return 0;
}

int md_model_copy(md_model *dst, const md_model *src)
{
    md_model_init(dst);
    dst->set = src->set; /* tiers stay in src's arena until a variant replaces them */
    int bad = 0;
#define DUP(arr, n, cap) do { \
        if (dup_array((void **)&dst->arr, &dst->cap, src->arr, src->n, sizeof *src->arr)) bad = 1; \
        else dst->n = src->n; \
    } while (0)
    DUP(topics, ntopics, cap_topics);
    DUP(countries, ncountries, cap_countries);
    DUP(needs, nneeds, cap_needs);
    DUP(donors, ndonors, cap_donors);
    DUP(courses, ncourses, cap_courses);
    DUP(rates, nrates, cap_rates);
    DUP(commitments, ncommitments, cap_commitments);
    DUP(input_files, ninput_files, cap_input_files);
    DUP(ratings, nratings, cap_ratings);
    DUP(aliases, naliases, cap_aliases);
#undef DUP
    if (bad) {
        /* topic_idx of the copied courses belongs to src: never free it here */
        for (int k = 0; k < dst->ncourses; k++) dst->courses[k].topic_idx = NULL;
        md_model_free(dst);
        return -1;
    }
    /* undo what validation derived: md_validate() computes it again */
    for (int k = 0; k < dst->ncourses; k++) {
        dst->courses[k].topic_idx = NULL;
        dst->courses[k].cost_base = 0;
        dst->courses[k].quality = dst->courses[k].quality_declared; /* the estimate is derived */
    }
    for (int i = 0; i < dst->ndonors; i++) dst->donors[i].budget_base = 0;
    for (int i = 0; i < dst->nneeds; i++) dst->needs[i].c = dst->needs[i].t = -1;
    for (int i = 0; i < dst->ncommitments; i++)
        dst->commitments[i].c = dst->commitments[i].k = dst->commitments[i].d = -1;
    for (int c = 0; c < dst->ncountries; c++)
        dst->countries[c].need_first = dst->countries[c].need_count = 0;
    memcpy(dst->input_digest, src->input_digest, sizeof dst->input_digest);
    return 0;
}
