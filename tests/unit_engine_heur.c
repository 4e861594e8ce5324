/* tests/unit_engine_heur.c — funding groups and pools and their split, the
 * rounding heuristic (checked row by row against the GLPK model) and its
 * trim, RENS, and the reduced-cost bounds of rcfix.c. */
#include "check.h"
#include "unit_engine_fixture.h"
#include "unit_engine_lp.h"
#include "../engine/eng_testing.h"
#include <math.h>
#include <unistd.h>

/* KEN needs t1 x3 and t2 x2; k1 (t1) costs 100, k2 (t2) 150. */
static void ken_two_courses(md_model *m)
{
    fx_init(m);
    fx_topic(m, "t1");
    fx_topic(m, "t2");
    fx_country(m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_need(m, "KEN", "t1", 3, 1);
    fx_need(m, "KEN", "t2", 2, 1);
    fx_course(m, "k1", "t1", "en", 100, -1);
    fx_course(m, "k2", "t2", "en", 150, -1);
}

/* ken_two_courses with donors a (200) and b (400), who may both pay both
 * pairs: one funding group, or (pooled) one money column each for KEN.
 * All 5 seats cost 600 = both budgets, so a pays 200 and b 400. The split
 * goes pairs in course order, donors in id order: k1 gets a 200 + b 100,
 * k2 gets b 300. The same with the money pooled and not. */
static void test_group_split(void)
{
    for (int pool = -1; pool <= 1; pool += 2) {
        md_model m; eng_plan p; char *msg = NULL;
        eng_testing t = { .pool = pool };
        eng_options o = { .time_limit = 10, .mip_gap = 0, .testing = &t };
        ken_two_courses(&m);
        fx_donor(&m, "a", 200, NULL);
        fx_donor(&m, "b", 400, NULL);
        int rc = fx_solve(&m, &p, &msg, &o);
        CHECK(rc == 0);
        if (rc == 0) {
            CHECK(fx_seats(&m, &p, "KEN", "k1") == 3);
            CHECK(fx_seats(&m, &p, "KEN", "k2") == 2);
            CHECK_NEAR(fx_fund(&m, &p, "a", "KEN", "k1"), 200.0, 1e-6);
            CHECK_NEAR(fx_fund(&m, &p, "b", "KEN", "k1"), 100.0, 1e-6);
            CHECK_NEAR(fx_fund(&m, &p, "b", "KEN", "k2"), 300.0, 1e-6);
            CHECK_NEAR(fx_fund(&m, &p, "a", "KEN", "k2"), 0.0, 1e-9);
            CHECK(p.nfund == 3);
        }
        if (rc) fprintf(stderr, "%s", msg);
        free(msg); eng_plan_free(&p); md_model_free(&m);
    }
}

/* ken_two_courses with a pooled donor beside one with a course-side rule:
 * a (300, topic t1 only) may pay k1 alone, b (250, pooled) anything. Every
 * seat (k1 x3 = 300, k2 x2 = 300) would cost 600 > 550, so KEN gets k1 x3
 * and k2 x1 (450): b must pay all of k2, and a's money never reaches k2,
 * whatever split of the pool the LP picks. Pooled and not. */
static void test_pool_split(void)
{
    for (int pool = -1; pool <= 1; pool += 2) {
        md_model m; eng_plan p; char *msg = NULL;
        eng_testing t = { .pool = pool };
        eng_options o = { .time_limit = 10, .mip_gap = 0, .testing = &t };
        ken_two_courses(&m);
        md_donor *a = fx_donor(&m, "a", 300, NULL);
        a->topics = fx_list(&m, "t1");
        fx_donor(&m, "b", 250, NULL);
        int rc = fx_solve(&m, &p, &msg, &o); /* audited: funding adds up, eligibility holds */
        CHECK(rc == 0);
        if (rc == 0) {
            CHECK(fx_seats(&m, &p, "KEN", "k1") == 3);
            CHECK(fx_seats(&m, &p, "KEN", "k2") == 1);
            CHECK_NEAR(fx_fund(&m, &p, "a", "KEN", "k2"), 0.0, 1e-9);
            CHECK_NEAR(fx_fund(&m, &p, "b", "KEN", "k2"), 150.0, 1e-6);
            CHECK_NEAR(fx_fund(&m, &p, "a", "KEN", "k1") + fx_fund(&m, &p, "b", "KEN", "k1"), 300.0, 1e-6);
        }
        if (rc) fprintf(stderr, "%s", msg);
        free(msg); eng_plan_free(&p); md_model_free(&m);
    }
}

/* The tables group pairs by their donor set, per country, and keep a pair
 * named by a donor commitment alone. A donor with no course-side rule (b)
 * is pooled: one slot per country, out of the groups' donor lists except
 * on the pair whose commitment names it. */
static void test_groups_built(void)
{
    md_model m; md_diag d; eng_tab T;
    fx_init(&m);
    fx_topic(&m, "t1");
    fx_topic(&m, "t2");
    fx_country(&m, "KEN", "Africa", MD_INC_LMIC, "en");
    fx_country(&m, "SEN", "Africa", MD_INC_LMIC, "en");
    fx_need(&m, "KEN", "t1", 3, 1);
    fx_need(&m, "KEN", "t2", 2, 1);
    fx_need(&m, "SEN", "t1", 3, 1);
    fx_course(&m, "k1", "t1", "en", 100, -1);
    fx_course(&m, "k2", "t2", "en", 150, -1);
    fx_course(&m, "k3", "t1", "en", 120, -1);
    fx_course(&m, "kf", "t2", "en", 0, -1);          /* free: no group */
    md_donor *a = fx_donor(&m, "a", 1000, NULL);
    a->topics = fx_list(&m, "t1");                    /* a: k1, k3 only */
    fx_donor(&m, "b", 1000, NULL);
    fx_commit(&m, "SEN", "k3", 1, "b", 7);
    md_diag_init(&d, NULL);
    CHECK(md_validate(&m, &d) == 0);
    CHECK(eng_tab_build(&m, 1, &T, &d) == 0);
    /* KEN: {k1,k3} share {a} (b pooled); k2 has {} (b pooled); kf free.
     * SEN: k1 {a}; k3 {a,b} committed with donor b -> alone, b kept. */
    CHECK(T.ngroups == 4);
    int da = md_find_donor(&m, "a"), db = md_find_donor(&m, "b");
    CHECK(!T.pooled[da] && T.pooled[db]);
    CHECK(T.npdon == 2);
    for (int c = 0; c < m.ncountries; c++)
        CHECK(T.cp_first[c + 1] - T.cp_first[c] == 1 && T.pdon[T.cp_first[c]] == db);
    int nb = 0; /* b in a group's list: only on SEN/k3 */
    for (int s = 0; s < T.ngdon; s++) nb += T.gdon[s] == db;
    CHECK(nb == 1);
    int gk1 = -1, gk3 = -1, sk1 = -1, sk3 = -1, free_pairs = 0;
    for (int q = 0; q < T.npairs; q++) {
        const char *c = m.countries[T.pairs[q].c].code, *k = m.courses[T.pairs[q].k].id;
        if (!strcmp(c, "KEN") && !strcmp(k, "k1")) gk1 = T.pair_group[q];
        if (!strcmp(c, "KEN") && !strcmp(k, "k3")) gk3 = T.pair_group[q];
        if (!strcmp(c, "SEN") && !strcmp(k, "k1")) sk1 = T.pair_group[q];
        if (!strcmp(c, "SEN") && !strcmp(k, "k3")) sk3 = T.pair_group[q];
        if (T.pair_group[q] < 0) free_pairs++;
    }
    CHECK(gk1 >= 0 && gk1 == gk3);
    CHECK(sk1 >= 0 && sk3 >= 0 && sk1 != sk3);
    CHECK(free_pairs == 1);
    CHECK(sk3 >= 0 && T.g_start[sk3 + 1] - T.g_start[sk3] == 1);
    CHECK(sk3 >= 0 && T.groups[sk3].gd_count == 2);
    CHECK(gk1 >= 0 && T.groups[gk1].gd_count == 1 && T.gdon[T.groups[gk1].gd_first] == da);
    CHECK(T.cm_gslot[0] >= 0 && T.gdon[T.cm_gslot[0]] == md_find_donor(&m, "b"));
    eng_tab_free(&T);
    md_model_free(&m);
}

static void test_heuristic_feasible(void)
{
    int tried = 0, found = 0, feasible = 0, found0 = 0, feasible0 = 0, pooled = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        lp_root r;
        if (root_solve(&r, seed)) {
            eng_tab *T = &r.T;
            eng_lp *L = &r.L;
            tried++;
            pooled += T->npdon > 0;
            double *v = calloc((size_t)L->ncols + 1, sizeof *v), obj = 0, worst = 0;
            if (eng_heur_round(T, L, L->P, 1, NULL, v, &obj) == 0) {
                found++;
                if (rows_hold(L, v, 0, &worst)) feasible++;
                else fprintf(stderr, "seed %u: heuristic plan violates a row by %g\n", seed, worst);
                CHECK(obj <= glp_get_obj_val(L->P) + 1e-6 * fmax(1, fabs(obj)));
                CHECK(obj >= 0.5 * glp_get_obj_val(L->P)); /* rounding + greedy keeps most */
            }
            /* and the greedy plan from the committed seats alone */
            memset(v, 0, ((size_t)L->ncols + 1) * sizeof *v);
            if (eng_heur_round(T, L, L->P, 0, NULL, v, &obj) == 0) {
                found0++;
                if (rows_hold(L, v, 0, &worst)) feasible0++;
                CHECK(obj > 0);
            }
            free(v);
        }
        root_free(&r);
    }
    CHECK(tried >= 10);
    CHECK(found == tried);
    CHECK(feasible == found);
    CHECK(found0 == tried && feasible0 == found0);
    CHECK(pooled >= 4); /* odd seeds: the money pools are really there */
}

