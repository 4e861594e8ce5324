/* tests/unit_engine_implied.c — the implied knapsack rows (engine/implied.c):
 * built for a donor that is the only payer of some seats and not over seats
 * another donor can pay; satisfied by plans of the model without them (a
 * hand-made one and GLPK's budget-tight ones on seeded models, pooled and
 * not); left out when switched off. With scenario paths as arguments
 * (tests/t_implied.sh) it solves each with the rows on and off and checks
 * the same proven optima: score, cost and seats. */
#include "unit_engine_lp.h"
#include "../inputs/inputs.h"
#include <unistd.h>

/* Rows of kind ENG_ROW_KNAP in L, their indexes into out (room for 64). */
static int knap_rows(const eng_lp *L, int *out)
{
    int n = 0;
    for (int i = 1; i <= L->ntags; i++)
        if (L->rtag[i].kind == ENG_ROW_KNAP && n < 64) out[n++] = i;
    return n;
}

/* Row i's activity at v. */
static double act(const eng_lp *L, int i, const double *v)
{
    int n = glp_get_num_cols(L->P);
    int *ind = malloc(((size_t)n + 1) * sizeof *ind);
    double *val = malloc(((size_t)n + 1) * sizeof *val), s = 0;
    if (!ind || !val) { free(ind); free(val); return NAN; }
    int len = glp_get_mat_row(L->P, i, ind, val);
    for (int q = 1; q <= len; q++) s += val[q] * v[ind[q]];
    free(ind);
    free(val);
    return s;
}

/* Two countries, two courses: AAA may be paid by dA only, BBB by dA and dB.
 * (With one course the pair's own bound, budget / cost, would already say
 * all a single-pair knapsack says, and the row is left out.) */
static void hand_model(md_model *m, double budget_a)
{
    static const double tiers[] = { 1.0, 1.0 };
    fx_init(m);
    fx_tiers(m, 1, tiers);
    fx_topic(m, "t");
    fx_country(m, "AAA", "Africa", 0, "en");
    fx_country(m, "BBB", "Africa", 0, "en");
    fx_need(m, "AAA", "t", 10, 1);
    fx_need(m, "BBB", "t", 10, 1);
    fx_course(m, "k1", "t", "en", 100, -1);
    fx_course(m, "k2", "t", "en", 150, -1);
    md_donor *a = fx_donor(m, "dA", budget_a, NULL);
    a->countries = fx_list(m, "AAA,BBB");
    md_donor *b = fx_donor(m, "dB", 1000, NULL);
    b->countries = fx_list(m, "BBB");
}

