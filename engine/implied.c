/* engine/implied.c — implied knapsack rows on the seat columns (docs/solver.md,
 * "Implied knapsack rows (off by default)"; eng_tune.h says why off). For a set S of donors that is the payer set of
 * some funding group, the pairs whose every payer is in S give
 *     sum over those pairs of cost(k) * x(c,k) <= sum over S of budget(d)
 * (base currency, as the budget rows). The money columns stand between
 * seats and budgets in the model, so GLPK's cover and MIR generators do not
 * see this knapsack directly; written out, they can.
 *
 * Why every plan of the model satisfies it. Call a funding group "inside S"
 * when its own donors and its country's pool donors are all in S (all pairs
 * of a group share their payers). Let M be the money columns of donors in S.
 * - A country without pools: a group inside S has the row
 *   sum of its own money = its seats' cost, and its own money is in M.
 * - A country with pools, all of them in S (else no group of it is inside
 *   S: a pool may pay every paid pair): each group's own money is at most
 *   its seats' cost (own_g <= cost_g) and the country's row says
 *   sum_g own_g + pool = sum_g cost_g. So, over the groups G inside S,
 *   sum_G cost_g = sum_G own_g + sum_G (cost_g - own_g)
 *               <= sum_G own_g + sum_all (cost_g - own_g) = sum_G own_g + pool,
 *   and every column on the right is in M.
 * Each column of M is counted at most once over all countries, money is
 * never negative, and each one is in its donor's budget row; so the seats'
 * cost of the groups inside S is at most sum_M f <= sum_S budget(d).
 * Commitments only raise money's lower bounds; the stage limit rows and
 * stage 4's rows only add constraints: the row stays valid in every stage. */
#include "eng_int.h"
#include <stdint.h>
#include <stdlib.h>

/* Checks of a group against a set after which no more sets are taken
 * (smallest first), so that the build's work stays bounded: at 195x1000x40
 * seed 1, 1,790 rows took 0.1 s with far fewer checks than this. */
enum { WORK_MAX = 50000000 };

typedef struct setref { const uint64_t *mask; int words, size, g; } setref;

static int cmp_set(const void *a, const void *b)
{
    const setref *x = a, *y = b;
    if (x->size != y->size) return x->size < y->size ? -1 : 1;
    for (int w = 0; w < x->words; w++)
        if (x->mask[w] != y->mask[w]) return x->mask[w] < y->mask[w] ? -1 : 1;
    return x->g < y->g ? -1 : x->g > y->g;
}

static int same_set(const setref *x, const setref *y)
{
    for (int w = 0; w < x->words; w++)
        if (x->mask[w] != y->mask[w]) return 0;
    return 1;
}

/* Group g's payers (its own donors and its country's pools) as a bit set;
 * returns how many. */
static int group_mask(const eng_tab *T, int g, uint64_t *mk)
{
    const eng_group *gg = &T->groups[g];
    int n = 0;
    for (int s = gg->gd_first; s < gg->gd_first + gg->gd_count; s++) {
        int d = T->gdon[s];
        n += !(mk[d / 64] >> (d % 64) & 1);
        mk[d / 64] |= (uint64_t)1 << (d % 64);
    }
    for (int s = T->cp_first[gg->c]; s < T->cp_first[gg->c + 1]; s++) {
        int d = T->pdon[s];
        n += !(mk[d / 64] >> (d % 64) & 1);
        mk[d / 64] |= (uint64_t)1 << (d % 64);
    }
    return n;
}

struct eng_implied {
    const eng_tab *T;
    const eng_lp *L;
    int W, ns, next;
    uint64_t *masks;            /* [ngroups * W]: each group's payers */
    setref *sets;               /* [ns]: the groups by payer set, smallest sets first */
    int *ind; double *val;      /* [npairs + 1]: the row being handed out */
    double work;
};

/* The row of donor set S over the groups whose payers lie inside it into
 * it->ind/val; its length, or 0 when it is empty or could never bind (its
 * pairs at their upper bounds cost no more than the budgets). */
static int set_row(eng_implied *it, const setref *S, double *cap)
{
    const eng_tab *T = it->T;
    const md_model *m = T->m;
    int n = 0, W = it->W;
    double most = 0;
    *cap = 0;
    for (int d = 0; d < m->ndonors; d++)
        if (S->mask[d / 64] >> (d % 64) & 1) *cap += m->donors[d].budget_base;
    for (int g = 0; g < T->ngroups; g++) {
        const uint64_t *mg = it->masks + (size_t)g * W;
        int in = 1;
        for (int w = 0; w < W && in; w++) in = !(mg[w] & ~S->mask[w]);
        if (!in) continue;
        for (int q = T->g_start[g]; q < T->g_start[g + 1]; q++) {
            int p = T->g_list[q];
            double c = m->courses[T->pairs[p].k].cost_base;
            it->ind[++n] = it->L->xcol[p];
            it->val[n] = c;
            most += c * (double)T->pairs[p].ub;
        }
    }
    return most <= *cap * (1 + 1e-9) ? 0 : n;
}

eng_implied *eng_implied_new(const eng_tab *T, const eng_lp *L)
{
    eng_implied *it = calloc(1, sizeof *it);
    if (!it) return NULL;
    int G = T->ngroups, W = (T->m->ndonors + 63) / 64;
    *it = (eng_implied){ .T = T, .L = L, .W = W };
    it->masks = calloc((size_t)G * W + 1, sizeof *it->masks);
    it->sets = malloc(((size_t)G + 1) * sizeof *it->sets);
    it->ind = malloc(((size_t)T->npairs + 1) * sizeof *it->ind);
    it->val = malloc(((size_t)T->npairs + 1) * sizeof *it->val);
    if (!it->masks || !it->sets || !it->ind || !it->val) { eng_implied_free(it); return NULL; }
    for (int g = 0; g < G; g++) {
        int n = group_mask(T, g, it->masks + (size_t)g * W);
        if (n > 0) it->sets[it->ns++] = (setref){ it->masks + (size_t)g * W, W, n, g };
    }
    qsort(it->sets, (size_t)it->ns, sizeof *it->sets, cmp_set); /* smallest sets first, repeats together */
    return it;
}

int eng_implied_next(eng_implied *it, int *group, double *cap, const int **ind, const double **val)
{
    while (it->next < it->ns && it->work <= WORK_MAX) {
        int i = it->next++;
        if (i > 0 && same_set(&it->sets[i - 1], &it->sets[i])) continue;
        it->work += (double)it->T->ngroups * it->W;
        int n = set_row(it, &it->sets[i], cap);
        if (n == 0) continue;
        *group = it->sets[i].g;
        *ind = it->ind;
        *val = it->val;
        return n;
    }
    return 0;
}

void eng_implied_free(eng_implied *it)
{
    if (!it) return;
    free(it->masks); free(it->sets); free(it->ind); free(it->val);
    free(it);
}
