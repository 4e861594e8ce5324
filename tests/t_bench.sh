#!/bin/sh
# tests/t_bench.sh — the benchmark harness (bench/bench_report.py) itself:
#  1. its parsers and process runner on canned solver logs
#     (bench/bench_selftest.py);
#  2. one tiny instance end to end: capmatch and glpsol (and cbc on the
#     MathProg model's MPS when cbc is installed) reach the same optimum
#     and results.csv gets one row per solver; cbc on capmatch's export
#     runs stages 2 and 3 too and reaches capmatch's cost and seats;
#  3. a capmatch that crashes or hangs is recorded as such and the
#     benchmark goes on (exit 0, the other solvers still run).
# Needs $CAPMATCH (set by tests/run.sh) and glpsol.
set -u
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
if [ -z "${CAPMATCH:-}" ] || [ ! -x "$CAPMATCH" ]; then
    echo "t_bench: \$CAPMATCH is not an executable program"; echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
unset BENCH_QUICK BENCH_FAMILIES BENCH_SEEDS BENCH_TIME_LIMIT BENCH_SOLVERS BENCH_BUDGET
# no address-space cap here: an ASan build (make asan) reserves terabytes
export BENCH_MEM_LIMIT_MB=0

# 1. parsers and runner
if $PY bench/bench_selftest.py > "$tmp/self" 2>&1 && grep -q '^[0-9]* passed, 0 failed' "$tmp/self"
then ok; else no "selftest"; cat "$tmp/self"; fi

# near A B: both numbers, equal within 1e-6 relative to A
near() {
    [ -n "$1" ] && [ -n "$2" ] && $PY -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(abs(a - b) > 1e-6 * max(1, abs(a)))' "$1" "$2"
}

# column of a results.csv row: csvcol FILE SOLVER COLUMN
csvcol() {
    $PY - "$1" "$2" "$3" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["solver"] == sys.argv[2]:
        print(r[sys.argv[3]])
EOF
}

# 2. one tiny instance, every solver
BENCH_CBC_MODEL=mathprog $PY bench/bench_report.py run --capmatch "$CAPMATCH" \
    --dir "$tmp/b1" --families 6x10x2 --seeds 2 --time-limit 5 > "$tmp/out1" 2>&1
rc=$?
[ $rc = 0 ] && ok || { no "bench run exit $rc"; cat "$tmp/out1"; }
rows=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1]))))' \
    "$tmp/b1/results.csv" 2>/dev/null)
[ "$rows" = 3 ] && ok || no "results.csv rows: '$rows', expected 3"
cm=$(csvcol "$tmp/b1/results.csv" capmatch s1_obj)
gl=$(csvcol "$tmp/b1/results.csv" glpsol s1_obj)
[ "$(csvcol "$tmp/b1/results.csv" capmatch status)" = optimal ] && ok || no "capmatch status"
[ "$(csvcol "$tmp/b1/results.csv" glpsol status)" = optimal ] && ok || no "glpsol status"
if near "$cm" "$gl"
then ok; else no "stage-1 optimum: capmatch '$cm', glpsol '$gl'"; fi
pk=$(csvcol "$tmp/b1/results.csv" capmatch peak_mb)
wr=$(csvcol "$tmp/b1/results.csv" capmatch write_s)
[ -n "$pk" ] && [ -n "$wr" ] && ok || no "capmatch peak_mb '$pk' / write_s '$wr' missing"
if command -v cbc >/dev/null 2>&1; then
    cb=$(csvcol "$tmp/b1/results.csv" cbc s1_obj)
    if near "$cm" "$cb"
    then ok; else no "cbc optimum '$cb', capmatch '$cm'"; fi
else
    [ "$(csvcol "$tmp/b1/results.csv" cbc status)" = not-run ] && ok || no "cbc missing but not recorded"
fi
grep -q 'medians per family' "$tmp/out1" && ok || no "no medians table"
# cbc on capmatch's export runs all three stages: its cost and seats must be
# capmatch's (an independent solver on the same lexicographic problem)
if command -v cbc >/dev/null 2>&1; then
    $PY bench/bench_report.py run --capmatch "$CAPMATCH" --dir "$tmp/b4" --families 12x20x3 \
        --seeds 4 --time-limit 20 --solvers "capmatch cbc" > "$tmp/out4" 2>&1
    for col in s1_obj s2_obj s3_obj; do
        a=$(csvcol "$tmp/b4/results.csv" capmatch $col); b=$(csvcol "$tmp/b4/results.csv" cbc $col)
        if near "$a" "$b"
        then ok; else no "cbc's three stages: $col capmatch '$a', cbc '$b'"; cat "$tmp/out4"; fi
    done
    [ -n "$(csvcol "$tmp/b4/results.csv" cbc all3_s)" ] && ok || no "cbc all3_s missing"
fi
$PY bench/bench_report.py summary "$tmp/b1/results.csv" > "$tmp/sum1" 2>&1
grep -Eq '^6x10x2 +glpsol +1/1 +1 ' "$tmp/sum1" && ok || { no "summary of results.csv"; cat "$tmp/sum1"; }

# 3. a crashing and a hanging capmatch
cat > "$tmp/crash" <<'EOF'
#!/bin/sh
[ "$1" = validate ] && exit 0
kill -SEGV $$
EOF
cat > "$tmp/hang" <<'EOF'
#!/bin/sh
[ "$1" = validate ] && exit 0
sleep 60
EOF
chmod +x "$tmp/crash" "$tmp/hang"
$PY bench/bench_report.py run --capmatch "$tmp/crash" --dir "$tmp/b2" --families 5x6x1 \
    --seeds 1 --time-limit 2 --solvers "capmatch glpsol" > "$tmp/out2" 2>&1
rc=$?
[ $rc = 0 ] && ok || no "bench with a crashing capmatch exit $rc"
[ "$(csvcol "$tmp/b2/results.csv" capmatch status)" = crash:SIGSEGV ] && ok || no "crash not recorded"
[ -n "$(csvcol "$tmp/b2/results.csv" glpsol s1_obj)" ] && ok || no "glpsol did not run after the crash"
t0=$(date +%s)
BENCH_BUDGET=2 $PY bench/bench_report.py run --capmatch "$tmp/hang" --dir "$tmp/b3" \
    --families 5x6x1 --seeds 1 --time-limit 2 --solvers "capmatch glpsol" > "$tmp/out3" 2>&1
rc=$?; t1=$(date +%s)
[ $rc = 0 ] && [ $((t1 - t0)) -lt 20 ] && ok || no "hanging capmatch: exit $rc after $((t1 - t0)) s"
[ "$(csvcol "$tmp/b3/results.csv" capmatch status)" = killed ] && ok || no "hang not recorded as killed"
[ "$(csvcol "$tmp/b3/results.csv" glpsol status)" = skipped ] && ok || no "budget not enforced"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
