/* engine/search/heur.c — a primal heuristic for the max-score stage: round the LP
 * relaxation of a branch-and-bound node down, make it exactly feasible
 * (cohorts, funding), then add seats greedily where they raise the score
 * and every resource still has room. GLPK does not check what
 * glp_ios_heur_sol() is given, so every constraint is kept here by
 * construction, with integer arithmetic for seats and a margin for money. */
#include "search.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

void eng_fill_z(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v)
{
    const md_model *m = T->m;
    for (int n = 0; n < m->nneeds; n++) {
        if (!L->zcol[n]) continue;
        double s = 0;
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++) s += v[L->xcol[T->n_list[q]]];
        for (int i = 0; i < m->set.ntiers; i++) {
            int j = L->zcol[n] + i;
            double ub = glp_get_col_ub(P, j), z = s < ub ? s : ub;
            v[j] = z > 0 ? z : 0;
            s -= v[j];
        }
    }
    if (L->tcol) { /* the total spend the seats cost (provider-share rows) */
        double t = 0;
        for (int p = 0; p < T->npairs; p++) t += m->courses[T->pairs[p].k].cost_base * floor(v[L->xcol[p]] + 0.5);
        v[L->tcol] = t;
    }
}

typedef struct heur {
    const eng_tab *T;
    const eng_lp *L;
    glp_prob *P;
    const double *lp;           /* [ncols + 1] LP point, or NULL: P's primal */
    double *v;                  /* [ncols + 1] the solution being built */
    long *cov;                  /* [nneeds] seats covering each need */
    long *kseats, *cseats;      /* per course, per country */
    double *chours, *spent;     /* per country; per donor */
    double *share;              /* [ndonors * ncountries] */
    struct cand { double key; int p; } *order; /* [npairs] */
    /* a pair's payers (eng_payers) and, per payer, its column value, its
     * donor's spending and share in the country before money moved: for
     * pay() (put back when it falls short) and take_seat() (until
     * give_back()), so that undoing is exact, not a float subtraction */
    struct payers { int *col, *don; double *save; int n, own; } pay, back;
    struct cand *part;          /* [npairs] partners of the local search */
    long budget;                /* pairs the local search may still look at */
} heur;

static int by_key(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? 1 : -1;
    return (x->p > y->p) - (x->p < y->p);
}

static long xval(const heur *h, int p) { return lround(h->v[h->L->xcol[p]]); }

static double lp_val(const heur *h, int j) { return h->lp ? h->lp[j] : glp_get_col_prim(h->P, j); }

/* Score that one seat more (up) or less (!up) in pair p changes: the
 * coverage step from c to c + 1 of every need it counts for, c being the
 * coverage before adding or after taking away the seat. */
static double score_step(const heur *h, int p, int up)
{
    const md_model *m = h->T->m;
    const eng_pair *pp = &h->T->pairs[p];
    const md_course *ks = &m->courses[pp->k];
    double d = 0;
    for (int i = 0; i < ks->topics.n; i++) {
        int n = eng_need_of(m, pp->c, ks->topic_idx[i]);
        if (n < 0) continue;
        long c = up ? h->cov[n] : h->cov[n] - 1;
        if (c < 0 || c >= m->needs[n].seats) continue;
        d += eng_need_score(m, n, c + 1) - eng_need_score(m, n, c);
    }
    return d;
}

/* Score gained by one more seat in pair p. */
static double gain(const heur *h, int p) { return score_step(h, p, 1); }

/* Score lost by taking one seat away from pair p. */
static double loss(const heur *h, int p) { return score_step(h, p, 0); }

/* Room left under a money limit; exact fits count (1e-9 relative slack,
 * far inside GLPK's feasibility tolerance and the audit's). */
static double room(double used, double limit)
{
    double r = limit + 1e-9 * fmax(1.0, fabs(limit)) - used;
    return r > 0 ? r : 0;
}

/* Donor d's money spent in country c. */
static double *share_at(const heur *h, int d, int c)
{
    return &h->share[(size_t)d * (size_t)h->T->m->ncountries + (size_t)c];
}

/* Counts `amount` more (or, negative, less) of donor d's money, in country c. */
static void charge(heur *h, int d, int c, double amount)
{
    h->spent[d] += amount;
    *share_at(h, d, c) += amount;
}

