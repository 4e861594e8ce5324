/* tests/unit_engine_lp.h — seeded LP models and GLPK's own answers, shared
 * by the engine's heuristic tests (unit_engine_heur.c, unit_engine_lns.c,
 * unit_engine_sift.c, unit_engine_perf.c). */
#ifndef UNIT_ENGINE_LP_H
#define UNIT_ENGINE_LP_H
#include "check.h"
#include "unit_engine_fixture.h"
#include "../engine/search/search.h"
#include <math.h>

/* Every row and column bound of the model holds for the heuristic's plan
 * (GLPK does not check injected solutions, so this is the guard). slack:
 * 0 for plans built exactly; for plans from a GLPK MIP whose integer
 * columns were rounded, GLPK's integrality tolerance (1e-5) times each
 * row's activity |a|.|v| (solve.c re-solves the money of the final plan). */
static inline int rows_hold(const eng_lp *L, const double *v, double slack, double *worst)
{
    glp_prob *P = L->P;
    int ok = 1, nr = glp_get_num_rows(P), nc = glp_get_num_cols(P);
    int *ind = malloc(((size_t)nc + 1) * sizeof *ind);
    double *val = malloc(((size_t)nc + 1) * sizeof *val);
    *worst = 0;
    for (int j = 1; j <= nc; j++) {
        double lb = glp_get_col_lb(P, j), ub = glp_get_col_ub(P, j);
        int t = glp_get_col_type(P, j);
        if (glp_get_col_kind(P, j) != GLP_CV && fabs(v[j] - floor(v[j] + 0.5)) > 1e-9) ok = 0;
        if ((t == GLP_LO || t == GLP_DB || t == GLP_FX) && v[j] < lb - 1e-6 * fmax(1, fabs(lb))) ok = 0;
        if ((t == GLP_UP || t == GLP_DB || t == GLP_FX) && v[j] > ub + 1e-6 * fmax(1, fabs(ub))) ok = 0;
    }
    for (int i = 1; i <= nr; i++) {
        int len = glp_get_mat_row(P, i, ind, val), t = glp_get_row_type(P, i);
        double s = 0, lb = glp_get_row_lb(P, i), ub = glp_get_row_ub(P, i);
        double act = 0;
        for (int q = 1; q <= len; q++) s += val[q] * v[ind[q]], act += fabs(val[q] * v[ind[q]]);
        double tol = 1e-6 * fmax(1, fmax(fabs(lb), fabs(ub))) + slack * act;
        double over = 0;
        if ((t == GLP_LO || t == GLP_DB || t == GLP_FX) && s < lb) over = fmax(over, lb - s);
        if ((t == GLP_UP || t == GLP_DB || t == GLP_FX) && s > ub) over = fmax(over, s - ub);
        if (over > *worst) *worst = over;
        if (over > tol) ok = 0;
    }
    free(ind);
    free(val);
    return ok;
}

/* A seeded random model (25 countries, 50 courses, 5 donors, 8 topics) with
 * its max-score LP relaxation solved, as the heuristic tests start from. */
typedef struct lp_root { md_model m; eng_tab T; eng_lp L; int tab, lp; } lp_root;

/* Returns 1 when the LP relaxation is optimal. Whatever it returns, release
 * with root_free(); a model that does not build is a failed check. */
static inline int root_solve(lp_root *r, unsigned seed)
{
    md_diag d;
    memset(r, 0, sizeof *r);
    fx_random(&r->m, seed, 25, 50, 5, 8);
    md_diag_init(&d, NULL);
    /* odd seeds with pooled money, even ones without: both model forms */
    if (md_validate(&r->m, &d) != 0 || eng_tab_build(&r->m, seed & 1 ? 1 : -1, &r->T, &d) != 0) {
        CHECK(0);
        return 0;
    }
    r->tab = 1;
    glp_term_out(GLP_OFF);
    if (eng_lp_build(&r->T, NULL, &r->L, &d) != 0) return 0;
    r->lp = 1;
    eng_lp_objective(&r->T, &r->L, ENG_OBJ_SCORE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    return glp_simplex(r->L.P, &sp) == 0 && glp_get_status(r->L.P) == GLP_OPT;
}

static inline void root_free(lp_root *r)
{
    if (r->lp) eng_lp_free(&r->L);
    glp_term_out(GLP_ON);
    if (r->tab) eng_tab_free(&r->T);
    md_model_free(&r->m);
}

/* GLPK's own MIP on a copy of P (presolved, gap 0): 1 and *opt (and the
 * plan in plan[1..ncols] unless NULL) when it proves an optimum within ms
 * milliseconds; P is not changed. */
static inline int glpk_solve(glp_prob *P, int ms, double *opt, double *plan)
{
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    ip.mip_gap = 0;
    ip.tm_lim = ms;
    int ok = glp_intopt(Q, &ip) == 0 && glp_mip_status(Q) == GLP_OPT;
    if (ok) *opt = glp_mip_obj_val(Q);
    for (int j = 1; ok && plan && j <= glp_get_num_cols(Q); j++) plan[j] = glp_mip_col_val(Q, j);
    glp_delete_prob(Q);
    return ok;
}

static inline int glpk_optimum(glp_prob *P, int ms, double *opt)
{
    return glpk_solve(P, ms, opt, NULL);
}

/* Stage 2 as solve.c sets it up, from the rounding heuristic's plan h
 * (score *hobj) instead of stage 1's: the score row at that score, the
 * cost objective. 0, or -1 when the heuristic or the row fails. */
static inline int stage2_start(const eng_tab *T, eng_lp *L, double *h, double *hobj)
{
    if (eng_heur_round(T, L, L->P, 1, NULL, h, hobj) != 0 ||
        eng_lp_add_limit(T, L, ENG_OBJ_SCORE, *hobj - 1e-7 * fmax(1, *hobj)) != 0)
        return -1;
    eng_lp_objective(T, L, ENG_OBJ_COST);
    return 0;
}

/* A seeded model (root_solve) set up for stage 2 (stage2_start), the
 * heuristic's plan in *h (the caller frees it, NULL or not). 1 when ready;
 * 0 when its LP is not optimal (skip it) or the set-up failed (a failed
 * check). Release the model with root_free() either way. */
static inline int stage2_model(lp_root *r, unsigned seed, double **h, double *hobj)
{
    *h = NULL;
    if (!root_solve(r, seed)) return 0;
    *h = calloc((size_t)r->L.ncols + 1, sizeof **h);
    if (!*h || stage2_start(&r->T, &r->L, *h, hobj) != 0) {
        CHECK(0);
        return 0;
    }
    return 1;
}

#endif
