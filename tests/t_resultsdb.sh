#!/bin/sh
# results.db explains itself (docs/formats.md, results.db): the dimension
# views donors, countries, topics, courses, course_topics and rates give each
# run's inputs under the plan tables' column names. tests/dims_check.py reads
# the example's inputs on its own (PyYAML, Python's sqlite3) and queries the
# database with the sqlite3 program: every input entity, used or not, with
# its names, currency and rate exactly as given, and the plan joined to them
# with USING (no row lost). With one run, with two (the second on edited
# inputs: each run keeps its own), with a third on unchanged inputs (it
# stores no inputs and still resolves them), and on a history written by
# the previous schema (3), migrated on the next run.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CAPMATCH=${CAPMATCH:-build/capmatch}
ex=inputs/example
[ -f "$ex/catalogue.db" ] || { bad "$ex/catalogue.db is missing (run make)"; finish; }
mkdir "$tmp/in"
cp "$ex/scenario.yaml" "$ex/needs.yaml" "$ex/donors.yaml" "$ex/catalogue.db" "$tmp/in/"
out=$tmp/out
db=$out/results.db
dims() { /usr/bin/python3 tests/dims_check.py db "$@" > "$tmp/dims.log" 2>&1; }
q() { sqlite3 "$db" "$1" | tr '\n' ' '; }

# one run
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "run 1 exits 0" '[ $? = 0 ]'
check "the schema version is 4" '[ "$(sqlite3 "$db" "PRAGMA user_version")" = 4 ]'
check "run 1: every dimension row as the inputs give it, the plan joined to them" \
    'dims "$db" 1 "$tmp/in/scenario.yaml" || { cat "$tmp/dims.log"; false; }'
check "every view has a row for run 1" \
    '[ "$(q "SELECT (SELECT count(*) FROM donors) > 0, (SELECT count(*) FROM countries) > 0,
        (SELECT count(*) FROM topics) > 0, (SELECT count(*) FROM courses) > 0,
        (SELECT count(*) FROM course_topics) > 0, (SELECT count(*) FROM rates) > 0")" = "1|1|1|1|1|1 " ]'
check "a donor without a currency is in the base currency at rate 1" \
    '[ "$(q "SELECT currency, rate FROM donors WHERE donor = '"'"'open-learning-foundation'"'"'")" = "USD|1.0 " ]'
check "funding converts back to the donor's currency with the rate" \
    '[ "$(q "SELECT count(*) FROM funding f JOIN donors d USING(run_id, donor)
        WHERE d.currency = '"'"'JPY'"'"' AND abs(f.amount / d.rate * 0.0067 - f.amount) < 0.01")" != "0 " ]'

# two runs: the second on edited inputs (a donor renamed, a rate changed, a
# budget halved, a country renamed and moved, a topic nobody uses, a course
# retitled and priced in another currency)
mkdir "$tmp/in2"
cp "$tmp/in/"* "$tmp/in2/"
sed -i 's/name: Geneva Fund for International Law and Norms/name: "Geneva Fund for Law \& Norms «2028»"/;
        s/{currency: CHF, rate: 1.12}/{currency: CHF, rate: 1.1375}/; s/    budget: 120000$/    budget: 60000/' "$tmp/in2/donors.yaml"
sed -i 's/{code: KEN, name: Kenya,         region: Africa,/{code: KEN, name: "Kenya, Republic of", region: East Africa,/' \
    "$tmp/in2/needs.yaml"
sed -i 's/^  - {id: digital-trade, .*/&\n  - {id: space-security,          name: "Outer space, security and «norms»"}/' \
    "$tmp/in2/scenario.yaml"
sqlite3 "$tmp/in2/catalogue.db" "UPDATE courses SET title = 'Budapest Convention: the essentials', currency = 'GBP',
    cost_per_seat = 12.5 WHERE id = 'coe-budapest-online'"
check "the edits took" '! cmp -s "$tmp/in/donors.yaml" "$tmp/in2/donors.yaml" && ! cmp -s "$tmp/in/needs.yaml" "$tmp/in2/needs.yaml" &&
    grep -q space-security "$tmp/in2/scenario.yaml"'
"$CAPMATCH" run "$tmp/in2/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "run 2 exits 0" '[ $? = 0 ]'
check "run 2: its dimensions are the edited inputs" \
    'dims "$db" 2 "$tmp/in2/scenario.yaml" || { cat "$tmp/dims.log"; false; }'
check "run 1: its dimensions are still the original inputs" \
    'dims "$db" 1 "$tmp/in/scenario.yaml" || { cat "$tmp/dims.log"; false; }'
check "the check can fail: run 2 against the original inputs differs" \
    '! dims "$db" 2 "$tmp/in/scenario.yaml" && grep -q "^DIFF: donor geneva-law-norms: name" "$tmp/dims.log" &&
     grep -q "^DIFF: topic: ids \\[.space-security" "$tmp/dims.log" && grep -q "^DIFF: country KEN: region" "$tmp/dims.log"'
check "the topic nobody uses is in run 2's topics, not run 1's" \
    '[ "$(q "SELECT run_id, name FROM topics WHERE topic = '"'"'space-security'"'"'")" = "2|Outer space, security and «norms» " ]'
