/* models/iati_check.c — what the iati output format needs from a scenario
 * (docs/formats.md, iati-activities.xml), checked with everything else so a
 * run that cannot publish stops before solving (exit 65):
 * - the reporting organisation (output.iati.reporting_org) when iati is one
 *   of output.formats: IATI requires a reporting-org on every activity;
 * - a planned start and end for every course, from its own dates or else the
 *   scenario's period: IATI requires at least one activity date, and the
 *   planned disbursement needs its period and value date. */
#include "model.h"
#include <string.h>

/* IATI's OrganisationType codelist (version 2.03). The codelist file is not
 * among the ones kept in tests/iati, so the codes are listed here and in
 * docs/formats.md. */
static const char *const org_types[] = {
    "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"
};

int md_is_iati_org_type(const char *s)
{
    for (size_t i = 0; s && i < sizeof org_types / sizeof org_types[0]; i++)
        if (strcmp(s, org_types[i]) == 0) return 1;
    return 0;
}

static void ymd(char *buf, size_t n, int d)
{
    snprintf(buf, n, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

void md_validate_iati(const md_model *m, md_diag *d)
{
    const md_settings *s = &m->set;
    if (!(s->formats & MD_OUT_IATI)) return;
    const md_loc *at = s->iati_loc.file ? &s->iati_loc : &s->loc;
    if (!s->iati_ref)
        md_error(d, MD_EX_DATAERR, at, "output format iati needs output.iati.reporting_org "
                 "{ref, name, type}: IATI names the publisher of every activity");
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *c = &m->courses[k];
        int start = c->start_date ? c->start_date : s->has_period ? s->period_start : 0;
        int end = c->end_date ? c->end_date : s->has_period ? s->period_end : 0;
        if (!start || !end) {
            md_error(d, MD_EX_DATAERR, &c->loc, "course '%s' has no %s and the scenario has no "
                     "period: output format iati needs a planned start and end for every course",
                     c->id ? c->id : "?", !start ? "start_date" : "end_date");
        } else if (start > end) {
            char a[16], b[16];
            ymd(a, sizeof a, start);
            ymd(b, sizeof b, end);
            md_error(d, MD_EX_DATAERR, &c->loc, "course '%s': its planned start %s (%s) is after "
                     "its planned end %s (%s), as output format iati would publish them",
                     c->id ? c->id : "?", a, c->start_date ? "start_date" : "period.start",
                     b, c->end_date ? "end_date" : "period.end");
        }
    }
}
