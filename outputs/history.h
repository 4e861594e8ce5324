/* outputs/history.h — the run-history database DIR/results.db
 * (docs/formats.md, results.db).
 * Ownership: every function opens and closes its own connection; an
 * out_history_tx owns its connection until finished; an out_history_prev owns
 * its arrays and strings until out_history_prev_free(). */
#ifndef OUT_HISTORY_H
#define OUT_HISTORY_H
#include "writers.h"
#include "snapshot.h"

#define OUT_HISTORY_FILE "results.db"
#define OUT_HISTORY_SCHEMA 4 /* PRAGMA user_version written by this build */

/* Two-phase append, so that the history row and the renamed files agree:
 *   out_history_begin()  after every writer has staged its files: opens or
 *                        creates DIR/results.db, migrates the schema, BEGIN
 *                        IMMEDIATE, inserts the run and its rows; nothing is
 *                        visible yet.
 *   out_history_finish(tx, 1) after out_stage_commit() succeeded: COMMIT.
 *   out_history_finish(tx, 0) when anything failed: ROLLBACK.
 * Both return 0 or an exit code after reporting to cx->d / d:
 * 75 database busy or locked, 74 disk full / I/O error / corrupt or not a
 * database, 73 cannot open or create it (or schema newer than this build).
 * finish always releases tx, whatever it returns. */
typedef struct out_history_tx out_history_tx;
int out_history_begin(const out_ctx *cx, out_history_tx **tx);
int out_history_finish(out_history_tx *tx, int commit, md_diag *d);

/* begin + finish(commit) in one call, for callers that do not need the two
 * phases. Same return codes. */
int out_history_write(const out_ctx *cx);

/* The previous run recorded in DIR/results.db, for the run-to-run diff. */
typedef struct out_prev_alloc { const char *country, *course; long seats; double cost; } out_prev_alloc;
typedef struct out_prev_cov { const char *country, *topic; long need, covered; } out_prev_cov;
typedef struct out_prev_spend { const char *donor; double spent; } out_prev_spend;
typedef struct out_prev_fund { const char *donor, *country, *course; } out_prev_fund;

typedef struct out_history_prev {
    int present;                  /* 0: no earlier run (or no database) */
    long run_id;
    const char *started_utc, *status;
    double score, total_cost;
    long seats;
    out_prev_alloc *alloc; int nalloc, cap_alloc;   /* sorted by (country, course) */
    out_prev_cov *cov; int ncov, cap_cov;           /* sorted by (country, topic) */
    out_prev_spend *spend; int nspend, cap_spend;   /* sorted by donor; funded donors only */
    out_prev_fund *fund; int nfund, cap_fund;       /* who paid for what, by (country, course, donor) */
    int has_inputs;               /* 0: recorded before results.db kept inputs
                                     (or not asked for) */
    int inputs_settings_only;     /* same input digest: only the settings read */
    out_snap inputs;              /* its run_inputs rows, sorted */
    md_arena arena;               /* the strings */
} out_history_prev;

/* Loads the latest run in DIR/results.db whose started_utc differs from
 * exclude_started (NULL: no exclusion), read-only. A missing database or an
 * empty history leaves prev->present = 0 and returns 0. A database that
 * cannot be read is reported as a warning (the report simply has no diff)
 * and returns 0 too; only out of memory returns 70. Always initialises prev. */
int out_history_previous(const char *dir, const char *exclude_started,
                         out_history_prev *prev, md_diag *d);
/* The same for the latest run, with the inputs it kept (prev->inputs) for
 * the report's input changes. When that run's input digest equals digest
 * (the current run's), only its settings are read: the input files were
 * byte for byte the same, so only command-line overrides can differ. */
int out_history_previous_inputs(const char *dir, const char *digest, out_history_prev *prev, md_diag *d);
void out_history_prev_free(out_history_prev *prev);

#endif
