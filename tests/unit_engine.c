/* tests/unit_engine.c — hand-made allocation problems whose optimum is
 * derived on paper in the comment above each test. */
#include "check.h"
#include "unit_engine_fixture.h"

static const double TIERS_HALF[] = { 0.5, 1.0, 1.0, 0.5 };

/* Tiers [[0.5,1],[1,0.5]]; KEN and SEN each need 4 seats of t; one course
 * at 100/seat; one donor with 400 -> 4 seats in all. Split 2+2 scores
 * 2*1 + 2*1 = 4; 3+1 scores (2 + 0.5) + 1 = 3.5; 4+0 scores 3. So 2+2,
 * score 4, cost 400, both needs short -> reason "resources". */
static void test_tiers_spread(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_tiers(&m, 2, TIERS_HALF);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_country(&m, "SEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 4, 1);
    fx_need(&m, "SEN", "t", 4, 1);
    fx_course(&m, "k", "t", "en", 100, -1);
    fx_donor(&m, "d", 400, NULL);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "k") == 2);
        CHECK(fx_seats(&m, &p, "SEN", "k") == 2);
        CHECK_NEAR(p.score, 4.0, 1e-9);
        CHECK_NEAR(p.score_bound, 4.0, 1e-6);
        CHECK_NEAR(p.total_cost, 400.0, 1e-6);
        CHECK(p.seats == 4);
        CHECK(p.status == ENG_OPTIMAL);
        int n = fx_need_ix(&m, "KEN", "t");
        CHECK(p.covered[n] == 2);
        CHECK_STR(eng_reason_names[p.reason[n]], "resources");
        CHECK(p.nalloc == 2 && p.alloc[0].c < p.alloc[1].c); /* sorted by country */
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Co-financing. Course k (t, 100/seat). KEN (Africa) needs 3, priority 1;
 * PHL (Asia) needs 2, priority 2. Donor afr: regions [Africa], 150. Donor
 * top: topics [t], 250. PHL can only be paid by top.
 * Score = 1*x(KEN) + 2*x(PHL). Money: 400 in all, PHL <= 250/100 = 2.
 * PHL=2 (200 from top) leaves afr 150 + top 50 = 200 -> KEN 2, each seat
 * co-financed: score 2*2 + 2 = 6, cost 400. Any plan with PHL < 2 scores
 * at most 2*1 + 2 = 4 + ... <= 5 (KEN <= 3). Unique funding: top->PHL 200,
 * top->KEN 50, afr->KEN 150. */
static void test_cofinancing(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_country(&m, "PHL", "Asia", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 3, 1);
    fx_need(&m, "PHL", "t", 2, 2);
    fx_course(&m, "k", "t", "en", 100, -1);
    md_donor *a = fx_donor(&m, "afr", 150, NULL);
    a->regions = fx_list(&m, "Africa");
    md_donor *b = fx_donor(&m, "top", 250, NULL);
    b->topics = fx_list(&m, "t");
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "k") == 2);
        CHECK(fx_seats(&m, &p, "PHL", "k") == 2);
        CHECK_NEAR(p.score, 6.0, 1e-9);
        CHECK_NEAR(p.total_cost, 400.0, 1e-6);
        CHECK_NEAR(fx_fund(&m, &p, "afr", "KEN", "k"), 150.0, 1e-6);
        CHECK_NEAR(fx_fund(&m, &p, "top", "KEN", "k"), 50.0, 1e-6);
        CHECK_NEAR(fx_fund(&m, &p, "top", "PHL", "k"), 200.0, 1e-6);
        CHECK_NEAR(fx_fund(&m, &p, "afr", "PHL", "k"), 0.0, 1e-9);
        CHECK(p.nfund == 3);
        CHECK_NEAR(p.donor_spent[0], 150.0, 1e-6);
        CHECK_NEAR(p.donor_spent[1], 250.0, 1e-6);
        /* funding rows sorted by donor id: afr first */
        CHECK(p.nfund == 3 && p.fund[0].d == 0 && p.fund[1].d == 1 && p.fund[2].d == 1);
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Minimum cohorts. Free courses big (t1, min 5, cap 10) and small (t2,
 * min 5). KEN needs 3 of t1 and 2 of t2, max_trainees 6; SEN needs 3 of
 * t1. Opening big takes KEN 3 + SEN 3 = 6 >= 5: score 6. Opening small
 * needs 5 KEN seats (padding), leaving KEN 1 seat, so big could only get
 * 1 + 3 = 4 < 5 and stays shut: score 2. Best: big open (KEN 3, SEN 3),
 * small shut, KEN/t2 unmet for "resources". Stage 3 keeps 6 seats. */
