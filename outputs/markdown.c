/* outputs/markdown.c — report.md plus one page per donor (donors/ID.md) and
 * per country (countries/CODE.md), rendered from the report model. Every
 * user-supplied string goes through out_md_text(). */
#include "pages.h"
#include "equity.h"
#include "report.h"
#include "feedback.h"
#include <stdlib.h>
#include <string.h>

static void heading(FILE *f, int level, const char *text)
{
    fputc('\n', f);
    for (int i = 0; i < level; i++) fputc('#', f);
    fputc(' ', f);
    fputs(text, f);
}

static const char *money(char *buf, double v) { return out_fmt_amount(buf, v); }

/* Donor d's money: "EUR 8444.44 (USD 9120.00)" for a donor with its own
 * currency (its currency first), the plain base amount otherwise. */
static void dmoney(FILE *f, const md_model *m, int d, double v)
{
    char a[64], b[64];
    double rate = 0;
    const char *cur = out_page_own_currency(m, d, &rate);
    if (!cur) { fputs(money(a, v), f); return; }
    out_md_text(f, cur);
    fprintf(f, " %s (", money(a, v / rate));
    out_md_text(f, m->set.currency);
    fprintf(f, " %s)", money(b, v));
}

static void country_label(FILE *f, const md_country *c)
{
    out_md_text(f, c->name ? c->name : c->code);
    fputs(" (", f);
    out_md_text(f, c->code);
    fputc(')', f);
}

static void overview(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    char a[64], b[64], c[64];
    const char *cur = m->set.currency ? m->set.currency : "";
    heading(f, 2, "Overview\n\n");
    fputs("| Figure | Value |\n|---|---|\n", f);
    fprintf(f, "| Status | %s |\n", eng_status_names[p->status >= 0 && p->status < ENG_NSTATUS ? p->status : ENG_INTERRUPTED]);
    fprintf(f, "| Score | %s of at most %s (%s) |\n", out_fmt_number(a, p->score),
            out_fmt_number(b, p->score_bound), out_report_pct(c, p->score, p->score_bound));
    fprintf(f, "| Seats needed | %ld |\n", r->seats_needed);
    fprintf(f, "| Seats covered | %ld (%s) |\n", r->seats_covered,
            out_report_pct(a, (double)r->seats_covered, (double)r->seats_needed));
    fprintf(f, "| Needs fully covered | %d of %d |\n", r->nneeds_full, m->nneeds);
    fprintf(f, "| Seats allocated | %ld |\n", p->seats);
    fputs("| Total cost | ", f); out_md_text(f, cur);
    fprintf(f, " %s |\n", money(a, p->total_cost));
    fputs("| Donor budgets spent | ", f); out_md_text(f, cur);
    fprintf(f, " %s of %s (%s) |\n", money(a, r->spent_total), money(b, r->budget_total),
            out_report_pct(c, r->spent_total, r->budget_total));
    fprintf(f, "| Solve time | %.1f s |\n", p->solve_seconds);
    fprintf(f, "| Input digest (SHA-256) | `%s` |\n", m->input_digest);

    heading(f, 3, "Budget spent per donor\n\n");
    if (m->ndonors == 0) { fputs("No donors.\n", f); return; }
    fputs("| Donor | Budget | Spent | Share spent | Countries funded |\n|---|--:|--:|--:|--:|\n", f);
    for (int d = 0; d < m->ndonors; d++) {
        const md_donor *dn = &m->donors[d];
        double spent = p->donor_spent ? p->donor_spent[d] : 0;
        fputs("| ", f);
        out_md_text(f, out_report_donor_name(dn));
        fprintf(f, " | %s | %s | %s | %d |\n", money(a, dn->budget_base), money(b, spent),
                out_report_pct(c, spent, dn->budget_base), r->donors[d].ncountries);
    }
}

/* At the top: valid inputs that leave money, courses or needs unused. */
static void warnings(FILE *f, const out_report *r)
{
    if (!r->nwarnings) return;
    heading(f, 2, "Warnings\n\n");
    fputs("The run went on despite these (capmatch run --strict makes them errors):\n\n", f);
    for (int i = 0; i < r->nwarnings; i++) {
        fputs("- ", f);
        out_md_text(f, r->warnings[i]);
        fputc('\n', f);
    }
}

