#!/bin/sh
# The repository explains itself: docs/formats.md names (as `name`, in
# backquotes) every input field of the loaders' field tables, every settings
# key, every SQLite input table and column, every CSV output column, every
# summary.json key (top level, per donor, per stage) and every reason code;
# README.md stays a manual (at most 450 lines); and no source, test or doc
# file cites the old external contract or notes instead of docs/.
# The names are taken from the code and from a real run of the example, so a
# field added without documentation fails here.
# FORMATS_MD and README_MD may point elsewhere (to show that a check fails).
# Run from the repository root with $CAPMATCH set (tests/run.sh does both).
set -u
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

FORMATS_MD=${FORMATS_MD:-docs/formats.md}
README_MD=${README_MD:-README.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# documented WHAT NAME...: each NAME must appear as `NAME` in FORMATS_MD.
documented() {
    what=$1; shift
    [ $# -gt 0 ] || { bad "$what: no names extracted (the extraction is broken)"; return; }
    missing=""
    for n in "$@"; do
        grep -qF "\`$n\`" "$FORMATS_MD" 2>/dev/null || missing="$missing $n"
    done
    if [ -z "$missing" ]; then ok; else bad "$what not in $FORMATS_MD:$missing"; fi
}

[ -f "$FORMATS_MD" ] && ok || bad "$FORMATS_MD missing"

# 1. The field table: F(md_kind, name, ...) entries and { "name", T_... } ones.
fields=$( { grep -o 'F(md_[a-z]*, *[a-z_]*' inputs/fields.c | sed 's/.*, *//'
            grep -o '{ *"[a-z_]*", *T_' inputs/fields.c | sed 's/{ *"//; s/".*//'; } | sort -u)
set -- $fields
[ $# -ge 30 ] && ok || bad "only $# input fields extracted from inputs/fields.c"
documented "input fields" $fields
lists=$(sed -n '/in_entity_lists\[IN_E_COUNT\] = {/,/};/p' inputs/fields.c | grep -o '"[a-z_]*"' | tr -d '"')
documented "entity lists" $lists

# 2. Settings keys: the top-level keys and every sub-key table.
settings=$( { sed -n '/in_settings_keys\[\] = {/,/};/p' inputs/settings.c
              grep 'names\[\] = {' inputs/settings.c; } | grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
set -- $settings
[ $# -ge 20 ] && ok || bad "only $# settings keys extracted from inputs/settings.c"
documented "settings keys" $settings

# 3. SQLite input schema: every table and column of the reader's table list,
#    and the values of donor_rules.field.
sql=$(sed -n '/static const tspec tables\[T_COUNT\] = {/,/^};/p' inputs/sqlite_reader.c |
      grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
set -- $sql
[ $# -ge 35 ] && ok || bad "only $# SQLite names extracted from inputs/sqlite_reader.c"
documented "SQLite tables and columns" $sql
# inputs/schema.sql, the one schema users are given, has exactly the reader's
# tables and columns (a database built from it by the real sqlite3, read back)
sqlite3 "$tmp/schema.db" < inputs/schema.sql && ok || bad "sqlite3 cannot load inputs/schema.sql"
have=$(for t in $(sqlite3 "$tmp/schema.db" "SELECT name FROM sqlite_master WHERE type = 'table'"); do
           echo "$t"; sqlite3 "$tmp/schema.db" "SELECT name FROM pragma_table_info('$t')"; done | sort -u)
[ "$have" = "$sql" ] && ok || bad "inputs/schema.sql and the reader's tables differ: $(echo "$have" | tr '\n' ' ') vs $(echo "$sql" | tr '\n' ' ')"
for t in topics countries country_languages needs donors donor_rules courses \
         course_topics course_regions rates commitments; do
    grep -qF "| \`$t\` |" "$FORMATS_MD" && ok || bad "no row for table $t in $FORMATS_MD"
done
rules=$(sed -n '/rule_fields\[\] = {/,/};/p' inputs/sqlite_reader.c | grep -o '"[a-z_]*"' | tr -d '"')
documented "donor_rules field values" $rules

# 4. Outputs of a real run of the example: CSV headers, summary.json keys.
if "$CAPMATCH" run inputs/example/scenario.yaml -o "$tmp/out" --quiet 2> "$tmp/err"; then
    ok
    for f in allocations funding coverage; do
        cols=$(head -n 1 "$tmp/out/$f.csv" | tr -d '\r' | tr ',' ' ')
        set -- $cols
        [ $# -ge 4 ] && ok || bad "$f.csv: header has only $# columns"
        grep -qF "\`$f.csv\`" "$FORMATS_MD" && ok || bad "$f.csv not in $FORMATS_MD"
        documented "$f.csv columns" $cols
    done
    keys=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
keys = set(s)
for d in s["donors"].values(): keys |= set(d)
for st in s["stages"]: keys |= set(st)
print(" ".join(sorted(keys)))' "$tmp/out/summary.json")
    set -- $keys
    [ $# -ge 20 ] && ok || bad "only $# summary.json keys read"
    documented "summary.json keys" $keys
    hist=$(sqlite3 "$tmp/out/results.db" "SELECT name FROM sqlite_master WHERE type IN ('table','view');
        SELECT DISTINCT p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type IN ('table','view');")
    documented "results.db tables, views and columns" $hist
else
    bad "the example run failed: $(head -n 3 "$tmp/err")"
fi
reasons=$(sed -n '/eng_reason_names\[[0-9]*\] = {/,/};/p' engine/plan.c | grep -o '"[a-z_]*"' | tr -d '"')
documented "coverage reason codes" $reasons
documented "status values" optimal time_limit interrupted solver_error

# 5. The README is a manual, not a lab notebook.
n=$(wc -l < "$README_MD")
[ "$n" -le 450 ] && ok || bad "$README_MD has $n lines (at most 450)"
for s in "Quick start" "Concepts" "Running it from cron" "Outputs" "Time and memory" \
         "Troubleshooting" "Where to read more"; do
    grep -q "^## .*$s" "$README_MD" && ok || bad "$README_MD has no section '$s'"
done

# 6. No citation of the external contract or notes (tests/iati/ holds IATI's
#    files unchanged, its README included). The pattern is built from
#    pieces so that this file does not match itself.
pat="SP""EC|\.\./sha""red|sha""red/SP|ENGINEER""ING"
cites=$(grep -rlE "$pat" --include='*.c' --include='*.h' --include='*.sh' --include='*.py' \
            --include='*.mod' --include='*.md' --include='Makefile' \
            inputs models outputs cli engine tests docs Makefile README.md CHANGELOG.md 2>/dev/null |
        grep -v '^tests/golden/' | grep -v '^tests/iati/' | grep -v '^tests/t_docs.sh$')
if [ -z "$cites" ]; then ok; else
    bad "files citing the old contract or notes instead of docs/:" $cites
    grep -nE "$pat" $cites | head -n 40
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
