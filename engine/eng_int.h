/* engine/eng_int.h — what the engine's files share: the tables, the GLPK
 * model, one stage's run and the measures (the search heuristics are in
 * search/search.h, the thresholds in eng_tune.h). Ownership: an eng_tab
 * owns every array it points to (eng_tab_free); it borrows the model,
 * which must outlive it. Nothing here is public API. */
#ifndef ENG_INT_H
#define ENG_INT_H
#include "engine.h"
#include "eng_tune.h"
#include "eng_testing.h"
#include <glpk.h>
#include <limits.h>

/* One eligible (country, course) pair that may receive seats. */
typedef struct eng_pair {
    int c, k;
    long ub;          /* tight upper bound on x(c,k), >= lb_all */
    long lb_all;      /* committed seats of all commitments on the pair */
    int don_first, don_count; /* slots in eng_tab.don: eligible funding donors */
} eng_pair;

/* Pairs of one country that share their eligible donors. */
typedef struct eng_group {
    int c;
    int gd_first, gd_count;   /* slots in eng_tab.gdon */
} eng_group;

typedef struct eng_tab {
    const md_model *m;
    /* topic -> courses covering it (CSR over m->courses' topic_idx) */
    int *tk_start, *tk_list;
    /* donor rule halves: the country part and the course part of
     * "eligible donor" are independent, so d admits (c,k) iff both hold */
    unsigned char *dc;          /* [d * ncountries + c] */
    unsigned char *dk;          /* [d * ncourses + k] */
    /* pairs sorted by (c, k); per country a contiguous range */
    eng_pair *pairs; int npairs;
    int *c_first;               /* [ncountries + 1] */
    int *don; int ndon;         /* donor index per funding slot */
    /* per course: its pairs (CSR) */
    int *k_start, *k_list;
    /* per need: pairs whose course covers the need's topic (CSR) */
    int *n_start, *n_list;
    /* per commitment: its pair and funding slot (-1 when none) */
    int *cm_pair, *cm_slot;
    /* Funding groups: the paid pairs of one country with the same eligible
     * donors share one money column per donor (budgets and share caps
     * only see sums, and every donor of a group may pay every pair in it, so
     * this is exact). A pair with a commitment naming a donor stays alone so
     * that the committed amount can be bound to it. Groups come in country
     * order; their pairs are listed in course order.
     * Pools: a donor with money and no course-side rule (pooled[d]) may pay
     * every paid pair of a country it admits, so it has one money column per
     * such country (a pool slot) instead of one per group, and the groups
     * list only the other donors (and a pooled donor named by a commitment
     * on the group's pair). The model then asks: each group's own money at
     * most its seats' cost, each country's money (groups and pool) exactly
     * its seats' cost; any split of the pool among the groups is a valid
     * funding (exact). At 195x1000x40 that is 18-21 of 40 donors and 72-77%
     * of the money columns; at 195x5000x100, 81%. */
    eng_group *groups; int ngroups;
    int *gdon; int ngdon;       /* donor index per group slot */
    int *g_start, *g_list;      /* per group: its pairs (CSR) */
    int *pair_group;            /* [npairs]: group or -1 (free pair) */
    int *cm_gslot;              /* per commitment: group slot of its donor or -1 */
    int *cg_first;              /* [ncountries + 1]: each country's groups */
    unsigned char *pooled;      /* [ndonors] */
    int *cp_first;              /* [ncountries + 1]: each country's pool slots */
    int *pdon; int npdon;       /* donor index per pool slot */
    int implied;                /* implied knapsack rows: as eng_testing.implied (set by the caller) */
} eng_tab;

/* scratch.c — memory that the search code holds across GLPK calls:
 * eng_scratch (malloc), eng_scratch0 (calloc), eng_scratch_realloc
 * (realloc), eng_scratch_free (free, NULL allowed); eng_scratch_release
 * frees every block still held, after GLPK aborted through the frames that
 * held them (solve.c). Memory that outlives a stage (plans, tables, reduced
 * costs) is not scratch. */
void *eng_scratch(size_t n);
void *eng_scratch0(size_t n, size_t size);
void *eng_scratch_realloc(void *p, size_t n);
void eng_scratch_free(void *p);
void eng_scratch_release(void);

