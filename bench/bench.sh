#!/bin/sh
# bench/bench.sh BUILD_DIR [run|write|summary] — the capmatch benchmark,
# called by `make bench`. The work is done by bench/bench_report.py (see its
# header for every column and the timing split).
#
#   run (default)  instance families 25x40x6 60x120x10 195x1000x40
#                  195x5000x100 (countries x courses x donors), seeds 1 2 3,
#                  generated into BUILD_DIR/bench/ (not committed); each is
#                  solved by capmatch, by glpsol on models/capmatch.mod
#                  (stage 1) and by cbc on the model capmatch exports
#                  (--export-model; all three stages), one process at a
#                  time, same time limit.
#                  Prints a table and per-family medians and appends one
#                  row per instance and solver to BUILD_DIR/bench/results.csv.
#   write          report-writing overhead at 195x1000x40: the same instance
#                  with output.formats [csv, json] and with every format.
#   summary        the medians of the latest run in results.csv again.
#
# Environment: BENCH_QUICK=1 (25x40x6 60x120x10, seed 1, 10 s),
# BENCH_FAMILIES="25x40x6 ...", BENCH_SEEDS="1 2 3", BENCH_TIME_LIMIT=S
# (default 60), BENCH_SOLVERS="capmatch glpsol cbc",
# BENCH_CBC_MODEL=export|mathprog, BENCH_BUDGET=S (hard stop for the
# whole run; the nominal budget is printed first), BENCH_MEM_LIMIT_MB=M
# (address-space cap per solver process, default 8192), BENCH_REPEAT=N (write).
# Needs glpsol (glpk-utils) and cbc (coinor-cbc); a missing one is reported
# in its rows, never stops the benchmark.
set -u
BUILD=${1:-build}
MODE=${2:-run}
case $MODE in
    run|write)
        [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
        exec /usr/bin/python3 bench/bench_report.py "$MODE" --build "$BUILD" ;;
    summary)
        exec /usr/bin/python3 bench/bench_report.py summary "$BUILD/bench/results.csv" ;;
    *)
        echo "usage: sh bench/bench.sh BUILD_DIR [run|write|summary]" >&2; exit 64 ;;
esac
