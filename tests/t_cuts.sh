#!/bin/sh
# Our cuts on the budget knapsacks (engine/cuts.c, docs/solver.md) change no
# optimum: generated 25x40x6 instances (seeds proven in well under a second
# either way, gap 0) solved with the cuts forced on (from the budget
# knapsacks; and from the model's rows too) and off through the engine's
# test switch prove the same score, cost and seats in all three stages;
# 0/1 knapsacks of bench/knap_instance.py (n = 50 and 200) reach the
# dynamic program's optimum with the cuts on, and cuts were added
# (build/tests/unit_engine_cuts with scenario paths).
set -u
. tests/lib.sh
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unit="$BUILD/tests/unit_engine_cuts"
[ -x "$unit" ] || { bad "$unit not built"; finish; }
small_instances "$tmp"
args=$instances
for nk in "50 1" "50 2" "200 1" "200 2"; do
    set -- $nk
    opt=$(/usr/bin/python3 bench/knap_instance.py "$1" "$2" "$tmp/k$1_$2") || bad "knapsack $1 $2"
    args="$args --score $opt $tmp/k$1_$2/scenario.yaml"
done
# shellcheck disable=SC2086
"$unit" $args > "$tmp/log" 2>&1; rc=$?
check "same proven optima with the cuts on, on with rows and off; knapsacks at the DP optimum" '[ $rc = 0 ]'
check "every instance compared three ways" '[ "$(grep -c " proven, " "$tmp/log")" = 27 ]'
[ "$rc" = 0 ] || cat "$tmp/log"

# On by default (small models): the knapsack of bench/knap_instance.py
# --legacy 1000 1, which GLPK alone leaves open after 30 s (26,107 nodes),
# is proven by a plain run, at the dynamic program's optimum, with a cut.
opt=$(/usr/bin/python3 bench/knap_instance.py --legacy 1000 1 "$tmp/k1000") || bad "knapsack 1000 1"
"$CAPMATCH" run "$tmp/k1000/scenario.yaml" -o "$tmp/o1000" --time-limit 60 --quiet --log-file "$tmp/k.log" 2>/dev/null
got=$(/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["status"], j["score"])' \
    "$tmp/o1000/summary.json" 2>/dev/null)
check "a plain run proves the n = 1000 knapsack at the DP optimum $opt (got $got)" \
    '[ "$got" = "optimal $opt" ]'
check "with our cuts, on by default" 'grep -q "own cuts on: 1 knapsacks, [1-9][0-9]* cuts" "$tmp/k.log"'
finish
