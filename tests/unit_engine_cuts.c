/* tests/unit_engine_cuts.c — our c-MIR cuts on the budget knapsacks
 * (engine/cuts.c): every cut holds at every integer point of the knapsack
 * it came from (random knapsacks, enumerated) and at every plan of a small
 * model (its integer columns enumerated, each point's continuous columns
 * checked by an LP), and is violated by the point it was separated from;
 * on seeded models GLPK's plans satisfy every cut. With scenario paths as
 * arguments (tests/t_cuts.sh) it solves each with the cuts forced on (from
 * the budget knapsacks; and from the model's rows too) and off and checks
 * the same proven optima (score, cost, seats), and with
 * "--score S path" that the cuts-on plan scores S and that the cuts-on runs
 * of those added cuts. */
#include "unit_engine_lp.h"
#include "../inputs/inputs.h"

typedef struct cutlist { int n, len[64]; int ind[64][64]; double val[64][64], rhs[64]; } cutlist;

/* An eng_cut_fn keeping up to 64 cuts of up to 63 columns. */
static int keep_cut(void *info, int len, const int *ind, const double *val, double rhs)
{
    cutlist *cl = info;
    if (cl->n >= 64 || len >= 64) return -1;
    cl->len[cl->n] = len;
    for (int q = 1; q <= len; q++) {
        cl->ind[cl->n][q] = ind[q];
        cl->val[cl->n][q] = val[q];
    }
    cl->rhs[cl->n++] = rhs;
    return 0;
}

static double cut_act(const cutlist *cl, int i, const double *v)
{
    double s = 0;
    for (int q = 1; q <= cl->len[i]; q++) s += cl->val[i][q] * v[cl->ind[i][q]];
    return s;
}

static unsigned rnd(unsigned *s) { *s = *s * 1103515245u + 12345u; return (*s >> 8) & 0xffffff; }

/* Random knapsacks sum a x <= b, l <= x <= u, n <= 5 (a fifth of them
 * with some a < 0): at random points of their LP (and at the LP's
 * vertices of random profits), every cut
 * eng_cuts_mir returns is violated there and holds at every integer point
 * of the knapsack (all enumerated). */
static void test_mir_brute(void)
{
    unsigned s = 2026;
    int cuts = 0, tries = 0, bad_valid = 0, bad_viol = 0;
    for (int inst = 0; inst < 3000; inst++) {
        int n = 2 + (int)(rnd(&s) % 4);
        double a[5], l[5], u[5], xs[5], coef[5], work[15], rhs, lo = 0, hi = 0;
        int comp[5];
        for (int j = 0; j < n; j++) {
            a[j] = rnd(&s) % 3 ? 1 + rnd(&s) % 40 : 0.5 + (rnd(&s) % 4000) / 97.0;
            if (inst % 5 == 4 && rnd(&s) % 2) a[j] = -a[j]; /* a row of the model turned around */
            l[j] = rnd(&s) % 4 == 0 ? 1 : 0;
            u[j] = l[j] + 1 + rnd(&s) % 3;
            lo += fmin(a[j] * l[j], a[j] * u[j]);
            hi += fmax(a[j] * l[j], a[j] * u[j]);
        }
        double b = lo + (hi - lo) * (0.1 + 0.8 * (rnd(&s) % 1000) / 1000.0);
        /* an LP point: a vertex for random profits (greedy, one column
         * fractional) or a random point of the box pulled inside the row */
        if (inst % 2 == 0 && inst % 5 != 4) {
            double p[5], room = b - lo;
            int order[5];
            for (int j = 0; j < n; j++) { p[j] = (1 + rnd(&s) % 100) / (a[j] + 1e-9); order[j] = j; xs[j] = l[j]; }
            for (int i = 0; i < n; i++)
                for (int k = i + 1; k < n; k++)
                    if (p[order[k]] > p[order[i]]) { int t = order[i]; order[i] = order[k]; order[k] = t; }
            for (int i = 0; i < n && room > 0; i++) {
                int j = order[i];
                double take = fmin(u[j] - l[j], room / a[j]);
                xs[j] += take;
                room -= take * a[j];
            }
        } else {
            double act = 0;
            for (int j = 0; j < n; j++) {
                xs[j] = l[j] + (u[j] - l[j]) * (rnd(&s) % 1001) / 1000.0;
                act += a[j] * xs[j];
            }
            if (act > b) /* towards the box's corner of least activity lo, onto the row */
                for (int j = 0; j < n; j++) {
                    double m = a[j] >= 0 ? l[j] : u[j];
                    xs[j] = m + (xs[j] - m) * (b - lo) / (act - lo);
                }
        }
        tries++;
        if (!(eng_cuts_mir(n, a, b, l, u, xs, work, comp, coef, &rhs) > 0)) continue;
        cuts++;
        double at = 0;
        for (int j = 0; j < n; j++) at += coef[j] * xs[j];
        bad_viol += !(at > rhs);
        /* every integer point of the box within the row */
        int x[5];
        for (int j = 0; j < n; j++) x[j] = (int)l[j];
        for (;;) {
            double w = 0, c = 0;
            for (int j = 0; j < n; j++) { w += a[j] * x[j]; c += coef[j] * x[j]; }
            if (w <= b && c > rhs + 1e-9) bad_valid++;
            int j = 0;
            while (j < n && x[j] == (int)u[j]) { x[j] = (int)l[j]; j++; }
            if (j == n) break;
            x[j]++;
        }
    }
    printf("c-MIR on random knapsacks: %d cuts from %d points; %d violated no point, %d cut off an integer point\n",
           cuts, tries, bad_viol, bad_valid);
    CHECK(cuts >= 300);
    CHECK(bad_viol == 0);
    CHECK(bad_valid == 0);
}