/* "ENTITY KEY FIELD OLD → NEW", or "ENTITY KEY added/removed". */
static void input_change_text(FILE *f, const out_snap_change *x)
{
    char a[64], b[64];
    out_md_text(f, x->entity);
    fputc(' ', f);
    out_md_text(f, x->key);
    fputc(' ', f);
    if (!x->field) { fputs(x->kind, f); return; }
    out_md_text(f, x->field);
    fputc(' ', f);
    out_md_text(f, out_val_text(a, &x->old));
    fputs(" → ", f);
    out_md_text(f, out_val_text(b, &x->now));
}

static void ties(FILE *f, const out_report *r, const int *tie, int n)
{
    for (int i = 0; i < n && i < OUT_TIES_SHOWN; i++) {
        if (i) fputs("; ", f);
        input_change_text(f, &r->in_changes[tie[i]]);
    }
    if (n > OUT_TIES_SHOWN) fprintf(f, "; and %d more", n - OUT_TIES_SHOWN);
}

/* After a table cut at OUT_CHANGES_SHOWN rows. */
static void more(FILE *f, int shown, int total, const char *view)
{
    if (total > shown)
        fprintf(f, "\nThe first %d of %d are listed; the %s view of results.db has them all.\n",
                shown, total, view);
}

static void headline_changes(FILE *f, const out_report *r)
{
    const eng_plan *p = r->p;
    char a[64], b[64], c[64];
    const char *cur = r->m->set.currency ? r->m->set.currency : "";
    heading(f, 3, "Headline figures\n\n");
    fprintf(f, "| Figure | Run %ld | This run | Change |\n|---|--:|--:|--:|\n", r->prev_run_id);
    out_fmt_number(a, r->prev_score);
    out_fmt_number(b, p->score);
    fprintf(f, "| Score | %s | %s | %s |\n", a, b, out_report_delta(c, strtod(b, NULL) - strtod(a, NULL), 0));
    out_report_share(a, r->prev_seats_covered, r->prev_seats_needed);
    out_report_share(b, r->seats_covered, r->seats_needed);
    fprintf(f, "| Share of seats needed that are covered | %s %% | %s %% | %s points |\n",
            a, b, out_report_delta(c, strtod(b, NULL) - strtod(a, NULL), 1));
    fputs("| Total cost (", f); out_md_text(f, cur);
    fprintf(f, ") | %s | %s | %s |\n", out_fmt_amount(a, r->prev_total_cost), out_fmt_amount(b, p->total_cost),
            out_report_delta(c, out_report_cents(p->total_cost) - out_report_cents(r->prev_total_cost), 2));
    fprintf(f, "| Seats allocated | %ld | %ld | %+ld |\n", r->prev_seats, p->seats, p->seats - r->prev_seats);
    fprintf(f, "| Needs fully covered | %d of %d | %d of %d | %+d |\n", r->prev_nneeds_full, r->prev_nneeds,
            r->nneeds_full, r->m->nneeds, r->nneeds_full - r->prev_nneeds_full);
    out_report_churn(f, r, out_md_text, "\n", "\n");
    heading(f, 3, "Spend per donor\n\n");
    if (!r->nspend_changes) { fputs("No donor spent anything in either run.\n", f); return; }
    fprintf(f, "| Donor | Run %ld | This run | Change |\n|---|--:|--:|--:|\n", r->prev_run_id);
    for (int i = 0; i < r->nspend_changes; i++) {
        const out_rep_spendchg *x = &r->spend_changes[i];
        fputs("| ", f); out_md_text(f, x->donor);
        fprintf(f, " | %s | %s | %s |\n", out_fmt_amount(a, x->before), out_fmt_amount(b, x->after),
                out_report_delta(c, out_report_cents(x->after) - out_report_cents(x->before), 2));
    }
}

static void input_changes(FILE *f, const out_report *r)
{
    char a[64];
    heading(f, 3, "Input changes\n\n");
    if (!r->prev_has_inputs) {
        fprintf(f, "Run %ld was recorded by an earlier version that kept no inputs: only the plans are compared.\n",
                r->prev_run_id);
        return;
    }
    if (!r->nin_changes) { fputs("No input changed.\n", f); return; }
    fprintf(f, "| Change | Entity | Key | Field | Run %ld | This run |\n|---|---|---|---|---|---|\n", r->prev_run_id);
    int shown = r->nin_changes < OUT_CHANGES_SHOWN ? r->nin_changes : OUT_CHANGES_SHOWN;
    for (int i = 0; i < shown; i++) {
        const out_snap_change *x = &r->in_changes[i];
        fprintf(f, "| %s | ", x->kind);
        out_md_text(f, x->entity); fputs(" | ", f);
        out_md_text(f, x->key); fputs(" | ", f);
        if (x->field) {
            out_md_text(f, x->field); fputs(" | ", f);
            out_md_text(f, out_val_text(a, &x->old)); fputs(" | ", f);
            out_md_text(f, out_val_text(a, &x->now));
        } else fputs(" |  | ", f);
        fputs(" |\n", f);
    }
    more(f, shown, r->nin_changes, "input_changes");
}

