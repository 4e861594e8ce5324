/* tests/unit_engine_stability.c — stage 4, stability (docs/solver.md): the
 * churn against a previous plan is minimised among the plans of stages 1-3,
 * never above what a --fresh solve moves, counted the same way by the engine
 * and by the audit; a previous plan's seats on pairs that no longer exist
 * count as churn; GLPK failing in stage 4, or a stop request when it starts,
 * keeps stage 3's plan. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "../engine/eng_testing.h"

/* The previous plan from a solved plan (same model indices). */
static eng_prev prev_of(const eng_plan *p, eng_prev_seat *buf, long gone)
{
    for (int i = 0; i < p->nalloc; i++) buf[i] = (eng_prev_seat){ p->alloc[i].c, p->alloc[i].k, p->alloc[i].seats };
    return (eng_prev){ .run_id = 7, .seat = buf, .nseat = p->nalloc, .gone = gone };
}

static int same_alloc(const eng_plan *a, const eng_plan *b)
{
    if (a->nalloc != b->nalloc) return 0;
    for (int i = 0; i < a->nalloc; i++)
        if (a->alloc[i].c != b->alloc[i].c || a->alloc[i].k != b->alloc[i].k || a->alloc[i].seats != b->alloc[i].seats)
            return 0;
    return 1;
}

/* sum |a - b| over (c, k), by a plain double loop */
static long diff(const eng_plan *a, const eng_prev *b)
{
    long s = b->gone;
    for (int i = 0; i < a->nalloc; i++) {
        long was = 0;
        for (int j = 0; j < b->nseat; j++)
            if (b->seat[j].c == a->alloc[i].c && b->seat[j].k == a->alloc[i].k) was = b->seat[j].seats;
        s += labs(a->alloc[i].seats - was);
    }
    for (int j = 0; j < b->nseat; j++) {
        int found = 0;
        for (int i = 0; i < a->nalloc; i++) found |= b->seat[j].c == a->alloc[i].c && b->seat[j].k == a->alloc[i].k;
        if (!found) s += b->seat[j].seats;
    }
    return s;
}

static int solve(unsigned seed, double cut, const eng_prev *prev, int fresh, eng_testing *t, md_model *m,
                 eng_plan *p, char **msg)
{
    eng_options o = { .time_limit = 60, .mip_gap = 0, .prev = prev, .fresh = fresh, .testing = t };
    fx_random(m, seed, 20, 40, 4, 6);
    m->donors[0].budget *= cut;
    return fx_solve(m, p, msg, &o);
}

/* Unchanged model: the same plan, churn 0, stage 4 proven; a 10% cut of a
 * budget: churn never above the fresh solve's, equal stages 1-3. */
static void test_rerun_and_cut(void)
{
    int compared = 0, lower = 0;
    for (unsigned seed = 1; seed <= 8; seed++) {
        md_model m0, m1, m2, m3; eng_plan p0, p1, p2, p3; char *g0 = NULL, *g1 = NULL, *g2 = NULL, *g3 = NULL;
        int rc = solve(seed, 1.0, NULL, 0, NULL, &m0, &p0, &g0);
        CHECK(rc == 0);
        CHECK(p0.stab == ENG_STAB_NONE);
        eng_prev_seat *buf = malloc((size_t)(p0.nalloc + 1) * sizeof *buf);
        eng_prev prev = prev_of(&p0, buf, 0);
        CHECK(solve(seed, 1.0, &prev, 0, NULL, &m1, &p1, &g1) == 0);
        CHECK(p1.stab == ENG_STAB_MIN && p1.previous_run == 7 && p1.churn == 0);
        CHECK(same_alloc(&p0, &p1));
        CHECK(p1.stage[3].status == ENG_OPTIMAL && p1.stage[3].objective == 0);
        CHECK(solve(seed, 0.9, &prev, 1, NULL, &m2, &p2, &g2) == 0); /* --fresh */
        CHECK(solve(seed, 0.9, &prev, 0, NULL, &m3, &p3, &g3) == 0);
        CHECK(p2.stab == ENG_STAB_REPORT && p2.churn == diff(&p2, &prev));
        CHECK(p3.stab == ENG_STAB_MIN && p3.churn == diff(&p3, &prev));
        CHECK(p3.stage[3].objective == (double)p3.churn);
        if (p3.stage[2].status == ENG_OPTIMAL && p2.stage[2].status == ENG_OPTIMAL) {
            compared++;
            CHECK(p3.churn <= p2.churn);
            lower += p3.churn < p2.churn;
            CHECK_NEAR(p3.score, p2.score, 1e-9);
            CHECK_NEAR(p3.total_cost, p2.total_cost, 0.005);
            CHECK(p3.seats == p2.seats);
        }
        free(buf);
        free(g0); free(g1); free(g2); free(g3);
        eng_plan_free(&p0); eng_plan_free(&p1); eng_plan_free(&p2); eng_plan_free(&p3);
        md_model_free(&m0); md_model_free(&m1); md_model_free(&m2); md_model_free(&m3);
    }
    CHECK(compared >= 6);
    /* no check that some seed moves fewer seats than fresh: whether a
     * fresh solve happens to land on the previous plan depends on the
     * compiler's floating point (2 of 8 here with gcc, 0 with clang under
     * ASan); test_twins shows the stage at work on a case built for it */
    printf("stability: %d of 8 seeds compared, churn below the fresh solve's on %d\n", compared, lower);
}

