#!/bin/sh
# The bias audit and the provider-share cap (policy max_provider_share):
#  1. bad values are positioned errors (exit 65);
#  2. provider_hhi by hand (0.625 for a 3:1 split; 0 for an empty plan), and
#     a single provider under a cap below 1: warned, empty plan, optimal;
#  3. against the MathProg model (glpsol) on small capped instances, one of
#     which shows the cap binds (score lower than with max_provider_share 1);
#  4. 20 generated instances (10 at 25x40x6, 10 at 60x120x10, short time
#     limits) with max_provider_share 0.25: every run succeeds, no provider
#     is paid more than 0.25 of the plan's cost, and equity.csv,
#     provider_hhi and the report's demand without supply agree with
#     tests/equity_check.py's recomputation from the inputs and the plan;
#     in those whose score is proven with no gap, no shortfall or unspent money is "not_proven" (the
#     cap is named as the limit: provider_share).
set -u
. tests/lib.sh
if [ -z "${CAPMATCH:-}" ] || [ ! -x "$CAPMATCH" ]; then
    echo "t_equity: \$CAPMATCH is not an executable program"; echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3

# --- 1. validation
hand() { # dir, share, courses (YAML lines)
    mkdir -p "$1"
    cat > "$1/scenario.yaml" <<EOT
name: hand
currency: USD
policy: {max_provider_share: $2}
solver: {time_limit: 20, mip_gap: 0}
output: {dir: out, formats: [csv, json, markdown]}
topics: [{id: t, name: Topic T}]
countries:
  - {code: KEN, name: Kenya, region: Africa, income_group: LIC, languages: [en, sw]}
  - {code: TZA, name: Tanzania, region: Africa, languages: [sw]}
needs: [{country: KEN, topic: t, seats: 4}, {country: TZA, topic: t, seats: 2}]
donors: [{id: d, name: D, budget: 1000}]
courses:
$3
EOT
}
ONE='  - {id: a, provider: P, topics: [t], language: en, format: online, cost_per_seat: 100}
  - {id: a2, provider: P, topics: [t], language: en, format: online, cost_per_seat: 120}
  - {id: free, topics: [t], language: en, format: online, cost_per_seat: 0, seats: 1}'
for v in 0 1.5 -1 abc 0.0001 '[0.5]'; do
    hand "$tmp/v" "$v" "$ONE"
    "$CAPMATCH" validate "$tmp/v/scenario.yaml" > "$tmp/v.out" 2>&1; rc=$?
    check "max_provider_share $v: exit 65" '[ $rc = 65 ]'
    check "max_provider_share $v: positioned error" \
        'grep -q "scenario.yaml:3:30: error: policy.max_provider_share must be" "$tmp/v.out"'
done
hand "$tmp/v" 1 "$ONE"
"$CAPMATCH" validate "$tmp/v/scenario.yaml" >/dev/null 2>&1
check "max_provider_share 1 is valid (no cap)" '[ $? = 0 ]'

# --- 2. by hand
# A 3:1 split of the spend (A's course has 3 seats, B's 1, same price):
# HHI 0.75^2 + 0.25^2 = 0.625.
hand "$tmp/h" 0.8 '  - {id: a, provider: A, topics: [t], language: en, format: online, cost_per_seat: 100, seats: 3}
  - {id: b, provider: B, topics: [t], language: en, format: online, cost_per_seat: 100, seats: 1}'
"$CAPMATCH" run "$tmp/h/scenario.yaml" --quiet > "$tmp/h.out" 2>&1
check "3:1 split runs" '[ $? = 0 ]'
check "3:1 split: provider_hhi 0.625 and the equity rows" \
    '$PY tests/equity_check.py "$tmp/h" --share 0.8 --hhi 0.625 >/dev/null'
check "3:1 split: equity.csv provider rows" \
    'grep -qx "provider,A,,3,300.00,,0.75,0.75.*" "$tmp/h/out/equity.csv" && grep -qx "provider,B,,1,100.00,,0.25,0.25.*" "$tmp/h/out/equity.csv"'
