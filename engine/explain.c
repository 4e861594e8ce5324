/* engine/explain.c — why a plan leaves a need short or money unspent
 * (docs/formats.md, coverage.csv `detail` and summary.json `unspent_reason`).
 * Everything is computed from the model and the plan's integer seats and
 * funding rows, never from the solver: a reader can redo each test by hand
 * from the output files, and the tests do (tests/t_explain.sh). */
#include "eng_int.h"
#include <math.h>
#include <stdlib.h>

const char *const eng_detail_names[ENG_NDETAIL] = {
    "", "min_cohort", "capacity", "max_per_country", "country_hours", "country_headcount",
    "share_cap", "budget", "outscored", "not_proven", "provider_share" };
const char *const eng_unspent_names[ENG_NUNSPENT] = {
    "", "no_eligible_pair", "needs_met", "pairs_full", "share_cap", "min_cohort",
    "below_seat_cost", "not_proven", "provider_share" };

/* Half a cent: money below it is rounding, as in the outputs. */
#define CENT 0.005

/* What the plan uses, gathered once. */
typedef struct ex_ctx {
    const md_model *m;
    const eng_plan *p;
    int *tk_start, *tk_list;     /* topic -> courses covering it (CSR) */
    long *k_seats;               /* [ncourses] seats of each course */
    long *c_seats;               /* [ncountries] seats of each country */
    double *c_hours;             /* [ncountries] trainee hours used */
    long *sum;                   /* [nneeds] seats towards each need, uncapped */
    int *f_first;                /* [ndonors + 1] each donor's funding rows */
    double *d_last;              /* [ndonors] lowest last-seat score per 1,000 of its pairs, or INFINITY */
    int *kprov;                  /* [ncourses] provider of each course (max_provider_share) */
    double *pspend, total;       /* [providers] what the plan pays each; in all */
} ex_ctx;

static void ex_free(ex_ctx *x)
{
    free(x->tk_start); free(x->tk_list); free(x->k_seats); free(x->c_seats);
    free(x->c_hours); free(x->sum); free(x->f_first); free(x->d_last); free(x->kprov); free(x->pspend);
}

/* 1 when a step costing due of course k would take its provider above
 * max_provider_share of the plan's total (a rule of the plan, like a
 * course's capacity). */
static int provider_full(const ex_ctx *x, int k, double due)
{
    double s = x->m->set.max_provider_share;
    if (!x->pspend || !(due > 0)) return 0;
    return x->pspend[x->kprov[k]] + due > s * (x->total + due) + CENT;
}

