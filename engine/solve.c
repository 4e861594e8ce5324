/* engine/solve.c — eng_solve: tables, GLPK model, three lexicographic
 * stages, plan and audit. GLPK's abort paths are caught with its error
 * hook and longjmp; its terminal output never reaches stdout.
 *
 * Stage tolerances: stage 2 keeps score >= S1 - 1e-7*max(1,|S1|) and stage 3
 * keeps cost <= C2 + 1e-7*max(1,|C2|). They absorb GLPK's feasibility
 * tolerance (about 1e-7 relative) so that the previous stage's solution stays
 * feasible and can be offered as the starting incumbent; they are far below
 * the value of one seat, and the reported score is recomputed from the
 * integer seats anyway. */
#include "eng_int.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

typedef struct solve_ctx {
    jmp_buf jb;
    const md_model *m;
    eng_options opt;
    md_diag *d;
    eng_plan *p;
    eng_tab T;
    eng_lp L;
    double *sol, *inject;       /* [ncols + 1] */
} solve_ctx;

const char *const eng_status_names[3] = { "optimal", "time_limit", "interrupted" };

static int term_hook(void *info, const char *s)
{
    solve_ctx *x = info;
    FILE *f = x->opt.log;
    if (glp_at_error()) { /* an abort is coming: always say why */
        fputs(s, f ? f : stderr);
    } else if (x->opt.verbose && f) {
        fputs(s, f);
    }
    return 1; /* never let GLPK print to stdout */
}

static void error_hook(void *info)
{
    solve_ctx *x = info;
    longjmp(x->jb, 1);
}

/* Copies the MIP solution, integer columns rounded exactly. */
static void take_solution(solve_ctx *x)
{
    for (int j = 1; j <= x->L.ncols; j++) {
        double v = glp_mip_col_val(x->L.P, j);
        if (glp_get_col_kind(x->L.P, j) != GLP_CV) v = floor(v + 0.5);
        x->sol[j] = v;
    }
}

static void record(eng_stage_stats *st, const eng_run *r)
{
    st->seconds = r->seconds;
    st->objective = r->obj;
    st->bound = r->bound;
    st->gap = r->gap;
    st->nodes = r->nodes;
    st->status = r->interrupted ? ENG_INTERRUPTED : r->timed_out ? ENG_TIME_LIMIT : ENG_OPTIMAL;
}

static int fill(solve_ctx *x)
{
    if (eng_plan_fill(&x->T, &x->L, x->sol, x->p) == 0) return 0;
    md_fail(x->d, MD_EX_SOFTWARE, "out of memory while writing the plan");
    return MD_EX_SOFTWARE;
}

/* Coverage pieces that the integer seats in v earn, filled tier by tier
 * (what an optimal LP would choose for those seats). */
static void complete_z(solve_ctx *x, double *v)
{
    const md_model *m = x->m;
    for (int n = 0; n < m->nneeds; n++) {
        if (!x->L.zcol[n]) continue;
        double s = 0;
        for (int q = x->T.n_start[n]; q < x->T.n_start[n + 1]; q++) s += v[x->L.xcol[x->T.n_list[q]]];
        for (int i = 0; i < m->set.ntiers; i++) {
            int j = x->L.zcol[n] + i;
            double ub = glp_get_col_ub(x->L.P, j), z = s < ub ? s : ub;
            v[j] = z > 0 ? z : 0;
            s -= v[j];
        }
    }
}

/* The exact value of objective `which` for the integer seats in x->sol:
 * later stages are limited by what the reported plan achieves, not by an
 * LP value that carries GLPK's integrality tolerance. */
static double exact_value(solve_ctx *x, int which)
{
    const md_model *m = x->m;
    double v = 0;
    if (which == ENG_OBJ_SCORE) {
        for (int n = 0; n < m->nneeds; n++) {
            long s = 0;
            for (int q = x->T.n_start[n]; q < x->T.n_start[n + 1]; q++)
                s += lround(x->sol[x->L.xcol[x->T.n_list[q]]]);
            v += eng_need_score(m, n, s < m->needs[n].seats ? s : m->needs[n].seats);
        }
    } else {
        for (int q = 0; q < x->T.npairs; q++)
            v += m->courses[x->T.pairs[q].k].cost_base * x->sol[x->L.xcol[q]];
    }
    return v;
}

/* Funding that matches the rounded seats exactly: fix every integer column
 * and re-solve the LP for the money columns. When that fails, scale each
 * pair's funding to its cost (off by at most GLPK's integrality tolerance). */
