/* engine/commit.c — when the commitments cannot all be honoured: a deletion
 * filter finds a minimal set that clashes (drop each commitment in turn and
 * keep it dropped while the rest stays infeasible), then each member is
 * reported at its location with the first resource it overdraws, if any. */
#include "eng_int.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* 1 feasible, 0 infeasible, -1 unknown (time, stop), 70 on solver failure. */
static int feasible(const eng_tab *T, const unsigned char *active, const eng_options *opt,
                    double deadline, md_diag *d)
{
    eng_lp L;
    if (eng_lp_build(T, active, &L, d)) return MD_EX_SOFTWARE;
    eng_lp_objective(T, &L, ENG_OBJ_NONE); /* the first integer solution ends it */
    eng_run r = { .cfg.opt = opt, .cfg.deadline = deadline };
    eng_run_mip(&L, 0.0, &r);
    eng_lp_free(&L);
    if (r.res.failed) {
        md_fail(d, MD_EX_SOFTWARE, "solver failure while checking the commitments: %s", r.res.why);
        return MD_EX_SOFTWARE;
    }
    if (r.res.infeasible) return 0;
    return r.res.feasible ? 1 : -1;
}

/* The first resource that the commitments in the set overdraw and that
 * commitment i takes part in; writes "" when none is obvious. */
static void explain(const eng_tab *T, const unsigned char *set, int i, char *buf, size_t n)
{
    const md_model *m = T->m;
    const md_commitment *ci = &m->commitments[i];
    const md_course *ks = &m->courses[ci->k];
    const md_country *cs = &m->countries[ci->c];
    long pair = 0, course = 0, country = 0;
    double hours = 0, money = 0, share = 0;
    for (int j = 0; j < m->ncommitments; j++) {
        if (!set[j]) continue;
        const md_commitment *cj = &m->commitments[j];
        double cost = m->courses[cj->k].cost_base * (double)cj->seats;
        if (cj->c == ci->c && cj->k == ci->k) pair += cj->seats;
        if (cj->k == ci->k) course += cj->seats;
        if (cj->c == ci->c) {
            country += cj->seats;
            hours += m->courses[cj->k].hours * (double)cj->seats;
        }
        if (ci->d >= 0 && cj->d == ci->d && m->courses[cj->k].cost_base > 0) {
            money += cost;
            if (cj->c == ci->c) share += cost;
        }
    }
    buf[0] = '\0';
    if (ks->max_per_country >= 0 && pair > ks->max_per_country)
        snprintf(buf, n, "%ld committed seats for %s exceed the course's max_per_country of %ld",
                 pair, cs->code, ks->max_per_country);
    else if (ks->seats >= 0 && course > ks->seats)
        snprintf(buf, n, "%ld committed seats exceed course %s's capacity of %ld", course, ks->id, ks->seats);
    else if (cs->max_trainees >= 0 && country > cs->max_trainees)
        snprintf(buf, n, "%ld committed seats exceed %s's max_trainees of %ld", country, cs->code,
                 cs->max_trainees);
    else if (cs->trainee_hours >= 0 && hours > cs->trainee_hours * (1 + 1e-9) + 1e-9)
        snprintf(buf, n, "the committed seats need %g trainee hours, %s has %g", hours, cs->code,
                 cs->trainee_hours);
    else if (ci->d >= 0 && money > m->donors[ci->d].budget_base * (1 + 1e-9) + 1e-6)
        snprintf(buf, n, "donor %s is committed to %.2f %s, its budget is %.2f", ci->donor, money,
                 m->set.currency, m->donors[ci->d].budget_base);
    else if (ci->d >= 0 && m->donors[ci->d].max_share > 0
             && share > m->donors[ci->d].max_share * m->donors[ci->d].budget_base * (1 + 1e-9) + 1e-6)
        snprintf(buf, n, "donor %s is committed to %.2f %s for %s, above its per-country share cap of %.2f",
                 ci->donor, share, m->set.currency, cs->code,
                 m->donors[ci->d].max_share * m->donors[ci->d].budget_base);
    else if (ks->min_seats > 0 && course < ks->min_seats)
        snprintf(buf, n, "course %s needs a cohort of at least %ld and cannot be filled",
                 ks->id, ks->min_seats);
    double sh = m->set.max_provider_share;
    if (buf[0] || !(sh > 0 && sh < 1) || !(ks->cost_base > 0)) return;
    double mine = 0; /* what the set commits to ci's provider (a course without one is its own) */
    for (int j = 0; j < m->ncommitments; j++) {
        const md_course *kj = &m->courses[m->commitments[j].k];
        if (set[j] && (ks->provider ? kj->provider && strcmp(kj->provider, ks->provider) == 0 : kj == ks))
            mine += kj->cost_base * (double)m->commitments[j].seats;
    }
    snprintf(buf, n, "the committed seats of %s%s cost %.2f %s; under policy.max_provider_share %g the plan "
             "must then pay at least %.2f %s for other providers' seats", ks->provider ? "provider " : "course ",
             ks->provider ? ks->provider : ks->id, mine, m->set.currency, sh, mine * (1 / sh - 1), m->set.currency);
}

int eng_commit_conflicts(const eng_tab *T, const eng_options *opt, double deadline, md_diag *d)
{
    const md_model *m = T->m;
    int n = m->ncommitments, unknown = 0;
    unsigned char *set = eng_scratch((size_t)n + 1); /* held across GLPK calls: scratch */
    if (!set) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while checking commitments");
        return MD_EX_SOFTWARE;
    }
    memset(set, 1, (size_t)n + 1);
    for (int i = 0; i < n && !unknown; i++) {
        set[i] = 0;
        int f = feasible(T, set, opt, deadline, d);
        if (f == MD_EX_SOFTWARE) { eng_scratch_free(set); return f; }
        if (f != 0) set[i] = 1; /* needed for the clash (or cannot tell) */
        if (f < 0) unknown = 1;
    }
    int members = 0;
    for (int i = 0; i < n; i++) members += set[i];
    for (int i = 0; i < n; i++) {
        if (!set[i]) continue;
        const md_commitment *cm = &m->commitments[i];
        char why[256], donor[160] = "";
        explain(T, set, i, why, sizeof why);
        if (cm->donor) snprintf(donor, sizeof donor, " (donor %s)", cm->donor);
        if (members == 1)
            md_error(d, MD_EX_DATAERR, &cm->loc, "commitment %s/%s%s cannot be honoured%s%s",
                     cm->country, cm->course, donor, why[0] ? ": " : "", why);
        else
            md_error(d, MD_EX_DATAERR, &cm->loc,
                     "commitment %s/%s%s cannot be honoured together with the other commitments listed%s%s",
                     cm->country, cm->course, donor, why[0] ? ": " : "", why);
    }
    if (unknown)
        md_fail(d, MD_EX_DATAERR, "the search for a minimal set of clashing commitments was cut short "
                "by the time limit; the list above may be longer than necessary");
    eng_scratch_free(set);
    return MD_EX_DATAERR;
}
