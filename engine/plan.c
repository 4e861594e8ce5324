/* engine/plan.c — the plan from integer seats: coverage and scores are
 * recomputed from the rounded seats (never taken from the LP objective),
 * rows sorted as engine.h promises, and a reason for every unmet need. */
#include "eng_int.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

const char *const eng_reason_names[8] = { "", "no_course", "language", "region", "quality",
                                          "period", "no_funding", "resources" };

void eng_plan_free(eng_plan *p)
{
    if (!p) return;
    free(p->alloc);
    free(p->fund);
    free(p->covered);
    free(p->need_score);
    free(p->reason);
    free(p->donor_spent);
    free(p->detail);
    free(p->why);
    free(p->unspent_reason);
    free(p->donor_why);
    memset(p, 0, sizeof *p);
}

/* coverage.csv (docs/formats.md, outputs): filter the courses covering the topic one after
 * another and name the first filter that leaves none. */
int eng_reason_of(const md_model *m, const eng_tab *T, int need)
{
    const md_need *nd = &m->needs[need];
    int c = nd->c, t = nd->t;
    int n0 = T->tk_start[t + 1] - T->tk_start[t];
    int lang = 0, reg = 0, qual = 0, per = 0, free_left = 0, funded = 0;
    for (int q = T->tk_start[t]; q < T->tk_start[t + 1]; q++) {
        int k = T->tk_list[q];
        if (!eng_lang_ok(m, c, k)) continue;
        lang++;
        if (!eng_region_ok(m, c, k)) continue;
        reg++;
        if (!eng_quality_ok(m, k)) continue;
        qual++;
        if (!eng_period_ok(m, k)) continue;
        per++;
        if (!(m->courses[k].cost_base > 0)) { free_left = 1; continue; }
        for (int d = 0; d < m->ndonors && !funded; d++) funded = eng_donor_eligible(m, d, c, k);
    }
    if (n0 == 0) return ENG_R_NO_COURSE;
    if (!lang) return ENG_R_LANGUAGE;
    if (!reg) return ENG_R_REGION;
    if (!qual) return ENG_R_QUALITY;
    if (!per) return ENG_R_PERIOD;
    if (!free_left && !funded) return ENG_R_NO_FUNDING;
    return ENG_R_RESOURCES;
}

static int cmp_fund(const void *a, const void *b)
{
    const eng_fund *x = a, *y = b;
    if (x->d != y->d) return (x->d > y->d) - (x->d < y->d);
    if (x->c != y->c) return (x->c > y->c) - (x->c < y->c);
    return (x->k > y->k) - (x->k < y->k);
}

/* The money of one country while its pairs are paid: payer i is slot i of
 * the current group while i < own, else pool slot i - own + pool. */
typedef struct payer_walk {
    const eng_tab *T;
    const eng_lp *L;
    const double *v;            /* money fitted to the seats (eng_fit_money) */
    int g_first, own, pool, pool_end;
} payer_walk;

static int walk_end(const payer_walk *w) { return w->own + w->pool_end - w->pool; }

static int walk_col(const payer_walk *w, int i)
{
    return i < w->own ? w->L->fcol[w->g_first + i] : w->L->pcol[w->pool + i - w->own];
}

static int walk_don(const payer_walk *w, int i)
{
    return i < w->own ? w->T->gdon[w->g_first + i] : w->T->pdon[w->pool + i - w->own];
}

/* What payer i has: the current pool slot may be partly spent already. */
static double walk_amount(const payer_walk *w, int i, double pool_left)
{
    return i == w->own && pool_left >= 0 ? pool_left : w->v[walk_col(w, i)];
}

/* The first payer from i on with money, or -1. */
static int walk_next(const payer_walk *w, int i)
{
    for (; i < walk_end(w); i++)
        if (w->v[walk_col(w, i)] > 0) return i;
    return -1;
}

/* Pays the pairs of country c: each group's pairs in course order, from
 * the group's own slots and then the country's pool, each pair filled from
 * the current payer until it is paid. The money was fitted to the seats,
 * and the last payer absorbs rounding residue, so every pair's funding
 * equals its cost. */