static void test_min_cohort(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t1");
    fx_topic(&m, "t2");
    md_country *ken = fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    ken->max_trainees = 6;
    fx_country(&m, "SEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t1", 3, 1);
    fx_need(&m, "KEN", "t2", 2, 1);
    fx_need(&m, "SEN", "t1", 3, 1);
    fx_course(&m, "big", "t1", "en", 0, 10)->min_seats = 5;
    fx_course(&m, "small", "t2", "en", 0, 10)->min_seats = 5;
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "big") == 3);
        CHECK(fx_seats(&m, &p, "SEN", "big") == 3);
        CHECK(fx_seats(&m, &p, "KEN", "small") == 0);
        CHECK_NEAR(p.score, 6.0, 1e-9);
        CHECK(p.seats == 6);
        CHECK_STR(eng_reason_names[p.reason[fx_need_ix(&m, "KEN", "t2")]], "resources");
    }
    /* Without the headcount limit, padding small to 5 seats is worth it:
     * score 3 + 3 + 2 = 8 with 11 seats. */
    md_model_free(&m);
    free(msg); msg = NULL;
    eng_plan_free(&p);
    fx_init(&m);
    fx_topic(&m, "t2");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t2", 2, 1);
    fx_course(&m, "small", "t2", "en", 0, 10)->min_seats = 5;
    rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "small") == 5);
        CHECK_NEAR(p.score, 2.0, 1e-9);
        CHECK(p.reason[0] == ENG_R_NONE);
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Currency: course 100 EUR at 1.1 USD = 110 USD/seat; donor 200 GBP at
 * 1.5 = 300 USD -> floor(300/110) = 2 seats (unconverted it would be 3),
 * cost 220 USD. */
static void test_currency(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 5, 1);
    fx_course(&m, "k", "t", "en", 100, -1)->currency = "EUR";
    fx_donor(&m, "d", 200, "GBP");
    fx_rate(&m, "EUR", 1.1);
    fx_rate(&m, "GBP", 1.5);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "k") == 2);
        CHECK_NEAR(p.total_cost, 220.0, 1e-6);
        CHECK_NEAR(p.donor_spent[0], 220.0, 1e-6);
        CHECK_NEAR(p.alloc[0].cost, 220.0, 1e-6);
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* A commitment forces a cost: KEN needs 2 of t; "paid" (100) and "free"
 * both cover t. Alone, stage 2 would pick free x2 at cost 0. Committed
 * KEN/paid 1 seat by donor d: stage 1 score 2; stage 2 minimises cost with
 * x(paid) >= 1 -> paid 1 + free 1, cost 100, d pays 100. */
static void test_commitment_cost(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 2, 1);
    fx_course(&m, "paid", "t", "en", 100, -1);
    fx_course(&m, "free", "t", "en", 0, -1);
    fx_donor(&m, "d", 1000, NULL);
    fx_commit(&m, "KEN", "paid", 1, "d", 4);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(fx_seats(&m, &p, "KEN", "paid") == 1);
        CHECK(fx_seats(&m, &p, "KEN", "free") == 1);
        CHECK_NEAR(p.total_cost, 100.0, 1e-6);
        CHECK_NEAR(fx_fund(&m, &p, "d", "KEN", "paid"), 100.0, 1e-6);
        CHECK(p.seats == 2);
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Infeasible commitments: free course k has capacity 3; KEN/k 2 seats and
 * SEN/k 2 seats cannot both be honoured (4 > 3); NER/j 1 seat is fine.
 * The minimal clashing set is {KEN/k, SEN/k}: exit 65 naming both at their
 * lines, not NER/j. */
