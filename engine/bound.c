/* engine/bound.c — a proven upper bound on every plan from any set of row
 * duals, optimal or not, so that a root LP cut short by the time limit
 * still bounds the score.
 *
 * Lagrangian relaxation by country: the rows that couple countries (donor
 * budgets and share caps, course capacity, cohorts) are priced with the
 * duals y; the rows of one country (coverage, funding groups, hours,
 * headcount) are kept, so each country is a small LP solved exactly. For
 * any y of the right signs,
 *   score <= sum_i max{y_i r_i : r_i in row range i}        (coupling rows)
 *          + sum_c max{(c - A'y)'x : x in country c's polytope}
 *          + sum_j max{d_j x_j : x_j in its box}            (other columns)
 * Keeping the coverage rows matters: relaxing them as well (a plain
 * Lagrangian bound) gave 152,318 against an LP value near 9,650 at
 * 195x5000x100, because every sifted-out pair then earns score without
 * limit. */
#include "eng_int.h"
#include <math.h>
#include <stdlib.h>

struct eng_blocks {
    int nrows, ncols, nblocks;
    glp_prob **Q;           /* [nblocks]: one LP per country with columns */
    int *col_b, *col_loc;   /* [ncols + 1]: block of a column (-1: none), its index there */
    int *row_b;             /* [nrows + 1]: block of a kept row, -1 for a coupling row */
    double *y;              /* [nrows + 1] work space */
    int *ind; double *val;  /* [nrows + 1] work space */
    int *qind; double *qval, *qy; /* [largest block's rows + 1] work space */
};

void eng_blocks_free(eng_blocks *B)
{
    if (!B) return;
    for (int b = 0; b < B->nblocks; b++)
        if (B->Q && B->Q[b]) glp_delete_prob(B->Q[b]);
    eng_scratch_free(B->Q); eng_scratch_free(B->col_b); eng_scratch_free(B->col_loc); eng_scratch_free(B->row_b);
    eng_scratch_free(B->y); eng_scratch_free(B->ind); eng_scratch_free(B->val);
    eng_scratch_free(B->qind); eng_scratch_free(B->qval); eng_scratch_free(B->qy);
    eng_scratch_free(B);
}

static void copy_row_bounds(glp_prob *P, int i, glp_prob *Q, int r)
{
    glp_set_row_bnds(Q, r, glp_get_row_type(P, i), glp_get_row_lb(P, i), glp_get_row_ub(P, i));
}

