/* engine/start.c — starting plans (docs/solver.md, "Starting plans"): the
 * seats of plans of related scenarios (a sweep's finished variants), each
 * tried as the incumbent of a stage.
 *
 * Why the check is exact: a plan's seats fix every integer column (x per
 * pair; open per course follows from its seats), and what is left, money
 * and coverage, is continuous. The LP over those columns, in a copy of the
 * stage's model with its limit rows, is feasible exactly when some money
 * and coverage make the seats a plan of this model, and its optimum is the
 * best that stage can make of them. Seats on a pair the model lacks (a
 * country or course that is gone or no longer eligible) make the plan no
 * plan here. */
#include "search/search.h"
#include <math.h>
#include <stdlib.h>

/* Seats of plan s per pair of T into seats[npairs]; -1 when some seat lies
 * on no pair of T. */
static int map_seats(const eng_tab *T, const eng_prev *s, double *seats)
{
    for (int q = 0; q < T->npairs; q++) seats[q] = 0;
    if (s->gone > 0) return -1;
    for (int i = 0; i < s->nseat; i++) {
        if (s->seat[i].seats <= 0) continue;
        int q = eng_pair_index(T, s->seat[i].c, s->seat[i].k);
        if (q < 0) return -1;
        seats[q] += (double)s->seat[i].seats;
    }
    return 0;
}

/* Fixes column j of Q at v; 0 when v lies within P's bounds of j. */
static int fix(glp_prob *P, glp_prob *Q, int j, double v)
{
    if (v < eng_col_lb(P, j) - 1e-9 || v > eng_col_ub(P, j) + 1e-9) return -1;
    glp_set_col_bnds(Q, j, GLP_FX, v, v);
    return 0;
}

/* The LP of the continuous columns with the seats fixed; fills v and *obj. */
static int settle(const eng_tab *T, const eng_lp *L, const double *seats, double deadline, double *v,
                  double *obj)
{
    glp_prob *P = L->P, *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    int ok = 1;
    unsigned char *open = eng_scratch0((size_t)T->m->ncourses + 1, 1);
    if (!open) ok = -1;
    for (int q = 0; ok == 1 && q < T->npairs; q++) {
        if (fix(P, Q, L->xcol[q], seats[q])) ok = 0;
        if (seats[q] > 0) open[T->pairs[q].k] = 1;
    }
    for (int k = 0; ok == 1 && k < T->m->ncourses; k++)
        if (L->ocol[k] && fix(P, Q, L->ocol[k], open[k])) ok = 0;
    eng_scratch_free(open);
    if (ok == 1) {
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        sp.presolve = GLP_ON; /* all seats fixed: presolve leaves a small LP, or proves none */
        sp.tm_lim = eng_tm_lim(deadline, 1, ENG_TM_LP, NULL);
        ok = glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT;
    }
    if (ok == 1) {
        for (int j = 1; j <= L->ncols; j++) {
            double x = glp_get_col_prim(Q, j);
            v[j] = glp_get_col_kind(P, j) == GLP_CV ? x : floor(x + 0.5);
        }
        *obj = eng_objective_of(P, v);
    }
    glp_delete_prob(Q);
    return ok;
}

/* The best of opt->start's plans in L's model as it stands: 1 with
 * best[1..ncols], *obj and *which (its index) set, 0 when none is a plan
 * of it (or the deadline passed), -1 when out of memory. */
static int start_best(const eng_tab *T, const eng_lp *L, const eng_options *opt, double deadline, double *best,
                      double *obj, int *which)
{
    if (!opt->start || opt->nstart <= 0 || T->npairs == 0) return 0;
    double *seats = eng_scratch((size_t)T->npairs * sizeof *seats);
    double *v = eng_scratch(((size_t)L->ncols + 1) * sizeof *v);
    if (!seats || !v) { eng_scratch_free(seats); eng_scratch_free(v); return -1; }
    int maximize = glp_get_obj_dir(L->P) == GLP_MAX, found = 0;
    for (int i = 0; i < opt->nstart && eng_now() < deadline; i++) {
        double o;
        if (map_seats(T, &opt->start[i], seats)) continue;
        int rc = settle(T, L, seats, deadline, v, &o);
        if (rc < 0) { found = -1; break; }
        if (rc == 0) continue;
        if (found && !(maximize ? o > *obj : o < *obj)) continue;
        for (int j = 0; j <= L->ncols; j++) best[j] = v[j];
        *obj = o;
        *which = i;
        found = 1;
    }
    eng_scratch_free(seats);
    eng_scratch_free(v);
    return found;
}

int eng_start_offer(const eng_tab *T, const eng_lp *L, eng_run *r, double deadline, double *buf)
{
    const eng_options *opt = r->cfg.opt;
    if (!eng_copy_fits(opt)) return -1; /* settle() copies the model, as RENS does */
    double o = 0;
    int which = -1, st = r->cfg.stage;
    if (start_best(T, L, opt, deadline, buf, &o, &which) != 1) return -1;
    if (st >= 2) { /* trimmed as the previous stage's plan is, to which it is compared */
        (void)eng_heur_trim(T, L, L->P, buf); /* unchanged when it fails */
        eng_fill_z(T, L, L->P, buf);
        o = eng_objective_of(L->P, buf);
    }
    if (!eng_plan_keeps_rows(r, L->P, buf)) return -1;
    if (r->st.inject) {
        double have = eng_objective_of(L->P, r->st.inject);
        double tol = 1e-9 * fmax(1.0, fabs(have)); /* as good as the incumbent: often the same plan */
        if (glp_get_obj_dir(L->P) == GLP_MAX ? o < have - tol : o > have + tol) return -1;
    }
    r->st.inject = buf;
    r->st.inject_start = 1;
    if (opt->verbose && opt->log)
        fprintf(opt->log, "stage %d: starts from starting plan %d (objective %.6f)\n", st, which + 1, o);
    return which;
}
