#!/bin/sh
# output format datapackage (docs/formats.md, datapackage.json): a
# Frictionless tabular data package at the top of the output directory.
# Checked by an independent implementation, npm's `datapackage` (pinned in
# tests/frictionless/package-lock.json, installed with `npm ci` under
# $BUILD/frictionless): the descriptor is valid and every CSV reads back
# against its schema (types, constraints, primary and foreign keys); broken
# copies fail. Without npm's registry those checks print SKIP with the reason.
# The dimension CSVs hold every input entity as the inputs give it
# (tests/dims_check.py), the format is written only when asked, and the
# package is replaced with the other outputs or not at all.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CAPMATCH=${CAPMATCH:-build/capmatch}
BUILD=${BUILD:-build}
ex=inputs/example
[ -f "$ex/catalogue.db" ] || { bad "$ex/catalogue.db is missing (run make)"; finish; }
mkdir "$tmp/in"
cp "$ex/scenario.yaml" "$ex/needs.yaml" "$ex/donors.yaml" "$ex/catalogue.db" "$tmp/in/"
sed -i 's/^  formats: .*/  formats: [datapackage]/' "$tmp/in/scenario.yaml"
# names that CSV must quote: a comma, double quotes, a line break
sed -i 's/name: Geneva Fund for International Law and Norms/name: "Geneva Fund for \\"Law\\", Norms\\nand Peace"/' \
    "$tmp/in/donors.yaml"
sed -i 's/{code: KEN, name: Kenya,  /{code: KEN, name: "Kenya, Republic of",/' "$tmp/in/needs.yaml"
out=$tmp/out
files="allocations.csv countries.csv course_topics.csv courses.csv coverage.csv datapackage.json donors.csv equity.csv feedback_requests.csv funding.csv topics.csv"

"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "a run with formats [datapackage] exits 0" '[ $? = 0 ]'
check "it writes datapackage.json and the CSV files it describes, nothing else" \
    '[ "$(cd "$out" && ls | tr "\n" " ")" = "$files " ]'
check "the names to quote are in the inputs" 'grep -q "Kenya, Republic of" "$tmp/in/needs.yaml" &&
    grep -q "Fund for ..Law.., Norms.nand Peace" "$tmp/in/donors.yaml"'
check "the dimension CSVs hold every input entity as the inputs give it" \
    '/usr/bin/python3 tests/dims_check.py csv "$out" "$tmp/in/scenario.yaml" > "$tmp/dims.log" || { cat "$tmp/dims.log"; false; }'
# the descriptor read with Python's json: every file described, headers as
# the fields, every key field a field, every foreign key to a resource
check "datapackage.json lists every CSV with its header as the schema's fields" '/usr/bin/python3 - "$out" <<EOF
import csv, json, os, sys
d = sys.argv[1]
p = json.load(open(os.path.join(d, "datapackage.json"), encoding="utf-8"))
res = {r["name"]: r for r in p["resources"]}
ok = p["profile"] == "tabular-data-package" and sorted(r["path"] for r in p["resources"]) == sorted(
    f for f in os.listdir(d) if f.endswith(".csv"))
for r in p["resources"]:
    names = [f["name"] for f in r["schema"]["fields"]]
    ok = ok and next(csv.reader(open(os.path.join(d, r["path"]), newline="", encoding="utf-8"))) == names
    ok = ok and all(k in names for k in r["schema"]["primaryKey"])
    for fk in r["schema"].get("foreignKeys", []):
        ok = ok and fk["fields"] in names and fk["reference"]["resource"] in res
sys.exit(0 if ok else 1)
EOF'
check "a mistyped format name is refused with a hint" \
    'sed -i "s/^  formats: .*/  formats: [csv, datapackge]/" "$tmp/in/scenario.yaml"
     "$CAPMATCH" validate "$tmp/in/scenario.yaml" >/dev/null 2>"$tmp/err"; rc=$?
     sed -i "s/^  formats: .*/  formats: [datapackage]/" "$tmp/in/scenario.yaml"
     [ $rc = 65 ] && grep -q "did you mean .datapackage.?)" "$tmp/err"'

# not asked: nothing of it is written
cp "$ex/scenario.yaml" "$tmp/in/plain.yaml"
"$CAPMATCH" run "$tmp/in/plain.yaml" -o "$tmp/plain" --quiet 2>/dev/null
check "without datapackage in output.formats no datapackage.json and no dimension CSV" \
    '[ $? = 0 ] && [ -f "$tmp/plain/allocations.csv" ] && for f in datapackage.json donors.csv countries.csv topics.csv courses.csv course_topics.csv; do
        [ ! -e "$tmp/plain/$f" ] || exit 1; done'

