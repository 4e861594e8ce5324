/* tests/unit_pshare.c — the provider-share cap (policy max_provider_share):
 * the audit rejects a plan above it, the solve keeps it (also with every
 * search heuristic forced on), a binding cap lowers the score, and a
 * single provider in play leaves an empty plan without failing. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "unit_engine_lp.h"
#include "../engine/eng_testing.h"
#include <math.h>

static int audit_says(const md_model *m, const eng_plan *p, const char *want)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    md_diag d;
    md_diag_init(&d, f);
    int rc = eng_audit(m, p, &d);
    fclose(f);
    int found = rc != 0 && buf && strstr(buf, want) != NULL;
    if (!found) fprintf(stderr, "audit said (rc %d):\n%s", rc, buf ? buf : "");
    free(buf);
    return found;
}

/* Largest provider share of p's spend (a course without a provider is its own). */
static double top_share(const md_model *m, const eng_plan *p)
{
    double total = 0, top = 0;
    for (int i = 0; i < p->nalloc; i++) total += p->alloc[i].cost;
    for (int i = 0; i < p->nalloc; i++) {
        const md_course *ki = &m->courses[p->alloc[i].k];
        double s = 0;
        for (int j = 0; j < p->nalloc; j++) {
            const md_course *kj = &m->courses[p->alloc[j].k];
            if (ki->provider ? kj->provider && strcmp(ki->provider, kj->provider) == 0 : ki == kj)
                s += p->alloc[j].cost;
        }
        if (total > 0 && s / total > top) top = s / total;
    }
    return top;
}

/* KEN needs 4 seats of t; A's course is cheap, B's dear; the donor can pay
 * A's 4 seats (400) or 1 of B's and 1 of A's (300 + 100). */