static void plan_changes(FILE *f, const out_report *r)
{
    heading(f, 3, "Plan changes\n\n");
    if (!r->nseat_changes && !r->nneed_changes) {
        fputs("No seats moved and no need changed between fully covered and not.\n", f);
        return;
    }
    fprintf(f, "| Change | Country | Course or topic | Run %ld | This run | Related input changes |\n"
               "|---|---|---|--:|--:|---|\n", r->prev_run_id);
    int left = OUT_CHANGES_SHOWN;
    for (int i = 0; i < r->nseat_changes && left > 0; i++, left--) {
        const out_rep_seatchg *x = &r->seat_changes[i];
        fprintf(f, "| %s | ", !x->before ? "pair added" : !x->after ? "pair removed" : "pair resized");
        out_md_text(f, x->country); fputs(" | ", f);
        out_md_text(f, x->course);
        fprintf(f, " | %ld | %ld | ", x->before, x->after);
        ties(f, r, x->ties, x->nties);
        fputs(" |\n", f);
    }
    for (int i = 0; i < r->nneed_changes && left > 0; i++, left--) {
        const out_rep_needchg *x = &r->need_changes[i];
        fprintf(f, "| %s | ", x->now_full ? "need covered" : "need uncovered");
        out_md_text(f, x->country); fputs(" | ", f);
        out_md_text(f, x->topic);
        fprintf(f, " | %ld | %ld | ", x->before, x->after);
        ties(f, r, x->ties, x->nties);
        fputs(" |\n", f);
    }
    int total = r->nseat_changes + r->nneed_changes;
    more(f, OUT_CHANGES_SHOWN - left, total, "plan_changes");
}

/* First after the title: what changed since the run before (figures,
 * inputs, plan), or one line saying there is nothing to compare with. */
static void changes(FILE *f, const out_report *r)
{
    if (!r->has_prev) {
        heading(f, 2, "Changes since the previous run\n\n");
        fputs("No earlier run is recorded in this folder's results.db: nothing to compare with.\n", f);
        return;
    }
    fprintf(f, "\n## Changes since run %ld\n\nCompared with run %ld of ", r->prev_run_id, r->prev_run_id);
    out_md_text(f, r->prev_started ? r->prev_started : "?");
    fputs(" in results.db.\n", f);
    headline_changes(f, r);
    input_changes(f, r);
    plan_changes(f, r);
}

static void unmet(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    char a[64], b[64];
    heading(f, 2, "Unmet needs\n\n");
    if (r->nunmet == 0) { fputs("Every need is fully covered.\n", f); return; }
    fputs("Sorted by weighted gap: weight (priority × income weight) × seats still missing.\n\n", f);
    fputs("| Country | Topic | Need | Covered | Weight | Weighted gap | Why | Binding limit |\n"
          "|---|---|--:|--:|--:|--:|---|---|\n", f);
    for (int i = 0; i < r->nunmet; i++) {
        int n = r->unmet[i];
        const md_need *nd = &m->needs[n];
        fputs("| ", f);
        if (nd->c >= 0 && nd->c < m->ncountries) country_label(f, &m->countries[nd->c]);
        else out_md_text(f, nd->country);
        fputs(" | ", f); out_md_text(f, out_report_topic_name(m, nd->t));
        fprintf(f, " | %ld | %ld | %s | %s | %s | ", nd->seats, r->p->covered ? r->p->covered[n] : 0,
                out_fmt_number(a, r->need_weight[n]), out_fmt_number(b, out_report_gap(r, n)),
                out_report_reason_text(r->p->reason ? r->p->reason[n] : ENG_R_RESOURCES));
        out_report_detail(f, r, n, out_md_text);
        fputs(" |\n", f);
    }
}

