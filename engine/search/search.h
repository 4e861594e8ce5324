/* engine/search/search.h — the search heuristics and what they share with
 * the stage's search (runner.c): rounding (heur.c), RENS (rens.c), LNS
 * (lns.c), reduced-cost bounds (rcfix.c) and their common plumbing
 * (sub.c). The runner orchestrates; a heuristic returns its plan and never
 * calls back into the runner. Nothing here is public API. */
#ifndef ENG_SEARCH_H
#define ENG_SEARCH_H
#include "../eng_int.h"

/* sub.c — P's own rows and the bounds of its rows and columns, saved before
 * branch and bound adds cuts and changes bounds at its nodes: LNS inside
 * the search works on these. Owned by eng_run_mip. */
struct eng_bnds {
    int nrows;
    int *rtype, *ctype;         /* [nrows + 1], [ncols + 1] */
    double *rlo, *rhi, *clo, *chi;
};

/* rcfix.c — an optimal LP of one stage (its objective, reduced costs,
 * column statuses and bounds), kept to bound the next stage's columns.
 * Owned by its caller (eng_rcfix_free). */
struct eng_rcfix {
    int ok, n, dir;             /* taken; P's column count; 1 minimise, -1 maximise */
    double z, inc;              /* LP objective; GLPK's incumbent then (none: +-INFINITY) */
    signed char *stat;          /* [n + 1] */
    double *dj, *lb, *ub;       /* [n + 1]; dj signed so that > 0 worsens z */
};

/* Takes P's LP (c->ok stays 0 when it is not optimal or memory runs out).
 * inc: GLPK's incumbent when the LP's bounds and cuts were made (inside
 * the search), NAN when there was none. */
void eng_rcfix_take(eng_rcfix *c, glp_prob *P, double inc);
/* Tightens the bounds of P's integer columns to those that every plan
 * whose objective in the LP's stage is no worse than `limit` keeps (P: the
 * next stage's model, the LP's rows and columns and more rows). Nothing
 * changes when the incumbent was not worse than the limit, or when
 * keep[1..ncols] (a plan within the limit) would leave the bounds.
 * Returns the number of columns tightened, or -1 when keep would leave. */
int eng_rcfix_apply(const eng_rcfix *c, glp_prob *P, double limit, const double *keep);
void eng_rcfix_free(eng_rcfix *c);

/* sub.c — calls opt->progress when one is set and a second has passed since
 * the last call (always when tree is NULL: the start of a stage). */
void eng_progress(eng_run *r, glp_tree *tree);

/* sub.c — 1 when bound proves a plan of objective obj within r->st.mip_gap;
 * eng_within_gap: the bound is the stage's LP bound r->res.lp_obj. */
int eng_gap_closed(const eng_run *r, double bound, double obj);
int eng_within_gap(const eng_run *r, double obj);

/* sub.c — the callback of the sub-MIPs of RENS and LNS: the stop flag,
 * r->st.sub_deadline and, when r->st.sub_nodes > 0, that many nodes end them;
 * progress is reported with the stage's own figures. */
void eng_sub_callback(glp_tree *tree, void *info);

/* rens.c — the RENS sub-MIP around P's current LP point (integral integer
 * columns fixed, fractional ones between floor and ceiling; with a plan
 * inc, each column may also take inc's value), until r->st.sub_deadline.
 * soft > 0: that ">=" row of a minimisation is priced in the sub-MIP's
 * objective instead of enforced, and checked on its plan. Fills out[1..ncols] and *obj (P's objective
 * there) and returns 0 when it finds a plan that keeps every row of P
 * (eng_plan_keeps_rows, its coverage columns refilled by eng_fill_z); -1
 * otherwise. At most RENS_NODES nodes (rens.c). P is not changed. Reports
 * progress as the stage's search does. */
int eng_rens(const eng_tab *T, const eng_lp *L, eng_run *r, const double *inc, int soft,
             double *out, double *obj);