/* Payers of pair p into *w; -1 for a pair nobody pays. */
static int payers_of(heur *h, int p, struct payers *w)
{
    w->n = eng_payers(h->T, h->L, p, w->col, w->don, &w->own);
    return w->n < 0 ? -1 : 0;
}

/* Room left for payer i of w in country c: the donor's budget, its share
 * cap in c and the column's bound. */
static double payer_room(const heur *h, const struct payers *w, int i, int c)
{
    const md_model *m = h->T->m;
    const md_donor *dn = &m->donors[w->don[i]];
    double r = room(h->spent[w->don[i]], dn->budget_base);
    if (dn->max_share > 0) {
        double rs = room(*share_at(h, w->don[i], c), dn->max_share * dn->budget_base);
        if (rs < r) r = rs;
    }
    double rc = room(h->v[w->col[i]], glp_get_col_ub(h->P, w->col[i]));
    return rc < r ? rc : r;
}

/* Records payer i's values (column, spending, share in c) in w->save. */
static void save_payer(heur *h, struct payers *w, int i, int c)
{
    double *sv = w->save + 3 * i;
    sv[0] = h->v[w->col[i]];
    sv[1] = h->spent[w->don[i]];
    sv[2] = *share_at(h, w->don[i], c);
}

/* Puts back every payer's saved values, the last first (a donor paying
 * twice gets its first saved values). */
static void restore_payers(heur *h, const struct payers *w, int c)
{
    for (int i = w->n - 1; i >= 0; i--) {
        const double *sv = w->save + 3 * i;
        h->v[w->col[i]] = sv[0];
        h->spent[w->don[i]] = sv[1];
        *share_at(h, w->don[i], c) = sv[2];
    }
}

/* Moves `amount` to (or, negative, from) payer i of w in country c. */
static void move_money(heur *h, const struct payers *w, int i, int c, double amount)
{
    h->v[w->col[i]] += amount;
    charge(h, w->don[i], c, amount);
}

/* Pays one seat of pair p (cost > 0) from its payers (group, then pool):
 * from a single donor when one has room, else co-financed in that order.
 * 0 when paid, -1 when they cannot pay it (nothing is changed then). */
static int pay(heur *h, int p, double cost)
{
    struct payers *w = &h->pay;
    int c = h->T->pairs[p].c;
    if (payers_of(h, p, w)) return -1;
    for (int i = 0; i < w->n; i++)
        if (payer_room(h, w, i, c) >= cost) {
            move_money(h, w, i, c, cost);
            return 0;
        }
    double due = cost;
    for (int i = 0; i < w->n; i++) { /* rooms after the earlier takes: a donor may pay twice */
        save_payer(h, w, i, c);
        double take = due > 0 ? fmin(due, payer_room(h, w, i, c)) : 0;
        if (take > 0 && due - take < 1e-9 * cost) take = due; /* no crumbs left behind */
        if (take > 0) move_money(h, w, i, c, take);
        due -= take;
    }
    if (due <= 0) return 0;
    restore_payers(h, w, c);
    return -1;
}

/* Counts one seat more (delta = 1) or less (-1) of pair p in every tally:
 * the column value, course and country seats, hours and need coverage. */
static void tally_seat(heur *h, int p, int delta)
{
    const md_model *m = h->T->m;
    const eng_pair *pp = &h->T->pairs[p];
    const md_course *ks = &m->courses[pp->k];
    h->v[h->L->xcol[p]] += delta;
    h->kseats[pp->k] += delta;
    h->cseats[pp->c] += delta;
    h->chours[pp->c] += delta * ks->hours;
    for (int i = 0; i < ks->topics.n; i++) {
        int n = eng_need_of(m, pp->c, ks->topic_idx[i]);
        if (n >= 0) h->cov[n] += delta;
    }
}

/* Adds one seat to pair p if every constraint keeps room; 1 when added. */
static int add_seat(heur *h, int p)
{
    const eng_tab *T = h->T;
    const md_model *m = T->m;
    const eng_pair *pp = &T->pairs[p];
    const md_course *ks = &m->courses[pp->k];
    const md_country *cs = &m->countries[pp->c];
    int j = h->L->xcol[p];
    if (xval(h, p) + 1 > (long)glp_get_col_ub(h->P, j)) return 0;
    if (ks->seats >= 0 && h->kseats[pp->k] + 1 > ks->seats) return 0;
    if (h->L->ocol[pp->k] && lround(h->v[h->L->ocol[pp->k]]) != 1) return 0;
    if (cs->max_trainees >= 0 && h->cseats[pp->c] + 1 > cs->max_trainees) return 0;
    if (cs->trainee_hours >= 0 && ks->hours > 0
        && h->chours[pp->c] + ks->hours > cs->trainee_hours + 1e-9 * fmax(1.0, cs->trainee_hours))
        return 0;
    if (ks->cost_base > 0 && pay(h, p, ks->cost_base) != 0) return 0;
    tally_seat(h, p, 1);
    return 1;
}

