#!/bin/sh
# bench/bench.sh BUILD_DIR [run|write|summary|stability|sweep|knap] — the capmatch benchmark,
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
#   summary        the medians of the latest run in results.csv again, its
#                  per-stage time breakdown and the speed targets met or not
#                  (bench/bench_targets.py; every run in results.csv, and
#                  sweep.csv).
#   sweep          capmatch sweep: 20 budget-scale variants of a 60x120x10
#                  instance (seed 2, mip_gap 0.01, BENCH_SWEEP_TIME_LIMIT s a
#                  variant, default 10) at -j 1 and -j 2 (each variant
#                  starting from the plans of those done before it), -j 1
#                  --cold, and 20 separate processes (--task I each, each
#                  loading the base anew, each from scratch); wall seconds,
#                  appended to BUILD_DIR/bench/sweep.csv.
#   stability      stage 4 (docs/solver.md, "Stage 4: stability"), also run
#                  after `run`: on a fixed set (the example and 25x40x6
#                  seeds 1 2 3, mip_gap 0.01), a first run, then the budget
#                  of the donor that spent most cut by 10% and solved twice
#                  on a copy of the first run's folder: with stage 4 and with
#                  --fresh. Prints both churns (each checked against a count
#                  of the two allocations.csv files) and appends them to
#                  BUILD_DIR/bench/stability.csv.
#   knap           Pisinger's knapsack families (uncorrelated, weakly and
#                  strongly correlated, subset sum; bench/knap_instance.py)
#                  as one-donor scenarios, capmatch's stage 1 against the
#                  optimum of a dynamic program (bench/knap_dp.c, built into
#                  BUILD_DIR/bench/knap_dp); rows to BUILD_DIR/bench/knap.csv,
#                  a MISMATCH (a bug) makes the exit status 1. Knobs
#                  BENCH_KNAP_N="100 200 500 1000 2000 5000 10000",
#                  BENCH_KNAP_FAMILIES="uncorrelated weak strong subset",
#                  BENCH_SEEDS, BENCH_TIME_LIMIT (default 60),
#                  BENCH_KNAP_RANGE=1000|10000, BENCH_KNAP_DP_CELLS (default
#                  1e10; above, "no DP"): see bench/knap_bench.py.
#
# Environment: BENCH_STABILITY=0, BENCH_SWEEP=0 (no stability or sweep part
# after run), BENCH_SWEEP_TIME_LIMIT=S (default 10),
# BENCH_STAB_TIME_LIMIT=S (default 20, each run of the example in the
# stability part), BENCH_STAB_SEEDS="1 2 ..." (default 1-20: the generated
# 25x40x6 instances), BENCH_STAB_GEN_TIME_LIMIT=S (default 5, their runs),
# BENCH_QUICK=1 (25x40x6 60x120x10, seed 1, 10 s),
# BENCH_FAMILIES="25x40x6 ...", BENCH_SEEDS="1 2 3", BENCH_TIME_LIMIT=S
# (default 60), BENCH_SOLVERS="capmatch glpsol cbc",
# BENCH_CBC_MODEL=export|mathprog, BENCH_BUDGET=S (hard stop for the
# whole run; the nominal budget is printed first), BENCH_MEM_LIMIT_MB=M
# (address-space cap per solver process, default 8192), BENCH_REPEAT=N (write),
# BENCH_IMPLIED="on off" (capmatch with the implied knapsack rows forced on,
# then off: see implied_bench below), BENCH_CUTS="on rows off" (our cuts:
# cuts_bench below).
# Needs glpsol (glpk-utils) and cbc (coinor-cbc); a missing one is reported
# in its rows, never stops the benchmark.
set -u
BUILD=${1:-build}
MODE=${2:-run}
PY=/usr/bin/python3
TOOLS=tests/stab_tools.py

