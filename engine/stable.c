/* engine/stable.c — stage 4, stability (docs/solver.md, "Stage 4:
 * stability"): the previous run's seats mapped onto the model's pairs, the
 * churn sum |x - p| linearised into the GLPK model, and the churn of a plan.
 *
 * Linearisation: a pair with previous seats p > 0 gets a continuous column
 * d >= 0 and two rows d - x >= -p and d + x >= p, so d >= |x - p| and, since
 * d is minimised, d = |x - p| at every optimum; a pair with p = 0 needs no
 * column, its churn is x itself. Seats of the previous plan on pairs the
 * model no longer has are a constant (the objective's constant term). */
#include "eng_int.h"
#include <stdlib.h>
#include <math.h>

int eng_stab_map(const eng_tab *T, const eng_prev *prev, eng_stab *S)
{
    S->p = calloc((size_t)T->npairs + 1, sizeof *S->p);
    if (!S->p) return -1;
    S->gone = prev->gone > 0 ? (double)prev->gone : 0;
    S->ncols0 = S->nrows0 = 0;
    for (int i = 0; i < prev->nseat; i++) {
        if (prev->seat[i].seats <= 0) continue;
        int q = eng_pair_index(T, prev->seat[i].c, prev->seat[i].k);
        if (q < 0) S->gone += (double)prev->seat[i].seats; /* no longer eligible: x is 0 there */
        else S->p[q] += (double)prev->seat[i].seats;
    }
    return 0;
}

void eng_stab_free(eng_stab *S)
{
    free(S->p);
    S->p = NULL;
}

long eng_stab_churn(const eng_tab *T, const eng_lp *L, const eng_stab *S, const double *v)
{
    double c = S->gone;
    for (int q = 0; q < T->npairs; q++) c += fabs(floor(v[L->xcol[q]] + 0.5) - S->p[q]);
    return lround(c);
}

int eng_stab_add(const eng_tab *T, eng_lp *L, eng_stab *S)
{
    glp_prob *P = L->P;
    int nd = 0;
    for (int q = 0; q < T->npairs; q++) nd += S->p[q] > 0;
    S->ncols0 = L->ncols;
    S->nrows0 = L->nrows;
    L->dcol = calloc((size_t)T->npairs + 1, sizeof *L->dcol);
    if (!L->dcol) return -1;
    for (int j = 1; j <= L->ncols; j++) glp_set_obj_coef(P, j, 0.0);
    glp_set_obj_dir(P, GLP_MIN);
    glp_set_obj_coef(P, 0, S->gone);
    if (nd > 0) {
        int j = glp_add_cols(P, nd), i = glp_add_rows(P, 2 * nd);
        for (int q = 0; q < T->npairs; q++) {
            if (!(S->p[q] > 0)) continue;
            int ind[3] = { 0, j, L->xcol[q] };
            double lo[3] = { 0, 1, -1 }, hi[3] = { 0, 1, 1 };
            L->dcol[q] = j;
            glp_set_col_kind(P, j, GLP_IV); /* integral at every plan: GLPK may round its bound up */
            glp_set_col_bnds(P, j, GLP_LO, 0, 0);
            glp_set_obj_coef(P, j, 1.0);
            glp_set_mat_row(P, i, 2, ind, lo);
            glp_set_row_bnds(P, i, GLP_LO, -S->p[q], 0);
            glp_set_mat_row(P, i + 1, 2, ind, hi);
            glp_set_row_bnds(P, i + 1, GLP_LO, S->p[q], 0);
            j++;
            i += 2;
        }
    }
    for (int q = 0; q < T->npairs; q++)
        if (!(S->p[q] > 0)) glp_set_obj_coef(P, L->xcol[q], 1.0);
    L->ncols = glp_get_num_cols(P);
    L->nrows = glp_get_num_rows(P);
    return 0;
}

void eng_stab_fill(const eng_tab *T, const eng_lp *L, const eng_stab *S, double *v)
{
    int j = S->ncols0 + 1;
    for (int q = 0; q < T->npairs; q++)
        if (S->p[q] > 0) v[j++] = fabs(floor(v[L->xcol[q]] + 0.5) - S->p[q]);
}

int eng_stab_remove(eng_lp *L, eng_stab *S)
{
    glp_prob *P = L->P;
    int nc = glp_get_num_cols(P) - S->ncols0, nr = glp_get_num_rows(P) - S->nrows0;
    int n = nc > nr ? nc : nr;
    int *num = n > 0 ? malloc(((size_t)n + 1) * sizeof *num) : NULL;
    if (n > 0 && !num) return -1;
    for (int i = 1; i <= nr; i++) num[i] = S->nrows0 + i;
    if (nr > 0) glp_del_rows(P, nr, num);
    for (int i = 1; i <= nc; i++) num[i] = S->ncols0 + i;
    if (nc > 0) glp_del_cols(P, nc, num);
    free(num);
    free(L->dcol);
    L->dcol = NULL;
    glp_set_obj_coef(P, 0, 0.0);
    L->ncols = S->ncols0;
    L->nrows = S->nrows0;
    return 0;
}

/* Plan against prev: the previous seats of (c, k) by binary search in a
 * sorted copy, every allocation's difference, and what the plan dropped. */
static int cmp_seat(const void *a, const void *b)
{
    const eng_prev_seat *x = a, *y = b;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

int eng_churn(const eng_plan *p, const eng_prev *prev, long *churn)
{
    eng_prev_seat *s = prev->nseat > 0 ? malloc((size_t)prev->nseat * sizeof *s) : NULL;
    if (prev->nseat > 0 && !s) return -1;
    long total = prev->gone;
    for (int i = 0; i < prev->nseat; i++) {
        s[i] = prev->seat[i];
        total += s[i].seats;
    }
    if (s) qsort(s, (size_t)prev->nseat, sizeof *s, cmp_seat);
    for (int a = 0; a < p->nalloc; a++) {
        eng_prev_seat key = { p->alloc[a].c, p->alloc[a].k, 0 };
        const eng_prev_seat *hit = s ? bsearch(&key, s, (size_t)prev->nseat, sizeof *s, cmp_seat) : NULL;
        long was = hit ? hit->seats : 0;
        total += labs(p->alloc[a].seats - was) - was;
    }
    free(s);
    *churn = total;
    return 0;
}
