/* cli/sweep_start.h — a sweep variant's starting plans (docs/solver.md,
 * "Starting plans"). Ownership: a cli_starts owns its plans' seat arrays;
 * cli_starts_free() releases them. */
#ifndef CLI_SWEEP_START_H
#define CLI_SWEEP_START_H
#include "../engine/engine.h"
#include "../inputs/sweep.h"

typedef struct cli_starts {
    eng_prev *plan;             /* [n] for eng_options.start */
    eng_prev_seat **seat;       /* [n] each plan's seats */
    const char **name;          /* [n] each plan's variant (borrowed from the sweep) */
    int n;
} cli_starts;

/* The plans of the done variants before variant i in DIR (the nearest
 * ones and the first), put on model m's indices. 0, or -1 when out of memory
 * (*s is then to be freed all the same). */
int cli_sweep_starts(const in_sweep *sw, int i, const char *dir, const md_model *m, cli_starts *s);
void cli_starts_free(cli_starts *s);

/* DIR/variants/FOLDER, malloc'd (NULL when out of memory). */
char *cli_variant_dir(const char *dir, const char *folder);

#endif
