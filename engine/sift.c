/* engine/sift.c — the root LP of a big model (and, for huge ones, the LP of
 * stages 2 and 3) by sifting over the seat and money columns. Big models
 * have many more columns than rows, and GLPK's simplex prices every column
 * at every iteration; so the LP is first solved with every pool slot (few:
 * one per country and pooled donor, never sifted out), one donor per
 * funding group, a few pairs per need and, for a later stage, the columns
 * of the previous plan (which keeps that first LP feasible), then the
 * columns whose reduced cost says they would help are let in, round after
 * round, until none would. All bounds are then restored: the basis is optimal for the whole
 * model, which the caller re-solves warm (a check, not a new solve). */
#include "eng_int.h"
#include <math.h>
#include <stdlib.h>

enum { SIFT_MAX_ROUNDS = 40, SIFT_COLD_COLS = 4500, SIFT_WARM_ITS = 5000 };

typedef struct saved { double lb, ub; int type; } saved;
typedef struct cand { double dj; int s; } cand;

static int by_dj(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->dj != y->dj) return x->dj < y->dj ? 1 : -1;
    return (x->s > y->s) - (x->s < y->s);
}

/* 0: optimal; -2: stopped by the clock; -3: stopped after it_lim
 * iterations (0: no limit); -1: anything else. */
static int solve_lp(glp_prob *P, const eng_options *opt, double deadline, int presolve, int it_lim)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = opt->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    sp.presolve = presolve ? GLP_ON : GLP_OFF;
    if (it_lim > 0) sp.it_lim = it_lim;
    double left;
    sp.tm_lim = eng_tm_lim(deadline, 1, ENG_TM_LP, &left);
    if (left < 1) return -2;
    int rc = glp_simplex(P, &sp);
    if (rc == GLP_ETMLIM) return -2;
    if (rc == GLP_EITLIM) return -3;
    if (rc != 0 || glp_get_status(P) != GLP_OPT) return -1;
    return 0;
}

/* Reduced cost of column j, signed so that > 0 helps. */
static double reduced(glp_prob *P, int j, int *ind, double *val)
{
    int len = glp_get_mat_col(P, j, ind, val);
    double dj = glp_get_obj_coef(P, j);
    for (int i = 1; i <= len; i++) dj -= val[i] * glp_get_row_dual(P, ind[i]);
    return glp_get_obj_dir(P) == GLP_MAX ? dj : -dj;
}

/* The starting columns: the biggest purse of each funding group, for each
 * need its few cheapest pairs, and everything with a lower bound. */
enum { START_PAIRS_PER_NEED = 4 };

static void start_set(const eng_tab *T, unsigned char *in)
{
    const md_model *m = T->m;
    for (int g = 0; g < T->ngroups; g++) {
        const eng_group *gg = &T->groups[g];
        int best = -1;
        for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++)
            if (best < 0 || eng_donor_cap(&m->donors[T->gdon[s]]) > eng_donor_cap(&m->donors[T->gdon[best]]))
                best = s;
        if (best >= 0) in[best] = 1;
    }
    unsigned char *xin = in + T->ngdon;
    for (int n = 0; n < m->nneeds; n++) {
        int pick[START_PAIRS_PER_NEED], np = 0;
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++) {
            int p = T->n_list[q], i = np < START_PAIRS_PER_NEED ? np++ : np;
            double cost = m->courses[T->pairs[p].k].cost_base;
            if (i == START_PAIRS_PER_NEED) {
                if (!(cost < m->courses[T->pairs[pick[i - 1]].k].cost_base)) continue;
                i--;
            }
            while (i > 0 && cost < m->courses[T->pairs[pick[i - 1]].k].cost_base) {
                pick[i] = pick[i - 1];
                i--;
            }
            pick[i] = p;
        }
        for (int i = 0; i < np; i++) xin[pick[i]] = 1;
    }
}

int eng_sift(const eng_tab *T, eng_lp *L, const eng_options *opt, double stop_at, eng_sift_res *res)
{
    return eng_sift_from(T, L, opt, stop_at, ENG_SIFT_MIN_COLS, res);
}

/* True bounds of every column (the sifted-out ones are fixed at 0 meanwhile). */
static int true_bounds(glp_prob *P, double **lb, double **ub)
{
    int n = glp_get_num_cols(P);
    *lb = eng_scratch(((size_t)n + 1) * sizeof **lb);
    *ub = eng_scratch(((size_t)n + 1) * sizeof **ub);
    if (!*lb || !*ub) return -1;
    for (int j = 1; j <= n; j++) {
        (*lb)[j] = eng_col_lb(P, j);
        (*ub)[j] = eng_col_ub(P, j);
    }
    return 0;
}

