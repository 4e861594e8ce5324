#!/bin/sh
# Topic names (docs/formats.md, "Topic names"): needs, courses and donors'
# topic lists may use a topic's aliases or a name from the scenario's
# topic_map file; the outputs always print the canonical id, so a scenario
# written with aliases gives byte-identical outputs to the same scenario
# written with ids. Conflicting aliases and unknown names are positioned
# errors with a suggestion.
set -u
. tests/lib.sh
CAPMATCH=${CAPMATCH:-build/capmatch}
case $CAPMATCH in /*) ;; *) CAPMATCH=$PWD/$CAPMATCH ;; esac
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT; [ -n "${KEEP:-}" ] && echo "$tmp"

# 1. The example written twice: with canonical ids only, and with aliases
#    and topic_map names in needs (YAML), donors (YAML) and course topics
#    (SQLite). Entity positions stay the same, so warnings match too.
cp -r inputs/example "$tmp/canon"
sed -i 's/topic: un-oewg, /topic: oewg-gge,/' "$tmp/canon/needs.yaml"
sed -i 's/un-norms, un-oewg, cbms/un-norms, oewg-gge, cbms/' "$tmp/canon/donors.yaml"
cp -r "$tmp/canon" "$tmp/alias"
printf 'topic_map: topic_map.yaml\n' >> "$tmp/alias/scenario.yaml"
printf '# names another portal uses\nCSIRT cooperation: incident-response\n"Intl. law": international-law\n' \
    > "$tmp/alias/topic_map.yaml"
sed -i -e 's/topic: cybercrime, /topic: e-evidence,/' -e 's/topic: incident-response, /topic: CSIRT cooperation,/' \
    -e 's/topic: oewg-gge,/topic: OEWG\/GGE,/' "$tmp/alias/needs.yaml"
sed -i -e 's/\[cybercrime\]/[e-evidence]/' -e 's/incident-response, critical/CSIRT cooperation, critical/' \
    "$tmp/alias/donors.yaml"
sqlite3 "$tmp/alias/catalogue.db" "UPDATE course_topics SET topic = 'Intl. law' WHERE topic = 'international-law';
    UPDATE course_topics SET topic = 'e-evidence' WHERE topic = 'cybercrime';"
check "the alias copy uses aliases in needs" '[ "$(grep -c "topic: e-evidence\|topic: CSIRT\|topic: OEWG/GGE" "$tmp/alias/needs.yaml")" -gt 10 ]'
check "and in donors" 'grep -q "\[e-evidence\]" "$tmp/alias/donors.yaml" && grep -q "CSIRT cooperation, critical" "$tmp/alias/donors.yaml"'
check "and in course topics" '[ "$(sqlite3 "$tmp/alias/catalogue.db" "SELECT count(*) FROM course_topics WHERE topic IN ('"'Intl. law'"', '"'e-evidence'"')")" -gt 5 ]'
for v in canon alias; do
    # run from inside the folder: the warnings name files by relative path
    (cd "$tmp/$v" && "$CAPMATCH" run scenario.yaml --quiet 2>"$tmp/$v.err"); rc=$?
    check "$v runs" '[ $rc = 0 ]'
done
for f in allocations.csv funding.csv coverage.csv feedback_requests.csv; do
    check "$f byte-identical" 'cmp -s "$tmp/canon/out/$f" "$tmp/alias/out/$f"'
done
strip() { grep -v '"solve_seconds"\|"input_digest"' "$1" | sed 's/"seconds": [0-9.e+-]*, //'; }
strip "$tmp/canon/out/summary.json" > "$tmp/canon.json"
strip "$tmp/alias/out/summary.json" > "$tmp/alias.json"
check "summary.json identical except timings and input digest" 'cmp -s "$tmp/canon.json" "$tmp/alias.json"'
check "the compared summary holds the plan and the warnings" 'grep -q "\"score\": " "$tmp/alias.json" && grep -q "^    \"catalogue.db: table courses" "$tmp/alias.json"'
check "outputs print canonical ids only" '! grep -q "e-evidence\|CSIRT cooperation\|Intl. law\|OEWG/GGE" "$tmp/alias/out/coverage.csv"'
check "coverage.csv names the canonical id" 'grep -q ",incident-response," "$tmp/alias/out/coverage.csv"'

# 2. Conflicts and unknown names: positioned, every one, exit 65.
mkdir "$tmp/e"
cat > "$tmp/e/scenario.yaml" <<'Y'
currency: USD
topic_map: map.yaml
topics:
  - {id: cybercrime, aliases: [cyber-crime, shared]}
  - {id: norms, aliases: [shared, cybercrime]}
countries: [{code: KEN, name: Kenya, languages: [en]}]
needs:
  - {country: KEN, topic: cyber-crme, seats: 1}
  - {country: KEN, topic: Normz, seats: 1}
courses:
  - {id: k, topics: [cybercrime], language: en, format: online, cost_per_seat: 0}
Y
printf 'Crime: cybercrim\ncyber-crime: norms\n' > "$tmp/e/map.yaml"
"$CAPMATCH" run "$tmp/e/scenario.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "conflicts: exit 65" '[ $rc = 65 ]'
has() { grep -qF "$1" "$tmp/e/err" || { echo "missing: $1"; return 1; }; }
check "alias claimed by two topics names both" \
    'has "scenario.yaml:5:5: error: alias '"'shared'"' is claimed by topic '"'cybercrime'"' and by topic '"'norms'"' (first at "'
check "alias equal to another topic id names both" \
    'has "scenario.yaml:5:5: error: alias '"'cybercrime'"' of topic '"'norms'"' is the id of topic '"'cybercrime'"' (defined at "'
check "topic_map: unknown topic, positioned in the map, with suggestion" \
    'has "map.yaml:1:1: error: topic_map maps '"'Crime'"' to unknown topic '"'cybercrim'"' (did you mean '"'cybercrime'"'?)"'
check "topic_map: a name another topic claims" \
    'has "map.yaml:2:1: error: alias '"'cyber-crime'"' is claimed by topic '"'cybercrime'"' and by topic '"'norms'"'"'
check "unknown topic in a need: did you mean" \
    'has "scenario.yaml:8:5: error: need refers to unknown topic '"'cyber-crme'"' (did you mean '"'cybercrime'"'?)"'
check "unknown topic close to an alias" \
    'has "scenario.yaml:9:5: error: need refers to unknown topic '"'Normz'"' (did you mean '"'norms'"'?)"'
check "no outputs" '[ ! -e "$tmp/e/out" ]'
printf -- '- a list\n' > "$tmp/e/map.yaml"
"$CAPMATCH" run "$tmp/e/scenario.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "a topic_map that is not a mapping: exit 65, positioned" '[ $rc = 65 ] && has "map.yaml:1:1: error: "'
rm "$tmp/e/map.yaml"
"$CAPMATCH" run "$tmp/e/scenario.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "a missing topic_map: exit 66 at the setting" '[ $rc = 66 ] && has "scenario.yaml:2:12: error: cannot open "'

# 3. SQLite: topic_aliases fills a topic's aliases; rows naming no topic of
#    the database and conflicts are positioned by table and row.
sqlite3 "$tmp/e/t.db" < inputs/schema.sql
sqlite3 "$tmp/e/t.db" "INSERT INTO topics(id, name) VALUES('cybercrime', NULL), ('norms', NULL);
    INSERT INTO topic_aliases VALUES('cybercrime', 'e-evidence'), ('norms', 'UN norms'), ('nope', 'x');"
cat > "$tmp/e/sq.yaml" <<'Y'
currency: USD
include: [t.db]
countries: [{code: KEN, name: Kenya, languages: [en]}]
needs: [{country: KEN, topic: UN norms, seats: 2}, {country: KEN, topic: e-evidence, seats: 1}]
courses: [{id: k, topics: [e-evidence, norms], language: en, format: online, cost_per_seat: 0}]
Y
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "SQLite: an alias row naming no topic: exit 65" '[ $rc = 65 ] && has "t.db: table topic_aliases, row nope,x: error: no topic '"'nope'"' in this database"'
sqlite3 "$tmp/e/t.db" "DELETE FROM topic_aliases WHERE topic = 'nope'; INSERT INTO topic_aliases VALUES('norms', 'e-evidence');"
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "SQLite: an alias of two topics names both" '[ $rc = 65 ] && has "t.db: table topics, row norms: error: alias '"'e-evidence'"' is claimed by topic '"'cybercrime'"' and by topic '"'norms'"'"'
sqlite3 "$tmp/e/t.db" "DELETE FROM topic_aliases WHERE topic = 'norms' AND alias = 'e-evidence';"
"$CAPMATCH" run "$tmp/e/sq.yaml" --quiet 2>"$tmp/e/err"; rc=$?
check "SQLite aliases resolve to ids" '[ $rc = 0 ] && [ "$(tail -n +2 "$tmp/e/out/coverage.csv" | cut -d, -f2 | tr -d "\r" | tr "\n" " ")" = "cybercrime norms " ]'
finish