/* Rounds the node LP down (or starts from the lower bounds: committed seats
 * and money); closes cohorts it can no longer fill; scales each group's
 * money to its seats (committed amounts first). -1 when a committed cohort
 * cannot be kept. */
static int round_down(heur *h, int from_lp)
{
    const eng_tab *T = h->T;
    const eng_lp *L = h->L;
    const md_model *m = T->m;
    glp_prob *P = h->P;
    for (int j = 1; j <= L->ncols; j++) {
        double lb = glp_get_col_lb(P, j);
        h->v[j] = from_lp ? lp_val(h, j) : glp_get_col_type(P, j) == GLP_FR ? 0 : lb;
    }
    for (int p = 0; p < T->npairs; p++) {
        int j = L->xcol[p];
        double lb = glp_get_col_lb(P, j), ub = glp_get_col_ub(P, j), x = floor(h->v[j] + 1e-6);
        h->v[j] = x < lb ? lb : x > ub ? floor(ub) : x;
    }
    for (int k = 0; k < m->ncourses; k++) {
        if (!L->ocol[k]) continue;
        long sum = 0, lbs = 0;
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) {
            sum += xval(h, T->k_list[q]);
            lbs += (long)glp_get_col_lb(P, L->xcol[T->k_list[q]]);
        }
        if (sum >= m->courses[k].min_seats) { h->v[L->ocol[k]] = 1; continue; }
        if (lbs > 0) return -1;
        for (int q = T->k_start[k]; q < T->k_start[k + 1]; q++) h->v[L->xcol[T->k_list[q]]] = 0;
        h->v[L->ocol[k]] = 0;
    }
    if (eng_fit_money(T, L, P, h->v)) return -1;
    return 0;
}

static void tally(heur *h)
{
    const eng_tab *T = h->T;
    const md_model *m = T->m;
    for (int p = 0; p < T->npairs; p++) {
        const eng_pair *pp = &T->pairs[p];
        long x = xval(h, p);
        h->kseats[pp->k] += x;
        h->cseats[pp->c] += x;
        h->chours[pp->c] += m->courses[pp->k].hours * (double)x;
    }
    for (int n = 0; n < m->nneeds; n++)
        for (int q = T->n_start[n]; q < T->n_start[n + 1]; q++) h->cov[n] += xval(h, T->n_list[q]);
    for (int g = 0; g < T->ngroups; g++) {
        const eng_group *gg = &T->groups[g];
        for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++)
            charge(h, T->gdon[s], gg->c, h->v[h->L->fcol[s]]);
    }
    for (int c = 0; c < m->ncountries; c++)
        for (int s = T->cp_first[c]; s < T->cp_first[c + 1]; s++) charge(h, T->pdon[s], c, h->v[h->L->pcol[s]]);
}

/* Rounds up where the LP wanted a fraction of a seat, the largest fractions
 * first, wherever that still raises the score and fits. */
static void round_up(heur *h)
{
    const eng_tab *T = h->T;
    int n = 0;
    for (int p = 0; p < T->npairs; p++) {
        double lp = lp_val(h, h->L->xcol[p]), f = lp - floor(lp);
        if (f > 1e-6 && lp > h->v[h->L->xcol[p]] + 1e-6) {
            h->order[n].key = f;
            h->order[n++].p = p;
        }
    }
    qsort(h->order, (size_t)n, sizeof *h->order, by_key);
    for (int i = 0; i < n; i++)
        if (gain(h, h->order[i].p) > 1e-12) (void)add_seat(h, h->order[i].p);
}

/* Greedy passes: pairs by score gained per unit of cost, one seat at a time. */
static void improve(heur *h)
{
    const eng_tab *T = h->T;
    const md_model *m = T->m;
    for (int pass = 0; pass < 3; pass++) {
        int n = 0, added = 0;
        for (int p = 0; p < T->npairs; p++) {
            double g = gain(h, p);
            if (!(g > 1e-12)) continue;
            h->order[n].key = g / (m->courses[T->pairs[p].k].cost_base + 1e-3);
            h->order[n++].p = p;
        }
        qsort(h->order, (size_t)n, sizeof *h->order, by_key);
        for (int i = 0; i < n; i++)
            while (gain(h, h->order[i].p) > 1e-12 && add_seat(h, h->order[i].p)) added++;
        if (!added) break;
    }
}

