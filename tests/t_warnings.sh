#!/bin/sh
# "Silent waste" warnings (docs/warnings.md), one small scenario per kind:
# validate prints exactly the expected lines (position + message) and still
# exits 0; --strict prints them as errors, exits 65 and writes nothing; run
# lists them in summary.json's "warnings" and at the top of report.md and
# report.html; a scenario without the problem does not warn.
set -u
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The base scenario is warning-free; each case changes a line or two. Every
# entity sits on a line of its own, so positions are fixed: donors d1-d3 on
# lines 19-21 (column 5), courses c1-c3 on 23-25, commitments on line 26.
T3=''; N4=''
D1='{id: d1, budget: 400, regions: [Africa]}'
D2='{id: d2, budget: 300}'
D3='{id: d3, budget: 300}'
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100}'
C2='{id: c2, provider: DiploFoundation, topics: [norms], language: en, format: in_person, cost_per_seat: 100, regions: [Pacific]}'
C3=''; COMMIT=''; INCLUDE=''
mk() {
    mkdir -p "$1"
    cat > "$1/scenario.yaml" <<EOF
name: warnings test
currency: USD
solver: {time_limit: 20}
output: {formats: [csv, json, markdown, html]}
topics:
  - {id: law, name: Law}
  - {id: norms, name: Norms}
$T3
countries:
  - {code: KEN, name: Kenya, region: Africa, income_group: LMIC, languages: [en]}
  - {code: GHA, name: Ghana, region: Africa, income_group: LMIC, languages: [en]}
  - {code: FJI, name: Fiji, region: Pacific, income_group: UMIC, languages: [en]}
needs:
  - {country: KEN, topic: law, seats: 4}
  - {country: GHA, topic: law, seats: 4}
  - {country: FJI, topic: norms, seats: 4}
  $N4
donors:
  - $D1
  - $D2
  - $D3
courses:
  - $C1
  - $C2
  $C3
$COMMIT
$INCLUDE
EOF
    [ -z "$INCLUDE" ] || cp "$tmp/extra.db" "$1/"
}

# The kept text of a warning line: without "capmatch: " and "warning: ".
kept() { sed -e 's/^capmatch: //' -e 's/: warning: /: /' "$1"; }

