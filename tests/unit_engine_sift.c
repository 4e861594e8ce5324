/* tests/unit_engine_sift.c — sifting (sift.c): the root LP of a big model
 * and a later stage's LP, whole and stopped early. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "unit_engine_lp.h"
#include "../engine/eng_testing.h"
#include <math.h>
#include <unistd.h>

/* One random instance's max-score model built twice: A to sift, B solved
 * cold (scaled, presolved). 0 when both are built and B is optimal. */
typedef struct twin { md_model m; eng_tab T; eng_lp A, B; int tab; double full; } twin;

static int twin_build(twin *w, unsigned seed)
{
    md_diag d;
    memset(w, 0, sizeof *w);
    fx_random(&w->m, seed, 40, 80, 6, 8);
    md_diag_init(&d, NULL);
    glp_term_out(GLP_OFF);
    if (md_validate(&w->m, &d) != 0 || eng_tab_build(&w->m, seed & 1 ? 1 : -1, &w->T, &d) != 0) return -1;
    w->tab = 1;
    if (eng_lp_build(&w->T, NULL, &w->A, &d) != 0 || eng_lp_build(&w->T, NULL, &w->B, &d) != 0) return -1;
    eng_lp_objective(&w->T, &w->A, ENG_OBJ_SCORE);
    eng_lp_objective(&w->T, &w->B, ENG_OBJ_SCORE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.presolve = GLP_ON;
    glp_scale_prob(w->B.P, GLP_SF_AUTO);
    if (glp_simplex(w->B.P, &sp) != 0 || glp_get_status(w->B.P) != GLP_OPT) return -1;
    w->full = glp_get_obj_val(w->B.P);
    return 0;
}

static void twin_free(twin *w)
{
    if (w->A.P) eng_lp_free(&w->A);
    if (w->B.P) eng_lp_free(&w->B);
    glp_term_out(GLP_ON);
    if (w->tab) eng_tab_free(&w->T);
    md_model_free(&w->m);
}

/* A's column bounds are B's (as built). */
static int same_bounds(const twin *w)
{
    int same = 1;
    for (int j = 1; j <= w->A.ncols; j++)
        same &= glp_get_col_type(w->A.P, j) == glp_get_col_type(w->B.P, j)
             && glp_get_col_lb(w->A.P, j) == glp_get_col_lb(w->B.P, j)
             && glp_get_col_ub(w->A.P, j) == glp_get_col_ub(w->B.P, j);
    return same;
}

/* P holds an optimal basis of value v: re-solved warm, it takes at most
 * 5 iterations (a check, not a solve). */
static void check_warm_optimal(glp_prob *P, double v)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    int it = glp_get_it_cnt(P);
    CHECK(glp_simplex(P, &sp) == 0 && glp_get_status(P) == GLP_OPT);
    CHECK(glp_get_it_cnt(P) - it <= 5);
    CHECK_NEAR(glp_get_obj_val(P), v, 1e-6 * fmax(1, fabs(v)));
}

/* Sifting leaves every bound as built and an optimal basis whose LP value
 * equals a cold solve of a fresh copy of the model, whether its later
 * rounds were solved warm or (many columns let in) from scratch. The per-country dual
 * bound equals that value at the optimal basis and lies above it when
 * computed from a restricted LP's duals. */
static void test_sifting(void)
{
    int compared = 0, cold = 0, warm = 0;
    for (unsigned seed = 1; seed <= 4; seed++) {
        twin w;
        if (twin_build(&w, seed) != 0) { CHECK(0); twin_free(&w); continue; }
        eng_lp *A = &w.A;
        double b = w.full;
        eng_options o = { .mip_gap = -1 };
        /* seeds 1 and 3: every later round from scratch; seed 2: warm
         * rounds cut after 3 iterations and finished from scratch; seed 4:
         * warm (a few columns at a time) */
        eng_sift_res sr = { .cold_cols = seed % 2 ? 1 : 0, .warm_its = seed == 2 ? 3 : 0 };
        CHECK(eng_sift_from(&w.T, A, &o, eng_now() + 30, 0, &sr) == 0);
        CHECK(sr.rounds >= 2);
        cold += seed < 4 && sr.cold_rounds > 0;
        warm += seed == 4 && sr.cold_rounds == 0;
        CHECK(same_bounds(&w));
        check_warm_optimal(A->P, b);
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        double *lo = malloc(((size_t)A->ncols + 1) * sizeof *lo), *hi = malloc(((size_t)A->ncols + 1) * sizeof *hi);
        for (int j = 1; lo && hi && j <= A->ncols; j++) {
            lo[j] = glp_get_col_lb(A->P, j);
            hi[j] = glp_get_col_ub(A->P, j);
        }
        eng_blocks *bl = lo && hi ? eng_blocks_build(&w.T, A, A->P, lo, hi) : NULL;
        CHECK(bl != NULL);
        if (bl) {
            CHECK_NEAR(eng_blocks_bound(bl, A->P, lo, hi, INFINITY), b, 1e-5 * fmax(1, fabs(b)));
            for (int p = 0; p < w.T.npairs; p += 2) /* half the pairs sifted out */
                if (lo[A->xcol[p]] == 0) glp_set_col_bnds(A->P, A->xcol[p], GLP_FX, 0, 0);
            CHECK(glp_simplex(A->P, &sp) == 0 && glp_get_status(A->P) == GLP_OPT);
            double restricted = glp_get_obj_val(A->P), bd = eng_blocks_bound(bl, A->P, lo, hi, INFINITY);
            CHECK(restricted < b - 1e-6);
            CHECK(isfinite(bd) && bd >= b - 1e-6 * fmax(1, fabs(b)));
        }
        eng_blocks_free(bl);
        free(lo); free(hi);
        compared++;
        twin_free(&w);
    }
    CHECK(compared == 4);
    CHECK(cold == 3 && warm == 1); /* each way of solving a later round was checked */
}

