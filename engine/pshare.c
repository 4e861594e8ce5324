/* engine/pshare.c — the provider-share cap (policy max_provider_share):
 * which provider each course belongs to, and the check that a plan keeps
 * every provider's spend within the share of the plan's total. The rows
 * themselves are made in build.c; this check serves the heuristics that
 * build plans outside GLPK, which does not verify what it is handed. */
#include "eng_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const md_course *sort_base;

static int by_provider(const void *a, const void *b)
{
    const md_course *x = &sort_base[*(const int *)a], *y = &sort_base[*(const int *)b];
    int c = strcmp(x->provider, y->provider);
    return c ? c : (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

int eng_providers(const md_model *m, int *kprov)
{
    int K = m->ncourses, n = 0, nnamed = 0;
    int *ord = malloc(((size_t)K + 1) * sizeof *ord);
    if (!ord) return -1;
    for (int k = 0; k < K; k++)
        if (m->courses[k].provider) ord[nnamed++] = k;
    sort_base = m->courses; /* single-threaded: the engine runs one solve per process */
    qsort(ord, (size_t)nnamed, sizeof *ord, by_provider);
    for (int i = 0; i < nnamed; i++) {
        if (i > 0 && strcmp(m->courses[ord[i]].provider, m->courses[ord[i - 1]].provider) != 0) n++;
        kprov[ord[i]] = n;
    }
    if (nnamed > 0) n++;
    for (int k = 0; k < K; k++) /* a course without a provider is its own provider */
        if (!m->courses[k].provider) kprov[k] = n++;
    free(ord);
    return n;
}

int eng_pshare_holds(const eng_tab *T, const eng_lp *L, const double *v)
{
    if (!L->tcol) return 1;
    const md_model *m = T->m;
    double *sp = calloc((size_t)L->nprov + 1, sizeof *sp), total = 0;
    if (!sp) return 0; /* cannot check: the plan is not offered */
    for (int p = 0; p < T->npairs; p++) {
        double s = m->courses[T->pairs[p].k].cost_base * floor(v[L->xcol[p]] + 0.5);
        sp[L->kprov[T->pairs[p].k]] += s;
        total += s;
    }
    double cap = m->set.max_provider_share * total, tol = 1e-9 * fmax(1.0, cap);
    int ok = 1;
    for (int q = 0; q < L->nprov && ok; q++) ok = sp[q] <= cap + tol;
    free(sp);
    return ok;
}
