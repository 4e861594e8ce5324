/* engine/search/sub.c — what the stage's search (runner.c) and the sub-MIP
 * heuristics (RENS, LNS) share: progress reports, the gap test, the
 * sub-MIPs' callback, the check that a plan keeps rows, and P's saved
 * rows and bounds. Calls nothing of the runner or the heuristics. */
#include "search.h"
#include <math.h>
#include <stdlib.h>

/* Reports to opt->progress at most about once a second (and once at the
 * start of a stage, tree == NULL). */
void eng_progress(eng_run *r, glp_tree *tree)
{
    if (!r->cfg.opt->progress || r->cfg.stage <= 0) return;
    double now = eng_now();
    if (tree && now < r->st.next_progress) return;
    r->st.next_progress = now + 1.0;
    double best = NAN, bound = NAN;
    if (tree) {
        glp_prob *P = glp_ios_get_prob(tree);
        int st = glp_mip_status(P);
        if (st == GLP_FEAS || st == GLP_OPT) best = glp_mip_obj_val(P);
        if (r->res.have_bound) bound = r->res.bound;
    }
    r->cfg.opt->progress(r->cfg.opt->progress_ctx, r->cfg.stage, now - r->cfg.t_start, best, bound);
}

/* bound proves a plan of objective obj within the gap */
int eng_gap_closed(const eng_run *r, double bound, double obj)
{
    return fabs(bound - obj) <= eng_gap_width(obj, r->st.mip_gap);
}

/* The root LP bound proves a plan of objective obj within the gap. */
int eng_within_gap(const eng_run *r, double obj)
{
    return eng_gap_closed(r, r->res.lp_obj, obj);
}

void eng_sub_callback(glp_tree *tree, void *info)
{
    eng_run *r = info;
    double now = eng_now();
    int made = 0;
    glp_ios_tree_size(tree, NULL, NULL, &made);
    if ((r->cfg.opt->stop && *r->cfg.opt->stop) || now >= r->st.sub_deadline || (r->st.sub_nodes > 0 && made > r->st.sub_nodes))
        glp_ios_terminate(tree);
    if (r->cfg.opt->progress && r->cfg.stage > 0 && now >= r->st.next_progress) { /* the stage's own figures */
        r->st.next_progress = now + 1.0;
        r->cfg.opt->progress(r->cfg.opt->progress_ctx, r->cfg.stage, now - r->cfg.t_start, r->st.sub_obj, r->res.lp_obj);
    }
}

int eng_row_holds(int type, double lb, double ub, double act, double tol)
{
    if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && act < lb - tol * fmax(1, fabs(lb))) return 0;
    if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && act > ub + tol * fmax(1, fabs(ub))) return 0;
    return 1;
}

int eng_rows_hold(glp_prob *P, int from, int to, const double *v)
{
    int n = glp_get_num_cols(P), ok = 1;
    int *ind = eng_scratch(((size_t)n + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)n + 1) * sizeof *val);
    if (!ind || !val) ok = 0;
    for (int i = from; ok && i <= to; i++) {
        int len = glp_get_mat_row(P, i, ind, val);
        double s = 0;
        for (int q = 1; q <= len; q++) s += val[q] * v[ind[q]];
        ok = eng_row_holds(glp_get_row_type(P, i), glp_get_row_lb(P, i), glp_get_row_ub(P, i), s, 1e-9);
    }
    eng_scratch_free(ind);
    eng_scratch_free(val);
    return ok;
}

/* Plans from the sub-MIPs are checked here, not trusted: GLPK's branch and
 * bound on a sub-MIP once returned a plan whose coverage columns broke a
 * coverage row by a whole seat (stage 3, seats 52 against 53, the score
 * 1.4 below stage 1's), and glp_ios_heur_sol takes any plan it is handed.
 * The limit rows hold to 1e-9 relative, as every stage promises; the
 * other rows to ROW_SLACK of the larger of their bound and the sum of
 * their terms' magnitudes, which passes GLPK's integrality tolerance
 * (1e-5 on a rounded seat, carried into the money columns) and catches a
 * row broken outright. */
#define ROW_SLACK 1e-4

int eng_row_near(int type, double lb, double ub, double act, double mag)
{
    double w = ROW_SLACK * fmax(mag, fmax(1, fmax(type == GLP_UP || type == GLP_FR ? 0 : fabs(lb),
                                                  type == GLP_LO || type == GLP_FR ? 0 : fabs(ub))));
    return eng_row_holds(type, lb - w, ub + w, act, 0);
}

int eng_plan_keeps_rows(const eng_run *r, glp_prob *P, const double *v)
{
    const eng_bnds *b = r->st.bnds;
    int n = glp_get_num_cols(P), m = b ? b->nrows : glp_get_num_rows(P), ok = 1;
    int *ind = eng_scratch(((size_t)n + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)n + 1) * sizeof *val);
    if (!ind || !val) ok = 0;
    for (int i = 1; ok && i <= m; i++) {
        int len = glp_get_mat_row(P, i, ind, val), type = b ? b->rtype[i] : glp_get_row_type(P, i);
        double lb = b ? b->rlo[i] : glp_get_row_lb(P, i), ub = b ? b->rhi[i] : glp_get_row_ub(P, i);
        double act = 0, mag = 0;
        for (int q = 1; q <= len; q++) {
            act += val[q] * v[ind[q]];
            mag += fabs(val[q] * v[ind[q]]);
        }
        ok = r->cfg.lns_from > 0 && i >= r->cfg.lns_from ? eng_row_holds(type, lb, ub, act, 1e-9)
                                                          : eng_row_near(type, lb, ub, act, mag);
    }
    eng_scratch_free(ind);
    eng_scratch_free(val);
    return ok;
}

void eng_bnds_free(eng_bnds *b)
{
    eng_scratch_free(b->rtype); eng_scratch_free(b->ctype); eng_scratch_free(b->rlo); eng_scratch_free(b->rhi); eng_scratch_free(b->clo); eng_scratch_free(b->chi);
}

int eng_bnds_save(glp_prob *P, eng_bnds *b)
{
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    size_t m1 = (size_t)m + 1, n1 = (size_t)n + 1;
    b->nrows = m;
    b->rtype = eng_scratch(m1 * sizeof *b->rtype);
    b->ctype = eng_scratch(n1 * sizeof *b->ctype);
    b->rlo = eng_scratch(m1 * sizeof *b->rlo);
    b->rhi = eng_scratch(m1 * sizeof *b->rhi);
    b->clo = eng_scratch(n1 * sizeof *b->clo);
    b->chi = eng_scratch(n1 * sizeof *b->chi);
    if (!b->rtype || !b->ctype || !b->rlo || !b->rhi || !b->clo || !b->chi) {
        eng_bnds_free(b);
        *b = (eng_bnds){ 0 };
        return -1;
    }
    for (int i = 1; i <= m; i++) {
        b->rtype[i] = glp_get_row_type(P, i);
        b->rlo[i] = glp_get_row_lb(P, i);
        b->rhi[i] = glp_get_row_ub(P, i);
    }
    for (int j = 1; j <= n; j++) {
        b->ctype[j] = glp_get_col_type(P, j);
        b->clo[j] = glp_get_col_lb(P, j);
        b->chi[j] = glp_get_col_ub(P, j);
    }
    return 0;
}
