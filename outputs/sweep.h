/* outputs/sweep.h — a sweep's files (docs/formats.md, Sweep outputs): each
 * variant's result line file beside its run outputs, and the sweep's
 * tables built from them: sweep.csv, marginal.csv, sweep.md.
 * Ownership: results read are owned by the caller's out_sweep_result and
 * released by out_sweep_result_free(). */
#ifndef OUT_SWEEP_H
#define OUT_SWEEP_H
#include "../models/model.h"
#include "../engine/engine.h"

/* The file in variants/NAME/ that records the variant's figures. */
#define OUT_SWEEP_RESULT_FILE "variant.tsv"

enum out_sweep_state { OUT_SW_MISSING, OUT_SW_DONE, OUT_SW_FAILED };

typedef struct out_sweep_seat { char *country, *course; long seats; } out_sweep_seat;

typedef struct out_sweep_result {
    int state;                  /* enum out_sweep_state */
    char status[32];            /* the plan's status when done */
    int exit_code;              /* when failed */
    double score, score_bound, total_cost;
    long seats, needs_fully_covered, seats_covered;
    int ndonors;
    char **donor;               /* ids */
    double *spent;              /* base currency */
    char **unspent_reason;      /* "" when none */
    double budget_total;        /* the variant's donor budgets, base currency; NAN when not recorded */
    char reason[256];           /* when failed: why, in words ("" when not known) */
    out_sweep_seat *seat;       /* [nseat] the plan's seats (country code, course id) */
    int nseat;
    int plan;                   /* 1: seat holds the whole plan (a done variant that recorded it) */
    char started[3][128];       /* the variants stages 1-3 started from ("" none) */
} out_sweep_result;

void out_sweep_result_free(out_sweep_result *r);

/* Writes dir/variant.tsv (atomically) for a solved variant; started[s] names
 * the variant whose plan stage s+1 started from (NULL: none, or started NULL).
 * Returns 0 or 73/74. */
int out_sweep_result_write(const char *dir, const md_model *m, const eng_plan *p, const char *const *started,
                           md_diag *d);
/* Writes dir/variant.tsv saying that the variant failed with exit code rc,
 * and why (one line of text, or NULL). */
int out_sweep_failed_write(const char *dir, int rc, const char *reason, md_diag *d);
/* Reads dir/variant.tsv into r; a missing file is OUT_SW_MISSING, an
 * unreadable or malformed one OUT_SW_FAILED. Returns 0, or 70 when out of memory. */
int out_sweep_result_read(const char *dir, out_sweep_result *r);

/* One donor's line of marginal.csv. */
typedef struct out_sweep_marginal {
    const char *donor, *currency;
    double budget, step, spent;  /* the donor's currency */
    double gain, per_1000;       /* NAN when a run is missing */
    const char *reason;          /* the base plan's unspent_reason, "" when none */
} out_sweep_marginal;

typedef struct out_sweep_table {
    const char *title;          /* the sweep file */
    const char *currency;       /* the base currency */
    int n;
    const char *const *names;   /* [n] variant names */
    const out_sweep_result *res;/* [n] */
    int ref;                    /* the index of baseline */
    int nmarginal;              /* -1: no marginal.csv */
    const out_sweep_marginal *marginal;
    /* a grid that varies budget_scale alone: its variants' indexes, for the
     * curve of score against total budget; ncurve 0 when there is none */
    const int *curve;
    int ncurve;
} out_sweep_table;

/* Writes sweep.csv, sweep.md, sweep.html and (nmarginal >= 0)
 * marginal.csv into dir, each replaced atomically. Returns 0 or 73/74
 * after reporting. */
int out_sweep_write(const char *dir, const out_sweep_table *t, md_diag *d);

/* outputs/sweep_html.c: sweep.html, one self-contained page (inline CSS
 * and SVG, no script, no network). Returns 0, or 74 on a write error. */
int out_sweep_html(FILE *f, const out_sweep_table *t);
/* A sweep's status text: the plan's status, "failed" or "missing". */
const char *out_sweep_state_text(const out_sweep_result *r);

#endif
