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
    memset(p, 0, sizeof *p);
}

double eng_need_score(const md_model *m, int need, long covered)
{
    if (need < 0 || need >= m->nneeds) return 0;
    double seats = (double)m->needs[need].seats, cov = (double)covered, prev = 0, s = 0;
    for (int i = 0; i < m->set.ntiers; i++) {
        double f = m->set.tiers[i].frac, width = (f - prev) * seats;
        double piece = cov - prev * seats;
        if (piece > width) piece = width;
        if (piece > 0) s += m->set.tiers[i].value * piece;
        prev = f;
    }
    return eng_weight(m, need) * s;
}

/* SPEC coverage.csv: filter the courses covering the topic one after
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

/* The first slot from s on in group gg with money, or -1. */
static int gd_next(const eng_tab *T, const eng_lp *L, const double *col, int s, const eng_group *gg)
{
    (void)T;
    for (; s < gg->gd_first + gg->gd_count; s++)
        if (col[L->fcol[s]] > 0) return s;
    return -1;
}

static int cmp_fund(const void *a, const void *b)
{
    const eng_fund *x = a, *y = b;
    if (x->d != y->d) return (x->d > y->d) - (x->d < y->d);
    if (x->c != y->c) return (x->c > y->c) - (x->c < y->c);
    return (x->k > y->k) - (x->k < y->k);
}

/* Splits group g's money over its pairs: pairs in course order, donors in
 * id order, each pair filled from the current donor until it is paid. The
 * donors' amounts are first scaled to the group's cost, and the last donor
 * absorbs rounding residue, so every pair's funding equals its cost. */
static void split_group(const eng_tab *T, const eng_lp *L, const double *col, const long *x,
                        int g, eng_plan *p)
{
    const md_model *m = T->m;
    const eng_group *gg = &T->groups[g];
    double want = 0, have = 0;
    for (int q = T->g_start[g]; q < T->g_start[g + 1]; q++) {
        int pq = T->g_list[q];
        want += m->courses[T->pairs[pq].k].cost_base * (double)x[pq];
    }
    for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++)
        if (col[L->fcol[s]] > 0) have += col[L->fcol[s]];
    if (!(want > 0) || !(have > 0)) return; /* nothing to pay (or the audit objects) */
    double scale = want / have, tiny = 1e-9 * want;
    int s = gd_next(T, L, col, gg->gd_first, gg);
    double left = s < 0 ? 0 : col[L->fcol[s]] * scale;
    for (int q = T->g_start[g]; q < T->g_start[g + 1] && s >= 0; q++) {
        int pq = T->g_list[q];
        const eng_pair *pp = &T->pairs[pq];
        double due = m->courses[pp->k].cost_base * (double)x[pq];
        while (due > 0 && s >= 0) {
            int next = gd_next(T, L, col, s + 1, gg);
            double take = next < 0 ? due : (left < due ? left : due);
            if (take > tiny || next < 0) {
                p->fund[p->nfund++] = (eng_fund){ T->gdon[s], pp->c, pp->k, take };
                p->donor_spent[T->gdon[s]] += take;
            }
            due -= take;
            left -= take;
            if (left <= tiny && next >= 0) {
                s = next;
                left = col[L->fcol[s]] * scale;
            }
            if (due <= tiny) due = 0; /* residue below the tolerance */
        }
    }
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
    p->fund = calloc((size_t)T->ndon + 1, sizeof *p->fund);
    if (!x || !p->covered || !p->need_score || !p->reason || !p->donor_spent || !p->alloc
        || !p->fund) {
        free(x);
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
    for (int g = 0; g < T->ngroups && L->ncols; g++) split_group(T, L, col, x, g, p);
    if (p->nfund > 1) qsort(p->fund, (size_t)p->nfund, sizeof *p->fund, cmp_fund);
    for (int n = 0; n < m->nneeds; n++) {
        long s = 0;
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++) s += x[T->n_list[q]];
        p->covered[n] = s < m->needs[n].seats ? s : m->needs[n].seats;
        p->need_score[n] = eng_need_score(m, n, p->covered[n]);
        p->score += p->need_score[n];
        p->reason[n] = p->covered[n] >= m->needs[n].seats ? ENG_R_NONE : eng_reason_of(m, T, n);
    }
    free(x);
    return 0;
}