/* A later stage's LP by sifting (huge models, solve.c): min cost with the
 * score held at 99.5% of its LP optimum, started from the columns of the
 * stage-1 LP point. It ends with the value of a cold solve of the whole
 * LP, an optimal basis and every bound as built. */
static void test_sift_stage(void)
{
    int compared = 0;
    for (unsigned seed = 1; seed <= 4; seed++) {
        twin w;
        if (twin_build(&w, seed) != 0) { CHECK(0); twin_free(&w); continue; }
        eng_lp *A = &w.A, *B = &w.B;
        double *keep = calloc((size_t)B->ncols + 1, sizeof *keep);
        for (int j = 1; keep && j <= B->ncols; j++) keep[j] = glp_get_col_prim(B->P, j);
        double limit = 0.995 * w.full;
        int ok = keep && eng_lp_add_limit(&w.T, A, ENG_OBJ_SCORE, limit) == 0
              && eng_lp_add_limit(&w.T, B, ENG_OBJ_SCORE, limit) == 0;
        CHECK(ok);
        if (ok) {
            eng_lp_objective(&w.T, A, ENG_OBJ_COST);
            eng_lp_objective(&w.T, B, ENG_OBJ_COST);
            glp_smcp sp;
            glp_init_smcp(&sp);
            sp.msg_lev = GLP_MSG_OFF;
            sp.presolve = GLP_ON;
            CHECK(glp_simplex(B->P, &sp) == 0 && glp_get_status(B->P) == GLP_OPT);
            double cost = glp_get_obj_val(B->P);
            eng_options o = { .mip_gap = -1 };
            eng_sift_res sr = { .keep = keep };
            CHECK(eng_sift_from(&w.T, A, &o, eng_now() + 30, 0, &sr) == 0);
            CHECK(sr.rounds >= 1);
            CHECK(same_bounds(&w));
            check_warm_optimal(A->P, cost);
            compared++;
        }
        free(keep);
        twin_free(&w);
    }
    CHECK(compared == 4);
}

/* Sifting stopped early (as by the clock, after one round): bounds are
 * restored, the proven bound is at or above the whole LP's value, and the
 * rounded plan from its LP point is feasible and below the bound. */
static void test_sift_stopped(void)
{
    int stopped = 0;
    for (unsigned seed = 1; seed <= 4; seed++) {
        twin w;
        if (twin_build(&w, seed) != 0) { CHECK(0); twin_free(&w); continue; }
        eng_lp *A = &w.A;
        double *lp = calloc((size_t)A->ncols + 1, sizeof *lp), *v = calloc((size_t)A->ncols + 1, sizeof *v);
        eng_options o = { .mip_gap = -1 };
        eng_sift_res sr = { .lp = lp, .stop_after = 1 };
        int rc = lp && v ? eng_sift_from(&w.T, A, &o, eng_now() + 30, 0, &sr) : -1;
        CHECK(rc == 2 || rc == 0); /* 0: one round was enough */
        if (rc == 2) {
            stopped++;
            CHECK(sr.rounds == 1);
            CHECK(isfinite(sr.bound) && sr.bound >= w.full - 1e-6 * fmax(1, fabs(w.full)));
            CHECK(same_bounds(&w));
            double obj = 0, worst = 0;
            CHECK(eng_heur_round(&w.T, A, A->P, 1, lp, v, &obj) == 0);
            CHECK(rows_hold(A, v, 0, &worst));
            CHECK(obj > 0 && obj <= sr.bound + 1e-9);
        }
        free(lp); free(v);
        twin_free(&w);
    }
    CHECK(stopped >= 2);
}

int main(void)
{
    test_sifting();
    test_sift_stage();
    test_sift_stopped();
    return CHECK_DONE();
}