static void polish(solve_ctx *x, const int *limit_rows, int nlimits)
{
    glp_prob *P = x->L.P;
    const md_model *m = x->m;
    for (int i = 0; i < nlimits; i++) glp_set_row_bnds(P, limit_rows[i], GLP_FR, 0, 0);
    for (int j = 1; j <= x->L.ncols; j++)
        if (glp_get_col_kind(P, j) != GLP_CV) glp_set_col_bnds(P, j, GLP_FX, x->sol[j], x->sol[j]);
    eng_lp_objective(&x->T, &x->L, ENG_OBJ_NONE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = x->opt.verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    sp.presolve = GLP_OFF;
    if (glp_simplex(P, &sp) == 0 && glp_get_status(P) == GLP_OPT) {
        for (int j = 1; j <= x->L.ncols; j++)
            if (glp_get_col_kind(P, j) == GLP_CV) x->sol[j] = glp_get_col_prim(P, j);
        return;
    }
    for (int q = 0; q < x->T.npairs; q++) {
        const eng_pair *pp = &x->T.pairs[q];
        double want = m->courses[pp->k].cost_base * x->sol[x->L.xcol[q]], have = 0;
        for (int s = pp->don_first; s < pp->don_first + pp->don_count; s++) have += x->sol[x->L.fcol[s]];
        if (have > 0)
            for (int s = pp->don_first; s < pp->don_first + pp->don_count; s++) x->sol[x->L.fcol[s]] *= want / have;
    }
}

static int run_stages(solve_ctx *x)
{
    const md_model *m = x->m;
    eng_plan *p = x->p;
    double deadline = eng_now() + x->opt.time_limit;
    int rc = eng_lp_build(&x->T, NULL, &x->L, x->d);
    if (rc) return rc;
    p->rows = x->L.nrows;
    p->cols = x->L.ncols;
    p->ints = x->L.nints;
    size_t n1 = (size_t)x->L.ncols + 1;
    x->sol = calloc(n1, sizeof *x->sol);
    x->inject = calloc(n1, sizeof *x->inject);
    if (!x->sol || !x->inject) {
        md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    p->status = ENG_OPTIMAL;
    if (x->L.ncols == 0) /* nothing can be allocated: the empty plan is optimal */
        return fill(x);

    eng_run r = { .opt = &x->opt, .deadline = deadline };
    eng_lp_objective(&x->T, &x->L, ENG_OBJ_SCORE);
    /* no incumbent offered here: GLPK dives depth-first until it has one,
     * which finds good plans much sooner than best-bound from a zero plan */
    if ((rc = eng_run_mip(&x->L, x->opt.mip_gap, &r, x->d)) != 0) return rc;
    record(&p->stage[0], &r);
    if (r.infeasible) {
        eng_lp_free(&x->L);
        if (m->ncommitments == 0) {
            md_fail(x->d, MD_EX_SOFTWARE, "internal error: the allocation model is infeasible without commitments");
            return MD_EX_SOFTWARE;
        }
        return eng_commit_conflicts(&x->T, &x->opt, deadline, x->d);
    }
    if (!r.feasible) {
        md_fail(x->d, MD_EX_SOFTWARE, "no feasible plan was found before the solve was %s",
                r.interrupted ? "interrupted" : "stopped by the time limit");
        return MD_EX_SOFTWARE;
    }
    take_solution(x);
    p->status = p->stage[0].status;
    p->score_bound = r.bound;

    static const int objs[3] = { ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
    int limit_rows[2], nlimits = 0;
    for (int s = 1; s < 3 && p->status == ENG_OPTIMAL; s++) {
        double v = exact_value(x, objs[s - 1]), tol = 1e-7 * fmax(1.0, fabs(v));
        if (eng_lp_add_limit(&x->T, &x->L, objs[s - 1], objs[s - 1] == ENG_OBJ_SCORE ? v - tol : v + tol)) {
            md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
            return MD_EX_SOFTWARE;
        }
        limit_rows[nlimits++] = x->L.nrows;
        eng_lp_objective(&x->T, &x->L, objs[s]);
        memcpy(x->inject, x->sol, n1 * sizeof *x->sol);
        complete_z(x, x->inject);
        r.inject = x->inject;
        if ((rc = eng_run_mip(&x->L, x->opt.mip_gap, &r, x->d)) != 0) return rc;
        record(&p->stage[s], &r);
        if (r.feasible) take_solution(x);
        else if (r.infeasible) /* tolerance trouble: the previous plan stands */
            md_warn(x->d, NULL, "solver stage %d found no solution; keeping stage %d's plan", s + 1, s);
        p->status = p->stage[s].status;
    }
    polish(x, limit_rows, nlimits);
    rc = fill(x);
    if (rc) return rc;
    if (p->stage[0].status == ENG_OPTIMAL && p->stage[0].gap <= 0) p->score_bound = p->score;
    if (p->score_bound < p->score) p->score_bound = p->score;
    return 0;
}

/* Runs the stages with GLPK's error hook armed. Nothing in this frame
 * changes after setjmp; all state lives in *x. */
static int guarded(solve_ctx *x)
{
    glp_term_hook(term_hook, x);
    glp_error_hook(error_hook, x);
    if (setjmp(x->jb)) {
        glp_free_env(); /* every GLPK object is gone now */
        x->L.P = NULL;
        eng_lp_free(&x->L);
        md_fail(x->d, MD_EX_SOFTWARE, "the GLPK solver failed with an internal error");
        return MD_EX_SOFTWARE;
    }
    int rc = run_stages(x);

    eng_lp_free(&x->L);
    glp_term_hook(NULL, NULL);
    glp_error_hook(NULL, NULL);
    glp_free_env();
    return rc;
}

int eng_solve(const md_model *m, const eng_options *opt, eng_plan *p, md_diag *d)
{
    memset(p, 0, sizeof *p);
    double t0 = eng_now();
    solve_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    x->m = m;
    x->d = d;
    x->p = p;
    if (opt) x->opt = *opt;
    else x->opt.mip_gap = -1;
    if (!(x->opt.time_limit > 0)) x->opt.time_limit = m->set.time_limit > 0 ? m->set.time_limit : 300;
    if (x->opt.mip_gap < 0) x->opt.mip_gap = m->set.mip_gap >= 0 ? m->set.mip_gap : 1e-4;
    for (int i = 0; i < 3; i++) p->stage[i].nodes = -1;
    int rc = eng_tab_build(m, &x->T, d);
    if (rc == 0) rc = guarded(x);
    eng_tab_free(&x->T);
    free(x->sol);
    free(x->inject);
    free(x);
    p->solve_seconds = eng_now() - t0;
    if (rc == 0 && eng_audit(m, p, d) != 0) {
        md_fail(d, MD_EX_SOFTWARE, "the plan failed its audit; no outputs are written");
        rc = MD_EX_SOFTWARE;
    }
    if (rc) {
        eng_plan_free(p);
        p->status = ENG_OPTIMAL;
    }
    return rc;
}
