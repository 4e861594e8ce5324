/* inputs/sweep_int.h — the sweep's parsed form, shared by sweep_read.c
 * (reading, listing, checking) and sweep_apply.c (one variant onto a model
 * copy). Internal to inputs/. */
#ifndef IN_SWEEP_INT_H
#define IN_SWEEP_INT_H
#include "sweep.h"
#include "yaml_reader.h"

typedef struct in_variant {
    const char *name, *folder;  /* in the sweep's arena */
    int kind;                   /* enum in_variant_kind */
    const in_ynode *spec;       /* IN_V_NAMED: its mapping */
    long grid;                  /* IN_V_GRID: combination number */
    int donor;                  /* IN_V_MARGINAL: base donor index */
    md_loc loc;                 /* where it is defined, for messages */
    int bad;                    /* its own structure had errors: not applied */
} in_variant;

struct in_sweep {
    char *buf;                  /* the file's bytes (the document points into its own arena) */
    size_t len;
    in_ydoc doc;
    md_arena arena;
    const char *path, *dir, *base;
    in_variant *v; int nv, cap;
    const in_ynode **gkey, **gval; /* grid: key nodes and their value lists */
    int ngkey;
    long ngrid;
    const in_ynode *grid_node;
    int has_marginal, step_pct;
    double step;                /* a percentage, or an amount in each donor's currency */
    md_loc marginal_loc;
};

/* An error (65) at node n of the sweep file, printf-style. */
void in_sweep_err(in_sweep *sw, md_diag *d, const in_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Grid keys: budget_scale, then the policy and solver settings a grid may vary. */
extern const char *const in_sweep_grid_keys[];
extern const int in_sweep_ngrid_keys;

/* Applies one grid key's value (a node of the sweep) to m; errors to d. */
void in_sweep_grid_value(in_sweep *sw, const in_ynode *key, const in_ynode *val, md_model *m,
                         md_diag *d);

#endif
