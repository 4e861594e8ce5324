#!/bin/sh
# run --label TEXT (docs/formats.md, results.db): results.db's runs.label
# keeps it (NULL without one), the reports' header shows it, a bad label
# (empty, over 200 bytes, a control character) is a usage error that writes
# nothing, and a schema 2 history gains the column and keeps its runs.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CAPMATCH=${CAPMATCH:-build/capmatch}
/usr/bin/python3 tests/gen_instance.py --countries 6 --courses 10 --donors 2 --seed 4 \
    --mip-gap 0.0001 --formats all --out "$tmp/in" >/dev/null || bad "generate"
sc=$tmp/in/scenario.yaml
out=$tmp/out
db=$out/results.db

"$CAPMATCH" run "$sc" -o "$out" --quiet --label "FY2027 round 1, draft" 2>/dev/null
check "a run with --label exits 0" '[ $? = 0 ]'
"$CAPMATCH" run "$sc" -o "$out" --quiet --label "Überarbeitung « 2 »" 2>/dev/null
check "a second run with another label exits 0" '[ $? = 0 ]'
"$CAPMATCH" run "$sc" -o "$out" --quiet 2>/dev/null
check "a run without a label exits 0" '[ $? = 0 ]'
check "runs.label holds each run's label, NULL without one" \
    '[ "$(sqlite3 "$db" "SELECT id, coalesce(label, '"'"'<null>'"'"') FROM runs ORDER BY id" | tr "\n" ";")" = \
       "1|FY2027 round 1, draft;2|Überarbeitung « 2 »;3|<null>;" ]'
check "the schema version is 4" '[ "$(sqlite3 "$db" "PRAGMA user_version")" = 4 ]'
check "without a label the report header names none" '! grep -q "Run label" "$out/report.md"'
"$CAPMATCH" run "$sc" -o "$out" --quiet --label "a <b> & *c*" 2>/dev/null
check "report.md's header line shows the label (Markdown escaped)" \
    'sed -n 3p "$out/report.md" | grep -qF "Run label: a \<b\> \& \*c\*."'
check "report.html's header shows it (HTML escaped)" \
    'grep -q "<p class=\"muted\">.*run label: a &lt;b&gt; &amp; \*c\*</p></header>" "$out/report.html"'

# bad labels: exit 64, nothing written, the history unchanged
before=$(cksum < "$db")
long=$(printf 'x%.0s' $(seq 1 201))
for lab in "" "$long" "$(printf 'bell\007')" "$(printf 'tab\there')" "$(printf 'bidi\342\200\256x')"; do
    "$CAPMATCH" run "$sc" -o "$out" --quiet --label "$lab" 2>"$tmp/err"
    rc=$?
    check "a bad label (${#lab} bytes) is exit 64 with a message" \
        '[ $rc = 64 ] && grep -q "^capmatch: error: --label must" "$tmp/err"'
done
check "the history is untouched by the refused runs" '[ "$(cksum < "$db")" = "$before" ]'
"$CAPMATCH" run "$sc" -o "$out" --quiet --label "$(printf 'y%.0s' $(seq 1 200))" 2>/dev/null
check "a label of exactly 200 bytes is kept" \
    '[ "$(sqlite3 "$db" "SELECT length(label) FROM runs ORDER BY id DESC LIMIT 1")" = 200 ]'
"$CAPMATCH" validate "$sc" --label x >/dev/null 2>&1
check "validate has no --label (usage error)" '[ $? = 64 ]'

# a schema 2 history (no label column) is migrated and keeps its runs
sqlite3 "$db" "DROP VIEW rates; DROP VIEW course_topics; DROP VIEW courses; DROP VIEW topics; DROP VIEW donors; DROP VIEW countries; DROP VIEW run_list_values; DROP TABLE run_topics;
  ALTER TABLE runs DROP COLUMN label; PRAGMA user_version = 2;"
"$CAPMATCH" run "$sc" -o "$out" --quiet --label migrated 2>/dev/null
check "a run on a schema 2 history exits 0" '[ $? = 0 ]'
check "it is migrated to 4: old runs keep their rows with a NULL label, the new one has its label" \
    '[ "$(sqlite3 "$db" "PRAGMA user_version; SELECT count(*) FROM runs WHERE label IS NULL; SELECT label FROM runs ORDER BY id DESC LIMIT 1" | tr "\n" " ")" = "4 5 migrated " ]'
finish
