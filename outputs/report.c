/* outputs/report.c — the report model: overview figures, per-donor plans,
 * per-country coverage and offers, unmet needs and the run-to-run diff,
 * computed once so that Markdown and HTML show the same numbers. */
#include "report.h"
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NEW(r, T, n) ((T *)md_arena_alloc(&(r)->arena, sizeof(T) * (size_t)((n) > 0 ? (n) : 1)))

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *region_of(const md_country *c) { return c->region ? c->region : ""; }

/* Same rounding as the CSV files: compare amounts in whole cents. */
static long long cents(double v) { return llround(v * 100.0); }

static int build_regions(out_report *r)
{
    const md_model *m = r->m;
    r->regions = NEW(r, const char *, m->ncountries);
    r->country_region = NEW(r, int, m->ncountries);
    if (!r->regions || !r->country_region) return -1;
    int n = 0;
    for (int c = 0; c < m->ncountries; c++) r->regions[n++] = region_of(&m->countries[c]);
    qsort(r->regions, (size_t)n, sizeof *r->regions, cmp_str);
    int u = 0;
    for (int i = 0; i < n; i++)
        if (u == 0 || strcmp(r->regions[u - 1], r->regions[i]) != 0) r->regions[u++] = r->regions[i];
    r->nregions = u;
    for (int c = 0; c < m->ncountries; c++) {
        const char *key = region_of(&m->countries[c]);
        const char **hit = bsearch(&key, r->regions, (size_t)u, sizeof *r->regions, cmp_str);
        r->country_region[c] = hit ? (int)(hit - r->regions) : 0;
    }
    return 0;
}

typedef struct offer_key { double quality, cost; const char *id; int k; } offer_key;

/* Best quality first (unrated last), then cheapest, then by id. */
static int cmp_offer(const void *a, const void *b)
{
    const offer_key *x = a, *y = b;
    if (x->quality != y->quality) return x->quality > y->quality ? -1 : 1;
    if (x->cost != y->cost) return x->cost < y->cost ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int build_countries(out_report *r)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    r->countries = NEW(r, out_rep_country, m->ncountries);
    offer_key *keys = malloc(sizeof *keys * (size_t)(m->ncourses > 0 ? m->ncourses : 1));
    if (!r->countries || !keys) { free(keys); return -1; }

    for (int i = 0; i < p->nalloc; i++) {
        int c = p->alloc[i].c;
        if (c >= 0 && c < m->ncountries) r->countries[c].nallocs++;
    }
    for (int i = 0; i < p->nfund; i++) {
        int c = p->fund[i].c;
        if (c >= 0 && c < m->ncountries) r->countries[c].nfunds++;
    }
    for (int c = 0; c < m->ncountries; c++) {
        out_rep_country *rc = &r->countries[c];
        rc->allocs = NEW(r, int, rc->nallocs);
        rc->funds = NEW(r, int, rc->nfunds);
        if (!rc->allocs || !rc->funds) { free(keys); return -1; }
        rc->nallocs = rc->nfunds = 0;
    }
    for (int i = 0; i < p->nalloc; i++) {
        int c = p->alloc[i].c;
        if (c < 0 || c >= m->ncountries) continue;
        r->countries[c].allocs[r->countries[c].nallocs++] = i;
        r->countries[c].cost += p->alloc[i].cost;
    }
    for (int i = 0; i < p->nfund; i++) {
        int c = p->fund[i].c;
        if (c >= 0 && c < m->ncountries) r->countries[c].funds[r->countries[c].nfunds++] = i;
    }
    for (int i = 0; i < m->nneeds; i++) {
        int c = m->needs[i].c;
        if (c < 0 || c >= m->ncountries) continue;
        long cov = p->covered ? p->covered[i] : 0;
        if (cov > m->needs[i].seats) cov = m->needs[i].seats;
        r->countries[c].seats_needed += m->needs[i].seats;
        r->countries[c].seats_covered += cov;
        if (cov >= m->needs[i].seats) r->countries[c].nneeds_full++;
    }
    for (int c = 0; c < m->ncountries; c++) {
        out_rep_country *rc = &r->countries[c];
        int n = 0;
        for (int k = 0; k < m->ncourses; k++) {
            if (!eng_pair_eligible(m, c, k)) continue;
            const md_course *co = &m->courses[k];
            keys[n++] = (offer_key){ co->quality, co->cost_base, co->id, k };
            if (co->cost_base <= 0) rc->nfree++;
        }
        qsort(keys, (size_t)n, sizeof *keys, cmp_offer);
        rc->offers = NEW(r, int, n);
        if (!rc->offers) { free(keys); return -1; }
        for (int i = 0; i < n; i++) rc->offers[i] = keys[i].k;
        rc->noffers = n;
        rc->nshown = n < OUT_OFFERS_SHOWN ? n : OUT_OFFERS_SHOWN;
    }
    free(keys);
    return 0;
}

