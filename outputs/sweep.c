/* outputs/sweep.c — a sweep's files (docs/formats.md, Sweep outputs). Each
 * variant leaves variant.tsv beside its run outputs, written last, so that a
 * merge (in the same process, or a later `--merge` after a job array) builds
 * sweep.csv, marginal.csv and sweep.md from the variants' folders alone.
 * Every file is written to a temporary and renamed into place when complete. */
#include "sweep.h"
#include "writers.h"
#include "fsutil.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*body_fn)(FILE *f, const void *ctx);

/* dir/name replaced by what body writes, or left as it was. */
static int write_atomic(const char *dir, const char *name, body_fn body, const void *ctx, md_diag *d)
{
    char tmp[4096], dst[4096];
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        md_fail(d, out_create_errcode(e), "cannot create %s: %s", dst, strerror(e));
        return out_create_errcode(e);
    }
    int bad = body(f, ctx) != 0;
    if (fflush(f) != 0 || ferror(f)) bad = 1;
    int e = errno;
    if (!bad && fsync(fileno(f)) != 0) { bad = 1; e = errno; }
    if (fclose(f) != 0 && !bad) { bad = 1; e = errno; }
    if (!bad && rename(tmp, dst) != 0) { bad = 1; e = errno; }
    if (bad) {
        unlink(tmp);
        md_fail(d, MD_EX_IOERR, "cannot write %s: %s", dst, strerror(e ? e : EIO));
        return MD_EX_IOERR;
    }
    out_fsync_dir(dir);
    return 0;
}

/* An id that a line of variant.tsv can hold as a field. */
static int plain_id(const char *s)
{
    return strlen(s) < 200 && !strpbrk(s, "\t\n\r");
}

typedef struct result_ctx {
    const md_model *m;
    const eng_plan *p;
    int rc;
    const char *reason;
    const char *const *started;
} result_ctx;

static int result_body(FILE *f, const void *vctx)
{
    const result_ctx *c = vctx;
    if (!c->p) {
        fprintf(f, "state\tfailed\nexit_code\t%d\n", c->rc);
        if (c->reason && c->reason[0]) {
            fputs("reason\t", f);
            for (const char *s = c->reason; *s; s++) fputc(*s == '\n' || *s == '\t' ? ' ' : *s, f);
            fputc('\n', f);
        }
        return 0;
    }
    const md_model *m = c->m;
    const eng_plan *p = c->p;
    long fully = 0, covered = 0;
    for (int i = 0; i < m->nneeds; i++) {
        long s = m->needs[i].seats, v = p->covered[i];
        if (v > s) v = s;
        if (v < 0) v = 0;
        covered += v;
        if (v >= s) fully++;
    }
    int st = p->status >= 0 && p->status < ENG_NSTATUS ? p->status : ENG_INTERRUPTED;
    fprintf(f, "state\tdone\nstatus\t%s\n", eng_status_names[st]);
    fprintf(f, "score\t%.17g\nscore_bound\t%.17g\ntotal_cost\t%.17g\n", p->score, p->score_bound,
            p->total_cost);
    fprintf(f, "seats\t%ld\nneeds_fully_covered\t%ld\nseats_covered\t%ld\n", p->seats, fully, covered);
    double budget = 0;
    for (int i = 0; i < m->ndonors; i++) budget += m->donors[i].budget_base;
    fprintf(f, "budget_total\t%.17g\n", budget);
    for (int i = 0; i < m->ndonors; i++) {
        int u = p->unspent_reason ? p->unspent_reason[i] : ENG_U_NONE;
        fprintf(f, "donor\t%s\t%.17g\t%s\n", m->donors[i].id, p->donor_spent ? p->donor_spent[i] : 0.0,
                u > ENG_U_NONE && u < ENG_NUNSPENT ? eng_unspent_names[u] : "");
    }
    if (c->started && (c->started[0] || c->started[1] || c->started[2])) {
        fputs("started", f);
        for (int s = 0; s < 3; s++) fprintf(f, "\t%s", c->started[s] && plain_id(c->started[s]) ? c->started[s] : "");
        fputc('\n', f);
    }
    /* the plan's seats, from which later variants may start (docs/solver.md,
     * "Starting plans"); all of them or none */
    int plain = 1;
    for (int i = 0; i < p->nalloc && plain; i++)
        plain = plain_id(m->countries[p->alloc[i].c].code) && plain_id(m->courses[p->alloc[i].k].id);
    if (plain) {
        fprintf(f, "plan\t%d\n", p->nalloc);
        for (int i = 0; i < p->nalloc; i++)
            fprintf(f, "seat\t%s\t%s\t%ld\n", m->countries[p->alloc[i].c].code, m->courses[p->alloc[i].k].id,
                    p->alloc[i].seats);
    }
    return 0;
}

