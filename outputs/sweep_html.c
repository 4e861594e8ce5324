/* outputs/sweep_html.c — sweep.html: the sweep's table, score and cost per
 * variant, the curve of score against total budget for a grid that varies
 * budget_scale alone, and the marginal value of each donor's money, on one
 * self-contained page (inline CSS with a print style, inline SVG charts
 * from outputs/svg.c, no script, no network). The table's figures are
 * printed exactly as sweep.csv prints them. Every name goes through
 * out_html_text(). */
#include "sweep.h"
#include "writers.h"
#include "svg_chart.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
    ":root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);"
    "max-width:70rem;margin:0 auto;padding:1.5rem;overflow-wrap:anywhere}\n"
    "h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);"
    "padding-bottom:.2rem;margin-top:2rem}\n"
    ".muted{color:var(--muted)}\n"
    ".wide{overflow-x:auto}\n"
    "table{width:100%;border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}\n"
    "th,td{border:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}\n"
    "th{background:var(--head)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.n{white-space:nowrap;overflow-wrap:normal}\n"
    "h3{font-size:1.05rem;margin:1.2rem 0 .2rem}\n"
    ".chart{display:block;max-width:100%;height:auto;margin:.5rem 0 1rem}\n"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}h2{break-after:avoid}"
    "tr,.chart{break-inside:avoid}th{background:#eee}}\n";

#define T(s) out_html_text(f, (s))

