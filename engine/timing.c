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

/* The root bucket's time since the last settling goes to the root phase
 * that ran (only the root bucket's own time: heuristics are not in it). */
static void settle_root(eng_timing *t)
{
    t->root_sec[t->root_phase] += t->sec[ENG_TIME_ROOT] - t->root_mark;
    t->root_mark = t->sec[ENG_TIME_ROOT];
}

/* The root is done once its branching call has returned (after = 1 at
 * GLP_IBRANCH on level 0), or GLPK calls back at a node below it, or the
 * tree holds any node but the root (GLPK also asks for node selection,
 * GLP_ISELECT, before the root, so that reason alone says nothing).
 * Within the root, what GLPK does after a callback returns is known from
 * the reason: after GLP_IPREPRO it solves the node's LP (until
 * GLP_IROWGEN), after GLP_ICUTGEN it runs its own cut generators, adds the
 * cuts and preprocesses the node again (until the next GLP_IPREPRO, or
 * GLP_IBRANCH when no cut was added); before the first callback it sets
 * the search up. The callback's own time at GLP_ICUTGEN (cuts of our own)
 * counts as cut rounds, at other reasons as other. */
void eng_time_tree(eng_timing *t, glp_tree *tree, int after)
{
    if (!t || !t->open || t->cur != ENG_TIME_ROOT) return;
    int reason = glp_ios_reason(tree), node = glp_ios_curr_node(tree), total = 0;
    int level = node ? glp_ios_node_level(tree, node) : 0;
    glp_ios_tree_size(tree, NULL, NULL, &total);
    (void)eng_time_enter(t, ENG_TIME_ROOT); /* charges the time so far */
    settle_root(t);
    t->root_phase = reason == GLP_ICUTGEN ? ENG_ROOT_CUTS /* in the callback too: cuts of our own */
                    : after && reason == GLP_IPREPRO ? ENG_ROOT_LP : ENG_ROOT_OTHER;
    if (after && reason == GLP_ICUTGEN) t->root_rounds++;
    if (level > 0 || total > 1 || (after && reason == GLP_IBRANCH && node))
        (void)eng_time_enter(t, ENG_TIME_BB);
}

void eng_time_stop(eng_timing *t, double now)
{
    if (!t || !t->open) return;
    charge(t, now);
    t->end = now;
    settle_root(t);
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
    if (t->sec[ENG_TIME_ROOT] > 0)
        fprintf(log, "stage %d root: set-up %.3f s, LP %.3f s, cut rounds %.3f s, other %.3f s, %d rounds\n", stage,
                t->root_sec[ENG_ROOT_SETUP], t->root_sec[ENG_ROOT_LP], t->root_sec[ENG_ROOT_CUTS],
                t->root_sec[ENG_ROOT_OTHER], t->root_rounds);
}
