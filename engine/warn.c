/* engine/warn.c — "silent waste" warnings: inputs that are valid but leave
 * money, courses or needs useless without anyone being told (a donor whose
 * region list has a typo spends nothing). Checked after validation, before
 * any solve, from the model and the public eligibility rules only; each
 * finding is one md_warn at the position of the entity concerned. */
#include "engine.h"
#include "../models/suggest.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Unusable money below this (base currency) is rounding, not waste. */
#define UNUSABLE_MIN 1.0
/* Above this many times the median a budget or commitment looks mistyped. */
#define OUTLIER_FACTOR 10.0

/* A sorted set of distinct borrowed strings. */
typedef struct wset { const char **v; int n; } wset;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void set_finish(wset *s)
{
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_str);
    int u = 0;
    for (int i = 0; i < s->n; i++)
        if (u == 0 || strcmp(s->v[u - 1], s->v[i]) != 0) s->v[u++] = s->v[i];
    s->n = u;
}

static int set_has(const wset *s, const char *x)
{
    return x && s->n && bsearch(&x, s->v, (size_t)s->n, sizeof *s->v, cmp_str) != NULL;
}

typedef struct wctx {
    const md_model *m;
    md_diag *d;
    wset regions, languages, providers;  /* of the countries / courses */
    int has_income[MD_INC_COUNT], has_format[MD_FMT_COUNT];
    unsigned char *eligible;             /* [c * ncourses + k] eng_pair_eligible */
    double *send;                        /* [c * ncourses + k] most seats c could take in k */
    double *cap;                         /* [c * ncourses + k] most seats a plan would buy */
    unsigned char *never_runs;           /* [k] min_seats out of reach */
} wctx;

static size_t at(const md_model *m, int c, int k) { return (size_t)c * (size_t)m->ncourses + (size_t)k; }

static int build_sets(wctx *w)
{
    const md_model *m = w->m;
    int nlang = 0;
    for (int c = 0; c < m->ncountries; c++) nlang += m->countries[c].languages.n;
    w->regions.v = malloc(sizeof(char *) * (size_t)(m->ncountries + 1));
    w->languages.v = malloc(sizeof(char *) * (size_t)(nlang + 1));
    w->providers.v = malloc(sizeof(char *) * (size_t)(m->ncourses + 1));
    if (!w->regions.v || !w->languages.v || !w->providers.v) return -1;
    for (int c = 0; c < m->ncountries; c++) {
        const md_country *cn = &m->countries[c];
        if (cn->region) w->regions.v[w->regions.n++] = cn->region;
        for (int i = 0; i < cn->languages.n; i++) w->languages.v[w->languages.n++] = cn->languages.v[i];
        if (cn->income >= 0 && cn->income < MD_INC_COUNT) w->has_income[cn->income] = 1;
    }
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *co = &m->courses[k];
        if (co->provider) w->providers.v[w->providers.n++] = co->provider;
        if (co->format >= 0 && co->format < MD_FMT_COUNT) w->has_format[co->format] = 1;
    }
    set_finish(&w->regions);
    set_finish(&w->languages);
    set_finish(&w->providers);
    return 0;
}

/* The most seats country c could ever send to course k: the course's
 * capacity and max_per_country, the country's max_trainees and
 * trainee_hours; INFINITY when nothing limits it. */
static double pair_send(const md_model *m, int c, int k)
{
    const md_country *cn = &m->countries[c];
    const md_course *co = &m->courses[k];
    double most = INFINITY;
    if (co->seats >= 0) most = fmin(most, (double)co->seats);
    if (co->max_per_country >= 0) most = fmin(most, (double)co->max_per_country);
    if (cn->max_trainees >= 0) most = fmin(most, (double)cn->max_trainees);
    if (co->hours > 0 && cn->trainee_hours >= 0) most = fmin(most, floor(cn->trainee_hours / co->hours + 1e-9));
    return most;
}

/* The most seats a plan would buy in (c, k): seats beyond the largest need
 * of c among k's topics (one seat counts for all of them) add no score, so
 * the solver buys them only to fill a minimum cohort, i.e. never more than
 * min_seats in all; within what c could send (pair_send). */