# The same under a cap of 0.7: A may have at most 0.7 of the spend, so one
# of its seats goes (A 200, B 100: HHI (2/3)^2 + (1/3)^2 = 5/9).
sed -i 's/max_provider_share: 0.8/max_provider_share: 0.7/' "$tmp/h/scenario.yaml"
"$CAPMATCH" run "$tmp/h/scenario.yaml" --quiet --fresh > "$tmp/h.out" 2>&1
check "cap 0.7 binds: 2 seats of A, 1 of B" \
    'grep -qx "KEN,a,2,200.00.*" "$tmp/h/out/allocations.csv" && grep -qx "KEN,b,1,100.00.*" "$tmp/h/out/allocations.csv"'
check "cap 0.7: KEN's shortfall is put down to the provider cap" \
    'grep -q "^KEN,t,4,3,3,resources,provider_share" "$tmp/h/out/coverage.csv"'
check "cap 0.7: so is the donor's unspent money" \
    'grep -q "\"unspent_reason\": \"provider_share\"" "$tmp/h/out/summary.json"'
check "cap 0.7: provider_hhi 5/9" '$PY tests/equity_check.py "$tmp/h" --share 0.7 --hhi 0.555556 >/dev/null'
# A sweep over the cap: null (no cap) buys A's 3 seats and B's 1, 0.7 one
# seat fewer of A (score 4 and 3: one seat covers one seat of need).
printf 'base: scenario.yaml\ngrid:\n  max_provider_share: [null, 0.7]\n' > "$tmp/h/sweep.yaml"
"$CAPMATCH" sweep "$tmp/h/sweep.yaml" -o "$tmp/hs" --quiet > "$tmp/hs.out" 2>&1
check "sweep over max_provider_share runs" '[ $? = 0 ]'
check "sweep: no cap scores 4, 0.7 scores 3" \
    'grep -q "^max_provider_share=null,optimal,4,4,400.00,4," "$tmp/hs/sweep.csv" && grep -q "^max_provider_share=0.7,optimal,3,3,300.00,3," "$tmp/hs/sweep.csv"'
# One provider (P) can be paid: with a cap below 1 only the free seat is bought.
hand "$tmp/o" 0.5 "$ONE"
"$CAPMATCH" run "$tmp/o/scenario.yaml" > "$tmp/o.out" 2>&1; rc=$?
check "single provider: exit 0" '[ $rc = 0 ]'
check "single provider: warned at the key" \
    'grep -q "scenario.yaml:3:30: warning: policy.max_provider_share 0.5 caps every provider.*only 1 provider can be paid" "$tmp/o.out"'
check "single provider: status optimal" 'grep -q "\"status\": \"optimal\"" "$tmp/o/out/summary.json"'
check "single provider: only the free seat" \
    '[ "$(tr -d "\r" < "$tmp/o/out/allocations.csv")" = "$(printf "country,course,seats,cost\nKEN,free,1,0.00")" ]'
check "empty spend: provider_hhi 0" '$PY tests/equity_check.py "$tmp/o" --share 0.5 --hhi 0 >/dev/null'
check "demand without supply: TZA (sw only) has no course for t" 'grep -qx "| sw | Topic T | 1 | 2 |" "$tmp/o/out/report.md"'

# A paid commitment to P's course that the cap cannot accommodate: the only
# other provider (Q) has one seat of 100, and 3 committed seats of 100 need
# 300 elsewhere under a cap of 0.5.
hand "$tmp/c" 0.5 '  - {id: a, provider: P, topics: [t], language: en, format: online, cost_per_seat: 100}
  - {id: b, provider: Q, topics: [t], language: en, format: online, cost_per_seat: 100, seats: 1}'
printf 'commitments: [{country: KEN, course: a, seats: 3, donor: d}]\n' >> "$tmp/c/scenario.yaml"
"$CAPMATCH" run "$tmp/c/scenario.yaml" > "$tmp/c.out" 2>&1; rc=$?
check "commitment against the cap: exit 65" '[ $rc = 65 ]'
check "commitment against the cap: says why" \
    'grep -q "scenario.yaml:.*error: commitment KEN/a (donor d) cannot be honoured: the committed seats of provider P cost 300.00 USD; under policy.max_provider_share 0.5 the plan must then pay at least 300.00 USD for other providers" "$tmp/c.out"'
check "commitment against the cap: no outputs written" '[ ! -e "$tmp/c/out/summary.json" ] && [ ! -e "$tmp/c/out/equity.csv" ]'