/* Does country c have a need for topic t? Its needs are contiguous. */
static int country_needs(const md_model *m, int c, int t)
{
    const md_country *co = &m->countries[c];
    for (int i = co->need_first; i < co->need_first + co->need_count && i < m->nneeds; i++)
        if (i >= 0 && m->needs[i].t == t) return 1;
    return 0;
}

/* Whether topic j of course k counts for a donor's spend: level 3, the
 * country needs it and the donor's earmark (if any) names it; level 2, the
 * earmark names it (the course was paid for that topic); level 1, the
 * country needs it. */
static int topic_counts(const md_model *m, int c, const md_course *k, int j,
                        const md_strlist *earmark, int level)
{
    int t = k->topic_idx ? k->topic_idx[j] : -1;
    if (t < 0 || t >= m->ntopics) return 0;
    int needed = country_needs(m, c, t);
    int funded = !earmark->present || md_strlist_has(earmark, m->topics[t].id);
    return level == 3 ? needed && funded : level == 2 ? earmark->present && funded : needed;
}

static int build_donors(out_report *r)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    r->donors = NEW(r, out_rep_donor, m->ndonors);
    if (!r->donors) return -1;
    for (int i = 0; i < p->nfund; i++) {
        int d = p->fund[i].d;
        if (d >= 0 && d < m->ndonors) r->donors[d].nfunds++;
    }
    for (int d = 0; d < m->ndonors; d++) {
        out_rep_donor *rd = &r->donors[d];
        rd->funds = NEW(r, int, rd->nfunds);
        rd->by_region = NEW(r, double, r->nregions);
        rd->by_topic = NEW(r, double, m->ntopics);
        if (!rd->funds || !rd->by_region || !rd->by_topic) return -1;
        rd->nfunds = 0;
        r->budget_total += m->donors[d].budget_base;
        r->spent_total += p->donor_spent ? p->donor_spent[d] : 0;
    }
    for (int i = 0; i < p->nfund; i++) {
        const eng_fund *f = &p->fund[i];
        if (!out_fund_in_range(m, f)) continue;
        out_rep_donor *rd = &r->donors[f->d];
        int seen = 0;
        for (int j = 0; j < rd->nfunds; j++)
            if (p->fund[rd->funds[j]].c == f->c) seen = 1;
        if (!seen) rd->ncountries++;
        rd->funds[rd->nfunds++] = i;
        rd->by_region[r->country_region[f->c]] += f->amount;
        /* A course's amount is split over the topics it covers that the
         * country needs and, for a donor earmarked to topics, that the donor
         * funds: a law fund paying for a course that also teaches incident
         * response has not spent on incident response. Each narrowing is
         * dropped when it would leave no topic (topic_counts' levels). */
        const md_course *k = &m->courses[f->k];
        const md_strlist *earmark = &m->donors[f->d].topics;
        int level = 3, n = 0;
        for (; level > 0 && n == 0; level--) {
            n = 0;
            for (int j = 0; j < k->topics.n; j++)
                if (topic_counts(m, f->c, k, j, earmark, level)) n++;
            if (n) break;
        }
        for (int j = 0; j < k->topics.n; j++) {
            int t = k->topic_idx ? k->topic_idx[j] : -1;
            if (t < 0 || t >= m->ntopics) continue;
            if (n == 0) rd->by_topic[t] += f->amount / k->topics.n;
            else if (topic_counts(m, f->c, k, j, earmark, level)) rd->by_topic[t] += f->amount / n;
        }
    }
    return 0;
}

