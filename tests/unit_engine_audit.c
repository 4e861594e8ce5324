/* tests/unit_engine_audit.c — the audit catches broken plans; solving is
 * deterministic; stop flag and time limit behave as engine.h says. */
#include "check.h"
#include "unit_engine_fixture.h"
#include <glpk.h>

/* Deep copy of a plan so that a test can break it. */
static void copy_plan(const md_model *m, const eng_plan *a, eng_plan *b)
{
    *b = *a;
    b->detail = b->unspent_reason = NULL; /* the explanations are not copied */
    b->why = b->donor_why = NULL;
    b->alloc = malloc(((size_t)a->nalloc + 1) * sizeof *b->alloc);
    b->fund = malloc(((size_t)a->nfund + 1) * sizeof *b->fund);
    b->covered = malloc(((size_t)m->nneeds + 1) * sizeof *b->covered);
    b->need_score = malloc(((size_t)m->nneeds + 1) * sizeof *b->need_score);
    b->reason = malloc(((size_t)m->nneeds + 1) * sizeof *b->reason);
    b->donor_spent = malloc(((size_t)m->ndonors + 1) * sizeof *b->donor_spent);
    memcpy(b->alloc, a->alloc, (size_t)a->nalloc * sizeof *b->alloc);
    memcpy(b->fund, a->fund, (size_t)a->nfund * sizeof *b->fund);
    memcpy(b->covered, a->covered, (size_t)m->nneeds * sizeof *b->covered);
    memcpy(b->need_score, a->need_score, (size_t)m->nneeds * sizeof *b->need_score);
    memcpy(b->reason, a->reason, (size_t)m->nneeds * sizeof *b->reason);
    memcpy(b->donor_spent, a->donor_spent, (size_t)m->ndonors * sizeof *b->donor_spent);
}

/* Runs eng_audit on a plan; returns its result and whether the messages
 * contain `want`. */
static int audit(const md_model *m, const eng_plan *p, const char *want, int *found)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    md_diag d;
    md_diag_init(&d, f);
    int rc = eng_audit(m, p, &d);
    fclose(f);
    *found = want && buf && strstr(buf, want) != NULL;
    if (rc != 0 && !*found) fprintf(stderr, "audit said:\n%s", buf ? buf : "");
    if (rc == 0 || d.exit_code != MD_EX_SOFTWARE) *found = 0;
    free(buf);
    return rc;
}

/* The co-financing case of unit_engine.c (KEN 2 seats funded afr 150 +
 * top 50, PHL 2 seats funded top 200) plus a French-only course for KEN
 * that can never be eligible, and a share-capped donor. */