# one instance of the stability part: folder with scenario.yaml, its name
stab_one() {
    d=$1 name=$2 tl=$3
    "$BUILD/capmatch" run "$d/scenario.yaml" -o "$d/o" --quiet --time-limit "$tl" 2>/dev/null || {
        echo "$name: first run failed"; return; }
    cp -r "$d/o" "$d/base"; cp -r "$d/o" "$d/f"
    donor=$($PY $TOOLS top "$d/o/summary.json")
    $PY $TOOLS cut "$d" "$donor" || return
    t0=$(date +%s.%N)
    "$BUILD/capmatch" run "$d/scenario.yaml" -o "$d/o" --quiet --time-limit "$tl" 2>/dev/null
    rs=$?
    t1=$(date +%s.%N)
    "$BUILD/capmatch" run "$d/scenario.yaml" -o "$d/f" --quiet --time-limit "$tl" --fresh 2>/dev/null
    rf=$?
    if [ $rs != 0 ] || [ $rf != 0 ]; then echo "$name: runs exited $rs and $rf"; return; fi
    cs=$($PY $TOOLS get "$d/o/summary.json" churn); cf=$($PY $TOOLS get "$d/f/summary.json" churn)
    ns=$($PY $TOOLS churn "$d/base/allocations.csv" "$d/o/allocations.csv")
    nf=$($PY $TOOLS churn "$d/base/allocations.csv" "$d/f/allocations.csv")
    st=$($PY $TOOLS get "$d/o/summary.json" status)
    ok=yes; [ "$cs" = "$ns" ] && [ "$cf" = "$nf" ] || ok=NO
    # stages 1-3 proven in both runs: then both end at the same stage-3 plan and must compare
    p3=$($PY -c 'import json,sys; print("yes" if all(all(x["status"] == "optimal" for x in json.load(open(f))["stages"][:3]) for f in sys.argv[1:]) else "no")' \
        "$d/o/summary.json" "$d/f/summary.json")
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    printf '%-22s %-28s %8s %8s %9s %10s %12s %7s\n' "$name" "$donor" "$cs" "$cf" "$ok" "$p3" "$st" "$secs"
    echo "$name,$donor,$cs,$cf,$ok,$p3,$st,$secs" >> "$BUILD/bench/stability.csv"
}

# Stage 4 on a fixed set: the example and 20 generated 25x40x6 instances,
# three runs each (first, cut with stage 4, cut with --fresh)
stability() {
    [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
    w="$BUILD/bench/stability"
    rm -rf "$w"; mkdir -p "$w"
    [ -f "$BUILD/bench/stability.csv" ] ||
        echo "instance,donor,churn_stage4,churn_fresh,recount_ok,stages13_proven,status,stage4_run_s" > "$BUILD/bench/stability.csv"
    echo "stability: 10% budget cut of the donor that spent most; churn against the first run's plan"
    printf '%-22s %-28s %8s %8s %9s %10s %12s %7s\n' instance donor stage4 fresh recount s1-3_proven status run_s
    cp -r inputs/example "$w/example" && rm -rf "$w/example/out"
    n0=$(wc -l < "$BUILD/bench/stability.csv")
    stab_one "$w/example" example "${BENCH_STAB_TIME_LIMIT:-20}"
    for seed in ${BENCH_STAB_SEEDS:-$(seq 1 20)}; do
        $PY tests/gen_instance.py --countries 25 --courses 40 --donors 6 --seed $seed --mip-gap 0.01 \
            --formats all --out "$w/s$seed" >/dev/null || continue
        stab_one "$w/s$seed" "25x40x6 seed $seed" "${BENCH_STAB_GEN_TIME_LIMIT:-5}"
    done
    # this run's rows: where stages 1-3 were proven in both runs the two
    # churns compare (stage 4 can only match or beat the fresh plan's)
    tail -n +$((n0 + 1)) "$BUILD/bench/stability.csv" | awk -F, '
        $6 == "yes" { n++; if ($3 <= $4) le++; if ($3 < $4) lt++; s4 += $3; sf += $4 }
        $5 != "yes" { bad++ }
        END { printf "stability: %d compared (stages 1-3 proven in both runs): churn <= fresh on %d, below on %d; churn %d in all against %d fresh; recount mismatches %d\n", n, le, lt, s4, sf, bad }'
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

sweep_bench() {
    [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
    w="$BUILD/bench/sweep"
    rm -rf "$w"; mkdir -p "$w"
    tl=${BENCH_SWEEP_TIME_LIMIT:-10}
    $PY tests/gen_instance.py --countries 60 --courses 120 --donors 10 --seed 2 --mip-gap 0.01 \
        --time-limit "$tl" --formats machine --out "$w/base" >/dev/null || { echo "bench: generator failed"; return 1; }
    scales=$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "%s%.2f", i ? ", " : "", 0.55 + 0.05 * i }')
    printf 'base: base/scenario.yaml\nvariants:\n  - name: baseline\ngrid:\n  budget_scale: [%s]\n' "$scales" > "$w/sweep.yaml"
    n=$("$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/list" --list | wc -l)
    hdr="variants,time_limit,j1_s,j2_s,separate_s,cpus,cold_j1_s"
    [ "$(head -1 "$BUILD/bench/sweep.csv" 2>/dev/null)" = "$hdr" ] || echo "$hdr" > "$BUILD/bench/sweep.csv"
    echo "sweep: $n variants (baseline + 20 budget scales 0.55-1.50) of 60x120x10 seed 2, mip_gap 0.01, $tl s a variant"
    t=$(now); "$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/j1" -j 1 --quiet 2>/dev/null; j1=$(since "$t")
    t=$(now); "$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/j2" -j 2 --quiet 2>/dev/null; j2=$(since "$t")
    t=$(now); "$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/cold" -j 1 --cold --quiet 2>/dev/null; cold=$(since "$t")
    t=$(now)
    i=0; while [ $i -lt "$n" ]; do
        "$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/tasks" --task $i --quiet 2>/dev/null; i=$((i + 1)); done
    "$BUILD/capmatch" sweep "$w/sweep.yaml" -o "$w/tasks" --merge --quiet 2>/dev/null
    sep=$(since "$t")
    same=no; cmp -s "$w/j1/sweep.csv" "$w/j2/sweep.csv" && same=yes
    printf '%-34s %8s\n' "one sweep, -j 1 (load once)" "$j1 s" "one sweep, -j 2" "$j2 s" \
        "one sweep, -j 1 --cold" "$cold s" \
        "$n separate processes (--task I)" "$sep s"
    echo "sweep: -j 1 and -j 2 give the same sweep.csv: $same (variants stopped by the clock, or by mip_gap with heuristics cut by it, may end at other plans within the gap)"
    awk -v a="$j1" -v b="$j2" -v s="$sep" 'BEGIN { printf "sweep: -j 1 took %.0f%%, -j 2 %.0f%% of the separate processes'"'"' time\n", 100 * a / s, 100 * b / s }'
    echo "$n,$tl,$j1,$j2,$sep,$(nproc),$cold" >> "$BUILD/bench/sweep.csv"
}

# BENCH_IMPLIED="on off": the run once per value, by a bench build of
# capmatch ($BUILD/bench-sw, compiled with CAPMATCH_BENCH) that reads
# CAPMATCH_IMPLIED=on|off to force the implied knapsack rows (docs/solver.md)
# on or off; the rows of results.csv say which in their note. The program
# that `make` builds never reads that variable.
implied_bench() {
    make --no-print-directory -j2 BUILD="$BUILD/bench-sw" EXTRA_CFLAGS=-DCAPMATCH_BENCH \
        "$BUILD/bench-sw/capmatch" >/dev/null || { echo "bench: the bench build failed" >&2; return 1; }
    irc=0
    for v in $BENCH_IMPLIED; do
        case $v in on|off) ;; *) echo "bench: BENCH_IMPLIED takes on and off" >&2; return 64 ;; esac
        echo "bench: implied knapsack rows $v"
        CAPMATCH_IMPLIED=$v $PY bench/bench_report.py run --build "$BUILD" \
            --capmatch "$BUILD/bench-sw/capmatch" || irc=$?
    done
    return $irc
}

