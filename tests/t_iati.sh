#!/bin/sh
# The iati format (docs/formats.md, iati-activities.xml): the example's file
# validates against the IATI 2.03 schema kept in tests/iati (and a copy
# without an iati-identifier does not, so the check can fail); every code in
# it is an active entry of its codelist; each activity's value is the
# donor's funding.csv amounts converted back to its currency; the reporting
# organisation is required (exit 65, positioned); XKX is published as XK and
# other user-assigned codes only in the description; dac_sector is checked
# and read from YAML and SQLite.
# Run from the repository root with $CAPMATCH set (tests/run.sh does both).
set -u
. tests/lib.sh
CAPMATCH=${CAPMATCH:-build/capmatch}
SCHEMA=tests/iati/iati-activities-schema.xsd
CL=tests/iati/codelists
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
valid() { xmllint --nonet --noout --schema "$SCHEMA" "$1" 2>"$tmp/xmllint.err"; }

# 1. The example scenario, into a folder of its own.
cp -r inputs/example "$tmp/ex"
sed -i "s#^  dir: out#  dir: $tmp/ex-out#" "$tmp/ex/scenario.yaml"
"$CAPMATCH" run "$tmp/ex/scenario.yaml" --quiet 2>"$tmp/ex.err"
check "example run (exit $?): $(grep error "$tmp/ex.err" | head -n 2)" '[ -f "$tmp/ex-out/iati-activities.xml" ]'
x=$tmp/ex-out/iati-activities.xml
if valid "$x"; then ok; else bad "example iati-activities.xml does not validate: $(head -n 3 "$tmp/xmllint.err")"; fi
out=$(/usr/bin/python3 tests/iati_check.py codes "$x" "$CL") && ok || bad "example codes: $out"
out=$(/usr/bin/python3 tests/iati_check.py amounts "$x" "$tmp/ex-out" "$tmp/ex/scenario.yaml" "$tmp/ex/donors.yaml") \
    && ok || bad "example amounts: $out"
check "example: one activity per funded donor and course" \
    '[ "$(grep -c "<iati-activity " "$x")" = "$(tail -n +2 "$tmp/ex-out/funding.csv" | cut -d, -f1,3 | sort -u | wc -l)" ]'
check "example: a topic's dac_sector is used" 'grep -q "code=\"15130\"" "$x"'

# The checks can fail: without an identifier the schema refuses the file,
# a wrong amount or an unknown country code is caught.
sed '0,/<iati-identifier>/{/<iati-identifier>/d}' "$x" > "$tmp/noid.xml"
valid "$tmp/noid.xml"; rc=$?
check "a file without iati-identifier fails validation (xmllint exit $rc)" \
    '[ $rc = 3 ] && grep -q "iati-identifier" "$tmp/xmllint.err"'
sed '0,/<recipient-country code="[A-Z]*"/s//<recipient-country code="KEN"/' "$x" > "$tmp/badcode.xml"
check "an alpha-3 country code is caught by the codelist check" \
    '! /usr/bin/python3 tests/iati_check.py codes "$tmp/badcode.xml" "$CL" >/dev/null'
sed '0,/">[0-9]*\.[0-9]*<\/value>/s//">1.00<\/value>/' "$x" > "$tmp/badamt.xml"
check "a wrong amount is caught by the amounts check" \
    '! /usr/bin/python3 tests/iati_check.py amounts "$tmp/badamt.xml" "$tmp/ex-out" "$tmp/ex/scenario.yaml" "$tmp/ex/donors.yaml" >/dev/null'

# 2. A small scenario: Kosovo (XKX), a user-assigned code without an IATI
#    country (XAB), an id with characters identifiers must not hold, a
#    course without dates (the period's), one without a provider, topics in
#    an SQLite database with a dac_sector column.
mkdir "$tmp/s"
cat > "$tmp/s/scenario.yaml" <<'EOF'
name: iati edge cases
currency: USD
period: {start: 2027-01-01, end: 2027-06-30}
include: [topics.db]
output:
  dir: out
  formats: [csv, iati]
  iati:
    reporting_org: {ref: XM-TEST-7, name: "Test & Co <publisher>", type: 40}
countries:
  - {code: KEN, name: Kenya, languages: [en]}
  - {code: XKX, name: Kosovo, languages: [en]}
  - {code: XAB, name: Atlantis, languages: [en]}
needs:
  - {country: KEN, topic: t1, seats: 2}
  - {country: XKX, topic: t1, seats: 1}
  - {country: XAB, topic: t1, seats: 1}
  - {country: XAB, topic: t2, seats: 3}
donors:
  - {id: "fund/a b", name: Fund A, budget: 100000, currency: EUR}
courses:
  - {id: c1, provider: Prov, title: "A & B <intro>", topics: [t1, t2, t3], language: en,
     format: online, cost_per_seat: 100, start_date: 2027-02-01, end_date: 2027-03-01}
  - {id: c2, topics: [t2], language: en, format: online, cost_per_seat: 50}
rates: [{currency: EUR, rate: 1.25}]
EOF
sqlite3 "$tmp/s/topics.db" < inputs/schema.sql
sqlite3 "$tmp/s/topics.db" "INSERT INTO topics(id, name, dac_sector) VALUES
  ('t1', 'One', '15210'), ('t2', 'Two', NULL), ('t3', 'Three', 15130);"
