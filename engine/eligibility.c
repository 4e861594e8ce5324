/* engine/eligibility.c — "eligible pair" and "eligible donor", one
 * filter per function so that the coverage reasons can apply them in order;
 * and what a need is worth (its weight, its tiered score). */
#include "eng_int.h"
#include <string.h>

int eng_lang_ok(const md_model *m, int c, int k)
{
    return md_strlist_has(&m->countries[c].languages, m->courses[k].language);
}

int eng_region_ok(const md_model *m, int c, int k)
{
    const md_course *ks = &m->courses[k];
    if (!ks->regions.present) return 1;
    return md_strlist_has(&ks->regions, m->countries[c].region);
}

int eng_quality_ok(const md_model *m, int k)
{
    if (!m->set.has_min_quality) return 1;
    double q = m->courses[k].quality;
    if (q < 0) return m->set.unrated_allow;
    return q >= m->set.min_quality;
}

int eng_period_ok(const md_model *m, int k)
{
    int s = m->courses[k].start_date;
    if (!m->set.has_period || s == 0) return 1;
    return s >= m->set.period_start && s <= m->set.period_end;
}

int eng_need_of(const md_model *m, int c, int t)
{
    const md_country *cs = &m->countries[c];
    int lo = cs->need_first, hi = cs->need_first + cs->need_count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int mt = m->needs[mid].t;
        if (mt == t) return mid;
        if (mt < t) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

double eng_weight(const md_model *m, int need)
{
    const md_need *n = &m->needs[need];
    int inc = m->countries[n->c].income;
    double w = (inc >= 0 && inc < MD_INC_COUNT) ? m->set.income_weight[inc] : 1.0;
    return n->priority * w;
}

double eng_need_score(const md_model *m, int need, long covered)
{
    if (need < 0 || need >= m->nneeds) return 0;
    double seats = (double)m->needs[need].seats, cov = (double)covered, prev = 0, s = 0;
    for (int i = 0; i < m->set.ntiers; i++) {
        double f = m->set.tiers[i].frac, width = (f - prev) * seats;
        double piece = cov - prev * seats;
        if (piece > width) piece = width;
        if (piece > 0) s += m->set.tiers[i].value * piece;
        prev = f;
    }
    return eng_weight(m, need) * s;
}

int eng_pair_eligible(const md_model *m, int c, int k)
{
    if (c < 0 || c >= m->ncountries || k < 0 || k >= m->ncourses) return 0;
    if (!eng_lang_ok(m, c, k) || !eng_region_ok(m, c, k) || !eng_quality_ok(m, k)
        || !eng_period_ok(m, k))
        return 0;
    const md_course *ks = &m->courses[k];
    for (int i = 0; i < ks->topics.n; i++)
        if (eng_need_of(m, c, ks->topic_idx[i]) >= 0) return 1;
    return 0;
}

/* The country half of the donor rules. */
static int donor_country_ok(const md_donor *dn, const md_country *cs)
{
    if (dn->countries.present && !md_strlist_has(&dn->countries, cs->code)) return 0;
    if (dn->regions.present && !md_strlist_has(&dn->regions, cs->region)) return 0;
    if (dn->income_groups.present
        && (cs->income < 0 || cs->income >= MD_INC_COUNT
            || !md_strlist_has(&dn->income_groups, md_income_names[cs->income])))
        return 0;
    if (dn->exclude_countries.present && md_strlist_has(&dn->exclude_countries, cs->code))
        return 0;
    return 1;
}

/* The course half of the donor rules. */
static int donor_course_ok(const md_donor *dn, const md_course *ks)
{
    if (dn->topics.present) {
        int any = 0;
        for (int i = 0; i < ks->topics.n && !any; i++)
            any = md_strlist_has(&dn->topics, ks->topics.v[i]);
        if (!any) return 0;
    }
    if (dn->formats.present
        && (ks->format < 0 || ks->format >= MD_FMT_COUNT
            || !md_strlist_has(&dn->formats, md_format_names[ks->format])))
        return 0;
    if (dn->providers.present && !md_strlist_has(&dn->providers, ks->provider)) return 0;
    return 1;
}

int eng_donor_eligible(const md_model *m, int d, int c, int k)
{
    if (d < 0 || d >= m->ndonors || c < 0 || c >= m->ncountries || k < 0
        || k >= m->ncourses)
        return 0;
    return donor_country_ok(&m->donors[d], &m->countries[c])
        && donor_course_ok(&m->donors[d], &m->courses[k]);
}

int eng_donor_country_ok(const md_model *m, int d, int c)
{
    return donor_country_ok(&m->donors[d], &m->countries[c]);
}
int eng_donor_course_ok(const md_model *m, int d, int k)
{
    return donor_course_ok(&m->donors[d], &m->courses[k]);
}
