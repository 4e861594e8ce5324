/* engine/search/rcfix.c — a stage's bounds from the previous stage's LP
 * (reduced-cost tightening). Stage 2 keeps score >= S1 - tol and stage 3
 * also cost <= C2 + tol, each with every row of the stage before, so each
 * of their plans is a plan of the stage before within that limit. For a
 * column nonbasic at its lower bound in an optimal LP of that stage
 * (objective z, reduced cost d, signed so that d > 0 worsens it), every
 * such plan has an objective at least d * (x - lb) worse than z, hence
 * x <= lb + |limit - z| / d; likewise at the upper bound.
 * Stage 1's LP relaxation bounds stage 2: stage 1 ends within a fraction
 * of a point of it (z - S1 is 0.4-3 points at 195x1000x40). Stage 2's
 * search root (its LP with GLPK's cuts, 0.2-0.4% below C2 where the plain
 * LP is 3-6%) bounds stage 3; its cuts and bounds hold for stage 3's plans
 * only while GLPK's incumbent was worse than the limit when they were
 * made: GLPK fixes columns by reduced cost against its incumbent (plans
 * that only equal it go too) and preprocesses with obj <= incumbent.
 * The next stage's LP relaxation already implies bounds taken from its
 * own rows; GLPK's search does not: its cuts, its bound propagation and
 * the LNS windows start from them. */
#include "search.h"
#include <math.h>
#include <stdlib.h>

void eng_rcfix_take(eng_rcfix *c, glp_prob *P, double inc)
{
    int n = glp_get_num_cols(P);
    c->ok = 0;
    if (glp_get_status(P) != GLP_OPT) return;
    if (c->n != n) {
        eng_rcfix_free(c);
        c->stat = malloc(((size_t)n + 1) * sizeof *c->stat);
        c->dj = malloc(((size_t)n + 1) * sizeof *c->dj);
        c->lb = malloc(((size_t)n + 1) * sizeof *c->lb);
        c->ub = malloc(((size_t)n + 1) * sizeof *c->ub);
        if (!c->stat || !c->dj || !c->lb || !c->ub) { /* no tightening: fine */
            eng_rcfix_free(c);
            return;
        }
        c->n = n;
    }
    c->dir = glp_get_obj_dir(P) == GLP_MAX ? -1 : 1;
    c->z = glp_get_obj_val(P);
    c->inc = isnan(inc) ? c->dir * INFINITY : inc;
    for (int j = 1; j <= n; j++) {
        c->stat[j] = (signed char)glp_get_col_stat(P, j);
        c->dj[j] = c->dir * glp_get_col_dual(P, j);
        c->lb[j] = eng_col_lb(P, j);
        c->ub[j] = eng_col_ub(P, j);
    }
    c->ok = 1;
}

/* The bounds of column j that plans within slack of z keep. */
static void implied(const eng_rcfix *c, int j, double slack, double *lo, double *hi)
{
    double d = c->dj[j];
    *lo = c->lb[j];
    *hi = c->ub[j];
    if (c->stat[j] == GLP_NL && d > 1e-9 && isfinite(*lo)) {
        double h = *lo + floor(slack / d + 1e-9);
        if (h < *hi) *hi = h;
    } else if (c->stat[j] == GLP_NU && d < -1e-9 && isfinite(*hi)) {
        double l = *hi - floor(slack / -d + 1e-9);
        if (l > *lo) *lo = l;
    }
}

int eng_rcfix_apply(const eng_rcfix *c, glp_prob *P, double limit, const double *keep)
{
    int n = glp_get_num_cols(P);
    /* GLPK's tolerances in z and the reduced costs (relative 1e-9 or so):
     * a margin a thousand times wider, still far below one seat's worth */
    double eps = 1e-6 * fmax(1.0, fabs(limit));
    if (!c->ok || c->n != n || !(c->dir * (c->inc - limit) > eps)) return 0;
    double slack = c->dir * (limit - c->z) + eps;
    if (slack < 0) return 0; /* the LP says no plan reaches the limit: rounding trouble */
    for (int j = 1; j <= n; j++) { /* keep must stay inside, or nothing changes */
        if (glp_get_col_kind(P, j) == GLP_CV) continue;
        double lo, hi;
        implied(c, j, slack, &lo, &hi);
        if (keep[j] < lo - 1e-6 || keep[j] > hi + 1e-6) return -1;
    }
    int changed = 0;
    for (int j = 1; j <= n; j++) {
        if (glp_get_col_kind(P, j) == GLP_CV) continue;
        double lo, hi, plo = eng_col_lb(P, j), phi = eng_col_ub(P, j);
        implied(c, j, slack, &lo, &hi);
        if (lo < plo) lo = plo;
        if (hi > phi) hi = phi;
        if (lo == plo && hi == phi) continue;
        int t = isfinite(lo) ? (isfinite(hi) ? (lo == hi ? GLP_FX : GLP_DB) : GLP_LO)
                             : (isfinite(hi) ? GLP_UP : GLP_FR);
        glp_set_col_bnds(P, j, t, isfinite(lo) ? lo : 0, isfinite(hi) ? hi : 0);
        changed++;
    }
    return changed;
}

void eng_rcfix_free(eng_rcfix *c)
{
    free(c->stat);
    free(c->dj);
    free(c->lb);
    free(c->ub);
    *c = (eng_rcfix){ 0 };
}
