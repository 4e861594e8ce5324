/* engine/build.c — the GLPK model of the allocation problem (docs/formats.md) through the C API
 * (triplets + glp_load_matrix, O(nonzeros)). Rows that can never bind
 * (a cap above the sum of the column bounds) are left out. */
#include "eng_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct trip { int *ia, *ja; double *ar; int n, cap; } trip;

static int trip_add(trip *t, int i, int j, double v)
{
    if (t->n + 1 >= t->cap) { /* index 0 is unused (1-based arrays) */
        int ncap = t->cap ? t->cap * 2 : 1024;
        int *ia = eng_scratch_realloc(t->ia, (size_t)ncap * sizeof *ia);
        if (ia) t->ia = ia;
        int *ja = eng_scratch_realloc(t->ja, (size_t)ncap * sizeof *ja);
        if (ja) t->ja = ja;
        double *ar = eng_scratch_realloc(t->ar, (size_t)ncap * sizeof *ar);
        if (ar) t->ar = ar;
        if (!ia || !ja || !ar) return -1;
        t->cap = ncap;
    }
    t->n++;
    t->ia[t->n] = i;
    t->ja[t->n] = j;
    t->ar[t->n] = v;
    return 0;
}

static void trip_free(trip *t) { eng_scratch_free(t->ia); eng_scratch_free(t->ja); eng_scratch_free(t->ar); }

void eng_lp_free(eng_lp *L)
{
    if (L->P) glp_delete_prob(L->P);
    free(L->xcol); free(L->fcol); free(L->pcol); free(L->zcol); free(L->ocol); free(L->dcol);
    free(L->rtag); free(L->kprov);
    memset(L, 0, sizeof *L);
}

static void set_col(glp_prob *P, int j, double lo, double hi)
{
    if (hi <= lo) glp_set_col_bnds(P, j, GLP_FX, lo, lo);
    else glp_set_col_bnds(P, j, GLP_DB, lo, hi);
}

/* Adds columns; fills L->xcol/fcol/zcol/ocol. */
static int add_columns(const eng_tab *T, const unsigned char *active, eng_lp *L,
                       long *lb, double *flb)
{
    const md_model *m = T->m;
    glp_prob *P = L->P;
    for (int i = 0; i < m->ncommitments; i++) {
        if (active && !active[i]) continue;
        int p = T->cm_pair[i];
        lb[p] += m->commitments[i].seats;
        if (T->cm_gslot[i] >= 0)
            flb[T->cm_gslot[i]] += m->courses[T->pairs[p].k].cost_base * (double)m->commitments[i].seats;
    }
    int ncols = T->npairs + T->ngdon + T->npdon + (L->kprov ? 1 : 0);
    for (int n = 0; n < m->nneeds; n++)
        if (T->n_start[n + 1] > T->n_start[n]) ncols += m->set.ntiers;
    for (int k = 0; k < m->ncourses; k++)
        if (m->courses[k].min_seats > 0 && T->k_start[k + 1] > T->k_start[k]) ncols++;
    if (ncols > 0) glp_add_cols(P, ncols);
    int j = 0;
    for (int p = 0; p < T->npairs; p++) {
        const eng_pair *pp = &T->pairs[p];
        L->xcol[p] = ++j;
        glp_set_col_kind(P, j, GLP_IV);
        L->nints++;
        if (lb[p] > pp->ub) L->bound_conflict = 1;
        set_col(P, j, (double)lb[p], (double)(lb[p] > pp->ub ? lb[p] : pp->ub));
    }
    for (int c = 0; c < m->ncountries; c++) {
        double cmost = 0; /* what the country's paid seats can cost at most */
        for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++) {
            const eng_group *gg = &T->groups[g];
            double most = 0; /* the same for the group */
            for (int q = T->g_start[g]; q < T->g_start[g + 1]; q++)
                most += m->courses[T->pairs[T->g_list[q]].k].cost_base * (double)T->pairs[T->g_list[q]].ub;
            cmost += most;
            for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++) {
                double hi = eng_donor_cap(&m->donors[T->gdon[s]]);
                if (most < hi) hi = most;
                if (flb[s] > hi * (1 + 1e-9) + 1e-9) L->bound_conflict = 1;
                L->fcol[s] = ++j;
                set_col(P, j, flb[s], flb[s] > hi ? flb[s] : hi);
            }
        }
        for (int s = T->cp_first[c]; s < T->cp_first[c + 1]; s++) {
            double hi = eng_donor_cap(&m->donors[T->pdon[s]]);
            L->pcol[s] = ++j;
            set_col(P, j, 0, cmost < hi ? cmost : hi);
        }
    }
    for (int n = 0; n < m->nneeds; n++) {
        if (T->n_start[n + 1] == T->n_start[n]) continue;
        L->zcol[n] = j + 1;
        double prev = 0, seats = (double)m->needs[n].seats;
        for (int i = 0; i < m->set.ntiers; i++) {
            double f = m->set.tiers[i].frac;
            set_col(P, ++j, 0, (f - prev) * seats);
            prev = f;
        }
    }
    for (int k = 0; k < m->ncourses; k++) {
        if (!(m->courses[k].min_seats > 0 && T->k_start[k + 1] > T->k_start[k])) continue;
        L->ocol[k] = ++j;
        glp_set_col_kind(P, j, GLP_BV);
        L->nints++;
    }
    if (L->kprov) { /* the total spend, for the provider-share rows */
        double most = 0;
        for (int p = 0; p < T->npairs; p++) most += m->courses[T->pairs[p].k].cost_base * (double)T->pairs[p].ub;
        L->tcol = ++j;
        set_col(P, j, 0, most);
    }
    L->ncols = j;
    return 0;
}

