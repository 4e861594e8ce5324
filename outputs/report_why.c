/* outputs/report_why.c — the binding limit of an unmet need and the reason
 * a donor's money is left, in words with their figures, for the Markdown and
 * HTML reports (docs/formats.md, coverage.csv `detail` and summary.json
 * `unspent_reason`). The rest of the report model is report.c. */
#include "report.h"
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Fixed words and figures go through text() too, so one function serves
 * Markdown and HTML. */

typedef void (*text_fn)(FILE *, const char *);

static void say(FILE *f, text_fn text, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(FILE *f, text_fn text, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    text(f, buf);
}

static void course_named(FILE *f, const md_model *m, int k, text_fn text)
{
    text(f, "course ");
    text(f, m->courses[k].id);
    if (m->courses[k].title && *m->courses[k].title) {
        text(f, " (");
        text(f, m->courses[k].title);
        text(f, ")");
    }
}

static const char *cur_of(const md_model *m) { return m->set.currency ? m->set.currency : ""; }

/* "a seat (USD 100.00)" or, for a closed course, the seats it needs to run. */
/* "the provider of COURSE, P, is paid CUR X of the plan's CUR Y, its cap
 * of S": the figures recounted from the plan (a course without a provider
 * is its own). */
static void provider_said(FILE *f, const md_model *m, const eng_plan *p, int k, text_fn text)
{
    const md_course *ks = &m->courses[k];
    double mine = 0, total = 0;
    char a[32], b[32], c[32];
    for (int i = 0; i < p->nalloc; i++) {
        const md_course *ki = &m->courses[p->alloc[i].k];
        total += p->alloc[i].cost;
        if (ks->provider ? ki->provider && strcmp(ki->provider, ks->provider) == 0 : ki == ks)
            mine += p->alloc[i].cost;
    }
    text(f, "the provider of ");
    course_named(f, m, k, text);
    if (ks->provider) { text(f, ", "); text(f, ks->provider); text(f, ","); }
    say(f, text, " is paid %s %s of the plan's %s %s, its max_provider_share of %s", cur_of(m),
        out_fmt_amount(a, mine), cur_of(m), out_fmt_amount(b, total), out_fmt_number(c, m->set.max_provider_share));
}

static void step_named(FILE *f, const md_model *m, const eng_why *w, text_fn text)
{
    char a[32];
    if (w->step > 1) say(f, text, "the %ld seats that would open it (%s %s)", w->step, cur_of(m), out_fmt_amount(a, w->due));
    else say(f, text, "a seat (%s %s)", cur_of(m), out_fmt_amount(a, w->due));
}

void out_report_detail(FILE *f, const out_report *r, int need, text_fn text)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    if (!p->why || !p->reason || p->reason[need] != ENG_R_RESOURCES) return;
    const eng_why *w = &p->why[need];
    int k = w->k, c = m->needs[need].c;
    char a[32], b[32];
    if (k < 0 || k >= m->ncourses || c < 0 || c >= m->ncountries) return;
    const md_course *ks = &m->courses[k];
    const md_country *cs = &m->countries[c];
    long total = 0, trainees = 0;
    double hours = 0;
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *al = &p->alloc[i];
        if (al->k == k) total += al->seats;
        if (al->c == c) { trainees += al->seats; hours += m->courses[al->k].hours * (double)al->seats; }
    }
    switch (w->code) {
    case ENG_D_MIN_COHORT:
        course_named(f, m, k, text);
        say(f, text, " needs %ld participants to run; %ld could be sent", ks->min_seats, w->could);
        break;
    case ENG_D_CAPACITY:
        course_named(f, m, k, text);
        say(f, text, " is full: %ld of %ld seats taken", total, ks->seats);
        break;
    case ENG_D_MAX_PER_COUNTRY:
        course_named(f, m, k, text);
        say(f, text, " takes at most %ld participants from one country, and this country has them", ks->max_per_country);
        break;
    case ENG_D_COUNTRY_HOURS:
        say(f, text, "the country's trainee hours are used up: %s of %s hours, and a seat of ",
            out_fmt_number(a, hours), out_fmt_number(b, cs->trainee_hours));
        course_named(f, m, k, text);
        say(f, text, " takes %s", out_fmt_number(a, ks->hours));
        break;
    case ENG_D_COUNTRY_HEADCOUNT:
        say(f, text, "the country can send no more trainees: %ld of %ld; the cheapest fitting offer is ", trainees, cs->max_trainees);
        course_named(f, m, k, text);
        break;
    case ENG_D_SHARE_CAP:
        text(f, "the donors that may pay for ");
        course_named(f, m, k, text);
        say(f, text, " have reached their share cap for this country: %s %s could still go here, less than ",
            cur_of(m), out_fmt_amount(a, w->room));
        step_named(f, m, w, text);
        break;
    case ENG_D_BUDGET:
    case ENG_D_OUTSCORED:
        text(f, "the donors that may pay for ");
        course_named(f, m, k, text);
        say(f, text, " have %s %s left, less than ", cur_of(m), out_fmt_amount(a, w->room));
        step_named(f, m, w, text);
        say(f, text, "; here it would score %s per 1,000", out_fmt_number(a, w->here));
        if (!isfinite(w->there)) text(f, "; they paid for no seat: more money would come here");
        else if (w->code == ENG_D_BUDGET)
            say(f, text, ", at least as much as the last seat of a pair they paid for (%s per 1,000): "
                "more money would come here", out_fmt_number(b, w->there));
        else
            say(f, text, ", less than the last seat of every pair they paid for (at least %s per 1,000): "
                "more money would go elsewhere first", out_fmt_number(b, w->there));
        break;
    case ENG_D_PROVIDER_SHARE:
        provider_said(f, m, p, k, text);
        text(f, "; one more step, ");
        step_named(f, m, w, text);
        text(f, ", would take it above that");
        break;
    case ENG_D_NOT_PROVEN:
        text(f, "no limit stops another seat of ");
        course_named(f, m, k, text);
        text(f, "; the solve stopped before it proved the plan best");
        break;
    default:
        break;
    }
}

