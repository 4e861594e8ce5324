/* tests/unit_engine_start.c — starting plans (engine/start.c; docs/solver.md,
 * "Starting plans"): a plan of a related model offered to eng_solve is used
 * only where it is a plan of the model solved, and never changes the
 * optimum. Each model is also solved cold, and the budgets are edited by
 * hand, so every expectation comes from a second, independent solve. */
#include "check.h"
#include "unit_engine_fixture.h"
#include <stdlib.h>
#include <string.h>

enum { NSEEDS = 6 };

/* fx_random's model with every budget times scale. */
static void model(md_model *m, unsigned seed, double scale)
{
    fx_random(m, seed, 8, 14, 3, 5);
    for (int d = 0; d < m->ndonors; d++) m->donors[d].budget *= scale;
}

static int solve(unsigned seed, double scale, const eng_prev *start, int nstart, md_model *m, eng_plan *p)
{
    char *msg = NULL;
    eng_options o = { .time_limit = 30, .mip_gap = 0, .start = start, .nstart = nstart };
    model(m, seed, scale);
    int rc = fx_solve(m, p, &msg, &o);
    if (rc) fprintf(stderr, "seed %u scale %g: %s\n", seed, scale, msg ? msg : "");
    free(msg);
    return rc;
}

/* p's seats as a starting plan (buf has room for p->nalloc). */
static eng_prev as_start(const eng_plan *p, eng_prev_seat *buf)
{
    for (int i = 0; i < p->nalloc; i++) buf[i] = (eng_prev_seat){ p->alloc[i].c, p->alloc[i].k, p->alloc[i].seats };
    return (eng_prev){ .seat = buf, .nseat = p->nalloc };
}

static void same_optimum(const eng_plan *a, const eng_plan *b)
{
    CHECK(a->status == ENG_OPTIMAL && b->status == ENG_OPTIMAL);
    CHECK_NEAR(a->score, b->score, 1e-9);
    CHECK_NEAR(a->total_cost, b->total_cost, 0.005);
    CHECK(a->seats == b->seats);
}

/* The model's own optimum as its start: every stage starts from it and
 * the optimum stays. */
static void test_own_optimum(unsigned seed, const eng_plan *cold, const eng_prev *start)
{
    md_model m; eng_plan p;
    if (solve(seed, 1.0, start, 1, &m, &p) == 0) {
        same_optimum(cold, &p);
        CHECK(p.started[0] == 0 && p.started[1] == 0 && p.started[2] == 0);
        eng_plan_free(&p);
    } else {
        CHECK(0);
    }
    md_model_free(&m);
}

/* Budgets scaled by hand: the same optimum as a cold solve of that model;
 * the start taken in stage 1 only when it can be a plan there (its score
 * at most the cold optimum), and always when budgets only grew. Returns 1
 * when stage 1 took it. */
static int test_scaled(unsigned seed, double scale, const eng_plan *base, const eng_prev *start)
{
    md_model m1, m2; eng_plan cold, warm;
    int took = 0;
    int rc1 = solve(seed, scale, NULL, 0, &m1, &cold), rc2 = solve(seed, scale, start, 1, &m2, &warm);
    CHECK(rc1 == 0 && rc2 == 0);
    if (rc1 == 0 && rc2 == 0) {
        same_optimum(&cold, &warm);
        took = warm.started[0] == 0;
        if (took) CHECK(base->score <= cold.score + 1e-9);
        if (base->score > cold.score + 1e-9) CHECK(warm.started[0] == -1);
        if (scale >= 1.0) CHECK(took);
    }
    if (rc1 == 0) eng_plan_free(&cold);
    if (rc2 == 0) eng_plan_free(&warm);
    md_model_free(&m1);
    md_model_free(&m2);
    return took;
}

/* Starts that are no plan: a seat on a pair that is not eligible, and more
 * seats than a course has; with a good one behind them, that one is taken. */
static void test_no_plan(unsigned seed, const md_model *valid, const eng_plan *cold, const eng_prev *good)
{
    md_model m; eng_plan p;
    int c = -1, k = -1;
    for (int a = 0; a < valid->ncountries && c < 0; a++)
        for (int b = 0; b < valid->ncourses; b++)
            if (!eng_pair_eligible(valid, a, b)) { c = a; k = b; break; }
    eng_prev_seat off = { c, k, 1 }, huge = { cold->nalloc ? cold->alloc[0].c : 0, cold->nalloc ? cold->alloc[0].k : 0, 1000000 };
    eng_prev bad[3] = { { .seat = &off, .nseat = c >= 0 }, { .seat = &huge, .nseat = cold->nalloc > 0 }, *good };
    if (solve(seed, 1.0, bad, 2, &m, &p) == 0) {
        same_optimum(cold, &p);
        if (c >= 0 && cold->nalloc > 0) CHECK(p.started[0] == -1 && p.started[1] == -1 && p.started[2] == -1);
        eng_plan_free(&p);
    } else {
        CHECK(0);
    }
    md_model_free(&m);
    if (solve(seed, 1.0, bad, 3, &m, &p) == 0) {
        same_optimum(cold, &p);
        CHECK(p.started[0] == 2);
        eng_plan_free(&p);
    } else {
        CHECK(0);
    }
    md_model_free(&m);
}

int main(void)
{
    int refused = 0;
    for (unsigned seed = 1; seed <= NSEEDS; seed++) {
        md_model m; eng_plan cold;
        if (solve(seed, 1.0, NULL, 0, &m, &cold) != 0) { CHECK(0); md_model_free(&m); continue; }
        CHECK(cold.started[0] == -1 && cold.started[1] == -1 && cold.started[2] == -1);
        eng_prev_seat *buf = malloc((size_t)(cold.nalloc + 1) * sizeof *buf);
        CHECK(buf != NULL);
        if (buf) {
            eng_prev start = as_start(&cold, buf);
            test_own_optimum(seed, &cold, &start);
            refused += !test_scaled(seed, 0.4, &cold, &start);
            (void)test_scaled(seed, 1.7, &cold, &start);
            test_no_plan(seed, &m, &cold, &start);
        }
        free(buf);
        eng_plan_free(&cold);
        md_model_free(&m);
    }
    CHECK(refused > 0); /* the budget cuts made some starts no plan: the check was exercised */
    return CHECK_DONE();
}
