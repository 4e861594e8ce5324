/* engine/eng_testing.h — switches and counters for the engine's own tests.
 * A test fills an eng_testing and points eng_options.testing at it; users
 * leave that pointer NULL and get the engine's choices by model size
 * (eng_tune.h). The switches force a method on or off so that a test can
 * compare the plans with and without it; the counters tell the test what
 * the solve did. Nothing here changes what a plan must satisfy. */
#ifndef ENG_TESTING_H
#define ENG_TESTING_H
#include "engine.h"

struct eng_testing {
    /* 0: the engine's choice by model size; 1: always; -1: never */
    int rens;               /* RENS heuristic (big models) */
    int lns;                /* LNS (big models, where RENS would run) */
    int pool;               /* pooled money columns (big models) */
    int rcfix;              /* stages 2-3 bounded by the stage before's reduced costs (big models) */
    int stage_sift;         /* stages 2-3's LP by sifting (huge models) */
    int implied;            /* implied knapsack rows per donor and donor pair (implied.c) */
    /* GLPK aborts in stage fail_stage (1-3; 4: the funding LP; 5: stage 4,
     * stability) in its first fail_times attempts, as on an internal error
     * (docs/solver.md, "When GLPK fails"); 0: never */
    int fail_stage, fail_times;
    /* the plan of stage corrupt_stage (2-4) is spoilt before its last check
     * (solve.c, limit_broken): corrupt_how 1 takes every seat away (score
     * below stage 1's), 2 adds a seat to the first pair (cost above stage
     * 2's); 0: never */
    int corrupt_stage, corrupt_how;
    /* filled by eng_solve (zero when it fails) */
    int rc_bounded[2];      /* integer columns bounded by the stage before's reduced costs: stages 2, 3 */
    int stage_sifted;       /* stages 2-3 whose LP sifting solved */
    int cuts;               /* a switch, not a counter: c-MIR cuts at the search's root (cuts.c), 1 from
                             * the budget knapsacks, 2 also from the model's integer rows; -1 none; 0 the
                             * engine's choice */
};

/* The switches in effect for opt: its tests' own, or all 0 (the engine's
 * choices). Never NULL. */
static inline const eng_testing *eng_testing_of(const eng_options *opt)
{
    static const eng_testing none;
    return opt && opt->testing ? opt->testing : &none;
}

#endif