static void test_commitment_clash(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_country(&m, "SEN", "Africa", MD_INC_LMIC, "en");
    fx_country(&m, "NER", "Africa", MD_INC_LIC, "en");
    fx_need(&m, "KEN", "t", 5, 1);
    fx_need(&m, "SEN", "t", 5, 1);
    fx_need(&m, "NER", "t", 5, 1);
    fx_course(&m, "k", "t", "en", 0, 3);
    fx_course(&m, "j", "t", "en", 0, -1);
    fx_commit(&m, "KEN", "k", 2, NULL, 10);
    fx_commit(&m, "SEN", "k", 2, NULL, 11);
    fx_commit(&m, "NER", "j", 1, NULL, 12);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 65);
    CHECK(msg && strstr(msg, "commitments.yaml:10:3: error: commitment KEN/k cannot be honoured together"));
    CHECK(msg && strstr(msg, "commitments.yaml:11:3: error: commitment SEN/k cannot be honoured together"));
    CHECK(msg && strstr(msg, "capacity of 3"));
    CHECK(msg && !strstr(msg, "NER/j"));
    free(msg); eng_plan_free(&p); md_model_free(&m);

    /* A donor overdrawn by a single commitment: 3 seats at 100 from a donor
     * with 250. */
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 5, 1);
    fx_course(&m, "k", "t", "en", 100, -1);
    fx_donor(&m, "eu", 250, NULL);
    fx_commit(&m, "KEN", "k", 3, "eu", 7);
    rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 65);
    CHECK(msg && strstr(msg, "commitment KEN/k (donor eu) cannot be honoured: donor eu is committed to 300.00"));
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Commitments that are input errors: ineligible pair (French course for an
 * English-speaking country) and an ineligible donor (excludes KEN). */
static void test_commitment_invalid(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 5, 1);
    fx_course(&m, "fr-k", "t", "fr", 0, -1);
    fx_course(&m, "k", "t", "en", 100, -1);
    fx_donor(&m, "d", 1000, NULL)->exclude_countries = fx_list(&m, "KEN");
    fx_commit(&m, "KEN", "fr-k", 1, NULL, 3);
    fx_commit(&m, "KEN", "k", 1, "d", 4);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 65);
    CHECK(msg && strstr(msg, "commitments.yaml:3:3: error: commitment KEN/fr-k: pair is not eligible: the course's language"));
    CHECK(msg && strstr(msg, "commitments.yaml:4:3: error: commitment KEN/k: donor d is not eligible"));
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Every reason code. Country FRA speaks fr only, region Europe; scenario has
 * min_quality 3.5 and period 2027. Needs (5 seats each):
 *   t_none: no course at all                     -> no_course
 *   t_lang: only an English course               -> language
 *   t_reg:  French course open to Asia only      -> region
 *   t_qual: French course rated 2                -> quality
 *   t_per:  French course starting 2026-05-01    -> period
 *   t_fund: French paid course, the only donor
 *           funds topic t_res only               -> no_funding
 *   t_res:  free French course with capacity 1   -> resources (covered 1)
 *   t_ok:   free French course                   -> "" (covered 5) */