# The exported model names the cap's rows, a course without a provider apart
# from a provider of the same name.
hand "$tmp/e" 0.8 '  - {id: a, provider: A, topics: [t], language: en, format: online, cost_per_seat: 100, seats: 3}
  - {id: A, topics: [t], language: en, format: online, cost_per_seat: 90, seats: 1}'
"$CAPMATCH" run "$tmp/e/scenario.yaml" --quiet --export-model "$tmp/e.mps" > /dev/null 2>&1
check "exported model: spend column and rows, unique names" \
    'grep -q "^col,spend\[all\]," "$tmp/e.mps.names.csv" && grep -q "^row,spend_total\[all\]," "$tmp/e.mps.names.csv" && grep -q "^row,provider_share\[A\]," "$tmp/e.mps.names.csv" && grep -q "^row,provider_share_course\[A\]," "$tmp/e.mps.names.csv" && $PY -c "import csv, sys; n = [r[1] for r in csv.reader(open(sys.argv[1]))]; sys.exit(len(n) != len(set(n)))" "$tmp/e.mps.names.csv"'

# --- 3. against the MathProg model
score() { sed -n 's/.* agree score=\([0-9.]*\) .*/\1/p' "$1"; }
for s in 1 2 3 4 5 6 7; do
    $PY tests/gen_instance.py --countries 8 --courses 15 --donors 3 --seed $s --time-limit 20 \
        --formats machine --max-provider-share 0.3 --out "$tmp/x$s" >/dev/null
    $PY tests/xcheck.py "$tmp/x$s" --capmatch "$CAPMATCH" > "$tmp/x$s.out" 2>&1
    check "seed $s, cap 0.3: capmatch and glpsol agree" '[ $? = 0 ]'
    check "seed $s, cap 0.3: proven optimal, no need or donor money is not_proven" \
        'grep -q "\"status\": \"optimal\"" "$tmp/x$s/out/summary.json" && ! grep -q not_proven "$tmp/x$s/out/coverage.csv" "$tmp/x$s/out/summary.json"'
done
$PY tests/gen_instance.py --countries 8 --courses 15 --donors 3 --seed 7 --time-limit 20 \
    --formats machine --max-provider-share 1 --out "$tmp/x7u" >/dev/null
$PY tests/xcheck.py "$tmp/x7u" --capmatch "$CAPMATCH" > "$tmp/x7u.out" 2>&1
check "seed 7, no cap: capmatch and glpsol agree" '[ $? = 0 ]'
check "seed 7: the cap binds (score $(score "$tmp/x7.out") < $(score "$tmp/x7u.out"))" \
    '$PY -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]) - 1e-6)" "$(score "$tmp/x7.out")" "$(score "$tmp/x7u.out")"'

# --- 4. generated instances
for size in "25 40 6 1" "60 120 10 2"; do
    set -- $size
    for s in 1 2 3 4 5 6 7 8 9 10; do
        d="$tmp/g$1-$s"
        $PY tests/gen_instance.py --countries $1 --courses $2 --donors $3 --seed $s --time-limit $4 \
            --mip-gap 0 --formats all --max-provider-share 0.25 --out "$d" >/dev/null
        "$CAPMATCH" run "$d/scenario.yaml" --quiet > "$d.out" 2>&1; rc=$?
        check "$1x$2x$3 seed $s: exit 0 (got $rc)" '[ $rc = 0 ]'
        [ $rc = 0 ] || { cat "$d.out"; continue; }
        $PY tests/equity_check.py "$d" --share 0.25 > "$d.chk" 2>&1
        check "$1x$2x$3 seed $s: cap kept, equity figures agree" '[ $? = 0 ]' || cat "$d.chk"
        grep -q "largest provider share 0.000000" "$d.chk" || paid=$((${paid:-0} + 1))
        # a proven plan always has a binding limit to name, the cap included
        if $PY -c 'import json,sys; j = json.load(open(sys.argv[1])); sys.exit(not (j["status"] == "optimal" and j["stages"][0]["gap"] == 0))' "$d/out/summary.json"; then
            proven=$((${proven:-0} + 1))
            check "$1x$2x$3 seed $s: proven, and no not_proven" \
                '! grep -q not_proven "$d/out/coverage.csv" "$d/out/summary.json"'
        fi
    done
done
check "most generated plans pay for seats (${paid:-0} of 20)" '[ "${paid:-0}" -ge 15 ]'
finish