/* Adds a row and notes what it is (L->rtag, for the names of an exported
 * model); 0 when out of memory. */
static int new_row(eng_lp *L, int type, double lo, double hi, int kind, int a, int b)
{
    if (L->ntags >= L->cap_tags) {
        int ncap = L->cap_tags ? L->cap_tags * 2 : 256;
        eng_rowtag *nt = realloc(L->rtag, ((size_t)ncap + 1) * sizeof *nt);
        if (!nt) return 0;
        L->rtag = nt;
        L->cap_tags = ncap;
    }
    int i = glp_add_rows(L->P, 1);
    glp_set_row_bnds(L->P, i, type, lo, hi);
    L->ntags = i;
    L->rtag[i] = (eng_rowtag){ .kind = kind, .a = a, .b = b };
    return i;
}

/* Group g's money less its seats' cost, into row r. */
static int add_group_terms(const eng_tab *T, const eng_lp *L, trip *t, int r, int g)
{
    const md_model *m = T->m;
    const eng_group *gg = &T->groups[g];
    for (int q = T->g_start[g]; q < T->g_start[g + 1]; q++) {
        int p = T->g_list[q];
        if (trip_add(t, r, L->xcol[p], -m->courses[T->pairs[p].k].cost_base)) return -1;
    }
    for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++)
        if (trip_add(t, r, L->fcol[s], 1.0)) return -1;
    return 0;
}

/* The provider-share cap: t - sum cost x = 0 makes the total spend t, and
 * each provider's spend is at most s * t (one row per provider with a paid
 * pair; a pair's column appears in two rows, not in one per provider). */
static int add_share_rows(const eng_tab *T, eng_lp *L, trip *t)
{
    const md_model *m = T->m;
    double s = m->set.max_provider_share;
    int r0 = new_row(L, GLP_FX, 0, 0, ENG_ROW_SPEND_TOTAL, 0, 0);
    int *prow = eng_scratch0((size_t)L->nprov + 1, sizeof *prow);
    if (!r0 || !prow || trip_add(t, r0, L->tcol, 1.0)) { eng_scratch_free(prow); return -1; }
    int rc = 0;
    for (int p = 0; p < T->npairs && !rc; p++) {
        int k = T->pairs[p].k, q = L->kprov[k];
        double cost = m->courses[k].cost_base;
        if (!(cost > 0)) continue;
        if (!prow[q]) {
            if (!(prow[q] = new_row(L, GLP_UP, 0, 0, ENG_ROW_PROVIDER_SHARE, k, 0)) ||
                trip_add(t, prow[q], L->tcol, -s)) { rc = -1; break; }
        }
        rc = trip_add(t, r0, L->xcol[p], -cost) || trip_add(t, prow[q], L->xcol[p], cost) ? -1 : 0;
    }
    eng_scratch_free(prow);
    return rc;
}