/* eng_heur_trim keeps a plan feasible and its score, and never raises its
 * cost or its seats; on these instances it lowers the cost of some. */
static void test_trim(void)
{
    int tried = 0, feasible = 0, kept = 0, cheaper = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        lp_root r;
        int optimal = root_solve(&r, seed);
        eng_tab *T = &r.T;
        eng_lp *L = &r.L;
        double *v = NULL, *w = NULL, obj = 0, worst = 0;
        if (optimal) {
            v = calloc((size_t)L->ncols + 1, sizeof *v);
            w = calloc((size_t)L->ncols + 1, sizeof *w);
        }
        if (v && w && eng_heur_round(T, L, L->P, 1, NULL, v, &obj) == 0) {
            memcpy(w, v, ((size_t)L->ncols + 1) * sizeof *v);
            CHECK(eng_heur_trim(T, L, L->P, w) == 0);
            tried++;
            if (rows_hold(L, w, 0, &worst)) feasible++;
            double s0 = 0, s1 = 0, c0 = 0, c1 = 0;
            long n0 = 0, n1 = 0;
            for (int j = 1; j <= L->ncols; j++) {
                s0 += glp_get_obj_coef(L->P, j) * v[j];
                s1 += glp_get_obj_coef(L->P, j) * w[j];
            }
            for (int q = 0; q < T->npairs; q++) {
                double k = r.m.courses[T->pairs[q].k].cost_base;
                c0 += k * v[L->xcol[q]]; c1 += k * w[L->xcol[q]];
                n0 += lround(v[L->xcol[q]]); n1 += lround(w[L->xcol[q]]);
            }
            if (s1 >= s0 - 1e-9 * fmax(1, s0) && c1 <= c0 + 1e-9 * fmax(1, c0) && n1 <= n0) kept++;
            if (c1 < c0 - 1e-6) cheaper++;
        }
        free(v);
        free(w);
        root_free(&r);
    }
    CHECK(tried >= 10);
    CHECK(feasible == tried);
    CHECK(kept == tried);
    CHECK(cheaper >= 1);
}

