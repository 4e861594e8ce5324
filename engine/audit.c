/* engine/audit.c — an independent re-check of a plan against every
 * constraint of the allocation problem (docs/formats.md) and of its
 * totals. Deliberately shares no code with the model builder: eligibility
 * is re-implemented here with plain loops, so that a bug in the builder's
 * indexes cannot hide itself. */
#include "engine.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define MONEY_OK(have, limit) ((have) <= (limit) + 1e-6 * fabs(limit) + 0.005)
#define SAME_MONEY(a, b) (fabs((a) - (b)) <= 1e-6 * fabs(b) + 0.005)
#define SAME_VALUE(a, b) (fabs((a) - (b)) <= 1e-6 * fmax(1.0, fabs(b)))

static int has(const md_strlist *l, const char *s)
{
    if (!s) return 0;
    for (int i = 0; i < l->n; i++)
        if (l->v[i] && strcmp(l->v[i], s) == 0) return 1;
    return 0;
}

/* "eligible pair" (docs/formats.md, The allocation problem), straight from the text. */
static int pair_ok(const md_model *m, int c, int k)
{
    const md_country *cs = &m->countries[c];
    const md_course *ks = &m->courses[k];
    if (!has(&cs->languages, ks->language)) return 0;
    if (ks->regions.present && !has(&ks->regions, cs->region)) return 0;
    if (m->set.has_min_quality) {
        if (ks->quality < 0 ? !m->set.unrated_allow : ks->quality < m->set.min_quality) return 0;
    }
    if (m->set.has_period && ks->start_date != 0
        && (ks->start_date < m->set.period_start || ks->start_date > m->set.period_end))
        return 0;
    for (int n = cs->need_first; n < cs->need_first + cs->need_count; n++)
        if (strcmp(m->needs[n].country, cs->code) == 0 && has(&ks->topics, m->needs[n].topic))
            return 1;
    return 0;
}

/* "eligible donor d for pair (c, k)" (docs/formats.md, The allocation problem). */
static int donor_ok(const md_model *m, int d, int c, int k)
{
    const md_donor *dn = &m->donors[d];
    const md_country *cs = &m->countries[c];
    const md_course *ks = &m->courses[k];
    if (dn->countries.present && !has(&dn->countries, cs->code)) return 0;
    if (dn->regions.present && !has(&dn->regions, cs->region)) return 0;
    if (dn->income_groups.present
        && !(cs->income >= 0 && cs->income < MD_INC_COUNT && has(&dn->income_groups, md_income_names[cs->income])))
        return 0;
    if (dn->exclude_countries.present && has(&dn->exclude_countries, cs->code)) return 0;
    if (dn->topics.present) {
        int any = 0;
        for (int i = 0; i < ks->topics.n; i++) any |= has(&dn->topics, ks->topics.v[i]);
        if (!any) return 0;
    }
    if (dn->formats.present
        && !(ks->format >= 0 && ks->format < MD_FMT_COUNT && has(&dn->formats, md_format_names[ks->format])))
        return 0;
    if (dn->providers.present && !has(&dn->providers, ks->provider)) return 0;
    return 1;
}

static double tier_score(const md_model *m, int n, long covered)
{
    const md_need *nd = &m->needs[n];
    int inc = m->countries[nd->c].income;
    double w = nd->priority * (inc >= 0 && inc < MD_INC_COUNT ? m->set.income_weight[inc] : 1.0);
    double s = 0, lo = 0;
    for (int i = 0; i < m->set.ntiers; i++) {
        double hi = m->set.tiers[i].frac * (double)nd->seats;
        double piece = fmin((double)covered, hi) - lo;
        if (piece > 0) s += m->set.tiers[i].value * piece;
        lo = hi;
    }
    return w * s;
}