/* sub.c: 1 when rows from..to of P hold at v[1..ncols] (1e-9 relative;
 * these are the stages' limit rows, checked on the heuristics' plans). */
int eng_rows_hold(glp_prob *P, int from, int to, const double *v);
/* sub.c: 1 when plan v[1..ncols] keeps every own row of P (inside the
 * search: the rows and bounds saved before it, r->st.bnds): the stage's
 * limit rows (from r->cfg.lns_from on) to 1e-9 relative, the others to a
 * small share of their terms (sub.c). The plans of RENS and LNS pass it
 * before they are kept or handed to GLPK. 0 also when out of memory. */
int eng_plan_keeps_rows(const eng_run *r, glp_prob *P, const double *v);
/* sub.c: 1 when activity act keeps a row of GLPK type type within
 * [lb, ub] up to a small share of the larger of its bound and mag, the sum
 * of its terms' magnitudes (the check of the rows other than the limits). */
int eng_row_near(int type, double lb, double ub, double act, double mag);
/* sub.c: 1 when activity act keeps a row of GLPK type type within
 * [lb, ub], tol relative (LNS checks its windows' plans with it too). */
int eng_row_holds(int type, double lb, double ub, double act, double tol);

/* lns.c — large-neighbourhood search: the plan best[1..ncols] (objective
 * *obj, keeping every row of P) is re-solved a window of countries at a
 * time with the rest fixed, its windows guided by P's current LP point
 * (inside the search, the node's: with r->st.bnds set, P's own rows and
 * bounds are taken from there, not from P, which then also holds cuts
 * and the node's bounds), until
 * r->st.sub_deadline, r->st.lns_windows windows (when > 0) or no window has
 * paid for a while. best and *obj are
 * improved in place and stay a plan that keeps every row; rows from
 * r->cfg.lns_from on (the stage's limits) are re-checked exactly on each new
 * plan; with r->st.lns_endless only the deadline or the stop flag ends it.
 * Returns the number of better plans found, -1 when out of memory. P is
 * not changed. Repeatable: windows are drawn from a fixed seed and each
 * sub-MIP is stopped by a node count, not the clock (save the deadline). */
int eng_lns(const eng_tab *T, const eng_lp *L, eng_run *r, double *best, double *obj);

/* lns.c — a plan from the node's LP point inside the search, when few of
 * its integer columns are fractional: the LP point rounded where integral
 * and re-solved in a window around the countries of the fractional ones.
 * 1 and best, *obj replaced when that plan beats *obj; 0 when not; -1
 * when out of memory. P is not changed. */
int eng_lns_complete(const eng_tab *T, const eng_lp *L, eng_run *r, double *best, double *obj);

/* sub.c — saves P's rows and bounds into b (eng_bnds; release with
 * eng_bnds_free). 0, or -1 when out of memory (b is then empty). */
int eng_bnds_save(glp_prob *P, eng_bnds *b);
void eng_bnds_free(eng_bnds *b);

/* heur.c — rounding heuristic for the max-score stage at a B&B node of P
 * (the problem of L, presolver off), from the LP point lp[1..ncols] when
 * given (a feasible point of P), or (from_lp 0) a greedy plan from the
 * committed seats alone when no LP solution exists. Fills out[1..ncols]
 * with a feasible integer solution and *obj with its objective; -1 when it
 * finds none. */
int eng_heur_round(const eng_tab *T, const eng_lp *L, glp_prob *P, int from_lp, const double *lp,
                   double *out, double *obj);
/* For the cost and seat stages: improves the plan in v[1..ncols] (feasible,
 * integer seats) without lowering its score: drops seats that add no score,
 * then moves seats to cheaper pairs of the same country that keep the
 * score. Cost and seats never rise. 0, or -1 when out of memory (v is
 * unchanged then). */
int eng_heur_trim(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v);
/* Coverage pieces that the integer seats in v earn, tier by tier. */
void eng_fill_z(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v);

#endif
