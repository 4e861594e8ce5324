#!/bin/sh
# Course feedback (docs/formats.md, "Course feedback"): ratings shrink the
# quality a run uses towards a prior; the estimate is what min_quality and
# the reports see; every run writes feedback_requests.csv with exactly the
# planned pairs; bad ratings are positioned errors, every one, exit 65.
set -u
. tests/lib.sh
CAPMATCH=${CAPMATCH:-build/capmatch}
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT; [ -n "${KEEP:-}" ] && echo "$tmp"

# 1. Hand-computed estimates, as the report's Course quality table shows them.
#    a: (5·4 + 2·10 + 5·2) / 17; b: no ratings, provider P declares 4 and 3;
#    c: ratings, provider Q declares nothing: prior (4 + 3) / 2 = 3.5,
#    (5·3.5 + 5·5) / 10 = 4.25; e: nothing at all: unrated.
mkdir "$tmp/q"
cat > "$tmp/q/scenario.yaml" <<'Y'
currency: USD
policy: {min_quality: 3.5, unrated: allow}
output: {formats: [csv, markdown]}
topics: [{id: t}]
countries: [{code: KEN, name: Kenya, languages: [en]}]
needs: [{country: KEN, topic: t, seats: 20}]
donors: [{id: fund, budget: 100000}]
courses:
  - {id: a, provider: P, topics: [t], language: en, format: online, cost_per_seat: 10, quality: 4, seats: 5}
  - {id: d, provider: P, topics: [t], language: en, format: online, cost_per_seat: 10, quality: 3, seats: 5}
  - {id: b, provider: P, topics: [t], language: en, format: online, cost_per_seat: 10, seats: 5}
  - {id: c, provider: Q, topics: [t], language: en, format: online, cost_per_seat: 10, seats: 5}
  - {id: e, provider: Q, topics: [t], language: en, format: online, cost_per_seat: 10, seats: 5}
ratings:
  - {course: a, score: 2, responses: 10, collected: 2026-05-01}
  - {course: a, score: 5, responses: 2, collected: 2026-06-01}
  - {course: c, score: 5, responses: 5, collected: 2026-06-01}
Y
"$CAPMATCH" run "$tmp/q/scenario.yaml" --quiet 2>"$tmp/q/err"; rc=$?
check "rated scenario runs" '[ $rc = 0 ]'
row() { grep "^| $1 |" "$tmp/q/out/report.md" | grep -v "| online |" | head -n 1; }
check "a: declared 4, 12 responses, (20+20+10)/17" '[ "$(row a)" = "| a | P | 4 | 12 | 2.941176 |" ]'
check "b: no ratings, rated provider: provider mean 3.5" '[ "$(row b)" = "| b | P | none | 0 | 3.5 |" ]'
check "c: ratings, unrated provider: prior = mean of all declared" '[ "$(row c)" = "| c | Q | none | 5 | 4.25 |" ]'
check "e: nothing: unrated" '[ "$(row e)" = "| e | Q | none | 0 | unrated |" ]'
check "d: declared, no ratings: unchanged" '[ "$(row d)" = "| d | P | 3 | 0 | 3 |" ]'
# min_quality 3.5 applies to the estimate: a (2.94) and d (3) are out, b, c, e (unrated, allowed) in
check "min_quality uses the estimate" \
    '[ "$(cut -d, -f2 "$tmp/q/out/allocations.csv" | tail -n +2 | tr -d "\r" | sort | tr "\n" " ")" = "b c e " ]'

# 1b. The independent MathProg model computes the same estimate from the
#     same declared qualities and ratings: the cross-check agrees (b, c, e:
#     15 seats for 150.00), at min_quality 3.5 and at 2.9 (a at 2.94 in).
for mq in 3.5 2.9; do
    x="$tmp/x$mq"; mkdir "$x"
    sed -e "s/min_quality: 3.5/min_quality: $mq/" -e 's/formats: \[csv, markdown\]/formats: [csv, json]/' \
        -e 's/^currency: USD/currency: USD\nsolver: {mip_gap: 0}/' "$tmp/q/scenario.yaml" > "$x/scenario.yaml"
    cat > "$x/data.dat" <<D
data;
set T := t;
set C := KEN;
set K := a d b c e;
set D := fund;
param base := 'USD';
set LANGS[KEN] := en;
set NT[KEN] := t;
param need_seats := KEN t 20;
set KTOP[a] := t;
set KTOP[d] := t;
set KTOP[b] := t;
set KTOP[c] := t;
set KTOP[e] := t;
param lang := a en d en b en c en e en;
param format := a online d online b online c online e online;
param provider := a P d P b P c Q e Q;
param cost_per_seat := a 10 d 10 b 10 c 10 e 10;
param capacity := a 5 d 5 b 5 c 5 e 5;
param quality := a 4 d 3;
param budget := fund 100000;
set R := 1 2 3;
param r_course := 1 a 2 a 3 c;
param r_score := 1 2 2 5 3 5;
param r_resp := 1 10 2 2 3 5;
param has_min_quality := 1;
param min_quality := $mq;
end;
D
    [ $mq = 3.5 ] && want=15,150,15 || want=20,200,20
    /usr/bin/python3 tests/xcheck.py "$x" --capmatch "$CAPMATCH" ${XCHECK_MODEL:+--model "$XCHECK_MODEL"} --expect $want >"$x/log" 2>&1; rc=$?
    check "MathProg cross-check agrees at min_quality $mq" '[ $rc = 0 ]' || cat "$x/log"