# replaced with the other outputs or not at all: a run that cannot rename
# topics.csv (a folder took its place) leaves every file as it was
(cd "$out" && cksum $files | grep -v " topics.csv$") > "$tmp/before"
rm "$out/topics.csv" && mkdir "$out/topics.csv"
sed -i 's/budget: 120000/budget: 90000/' "$tmp/in/donors.yaml"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>"$tmp/err"
rc=$?
check "a run whose topics.csv cannot be replaced fails (73 or 74), saying so" \
    '{ [ $rc = 73 ] || [ $rc = 74 ]; } && grep -q "topics.csv" "$tmp/err"'
check "and leaves datapackage.json and every other file byte for byte" \
    '[ "$(grep -c . "$tmp/before")" = 10 ] && [ "$(cd "$out" && cksum $files | grep -v " topics.csv$")" = "$(cat "$tmp/before")" ] &&
     [ -z "$(ls -A "$out" | grep "\.tmp")" ]'
rmdir "$out/topics.csv"
sed -i 's/budget: 90000/budget: 120000/' "$tmp/in/donors.yaml"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "the next run writes it again" '[ $? = 0 ] && [ -f "$out/topics.csv" ]'

# the independent validator
fl=$BUILD/frictionless
mkdir -p "$fl"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: the Frictionless checks (node or npm is not installed)"
else
    if ! cmp -s tests/frictionless/package-lock.json "$fl/package-lock.json" || [ ! -d "$fl/node_modules/datapackage" ]; then
        cp tests/frictionless/package.json tests/frictionless/package-lock.json "$fl/"
        rm -rf "$fl/node_modules"
        (cd "$fl" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) > "$tmp/npm.log" 2>&1 ||
            rm -rf "$fl/node_modules" "$fl/package-lock.json"
    fi
    cp tests/frictionless/validate.js "$fl/"
    if [ ! -d "$fl/node_modules/datapackage" ]; then
        echo "SKIP: the Frictionless checks (npm ci failed: $(tail -n 3 "$tmp/npm.log" | tr '\n' ' '))"
    else
        v() { node "$fl/validate.js" "$1/datapackage.json" > "$tmp/v.log" 2>&1; }
        check "the npm datapackage validator finds the descriptor valid and every CSV readable against its schema" \
            'v "$out" && [ "$(grep -c ": ok [0-9]* rows$" "$tmp/v.log")" = 10 ] || { cat "$tmp/v.log"; false; }'
        # broken FILE SED-SCRIPT PATTERN WHAT: a copy of the package with FILE
        # edited (it must change) fails, saying PATTERN
        broken() {
            rm -rf "$tmp/b"; cp -r "$out" "$tmp/b"; sed -i "$2" "$tmp/b/$1"
            if [ -f "$out/$1" ] && ! cmp -s "$out/$1" "$tmp/b/$1" && ! v "$tmp/b" && grep -q "$3" "$tmp/v.log"; then ok
            else bad "it fails $4"; cat "$tmp/v.log"; fi
        }
        broken datapackage.json '0,/"type": "integer"/s//"type": "integr"/' "descriptor" \
            "a descriptor with an unknown field type"
        broken datapackage.json 's/"path": "funding.csv"/"path": "fundings.csv"/' "funding" \
            "a descriptor whose resource path is missing"
        broken datapackage.json 's/"primaryKey": \["donor"\]/"primaryKey": ["id"]/' \
            "donors: key fields that are not fields: id" "a primary key naming no field"
        broken datapackage.json 's/"resource": "topics"/"resource": "topic"/' \
            "coverage: foreign key to no resource" "a foreign key to no resource"
        broken allocations.csv '2s/^\([^,]*,[^,]*\),[0-9]*,/\1,three,/' "allocations: .*three.*integer" \
            "a CSV with a wrong type (seats not an integer)"
        broken courses.csv '2s/,2027-\([0-9][0-9]\)-\([0-9][0-9]\),/,\2.\1.2027,/' "courses: .*date" \
            "a CSV with a date that is not a date"
        broken allocations.csv '2s/^[A-Z]*,/XXX,/' "allocations: Foreign key" "a foreign key to no country"
        broken donors.csv '2p' "donors: .*unique" "a repeated primary key"
        broken countries.csv '1s/,region,/,area,/' "countries: .*header\|countries: .*region" \
            "a CSV whose header is not the schema's"
    fi
fi
finish