int out_sweep_result_write(const char *dir, const md_model *m, const eng_plan *p, const char *const *started,
                           md_diag *d)
{
    result_ctx c = { m, p, 0, NULL, started };
    return write_atomic(dir, OUT_SWEEP_RESULT_FILE, result_body, &c, d);
}

int out_sweep_failed_write(const char *dir, int rc, const char *reason, md_diag *d)
{
    if (out_mkdirs(dir) != 0) {
        int e = errno;
        md_fail(d, out_create_errcode(e), "cannot create %s: %s", dir, strerror(e));
        return out_create_errcode(e);
    }
    result_ctx c = { NULL, NULL, rc, reason, NULL };
    return write_atomic(dir, OUT_SWEEP_RESULT_FILE, result_body, &c, d);
}

void out_sweep_result_free(out_sweep_result *r)
{
    for (int i = 0; i < r->ndonors; i++) {
        free(r->donor[i]);
        free(r->unspent_reason[i]);
    }
    free(r->donor);
    free(r->spent);
    free(r->unspent_reason);
    for (int i = 0; i < r->nseat; i++) {
        free(r->seat[i].country);
        free(r->seat[i].course);
    }
    free(r->seat);
    memset(r, 0, sizeof *r);
}

static int add_donor(out_sweep_result *r, const char *id, double spent, const char *reason)
{
    int n = r->ndonors + 1;
    char **ids = realloc(r->donor, (size_t)n * sizeof *ids);
    if (ids) r->donor = ids;
    double *sp = realloc(r->spent, (size_t)n * sizeof *sp);
    if (sp) r->spent = sp;
    char **rs = realloc(r->unspent_reason, (size_t)n * sizeof *rs);
    if (rs) r->unspent_reason = rs;
    if (!ids || !sp || !rs) return -1;
    char *a = strdup(id), *b = strdup(reason);
    if (!a || !b) { free(a); free(b); return -1; }
    r->donor[r->ndonors] = a;
    r->spent[r->ndonors] = spent;
    r->unspent_reason[r->ndonors] = b;
    r->ndonors = n;
    return 0;
}

static int add_seat(out_sweep_result *r, char *line)
{
    char *course = strchr(line, '\t'), *n = course ? strchr(course + 1, '\t') : NULL;
    if (!n) return 1;
    *course++ = '\0';
    *n++ = '\0';
    char *end;
    long seats = strtol(n, &end, 10);
    if (*end || seats <= 0) return 1;
    out_sweep_seat *s = realloc(r->seat, (size_t)(r->nseat + 1) * sizeof *s);
    if (!s) return -1;
    r->seat = s;
    s = &r->seat[r->nseat];
    s->country = strdup(line);
    s->course = strdup(course);
    s->seats = seats;
    r->nseat++;
    return s->country && s->course ? 0 : -1;
}