long long out_report_cents(double v) { return cents(v); }

const char *out_report_delta(char *buf, double v, int mode)
{
    char t[48];
    if (mode == 2) {
        long long c = llround(v);
        snprintf(buf, 64, "%s%s", c >= 0 ? "+" : "", out_fmt_amount(t, (double)c / 100.0));
    } else if (mode == 1) {
        snprintf(t, sizeof t, "%.1f", v);
        snprintf(buf, 64, "%s%s", t[0] == '-' && strcmp(t, "-0.0") ? "" : "+", strcmp(t, "-0.0") ? t : "0.0");
    } else {
        out_fmt_number(t, v);
        snprintf(buf, 64, "%s%s", t[0] == '-' ? "" : "+", t);
    }
    return buf;
}

const char *out_report_share(char *buf, long covered, long needed)
{
    snprintf(buf, 64, "%.1f", needed > 0 ? 100.0 * (double)covered / (double)needed : 0.0);
    return buf;
}

double out_report_gap(const out_report *r, int need)
{
    const md_need *n = &r->m->needs[need];
    long cov = r->p->covered ? r->p->covered[need] : 0;
    long gap = n->seats - cov;
    return gap > 0 ? r->need_weight[need] * (double)gap : 0.0;
}

typedef struct gap_key { double gap; const char *country, *topic; int i; } gap_key;

static int cmp_gap(const void *a, const void *b)
{
    const gap_key *x = a, *y = b;
    if (x->gap != y->gap) return x->gap > y->gap ? -1 : 1;
    int c = strcmp(x->country, y->country);
    return c ? c : strcmp(x->topic, y->topic);
}

static int build_needs(out_report *r)
{
    const md_model *m = r->m;
    const eng_plan *p = r->p;
    r->need_weight = NEW(r, double, m->nneeds);
    r->unmet = NEW(r, int, m->nneeds);
    gap_key *keys = malloc(sizeof *keys * (size_t)(m->nneeds > 0 ? m->nneeds : 1));
    if (!r->need_weight || !r->unmet || !keys) { free(keys); return -1; }
    int n = 0;
    for (int i = 0; i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        double iw = 1.0;
        if (nd->c >= 0 && nd->c < m->ncountries) {
            int inc = m->countries[nd->c].income;
            if (inc >= 0 && inc < MD_INC_COUNT) iw = m->set.income_weight[inc];
        }
        r->need_weight[i] = nd->priority * iw;
        long cov = p->covered ? p->covered[i] : 0;
        if (cov > nd->seats) cov = nd->seats;
        r->seats_needed += nd->seats;
        r->seats_covered += cov;
        if (cov >= nd->seats) { r->nneeds_full++; continue; }
        keys[n++] = (gap_key){ out_report_gap(r, i), nd->country, nd->topic, i };
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_gap);
    for (int i = 0; i < n; i++) r->unmet[i] = keys[i].i;
    r->nunmet = n;
    free(keys);
    return 0;
}

/* ---- run-to-run diff ---- */

typedef struct pair_key { const char *a, *b; long seats; } pair_key;

static int cmp_pair(const void *x, const void *y)
{
    const pair_key *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    return c ? c : strcmp(p->b, q->b);
}

static int cmp_cov_key(const void *key, const void *elem)
{
    const pair_key *k = key;
    const out_prev_cov *e = elem;
    int c = strcmp(k->a, e->country);
    return c ? c : strcmp(k->b, e->topic);
}

static int cmp_spend_key(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const out_prev_spend *)elem)->donor);
}

static const char *keep(out_report *r, const char *s)
{
    return md_arena_strdup(&r->arena, s ? s : "");
}

