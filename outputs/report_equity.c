/* outputs/report_equity.c — the bias-audit section of report.md and
 * report.html: the equity.csv figures as tables, the concentration of
 * spending on providers and the demand without supply. Out of memory
 * leaves a one-line note instead of the tables (the rest of the report
 * stands). */
#include "equity.h"
#include "report.h"

static const char *const dim_titles[OUT_EQ_NDIMS] = {
    "By income group", "By region", "By language of the courses taken", "By provider"
};

static const char intro[] =
    "Who gets the plan's seats and money. Shares are of the whole plan: of the seats needed, of the "
    "seats covered (for languages and providers: of the seats bought) and of the spend.";

static const char hhi_text[] =
    "Concentration of spending on providers (Herfindahl–Hirschman index, 0 to 1; 1 is a single "
    "provider; 0 when nothing is spent): ";

static const char gap_text[] =
    "Demand without supply: needs whose topic no course in any of the country's languages covers, at "
    "any price (a message to course providers). A country that speaks several languages is counted "
    "under each.";

void out_report_equity_md(FILE *f, const out_report *rep)
{
    const md_model *m = rep->m;
    out_equity own;
    char a[32], b[32], c[32], d[32];
    fputs("\n## Equity\n\n", f);
    const out_equity *e = out_equity_get(rep->equity, m, rep->p, &own);
    if (!e) { fputs("The equity figures could not be computed (out of memory).\n", f); return; }
    fprintf(f, "%s\n\n%s%s\n", intro, hhi_text, out_fmt_number(a, e->hhi));
    int dim = -1;
    for (int i = 0; i < e->nrows; i++) {
        const out_eq_row *r = &e->rows[i];
        int country = r->dim <= OUT_EQ_REGION;
        if (r->dim != dim) {
            dim = r->dim;
            fprintf(f, "\n### %s\n\n", dim_titles[dim]);
            fputs(country ? "| Group | Seats needed | Seats covered | Spend | Share of need | Share of covered | Share of spend |\n"
                            "|---|--:|--:|--:|--:|--:|--:|\n"
                          : "| Group | Seats bought | Spend | Share of seats | Share of spend |\n|---|--:|--:|--:|--:|\n", f);
        }
        fputs("| ", f);
        out_md_text(f, r->group);
        if (country)
            fprintf(f, " | %ld | %ld | %s | %s | %s | %s |\n", r->need, r->covered, out_fmt_amount(a, r->spend),
                    out_fmt_number(b, out_equity_share((double)r->need, (double)e->need_total)),
                    out_fmt_number(c, out_equity_share((double)r->covered, (double)e->covered_total)),
                    out_fmt_number(d, out_equity_share(r->spend, e->spend_total)));
        else
            fprintf(f, " | %ld | %s | %s | %s |\n", r->covered, out_fmt_amount(a, r->spend),
                    out_fmt_number(c, out_equity_share((double)r->covered, (double)e->seats_total)),
                    out_fmt_number(d, out_equity_share(r->spend, e->spend_total)));
    }
    fprintf(f, "\n### Demand without supply\n\n%s\n\n", gap_text);
    if (e->ngaps == 0) fputs("None: every need has a course in one of its country's languages.\n", f);
    else fputs("| Language | Topic | Countries | Seats needed |\n|---|---|--:|--:|\n", f);
    for (int i = 0; i < e->ngaps; i++) {
        fputs("| ", f);
        out_md_text(f, e->gaps[i].language);
        fputs(" | ", f);
        out_md_text(f, out_report_topic_name(m, e->gaps[i].t));
        fprintf(f, " | %d | %ld |\n", e->gaps[i].ncountries, e->gaps[i].seats);
    }
    out_equity_done(e, &own);
}

#define T(s) out_html_text(f, (s))

void out_report_equity_html(FILE *f, const out_report *rep)
{
    const md_model *m = rep->m;
    out_equity own;
    char a[32], b[32], c[32], d[32];
    fputs("<section id=\"equity\"><h2>Equity</h2>\n", f);
    const out_equity *e = out_equity_get(rep->equity, m, rep->p, &own);
    if (!e) {
        fputs("<p>The equity figures could not be computed (out of memory).</p></section>\n", f);
        return;
    }
    fputs("<p class=\"muted\">", f); T(intro); fputs("</p>\n<p>", f);
    T(hhi_text);
    fprintf(f, "<strong>%s</strong></p>\n", out_fmt_number(a, e->hhi));
    int dim = -1;
    for (int i = 0; i < e->nrows; i++) {
        const out_eq_row *r = &e->rows[i];
        int country = r->dim <= OUT_EQ_REGION;
        if (r->dim != dim) {
            if (dim >= 0) fputs("</tbody></table>\n", f);
            dim = r->dim;
            fprintf(f, "<h3>%s</h3>\n<table class=\"equity\"><thead><tr><th>Group</th>", dim_titles[dim]);
            fputs(country ? "<th class=\"n\">Seats needed</th><th class=\"n\">Seats covered</th><th class=\"n\">Spend</th>"
                            "<th class=\"n\">Share of need</th><th class=\"n\">Share of covered</th>"
                            "<th class=\"n\">Share of spend</th>"
                          : "<th class=\"n\">Seats bought</th><th class=\"n\">Spend</th>"
                            "<th class=\"n\">Share of seats</th><th class=\"n\">Share of spend</th>", f);
            fputs("</tr></thead><tbody>\n", f);
        }
        fputs("<tr><td>", f);
        T(r->group);
        if (country)
            fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%s</td>"
                       "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    r->need, r->covered, out_fmt_amount(a, r->spend),
                    out_fmt_number(b, out_equity_share((double)r->need, (double)e->need_total)),
                    out_fmt_number(c, out_equity_share((double)r->covered, (double)e->covered_total)),
                    out_fmt_number(d, out_equity_share(r->spend, e->spend_total)));
        else
            fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                       "<td class=\"n\">%s</td></tr>\n", r->covered, out_fmt_amount(a, r->spend),
                    out_fmt_number(c, out_equity_share((double)r->covered, (double)e->seats_total)),
                    out_fmt_number(d, out_equity_share(r->spend, e->spend_total)));
    }
    if (dim >= 0) fputs("</tbody></table>\n", f);
    fputs("<h3>Demand without supply</h3>\n<p class=\"muted\">", f);
    T(gap_text);
    fputs("</p>\n", f);
    if (e->ngaps == 0) fputs("<p>None: every need has a course in one of its country's languages.</p>\n", f);
    else fputs("<table class=\"equity\"><thead><tr><th>Language</th><th>Topic</th><th class=\"n\">Countries</th>"
               "<th class=\"n\">Seats needed</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < e->ngaps; i++) {
        fputs("<tr><td>", f); T(e->gaps[i].language);
        fputs("</td><td>", f); T(out_report_topic_name(m, e->gaps[i].t));
        fprintf(f, "</td><td class=\"n\">%d</td><td class=\"n\">%ld</td></tr>\n", e->gaps[i].ncountries, e->gaps[i].seats);
    }
    if (e->ngaps) fputs("</tbody></table>\n", f);
    fputs("</section>\n", f);
    out_equity_done(e, &own);
}