int out_sweep_result_read(const char *dir, out_sweep_result *r)
{
    memset(r, 0, sizeof *r);
    r->budget_total = NAN;
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/%s", dir, OUT_SWEEP_RESULT_FILE);
    FILE *f = fopen(path, "r");
    if (!f) {
        r->state = errno == ENOENT ? OUT_SW_MISSING : OUT_SW_FAILED;
        return 0;
    }
    int state = OUT_SW_FAILED, have = 0, broken = 0;
    long plan = -1;
    while (fgets(line, sizeof line, f)) {
        if (!strchr(line, '\n') && !feof(f)) broken = 1; /* a line longer than any we write */
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab++ = '\0';
        if (strcmp(line, "state") == 0) state = strcmp(tab, "done") == 0 ? OUT_SW_DONE : OUT_SW_FAILED;
        else if (strcmp(line, "status") == 0) snprintf(r->status, sizeof r->status, "%s", tab);
        else if (strcmp(line, "exit_code") == 0) r->exit_code = atoi(tab);
        else if (strcmp(line, "reason") == 0) snprintf(r->reason, sizeof r->reason, "%s", tab);
        else if (strcmp(line, "budget_total") == 0) r->budget_total = strtod(tab, NULL);
        else if (strcmp(line, "score") == 0) r->score = strtod(tab, NULL), have |= 1;
        else if (strcmp(line, "score_bound") == 0) r->score_bound = strtod(tab, NULL), have |= 2;
        else if (strcmp(line, "total_cost") == 0) r->total_cost = strtod(tab, NULL), have |= 4;
        else if (strcmp(line, "seats") == 0) r->seats = atol(tab), have |= 8;
        else if (strcmp(line, "needs_fully_covered") == 0) r->needs_fully_covered = atol(tab), have |= 16;
        else if (strcmp(line, "seats_covered") == 0) r->seats_covered = atol(tab), have |= 32;
        else if (strcmp(line, "plan") == 0) plan = atol(tab);
        else if (strcmp(line, "started") == 0) {
            for (int s = 0; s < 3 && tab; s++) {
                char *next = strchr(tab, '\t');
                if (next) *next++ = '\0';
                snprintf(r->started[s], sizeof r->started[s], "%s", tab);
                tab = next;
            }
        }
        else if (strcmp(line, "seat") == 0) {
            int rc = add_seat(r, tab);
            if (rc < 0) {
                fclose(f);
                out_sweep_result_free(r);
                return MD_EX_SOFTWARE;
            }
            if (rc) broken = 1;
        } else if (strcmp(line, "donor") == 0) {
            char *t2 = strchr(tab, '\t'), *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
            if (!t2 || !t3) continue;
            *t2++ = '\0';
            *t3++ = '\0';
            if (add_donor(r, tab, strtod(t2, NULL), t3) != 0) {
                fclose(f);
                out_sweep_result_free(r);
                return MD_EX_SOFTWARE;
            }
        }
    }
    fclose(f);
    r->state = state == OUT_SW_DONE && (have != 63 || !r->status[0]) ? OUT_SW_FAILED : state;
    r->plan = r->state == OUT_SW_DONE && !broken && plan == r->nseat;
    return 0;
}

/* ---- the sweep's tables ------------------------------------------------ */

const char *out_sweep_state_text(const out_sweep_result *r)
{
    return r->state == OUT_SW_DONE ? r->status : r->state == OUT_SW_FAILED ? "failed" : "missing";
}

static int csv_body(FILE *f, const void *vctx)
{
    const out_sweep_table *t = vctx;
    char a[32], b[32];
    const out_sweep_result *ref = t->ref >= 0 ? &t->res[t->ref] : NULL;
    int have_ref = ref && ref->state == OUT_SW_DONE;
    fputs("variant,status,score,score_bound,total_cost,seats,needs_fully_covered,seats_covered,"
          "delta_score,delta_cost\n", f);
    for (int i = 0; i < t->n; i++) {
        const out_sweep_result *r = &t->res[i];
        out_csv_field(f, t->names[i]);
        fputc(',', f);
        out_csv_field(f, out_sweep_state_text(r));
        if (r->state != OUT_SW_DONE) { fputs(",,,,,,,,\n", f); continue; }
        fprintf(f, ",%s", out_fmt_number(a, r->score));
        fprintf(f, ",%s", out_fmt_number(a, r->score_bound));
        fprintf(f, ",%s,%ld,%ld,%ld", out_fmt_amount(a, r->total_cost), r->seats,
                r->needs_fully_covered, r->seats_covered);
        if (have_ref)
            fprintf(f, ",%s,%s\n", out_fmt_number(a, r->score - ref->score),
                    out_fmt_amount(b, r->total_cost - ref->total_cost));
        else
            fputs(",,\n", f);
    }
    return 0;
}

static void num_or_empty(FILE *f, double v, int amount)
{
    char a[32];
    fputc(',', f);
    if (isfinite(v)) fputs(amount ? out_fmt_amount(a, v) : out_fmt_number(a, v), f);
}

static int marginal_body(FILE *f, const void *vctx)
{
    const out_sweep_table *t = vctx;
    fputs("donor,currency,budget,step,spent,score_gain,score_gain_per_1000\n", f);
    for (int i = 0; i < t->nmarginal; i++) {
        const out_sweep_marginal *g = &t->marginal[i];
        out_csv_field(f, g->donor);
        fputc(',', f);
        out_csv_field(f, g->currency);
        num_or_empty(f, g->budget, 1);
        num_or_empty(f, g->step, 1);
        num_or_empty(f, g->spent, 1);
        num_or_empty(f, g->gain, 0);
        num_or_empty(f, g->per_1000, 0);
        fputc('\n', f);
    }
    return 0;
}