/* Takes one seat away from pair p, refunding its cost to the group's
 * donors (last slot first, never below a committed amount) and recording
 * the refund in h->taken for give_back(). A cohort may shrink below its
 * minimum only when `cohort_kept` (the seat moves to the same course).
 * 0 when taken, -1 when not possible (nothing is changed then). */
static int take_seat(heur *h, int p, int cohort_kept)
{
    const eng_tab *T = h->T;
    const md_model *m = T->m;
    const eng_pair *pp = &T->pairs[p];
    const md_course *ks = &m->courses[pp->k];
    int j = h->L->xcol[p];
    if (xval(h, p) - 1 < lround(glp_get_col_lb(h->P, j))) return -1;
    if (!cohort_kept && h->L->ocol[pp->k] && h->kseats[pp->k] - 1 < ks->min_seats) return -1;
    double cost = ks->cost_base;
    struct payers *w = &h->back;
    w->n = 0;
    if (cost > 0) {
        /* the group's slots first, last first, then the pool: the group's
         * own money then stays at most its seats' cost */
        if (payers_of(h, p, w)) return -1;
        double total = 0;
        for (int i = 0; i < w->n; i++) {
            double a = h->v[w->col[i]] - glp_get_col_lb(h->P, w->col[i]);
            total += a > 0 ? a : 0;
        }
        if (total < cost * (1 - 1e-12)) return -1;
        double due = cost;
        for (int t = 0; t < w->n; t++) {
            int i = t < w->own ? w->own - 1 - t : w->n - 1 - (t - w->own);
            double a = h->v[w->col[i]] - glp_get_col_lb(h->P, w->col[i]), take = fmin(due, a > 0 ? a : 0);
            if (due - take < 1e-9 * cost) take = due; /* no crumbs left behind */
            save_payer(h, w, i, pp->c);
            move_money(h, w, i, pp->c, -take);
            due -= take;
        }
    }
    tally_seat(h, p, -1);
    return 0;
}

/* Undoes take_seat(h, p, ...) exactly. */
static void give_back(heur *h, int p)
{
    restore_payers(h, &h->back, h->T->pairs[p].c);
    tally_seat(h, p, 1);
}

/* Tries to add a seat to pair q by moving one seat away from a pair that
 * shares its course (capacity) or its country (hours, headcount), cheapest
 * loss first. 1 when the score rose. */
static int move_seat(heur *h, int q)
{
    const eng_tab *T = h->T;
    const eng_pair *qq = &T->pairs[q];
    double g = gain(h, q);
    int n = 0;
    h->budget -= (T->k_start[qq->k + 1] - T->k_start[qq->k]) + (T->c_first[qq->c + 1] - T->c_first[qq->c]);
    for (int i = T->k_start[qq->k]; i < T->k_start[qq->k + 1]; i++) {
        int p = T->k_list[i];
        if (p == q || xval(h, p) < 1) continue;
        double l = loss(h, p);
        if (l < g - 1e-9) h->part[n++] = (struct cand){ -l, p };
    }
    for (int p = T->c_first[qq->c]; p < T->c_first[qq->c + 1]; p++) {
        if (p == q || T->pairs[p].k == qq->k || xval(h, p) < 1) continue;
        double l = loss(h, p);
        if (l < g - 1e-9) h->part[n++] = (struct cand){ -l, p };
    }
    qsort(h->part, (size_t)n, sizeof *h->part, by_key);
    for (int i = 0; i < n; i++) {
        int p = h->part[i].p;
        double l = -h->part[i].key;
        if (take_seat(h, p, T->pairs[p].k == qq->k) != 0) continue;
        if (gain(h, q) - l > 1e-9 && add_seat(h, q)) return 1;
        give_back(h, p);
    }
    return 0;
}

/* Local search after the greedy: one-seat moves that raise the score,
 * for pairs that would still add score but find no room. */
