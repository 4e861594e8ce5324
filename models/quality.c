/* models/quality.c — the quality a run uses (docs/formats.md, "Course
 * feedback"): participants' ratings shrink towards a prior,
 *     estimate = (w · prior + Σ score · responses) / (w + Σ responses),
 * w = policy.rating_weight, so that one enthusiastic or angry evaluation
 * neither makes nor breaks a course and a new course is not punished for
 * having none.
 *
 * The prior is the course's declared quality; without one, the mean
 * declared quality of the other courses of its provider ("a rated
 * provider": one with a declared quality on at least one course); without
 * that, the mean declared quality of all courses (3 when none declares one).
 * Priors come from declared qualities only, never from other estimates, so
 * the result does not depend on the order courses are read in. A course
 * without declared quality, without ratings and without a rated provider
 * stays unrated. A course without a provider has no provider prior. */
#include "alias.h"
#include "suggest.h"
#include <stdlib.h>
#include <string.h>

md_rating *md_model_add_rating(md_model *m)
{
    md_rating *r = md_vec_push((void **)&m->ratings, &m->nratings, &m->cap_ratings, sizeof *m->ratings);
    if (r) r->k = -1;
    return r;
}

typedef struct prov { const char *name; int k; } prov;

static int cmp_prov(const void *a, const void *b)
{
    const prov *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->k > y->k) - (x->k < y->k);
}

/* pmean[k]: the mean declared quality of course k's provider's courses, or
 * -1 when the provider declares none (or k has no provider). */
static int provider_means(const md_model *m, double *pmean)
{
    prov *p = malloc(((size_t)m->ncourses + 1) * sizeof *p);
    if (!p) return -1;
    int n = 0;
    for (int k = 0; k < m->ncourses; k++) {
        pmean[k] = -1;
        if (m->courses[k].provider) p[n++] = (prov){ m->courses[k].provider, k };
    }
    qsort(p, (size_t)n, sizeof *p, cmp_prov);
    for (int i = 0; i < n;) {
        int j = i;
        double sum = 0;
        int cnt = 0;
        for (; j < n && strcmp(p[j].name, p[i].name) == 0; j++) {
            double q = m->courses[p[j].k].quality_declared;
            if (q >= 0) { sum += q; cnt++; }
        }
        for (int x = i; x < j; x++) pmean[p[x].k] = cnt ? sum / cnt : -1;
        i = j;
    }
    free(p);
    return 0;
}

static const char *suggest_course(const md_model *m, const char *id)
{
    const char **ids = malloc(((size_t)m->ncourses + 1) * sizeof *ids);
    if (!ids) return NULL;
    for (int k = 0; k < m->ncourses; k++) ids[k] = m->courses[k].id;
    const char *hint = md_suggest(id, ids, m->ncourses);
    free(ids);
    return hint;
}

int md_quality_estimate(md_model *m, md_diag *d)
{
    double *sum = calloc((size_t)m->ncourses + 1, sizeof *sum);
    double *pmean = malloc(((size_t)m->ncourses + 1) * sizeof *pmean);
    if (!sum || !pmean) { free(sum); free(pmean); return -1; }
    double all = 0;
    int nall = 0;
    for (int k = 0; k < m->ncourses; k++) {
        md_course *c = &m->courses[k];
        c->quality_declared = c->quality;
        c->rating_responses = 0;
        if (c->quality >= 0) { all += c->quality; nall++; }
    }
    for (int i = 0; i < m->nratings; i++) {
        md_rating *r = &m->ratings[i];
        if (!r->course) continue; /* missing: reported by the reader */
        r->k = md_find_course(m, r->course);
        if (r->k < 0) {
            const char *hint = suggest_course(m, r->course);
            md_error(d, MD_EX_DATAERR, &r->loc, "rating refers to unknown course '%s'%s%s%s",
                     r->course, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
            continue;
        }
        sum[r->k] += r->score * (double)r->responses;
        m->courses[r->k].rating_responses += r->responses;
    }
    if (provider_means(m, pmean) != 0) { free(sum); free(pmean); return -1; }
    double global = nall ? all / nall : 3.0, w = m->set.rating_weight;
    for (int k = 0; k < m->ncourses; k++) {
        md_course *c = &m->courses[k];
        double prior = c->quality_declared >= 0 ? c->quality_declared
                     : pmean[k] >= 0 ? pmean[k]
                     : c->rating_responses > 0 ? global : -1;
        if (prior < 0) continue; /* stays unrated */
        c->quality = (w * prior + sum[k]) / (w + (double)c->rating_responses);
    }
    free(sum);
    free(pmean);
    return 0;
}