# case NAME: the variables above describe the scenario, $tmp/NAME.want holds
# the expected stderr of validate (empty: no warning expected).
case_() {
    name=$1; dir="$tmp/$name"
    mk "$dir"
    (cd "$dir" && "$CAPMATCH" validate scenario.yaml >vout 2>err); rc=$?
    check "$name: validate exits 0 (got $rc)" '[ $rc = 0 ]'
    if cmp -s "$tmp/$name.want" "$dir/err"; then ok; else
        bad "$name: validate's stderr"; diff "$tmp/$name.want" "$dir/err" | head -10; fi
    nwant=$(grep -c . "$tmp/$name.want")
    if [ "$nwant" = 0 ]; then
        check "$name: validate reports no warning count" '! grep -q "^  warnings " "$dir/vout"'
    else
        check "$name: validate counts $nwant warnings" 'grep -q "^  warnings     $nwant " "$dir/vout"'
    fi

    (cd "$dir" && "$CAPMATCH" validate scenario.yaml --strict >sout 2>serr); rc=$?
    sed 's/: warning: /: error: /' "$tmp/$name.want" > "$dir/serr.want"
    if [ "$nwant" = 0 ]; then
        check "$name: validate --strict exits 0 (got $rc)" '[ $rc = 0 ] && [ ! -s "$dir/serr" ]'
    else
        check "$name: validate --strict exits 65 (got $rc)" '[ $rc = 65 ]'
        check "$name: validate --strict prints nothing on stdout" '[ ! -s "$dir/sout" ]'
        if cmp -s "$dir/serr.want" "$dir/serr"; then ok; else
            bad "$name: validate --strict prints the warnings as errors"; diff "$dir/serr.want" "$dir/serr" | head -10; fi
        (cd "$dir" && "$CAPMATCH" run scenario.yaml -o strict-out --strict --quiet 2>rerr); rc=$?
        check "$name: run --strict exits 65 (got $rc)" '[ $rc = 65 ]'
        check "$name: run --strict writes nothing" '[ ! -e "$dir/strict-out" ]'
        check "$name: run --strict prints the same error lines" 'cmp -s "$dir/serr.want" "$dir/rerr"'
    fi

    (cd "$dir" && "$CAPMATCH" run scenario.yaml -o out --quiet 2>rerr); rc=$?
    check "$name: run exits 0 (got $rc)" '[ $rc = 0 ]'
    check "$name: run prints the warnings" 'cmp -s "$tmp/$name.want" "$dir/rerr"'
    kept "$tmp/$name.want" > "$dir/kept.want"
    python3 - "$dir/out/summary.json" > "$dir/kept.json" <<'EOF' || bad "$name: summary.json unreadable"
import json, sys
w = json.load(open(sys.argv[1]))["warnings"]
assert isinstance(w, list)
for s in w: print(s)
EOF
    if cmp -s "$dir/kept.want" "$dir/kept.json"; then ok; else
        bad "$name: summary.json warnings"; diff "$dir/kept.want" "$dir/kept.json" | head -10; fi
    # report.md: a Warnings list at the top (Markdown-escaped), report.html too
    sed -e 's/[][\\`*_<>|#~&!]/\\&/g' -e 's/^/- /' "$dir/kept.want" > "$dir/md.want"
    grep '^- ' "$dir/out/report.md" | head -n "$nwant" > "$dir/md.got"
    if [ "$nwant" = 0 ]; then
        check "$name: report.md has no Warnings section" '! grep -q "^## Warnings" "$dir/out/report.md"'
        check "$name: report.html has no Warnings section" '! grep -q "id=\"warnings\"" "$dir/out/report.html"'
    else
        check "$name: report.md lists the warnings" 'cmp -s "$dir/md.want" "$dir/md.got"'
        check "$name: Warnings comes before the Overview in report.md" \
            '[ "$(grep -n -e "^## Warnings" -e "^## Overview" "$dir/out/report.md" | head -1 | cut -d: -f2)" = "## Warnings" ]'
        check "$name: report.html shows $nwant warnings" \
            '[ "$(grep -c "^<li class=\"why\">" "$dir/out/report.html")" = "$nwant" ]'
    fi
}
want() { printf '%s\n' "$@" > "$tmp/$name.want"; }
none() { : > "$tmp/$name.want"; }
W='capmatch: scenario.yaml'

# 0. the base scenario: no warning
name=base; none; case_ base

# 1. unknown values in eligibility lists, with a suggestion when close
name=region; D1='{id: d1, budget: 400, regions: [Afirca]}'
want "$W:19:5: warning: donor 'd1' lists region 'Afirca', which no country has (did you mean 'Africa'?)" \
     "$W:19:5: warning: donor 'd1' may pay for no eligible (country, course) pair: none of its budget (400.00 USD) can be spent"
case_ region
D1='{id: d1, budget: 400, regions: [Africa]}'

name=provider; D2='{id: d2, budget: 300, providers: [UNIDRI, Nowhere Institute]}'
want "$W:20:5: warning: donor 'd2' lists provider 'UNIDRI', which no course has (did you mean 'UNIDIR'?)" \
     "$W:20:5: warning: donor 'd2' lists provider 'Nowhere Institute', which no course has" \
     "$W:20:5: warning: donor 'd2' may pay for no eligible (country, course) pair: none of its budget (300.00 USD) can be spent"
case_ provider

# markup in a value is escaped in the reports
name=markup; D2="{id: d2, budget: 300, providers: ['<b>A&B</b>']}"
want "$W:20:5: warning: donor 'd2' lists provider '<b>A&B</b>', which no course has" \
     "$W:20:5: warning: donor 'd2' may pay for no eligible (country, course) pair: none of its budget (300.00 USD) can be spent"
case_ markup
check "markup: report.html escapes it" \
    'grep -qF "provider &#39;&lt;b&gt;A&amp;B&lt;/b&gt;&#39;" "$tmp/markup/out/report.html" && ! grep -q "<b>A" "$tmp/markup/out/report.html"'

name=income; D2='{id: d2, budget: 300, income_groups: [LMIC, HIC]}'
want "$W:20:5: warning: donor 'd2' lists income group 'HIC', which no country has"
case_ income

name=format; D2='{id: d2, budget: 300, formats: [online, blended]}'
want "$W:20:5: warning: donor 'd2' lists format 'blended', which no course has"
case_ format
D2='{id: d2, budget: 300}'

