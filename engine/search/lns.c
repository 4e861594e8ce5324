/* engine/search/lns.c — large-neighbourhood search (LNS) for the stages: the
 * plan is re-solved for a window of a few countries at a time, every
 * column of the other countries fixed at the plan's value and the
 * stage's limit rows enforced. Stage 2's "score >= S1" row leaves branch
 * and bound on the whole model with almost no plans to find, and RENS's
 * neighbourhood (LP roundings) is too narrow to move far; the sub-MIP of a
 * window of ten countries is small and GLPK finds its best plan in a
 * fraction of a second. Countries interact only through donors' budgets
 * and courses' capacity and cohorts: the fixed columns' share of those
 * rows moves into their bounds. */
#include "search.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* WINDOW countries per sub-MIP, at most NODES branch-and-bound nodes each,
 * and STALL windows in a row without a better plan (STALL_SHORT in the
 * max-score stage and before GLPK's search in stage 2) end the search unless
 * r->lns_endless (measured at 195x1000x40, below eng_lns). */
enum { WINDOW = 10, NODES = 500, STALL = 40, STALL_SHORT = 10 };

/* A window is drawn around: a country drawn at random (WIN_NEAR), one
 * where the plan loses against the LP (WIN_HOT), or a course whose seats
 * differ from the LP's (WIN_COURSE); see pick_window. */
enum { WIN_NEAR, WIN_HOT, WIN_COURSE };

typedef struct lns {
    const eng_tab *T;
    const eng_lp *L;
    const eng_bnds *b;          /* saved bounds (inside the search), or NULL: P's */
    glp_prob *Q;                /* the window's sub-MIP, rebuilt for each window */
    int ncols, nrows;
    /* P column-wise, read once: a window's sub-MIP is cut from it */
    int *cs, *cr;               /* [ncols + 2] starts, [nnz + 1] rows (from 1) */
    double *cv;                 /* [nnz + 1] */
    double *act;                /* [nrows + 1] row activity at the plan */
    double *wact;               /* [nrows + 1] the window's share of it */
    double *mag;                /* [nrows + 1] sum of a plan's terms' magnitudes (rows_hold) */
    int *rmap;                  /* [nrows + 1] row in Q, 0: not in Q */
    int *wrow, nr;              /* [nrows] P's rows in Q */
    int *wcol, nw;              /* [ncols] P's columns in Q */
    unsigned char *inw;         /* [ncols + 1]: column in the window */
    int *ind;                   /* [nrows + 2] one column's rows in Q */
    double *val;                /* [nrows + 2] its coefficients */
    int *cand, ncand;           /* countries with seat columns */
    int *colc;                  /* [ncols + 1]: country of a column, -1: none (cohorts) */
    double *loss;               /* [ncountries]: what the plan loses against P's LP point there */
    int *hot, nhot;             /* candidates where it loses */
    int *hotk, nhotk;           /* courses whose seats differ from P's LP point */
    unsigned char *win;         /* [ncountries]: in this window */
    unsigned seed;
    double *tie;                /* [ncountries]: how much a country shares with the window's first */
    unsigned char *kin, *din;   /* [ncourses], [ndonors]: used by the window's first country */
} lns;

/* P's row and column bounds: saved ones inside the search (r->st.bnds) */
static int row_type(const lns *s, int i) { return s->b ? s->b->rtype[i] : glp_get_row_type(s->L->P, i); }
static double row_lb(const lns *s, int i) { return s->b ? s->b->rlo[i] : glp_get_row_lb(s->L->P, i); }
static double row_ub(const lns *s, int i) { return s->b ? s->b->rhi[i] : glp_get_row_ub(s->L->P, i); }
static int col_type(const lns *s, int j) { return s->b ? s->b->ctype[j] : glp_get_col_type(s->L->P, j); }
static double col_lb(const lns *s, int j) { return s->b ? s->b->clo[j] : glp_get_col_lb(s->L->P, j); }
static double col_ub(const lns *s, int j) { return s->b ? s->b->chi[j] : glp_get_col_ub(s->L->P, j); }

static unsigned draw(lns *s, unsigned n)
{
    s->seed = s->seed * 1103515245u + 12345u; /* a fixed LCG: the same windows on every run */
    return (s->seed >> 8) % n;
}

/* Picks a window around one drawn country: the k - 1 countries that share
 * most of its courses (cohorts, capacity) and donors (budgets) in plan v,
 * ties broken by a draw. Measured at 195x1000x40 (stage 2, 40 s, 10
 * countries): these windows ended at 620,106 / 716,259 / 595,646 on seeds
 * 2 / 1 / 3, windows of countries drawn at random at 633,035 / 712,747 /
 * 598,088, the two alternating at 633,384 / 712,801 / 600,324.
 * A course window starts from the country that takes the drawn course
 * most (plan and LP together) and puts the other countries that take it
 * first: a course the LP opens and the plan does not needs its whole
 * cohort in one window (at 195x1000x40 seed 3 the plans at 588,216 and
 * 583,516 differ where Iceland, Bahrain, Greenland and the Isle of Man
 * share a free course that the first does not open). */
/* The country with the most seats in course k in plan v (plus P's LP
 * point when with_lp). */
static int top_taker(const lns *s, int k, const double *v, int with_lp)
{
    const eng_tab *T = s->T;
    int c = -1;
    double top = -1;
    for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) {
        int p = T->k_list[q], j = s->L->xcol[p];
        double w = v[j] + (with_lp ? glp_get_col_prim(s->L->P, j) : 0);
        if (w > top) { top = w; c = T->pairs[p].c; }
    }
    return c;
}