"$CAPMATCH" run "$tmp/s/scenario.yaml" --quiet 2>"$tmp/s.err"; rc=$?
check "edge scenario runs (exit $rc): $(head -n 2 "$tmp/s.err")" '[ $rc = 0 ]'
x=$tmp/s/out/iati-activities.xml
if valid "$x"; then ok; else bad "edge iati-activities.xml does not validate: $(head -n 3 "$tmp/xmllint.err")"; fi
out=$(/usr/bin/python3 tests/iati_check.py codes "$x" "$CL") && ok || bad "edge codes: $out"
out=$(/usr/bin/python3 tests/iati_check.py amounts "$x" "$tmp/s/out" "$tmp/s/scenario.yaml") && ok || bad "edge amounts: $out"
/usr/bin/python3 tests/iati_check.py show "$x" > "$tmp/show"
c1=$(grep '^XM-TEST-7-fund_2Fa_20b\.c1 ' "$tmp/show")
c2=$(grep '^XM-TEST-7-fund_2Fa_20b\.c2 ' "$tmp/show")
check "identifier built from ref, donor and course with valid characters: $(cut -d' ' -f1 "$tmp/show")" \
    '[ -n "$c1" ] && [ -n "$c2" ]'
check "XKX is published as XK; KEN as KE; shares of 3 seats: $c1" \
    'echo "$c1" | grep -q " KE=66.67,XK=33.33 - "'
check "XAB is named in the description, not a recipient: $c1" \
    'echo "$c1" | grep -q "IATI has no country code for them): Atlantis (XAB)"'
check "only XAB: recipient region 998 at 100 %: $c2" 'echo "$c2" | grep -q "^[^ ]* - 998=100 "'
check "sectors from SQLite dac_sector (text and integer) and the default, a third each: $c1" \
    'echo "$c1" | grep -q " 15130=33.34,15210=33.33,22040=33.33 EUR "'
check "no provider: funding organisation only: $c2" 'echo "$c2" | grep -q " EUR [0-9.]* 1 |"'
check "course without dates: the period's" \
    'grep -q "<activity-date type=\"3\" iso-date=\"2027-06-30\"/>" "$x"'
check "markup in names is escaped" 'grep -q "Test &amp; Co &lt;publisher&gt;" "$x"'
"$CAPMATCH" run "$tmp/s/scenario.yaml" -o "$tmp/s/again" --quiet --fresh 2>/dev/null
check "the same inputs give the same bytes" 'cmp -s "$x" "$tmp/s/again/iati-activities.xml"'

# An empty plan: the file lists no activity (IATI needs one) and says so.
mkdir "$tmp/z"
cp "$tmp/s/topics.db" "$tmp/z/"
sed 's/budget: 100000/budget: 0/' "$tmp/s/scenario.yaml" > "$tmp/z/scenario.yaml"
"$CAPMATCH" run "$tmp/z/scenario.yaml" --quiet 2>"$tmp/z.err"; rc=$?
check "empty plan: exit 0, no activity, a warning (exit $rc)" \
    '[ $rc = 0 ] && ! grep -q "<iati-activity " "$tmp/z/out/iati-activities.xml" && grep -q "warning: iati-activities.xml lists no activity" "$tmp/z.err"'

# 3. What validation refuses (exit 65, positioned).
refuse() { # name, expected message part, expected position
    "$CAPMATCH" validate "$tmp/r/scenario.yaml" >/dev/null 2>"$tmp/r.err"; rc=$?
    if [ $rc = 65 ] && grep -q "^capmatch: $3: error: .*$2" "$tmp/r.err"; then ok; else
        bad "$1: exit $rc, wanted 65 and '$3: error: …$2': $(head -n 3 "$tmp/r.err")"; fi
}
mkdir "$tmp/r"
cp "$tmp/s/topics.db" "$tmp/r/"
sed '/^  iati:/,/reporting_org/d' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "iati without reporting_org" "output format iati needs output.iati.reporting_org" \
    "$tmp/r/scenario.yaml:7:18"
sed 's/type: 40}/type: 41}/' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "unknown organisation type" "reporting_org.type must be an IATI OrganisationType code" \
    "$tmp/r/scenario.yaml:9:74"
sed 's/ref: XM-TEST-7/ref: "XM TEST\/7"/' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "identifier characters in ref" "reporting_org.ref must be an IATI organisation identifier" \
    "$tmp/r/scenario.yaml:9:26"
sed 's/reporting_org: {ref: XM-TEST-7, /reporting_org: {/' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "reporting_org without ref" "output.iati.reporting_org needs ref" "$tmp/r/scenario.yaml:9:5"
sed '/^period:/d' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "a course without dates and no period" "course 'c2' has no start_date and the scenario has no period" \
    "$tmp/r/scenario.yaml:23:5"
sqlite3 "$tmp/r/topics.db" "UPDATE topics SET dac_sector = '23010' WHERE id = 't1'"
cp "$tmp/s/scenario.yaml" "$tmp/r/scenario.yaml"
refuse "a withdrawn DAC code" "dac_sector must be an active 5-digit DAC sector code" \
    "$tmp/r/topics.db: table topics, row t1"
sqlite3 "$tmp/r/topics.db" "UPDATE topics SET dac_sector = '15210' WHERE id = 't1'"
printf 'topics:\n  - {id: t9, dac_sector: 1521}\n' > "$tmp/r/more.yaml"
sed 's/^include: \[topics.db\]/include: [topics.db, more.yaml]/' "$tmp/s/scenario.yaml" > "$tmp/r/scenario.yaml"
refuse "a 4-digit DAC code in YAML" "dac_sector must be an active 5-digit DAC sector code" \
    "$tmp/r/more.yaml:2:26"

finish