name=course_region
C2='{id: c2, provider: DiploFoundation, topics: [norms], language: en, format: in_person, cost_per_seat: 100, regions: [Pacific, Pacfic, Europe]}'
want "$W:24:5: warning: course 'c2' lists region 'Pacfic', which no country has (did you mean 'Pacific'?)" \
     "$W:24:5: warning: course 'c2' lists region 'Europe', which no country has"
case_ course_region

name=language
C2='{id: c2, provider: DiploFoundation, topics: [norms], language: pt, format: in_person, cost_per_seat: 100, regions: [Pacific]}'
# FJI's need for norms then has no eligible course, which is not itself a warning
want "$W:24:5: warning: course 'c2' is taught in language 'pt', which no country speaks"
case_ language
C2='{id: c2, provider: DiploFoundation, topics: [norms], language: en, format: in_person, cost_per_seat: 100, regions: [Pacific]}'

# 2. a donor with nothing to pay for; a donor that cannot use its whole budget
name=no_pair; D3='{id: d3, budget: 300, countries: [FJI], topics: [law]}'
want "$W:21:5: warning: donor 'd3' may pay for no eligible (country, course) pair: none of its budget (300.00 USD) can be spent"
case_ no_pair
D3='{id: d3, budget: 300}'

# d1 may pay for KEN and GHA in c1: at most 4 + 4 seats at 100
name=unusable; D1='{id: d1, budget: 900, regions: [Africa]}'
want "$W:19:5: warning: donor 'd1': at most 800.00 of its budget of 900.00 USD can be used, even if every eligible pair it may pay for were bought in full (100.00 stays unusable)"
case_ unusable
name=unusable_exact; D1='{id: d1, budget: 800, regions: [Africa]}'; none; case_ unusable_exact
# the share cap: 0.4 of 500 per country, two countries
name=unusable_share; D1='{id: d1, budget: 500, regions: [Africa], max_share_per_country: 0.4}'
want "$W:19:5: warning: donor 'd1': at most 400.00 of its budget of 500.00 USD can be used, even if every eligible pair it may pay for were bought in full (100.00 stays unusable)"
case_ unusable_share
name=share_ok; D1='{id: d1, budget: 500, regions: [Africa], max_share_per_country: 0.5}'; none; case_ share_ok
# the country's time: 100 hours at 30 hours a seat is 3 seats for KEN
name=unusable_time; D1='{id: d1, budget: 800, regions: [Africa]}'
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100, hours: 30}'
sed_ken='{code: KEN, name: Kenya, region: Africa, income_group: LMIC, languages: [en], trainee_hours: 100}'
want "$W:19:5: warning: donor 'd1': at most 700.00 of its budget of 800.00 USD can be used, even if every eligible pair it may pay for were bought in full (100.00 stays unusable)"
mk "$tmp/$name"; sed -i "s/{code: KEN, name: Kenya, region: Africa, income_group: LMIC, languages: \[en\]}/$sed_ken/" "$tmp/$name/scenario.yaml"
(cd "$tmp/$name" && "$CAPMATCH" validate scenario.yaml >vout 2>err); rc=$?
check "unusable_time: validate exits 0 and warns (got $rc)" '[ $rc = 0 ] && cmp -s "$tmp/$name.want" "$tmp/$name/err"'
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100}'
D1='{id: d1, budget: 400, regions: [Africa]}'

# 3. a minimum cohort the eligible countries cannot fill: KEN and GHA may
# send 4 each (a country may send more than it needs to fill a cohort, so
# without such limits any cohort can be filled)
name=min_seats_unlimited
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100, min_seats: 9}'
none; case_ min_seats_unlimited
name=min_seats
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100, min_seats: 9, max_per_country: 4}'
# and d1, which may pay for c1 only, can then spend nothing
want "$W:23:5: warning: course 'c1' runs only with at least 9 seats, but the countries eligible for it could send at most 8 in all: it can never run" \
     "$W:19:5: warning: donor 'd1': at most 0.00 of its budget of 400.00 USD can be used, even if every eligible pair it may pay for were bought in full (400.00 stays unusable)"
