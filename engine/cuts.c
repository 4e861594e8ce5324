/* engine/cuts.c — cuts of our own at the search's root (docs/solver.md,
 * "Cuts of our own"): complemented mixed-integer rounding (c-MIR) on
 * knapsack rows over integer columns. The rows: the budget knapsacks of
 * implied.c (for a donor set S, the seats only S can pay cost at most S's
 * budgets), built here as data (never rows of the model, only the cuts
 * drawn from them are), and when asked, the model's own rows over
 * integer columns only (add_model_rows).
 *
 * Why every cut holds for every integer plan of the stage's model, not only
 * at the node it was separated at. Take one base row sum_j a_j x_j <= b:
 * every plan satisfies it (a budget knapsack: implied.c proves it from the
 * funding and budget rows; a row of the model: it is one), its columns are
 * integer, and l_j <= x_j <= u_j
 * with l, u the columns' bounds when the stage's search starts (the
 * model's own bounds with the stage's reduced-cost bounds, never a node's
 * branching bounds). Write x_j = l_j + y_j (kept) or x_j = u_j - y_j
 * (complemented): every plan gives y in Z^n, y >= 0, and
 *     sum_j c_j y_j <= beta,   c_j = +-a_j / delta,   beta = (b - sum of
 *     a_j l_j over kept j - sum of a_j u_j over complemented j) / delta,
 * for any delta > 0. With f0 = beta - floor(beta) > 0 and
 *     F(c) = floor(c) + max(0, frac(c) - f0) / (1 - f0),
 * the MIR inequality sum_j F(c_j) y_j <= floor(beta) holds at every
 * y in Z^n_+ that satisfies it (Nemhauser and Wolsey's mixed-integer
 * rounding: F is superadditive and nondecreasing, F(c) <= c, and F(c) = c
 * on the integers). Writing y back in x gives a cut on the integer
 * columns that every plan satisfies. Against rounding: a delta whose f0
 * lies within F0_TOL (or the rounding error of beta / delta) of an integer
 * is not used, since floor(beta) could be off by one there, and the cut's
 * right-hand side is raised by 1e-9 of its scale, which only weakens it. Nothing is assumed about the node (its bounds, the
 * incumbent), so GLPK may keep the cut for the whole search. */
#include "eng_int.h"
#include <math.h>
#include <string.h>

/* A cut enters only when its efficacy (violation / Euclidean norm, in
 * seats) is at least MIN_EFFICACY; at most MAX_ROUND cuts a round, the
 * most efficacious, and at most MAX_ROUNDS rounds at the root. delta is
 * tried at |a_j| of up to MAX_DELTAS columns strictly between
 * their bounds, each halved up to three times (Marchand and Wolsey's c-MIR
 * heuristic, which halves only the best). */
#define MIN_EFFICACY 1e-3
#define F0_TOL 1e-4
enum { MAX_ROUND = 50, MAX_ROUNDS = 10, MAX_DELTAS = 8 };

struct eng_cuts {
    int nk;                     /* knapsacks */
    int *start;                 /* [nk + 1]: each one's slots in col/a */
    int *col;                   /* seat column per slot */
    double *a, *b;              /* coefficients; right-hand sides [nk] */
    double *lb, *ub;            /* [ncols + 1]: the columns' bounds at the search's start */
    int ncols, width;           /* width: the longest knapsack */
    /* scratch for one knapsack's separation, [width] each, and each
     * knapsack's efficacy in the current round [nk] */
    double *xs, *l, *u, *work, *coef, *val, *eff, *sel, *x;
    int *comp, *ind;
    int on;                     /* 0: only watch the root bound (the verbose log) */
    int rounds, added;          /* rounds that added cuts; cuts added */
    double root_first, root_bound; /* the root LP's value at our first and last look (NAN: none) */
    double root_after;          /* the root's bound once the search left it (NAN: it never did) */
};