static void local_search(heur *h)
{
    const eng_tab *T = h->T;
    /* a work bound, not a clock: the same plan on every run, and a few
     * tenths of a second at most on national-scale models */
    h->budget = 20000000;
    for (int pass = 0; pass < 4 && h->budget > 0; pass++) {
        int n = 0, moved = 0;
        for (int p = 0; p < T->npairs; p++) {
            double g = gain(h, p);
            if (g > 1e-9) h->order[n++] = (struct cand){ g, p };
        }
        qsort(h->order, (size_t)n, sizeof *h->order, by_key);
        for (int i = 0; i < n && h->budget > 0; i++)
            while (h->budget > 0 && gain(h, h->order[i].p) > 1e-9 && move_seat(h, h->order[i].p)) moved++;
        if (!moved) break;
        improve(h);
    }
}

static int heur_alloc(heur *h)
{
    const md_model *m = h->T->m;
    size_t nc = (size_t)m->ncountries + 1;
    h->cov = eng_scratch0((size_t)m->nneeds + 1, sizeof *h->cov);
    h->kseats = eng_scratch0((size_t)m->ncourses + 1, sizeof *h->kseats);
    h->cseats = eng_scratch0(nc, sizeof *h->cseats);
    h->chours = eng_scratch0(nc, sizeof *h->chours);
    h->spent = eng_scratch0((size_t)m->ndonors + 1, sizeof *h->spent);
    h->share = eng_scratch0((size_t)m->ndonors * nc + 1, sizeof *h->share);
    h->order = eng_scratch0((size_t)h->T->npairs + 1, sizeof *h->order);
    h->part = eng_scratch0((size_t)h->T->npairs + 1, sizeof *h->part);
    int ok = h->cov && h->kseats && h->cseats && h->chours && h->spent && h->share && h->order && h->part;
    struct payers *w[2] = { &h->pay, &h->back };
    for (int i = 0; i < 2; i++) { /* a donor pays a pair at most twice: a committed slot and its pool */
        w[i]->col = eng_scratch0(2 * (size_t)m->ndonors + 1, sizeof *w[i]->col);
        w[i]->don = eng_scratch0(2 * (size_t)m->ndonors + 1, sizeof *w[i]->don);
        w[i]->save = eng_scratch0(6 * (size_t)m->ndonors + 1, sizeof *w[i]->save);
        ok = ok && w[i]->col && w[i]->don && w[i]->save;
    }
    return ok ? 0 : -1;
}

static void heur_free(heur *h)
{
    eng_scratch_free(h->cov); eng_scratch_free(h->kseats); eng_scratch_free(h->cseats); eng_scratch_free(h->chours);
    eng_scratch_free(h->spent); eng_scratch_free(h->share); eng_scratch_free(h->order); eng_scratch_free(h->part);
    eng_scratch_free(h->pay.col); eng_scratch_free(h->pay.don); eng_scratch_free(h->pay.save);
    eng_scratch_free(h->back.col); eng_scratch_free(h->back.don); eng_scratch_free(h->back.save);
}

/* The provider-share cap, which the greedy steps above do not know: while
 * a provider is paid more than its share of the total, its seats that lose
 * least score per unit of money are taken away (never below commitments or
 * a cohort's minimum). Taking a seat of provider q lowers q's excess by
 * (1 - s) times its cost, though the others' room shrinks with the total,
 * hence the rounds. 0 when the cap then holds, -1 otherwise. */
static int cap_repair(heur *h)
{
    const eng_tab *T = h->T;
    const eng_lp *L = h->L;
    const md_model *m = T->m;
    if (!L->tcol) return 0;
    double s = m->set.max_provider_share, total = 0;
    double *sp = eng_scratch0((size_t)L->nprov + 1, sizeof *sp);
    if (!sp) return -1;
    for (int p = 0; p < T->npairs; p++) {
        double c = m->courses[T->pairs[p].k].cost_base * (double)xval(h, p);
        sp[L->kprov[T->pairs[p].k]] += c;
        total += c;
    }
    int rc = -1;
    for (int round = 0; round < 4 * L->nprov + 8; round++) {
        int q = -1;
        double worst = 0;
        for (int i = 0; i < L->nprov; i++) {
            double over = sp[i] - s * total;
            if (over > 1e-9 * fmax(1.0, s * total) && over > worst) { worst = over; q = i; }
        }
        if (q < 0) { rc = 0; break; }
        int n = 0;
        for (int p = 0; p < T->npairs; p++) {
            double c = m->courses[T->pairs[p].k].cost_base;
            if (L->kprov[T->pairs[p].k] == q && c > 0 && xval(h, p) > 0) h->order[n++] = (struct cand){ -loss(h, p) / c, p };
        }
        qsort(h->order, (size_t)n, sizeof *h->order, by_key);
        int took = 0;
        for (int i = 0; i < n && sp[q] - s * total > 1e-9 * fmax(1.0, s * total); i++) {
            int p = h->order[i].p;
            double c = m->courses[T->pairs[p].k].cost_base;
            while (xval(h, p) > 0 && sp[q] - s * total > 1e-9 * fmax(1.0, s * total) && take_seat(h, p, 0) == 0) {
                sp[q] -= c;
                total -= c;
                took = 1;
            }
        }
        if (!took) break;
    }
    eng_scratch_free(sp);
    return rc;
}