static int add_rows(const eng_tab *T, eng_lp *L, trip *t)
{
    const md_model *m = T->m;
    /* coverage: sum of tier pieces <= seats in courses covering the topic */
    for (int n = 0; n < m->nneeds; n++) {
        if (!L->zcol[n]) continue;
        int r = new_row(L, GLP_UP, 0, 0, ENG_ROW_COVER, n, 0);
        if (!r) return -1;
        for (int i = 0; i < m->set.ntiers; i++)
            if (trip_add(t, r, L->zcol[n] + i, 1.0)) return -1;
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++)
            if (trip_add(t, r, L->xcol[T->n_list[q]], -1.0)) return -1;
    }
    /* funding: each group's donors pay for its seats; in a country with
     * pools, at most that, and the country's money pays all its seats */
    for (int c = 0; c < m->ncountries; c++) {
        int pooled = T->cp_first[c + 1] > T->cp_first[c];
        for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++) {
            const eng_group *gg = &T->groups[g];
            if (pooled && gg->gd_count == 0) continue;
            int r = new_row(L, pooled ? GLP_UP : GLP_FX, 0, 0, ENG_ROW_FUND_GROUP, g, 0);
            if (!r || add_group_terms(T, L, t, r, g)) return -1;
        }
        if (!pooled) continue;
        int r = new_row(L, GLP_FX, 0, 0, ENG_ROW_FUND_COUNTRY, c, 0);
        if (!r) return -1;
        for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++)
            if (add_group_terms(T, L, t, r, g)) return -1;
        for (int s = T->cp_first[c]; s < T->cp_first[c + 1]; s++)
            if (trip_add(t, r, L->pcol[s], 1.0)) return -1;
    }
    /* donor budgets and per-country share caps (a cap row with a single
     * column repeats its bound; kept: without them GLPK's search on
     * 60x120x10 seed 2 took another path, stage 3 unproven in 24 s
     * instead of proven in 1.9 s) */
    int D = m->ndonors;
    int *brow = eng_scratch0((size_t)D + 1, sizeof *brow), *srow = eng_scratch0((size_t)D + 1, sizeof *srow);
    int *sc = eng_scratch(((size_t)D + 1) * sizeof *sc);
    if (!brow || !srow || !sc) { eng_scratch_free(brow); eng_scratch_free(srow); eng_scratch_free(sc); return -1; }
    for (int d = 0; d < D; d++) sc[d] = -1;
    int rc = 0;
    for (int c = 0; c < m->ncountries && !rc; c++) {
        for (int g = T->cg_first[c]; g <= T->cg_first[c + 1] && !rc; g++) { /* the groups, then the pool */
            int grp = g < T->cg_first[c + 1];
            int s0 = grp ? T->groups[g].gd_first : T->cp_first[c];
            int s1 = grp ? s0 + T->groups[g].gd_count : T->cp_first[c + 1];
            for (int s = s0; s < s1 && !rc; s++) {
                int d = grp ? T->gdon[s] : T->pdon[s], j = grp ? L->fcol[s] : L->pcol[s];
                const md_donor *dn = &m->donors[d];
                if (!brow[d] && !(brow[d] = new_row(L, GLP_UP, 0, dn->budget_base, ENG_ROW_BUDGET, d, 0))) {
                    rc = -1;
                    break;
                }
                rc = trip_add(t, brow[d], j, 1.0);
                if (rc || !(dn->max_share > 0 && dn->max_share < 1)) continue;
                if (sc[d] != c) {
                    sc[d] = c;
                    srow[d] = new_row(L, GLP_UP, 0, dn->max_share * dn->budget_base, ENG_ROW_SHARE, d, c);
                    if (!srow[d]) { rc = -1; break; }
                }
                rc = trip_add(t, srow[d], j, 1.0);
            }
        }
    }
    eng_scratch_free(brow); eng_scratch_free(srow); eng_scratch_free(sc);
    if (rc) return -1;
    /* course capacity and minimum cohorts */
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *ks = &m->courses[k];
        if (T->k_start[k + 1] == T->k_start[k]) continue;
        double sum = 0;
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) sum += (double)T->pairs[T->k_list[q]].ub;
        double U = (ks->seats >= 0 && (double)ks->seats < sum) ? (double)ks->seats : sum;
        int r1 = 0, r2 = 0;
        if (L->ocol[k]) {
            r1 = new_row(L, GLP_LO, 0, 0, ENG_ROW_COHORT_MIN, k, 0); /* sum x - min_seats*open >= 0 */
            r2 = r1 ? new_row(L, GLP_UP, 0, 0, ENG_ROW_COHORT_MAX, k, 0) : 0; /* sum x - U*open <= 0 */
            if (!r2 || trip_add(t, r1, L->ocol[k], -(double)ks->min_seats)
                || trip_add(t, r2, L->ocol[k], -U))
                return -1;
        } else if (ks->seats >= 0 && sum > (double)ks->seats) {
            if (!(r1 = new_row(L, GLP_UP, 0, (double)ks->seats, ENG_ROW_CAPACITY, k, 0))) return -1;
        }
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) {
            int x = L->xcol[T->k_list[q]];
            if ((r1 && trip_add(t, r1, x, 1.0)) || (r2 && trip_add(t, r2, x, 1.0))) return -1;
        }
    }
    if (L->tcol && add_share_rows(T, L, t)) return -1;
    /* country headcount and trainee hours */
    for (int c = 0; c < m->ncountries; c++) {
        const md_country *cs = &m->countries[c];
        double seats = 0, hours = 0;
        for (int p = T->c_first[c]; p < T->c_first[c + 1]; p++) {
            seats += (double)T->pairs[p].ub;
            hours += m->courses[T->pairs[p].k].hours * (double)T->pairs[p].ub;
        }
        int rh = 0, rt = 0;
        if (cs->max_trainees >= 0 && seats > (double)cs->max_trainees
            && !(rh = new_row(L, GLP_UP, 0, (double)cs->max_trainees, ENG_ROW_HEADCOUNT, c, 0)))
            return -1;
        if (cs->trainee_hours >= 0 && hours > cs->trainee_hours
            && !(rt = new_row(L, GLP_UP, 0, cs->trainee_hours, ENG_ROW_HOURS, c, 0)))
            return -1;
        for (int p = T->c_first[c]; p < T->c_first[c + 1]; p++) {
            double h = m->courses[T->pairs[p].k].hours;
            if (rh && trip_add(t, rh, L->xcol[p], 1.0)) return -1;
            if (rt && h > 0 && trip_add(t, rt, L->xcol[p], h)) return -1;
        }
    }
    return 0;
}

