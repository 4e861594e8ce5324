/* cli/sweep_start.c — a variant's starting plans (docs/solver.md, "Starting
 * plans"): the plans of the sweep's first variant and of the nearest
 * variants before it that are done, as their variant.tsv records them, put
 * on the variant's model by country code and course id. The engine checks
 * each against the variant's own model; a plan with seats the variant has
 * no country or course for counts them as gone (no plan there). */
#include "sweep_start.h"
#include "seats.h"
#include "../outputs/sweep.h"
#include <stdlib.h>
#include <string.h>

/* Nearest done variants before the one solved, besides the first: the
 * plans of a budget grid's neighbours lie closest to its optimum. */
enum { NEAR = 3 };

static int add(cli_starts *s, const md_model *m, const out_sweep_result *r, const char *name)
{
    eng_prev_seat *seat = r->nseat ? malloc((size_t)r->nseat * sizeof *seat) : NULL;
    if (r->nseat && !seat) return -1;
    int n = 0;
    long gone = 0;
    for (int i = 0; i < r->nseat; i++)
        cli_seat_put(m, r->seat[i].country, r->seat[i].course, r->seat[i].seats, seat, &n, &gone);
    s->seat[s->n] = seat;
    s->name[s->n] = name;
    s->plan[s->n] = (eng_prev){ .run_id = 0, .seat = seat, .nseat = n, .gone = gone };
    s->n++;
    return 0;
}

int cli_sweep_starts(const in_sweep *sw, int i, const char *dir, const md_model *m, cli_starts *s)
{
    memset(s, 0, sizeof *s);
    s->plan = calloc(NEAR + 1, sizeof *s->plan);
    s->seat = calloc(NEAR + 1, sizeof *s->seat);
    s->name = calloc(NEAR + 1, sizeof *s->name);
    if (!s->plan || !s->seat || !s->name) return -1;
    int near = 0;
    for (int j = i - 1; j >= 0 && s->n < NEAR + 1; j--) {
        if (j > 0 && near == NEAR) j = 0; /* the first variant, after the nearest */
        char *vdir = cli_variant_dir(dir, in_sweep_folder(sw, j));
        if (!vdir) return -1;
        out_sweep_result r;
        int rc = out_sweep_result_read(vdir, &r);
        free(vdir);
        if (rc) return -1;
        if (r.state == OUT_SW_DONE && r.plan) {
            if (add(s, m, &r, in_sweep_name(sw, j))) { out_sweep_result_free(&r); return -1; }
            near += j > 0;
        }
        out_sweep_result_free(&r);
    }
    return 0;
}

void cli_starts_free(cli_starts *s)
{
    for (int i = 0; i < s->n; i++) free(s->seat[i]);
    free(s->seat);
    free(s->plan);
    free(s->name);
    memset(s, 0, sizeof *s);
}