/* RENS (rens.c) on seeded models, against GLPK's own full MIP: the plan
 * keeps every row, rounds only fractional columns (or the seats of a
 * course opened in part), never beats the proven optimum, and with a plan
 * given it returns one at least as good (that plan lies inside). P is left
 * as it was. Then as in stage 2 (least cost at the plan's score, the score
 * row soft in the sub-MIP): every plan returned keeps every row. */
static void test_rens(void)
{
    int tried = 0, found = 0, inside = 0, feasible = 0, capped = 0, proven = 0, kept = 0, improved = 0;
    int stage2 = 0, soft = 0, held = 0, cheaper = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        lp_root r;
        if (!root_solve(&r, seed)) { root_free(&r); continue; }
        eng_tab *T = &r.T;
        eng_lp *L = &r.L;
        size_t n1 = (size_t)L->ncols + 1;
        double *lp = calloc(n1, sizeof *lp), *v = calloc(n1, sizeof *v), *h = calloc(n1, sizeof *h);
        for (int j = 1; j <= L->ncols; j++) lp[j] = glp_get_col_prim(L->P, j);
        double lpobj = glp_get_obj_val(L->P), obj = 0, hobj = 0, worst = 0;
        eng_options o = { .mip_gap = 0 };
        eng_run run = { .cfg.opt = &o, .st.mip_gap = 0, .st.sub_deadline = eng_now() + 20 };
        tried++;
        if (eng_rens(T, L, &run, NULL, 0, v, &obj) == 0) {
            found++;
            if (rows_hold(L, v, 1e-5, &worst)) feasible++;
            int in = 1;
            for (int q = 0; q < T->npairs; q++) {
                int j = L->xcol[q], o2 = L->ocol[T->pairs[q].k];
                int part = o2 && lp[o2] > 1e-9 && lp[o2] < 1 - 1e-9;
                if (!part && (v[j] < floor(lp[j] + 1e-9) || v[j] > ceil(lp[j] - 1e-9))) in = 0;
            }
            inside += in;
            double mine = 0;
            for (int j = 1; j <= L->ncols; j++) mine += glp_get_obj_coef(L->P, j) * v[j];
            CHECK(fabs(mine - obj) <= 1e-6 * fmax(1, fabs(obj)));
            /* GLPK's full MIP: RENS cannot beat its optimum */
            double cap = lpobj; /* when GLPK cannot prove an optimum in time */
            if (glpk_optimum(L->P, 1000, &cap)) proven++;
            capped += obj <= cap + 1e-6 * fmax(1, obj);
        }
        /* the rounding heuristic's plan handed in: RENS keeps or betters it */
        if (eng_heur_round(T, L, L->P, 1, NULL, h, &hobj) == 0 && eng_rens(T, L, &run, h, 0, v, &obj) == 0) {
            kept += obj >= hobj - 1e-6 * fmax(1, hobj) && rows_hold(L, v, 1e-5, &worst);
            improved += obj > hobj + 1e-6;
        } else {
            CHECK(0);
        }
        int same = fabs(glp_get_obj_val(L->P) - lpobj) <= 1e-9 * fmax(1, lpobj);
        for (int j = 1; j <= L->ncols; j++) same &= glp_get_col_prim(L->P, j) == lp[j];
        CHECK(same);
        /* stage 2 on top of the heuristic's plan: least cost at its score,
         * the score row soft in the sub-MIP; a plan it returns must keep
         * the row (a higher score may cost more: the caller compares) */
        double tol = 1e-7 * fmax(1, hobj), hcost = 0;
        for (int q = 0; q < T->npairs; q++) hcost += r.m.courses[T->pairs[q].k].cost_base * h[L->xcol[q]];
        if (eng_lp_add_limit(T, L, ENG_OBJ_SCORE, hobj - tol) == 0) {
            int row = glp_get_num_rows(L->P);
            eng_lp_objective(T, L, ENG_OBJ_COST);
            glp_smcp sp;
            glp_init_smcp(&sp);
            sp.msg_lev = GLP_MSG_OFF;
            if (glp_simplex(L->P, &sp) == 0 && glp_get_status(L->P) == GLP_OPT) {
                double cost = 0;
                int ok = eng_rens(T, L, &run, h, row, v, &cost) == 0;
                soft += ok;
                held += ok && rows_hold(L, v, 1e-5, &worst); /* the score row included */
                cheaper += ok && cost < hcost - 1e-6;
                stage2++;
            }
        } else {
            CHECK(0);
        }
        free(lp); free(v); free(h);
        root_free(&r);
    }
    CHECK(tried >= 10);
    CHECK(found >= tried - 2); /* a neighbourhood may hold no plan; nearly all do here */
    CHECK(feasible == found && inside == found && capped == found && proven >= 3);
    CHECK(kept == tried);
    CHECK(improved >= 1);
    CHECK(stage2 == tried && held == soft && soft >= stage2 / 2 && cheaper >= 1);
    fprintf(stderr, "rens: stage 2 with the soft score row: %d plans of %d, %d cheaper\n", soft, stage2, cheaper);
    fprintf(stderr, "rens: %d models, plan on %d (%d checked against a proven optimum), heuristic plan bettered on %d\n",
            tried, found, proven, improved);
}