/* Twin courses, a and b, alike in every figure: plans on either are
 * optimal for stages 1-3. A fresh solve picks one of them; with a previous
 * plan on the other one, stage 4 must keep it (churn 0), where the fresh
 * plan moves every seat (churn 2 x 4). Which twin the fresh solve picks
 * depends on GLPK, so the previous plan is put on the other one. */
static void twins(md_model *m)
{
    static const double one_tier[] = { 1.0, 1.0 };
    fx_init(m);
    fx_tiers(m, 1, one_tier);
    fx_topic(m, "t1");
    fx_country(m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(m, "KEN", "t1", 4, 1.0);
    fx_donor(m, "d1", 1000, NULL);
    fx_course(m, "a", "t1", "en", 100, 10);
    fx_course(m, "b", "t1", "en", 100, 10);
}

static void test_twins(void)
{
    md_model m0, m1, m2; eng_plan p0, p1, p2; char *g0 = NULL, *g1 = NULL, *g2 = NULL;
    eng_options o = { .time_limit = 60, .mip_gap = 0 };
    twins(&m0);
    CHECK(fx_solve(&m0, &p0, &g0, &o) == 0);
    CHECK(p0.nalloc == 1 && p0.seats == 4);
    if (p0.nalloc == 1) {
        int other = 1 - p0.alloc[0].k; /* the twin the fresh solve left empty */
        eng_prev_seat seat = { p0.alloc[0].c, other, 4 };
        eng_prev prev = { .run_id = 3, .seat = &seat, .nseat = 1, .gone = 0 };
        o.prev = &prev;
        twins(&m1);
        CHECK(fx_solve(&m1, &p1, &g1, &o) == 0);
        CHECK(p1.stab == ENG_STAB_MIN && p1.churn == 0 && p1.churn == diff(&p1, &prev));
        CHECK(p1.nalloc == 1 && p1.alloc[0].k == other && p1.alloc[0].seats == 4);
        CHECK(p1.stage[3].status == ENG_OPTIMAL);
        o.fresh = 1;
        twins(&m2);
        CHECK(fx_solve(&m2, &p2, &g2, &o) == 0);
        CHECK(p2.stab == ENG_STAB_REPORT && p2.churn == 8 && p2.churn == diff(&p2, &prev));
        CHECK_NEAR(p1.score, p2.score, 1e-9);
        CHECK_NEAR(p1.total_cost, p2.total_cost, 1e-9);
        eng_plan_free(&p1); eng_plan_free(&p2);
        md_model_free(&m1); md_model_free(&m2);
    }
    free(g0); free(g1); free(g2);
    eng_plan_free(&p0); md_model_free(&m0);
}

/* Seats on pairs that are gone (ineligible pair, unknown country or course)
 * are churn that no plan can avoid. */
static void test_gone_seats(void)
{
    md_model m0, m1; eng_plan p0, p1; char *g0 = NULL, *g1 = NULL;
    CHECK(solve(3, 1.0, NULL, 0, NULL, &m0, &p0, &g0) == 0);
    eng_prev_seat *buf = malloc((size_t)(p0.nalloc + 2) * sizeof *buf);
    eng_prev prev = prev_of(&p0, buf, 5);
    /* a (country, course) pair the plan cannot use: a country with a course it is not eligible for */
    int c = 0, k = -1;
    for (int j = 0; j < m0.ncourses && k < 0; j++)
        if (!eng_pair_eligible(&m0, c, j)) k = j;
    CHECK(k >= 0);
    if (k >= 0) buf[prev.nseat++] = (eng_prev_seat){ c, k, 3 };
    CHECK(solve(3, 1.0, &prev, 0, NULL, &m1, &p1, &g1) == 0);
    CHECK(p1.churn == 5 + 3);
    CHECK(same_alloc(&p0, &p1));
    free(buf); free(g0); free(g1);
    eng_plan_free(&p0); eng_plan_free(&p1); md_model_free(&m0); md_model_free(&m1);
}

/* The audit re-counts the churn and rejects a wrong figure. */
static void test_audit_churn(void)
{
    md_model m; eng_plan p; char *g = NULL;
    CHECK(solve(2, 1.0, NULL, 0, NULL, &m, &p, &g) == 0);
    eng_prev_seat *buf = malloc((size_t)(p.nalloc + 1) * sizeof *buf);
    eng_prev prev = prev_of(&p, buf, 2);
    if (prev.nseat > 0) buf[0].seats += 4;
    p.churn = 2 + (prev.nseat > 0 ? 4 : 0);
    md_diag d;
    md_diag_init(&d, NULL);
    CHECK(eng_audit_churn(&p, &prev, &d) == 0);
    p.churn++;
    CHECK(eng_audit_churn(&p, &prev, &d) != 0 && d.exit_code == MD_EX_SOFTWARE);
    free(buf); free(g);
    eng_plan_free(&p); md_model_free(&m);
}

/* GLPK failing in stage 4: a retry finds the same plan; failing in every
 * attempt keeps stage 3's plan with status solver_error and a warning. */
static void test_stage4_failures(void)
{
    md_model m0, m1; eng_plan p0, p1; char *g0 = NULL, *g1 = NULL;
    CHECK(solve(5, 1.0, NULL, 0, NULL, &m0, &p0, &g0) == 0);
    eng_prev_seat *buf = malloc((size_t)(p0.nalloc + 1) * sizeof *buf);
    eng_prev prev = prev_of(&p0, buf, 0);
    md_model mr; eng_plan pr; char *gr = NULL;
    CHECK(solve(5, 0.9, &prev, 0, NULL, &mr, &pr, &gr) == 0); /* no failure */
    CHECK(solve(5, 0.9, &prev, 1, NULL, &m1, &p1, &g1) == 0); /* fresh: stage 3's plan */
    for (int times = 1; times <= 3; times++) {
        md_model m; eng_plan p; char *g = NULL;
        eng_testing t = { .fail_stage = 5, .fail_times = times };
        int rc = solve(5, 0.9, &prev, 0, &t, &m, &p, &g);
        CHECK(rc == 0);
        if (rc == 0 && times < 3) {
            CHECK(p.status == pr.status && p.churn == pr.churn);
        } else if (rc == 0) {
            CHECK(p.status == ENG_SOLVER_ERROR && p.stage[3].status == ENG_SOLVER_ERROR);
            CHECK(p.stage[2].status == ENG_OPTIMAL);
            CHECK(same_alloc(&p, &p1)); /* stage 3's plan, as --fresh has it */
            CHECK(p.churn == p1.churn);
            CHECK(g && strstr(g, "failed in stage 4") && strstr(g, "churn"));
        }
        free(g); eng_plan_free(&p); md_model_free(&m);
    }
    free(buf); free(g0); free(g1); free(gr);
    eng_plan_free(&p0); eng_plan_free(&p1); eng_plan_free(&pr);
    md_model_free(&m0); md_model_free(&m1); md_model_free(&mr);
}

/* A stop request (SIGINT) that comes when stage 4 starts: the plan written
 * is stage 3's, whose churn is reported, with status interrupted. */
static volatile int stop_flag;
static void stop_in_stage4(void *ctx, int stage, double elapsed, double best, double bound)
{
    (void)ctx; (void)elapsed; (void)best; (void)bound;
    if (stage == 4) stop_flag = 1;
}

static void test_stage4_interrupted(void)
{
    md_model m0, m1, m2; eng_plan p0, p1, p2; char *g0 = NULL, *g1 = NULL, *g2 = NULL;
    CHECK(solve(5, 1.0, NULL, 0, NULL, &m0, &p0, &g0) == 0);
    eng_prev_seat *buf = malloc((size_t)(p0.nalloc + 1) * sizeof *buf);
    eng_prev prev = prev_of(&p0, buf, 0);
    CHECK(solve(5, 0.9, &prev, 1, NULL, &m1, &p1, &g1) == 0); /* fresh: stage 3's plan */
    eng_options o = { .time_limit = 60, .mip_gap = 0, .prev = &prev, .stop = &stop_flag,
                      .progress = stop_in_stage4 };
    stop_flag = 0;
    fx_random(&m2, 5, 20, 40, 4, 6);
    m2.donors[0].budget *= 0.9;
    CHECK(fx_solve(&m2, &p2, &g2, &o) == 0);
    CHECK(stop_flag == 1);
    CHECK(p2.status == ENG_INTERRUPTED && p2.stage[3].status == ENG_INTERRUPTED);
    CHECK(p2.stage[2].status == ENG_OPTIMAL);
    CHECK(p2.churn == p1.churn && p2.churn == diff(&p2, &prev));
    CHECK(p2.stage[3].objective == (double)p2.churn);
    free(buf); free(g0); free(g1); free(g2);
    eng_plan_free(&p0); eng_plan_free(&p1); eng_plan_free(&p2);
    md_model_free(&m0); md_model_free(&m1); md_model_free(&m2);
}

int main(void)
{
    test_rerun_and_cut();
    test_twins();
    test_gone_seats();
    test_audit_churn();
    test_stage4_failures();
    test_stage4_interrupted();
    return CHECK_DONE();
}
