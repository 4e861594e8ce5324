/* engine/lns.c — large-neighbourhood search (LNS) for the cost and seat
 * stages: the plan is re-solved for a window of a few countries at a time,
 * every column of the other countries fixed at the plan's value and the
 * stage's limit rows enforced. Stage 2's "score >= S1" row leaves branch
 * and bound on the whole model with almost no plans to find, and RENS's
 * neighbourhood (LP roundings) is too narrow to move far; on a window of
 * ten countries GLPK's presolved sub-MIP is small and finds the window's
 * best plan in a fraction of a second. Countries interact only through
 * donors' budgets and courses' capacity and cohorts, which the fixed
 * columns' share simply narrows. */
#include "eng_int.h"
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* WINDOW countries per sub-MIP, at most NODES branch-and-bound nodes each,
 * and STALL windows in a row without a better plan end the search
 * (measured at 195x1000x40, below eng_lns). */
enum { WINDOW = 10, NODES = 500, STALL = 40 };

typedef struct lns {
    const eng_tab *T;
    const eng_lp *L;
    glp_prob *Q;                /* the copy that the windows are cut from */
    double *lo, *hi;            /* [ncols + 1] P's column bounds */
    int *cand, ncand;           /* countries with seat columns */
    unsigned char *win;         /* [ncountries]: in this window */
    unsigned seed;
    double *tie;                /* [ncountries]: how much a country shares with the window's first */
    unsigned char *kin, *din;   /* [ncourses], [ndonors]: used by the window's first country */
} lns;

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
 * 598,088, the two alternating at 633,384 / 712,801 / 600,324. */
static void pick_window(lns *s, int k, const double *v)
{
    const eng_tab *T = s->T;
    const eng_lp *L = s->L;
    const md_model *m = T->m;
    int c0 = s->cand[draw(s, (unsigned)s->ncand)];
    memset(s->kin, 0, (size_t)m->ncourses);
    memset(s->din, 0, (size_t)m->ndonors);
    for (int p = T->c_first[c0]; p < T->c_first[c0 + 1]; p++)
        if (v[L->xcol[p]] > 0.5) s->kin[T->pairs[p].k] = 1;
    for (int g = 0; g < T->ngroups; g++)
        for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
            if (T->groups[g].c == c0 && v[L->fcol[q]] > 1e-9) s->din[T->gdon[q]] = 1;
    for (int i = 0; i < s->ncand; i++) s->tie[s->cand[i]] = draw(s, 1024) / 1024.0; /* < 1: a tie-break only */
    for (int p = 0; p < T->npairs; p++)
        if (s->kin[T->pairs[p].k] && v[L->xcol[p]] > 0.5) s->tie[T->pairs[p].c] += 1;
    for (int g = 0; g < T->ngroups; g++)
        for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
            if (s->din[T->gdon[q]] && v[L->fcol[q]] > 1e-9) s->tie[T->groups[g].c] += 1;
    s->tie[c0] = INFINITY;
    memset(s->win, 0, (size_t)m->ncountries);
    for (int i = 0; i < k && i < s->ncand; i++) { /* the k closest, by selection (k is small) */
        int b = -1;
        for (int j = 0; j < s->ncand; j++)
            if (!s->win[s->cand[j]] && (b < 0 || s->tie[s->cand[j]] > s->tie[b])) b = s->cand[j];
        s->win[b] = 1;
    }
}

/* Column j of Q: free within P's bounds in the window, else fixed at v. */
static void bound_col(lns *s, int j, int inside, const double *v)
{
    double lo = inside ? s->lo[j] : v[j], hi = inside ? s->hi[j] : v[j];
    glp_set_col_bnds(s->Q, j, hi > lo ? GLP_DB : GLP_FX, lo, hi);
}

/* Cuts the window's neighbourhood of plan v out of Q. Cohort columns stay
 * free: their rows see the fixed seats as constants. */
static void cut_window(lns *s, const double *v)
{
    const eng_tab *T = s->T;
    const eng_lp *L = s->L;
    const md_model *m = T->m;
    for (int p = 0; p < T->npairs; p++) bound_col(s, L->xcol[p], s->win[T->pairs[p].c], v);
    for (int g = 0; g < T->ngroups; g++)
        for (int q = T->groups[g].gd_first; q < T->groups[g].gd_first + T->groups[g].gd_count; q++)
            bound_col(s, L->fcol[q], s->win[T->groups[g].c], v);
    for (int n = 0; n < m->nneeds; n++)
        if (L->zcol[n])
            for (int i = 0; i < m->set.ntiers; i++) bound_col(s, L->zcol[n] + i, s->win[m->needs[n].c], v);
}

/* Solves the current window. 1 when it found a plan (in out) that keeps
 * the limit rows and beats *obj; 0 otherwise. */