static void mark_uses(lns *s, int c, const double *v)
{
    const eng_tab *T = s->T;
    const eng_lp *L = s->L;
    for (int p = T->c_first[c]; p < T->c_first[c + 1]; p++)
        if (v[L->xcol[p]] > 0.5) s->kin[T->pairs[p].k] = 1;
    for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++)
        for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
            if (v[L->fcol[q]] > 1e-9) s->din[T->gdon[q]] = 1;
    for (int q = T->cp_first[c]; q < T->cp_first[c + 1]; q++)
        if (v[L->pcol[q]] > 1e-9) s->din[T->pdon[q]] = 1;
}

/* Fills the window (s->win, its first countries set, their courses and
 * donors in s->kin and s->din) up to k countries with those that share
 * most of them in plan v, and the takers of course k0 (or -1) first. */
static void fill_window(lns *s, int k, const double *v, int k0)
{
    const eng_tab *T = s->T;
    const eng_lp *L = s->L;
    const md_model *m = T->m;
    for (int i = 0; i < s->ncand; i++) s->tie[s->cand[i]] = draw(s, 1024) / 1024.0; /* < 1: a tie-break only */
    for (int p = 0; p < T->npairs; p++)
        if (s->kin[T->pairs[p].k] && v[L->xcol[p]] > 0.5) s->tie[T->pairs[p].c] += 1;
    for (int g = 0; g < T->ngroups; g++)
        for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
            if (s->din[T->gdon[q]] && v[L->fcol[q]] > 1e-9) s->tie[T->groups[g].c] += 1;
    for (int c = 0; c < m->ncountries; c++)
        for (int q = T->cp_first[c]; q < T->cp_first[c + 1]; q++)
            if (s->din[T->pdon[q]] && v[L->pcol[q]] > 1e-9) s->tie[c] += 1;
    if (k0 >= 0)
        for (int q = T->k_start[k0]; q < T->k_start[k0 + 1]; q++) {
            int p = T->k_list[q], j = L->xcol[p];
            double w = v[j] + glp_get_col_prim(L->P, j);
            if (w > 1e-9) s->tie[T->pairs[p].c] += 1000 + w;
        }
    int have = 0;
    for (int i = 0; i < s->ncand; i++) have += s->win[s->cand[i]];
    for (int i = have; i < k && i < s->ncand; i++) { /* the k closest, by selection (k is small) */
        int b = -1;
        for (int j = 0; j < s->ncand; j++)
            if (!s->win[s->cand[j]] && (b < 0 || s->tie[s->cand[j]] > s->tie[b])) b = s->cand[j];
        s->win[b] = 1;
    }
}

/* Countries in a window: WINDOW, a quarter of them on small models (a
 * window stays a small part of the model). */
static int window_size(const lns *s)
{
    return s->ncand / 4 < WINDOW ? s->ncand / 4 : WINDOW;
}