static void copy_col_bounds(glp_prob *Q, int c, double lo, double hi)
{
    int type = isinf(lo) ? (isinf(hi) ? GLP_FR : GLP_UP) : isinf(hi) ? GLP_LO : hi > lo ? GLP_DB : GLP_FX;
    glp_set_col_bnds(Q, c, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
}

eng_blocks *eng_blocks_build(const eng_tab *T, const eng_lp *L, glp_prob *P, const double *lb,
                             const double *ub)
{
    eng_blocks *B = eng_scratch0(1, sizeof *B);
    if (!B) return NULL;
    int nr = B->nrows = glp_get_num_rows(P), nc = B->ncols = glp_get_num_cols(P);
    int nb = B->nblocks = T->m->ncountries;
    int *row_loc = eng_scratch(((size_t)nr + 1) * sizeof *row_loc);
    int *nrow = eng_scratch0((size_t)nb + 1, sizeof *nrow), *ncol = eng_scratch0((size_t)nb + 1, sizeof *ncol);
    B->Q = eng_scratch0((size_t)nb + 1, sizeof *B->Q);
    B->col_b = eng_scratch(((size_t)nc + 1) * sizeof *B->col_b);
    B->col_loc = eng_scratch0((size_t)nc + 1, sizeof *B->col_loc);
    B->row_b = eng_scratch(((size_t)nr + 1) * sizeof *B->row_b);
    B->y = eng_scratch0((size_t)nr + 1, sizeof *B->y);
    B->ind = eng_scratch(((size_t)nr + 1) * sizeof *B->ind);
    B->val = eng_scratch(((size_t)nr + 1) * sizeof *B->val);
    int ok = row_loc && nrow && ncol && B->Q && B->col_b && B->col_loc && B->row_b && B->y && B->ind
          && B->val;
    if (!ok) goto fail;
    eng_column_countries(T, L, B->col_b);
    /* a row is kept when all its columns lie in one country */
    for (int i = 1; i <= nr; i++) B->row_b[i] = -2;
    for (int j = 1; j <= nc; j++) {
        int len = glp_get_mat_col(P, j, B->ind, B->val);
        for (int t = 1; t <= len; t++) {
            int *rb = &B->row_b[B->ind[t]];
            *rb = *rb == -2 ? B->col_b[j] : *rb == B->col_b[j] ? *rb : -1;
        }
    }
    for (int i = 1; i <= nr; i++) {
        if (B->row_b[i] < 0) { B->row_b[i] = -1; continue; }
        row_loc[i] = ++nrow[B->row_b[i]];
    }
    for (int j = 1; j <= nc; j++)
        if (B->col_b[j] >= 0) B->col_loc[j] = ++ncol[B->col_b[j]];
    for (int b = 0; b < nb; b++) {
        if (!ncol[b]) continue;
        glp_prob *Q = B->Q[b] = glp_create_prob();
        glp_set_obj_dir(Q, GLP_MAX);
        glp_add_cols(Q, ncol[b]);
        if (nrow[b]) glp_add_rows(Q, nrow[b]);
    }
    for (int i = 1; i <= nr; i++)
        if (B->row_b[i] >= 0) copy_row_bounds(P, i, B->Q[B->row_b[i]], row_loc[i]);
    for (int j = 1; j <= nc; j++) {
        int b = B->col_b[j];
        if (b < 0) continue;
        glp_prob *Q = B->Q[b];
        copy_col_bounds(Q, B->col_loc[j], lb[j], ub[j]);
        int len = glp_get_mat_col(P, j, B->ind, B->val), k = 0;
        for (int t = 1; t <= len; t++)
            if (B->row_b[B->ind[t]] >= 0) {
                B->ind[++k] = row_loc[B->ind[t]];
                B->val[k] = B->val[t];
            }
        if (k) glp_set_mat_col(Q, B->col_loc[j], k, B->ind, B->val);
    }
    int most = 1;
    for (int b = 0; b < nb; b++) {
        if (B->Q[b]) /* GLPK's geometric-mean passes are slow on big blocks (runner.c) */
            glp_scale_prob(B->Q[b], glp_get_num_cols(B->Q[b]) > ENG_CHEAP_SCALE_COLS ? GLP_SF_EQ | GLP_SF_2N
                                                                                   : GLP_SF_AUTO);
        if (nrow[b] > most) most = nrow[b];
    }
    B->qind = eng_scratch(((size_t)most + 1) * sizeof *B->qind);
    B->qval = eng_scratch(((size_t)most + 1) * sizeof *B->qval);
    B->qy = eng_scratch(((size_t)most + 1) * sizeof *B->qy);
    if (!B->qind || !B->qval || !B->qy) goto fail;
    eng_scratch_free(row_loc); eng_scratch_free(nrow); eng_scratch_free(ncol);
    return B;
fail:
    eng_scratch_free(row_loc); eng_scratch_free(nrow); eng_scratch_free(ncol);
    eng_blocks_free(B);
    return NULL;
}

/* Row i's dual, set to 0 where its sign has no finite row bound to price
 * (the bound stays finite and true); adds max{y r : r in the row's range}
 * to *bound. */
static double priced_row(glp_prob *P, int i, double *bound)
{
    int type = glp_get_row_type(P, i);
    int has_lo = type == GLP_LO || type == GLP_DB || type == GLP_FX;
    int has_up = type == GLP_UP || type == GLP_DB || type == GLP_FX;
    double y = glp_get_row_dual(P, i);
    if ((y > 0 && !has_up) || (y < 0 && !has_lo)) y = 0;
    if (y > 0) *bound += y * glp_get_row_ub(P, i);
    else if (y < 0) *bound += y * glp_get_row_lb(P, i);
    return y;
}

/* max{d x : lo <= x <= hi}; +inf for an unbounded column: still true. */
static double box_max(double d, double lo, double hi)
{
    return d > 0 ? d * hi : d < 0 ? d * lo : 0;
}

/* Upper bound on max Q from Q's own row duals (the Lagrangian of all its
 * rows): equal to Q's optimum at an optimal basis, and a bound whatever
 * GLPK's tolerances let through. */
static double own_dual_bound(glp_prob *Q, int *ind, double *val, double *y)
{
    double bound = glp_get_obj_coef(Q, 0);
    int nr = glp_get_num_rows(Q), nc = glp_get_num_cols(Q);
    for (int i = 1; i <= nr; i++) y[i] = priced_row(Q, i, &bound);
    for (int j = 1; j <= nc; j++) {
        int len = glp_get_mat_col(Q, j, ind, val);
        double d = glp_get_obj_coef(Q, j);
        for (int t = 1; t <= len; t++) d -= val[t] * y[ind[t]];
        bound += box_max(d, eng_col_lb(Q, j), eng_col_ub(Q, j));
    }
    return bound;
}

/* The best of one country's LP for the current prices, bounded from above
 * by its duals; NAN on failure. */
static double block_max(eng_blocks *B, glp_prob *Q, double deadline)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    double left;
    sp.tm_lim = eng_tm_lim(deadline, 1, ENG_TM_LP, &left);
    if (left < 1) return NAN; /* no time left: no bound */
    int rc = glp_simplex(Q, &sp); /* warm from the previous prices' basis */
    if ((rc != 0 || glp_get_status(Q) != GLP_OPT) && rc != GLP_ETMLIM) {
        glp_std_basis(Q);
        sp.tm_lim = eng_tm_lim(deadline, 1, ENG_TM_LP, &left);
        if (left < 1) return NAN;
        rc = glp_simplex(Q, &sp);
    }
    if (rc != 0 || glp_get_status(Q) != GLP_OPT) return NAN;
    return own_dual_bound(Q, B->qind, B->qval, B->qy);
}

double eng_blocks_bound(eng_blocks *B, glp_prob *P, const double *lb, const double *ub, double deadline)
{
    if (glp_get_obj_dir(P) != GLP_MAX || glp_get_num_rows(P) != B->nrows
        || glp_get_num_cols(P) != B->ncols)
        return INFINITY;
    double bound = glp_get_obj_coef(P, 0);
    for (int i = 1; i <= B->nrows; i++) {
        if (B->row_b[i] >= 0) { B->y[i] = 0; continue; } /* kept in its country's LP */
        B->y[i] = priced_row(P, i, &bound);
    }
    for (int j = 1; j <= B->ncols; j++) {
        int len = glp_get_mat_col(P, j, B->ind, B->val);
        double d = glp_get_obj_coef(P, j);
        for (int t = 1; t <= len; t++) d -= B->val[t] * B->y[B->ind[t]];
        if (B->col_b[j] >= 0) {
            glp_set_obj_coef(B->Q[B->col_b[j]], B->col_loc[j], d);
            continue;
        }
        bound += box_max(d, lb[j], ub[j]);
    }
    for (int b = 0; b < B->nblocks && isfinite(bound); b++)
        if (B->Q[b]) {
            double v = block_max(B, B->Q[b], deadline);
            bound = isnan(v) ? INFINITY : bound + v;
        }
    return bound;
}
