/* models/validate.c — cross-entity checks (docs/formats.md, Validation), then currency
 * conversion, sorting by key and indexing. Single-field syntax and ranges are
 * checked by the readers (inputs/fields.c); this file checks what needs the
 * whole model: uniqueness, references, rates, field combinations. */
#include "model.h"
#include "alias.h"
#include "suggest.h"
#include <stdlib.h>
#include <string.h>

/* "FILE:LINE:COL" or "FILE: table T, row K" for "first defined at …". */
static const char *loc_str(char *buf, size_t n, const md_loc *l)
{
    if (!l->file) snprintf(buf, n, "(unknown)");
    else if (l->table) snprintf(buf, n, "%s: table %s, row %s", l->file, l->table, l->key ? l->key : "?");
    else snprintf(buf, n, "%s:%d:%d", l->file, l->line, l->col);
    return buf;
}

/* Sorting: a permutation by key, ties broken by definition order so that the
 * first definition wins and messages are deterministic. */
typedef struct keyed { const char *k1, *k2, *k3; int seq; } keyed;

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = cmp_str(a->k1, b->k1);
    if (!c) c = cmp_str(a->k2, b->k2);
    if (!c) c = cmp_str(a->k3, b->k3);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Reorders n elements of size sz in arr by keys (len n). Returns -1 on OOM. */
static int apply_order(void *arr, int n, size_t sz, keyed *keys)
{
    if (n < 2) return 0;
    char *tmp = malloc((size_t)n * sz);
    if (!tmp) return -1;
    qsort(keys, (size_t)n, sizeof *keys, cmp_keyed);
    for (int i = 0; i < n; i++) memcpy(tmp + (size_t)i * sz, (char *)arr + (size_t)keys[i].seq * sz, sz);
    memcpy(arr, tmp, (size_t)n * sz);
    free(tmp);
    return 0;
}

typedef struct vstate { md_model *m; md_diag *d; keyed *keys; int oom; } vstate;

#define SORT_BY(arr, n, K1, K2, K3) do { \
    for (int i_ = 0; i_ < m->n; i_++) { \
        vs->keys[i_].k1 = m->arr[i_].K1; vs->keys[i_].k2 = K2; vs->keys[i_].k3 = K3; \
        vs->keys[i_].seq = i_; } \
    if (apply_order(m->arr, m->n, sizeof *m->arr, vs->keys)) vs->oom = 1; \
} while (0)

/* After sorting, equal keys are adjacent: report every repeat with the first
 * place it was defined. Builds the index on the first occurrences. */
static void unique(vstate *vs, const char *what, int n, const char *(*key)(const md_model *, int),
                   const md_loc *(*loc)(const md_model *, int), md_index *ix)
{
    char buf[512];
    int first = 0;
    for (int i = 0; i < n; i++) {
        const char *k = key(vs->m, i);
        if (i > 0 && cmp_str(k, key(vs->m, first)) == 0) {
            md_error(vs->d, MD_EX_DATAERR, loc(vs->m, i), "duplicate %s '%s' (first defined at %s)",
                     what, k ? k : "", loc_str(buf, sizeof buf, loc(vs->m, first)));
            continue;
        }
        first = i;
        if (ix && k && md_index_put(ix, k, i) == -2) vs->oom = 1;
    }
}

#define KEYFN(name, arr, field) \
    static const char *name##_key(const md_model *m, int i) { return m->arr[i].field; } \
    static const md_loc *name##_loc(const md_model *m, int i) { return &m->arr[i].loc; }
KEYFN(topic, topics, id)
KEYFN(country, countries, code)
KEYFN(donor, donors, id)
KEYFN(course, courses, id)
KEYFN(rate, rates, currency)

/* needs and commitments have compound keys; duplicates only matter for needs */
static void unique_needs(vstate *vs)
{
    md_model *m = vs->m;
    char buf[512];
    for (int i = 1; i < m->nneeds; i++) {
        md_need *a = &m->needs[i - 1], *b = &m->needs[i];
        if (cmp_str(a->country, b->country) == 0 && cmp_str(a->topic, b->topic) == 0)
            md_error(vs->d, MD_EX_DATAERR, &b->loc,
                     "duplicate need for country '%s' and topic '%s' (first defined at %s)",
                     b->country ? b->country : "", b->topic ? b->topic : "",
                     loc_str(buf, sizeof buf, &a->loc));
    }
}

