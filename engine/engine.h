/* engine/engine.h — from a validated model to an audited plan (docs/formats.md, The allocation problem).
 * Ownership: an eng_plan owns all its arrays; eng_plan_free() releases them.
 * The engine borrows the model read-only and never writes files or exits. */
#ifndef ENG_ENGINE_H
#define ENG_ENGINE_H
#include "../models/model.h"

/* ENG_SOLVER_ERROR: GLPK failed in stage 2, 3 or 4 in every attempt and the
 * plan of the stage before was kept (docs/solver.md, "When GLPK fails"). */
enum eng_status { ENG_OPTIMAL, ENG_TIME_LIMIT, ENG_INTERRUPTED, ENG_SOLVER_ERROR, ENG_NSTATUS };
extern const char *const eng_status_names[ENG_NSTATUS]; /* "optimal", "time_limit", "interrupted", "solver_error" */

/* coverage.csv reason codes; ENG_R_NONE when the need is fully covered */
enum eng_reason { ENG_R_NONE, ENG_R_NO_COURSE, ENG_R_LANGUAGE, ENG_R_REGION,
                  ENG_R_QUALITY, ENG_R_PERIOD, ENG_R_NO_FUNDING, ENG_R_RESOURCES };
extern const char *const eng_reason_names[8]; /* "", "no_course", … */

/* coverage.csv detail codes (docs/formats.md, coverage.csv): the first limit that stops one
 * more seat of the cheapest eligible course of a need whose reason is resources; ENG_D_NONE
 * for every other need. */
enum eng_detail { ENG_D_NONE, ENG_D_MIN_COHORT, ENG_D_CAPACITY, ENG_D_MAX_PER_COUNTRY,
                  ENG_D_COUNTRY_HOURS, ENG_D_COUNTRY_HEADCOUNT, ENG_D_SHARE_CAP, ENG_D_BUDGET,
                  ENG_D_OUTSCORED, ENG_D_NOT_PROVEN, ENG_D_PROVIDER_SHARE, ENG_NDETAIL };
extern const char *const eng_detail_names[ENG_NDETAIL]; /* "", "min_cohort", … */
/* summary.json unspent_reason codes; ENG_U_NONE when less than 1.00 is left. */
enum eng_unspent { ENG_U_NONE, ENG_U_NO_ELIGIBLE_PAIR, ENG_U_NEEDS_MET, ENG_U_PAIRS_FULL,
                   ENG_U_SHARE_CAP, ENG_U_MIN_COHORT, ENG_U_BELOW_SEAT_COST, ENG_U_NOT_PROVEN,
                   ENG_U_PROVIDER_SHARE, ENG_NUNSPENT };
extern const char *const eng_unspent_names[ENG_NUNSPENT]; /* "", "no_eligible_pair", … */

/* The figures behind a detail or an unspent_reason, for the reports. */
typedef struct eng_why {
    int code;               /* enum eng_detail or enum eng_unspent */
    int c, k;               /* the pair looked at, -1 when none */
    long step;              /* seats of one more step: 1, or min_seats when k is closed */
    long could;             /* seats c could still send to k (min_cohort) */
    double due;             /* cost of the step, base currency */
    double room;            /* money the donors could still put there */
    double here, there;     /* budget/outscored: score per 1,000 of the step; the lowest
                               last-seat score per 1,000 of the donors' pairs (NAN: none) */
} eng_why;

typedef struct eng_testing eng_testing; /* eng_testing.h */

/* The previous run's plan, for the stability stage (docs/solver.md, "Stage 4:
 * stability"). Borrowed from the caller for the whole solve. */
typedef struct eng_prev_seat { int c, k; long seats; } eng_prev_seat; /* model indices, seats > 0 */
typedef struct eng_prev {
    long run_id;                 /* its run in results.db */
    const eng_prev_seat *seat;   /* any order, each (c, k) at most once */
    int nseat;
    long gone;                   /* its seats on countries or courses the model no longer has */
} eng_prev;

typedef struct eng_options {
    double time_limit;      /* seconds for the whole solve; <= 0: model's setting */
    double mip_gap;         /* < 0: model's setting */
    int verbose;            /* GLPK log to log (else silent) */
    FILE *log;              /* where solver chatter goes (never stdout) */
    volatile int *stop;     /* non-NULL: set to 1 (e.g. by a signal) to stop the solve */
    double mem_limit_mb;    /* > 0: glp_mem_limit; exceeding it is exit 70 with a message */
    const char *export_model; /* non-NULL: write the stage-1 model there (free MPS) */
    /* non-NULL: called about once a second during a solve (stage 1..3,
     * seconds since the solve began, best objective or NAN, bound or NAN) */
    void (*progress)(void *ctx, int stage, double elapsed, double best, double bound);
    void *progress_ctx;
    eng_testing *testing;   /* NULL; the engine's tests only (eng_testing.h) */
    const eng_prev *prev;   /* NULL: no previous plan (no stage 4, no churn) */
    int fresh;              /* with prev: report the churn against it, do not minimise it */
    /* Starting plans (docs/solver.md, "Starting plans"): plans of related
     * scenarios, in model indices (gone > 0: some seat lies outside this
     * model). Each stage 1-3 tries each and starts from the best that is a
     * plan of that stage; NULL or nstart 0: none. Borrowed. */
    const eng_prev *start;
    int nstart;
} eng_options;