static void test_reasons(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    m.set.has_min_quality = 1;
    m.set.min_quality = 3.5;
    m.set.has_period = 1;
    m.set.period_start = 20270101;
    m.set.period_end = 20271231;
    const char *topics[] = { "t_none", "t_lang", "t_reg", "t_qual", "t_per", "t_fund", "t_res", "t_ok" };
    for (int i = 0; i < 8; i++) fx_topic(&m, topics[i]);
    fx_country(&m, "FRA", "Europe", MD_INC_HIC, "fr");
    for (int i = 0; i < 8; i++) fx_need(&m, "FRA", topics[i], 5, 1);
    fx_course(&m, "c-lang", "t_lang", "en", 0, -1);
    fx_course(&m, "c-reg", "t_reg", "fr", 0, -1)->regions = fx_list(&m, "Asia");
    fx_course(&m, "c-qual", "t_qual", "fr", 0, -1)->quality = 2;
    /* the rated courses have providers of their own: the unrated ones
     * must not inherit a provider's mean quality (models/quality.c) */
    m.courses[m.ncourses - 1].provider = "qual-prov";
    fx_course(&m, "c-per", "t_per", "fr", 0, -1)->start_date = 20260501;
    fx_course(&m, "c-fund", "t_fund", "fr", 50, -1);
    fx_course(&m, "c-res", "t_res", "fr", 0, 1);
    fx_course(&m, "c-ok", "t_ok", "fr", 0, -1)->quality = 4.5;
    m.courses[m.ncourses - 1].provider = "ok-prov";
    fx_donor(&m, "d", 1000, NULL)->topics = fx_list(&m, "t_res");
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc == 0) {
        const char *want[] = { "no_course", "language", "region", "quality", "period", "no_funding",
                               "resources", "" };
        for (int i = 0; i < 8; i++) {
            int n = fx_need_ix(&m, "FRA", topics[i]);
            CHECK(n >= 0);
            if (n >= 0) CHECK_STR(eng_reason_names[p.reason[n]], want[i]);
        }
        CHECK(p.covered[fx_need_ix(&m, "FRA", "t_res")] == 1);
        CHECK(p.covered[fx_need_ix(&m, "FRA", "t_ok")] == 5);
        CHECK(p.seats == 6);
        CHECK(eng_pair_eligible(&m, 0, md_find_course(&m, "c-ok")));
        CHECK(!eng_pair_eligible(&m, 0, md_find_course(&m, "c-qual")));
        CHECK(!eng_pair_eligible(&m, 0, md_find_course(&m, "c-per")));
        CHECK(!eng_donor_eligible(&m, 0, 0, md_find_course(&m, "c-fund")));
        CHECK(eng_donor_eligible(&m, 0, 0, md_find_course(&m, "c-res")));
    }
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Tier formula: seats 4, tiers [[0.5,1],[1,0.5]], priority 2, LIC weight 2
 * (w = 4). covered 3: 2*1 + 1*0.5 = 2.5 -> 10; covered 1: 1 -> 4;
 * covered 4: 2 + 1 = 3 -> 12. */
static void test_need_score(void)
{
    md_model m; md_diag d;
    fx_init(&m);
    fx_tiers(&m, 2, TIERS_HALF);
    m.set.income_weight[MD_INC_LIC] = 2;
    fx_topic(&m, "t");
    fx_country(&m, "NER", "Africa", MD_INC_LIC, "fr");
    fx_need(&m, "NER", "t", 4, 2);
    md_diag_init(&d, stderr);
    CHECK(md_validate(&m, &d) == 0);
    CHECK_NEAR(eng_need_score(&m, 0, 3), 10.0, 1e-12);
    CHECK_NEAR(eng_need_score(&m, 0, 1), 4.0, 1e-12);
    CHECK_NEAR(eng_need_score(&m, 0, 4), 12.0, 1e-12);
    CHECK_NEAR(eng_need_score(&m, 0, 0), 0.0, 1e-12);
    md_model_free(&m);
}

int main(void)
{
    test_tiers_spread();
    test_cofinancing();
    test_min_cohort();
    test_currency();
    test_commitment_cost();
    test_commitment_clash();
    test_commitment_invalid();
    test_reasons();
    test_need_score();
    return CHECK_DONE();
}