int eng_heur_round(const eng_tab *T, const eng_lp *L, glp_prob *P, int from_lp, const double *lp,
                   double *out, double *obj)
{
    heur h = { .T = T, .L = L, .P = P, .lp = lp, .v = out };
    int rc = -1;
    if (heur_alloc(&h) == 0 && round_down(&h, from_lp) == 0) {
        tally(&h);
        if (from_lp) round_up(&h);
        improve(&h);
        local_search(&h);
        int capped = cap_repair(&h) == 0;
        eng_fill_z(T, L, P, out);
        *obj = eng_objective_of(P, out);
        /* a plan still above the provider-share cap is dropped */
        rc = capped && eng_pshare_holds(T, L, out) ? 0 : -1;
    }
    heur_free(&h);
    return rc;
}

/* Moves one seat of pair p to a cheaper pair of the same country that earns
 * at least the score it loses, the cheapest first. 1 when moved. */
static int cheaper_seat(heur *h, int p)
{
    const eng_tab *T = h->T;
    const md_model *m = T->m;
    const eng_pair *pp = &T->pairs[p];
    double cost = m->courses[pp->k].cost_base, l = loss(h, p);
    if (h->budget <= 0 || take_seat(h, p, 0) != 0) return 0;
    h->budget -= T->c_first[pp->c + 1] - T->c_first[pp->c];
    int n = 0;
    for (int q = T->c_first[pp->c]; q < T->c_first[pp->c + 1]; q++) {
        double cq = m->courses[T->pairs[q].k].cost_base;
        if (q == p || !(cq < cost - 1e-9 * fmax(1.0, cost)) || gain(h, q) < l - 1e-12) continue;
        h->part[n++] = (struct cand){ -cq, q };
    }
    qsort(h->part, (size_t)n, sizeof *h->part, by_key);
    for (int i = 0; i < n; i++)
        if (add_seat(h, h->part[i].p)) return 1;
    give_back(h, p);
    return 0;
}

int eng_heur_trim(const eng_tab *T, const eng_lp *L, glp_prob *P, double *v)
{
    heur h = { .T = T, .L = L, .P = P, .v = v };
    int rc = -1;
    /* the moves do not know the provider-share cap: v is put back when they break it */
    double *keep = L->tcol ? eng_scratch(((size_t)L->ncols + 1) * sizeof *keep) : NULL;
    if (L->tcol && !keep) return -1;
    if (keep) memcpy(keep, v, ((size_t)L->ncols + 1) * sizeof *keep);
    if (heur_alloc(&h) == 0) {
        tally(&h);
        h.budget = 20000000; /* a work bound, as in local_search() */
        for (int p = 0; p < T->npairs; p++)
            while (xval(&h, p) > 0 && loss(&h, p) < 1e-12 && take_seat(&h, p, 0) == 0) {}
        int n = 0;
        for (int p = 0; p < T->npairs; p++)
            if (xval(&h, p) > 0 && T->m->courses[T->pairs[p].k].cost_base > 0)
                h.order[n++] = (struct cand){ T->m->courses[T->pairs[p].k].cost_base, p };
        qsort(h.order, (size_t)n, sizeof *h.order, by_key);
        for (int i = 0; i < n; i++)
            while (xval(&h, h.order[i].p) > 0 && cheaper_seat(&h, h.order[i].p)) {}
        eng_fill_z(T, L, P, v);
        rc = 0;
        if (keep && !eng_pshare_holds(T, L, v)) {
            memcpy(v, keep, ((size_t)L->ncols + 1) * sizeof *v);
            rc = -1;
        }
    }
    eng_scratch_free(keep);
    heur_free(&h);
    return rc;
}
