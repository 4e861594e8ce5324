/* engine/measure.c — the figures every stage and heuristic measures itself
 * by: the monotonic clock and a plan's objective. */
#include "eng_int.h"
#include <time.h>

double eng_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double eng_objective_of(glp_prob *P, const double *v)
{
    double s = glp_get_obj_coef(P, 0);
    for (int j = 1, n = glp_get_num_cols(P); j <= n; j++) s += glp_get_obj_coef(P, j) * v[j];
    return s;
}
