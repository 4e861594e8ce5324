/* outputs/html.c — report.html: one self-contained page (inline CSS with a
 * print style, inline SVG charts, no script, no network) rendered from the
 * report model. Every user-supplied string goes through out_html_text(). */
#include "pages.h"
#include "equity.h"
#include "report.h"
#include "feedback.h"
#include <stdlib.h>
#include <string.h>

const char out_html_css[] =
    ":root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;--accent:#0b5cad}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);"
    "max-width:70rem;margin:0 auto;padding:1.5rem;overflow-wrap:anywhere}\n"
    "h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.3rem;border-bottom:2px solid var(--line);"
    "padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.1rem;margin-top:1.6rem}h4{margin:1rem 0 .3rem}\n"
    ".muted{color:var(--muted)}a{color:var(--accent)}\n"
    "nav ul{columns:14rem;padding-left:1.2rem}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.7rem;margin:1rem 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:.55rem .75rem;min-width:0}\n"
    ".card .v{display:block;font-size:1.35rem;font-weight:600}.card .l{color:var(--muted);font-size:.85rem}\n"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;margin:.4rem 0 1rem;font-size:.92rem}\n"
    "th,td{border:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:break-word;hyphens:auto;min-width:0}\n"
    "th{background:var(--head)}th.n{width:9%}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".free{color:#1a7f37;font-weight:600}.why{color:#8a4600}\n"
    ".chart{display:block;max-width:100%;height:auto;margin:.5rem 0 1rem}\n"
    "section.country,section.donor{border-top:1px solid var(--line)}\n"
    "@media print{body{max-width:none;padding:0;font-size:9.5pt}nav{display:none}"
    "h2{break-before:page}h3{break-after:avoid}tr,.card,.chart{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}th{background:#eee}}\n"
    ".heat-key{columns:16rem;font-size:.85rem;margin:0 0 1rem}\n";

#define T(s) out_html_text(f, (s))

static const char *cur(const out_report *r) { return r->m->set.currency ? r->m->set.currency : ""; }

static void anchor(FILE *f, const char *prefix, const char *id)
{
    char fn[1024];
    fprintf(f, "%s%s", prefix, out_report_fname(fn, sizeof fn, id));
}

/* A link to the page of an entity: "donors/ID.html". */
static void page_link(FILE *f, const char *folder, const char *id, const char *text)
{
    char fn[1024];
    fprintf(f, "<p class=\"page\"><a href=\"%s/%s.html\">", folder, out_report_fname(fn, sizeof fn, id));
    T(text);
    fputs("</a></p>\n", f);
}

static void card(FILE *f, const char *value, const char *label)
{
    fputs("<div class=\"card\"><span class=\"v\">", f);
    T(value);
    fputs("</span><span class=\"l\">", f);
    T(label);
    fputs("</span></div>\n", f);
}

static void overview(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    char a[64], b[64], c[64], v[160];
    fputs("<section id=\"overview\"><h2>Overview</h2>\n<div class=\"cards\">\n", f);
    snprintf(v, sizeof v, "%ld / %ld", r->seats_covered, r->seats_needed);
    card(f, v, "seats covered / needed");
    card(f, out_report_pct(a, (double)r->seats_covered, (double)r->seats_needed), "of needed seats covered");
    snprintf(v, sizeof v, "%d / %d", r->nneeds_full, m->nneeds);
    card(f, v, "needs fully covered");
    snprintf(v, sizeof v, "total cost (%s)", cur(r));
    card(f, out_fmt_amount(a, p->total_cost), v);
    snprintf(v, sizeof v, "%s", out_report_pct(a, r->spent_total, r->budget_total));
    card(f, v, "of donor budgets spent");
    snprintf(v, sizeof v, "%.2f / %.2f", p->score, p->score_bound);
    card(f, v, "score / upper bound");
    fputs("</div>\n<p class=\"muted\">Solver status: <strong>", f);
    T(eng_status_names[p->status >= 0 && p->status < ENG_NSTATUS ? p->status : ENG_INTERRUPTED]);
    fprintf(f, "</strong> · score %s of its bound · %ld seats allocated · solve time %.1f s"
            " · input digest <code>%s</code>.</p>\n",
            out_report_pct(c, p->score, p->score_bound), p->seats, p->solve_seconds, m->input_digest);

    /* two orders of the same bars instead of a script-driven switch */
    fputs("<h3>Coverage by country, by region</h3>\n", f);
    out_svg_coverage(f, r);
    fputs("<h3>Coverage by country, largest gap first</h3>\n", f);
    out_svg_coverage_gap(f, r);
    fputs("<h3>Coverage by country and topic</h3>\n", f);
    out_svg_heatmap(f, r, -1);
    fputs("<h3>Donor spending by region</h3>\n", f);
    out_svg_donor_regions(f, r);

    fputs("<h3>Budget spent per donor</h3>\n<table class=\"donors\"><thead><tr><th>Donor</th>"
          "<th class=\"n\">Budget</th><th class=\"n\">Spent</th><th class=\"n\">Share</th>"
          "<th class=\"n\">Countries</th></tr></thead><tbody>\n", f);
    for (int d = 0; d < m->ndonors; d++) {
        const md_donor *dn = &m->donors[d];
        double spent = p->donor_spent ? p->donor_spent[d] : 0;
        fputs("<tr><td><a href=\"#", f); anchor(f, "d-", dn->id); fputs("\">", f);
        T(out_report_donor_name(dn));
        fprintf(f, "</a></td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                   "<td class=\"n\">%d</td></tr>\n", out_fmt_amount(a, dn->budget_base),
                out_fmt_amount(b, spent), out_report_pct(c, spent, dn->budget_base), r->donors[d].ncountries);
    }
    fputs("</tbody></table></section>\n", f);
}

/* "ENTITY KEY FIELD OLD → NEW", or "ENTITY KEY added/removed". */
static void input_change_text(FILE *f, const out_snap_change *x)
{
    char a[64], b[64];
    T(x->entity); fputc(' ', f); T(x->key); fputc(' ', f);
    if (!x->field) { T(x->kind); return; }
    T(x->field); fputc(' ', f);
    T(out_val_text(a, &x->old)); fputs(" → ", f); T(out_val_text(b, &x->now));
}

static void change_row(FILE *f, const char *figure, const char *before, const char *after, const char *delta)
{
    fputs("<tr><th scope=\"row\">", f); T(figure);
    fputs("</th><td class=\"n\">", f); T(before);
    fputs("</td><td class=\"n\">", f); T(after);
    fputs("</td><td class=\"n\">", f); T(delta);
    fputs("</td></tr>\n", f);
}

static void headline_changes(FILE *f, const out_report *r)
{
    const eng_plan *p = r->p;
    char a[64], b[64], c[64], label[96];
    fprintf(f, "<h3>Headline figures</h3>\n<table class=\"changes\"><thead><tr><th>Figure</th>"
               "<th class=\"n\">Run %ld</th><th class=\"n\">This run</th><th class=\"n\">Change</th>"
               "</tr></thead><tbody>\n", r->prev_run_id);
    out_fmt_number(a, r->prev_score);
    out_fmt_number(b, p->score);
    change_row(f, "Score", a, b, out_report_delta(c, strtod(b, NULL) - strtod(a, NULL), 0));
    out_report_share(a, r->prev_seats_covered, r->prev_seats_needed);
    out_report_share(b, r->seats_covered, r->seats_needed);
    out_report_delta(c, strtod(b, NULL) - strtod(a, NULL), 1);
    strcat(a, " %"); strcat(b, " %"); strcat(c, " points");
    change_row(f, "Share of seats needed that are covered", a, b, c);
    snprintf(label, sizeof label, "Total cost (%s)", cur(r));
    change_row(f, label, out_fmt_amount(a, r->prev_total_cost), out_fmt_amount(b, p->total_cost),
               out_report_delta(c, (double)(out_report_cents(p->total_cost) - out_report_cents(r->prev_total_cost)), 2));
    snprintf(a, sizeof a, "%ld", r->prev_seats);
    snprintf(b, sizeof b, "%ld", p->seats);
    snprintf(c, sizeof c, "%+ld", p->seats - r->prev_seats);
    change_row(f, "Seats allocated", a, b, c);
    snprintf(a, sizeof a, "%d of %d", r->prev_nneeds_full, r->prev_nneeds);
    snprintf(b, sizeof b, "%d of %d", r->nneeds_full, r->m->nneeds);
    snprintf(c, sizeof c, "%+d", r->nneeds_full - r->prev_nneeds_full);
    change_row(f, "Needs fully covered", a, b, c);
    fputs("</tbody></table>\n", f);
    out_report_churn(f, r, out_html_text, "<p>", "</p>\n");
    fputs("<h3>Spend per donor</h3>\n", f);
    if (!r->nspend_changes) { fputs("<p>No donor spent anything in either run.</p>\n", f); return; }
    fprintf(f, "<table class=\"changes\"><thead><tr><th>Donor</th><th class=\"n\">Run %ld</th>"
               "<th class=\"n\">This run</th><th class=\"n\">Change</th></tr></thead><tbody>\n", r->prev_run_id);
    for (int i = 0; i < r->nspend_changes; i++) {
        const out_rep_spendchg *x = &r->spend_changes[i];
        change_row(f, x->donor, out_fmt_amount(a, x->before), out_fmt_amount(b, x->after),
                   out_report_delta(c, (double)(out_report_cents(x->after) - out_report_cents(x->before)), 2));
    }
    fputs("</tbody></table>\n", f);
}

/* After a table cut at OUT_CHANGES_SHOWN rows. */
static void more(FILE *f, int shown, int total, const char *view)
{
    if (total > shown)
        fprintf(f, "<p class=\"muted\">The first %d of %d are listed; the %s view of results.db has them "
                   "all.</p>\n", shown, total, view);
}

static void input_changes(FILE *f, const out_report *r)
{
    char a[64];
    fputs("<h3>Input changes</h3>\n", f);
    if (!r->prev_has_inputs) {
        fprintf(f, "<p>Run %ld was recorded by an earlier version that kept no inputs: only the plans are "
                   "compared.</p>\n", r->prev_run_id);
        return;
    }
    if (!r->nin_changes) { fputs("<p>No input changed.</p>\n", f); return; }
    fprintf(f, "<table class=\"changes\"><thead><tr><th>Change</th><th>Entity</th><th>Key</th><th>Field</th>"
               "<th>Run %ld</th><th>This run</th></tr></thead><tbody>\n", r->prev_run_id);
    int shown = r->nin_changes < OUT_CHANGES_SHOWN ? r->nin_changes : OUT_CHANGES_SHOWN;
    for (int i = 0; i < shown; i++) {
        const out_snap_change *x = &r->in_changes[i];
        fputs("<tr><td>", f); T(x->kind);
        fputs("</td><td>", f); T(x->entity);
        fputs("</td><td>", f); T(x->key);
        fputs("</td><td>", f); if (x->field) T(x->field);
        fputs("</td><td>", f); if (x->field) T(out_val_text(a, &x->old));
        fputs("</td><td>", f); if (x->field) T(out_val_text(a, &x->now));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    more(f, shown, r->nin_changes, "input_changes");
}

static void plan_row(FILE *f, const out_report *r, const char *kind, const char *country, const char *what,
                     long before, long after, const int *ties, int nties)
{
    fputs("<tr><td>", f); T(kind);
    fputs("</td><td>", f); T(country);
    fputs("</td><td>", f); T(what);
    fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td>", before, after);
    for (int i = 0; i < nties && i < OUT_TIES_SHOWN; i++) {
        if (i) fputs("; ", f);
        input_change_text(f, &r->in_changes[ties[i]]);
    }
    if (nties > OUT_TIES_SHOWN) fprintf(f, "; and %d more", nties - OUT_TIES_SHOWN);
    fputs("</td></tr>\n", f);
}


static void plan_changes(FILE *f, const out_report *r)
{
    fputs("<h3>Plan changes</h3>\n", f);
    if (!r->nseat_changes && !r->nneed_changes) {
        fputs("<p>No seats moved and no need changed between fully covered and not.</p>\n", f);
        return;
    }
    fprintf(f, "<table class=\"changes\"><thead><tr><th>Change</th><th>Country</th><th>Course or topic</th>"
               "<th class=\"n\">Run %ld</th><th class=\"n\">This run</th><th>Related input changes</th>"
               "</tr></thead><tbody>\n", r->prev_run_id);
    int left = OUT_CHANGES_SHOWN;
    for (int i = 0; i < r->nseat_changes && left > 0; i++, left--) {
        const out_rep_seatchg *x = &r->seat_changes[i];
        plan_row(f, r, !x->before ? "pair added" : !x->after ? "pair removed" : "pair resized",
                 x->country, x->course, x->before, x->after, x->ties, x->nties);
    }
    for (int i = 0; i < r->nneed_changes && left > 0; i++, left--) {
        const out_rep_needchg *x = &r->need_changes[i];
        plan_row(f, r, x->now_full ? "need covered" : "need uncovered", x->country, x->topic,
                 x->before, x->after, x->ties, x->nties);
    }
    fputs("</tbody></table>\n", f);
    more(f, OUT_CHANGES_SHOWN - left, r->nseat_changes + r->nneed_changes, "plan_changes");
}

/* First after the title: what changed since the run before (figures,
 * inputs, plan), or one line saying there is nothing to compare with. */
static void changes(FILE *f, const out_report *r)
{
    if (!r->has_prev) {
        fputs("<section id=\"changes\"><h2>Changes since the previous run</h2>\n<p>No earlier run is "
              "recorded in this folder's results.db: nothing to compare with.</p></section>\n", f);
        return;
    }
    fprintf(f, "<section id=\"changes\"><h2>Changes since run %ld</h2>\n<p>Compared with run %ld of ",
            r->prev_run_id, r->prev_run_id);
    T(r->prev_started ? r->prev_started : "?");
    fputs(" in results.db.</p>\n", f);
    headline_changes(f, r);
    input_changes(f, r);
    plan_changes(f, r);
    fputs("</section>\n", f);
}

static void country_link(FILE *f, const md_country *c)
{
    fputs("<a href=\"#", f); anchor(f, "c-", c->code); fputs("\">", f);
    T(c->name ? c->name : c->code);
    fputs("</a> (", f); T(c->code); fputc(')', f);
}

static void unmet(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    char a[64], b[64];
    fputs("<section id=\"unmet\"><h2>Unmet needs</h2>\n", f);
    if (r->nunmet == 0) { fputs("<p>Every need is fully covered.</p></section>\n", f); return; }
    fputs("<p class=\"muted\">Sorted by weighted gap: weight (priority × income weight) × seats still missing.</p>\n"
          "<table class=\"unmet\"><thead><tr><th>Country</th><th>Topic</th><th class=\"n\">Need</th>"
          "<th class=\"n\">Covered</th><th class=\"n\">Weight</th><th class=\"n\">Weighted gap</th>"
          "<th>Why</th><th>Binding limit</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < r->nunmet; i++) {
        int n = r->unmet[i];
        const md_need *nd = &m->needs[n];
        fputs("<tr><td>", f);
        if (nd->c >= 0 && nd->c < m->ncountries) country_link(f, &m->countries[nd->c]);
        else T(nd->country);
        fputs("</td><td>", f); T(out_report_topic_name(m, nd->t));
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%s</td>"
                   "<td class=\"n\">%s</td><td class=\"why\">", nd->seats, r->p->covered ? r->p->covered[n] : 0,
                out_fmt_number(a, r->need_weight[n]), out_fmt_number(b, out_report_gap(r, n)));
        T(out_report_reason_text(r->p->reason ? r->p->reason[n] : ENG_R_RESOURCES));
        fputs("</td><td class=\"why\">", f);
        out_report_detail(f, r, n, out_html_text);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

/* The donor's money left and why, when at least 1.00 is left. */
static void donor_unspent(FILE *f, const out_report *r, int d)
{
    if (!r->p->unspent_reason || r->p->unspent_reason[d] == ENG_U_NONE) return;
    fputs("<p class=\"why\">", f);
    out_report_unspent(f, r, d, out_html_text);
    fputs(".</p>\n", f);
}

static void donor_section(FILE *f, const out_report *r, int d)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    const md_donor *dn = &m->donors[d];
    const out_rep_donor *rd = &r->donors[d];
    char a[64], b[64];
    fputs("<section class=\"donor\" id=\"", f); anchor(f, "d-", dn->id); fputs("\"><h3>", f);
    T(out_report_donor_name(dn)); fputs(" <span class=\"muted\">(", f); T(dn->id); fputs(")</span></h3>\n", f);
    page_link(f, "donors", dn->id, "Donor page, amounts in the donor's currency");
    fputs("<p>Budget ", f);
    double rate = 0;
    if (out_page_own_currency(m, d, &rate)) { /* its own currency first, the rate beside */
        out_page_money(f, m, d, dn->budget_base);
        fputs(", spent ", f);
        out_page_money(f, m, d, p->donor_spent ? p->donor_spent[d] : 0);
        fprintf(f, ", funding %d countr%s (", rd->ncountries, rd->ncountries == 1 ? "y" : "ies");
        out_page_rate(f, m, d);
        fputs(").</p>\n", f);
    } else {
        T(cur(r));
        fprintf(f, " %s, spent %s, funding %d countr%s.</p>\n", out_fmt_amount(a, dn->budget_base),
                out_fmt_amount(b, p->donor_spent ? p->donor_spent[d] : 0), rd->ncountries,
                rd->ncountries == 1 ? "y" : "ies");
    }
    donor_unspent(f, r, d);
    if (rd->nfunds == 0) { fputs("<p>This donor funds nothing in this plan.</p></section>\n", f); return; }
    fputs("<h4>Funding plan</h4>\n<table><thead><tr><th>Country</th><th>Course</th><th>Title</th>"
          "<th class=\"n\">Seats</th><th class=\"n\">Amount</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < rd->nfunds; i++) {
        const eng_fund *fu = &p->fund[rd->funds[i]];
        long seats = 0;
        for (int j = 0; j < p->nalloc; j++)
            if (p->alloc[j].c == fu->c && p->alloc[j].k == fu->k) seats = p->alloc[j].seats;
        fputs("<tr><td>", f); country_link(f, &m->countries[fu->c]);
        fputs("</td><td>", f); T(m->courses[fu->k].id);
        fputs("</td><td>", f); T(out_report_course_title(m, fu->k));
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">", seats);
        out_page_money(f, m, d, fu->amount);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<h4>Spend by region and topic</h4>\n<table class=\"split\"><thead><tr>"
          "<th>Region</th><th class=\"n\">Amount</th><th>Topic</th><th class=\"n\">Amount</th></tr></thead><tbody>\n", f);
    int g = 0, t = 0;
    for (;;) {
        while (g < r->nregions && rd->by_region[g] == 0) g++;
        while (t < m->ntopics && rd->by_topic[t] == 0) t++;
        if (g >= r->nregions && t >= m->ntopics) break;
        fputs("<tr><td>", f);
        if (g < r->nregions) {
            T(*r->regions[g] ? r->regions[g] : "(no region)");
            fputs("</td><td class=\"n\">", f);
            out_page_money(f, m, d, rd->by_region[g]);
            g++;
        } else fputs("</td><td class=\"n\">", f);
        fputs("</td><td>", f);
        if (t < m->ntopics) {
            T(out_report_topic_name(m, t));
            fputs("</td><td class=\"n\">", f);
            out_page_money(f, m, d, rd->by_topic[t]);
            t++;
        } else fputs("</td><td class=\"n\">", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

static void country_section(FILE *f, const out_report *r, int c)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    const md_country *cn = &m->countries[c];
    const out_rep_country *rc = &r->countries[c];
    char a[64], b[64];
    fputs("<section class=\"country\" id=\"", f); anchor(f, "c-", cn->code); fputs("\"><h3>", f);
    T(cn->name ? cn->name : cn->code); fputs(" <span class=\"muted\">(", f); T(cn->code);
    fputs(")</span></h3>\n", f);
    page_link(f, "countries", cn->code, "Country page");
    fputs("<p class=\"muted\">Region: ", f);
    T(cn->region ? cn->region : "(none)");
    fprintf(f, " · income group: %s · languages: ",
            cn->income >= 0 && cn->income < MD_INC_COUNT ? md_income_names[cn->income] : "(none)");
    for (int i = 0; i < cn->languages.n; i++) {
        if (i) fputs(", ", f);
        T(cn->languages.v[i]);
    }
    fprintf(f, "</p>\n<p>Seats covered: <strong>%ld of %ld</strong> (%s); needs fully covered: %d of %d; cost ",
            rc->seats_covered, rc->seats_needed, out_report_pct(a, (double)rc->seats_covered, (double)rc->seats_needed),
            rc->nneeds_full, cn->need_count);
    T(cur(r));
    fprintf(f, " %s.</p>\n", out_fmt_amount(b, rc->cost));

    fputs("<h4>Needs</h4>\n", f);
    if (cn->need_count == 0) fputs("<p>No needs recorded.</p>\n", f);
    else fputs("<table><thead><tr><th>Topic</th><th class=\"n\">Need</th><th class=\"n\">Covered</th>"
               "<th class=\"n\">Score</th><th>Why not fully covered</th></tr></thead><tbody>\n", f);
    for (int i = cn->need_first; i < cn->need_first + cn->need_count && i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        int why = p->reason ? p->reason[i] : ENG_R_NONE;
        fputs("<tr><td>", f); T(out_report_topic_name(m, nd->t));
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td><td class=\"n\">%s</td><td class=\"why\">",
                nd->seats, p->covered ? p->covered[i] : 0,
                out_fmt_number(a, p->need_score ? p->need_score[i] : 0));
        if (why != ENG_R_NONE) T(out_report_reason_text(why));
        fputs("</td></tr>\n", f);
    }
    if (cn->need_count) fputs("</tbody></table>\n", f);

    fputs("<h4>Allocated seats</h4>\n", f);
    if (rc->nallocs == 0) fputs("<p>No seats allocated.</p>\n", f);
    else fputs("<table class=\"allocs\"><thead><tr><th>Course</th><th>Title</th><th class=\"n\">Seats</th>"
               "<th class=\"n\">Cost</th><th>Paid by</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < rc->nallocs; i++) {
        const eng_alloc *al = &p->alloc[rc->allocs[i]];
        fputs("<tr><td>", f); T(m->courses[al->k].id);
        fputs("</td><td>", f); T(out_report_course_title(m, al->k));
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%s</td><td>", al->seats, out_fmt_amount(a, al->cost));
        int first = 1;
        for (int j = 0; j < rc->nfunds; j++) {
            const eng_fund *fu = &p->fund[rc->funds[j]];
            if (fu->k != al->k) continue;
            if (!first) fputs(", ", f);
            fputs("<a href=\"#", f); anchor(f, "d-", m->donors[fu->d].id); fputs("\">", f);
            T(m->donors[fu->d].id);
            fprintf(f, "</a> %s", out_fmt_amount(b, fu->amount));
            first = 0;
        }
        if (first && al->cost <= 0) fputs("<span class=\"free\">free</span>", f);
        fputs("</td></tr>\n", f);
    }
    if (rc->nallocs) fputs("</tbody></table>\n", f);

    fputs("<h4>Fitting offers</h4>\n", f);
    if (rc->noffers == 0) {
        fputs("<p>No course fits this country's languages, region and needs.</p></section>\n", f);
        return;
    }
    fprintf(f, "<p class=\"muted\">%d course%s fit%s (%d free): language, region, quality, period and a "
               "needed topic all match.</p>\n", rc->noffers, rc->noffers == 1 ? "" : "s",
            rc->noffers == 1 ? "s" : "", rc->nfree);
    fputs("<table class=\"offers\"><thead><tr><th>Course</th><th>Provider</th><th>Title</th><th>Format</th>"
          "<th class=\"n\">Hours</th><th class=\"n\">Quality</th><th class=\"n\">Cost per seat</th>"
          "<th>Dates</th><th>Needed topics</th><th class=\"n\">Allocated</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < rc->nshown; i++) {
        int k = rc->offers[i];
        const md_course *co = &m->courses[k];
        long got = 0;
        for (int j = 0; j < rc->nallocs; j++)
            if (p->alloc[rc->allocs[j]].k == k) got = p->alloc[rc->allocs[j]].seats;
        fputs("<tr><td>", f); T(co->id);
        fputs("</td><td>", f); T(co->provider ? co->provider : "");
        fputs("</td><td>", f); out_page_course(f, m, k);
        fprintf(f, "</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">",
                co->format >= 0 && co->format < MD_FMT_COUNT ? md_format_names[co->format] : "",
                out_fmt_number(a, co->hours));
        fputs(co->quality < 0 ? "unrated" : out_fmt_number(a, co->quality), f);
        if (co->cost_base <= 0) fputs("</td><td class=\"n free\">free", f);
        else fprintf(f, "</td><td class=\"n\">%s", out_fmt_amount(b, co->cost_base));
        fputs("</td><td>", f);
        out_page_dates(f, co);
        fputs("</td><td>", f);
        out_report_offer_topics(f, m, c, k, out_html_text);
        fprintf(f, "</td><td class=\"n\">%ld</td></tr>\n", got);
    }
    fputs("</tbody></table>", f);
    if (rc->nshown < rc->noffers)
        fprintf(f, "<p class=\"muted\">The first %d of %d fitting offers are listed (best quality first, "
                   "then cheapest).</p>", rc->nshown, rc->noffers);
    fputs("</section>\n", f);
}

/* At the top: valid inputs that leave money, courses or needs unused. */
static void warnings(FILE *f, const out_report *r)
{
    if (!r->nwarnings) return;
    fputs("<section id=\"warnings\"><h2>Warnings</h2>\n<p>The run went on despite these "
          "(capmatch run --strict makes them errors):</p>\n<ul>\n", f);
    for (int i = 0; i < r->nwarnings; i++) {
        fputs("<li class=\"why\">", f);
        T(r->warnings[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

int out_report_html(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    const char *title = out_report_title(m);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
          "<title>", f);
    T(title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>", out_html_css);
    T(title);
    fputs("</h1>\n<p class=\"muted\">Capacity-building allocation report · all amounts in ", f);
    T(cur(r));
    if (r->label) {
        fputs(" · run label: ", f);
        T(r->label);
    }
    fputs("</p></header>\n<nav><ul>", f);
    if (r->has_prev) fprintf(f, "<li><a href=\"#changes\">Changes since run %ld</a></li>", r->prev_run_id);
    else fputs("<li><a href=\"#changes\">Changes since the previous run</a></li>", f);
    if (r->nwarnings) fputs("<li><a href=\"#warnings\">Warnings</a></li>", f);
    fputs("<li><a href=\"#overview\">Overview</a></li>", f);
    fputs("<li><a href=\"#unmet\">Unmet needs</a></li><li><a href=\"#equity\">Equity</a></li><li><a href=\"#donors\">Donor funding plans</a></li>"
          "<li><a href=\"#countries\">Countries and fitting offers</a></li></ul></nav>\n<main>\n", f);
    changes(f, r);
    warnings(f, r);
    overview(f, r);
    unmet(f, r);
    out_report_quality_html(f, m); /* outputs/report_quality.c */
    out_report_equity_html(f, r); /* report_equity.c */
    fputs("<section id=\"donors\"><h2>Donor funding plans</h2>\n", f);
    if (m->ndonors == 0) fputs("<p>No donors.</p>\n", f);
    for (int d = 0; d < m->ndonors; d++) donor_section(f, r, d);
    fputs("</section>\n<section id=\"countries\"><h2>Countries and fitting offers</h2>\n", f);
    if (m->ncountries == 0) fputs("<p>No countries.</p>\n", f);
    for (int c = 0; c < m->ncountries; c++) country_section(f, r, c);
    fputs("</section>\n</main>\n</body>\n</html>\n", f);
    return ferror(f) ? MD_EX_IOERR : 0;
}

/* report.html, then the page per donor and per country it links to. */
static int write_page(const out_ctx *cx, const out_report *r)
{
    FILE *f = out_stage_open(cx->st, "report.html");
    int rc = f ? out_report_html(f, r) : MD_EX_CANTCREAT;
    return rc ? rc : out_pages_write(cx, r);
}

int out_html(const out_ctx *cx)
{
    return out_report_write(cx, "report.html", write_page);
}