static int find_alloc(const eng_plan *p, int c, int k)
{
    int lo = 0, hi = p->nalloc - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const eng_alloc *a = &p->alloc[mid];
        if (a->c == c && a->k == k) return mid;
        if (a->c < c || (a->c == c && a->k < k)) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int find_fund(const eng_plan *p, int d, int c, int k)
{
    for (int lo = 0, hi = p->nfund - 1; lo <= hi;) {
        int mid = lo + (hi - lo) / 2;
        const eng_fund *f = &p->fund[mid];
        if (f->d == d && f->c == c && f->k == k) return mid;
        if (f->d < d || (f->d == d && (f->c < c || (f->c == c && f->k < k)))) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

typedef struct acc {
    double *fsum, *spent, *course_seats, *country_seats, *country_hours, *need_sum, *cm_seats, *cm_money;
} acc;

static void acc_free(acc *a)
{
    free(a->fsum); free(a->spent); free(a->course_seats); free(a->country_seats);
    free(a->country_hours); free(a->need_sum); free(a->cm_seats); free(a->cm_money);
}

#define V(msg, ...) (md_fail(d, MD_EX_SOFTWARE, "plan audit: " msg, __VA_ARGS__), bad++)

static int check_allocs(const md_model *m, const eng_plan *p, acc *a, md_diag *d)
{
    int bad = 0;
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *x = &p->alloc[i];
        if (x->c < 0 || x->c >= m->ncountries || x->k < 0 || x->k >= m->ncourses || x->seats < 1) {
            V("allocation row %d is malformed", i);
            continue;
        }
        const md_country *cs = &m->countries[x->c];
        const md_course *ks = &m->courses[x->k];
        if (i > 0) {
            const eng_alloc *y = &p->alloc[i - 1];
            if (y->c > x->c || (y->c == x->c && y->k >= x->k))
                V("allocations are not sorted and unique at %s/%s", cs->code, ks->id);
        }
        if (!pair_ok(m, x->c, x->k)) V("pair %s/%s is not eligible", cs->code, ks->id);
        if (!SAME_MONEY(x->cost, ks->cost_base * (double)x->seats))
            V("cost of %s/%s is %.2f, expected %.2f", cs->code, ks->id, x->cost, ks->cost_base * (double)x->seats);
        if (ks->max_per_country >= 0 && x->seats > ks->max_per_country)
            V("%s/%s has %ld seats, max_per_country is %ld", cs->code, ks->id, x->seats, ks->max_per_country);
        a->course_seats[x->k] += (double)x->seats;
        a->country_seats[x->c] += (double)x->seats;
        a->country_hours[x->c] += ks->hours * (double)x->seats;
        for (int n = cs->need_first; n < cs->need_first + cs->need_count; n++)
            if (m->needs[n].c == x->c && has(&ks->topics, m->needs[n].topic))
                a->need_sum[n] += (double)x->seats;
    }
    return bad;
}

static int check_funds(const md_model *m, const eng_plan *p, acc *a, md_diag *d)
{
    int bad = 0;
    double share = 0;
    for (int i = 0; i < p->nfund; i++) {
        const eng_fund *f = &p->fund[i];
        if (f->d < 0 || f->d >= m->ndonors || f->c < 0 || f->c >= m->ncountries || f->k < 0
            || f->k >= m->ncourses || !(f->amount > 0) || !isfinite(f->amount)) {
            V("funding row %d is malformed", i);
            continue;
        }
        const md_donor *dn = &m->donors[f->d];
        const char *cc = m->countries[f->c].code, *kk = m->courses[f->k].id;
        const eng_fund *g = i > 0 ? &p->fund[i - 1] : NULL;
        if (g && (g->d > f->d || (g->d == f->d && (g->c > f->c || (g->c == f->c && g->k >= f->k)))))
            V("funding rows are not sorted and unique at %s/%s/%s", dn->id, cc, kk);
        if (!donor_ok(m, f->d, f->c, f->k)) V("donor %s may not fund %s/%s", dn->id, cc, kk);
        int j = find_alloc(p, f->c, f->k);
        if (j < 0) V("donor %s funds %s/%s, which has no seats", dn->id, cc, kk);
        else a->fsum[j] += f->amount;
        a->spent[f->d] += f->amount;
        share = (g && g->d == f->d && g->c == f->c) ? share + f->amount : f->amount;
        if (dn->max_share > 0 && !MONEY_OK(share, dn->max_share * dn->budget_base)
            && (i + 1 == p->nfund || p->fund[i + 1].d != f->d || p->fund[i + 1].c != f->c))
            V("donor %s spends %.2f on %s, above its share cap of %.2f", dn->id, share, cc,
              dn->max_share * dn->budget_base);
    }
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *x = &p->alloc[i];
        if (x->c < 0 || x->c >= m->ncountries || x->k < 0 || x->k >= m->ncourses) continue;
        double need = m->courses[x->k].cost_base * (double)x->seats;
        if (!SAME_MONEY(a->fsum[i], need))
            V("funding of %s/%s is %.2f, the seats cost %.2f", m->countries[x->c].code, m->courses[x->k].id,
              a->fsum[i], need);
    }
    for (int dd = 0; dd < m->ndonors; dd++) {
        if (!MONEY_OK(a->spent[dd], m->donors[dd].budget_base))
            V("donor %s spends %.2f, above its budget of %.2f", m->donors[dd].id, a->spent[dd],
              m->donors[dd].budget_base);
        if (!SAME_MONEY(p->donor_spent[dd], a->spent[dd]))
            V("donor %s's reported spending %.2f differs from its funding rows (%.2f)", m->donors[dd].id,
              p->donor_spent[dd], a->spent[dd]);
    }
    return bad;
}

static int check_limits(const md_model *m, const eng_plan *p, acc *a, md_diag *d)
{
    int bad = 0;
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *ks = &m->courses[k];
        double s = a->course_seats[k];
        if (ks->seats >= 0 && s > (double)ks->seats) V("course %s has %.0f seats, capacity %ld", ks->id, s, ks->seats);
        if (s > 0 && s < (double)ks->min_seats)
            V("course %s runs with %.0f seats, below min_seats %ld", ks->id, s, ks->min_seats);
    }
    for (int c = 0; c < m->ncountries; c++) {
        const md_country *cs = &m->countries[c];
        if (cs->max_trainees >= 0 && a->country_seats[c] > (double)cs->max_trainees)
            V("%s has %.0f trainees, max_trainees %ld", cs->code, a->country_seats[c], cs->max_trainees);
        if (cs->trainee_hours >= 0 && a->country_hours[c] > cs->trainee_hours * (1 + 1e-9) + 1e-6)
            V("%s needs %g trainee hours, has %g", cs->code, a->country_hours[c], cs->trainee_hours);
    }
    for (int i = 0; i < m->ncommitments; i++) {
        const md_commitment *cm = &m->commitments[i];
        int j = find_alloc(p, cm->c, cm->k);
        if (j < 0) { V("commitment %s/%s has no seats", cm->country, cm->course); continue; }
        a->cm_seats[j] += (double)cm->seats;
        if (cm->d >= 0 && m->courses[cm->k].cost_base > 0) {
            int f = find_fund(p, cm->d, cm->c, cm->k);
            if (f < 0) V("commitment %s/%s: donor %s pays nothing", cm->country, cm->course, cm->donor);
            else a->cm_money[f] += m->courses[cm->k].cost_base * (double)cm->seats;
        }
    }
    for (int j = 0; j < p->nalloc; j++)
        if ((double)p->alloc[j].seats < a->cm_seats[j])
            V("%s/%s has %ld seats, %.0f are committed", m->countries[p->alloc[j].c].code,
              m->courses[p->alloc[j].k].id, p->alloc[j].seats, a->cm_seats[j]);
    for (int f = 0; f < p->nfund; f++)
        if (p->fund[f].amount < a->cm_money[f] - 1e-6 * a->cm_money[f] - 0.005)
            V("donor %s pays %.2f for %s/%s, %.2f is committed", m->donors[p->fund[f].d].id, p->fund[f].amount,
              m->countries[p->fund[f].c].code, m->courses[p->fund[f].k].id, a->cm_money[f]);
    return bad;
}