static void pick_window(lns *s, int k, const double *v, int mode)
{
    const eng_tab *T = s->T;
    const md_model *m = T->m;
    int c0 = mode == WIN_HOT ? s->hot[draw(s, (unsigned)s->nhot)] : s->cand[draw(s, (unsigned)s->ncand)];
    int k0 = -1;
    if (mode == WIN_COURSE) { /* the countries that take the course, in the plan or the LP, come first */
        k0 = s->hotk[draw(s, (unsigned)s->nhotk)];
        int c = top_taker(s, k0, v, 1);
        if (c >= 0) c0 = c;
    }
    memset(s->kin, 0, (size_t)m->ncourses);
    memset(s->din, 0, (size_t)m->ndonors);
    mark_uses(s, c0, v);
    for (int i = 0; i < s->ncand; i++) s->win[s->cand[i]] = 0;
    s->win[c0] = 1;
    fill_window(s, k, v, k0);
}

/* The countries where plan v does worse than P's LP point (the stage's
 * bound): windows drawn around them find the missing part first. */
static void find_hot(lns *s, const double *v, double obj)
{
    glp_prob *P = s->L->P;
    double sign = glp_get_obj_dir(P) == GLP_MAX ? 1 : -1, tol = 1e-9 * fmax(1.0, fabs(obj));
    for (int i = 0; i < s->ncand; i++) s->loss[s->cand[i]] = 0;
    for (int j = 1; j <= s->ncols; j++) {
        double c = glp_get_obj_coef(P, j);
        if (c != 0 && s->colc[j] >= 0) s->loss[s->colc[j]] += sign * c * (glp_get_col_prim(P, j) - v[j]);
    }
    s->nhot = 0;
    for (int i = 0; i < s->ncand; i++)
        if (s->loss[s->cand[i]] > tol) s->hot[s->nhot++] = s->cand[i];
    const eng_tab *T = s->T;
    s->nhotk = 0;
    for (int k = 0; k < T->m->ncourses; k++) {
        double d = 0;
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) {
            int j = s->L->xcol[T->k_list[q]];
            d += glp_get_col_prim(P, j) - v[j];
        }
        if (fabs(d) > 0.5) s->hotk[s->nhotk++] = k;
    }
}

/* Row activities of P at plan v. */
static void activity_into(const lns *s, const double *v, double *a)
{
    memset(a, 0, ((size_t)s->nrows + 1) * sizeof *a);
    for (int j = 1; j <= s->ncols; j++)
        if (v[j] != 0)
            for (int q = s->cs[j]; q < s->cs[j + 1]; q++) a[s->cr[q]] += s->cv[q] * v[j];
}

static void activity(lns *s, const double *v)
{
    activity_into(s, v, s->act);
}

static void add_col(lns *s, int j)
{
    if (j && !s->inw[j]) {
        s->inw[j] = 1;
        s->wcol[s->nw++] = j;
    }
}

/* Builds Q: the window's columns (seats, money and coverage of its
 * countries, the cohort columns of their courses) and the rows they touch,
 * each row's bounds less what the fixed columns of plan v put in it. */
