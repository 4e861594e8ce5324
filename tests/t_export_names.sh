#!/bin/sh
# --export-model speaks the scenario's names (docs/formats.md, The exported
# model): glpsol reads the example's export and finds capmatch's stage-1
# score; every name is unique, at most 128 bytes, without blanks; names.csv
# lists each row and column of the MPS file once, with full names such as
# x[KEN,course] for pairs of allocations.csv; ids with spaces, commas and
# non-ASCII letters are escaped and over-long names shortened; and the solve
# is the same with and without the export (node counts and plans).
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap "rm -rf $tmp" EXIT
CAPMATCH=${CAPMATCH:-build/capmatch}

# Rows and columns of a free MPS file, one "row NAME" / "col NAME" a line,
# in file order (a column once, however many lines it takes).
mps_names() {
    awk '/^[A-Z]/ { sec = $1; next }
         sec == "ROWS" && NF == 2 { print "row " $2 }
         sec == "COLUMNS" && $2 != "\047MARKER\047" && $1 != last { print "col " $1; last = $1 }' "$1"
}
# names.csv back as "kind name" lines and "kind<TAB>full" lines (RFC 4180).
csv_cols() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    r = list(csv.reader(fh))
if r[0] != ["kind", "name", "full_name"]: print("BAD HEADER", r[0])
for row in r[1:]:
    print(row[0] + (" " + row[1] if sys.argv[2] == "name" else "\t" + row[2]))
EOF
}
stages() { # objective and nodes of every stage, then the plan
    grep -o '"objective": [^,]*, "bound": [^,]*, "gap": [^,]*, "nodes": [^,]*' "$1/summary.json"
    cat "$1/allocations.csv" "$1/funding.csv" "$1/coverage.csv"
}

# 1. the example
ex=inputs/example/scenario.yaml
"$CAPMATCH" run "$ex" -o "$tmp/ex" --quiet --fresh --export-model "$tmp/ex.mps" 2>/dev/null
check "the example runs with --export-model" '[ $? = 0 ] && [ -s "$tmp/ex.mps" ] && [ -s "$tmp/ex.mps.names.csv" ]'
mps_names "$tmp/ex.mps" > "$tmp/mps.names"
csv_cols "$tmp/ex.mps.names.csv" name > "$tmp/csv.names"
check "names.csv has one line per row and column of the MPS file, in its order" \
    'cmp -s "$tmp/mps.names" "$tmp/csv.names" && [ "$(grep -c "^row " "$tmp/mps.names")" -gt 100 ]'
check "no R0000001/C0000001 names left" '! grep -q "^[a-z]* [RC][0-9]\{7\}$" "$tmp/mps.names"'
check "every name unique" '[ -z "$(cut -d" " -f2 "$tmp/mps.names" | sort | uniq -d)" ]'
check "every name at most 128 bytes, printable ASCII without blanks" \
    '[ -z "$(cut -d" " -f2- "$tmp/mps.names" | LC_ALL=C grep -n -e "[^!-~]" -e "^.\{129,\}$")" ]'
check "the objective rows score, cost, seats are free rows" \
    '[ "$(grep -c "^ N \(score\|cost\|seats\)$" "$tmp/ex.mps")" = 3 ]'
csv_cols "$tmp/ex.mps.names.csv" full > "$tmp/csv.full"
pairs=$(tail -n +2 "$tmp/ex/allocations.csv" | head -n 3 | cut -d, -f1,2)
n=0
for p in $pairs; do grep -qxF "col	x[$p]" "$tmp/csv.full" && n=$((n + 1)); done
check "full names x[COUNTRY,COURSE] of allocated pairs appear" '[ "$n" = 3 ]'
check "rows and columns of each kind are named" \
    '(for k in "row	cover[" "row	fund[" "row	budget[" "row	share[" "row	cohort_min[" "row	capacity[" \
             "row	headcount[" "row	hours[" "col	x[" "col	f[" "col	cov[" "col	open["; do
         grep -qF "$k" "$tmp/csv.full" || { echo "missing $k"; exit 1; }; done)'
# glpsol reads it and proves the same stage-1 optimum (within the MIP gap)
score=$(grep -o '"stages": \[' "$tmp/ex/summary.json" >/dev/null && grep -o '{"seconds": [^,]*, "objective": [^,]*' "$tmp/ex/summary.json" | head -n 1 | sed 's/.*: //')
timeout 120 glpsol --freemps "$tmp/ex.mps" --max --cuts --mipgap 0.0001 --tmlim 60 -o "$tmp/glpsol.txt" > "$tmp/glpsol.log" 2>&1
gobj=$(sed -n 's/^Objective: *score = \([-0-9.e+]*\).*/\1/p' "$tmp/glpsol.txt")
check "glpsol --freemps reads the export; its optimum $gobj equals capmatch's stage-1 score $score" \
    '[ -n "$gobj" ] && [ -n "$score" ] && awk -v a="$gobj" -v b="$score" "BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 2e-4 * (b < 0 ? -b : b) + 1e-6) }"'
check "glpsol names the objective score" 'grep -q "^Objective: *score" "$tmp/glpsol.log"'

# 2. the solve is the same without the export: the example and 2 generated instances
"$CAPMATCH" run "$ex" -o "$tmp/ex2" --quiet --fresh 2>/dev/null
check "example: same nodes, objectives and plan without --export-model" \
    '[ "$(stages "$tmp/ex")" = "$(stages "$tmp/ex2")" ]'