/* The provider-share cap: each provider's spend at most the share of the
 * plan's total; a course without a provider is its own provider. The
 * allocations are sorted by provider name here (not the builder's index). */
static const md_course *audit_courses;

static const char *prov_key(const md_course *k, int *own)
{
    *own = !k->provider;
    return k->provider ? k->provider : k->id;
}

static int cmp_prov(const void *a, const void *b)
{
    int oa, ob;
    const char *x = prov_key(&audit_courses[((const eng_alloc *)a)->k], &oa);
    const char *y = prov_key(&audit_courses[((const eng_alloc *)b)->k], &ob);
    return oa != ob ? oa - ob : strcmp(x, y);
}

static int check_providers(const md_model *m, const eng_plan *p, md_diag *d)
{
    double s = m->set.max_provider_share, total = 0;
    if (!(s > 0 && s < 1) || p->nalloc == 0) return 0;
    eng_alloc *v = malloc((size_t)p->nalloc * sizeof *v);
    if (!v) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while auditing the plan");
        return 1;
    }
    memcpy(v, p->alloc, (size_t)p->nalloc * sizeof *v);
    audit_courses = m->courses;
    qsort(v, (size_t)p->nalloc, sizeof *v, cmp_prov);
    for (int i = 0; i < p->nalloc; i++) total += m->courses[v[i].k].cost_base * (double)v[i].seats;
    int bad = 0;
    for (int i = 0; i < p->nalloc;) {
        double spend = 0;
        int j = i;
        for (; j < p->nalloc && cmp_prov(&v[i], &v[j]) == 0; j++) spend += m->courses[v[j].k].cost_base * (double)v[j].seats;
        int own;
        const char *name = prov_key(&m->courses[v[i].k], &own);
        if (!MONEY_OK(spend, s * total))
            V("provider %s is paid %.2f of %.2f, above max_provider_share %g", name, spend, total, s);
        i = j;
    }
    free(v);
    return bad;
}