/* The base plan's unspent_reason in words (the reports say more, with figures). */
static const char *unspent_words(const char *code)
{
    static const char *const words[][2] = {
        { "no_eligible_pair", "its rules admit no paid course that a country it may fund can take" },
        { "needs_met", "every need it may pay for is already fully covered" },
        { "pairs_full", "every course it may pay for is full or stopped by trainee hours, headcount or a "
                        "per-country limit" },
        { "share_cap", "it reached its share cap per country, and what else it may pay for is stopped too" },
        { "min_cohort", "the courses it may still pay for stay closed below their minimum cohort" },
        { "below_seat_cost", "what is left is less than the cheapest step it may still pay for" },
        { "not_proven", "the solve stopped before it proved the plan best" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(code, words[i][0]) == 0) return words[i][1];
    return "";
}

static const char *cur(const out_sweep_table *t) { return t->currency ? t->currency : ""; }

static void num_cell(FILE *f, const char *s)
{
    fputs("<td class=\"n\">", f);
    T(s);
    fputs("</td>", f);
}

/* The table of sweep.csv, cell for cell. */
static void variants_table(FILE *f, const out_sweep_table *t)
{
    static const char *const cols[] = { "variant", "status", "score", "score_bound", "total_cost", "seats",
                                        "needs_fully_covered", "seats_covered", "delta_score", "delta_cost" };
    const out_sweep_result *ref = t->ref >= 0 ? &t->res[t->ref] : NULL;
    int have_ref = ref && ref->state == OUT_SW_DONE;
    char a[32];
    fputs("<section id=\"variants\"><h2>Variants</h2>\n<div class=\"wide\"><table id=\"sweep-table\">"
          "<thead><tr>", f);
    for (int c = 0; c < 10; c++) fprintf(f, "<th%s>%s</th>", c >= 2 ? " class=\"n\"" : "", cols[c]);
    fputs("</tr></thead><tbody>\n", f);
    for (int i = 0; i < t->n; i++) {
        const out_sweep_result *r = &t->res[i];
        fputs("<tr><td>", f);
        T(t->names[i]);
        fputs("</td><td>", f);
        T(out_sweep_state_text(r));
        fputs("</td>", f);
        if (r->state != OUT_SW_DONE) {
            for (int c = 2; c < 10; c++) fputs("<td class=\"n\"></td>", f);
            fputs("</tr>\n", f);
            continue;
        }
        num_cell(f, out_fmt_number(a, r->score));
        num_cell(f, out_fmt_number(a, r->score_bound));
        num_cell(f, out_fmt_amount(a, r->total_cost));
        fprintf(f, "<td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>", r->seats,
                r->needs_fully_covered, r->seats_covered);
        num_cell(f, have_ref ? out_fmt_number(a, r->score - ref->score) : "");
        num_cell(f, have_ref ? out_fmt_amount(a, r->total_cost - ref->total_cost) : "");
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    int nbad = 0;
    for (int i = 0; i < t->n; i++) {
        const out_sweep_result *r = &t->res[i];
        if (r->state == OUT_SW_DONE) continue;
        if (!nbad++) fputs("<ul id=\"not-done\">\n", f);
        fputs("<li><strong>", f);
        T(t->names[i]);
        fputs("</strong>: ", f);
        if (r->state == OUT_SW_MISSING) fputs("missing: its folder holds no result (not run, or stopped)", f);
        else {
            fprintf(f, "failed (exit %d)", r->exit_code);
            if (r->reason[0]) {
                fputs(": ", f);
                T(r->reason);
            }
        }
        fputs("</li>\n", f);
    }
    if (nbad) fputs("</ul>\n", f);
    fputs("</section>\n", f);
}

/* Score and cost per variant, as bars. */
static int variant_charts(FILE *f, const out_sweep_table *t)
{
    double *score = calloc((size_t)t->n + 1, sizeof *score), *cost = calloc((size_t)t->n + 1, sizeof *cost);
    char *txt = calloc((size_t)t->n + 1, 64);
    const char **shown_s = calloc((size_t)t->n + 1, sizeof *shown_s);
    const char **shown_c = calloc((size_t)t->n + 1, sizeof *shown_c);
    if (!score || !cost || !txt || !shown_s || !shown_c) {
        free(score); free(cost); free(txt); free(shown_s); free(shown_c);
        return -1;
    }
    for (int i = 0; i < t->n; i++) {
        int done = t->res[i].state == OUT_SW_DONE;
        score[i] = done ? t->res[i].score : NAN;
        cost[i] = done ? t->res[i].total_cost : NAN;
        shown_s[i] = done ? out_fmt_number(txt + (size_t)i * 64, score[i]) : NULL;
        shown_c[i] = done ? out_fmt_amount(txt + (size_t)i * 64 + 32, cost[i]) : NULL;
    }
    char title[160];
    fputs("<section id=\"charts\"><h2>Score and cost per variant</h2>\n<h3>Score</h3>\n", f);
    out_svg_bars b = { .id = "chart-score", .title = "Score of each variant",
                       .desc = "One bar a variant, its length the plan's score; the table above has "
                               "the same figures.",
                       .n = t->n, .label = t->names, .value = score, .shown = shown_s,
                       .colour = out_svg_cb_palette[0] };
    out_svg_hbars(f, &b);
    snprintf(title, sizeof title, "Total cost of each variant (%s)", cur(t));
    fputs("<h3>", f);
    T(title);
    fputs("</h3>\n", f);
    b.id = "chart-cost";
    b.title = title;
    b.desc = "One bar a variant, its length the plan's total cost in the base currency; the table "
             "above has the same figures.";
    b.value = cost;
    b.shown = shown_c;
    b.colour = out_svg_cb_palette[1];
    out_svg_hbars(f, &b);
    fputs("</section>\n", f);
    free(score); free(cost); free(txt); free(shown_s); free(shown_c);
    return 0;
}

static int by_budget(const void *x, const void *y)
{
    const double *a = x, *b = y;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Score against total budget for a grid of budget scales alone. */
static int budget_curve(FILE *f, const out_sweep_table *t)
{
    double *pt = calloc((size_t)t->ncurve * 3 + 1, sizeof *pt); /* budget, score, index */
    if (!pt) return -1;
    int n = 0;
    for (int j = 0; j < t->ncurve; j++) {
        const out_sweep_result *r = &t->res[t->curve[j]];
        if (r->state != OUT_SW_DONE || !isfinite(r->budget_total)) continue;
        pt[n * 3] = r->budget_total;
        pt[n * 3 + 1] = r->score;
        pt[n * 3 + 2] = t->curve[j];
        n++;
    }
    if (n < 2) { free(pt); return 0; }
    qsort(pt, (size_t)n, 3 * sizeof *pt, by_budget);
    double *x = calloc((size_t)n, sizeof *x), *y = calloc((size_t)n, sizeof *y);
    const char **lab = calloc((size_t)n, sizeof *lab);
    if (!x || !y || !lab) { free(pt); free(x); free(y); free(lab); return -1; }
    for (int i = 0; i < n; i++) {
        x[i] = pt[i * 3];
        y[i] = pt[i * 3 + 1];
        lab[i] = t->names[(int)pt[i * 3 + 2]];
    }
    char xl[96];
    snprintf(xl, sizeof xl, "total donor budget (%s)", cur(t));
    fputs("<section id=\"budget-curve\"><h2>Score against total budget</h2>\n"
          "<p class=\"muted\">The grid varies every donor's budget by one scale; each point is one of its "
          "variants, its total budget converted to the base currency.</p>\n", f);
    out_svg_line l = { .id = "chart-budget", .title = "Score against the donors' total budget",
                       .desc = "A line through the grid's variants, from the smallest total budget to "
                               "the largest; the table below lists the same points.",
                       .xlabel = xl, .ylabel = "score", .n = n, .x = x, .y = y, .label = lab };
    out_svg_line_chart(f, &l);
    char a[32];
    fputs("<table id=\"budget-table\"><thead><tr><th>variant</th><th class=\"n\">total budget (", f);
    T(cur(t));
    fputs(")</th><th class=\"n\">score</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        T(lab[i]);
        fputs("</td>", f);
        num_cell(f, out_fmt_amount(a, x[i]));
        num_cell(f, out_fmt_number(a, y[i]));
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
    free(pt); free(x); free(y); free(lab);
    return 0;
}

/* Score per 1,000 of each donor's extra money, and where it buys nothing. */
static int marginal_section(FILE *f, const out_sweep_table *t)
{
    int n = t->nmarginal;
    double *v = calloc((size_t)n + 1, sizeof *v);
    const char **lab = calloc((size_t)n + 1, sizeof *lab), **shown = calloc((size_t)n + 1, sizeof *shown);
    char *txt = calloc((size_t)n + 1, 32);
    if (!v || !lab || !shown || !txt) { free(v); free(lab); free(shown); free(txt); return -1; }
    for (int i = 0; i < n; i++) {
        v[i] = t->marginal[i].per_1000;
        lab[i] = t->marginal[i].donor;
        shown[i] = isfinite(v[i]) ? out_fmt_number(txt + (size_t)i * 32, v[i]) : NULL;
    }
    fputs("<section id=\"marginal\"><h2>Marginal value of each donor's money</h2>\n"
          "<p class=\"muted\">Score gained when one donor's budget alone is raised by one step, against "
          "<code>baseline</code>, per 1,000 of the base currency of the step.</p>\n", f);
    out_svg_bars b = { .id = "chart-marginal", .title = "Score gained per 1,000 of each donor's extra money",
                       .desc = "One bar a donor, its length the score its extra step buys per 1,000 of the "
                               "base currency; the table below has the same figures.",
                       .n = n, .label = lab, .value = v, .shown = shown, .colour = out_svg_cb_palette[2] };
    out_svg_hbars(f, &b);
    char a[32];
    fputs("<table id=\"marginal-table\"><thead><tr><th>donor</th><th>currency</th><th class=\"n\">budget</th>"
          "<th class=\"n\">step</th><th class=\"n\">spent</th><th class=\"n\">score gain</th>"
          "<th class=\"n\">per 1,000</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < n; i++) {
        const out_sweep_marginal *g = &t->marginal[i];
        fputs("<tr><td>", f);
        T(g->donor);
        fputs("</td><td>", f);
        T(g->currency);
        fputs("</td>", f);
        num_cell(f, isfinite(g->budget) ? out_fmt_amount(a, g->budget) : "");
        num_cell(f, isfinite(g->step) ? out_fmt_amount(a, g->step) : "");
        num_cell(f, isfinite(g->spent) ? out_fmt_amount(a, g->spent) : "");
        num_cell(f, isfinite(g->gain) ? out_fmt_number(a, g->gain) : "missing");
        num_cell(f, isfinite(g->per_1000) ? out_fmt_number(a, g->per_1000) : "");
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    int none = 0;
    for (int i = 0; i < n; i++) {
        const out_sweep_marginal *g = &t->marginal[i];
        if (!isfinite(g->gain) || fabs(g->gain) > 1e-9) continue;
        if (!none++) fputs("<h3>Where extra money buys nothing</h3>\n<ul id=\"no-gain\">\n", f);
        fputs("<li><strong>", f);
        T(g->donor);
        fputs("</strong>: ", f);
        if (g->reason && g->reason[0]) {
            fputs("the base plan already leaves money unspent (<code>", f);
            T(g->reason);
            fputs("</code>: ", f);
            T(unspent_words(g->reason));
            fputs(")", f);
        } else {
            fputs("its budget is all spent, but one more step buys no seat that raises the score", f);
        }
        fputs("</li>\n", f);
    }
    if (none) fputs("</ul>\n", f);
    fputs("</section>\n", f);
    free(v); free(lab); free(shown); free(txt);
    return 0;
}

int out_sweep_html(FILE *f, const out_sweep_table *t)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>What-if sweep: ", f);
    T(t->title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head><body>\n<h1>What-if sweep</h1>\n<p class=\"muted\">", css);
    T(t->title);
    fprintf(f, " · %d variants · deltas against <code>baseline</code> · money in ", t->n);
    T(cur(t));
    fputs("</p>\n", f);
    variants_table(f, t);
    int rc = variant_charts(f, t);
    if (rc == 0 && t->ncurve > 0) rc = budget_curve(f, t);
    if (rc == 0 && t->nmarginal >= 0) rc = marginal_section(f, t);
    fputs("</body></html>\n", f);
    if (rc != 0) return MD_EX_SOFTWARE;
    return ferror(f) ? MD_EX_IOERR : 0;
}