/* One country, five needs of 2 seats on five topics, each covered by one
 * course (costs 37, 53, 61, 29, 44; the second with a cohort of at least 2
 * seats), one donor with 150: a knapsack whose max-score LP is fractional. */
static void small_model(md_model *m)
{
    static const double tiers[] = { 1.0, 1.0 };
    static const double cost[] = { 37, 53, 61, 29, 44 };
    char t[8], k[8];
    fx_init(m);
    fx_tiers(m, 1, tiers);
    fx_country(m, "AAA", "Africa", 0, "en");
    for (int i = 0; i < 5; i++) {
        snprintf(t, sizeof t, "t%d", i);
        snprintf(k, sizeof k, "k%d", i);
        fx_topic(m, t);
        fx_need(m, "AAA", t, 2, 1 + 0.5 * i);
        md_course *c = fx_course(m, k, t, "en", cost[i], -1);
        if (i == 1) c->min_seats = 2;
    }
    fx_donor(m, "dA", 150, NULL);
}

/* 1 when the model's rows hold with its integer columns fixed at v (an LP
 * over the continuous ones); P is left as it was. */
static int feasible_at(glp_prob *P, const double *v)
{
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    for (int j = 1; j <= glp_get_num_cols(Q); j++)
        if (glp_get_col_kind(Q, j) != GLP_CV) glp_set_col_bnds(Q, j, GLP_FX, v[j], v[j]);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.presolve = GLP_ON;
    int ok = glp_simplex(Q, &sp) == 0 && glp_get_status(Q) == GLP_OPT;
    glp_delete_prob(Q);
    return ok;
}

