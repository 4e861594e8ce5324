/* outputs/pages.c — countries/CODE.html: one country's page to forward to
 * its focal point, self-contained like report.html (inline style, inline
 * SVG, no script, nothing fetched), linking the donors that pay for it;
 * the helpers the donor pages share; and the writer that stages every
 * page into the same set as the Markdown extracts, so that pages of
 * countries and donors gone from the inputs are removed with the set. */
#include "pages.h"
#include <stdlib.h>
#include <string.h>

#define T(s) out_html_text(f, (s))

static const char *base_cur(const md_model *m) { return m->set.currency ? m->set.currency : ""; }

const char *out_page_own_currency(const md_model *m, int d, double *rate)
{
    if (d < 0 || d >= m->ndonors) return NULL;
    const char *c = m->donors[d].currency;
    if (!c || (m->set.currency && strcmp(c, m->set.currency) == 0)) return NULL;
    double x = md_rate_of(m, c);
    if (x <= 0) return NULL;
    *rate = x;
    return c;
}

void out_page_money(FILE *f, const md_model *m, int d, double base)
{
    char a[64], b[64];
    double rate = 0;
    const char *cur = out_page_own_currency(m, d, &rate);
    if (!cur) {
        T(base_cur(m)); fputc(' ', f); T(out_fmt_amount(a, base));
        return;
    }
    fputs("<span class=\"own\">", f); T(cur); fputc(' ', f); T(out_fmt_amount(a, base / rate));
    fputs("</span> <span class=\"muted\">(", f); T(base_cur(m)); fputc(' ', f);
    T(out_fmt_amount(b, base)); fputs(")</span>", f);
}

void out_page_rate(FILE *f, const md_model *m, int d)
{
    char a[64];
    double rate = 0;
    const char *cur = out_page_own_currency(m, d, &rate);
    if (!cur) return;
    fputs("1 ", f); T(cur); fputs(" = ", f); T(out_fmt_number(a, rate)); fputc(' ', f); T(base_cur(m));
}

void out_page_course(FILE *f, const md_model *m, int k)
{
    const md_course *co = &m->courses[k];
    if (co->url) { fputs("<a href=\"", f); T(co->url); fputs("\">", f); }
    T(out_report_course_title(m, k));
    if (co->url) fputs("</a>", f);
    fputs(" <span class=\"muted\">(", f); T(co->id); fputs(")</span>", f);
}

static void ymd(FILE *f, int d) { fprintf(f, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100); }

void out_page_dates(FILE *f, const md_course *co)
{
    if (!co->start_date && !co->end_date) { fputs("dates not set", f); return; }
    if (co->start_date) ymd(f, co->start_date); else fputs("open start", f);
    fputs(" to ", f);
    if (co->end_date) ymd(f, co->end_date); else fputs("open end", f);
}

long *out_page_seats_used(const out_report *r)
{
    long *used = calloc((size_t)r->m->ncourses + 1, sizeof *used);
    for (int i = 0; used && i < r->p->nalloc; i++)
        if (r->p->alloc[i].k >= 0 && r->p->alloc[i].k < r->m->ncourses)
            used[r->p->alloc[i].k] += r->p->alloc[i].seats;
    return used;
}

/* Seats of course k left after the plan, or -1 when unlimited. */
static long open_seats(const md_course *co, long used)
{
    if (co->seats < 0) return -1;
    return co->seats > used ? co->seats - used : 0;
}

/* Extra rules for the pages (the report's sheet comes first). */
static const char page_css[] =
    ".own{font-weight:600}.label{display:block;color:var(--muted);font-size:.85rem}\n"
    ".tag{display:inline-block;border:1px solid currentColor;border-radius:3px;padding:0 .25rem;"
    "font-size:.8rem;margin-left:.2rem}\n";

void out_page_begin(FILE *f, const out_report *r, const char *title, const char *kind)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
          "<title>", f);
    T(title); fputs(" — ", f); T(out_report_title(r->m));
    fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<header><p class=\"muted\">", out_html_css, page_css);
    T(kind); fputs(" · ", f); T(out_report_title(r->m));
    if (r->label) { fputs(" · run label: ", f); T(r->label); }
    fputs("</p><h1>", f); T(title);
    fputs("</h1>\n<nav aria-label=\"pages\"><p><a href=\"../report.html\">Full report</a></p></nav></header>\n<main>\n", f);
}

void out_page_end(FILE *f)
{
    fputs("</main>\n</body>\n</html>\n", f);
}

/* href to a page of the other kind: "../donors/ID.html". */
static void page_href(FILE *f, const char *folder, const char *id)
{
    char fn[1024];
    fprintf(f, "<a href=\"../%s/%s.html\">", folder, out_report_fname(fn, sizeof fn, id));
}