static double pair_buy(const md_model *m, int c, int k, double send)
{
    const md_country *cn = &m->countries[c];
    const md_course *co = &m->courses[k];
    double useful = 0;
    for (int i = cn->need_first; i < cn->need_first + cn->need_count; i++)
        for (int j = 0; j < co->topics.n; j++)
            if (co->topic_idx[j] == m->needs[i].t) useful = fmax(useful, (double)m->needs[i].seats);
    return fmin(send, fmax(useful, (double)co->min_seats));
}

static int build_pairs(wctx *w)
{
    const md_model *m = w->m;
    size_t n = (size_t)m->ncountries * (size_t)m->ncourses;
    w->eligible = calloc(n ? n : 1, 1);
    w->send = calloc(n ? n : 1, sizeof *w->send);
    w->cap = calloc(n ? n : 1, sizeof *w->cap);
    w->never_runs = calloc((size_t)m->ncourses + 1, 1);
    if (!w->eligible || !w->send || !w->cap || !w->never_runs) return -1;
    for (int c = 0; c < m->ncountries; c++)
        for (int k = 0; k < m->ncourses; k++)
            if ((w->eligible[at(m, c, k)] = (unsigned char)eng_pair_eligible(m, c, k))) {
                w->send[at(m, c, k)] = pair_send(m, c, k);
                w->cap[at(m, c, k)] = pair_buy(m, c, k, w->send[at(m, c, k)]);
            }
    /* committed seats are always bought; commitments are sorted by
     * (country, course): add up each pair's */
    for (int i = 0; i < m->ncommitments;) {
        const md_commitment *cm = &m->commitments[i];
        double seats = 0;
        int j = i;
        for (; j < m->ncommitments && m->commitments[j].c == cm->c && m->commitments[j].k == cm->k; j++)
            seats += (double)m->commitments[j].seats;
        if (cm->c >= 0 && cm->k >= 0 && w->eligible[at(m, cm->c, cm->k)]) {
            size_t x = at(m, cm->c, cm->k);
            w->cap[x] = fmax(w->cap[x], seats);
            w->send[x] = fmax(w->send[x], seats);
        }
        i = j;
    }
    return 0;
}

/* " (did you mean 'X'?)" or "" */
static const char *hint(char *buf, size_t n, const char *s, const wset *among)
{
    const char *h = among ? md_suggest(s, among->v, among->n) : NULL;
    if (!h) return "";
    snprintf(buf, n, " (did you mean '%s'?)", h);
    return buf;
}

/* Values of a donor's or course's lists that match no entity. */
static void unknown_values(wctx *w)
{
    const md_model *m = w->m;
    char h[300];
    for (int i = 0; i < m->ndonors; i++) {
        const md_donor *dn = &m->donors[i];
        for (int j = 0; j < dn->regions.n; j++)
            if (!set_has(&w->regions, dn->regions.v[j]))
                md_warn(w->d, &dn->loc, "donor '%s' lists region '%s', which no country has%s", dn->id,
                        dn->regions.v[j], hint(h, sizeof h, dn->regions.v[j], &w->regions));
        for (int j = 0; j < dn->income_groups.n; j++) {
            int g = md_income_parse(dn->income_groups.v[j]);
            if (g < 0 || !w->has_income[g])
                md_warn(w->d, &dn->loc, "donor '%s' lists income group '%s', which no country has",
                        dn->id, dn->income_groups.v[j]);
        }
        for (int j = 0; j < dn->formats.n; j++) {
            int f = md_format_parse(dn->formats.v[j]);
            if (f < 0 || !w->has_format[f])
                md_warn(w->d, &dn->loc, "donor '%s' lists format '%s', which no course has", dn->id,
                        dn->formats.v[j]);
        }
        for (int j = 0; j < dn->providers.n; j++)
            if (!set_has(&w->providers, dn->providers.v[j]))
                md_warn(w->d, &dn->loc, "donor '%s' lists provider '%s', which no course has%s", dn->id,
                        dn->providers.v[j], hint(h, sizeof h, dn->providers.v[j], &w->providers));
    }
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *co = &m->courses[k];
        for (int j = 0; j < co->regions.n; j++)
            if (!set_has(&w->regions, co->regions.v[j]))
                md_warn(w->d, &co->loc, "course '%s' lists region '%s', which no country has%s", co->id,
                        co->regions.v[j], hint(h, sizeof h, co->regions.v[j], &w->regions));
        /* two-letter codes are all close to each other: no hint */
        if (co->language && !set_has(&w->languages, co->language))
            md_warn(w->d, &co->loc, "course '%s' is taught in language '%s', which no country speaks",
                    co->id, co->language);
    }
}