static int diff_seats(out_report *r, const out_history_prev *prev)
{
    const eng_plan *p = r->p;
    const md_model *m = r->m;
    pair_key *cur = malloc(sizeof *cur * (size_t)(p->nalloc > 0 ? p->nalloc : 1));
    r->seat_changes = NEW(r, out_rep_seatchg, p->nalloc + prev->nalloc);
    if (!cur || !r->seat_changes) { free(cur); return -1; }
    int n = 0;
    for (int i = 0; i < p->nalloc; i++) {
        const eng_alloc *a = &p->alloc[i];
        if (a->c < 0 || a->c >= m->ncountries || a->k < 0 || a->k >= m->ncourses) continue;
        cur[n++] = (pair_key){ m->countries[a->c].code, m->courses[a->k].id, a->seats };
    }
    qsort(cur, (size_t)n, sizeof *cur, cmp_pair);
    int i = 0, j = 0;
    while (i < n || j < prev->nalloc) {
        int c;
        if (i >= n) c = 1;
        else if (j >= prev->nalloc) c = -1;
        else {
            pair_key pk = { prev->alloc[j].country, prev->alloc[j].course, 0 };
            c = cmp_pair(&cur[i], &pk);
        }
        const char *cc, *kk;
        long before = 0, after = 0;
        if (c <= 0) { cc = cur[i].a; kk = cur[i].b; after = cur[i].seats; }
        else { cc = prev->alloc[j].country; kk = prev->alloc[j].course; }
        if (c >= 0) before = prev->alloc[j].seats;
        if (c <= 0) i++;
        if (c >= 0) j++;
        if (before == after) continue;
        out_rep_seatchg *s = &r->seat_changes[r->nseat_changes++];
        s->country = keep(r, cc);
        s->course = keep(r, kk);
        s->before = before;
        s->after = after;
        if (!s->country || !s->course) { free(cur); return -1; }
    }
    free(cur);
    return 0;
}

static int diff_needs(out_report *r, const out_history_prev *prev)
{
    const md_model *m = r->m;
    r->need_changes = NEW(r, out_rep_needchg, m->nneeds);
    if (!r->need_changes) return -1;
    for (int i = 0; i < m->nneeds; i++) {
        const md_need *nd = &m->needs[i];
        pair_key key = { nd->country, nd->topic, 0 };
        const out_prev_cov *pc = bsearch(&key, prev->cov, (size_t)prev->ncov, sizeof *prev->cov,
                                         cmp_cov_key);
        if (!pc) continue; /* a new need: nothing to compare with */
        long now = r->p->covered ? r->p->covered[i] : 0;
        int was_full = pc->covered >= pc->need, is_full = now >= nd->seats;
        if (was_full == is_full) continue;
        out_rep_needchg *x = &r->need_changes[r->nneed_changes++];
        *x = (out_rep_needchg){ nd->country, nd->topic, nd->seats, pc->covered, now, is_full, NULL, 0 };
    }
    return 0;
}

static int diff_spend(out_report *r, const out_history_prev *prev)
{
    const md_model *m = r->m;
    r->spend_changes = NEW(r, out_rep_spendchg, m->ndonors + prev->nspend);
    if (!r->spend_changes) return -1;
    for (int d = 0; d < m->ndonors; d++) {
        const out_prev_spend *ps = bsearch(m->donors[d].id, prev->spend, (size_t)prev->nspend,
                                           sizeof *prev->spend, cmp_spend_key);
        double before = ps ? ps->spent : 0, after = r->p->donor_spent ? r->p->donor_spent[d] : 0;
        r->spend_changes[r->nspend_changes++] = (out_rep_spendchg){ m->donors[d].id, before, after };
    }
    for (int j = 0; j < prev->nspend; j++) { /* donors that are gone */
        if (md_find_donor(m, prev->spend[j].donor) >= 0 || cents(prev->spend[j].spent) == 0) continue;
        const char *id = keep(r, prev->spend[j].donor);
        if (!id) return -1;
        r->spend_changes[r->nspend_changes++] = (out_rep_spendchg){ id, prev->spend[j].spent, 0 };
    }
    /* both parts are in id order; merge them into one */
    for (int a = 1; a < r->nspend_changes; a++) {
        out_rep_spendchg t = r->spend_changes[a];
        int b = a;
        while (b > 0 && strcmp(r->spend_changes[b - 1].donor, t.donor) > 0) {
            r->spend_changes[b] = r->spend_changes[b - 1];
            b--;
        }
        r->spend_changes[b] = t;
    }
    return 0;
}