/* Grows an array of n doubles or ints by doubling; 0 on success. */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need) n *= 2;
    void *q = eng_scratch_realloc(*p, n * size);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

void eng_cuts_free(eng_cuts *C)
{
    if (!C) return;
    eng_scratch_free(C->start);
    eng_scratch_free(C->col);
    double *d[] = { C->a, C->b, C->lb, C->ub, C->xs, C->l, C->u, C->work, C->coef, C->val, C->eff, C->sel, C->x };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) eng_scratch_free(d[i]);
    eng_scratch_free(C->comp);
    eng_scratch_free(C->ind);
    eng_scratch_free(C);
}

/* Appends the knapsack sign * (sum val[q] x[ind[q]], q = 1..n) <= b; 0, or -1
 * when out of memory. */
static int add_knap(eng_cuts *C, int n, const int *ind, const double *val, double sign, double b, size_t *cap_k,
                    size_t *cap_b, size_t *cap_c, size_t *cap_a, size_t *ns)
{
    if (grow((void **)&C->start, cap_k, (size_t)C->nk + 2, sizeof *C->start) ||
        grow((void **)&C->b, cap_b, (size_t)C->nk + 1, sizeof *C->b) ||
        grow((void **)&C->col, cap_c, *ns + (size_t)n, sizeof *C->col) ||
        grow((void **)&C->a, cap_a, *ns + (size_t)n, sizeof *C->a))
        return -1;
    C->start[C->nk] = (int)*ns;
    C->b[C->nk++] = b;
    for (int q = 1; q <= n; q++) {
        C->col[*ns + (size_t)q - 1] = ind[q];
        C->a[*ns + (size_t)q - 1] = sign * val[q];
    }
    *ns += (size_t)n;
    if (n > C->width) C->width = n;
    C->start[C->nk] = (int)*ns;
    return 0;
}

/* With the model's rows asked for (eng_testing.cuts 2): its own rows over
 * integer columns only (each with both bounds finite), with at least two
 * different |coefficients| (a row of equal ones, such as a capacity or
 * headcount row, gives no MIR cut of its own): as they stand, or negated
 * for a lower bound. The trainee-hours rows, the cohort rows and stage 3's
 * cost limit row are of this kind; every plan of the stage satisfies them,
 * being rows of its model. Off unless asked: on 60x120x10 seed 2 their
 * cuts lowered the root bounds of stages 1 and 2 and doubled stage 3's
 * nodes (docs/benchmarks.md, "Cuts of our own"). */
static int add_model_rows(eng_cuts *C, glp_prob *P, size_t *cap_k, size_t *cap_b, size_t *cap_c,
                          size_t *cap_a, size_t *ns)
{
    int m = glp_get_num_rows(P), rc = 0;
    int *ind = eng_scratch(((size_t)C->ncols + 1) * sizeof *ind);
    double *val = eng_scratch(((size_t)C->ncols + 1) * sizeof *val);
    if (!ind || !val) rc = -1;
    for (int i = 1; i <= m && !rc; i++) {
        int t = glp_get_row_type(P, i), n = glp_get_mat_row(P, i, ind, val), ok = n >= 2, mixed = 0;
        for (int q = 1; q <= n && ok; q++) {
            int j = ind[q];
            ok = glp_get_col_kind(P, j) != GLP_CV && isfinite(C->lb[j]) && isfinite(C->ub[j]);
            mixed |= fabs(val[q]) != fabs(val[1]);
        }
        if (!ok || !mixed) continue;
        if (t == GLP_UP || t == GLP_DB || t == GLP_FX)
            rc = add_knap(C, n, ind, val, 1, glp_get_row_ub(P, i), cap_k, cap_b, cap_c, cap_a, ns);
        if (!rc && (t == GLP_LO || t == GLP_DB || t == GLP_FX))
            rc = add_knap(C, n, ind, val, -1, -glp_get_row_lb(P, i), cap_k, cap_b, cap_c, cap_a, ns);
    }
    eng_scratch_free(ind);
    eng_scratch_free(val);
    return rc;
}

