/* inputs/sweep.h — what-if sweeps (docs/formats.md, The sweep file): the
 * sweep file read once, its variants listed (named ones, grid combinations,
 * marginal steps), and each variant applied to a copy of the base model
 * loaded once, exactly as a hand edit of the input files would change it.
 * Ownership: an in_sweep owns its parsed document and every name; variant
 * models made by in_sweep_apply() borrow strings from the base model and
 * from the sweep, so both must outlive them. */
#ifndef IN_SWEEP_H
#define IN_SWEEP_H
#include "../models/model.h"

/* Most variants a grid may make unless the caller allows more. */
#define IN_SWEEP_MAX_GRID 10000

typedef struct in_sweep in_sweep;

/* What a variant is, for the reports. */
enum in_variant_kind { IN_V_NAMED, IN_V_BASELINE_IMPLICIT, IN_V_GRID, IN_V_MARGINAL };

/* Reads and checks the sweep file's own structure (keys, names, scales,
 * grid size against max_grid). Every problem is reported to d, positioned
 * in the sweep file. Returns 0 with *out set, or the exit code (65, 66, 70);
 * after 65, *out is still set when the base is named, so that
 * in_sweep_check() can report the rest; else *out is NULL. The base scenario's path is in_sweep_base(). */
int in_sweep_read(const char *path, long max_grid, in_sweep **out, md_diag *d);
void in_sweep_free(in_sweep *sw);
const char *in_sweep_base(const in_sweep *sw);

/* Adds the marginal variants (one per donor of the loaded base) and checks
 * names that need the base: duplicate names and folder names, then builds
 * and validates variant `only` once, or every variant when only is
 * IN_SWEEP_ALL, or none with IN_SWEEP_NAMES (a merge needs the names
 * alone). Each variant that validates is then given to extra (when not
 * NULL: the checks a solve would make first, which the inputs layer does
 * not know); its errors are reported positioned at the variant in the
 * sweep file, naming the variant and where the input error lies. Nothing
 * is solved. Returns 0, or the exit code after reporting every problem. */
enum { IN_SWEEP_ALL = -1, IN_SWEEP_NAMES = -2 };
typedef int (*in_sweep_extra_check)(const md_model *m, md_diag *d);
int in_sweep_check(in_sweep *sw, const md_model *base, int only, in_sweep_extra_check extra, md_diag *d);

int in_sweep_count(const in_sweep *sw);
const char *in_sweep_name(const in_sweep *sw, int i);
/* The variant's folder name under variants/ (docs/formats.md). */
const char *in_sweep_folder(const in_sweep *sw, int i);
int in_sweep_kind(const in_sweep *sw, int i);
/* For a marginal variant: the donor's index in the base model, else -1. */
int in_sweep_marginal_donor(const in_sweep *sw, int i);
/* The marginal step for donor dn of base, in the donor's currency; 0 when
 * the sweep asks for none. */
double in_sweep_marginal_step(const in_sweep *sw, const md_model *base, int dn);
int in_sweep_has_marginal(const in_sweep *sw);
/* 1 when the sweep has a grid that varies budget_scale alone. */
int in_sweep_budget_grid(const in_sweep *sw);

/* Builds variant i: a copy of base with the variant's changes, validated
 * (out is initialised here, freed by the caller with md_model_free, also
 * after a failure). Returns 0, or the exit code after reporting to d. */
int in_sweep_apply(in_sweep *sw, int i, const md_model *base, md_model *out, md_diag *d);

#endif
