/* tests/unit_explain.c — eng_explain on plans the solver would not return:
 * a plan cut short (as one stopped before proof may be) names no limit
 * (`not_proven`, for the need and for the donor's money); a free course is
 * never short of money; donors that paid for nothing leave `budget`. The
 * other values are covered end to end by tests/t_explain.sh. */
#include "check.h"
#include "unit_engine_fixture.h"
#include <math.h>

/* KEN needs 10 seats of t; course k (cost `cost`) is its only offer; donor
 * d has `budget`. */
static void build(md_model *m, double cost, double budget)
{
    fx_init(m);
    fx_topic(m, "t");
    fx_country(m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(m, "KEN", "t", 10, 1);
    fx_course(m, "k", "t", "en", cost, -1);
    fx_donor(m, "d", budget, NULL);
}

/* Cuts the plan's only pair to `seats` seats, as a plan found before the
 * solve was stopped might be, with its money, coverage and score to match. */
static void cut(const md_model *m, eng_plan *p, long seats)
{
    double cost = m->courses[0].cost_base * (double)seats;
    p->alloc[0].seats = seats;
    p->alloc[0].cost = cost;
    p->seats = seats;
    p->total_cost = cost;
    if (p->nfund) p->fund[0].amount = cost;
    p->donor_spent[0] = p->nfund ? cost : 0;
    p->covered[0] = seats;
    p->need_score[0] = p->score = eng_need_score(m, 0, seats);
    p->reason[0] = ENG_R_RESOURCES;
}

static void test_not_proven(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    build(&m, 100, 2000);
    CHECK(fx_solve(&m, &p, &msg, NULL) == 0);
    CHECK(p.nalloc == 1 && p.alloc[0].seats == 10);
    CHECK(p.unspent_reason[0] == ENG_U_NEEDS_MET); /* the full plan: 1000.00 left, nothing to buy */
    cut(&m, &p, 4);
    CHECK(eng_explain(&m, &p) == 0);
    CHECK(p.detail[0] == ENG_D_NOT_PROVEN);
    CHECK(p.why[0].k == 0 && p.why[0].step == 1);
    CHECK(fabs(p.why[0].room - 1600) < 1e-6); /* the donor could still pay 16 seats */
    CHECK(p.unspent_reason[0] == ENG_U_NOT_PROVEN);
    CHECK(p.donor_why[0].c == 0 && p.donor_why[0].k == 0);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

static void test_free_course(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    build(&m, 0, 0);
    CHECK(fx_solve(&m, &p, &msg, NULL) == 0);
    CHECK(p.nalloc == 1 && p.alloc[0].seats == 10);
    cut(&m, &p, 3);
    CHECK(eng_explain(&m, &p) == 0);
    CHECK(p.detail[0] == ENG_D_NOT_PROVEN); /* free seats are never money-limited */
    CHECK(p.unspent_reason[0] == ENG_U_NONE); /* a budget of 0 leaves nothing unspent */
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

static void test_no_paid_pair(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    build(&m, 100, 0);
    CHECK(fx_solve(&m, &p, &msg, NULL) == 0);
    CHECK(p.nalloc == 0);
    CHECK(p.reason[0] == ENG_R_RESOURCES);
    CHECK(p.detail[0] == ENG_D_BUDGET); /* nothing to compare with: only money would help */
    CHECK(isnan(p.why[0].there));
    CHECK(fabs(p.why[0].here - 10) < 1e-9); /* 1 point for 100: 10 per 1,000 */
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Two donors with 50 each left pay one 100 seat together: not a money limit. */
static void test_cofinanced_room(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    build(&m, 100, 250);
    fx_donor(&m, "e", 250, NULL);
    CHECK(fx_solve(&m, &p, &msg, NULL) == 0);
    CHECK(p.nalloc == 1 && p.alloc[0].seats == 5);
    CHECK(p.detail[0] == ENG_D_BUDGET);
    /* take 50 off each donor's payments as if the solve had stopped early */
    p.alloc[0].seats = 4; p.alloc[0].cost = 400; p.seats = 4; p.total_cost = 400;
    for (int i = 0; i < p.nfund; i++) p.fund[i].amount -= 50;
    p.donor_spent[0] -= 50; p.donor_spent[1] -= 50;
    p.covered[0] = 4; p.need_score[0] = p.score = 4;
    CHECK(eng_explain(&m, &p) == 0);
    CHECK(p.detail[0] == ENG_D_NOT_PROVEN);
    CHECK(fabs(p.why[0].room - 100) < 1e-6);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

int main(void)
{
    test_not_proven();
    test_free_course();
    test_no_paid_pair();
    test_cofinanced_room();
    return CHECK_DONE();
}