/* The donor's money left and why, when at least 1.00 is left. */
static void donor_unspent(FILE *f, const out_report *r, int d)
{
    if (!r->p->unspent_reason || r->p->unspent_reason[d] == ENG_U_NONE) return;
    fputc('\n', f);
    out_report_unspent(f, r, d, out_md_text);
    fputs(".\n", f);
}

static void donor_body(FILE *f, const out_report *r, int d, int level)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    const md_donor *dn = &m->donors[d];
    const out_rep_donor *rd = &r->donors[d];
    char a[64], b[64];
    double spent = p->donor_spent ? p->donor_spent[d] : 0;
    double rate = 0;
    const char *own = out_page_own_currency(m, d, &rate);
    fputs("\nBudget ", f);
    if (own) dmoney(f, m, d, dn->budget_base);
    else { out_md_text(f, m->set.currency ? m->set.currency : ""); fprintf(f, " %s", money(a, dn->budget_base)); }
    fputs(", spent ", f);
    if (own) dmoney(f, m, d, spent); else fputs(money(b, spent), f);
    fprintf(f, ", funding %d countr%s.\n", rd->ncountries, rd->ncountries == 1 ? "y" : "ies");
    if (own) {
        fputs("\nAmounts in ", f); out_md_text(f, own);
        fprintf(f, " at 1 %s = %s ", own, out_fmt_number(a, rate));
        out_md_text(f, m->set.currency);
        fputs(".\n", f);
    }
    donor_unspent(f, r, d);
    if (rd->nfunds == 0) { fputs("\nThis donor funds nothing in this plan.\n", f); return; }
    heading(f, level + 1, "Funding plan\n\n| Country | Course | Title | Seats | Amount |\n|---|---|---|--:|--:|\n");
    for (int i = 0; i < rd->nfunds; i++) {
        const eng_fund *fu = &p->fund[rd->funds[i]];
        long seats = 0;
        for (int j = 0; j < p->nalloc; j++)
            if (p->alloc[j].c == fu->c && p->alloc[j].k == fu->k) seats = p->alloc[j].seats;
        fputs("| ", f); country_label(f, &m->countries[fu->c]);
        fputs(" | ", f); out_md_text(f, m->courses[fu->k].id);
        fputs(" | ", f); out_md_text(f, out_report_course_title(m, fu->k));
        fprintf(f, " | %ld | ", seats);
        dmoney(f, m, d, fu->amount);
        fputs(" |\n", f);
    }
    heading(f, level + 1, "Spend by region\n\n| Region | Amount |\n|---|--:|\n");
    for (int g = 0; g < r->nregions; g++) {
        if (rd->by_region[g] == 0) continue;
        fputs("| ", f); out_md_text(f, *r->regions[g] ? r->regions[g] : "(no region)");
        fputs(" | ", f); dmoney(f, m, d, rd->by_region[g]); fputs(" |\n", f);
    }
    heading(f, level + 1, "Spend by topic\n\n| Topic | Amount |\n|---|--:|\n");
    for (int t = 0; t < m->ntopics; t++) {
        if (rd->by_topic[t] == 0) continue;
        fputs("| ", f); out_md_text(f, out_report_topic_name(m, t));
        fputs(" | ", f); dmoney(f, m, d, rd->by_topic[t]); fputs(" |\n", f);
    }
}

static void ymd(FILE *f, int d) { fprintf(f, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100); }

/* A course title, linked to its url when it has one (<…> keeps the url
 * whole; urls hold no spaces or angle brackets). */
static void course_title(FILE *f, const md_model *m, int k)
{
    const char *url = m->courses[k].url;
    if (url) fputc('[', f);
    out_md_text(f, out_report_course_title(m, k));
    if (url) fprintf(f, "](<%s>)", url);
}