static int check_totals(const md_model *m, const eng_plan *p, acc *a, md_diag *d)
{
    int bad = 0;
    double score = 0, cost = 0;
    long seats = 0;
    for (int n = 0; n < m->nneeds; n++) {
        const md_need *nd = &m->needs[n];
        long cov = a->need_sum[n] < (double)nd->seats ? (long)a->need_sum[n] : nd->seats;
        if (p->covered[n] != cov)
            V("need %s/%s reports %ld covered, the seats give %ld", nd->country, nd->topic, p->covered[n], cov);
        double s = tier_score(m, n, cov);
        if (!SAME_VALUE(p->need_score[n], s))
            V("need %s/%s reports score %g, expected %g", nd->country, nd->topic, p->need_score[n], s);
        score += s;
        if (p->reason[n] < ENG_R_NONE || p->reason[n] > ENG_R_RESOURCES
            || (p->reason[n] == ENG_R_NONE) != (cov >= nd->seats))
            V("need %s/%s has an inconsistent reason code %d", nd->country, nd->topic, p->reason[n]);
    }
    for (int i = 0; i < p->nalloc; i++) {
        cost += p->alloc[i].cost;
        seats += p->alloc[i].seats;
    }
    if (!SAME_VALUE(p->score, score)) V("score %g differs from the needs' scores (%g)", p->score, score);
    if (p->score_bound < p->score - 1e-6 * fmax(1.0, fabs(p->score)))
        V("score bound %g is below the score %g", p->score_bound, p->score);
    if (!SAME_MONEY(p->total_cost, cost)) V("total cost %.2f differs from the allocations (%.2f)", p->total_cost, cost);
    if (p->seats != seats) V("total seats %ld differ from the allocations (%ld)", p->seats, seats);
    if (p->status < ENG_OPTIMAL || p->status >= ENG_NSTATUS) V("invalid status %d", p->status);
    return bad;
}

