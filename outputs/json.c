/* outputs/json.c — summary.json (docs/formats.md, summary.json: the warnings, name,
 * currency, the solver stages, the previous run and churn, and the program version). Keys in a fixed
 * order, 2 decimals for amounts, null for any number that is not finite. */
#include "writers.h"
#include "fsutil.h"
#include "equity.h"
#include <math.h>

#ifndef CAPMATCH_VERSION
#define CAPMATCH_VERSION "unknown"
#endif

static void amount(FILE *f, double v)
{
    char buf[32];
    fputs(isfinite(v) ? out_fmt_amount(buf, v) : "null", f);
}

static void number(FILE *f, double v)
{
    char buf[32];
    fputs(isfinite(v) ? out_fmt_number(buf, v) : "null", f);
}

static void status(FILE *f, int s)
{
    if (s >= ENG_OPTIMAL && s < ENG_NSTATUS) out_json_string(f, eng_status_names[s]);
    else fputs("null", f);
}

static void key(FILE *f, const char *k)
{
    fputs(",\n  ", f);
    out_json_string(f, k);
    fputs(": ", f);
}

/* A donor's money left and why (null below 1.00, or without eng_explain). */
static void unspent(FILE *f, const md_model *m, const eng_plan *p, int d)
{
    double left = m->donors[d].budget_base - (p->donor_spent ? p->donor_spent[d] : 0.0);
    int u = p->unspent_reason ? p->unspent_reason[d] : ENG_U_NONE;
    fputs(", \"unspent\": ", f);
    amount(f, left > 0 ? left : 0.0);
    fputs(", \"unspent_reason\": ", f);
    if (u > ENG_U_NONE && u < ENG_NUNSPENT) out_json_string(f, eng_unspent_names[u]);
    else fputs("null", f);
}

int out_json(const out_ctx *cx)
{
    const md_model *m = cx->m;
    const eng_plan *p = cx->p;
    if (m->nneeds > 0 && !p->covered) {
        md_fail(cx->d, MD_EX_SOFTWARE, "summary.json: the plan has no coverage");
        return MD_EX_SOFTWARE;
    }
    long fully = 0, needed = 0, covered = 0;
    for (int i = 0; i < m->nneeds; i++) {
        long s = m->needs[i].seats, c = p->covered[i];
        if (c > s) c = s;
        if (c < 0) c = 0;
        needed += s;
        covered += c;
        if (c >= s) fully++;
    }
    out_equity own; /* provider_hhi (equity.c) */
    const out_equity *eq = out_equity_get(cx->equity, m, p, &own);
    if (!eq) {
        md_fail(cx->d, MD_EX_SOFTWARE, "out of memory writing summary.json");
        return MD_EX_SOFTWARE;
    }
    double hhi = eq->hhi;
    out_equity_done(eq, &own);
    FILE *f = out_stage_open(cx->st, "summary.json");
    if (!f) return out_stage_errcode(cx->st);

    fputs("{\n  \"status\": ", f);
    status(f, p->status);
    key(f, "score"); number(f, p->score);
    key(f, "score_bound"); number(f, p->score_bound);
    key(f, "total_cost"); amount(f, p->total_cost);
    key(f, "seats"); fprintf(f, "%ld", p->seats);
    key(f, "needs"); fprintf(f, "%d", m->nneeds);
    key(f, "needs_fully_covered"); fprintf(f, "%ld", fully);
    key(f, "seats_needed"); fprintf(f, "%ld", needed);
    key(f, "seats_covered"); fprintf(f, "%ld", covered);
    key(f, "provider_hhi"); number(f, hhi);
    key(f, "previous_run"); /* null, and churn null, without a previous plan */
    if (p->stab != ENG_STAB_NONE) fprintf(f, "%ld", p->previous_run);
    else fputs("null", f);
    key(f, "churn");
    if (p->stab != ENG_STAB_NONE) fprintf(f, "%ld", p->churn);
    else fputs("null", f);
    key(f, "donors");
    if (m->ndonors == 0) fputs("{}", f);
    for (int i = 0; i < m->ndonors; i++) {
        fputs(i ? ",\n    " : "{\n    ", f);
        out_json_string(f, m->donors[i].id);
        fputs(": {\"budget\": ", f);
        amount(f, m->donors[i].budget_base);
        fputs(", \"spent\": ", f);
        amount(f, p->donor_spent ? p->donor_spent[i] : 0.0);
        unspent(f, m, p, i);
        fputc('}', f);
        if (i == m->ndonors - 1) fputs("\n  }", f);
    }
    key(f, "solve_seconds"); number(f, p->solve_seconds);
    key(f, "input_digest");
    if (m->input_digest[0]) out_json_string(f, m->input_digest);
    else fputs("null", f);
    key(f, "warnings"); /* always there, [] when none */
    fputc('[', f);
    for (int i = 0; cx->d && i < cx->d->nwarnings; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        out_json_string(f, cx->d->warnings[i]);
    }
    fputs(cx->d && cx->d->nwarnings ? "\n  ]" : "]", f);
    key(f, "name"); out_json_string(f, m->set.name);
    key(f, "currency"); out_json_string(f, m->set.currency);
    key(f, "stages");
    fputc('[', f);
    for (int s = 0; s < (p->stab == ENG_STAB_MIN ? 4 : 3); s++) { /* stage 4 when it minimised the churn */
        const eng_stage_stats *g = &p->stage[s];
        fputs(s ? ",\n    {\"seconds\": " : "\n    {\"seconds\": ", f);
        number(f, g->seconds);
        fputs(", \"objective\": ", f); number(f, g->objective);
        fputs(", \"bound\": ", f); number(f, g->bound);
        fputs(", \"gap\": ", f); number(f, g->gap);
        fputs(", \"nodes\": ", f);
        if (g->nodes >= 0) fprintf(f, "%d", g->nodes);
        else fputs("null", f);
        fputs(", \"status\": ", f); status(f, g->status);
        fputc('}', f);
    }
    fputs("\n  ]", f);
    key(f, "capmatch_version"); out_json_string(f, CAPMATCH_VERSION);
    fputs("\n}\n", f);
    return 0;
}