check "the same course reads with each run's currency and rate" \
    '[ "$(q "SELECT run_id, currency, rate FROM courses WHERE course = '"'"'coe-budapest-online'"'"' ORDER BY run_id")" = "1|USD|1.0 2|GBP|1.27 " ]'
check "input_changes still reports the edits" \
    '[ "$(q "SELECT count(*) FROM input_changes WHERE (entity, key, field) IN
        (VALUES ('"'"'donor'"'"', '"'"'geneva-law-norms'"'"', '"'"'name'"'"'), ('"'"'rate'"'"', '"'"'CHF'"'"', '"'"'rate'"'"'),
                ('"'"'country'"'"', '"'"'KEN'"'"', '"'"'region'"'"'))")" = "3 " ]'

# docs/results-db.md: every table and view is named there, and every query
# there runs on this history of two runs on different inputs and returns rows
check "docs/results-db.md names every table and view of results.db" \
    'missing=""; for n in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type IN ('"'"'table'"'"', '"'"'view'"'"')"); do
        grep -qF "**\`$n\`**" docs/results-db.md || missing="$missing $n"; done
     [ -z "$missing" ] || { echo "not in docs/results-db.md:$missing"; false; }'
check "every example query of docs/results-db.md runs and returns rows" '/usr/bin/python3 - "$db" <<EOF
import re, subprocess, sys
doc = open("docs/results-db.md", encoding="utf-8").read()
qs = re.findall(r"\`\`\`sql\n(.*?)\`\`\`", doc, re.S)
bad = 0
for q in qs:
    r = subprocess.run(["sqlite3", "-bail", sys.argv[1], q], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        bad += 1
        print("query failed or empty:", q.strip().splitlines()[0], r.stderr.strip())
sys.exit(1 if bad or len(qs) < 20 else 0)
EOF'

# a third run on the inputs of the second stores no inputs and reads run 2's
"$CAPMATCH" run "$tmp/in2/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "run 3 exits 0" '[ $? = 0 ]'
check "run 3 keeps no input rows of its own" \
    '[ "$(q "SELECT inputs_run FROM runs WHERE id = 3; SELECT count(*) FROM run_topics WHERE run_id = 3;
        SELECT count(*) FROM run_donors WHERE run_id = 3")" = "2 0 0 " ]'
check "run 3: its dimensions resolve to run 2's inputs" \
    'dims "$db" 3 "$tmp/in2/scenario.yaml" || { cat "$tmp/dims.log"; false; }'
digest=$(sqlite3 "$db" "SELECT input_digest FROM runs WHERE id = 1")

# a history written by the previous version (schema 3): migrated on the next
# run, its run keeps its rows and gets dimensions from the inputs it kept;
# topics were not kept then, so the migration lists the ids its needs and
# lists name, without names, and a later run on the same inputs names them.
# That version stored each course's declared quality (it had no ratings):
# dims_check --declared-quality wherever a run reads those kept inputs.
for case in other same; do
    m=$tmp/m-$case
    mkdir "$m"
    sqlite3 "$m/results.db" < tests/resultsdb/schema3.sql
    if [ $case = same ]; then sqlite3 "$m/results.db" "UPDATE runs SET input_digest = '$digest'"
    else sqlite3 "$m/results.db" "UPDATE runs SET input_digest = 'an earlier version of the inputs'"; fi
    check "the fixture is a schema 3 history with one run ($case)" \
        '[ "$(sqlite3 "$m/results.db" "PRAGMA user_version; SELECT count(*) FROM runs")" = "3
1" ]'
    "$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$m" --quiet 2>/dev/null
    check "a run on the schema 3 history exits 0 ($case)" '[ $? = 0 ]'
    db=$m/results.db
    check "it is migrated to 4 and keeps the old run and its label ($case)" \
        '[ "$(q "PRAGMA user_version; SELECT count(*) FROM runs; SELECT label FROM runs WHERE id = 1")" = "4 2 recorded by schema 3 " ]'
    dq=""; [ $case = same ] && dq=--declared-quality
    check "the new run's dimensions are the inputs ($case)" \
        'dims "$db" 2 "$tmp/in/scenario.yaml" $dq || { cat "$tmp/dims.log"; false; }'
    if [ $case = other ]; then
        check "the old run's dimensions come from the inputs it kept, topic names unknown" \
            'dims "$db" 1 "$tmp/in/scenario.yaml" --topic-names-may-be-null --declared-quality || { cat "$tmp/dims.log"; false; }'
        check "the old run's topics are the ids its needs and lists name, without names" \
            '[ "$(q "SELECT count(*) > 0, count(name) FROM topics WHERE run_id = 1")" = "1|0 " ] &&
             [ "$(q "SELECT count(*) FROM topics WHERE run_id = 1 AND topic NOT IN
                 (SELECT topic FROM run_needs WHERE run_id = 1 UNION SELECT value FROM run_lists WHERE run_id = 1)")" = "0 " ]'
    else
        check "same inputs: the new run reads the old run's inputs, and the topics get their names" \
            '[ "$(q "SELECT inputs_run FROM runs WHERE id = 2")" = "1 " ] &&
             dims "$db" 1 "$tmp/in/scenario.yaml" --declared-quality || { cat "$tmp/dims.log"; false; }'
    fi
done
finish
