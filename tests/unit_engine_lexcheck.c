/* tests/unit_engine_lexcheck.c — the last check of every stage's plan
 * (engine/solve.c, limit_broken): a plan of stage 2, 3 or 4 that breaks
 * the score of stage 1, the cost of stage 2 or the seats of stage 3 is
 * never kept as proven. The plan is spoilt through the test switch
 * eng_testing.corrupt_stage after GLPK and the heuristics are done, as a
 * plan that a heuristic handed to GLPK unchecked would be; the plan of the
 * stage before must stand, with status solver_error and a warning.
 * Also the check of the heuristics' plans (eng_plan_keeps_rows, the cause
 * of the defect this guards against): a plan that claims coverage its
 * seats do not earn is refused. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "../engine/eng_testing.h"
#include "../engine/search/search.h"
#include <stdlib.h>
#include <string.h>

static void model(md_model *m)
{
    fx_random(m, 4, 8, 14, 3, 5);
}

static int solve(eng_testing *t, const eng_prev *prev, md_model *m, eng_plan *p, char **msg)
{
    eng_options o = { .time_limit = 30, .mip_gap = 0, .testing = t, .prev = prev };
    model(m);
    return fx_solve(m, p, msg, &o);
}

/* Stage `stage` spoilt by `how`: the plan of the stage before stands. */
static void check_spoilt(const eng_plan *base, const eng_prev *prev, int stage, int how, const char *says)
{
    md_model m; eng_plan p; char *msg = NULL;
    eng_testing t = { .corrupt_stage = stage, .corrupt_how = how };
    int rc = solve(&t, prev, &m, &p, &msg);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(p.status == ENG_SOLVER_ERROR);
        CHECK(p.stage[stage - 1].status == ENG_SOLVER_ERROR);
        CHECK(p.stage[0].status == ENG_OPTIMAL);
        CHECK_NEAR(p.score, base->score, 1e-9);
        CHECK_NEAR(p.score, p.stage[0].objective, 1e-9);
        if (stage >= 3) CHECK_NEAR(p.total_cost, base->total_cost, 0.005);
        if (stage == 4) CHECK(p.seats == base->seats);
        CHECK(msg && strstr(msg, "warning") && strstr(msg, says));
    }
    if (!(msg && strstr(msg, says))) fprintf(stderr, "stage %d, mode %d: %s\n", stage, how, msg ? msg : "");
    free(msg);
    if (rc == 0) eng_plan_free(&p);
    md_model_free(&m);
}

static void test_spoilt_stages(void)
{
    md_model m; eng_plan base; char *msg = NULL;
    int rc = solve(NULL, NULL, &m, &base, &msg);
    CHECK(rc == 0);
    free(msg);
    if (rc != 0) { md_model_free(&m); return; }
    CHECK(base.status == ENG_OPTIMAL);
    check_spoilt(&base, NULL, 2, 1, "whose score");
    check_spoilt(&base, NULL, 3, 1, "whose score");
    check_spoilt(&base, NULL, 3, 2, "whose cost");
    eng_prev_seat *buf = malloc((size_t)(base.nalloc + 1) * sizeof *buf);
    CHECK(buf != NULL);
    if (buf) {
        for (int i = 0; i < base.nalloc; i++)
            buf[i] = (eng_prev_seat){ base.alloc[i].c, base.alloc[i].k, base.alloc[i].seats };
        eng_prev prev = { .run_id = 3, .seat = buf, .nseat = base.nalloc };
        check_spoilt(&base, &prev, 4, 1, "whose score");
        check_spoilt(&base, &prev, 4, 2, "whose cost");
    }
    free(buf);
    eng_plan_free(&base);
    md_model_free(&m);
}

/* rows: z1 + z2 - x <= 0 (coverage), x + y <= 10 (a budget), and a limit
 * row z1 + z2 >= 2 from row 3 on (lns_from 3). */
static void test_plan_rows(void)
{
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, 3);
    glp_add_cols(P, 4); /* x, y, z1, z2 */
    glp_set_row_bnds(P, 1, GLP_UP, 0, 0);
    glp_set_row_bnds(P, 2, GLP_UP, 0, 10);
    glp_set_row_bnds(P, 3, GLP_LO, 2, 0);
    int i1[] = { 0, 1, 3, 4 }, i2[] = { 0, 1, 2 }, i3[] = { 0, 3, 4 };
    double v1[] = { 0, -1, 1, 1 }, v2[] = { 0, 1, 1 }, v3[] = { 0, 1, 1 };
    glp_set_mat_row(P, 1, 3, i1, v1);
    glp_set_mat_row(P, 2, 2, i2, v2);
    glp_set_mat_row(P, 3, 2, i3, v3);
    eng_options o = { 0 };
    eng_run r = { .cfg = { .opt = &o, .lns_from = 3 } };
    double ok[] = { 0, 2, 8, 1, 1 }, claims[] = { 0, 1, 8, 1, 1 }, near[] = { 0, 2, 8.0000001, 1, 1 },
           over[] = { 0, 2, 9, 1, 1 }, short_[] = { 0, 2, 8, 1, 0.9999999 };
    CHECK(eng_plan_keeps_rows(&r, P, ok) == 1);
    CHECK(eng_plan_keeps_rows(&r, P, claims) == 0);  /* coverage the seats do not earn */
    CHECK(eng_plan_keeps_rows(&r, P, near) == 1);    /* GLPK's tolerance on a budget */
    CHECK(eng_plan_keeps_rows(&r, P, over) == 0);    /* a budget overdrawn by 1 */
    CHECK(eng_plan_keeps_rows(&r, P, short_) == 0);  /* a limit row: 1e-9 relative */
    glp_delete_prob(P);
}

int main(void)
{
    glp_term_out(GLP_OFF);
    test_plan_rows();
    test_spoilt_stages();
    return CHECK_DONE();
}