eng_cuts *eng_cuts_new(const eng_tab *T, const eng_lp *L, int on)
{
    eng_cuts *C = eng_scratch0(1, sizeof *C);
    if (!C) return NULL;
    C->on = on;
    C->root_first = C->root_bound = C->root_after = NAN;
    C->ncols = glp_get_num_cols(L->P);
    if (!on) return C;
    size_t nc = (size_t)C->ncols + 1, cap_k = 0, cap_b = 0, cap_c = 0, cap_a = 0, ns = 0;
    C->lb = eng_scratch(nc * sizeof *C->lb);
    C->ub = eng_scratch(nc * sizeof *C->ub);
    C->x = eng_scratch(nc * sizeof *C->x);
    eng_implied *it = eng_implied_new(T, L);
    if (!C->lb || !C->ub || !C->x || !it) goto oom;
    for (int j = 1; j <= C->ncols; j++) {
        C->lb[j] = eng_col_lb(L->P, j);
        C->ub[j] = eng_col_ub(L->P, j);
    }
    int n, g;
    double cap;
    const int *ind;
    const double *val;
    while ((n = eng_implied_next(it, &g, &cap, &ind, &val)) > 0) {
        int finite = 1;
        for (int q = 1; q <= n && finite; q++) finite = isfinite(C->lb[ind[q]]) && isfinite(C->ub[ind[q]]);
        if (!finite) continue; /* never so for seat columns; complementing needs both bounds */
        if (add_knap(C, n, ind, val, 1, cap, &cap_k, &cap_b, &cap_c, &cap_a, &ns)) goto oom;
    }
    eng_implied_free(it);
    it = NULL;
    if (on > 1 && add_model_rows(C, L->P, &cap_k, &cap_b, &cap_c, &cap_a, &ns)) goto oom;
    size_t w = (size_t)C->width + 1;
    double **dv[] = { &C->xs, &C->l, &C->u, &C->coef, &C->val };
    for (size_t i = 0; i < sizeof dv / sizeof *dv; i++)
        if (!(*dv[i] = eng_scratch(w * sizeof **dv[i]))) goto oom;
    C->work = eng_scratch(3 * w * sizeof *C->work);
    C->eff = eng_scratch(((size_t)C->nk + 1) * sizeof *C->eff);
    C->sel = eng_scratch(((size_t)C->nk + 1) * sizeof *C->sel);
    C->comp = eng_scratch(w * sizeof *C->comp);
    C->ind = eng_scratch(w * sizeof *C->ind);
    if (!C->work || !C->eff || !C->sel || !C->comp || !C->ind) goto oom;
    return C;
oom:
    eng_implied_free(it);
    eng_cuts_free(C);
    return NULL;
}

int eng_cuts_count(const eng_cuts *C, int which)
{
    return which == 0 ? C->nk : which == 1 ? C->rounds : C->added;
}

/* The MIR function of the text above. */
static double mir_f(double c, double f0)
{
    double fl = floor(c), fr = c - fl;
    return fl + (fr > f0 ? (fr - f0) / (1 - f0) : 0);
}

/* The MIR cut of y-space row c[0..n-1] y <= beta for delta into f (F of
 * each c_j / delta) and *rhs (floor(beta / delta)); its violation at y
 * divided by its norm, or -1 when f0 lies within F0_TOL (or the rounding
 * error of beta / delta, from scale, the sum of |a_j| max(|l_j|, |u_j|))
 * of an integer: there floor(beta / delta) might be off by one. */