static int md_body(FILE *f, const void *vctx)
{
    const out_sweep_table *t = vctx;
    char a[32], b[32], c[32], e[32];
    const out_sweep_result *ref = t->ref >= 0 ? &t->res[t->ref] : NULL;
    int have_ref = ref && ref->state == OUT_SW_DONE;
    fputs("# What-if sweep: ", f);
    out_md_text(f, t->title);
    fprintf(f, "\n\n%d variants; deltas against `baseline`; money in %s.\n\n", t->n, t->currency);
    fputs("| variant | status | score | Δ score | total cost | Δ cost | seats | needs fully covered |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|\n", f);
    for (int i = 0; i < t->n; i++) {
        const out_sweep_result *r = &t->res[i];
        fputs("| ", f);
        out_md_text(f, t->names[i]);
        fputs(" | ", f);
        out_md_text(f, out_sweep_state_text(r));
        if (r->state != OUT_SW_DONE) { fputs(" | | | | | | |\n", f); continue; }
        fprintf(f, " | %s | %s | %s | %s | %ld | %ld |\n", out_fmt_number(a, r->score),
                have_ref ? out_fmt_number(b, r->score - ref->score) : "",
                out_fmt_amount(c, r->total_cost),
                have_ref ? out_fmt_amount(e, r->total_cost - ref->total_cost) : "",
                r->seats, r->needs_fully_covered);
    }
    for (int i = 0, nbad = 0; i < t->n; i++) {
        const out_sweep_result *r = &t->res[i];
        if (r->state == OUT_SW_DONE) continue;
        if (!nbad++) fputs("\nNot done:\n\n", f);
        fputs("- ", f);
        out_md_text(f, t->names[i]);
        if (r->state == OUT_SW_MISSING) fputs(": missing: its folder holds no result (not run, or stopped)\n", f);
        else {
            fprintf(f, ": failed (exit %d)%s", r->exit_code, r->reason[0] ? ": " : "");
            out_md_text(f, r->reason);
            fputc('\n', f);
        }
    }
    if (t->nmarginal < 0) return 0;
    fputs("\n## Marginal value of each donor's money\n\n"
          "Score gained by one more step of a donor's budget, alone, against `baseline`.\n\n"
          "| donor | budget | step | spent | score gain | per 1,000 |\n"
          "|---|---:|---:|---:|---:|---:|\n", f);
    for (int i = 0; i < t->nmarginal; i++) {
        const out_sweep_marginal *g = &t->marginal[i];
        fputs("| ", f);
        out_md_text(f, g->donor);
        fprintf(f, " | %s %s | %s | %s |", out_fmt_amount(a, g->budget), g->currency,
                out_fmt_amount(b, g->step), out_fmt_amount(c, g->spent));
        fprintf(f, " %s |", isfinite(g->gain) ? out_fmt_number(a, g->gain) : "missing");
        fprintf(f, " %s |\n", isfinite(g->per_1000) ? out_fmt_number(a, g->per_1000) : "");
    }
    int none = 0;
    for (int i = 0; i < t->nmarginal; i++) {
        const out_sweep_marginal *g = &t->marginal[i];
        if (!isfinite(g->gain) || fabs(g->gain) > 1e-9) continue;
        if (!none++) fputs("\nWhere extra money buys nothing:\n\n", f);
        fputs("- ", f);
        out_md_text(f, g->donor);
        if (g->reason && g->reason[0]) {
            fputs(": the base plan already leaves money unspent (", f);
            out_md_text(f, g->reason);
            fputs(")\n", f);
        } else {
            fputs(": its budget is all spent, but one more step buys no seat that raises the score\n", f);
        }
    }
    return 0;
}

static int html_body(FILE *f, const void *vctx) { return out_sweep_html(f, vctx); }

int out_sweep_write(const char *dir, const out_sweep_table *t, md_diag *d)
{
    int rc = write_atomic(dir, "sweep.csv", csv_body, t, d);
    if (!rc && t->nmarginal >= 0) rc = write_atomic(dir, "marginal.csv", marginal_body, t, d);
    if (!rc) rc = write_atomic(dir, "sweep.md", md_body, t, d);
    if (!rc) rc = write_atomic(dir, "sweep.html", html_body, t, d);
    return rc;
}