static void needs(FILE *f, const out_report *r, int c)
{
    const md_model *m = r->m;
    const md_country *cn = &m->countries[c];
    char a[64];
    fputs("<section id=\"needs\"><h2>Needs and coverage</h2>\n", f);
    if (cn->need_count == 0) { fputs("<p>No needs recorded.</p></section>\n", f); return; }
    out_svg_heatmap(f, r, c);
    fputs("<table><thead><tr><th>Topic</th><th class=\"n\">Need</th><th class=\"n\">Covered</th>"
          "<th class=\"n\">Share</th><th>Why not fully covered</th></tr></thead><tbody>\n", f);
    for (int i = cn->need_first; i < cn->need_first + cn->need_count && i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        long got = r->p->covered ? r->p->covered[i] : 0;
        int why = r->p->reason ? r->p->reason[i] : ENG_R_NONE, s = out_heat_step(got, nd->seats);
        fputs("<tr><td>", f); T(out_report_topic_name(m, nd->t));
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
                   "<td class=\"n\" style=\"background:%s;color:%s\">%s %%</td><td class=\"why\">",
                nd->seats, got, out_heat_fill(s), out_heat_ink(s), out_report_share(a, got, nd->seats));
        if (why != ENG_R_NONE) T(out_report_reason_text(why));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

static void allocated(FILE *f, const out_report *r, int c)
{
    const md_model *m = r->m;
    const out_rep_country *rc = &r->countries[c];
    char a[64];
    fputs("<section id=\"allocated\"><h2>Allocated seats</h2>\n", f);
    if (rc->nallocs == 0) { fputs("<p>No seats allocated.</p></section>\n", f); return; }
    fputs("<table><thead><tr><th>Course</th><th>Dates</th><th class=\"n\">Seats</th><th class=\"n\">Cost</th>"
          "<th>Paid by</th></tr></thead><tbody>\n", f);
    for (int i = 0; i < rc->nallocs; i++) {
        const eng_alloc *al = &r->p->alloc[rc->allocs[i]];
        fputs("<tr><td>", f); out_page_course(f, m, al->k);
        fputs("</td><td>", f); out_page_dates(f, &m->courses[al->k]);
        fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%s</td><td>", al->seats, out_fmt_amount(a, al->cost));
        int first = 1;
        for (int j = 0; j < rc->nfunds; j++) {
            const eng_fund *fu = &r->p->fund[rc->funds[j]];
            if (fu->k != al->k) continue;
            if (!first) fputs("; ", f);
            page_href(f, "donors", m->donors[fu->d].id);
            T(out_report_donor_name(&m->donors[fu->d]));
            fputs("</a> ", f); out_page_money(f, m, fu->d, fu->amount);
            first = 0;
        }
        if (first && al->cost <= 0) fputs("<span class=\"free\">free</span>", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n<h3>Donors paying for this country</h3>\n<ul class=\"paid-by\">\n", f);
    for (int j = 0; j < rc->nfunds; j++) {
        int d = r->p->fund[rc->funds[j]].d, dup = 0;
        for (int i = 0; i < j; i++) dup |= r->p->fund[rc->funds[i]].d == d;
        if (dup) continue;
        double sum = 0;
        for (int i = 0; i < rc->nfunds; i++)
            if (r->p->fund[rc->funds[i]].d == d) sum += r->p->fund[rc->funds[i]].amount;
        fputs("<li>", f); page_href(f, "donors", m->donors[d].id);
        T(out_report_donor_name(&m->donors[d])); fputs("</a>: ", f);
        out_page_money(f, m, d, sum);
        fputs("</li>\n", f);
    }
    if (rc->nfunds == 0) fputs("<li>No donor money: the seats are free or committed.</li>\n", f);
    fputs("</ul></section>\n", f);
}

/* The fitting offers grouped by needed topic (a course covering two needed
 * topics is listed under each), with dates, link, cost, and what is still
 * open after the plan: a reader can enrol in a free course or an open
 * seat without waiting for the next round. */
static void offers(FILE *f, const out_report *r, int c, const long *used)
{
    const md_model *m = r->m;
    const md_country *cn = &m->countries[c];
    const out_rep_country *rc = &r->countries[c];
    char a[64];
    fputs("<section id=\"offers\"><h2>Courses to act on</h2>\n", f);
    if (rc->noffers == 0) {
        fputs("<p>No course fits this country's languages, region and needs.</p></section>\n", f);
        return;
    }
    fprintf(f, "<p class=\"muted\">%d fitting course%s (%d free), grouped by needed topic; "
               "<span class=\"tag\">free</span> costs nothing, <span class=\"tag\">open</span> has seats "
               "left after this plan.</p>\n", rc->noffers, rc->noffers == 1 ? "" : "s", rc->nfree);
    for (int i = cn->need_first; i < cn->need_first + cn->need_count && i < m->nneeds; i++) {
        int t = m->needs[i].t, any = 0;
        for (int j = 0; j < rc->nshown; j++) {
            const md_course *co = &m->courses[rc->offers[j]];
            int has = 0;
            for (int q = 0; q < co->topics.n && co->topic_idx; q++) has |= co->topic_idx[q] == t;
            if (!has) continue;
            if (!any) {
                fputs("<h3>", f); T(out_report_topic_name(m, t));
                fputs("</h3>\n<table class=\"offers\"><thead><tr><th>Course</th><th>Dates</th><th>Format</th>"
                      "<th class=\"n\">Cost per seat</th><th class=\"n\">Seats left</th><th class=\"n\">Allocated "
                      "here</th></tr></thead><tbody>\n", f);
                any = 1;
            }
            long got = 0, open = open_seats(co, used[rc->offers[j]]);
            for (int q = 0; q < rc->nallocs; q++)
                if (r->p->alloc[rc->allocs[q]].k == rc->offers[j]) got = r->p->alloc[rc->allocs[q]].seats;
            fputs("<tr><td>", f); out_page_course(f, m, rc->offers[j]);
            if (co->cost_base <= 0) fputs(" <span class=\"tag free\">free</span>", f);
            if (open != 0) fputs(" <span class=\"tag\">open</span>", f);
            fputs("</td><td>", f); out_page_dates(f, co);
            fprintf(f, "</td><td>%s</td><td class=\"n\">", co->format >= 0 && co->format < MD_FMT_COUNT
                    ? md_format_names[co->format] : "");
            if (co->cost_base <= 0) fputs("free", f); else T(out_fmt_amount(a, co->cost_base));
            if (open < 0) fputs("</td><td class=\"n\">no limit", f);
            else fprintf(f, "</td><td class=\"n\">%ld", open);
            fprintf(f, "</td><td class=\"n\">%ld</td></tr>\n", got);
        }
        if (any) fputs("</tbody></table>\n", f);
    }
    if (rc->nshown < rc->noffers)
        fprintf(f, "<p class=\"muted\">The first %d of %d fitting offers are listed (best quality first, "
                   "then cheapest).</p>\n", rc->nshown, rc->noffers);
    fputs("</section>\n", f);
}

int out_page_country(FILE *f, const out_report *r, int c, const long *used)
{
    const md_model *m = r->m;
    const md_country *cn = &m->countries[c];
    const out_rep_country *rc = &r->countries[c];
    char a[64], b[64], title[300];
    snprintf(title, sizeof title, "Training plan: %s (%s)", cn->name ? cn->name : cn->code, cn->code);
    out_page_begin(f, r, title, "Country page");
    fputs("<section id=\"summary\"><h2>Summary</h2>\n<p>Region: ", f);
    T(cn->region ? cn->region : "(none)");
    fprintf(f, " · income group: %s · languages: ",
            cn->income >= 0 && cn->income < MD_INC_COUNT ? md_income_names[cn->income] : "(none)");
    for (int i = 0; i < cn->languages.n; i++) { if (i) fputs(", ", f); T(cn->languages.v[i]); }
    fprintf(f, "</p>\n<p>Seats covered: <strong>%ld of %ld</strong> (%s); needs fully covered: %d of %d; cost ",
            rc->seats_covered, rc->seats_needed, out_report_pct(a, (double)rc->seats_covered, (double)rc->seats_needed),
            rc->nneeds_full, cn->need_count);
    T(base_cur(m));
    fprintf(f, " %s.</p></section>\n", out_fmt_amount(b, rc->cost));
    needs(f, r, c);
    allocated(f, r, c);
    offers(f, r, c, used);
    out_page_end(f);
    return ferror(f) ? MD_EX_IOERR : 0;
}

/* "FOLDER/" + escaped id + ".html"; NULL when out of memory. */
static char *page_path(const char *folder, const char *id)
{
    size_t fl = 3 * strlen(id) + 2, n = strlen(folder) + fl + 8;
    char *fn = malloc(fl), *path = malloc(n);
    if (!fn || !path) { free(fn); free(path); return NULL; }
    snprintf(path, n, "%s/%s.html", folder, out_report_fname(fn, fl, id));
    free(fn);
    return path;
}

int out_pages_write(const out_ctx *cx, const out_report *r)
{
    long *used = out_page_seats_used(r);
    if (!used) return MD_EX_SOFTWARE; /* reported by out_report_write */
    int rc = 0;
    for (int d = 0; rc == 0 && d < cx->m->ndonors; d++) {
        char *path = page_path("donors", cx->m->donors[d].id);
        FILE *f = path ? out_stage_open(cx->st, path) : NULL;
        rc = f ? out_page_donor(f, r, d) : path ? MD_EX_CANTCREAT : MD_EX_SOFTWARE;
        free(path);
    }
    for (int c = 0; rc == 0 && c < cx->m->ncountries; c++) {
        char *path = page_path("countries", cx->m->countries[c].code);
        FILE *f = path ? out_stage_open(cx->st, path) : NULL;
        rc = f ? out_page_country(f, r, c, used) : path ? MD_EX_CANTCREAT : MD_EX_SOFTWARE;
        free(path);
    }
    free(used);
    return rc;
}