static void country_body(FILE *f, const out_report *r, int c, int level)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    const md_country *cn = &m->countries[c];
    const out_rep_country *rc = &r->countries[c];
    char a[64], b[64];
    fputs("\nRegion: ", f); out_md_text(f, cn->region ? cn->region : "(none)");
    fprintf(f, " · income group: %s · languages: ", cn->income >= 0 && cn->income < MD_INC_COUNT
            ? md_income_names[cn->income] : "(none)");
    for (int i = 0; i < cn->languages.n; i++) {
        if (i) fputs(", ", f);
        out_md_text(f, cn->languages.v[i]);
    }
    fprintf(f, "\n\nSeats covered: %ld of %ld (%s); needs fully covered: %d of %d; cost ",
            rc->seats_covered, rc->seats_needed, out_report_pct(a, (double)rc->seats_covered, (double)rc->seats_needed),
            rc->nneeds_full, cn->need_count);
    out_md_text(f, m->set.currency ? m->set.currency : "");
    fprintf(f, " %s.\n", money(b, rc->cost));

    heading(f, level + 1, "Needs\n\n");
    if (cn->need_count == 0) fputs("No needs recorded.\n", f);
    else fputs("| Topic | Need | Covered | Score | Why not fully covered |\n|---|--:|--:|--:|---|\n", f);
    for (int i = cn->need_first; i < cn->need_first + cn->need_count && i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        int why = p->reason ? p->reason[i] : ENG_R_NONE;
        fputs("| ", f); out_md_text(f, out_report_topic_name(m, nd->t));
        fprintf(f, " | %ld | %ld | %s | %s |\n", nd->seats, p->covered ? p->covered[i] : 0,
                out_fmt_number(a, p->need_score ? p->need_score[i] : 0),
                why == ENG_R_NONE ? "" : out_report_reason_text(why));
    }

    heading(f, level + 1, "Allocated seats\n\n");
    if (rc->nallocs == 0) fputs("No seats allocated.\n", f);
    else fputs("| Course | Title | Seats | Cost | Paid by |\n|---|---|--:|--:|---|\n", f);
    for (int i = 0; i < rc->nallocs; i++) {
        const eng_alloc *al = &p->alloc[rc->allocs[i]];
        fputs("| ", f); out_md_text(f, m->courses[al->k].id);
        fputs(" | ", f); out_md_text(f, out_report_course_title(m, al->k));
        fprintf(f, " | %ld | %s | ", al->seats, money(a, al->cost));
        int first = 1;
        for (int j = 0; j < rc->nfunds; j++) {
            const eng_fund *fu = &p->fund[rc->funds[j]];
            if (fu->k != al->k) continue;
            if (!first) fputs(", ", f);
            out_md_text(f, m->donors[fu->d].id);
            fprintf(f, " %s", money(b, fu->amount));
            first = 0;
        }
        if (first) fputs(al->cost > 0 ? "" : "free", f);
        fputs(" |\n", f);
    }

    heading(f, level + 1, "Fitting offers\n\n");
    if (rc->noffers == 0) { fputs("No course fits this country's languages, region and needs.\n", f); return; }
    fprintf(f, "%d course%s fit%s (%d free): language, region, quality, period and a needed topic all match.\n\n",
            rc->noffers, rc->noffers == 1 ? "" : "s", rc->noffers == 1 ? "s" : "", rc->nfree);
    fputs("| Course | Provider | Title | Format | Hours | Quality | Cost per seat | Dates | Needed topics | Allocated |\n"
          "|---|---|---|---|--:|--:|--:|---|---|--:|\n", f);
    for (int i = 0; i < rc->nshown; i++) {
        int k = rc->offers[i];
        const md_course *co = &m->courses[k];
        long got = 0;
        for (int j = 0; j < rc->nallocs; j++)
            if (p->alloc[rc->allocs[j]].k == k) got = p->alloc[rc->allocs[j]].seats;
        fputs("| ", f); out_md_text(f, co->id);
        fputs(" | ", f); out_md_text(f, co->provider ? co->provider : "");
        fputs(" | ", f); course_title(f, m, k);
        fprintf(f, " | %s | %s | ", co->format >= 0 && co->format < MD_FMT_COUNT ? md_format_names[co->format] : "",
                out_fmt_number(a, co->hours));
        if (co->quality < 0) fputs("unrated", f);
        else fputs(out_fmt_number(a, co->quality), f);
        fprintf(f, " | %s | ", co->cost_base <= 0 ? "free" : money(b, co->cost_base));
        if (co->start_date || co->end_date) {
            if (co->start_date) ymd(f, co->start_date);
            fputs(" to ", f);
            if (co->end_date) ymd(f, co->end_date);
        }
        fputs(" | ", f);
        out_report_offer_topics(f, m, c, k, out_md_text);
        fprintf(f, " | %ld |\n", got);
    }
    if (rc->nshown < rc->noffers)
        fprintf(f, "\nThe first %d of %d fitting offers are listed (best quality first, then cheapest).\n",
                rc->nshown, rc->noffers);
}

static int done(FILE *f) { return ferror(f) ? MD_EX_IOERR : 0; }

