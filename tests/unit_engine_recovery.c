/* tests/unit_engine_recovery.c — GLPK failing inside a solve never loses a
 * plan (docs/solver.md, "When GLPK fails"): the failing stage is tried
 * again with other settings, and after its last attempt the plan of the
 * stage before stands with status solver_error. Failures are injected
 * through GLPK's own error path (eng_testing.fail_stage, engine/eng_testing.h), the one its
 * internal assertions take; every plan is compared with an uninjected solve
 * of the same model. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "../engine/eng_testing.h"

static eng_plan base;
static md_model base_m;

/* Solves the fixed random model with GLPK made to fail in `stage` for its
 * first `times` attempts; returns eng_solve's code, messages in *msg. */
static int solve_failing(int stage, int times, md_model *m, eng_plan *p, char **msg)
{
    eng_testing t = { .fail_stage = stage, .fail_times = times };
    eng_options o = { .time_limit = 60, .mip_gap = 0, .testing = &t };
    fx_random(m, 7, 12, 25, 4, 6);
    return fx_solve(m, p, msg, &o);
}

static int same_alloc(const eng_plan *a, const eng_plan *b)
{
    return a->nalloc == b->nalloc && memcmp(a->alloc, b->alloc, (size_t)a->nalloc * sizeof *a->alloc) == 0;
}

/* One failure in any stage: the retry proves the same optima. */
static void test_retry_recovers(void)
{
    for (int stage = 1; stage <= 3; stage++) {
        for (int times = 1; times <= 2; times++) {
            md_model m; eng_plan p; char *msg = NULL;
            int rc = solve_failing(stage, times, &m, &p, &msg);
            CHECK(rc == 0);
            if (rc == 0) {
                CHECK(p.status == ENG_OPTIMAL);
                CHECK_NEAR(p.score, base.score, 1e-9);
                CHECK_NEAR(p.total_cost, base.total_cost, 0.005);
                CHECK(p.seats == base.seats);
            } else {
                fprintf(stderr, "stage %d, %d failures: %s", stage, times, msg ? msg : "");
            }
            free(msg); eng_plan_free(&p); md_model_free(&m);
        }
    }
}

/* Stage 2 or 3 failing in every attempt: the stage before's plan stands,
 * audited, with status solver_error and a warning that says what is not
 * minimised. */
static void test_give_up_keeps_plan(void)
{
    for (int stage = 2; stage <= 3; stage++) {
        md_model m; eng_plan p; char *msg = NULL;
        int rc = solve_failing(stage, 3, &m, &p, &msg);
        CHECK(rc == 0); /* eng_solve audits the plan before it returns 0 */
        if (rc == 0) {
            CHECK(p.status == ENG_SOLVER_ERROR);
            CHECK(p.stage[stage - 1].status == ENG_SOLVER_ERROR);
            CHECK(p.stage[0].status == ENG_OPTIMAL);
            CHECK_NEAR(p.score, base.score, 1e-9);
            if (stage == 2) CHECK(p.total_cost >= base.total_cost - 0.005);
            else CHECK_NEAR(p.total_cost, base.total_cost, 0.005);
            CHECK(p.seats >= base.seats);
            CHECK(strcmp(eng_status_names[p.status], "solver_error") == 0);
            char want[64];
            snprintf(want, sizeof want, "failed in stage %d", stage);
            CHECK(msg && strstr(msg, want) && strstr(msg, "warning:") && strstr(msg, "injected failure"));
        }
        free(msg); eng_plan_free(&p); md_model_free(&m);
    }
}

/* Stage 1 failing in every attempt: no plan exists, so 70 with GLPK's words. */
static void test_stage1_gives_up(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    int rc = solve_failing(1, 3, &m, &p, &msg);
    CHECK(rc == 70);
    CHECK(msg && strstr(msg, "failed in stage 1 (max score) 3 times") && strstr(msg, "injected failure"));
    CHECK(p.nalloc == 0 && p.alloc == NULL);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* The funding LP after the stages failing: the money is fitted to the
 * same seats instead, and the plan still passes the audit. */
static void test_funding_lp_fails(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    int rc = solve_failing(4, 1, &m, &p, &msg);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(p.status == ENG_OPTIMAL);
        CHECK(same_alloc(&p, &base));
        double paid = 0;
        for (int i = 0; i < p.nfund; i++) paid += p.fund[i].amount;
        CHECK_NEAR(paid, base.total_cost, 0.01);
    }
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* --memory-limit: GLPK running out of the memory it was given is not
 * retried (more attempts need as much): 70 with a message that says so. */
static void test_memory_limit(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    eng_options o = { .time_limit = 60, .mip_gap = -1, .mem_limit_mb = 1 };
    fx_random(&m, 5, 40, 80, 6, 10);
    int rc = fx_solve(&m, &p, &msg, &o);
    CHECK(rc == 70);
    CHECK(msg && strstr(msg, "solver memory limit of 1 MB exceeded"));
    CHECK(p.nalloc == 0 && p.alloc == NULL);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

int main(void)
{
    char *msg = NULL;
    int rc = solve_failing(0, 0, &base_m, &base, &msg);
    CHECK(rc == 0 && base.status == ENG_OPTIMAL && base.nalloc > 0);
    free(msg);
    if (rc == 0) {
        test_retry_recovers();
        test_give_up_keeps_plan();
        test_stage1_gives_up();
        test_funding_lp_fails();
    }
    test_memory_limit();
    eng_plan_free(&base);
    md_model_free(&base_m);
    return CHECK_DONE();
}