done

# 2. A rating that pushes a course under min_quality removes it from the plan.
mkdir "$tmp/m"
sed -e '/^ratings:/,$d' "$tmp/q/scenario.yaml" > "$tmp/m/scenario.yaml"
"$CAPMATCH" run "$tmp/m/scenario.yaml" --quiet 2>/dev/null; rc=$?
check "without ratings: runs" '[ $rc = 0 ]'
check "without ratings a is planned" 'grep -q "^KEN,a," "$tmp/m/out/allocations.csv"'
printf 'ratings:\n  - {course: a, score: 1, responses: 20, collected: 2026-06-30}\n' >> "$tmp/m/scenario.yaml"
"$CAPMATCH" run "$tmp/m/scenario.yaml" --quiet --fresh 2>/dev/null; rc=$?
check "with a bad rating: runs" '[ $rc = 0 ]'
check "a bad rating (estimate (20 + 20) / 25 = 1.6 < 3.5) removes a from the plan" '! grep -q "^KEN,a," "$tmp/m/out/allocations.csv"'
check "and the report says so" 'grep -q "^| a | P | 4 | 20 | 1.6 |" "$tmp/m/out/report.md"'

# 3. feedback_requests.csv lists exactly the planned pairs (the example, and
#    a run without the csv format: the file is written on every run).
cp -r inputs/example "$tmp/ex"
"$CAPMATCH" run "$tmp/ex/scenario.yaml" --quiet 2>/dev/null; rc=$?
check "example runs" '[ $rc = 0 ]'
same_pairs() {
    /usr/bin/python3 - "$1" "$2" <<'P'
import csv, sys
alloc = {(r["country"], r["course"]): r["seats"] for r in csv.DictReader(open(sys.argv[1], newline=""))}
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
fb = {(r["country"], r["course"]): r["seats"] for r in rows}
assert list(rows[0].keys()) == ["country", "course", "seats", "start_date", "end_date"], rows[0].keys()
assert len(rows) == len(fb) == len(alloc) > 0, (len(rows), len(fb), len(alloc))
assert fb == alloc, set(fb.items()) ^ set(alloc.items())
assert [(r["country"], r["course"]) for r in rows] == sorted(fb)
P
}
check "example: feedback_requests.csv = allocations.csv pairs" 'same_pairs "$tmp/ex/out/allocations.csv" "$tmp/ex/out/feedback_requests.csv"'
check "course dates in feedback_requests.csv" 'grep -q "^KEN,.*,20[0-9][0-9]-[01][0-9]-[0-3][0-9],20" "$tmp/ex/out/feedback_requests.csv"'
# the count the Course quality section prints, against the ratings rows of
# the example's catalogue read with the sqlite3 program (distinct courses)
nrated=$(sqlite3 "$tmp/ex/catalogue.db" "SELECT count(DISTINCT course) FROM ratings")
ncourses=$(sqlite3 "$tmp/ex/catalogue.db" "SELECT count(*) FROM courses")
check "the report counts the rated courses ($nrated of $ncourses)" \
    '[ "$nrated" -gt 0 ] && grep -q "$nrated of $ncourses courses received ratings" "$tmp/ex/out/report.md"'
check "the example's rated courses are in the reports" \
    'grep -q "^| pif-cyberdip | Pacific Islands Forum Secretariat | none | 9 | 4.319255 |" "$tmp/ex/out/report.md" && grep -q "Course quality" "$tmp/ex/out/report.html"'
sed -i 's/^  formats: .*/  formats: [json]/' "$tmp/ex/scenario.yaml"
"$CAPMATCH" run "$tmp/ex/scenario.yaml" -o "$tmp/ex/json" --quiet 2>/dev/null; rc=$?
check "json-only run writes feedback_requests.csv too" '[ $rc = 0 ] && [ -s "$tmp/ex/json/feedback_requests.csv" ] && [ ! -e "$tmp/ex/json/allocations.csv" ]'
check "and it equals the full run's" 'cmp -s "$tmp/ex/json/feedback_requests.csv" "$tmp/ex/out/feedback_requests.csv"'

# 3b. A sweep variant that removes a rated course takes its ratings along.
printf 'base: scenario.yaml\nvariants:\n  - name: no-diplo\n    remove: {courses: [diplo-cyberdip-en]}\n' > "$tmp/ex/sw.yaml"
"$CAPMATCH" sweep "$tmp/ex/sw.yaml" -o "$tmp/ex/sweep" >/dev/null 2>"$tmp/ex/sw.err"; rc=$?
check "sweep removing a rated course: exit 0" '[ $rc = 0 ]' || head -n 3 "$tmp/ex/sw.err"
check "and that variant has no rated diplo course" '[ -s "$tmp/ex/sweep/variants/no-diplo/feedback_requests.csv" ] && ! grep -q diplo-cyberdip-en "$tmp/ex/sweep/variants/no-diplo/feedback_requests.csv" && grep -q diplo-cyberdip-en "$tmp/ex/sweep/variants/baseline/feedback_requests.csv"'