static int solve_window(lns *s, eng_run *r, double *out, double *obj)
{
    glp_prob *P = s->L->P;
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON; /* drops the fixed columns: a few thousand remain */
    ip.mip_gap = 0;
    ip.mir_cuts = GLP_ON;
    double left = (r->sub_deadline - eng_now()) * 1000.0;
    ip.tm_lim = left < 1 ? 1 : left > INT_MAX ? INT_MAX : (int)left;
    ip.cb_func = eng_sub_callback;
    ip.cb_info = r;
    r->sub_nodes = NODES;
    int irc = glp_intopt(s->Q, &ip), st = glp_mip_status(s->Q);
    r->sub_nodes = 0;
    if (!((irc == 0 || irc == GLP_ETMLIM || irc == GLP_ESTOP || irc == GLP_EMIPGAP) &&
          (st == GLP_OPT || st == GLP_FEAS)))
        return 0;
    int ncols = s->L->ncols;
    for (int j = 1; j <= ncols; j++) {
        double v = glp_mip_col_val(s->Q, j);
        out[j] = glp_get_col_kind(P, j) == GLP_CV ? v : floor(v + 0.5);
    }
    eng_fill_z(s->T, s->L, P, out); /* the coverage the rounded seats earn */
    double o = glp_get_obj_coef(P, 0);
    for (int j = 1; j <= ncols; j++) o += glp_get_obj_coef(P, j) * out[j];
    int maximize = glp_get_obj_dir(P) == GLP_MAX;
    double step = 1e-9 * fmax(1.0, fabs(*obj));
    if (!(maximize ? o > *obj + step : o < *obj - step)) return 0;
    if (!eng_rows_hold(P, r->lns_from, glp_get_num_rows(P), out)) return 0;
    *obj = o;
    return 1;
}

/* The window's size, measured at 195x1000x40 seed 2 (stage 2, from
 * RENS's 634,005, countries drawn at random, 3 s per sub-MIP): 10
 * countries reached 626,100 after 11.5 s and nothing better in the next
 * 16 s; 20 reached the same plan after 27 s; 40 only 633,035 in 40 s
 * (their sub-MIPs ran out of time). */
int eng_lns(const eng_tab *T, const eng_lp *L, eng_run *r, double *best, double *obj)
{
    const md_model *m = T->m;
    double t0 = eng_now();
    size_t n1 = (size_t)L->ncols + 1;
    lns s = { .T = T, .L = L, .seed = 20261126u };
    s.lo = malloc(n1 * sizeof *s.lo);
    s.hi = malloc(n1 * sizeof *s.hi);
    s.cand = malloc(((size_t)m->ncountries + 1) * sizeof *s.cand);
    s.win = calloc((size_t)m->ncountries + 1, 1);
    s.tie = malloc(((size_t)m->ncountries + 1) * sizeof *s.tie);
    s.kin = malloc((size_t)m->ncourses + 1);
    s.din = malloc((size_t)m->ndonors + 1);
    double *out = calloc(n1, sizeof *out); /* out[0] is copied along, unused */
    int better = 0, rounds = 0, k = 0;
    if (!s.lo || !s.hi || !s.cand || !s.win || !s.tie || !s.kin || !s.din || !out) {
        better = -1;
        goto done;
    }
    for (int c = 0; c < m->ncountries; c++)
        if (T->c_first[c + 1] > T->c_first[c]) s.cand[s.ncand++] = c;
    k = s.ncand / 4 < WINDOW ? s.ncand / 4 : WINDOW; /* a window stays a small part of the model */
    if (k < 1) goto done;
    s.Q = glp_create_prob();
    glp_copy_prob(s.Q, L->P, GLP_OFF);
    for (int j = 1; j < (int)n1; j++) {
        s.lo[j] = glp_get_col_lb(L->P, j);
        s.hi[j] = glp_get_col_ub(L->P, j);
    }
    for (int stall = 0; stall < STALL && eng_now() < r->sub_deadline && !(r->opt->stop && *r->opt->stop);
         rounds++) {
        pick_window(&s, k, best);
        cut_window(&s, best);
        if (solve_window(&s, r, out, obj)) {
            memcpy(best, out, n1 * sizeof *best);
            r->sub_obj = *obj;
            better++;
            stall = 0;
        } else {
            stall++;
        }
    }
done:
    if (r->opt->verbose && r->opt->log)
        fprintf(r->opt->log, "LNS: %d windows of %d countries, %d better plans, objective %.6f (%.1f s)\n",
                rounds, k, better, *obj, eng_now() - t0);
    if (s.Q) glp_delete_prob(s.Q);
    free(s.lo);
    free(s.hi);
    free(s.cand);
    free(s.win);
    free(s.tie);
    free(s.kin);
    free(s.din);
    free(out);
    return better;
}
