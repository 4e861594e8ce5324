/* engine/timing.c — where a stage's seconds go (issue: "report where the
 * time goes"), for the -v log only. One bucket is charged at a time: each
 * switch charges the time since the last one to the bucket that was
 * running, so the buckets add up to the stage's span by construction and
 * nothing is counted twice. What each bucket covers: docs/solver.md,
 * "Where a stage's time goes". */
#include "eng_int.h"
#include <stdio.h>

static const char *const bucket_names[ENG_TIME_NBUCKETS] = {
    "LP", "RENS/LNS", "root+cuts", "heuristics in search", "B&B"
};

/* Charges the time up to now to the running bucket. */
static void charge(eng_timing *t, double now)
{
    if (now > t->last) {
        t->sec[t->cur] += now - t->last;
        t->last = now;
    }
}

void eng_time_start(eng_timing *t, double now)
{
    if (!t) return;
    *t = (eng_timing){ .start = now, .last = now, .end = now, .cur = ENG_TIME_LP, .open = 1 };
}

void eng_time_begin(eng_timing *t, double now)
{
    if (t && !t->open) eng_time_start(t, now);
}

int eng_time_enter(eng_timing *t, int bucket)
{
    if (!t || !t->open) return bucket;
    int was = t->cur;
    charge(t, eng_now());
    t->cur = bucket;
    return was;
}

/* The root is done once its branching call has returned (after = 1 at
 * GLP_IBRANCH on level 0), or GLPK calls back at a node below it, or the
 * tree holds any node but the root (GLPK also asks for node selection,
 * GLP_ISELECT, before the root, so that reason alone says nothing). */
void eng_time_tree(eng_timing *t, glp_tree *tree, int after)
{
    if (!t || !t->open || t->cur != ENG_TIME_ROOT) return;
    int reason = glp_ios_reason(tree), node = glp_ios_curr_node(tree), total = 0;
    int level = node ? glp_ios_node_level(tree, node) : 0;
    glp_ios_tree_size(tree, NULL, NULL, &total);
    if (level > 0 || total > 1 || (after && reason == GLP_IBRANCH && node))
        (void)eng_time_enter(t, ENG_TIME_BB);
}

void eng_time_stop(eng_timing *t, double now)
{
    if (!t || !t->open) return;
    charge(t, now);
    t->end = now;
}

void eng_time_report(eng_timing *t, FILE *log, int stage)
{
    if (!t || !t->open) return;
    t->open = 0;
    if (!log) return;
    fprintf(log, "stage %d time:", stage);
    for (int b = 0; b < ENG_TIME_NBUCKETS; b++)
        fprintf(log, "%s %s %.3f s", b ? "," : "", bucket_names[b], t->sec[b]);
    fprintf(log, ", total %.3f s\n", t->end - t->start);
}
