#!/bin/sh
# Stage 4, stability (docs/solver.md): a rerun on unchanged inputs moves no
# seat and writes the same files; inputs whose entity lists come in another
# order (YAML lists, SQLite rows, one list split across two files) give the
# same files; after a 10% cut of one donor's budget the churn is never larger
# than a --fresh solve's difference from the previous plan, on the example and
# on 20 generated 25x40x6 instances. Every churn that summary.json reports is
# checked against a count of its own (tests/stab_tools.py churn).
set -u
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
T=tests/stab_tools.py
get() { $PY $T get "$1/summary.json" "$2"; }
nstages() { $PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stages"]))' "$1/summary.json"; }
# 1 when stages 1-3 of a run are all proven (its stage-3 plan did not depend on the clock)
proven3() { $PY -c 'import json,sys; s=json.load(open(sys.argv[1]))["stages"][:3]; print(int(all(x["status"]=="optimal" for x in s)))' "$1/summary.json"; }

# ---- the example: first run, rerun unchanged
cp -r inputs/example "$tmp/e"
$CAPMATCH run "$tmp/e/scenario.yaml" -o "$tmp/e/o" --quiet 2>/dev/null
check "example: first run exits 0" '[ $? = 0 ]'
check "example: first run has no previous plan" '[ "$(get "$tmp/e/o" previous_run)" = null ] && [ "$(get "$tmp/e/o" churn)" = null ]'
check "example: first run has three stages" '[ "$(nstages "$tmp/e/o")" = 3 ]'
cp -r "$tmp/e/o" "$tmp/e/first"
cp -r "$tmp/e/o" "$tmp/e/f"
# meanwhile the example with every entity list in another order, one list
# split across two files: the same files (summary.json without its timings,
# input digest and warnings, which name file positions)
$PY $T shuffle inputs/example "$tmp/s" 7 && rm -rf "$tmp/s/out"
$CAPMATCH run "$tmp/s/scenario.yaml" -o "$tmp/s/o" --quiet 2>/dev/null & pid=$!
$CAPMATCH run "$tmp/e/scenario.yaml" -o "$tmp/e/o" --quiet 2>/dev/null
check "example: rerun exits 0" '[ $? = 0 ]'
check "example: rerun names the first run" '[ "$(get "$tmp/e/o" previous_run)" = 1 ]'
check "example: rerun unchanged has churn 0" '[ "$(get "$tmp/e/o" churn)" = 0 ]'
check "example: rerun has four stages" '[ "$(nstages "$tmp/e/o")" = 4 ]'
check "example: rerun is optimal" '[ "$(get "$tmp/e/o" status)" = optimal ]'
check "example: the rerun's report says churn 0, proven" 'grep -q "^Seats that differ from run 1.s plan (churn): 0\. No plan of the same score, cost and seats differs less (proven)\.$" "$tmp/e/o/report.md"'
for f in allocations.csv funding.csv coverage.csv; do
    check "example: rerun writes the same $f" 'cmp -s "$tmp/e/o/$f" "$tmp/e/first/$f"'
done
wait $pid
check "shuffled example exits 0" '[ $? = 0 ]'
check "shuffled example: same allocations, funding, coverage and summary" '$PY $T same "$tmp/e/first" "$tmp/s/o"'

# ---- the example after a 10% budget cut: churn against the first plan, with
# stage 4 (12 s, stopped by the limit) and with --fresh, side by side
$PY $T cut "$tmp/e" euro-africa-facility || bad "cut the example's budget"
$CAPMATCH run "$tmp/e/scenario.yaml" -o "$tmp/e/o" --quiet --time-limit 12 2>"$tmp/e/cut.err" & pid=$!
$CAPMATCH run "$tmp/e/scenario.yaml" -o "$tmp/e/f" --quiet --time-limit 12 --fresh 2>/dev/null
check "example cut: --fresh run exits 0" '[ $? = 0 ]'
wait $pid
check "example cut: run exits 0" '[ $? = 0 ]'
cs=$(get "$tmp/e/o" churn); cf=$(get "$tmp/e/f" churn)
check "example cut: churn is the recount ($cs)" '[ "$cs" = "$($PY $T churn "$tmp/e/first/allocations.csv" "$tmp/e/o/allocations.csv")" ]'
check "example cut: --fresh churn is the recount ($cf)" '[ "$cf" = "$($PY $T churn "$tmp/e/first/allocations.csv" "$tmp/e/f/allocations.csv")" ]'
# the change report says the same churn in words (summary.json's, recounted above)
pr=$(get "$tmp/e/o" previous_run) # run 2: the unchanged rerun, same plan as run 1
check "example cut: report.md names the churn ($cs against run $pr)" 'grep -q "^Seats that differ from run $pr.s plan (churn): $cs\. " "$tmp/e/o/report.md"'
check "example cut: report.html names the churn" 'grep -q "<p>Seats that differ from run $pr&#39;s plan (churn): $cs\. " "$tmp/e/o/report.html"'
check "example cut: --fresh report says the churn was not kept low" 'grep -q "^Seats that differ from run 1.s plan (churn): $cf\. This run was solved with --fresh" "$tmp/e/f/report.md"'
check "example cut: --fresh names the first run" '[ "$(get "$tmp/e/f" previous_run)" = 1 ]'
check "example cut: --fresh has three stages" '[ "$(nstages "$tmp/e/f")" = 3 ]'
check "example cut: the plan moved" '[ "$cf" -gt 0 ]'
# the one stderr line of a plan not proven: it says which part is unproven
if [ "$(proven3 "$tmp/e/o")" = 1 ]; then
    check "example cut: stderr says only stage 4 is unproven" \
        'grep -v ":[0-9]*:[0-9]*: warning: \|: table " "$tmp/e/cut.err" | grep -qx "capmatch: warning: .*scenario.yaml: score, cost and seats optimal; stage 4 (stability) not proven (status time_limit, churn $cs, bound [0-9]*)"'
else
    check "example cut: stderr says the plan is not proven" 'grep -q "plan not proven optimal (status time_limit" "$tmp/e/cut.err"'
fi
check "example cut: status is stage 4's" '$PY -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(s[\"status\"] != s[\"stages\"][3][\"status\"])" "$tmp/e/o/summary.json"'
if [ "$(proven3 "$tmp/e/o")$(proven3 "$tmp/e/f")" = 11 ]; then
    check "example cut: churn $cs <= fresh $cf" '[ "$cs" -le "$cf" ]'
else echo "SKIP: example cut, churn against --fresh: a stage 1-3 was cut by the clock (slow machine)"; fi

# ---- every entity list in another order (YAML lists, SQLite rows), one list
# split across two files: the example (block YAML, a catalogue of four
# tables; run above) and a generated instance (flow YAML, generated catalogue)
$PY tests/gen_instance.py --countries 25 --courses 40 --donors 6 --seed 4 --mip-gap 0.01 --formats all \
    --db yes --out "$tmp/d" >/dev/null || bad "generate d"
$PY $T shuffle "$tmp/d" "$tmp/ds" 3
$CAPMATCH run "$tmp/d/scenario.yaml" -o "$tmp/d/o" --quiet 2>/dev/null & pid=$!
$CAPMATCH run "$tmp/ds/scenario.yaml" -o "$tmp/ds/o" --quiet 2>/dev/null
check "shuffled instance exits 0" '[ $? = 0 ]'
wait $pid
check "instance exits 0" '[ $? = 0 ]'
check "shuffled instance: same allocations, funding, coverage and summary" '$PY $T same "$tmp/d/o" "$tmp/ds/o"'

# ---- without the sqlite output there is no history: no previous plan, no stage 4
sed -i 's/^\( *formats:\).*/\1 [csv, json]/' "$tmp/d/scenario.yaml"
$CAPMATCH run "$tmp/d/scenario.yaml" -o "$tmp/d/m" --quiet 2>/dev/null &&
    $CAPMATCH run "$tmp/d/scenario.yaml" -o "$tmp/d/m" --quiet 2>/dev/null
check "csv+json only: rerun exits 0" '[ $? = 0 ]'
check "csv+json only: no previous plan" '[ "$(get "$tmp/d/m" previous_run)" = null ] && [ ! -e "$tmp/d/m/results.db" ]'

# ---- 20 generated 25x40x6 instances (YAML; two runs at a time)
one() { # seed: base run, 10% cut of the donor that spent most, stage 4 and --fresh
    d="$tmp/g$1"
    $PY tests/gen_instance.py --countries 25 --courses 40 --donors 6 --seed "$1" --mip-gap 0.01 --formats all \
        --db no --out "$d" >/dev/null || return 1
    $CAPMATCH run "$d/scenario.yaml" -o "$d/o" --quiet --time-limit 10 2>/dev/null || return 1
    cp -r "$d/o" "$d/base"
    cp -r "$d/o" "$d/f"
    $PY $T cut-top "$d" "$d/o/summary.json" >/dev/null || return 1
    $CAPMATCH run "$d/scenario.yaml" -o "$d/o" --quiet --time-limit 2 2>/dev/null & p=$!
    $CAPMATCH run "$d/scenario.yaml" -o "$d/f" --quiet --time-limit 2 --fresh 2>/dev/null || { wait $p; return 1; }
    wait $p || return 1
}
compared=0 less=0 worse='' t0=$(date +%s)
for seed in $(seq 1 20); do
    if ! one "$seed"; then bad "instance $seed: a run failed"; continue; fi
    d="$tmp/g$seed"
    # churn with stage 4, with --fresh, the same two recounted, stages 1-3 proven in both
    read -r cs cf ns nf both <<EOF
$($PY $T compare "$d/base" "$d/o" "$d/f")
EOF
    check "instance $seed: churn is the recount ($cs, $ns)" '[ "$cs" = "$ns" ]'
    check "instance $seed: --fresh churn is the recount ($cf, $nf)" '[ "$cf" = "$nf" ]'
    if [ "${both:-0}" = 1 ]; then
        compared=$((compared + 1))
        [ "$cs" -lt "$cf" ] && less=$((less + 1))
        # a tally, checked once below: how many instances are proven in
        # time depends on the machine, the number of checks must not
        [ "$cs" -le "$cf" ] || { worse="$worse $seed($cs>$cf)"; }
    fi
done
echo "note: 20 instances in $(($(date +%s) - t0)) s: $compared compared (stages 1-3 proven in both runs), churn below --fresh's on $less"
check "churn never above --fresh's on the instances compared (above on:$worse)" '[ -z "$worse" ]'
check "at least 10 of 20 instances compared" '[ "$compared" -ge 10 ]'
check "stage 4 lowered the churn somewhere" '[ "$less" -ge 1 ]'

finish