# BENCH_CUTS="on rows off": the same for our c-MIR cuts (engine/cuts.c,
# docs/solver.md "Cuts of our own"): on, from the budget knapsacks; rows,
# also from the model's integer rows; off. Read by the bench build as
# CAPMATCH_CUTS; with BENCH_IMPLIED too, each cuts value runs every implied
# value.
cuts_bench() {
    crc=0
    for c in $BENCH_CUTS; do
        case $c in on|rows|off) ;; *) echo "bench: BENCH_CUTS takes on, rows and off" >&2; return 64 ;; esac
        echo "bench: our knapsack cuts $c"
        if [ -n "${BENCH_IMPLIED:-}" ]; then CAPMATCH_CUTS=$c implied_bench || crc=$?
        else
            make --no-print-directory -j2 BUILD="$BUILD/bench-sw" EXTRA_CFLAGS=-DCAPMATCH_BENCH \
                "$BUILD/bench-sw/capmatch" >/dev/null || { echo "bench: the bench build failed" >&2; return 1; }
            CAPMATCH_CUTS=$c $PY bench/bench_report.py run --build "$BUILD" \
                --capmatch "$BUILD/bench-sw/capmatch" || crc=$?
        fi
    done
    return $crc
}

case $MODE in
    run)
        [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
        if [ -n "${BENCH_CUTS:-}" ]; then cuts_bench; rc=$?
        elif [ -n "${BENCH_IMPLIED:-}" ]; then implied_bench; rc=$?
        else $PY bench/bench_report.py run --build "$BUILD"; rc=$?; fi
        [ "${BENCH_STABILITY:-1}" = 0 ] || stability
        [ "${BENCH_SWEEP:-1}" = 0 ] || sweep_bench
        exit $rc ;;
    write)
        [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
        exec /usr/bin/python3 bench/bench_report.py "$MODE" --build "$BUILD" ;;
    stability)
        stability ;;
    sweep)
        sweep_bench ;;
    knap)
        [ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
        mkdir -p "$BUILD/bench" &&
        ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -o "$BUILD/bench/knap_dp" bench/knap_dp.c || { echo "bench: knap_dp did not build" >&2; exit 1; }
        exec $PY bench/knap_bench.py --build "$BUILD" ;;
    summary)
        exec /usr/bin/python3 bench/bench_report.py summary "$BUILD/bench/results.csv" ;;
    *)
        echo "usage: sh bench/bench.sh BUILD_DIR [run|write|summary|stability|sweep|knap]" >&2; exit 64 ;;
esac