case_ min_seats
name=min_seats_ok
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100, min_seats: 8, max_per_country: 4}'
none; case_ min_seats_ok
name=min_seats_cap
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100, min_seats: 8, max_per_country: 3}'
want "$W:23:5: warning: course 'c1' runs only with at least 8 seats, but the countries eligible for it could send at most 6 in all: it can never run" \
     "$W:19:5: warning: donor 'd1': at most 0.00 of its budget of 400.00 USD can be used, even if every eligible pair it may pay for were bought in full (400.00 stays unusable)"
case_ min_seats_cap
C1='{id: c1, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 100}'

# 4. a needed topic that no course covers
name=no_course; T3='  - {id: trade, name: Digital trade}'; N4='- {country: KEN, topic: trade, seats: 2}'
want "$W:8:5: warning: topic 'trade' is needed by 1 country (KEN; 2 seats) but no course covers it: no budget can close this gap (tell course providers)"
case_ no_course
name=topic_unneeded; N4=''; none; case_ topic_unneeded
T3=''

# 5. a budget or a commitment far above the median of its kind
name=budget; D1='{id: d1, budget: 400, regions: [Africa]}'; D2='{id: d2, budget: 1200}'; D3='{id: d3, budget: 100}'
want "$W:20:5: warning: donor 'd2' has a budget of 1200.00 USD, more than 10 times the median donor budget (100.00 USD): is a decimal point missing?"
D1='{id: d1, budget: 100, regions: [Africa]}'
case_ budget
name=budget_ok; D2='{id: d2, budget: 1000}'; none; case_ budget_ok
D1='{id: d1, budget: 400, regions: [Africa]}'; D2='{id: d2, budget: 300}'; D3='{id: d3, budget: 300}'

C3='- {id: c3, provider: UNIDIR, topics: [law], language: en, format: online, cost_per_seat: 0}'
name=commitment
COMMIT='commitments: [{country: KEN, course: c3, seats: 21}, {country: GHA, course: c3, seats: 1}, {country: FJI, course: c2, seats: 2, donor: d2}]'
want "$W:26:15: warning: commitment KEN/c3 has 21 seats, more than 10 times the median commitment (2 seats): is a digit too many?"
case_ commitment
name=commitment_ok
COMMIT='commitments: [{country: KEN, course: c3, seats: 20}, {country: GHA, course: c3, seats: 2}, {country: FJI, course: c2, seats: 2, donor: d2}]'
none; case_ commitment_ok
C3=''; COMMIT=''

# 6. SQLite rows are positioned by table and row; the reader's warning about
# a near-miss table name is listed (and made an error by --strict) too
sqlite3 "$tmp/extra.db" "CREATE TABLE donors(id TEXT PRIMARY KEY, name TEXT, budget REAL NOT NULL, currency TEXT, max_share_per_country REAL);
CREATE TABLE donor_rules(donor TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE countires(code TEXT);
INSERT INTO donors VALUES ('d4', NULL, 300, NULL, NULL);
INSERT INTO donor_rules VALUES ('d4', 'region', 'Pacifc');" || bad "sqlite: make extra.db"
name=sqlite; INCLUDE='include: [extra.db]'
want "capmatch: extra.db: warning: table 'countires' is not read (did you mean 'countries'?)" \
     "capmatch: extra.db: table donors, row d4: warning: donor 'd4' lists region 'Pacifc', which no country has (did you mean 'Pacific'?)" \
     "capmatch: extra.db: table donors, row d4: warning: donor 'd4' may pay for no eligible (country, course) pair: none of its budget (300.00 USD) can be spent"
case_ sqlite
INCLUDE=''

# 7. --strict leaves a previous output set exactly as it was
dir="$tmp/region"
(cd "$dir" && find out -type f ! -name '.*' | LC_ALL=C sort | xargs cksum > "$tmp/before")
(cd "$dir" && "$CAPMATCH" run scenario.yaml -o out --strict --quiet 2>/dev/null); rc=$?
(cd "$dir" && find out -type f ! -name '.*' | LC_ALL=C sort | xargs cksum > "$tmp/after")
check "strict over previous outputs exits 65 (got $rc)" '[ $rc = 65 ]'
check "strict over previous outputs leaves them as they were" 'cmp -s "$tmp/before" "$tmp/after"'

# 8. --strict is an option of run and validate only, and --help names it
"$CAPMATCH" --help > "$tmp/help" 2>&1
check "--help describes --strict" 'grep -q -- "--strict" "$tmp/help"'

finish
