#!/bin/sh
# Starting plans in sweeps (docs/solver.md, "Starting plans"): a variant
# that starts from the plans of the variants done before it ends at the
# same optimum as the same variant solved from scratch (--cold), whichever
# way the budgets run; the plan a variant records for the next ones is the
# plan it wrote; --cold and --task start from nothing. Small instances only.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 tests/gen_instance.py --countries 8 --courses 14 --donors 3 --seed 3 --mip-gap 0 \
    --db no --formats machine --out "$tmp/inst" >/dev/null || bad "generate the instance"

# the optimum of every variant, warm and cold: score, cost and seats (sweep.csv)
figures() { awk -F, 'NR > 1 { print $1, $2, $3, $5, $6 }' "$1/sweep.csv"; }

for order in "0.3, 0.6, 1.0, 1.5, 3.0" "3.0, 1.5, 1.0, 0.6, 0.3"; do
    printf 'base: scenario.yaml\nvariants:\n  - name: baseline\ngrid:\n  budget_scale: [%s]\n' "$order" \
        > "$tmp/inst/sweep.yaml"
    rm -rf "$tmp/warm" "$tmp/cold"
    "$CAPMATCH" sweep "$tmp/inst/sweep.yaml" -o "$tmp/warm" -j 1 --quiet 2> "$tmp/warm.err"
    check "[$order] the sweep ends with exit 0" '[ $? = 0 ]'
    "$CAPMATCH" sweep "$tmp/inst/sweep.yaml" -o "$tmp/cold" -j 1 --cold --quiet 2> "$tmp/cold.err"
    check "[$order] the cold sweep ends with exit 0" '[ $? = 0 ]'
    figures "$tmp/warm" > "$tmp/warm.fig"
    figures "$tmp/cold" > "$tmp/cold.fig"
    check "[$order] every variant solved to optimality both ways" \
        '[ "$(awk "\$2 == \"optimal\"" "$tmp/warm.fig" | wc -l)" = 6 ] && [ "$(awk "\$2 == \"optimal\"" "$tmp/cold.fig" | wc -l)" = 6 ]'
    check "[$order] the same score, cost and seats warm and cold" 'cmp -s "$tmp/warm.fig" "$tmp/cold.fig"'
    cmp -s "$tmp/warm.fig" "$tmp/cold.fig" || diff "$tmp/warm.fig" "$tmp/cold.fig"
    check "[$order] the cold sweep started from nothing" \
        '! grep -q "^started" "$tmp"/cold/variants/*/variant.tsv'
    n=$(grep -l "^started" "$tmp"/warm/variants/*/variant.tsv | wc -l)
    check "[$order] some variants started from an earlier one's plan ($n)" '[ "$n" -ge 1 ]'
    # each variant's recorded plan is the allocations.csv it wrote
    for v in "$tmp"/warm/variants/*/; do
        awk -F'\t' '$1 == "seat" { print $2 "," $3 "," $4 }' "$v/variant.tsv" | sort > "$tmp/rec"
        tail -n +2 "$v/allocations.csv" | cut -d, -f1-3 | sort > "$tmp/csv"
        check "[$order] $(basename "$v"): the recorded plan is allocations.csv" \
            'cmp -s "$tmp/rec" "$tmp/csv" && grep -q "^plan	$(wc -l < "$tmp/csv")\$" "$v/variant.tsv"'
    done
done

# Budgets that only grow (after the implicit baseline): every variant after
# the first can start from the one before it (that plan fits its budgets),
# and does in stage 1.
order="0.3, 0.6, 1.0, 1.5, 3.0"
printf 'base: scenario.yaml\ngrid:\n  budget_scale: [%s]\n' "$order" > "$tmp/inst/up.yaml"
rm -rf "$tmp/up"
"$CAPMATCH" sweep "$tmp/inst/up.yaml" -o "$tmp/up" -j 1 --quiet 2>/dev/null
for s in 0.6 1.0 1.5 3.0; do
    check "budget_scale=$s started stage 1 from an earlier plan" \
        'grep -q "^started	[^	]" "$tmp/up/variants/budget_scale=$s/variant.tsv"'
done

# --task runs a variant on its own, as in a job array: no starting plan
rm -rf "$tmp/task"
"$CAPMATCH" sweep "$tmp/inst/up.yaml" -o "$tmp/task" --task 0 --quiet 2>/dev/null
"$CAPMATCH" sweep "$tmp/inst/up.yaml" -o "$tmp/task" --task 1 --quiet 2>/dev/null
check "--task starts from nothing, even beside a done variant" \
    '[ -f "$tmp/task/variants/budget_scale=0.3/variant.tsv" ] && ! grep -q "^started" "$tmp/task/variants/budget_scale=0.3/variant.tsv"'

finish