# 4. Bad ratings: every one positioned, exit 65, outputs untouched.
mkdir "$tmp/e"
cp "$tmp/q/scenario.yaml" "$tmp/e/scenario.yaml"
cat >> "$tmp/e/scenario.yaml" <<'Y'
  - {course: a, score: 6, responses: 0, collected: 2026-13-01}
  - {course: a, score: 0.5, responses: 2.5, collected: 2026-01-01}
  - {course: c, score: 3}
Y
"$CAPMATCH" run "$tmp/e/scenario.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "bad values: exit 65" '[ $rc = 65 ]'
check "score out of range" 'grep -qF "scenario.yaml:18:24: error: score must be a number from 1 to 5, got '"'6'"'" "$tmp/e/err"'
check "responses < 1" 'grep -qF "scenario.yaml:18:38: error: responses must be an integer ≥ 1, got '"'0'"'" "$tmp/e/err"'
check "bad date" 'grep -qF "scenario.yaml:18:52: error: collected must be a real date YYYY-MM-DD" "$tmp/e/err"'
check "score below 1" 'grep -qF "scenario.yaml:19:24: error: score must be a number from 1 to 5" "$tmp/e/err"'
check "fractional responses" 'grep -qF "scenario.yaml:19:40: error: responses must be an integer ≥ 1" "$tmp/e/err"'
check "missing fields" 'grep -qF "scenario.yaml:20:5: error: rating '"'c'"' is missing required field '"'responses'"'" "$tmp/e/err"'
check "no outputs" '[ ! -e "$tmp/e/out" ]'
sed 's/rating_weight: 5}/rating_weight: 0}/; s/^policy: {/policy: {rating_weight: 0, /' "$tmp/q/scenario.yaml" > "$tmp/e/w.yaml"
"$CAPMATCH" run "$tmp/e/w.yaml" --quiet 2>"$tmp/e/err1"; rc=$?
check "rating_weight 0: exit 65, positioned" '[ $rc = 65 ] && grep -qF "w.yaml:2:25: error: policy.rating_weight must be a number > 0, got '"'0'"'" "$tmp/e/err1"'
cp "$tmp/q/scenario.yaml" "$tmp/e/unknown.yaml"
printf '  - {course: cc, score: 3, responses: 1, collected: 2026-01-01}\n  - {course: zz-unknown, score: 3, responses: 1, collected: 2026-01-01}\n' >> "$tmp/e/unknown.yaml"
"$CAPMATCH" run "$tmp/e/unknown.yaml" --quiet 2>"$tmp/e/err2"; rc=$?
check "unknown course: exit 65" '[ $rc = 65 ]'
check "unknown course with suggestion" 'grep -qF "unknown.yaml:18:5: error: rating refers to unknown course '"'cc'"' (did you mean '"'c'"'?)" "$tmp/e/err2"'
check "every unknown course reported" 'grep -qF "unknown.yaml:19:5: error: rating refers to unknown course '"'zz-unknown'"'" "$tmp/e/err2"'

# 5. SQLite: the ratings table, positioned by table and row; a database
#    without the table still loads.
sqlite3 "$tmp/e/r.db" < inputs/schema.sql
sqlite3 "$tmp/e/r.db" "INSERT INTO ratings VALUES('a', 5.5, 1, '2026-01-01'); INSERT INTO ratings VALUES('b', 4, 3, '2026/01/01');"
sed -e '/^ratings:/,$d' "$tmp/q/scenario.yaml" | sed 's/^currency: USD/currency: USD\ninclude: [r.db]/' > "$tmp/e/sq.yaml"
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet 2>"$tmp/e/err3"; rc=$?
check "SQLite bad ratings: exit 65" '[ $rc = 65 ]'
check "SQLite score positioned" 'grep -qF "r.db: table ratings, row a,2026-01-01: error: score must be a number from 1 to 5" "$tmp/e/err3"'
check "SQLite date positioned" 'grep -qF "r.db: table ratings, row b,2026/01/01: error: collected must be a real date" "$tmp/e/err3"'
sqlite3 "$tmp/e/r.db" "DELETE FROM ratings; INSERT INTO ratings VALUES('a', 1, 20, '2026-06-30');"
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet 2>/dev/null; rc=$?
check "SQLite ratings used" '[ $rc = 0 ] && grep -q "^| a | P | 4 | 20 | 1.6 |" "$tmp/e/out/report.md"'
sqlite3 "$tmp/e/r.db" "DROP TABLE ratings;"
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet --fresh 2>/dev/null; rc=$?
check "a database without the ratings table loads" '[ $rc = 0 ] && grep -q "^| a | P | 4 | 0 | 4 |" "$tmp/e/out/report.md"'
finish
