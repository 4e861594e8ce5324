/* engine/money.c — the money columns that may pay a pair (its funding
 * group's slots and its country's pool slots, see eng_tab), and money
 * fitted to a plan's seats so that every funding row holds. */
#include "eng_int.h"
#include <math.h>

int eng_payers(const eng_tab *T, const eng_lp *L, int p, int *col, int *don, int *own)
{
    int g = T->pair_group[p], n = 0;
    if (g < 0) return -1;
    const eng_group *gg = &T->groups[g];
    for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++, n++) {
        col[n] = L->fcol[s];
        don[n] = T->gdon[s];
    }
    *own = n;
    for (int s = T->cp_first[gg->c]; s < T->cp_first[gg->c + 1]; s++, n++) {
        col[n] = L->pcol[s];
        don[n] = T->pdon[s];
    }
    return n;
}

/* Money due for the seats of group g in v. */
static double group_due(const eng_tab *T, const eng_lp *L, const double *v, int g)
{
    double due = 0;
    for (int q = T->g_start[g]; q < T->g_start[g + 1]; q++) {
        int p = T->g_list[q];
        due += T->m->courses[T->pairs[p].k].cost_base * v[L->xcol[p]];
    }
    return due;
}

/* Scales the part of columns col[0..n-1] above their lower bounds so that
 * they add up to `due` (never up: a factor above 1 is kept at 1). 0 when
 * they then pay it (1e-9 relative), -1 when they fall short. With `most`
 * set, paying less is fine (the pool pays the rest). */
static int scale_to(glp_prob *P, double *v, const int *col, int n, double due, int most)
{
    double fixed = 0, rest = 0, tol = 1e-9 * fabs(due) + 1e-9;
    for (int i = 0; i < n; i++) {
        double lo = glp_get_col_lb(P, col[i]), f = v[col[i]] > lo ? v[col[i]] : lo;
        fixed += lo;
        rest += f - lo;
    }
    double scale = rest > 0 ? (due - fixed) / rest : 0;
    if (scale < 0) scale = 0;
    for (int i = 0; i < n; i++) {
        double lo = glp_get_col_lb(P, col[i]), f = v[col[i]] > lo ? v[col[i]] : lo;
        v[col[i]] = lo + (f - lo) * (scale < 1 ? scale : 1);
    }
    if (due < fixed - 1e-6 * fabs(due) - 1e-9) return -1; /* committed money beyond the seats */
    if (most) return 0;
    return fixed + rest * (scale < 1 ? scale : 1) >= due - tol ? 0 : -1;
}

int eng_fit_money(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v)
{
    int rc = 0;
    for (int c = 0; c < T->m->ncountries; c++) {
        int p0 = T->cp_first[c], p1 = T->cp_first[c + 1];
        double rest = 0; /* what the pool must pay */
        for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++) {
            const eng_group *gg = &T->groups[g];
            double due = group_due(T, L, v, g), own = 0;
            if (scale_to(P, v, L->fcol + gg->gd_first, gg->gd_count, due, p1 > p0)) rc = -1;
            for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++) own += v[L->fcol[s]];
            if (due > own) rest += due - own;
        }
        if (p1 > p0 && scale_to(P, v, L->pcol + p0, p1 - p0, rest, 0)) rc = -1;
    }
    return rc;
}