int out_report_md(FILE *f, const out_report *r)
{
    const md_model *m = r->m;
    char fn[1024];
    fputs("# ", f);
    out_md_text(f, out_report_title(m));
    fputs("\n\nAll amounts in ", f);
    out_md_text(f, m->set.currency ? m->set.currency : "");
    fputs(". Machine-readable results: allocations.csv, funding.csv, coverage.csv, equity.csv, summary.json.", f);
    if (r->label) {
        fputs(" Run label: ", f);
        out_md_text(f, r->label);
        fputs(".", f);
    }
    fputs("\n", f);
    changes(f, r);
    warnings(f, r);
    overview(f, r);
    unmet(f, r);
    out_report_quality_md(f, m); /* outputs/report_quality.c */
    out_report_equity_md(f, r); /* report_equity.c */
    heading(f, 2, "Donor funding plans\n");
    if (m->ndonors == 0) fputs("\nNo donors.\n", f);
    for (int d = 0; d < m->ndonors; d++) {
        const md_donor *dn = &m->donors[d];
        fputs("\n### ", f);
        out_md_text(f, out_report_donor_name(dn));
        fputs(" (", f); out_md_text(f, dn->id);
        fprintf(f, ")\n\nOne-page plan: [donors/%s.md](donors/%s.md)\n",
                out_report_fname(fn, sizeof fn, dn->id), fn);
        donor_body(f, r, d, 3);
    }
    heading(f, 2, "Countries\n");
    if (m->ncountries == 0) fputs("\nNo countries.\n", f);
    for (int c = 0; c < m->ncountries; c++) {
        fputs("\n### ", f);
        country_label(f, &m->countries[c]);
        fprintf(f, "\n\nOne-page extract: [countries/%s.md](countries/%s.md)\n",
                out_report_fname(fn, sizeof fn, m->countries[c].code), fn);
        country_body(f, r, c, 3);
    }
    return done(f);
}

int out_report_md_donor(FILE *f, const out_report *r, int d)
{
    const md_donor *dn = &r->m->donors[d];
    fputs("# Funding plan: ", f);
    out_md_text(f, out_report_donor_name(dn));
    fputs(" (", f); out_md_text(f, dn->id);
    fputs(")\n\nScenario: ", f);
    out_md_text(f, r->m->set.name ? r->m->set.name : "");
    fputs(" · full report: [report.md](../report.md)\n", f);
    donor_body(f, r, d, 1);
    return done(f);
}

int out_report_md_country(FILE *f, const out_report *r, int c)
{
    fputs("# Training plan: ", f);
    country_label(f, &r->m->countries[c]);
    fputs("\n\nScenario: ", f);
    out_md_text(f, r->m->set.name ? r->m->set.name : "");
    fputs(" · full report: [report.md](../report.md)\n", f);
    country_body(f, r, c, 1);
    return done(f);
}

/* "donors/" + escaped id + ".md"; NULL when the id is too long for a name. */
static char *page_path(const char *dir, const char *id)
{
    size_t n = strlen(dir) + 3 * strlen(id) + 8;
    char *fn = malloc(3 * strlen(id) + 2), *path = malloc(n);
    if (!fn || !path) { free(fn); free(path); return NULL; }
    snprintf(path, n, "%s/%s.md", dir, out_report_fname(fn, 3 * strlen(id) + 2, id));
    free(fn);
    return path;
}

static int write_pages(const out_ctx *cx, const out_report *r)
{
    FILE *f = out_stage_open(cx->st, "report.md");
    int rc = f ? out_report_md(f, r) : MD_EX_CANTCREAT;
    for (int d = 0; rc == 0 && d < cx->m->ndonors; d++) {
        char *path = page_path("donors", cx->m->donors[d].id);
        f = path ? out_stage_open(cx->st, path) : NULL;
        rc = f ? out_report_md_donor(f, r, d) : path ? MD_EX_CANTCREAT : MD_EX_SOFTWARE;
        free(path);
    }
    for (int c = 0; rc == 0 && c < cx->m->ncountries; c++) {
        char *path = page_path("countries", cx->m->countries[c].code);
        f = path ? out_stage_open(cx->st, path) : NULL;
        rc = f ? out_report_md_country(f, r, c) : path ? MD_EX_CANTCREAT : MD_EX_SOFTWARE;
        free(path);
    }
    return rc;
}

int out_markdown(const out_ctx *cx)
{
    return out_report_write(cx, "the Markdown report", write_pages);
}