/* Column j's bounds, and setting them back. */
typedef struct col_box { int type; double lb, ub; } col_box;

static col_box box_of(glp_prob *P, int j)
{
    return (col_box){ glp_get_col_type(P, j), glp_get_col_lb(P, j), glp_get_col_ub(P, j) };
}

static void set_box(glp_prob *P, int j, col_box b)
{
    glp_set_col_bnds(P, j, b.type, b.lb, b.ub);
}

/* One step beyond column j's new bounds `now`, every column's old bounds
 * `was` otherwise: 1 when P's LP then misses the limit (no solution, or
 * an objective worse than lim in P's direction). P is not changed. */
static int lp_misses(glp_prob *P, const col_box *was, int j, col_box now, double lim)
{
    int n = glp_get_num_cols(P), max = glp_get_obj_dir(P) == GLP_MAX;
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    for (int k = 1; k <= n; k++) set_box(Q, k, was[k]);
    if (now.ub < was[j].ub)
        glp_set_col_bnds(Q, j, GLP_LO, now.ub + 1, 0);
    else
        glp_set_col_bnds(Q, j, GLP_UP, 0, now.lb - 1);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    int rc = glp_simplex(Q, &sp), st = glp_get_status(Q);
    double obj = glp_get_obj_val(Q);
    glp_delete_prob(Q);
    return rc == 0 && (st == GLP_NOFEAS || (st == GLP_OPT && (max ? obj < lim : obj > lim)));
}