int eng_sift_from(const eng_tab *T, eng_lp *L, const eng_options *opt, double stop_at, int min_cols,
                  eng_sift_res *res)
{
    glp_prob *P = L->P;
    double t0 = eng_now();
    res->bound = INFINITY;
    res->rounds = res->cold_rounds = 0;
    if (T->ngdon + T->npairs < min_cols) return 1;
    int nrows = glp_get_num_rows(P), rc = 1, ncand = T->ngdon + T->npairs, timed_out = 0;
    cand *cd = NULL;
    double *lb = NULL, *ub = NULL;
    eng_blocks *blocks = NULL;
    saved *sv = eng_scratch(((size_t)ncand + 1) * sizeof *sv);
    unsigned char *in = eng_scratch0((size_t)ncand + 1, 1);
    int *col = eng_scratch(((size_t)ncand + 1) * sizeof *col);
    int *ind = eng_scratch(((size_t)nrows + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)nrows + 1) * sizeof *val);
    cd = eng_scratch(((size_t)ncand + 1) * sizeof *cd);
    /* the true bounds serve the per-country bound, which a later stage's LP (keep) has not */
    if (!sv || !in || !col || !ind || !val || !cd || (!res->keep && true_bounds(P, &lb, &ub) != 0)) goto out;
    for (int s = 0; s < T->ngdon; s++) col[s] = L->fcol[s];
    for (int p = 0; p < T->npairs; p++) col[T->ngdon + p] = L->xcol[p];
    start_set(T, in);
    for (int i = 0; i < ncand; i++) {
        int j = col[i];
        sv[i] = (saved){ glp_get_col_lb(P, j), glp_get_col_ub(P, j), glp_get_col_type(P, j) };
        if (sv[i].lb > 0) in[i] = 1; /* committed seats and money stay */
        if (res->keep && fabs(res->keep[j]) > 1e-9) in[i] = 1;
        if (!in[i]) glp_set_col_bnds(P, j, GLP_FX, 0, 0);
    }
    glp_scale_prob(P, eng_scale_flags(L));
    int added = 0, cold_cols = res->cold_cols > 0 ? res->cold_cols : SIFT_COLD_COLS;
    int warm_its = res->warm_its > 0 ? res->warm_its : SIFT_WARM_ITS;
    for (int round = 0; round < SIFT_MAX_ROUNDS; round++) {
        /* Later rounds start warm from the last basis. When thousands of
         * columns came in, the primal simplex pivots them in nearly one
         * iteration each, mostly degenerate, and a presolved solve from
         * scratch is far quicker. Second rounds at 195x1000x40: 2,356-4,101
         * columns let in took 480-1,699 warm iterations (0.1-0.4 s; seeds
         * 1-3); 4,675-8,619 took 3,918-10,773 (1.1-5.5 s; cold 0.3-1.4 s;
         * seeds 4-6); at 195x5000x100 12,759-21,236 took 19,802-23,239
         * (19-35 s; cold 0.7-1.2 s). A warm round that runs long anyway is
         * finished cold too. */
        int cold = round == 0 || added >= cold_cols, lp;
        if (round > 0 && cold) res->cold_rounds++;
        int nin = 0;
        for (int i = 0; i < ncand; i++) nin += in[i];
        /* A presolved LP is scaled by GLPK's geometric-mean passes, which no
         * time limit stops (22 s on the 480k columns let in with 5 countries
         * x 200,000 courses): with that many columns in, the cold start is
         * an advanced basis on P, already scaled cheaply above. */
        if (cold && nin > ENG_CHEAP_SCALE_COLS) {
            glp_adv_basis(P, 0);
            cold = 0;
        }
        lp = solve_lp(P, opt, stop_at, cold, cold || nin > ENG_CHEAP_SCALE_COLS ? 0 : warm_its);
        if (lp == -3) {
            res->cold_rounds++;
            lp = solve_lp(P, opt, stop_at, 1, 0);
        }
        /* a round cut short in the primal simplex's second phase still has
         * a feasible point, better than the last round's, and duals */
        int cut_short = (lp == -2 && round > 0 && glp_get_prim_stat(P) == GLP_FEAS)
                     || (lp == 0 && round + 1 == res->stop_after);
        if (lp != 0 && !cut_short) { timed_out = lp == -2; break; }
        /* every round can prove a bound (any duals do) and leaves a point to
         * round; the bound is worth its time (0.3 s, and the per-country LPs'
         * memory) only when sifting may not finish: from half-time on */
        if (!res->keep && (cut_short || eng_now() > t0 + 0.5 * (stop_at - t0))) {
            if (!blocks) blocks = eng_blocks_build(T, L, P, lb, ub); /* NULL: out of memory, no bound */
            double b = blocks ? eng_blocks_bound(blocks, P, lb, ub, stop_at) : INFINITY;
            if (b < res->bound) res->bound = b;
        }
        if (res->lp)
            for (int j = 1; j <= glp_get_num_cols(P); j++) res->lp[j] = glp_get_col_prim(P, j);
        res->rounds++;
        if (cut_short) { timed_out = 1; break; }
        int n = 0;
        added = 0;
        for (int i = 0; i < ncand; i++) {
            double dj;
            if (!in[i] && (dj = reduced(P, col[i], ind, val)) > 1e-7) cd[n++] = (cand){ dj, i };
        }
        /* the most promising columns first, a few times the rows at a time */
        int most = 2 * nrows > 2000 ? 2 * nrows : 2000;
        if (n > most) qsort(cd, (size_t)n, sizeof *cd, by_dj);
        for (int k = 0; k < n && k < most; k++) {
            int i = cd[k].s;
            in[i] = 1;
            added++;
            glp_set_col_bnds(P, col[i], sv[i].type, sv[i].lb, sv[i].ub);
        }
        if (opt->verbose && opt->log)
            fprintf(opt->log, "sifting round %d (%.1f s): objective %.6f, bound %.6f, %d columns let in\n",
                    round + 1, eng_now() - t0, glp_get_obj_val(P), res->bound, added);
        if (!added) { rc = 0; break; }
    }
    if (rc != 0 && timed_out && res->rounds > 0) rc = 2;
out:
    if (sv && in && col)
        for (int i = 0; i < ncand; i++)
            if (!in[i]) glp_set_col_bnds(P, col[i], sv[i].type, sv[i].lb, sv[i].ub);
    eng_scratch_free(sv); eng_scratch_free(in); eng_scratch_free(col); eng_scratch_free(ind); eng_scratch_free(val); eng_scratch_free(cd); eng_scratch_free(lb); eng_scratch_free(ub);
    eng_blocks_free(blocks);
    return rc;
}