/* The closest id of the entities that ix indexes, or NULL (suggest.h). */
static const char *suggest_ref(const md_model *m, const md_index *ix, const char *ref)
{
    if (ix == &m->country_ix) return md_suggest_country(m, ref);
    if (ix == &m->topic_ix) return md_suggest_topic_name(m, ref); /* ids, then aliases */
    int n = ix == &m->course_ix ? m->ncourses : ix == &m->donor_ix ? m->ndonors : 0;
    const char **ids = n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
    if (!ids) return NULL;
    for (int i = 0; i < n; i++) ids[i] = ix == &m->course_ix ? m->courses[i].id : m->donors[i].id;
    const char *hint = md_suggest(ref, ids, n);
    free(ids);
    return hint;
}

static int resolve(vstate *vs, const md_index *ix, const char *ref, const char *what,
                   const char *owner, const md_loc *loc)
{
    if (!ref) return -1; /* missing required field: already reported by the reader */
    int i = md_index_get(ix, ref);
    if (i < 0) {
        const char *hint = suggest_ref(vs->m, ix, ref);
        md_error(vs->d, MD_EX_DATAERR, loc, "%s refers to unknown %s '%s'%s%s%s", owner, what, ref,
                 hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
    }
    return i;
}

static void resolve_list(vstate *vs, const md_index *ix, const md_strlist *l, const char *what,
                         const char *owner, const md_loc *loc)
{
    for (int i = 0; i < l->n; i++) {
        resolve(vs, ix, l->v[i], what, owner, loc);
        for (int j = 0; j < i; j++)
            if (strcmp(l->v[i], l->v[j]) == 0)
                md_error(vs->d, MD_EX_DATAERR, loc, "%s lists %s '%s' twice", owner, what, l->v[i]);
    }
}

static double convert(vstate *vs, double amount, const char *cur, const char *owner, const md_loc *loc)
{
    double r = md_rate_of(vs->m, cur);
    if (r < 0) {
        md_error(vs->d, MD_EX_DATAERR, loc, "%s uses currency '%s' but no rate is given for it",
                 owner, cur);
        return 0;
    }
    return amount * r;
}

/* Money limits in the base currency (the readers check each amount in its
 * own currency): nonzero amounts from a cent, so that none prints as 0.00,
 * up to 1e12 each and 1e13 for all budgets together, so that every sum of
 * money a plan can hold (at most the total budget) is exact to the cent in
 * a double (1e15 cents < 2^53). */
#define MONEY_MIN 0.01
#define MONEY_MAX 1e12
#define MONEY_TOTAL_MAX 1e13

/* Reports a converted amount outside 0 or [MONEY_MIN, MONEY_MAX]. */
static void check_base_amount(vstate *vs, double base, double own, const char *field,
                              const char *cur, const char *owner, const md_loc *loc)
{
    if (base == 0 && own == 0) return;
    if (base >= MONEY_MIN && base <= MONEY_MAX) return;
    md_error(vs->d, MD_EX_DATAERR, loc, "%s: %s %.15g %s is %.15g %s after conversion; "
             "amounts must be 0 or from 0.01 to 1e12 in the base currency too",
             owner, field, own, cur, base, vs->m->set.currency ? vs->m->set.currency : "");
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void check_settings(vstate *vs)
{
    md_model *m = vs->m;
    if (!m->set.currency)
        md_error(vs->d, MD_EX_DATAERR, &m->set.loc, "the scenario must set 'currency' (the base currency)");
    for (int r = 0; r < m->nrates; r++) {
        const md_rate *rt = &m->rates[r];
        if (m->set.currency && rt->currency && strcmp(rt->currency, m->set.currency) == 0 && rt->rate != 1.0)
            md_error(vs->d, MD_EX_DATAERR, &rt->loc,
                     "rate for the base currency '%s' must be 1, got %g", rt->currency, rt->rate);
    }
}

static void check_courses(vstate *vs)
{
    md_model *m = vs->m;
    char owner[300];
    for (int k = 0; k < m->ncourses; k++) {
        md_course *c = &m->courses[k];
        snprintf(owner, sizeof owner, "course '%s'", c->id ? c->id : "");
        resolve_list(vs, &m->topic_ix, &c->topics, "topic", owner, &c->loc);
        if (c->seats >= 0 && c->min_seats > c->seats)
            md_error(vs->d, MD_EX_DATAERR, &c->loc, "%s: min_seats (%ld) exceeds seats (%ld)",
                     owner, c->min_seats, c->seats);
        if (c->start_date && c->end_date && c->start_date > c->end_date)
            md_error(vs->d, MD_EX_DATAERR, &c->loc, "%s: start_date is after end_date", owner);
        c->cost_base = convert(vs, c->cost_per_seat, c->currency, owner, &c->loc);
        if (c->currency && md_rate_of(m, c->currency) >= 0)
            check_base_amount(vs, c->cost_base, c->cost_per_seat, "cost_per_seat", c->currency,
                              owner, &c->loc);
        if (c->topics.n > 0) {
            c->topic_idx = malloc((size_t)c->topics.n * sizeof *c->topic_idx);
            if (!c->topic_idx) { vs->oom = 1; continue; }
            for (int i = 0; i < c->topics.n; i++) c->topic_idx[i] = md_find_topic(m, c->topics.v[i]);
            qsort(c->topic_idx, (size_t)c->topics.n, sizeof *c->topic_idx, cmp_int);
        }
    }
}

static void check_donors(vstate *vs)
{
    md_model *m = vs->m;
    char owner[300];
    double total = 0;
    for (int i = 0; i < m->ndonors; i++) {
        md_donor *dn = &m->donors[i];
        snprintf(owner, sizeof owner, "donor '%s'", dn->id ? dn->id : "");
        resolve_list(vs, &m->topic_ix, &dn->topics, "topic", owner, &dn->loc);
        resolve_list(vs, &m->country_ix, &dn->countries, "country", owner, &dn->loc);
        resolve_list(vs, &m->country_ix, &dn->exclude_countries, "country", owner, &dn->loc);
        dn->budget_base = convert(vs, dn->budget, dn->currency, owner, &dn->loc);
        if (dn->currency && md_rate_of(m, dn->currency) >= 0)
            check_base_amount(vs, dn->budget_base, dn->budget, "budget", dn->currency, owner,
                              &dn->loc);
        /* the share cap is an amount too: it must not round to 0.00 */
        if (dn->max_share > 0 && dn->budget_base >= MONEY_MIN && dn->max_share * dn->budget_base < MONEY_MIN)
            md_error(vs->d, MD_EX_DATAERR, &dn->loc, "%s: max_share_per_country %.15g of its "
                     "budget is less than 0.01 in the base currency; raise the share or drop it",
                     owner, dn->max_share);
        total += dn->budget_base;
    }
    if (total > MONEY_TOTAL_MAX)
        md_error(vs->d, MD_EX_DATAERR, &m->set.loc, "the donors' budgets add up to %.15g in the "
                 "base currency; the total may be at most 1e13", total);
}

static void check_needs(vstate *vs)
{
    md_model *m = vs->m;
    for (int c = 0; c < m->ncountries; c++) m->countries[c].need_first = m->countries[c].need_count = 0;
    for (int i = 0; i < m->nneeds; i++) {
        md_need *n = &m->needs[i];
        n->c = resolve(vs, &m->country_ix, n->country, "country", "need", &n->loc);
        n->t = resolve(vs, &m->topic_ix, n->topic, "topic", "need", &n->loc);
        if (n->c >= 0) {
            md_country *c = &m->countries[n->c];
            if (c->need_count++ == 0) c->need_first = i;
        }
    }
}

/* The score's coefficients are priority × income weight × tier value; GLPK
 * solves reliably (its tolerances are about 1e-7) only while they span at
 * most a factor WEIGHT_SPREAD_MAX: with 1e12, its simplex failed internal
 * checks on the example scenario. Each factor is within 0.001–1000 on its
 * own (the readers check that); here the product over the whole model. */
#define WEIGHT_SPREAD_MAX 1e6

static void check_weights(vstate *vs)
{
    md_model *m = vs->m;
    int lo = -1, hi = -1;
    double wlo = 0, whi = 0;
    for (int i = 0; i < m->nneeds; i++) {
        const md_need *n = &m->needs[i];
        if (n->c < 0) continue;
        int inc = m->countries[n->c].income;
        double w = n->priority * (inc >= 0 && inc < MD_INC_COUNT ? m->set.income_weight[inc] : 1.0);
        if (lo < 0 || w < wlo) { lo = i; wlo = w; }
        if (hi < 0 || w > whi) { hi = i; whi = w; }
    }
    if (lo < 0) return;
    double vlo = 1, vhi = 1;
    for (int i = 0; i < m->set.ntiers; i++) {
        double v = m->set.tiers[i].value;
        if (i == 0 || v < vlo) vlo = v;
        if (i == 0 || v > vhi) vhi = v;
    }
    double spread = whi * vhi / (wlo * vlo);
    if (!(spread > WEIGHT_SPREAD_MAX * (1 + 1e-9))) return;
    const md_need *a = &m->needs[lo], *b = &m->needs[hi];
    md_error(vs->d, MD_EX_DATAERR, &a->loc, "need %s/%s has score weight %.6g (priority × income "
             "weight) against %.6g for need %s/%s, with coverage tier values from %.6g to %.6g: "
             "the score's coefficients span a factor %.4g, more than the 1e6 GLPK solves "
             "reliably", a->country, a->topic, wlo, whi, b->country, b->topic, vlo, vhi, spread);
}

static void check_commitments(vstate *vs)
{
    md_model *m = vs->m;
    char owner[400];
    for (int i = 0; i < m->ncommitments; i++) {
        md_commitment *cm = &m->commitments[i];
        snprintf(owner, sizeof owner, "commitment %s/%s", cm->country ? cm->country : "?",
                 cm->course ? cm->course : "?");
        cm->c = resolve(vs, &m->country_ix, cm->country, "country", owner, &cm->loc);
        cm->k = resolve(vs, &m->course_ix, cm->course, "course", owner, &cm->loc);
        cm->d = cm->donor ? resolve(vs, &m->donor_ix, cm->donor, "donor", owner, &cm->loc) : -1;
        if (cm->k >= 0 && m->courses[cm->k].cost_base * (double)cm->seats > MONEY_MAX)
            md_error(vs->d, MD_EX_DATAERR, &cm->loc, "%s: %ld seats at %.15g each come to more "
                     "than 1e12 in the base currency", owner, cm->seats, m->courses[cm->k].cost_base);
        if (cm->k >= 0 && !cm->donor && m->courses[cm->k].cost_per_seat > 0)
            md_error(vs->d, MD_EX_DATAERR, &cm->loc,
                     "%s must name a donor: course '%s' costs %g per seat", owner, cm->course,
                     m->courses[cm->k].cost_per_seat);
    }
}

int md_validate(md_model *m, md_diag *d)
{
    int before = d->nerrors;
    int most = m->ntopics;
    if (m->ncountries > most) most = m->ncountries;
    if (m->nneeds > most) most = m->nneeds;
    if (m->ndonors > most) most = m->ndonors;
    if (m->ncourses > most) most = m->ncourses;
    if (m->nrates > most) most = m->nrates;
    if (m->ncommitments > most) most = m->ncommitments;
    if (m->nratings > most) most = m->nratings;
    vstate st = { m, d, calloc((size_t)most + 1, sizeof(keyed)), 0 };
    vstate *vs = &st;
    if (!vs->keys) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return -1; }

    check_settings(vs);
    SORT_BY(topics, ntopics, id, NULL, NULL);
    SORT_BY(countries, ncountries, code, NULL, NULL);
    SORT_BY(donors, ndonors, id, NULL, NULL);
    SORT_BY(courses, ncourses, id, NULL, NULL);
    SORT_BY(rates, nrates, currency, NULL, NULL);
    SORT_BY(commitments, ncommitments, country, m->commitments[i_].course, m->commitments[i_].donor);
    unique(vs, "topic", m->ntopics, topic_key, topic_loc, &m->topic_ix);
    /* aliases become ids before needs are sorted by topic */
    if (md_aliases_resolve(m, d) != 0) vs->oom = 1;
    SORT_BY(needs, nneeds, country, m->needs[i_].topic, NULL);
    unique(vs, "country", m->ncountries, country_key, country_loc, &m->country_ix);
    unique(vs, "donor", m->ndonors, donor_key, donor_loc, &m->donor_ix);
    unique(vs, "course", m->ncourses, course_key, course_loc, &m->course_ix);
    unique(vs, "rate for currency", m->nrates, rate_key, rate_loc, &m->rate_ix);
    unique_needs(vs);
    check_needs(vs);
    check_weights(vs);
    check_courses(vs);
    check_donors(vs);
    check_commitments(vs);
    if (md_quality_estimate(m, d) != 0) vs->oom = 1;
    md_validate_iati(m, d);
    free(vs->keys);
    if (vs->oom || m->arena.failed) { md_fail(d, MD_EX_SOFTWARE, "out of memory"); return -1; }
    return d->nerrors > before ? -1 : 0;
}