/* The bounds that eng_rcfix_apply left on P (the old ones in was, the new
 * ones go to now): each changed column is an integer one with plan
 * inside; every seventh is probed with lp_misses (60 at most, counted in
 * *probed, those that miss in *beyond). Returns the number changed, or
 * -1 when a changed column is continuous or the plan lies outside it (one
 * check for the caller however many columns changed: how many do depends on
 * the limit, which depends on how far GLPK got in its time). */
static int check_bounds(glp_prob *P, const col_box *was, col_box *now, const double *plan, double lim,
                        int *probed, int *beyond)
{
    int changed = 0, bad = 0;
    for (int j = 1; j <= glp_get_num_cols(P); j++) {
        now[j] = box_of(P, j);
        if (now[j].lb == was[j].lb && now[j].ub == was[j].ub) continue;
        changed++;
        if (glp_get_col_kind(P, j) == GLP_CV || plan[j] < now[j].lb - 1e-6 || plan[j] > now[j].ub + 1e-6) {
            fprintf(stderr, "column %d: bounded though continuous, or the plan (%g) outside [%g, %g]\n",
                    j, plan[j], now[j].lb, now[j].ub);
            bad = 1;
        }
        if (changed % 7 != 1 || *probed >= 60) continue; /* a sample: each probe is an LP */
        (*probed)++;
        *beyond += lp_misses(P, was, j, now[j], lim);
    }
    return bad ? -1 : changed;
}

/* Reduced costs bounding the next stage's columns (rcfix.c) on seeded
 * models. Stage 2's case: stage 1's LP relaxation, the limit at GLPK's
 * proven best score S1 (less solve.c's tolerance; the rounding
 * heuristic's score where GLPK takes longer than 0.5 s). Each bound set is
 * checked on the LP: one step beyond it, the LP's best score is below the
 * limit. GLPK's least cost at that score (stage 2) is the same with and
 * without the bounds. A plan that would leave them is refused and P left
 * as it was. Stage 3's case: stage 2's LP relaxation, the limit at GLPK's
 * least cost; one step beyond each bound the LP's least cost is above it,
 * and nothing is bounded when the LP was taken with an incumbent at the
 * limit. */