/* Needed topics that no course covers: money cannot close these gaps. */
static int uncovered_topics(wctx *w)
{
    const md_model *m = w->m;
    unsigned char *offered = calloc((size_t)m->ntopics + 1, 1);
    long *seats = calloc((size_t)m->ntopics + 1, sizeof *seats);
    int *nneeds = calloc((size_t)m->ntopics + 1, sizeof *nneeds);
    if (!offered || !seats || !nneeds) { free(offered); free(seats); free(nneeds); return -1; }
    for (int k = 0; k < m->ncourses; k++)
        for (int j = 0; j < m->courses[k].topics.n; j++) offered[m->courses[k].topic_idx[j]] = 1;
    for (int i = 0; i < m->nneeds; i++) {
        seats[m->needs[i].t] += m->needs[i].seats;
        nneeds[m->needs[i].t]++;
    }
    for (int t = 0; t < m->ntopics; t++) {
        if (offered[t] || !nneeds[t]) continue;
        char who[200] = "";
        size_t len = 0;
        int shown = 0;
        /* needs are sorted by country: name the first few */
        for (int i = 0; i < m->nneeds && shown < 5; i++)
            if (m->needs[i].t == t) {
                int r = snprintf(who + len, sizeof who - len, "%s%s", shown ? ", " : "", m->needs[i].country);
                if (r < 0 || (size_t)r >= sizeof who - len) break;
                len += (size_t)r;
                shown++;
            }
        char more[48] = "";
        if (nneeds[t] > shown) snprintf(more, sizeof more, " and %d more", nneeds[t] - shown);
        md_warn(w->d, &m->topics[t].loc,
                "topic '%s' is needed by %d countr%s (%s%s; %ld seats) but no course covers it: "
                "no budget can close this gap (tell course providers)",
                m->topics[t].id, nneeds[t], nneeds[t] == 1 ? "y" : "ies", who, more, seats[t]);
    }
    free(offered);
    free(seats);
    free(nneeds);
    return 0;
}

/* Courses whose minimum cohort all eligible countries together cannot fill
 * (marked in never_runs: no money can go to them). */
static void unreachable_cohorts(wctx *w)
{
    const md_model *m = w->m;
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *co = &m->courses[k];
        if (co->min_seats <= 0) continue;
        double most = 0;
        for (int c = 0; c < m->ncountries; c++)
            if (w->eligible[at(m, c, k)]) most += w->send[at(m, c, k)];
        if (most < (double)co->min_seats) w->never_runs[k] = 1;
        if (most == 0)
            md_warn(w->d, &co->loc, "course '%s' runs only with at least %ld seats, but no country "
                    "is eligible for it: it can never run", co->id, co->min_seats);
        else if (most < (double)co->min_seats)
            md_warn(w->d, &co->loc,
                    "course '%s' runs only with at least %ld seats, but the countries eligible for it "
                    "could send at most %.0f in all: it can never run", co->id, co->min_seats, most);
    }
}

/* Donors with nothing to pay for, or more budget than they could ever use:
 * the most d could pay is, per country, the cost of every eligible pair it
 * may pay for bought at the most seats a plan would buy there (pair_buy) —
 * courses that can never run left out — capped by d's max_share_per_country;
 * summed over countries. An upper bound only. */