static double mir_try(int n, const double *c, double beta, double scale, const double *y, double delta,
                      double *f, double *rhs)
{
    double bt = beta / delta, fl = floor(bt), f0 = bt - fl, tol = fmax(F0_TOL, 1e-12 * scale / delta);
    if (!(f0 >= tol && f0 <= 1 - tol)) return -1;
    double act = 0, norm = 0;
    for (int j = 0; j < n; j++) {
        f[j] = mir_f(c[j] / delta, f0);
        act += f[j] * y[j];
        norm += f[j] * f[j];
    }
    *rhs = fl;
    return norm > 0 ? (act - fl) / sqrt(norm) : -1;
}

double eng_cuts_mir(int n, const double *a, double b, const double *l, const double *u, const double *xs,
                    double *work, int *comp, double *coef, double *rhs)
{
    double *y = work, *c = work + n, *f = work + 2 * (size_t)n;
    /* complement the columns nearer their upper bound (y: distance from the bound) */
    double beta = b, scale = 1;
    for (int j = 0; j < n; j++) {
        comp[j] = xs[j] - l[j] > u[j] - xs[j];
        y[j] = comp[j] ? u[j] - xs[j] : xs[j] - l[j];
        if (y[j] < 0) y[j] = 0;
        c[j] = comp[j] ? -a[j] : a[j];
        beta -= a[j] * (comp[j] ? u[j] : l[j]);
        scale += fabs(a[j]) * fmax(fabs(l[j]), fabs(u[j]));
    }
    if (beta < -1e-9 * scale) return 0; /* no plan within these bounds: nothing to say */
    /* delta: the coefficients of columns strictly inside their bounds, the largest MAX_DELTAS */
    double deltas[MAX_DELTAS];
    int nd = 0;
    for (int j = 0; j < n; j++) {
        double aj = fabs(a[j]);
        if (!(y[j] > 1e-6 && y[j] < u[j] - l[j] - 1e-6) || !(aj > 0)) continue;
        int i = 0;
        while (i < nd && deltas[i] != aj) i++;
        if (i < nd) continue;
        if (nd < MAX_DELTAS) {
            deltas[nd++] = aj;
            continue;
        }
        int lo = 0;
        for (i = 1; i < nd; i++)
            if (deltas[i] < deltas[lo]) lo = i;
        if (aj > deltas[lo]) deltas[lo] = aj;
    }
    double best = -1, bdelta = 0, r = 0;
    for (int i = 0; i < nd; i++)
        for (int h = 0; h <= 3; h++) { /* delta, delta / 2, / 4, / 8 */
            double d = deltas[i] / (1 << h), e = mir_try(n, c, beta, scale, y, d, f, &r);
            if (e > best + 1e-12) { best = e; bdelta = d; }
        }
    if (!(best >= MIN_EFFICACY)) return 0;
    (void)mir_try(n, c, beta, scale, y, bdelta, f, &r);
    /* back to x: kept F (x - l), complemented F (u - x) */
    double big = 1 + fabs(r);
    for (int j = 0; j < n; j++) {
        coef[j] = comp[j] ? -f[j] : f[j];
        r += comp[j] ? -f[j] * u[j] : f[j] * l[j];
        big += fabs(f[j]) * fmax(fabs(l[j]), fabs(u[j]));
    }
    *rhs = r + 1e-9 * big;
    return best;
}

/* Knapsack k's best cut at x into C->coef[0..n-1] and *rhs; its efficacy or 0. */
static double knap_cut(eng_cuts *C, int k, const double *x, double *rhs)
{
    int s0 = C->start[k], n = C->start[k + 1] - s0;
    for (int q = 0; q < n; q++) {
        int j = C->col[s0 + q];
        C->xs[q] = x[j];
        C->l[q] = C->lb[j];
        C->u[q] = C->ub[j];
    }
    return eng_cuts_mir(n, C->a + s0, C->b[k], C->l, C->u, C->xs, C->work, C->comp, C->coef, rhs);
}