for seed in 3 8; do
    /usr/bin/python3 tests/gen_instance.py --countries 15 --courses 30 --donors 4 --seed $seed \
        --mip-gap 0.0001 --formats machine --out "$tmp/g$seed" >/dev/null || bad "generate $seed"
    "$CAPMATCH" run "$tmp/g$seed/scenario.yaml" -o "$tmp/g$seed/a" --quiet --fresh --export-model "$tmp/g$seed.mps" 2>/dev/null
    "$CAPMATCH" run "$tmp/g$seed/scenario.yaml" -o "$tmp/g$seed/b" --quiet --fresh 2>/dev/null
    check "seed $seed: same nodes, objectives and plan with and without --export-model" \
        '[ -s "$tmp/g$seed.mps" ] && [ -n "$(stages "$tmp/g$seed/a")" ] && [ "$(stages "$tmp/g$seed/a")" = "$(stages "$tmp/g$seed/b")" ]'
done

# 3. ids MPS cannot carry as they are: spaces, commas, brackets, non-ASCII,
# a 64-byte id (the longest allowed) of letters that escape to 3 bytes each;
# the names stay unique, escaped, shortened, and CBC and glpsol read the file
w=$tmp/weird
mkdir -p "$w"
long=$(printf '\303\251%.0s' $(seq 1 32))
cat > "$w/scenario.yaml" <<EOF
name: weird ids
currency: USD
output: {dir: out, formats: [csv, json]}
topics: [{id: law}, {id: norms}]
countries:
  - {code: KEN, name: Kenya, region: Africa, languages: [en]}
  - {code: GHA, name: Ghana, region: Africa, languages: [en]}
needs:
  - {country: KEN, topic: law, seats: 4}
  - {country: GHA, topic: norms, seats: 3}
donors:
  - {id: "fund, one [EU]", budget: 3000, topics: [law]}
  - {id: "Fonds de coopération", budget: 2000}
courses:
  - {id: "law 101, part 1", topics: [law], language: en, format: online, cost_per_seat: 500, seats: 6, min_seats: 2}
  - {id: "$long", topics: [law, norms], language: en, format: in_person, cost_per_seat: 700}
  - {id: "100%~free", topics: [norms], language: en, format: online, cost_per_seat: 0}
EOF
"$CAPMATCH" run "$w/scenario.yaml" -o "$w/out" --quiet --export-model "$w/m.mps" 2>"$w/err"
check "a scenario with awkward ids exports" '[ $? = 0 ] && [ -s "$w/m.mps" ]' || cat "$w/err"
mps_names "$w/m.mps" > "$w/mps.names"
csv_cols "$w/m.mps.names.csv" name > "$w/csv.names"
csv_cols "$w/m.mps.names.csv" full > "$w/csv.full"
check "awkward ids: one names.csv line per row and column" 'cmp -s "$w/mps.names" "$w/csv.names"'
check "awkward ids: names unique, at most 128 bytes, printable ASCII" \
    '[ -z "$(cut -d" " -f2 "$w/mps.names" | sort | uniq -d)" ] &&
     [ -z "$(cut -d" " -f2- "$w/mps.names" | LC_ALL=C grep -n -e "[^!-~]" -e "^.\{129,\}$")" ]'
check "a space, comma and brackets are escaped" 'grep -qx "col x\[KEN,law%20101%2C%20part%201\]" "$w/mps.names"'
check "non-ASCII letters and ~ % are escaped" \
    'grep -q "^row budget\[Fonds%20de%20coop%C3%A9ration\]$" "$w/mps.names" && grep -q "open\[\|x\[GHA,100%25%7Efree\]" "$w/mps.names"'
check "the full names keep the ids as they are (quoted CSV)" \
    'grep -qxF "col	x[KEN,law 101, part 1]" "$w/csv.full" && grep -qxF "col	x[KEN,$long]" "$w/csv.full"'
check "a name over 128 bytes is shortened to its start, ~ and 16 hex digits" \
    '[ "$(grep -c "^col x\[KEN,\(%C3\|%A9\)*~[0-9a-f]\{16\}$" "$w/mps.names")" = 1 ]'
timeout 60 glpsol --freemps "$w/m.mps" --max -o "$w/g.txt" > "$w/g.log" 2>&1
check "glpsol reads the awkward names" 'grep -q "^Status: *INTEGER OPTIMAL" "$w/g.txt"'
if command -v cbc >/dev/null 2>&1; then
    timeout 60 cbc "$w/m.mps" -max -solve -quit > "$w/cbc.log" 2>&1
    check "cbc reads the awkward names" 'grep -q "^Result - Optimal solution found" "$w/cbc.log"'
else
    echo "SKIP: cbc: not installed"
fi

# 4. a names file that cannot be written: exit 73, nothing left behind
mkdir -p "$tmp/ro/m.mps.names.csv"
"$CAPMATCH" run "$ex" -o "$tmp/ro/out" --quiet --export-model "$tmp/ro/m.mps" 2>"$tmp/ro.err"
check "an unwritable names file is exit 73, named in the message" \
    '[ $? = 73 ] && grep -q "names to .*m.mps.names.csv" "$tmp/ro.err" && [ ! -e "$tmp/ro/m.mps" ]'
finish