static void split_country(const eng_tab *T, const eng_lp *L, const double *v, const long *x, int c,
                          eng_plan *p)
{
    const md_model *m = T->m;
    payer_walk w = { T, L, v, 0, 0, T->cp_first[c], T->cp_first[c + 1] };
    double pool_left = -1; /* what the current pool slot still has; -1: untouched */
    for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++) {
        w.g_first = T->groups[g].gd_first;
        w.own = T->groups[g].gd_count;
        int i = walk_next(&w, 0);
        double left = i < 0 ? 0 : walk_amount(&w, i, pool_left);
        for (int q = T->g_start[g]; q < T->g_start[g + 1] && i >= 0; q++) {
            const eng_pair *pp = &T->pairs[T->g_list[q]];
            double due = m->courses[pp->k].cost_base * (double)x[T->g_list[q]], tiny = 1e-9 * due;
            while (due > 0 && i >= 0) {
                int next = walk_next(&w, i + 1);
                double take = next < 0 ? due : (left < due ? left : due);
                if (take > tiny || next < 0) {
                    p->fund[p->nfund++] = (eng_fund){ walk_don(&w, i), pp->c, pp->k, take };
                    p->donor_spent[walk_don(&w, i)] += take;
                }
                due -= take;
                left -= take;
                if (left <= 1e-9 * v[walk_col(&w, i)] && next >= 0) {
                    i = next;
                    left = walk_amount(&w, i, pool_left);
                }
                if (due <= tiny) due = 0; /* residue below the tolerance */
            }
        }
        if (i >= w.own) { /* the next group goes on from this pool slot */
            w.pool += i - w.own;
            pool_left = left;
        }
    }
}

/* Sorts the funding rows and merges rows of one donor, country and course
 * (a pooled donor may pay a pair from a committed slot and from its pool). */
static void sort_funds(eng_plan *p)
{
    if (p->nfund > 1) qsort(p->fund, (size_t)p->nfund, sizeof *p->fund, cmp_fund);
    int n = 0;
    for (int i = 0; i < p->nfund; i++) {
        eng_fund *f = &p->fund[i];
        if (n > 0 && p->fund[n - 1].d == f->d && p->fund[n - 1].c == f->c && p->fund[n - 1].k == f->k)
            p->fund[n - 1].amount += f->amount;
        else
            p->fund[n++] = *f;
    }
    p->nfund = n;
}

int eng_plan_fill(const eng_tab *T, const eng_lp *L, const double *col, eng_plan *p)
{
    const md_model *m = T->m;
    size_t nn = (size_t)m->nneeds + 1;
    long *x = calloc((size_t)T->npairs + 1, sizeof *x);
    p->covered = calloc(nn, sizeof *p->covered);
    p->need_score = calloc(nn, sizeof *p->need_score);
    p->reason = calloc(nn, sizeof *p->reason);
    p->donor_spent = calloc((size_t)m->ndonors + 1, sizeof *p->donor_spent);
    p->alloc = calloc((size_t)T->npairs + 1, sizeof *p->alloc);
    p->fund = calloc((size_t)T->ndon + (size_t)m->ncommitments + 1, sizeof *p->fund);
    double *v = malloc(((size_t)L->ncols + 1) * sizeof *v);
    if (!x || !v || !p->covered || !p->need_score || !p->reason || !p->donor_spent || !p->alloc
        || !p->fund) {
        free(x);
        free(v);
        return MD_EX_SOFTWARE; /* caller frees the plan and reports */
    }
    p->score = p->total_cost = 0;
    p->seats = 0;
    p->nalloc = p->nfund = 0;
    /* pairs are in (country, course) order, which is (code, id) order */
    for (int q = 0; q < T->npairs; q++) {
        const eng_pair *pp = &T->pairs[q];
        x[q] = L->ncols ? lround(col[L->xcol[q]]) : 0;
        if (x[q] <= 0) { x[q] = 0; continue; }
        double cost = m->courses[pp->k].cost_base * (double)x[q];
        p->alloc[p->nalloc++] = (eng_alloc){ pp->c, pp->k, x[q], cost };
        p->total_cost += cost;
        p->seats += x[q];
    }
    if (L->ncols) {
        memcpy(v, col, ((size_t)L->ncols + 1) * sizeof *v);
        for (int q = 0; q < T->npairs; q++) v[L->xcol[q]] = (double)x[q];
        (void)eng_fit_money(T, L, L->P, v); /* a shortfall is the audit's to report */
        for (int c = 0; c < m->ncountries; c++) split_country(T, L, v, x, c, p);
    }
    sort_funds(p);
    for (int n = 0; n < m->nneeds; n++) {
        long s = 0;
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++) s += x[T->n_list[q]];
        p->covered[n] = s < m->needs[n].seats ? s : m->needs[n].seats;
        p->need_score[n] = eng_need_score(m, n, p->covered[n]);
        p->score += p->need_score[n];
        p->reason[n] = p->covered[n] >= m->needs[n].seats ? ENG_R_NONE : eng_reason_of(m, T, n);
    }
    free(x);
    free(v);
    return eng_explain(m, p); /* the binding limits, from the plan just made */
}