static void build_window(lns *s, const double *v)
{
    const eng_tab *T = s->T;
    const eng_lp *L = s->L;
    const md_model *m = T->m;
    glp_prob *P = L->P;
    s->nw = s->nr = 0;
    for (int c = 0; c < m->ncountries; c++) {
        if (!s->win[c]) continue;
        for (int p = T->c_first[c]; p < T->c_first[c + 1]; p++) {
            add_col(s, L->xcol[p]);
            add_col(s, L->ocol[T->pairs[p].k]);
            if (L->dcol) add_col(s, L->dcol[p]); /* stage 4's churn */
        }
        for (int g = T->cg_first[c]; g < T->cg_first[c + 1]; g++)
            for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
                add_col(s, L->fcol[q]);
        for (int q = T->cp_first[c]; q < T->cp_first[c + 1]; q++) add_col(s, L->pcol[q]);
    }
    for (int n = 0; n < m->nneeds; n++)
        if (L->zcol[n] && s->win[m->needs[n].c])
            for (int i = 0; i < m->set.ntiers; i++) add_col(s, L->zcol[n] + i);
    add_col(s, L->tcol); /* the total spend moves with the window's seats (provider-share cap) */
    for (int t = 0; t < s->nw; t++) {
        int j = s->wcol[t];
        for (int q = s->cs[j]; q < s->cs[j + 1]; q++) {
            int i = s->cr[q];
            if (!s->rmap[i]) {
                s->wrow[s->nr++] = i;
                s->rmap[i] = s->nr;
                s->wact[i] = 0;
            }
            s->wact[i] += s->cv[q] * v[j];
        }
    }
    glp_erase_prob(s->Q);
    glp_set_obj_dir(s->Q, glp_get_obj_dir(P));
    if (s->nr > 0) glp_add_rows(s->Q, s->nr);
    if (s->nw > 0) glp_add_cols(s->Q, s->nw);
    for (int r = 0; r < s->nr; r++) {
        int i = s->wrow[r];
        double fixed = s->act[i] - s->wact[i];
        glp_set_row_bnds(s->Q, r + 1, row_type(s, i), row_lb(s, i) - fixed, row_ub(s, i) - fixed);
    }
    for (int t = 0; t < s->nw; t++) {
        int j = s->wcol[t], len = 0;
        glp_set_col_kind(s->Q, t + 1, glp_get_col_kind(P, j) == GLP_CV ? GLP_CV : GLP_IV);
        glp_set_col_bnds(s->Q, t + 1, col_type(s, j), col_lb(s, j), col_ub(s, j));
        glp_set_obj_coef(s->Q, t + 1, glp_get_obj_coef(P, j));
        for (int q = s->cs[j]; q < s->cs[j + 1]; q++) {
            s->ind[++len] = s->rmap[s->cr[q]];
            s->val[len] = s->cv[q];
        }
        if (len > 0) glp_set_mat_col(s->Q, t + 1, len, s->ind, s->val);
    }
    for (int r = 0; r < s->nr; r++) s->rmap[s->wrow[r]] = 0;
    for (int t = 0; t < s->nw; t++) s->inw[s->wcol[t]] = 0;
}

/* Plan out from Q's solution: the window's columns, seats rounded. */
static void read_window(lns *s, double *out)
{
    glp_prob *P = s->L->P;
    for (int t = 0; t < s->nw; t++) {
        int j = s->wcol[t];
        double v = glp_mip_col_val(s->Q, t + 1);
        out[j] = glp_get_col_kind(P, j) == GLP_CV ? v : floor(v + 0.5);
    }
}

/* 1 when rows from..nrows of P hold at plan v (tol relative). */
static int rows_hold(lns *s, int from, const double *v, double tol)
{
    if (from > s->nrows) return 1;
    double *a = s->wact; /* free between windows */
    activity_into(s, v, a);
    for (int i = from; i <= s->nrows; i++)
        if (!eng_row_holds(row_type(s, i), row_lb(s, i), row_ub(s, i), a[i], tol)) return 0;
    return 1;
}

/* 1 when rows 1..from-1 of P (all but the limit rows) hold at plan v to
 * eng_row_near's slack: a window's sub-MIP, like RENS's, is checked, not
 * trusted (sub.c, eng_plan_keeps_rows). */
static int other_rows_near(lns *s, int from, const double *v)
{
    double *a = s->wact, *g = s->mag;
    memset(a, 0, ((size_t)s->nrows + 1) * sizeof *a);
    memset(g, 0, ((size_t)s->nrows + 1) * sizeof *g);
    for (int j = 1; j <= s->ncols; j++)
        if (v[j] != 0)
            for (int q = s->cs[j]; q < s->cs[j + 1]; q++) {
                a[s->cr[q]] += s->cv[q] * v[j];
                g[s->cr[q]] += fabs(s->cv[q] * v[j]);
            }
    for (int i = 1; i < from && i <= s->nrows; i++)
        if (!eng_row_near(row_type(s, i), row_lb(s, i), row_ub(s, i), a[i], g[i])) return 0;
    return 1;
}

/* Solves the current window. 1 when it found a plan (in out, objective in
 * *got) that keeps the limit rows and beats obj; 0 otherwise. The caller
 * takes *got only once it keeps the plan: eng_lns_complete checks more rows
 * first, and its *obj is the search's r->st.sub_obj, which must stay the
 * objective of r->cfg.sub_best. */