static void build_base(md_model *m)
{
    fx_init(m);
    fx_topic(m, "t");
    fx_country(m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_country(m, "PHL", "Asia", MD_INC_LMIC, "en");
    fx_need(m, "KEN", "t", 3, 1);
    fx_need(m, "PHL", "t", 2, 2);
    fx_course(m, "fr-only", "t", "fr", 10, -1);
    fx_course(m, "k", "t", "en", 100, 4);
    fx_donor(m, "afr", 150, NULL)->regions = fx_list(m, "Africa");
    fx_donor(m, "top", 250, NULL)->topics = fx_list(m, "t");
}

static void test_audit_catches(void)
{
    md_model m; eng_plan p, q; char *msg = NULL; int found;
    build_base(&m);
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    if (rc != 0) { fprintf(stderr, "%s", msg); free(msg); md_model_free(&m); return; }
    CHECK(p.nalloc == 2 && p.nfund == 3);
    CHECK(audit(&m, &p, NULL, &found) == 0);

    /* over budget: afr pays 100 more than its 150 */
    copy_plan(&m, &p, &q);
    q.fund[0].amount += 100;
    q.donor_spent[q.fund[0].d] += 100;
    CHECK(audit(&m, &q, "donor afr spends 250.00, above its budget of 150.00", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    /* ineligible pair: KEN's seats moved to the French course */
    copy_plan(&m, &p, &q);
    q.alloc[0].k = md_find_course(&m, "fr-only");
    q.alloc[0].cost = 10.0 * (double)q.alloc[0].seats;
    CHECK(audit(&m, &q, "pair KEN/fr-only is not eligible", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    /* ineligible donor: afr (Africa only) pays for PHL */
    copy_plan(&m, &p, &q);
    for (int i = 0; i < q.nfund; i++)
        if (q.fund[i].d == 0) q.fund[i].c = md_find_country(&m, "PHL");
    CHECK(audit(&m, &q, "donor afr may not fund PHL/k", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    /* capacity: 5 seats on a course with 4 (and totals kept consistent) */
    copy_plan(&m, &p, &q);
    q.alloc[0].seats += 1;
    CHECK(audit(&m, &q, "course k has 5 seats, capacity 4", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    /* funding equality: a pair paid less than its seats cost */
    copy_plan(&m, &p, &q);
    q.fund[q.nfund - 1].amount -= 50;
    q.donor_spent[q.fund[q.nfund - 1].d] -= 50;
    CHECK(audit(&m, &q, "funding of PHL/k is 150.00, the seats cost 200.00", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    /* reported totals */
    copy_plan(&m, &p, &q);
    q.score += 1;
    CHECK(audit(&m, &q, "score 7 differs", &found) != 0);
    CHECK(found);
    q.score -= 1;
    q.covered[0] = 3;
    CHECK(audit(&m, &q, "need KEN/t reports 3 covered, the seats give 2", &found) != 0);
    CHECK(found);
    eng_plan_free(&q);

    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* Share cap and headcount in the audit, on a plan built by hand. Donor d
 * has 1000 and a 0.3 share cap (300 per country); KEN may send 2 people. */
static void test_audit_caps(void)
{
    md_model m; eng_plan p; md_diag d; int found;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en")->max_trainees = 2;
    fx_need(&m, "KEN", "t", 5, 1);
    fx_course(&m, "k", "t", "en", 100, -1);
    fx_donor(&m, "d", 1000, NULL)->max_share = 0.3;
    md_diag_init(&d, stderr);
    CHECK(md_validate(&m, &d) == 0);
    memset(&p, 0, sizeof p);
    eng_alloc a = { 0, 0, 4, 400 };
    eng_fund f = { 0, 0, 0, 400 };
    long covered = 4;
    double score = 4, spent = 400;
    int reason = ENG_R_RESOURCES;
    p.alloc = &a; p.nalloc = 1; p.fund = &f; p.nfund = 1;
    p.covered = &covered; p.need_score = &score; p.reason = &reason; p.donor_spent = &spent;
    p.score = p.score_bound = 4; p.total_cost = 400; p.seats = 4;
    CHECK(audit(&m, &p, "donor d spends 400.00 on KEN, above its share cap of 300.00", &found) != 0);
    CHECK(found);
    CHECK(audit(&m, &p, "KEN has 4 trainees, max_trainees 2", &found) != 0);
    CHECK(found);
    md_model_free(&m);
}

static int same_plan(const md_model *m, const eng_plan *a, const eng_plan *b)
{
    return a->nalloc == b->nalloc && a->nfund == b->nfund && a->seats == b->seats
        && a->score == b->score && a->total_cost == b->total_cost
        && memcmp(a->alloc, b->alloc, (size_t)a->nalloc * sizeof *a->alloc) == 0
        && memcmp(a->fund, b->fund, (size_t)a->nfund * sizeof *a->fund) == 0
        && memcmp(a->covered, b->covered, (size_t)m->nneeds * sizeof *a->covered) == 0
        && memcmp(a->reason, b->reason, (size_t)m->nneeds * sizeof *a->reason) == 0;
}

/* Same input twice -> identical plans (a random mid-size instance). */
static void test_determinism(void)
{
    md_model m1, m2; eng_plan p1, p2; char *g1 = NULL, *g2 = NULL;
    fx_random(&m1, 7, 12, 25, 4, 6);
    fx_random(&m2, 7, 12, 25, 4, 6);
    int r1 = fx_solve(&m1, &p1, &g1, NULL), r2 = fx_solve(&m2, &p2, &g2, NULL);
    CHECK(r1 == 0 && r2 == 0);
    if (r1 == 0 && r2 == 0) {
        CHECK(p1.nalloc > 0 && p1.nfund > 0);
        CHECK(same_plan(&m1, &p1, &p2));
        CHECK(p1.status == ENG_OPTIMAL);
        CHECK(p1.score_bound >= p1.score);
        CHECK(p1.rows > 0 && p1.cols > 0 && p1.ints > 0);
    } else {
        fprintf(stderr, "%s%s", g1 ? g1 : "", g2 ? g2 : "");
    }
    free(g1); free(g2);
    eng_plan_free(&p1); eng_plan_free(&p2);
    md_model_free(&m1); md_model_free(&m2);
}

/* A stop flag raised before the solve: no plan at all -> 70 with a message. */
static void test_stop(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    volatile int stop = 1;
    eng_options o = { .time_limit = 0, .mip_gap = -1, .verbose = 0, .log = NULL, .stop = &stop };
    fx_random(&m, 3, 10, 20, 3, 5);
    int rc = fx_solve(&m, &p, &msg, &o);
    CHECK(rc == 70);
    CHECK(msg && strstr(msg, "no feasible plan was found before the solve was interrupted"));
    CHECK(p.alloc == NULL && p.nalloc == 0);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* A short time limit on a hard instance: either it finishes (optimal) or
 * it stops with a feasible, audited plan marked time_limit whose bound is
 * at least its score; it must not run much past the limit. */
static void test_time_limit(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    eng_options o = { .time_limit = 1.5, .mip_gap = 0, .verbose = 0, .log = NULL, .stop = NULL };
    fx_random(&m, 11, 60, 120, 8, 12);
    int rc = fx_solve(&m, &p, &msg, &o);
    CHECK(rc == 0 || rc == 70);
    if (rc == 0) {
        CHECK(p.status == ENG_TIME_LIMIT || p.status == ENG_OPTIMAL);
        CHECK(p.score_bound >= p.score);
        CHECK(p.solve_seconds < 3.0);
        if (p.status == ENG_TIME_LIMIT) CHECK(p.stage[0].status == ENG_TIME_LIMIT || p.stage[1].status == ENG_TIME_LIMIT
                                              || p.stage[2].status == ENG_TIME_LIMIT);
    } else {
        CHECK(msg && strstr(msg, "time limit"));
    }
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

/* GLPK running out of memory aborts inside the library: the error hook
 * turns that into 70 with a message (another attempt would need as much),
 * leaks nothing, and the next solve works again. GLPK failing for other
 * reasons is retried: tests/unit_engine_recovery.c. */
static void test_glpk_abort(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_random(&m, 5, 40, 80, 6, 10);
    glp_mem_limit(1); /* 1 MB: the model does not fit */
    int rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 70);
    CHECK(msg && strstr(msg, "out of memory in the solver (GLPK)"));
    CHECK(p.nalloc == 0 && p.alloc == NULL);
    free(msg); eng_plan_free(&p); md_model_free(&m);
    fx_random(&m, 5, 8, 12, 2, 4);
    rc = fx_solve(&m, &p, &msg, NULL);
    CHECK(rc == 0);
    free(msg); eng_plan_free(&p); md_model_free(&m);
}

int main(void)
{
    test_audit_catches();
    test_audit_caps();
    test_determinism();
    test_stop();
    test_time_limit();
    test_glpk_abort();
    return CHECK_DONE();
}