/* eligibility.c — the eligibility filters one by one (also used for reasons). */
int eng_lang_ok(const md_model *m, int c, int k);
int eng_region_ok(const md_model *m, int c, int k);
int eng_quality_ok(const md_model *m, int k);
int eng_period_ok(const md_model *m, int k);
/* Need index of (c, t) or -1 (binary search in c's sorted needs). */
int eng_need_of(const md_model *m, int c, int t);
/* The two independent halves of "eligible donor" (docs/formats.md). */
int eng_donor_country_ok(const md_model *m, int d, int c);
int eng_donor_course_ok(const md_model *m, int d, int k);
/* Weight of a need: its priority times its country's income weight (1.0
 * without an income group). */
double eng_weight(const md_model *m, int need);

/* tables.c — builds T from a validated model; checks commitments (reports
 * each bad one as 65). pool as eng_testing.pool (eng_testing.h). Returns
 * 0, 65 or 70 (out of memory). */
int eng_tab_build(const md_model *m, int pool, eng_tab *T, md_diag *d);
/* The index in T->pairs of the pair (c, k), or -1 when it is not a pair
 * (binary search within c's range: pairs are sorted by (c, k)). */
int eng_pair_index(const eng_tab *T, int c, int k);
void eng_tab_free(eng_tab *T);
/* Effective cap of donor d for one country (share cap or budget). */
double eng_donor_cap(const md_donor *dn);

/* What row i of the built model stands for (eng_lp.rtag), so that an
 * exported model can name it: a and b index the model's entities (need,
 * group, country, donor, course) as the kind says. */
enum {
    ENG_ROW_COVER,          /* a: need */
    ENG_ROW_FUND_GROUP,     /* a: funding group */
    ENG_ROW_FUND_COUNTRY,   /* a: country (with pool slots) */
    ENG_ROW_BUDGET,         /* a: donor */
    ENG_ROW_SHARE,          /* a: donor, b: country */
    ENG_ROW_COHORT_MIN,     /* a: course */
    ENG_ROW_COHORT_MAX,     /* a: course */
    ENG_ROW_CAPACITY,       /* a: course */
    ENG_ROW_HEADCOUNT,      /* a: country */
    ENG_ROW_HOURS,          /* a: country */
    ENG_ROW_SPEND_TOTAL,    /* the total spend column equals the seats' cost */
    ENG_ROW_PROVIDER_SHARE, /* a: a course of the provider */
    ENG_ROW_KNAP            /* a: a funding group whose payers are the row's donors (implied.c) */
};
typedef struct eng_rowtag { int kind, a, b; } eng_rowtag;

/* build.c — the GLPK model. Columns: x per pair, f per group slot and pool slot,
 * z per (need, tier) for needs with a covering pair, open per course with
 * min_seats > 0. Commitments enter as bounds, only those with active[i]. */
typedef struct eng_lp {
    glp_prob *P;
    int *xcol;                  /* [npairs] */
    int *fcol;                  /* [ngdon] */
    int *pcol;                  /* [npdon] */
    int *zcol;                  /* [nneeds]: first tier column or 0 */
    int *ocol;                  /* [ncourses]: open column or 0 */
    int *dcol;                  /* [npairs]: churn column or 0, while stage 4 runs (stable.c); else NULL */
    eng_rowtag *rtag;           /* [1..ntags]: the rows eng_lp_build made */
    int ntags, cap_tags;
    int ncols, nrows, nints;
    int bound_conflict;         /* some lower bound exceeds its upper bound */
    /* provider-share cap (0 < max_provider_share < 1 and some pair): tcol is
     * the plan's total spend, a continuous column outside every country */
    int tcol;                   /* 0 when there is no cap */
    int *kprov, nprov;          /* [ncourses]: provider of each course (pshare.c) */
} eng_lp;