static int solve_window(lns *s, eng_run *r, const double *best, double *out, double obj, double *got)
{
    glp_prob *P = s->L->P;
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    ip.mip_gap = 0;
    ip.mir_cuts = GLP_ON;
    ip.tm_lim = eng_tm_lim(r->st.sub_deadline, 1, ENG_TM_ANY, NULL);
    ip.cb_func = eng_sub_callback;
    ip.cb_info = r;
    r->st.sub_nodes = NODES;
    int irc = glp_intopt(s->Q, &ip), st = glp_mip_status(s->Q);
    r->st.sub_nodes = 0;
    if (!((irc == 0 || irc == GLP_ETMLIM || irc == GLP_ESTOP || irc == GLP_EMIPGAP) &&
          (st == GLP_OPT || st == GLP_FEAS)))
        return 0;
    int ncols = s->L->ncols;
    memcpy(out, best, ((size_t)ncols + 1) * sizeof *out);
    read_window(s, out);
    eng_fill_z(s->T, s->L, P, out); /* the coverage the rounded seats earn */
    double o = eng_objective_of(P, out);
    int maximize = glp_get_obj_dir(P) == GLP_MAX;
    double step = 1e-9 * fmax(1.0, fabs(obj));
    if (!(maximize ? o > obj + step : o < obj - step)) return 0;
    if (!rows_hold(s, r->cfg.lns_from, out, 1e-9) || !other_rows_near(s, r->cfg.lns_from, out)) return 0;
    *got = o;
    return 1;
}



/* Reads P column-wise and allocates the work space of s; 0, or -1 when
 * out of memory (lns_close frees what was allocated). */
static int lns_open(lns *s, const eng_tab *T, const eng_lp *L, eng_run *r)
{
    const md_model *m = T->m;
    size_t n1 = (size_t)L->ncols + 1;
    glp_prob *P = L->P;
    /* inside the search P also holds GLPK's cuts, after its own rows */
    int nrows = r->st.bnds ? r->st.bnds->nrows : glp_get_num_rows(P), nnz = glp_get_num_nz(P);
    size_t r1 = (size_t)nrows + 1, z1 = (size_t)nnz + 1;
    *s = (lns){ .T = T, .L = L, .b = r->st.bnds, .ncols = L->ncols, .nrows = nrows, .seed = r->st.lns_seed };
    s->cs = eng_scratch((n1 + 1) * sizeof *s->cs);
    s->cr = eng_scratch(z1 * sizeof *s->cr);
    s->cv = eng_scratch(z1 * sizeof *s->cv);
    s->act = eng_scratch(r1 * sizeof *s->act);
    s->wact = eng_scratch(r1 * sizeof *s->wact);
    s->mag = eng_scratch(r1 * sizeof *s->mag);
    s->rmap = eng_scratch0(r1, sizeof *s->rmap);
    s->wrow = eng_scratch(r1 * sizeof *s->wrow);
    s->wcol = eng_scratch(n1 * sizeof *s->wcol);
    s->inw = eng_scratch0(n1, 1);
    s->ind = eng_scratch((r1 + 1) * sizeof *s->ind);
    s->val = eng_scratch((r1 + 1) * sizeof *s->val);
    s->cand = eng_scratch(((size_t)m->ncountries + 1) * sizeof *s->cand);
    s->hot = eng_scratch(((size_t)m->ncountries + 1) * sizeof *s->hot);
    s->hotk = eng_scratch(((size_t)m->ncourses + 1) * sizeof *s->hotk);
    s->loss = eng_scratch(((size_t)m->ncountries + 1) * sizeof *s->loss);
    s->colc = eng_scratch(n1 * sizeof *s->colc);
    s->win = eng_scratch0((size_t)m->ncountries + 1, 1);
    s->tie = eng_scratch(((size_t)m->ncountries + 1) * sizeof *s->tie);
    s->kin = eng_scratch((size_t)m->ncourses + 1);
    s->din = eng_scratch((size_t)m->ndonors + 1);
    if (!s->cs || !s->cr || !s->cv || !s->act || !s->wact || !s->mag || !s->rmap || !s->wrow || !s->wcol || !s->inw ||
        !s->ind || !s->val || !s->cand || !s->hot || !s->hotk || !s->loss || !s->colc || !s->win || !s->tie ||
        !s->kin || !s->din || !(s->Q = glp_create_prob()))
        return -1;
    for (int c = 0; c < m->ncountries; c++)
        if (T->c_first[c + 1] > T->c_first[c]) s->cand[s->ncand++] = c;
    s->cs[1] = 1; /* slots 1..nnz, as glp_get_mat_col fills its arrays from 1 */
    for (int j = 1; j <= s->ncols; j++) {
        int len = glp_get_mat_col(P, j, s->cr + s->cs[j] - 1, s->cv + s->cs[j] - 1), kept = 0;
        for (int q = s->cs[j]; q < s->cs[j] + len; q++) /* P's own rows only */
            if (s->cr[q] <= nrows) {
                s->cr[s->cs[j] + kept] = s->cr[q];
                s->cv[s->cs[j] + kept++] = s->cv[q];
            }
        s->cs[j + 1] = s->cs[j] + kept;
    }
    eng_column_countries(T, L, s->colc);
    return 0;
}

