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

/* The solution made of the column lower bounds (the committed seats and
 * money), completed with open flags and coverage pieces; NULL-like (0) when
 * it breaks a row. Offered to stage 1 so a stopped search still has a plan. */
static int trivial_solution(solve_ctx *x)
{
    glp_prob *P = x->L.P;
    const md_model *m = x->m;
    int n = x->L.ncols;
    double *v = x->inject;
    for (int j = 1; j <= n; j++) v[j] = glp_get_col_lb(P, j);
    for (int k = 0; k < m->ncourses; k++) {
        if (!x->L.ocol[k]) continue;
        double s = 0;
        for (int q = x->T.k_start[k]; q < x->T.k_start[k + 1]; q++) s += v[x->L.xcol[x->T.k_list[q]]];
        v[x->L.ocol[k]] = s > 0 ? 1 : 0;
    }
    for (int nd = 0; nd < m->nneeds; nd++) {
        if (!x->L.zcol[nd]) continue;
        double s = 0;
        for (int q = x->T.n_start[nd]; q < x->T.n_start[nd + 1]; q++) s += v[x->L.xcol[x->T.n_list[q]]];
        for (int i = 0; i < m->set.ntiers; i++) {
            int j = x->L.zcol[nd] + i;
            double ub = glp_get_col_ub(P, j), z = s < ub ? s : ub;
            v[j] = z;
            s -= z;
        }
    }
    int nr = glp_get_num_rows(P);
    int *ind = malloc(((size_t)n + 1) * sizeof *ind);
    double *val = malloc(((size_t)n + 1) * sizeof *val);
    int ok = ind && val;
    for (int i = 1; i <= nr && ok; i++) {
        int len = glp_get_mat_row(P, i, ind, val), type = glp_get_row_type(P, i);
        double a = 0, tol;
        for (int q = 1; q <= len; q++) a += val[q] * v[ind[q]];
        tol = 1e-9 * (1 + fabs(a));
        if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && a < glp_get_row_lb(P, i) - tol) ok = 0;
        if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && a > glp_get_row_ub(P, i) + tol) ok = 0;
    }
    free(ind);
    free(val);
    return ok;
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
    if (getenv("ENG_DUMP")) glp_write_lp(x->L.P, NULL, getenv("ENG_DUMP")); /* TEMP */
    r.inject = (!x->L.bound_conflict && trivial_solution(x)) ? x->inject : NULL;
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
    double limit = r.obj;

    static const int objs[2] = { ENG_OBJ_COST, ENG_OBJ_SEATS };
    for (int s = 0; s < 2 && p->status == ENG_OPTIMAL; s++) {
        double tol = 1e-7 * fmax(1.0, fabs(limit));
        int prev = s == 0 ? ENG_OBJ_SCORE : ENG_OBJ_COST;
        if (eng_lp_add_limit(&x->T, &x->L, prev, s == 0 ? limit - tol : limit + tol)) {
            md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
            return MD_EX_SOFTWARE;
        }
        eng_lp_objective(&x->T, &x->L, objs[s]);
        memcpy(x->inject, x->sol, n1 * sizeof *x->sol);
        r.inject = x->inject;
        if ((rc = eng_run_mip(&x->L, x->opt.mip_gap, &r, x->d)) != 0) return rc;
        record(&p->stage[s + 1], &r);
        if (r.feasible) take_solution(x);
        else if (r.infeasible) /* tolerance trouble: the previous plan stands */
            md_warn(x->d, NULL, "solver stage %d found no solution; keeping stage %d's plan", s + 2, s + 1);
        p->status = p->stage[s + 1].status;
        limit = r.feasible ? r.obj : limit;
    }
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
