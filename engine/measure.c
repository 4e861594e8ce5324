/* engine/measure.c — the figures every stage and heuristic measures itself
 * by: the monotonic clock, GLPK's time limit for a deadline, the relative
 * gap and a plan's objective. One definition each, so that the stages,
 * the heuristics and the reports agree. */
#include "eng_int.h"
#include <float.h>
#include <math.h>
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

int eng_tm_lim(double deadline, int lo, int hi, double *left_ms)
{
    double left = (deadline - eng_now()) * 1000.0;
    if (left_ms) *left_ms = left;
    if (left < lo) return lo;
    return left > (double)hi ? hi : (int)left;
}

/* DBL_EPSILON keeps a zero objective from dividing by zero. */
double eng_gap_width(double obj, double rel)
{
    return rel * (fabs(obj) + DBL_EPSILON);
}

double eng_rel_gap(double obj, double bound)
{
    return fabs(obj - bound) / (fabs(obj) + DBL_EPSILON);
}
