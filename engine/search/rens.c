/* engine/search/rens.c — relaxation-enforced neighbourhood search (RENS): a
 * sub-MIP of P in which every integer column whose LP value is integral is
 * fixed to it and every fractional one may only round down or up. On this
 * model the LP relaxation is nearly always tight (the budget knapsack is
 * what makes the tree large, not the bound), so a plan as good as the LP
 * lies close to the LP point; the sub-MIP is small after GLPK's presolver
 * and its answer is handed to the main search as the first incumbent.
 * Stage 2's score row ("score >= S1") makes feasible plans so rare that
 * branch and bound finds almost none, in the sub-MIP too; there the row
 * is priced in the sub-MIP's objective instead and checked afterwards. */
#include "search.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>

/* Branch-and-bound nodes per sub-MIP: its plans come early, and the rest
 * of a long run only proves them. At 195x1000x40 (30 s, seeds 1-12, two
 * runs at a time) stage 1's RENS of seed 10 (180 free columns) ran 9.4 s
 * for a plan it held after 1.1 s, stage 2's of seed 8 4.8 s for its plan
 * of 2.4 s. With 500 nodes seed 10's stage 1 was proven in 9.6-10.9 s in
 * 4 runs of 4 (in none of 2 before) and seed 8's stage 2 in 3 of 4
 * (26.9-29.7 s; none of 2 before); the other seeds' plans were the same
 * or within their run-to-run spread. */
enum { RENS_NODES = 500 };

/* Makes row `soft` of Q (a ">=" row of a minimisation) a reward: the row
 * is freed and mu times its left side leaves the objective, mu so high
 * that one smallest step of the row outweighs ten of the dearest unit of
 * the objective; the sub-MIP then finds the best row value first and the
 * least objective among those. (Only pricing a shortfall below the bound
 * left GLPK with a flat objective: no plan at 195x1000x40 in 10 s.)
 * Returns 0, or -1 when out of memory. */
static int soften(glp_prob *Q, int soft)
{
    int n = glp_get_num_cols(Q);
    int *ind = eng_scratch(((size_t)n + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)n + 1) * sizeof *val);
    if (!ind || !val) { eng_scratch_free(ind); eng_scratch_free(val); return -1; }
    int len = glp_get_mat_row(Q, soft, ind, val);
    double cmax = 0, amin = INFINITY;
    for (int j = 1; j <= n; j++) cmax = fmax(cmax, fabs(glp_get_obj_coef(Q, j)));
    for (int q = 1; q <= len; q++)
        if (fabs(val[q]) > 0) amin = fmin(amin, fabs(val[q]));
    double mu = len > 0 && cmax > 0 ? 10 * cmax / amin : 1;
    for (int q = 1; q <= len; q++) glp_set_obj_coef(Q, ind[q], glp_get_obj_coef(Q, ind[q]) - mu * val[q]);
    glp_set_row_bnds(Q, soft, GLP_FR, 0, 0);
    eng_scratch_free(ind);
    eng_scratch_free(val);
    return 0;
}



int eng_rens(const eng_tab *T, const eng_lp *L, eng_run *r, const double *inc, int soft,
             double *out, double *obj)
{
    double t0 = eng_now();
    glp_prob *P = L->P, *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    int nfrac = 0;
    for (int j = 1; j <= L->ncols; j++) {
        if (glp_get_col_kind(P, j) == GLP_CV) continue;
        double v = glp_get_col_prim(P, j), lo = floor(v + 1e-9), hi = ceil(v - 1e-9);
        if (inc) { /* the plan's own value stays allowed: the sub-MIP has a plan */
            double w = floor(inc[j] + 0.5);
            lo = fmin(lo, w);
            hi = fmax(hi, w);
        }
        if (hi < lo) hi = lo;
        if (hi > lo) nfrac++;
        glp_set_col_bnds(Q, j, hi > lo ? GLP_DB : GLP_FX, lo, hi);
    }
    /* A course opened only in part (0 < open < 1) may carry integral seats
     * below its minimum cohort: neither rounding of open is feasible with
     * those seats fixed, so its seats keep their whole range. */
    for (int k = 0; k < T->m->ncourses; k++) {
        int o = L->ocol[k];
        if (!o) continue;
        double v = glp_get_col_prim(P, o);
        if (v < 1e-9 || v > 1 - 1e-9) continue;
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) {
            int j = L->xcol[T->k_list[q]];
            double lo = glp_get_col_lb(P, j), hi = glp_get_col_ub(P, j);
            glp_set_col_bnds(Q, j, hi > lo ? GLP_DB : GLP_FX, lo, hi);
        }
    }
    if (soft > 0 && soften(Q, soft) != 0) {
        glp_delete_prob(Q);
        return -1;
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    ip.mip_gap = soft > 0 ? 0 : r->st.mip_gap; /* the score's price dwarfs the objective's own gap */
    ip.tm_lim = eng_tm_lim(r->st.sub_deadline, 1, ENG_TM_ANY, NULL);
    ip.mir_cuts = GLP_ON;
    ip.cb_func = eng_sub_callback;
    ip.cb_info = r;
    r->st.sub_nodes = RENS_NODES;
    int rc = -1, irc = glp_intopt(Q, &ip), st = glp_mip_status(Q);
    r->st.sub_nodes = 0;
    int solved = irc == 0 || irc == GLP_EMIPGAP;
    if ((solved || irc == GLP_ETMLIM || irc == GLP_ESTOP) && (st == GLP_OPT || st == GLP_FEAS)) {
        for (int j = 1; j <= L->ncols; j++) {
            double v = glp_mip_col_val(Q, j);
            out[j] = glp_get_col_kind(Q, j) == GLP_CV ? v : floor(v + 0.5);
        }
        /* the coverage the seats earn (the soft sub-MIP may claim less, and
         * a sub-MIP's answer once claimed more), then the plan is checked:
         * with soft > 0 the price is a guide and the row itself must hold,
         * and no plan that breaks a limit row may reach the search */
        eng_fill_z(T, L, P, out);
        *obj = eng_objective_of(P, out);
        rc = eng_plan_keeps_rows(r, P, out) ? 0 : -1;
    }
    if (r->cfg.opt->verbose && r->cfg.opt->log) {
        fprintf(r->cfg.opt->log, "RENS, stage %d: %d of %d integer columns free (LP %.6f); ", r->cfg.stage, nfrac,
                L->nints, r->res.lp_obj);
        if (rc == 0) fprintf(r->cfg.opt->log, "plan %.6f (%s, %.1f s)\n", *obj,
                             solved ? "sub-MIP solved" : "stopped", eng_now() - t0);
        else fprintf(r->cfg.opt->log, "no plan (%s, %.1f s)\n",
                     soft > 0 && (st == GLP_OPT || st == GLP_FEAS) ? "its seats miss the score row"
                     : st == GLP_OPT || st == GLP_FEAS ? "the sub-MIP's plan breaks a row"
                     : (irc == 0 && st == GLP_NOFEAS) || irc == GLP_ENOPFS ? "none in the neighbourhood" : "stopped",
                     eng_now() - t0);
    }
    glp_delete_prob(Q);
    return rc;
}