/* Seats of pair (c, k) in the plan (allocations are sorted by (c, k)). */
static long seats_of(const eng_plan *p, int c, int k)
{
    for (int lo = 0, hi = p->nalloc - 1; lo <= hi;) {
        int mid = lo + (hi - lo) / 2;
        const eng_alloc *a = &p->alloc[mid];
        if (a->c == c && a->k == k) return a->seats;
        if (a->c < c || (a->c == c && a->k < k)) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

/* What donor d pays for country c (funding rows are sorted by (d, c, k)). */
static double spent_on(const ex_ctx *x, int d, int c)
{
    double s = 0;
    for (int i = x->f_first[d]; i < x->f_first[d + 1]; i++)
        if (x->p->fund[i].c == c) s += x->p->fund[i].amount;
    return s;
}

static double cap_of(const md_donor *dn)
{
    return dn->max_share > 0 ? dn->max_share * dn->budget_base : INFINITY;
}

/* Score change of country c's needs that course k covers when `delta`
 * seats are added to (or, negative, removed from) the pair. */
static double score_change(const ex_ctx *x, int c, int k, long delta)
{
    const md_model *m = x->m;
    const md_course *ks = &m->courses[k];
    double ds = 0;
    for (int i = 0; i < ks->topics.n; i++) {
        int n = eng_need_of(m, c, ks->topic_idx[i]);
        if (n < 0) continue;
        long s = x->sum[n], need = m->needs[n].seats, after = s + delta;
        if (after < 0) after = 0;
        ds += eng_need_score(m, n, after < need ? after : need) - eng_need_score(m, n, s < need ? s : need);
    }
    return ds;
}

/* The largest shortfall among c's needs that k covers. */
static long remaining(const ex_ctx *x, int c, int k)
{
    const md_model *m = x->m;
    const md_course *ks = &m->courses[k];
    long most = 0;
    for (int i = 0; i < ks->topics.n; i++) {
        int n = eng_need_of(m, c, ks->topic_idx[i]);
        if (n >= 0 && m->needs[n].seats - x->p->covered[n] > most) most = m->needs[n].seats - x->p->covered[n];
    }
    return most;
}

static long lmin2(long a, long b) { return a < b ? a : b; }

/* The limits of pair (c, k) that do not depend on money: fills w->step,
 * w->could, w->due and returns the first of min_cohort, capacity,
 * max_per_country, country_hours, country_headcount that stops one more
 * step, or ENG_D_NONE. */
static int seat_limit(const ex_ctx *x, int c, int k, eng_why *w)
{
    const md_model *m = x->m;
    const md_course *ks = &m->courses[k];
    const md_country *cs = &m->countries[c];
    long total = x->k_seats[k], here = seats_of(x->p, c, k);
    w->c = c;
    w->k = k;
    w->step = total == 0 && ks->min_seats > 1 ? ks->min_seats : 1;
    w->due = ks->cost_base * (double)w->step;
    /* what c could still send: its shortfall, bounded by every seat limit */
    long could = remaining(x, c, k);
    if (ks->max_per_country >= 0) could = lmin2(could, ks->max_per_country - here);
    if (ks->seats >= 0) could = lmin2(could, ks->seats - total);
    if (cs->max_trainees >= 0) could = lmin2(could, cs->max_trainees - x->c_seats[c]);
    if (cs->trainee_hours >= 0 && ks->hours > 0) {
        double room = floor((cs->trainee_hours - x->c_hours[c]) / ks->hours + 1e-9);
        if (room < (double)could) could = room < 0 ? 0 : (long)room;
    }
    w->could = could < 0 ? 0 : could;
    if (total == 0 && w->could >= 1 && w->could < ks->min_seats) return ENG_D_MIN_COHORT;
    if (ks->seats >= 0 && total + w->step > ks->seats) return ENG_D_CAPACITY;
    if (ks->max_per_country >= 0 && here + w->step > ks->max_per_country) return ENG_D_MAX_PER_COUNTRY;
    if (cs->trainee_hours >= 0 && ks->hours > 0
        && x->c_hours[c] + ks->hours * (double)w->step > cs->trainee_hours * (1 + 1e-9) + 1e-6)
        return ENG_D_COUNTRY_HOURS;
    if (cs->max_trainees >= 0 && x->c_seats[c] + w->step > cs->max_trainees) return ENG_D_COUNTRY_HEADCOUNT;
    return ENG_D_NONE;
}

/* The course a need's detail looks at: the cheapest course covering its
 * topic that passes every filter of reason `resources` (eligible pair, and
 * free or payable by some donor); ties go to the lower id. -1 when none. */
static int cheapest_course(const ex_ctx *x, int c, int t)
{
    const md_model *m = x->m;
    int best = -1;
    for (int q = x->tk_start[t]; q < x->tk_start[t + 1]; q++) {
        int k = x->tk_list[q];
        double cost = m->courses[k].cost_base;
        if (best >= 0 && !(cost < m->courses[best].cost_base)) continue;
        if (!eng_pair_eligible(m, c, k)) continue;
        int payable = !(cost > 0);
        for (int d = 0; d < m->ndonors && !payable; d++) payable = eng_donor_eligible(m, d, c, k);
        if (payable) best = k;
    }
    return best;
}

static void explain_need(const ex_ctx *x, int n, eng_why *w)
{
    const md_model *m = x->m;
    const md_need *nd = &m->needs[n];
    *w = (eng_why){ ENG_D_NOT_PROVEN, nd->c, -1, 0, 0, 0, 0, NAN, NAN };
    int k = cheapest_course(x, nd->c, nd->t);
    if (k < 0) return;
    int lim = seat_limit(x, nd->c, k, w);
    if (lim != ENG_D_NONE) { w->code = lim; return; }
    if (!(w->due > 0)) return; /* a free course is never short of money */
    if (provider_full(x, k, w->due)) { w->code = ENG_D_PROVIDER_SHARE; return; }
    double room = 0, broom = 0, there = INFINITY;
    for (int d = 0; d < m->ndonors; d++) {
        if (!eng_donor_eligible(m, d, nd->c, k)) continue;
        const md_donor *dn = &m->donors[d];
        double left = dn->budget_base - x->p->donor_spent[d];
        double share = cap_of(dn) - spent_on(x, d, nd->c);
        double can = left < share ? left : share;
        if (can > 0) room += can;
        if (left > 0) broom += left;
        if (x->d_last[d] < there) there = x->d_last[d];
    }
    w->room = room;
    if (room >= w->due - CENT) return; /* money is there: not a limit */
    if (broom >= w->due - CENT) { w->code = ENG_D_SHARE_CAP; return; }
    w->here = score_change(x, nd->c, k, w->step) / w->due * 1000;
    w->there = isfinite(there) ? there : NAN;
    /* no funded pair to compare with: only more money would help */
    w->code = !isfinite(there) || w->here >= there - 1e-9 * fmax(1.0, fabs(there))
            ? ENG_D_BUDGET : ENG_D_OUTSCORED;
}

/* How far each pair donor d may pay for gets: the rank of the donor's
 * reason (docs/formats.md): the reason reported is the one of the pair that
 * got furthest, not_proven when one pair could still take its money. */
static int pair_rank(int u)
{
    switch (u) {
    case ENG_U_NEEDS_MET: return 1;
    case ENG_U_PAIRS_FULL: return 2;
    case ENG_U_MIN_COHORT: return 3;
    case ENG_U_SHARE_CAP: return 4;
    case ENG_U_BELOW_SEAT_COST: return 5;
    case ENG_U_NOT_PROVEN: return 6;
    case ENG_U_PROVIDER_SHARE: return 2; /* the pair is full for this rule, as pairs_full */
    default: return 0;
    }
}

/* A paid eligible pair and what stops one more step of it whoever pays:
 * ENG_U_NEEDS_MET, ENG_U_MIN_COHORT, ENG_U_PAIRS_FULL, or ENG_U_NONE
 * when only money could. Built once, then walked for every donor. */
typedef struct ex_pair { int c, k, code; long step, could; double due; } ex_pair;

static int pair_list(const ex_ctx *x, ex_pair **out, int *nout)
{
    const md_model *m = x->m;
    int n = 0, cap = 64;
    ex_pair *v = malloc((size_t)cap * sizeof *v);
    int *seen = malloc(((size_t)m->ncourses + 1) * sizeof *seen);
    if (!v || !seen) { free(v); free(seen); return -1; }
    for (int k = 0; k < m->ncourses; k++) seen[k] = -1;
    for (int c = 0; c < m->ncountries; c++) {
        const md_country *cs = &m->countries[c];
        for (int nn = cs->need_first; nn < cs->need_first + cs->need_count; nn++) {
            int t = m->needs[nn].t;
            for (int q = x->tk_start[t]; q < x->tk_start[t + 1]; q++) {
                int k = x->tk_list[q];
                if (seen[k] == c) continue; /* a course covering two needed topics */
                seen[k] = c;
                if (!(m->courses[k].cost_base > 0) || !eng_lang_ok(m, c, k) || !eng_region_ok(m, c, k)
                    || !eng_quality_ok(m, k) || !eng_period_ok(m, k))
                    continue;
                if (n == cap) {
                    ex_pair *g = realloc(v, (size_t)cap * 2 * sizeof *v);
                    if (!g) { free(v); free(seen); return -1; }
                    v = g;
                    cap *= 2;
                }
                eng_why w = { 0 };
                int code = ENG_U_NONE;
                if (remaining(x, c, k) <= 0) {
                    code = ENG_U_NEEDS_MET;
                    w.step = 1;
                    w.due = m->courses[k].cost_base;
                } else {
                    int lim = seat_limit(x, c, k, &w);
                    code = lim == ENG_D_MIN_COHORT ? ENG_U_MIN_COHORT : lim != ENG_D_NONE ? ENG_U_PAIRS_FULL
                         : provider_full(x, k, w.due) ? ENG_U_PROVIDER_SHARE : ENG_U_NONE;
                }
                v[n++] = (ex_pair){ c, k, code, w.step, w.could, w.due };
            }
        }
    }
    free(seen);
    *out = v;
    *nout = n;
    return 0;
}

/* Donor d's unspent money: each pair it may pay for gets the first limit
 * that stops d paying one more step of it (the pair's own limits, then d's
 * share cap, then d's money left); the donor's reason is the furthest pair's. */
static void explain_donor(const ex_ctx *x, const ex_pair *pl, int np, unsigned char *k_ok,
                          double *on_c, int d, eng_why *w)
{
    const md_model *m = x->m;
    const md_donor *dn = &m->donors[d];
    double left = dn->budget_base - x->p->donor_spent[d];
    *w = (eng_why){ ENG_U_NONE, -1, -1, 0, 0, 0, left, NAN, NAN };
    if (!(left >= 1.0 - CENT)) return;
    w->code = ENG_U_NO_ELIGIBLE_PAIR;
    for (int k = 0; k < m->ncourses; k++) k_ok[k] = (unsigned char)eng_donor_course_ok(m, d, k);
    for (int c = 0; c < m->ncountries; c++) on_c[c] = 0;
    for (int i = x->f_first[d]; i < x->f_first[d + 1]; i++) on_c[x->p->fund[i].c] += x->p->fund[i].amount;
    int c_last = -1, c_ok = 0;
    for (int i = 0; i < np && w->code != ENG_U_NOT_PROVEN; i++) {
        const ex_pair *pp = &pl[i];
        if (pp->c != c_last) { c_last = pp->c; c_ok = eng_donor_country_ok(m, d, pp->c); }
        if (!c_ok || !k_ok[pp->k]) continue;
        int u = pp->code;
        double room = cap_of(dn) - on_c[pp->c];
        if (u == ENG_U_NONE) {
            if (room < pp->due - CENT && left >= pp->due - CENT) u = ENG_U_SHARE_CAP;
            else if (left < pp->due - CENT) u = ENG_U_BELOW_SEAT_COST;
            else u = ENG_U_NOT_PROVEN;
        }
        /* the further pair wins; among equals the cheaper step */
        if (w->code == ENG_U_NO_ELIGIBLE_PAIR || pair_rank(u) > pair_rank(w->code)
            || (u == w->code && pp->due < w->due))
            *w = (eng_why){ u, pp->c, pp->k, pp->step, pp->could, pp->due,
                            u == ENG_U_SHARE_CAP ? room : left, NAN, NAN };
    }
}

/* Lowest score per 1,000 lost by taking the last seat off a pair each donor pays for. */
static void last_seats(ex_ctx *x)
{
    const md_model *m = x->m;
    for (int d = 0; d < m->ndonors; d++) {
        x->d_last[d] = INFINITY;
        for (int i = x->f_first[d]; i < x->f_first[d + 1]; i++) {
            const eng_fund *f = &x->p->fund[i];
            double cost = m->courses[f->k].cost_base;
            if (!(cost > 0) || seats_of(x->p, f->c, f->k) <= 0) continue;
            double v = -score_change(x, f->c, f->k, -1) / cost * 1000;
            if (v < x->d_last[d]) x->d_last[d] = v;
        }
    }
}

static int ex_build(ex_ctx *x)
{
    const md_model *m = x->m;
    const eng_plan *p = x->p;
    size_t nt = (size_t)m->ntopics + 2;
    x->tk_start = calloc(nt, sizeof *x->tk_start);
    x->k_seats = calloc((size_t)m->ncourses + 1, sizeof *x->k_seats);
    x->c_seats = calloc((size_t)m->ncountries + 1, sizeof *x->c_seats);
    x->c_hours = calloc((size_t)m->ncountries + 1, sizeof *x->c_hours);
    x->sum = calloc((size_t)m->nneeds + 1, sizeof *x->sum);
    x->f_first = calloc((size_t)m->ndonors + 2, sizeof *x->f_first);
    x->d_last = calloc((size_t)m->ndonors + 1, sizeof *x->d_last);
    if (!x->tk_start || !x->k_seats || !x->c_seats || !x->c_hours || !x->sum || !x->f_first || !x->d_last)
        return -1;
    size_t nk = 0;
    for (int k = 0; k < m->ncourses; k++)
        for (int i = 0; i < m->courses[k].topics.n; i++) {
            x->tk_start[m->courses[k].topic_idx[i] + 1]++;
            nk++;
        }
    for (int t = 0; t < m->ntopics; t++) x->tk_start[t + 1] += x->tk_start[t];
    x->tk_list = malloc((nk + 1) * sizeof *x->tk_list);
    int *fill = calloc(nt, sizeof *fill);
    if (!x->tk_list || !fill) { free(fill); return -1; }
    for (int k = 0; k < m->ncourses; k++) /* courses in id order within each topic */
        for (int i = 0; i < m->courses[k].topics.n; i++) {
            int t = m->courses[k].topic_idx[i];
            x->tk_list[x->tk_start[t] + fill[t]++] = k;
        }
    free(fill);
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *a = &p->alloc[i];
        const md_course *ks = &m->courses[a->k];
        x->k_seats[a->k] += a->seats;
        x->c_seats[a->c] += a->seats;
        x->c_hours[a->c] += ks->hours * (double)a->seats;
        for (int j = 0; j < ks->topics.n; j++) {
            int n = eng_need_of(m, a->c, ks->topic_idx[j]);
            if (n >= 0) x->sum[n] += a->seats;
        }
    }
    double s = m->set.max_provider_share;
    if (s > 0 && s < 1) { /* the provider-share cap: each provider's spend and the total */
        x->kprov = malloc(((size_t)m->ncourses + 1) * sizeof *x->kprov);
        int np = x->kprov ? eng_providers(m, x->kprov) : -1;
        x->pspend = np >= 0 ? calloc((size_t)np + 1, sizeof *x->pspend) : NULL;
        if (!x->pspend) return -1;
        for (int i = 0; i < p->nalloc; i++) {
            x->pspend[x->kprov[p->alloc[i].k]] += p->alloc[i].cost;
            x->total += p->alloc[i].cost;
        }
    }
    for (int i = 0; i < p->nfund; i++) x->f_first[p->fund[i].d + 1]++;
    for (int d = 0; d < m->ndonors; d++) x->f_first[d + 1] += x->f_first[d];
    last_seats(x);
    return 0;
}

int eng_explain(const md_model *m, eng_plan *p)
{
    free(p->detail); free(p->why); free(p->unspent_reason); free(p->donor_why);
    p->detail = calloc((size_t)m->nneeds + 1, sizeof *p->detail);
    p->why = calloc((size_t)m->nneeds + 1, sizeof *p->why);
    p->unspent_reason = calloc((size_t)m->ndonors + 1, sizeof *p->unspent_reason);
    p->donor_why = calloc((size_t)m->ndonors + 1, sizeof *p->donor_why);
    ex_ctx x = { .m = m, .p = p };
    if (!p->detail || !p->why || !p->unspent_reason || !p->donor_why || ex_build(&x)) {
        ex_free(&x);
        return MD_EX_SOFTWARE;
    }
    for (int n = 0; n < m->nneeds; n++) {
        eng_why *w = &p->why[n];
        if (p->reason[n] == ENG_R_RESOURCES) explain_need(&x, n, w);
        else *w = (eng_why){ ENG_D_NONE, m->needs[n].c, -1, 0, 0, 0, 0, NAN, NAN };
        p->detail[n] = w->code;
    }
    ex_pair *pl = NULL;
    int np = 0;
    unsigned char *k_ok = malloc((size_t)m->ncourses + 1);
    double *on_c = malloc(((size_t)m->ncountries + 1) * sizeof *on_c);
    int any = 0; /* the pairs are listed only when some money is left */
    for (int d = 0; d < m->ndonors; d++) any |= m->donors[d].budget_base - p->donor_spent[d] >= 1.0 - CENT;
    int rc = !k_ok || !on_c || (any && pair_list(&x, &pl, &np)) ? MD_EX_SOFTWARE : 0;
    for (int d = 0; d < m->ndonors && rc == 0; d++) {
        explain_donor(&x, pl, np, k_ok, on_c, d, &p->donor_why[d]);
        p->unspent_reason[d] = p->donor_why[d].code;
    }
    free(pl);
    free(k_ok);
    free(on_c);
    ex_free(&x);
    return rc;
}
