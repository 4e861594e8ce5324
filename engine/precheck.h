/* engine/precheck.h — the solve's own checks of a model, without solving:
 * for callers that must know every input error before any solve starts
 * (the sweep checks each variant this way). */
#ifndef ENG_PRECHECK_H
#define ENG_PRECHECK_H
#include "../models/model.h"

/* Reports to d every error that eng_solve() would report before its first
 * LP (today: a commitment whose pair is not eligible, or whose donor may
 * not fund it). Returns 0, 65 after reporting, or 70 when out of memory.
 * Commitments that clash with each other or with the budgets are found
 * only by solving, and are not checked here. */
int eng_precheck(const md_model *m, md_diag *d);

#endif
