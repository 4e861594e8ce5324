/* engine/solve.c — eng_solve: tables, GLPK model, three lexicographic
 * stages and the stability stage (stable.c), plan and audit. GLPK's abort
 * paths are caught with its error hook and longjmp; its terminal output
 * never reaches stdout.
 *
 * Stage tolerances: stage 2 keeps score >= S1 - 1e-7*max(1,|S1|) and stage 3
 * keeps cost <= C2 + 1e-7*max(1,|C2|). They absorb GLPK's feasibility
 * tolerance (about 1e-7 relative) so that the previous stage's solution stays
 * feasible and can be offered as the starting incumbent; they are far below
 * the value of one seat, and the reported score is recomputed from the
 * integer seats anyway. */
#include "search/search.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>

enum { SIFT_SHARE_PCT = 90 };
#define SIFT_SHARE (SIFT_SHARE_PCT / 100.0)
/* RENS, and then LNS, may each use half of the time left. With 0.8 for LNS
 * (195x1000x40, 30 s) it ended at the same stage-2 plans, and branch and
 * bound had no time left for its root cuts (seed 1's bound 682,607
 * instead of 709,330). */
#define SUB_SHARE 0.5
/* Stage 3's LNS before the search: a quarter. Its plans keep improving,
 * but RENS at the search's root finds better ones (195x1000x40 seed 2:
 * 3,646 in 0.4 s after LNS's 3,728 in 10 s). At 60 s (seeds 1, 2, 3, 6,
 * two runs against one with a half): stage 3 proven on seed 3 in 15.3 s
 * (22.8 s), on seed 2 in 31.3-31.6 s (29.4 s), on seed 6 in 20.8 s in one
 * run and not in the other (29.0 s); seed 1 one seat from its bound
 * (3,754 against 3,753; 3,753 against 3,740). At 30 s seed 3's stage 3
 * took 7.8-8.6 s (10.6 s). RENS keeps its half: a quarter cut seed 6's. */
#define STAGE3_LNS_SHARE 0.25
/* ... and at most this many windows, so that the plan does not depend on
 * the clock when the time is ample (it took 51-73 windows in its quarter
 * at 195x1000x40, 30 s, when stage 3 started 5 s in). */
enum { STAGE3_LNS_WINDOWS = 60 };

typedef struct solve_ctx {
    jmp_buf jb;
    const md_model *m;
    eng_options opt;            /* opt.testing points at sw */
    eng_testing sw;             /* the caller's switches (eng_testing.h), or all 0; counters */
    md_diag *d;
    eng_plan *p;
    eng_tab T;
    eng_lp L;
    double *sol, *inject, *sub_buf, *sub_best, *keep; /* [ncols + 1], room for stage 4's columns */
    double *start_buf;          /* [ncols + 1] the starting plan offered (opt.start), else NULL */
    eng_rcfix rc, rc_root;      /* stage 1's LP relaxation, stage 2's search root (big models) */
    double t_start;             /* monotonic start of eng_solve */
    double deadline;            /* monotonic end of the time limit */
    int mem_exceeded;           /* GLPK reported its memory limit */
    char errtext[512];          /* GLPK's text while glp_at_error() */
    size_t errlen;
    /* recovery after GLPK failures (docs/solver.md, "When GLPK fails") */
    int done;                   /* stages finished: sol holds the last one's plan */
    double limit[3];            /* the limits that stages 1-3 set for the next */
    int running;                /* the stage running (1-3), RUN_FUNDING, RUN_STABLE */
    eng_stab stab;              /* stab.p non-NULL: stage 4 minimises the churn */
    int attempt;                /* failed attempts of the running stage so far */
    int no_polish_lp;           /* the funding LP failed: fit the money instead */
    char fail_text[200];        /* what GLPK said or returned, on one line */
} solve_ctx;

/* Attempts of a stage before its GLPK failures end it (the third runs with
 * the most cautious settings; see attempt_settings). */
enum { ENG_ATTEMPTS = 3, ENG_RETRY = -1 };
/* x->running past the three stages: the funding LP (4, as eng_testing's
 * fail_stage counts it) and stage 4, stability (5). */
enum { RUN_FUNDING = 4, RUN_STABLE = 5 };

const char *const eng_status_names[ENG_NSTATUS] = { "optimal", "time_limit", "interrupted", "solver_error" };