/* The implied knapsack rows (implied.c), after the matrix is loaded. */
static int add_implied(const eng_tab *T, eng_lp *L)
{
    eng_implied *it = eng_implied_new(T, L);
    if (!it) return -1;
    int n, g, rc = 0;
    double cap;
    const int *ind;
    const double *val;
    while (!rc && (n = eng_implied_next(it, &g, &cap, &ind, &val)) > 0) {
        int r = new_row(L, GLP_UP, 0, cap, ENG_ROW_KNAP, g, 0);
        if (r) glp_set_mat_row(L->P, r, n, ind, val);
        else rc = -1;
    }
    eng_implied_free(it);
    return rc;
}

int eng_lp_build(const eng_tab *T, const unsigned char *active, eng_lp *L, md_diag *d)
{
    const md_model *m = T->m;
    memset(L, 0, sizeof *L);
    trip t = { 0 };
    long *lb = eng_scratch0((size_t)T->npairs + 1, sizeof *lb);
    double *flb = eng_scratch0((size_t)T->ngdon + 1, sizeof *flb);
    L->xcol = calloc((size_t)T->npairs + 1, sizeof *L->xcol);
    L->fcol = calloc((size_t)T->ngdon + 1, sizeof *L->fcol);
    L->pcol = calloc((size_t)T->npdon + 1, sizeof *L->pcol);
    L->zcol = calloc((size_t)m->nneeds + 1, sizeof *L->zcol);
    L->ocol = calloc((size_t)m->ncourses + 1, sizeof *L->ocol);
    if (!lb || !flb || !L->xcol || !L->fcol || !L->pcol || !L->zcol || !L->ocol) goto oom;
    if (m->set.max_provider_share > 0 && m->set.max_provider_share < 1 && T->npairs > 0) {
        if (!(L->kprov = malloc(((size_t)m->ncourses + 1) * sizeof *L->kprov))) goto oom;
        if ((L->nprov = eng_providers(m, L->kprov)) < 0) goto oom;
    }
    L->P = glp_create_prob();
    glp_set_prob_name(L->P, "capmatch");
    if (add_columns(T, active, L, lb, flb) || add_rows(T, L, &t)) goto oom;
    if (t.n > 0) glp_load_matrix(L->P, t.n, t.ia, t.ja, t.ar);
    if (eng_implied_on(T) && add_implied(T, L)) goto oom;
    L->nrows = glp_get_num_rows(L->P);
    trip_free(&t);
    eng_scratch_free(lb);
    eng_scratch_free(flb);
    return 0;
oom:
    trip_free(&t);
    eng_scratch_free(lb);
    eng_scratch_free(flb);
    eng_lp_free(L);
    md_fail(d, MD_EX_SOFTWARE, "out of memory while building the allocation model");
    return MD_EX_SOFTWARE;
}

