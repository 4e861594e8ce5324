/* outputs/page_donor.c — donors/ID.html: one donor's page to forward to its
 * programme officer. Every amount is shown in the donor's own currency
 * first, the base amount beside it, with the rate used; each pair the
 * donor pays for jointly with others says who pays what share. */
#include "pages.h"
#include <math.h>
#include <string.h>

#define T(s) out_html_text(f, (s))

/* A seat count that may be a share: "3", or "2.4" when not whole. */
static void seats_text(FILE *f, double v)
{
    double r = floor(v + 0.5);
    if (v > 0 && v < 0.05) fputs("under 0.1", f);
    else if (fabs(v - r) < 0.05) fprintf(f, "%.0f", r);
    else fprintf(f, "%.1f", v);
}

/* Funding splits money, not seats: the donor's seats of a co-funded pair are
 * its share of the pair's donor money times the pair's seats. Writes
 * "3 of 5 seats, co-funded 60% by you, 40% by geneva-law-norms", or "5"
 * when the donor pays alone. */
static void seats_label(FILE *f, const out_report *r, const eng_fund *fu, long seats)
{
    const out_rep_country *rc = &r->countries[fu->c];
    double total = 0;
    int others = 0;
    for (int j = 0; j < rc->nfunds; j++) {
        const eng_fund *g = &r->p->fund[rc->funds[j]];
        if (g->k != fu->k) continue;
        total += g->amount;
        others += g->d != fu->d;
    }
    if (!others || total <= 0) { fprintf(f, "%ld", seats); return; }
    double mine = fu->amount / total;
    fputs("<span class=\"cofund\">", f);
    seats_text(f, mine * (double)seats);
    fprintf(f, " of %ld seats, co-funded %.0f%% by you", seats, mine * 100);
    for (int j = 0; j < rc->nfunds; j++) {
        const eng_fund *g = &r->p->fund[rc->funds[j]];
        if (g->k != fu->k || g->d == fu->d) continue;
        fprintf(f, ", %.0f%% by ", g->amount / total * 100);
        T(r->m->donors[g->d].id);
    }
    fputs("</span>", f);
}

static void summary(FILE *f, const out_report *r, int d)
{
    const md_model *m = r->m;
    const md_donor *dn = &m->donors[d];
    double spent = r->p->donor_spent ? r->p->donor_spent[d] : 0;
    fputs("<section id=\"summary\"><h2>Summary</h2>\n<p>Budget ", f);
    out_page_money(f, m, d, dn->budget_base);
    fputs(", spent ", f);
    out_page_money(f, m, d, spent);
    fprintf(f, ", funding %d countr%s.</p>\n", r->donors[d].ncountries, r->donors[d].ncountries == 1 ? "y" : "ies");
    fputs("<p class=\"rate\">", f);
    if (dn->currency && m->set.currency && strcmp(dn->currency, m->set.currency) != 0) {
        fputs("Amounts in ", f); T(dn->currency); fputs(" are converted from the plan's ", f);
        T(m->set.currency); fputs(" figures at the scenario's rate: ", f); out_page_rate(f, m, d);
    } else {
        fputs("All amounts in ", f); T(m->set.currency ? m->set.currency : "");
    }
    fputs(".</p>\n", f);
    if (r->p->unspent_reason && r->p->unspent_reason[d] != ENG_U_NONE) {
        fputs("<p class=\"why\">", f);
        out_report_unspent(f, r, d, out_html_text);
        fputs(".</p>\n", f);
    }
    fputs("</section>\n", f);
}

static void country_href(FILE *f, const md_country *c)
{
    char fn[1024];
    fprintf(f, "<a href=\"../countries/%s.html\">", out_report_fname(fn, sizeof fn, c->code));
    T(c->name ? c->name : c->code);
    fputs("</a>", f);
}

static void plan(FILE *f, const out_report *r, int d)
{
    const md_model *m = r->m;
    const out_rep_donor *rd = &r->donors[d];
    fputs("<section id=\"funding\"><h2>Funding plan</h2>\n", f);
    if (rd->nfunds == 0) { fputs("<p>This donor funds nothing in this plan.</p></section>\n", f); return; }
    fputs("<table><thead><tr><th>Country</th><th>Course</th><th>Dates</th><th>Seats</th>"
          "<th class=\"n\">Amount</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < rd->nfunds; i++) {
        const eng_fund *fu = &r->p->fund[rd->funds[i]];
        const out_rep_country *rc = &r->countries[fu->c];
        long seats = 0;
        for (int j = 0; j < rc->nallocs; j++)
            if (r->p->alloc[rc->allocs[j]].k == fu->k) seats = r->p->alloc[rc->allocs[j]].seats;
        fputs("<tr><td>", f); country_href(f, &m->countries[fu->c]);
        fputs("</td><td>", f); out_page_course(f, m, fu->k);
        fputs("</td><td>", f); out_page_dates(f, &m->courses[fu->k]);
        fputs("</td><td>", f); seats_label(f, r, fu, seats);
        fputs("</td><td class=\"n\">", f); out_page_money(f, m, d, fu->amount);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<h3>Countries funded</h3>\n<ul class=\"funded\">\n", f);
    for (int i = 0; i < rd->nfunds; i++) {
        int c = r->p->fund[rd->funds[i]].c, dup = 0;
        for (int j = 0; j < i; j++) dup |= r->p->fund[rd->funds[j]].c == c;
        if (dup) continue;
        double sum = 0;
        for (int j = 0; j < rd->nfunds; j++)
            if (r->p->fund[rd->funds[j]].c == c) sum += r->p->fund[rd->funds[j]].amount;
        fputs("<li>", f); country_href(f, &m->countries[c]); fputs(": ", f);
        out_page_money(f, m, d, sum);
        fputs("</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

/* Spend by region and by topic; a topic appears only when the donor paid
 * for it (see out_report_build: an earmarked donor's amounts count only
 * towards the topics it funds). */
static void spend(FILE *f, const out_report *r, int d)
{
    const md_model *m = r->m;
    const out_rep_donor *rd = &r->donors[d];
    fputs("<section id=\"spend\"><h2>Spend by region and topic</h2>\n", f);
    if (rd->nfunds == 0) { fputs("<p>Nothing spent.</p></section>\n", f); return; }
    fputs("<table><thead><tr><th>Region</th><th class=\"n\">Amount</th></tr></thead><tbody>\n", f);
    for (int g = 0; g < r->nregions; g++) {
        if (rd->by_region[g] == 0) continue;
        fputs("<tr><td>", f); T(*r->regions[g] ? r->regions[g] : "(no region)");
        fputs("</td><td class=\"n\">", f); out_page_money(f, m, d, rd->by_region[g]);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<table class=\"topics\"><thead><tr><th>Topic</th><th class=\"n\">Amount</th>"
          "</tr></thead><tbody>\n", f);
    for (int t = 0; t < m->ntopics; t++) {
        if (rd->by_topic[t] == 0) continue;
        fputs("<tr><td>", f); T(out_report_topic_name(m, t));
        fputs("</td><td class=\"n\">", f); out_page_money(f, m, d, rd->by_topic[t]);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

int out_page_donor(FILE *f, const out_report *r, int d)
{
    const md_donor *dn = &r->m->donors[d];
    char title[400];
    snprintf(title, sizeof title, "Funding plan: %s (%s)", out_report_donor_name(dn), dn->id);
    out_page_begin(f, r, title, "Donor page");
    summary(f, r, d);
    plan(f, r, d);
    spend(f, r, d);
    out_page_end(f);
    return ferror(f) ? MD_EX_IOERR : 0;
}