void out_report_unspent(FILE *f, const out_report *r, int d, text_fn text)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    if (!p->donor_why || !p->unspent_reason) return;
    const eng_why *w = &p->donor_why[d];
    const md_donor *dn = &m->donors[d];
    char a[32], b[32];
    double left = dn->budget_base - (p->donor_spent ? p->donor_spent[d] : 0);
    int k = w->k, c = w->c;
    int pair = k >= 0 && k < m->ncourses && c >= 0 && c < m->ncountries;
    if (w->code == ENG_U_NONE || w->code >= ENG_NUNSPENT) return;
    say(f, text, "%s %s is left unspent: ", cur_of(m), out_fmt_amount(a, left > 0 ? left : 0));
    switch (w->code) {
    case ENG_U_NO_ELIGIBLE_PAIR:
        text(f, "its rules admit no paid course that a country it may fund can take");
        break;
    case ENG_U_NEEDS_MET:
        text(f, "every need it may pay for is already fully covered");
        break;
    case ENG_U_PAIRS_FULL:
        text(f, "every course it may pay for is full or stopped by trainee hours, headcount or a per-country limit");
        break;
    case ENG_U_SHARE_CAP:
        if (!pair) break;
        say(f, text, "it reached its share cap of %s %s per country in ", cur_of(m),
            out_fmt_amount(b, dn->max_share * dn->budget_base));
        text(f, m->countries[c].name ? m->countries[c].name : m->countries[c].code);
        text(f, ", and what else it may pay for is stopped too");
        break;
    case ENG_U_MIN_COHORT:
        if (!pair) break;
        text(f, "the courses it may still pay for stay closed: ");
        course_named(f, m, k, text);
        say(f, text, " needs %ld participants to run; ", m->courses[k].min_seats);
        text(f, m->countries[c].name ? m->countries[c].name : m->countries[c].code);
        say(f, text, " could send %ld", w->could);
        break;
    case ENG_U_BELOW_SEAT_COST:
        if (!pair) break;
        text(f, "that is less than the cheapest step it may still pay for, ");
        step_named(f, m, w, text);
        text(f, " of ");
        course_named(f, m, k, text);
        text(f, " for ");
        text(f, m->countries[c].name ? m->countries[c].name : m->countries[c].code);
        break;
    case ENG_U_PROVIDER_SHARE:
        if (!pair) break;
        provider_said(f, m, p, k, text);
        text(f, ", and what else it may pay for is stopped too");
        break;
    case ENG_U_NOT_PROVEN:
        if (!pair) break;
        course_named(f, m, k, text);
        text(f, " for ");
        text(f, m->countries[c].name ? m->countries[c].name : m->countries[c].code);
        text(f, " could still take it; the solve stopped before it proved the plan best");
        break;
    default:
        break;
    }
}

int out_report_churn(FILE *f, const out_report *r, text_fn text, const char *open, const char *close)
{
    const eng_plan *p = r->p;
    if (p->stab == ENG_STAB_NONE || p->previous_run != r->prev_run_id) return 0;
    fputs(open, f);
    say(f, text, "Seats that differ from run %ld's plan (churn): %ld. ", p->previous_run, p->churn);
    if (p->stab == ENG_STAB_REPORT)
        say(f, text, "This run was solved with --fresh: the churn was not kept low.");
    else if (p->stage[3].status == ENG_OPTIMAL)
        say(f, text, "No plan of the same score, cost and seats differs less (proven).");
    else
        say(f, text, "The search for a plan of the same score, cost and seats that differs less "
                     "was stopped (%s) at a bound of %.0f.", eng_status_names[p->stage[3].status],
            isfinite(p->stage[3].bound) ? ceil(p->stage[3].bound - 1e-6) : 0.0);
    fputs(close, f);
    return 1;
}