double eng_col_lb(glp_prob *P, int j)
{
    int t = glp_get_col_type(P, j);
    return t == GLP_FR || t == GLP_UP ? -INFINITY : glp_get_col_lb(P, j);
}

double eng_col_ub(glp_prob *P, int j)
{
    int t = glp_get_col_type(P, j);
    return t == GLP_FR || t == GLP_LO ? INFINITY : glp_get_col_ub(P, j);
}

void eng_column_countries(const eng_tab *T, const eng_lp *L, int *colc)
{
    const md_model *m = T->m;
    for (int j = 0; j <= L->ncols; j++) colc[j] = -1;
    for (int p = 0; p < T->npairs; p++) colc[L->xcol[p]] = T->pairs[p].c;
    for (int g = 0; g < T->ngroups; g++)
        for (int s = T->groups[g].gd_first; s < T->groups[g].gd_first + T->groups[g].gd_count; s++)
            colc[L->fcol[s]] = T->groups[g].c;
    for (int c = 0; c < m->ncountries; c++)
        for (int s = T->cp_first[c]; s < T->cp_first[c + 1]; s++) colc[L->pcol[s]] = c;
    for (int n = 0; n < m->nneeds; n++)
        if (L->zcol[n])
            for (int i = 0; i < m->set.ntiers; i++) colc[L->zcol[n] + i] = m->needs[n].c;
    for (int p = 0; L->dcol && p < T->npairs; p++)
        if (L->dcol[p]) colc[L->dcol[p]] = T->pairs[p].c;
}

void eng_lp_objective(const eng_tab *T, eng_lp *L, int which)
{
    const md_model *m = T->m;
    glp_prob *P = L->P;
    for (int j = 1; j <= L->ncols; j++) glp_set_obj_coef(P, j, 0.0);
    glp_set_obj_dir(P, which == ENG_OBJ_SCORE ? GLP_MAX : GLP_MIN);
    if (which == ENG_OBJ_SCORE) {
        for (int n = 0; n < m->nneeds; n++) {
            if (!L->zcol[n]) continue;
            double w = eng_weight(m, n);
            for (int i = 0; i < m->set.ntiers; i++)
                glp_set_obj_coef(P, L->zcol[n] + i, w * m->set.tiers[i].value);
        }
    } else if (which == ENG_OBJ_COST || which == ENG_OBJ_SEATS) {
        for (int p = 0; p < T->npairs; p++)
            glp_set_obj_coef(P, L->xcol[p],
                             which == ENG_OBJ_SEATS ? 1.0 : m->courses[T->pairs[p].k].cost_base);
    }
}

int eng_lp_add_limit(const eng_tab *T, eng_lp *L, int which, double bound)
{
    /* the row copies the current objective of that kind */
    glp_prob *P = L->P;
    int n = glp_get_num_cols(P), len = 0;
    int *ind = eng_scratch(((size_t)n + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)n + 1) * sizeof *val);
    if (!ind || !val) { eng_scratch_free(ind); eng_scratch_free(val); return -1; }
    eng_lp_objective(T, L, which);
    for (int j = 1; j <= n; j++) {
        double c = glp_get_obj_coef(P, j);
        if (c != 0) { len++; ind[len] = j; val[len] = c; }
    }
    int r = glp_add_rows(P, 1);
    if (which == ENG_OBJ_SCORE) glp_set_row_bnds(P, r, GLP_LO, bound, 0);
    else glp_set_row_bnds(P, r, GLP_UP, 0, bound);
    glp_set_mat_row(P, r, len, ind, val);
    L->nrows = r;
    eng_scratch_free(ind);
    eng_scratch_free(val);
    return 0;
}

int eng_scale_flags(const eng_lp *L)
{
    /* GLPK's geometric-mean passes took 21 s on a 2.1M-column model (0.3 s
     * at 150k); equilibration alone takes 4.7 s there, and the matrix is
     * tame (coefficient ratio ~4e3), so the biggest models get only that. */
    return L->ncols > ENG_CHEAP_SCALE_COLS ? GLP_SF_EQ | GLP_SF_2N : GLP_SF_AUTO;
}