static void lns_close(lns *s, eng_run *r)
{
    r->st.lns_seed = s->seed;
    if (s->Q) glp_delete_prob(s->Q);
    eng_scratch_free(s->cs); eng_scratch_free(s->cr); eng_scratch_free(s->cv); eng_scratch_free(s->act); eng_scratch_free(s->wact); eng_scratch_free(s->mag); eng_scratch_free(s->rmap); eng_scratch_free(s->wrow);
    eng_scratch_free(s->wcol); eng_scratch_free(s->inw); eng_scratch_free(s->ind); eng_scratch_free(s->val);
    eng_scratch_free(s->cand); eng_scratch_free(s->hot); eng_scratch_free(s->hotk); eng_scratch_free(s->loss); eng_scratch_free(s->colc); eng_scratch_free(s->win); eng_scratch_free(s->tie);
    eng_scratch_free(s->kin); eng_scratch_free(s->din);
}

/* The window's size, measured at 195x1000x40 seed 2 (stage 2, from
 * RENS's 634,005, countries drawn at random, 3 s per sub-MIP): 10
 * countries reached 626,100 after 11.5 s and nothing better in the next
 * 16 s; 20 reached the same plan after 27 s; 40 only 633,035 in 40 s
 * (their sub-MIPs ran out of time). */
int eng_lns(const eng_tab *T, const eng_lp *L, eng_run *r, double *best, double *obj)
{
    double t0 = eng_now();
    size_t n1 = (size_t)L->ncols + 1;
    glp_prob *P = L->P;
    lns s;
    double *out = eng_scratch0(n1, sizeof *out); /* out[0] is copied along, unused */
    int better = 0, rounds = 0, k = 0;
    if (lns_open(&s, T, L, r) != 0 || !out) {
        better = -1;
        goto done;
    }
    k = window_size(&s);
    if (k < 1) goto done;
    activity(&s, best);
    find_hot(&s, best, *obj);
    /* every other window is drawn around a country where the plan loses
     * against the LP point; a plan within the gap of it is proven */
    /* stage 1 (max score) stops sooner: where its plan falls short of the
     * LP, the windows around the countries that lose find it at once (3
     * windows at 195x1000x40 seed 1); elsewhere the LP bound is what is
     * off, and GLPK's search proves the plan (seed 3: 40 windows, 2.7 s,
     * for nothing). So does LNS before the search in stage 2: with the
     * search's cohort branching and node completions (runner.c), 10 idle
     * windows instead of 40 proved stage 2 on 4 of 6 seeds at 30 s instead
     * of 3 (seed 6 too), and seed 5 ended at 1,198,379 instead of 1,199,917
     * (two runs each); without that LNS, seed 5 ended at 1,212,726. Stage
     * 3's LNS keeps finding better plans (24-29 of 35-70 windows); with 10
     * there too, one run ended worse on seeds 2 and 3. Turns inside the
     * search end after TURN_WINDOWS windows (runner.c) or STALL. */
    int stall_max = glp_get_obj_dir(P) == GLP_MAX || (!r->st.bnds && r->cfg.stage == 2) ? STALL_SHORT : STALL;
    for (int stall = 0; (r->st.lns_endless || (stall < stall_max && (r->st.lns_windows <= 0 || rounds < r->st.lns_windows))) &&
                        eng_now() < r->st.sub_deadline &&
                        !(r->cfg.opt->stop && *r->cfg.opt->stop) && !eng_within_gap(r, *obj);
         rounds++) {
        int mode = WIN_NEAR;
        if (r->st.lns_courses) { /* hot, near, course windows in turn */
            int turn = rounds % 3;
            if (turn == 0 && s.nhot > 0) mode = WIN_HOT;
            else if (turn == 2 && s.nhotk > 0) mode = WIN_COURSE;
        } else if (rounds % 2 == 0 && s.nhot > 0) {
            mode = WIN_HOT;
        }
        pick_window(&s, k, best, mode);
        build_window(&s, best);
        double o;
        if (solve_window(&s, r, best, out, *obj, &o)) {
            *obj = o;
            memcpy(best, out, n1 * sizeof *best);
            activity(&s, best);
            find_hot(&s, best, *obj);
            r->st.sub_obj = *obj;
            better++;
            stall = 0;
        } else {
            stall++;
        }
    }
done:
    if (r->cfg.opt->verbose && r->cfg.opt->log)
        fprintf(r->cfg.opt->log, "LNS, stage %d: %d windows of %d countries, %d better plans, objective %.6f (%.1f s)\n",
                r->cfg.stage, rounds, k, better, *obj, eng_now() - t0);
    lns_close(&s, r);
    eng_scratch_free(out);
    return better;
}