static int term_hook(void *info, const char *s)
{
    solve_ctx *x = info;
    FILE *f = x->opt.log;
    if (glp_at_error()) { /* an abort is coming: kept to say why */
        if (strstr(s, "memory allocation limit exceeded") || strstr(s, "no memory available"))
            x->mem_exceeded = 1;
        size_t n = strlen(s), room = sizeof x->errtext - 1 - x->errlen;
        if (n > room) n = room;
        memcpy(x->errtext + x->errlen, s, n);
        x->errlen += n;
        x->errtext[x->errlen] = '\0';
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

/* Copies the stage's solution (P's MIP solution unless the run left it in
 * r->res.sol_buf), integer columns rounded exactly. */
static void take_solution(solve_ctx *x, const eng_run *r)
{
    for (int j = 1; j <= x->L.ncols; j++) {
        double v = r->res.sol_buf ? r->res.sol_buf[j] : glp_mip_col_val(x->L.P, j);
        if (glp_get_col_kind(x->L.P, j) != GLP_CV) v = floor(v + 0.5);
        x->sol[j] = v;
    }
}

static void record(eng_stage_stats *st, const eng_run *r)
{
    st->seconds = r->res.seconds;
    st->objective = r->res.obj;
    st->bound = r->res.bound;
    st->gap = r->res.gap;
    st->nodes = r->res.nodes;
    st->status = r->res.interrupted ? ENG_INTERRUPTED : r->res.timed_out ? ENG_TIME_LIMIT : ENG_OPTIMAL;
}

/* Where the stage-time lines of timing.c go: the log with -v, else nowhere. */
static FILE *time_log(const solve_ctx *x)
{
    return x->opt.verbose ? x->opt.log : NULL;
}

static int fill(solve_ctx *x)
{
    if (eng_plan_fill(&x->T, &x->L, x->sol, x->p) == 0) return 0;
    md_fail(x->d, MD_EX_SOFTWARE, "out of memory while writing the plan");
    return MD_EX_SOFTWARE;
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
            v += (which == ENG_OBJ_SEATS ? 1.0 : m->courses[x->T.pairs[q].k].cost_base) * x->sol[x->L.xcol[q]];
    }
    return v;
}

/* Funding that matches the rounded seats exactly: fix every integer column
 * and re-solve the LP for the money columns. When that fails, fit the money
 * to the seats (eng_fit_money; off by at most GLPK's integrality
 * tolerance). eng_plan_fill splits the money over the pairs. */
static void polish(solve_ctx *x, const int *limit_rows, int nlimits)
{
    glp_prob *P = x->L.P;
    if (x->no_polish_lp) { /* it failed once: GLPK is not asked again */
        (void)eng_fit_money(&x->T, &x->L, P, x->sol);
        return;
    }
    for (int i = 0; i < nlimits; i++) glp_set_row_bnds(P, limit_rows[i], GLP_FR, 0, 0);
    for (int j = 1; j <= x->L.ncols; j++)
        if (glp_get_col_kind(P, j) != GLP_CV) glp_set_col_bnds(P, j, GLP_FX, x->sol[j], x->sol[j]);
    eng_lp_objective(&x->T, &x->L, ENG_OBJ_NONE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = x->opt.verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    /* With every seat fixed, GLPK's presolver leaves only the money columns
     * of bought pairs: 195x1000x40 seeds 1 and 2 took 0.04-0.05 s instead of
     * 0.64 and 1.62 s from the MIP's basis; 195x5000x100 seed 2 (60 s)
     * 0.33 s, where without it the LP used up its 1 s and the fit took
     * over. An infeasible or unsolved LP falls back to eng_fit_money. */
    sp.presolve = GLP_ON;
    /* a transport LP: quick, or else the scaling below will do; 1-5 s and
     * no more than the time limit leaves */
    sp.tm_lim = eng_tm_lim(x->deadline, 1000, 5000, NULL);
    if (glp_simplex(P, &sp) == 0 && glp_get_status(P) == GLP_OPT) {
        for (int j = 1; j <= x->L.ncols; j++)
            if (glp_get_col_kind(P, j) == GLP_CV) x->sol[j] = glp_get_col_prim(P, j);
        return;
    }
    (void)eng_fit_money(&x->T, &x->L, P, x->sol); /* a shortfall is the audit's to report */
}

/* Stages that never ran because an earlier one was stopped: seconds 0,
 * objective, bound and gap NAN, nodes -1, and the status that stopped the
 * solve (ENG_TIME_LIMIT or ENG_INTERRUPTED); see eng_int.h. */
static void mark_unrun(eng_plan *p, int first)
{
    for (int s = first; s < 4; s++)
        p->stage[s] = (eng_stage_stats){ 0, NAN, NAN, NAN, -1, p->status };
}

/* Stage 1 hit the time limit before GLPK had any plan (at national scale
 * the root LP alone can outlast it): the rounding heuristic on the last LP
 * point that sifting left in sr->lp, else (sr->lp NULL, or no round) a
 * greedy plan from the committed seats. Its bound is the least of: the root
 * LP value when the LP finished, sifting's dual bound, the score of
 * covering every coverable need in full. t_stage: when stage 1 began. */
static int plan_without_tree(solve_ctx *x, eng_run *r, const eng_sift_res *sr, double t_stage)
{
    const md_model *m = x->m;
    eng_plan *p = x->p;
    double obj = 0, bound = 0;
    const double *lp = sr->rounds > 0 ? sr->lp : NULL; /* NULL: greedy */
    /* a stop request wants no new work: only the time limit gets this plan */
    (void)eng_time_enter(r->tm, ENG_TIME_HEUR); /* the rounding below */
    if (r->res.interrupted || eng_heur_round(&x->T, &x->L, x->L.P, lp != NULL, lp, x->sol, &obj) != 0) {
        md_fail(x->d, MD_EX_SOFTWARE, "no feasible plan was found before the solve was %s",
                r->res.interrupted ? "interrupted" : "stopped by the time limit");
        return MD_EX_SOFTWARE;
    }
    for (int n = 0; n < m->nneeds; n++)
        if (x->L.zcol[n]) bound += eng_need_score(m, n, m->needs[n].seats);
    if (r->res.lp_ok && r->res.lp_obj < bound) bound = r->res.lp_obj; /* the root LP did finish */
    if (sr->bound < bound) bound = sr->bound;
    if (bound < obj) bound = obj;
    p->status = ENG_TIME_LIMIT;
    double now = eng_now();
    eng_time_stop(r->tm, now);
    eng_time_report(r->tm, time_log(x), 1);
    p->stage[0] = (eng_stage_stats){ now - t_stage, obj, bound,
                                     eng_rel_gap(obj, bound), -1, p->status };
    mark_unrun(p, 1);
    p->score_bound = bound;
    int rc = fill(x); /* the heuristic's money matches its seats by construction: no polish */
    if (rc == 0 && p->score_bound < p->score) p->score_bound = p->score;
    return rc;
}

/* The LP of stage 2 or 3 of a huge model by sifting too, from the previous
 * plan's columns (the warm primal simplex prices every column at every
 * iteration: 195x5000x100 seed 2's stage-2 LP took 12,360 iterations and
 * 35-53 s over its 520k columns). eng_run_mip then re-solves it warm, as a
 * check; if sifting stops first, it goes on from the restricted basis.
 * Smaller models keep the plain warm LP (1-3 s at 195x1000x40). */
static void sift_stage(solve_ctx *x, double deadline)
{
    if (!(x->sw.stage_sift ? x->sw.stage_sift > 0 : x->L.ncols > ENG_HUGE_COLS)) return;
    eng_sift_res sr = { .keep = x->inject };
    double t = eng_now(), stop = t + SIFT_SHARE * (deadline - t);
    int rc = x->sw.stage_sift > 0 ? eng_sift_from(&x->T, &x->L, &x->opt, stop, 0, &sr) /* forced: any size */
                                   : eng_sift(&x->T, &x->L, &x->opt, stop, &sr);
    if (rc == 0) x->sw.stage_sifted++;
}

/* The settings of a stage's attempt after GLPK failed (docs/solver.md,
 * "When GLPK fails"): from the second attempt on, no heuristics of our own
 * and no warm start or reduced-cost bounds; from the third, the dual
 * simplex first and another scaling. */
static void attempt_settings(solve_ctx *x, eng_run *r)
{
    if (x->attempt >= 1) {
        x->sw.rens = x->sw.lns = x->sw.rcfix = x->sw.stage_sift = -1;
        r->cfg.heur = 0;
        r->cfg.warm = 0;
    }
    r->cfg.cautious = x->attempt >= 2;
}

static const char *const stage_names[4] = { "max score", "min cost", "min seats", "stability" };

/* Stage s+1 (1-based s+1 = 2, 3) failed in every attempt: the plan of the
 * stage before stands, and the status says that the solver failed. */
static void give_up_stage(solve_ctx *x, int s, const int *objs)
{
    eng_plan *p = x->p;
    p->status = ENG_SOLVER_ERROR;
    p->stage[s] = (eng_stage_stats){ 0, exact_value(x, objs[s]), NAN, NAN, -1, ENG_SOLVER_ERROR };
    md_warn(x->d, NULL, "the GLPK solver failed in stage %d (%s) %d times (%s); keeping stage %d's plan, "
            "whose %s is proven but whose %s is not minimised (status solver_error)",
            s + 1, stage_names[s], ENG_ATTEMPTS, x->fail_text, s,
            s == 1 ? "score" : s == 2 ? "score and cost" : "score, cost and seat count",
            s == 1 ? "cost" : s == 2 ? "seat count" : "churn against the previous plan");
}

/* The last check of a stage's plan, after every heuristic and GLPK: the
 * integer seats in x->sol must keep the limits that stages 1..s set (the
 * score of stage 1, the cost of stage 2, the seats of stage 3; s 1-3),
 * computed from the seats as the outputs are. GLPK takes any plan that a
 * heuristic hands it (glp_ios_heur_sol checks no row), so a plan that
 * breaks a limit row could otherwise end a stage as proven. 0 when it
 * keeps them; else the 1-based stage whose limit it breaks. */
static int limit_broken(solve_ctx *x, int s)
{
    static const int objs[3] = { ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
    for (int i = 0; i < s && i < 3; i++) {
        double v = exact_value(x, objs[i]), slack = 1e-9 * fmax(1.0, fabs(x->limit[i]));
        if (objs[i] == ENG_OBJ_SCORE ? v < x->limit[i] - slack : v > x->limit[i] + slack) return i + 1;
    }
    return 0;
}

/* Stage s+1 (s 1-3, 0-based) kept a plan that breaks the limit of stage
 * `broken` (limit_broken): the plan of the stage before, in `prev`, stands,
 * and the stage is marked as not proven (solver_error) with a warning. */
static void keep_previous(solve_ctx *x, int s, int broken, const double *prev, size_t n1)
{
    static const char *const what[3] = { "score", "cost", "seat count" };
    eng_plan *p = x->p;
    double got = exact_value(x, broken == 1 ? ENG_OBJ_SCORE : broken == 2 ? ENG_OBJ_COST : ENG_OBJ_SEATS);
    memcpy(x->sol, prev, n1 * sizeof *x->sol);
    eng_stage_stats *st = &p->stage[s];
    st->bound = st->gap = NAN;
    st->status = ENG_SOLVER_ERROR;
    if (s < 3) st->objective = exact_value(x, s == 1 ? ENG_OBJ_COST : ENG_OBJ_SEATS); /* stage 4's: its caller */
    md_warn(x->d, NULL, "solver stage %d (%s) ended with a plan whose %s, %.6f, breaks the limit stage %d set "
            "(%.6f); keeping stage %d's plan, whose %s is not minimised (status solver_error)",
            s + 1, stage_names[s], what[broken - 1], got, broken, x->limit[broken - 1], s,
            s == 1 ? "cost" : s == 2 ? "seat count" : "churn against the previous plan");
}

/* Tests spoil a stage's plan here (eng_testing.h, corrupt_stage): mode 1
 * takes every seat away (the score falls below stage 1's), mode 2 adds a
 * seat to the first pair (the cost rises above stage 2's). */
static void corrupt(solve_ctx *x, int stage)
{
    if (x->sw.corrupt_stage != stage || x->T.npairs == 0) return;
    if (x->sw.corrupt_how == 2) x->sol[x->L.xcol[0]] += 1;
    else
        for (int q = 0; q < x->T.npairs; q++) x->sol[x->L.xcol[q]] = 0;
}

/* Tests make GLPK fail here as it does on an internal error (eng_testing.h). */
static void injected_failure(const solve_ctx *x)
{
    if (x->sw.fail_stage == x->running &&
        (x->running == RUN_FUNDING ? !x->no_polish_lp : x->attempt < x->sw.fail_times))
        glp_error("injected failure (test)\n");
}

/* A stage's run returned a failure of GLPK's: the next attempt says why. */
static int retry(solve_ctx *x, const eng_run *r)
{
    snprintf(x->fail_text, sizeof x->fail_text, "%s", r->res.why);
    return ENG_RETRY;
}

/* Stage 4, stability (stable.c): among the plans within the limits of
 * stages 1-3 (score, cost, and now the seats of stage 3's plan), the
 * fewest seats that differ from the previous plan. Stage 3's plan is the
 * first incumbent, so the stage can only lower the churn; when the time
 * limit cuts it, the better of the two plans by churn is kept. RENS and
 * LNS run as in stage 3 (a churn column is in its pair's country's LNS
 * window); the limit rows and the reduced-cost bounds of stages 2-3 hold
 * for every plan it may take. The churn columns and rows are taken out
 * again afterwards, so that the funding LP sees the usual model. */
static int stable_stage(solve_ctx *x, eng_run *r, int *limit_rows, int *nlimits)
{
    eng_plan *p = x->p;
    if (x->done == 3) { /* the seats of stage 3's plan, as the limits before */
        double v = exact_value(x, ENG_OBJ_SEATS);
        x->limit[2] = v + 1e-7 * fmax(1.0, fabs(v));
    }
    if (eng_lp_add_limit(&x->T, &x->L, ENG_OBJ_SEATS, x->limit[2])) {
        md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    limit_rows[(*nlimits)++] = x->L.nrows;
    if (x->done > 3) return 0; /* done before the funding LP failed: its limit only */
    if (x->attempt >= ENG_ATTEMPTS) { /* the stage-3 plan stands */
        static const int objs[4] = { ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS, ENG_OBJ_NONE };
        give_up_stage(x, 3, objs);
        p->stage[3].objective = (double)eng_stab_churn(&x->T, &x->L, &x->stab, x->sol);
        x->done = 4;
        return 0;
    }
    x->running = RUN_STABLE;
    int ncols0 = x->L.ncols;
    if (eng_stab_add(&x->T, &x->L, &x->stab) != 0) {
        md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    memcpy(x->inject, x->sol, ((size_t)ncols0 + 1) * sizeof *x->sol);
    eng_stab_fill(&x->T, &x->L, &x->stab, x->inject);
    memcpy(x->keep, x->sol, ((size_t)ncols0 + 1) * sizeof *x->sol); /* stage 3's plan, kept */
    long c3 = eng_stab_churn(&x->T, &x->L, &x->stab, x->sol);
    r->st.inject = x->inject;
    r->cfg.heur = 0;
    r->cfg.heur_buf = NULL;
    r->cfg.warm = x->attempt == 0; /* the new columns are non-basic, the new rows' basic: still a basis */
    r->cfg.stage = 4;
    r->cfg.rens_soft = 0;
    r->cfg.lns_from = limit_rows[0]; /* LNS keeps the three limit rows and the churn rows */
    r->cfg.lns_share = STAGE3_LNS_SHARE;
    r->st.lns_windows = STAGE3_LNS_WINDOWS;
    r->cfg.rc = r->cfg.rc_root = NULL;
    injected_failure(x);
    eng_run_mip(&x->L, x->opt.mip_gap, r);
    if (r->res.failed) return retry(x, r);
    record(&p->stage[3], r);
    eng_time_report(r->tm, time_log(x), 4);
    long c4 = c3;
    int broken = 0;
    if (r->res.feasible) {
        take_solution(x, r);
        corrupt(x, 4);
        c4 = eng_stab_churn(&x->T, &x->L, &x->stab, x->sol);
        broken = limit_broken(x, 3);
        if (broken) keep_previous(x, 3, broken, x->keep, (size_t)ncols0 + 1);
        if (broken || c4 >= c3) { /* not better than stage 3's plan, or breaks a limit: that one stays */
            memcpy(x->sol, x->keep, ((size_t)ncols0 + 1) * sizeof *x->sol);
            c4 = c3;
        }
    } else if (r->res.infeasible) {
        md_warn(x->d, NULL, "solver stage 4 found no solution; keeping stage 3's plan");
    }
    eng_stage_stats *st = &p->stage[3];
    st->objective = (double)c4;
    if (!r->res.feasible) {
        st->bound = r->res.lp_ok ? fmin(r->res.lp_obj, st->objective) : NAN;
        st->gap = r->res.lp_ok ? eng_rel_gap(st->objective, st->bound) : NAN;
    } else if (!broken && !(st->bound <= st->objective)) {
        st->bound = st->objective;
        st->gap = 0;
    }
    if (eng_stab_remove(&x->L, &x->stab)) {
        md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    p->status = st->status;
    x->done = 4;
    x->attempt = 0;
    return 0;
}

/* Offers the stage about to run (r's cfg set for it) the best starting
 * plan (start.c); the first attempt of a stage only. */
static void offer_start(solve_ctx *x, eng_run *r)
{
    if (!x->start_buf || x->attempt > 0) return;
    int which = eng_start_offer(&x->T, &x->L, r, x->deadline, x->start_buf);
    if (which >= 0) x->p->started[r->cfg.stage - 1] = which;
}

/* Runs the stages that are not done yet (x->done of them are: x->sol
 * holds the last one's plan and x->limit their limits), building the
 * model afresh. Returns 0, an exit code of docs/formats.md after reporting, or
 * ENG_RETRY when GLPK returned a failure (x->fail_text says which). */
static int run_stages(solve_ctx *x)
{
    const md_model *m = x->m;
    eng_plan *p = x->p;
    double deadline = x->deadline;
    int rc = eng_lp_build(&x->T, NULL, &x->L, x->d);
    if (rc) return rc;
    if (x->opt.verbose && x->opt.log)
        fprintf(x->opt.log, "model built at %.1f s: %d rows, %d columns (%d integer)\n", eng_now() - x->t_start,
                x->L.nrows, x->L.ncols, x->L.nints);
    p->rows = x->L.nrows;
    p->cols = x->L.ncols;
    p->ints = x->L.nints;
    size_t n1 = (size_t)x->L.ncols + 1;
    if (!x->sol) { /* room for stage 4's churn columns too (one per pair at most) */
        size_t nb = n1 + (x->stab.p ? (size_t)x->T.npairs : 0);
        x->sol = calloc(nb, sizeof *x->sol);
        x->inject = calloc(nb, sizeof *x->inject);
        x->sub_buf = calloc(nb, sizeof *x->sub_buf);
        x->sub_best = calloc(nb, sizeof *x->sub_best);
        x->keep = x->stab.p ? calloc(nb, sizeof *x->keep) : NULL;
    }
    if (!x->start_buf && x->opt.start && x->opt.nstart > 0) x->start_buf = calloc(n1, sizeof *x->start_buf);
    if (!x->sol || !x->inject || !x->sub_buf || !x->sub_best || (x->stab.p && !x->keep) ||
        (x->opt.start && x->opt.nstart > 0 && !x->start_buf)) {
        md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    if (x->L.ncols == 0) { /* nothing can be allocated: the empty plan is optimal */
        p->status = ENG_OPTIMAL;
        return fill(x);
    }

    eng_run r = { .cfg = { .opt = &x->opt, .deadline = deadline, .t_start = x->t_start, .stage = 1, .T = &x->T,
                           .rc = &x->rc, .heur = 1, .heur_buf = x->inject, .sub_buf = x->sub_buf,
                           .sub_best = x->sub_best, .sub_share = SUB_SHARE,
                           .lns_from = x->L.nrows + 1 /* LNS, no limit rows */ } };
    eng_timing tm = { 0 };
    r.tm = &tm;
    attempt_settings(x, &r);
    if (x->done == 0) {
        p->status = ENG_OPTIMAL;
        x->running = 1;
        eng_lp_objective(&x->T, &x->L, ENG_OBJ_SCORE);
        int xrc = x->opt.export_model && x->attempt == 0 ? eng_lp_export(&x->T, &x->L, x->opt.export_model) : 0;
        if (xrc == -3) {
            md_fail(x->d, MD_EX_SOFTWARE, "out of memory while writing the model to %s", x->opt.export_model);
            return MD_EX_SOFTWARE;
        }
        if (xrc != 0) {
            md_fail(x->d, MD_EX_CANTCREAT, "cannot write the model to %s%s%s%s", x->opt.export_model,
                    xrc == -2 ? " (nor its names to " : "", xrc == -2 ? x->opt.export_model : "",
                    xrc == -2 ? ".names.csv)" : "");
            return MD_EX_CANTCREAT;
        }
        /* no incumbent offered here but a starting plan: the rounding
         * heuristic offers one at the root; big models get their root LP by
         * sifting first */
        double t1 = eng_now();
        eng_time_start(&tm, t1); /* stage 1's seconds include its sifting */
        /* Sifting may use most of the time; the rest is for rounding its LP
         * point when it cannot finish (SIFT_SHARE measured at 195x5000x100). */
        eng_sift_res sr = { .lp = x->inject };
        int srs = x->attempt == 0 ? eng_sift(&x->T, &x->L, &x->opt, t1 + SIFT_SHARE * (deadline - t1), &sr) : 1;
        if (srs == 2) {
            r.res.timed_out = 1;
            return plan_without_tree(x, &r, &sr, t1);
        }
        if (srs == 0) r.cfg.warm = 1;
        offer_start(x, &r);
        injected_failure(x);
        eng_run_mip(&x->L, x->opt.mip_gap, &r);
        if (r.res.failed) return retry(x, &r);
        if (r.res.searched) sr.lp = NULL; /* x->inject was the B&B heuristic's work space */
        double t_end = eng_now();
        r.res.seconds = t_end - t1; /* sifting included */
        eng_time_stop(&tm, t_end);
        record(&p->stage[0], &r);
        if (r.res.feasible || r.res.infeasible) eng_time_report(&tm, time_log(x), 1); /* else plan_without_tree's */
        if (r.res.infeasible) {
            eng_lp_free(&x->L);
            if (m->ncommitments == 0) {
                md_fail(x->d, MD_EX_SOFTWARE, "internal error: the allocation model is infeasible without commitments");
                return MD_EX_SOFTWARE;
            }
            return eng_commit_conflicts(&x->T, &x->opt, deadline, x->d);
        }
        if (!r.res.feasible)
            return plan_without_tree(x, &r, &sr, t1);
        take_solution(x, &r);
        p->status = p->stage[0].status;
        p->score_bound = r.res.bound;
        x->done = 1;
        x->attempt = 0;
    }

    static const int objs[3] = { ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
    int limit_rows[3], nlimits = 0, s = 1;
    for (; s < 3 && p->status == ENG_OPTIMAL; s++) {
        if (x->done == s) { /* the limit of the stage just done, from its exact value */
            double v = exact_value(x, objs[s - 1]), tol = 1e-7 * fmax(1.0, fabs(v));
            x->limit[s - 1] = objs[s - 1] == ENG_OBJ_SCORE ? v - tol : v + tol;
        }
        double limit = x->limit[s - 1];
        if (eng_lp_add_limit(&x->T, &x->L, objs[s - 1], limit)) {
            md_fail(x->d, MD_EX_SOFTWARE, "out of memory while solving");
            return MD_EX_SOFTWARE;
        }
        limit_rows[nlimits++] = x->L.nrows;
        if (x->done > s) continue; /* done before GLPK failed in a later stage: its limit only */
        if (x->attempt >= ENG_ATTEMPTS) {
            give_up_stage(x, s, objs);
            s++;
            break;
        }
        x->running = s + 1;
        eng_lp_objective(&x->T, &x->L, objs[s]);
        memcpy(x->inject, x->sol, n1 * sizeof *x->sol);
        (void)eng_heur_trim(&x->T, &x->L, x->L.P, x->inject); /* unchanged when it fails */
        eng_fill_z(&x->T, &x->L, x->L.P, x->inject);
        r.st.inject = x->inject;
        r.cfg.heur = 0;
        /* the previous stage's basis (scaled, and still primal feasible
         * with the new limit row basic) beats a cold presolved start by far:
         * 195x1000x40 seed 2's cold stage-2 LP did not finish in 16 s */
        r.cfg.warm = x->attempt == 0;
        r.cfg.stage = s + 1;
        r.cfg.rens_soft = s == 1 ? limit_rows[0] : 0; /* stage 2: the score row */
        r.cfg.lns_from = limit_rows[0];
        r.cfg.lns_share = s == 2 ? STAGE3_LNS_SHARE : 0;
        r.st.lns_windows = s == 2 ? STAGE3_LNS_WINDOWS : 0;
        offer_start(x, &r);
        /* stage 2's columns bounded by stage 1's LP, stage 3's by stage 2's search root */
        eng_rcfix *from = s == 1 ? &x->rc : &x->rc_root;
        if (from->ok && x->attempt == 0) {
            int tight = eng_rcfix_apply(from, x->L.P, limit, r.st.inject);
            x->sw.rc_bounded[s - 1] = tight > 0 ? tight : 0;
            if (x->opt.verbose && x->opt.log)
                fprintf(x->opt.log, "stage %d: %d integer columns bounded by stage %d's reduced costs%s\n", s + 1,
                        tight < 0 ? 0 : tight, s, tight < 0 ? " (none: the plan would leave them)" : "");
        }
        r.cfg.rc = NULL;
        r.cfg.rc_root = s == 1 ? &x->rc_root : NULL;
        if (x->attempt == 0) sift_stage(x, deadline);
        injected_failure(x);
        eng_run_mip(&x->L, x->opt.mip_gap, &r);
        if (r.res.failed) return retry(x, &r);
        record(&p->stage[s], &r);
        eng_time_report(&tm, time_log(x), s + 1);
        if (!r.res.feasible) { /* the previous plan stands, trimmed (never worse in any
                            * objective): its value, and the LP bound when there is one */
            memcpy(x->sol, x->inject, n1 * sizeof *x->sol);
            eng_stage_stats *st = &p->stage[s];
            st->objective = exact_value(x, objs[s]);
            st->bound = r.res.lp_ok ? fmin(r.res.lp_obj, st->objective) : NAN;
            st->gap = r.res.lp_ok ? eng_rel_gap(st->objective, st->bound) : NAN;
        }
        if (r.res.feasible) {
            take_solution(x, &r);
            corrupt(x, s + 1);
            int broken = limit_broken(x, s);
            if (broken) keep_previous(x, s, broken, x->inject, n1); /* x->inject: the plan before, trimmed */
        } else if (r.res.infeasible) { /* tolerance trouble: the previous plan stands */
            md_warn(x->d, NULL, "solver stage %d found no solution; keeping stage %d's plan", s + 1, s);
        }
        p->status = p->stage[s].status;
        x->done = s + 1;
        x->attempt = 0;
    }
    if (x->stab.p && s == 3 && (p->status == ENG_OPTIMAL || x->done > 3)) {
        rc = stable_stage(x, &r, limit_rows, &nlimits);
        if (rc) return rc;
        s = 4;
    }
    mark_unrun(p, s);
    x->running = RUN_FUNDING;
    injected_failure(x);
    polish(x, limit_rows, nlimits);
    rc = fill(x);
    if (rc) return rc;
    if (p->stage[0].status == ENG_OPTIMAL && p->stage[0].gap <= 0) p->score_bound = p->score;
    if (p->score_bound < p->score) p->score_bound = p->score;
    return 0;
}

/* After GLPK failed (aborted into the error hook, or returned a failure):
 * every GLPK object is gone; the next attempt rebuilds the model from the
 * tables and resumes at the stage that failed. 1: try again; 0: give up
 * (reported). */
static int after_failure(solve_ctx *x)
{
    glp_free_env(); /* every GLPK object is gone now */
    eng_scratch_release(); /* and what the frames GLPK unwound held */
    x->L.P = NULL;
    eng_lp_free(&x->L);
    if (x->mem_exceeded) { /* more attempts would need as much */
        if (x->opt.mem_limit_mb > 0)
            md_fail(x->d, MD_EX_SOFTWARE, "solver memory limit of %.0f MB exceeded", ceil(x->opt.mem_limit_mb));
        else
            md_fail(x->d, MD_EX_SOFTWARE, "out of memory in the solver (GLPK)");
        return 0;
    }
    if (x->opt.verbose && x->opt.log)
        fprintf(x->opt.log, "GLPK failed in %s %d (%s); attempt %d\n",
                x->running == RUN_FUNDING ? "the funding LP after stage" : "stage",
                x->running == RUN_FUNDING ? (x->done > 3 ? 4 : 3) : x->running == RUN_STABLE ? 4 : x->running,
                x->fail_text, x->attempt + 1);
    if (x->running == RUN_FUNDING) { /* the funding LP: fit the money to the seats instead */
        if (x->no_polish_lp) goto fatal;
        x->no_polish_lp = 1;
        return 1;
    }
    x->attempt++;
    if (x->running >= 2 || x->attempt < ENG_ATTEMPTS) return 1; /* stages 2-4 give up in run_stages */
fatal:
    md_fail(x->d, MD_EX_SOFTWARE, "the GLPK solver failed in %s %d times (%s); no plan could be found",
            x->running == RUN_FUNDING ? "the funding LP" : "stage 1 (max score)", ENG_ATTEMPTS, x->fail_text);
    return 0;
}

/* Runs the stages with GLPK's error hook armed, again after each failure
 * (after_failure). Nothing in this frame changes between setjmp and
 * longjmp; all state lives in *x. */
static int guarded(solve_ctx *x)
{
    int rc = MD_EX_SOFTWARE;
    for (;;) {
        glp_term_hook(term_hook, x);
        glp_error_hook(error_hook, x);
        if (x->opt.mem_limit_mb > 0) /* whole megabytes, as GLPK counts them */
            glp_mem_limit(x->opt.mem_limit_mb >= INT_MAX ? INT_MAX : (int)ceil(x->opt.mem_limit_mb));
        x->errlen = 0;
        x->errtext[0] = '\0';
        if (setjmp(x->jb) == 0) {
            rc = run_stages(x);
            if (rc != ENG_RETRY) break;
        } else { /* GLPK's own words on one line: which assertion, where */
            const char *t = x->errlen ? x->errtext : "internal error";
            size_t n = 0;
            for (; *t && n + 3 < sizeof x->fail_text; t++) {
                if (*t != '\n') x->fail_text[n++] = *t;
                else if (t[1]) { x->fail_text[n++] = ';'; x->fail_text[n++] = ' '; }
            }
            x->fail_text[n] = '\0';
        }
        if (!after_failure(x)) {
            rc = MD_EX_SOFTWARE;
            break;
        }
    }
    eng_lp_free(&x->L);
    glp_term_hook(NULL, NULL);
    glp_error_hook(NULL, NULL);
    glp_free_env();
    return rc;
}

int eng_solve(const md_model *m, const eng_options *opt, eng_plan *p, md_diag *d)
{
    memset(p, 0, sizeof *p);
    p->started[0] = p->started[1] = p->started[2] = -1;
    double t0 = eng_now();
    solve_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while solving");
        return MD_EX_SOFTWARE;
    }
    x->m = m;
    x->t_start = t0;
    x->d = d;
    x->p = p;
    if (opt) x->opt = *opt;
    else x->opt.mip_gap = -1;
    x->sw = *eng_testing_of(opt); /* a copy: a retry turns the heuristics off in it */
    x->sw.rc_bounded[0] = x->sw.rc_bounded[1] = x->sw.stage_sifted = 0;
    x->opt.testing = &x->sw;
    if (!(x->opt.time_limit > 0)) x->opt.time_limit = m->set.time_limit > 0 ? m->set.time_limit : 300;
    if (x->opt.mip_gap < 0) x->opt.mip_gap = m->set.mip_gap >= 0 ? m->set.mip_gap : 1e-4;
    for (int i = 0; i < 4; i++) p->stage[i].nodes = -1;
    p->stage[3] = (eng_stage_stats){ 0, NAN, NAN, NAN, -1, ENG_OPTIMAL };
    x->deadline = t0 + x->opt.time_limit;
    int rc = eng_tab_build(m, x->sw.pool, &x->T, d);
    x->T.implied = x->sw.implied;
#ifdef CAPMATCH_BENCH /* a bench build only (bench/bench.sh): CAPMATCH_IMPLIED=on|off */
    const char *ev = getenv("CAPMATCH_IMPLIED");
    if (ev && !x->sw.implied) x->T.implied = strcmp(ev, "on") == 0 ? 1 : strcmp(ev, "off") == 0 ? -1 : 0;
    const char *ec = getenv("CAPMATCH_CUTS"); /* and CAPMATCH_CUTS=on|rows|off */
    if (ec && !x->sw.cuts)
        x->sw.cuts = strcmp(ec, "on") == 0 ? 1 : strcmp(ec, "rows") == 0 ? 2 : strcmp(ec, "off") == 0 ? -1 : 0;
#endif
    if (rc == 0 && opt && opt->prev && !opt->fresh && eng_stab_map(&x->T, opt->prev, &x->stab) != 0) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while solving");
        rc = MD_EX_SOFTWARE;
    }
    if (rc == 0) rc = guarded(x);
    eng_tab_free(&x->T);
    eng_stab_free(&x->stab);
    free(x->sol);
    free(x->inject);
    free(x->sub_buf);
    free(x->sub_best);
    free(x->keep);
    free(x->start_buf);
    eng_rcfix_free(&x->rc);
    eng_rcfix_free(&x->rc_root);
    eng_testing counts = x->sw;
    free(x);
    p->solve_seconds = eng_now() - t0;
    if (rc == 0 && opt && opt->prev) { /* the churn against the previous plan, re-counted by the audit */
        p->stab = opt->fresh ? ENG_STAB_REPORT : ENG_STAB_MIN;
        p->previous_run = opt->prev->run_id;
        if (eng_churn(p, opt->prev, &p->churn) != 0) {
            md_fail(d, MD_EX_SOFTWARE, "out of memory while solving");
            rc = MD_EX_SOFTWARE;
        }
    }
    if (rc == 0 && (eng_audit(m, p, d) != 0 || (opt && opt->prev && eng_audit_churn(p, opt->prev, d) != 0))) {
        md_fail(d, MD_EX_SOFTWARE, "the plan failed its audit; no outputs are written");
        rc = MD_EX_SOFTWARE;
    }
    if (rc) {
        eng_plan_free(p);
        p->status = ENG_OPTIMAL;
    }
    if (opt && opt->testing) { /* the counters, as the plan's were: zero after a failure */
        opt->testing->rc_bounded[0] = rc ? 0 : counts.rc_bounded[0];
        opt->testing->rc_bounded[1] = rc ? 0 : counts.rc_bounded[1];
        opt->testing->stage_sifted = rc ? 0 : counts.stage_sifted;
    }
    return rc;
}