static void test_hand(void)
{
    md_model m;
    md_diag d;
    eng_tab T;
    eng_lp L;
    int r[64];
    md_diag_init(&d, NULL);
    hand_model(&m, 250);
    CHECK(md_validate(&m, &d) == 0);
    CHECK(eng_tab_build(&m, -1, &T, &d) == 0);
    T.implied = 1;
    CHECK(eng_lp_build(&T, NULL, &L, &d) == 0);
    int pa1 = eng_pair_index(&T, 0, 0), pa2 = eng_pair_index(&T, 0, 1);
    int pb1 = eng_pair_index(&T, 1, 0), pb2 = eng_pair_index(&T, 1, 1);
    CHECK(pa1 >= 0 && pa2 >= 0 && pb1 >= 0 && pb2 >= 0);
    int n = knap_rows(&L, r), solo = 0, both = 0;
    CHECK(n == 2); /* {dA} over AAA; {dA, dB} over both; no {dB} row (no seats only dB pays) */
    for (int i = 0; i < n; i++) {
        int ind[8];
        double val[8];
        int len = glp_get_mat_row(L.P, r[i], ind, val);
        double ub = glp_get_row_ub(L.P, r[i]);
        if (len == 2) { /* the seats only dA can pay, at their cost, within dA's budget */
            solo++;
            for (int q = 1; q <= 2; q++) {
                CHECK(ind[q] == L.xcol[pa1] || ind[q] == L.xcol[pa2]);
                CHECK(fabs(val[q] - (ind[q] == L.xcol[pa1] ? 100 : 150)) < 1e-9);
            }
            CHECK(fabs(ub - 250) < 1e-9);
        } else if (len == 4) {
            both++;
            CHECK(fabs(ub - 1250) < 1e-9);
        }
    }
    CHECK(solo == 1 && both == 1);
    /* a hand-made plan of the model: AAA one seat of each course (dA pays
     * 250), BBB 5 seats of k1 (dB pays 500); every row holds, the
     * knapsack rows too */
    double v[64] = { 0 };
    CHECK(L.ncols < 64);
    if (L.ncols < 64) {
        v[L.xcol[pa1]] = 1;
        v[L.xcol[pa2]] = 1;
        v[L.xcol[pb1]] = 5;
        for (int g = 0; g < T.ngroups; g++)
            for (int s = T.groups[g].gd_first; s < T.groups[g].gd_first + T.groups[g].gd_count; s++)
                v[L.fcol[s]] = T.groups[g].c == 0 ? 250 : T.gdon[s] == 1 ? 500 : 0;
        double worst;
        CHECK(rows_hold(&L, v, 0, &worst));
        for (int i = 0; i < n; i++) CHECK(act(&L, r[i], v) <= glp_get_row_ub(L.P, r[i]) + 1e-9);
        /* 2 seats of k1 in AAA: 350 > dA's 250; the seats alone break the row */
        v[L.xcol[pa1]] = 2;
        int cut = 0;
        for (int i = 0; i < n; i++) cut += act(&L, r[i], v) > glp_get_row_ub(L.P, r[i]) + 1e-9;
        CHECK(cut == 1);
    }
    /* the exported model names them after their donors */
    char path[] = "/tmp/unit_implied.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
        glp_term_out(GLP_OFF);
        CHECK(eng_lp_export(&T, &L, path) == 0);
        glp_term_out(GLP_ON);
        char line[512], names[600];
        int seen_a = 0, seen_ab = 0;
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof line, f)) {
            seen_a += strstr(line, " knap[dA]") != NULL;
            seen_ab += strstr(line, " knap[dA+dB]") != NULL;
        }
        if (f) fclose(f);
        CHECK(seen_a > 0 && seen_ab > 0);
        snprintf(names, sizeof names, "%s.names.csv", path);
        unlink(names);
        unlink(path);
    }
    eng_lp_free(&L);
    /* switched off: no such rows */
    T.implied = -1;
    CHECK(eng_lp_build(&T, NULL, &L, &d) == 0);
    CHECK(knap_rows(&L, r) == 0);
    eng_lp_free(&L);
    eng_tab_free(&T);
    md_model_free(&m);
    /* a budget no seat can exhaust: the row could never bind and is left out */
    md_diag_init(&d, NULL);
    hand_model(&m, 5000);
    CHECK(md_validate(&m, &d) == 0 && eng_tab_build(&m, -1, &T, &d) == 0);
    T.implied = 1;
    CHECK(eng_lp_build(&T, NULL, &L, &d) == 0);
    n = knap_rows(&L, r);
    for (int i = 0; i < n; i++) CHECK(glp_get_mat_row(L.P, r[i], NULL, NULL) != 2);
    eng_lp_free(&L);
    eng_tab_free(&T);
    md_model_free(&m);
}

/* Seeded models, pooled (odd seeds) and not: GLPK's plans that spend the
 * most money (every budget as tight as it gets) of the model without the
 * rows satisfy every knapsack row of the model with them. */