static void test_rcfix(void)
{
    int tried = 0, optimal = 0, tightened = 0, probed = 0, beyond = 0, compared = 0, same = 0, refused = 0;
    int tried3 = 0, tightened3 = 0, probed3 = 0, beyond3 = 0, held3 = 0, right3 = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        lp_root r;
        if (!root_solve(&r, seed)) { root_free(&r); continue; }
        eng_lp *L = &r.L;
        glp_prob *P = L->P;
        int n = L->ncols;
        eng_rcfix c = { 0 };
        eng_rcfix_take(&c, P, NAN);
        CHECK(c.ok && c.dir == -1);
        double *plan = calloc((size_t)n + 1, sizeof *plan), s1 = 0;
        col_box *was = calloc((size_t)n + 1, sizeof *was), *now = calloc((size_t)n + 1, sizeof *now);
        if (!plan || !was || !now) { CHECK(0); goto next; }
        int best = glpk_solve(P, 2000, &s1, plan);
        optimal += best;
        if (!best && eng_heur_round(&r.T, L, P, 1, NULL, plan, &s1) != 0) { CHECK(0); goto next; }
        double lim = s1 - 1e-7 * fmax(1, s1);
        for (int j = 1; j <= n; j++) was[j] = box_of(P, j);
        int got = eng_rcfix_apply(&c, P, lim, plan);
        CHECK(got >= 0);
        tried++;
        tightened += got > 0;
        CHECK(check_bounds(P, was, now, plan, lim, &probed, &beyond) == got);
        /* refused: a plan one step beyond one of the new bounds */
        for (int j = 1; j <= n; j++) {
            if (now[j].lb == was[j].lb && now[j].ub == was[j].ub) continue;
            for (int k = 1; k <= n; k++) set_box(P, k, was[k]);
            double keep = plan[j];
            plan[j] = now[j].ub < was[j].ub ? now[j].ub + 1 : now[j].lb - 1;
            int back = eng_rcfix_apply(&c, P, lim, plan), still = 1;
            plan[j] = keep;
            for (int k = 1; k <= n; k++) {
                col_box b = box_of(P, k);
                still &= b.type == was[k].type && b.lb == was[k].lb && b.ub == was[k].ub;
            }
            refused += back == -1 && still;
            for (int k = 1; k <= n; k++) set_box(P, k, now[k]);
            break;
        }
        /* stage 2 with and without the new bounds (at the best score) */
        if (!best) goto next;
        if (eng_lp_add_limit(&r.T, L, ENG_OBJ_SCORE, lim) != 0) { CHECK(0); goto next; }
        eng_lp_objective(&r.T, L, ENG_OBJ_COST);
        double with = 0, without = 0;
        int a = glpk_optimum(P, 2000, &with);
        for (int k = 1; k <= n; k++) set_box(P, k, was[k]);
        int b = a && glpk_optimum(P, 2000, &without);
        if (a && b) {
            compared++;
            same += fabs(with - without) <= 1e-6 * fmax(1, fabs(without));
            if (fabs(with - without) > 1e-6 * fmax(1, fabs(without)))
                fprintf(stderr, "seed %u: stage 2 %.6f with the bounds, %.6f without\n", seed, with, without);
        }
        /* stage 3's case, from stage 2's LP relaxation and optimum */
        glp_smcp sp;
        glp_init_smcp(&sp);
        sp.msg_lev = GLP_MSG_OFF;
        double c2 = 0;
        if (!b || glp_simplex(P, &sp) != 0 || glp_get_status(P) != GLP_OPT) goto next;
        eng_rcfix_take(&c, P, NAN);
        if (!glpk_solve(P, 2000, &c2, plan)) goto next;
        double lim3 = c2 + 1e-7 * fmax(1, c2);
        /* how often this case is reached depends on GLPK's time: tallies,
         * checked once below, keep the check count the same everywhere */
        tried3++;
        int dir3 = c.ok && c.dir == 1;
        eng_rcfix_take(&c, P, lim3); /* GLPK's incumbent at the limit: nothing holds */
        int held = eng_rcfix_apply(&c, P, lim3, plan) == 0;
        held3 += held && check_bounds(P, was, now, plan, lim3, &probed3, &beyond3) == 0;
        eng_rcfix_take(&c, P, lim3 + 1); /* and above it */
        int got3 = eng_rcfix_apply(&c, P, lim3, plan);
        tightened3 += got3 > 0;
        right3 += dir3 && got3 >= 0 && check_bounds(P, was, now, plan, lim3, &probed3, &beyond3) == got3;
        for (int k = 1; k <= n; k++) set_box(P, k, was[k]);
    next:
        free(plan);
        free(was);
        free(now);
        eng_rcfix_free(&c);
        root_free(&r);
    }
    CHECK(tried >= 10 && optimal >= 5 && tightened >= tried / 2);
    CHECK(probed >= 20 && beyond == probed);
    CHECK(refused == tightened);
    CHECK(compared >= 4 && same == compared);
    CHECK(tried3 >= 4 && held3 == tried3 && right3 == tried3 && tightened3 >= 2 && probed3 >= 5 && beyond3 == probed3);
    fprintf(stderr, "rcfix: %d models (%d at the proven best score), bounds on %d, %d probed on the LP, "
            "stage 2 compared on %d; stage 3's case on %d, bounds on %d, %d probed\n",
            tried, optimal, tightened, probed, compared, tried3, tightened3, probed3);
}

int main(void)
{
    test_group_split();
    test_groups_built();
    test_pool_split();
    test_heuristic_feasible();
    test_trim();
    test_rens();
    test_rcfix();
    return CHECK_DONE();
}
