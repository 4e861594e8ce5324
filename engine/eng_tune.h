/* engine/eng_tune.h — every size threshold of the engine, in one place.
 * Each one splits the model sizes the engine meets into families that want
 * different methods; none is a precise optimum. Measured on instances of
 * tests/gen_instance.py (countries x courses x donors), whose stage-1
 * models have: 60x120x10 about 2,100 columns (960 integer); 195x1000x40
 * about 55,000 columns (24,000-30,000 integer); 195x5000x100 0.4-0.5M
 * columns with pooled money, 2.0M without. docs/engine-structure.md lists
 * them in a table. */
#ifndef ENG_TUNE_H
#define ENG_TUNE_H

/* More integer columns than this make a model "big" (runner.c): RENS and
 * LNS in every stage (small ones: stages 2-3 only), reduced-cost bounds,
 * cohort branching in stages 2-3, Driebeck-Tomlin branching instead of
 * hybrid pseudocost, and capped back-off of the in-search heuristics. At
 * 195x1000x40 RENS gave stage 1 its proof on 3 of 3 seeds instead of 1;
 * on 60x120x10 RENS in stage 1 and cohort branching changed the path for
 * better and worse alike, and pseudocost branching proved 30x60x6 in 7 s
 * instead of 47 s, while its strong-branching start costs seconds per
 * node on big models. */
enum { ENG_BIG_INTS = 5000 };

/* Money is pooled (tables.c) on models with more eligible pairs than this:
 * on big models it shrinks every LP by two thirds (195x1000x40 stage 1
 * proven in 0.7-4.4 s instead of 6-9 s); on small ones GLPK's search went
 * slower on 4 and faster on 3 of 60x120x10 seeds 1-9 (its cuts see the
 * per-group funding equalities better), so they keep one column per group. */
enum { ENG_POOL_MIN_PAIRS = 5000 };

/* The root LP is sifted (sift.c) when there are at least this many seat
 * and money columns: sifting pays where the columns far outnumber the rows
 * (195x1000x40: 55,000 columns, 8,400 rows) and costs rounds for nothing
 * where the whole LP solves in milliseconds (60x120x10: 2,100 columns).
 * The value sits between those families; no finer measurement was made. */
enum { ENG_SIFT_MIN_COLS = 20000 };

/* Above this many columns a model (or a per-country block of bound.c) is
 * scaled by equilibration only, and a sifting round that let in this many
 * columns is solved without a warm iteration cap: GLPK's geometric-mean
 * passes took 21 s on 2.1M columns (0.3 s at 150k), and 30 s on the blocks
 * of 5 countries x 200,000 courses, and their time is not bounded by any
 * limit; equilibration alone took 4.7 s at 2.1M (coefficient ratio ~4e3). */
enum { ENG_CHEAP_SCALE_COLS = 100000 };

/* "Huge" models (195x5000x100: 0.4-0.5M columns pooled): GLPK's search
 * starts only when its set-up, which never calls back, fits in the time
 * left (runner.c, ~130 us a column: 50 s to over 100 s at 2.0M columns,
 * ~16 s at 0.4M), and stages 2-3 get their LP by sifting (solve.c; their
 * cold LP took 35-53 s over 520k columns). Below it the set-up takes
 * seconds and is not counted. */
enum { ENG_HUGE_COLS = 200000 };

/* Implied knapsack rows (implied.c) in every model: 1 on, 0 off. Off: on
 * 25x40x6 and 60x120x10 seeds 1-3 (60 s) they proved nothing that was not
 * proven without them, moved stage 1's bound at the limit by under 0.01%
 * either way, and 60x120x10 seed 2 took 11.7 s instead of 9.4 s; on 0/1
 * knapsacks written as scenarios they halved GLPK's nodes
 * (docs/benchmarks.md, "Implied knapsack rows"). */
enum { ENG_IMPLIED_DEFAULT = 0 };

/* Our c-MIR cuts at the search's root (cuts.c) on models with at most
 * ENG_BIG_INTS integer columns: 0 off, 1 from the budget knapsacks, 2 also
 * from the model's integer rows. The budget knapsacks: no cut on 25x40x6
 * and 60x120x10 seeds 1-3 (the search ran as without), and they proved
 * strong n = 2000 seed 1 of the knapsack families (0.8 s, else cut at 20 s)
 * and the n = 1000 legacy knapsack (0.4 s, else cut at 30 s); one of 27
 * family instances took 1,041 nodes instead of 637. Never on big models:
 * at 195x1000x40 their separation made the root's cut rounds 1-6 s longer
 * for no cut. The model's rows made 60x120x10 seed 2 slower
 * (docs/benchmarks.md, "Cuts of our own"). */
enum { ENG_CUTS_DEFAULT = 1 };

#endif