int eng_lp_build(const eng_tab *T, const unsigned char *active, eng_lp *L, md_diag *d);
/* implied.c — the implied knapsack rows: for each donor set that pays some
 * funding group, the seats only that set can pay cost at most its budgets.
 * eng_lp_build adds them (tagged ENG_ROW_KNAP) when eng_implied_on(T):
 * eng_implied_new (NULL when out of memory; L's columns must exist) then
 * eng_implied_next until it returns 0: each row's length n, the group whose
 * payers are its donors, its upper bound and its columns and coefficients
 * ind/val[1..n] (valid until the next call). */
typedef struct eng_implied eng_implied;
eng_implied *eng_implied_new(const eng_tab *T, const eng_lp *L);
int eng_implied_next(eng_implied *it, int *group, double *cap, const int **ind, const double **val);
void eng_implied_free(eng_implied *it);
static inline int eng_implied_on(const eng_tab *T)
{
    return T->implied > 0 || (T->implied == 0 && ENG_IMPLIED_DEFAULT);
}
/* Country of every column colc[0..ncols]: seats and money by their pair's,
 * group's or pool's country, coverage by its need's; -1 for the cohort
 * columns (and index 0). Used by the per-country bound and LNS. */
void eng_column_countries(const eng_tab *T, const eng_lp *L, int *colc);
void eng_lp_free(eng_lp *L);
/* ENG_HUGE_COLS and ENG_CHEAP_SCALE_COLS: eng_tune.h. */
/* Column j's bounds in P, -INFINITY / INFINITY where it has none. */
double eng_col_lb(glp_prob *P, int j);
double eng_col_ub(glp_prob *P, int j);
/* Objectives of the three stages (and none, for feasibility tests). */
enum { ENG_OBJ_NONE, ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
void eng_lp_objective(const eng_tab *T, eng_lp *L, int which);
/* Adds the row "objective `which` >= bound" (score) or "<= bound" (cost)
 * and leaves that objective set. Returns 0, or -1 when out of memory. */
int eng_lp_add_limit(const eng_tab *T, eng_lp *L, int which, double bound);
/* export.c — writes the max-score model to path as free MPS, its objective
 * and those of stages 2 and 3 as free rows "score" (the first), "cost" and
 * "seats", every row and column named after the scenario's entities, and
 * path.names.csv mapping each MPS name to its full name (docs/formats.md);
 * P is left as it was (no names, no extra rows). Returns 0, -1 when the
 * model cannot be written, -2 when the names file cannot (neither file is
 * left behind then), -3 when out of memory. */
int eng_lp_export(const eng_tab *T, eng_lp *L, const char *path);

/* pshare.c — provider of each course into kprov[0..ncourses-1]: courses
 * with the same provider share an index, a course without one has its own.
 * Returns the number of providers, -1 when out of memory. */
int eng_providers(const md_model *m, int *kprov);
/* 1 when the seats in v keep every provider within max_provider_share of
 * the total spend (or there is no cap); 0 otherwise or when out of memory. */
int eng_pshare_holds(const eng_tab *T, const eng_lp *L, const double *v);
/* warn_pshare.c — warns when the cap leaves no plan with paid seats; 0,
 * or -1 when out of memory. */
int eng_warn_pshare(const md_model *m, md_diag *d);

/* runner.c — one guarded GLPK run of a prepared model; the heuristics it
 * calls are declared in search/search.h. */
typedef struct eng_bnds eng_bnds;   /* search/search.h */
typedef struct eng_rcfix eng_rcfix; /* search/search.h */

/* One stage's run, in three parts. The caller fills cfg and does not
 * change it while eng_run_mip runs (solve.c changes it between stages and
 * attempts); st is the search's state, seeded by the caller where said,
 * changed by the runner and the heuristics; res is what the run found. */
typedef struct eng_run_cfg {
    const eng_options *opt;
    double deadline;            /* monotonic seconds */
    double t_start;             /* monotonic start of the whole solve (progress) */
    int stage;                  /* 1..3 for progress reports, 0: none */
    const eng_tab *T;           /* the model's tables (RENS and the rounding heuristic) */
    int heur;                   /* run the rounding heuristic at B&B nodes (stage 1) */
    double *heur_buf;           /* [ncols + 1] its work space */
    int warm;                   /* P holds an optimal basis: re-solve from it */
    double *sub_buf, *sub_best; /* [ncols + 1] work space and plan of RENS and LNS; NULL: neither runs */
    double sub_share;           /* share of the time left that RENS, and then LNS, may use */
    double lns_share;           /* > 0: LNS before the search uses this share instead */
    int lns_from;               /* > 0: run LNS (lns.c) after RENS; rows from here on are the stage's limits */
    int lns_wait;               /* branch-and-bound nodes before each LNS turn (0: TURN_NODES) */
    int cohort_first;           /* branch on cohort columns first: 0 in stages 2-3 of big models, 1 always, -1 never */
    eng_rcfix *rc;              /* non-NULL: the LP relaxation is taken here (big models; eng_testing.rcfix) */
    eng_rcfix *rc_root;         /* non-NULL: the search root's LP is taken here (likewise) */
    int rens_soft;              /* row that RENS prices instead of enforcing (stage 2's score row), or 0 */
    int cautious;               /* a retry after a failure: dual simplex first, geometric scaling */
} eng_run_cfg;

typedef struct eng_run_state {
    const double *inject;       /* [ncols + 1] incumbent to offer, or NULL (the caller's, then RENS's) */
    int lns_windows;            /* > 0: LNS ends after that many windows (the caller's; a turn in the search sets its own) */
    double next_progress;       /* monotonic time of the next progress report */
    int injected;
    const eng_lp *L;            /* set by eng_run_mip */
    int next_heur;              /* node count (made so far) of the rounding heuristic's next run */
    int lns_endless;            /* LNS goes on until sub_deadline, however long no window pays */
    int lns_tree;               /* RENS and LNS in the search: 1 until the root's end (RENS there), 2 then (LNS turns) */
    int rens_tree;              /* RENS at the end of the search's root */
    int next_lns;               /* node count (made so far) of LNS's next turn in the search */
    const eng_bnds *bnds;       /* non-NULL while LNS runs in the search */
    unsigned lns_seed;          /* LNS draws its windows from here on, and advances it */
    int lns_courses;            /* LNS also draws windows around courses (inside the search) */
    int lns_idle;               /* LNS turns in a row without a better plan (the next one waits longer) */
    int complete_idle;          /* completions in a row without a plan (the next one waits longer) */
    int next_complete;          /* node count (made so far) before which no completion is tried */
    double sub_deadline;        /* of the running sub-MIP heuristic, set by eng_run_mip */
    int sub_nodes;              /* > 0: node limit of the running sub-MIP */
    double mip_gap;             /* set by eng_run_mip */
    double sub_obj;             /* objective of cfg.sub_best (RENS's, then LNS's plan), NAN: none */
    int inject_start;           /* inject is a starting plan (start.c): proven by the LP bound, it is the stage's plan */
    struct eng_cuts *cuts;      /* our cuts while the search runs (cuts.c), or NULL */
} eng_run_state;

typedef struct eng_run_result {
    int feasible;               /* an integer solution is available */
    int infeasible;             /* proven: no solution */
    int timed_out, interrupted, failed;
    char why[96];               /* when failed: what GLPK returned */
    int lp_ok;                  /* LP relaxation solved to optimality */
    double lp_obj, obj, bound, gap;
    int have_bound, nodes;
    const double *sol_buf;      /* non-NULL: the solution is here, not P's MIP solution */
    int searched;               /* glp_intopt ran (cfg.heur_buf was used) */
    double seconds;
    int heur_found;             /* times the rounding heuristic offered a plan */
    int lns_turns;              /* LNS turns taken inside the search */
    int complete_tries;         /* eng_lns_complete calls in this search */
    int completions;            /* of them, plans handed to the search */
} eng_run_result;

typedef struct eng_timing eng_timing; /* timing.c, below */
typedef struct eng_run {
    eng_run_cfg cfg;
    eng_run_state st;
    eng_run_result res;
    eng_timing *tm;             /* the stage's time split (-v), or NULL */
} eng_run;

/* measure.c — monotonic seconds. */
double eng_now(void);
/* measure.c — objective value of P at the column vector v[1..ncols]. */
double eng_objective_of(glp_prob *P, const double *v);
/* measure.c — GLPK's tm_lim (milliseconds) for a run until deadline: the
 * time left, at least lo and at most hi; *left_ms (when not NULL) gets the
 * time left unclamped, read from the same clock reading. */
int eng_tm_lim(double deadline, int lo, int hi, double *left_ms);
/* Upper ends of eng_tm_lim: the stage's search and the sub-MIPs take all
 * GLPK accepts; the LPs of sifting and of the per-country bound stop at 2e9
 * ms (23 days: never in practice). */
enum { ENG_TM_ANY = INT_MAX, ENG_TM_LP = 2000000000 };
/* measure.c — the relative gap between a plan's objective and a bound,
 * |obj - bound| / (|obj| + DBL_EPSILON), as every stage reports it; and the
 * width rel * (|obj| + DBL_EPSILON) of a relative gap rel at obj, with which
 * a bound proves a plan (eng_gap_closed). */
double eng_rel_gap(double obj, double bound);
double eng_gap_width(double obj, double rel);
/* build.c — glp_scale_prob flags for the model of L (cheaper for huge models). */
int eng_scale_flags(const eng_lp *L);
/* runner.c — 0 when L's model is so big (over ENG_HUGE_COLS columns) that
 * glp_intopt's set-up, which never calls back, would outlast the deadline. */
int eng_search_fits(const eng_lp *L, double deadline);
/* runner.c — 1 unless --memory-limit is set and GLPK's memory twice over
 * would pass it (before a heuristic copies the model). */
int eng_copy_fits(const eng_options *opt);
/* Solves L->P as a MIP (LP relaxation first); the flags say how it ended.
 * A failure that GLPK returns (not one it aborts on) sets r->res.failed and
 * r->res.why and reports nothing: solve.c retries the stage (docs/solver.md). */
void eng_run_mip(eng_lp *L, double mip_gap, eng_run *r);

/* solve.c records a stage that never ran (an earlier stage was stopped by
 * the time limit or the stop flag) as seconds 0, objective/bound/gap NAN,
 * nodes -1 and the status of the stage that stopped (ENG_TIME_LIMIT or
 * ENG_INTERRUPTED). When stage 1 hits the time limit before GLPK has any
 * plan, the plan is the greedy one of heur.c (nodes -1, bound: the root LP
 * if it finished, else full coverage of every coverable need). */

/* sift.c — the root LP of a big model by sifting over its seat and money
 * columns, until stop_at at the latest (any stage's objective; with keep
 * given, no bound is computed).
 * Returns 0 when P holds an optimal basis of the whole LP (re-solve it
 * warm); 2 when stop_at came first after at least one completed round
 * (res->bound and res->lp then hold that round's proof and LP point);
 * 1 when it did nothing (small model) or gave up. Column bounds are always
 * restored. */
typedef struct eng_sift_res {
    double bound;     /* least eng_blocks_bound of the rounds (max-score LP only); INFINITY: none */
    double *lp;       /* [ncols + 1], caller's: LP point of the last round, or NULL */
    const double *keep; /* [ncols + 1], caller's, or NULL: a point of the LP whose columns start
                         * in, so that the first round is feasible (a later stage's LP) */
    int rounds;       /* completed rounds */
    int cold_rounds;  /* rounds after the first solved (or finished) from scratch */
    int stop_after;   /* input for tests: stop as if the clock ran out after this many rounds (0: never) */
    int cold_cols;    /* input for tests: columns let in from which a round is solved from scratch (0: 4,500) */
    int warm_its;     /* input for tests: iterations after which a warm round is finished from scratch (0: 5,000) */
} eng_sift_res;
int eng_sift(const eng_tab *T, eng_lp *L, const eng_options *opt, double stop_at, eng_sift_res *res);
/* The same from min_cols sifted columns on (eng_sift: ENG_SIFT_MIN_COLS; tests: any). */
int eng_sift_from(const eng_tab *T, eng_lp *L, const eng_options *opt, double stop_at, int min_cols,
                  eng_sift_res *res);

/* bound.c — for the max-score stage: an upper bound on every plan from P's
 * current row duals, optimal or not (Lagrangian relaxation of the rows that
 * couple countries; one small LP per country). lb/ub: the true column
 * bounds, indexed by column. eng_blocks owns its per-country LPs; build
 * returns NULL when out of memory; bound returns INFINITY when it cannot
 * tell (P changed shape, or a country's LP failed). */
typedef struct eng_blocks eng_blocks;
eng_blocks *eng_blocks_build(const eng_tab *T, const eng_lp *L, glp_prob *P, const double *lb,
                             const double *ub);
/* deadline: monotonic seconds; a country's LP still running then gives INFINITY */
double eng_blocks_bound(eng_blocks *B, glp_prob *P, const double *lb, const double *ub, double deadline);
void eng_blocks_free(eng_blocks *B);

/* commit.c — after an infeasible stage 1: deletion filter over the
 * commitments, reporting a minimal conflicting set (65). */
int eng_commit_conflicts(const eng_tab *T, const eng_options *opt, double deadline,
                         md_diag *d);

/* money.c — the money columns that may pay pair p: its group's slots, then
 * its country's pool slots (col[i], don[i]; room for 2 * ndonors), with
 * *own the group's count; -1 for a pair nobody pays (free). */
int eng_payers(const eng_tab *T, const eng_lp *L, int p, int *col, int *don, int *own);
/* Scales the money columns of v[1..ncols] down to the seats in v so that
 * every funding row holds: a group's money (above its committed amounts)
 * to its seats' cost, in a country with a pool at most that, and the pool
 * to the rest. Never raises a column; -1 when some money falls short of
 * what is due (beyond 1e-9) or committed money exceeds it, 0 otherwise. */
int eng_fit_money(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v);

/* start.c — offers the stage about to run (r's cfg set for it, L's model
 * with the stage's objective and limit rows) the best of r->cfg.opt->start's
 * plans, each checked by an LP over the continuous columns with its seats
 * fixed, in a copy of the model: the best one that is a plan of the stage
 * (in stages 2-3 trimmed as the previous stage's plan is), keeps every row
 * and is no worse than r->st.inject becomes r->st.inject (in buf[1..ncols],
 * r->st.inject_start set). Returns its index in opt->start, or -1 when none
 * is taken (also when a copy of the model would pass --memory-limit, or out
 * of memory). */
int eng_start_offer(const eng_tab *T, const eng_lp *L, eng_run *r, double deadline, double *buf);

/* stable.c — stage 4, stability. eng_stab_map puts the previous seats on
 * T's pairs (p[npairs]; seats on pairs T lacks go to the constant gone);
 * eng_stab_add sets the churn objective and adds its columns and rows after
 * the current ones (remembered for eng_stab_remove, which takes them out
 * again); eng_stab_fill sets those columns in v from v's seats;
 * eng_stab_churn is the churn of v's seats. -1: out of memory. */
typedef struct eng_stab {
    double *p;                  /* [npairs] previous seats */
    double gone;                /* previous seats on no pair of T */
    int ncols0, nrows0;         /* the model's size before eng_stab_add */
} eng_stab;
int eng_stab_map(const eng_tab *T, const eng_prev *prev, eng_stab *S);
void eng_stab_free(eng_stab *S);
int eng_stab_add(const eng_tab *T, eng_lp *L, eng_stab *S);
void eng_stab_fill(const eng_tab *T, const eng_lp *L, const eng_stab *S, double *v);
long eng_stab_churn(const eng_tab *T, const eng_lp *L, const eng_stab *S, const double *v);
int eng_stab_remove(eng_lp *L, eng_stab *S);
/* The churn of plan p against prev (the figure summary.json reports). */
int eng_churn(const eng_plan *p, const eng_prev *prev, long *churn);

/* plan.c — plan from a column vector (1-based, rounded integers). */
int eng_plan_fill(const eng_tab *T, const eng_lp *L, const double *col, eng_plan *p);
int eng_reason_of(const md_model *m, const eng_tab *T, int need);

/* cuts.c — c-MIR cuts at the search's root from the budget knapsacks
 * (implied.c's rows as data) and, when asked, the model's integer rows
 * (docs/solver.md, "Cuts of our own"). eng_cuts_start
 * before glp_intopt (NULL: none; with the verbose log and the cuts off it
 * only watches the root bound), eng_cuts_round at every GLP_ICUTGEN call,
 * eng_cuts_end after (logs and frees). eng_cuts_new (NULL when out of
 * memory; on 0: a watcher without knapsacks, 1: the budget knapsacks, 2:
 * those and the model's own integer rows) takes P's column bounds now
 * as every plan's. eng_cuts_separate hands each cut sum val x <= rhs at
 * point x[1..ncols] to emit (ind/val 1-based), at most one a knapsack and
 * the most efficacious, and returns how many emit took (emit returns 0
 * when it takes one). eng_cuts_mir is the c-MIR of one knapsack sum a x <= b over
 * integer x with l <= x <= u at point xs (work: 3n doubles, comp: n ints):
 * its efficacy (0: none good enough) and the cut coef[0..n-1] x <= *rhs.
 * eng_cuts_count: 0 knapsacks, 1 rounds that added cuts, 2 cuts added.
 * eng_cuts_on: 0 off, else as eng_cuts_new's on (the test switch, or the
 * default for L's size). */
typedef struct eng_cuts eng_cuts;
typedef int (*eng_cut_fn)(void *info, int len, const int *ind, const double *val, double rhs);
int eng_cuts_on(const eng_options *opt, const eng_lp *L);
eng_cuts *eng_cuts_new(const eng_tab *T, const eng_lp *L, int on);
void eng_cuts_free(eng_cuts *C);
int eng_cuts_count(const eng_cuts *C, int which);
int eng_cuts_separate(eng_cuts *C, const double *x, eng_cut_fn emit, void *info);
double eng_cuts_mir(int n, const double *a, double b, const double *l, const double *u, const double *xs,
                    double *work, int *comp, double *coef, double *rhs);
eng_cuts *eng_cuts_start(const eng_run *r, const eng_lp *L);
void eng_cuts_round(eng_cuts *C, glp_tree *tree);
void eng_cuts_end(eng_run *r);
/* timing.c — where one stage's seconds go, printed with -v as one line
 * ("stage N time: LP …, total … s"; docs/solver.md, "Where a stage's time
 * goes"). One bucket is charged at a time, so the buckets add up to the
 * total. Every function takes t NULL (no timing) and then does nothing.
 * eng_time_start opens the stage at now in the LP bucket; eng_time_begin
 * does so unless it is open already (solve.c opens stage 1 before its
 * sifting, eng_run_mip the others); eng_time_enter charges the time so far
 * and switches bucket, returning the one before (to switch back to);
 * eng_time_tree, called first (after 0) and last (after 1) in the search's
 * callback, moves from the root to branch and bound once the root is done;
 * eng_time_stop charges up to now and makes now the end (it may be called
 * again later); eng_time_report writes the line to log (NULL: none) and
 * closes the stage. */
enum { ENG_TIME_LP, ENG_TIME_SUB, ENG_TIME_ROOT, ENG_TIME_HEUR, ENG_TIME_BB, ENG_TIME_NBUCKETS };
/* The root bucket split by what GLPK does between callbacks (a second
 * line, "stage N root: …"; timing.c says how each is told). */
enum { ENG_ROOT_SETUP, ENG_ROOT_LP, ENG_ROOT_CUTS, ENG_ROOT_OTHER, ENG_ROOT_NPHASES };
struct eng_timing {
    double sec[ENG_TIME_NBUCKETS];
    double start, last, end;    /* monotonic: the stage's start, the last charge, its end so far */
    int cur, open;              /* the bucket charged now; a stage is being timed */
    double root_sec[ENG_ROOT_NPHASES]; /* adds up to sec[ENG_TIME_ROOT] */
    double root_mark;           /* sec[ENG_TIME_ROOT] when last split */
    int root_phase, root_rounds; /* the root's running phase; its cut rounds (GLP_ICUTGEN calls) */
};
void eng_time_start(eng_timing *t, double now);
void eng_time_begin(eng_timing *t, double now);
int eng_time_enter(eng_timing *t, int bucket);
void eng_time_tree(eng_timing *t, glp_tree *tree, int after);
void eng_time_stop(eng_timing *t, double now);
void eng_time_report(eng_timing *t, FILE *log, int stage);

#endif
