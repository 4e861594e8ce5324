/* outputs/outputs.h — the back of the pipeline: plan → files in a directory.
 * Ownership: borrows the model and plan; owns nothing after returning. */
#ifndef OUT_OUTPUTS_H
#define OUT_OUTPUTS_H
#include "../models/model.h"
#include "../engine/engine.h"

typedef struct out_run {
    const char *started_utc;   /* ISO 8601, e.g. 2027-01-01T02:00:00Z */
    double load_seconds;       /* reading + validation */
    int exit_code;             /* what this run will exit with */
    const char *label;         /* --label TEXT (checked: at most 200 bytes, no
                                * control characters), or NULL */
} out_run;

/* Takes the run lock (flock on DIR/.capmatch.lock, creating DIR if needed).
 * Returns 0 and *fd, 75 when another run holds it (message names its pid),
 * 73 when DIR or the lock file cannot be created. */
int out_lock(const char *dir, int *fd, md_diag *d);
void out_unlock(int fd);

/* Writes every output selected by m->set.formats into dir: all files are
 * staged as temporaries and renamed only when all are complete; on failure
 * the temporaries are removed and the previous outputs are left as they were.
 * The caller must hold the run lock (out_lock): stale temporaries of killed
 * runs are removed here. Returns 0, 73 (cannot create) or 74 (I/O error). */
int out_write(const md_model *m, const eng_plan *p, const out_run *run,
              const char *dir, md_diag *d);

#endif