/* The input changes, compared the way the input_changes view compares
 * (outputs/snapshot.c), copied into the report's arena. */
static int diff_inputs(out_report *r, const out_history_prev *prev)
{
    if (!prev->has_inputs) return 0;
    r->prev_has_inputs = 1;
    md_arena a;
    md_arena_init(&a);
    out_snap cur = { NULL, 0, 0 };
    out_snap_change *ch = NULL;
    int n = -1;
    int built = prev->inputs_settings_only ? out_snap_settings(&cur, r->m, &a) : out_snap_build(&cur, r->m, &a);
    if (built == 0 && out_snap_sort(&cur) == 0) n = out_snap_diff(&prev->inputs, &cur, &ch);
    int err = n < 0;
    if (!err) r->in_changes = NEW(r, out_snap_change, n);
    if (!err && !r->in_changes) err = 1;
    for (int i = 0; !err && i < n; i++) {
        out_snap_change x = ch[i];
        /* the strings of the current rows live in a, freed below */
        x.entity = keep(r, x.entity);
        x.key = keep(r, x.key);
        x.field = x.field ? keep(r, x.field) : NULL;
        if (x.country) x.country = keep(r, x.country);
        if (x.course) x.course = keep(r, x.course);
        if (x.donor) x.donor = keep(r, x.donor);
        if (x.old.type == OUT_V_TEXT) x.old.text = keep(r, x.old.text);
        if (x.now.type == OUT_V_TEXT) x.now.text = keep(r, x.now.text);
        if (!x.entity || !x.key || (ch[i].field && !x.field) || r->arena.failed) err = 1;
        r->in_changes[r->nin_changes++] = x;
    }
    free(ch);
    out_snap_free(&cur);
    md_arena_free(&a);
    return err ? -1 : 0;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static int cmp_fund_pair(const void *key, const void *elem)
{
    const pair_key *k = key;
    const out_prev_fund *f = elem;
    int c = strcmp(k->a, f->country);
    return c ? c : strcmp(k->b, f->course);
}

/* Did the donor pay for country c's course k in this plan (r->countries[c]
 * lists what paid for c) or for (country, course) in the previous one? */
static int donor_paid(const out_report *r, const out_history_prev *prev, const char *donor,
                      int c, int k, const char *country, const char *course)
{
    const md_model *m = r->m;
    int d = md_find_donor(m, donor);
    if (d >= 0 && c >= 0 && c < m->ncountries && k >= 0)
        for (int i = 0; i < r->countries[c].nfunds; i++) {
            const eng_fund *f = &r->p->fund[r->countries[c].funds[i]];
            if (f->d == d && f->k == k) return 1;
        }
    pair_key key = { country, course, 0 };
    const out_prev_fund *f = bsearch(&key, prev->fund, (size_t)prev->nfund, sizeof *prev->fund, cmp_fund_pair);
    if (!f) return 0;
    while (f > prev->fund && cmp_fund_pair(&key, f - 1) == 0) f--;
    for (; f < prev->fund + prev->nfund && cmp_fund_pair(&key, f) == 0; f++)
        if (strcmp(f->donor, donor) == 0) return 1;
    return 0;
}

/* Does the course (of this run) cover topic t? */
static int course_covers(const md_model *m, const char *course, int t)
{
    int k = md_find_course(m, course);
    if (k < 0 || t < 0 || !m->courses[k].topic_idx) return 0;
    for (int j = 0; j < m->courses[k].topics.n; j++)
        if (m->courses[k].topic_idx[j] == t) return 1;
    return 0;
}

/* The marked input changes, in order, into the arena. */
static int *take_marked(out_report *r, unsigned char *mark, int *count)
{
    int n = 0;
    for (int j = 0; j < r->nin_changes; j++) n += mark[j];
    int *v = NEW(r, int, n);
    if (!v) return NULL;
    n = 0;
    for (int j = 0; j < r->nin_changes; j++)
        if (mark[j]) { v[n++] = j; mark[j] = 0; }
    *count = n;
    return v;
}

/* Ties every plan change to the input changes touching the same country,
 * course or (for seats) a donor that paid for the pair before or now; a
 * need to what touches its country and to the ties of that country's seat
 * changes in courses covering its topic. */
static int tie_changes(out_report *r, const out_history_prev *prev)
{
    if (!r->nin_changes) return 0;
    unsigned char *mark = calloc((size_t)r->nin_changes, 1);
    if (!mark) return -1;
    for (int i = 0; i < r->nseat_changes; i++) {
        out_rep_seatchg *s = &r->seat_changes[i];
        int c = md_find_country(r->m, s->country), k = md_find_course(r->m, s->course);
        for (int j = 0; j < r->nin_changes; j++) {
            const out_snap_change *x = &r->in_changes[j];
            mark[j] = streq(x->country, s->country) || streq(x->course, s->course) ||
                      (x->donor && donor_paid(r, prev, x->donor, c, k, s->country, s->course));
        }
        if (!(s->ties = take_marked(r, mark, &s->nties))) { free(mark); return -1; }
    }
    for (int i = 0; i < r->nneed_changes; i++) {
        out_rep_needchg *x = &r->need_changes[i];
        int t = md_find_topic(r->m, x->topic);
        for (int j = 0; j < r->nin_changes; j++) mark[j] = streq(r->in_changes[j].country, x->country);
        for (int s = 0; s < r->nseat_changes; s++) {
            const out_rep_seatchg *sc = &r->seat_changes[s];
            if (strcmp(sc->country, x->country) != 0 || !course_covers(r->m, sc->course, t)) continue;
            for (int q = 0; q < sc->nties; q++) mark[sc->ties[q]] = 1;
        }
        if (!(x->ties = take_marked(r, mark, &x->nties))) { free(mark); return -1; }
    }
    free(mark);
    return 0;
}

static int build_diff(out_report *r, const out_history_prev *prev)
{
    if (!prev || !prev->present) return 0;
    r->has_prev = 1;
    r->prev_run_id = prev->run_id;
    r->prev_started = keep(r, prev->started_utc);
    if (!r->prev_started) return -1;
    r->prev_score = prev->score;
    r->prev_total_cost = prev->total_cost;
    r->prev_seats = prev->seats;
    r->prev_nneeds = prev->ncov;
    for (int i = 0; i < prev->ncov; i++) {
        long need = prev->cov[i].need, cov = prev->cov[i].covered;
        if (cov > need) cov = need;
        r->prev_seats_needed += need;
        r->prev_seats_covered += cov;
        if (cov >= need) r->prev_nneeds_full++;
    }
    if (diff_seats(r, prev) || diff_needs(r, prev) || diff_spend(r, prev) || diff_inputs(r, prev) ||
        tie_changes(r, prev))
        return -1;
    return 0;
}

/* Copies, because d's list may still grow (and move) while writing. */
static int build_warnings(out_report *r, const md_diag *d)
{
    if (!d || d->nwarnings == 0) return 0;
    r->warnings = NEW(r, const char *, d->nwarnings);
    if (!r->warnings) return -1;
    for (int i = 0; i < d->nwarnings; i++)
        if (!(r->warnings[r->nwarnings++] = keep(r, d->warnings[i]))) return -1;
    return 0;
}

int out_report_build(out_report *r, const md_model *m, const eng_plan *p,
                     const out_history_prev *prev, md_diag *d)
{
    memset(r, 0, sizeof *r);
    md_arena_init(&r->arena);
    r->m = m;
    r->p = p;
    if (build_regions(r) || build_countries(r) || build_donors(r) || build_needs(r) ||
        build_diff(r, prev) || build_warnings(r, d)) {
        md_fail(d, MD_EX_SOFTWARE, "out of memory while building the report");
        out_report_free(r);
        return MD_EX_SOFTWARE;
    }
    return 0;
}

void out_report_free(out_report *r)
{
    md_arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

int out_report_for(const out_ctx *cx, out_report *r)
{
    /* out_write stages the reports before it inserts this run into the
     * history, so the latest recorded run is the previous one. (No exclusion
     * by start time: two runs may start within the same second.) */
    out_history_prev prev;
    int rc = out_history_previous_inputs(cx->dir, cx->m->input_digest, &prev, cx->d);
    if (rc == 0) rc = out_report_build(r, cx->m, cx->p, &prev, cx->d);
    if (rc == 0) r->label = cx->run ? cx->run->label : NULL;
    if (rc == 0) r->equity = cx->equity;
    out_history_prev_free(&prev);
    return rc;
}

int out_report_write(const out_ctx *cx, const char *what,
                     int (*write)(const out_ctx *, const out_report *))
{
    out_report own;
    memset(&own, 0, sizeof own);
    int rc = cx->report ? 0 : out_report_for(cx, &own);
    if (rc) return rc;
    rc = write(cx, cx->report ? cx->report : &own);
    if (rc == MD_EX_IOERR) md_fail(cx->d, rc, "%s: write error while writing %s", cx->dir, what);
    if (rc == MD_EX_SOFTWARE) md_fail(cx->d, rc, "out of memory while writing %s", what);
    out_report_free(&own);
    return rc;
}

const char *out_report_title(const md_model *m)
{
    return m->set.name && *m->set.name ? m->set.name : "capmatch allocation";
}

const char *out_report_donor_name(const md_donor *d) { return d->name && *d->name ? d->name : d->id; }

const char *out_report_pct(char *buf, double part, double whole)
{
    if (whole <= 0) snprintf(buf, 32, "–");
    else snprintf(buf, 32, "%.1f %%", 100.0 * part / whole);
    return buf;
}

const char *out_report_fname(char *buf, size_t size, const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    if (!buf || size == 0) return "";
    for (size_t i = 0; id && id[i] && o + 4 <= size; i++) {
        unsigned char ch = (unsigned char)id[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '-' || (ch == '.' && i > 0);
        if (ok) buf[o++] = (char)ch;
        else { buf[o++] = '~'; buf[o++] = hex[ch >> 4]; buf[o++] = hex[ch & 15]; }
    }
    if (o == 0 && size >= 2) buf[o++] = '~';
    buf[o] = '\0';
    return buf;
}

const char *out_report_reason_text(int reason)
{
    switch (reason) {
    case ENG_R_NONE: return "fully covered";
    case ENG_R_NO_COURSE: return "no course covers this topic";
    case ENG_R_LANGUAGE: return "no course in a language of the country";
    case ENG_R_REGION: return "courses are closed to the country's region";
    case ENG_R_QUALITY: return "courses are below the quality threshold";
    case ENG_R_PERIOD: return "courses start outside the planning period";
    case ENG_R_NO_FUNDING: return "fitting courses cost money and no donor may pay";
    case ENG_R_RESOURCES: return "budgets, capacity, time or better uses took the options";
    default: return "unknown";
    }
}

const char *out_report_topic_name(const md_model *m, int t)
{
    if (t < 0 || t >= m->ntopics) return "?";
    return m->topics[t].name && *m->topics[t].name ? m->topics[t].name : m->topics[t].id;
}

const char *out_report_course_title(const md_model *m, int k)
{
    if (k < 0 || k >= m->ncourses) return "?";
    return m->courses[k].title && *m->courses[k].title ? m->courses[k].title : m->courses[k].id;
}

void out_report_offer_topics(FILE *f, const md_model *m, int c, int k,
                             void (*text)(FILE *, const char *))
{
    const md_course *co = &m->courses[k];
    const md_country *cn = &m->countries[c];
    int first = 1;
    for (int j = 0; j < co->topics.n; j++) {
        int t = co->topic_idx ? co->topic_idx[j] : -1, needed = 0;
        for (int i = cn->need_first; i < cn->need_first + cn->need_count && i < m->nneeds; i++)
            if (m->needs[i].t == t) needed = 1;
        if (!needed) continue;
        if (!first) fputs(", ", f);
        text(f, out_report_topic_name(m, t));
        first = 0;
    }
}