int eng_cuts_separate(eng_cuts *C, const double *x, eng_cut_fn emit, void *info)
{
    double rhs, th = 0;
    int nv = 0;
    for (int k = 0; k < C->nk; k++) {
        C->eff[k] = knap_cut(C, k, x, &rhs);
        nv += C->eff[k] > 0;
    }
    if (nv > MAX_ROUND) { /* the MAX_ROUND-th largest efficacy: a partial selection over a copy */
        double *e = C->sel;
        int m = 0;
        for (int k = 0; k < C->nk; k++)
            if (C->eff[k] > 0) e[m++] = C->eff[k];
        for (int i = 0; i < MAX_ROUND; i++) {
            int top = i;
            for (int q = i + 1; q < m; q++)
                if (e[q] > e[top]) top = q;
            double t = e[i]; e[i] = e[top]; e[top] = t;
        }
        th = e[MAX_ROUND - 1];
    }
    int out = 0;
    for (int k = 0; k < C->nk && out < MAX_ROUND; k++) {
        if (!(C->eff[k] > 0 && C->eff[k] >= th)) continue;
        (void)knap_cut(C, k, x, &rhs);
        int s0 = C->start[k], n = C->start[k + 1] - s0, len = 0;
        for (int q = 0; q < n; q++) {
            if (C->coef[q] == 0) continue;
            len++;
            C->ind[len] = C->col[s0 + q];
            C->val[len] = C->coef[q];
        }
        if (len > 0 && emit(info, len, C->ind, C->val, rhs) == 0) out++;
    }
    return out;
}

static int to_pool(void *info, int len, const int *ind, const double *val, double rhs)
{
    (void)glp_ios_add_row(info, NULL, 0, 0, len, ind, val, GLP_UP, rhs);
    return 0;
}

void eng_cuts_round(eng_cuts *C, glp_tree *tree)
{
    int p = glp_ios_curr_node(tree);
    if (glp_ios_node_level(tree, p) != 0) { /* the root only; at the first node after it, its bound (log) */
        if (isnan(C->root_after)) {
            while (glp_ios_up_node(tree, p)) p = glp_ios_up_node(tree, p);
            C->root_after = glp_ios_node_bound(tree, p);
        }
        return;
    }
    glp_prob *P = glp_ios_get_prob(tree);
    C->root_bound = glp_get_obj_val(P);
    if (isnan(C->root_first)) C->root_first = C->root_bound;
    if (!C->on || C->rounds >= MAX_ROUNDS) return;
    for (int j = 1; j <= C->ncols; j++) C->x[j] = glp_get_col_prim(P, j);
    int n = eng_cuts_separate(C, C->x, to_pool, tree);
    if (n > 0) {
        C->rounds++;
        C->added += n;
    }
}

int eng_cuts_on(const eng_options *opt, const eng_lp *L)
{
    const eng_testing *t = eng_testing_of(opt);
    if (t->cuts) return t->cuts > 0 ? t->cuts : 0;
    return L->nints <= ENG_BIG_INTS ? ENG_CUTS_DEFAULT : 0; /* eng_tune.h: small models only */
}

eng_cuts *eng_cuts_start(const eng_run *r, const eng_lp *L)
{
    int on = eng_cuts_on(r->cfg.opt, L), watch = r->cfg.opt->verbose && r->cfg.opt->log;
    if (!r->cfg.T || r->cfg.cautious || !(on || watch)) return NULL; /* a retry after a failure: GLPK alone */
    return eng_cuts_new(r->cfg.T, L, on); /* out of memory: the search runs without */
}

void eng_cuts_end(eng_run *r)
{
    eng_cuts *C = r->st.cuts;
    r->st.cuts = NULL;
    if (C && r->cfg.opt->verbose && r->cfg.opt->log)
        fprintf(r->cfg.opt->log, "cuts: stage %d: root LP %.9g, last cut round at %.9g, root bound %.9g; own cuts %s: %d knapsacks, %d cuts in %d rounds\n",
                r->cfg.stage, C->root_first, C->root_bound, C->root_after, C->on ? "on" : "off", C->nk, C->added, C->rounds);
    eng_cuts_free(C);
}