static void idle_budgets(wctx *w)
{
    const md_model *m = w->m;
    const char *cur = m->set.currency ? m->set.currency : "";
    for (int d = 0; d < m->ndonors; d++) {
        const md_donor *dn = &m->donors[d];
        double total = 0;
        int pairs = 0;
        for (int c = 0; c < m->ncountries; c++) {
            double country = 0;
            for (int k = 0; k < m->ncourses; k++)
                if (w->eligible[at(m, c, k)] && eng_donor_eligible(m, d, c, k)) {
                    pairs++;
                    if (!w->never_runs[k]) country += m->courses[k].cost_base * w->cap[at(m, c, k)];
                }
            if (dn->max_share > 0 && country > dn->max_share * dn->budget_base)
                country = dn->max_share * dn->budget_base;
            total += country;
        }
        if (pairs == 0)
            md_warn(w->d, &dn->loc,
                    "donor '%s' may pay for no eligible (country, course) pair: none of its budget "
                    "(%.2f %s) can be spent", dn->id, dn->budget_base, cur);
        else if (dn->budget_base - total >= UNUSABLE_MIN)
            md_warn(w->d, &dn->loc,
                    "donor '%s': at most %.2f of its budget of %.2f %s can be used, even if every "
                    "eligible pair it may pay for were bought in full (%.2f stays unusable)",
                    dn->id, total, dn->budget_base, cur, dn->budget_base - total);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorted in place); n >= 1. */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Budgets and commitment seats far above the median of their kind (at least
 * three of the kind): likely a missing decimal point or an extra digit. */
static int outliers(wctx *w)
{
    const md_model *m = w->m;
    const char *cur = m->set.currency ? m->set.currency : "";
    int most = m->ndonors > m->ncommitments ? m->ndonors : m->ncommitments;
    double *v = malloc(sizeof *v * (size_t)(most + 1));
    if (!v) return -1;
    if (m->ndonors >= 3) {
        for (int d = 0; d < m->ndonors; d++) v[d] = m->donors[d].budget_base;
        double med = median(v, m->ndonors);
        for (int d = 0; d < m->ndonors && med > 0; d++)
            if (m->donors[d].budget_base > OUTLIER_FACTOR * med)
                md_warn(w->d, &m->donors[d].loc,
                        "donor '%s' has a budget of %.2f %s, more than 10 times the median donor "
                        "budget (%.2f %s): is a decimal point missing?",
                        m->donors[d].id, m->donors[d].budget_base, cur, med, cur);
    }
    if (m->ncommitments >= 3) {
        for (int i = 0; i < m->ncommitments; i++) v[i] = (double)m->commitments[i].seats;
        double med = median(v, m->ncommitments);
        for (int i = 0; i < m->ncommitments && med > 0; i++) {
            const md_commitment *cm = &m->commitments[i];
            if ((double)cm->seats > OUTLIER_FACTOR * med)
                md_warn(w->d, &cm->loc,
                        "commitment %s/%s has %ld seats, more than 10 times the median commitment "
                        "(%g seats): is a digit too many?", cm->country, cm->course, cm->seats, med);
        }
    }
    free(v);
    return 0;
}

int eng_warn_pshare(const md_model *m, md_diag *d); /* warn_pshare.c */

int eng_warnings(const md_model *m, md_diag *d)
{
    wctx w;
    memset(&w, 0, sizeof w);
    w.m = m;
    w.d = d;
    int rc = 0;
    if (build_sets(&w) || build_pairs(&w)) rc = -1;
    if (!rc) {
        unknown_values(&w);
        rc = uncovered_topics(&w);
    }
    if (!rc) {
        unreachable_cohorts(&w);
        idle_budgets(&w);
        rc = outliers(&w);
    }
    if (!rc) rc = eng_warn_pshare(m, d);
    free(w.regions.v);
    free(w.languages.v);
    free(w.providers.v);
    free(w.eligible);
    free(w.send);
    free(w.cap);
    free(w.never_runs);
    if (rc) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while checking the inputs for warnings");
        return MD_EX_SOFTWARE;
    }
    return 0;
}