static void test_model_brute(void)
{
    md_model m;
    md_diag d;
    eng_tab T;
    eng_lp L;
    md_diag_init(&d, NULL);
    small_model(&m);
    CHECK(md_validate(&m, &d) == 0);
    CHECK(eng_tab_build(&m, -1, &T, &d) == 0);
    glp_term_out(GLP_OFF);
    CHECK(eng_lp_build(&T, NULL, &L, &d) == 0);
    eng_lp_objective(&T, &L, ENG_OBJ_SCORE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    CHECK(glp_simplex(L.P, &sp) == 0 && glp_get_status(L.P) == GLP_OPT);
    int n = L.ncols;
    double v[64] = { 0 };
    CHECK(n < 64);
    if (n >= 64) n = 63;
    for (int j = 1; j <= n; j++) v[j] = glp_get_col_prim(L.P, j);
    eng_cuts *C = eng_cuts_new(&T, &L, 2);
    CHECK(C != NULL);
    cutlist cl = { 0 };
    if (C) {
        CHECK(eng_cuts_count(C, 0) >= 1); /* the donor's knapsack, the cohort rows */
        CHECK(eng_cuts_separate(C, v, keep_cut, &cl) == cl.n);
        eng_cuts_free(C);
    }
    CHECK(cl.n >= 1);
    for (int i = 0; i < cl.n; i++) CHECK(cut_act(&cl, i, v) > cl.rhs[i] + 1e-6);
    /* every integer point of the model: its integer columns enumerated,
     * each kept when an LP over the others finds the rows hold */
    int ints[64], ni = 0, plans = 0, cutoff = 0;
    for (int j = 1; j <= n; j++)
        if (glp_get_col_kind(L.P, j) != GLP_CV) { ints[ni++] = j; v[j] = glp_get_col_lb(L.P, j); }
    for (;;) {
        if (feasible_at(L.P, v)) {
            plans++;
            for (int i = 0; i < cl.n; i++) cutoff += cut_act(&cl, i, v) > cl.rhs[i] + 1e-9;
        }
        int i = 0;
        while (i < ni && v[ints[i]] >= glp_get_col_ub(L.P, ints[i])) { v[ints[i]] = glp_get_col_lb(L.P, ints[i]); i++; }
        if (i == ni) break;
        v[ints[i]] += 1;
    }
    printf("small model: %d cuts, %d integer points enumerated, %d of them cut off\n", cl.n, plans, cutoff);
    CHECK(plans > 30);
    CHECK(cutoff == 0);
    eng_lp_free(&L);
    glp_term_out(GLP_ON);
    eng_tab_free(&T);
    md_model_free(&m);
}

/* Seeded models, pooled (odd seeds) and not, budgets that bind: the cuts
 * at the max-score LP point are violated there, and GLPK's plans that
 * spend the most and score the most satisfy them. */
static void test_random_plans(void)
{
    int cuts = 0, plans = 0;
    for (unsigned seed = 1; seed <= 10; seed++) {
        md_model m;
        md_diag d;
        eng_tab T;
        eng_lp L;
        md_diag_init(&d, NULL);
        fx_random(&m, seed, 12, 20, 4, 6);
        for (int k = 0; k < m.ndonors; k++) m.donors[k].budget *= 0.2;
        if (md_validate(&m, &d) != 0 || eng_tab_build(&m, seed & 1 ? 1 : -1, &T, &d) != 0) {
            CHECK(0);
            md_model_free(&m);
            continue;
        }
        glp_term_out(GLP_OFF);
        if (eng_lp_build(&T, NULL, &L, &d) == 0) {
            double *v = calloc((size_t)L.ncols + 1, sizeof *v), opt;
            cutlist *cl = calloc(1, sizeof *cl);
            eng_cuts *C = eng_cuts_new(&T, &L, seed & 2 ? 2 : 1);
            eng_lp_objective(&T, &L, ENG_OBJ_SCORE);
            glp_smcp sp;
            glp_init_smcp(&sp);
            sp.msg_lev = GLP_MSG_OFF;
            if (v && cl && C && glp_simplex(L.P, &sp) == 0) {
                for (int j = 1; j <= L.ncols; j++) v[j] = glp_get_col_prim(L.P, j);
                (void)eng_cuts_separate(C, v, keep_cut, cl);
                for (int i = 0; i < cl->n; i++) CHECK(cut_act(cl, i, v) > cl->rhs[i] + 1e-6);
                cuts += cl->n;
                for (int which = 0; which < 2; which++) {
                    if (which == 0) {
                        eng_lp_objective(&T, &L, ENG_OBJ_COST);
                        glp_set_obj_dir(L.P, GLP_MAX);
                    } else eng_lp_objective(&T, &L, ENG_OBJ_SCORE);
                    if (!glpk_solve(L.P, 5000, &opt, v)) continue;
                    plans++;
                    for (int i = 0; i < cl->n; i++) {
                        double a = cut_act(cl, i, v);
                        CHECK(a <= cl->rhs[i] + 1e-6 * fmax(1, fabs(cl->rhs[i])));
                    }
                }
            } else CHECK(0);
            eng_cuts_free(C);
            free(cl);
            free(v);
            eng_lp_free(&L);
        } else CHECK(0);
        glp_term_out(GLP_ON);
        eng_tab_free(&T);
        md_model_free(&m);
    }
    printf("seeded models: %d cuts, %d GLPK plans checked against them\n", cuts, plans);
    CHECK(plans >= 15);
}

/* Cuts our search added in all stages, from the verbose log's "cuts:" lines. */
static int logged_cuts(const char *log)
{
    int total = 0, n;
    for (const char *p = strstr(log, "cuts: stage "); p; p = strstr(p + 1, "cuts: stage ")) {
        const char *q = strstr(p, "knapsacks, ");
        if (q && sscanf(q, "knapsacks, %d cuts", &n) == 1) total += n;
    }
    return total;
}

/* Cuts added with the cuts on, over every same_optima call. */
static int added_on;

/* Solves path with the cuts from the budget knapsacks, from those and the
 * model's rows, and none: every stage proven each way, the same score,
 * cost and seats, none added when off; want (unless NAN) the score to
 * reach. */
static void same_optima(const char *path, double want)
{
    static const int sw_of[3] = { 1, 2, -1 };
    static const char *name[3] = { "on", "rows", "off" };
    eng_plan p[3];
    int ok[3], added[3];
    for (int i = 0; i < 3; i++) {
        md_model m;
        md_diag d;
        char *log = NULL;
        size_t loglen = 0;
        FILE *lf = open_memstream(&log, &loglen);
        md_diag_init(&d, stderr);
        md_model_init(&m);
        eng_testing sw = { .cuts = sw_of[i] };
        eng_options opt = { .time_limit = 30, .mip_gap = -1, .testing = &sw, .verbose = 1, .log = lf };
        memset(&p[i], 0, sizeof p[i]);
        ok[i] = lf && in_load(path, &m, &d) == 0 && eng_solve(&m, &opt, &p[i], &d) == 0;
        for (int s = 0; ok[i] && s < 3; s++) ok[i] = p[i].stage[s].status == ENG_OPTIMAL;
        if (lf) fclose(lf);
        added[i] = log ? logged_cuts(log) : -1;
        free(log);
        printf("%s cuts %s: %s, score %.6f cost %.2f seats %ld (%.2f s, %d cuts added)\n", path, name[i],
               ok[i] ? "proven" : "NOT proven", p[i].score, p[i].total_cost, p[i].seats, p[i].solve_seconds,
               added[i]);
        md_model_free(&m);
    }
    CHECK(added[2] == 0);
    for (int i = 0; i < 2; i++) {
        CHECK(ok[i] && ok[2]);
        added_on += added[i] > 0 ? added[i] : 0;
        CHECK(fabs(p[i].score - p[2].score) <= 1e-6 * fmax(1, fabs(p[2].score)));
        CHECK(fabs(p[i].total_cost - p[2].total_cost) <= 1e-6 * fmax(1, fabs(p[2].total_cost)));
        CHECK(p[i].seats == p[2].seats);
        if (!isnan(want)) CHECK(fabs(p[i].score - want) <= 1e-6 * fmax(1, fabs(want)));
    }
    for (int i = 0; i < 3; i++) eng_plan_free(&p[i]);
}

/* The default (eng_tune.h): the budget knapsacks on small models, never on
 * big ones; the test switch overrides both ways. */
static void test_default(void)
{
    eng_lp small = { .nints = ENG_BIG_INTS }, big = { .nints = ENG_BIG_INTS + 1 };
    eng_testing on = { .cuts = 1 }, off = { .cuts = -1 };
    eng_options none = { 0 }, forced = { .testing = &on }, never = { .testing = &off };
    CHECK(eng_cuts_on(&none, &small) == ENG_CUTS_DEFAULT);
    CHECK(ENG_CUTS_DEFAULT == 1);
    CHECK(eng_cuts_on(&none, &big) == 0);
    CHECK(eng_cuts_on(&forced, &big) == 1);
    CHECK(eng_cuts_on(&never, &small) == 0);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        int knaps = 0;
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--score") == 0 && i + 2 < argc) {
                same_optima(argv[i + 2], atof(argv[i + 1]));
                i += 2;
                knaps++;
            } else same_optima(argv[i], NAN);
        }
        printf("cuts added with the cuts on: %d\n", added_on);
        if (knaps) CHECK(added_on > 0); /* the knapsacks give some: the runs did cut */
    } else {
        test_default();
        test_mir_brute();
        test_model_brute();
        test_random_plans();
    }
    return CHECK_DONE();
}
