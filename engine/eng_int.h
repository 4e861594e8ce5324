/* engine/eng_int.h — engine-internal tables shared by the engine's files.
 * Ownership: an eng_tab owns every array it points to (eng_tab_free); it
 * borrows the model, which must outlive it. Nothing here is public API. */
#ifndef ENG_INT_H
#define ENG_INT_H
#include "engine.h"
#include <glpk.h>

/* One eligible (country, course) pair that may receive seats. */
typedef struct eng_pair {
    int c, k;
    long ub;          /* tight upper bound on x(c,k), >= lb_all */
    long lb_all;      /* committed seats of all commitments on the pair */
    int don_first, don_count; /* slots in eng_tab.don: eligible funding donors */
} eng_pair;

typedef struct eng_tab {
    const md_model *m;
    /* topic -> courses covering it (CSR over m->courses' topic_idx) */
    int *tk_start, *tk_list;
    /* donor rule halves: the country part and the course part of SPEC
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
} eng_tab;

/* eligibility.c — the SPEC filters one by one (also used for reasons). */
int eng_lang_ok(const md_model *m, int c, int k);
int eng_region_ok(const md_model *m, int c, int k);
int eng_quality_ok(const md_model *m, int k);
int eng_period_ok(const md_model *m, int k);
/* Need index of (c, t) or -1 (binary search in c's sorted needs). */
int eng_need_of(const md_model *m, int c, int t);
/* The two independent halves of SPEC "eligible donor". */
int eng_donor_country_ok(const md_model *m, int d, int c);
int eng_donor_course_ok(const md_model *m, int d, int k);
/* Income weight of country c (1.0 without an income group). */
double eng_weight(const md_model *m, int need);

/* tables.c — builds T from a validated model; checks commitments (reports
 * each bad one as 65). Returns 0, 65 or 70 (out of memory). */
int eng_tab_build(const md_model *m, eng_tab *T, md_diag *d);
void eng_tab_free(eng_tab *T);
/* Effective cap of donor d for one country (share cap or budget). */
double eng_donor_cap(const md_donor *dn);

/* build.c — the GLPK model. Columns: x per pair, f per funding slot,
 * z per (need, tier) for needs with a covering pair, open per course with
 * min_seats > 0. Commitments enter as bounds, only those with active[i]. */
typedef struct eng_lp {
    glp_prob *P;
    int *xcol;                  /* [npairs] */
    int *fcol;                  /* [ndon] */
    int *zcol;                  /* [nneeds]: first tier column or 0 */
    int *ocol;                  /* [ncourses]: open column or 0 */
    int ncols, nrows, nints;
    int bound_conflict;         /* some lower bound exceeds its upper bound */
} eng_lp;

int eng_lp_build(const eng_tab *T, const unsigned char *active, eng_lp *L, md_diag *d);
void eng_lp_free(eng_lp *L);
/* Objectives of the three stages (and none, for feasibility tests). */
enum { ENG_OBJ_NONE, ENG_OBJ_SCORE, ENG_OBJ_COST, ENG_OBJ_SEATS };
void eng_lp_objective(const eng_tab *T, eng_lp *L, int which);
/* Adds the row "objective `which` >= bound" (score) or "<= bound" (cost)
 * and leaves that objective set. Returns 0, or -1 when out of memory. */
int eng_lp_add_limit(const eng_tab *T, eng_lp *L, int which, double bound);

/* runner.c — one guarded GLPK run of a prepared model. */
typedef struct eng_run {
    const eng_options *opt;
    double deadline;            /* monotonic seconds */
    const double *inject;       /* [ncols + 1] incumbent to offer, or NULL */
    int injected;
    /* results */
    int feasible;               /* an integer solution is available */
    int infeasible;             /* proven: no solution */
    int timed_out, interrupted, failed;
    int lp_ok;                  /* LP relaxation solved to optimality */
    double lp_obj, obj, bound, gap;
    int have_bound, nodes;
    double seconds;
} eng_run;

double eng_now(void);
/* Solves L->P as a MIP (LP relaxation first). Returns 0 when it ran (see
 * the flags), 70 after reporting a solver failure. */
int eng_run_mip(eng_lp *L, double mip_gap, eng_run *r, md_diag *d);

/* commit.c — after an infeasible stage 1: deletion filter over the
 * commitments, reporting a minimal conflicting set (65). */
int eng_commit_conflicts(const eng_tab *T, const eng_options *opt, double deadline,
                         md_diag *d);

/* plan.c — plan from a column vector (1-based, rounded integers). */
int eng_plan_fill(const eng_tab *T, const eng_lp *L, const double *col, eng_plan *p);
int eng_reason_of(const md_model *m, const eng_tab *T, int need);

#endif