static void build_two(md_model *m, double share)
{
    fx_init(m);
    fx_topic(m, "t");
    fx_country(m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(m, "KEN", "t", 4, 1);
    fx_course(m, "a", "t", "en", 100, -1)->provider = fx_s(m, "A");
    fx_course(m, "b", "t", "en", 300, -1)->provider = fx_s(m, "B");
    fx_donor(m, "don", 400, NULL);
    m->set.max_provider_share = share;
}

static void test_audit_and_binding(void)
{
    md_model m; eng_plan p, q; char *msg = NULL;
    build_two(&m, 0);
    int rc = fx_solve(&m, &p, &msg, NULL);
    free(msg); msg = NULL;
    CHECK(rc == 0);
    CHECK(fx_seats(&m, &p, "KEN", "a") == 4 && fx_seats(&m, &p, "KEN", "b") == 0);
    /* the same plan under a cap of 0.5 breaks it: A has all of the spend */
    m.set.max_provider_share = 0.5;
    CHECK(audit_says(&m, &p, "provider A is paid 400.00 of 400.00, above max_provider_share 0.5"));
    md_model_free(&m);

    build_two(&m, 0.75);
    rc = fx_solve(&m, &q, &msg, NULL);
    if (rc) fprintf(stderr, "%s", msg);
    free(msg); msg = NULL;
    CHECK(rc == 0);
    CHECK(q.status == ENG_OPTIMAL);
    CHECK(top_share(&m, &q) <= 0.75 + 1e-9);
    CHECK(q.score < p.score - 1e-9); /* the cap binds */
    CHECK(fx_seats(&m, &q, "KEN", "a") == 1 && fx_seats(&m, &q, "KEN", "b") == 1);
    eng_plan_free(&p); eng_plan_free(&q);
    md_model_free(&m);
}

static void test_single_provider(void)
{
    md_model m; eng_plan p; char *msg = NULL;
    fx_init(&m);
    fx_topic(&m, "t");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t", 4, 1);
    fx_course(&m, "a", "t", "en", 100, -1);
    fx_course(&m, "a2", "t", "en", 150, -1);
    fx_donor(&m, "don", 1000, NULL);
    m.set.max_provider_share = 0.9;
    int rc = fx_solve(&m, &p, &msg, NULL);
    if (rc) fprintf(stderr, "%s", msg);
    free(msg);
    CHECK(rc == 0);
    CHECK(p.status == ENG_OPTIMAL);
    CHECK(p.nalloc == 0 && p.seats == 0 && p.total_cost == 0);
    eng_plan_free(&p);
    md_model_free(&m);
}

/* Random models, providers P0..P4 and some courses without one, cap 0.3:
 * with RENS, LNS, pools, reduced-cost bounds and stage sifting forced on
 * and off, every plan passes the audit (inside eng_solve) and the cap, and
 * both reach the same score when proven. */
static void test_random_heuristics(void)
{
    int same = 0, proven = 0;
    for (unsigned seed = 1; seed <= 8; seed++) {
        double score[2] = { 0, 0 };
        int st[2] = { -1, -1 };
        for (int forced = 0; forced < 2; forced++) {
            md_model m; eng_plan p; char *msg = NULL;
            fx_random(&m, seed, 8, 14, 3, 5);
            for (int k = 0; k < m.ncourses; k++) {
                char b[8];
                snprintf(b, sizeof b, "P%d", k % 5);
                m.courses[k].provider = k % 7 == 6 ? NULL : fx_s(&m, b);
            }
            m.set.max_provider_share = 0.3;
            eng_testing t = { 0 };
            int v = forced ? 1 : -1;
            t.rens = t.lns = t.rcfix = t.stage_sift = t.pool = v;
            eng_options o = { 0 };
            o.time_limit = 20; o.mip_gap = 0; o.testing = &t;
            int rc = fx_solve(&m, &p, &msg, &o);
            if (rc) fprintf(stderr, "seed %u forced %d: %s", seed, forced, msg);
            free(msg);
            CHECK(rc == 0);
            if (rc == 0) {
                CHECK(top_share(&m, &p) <= 0.3 + 1e-6);
                score[forced] = p.score;
                st[forced] = p.status;
                eng_plan_free(&p);
            }
            md_model_free(&m);
        }
        if (st[0] == ENG_OPTIMAL && st[1] == ENG_OPTIMAL) {
            proven++;
            same += fabs(score[0] - score[1]) <= 1e-6 * fmax(1.0, fabs(score[0]));
        }
    }
    CHECK(proven >= 4);
    CHECK(same == proven);
}

/* Providers P0..P4 and, for every seventh course, none. */
static void set_providers(md_model *m)
{
    for (int k = 0; k < m->ncourses; k++) {
        char b[8];
        snprintf(b, sizeof b, "P%d", k % 5);
        m->courses[k].provider = k % 7 == 6 ? NULL : fx_s(m, b);
    }
}

/* The rounding heuristic (stage 1's, and the plan of a stage the clock
 * stops before GLPK has one) from the LP point and from the commitments
 * alone: with the cap 0.3 it still returns a plan, and that plan keeps
 * every row of the model, the provider-share rows included. */
static void test_rounding_repair(void)
{
    int tried = 0, found = 0, kept = 0, paid = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        lp_root r;
        md_diag d;
        memset(&r, 0, sizeof r);
        fx_random(&r.m, seed, 25, 50, 5, 8);
        set_providers(&r.m);
        r.m.set.max_provider_share = 0.3;
        md_diag_init(&d, NULL);
        if (md_validate(&r.m, &d) != 0 || eng_tab_build(&r.m, seed & 1 ? 1 : -1, &r.T, &d) != 0) {
            CHECK(0);
            md_model_free(&r.m);
            continue;
        }
        r.tab = 1;
        glp_term_out(GLP_OFF);
        if (eng_lp_build(&r.T, NULL, &r.L, &d) == 0) {
            r.lp = 1;
            CHECK(r.L.tcol > 0);
            eng_lp_objective(&r.T, &r.L, ENG_OBJ_SCORE);
            glp_smcp sp;
            glp_init_smcp(&sp);
            sp.msg_lev = GLP_MSG_OFF;
            if (glp_simplex(r.L.P, &sp) == 0 && glp_get_status(r.L.P) == GLP_OPT) {
                double *v = calloc((size_t)r.L.ncols + 1, sizeof *v), obj, worst;
                for (int from_lp = 1; v && from_lp >= 0; from_lp--) {
                    tried++;
                    memset(v, 0, ((size_t)r.L.ncols + 1) * sizeof *v);
                    if (eng_heur_round(&r.T, &r.L, r.L.P, from_lp, NULL, v, &obj) != 0) continue;
                    found++;
                    kept += rows_hold(&r.L, v, 0, &worst) && eng_pshare_holds(&r.T, &r.L, v);
                    paid += v[r.L.tcol] > 0;
                }
                free(v);
            }
        }
        root_free(&r);
    }
    CHECK(tried >= 20);
    CHECK(found == tried);
    CHECK(kept == found);
    CHECK(paid >= tried / 2); /* the repair keeps paid seats, not only the free ones */
}

int main(void)
{
    test_rounding_repair();
    test_audit_and_binding();
    test_single_provider();
    test_random_heuristics();
    return CHECK_DONE();
}