/* The node's LP point in the search, once few of its integer columns are
 * fractional, rounded where integral and re-solved in a window around the
 * countries of the fractional ones: deep in GLPK's dives on stage 2 the
 * LP stays at its bound with one to three fractional seats for dozens of
 * nodes (195x1000x40 seed 1: 708,364 against a plan at 709,546), and the
 * plan next to it is what the search lacks. The plan keeps the node LP's
 * money outside the window, so P's rows are checked to 1e-6 (GLPK's own
 * plans carry its 1e-7 tolerance; the split re-solves the money). */
int eng_lns_complete(const eng_tab *T, const eng_lp *L, eng_run *r, double *best, double *obj)
{
    const md_model *m = T->m;
    size_t n1 = (size_t)L->ncols + 1;
    glp_prob *P = L->P;
    lns s;
    double *base = eng_scratch(n1 * sizeof *base), *out = eng_scratch0(n1, sizeof *out);
    int found = 0, nwin = 0;
    if (lns_open(&s, T, L, r) != 0 || !base || !out) {
        found = -1;
        goto done;
    }
    memset(s.kin, 0, (size_t)m->ncourses);
    memset(s.din, 0, (size_t)m->ndonors);
    base[0] = 0;
    for (int j = 1; j <= L->ncols; j++) {
        double v = glp_get_col_prim(P, j), w = floor(v + 0.5);
        base[j] = v;
        if (glp_get_col_kind(P, j) == GLP_CV) continue;
        if (fabs(v - w) <= 1e-6) { base[j] = w; continue; }
        if (s.colc[j] >= 0 && !s.win[s.colc[j]]) { s.win[s.colc[j]] = 1; nwin++; }
    }
    for (int k = 0; k < m->ncourses; k++) { /* a course opened in part: its biggest taker */
        int o = L->ocol[k], c = o && base[o] != 0 && base[o] != 1 ? top_taker(&s, k, base, 0) : -1;
        if (c >= 0 && !s.win[c]) { s.win[c] = 1; nwin++; }
    }
    if (nwin == 0 || nwin > 2 * WINDOW) goto done;
    for (int c = 0; c < m->ncountries; c++)
        if (s.win[c]) mark_uses(&s, c, base);
    fill_window(&s, window_size(&s), base, -1);
    activity(&s, base);
    build_window(&s, base);
    double o;
    if (solve_window(&s, r, base, out, *obj, &o) && rows_hold(&s, 1, out, 1e-6)) {
        *obj = o;
        memcpy(best, out, n1 * sizeof *best);
        r->st.sub_obj = *obj;
        found = 1;
    }
done:
    if (r->cfg.opt->verbose && r->cfg.opt->log && found)
        fprintf(r->cfg.opt->log, "LNS, stage %d: the node's LP completed in a window of %d countries, objective %.6f\n",
                r->cfg.stage, nwin, *obj);
    lns_close(&s, r);
    eng_scratch_free(base);
    eng_scratch_free(out);
    return found;
}