typedef struct eng_alloc { int c, k; long seats; double cost; } eng_alloc;      /* cost in base currency */
typedef struct eng_fund { int d, c, k; double amount; } eng_fund;                /* base currency */

typedef struct eng_stage_stats {
    double seconds, objective, bound, gap;
    int nodes;              /* branch-and-bound nodes, -1 unknown */
    int status;             /* enum eng_status of this stage */
} eng_stage_stats;

typedef struct eng_plan {
    int status;             /* enum eng_status */
    double score, score_bound, total_cost;
    long seats;
    eng_alloc *alloc; int nalloc;   /* sorted by (country code, course id) */
    eng_fund *fund; int nfund;      /* sorted by (donor id, country code, course id) */
    long *covered;          /* [m->nneeds] */
    double *need_score;     /* [m->nneeds] */
    int *reason;            /* [m->nneeds] enum eng_reason */
    double *donor_spent;    /* [m->ndonors], base currency */
    int *detail;            /* [m->nneeds] enum eng_detail (eng_explain) */
    eng_why *why;           /* [m->nneeds] the figures behind detail */
    int *unspent_reason;    /* [m->ndonors] enum eng_unspent; unspent = budget_base - donor_spent */
    eng_why *donor_why;     /* [m->ndonors] the figures behind unspent_reason */
    double solve_seconds;
    int rows, cols, ints;   /* size of the stage-1 model */
    eng_stage_stats stage[4]; /* max score, min cost, min seats, min churn (stability) */
    int stab;               /* enum eng_stab_mode: what the run did with a previous plan */
    long previous_run;      /* its run id (stab != ENG_STAB_NONE) */
    long churn;             /* seats that differ from it: sum of |x - x_prev| (stab != ENG_STAB_NONE) */
    int started[3];         /* stages 1-3: the starting plan (opt->start index) the stage began from, -1 none */
} eng_plan;

/* ENG_STAB_NONE: no previous plan; ENG_STAB_REPORT: churn reported, not
 * minimised (--fresh); ENG_STAB_MIN: stage 4 minimised it (stage[3]). */
enum eng_stab_mode { ENG_STAB_NONE, ENG_STAB_REPORT, ENG_STAB_MIN };

void eng_plan_free(eng_plan *p);

/* Solves the lexicographic problem. Returns 0 with *p filled, or an exit
 * code after reporting to d: 65 when the commitments cannot all be honoured
 * (naming them), 70 on solver failure or a failed audit. */
int eng_solve(const md_model *m, const eng_options *opt, eng_plan *p, md_diag *d);

/* Independent re-check of a plan against every constraint of the allocation problem and of its
 * reported totals; reports each violation to d. Returns 0 when it passes. */
int eng_audit(const md_model *m, const eng_plan *p, md_diag *d);

/* Re-counts the churn of p against prev (sum over (country, course) of
 * |seats - previous seats|, plus prev->gone) independently of the engine's
 * own count and reports a mismatch with p->churn to d. Returns 0 when they agree. */
int eng_audit_churn(const eng_plan *p, const eng_prev *prev, md_diag *d);

/* "eligible pair" (docs/formats.md): language, region, quality, period and at least one
 * of c's needed topics covered by k. Used by the engine and the offer lists. */
int eng_pair_eligible(const md_model *m, int c, int k);
/* "eligible donor d for pair (c, k)" (docs/formats.md). */
int eng_donor_eligible(const md_model *m, int d, int c, int k);

/* Input checks for valid but wasteful data (docs/warnings.md): reports each
 * finding with md_warn. Returns 0, or 70 after reporting when out of memory. */
int eng_warnings(const md_model *m, md_diag *d);

/* Fills p's detail, why, unspent_reason and donor_why from the model and the plan's
 * allocations and funding alone (no solver). Returns 0, or 70 when out of memory. */
int eng_explain(const md_model *m, eng_plan *p);

/* Score of one need for a given coverage (the tier formula of docs/formats.md). */
double eng_need_score(const md_model *m, int need, long covered);

#endif