int eng_audit(const md_model *m, const eng_plan *p, md_diag *d)
{
    if ((m->nneeds > 0 && (!p->covered || !p->need_score || !p->reason))
        || (m->ndonors > 0 && !p->donor_spent) || (p->nalloc > 0 && !p->alloc)
        || (p->nfund > 0 && !p->fund) || p->nalloc < 0 || p->nfund < 0) {
        md_fail(d, MD_EX_SOFTWARE, "plan audit: the plan is incomplete");
        return 1;
    }
    acc a = { 0 };
    size_t na = (size_t)p->nalloc + 1;
    a.fsum = calloc(na, sizeof *a.fsum);
    a.cm_seats = calloc(na, sizeof *a.cm_seats);
    a.cm_money = calloc((size_t)p->nfund + 1, sizeof *a.cm_money);
    a.spent = calloc((size_t)m->ndonors + 1, sizeof *a.spent);
    a.course_seats = calloc((size_t)m->ncourses + 1, sizeof *a.course_seats);
    a.country_seats = calloc((size_t)m->ncountries + 1, sizeof *a.country_seats);
    a.country_hours = calloc((size_t)m->ncountries + 1, sizeof *a.country_hours);
    a.need_sum = calloc((size_t)m->nneeds + 1, sizeof *a.need_sum);
    if (!a.fsum || !a.cm_seats || !a.cm_money || !a.spent || !a.course_seats || !a.country_seats
        || !a.country_hours || !a.need_sum) {
        acc_free(&a);
        md_fail(d, MD_EX_SOFTWARE, "out of memory while auditing the plan");
        return 1;
    }
    int bad = check_allocs(m, p, &a, d);
    bad += check_funds(m, p, &a, d);
    bad += check_limits(m, p, &a, d);
    bad += check_totals(m, p, &a, d);
    bad += check_providers(m, p, d);
    acc_free(&a);
    return bad ? 1 : 0;
}

/* ---- churn against the previous plan: re-counted by another route than
 * stable.c's (one list of signed seats, sorted, summed per pair) ---- */
typedef struct audit_seat { int c, k; long delta; } audit_seat;

static int cmp_audit_seat(const void *a, const void *b)
{
    const audit_seat *x = a, *y = b;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

int eng_audit_churn(const eng_plan *p, const eng_prev *prev, md_diag *d)
{
    size_t n = (size_t)p->nalloc + (size_t)prev->nseat;
    audit_seat *v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while auditing the plan");
        return 1;
    }
    size_t m = 0;
    for (int i = 0; i < p->nalloc; i++) v[m++] = (audit_seat){ p->alloc[i].c, p->alloc[i].k, p->alloc[i].seats };
    for (int i = 0; i < prev->nseat; i++) v[m++] = (audit_seat){ prev->seat[i].c, prev->seat[i].k, -prev->seat[i].seats };
    if (m) qsort(v, m, sizeof *v, cmp_audit_seat);
    long churn = prev->gone;
    for (size_t i = 0; i < m;) {
        long sum = 0;
        size_t j = i;
        for (; j < m && v[j].c == v[i].c && v[j].k == v[i].k; j++) sum += v[j].delta;
        churn += labs(sum);
        i = j;
    }
    free(v);
    if (churn == p->churn) return 0;
    md_fail(d, MD_EX_SOFTWARE, "audit: the plan's churn is %ld but its seats differ from the previous plan's by %ld",
            p->churn, churn);
    return 1;
}
