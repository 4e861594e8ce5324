/* engine/warn_pshare.c — the warning for a provider-share cap that no plan
 * with paid seats can meet: with n providers able to take paid seats,
 * every provider at most s of the spend needs s * n >= 1, so below that the
 * only plan is one without paid seats. Said before the solve, so that an
 * empty plan does not look like a solver fault. */
#include "eng_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int eng_warn_pshare(const md_model *m, md_diag *d)
{
    double s = m->set.max_provider_share;
    if (!(s > 0 && s < 1)) return 0;
    const char **named = malloc(((size_t)m->ncourses + 1) * sizeof *named);
    if (!named) return -1;
    int nnamed = 0, own = 0; /* providers by name; courses without one count alone */
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *ks = &m->courses[k];
        if (!(ks->cost_base > 0)) continue;
        int ok = 0;
        for (int c = 0; c < m->ncountries && !ok; c++) ok = eng_pair_eligible(m, c, k);
        if (!ok) continue;
        if (ks->provider) named[nnamed++] = ks->provider;
        else own++;
    }
    qsort(named, (size_t)nnamed, sizeof *named, cmp_str);
    int n = own;
    for (int i = 0; i < nnamed; i++) n += i == 0 || strcmp(named[i], named[i - 1]) != 0;
    free(named);
    if (n > 0 && s * n < 1 - 1e-9)
        md_warn(d, &m->set.max_provider_share_loc,
                "policy.max_provider_share %g caps every provider at that share of the spend, but only %d "
                "provider%s can be paid for seats (at least %d needed): the plan can buy no paid seats",
                s, n, n == 1 ? "" : "s", (int)(1 / s - 1e-9) + 1);
    return 0;
}
