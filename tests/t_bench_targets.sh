#!/bin/sh
# tests/t_bench_targets.sh — the speed targets that `bench_report.py
# summary` (make bench BENCH_MODE=summary) prints after the medians
# (bench/bench_targets.py), on hand-made results.csv and sweep.csv files
# whose every figure is known: each target line must say met / not met
# with exactly these figures. Also: the latest row per family, seed and
# solver counts (an older row and a forced-switch row are left out), and
# the per-stage time breakdown table of capmatch's rows. No solver runs.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3

# make.py DIR VARIANT: DIR/results.csv (and DIR/sweep.csv unless VARIANT is "b")
cat > "$tmp/make.py" <<'EOF'
import csv, os, sys
sys.path.insert(0, "bench")
sys.dont_write_bytecode = True
from bench_report import COLS
d, variant = sys.argv[1], sys.argv[2]
rows = []
def row(when, fam, seed, solver, tl, all3=None, s=(1.0, 1.0, 1.0), note=None, split=None):
    r = dict(when=when, family=fam, seed=seed, solver=solver, time_limit=tl, all3_s=all3,
             s1_s=s[0], s2_s=s[1], s3_s=s[2], note=note, status="optimal")
    for st in (1, 2, 3):
        for i, k in enumerate(("lp", "sub", "root", "heur", "bb")):
            if split:
                r["s%d_%s_s" % (st, k)] = split[i] * st
        if split:   # of root+cuts: a quarter the root's LP, a half its cut rounds
            r["s%d_rootlp_s" % st], r["s%d_cuts_s" % st] = split[2] * st / 4, split[2] * st / 2
    rows.append(r)
T1, T2 = "2026-12-01T10:00:00", "2026-12-02T10:00:00"
# (a) capmatch proves seeds 1-5 (2..6 s) in variant a, seeds 1-4 in b; CBC seeds 1-4 (1 s)
for seed in range(1, 10):
    n = 5 if variant == "a" else 4
    row(T2, "60x120x10", seed, "capmatch", 60, all3=seed + 1.0 if seed <= n else None)
    row(T2, "60x120x10", seed, "cbc", 60, all3=1.0 if seed <= 4 else None)
row(T1, "60x120x10", 1, "capmatch", 60, all3=100.0)                         # older: ignored
row(T2, "60x120x10", 6, "capmatch", 60, all3=0.5, note="implied rows on")  # forced: ignored
# (b) 25x40x6: seed 1 not proven, seed 3 proven but stage 1 took 65 s
for seed in range(1, 21):
    row(T2, "25x40x6", seed, "capmatch", 200, all3=None if seed == 1 else 70.0 if seed == 3 else 2.0,
        s=(65.0, 2.0, 3.0) if seed == 3 else (1.0, 1.0, 1.0))
# (d) 195x1000x40: seed 1 not proven (30 s), seeds 2 and 3 in 26.8 and 23.3 s
for seed, all3, split in ((1, None, (1, 2, 3, 4, 5)), (2, 26.8, (2, 3, 4, 5, 6)), (3, 23.3, (9, 9, 9, 9, 9))):
    row(T2, "195x1000x40", seed, "capmatch", 30, all3=all3, split=split)
with open(os.path.join(d, "results.csv"), "w", newline="") as fh:
    w = csv.DictWriter(fh, COLS)
    w.writeheader()
    w.writerows(rows)
if variant == "a":
    with open(os.path.join(d, "sweep.csv"), "w") as fh:
        fh.write("variants,time_limit,j1_s,j2_s,separate_s,cpus\n21,10,90.0,50.0,99.0,2\n"
                 "21,10,40.0,22.0,100.0,2\n")
EOF

mkdir -p "$tmp/a" "$tmp/b"
$PY "$tmp/make.py" "$tmp/a" a && $PY "$tmp/make.py" "$tmp/b" b || { bad "hand-made csv"; finish; }
$PY bench/bench_report.py summary "$tmp/a/results.csv" > "$tmp/outa" 2>&1; rc=$?
check "summary exits 0 (got $rc)" '[ $rc = 0 ]'
$PY bench/bench_report.py summary "$tmp/b/results.csv" > "$tmp/outb" 2>&1

has() { if grep -Fxq -- "$2" "$1"; then ok; else bad "missing line in $1: $2"; sed -n '/^targets/,$p' "$1"; fi; }
has "$tmp/outa" "(a) 60x120x10 seeds 1-9, all three stages, capmatch median <= CBC median: met - capmatch 6.00 s (all three proven on 5 of 9), CBC 60.00 s (4 of 9); a run not proven counts as its limit (60 s), never faster"
has "$tmp/outb" "(a) 60x120x10 seeds 1-9, all three stages, capmatch median <= CBC median: not met - capmatch 60.00 s (all three proven on 4 of 9), CBC 60.00 s (4 of 9); a run not proven counts as its limit (60 s), never faster"
has "$tmp/outa" "(b) 25x40x6 seeds 1-20, all three stages proven within 60 s each: not met - 18 of 20; not proven: seeds 1, 3"
has "$tmp/outa" "(c) sweep: one sweep's wall time <= 40% of the separate runs': met - -j 1 40.0 s = 40% of 100.0 s (the measure: one core, as the separate runs); -j 2 22.0 s = 22%; 21 variants"
has "$tmp/outb" "(c) sweep: one sweep's wall time <= 40% of the separate runs': not measured (no sweep.csv row; make bench BENCH_MODE=sweep)"
has "$tmp/outa" "(d) 195x1000x40, all three stages <= 10 s: not met - median 26.80 s over seeds 1, 2, 3 (all three proven on 2; a run not proven counts as its limit)"
# each seed's buckets summed over stages 1-3 (1+2+3 = 6 times its split): the medians are seed 2's
has "$tmp/outa" "    where it goes (median over 3 seeds of stages 1-3 together): LP 12.00 s, RENS/LNS 18.00 s, root+cuts 24.00 s, heuristics in search 30.00 s, B&B 36.00 s (its LP 6.00 s, its cut rounds 12.00 s)"
# the breakdown table: seed 1's stage 3 is 3 times its split
has "$tmp/outa" "195x1000x40      1     3     3.00     6.00      9.00    12.00    15.00    45.00     2.25     4.50"
finish