static void test_valid(void)
{
    int rows = 0, plans = 0, tight = 0;
    for (unsigned seed = 1; seed <= 8; seed++) {
        md_model m;
        md_diag d;
        eng_tab T;
        eng_lp L0, L1;
        md_diag_init(&d, NULL);
        fx_random(&m, seed, 12, 20, 4, 6);
        for (int k = 0; k < m.ndonors; k++) m.donors[k].budget *= 0.2; /* budgets that bind */
        if (md_validate(&m, &d) != 0 || eng_tab_build(&m, seed & 1 ? 1 : -1, &T, &d) != 0) {
            CHECK(0);
            md_model_free(&m);
            continue;
        }
        glp_term_out(GLP_OFF);
        T.implied = -1;
        int ok0 = eng_lp_build(&T, NULL, &L0, &d) == 0;
        T.implied = 1;
        int ok1 = eng_lp_build(&T, NULL, &L1, &d) == 0;
        CHECK(ok0 && ok1);
        if (ok0 && ok1) {
            CHECK(L0.ncols == L1.ncols);
            double *v = calloc((size_t)L0.ncols + 1, sizeof *v), opt;
            for (int which = 0; which < 2 && v; which++) {
                /* max cost of the seats; then max score */
                if (which == 0) {
                    eng_lp_objective(&T, &L0, ENG_OBJ_COST);
                    glp_set_obj_dir(L0.P, GLP_MAX);
                } else eng_lp_objective(&T, &L0, ENG_OBJ_SCORE);
                if (!glpk_solve(L0.P, 5000, &opt, v)) continue;
                plans++;
                for (int i = L0.nrows + 1; i <= L1.ntags; i++) {
                    double a = act(&L1, i, v), ub = glp_get_row_ub(L1.P, i);
                    rows += which == 0;
                    tight += a > ub - 1e-6 * ub;
                    CHECK(a <= ub * (1 + 1e-7) + 1e-6);
                }
            }
            free(v);
        }
        if (ok0) eng_lp_free(&L0);
        if (ok1) eng_lp_free(&L1);
        glp_term_out(GLP_ON);
        eng_tab_free(&T);
        md_model_free(&m);
    }
    printf("implied rows: %d rows, %d plans, %d rows tight at a plan\n", rows, plans, tight);
    CHECK(rows > 0 && plans >= 12);
}

/* Solves path with the rows on and off: every stage proven both ways and
 * the same score, cost and seats. */
static void same_optima(const char *path)
{
    eng_plan p[2];
    int ok[2];
    for (int i = 0; i < 2; i++) {
        md_model m;
        md_diag d;
        md_diag_init(&d, stderr);
        md_model_init(&m);
        eng_testing sw = { .implied = i ? -1 : 1 };
        eng_options opt = { .time_limit = 30, .mip_gap = -1, .testing = &sw };
        memset(&p[i], 0, sizeof p[i]);
        ok[i] = in_load(path, &m, &d) == 0 && eng_solve(&m, &opt, &p[i], &d) == 0;
        for (int s = 0; ok[i] && s < 3; s++) ok[i] = p[i].stage[s].status == ENG_OPTIMAL;
        printf("%s rows %s: %s, score %.6f cost %.2f seats %ld (%.2f s, stage-1 model %d rows)\n", path,
               i ? "off" : "on", ok[i] ? "proven" : "NOT proven", p[i].score, p[i].total_cost, p[i].seats,
               p[i].solve_seconds, p[i].rows);
        md_model_free(&m);
    }
    CHECK(ok[0] && ok[1]);
    CHECK(p[0].rows > p[1].rows); /* the rows were there, then not */
    CHECK(fabs(p[0].score - p[1].score) <= 1e-6 * fmax(1, fabs(p[0].score)));
    CHECK(fabs(p[0].total_cost - p[1].total_cost) <= 1e-6 * fmax(1, fabs(p[0].total_cost)));
    CHECK(p[0].seats == p[1].seats);
    eng_plan_free(&p[0]);
    eng_plan_free(&p[1]);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        for (int i = 1; i < argc; i++) same_optima(argv[i]);
    } else {
        test_hand();
        test_valid();
    }
    return CHECK_DONE();
}
