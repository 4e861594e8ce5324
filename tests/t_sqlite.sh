#!/bin/sh
# tests/t_sqlite.sh — SQLite inputs end to end: databases written by the real
# sqlite3 CLI, included from a scenario, checked with `capmatch validate`
# (exit code and the positioned message on stderr). Run from the repository
# root with $CAPMATCH set (tests/run.sh does both).
pass=0; fail=0
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; [ -n "${KEEP:-}" ] && echo "kept $T" || rm -rf "$T"' EXIT
chmod 755 "$T" # the permission cases run as nobody

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# the schema every database here starts from: the one users are given
{ cat inputs/schema.sql; cat <<'EOF'
INSERT INTO topics(id, name) VALUES('ir','International law'),('norms',NULL);
INSERT INTO countries VALUES('NER','Niger','Africa','LIC',40,3),('FJI','Fiji','Pacific','UMIC',NULL,NULL);
INSERT INTO country_languages VALUES('NER','fr'),('FJI','en');
INSERT INTO needs VALUES('NER','ir',4,2),('FJI','norms',2,1);
INSERT INTO donors VALUES('eu','European Union',100000,'EUR',0.5),('gfce',NULL,5000,NULL,NULL);
INSERT INTO donor_rules VALUES('eu','region','Africa'),('eu','topic','ir');
INSERT INTO courses VALUES('c1','unitar','Cyber law','fr','online',100,NULL,20,0,5,10,4.5,'2027-02-01','2027-03-01',NULL),
  ('c2',NULL,NULL,'en','in_person',0,'EUR',NULL,0,NULL,0,NULL,NULL,NULL,NULL);
INSERT INTO course_topics VALUES('c1','ir'),('c2','norms');
INSERT INTO course_regions VALUES('c1','Africa');
INSERT INTO rates VALUES('EUR',1.1);
INSERT INTO commitments VALUES('NER','c1',1,'eu');
EOF
} > "$T/base.sql"

# newcase NAME [SQL]: a folder with scenario.yaml including data.db, built
# from base.sql plus SQL (no data.db when SQL is "-").
newcase() {
    mkdir -p "$T/$1"
    printf 'name: %s\ncurrency: USD\ninclude: [data.db]\n' "$1" > "$T/$1/scenario.yaml"
    [ "${2:-}" = "-" ] && return
    { cat "$T/base.sql"; printf '%s\n' "${2:-}"; } | sqlite3 "$T/$1/data.db" >/dev/null \
        || ko "$1: sqlite3 could not build the database"
}

# expect NAME CODE [STDERR-SUBSTRING…] — validate the case as the current
# user (or as $AS, e.g. AS="setpriv …"), check exit code and messages.
expect() {
    name=$1; want=$2; shift 2
    (cd "$T/$name" && ${AS:-} $WRAP "$CAPMATCH" validate scenario.yaml) \
        > "$T/$name.out" 2> "$T/$name.err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else ko "$name: exit $got, want $want"; cat "$T/$name.err"; fi
    for pat in "$@"; do
        if grep -qF -- "$pat" "$T/$name.err"; then ok
        else ko "$name: stderr lacks: $pat"; cat "$T/$name.err"; fi
    done
}

digest() { sha256sum "$1" | cut -d' ' -f1; }

# ---- valid data, and the file is left as it was
newcase valid
before=$(digest "$T/valid/data.db")
expect valid 0
[ "$(digest "$T/valid/data.db")" = "$before" ] && ok || ko "valid: database changed"
[ ! -e "$T/valid/data.db-journal" ] && ok || ko "valid: journal left behind"
# warnings only: budgets beyond what the valid data could ever use
grep -v ': warning: ' "$T/valid.err" | grep -q . && ko "valid: unexpected stderr: $(cat "$T/valid.err")" || ok

# ---- storage classes are checked; the column is named
newcase lots "UPDATE donors SET budget='lots' WHERE id='eu'; UPDATE needs SET seats=2.5 WHERE country='FJI';"
expect lots 65 "data.db: table donors, row eu: error: budget must be a number, got text 'lots'" \
    "data.db: table needs, row FJI,norms: error: seats must be an integer ≥ 1, got '2.5'"

# ---- an unknown column is an error, not ignored
newcase column "ALTER TABLE courses ADD COLUMN prize REAL; ALTER TABLE donors ADD COLUMN budgt REAL;"
expect column 65 "data.db: error: table donors: unknown column 'budgt' (did you mean 'budget'?)" \
    "data.db: error: table courses: unknown column 'prize'"

# ---- missing tables are fine: only some tables here, the rest inline
mkdir -p "$T/subset"
sqlite3 "$T/subset/data.db" "CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT);
  INSERT INTO topics VALUES('ir', 'International law');
  CREATE TABLE rates(currency TEXT PRIMARY KEY, rate REAL NOT NULL);
  INSERT INTO rates VALUES('EUR', 1.1);"
cat > "$T/subset/scenario.yaml" <<'EOF'
name: subset
currency: USD
include: [data.db]
countries:
  - {code: NER, name: Niger, languages: [fr]}
needs:
  - {country: NER, topic: ir, seats: 2}
donors:
  - {id: eu, budget: 100, currency: EUR}
EOF
expect subset 0

# ---- join rows must name an entity of the same database
newcase orphan "INSERT INTO course_topics VALUES('nope','ir'); INSERT INTO country_languages VALUES('XKX','sq');"
expect orphan 65 "data.db: table course_topics, row nope,ir: error: no course 'nope' in this database" \
    "data.db: table country_languages, row XKX,sq: error: no country 'XKX' in this database"

# ---- a course without course_topics rows misses its topics
newcase notopics "DELETE FROM course_topics WHERE course='c2';"
expect notopics 65 "data.db: table courses, row c2: error: course 'c2' is missing required field 'topics'"

# ---- unknown donor rule field
newcase rule "INSERT INTO donor_rules VALUES('gfce','format','webinar'),('gfce','regoin','Asia');"
expect rule 65 "data.db: table donor_rules, row gfce,regoin,Asia: error: column 'field': unknown rule field 'regoin' (did you mean 'region'?)" \
    "data.db: table donor_rules, row gfce,format,webinar: error: formats entry must be one of online, in_person, blended"

# ---- the same id in YAML and in the database: both places named
newcase dup
printf 'topics:\n  - {id: ir}\n' >> "$T/dup/scenario.yaml"
expect dup 65 "duplicate topic 'ir'" "table topics, row ir"

# ---- broken files
newcase truncated
truncate -s 6000 "$T/truncated/data.db"
expect truncated 65 "data.db: error: database file is corrupt"

newcase text -
printf 'topics:\n  - id: ir\n' > "$T/text/data.db"
expect text 65 "data.db: error: not an SQLite database"

newcase empty -
: > "$T/empty/data.db"
expect empty 65 "data.db: error: not an SQLite database (the file is empty)"

newcase missing -
# (in_load opens the file first to hash it: its wording may differ from the reader's)
expect missing 66 "data.db" "No such file or directory"

newcase folder -
mkdir "$T/folder/data.db"
expect folder 66 "data.db" "s a directory"

# ---- '%', '?', '#' and spaces in the file name
mkdir -p "$T/oddname"
cat "$T/base.sql" | sqlite3 "$T/oddname/we%20ird?#x y.db"
printf 'name: odd\ncurrency: USD\ninclude: ["we%%20ird?#x y.db"]\n' > "$T/oddname/scenario.yaml"
expect oddname 0

# ---- permissions: only meaningful for a non-root user
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && [ -x "$CAPMATCH" ] \
   && setpriv --reuid=nobody --regid=nogroup --clear-groups "$CAPMATCH" --version >/dev/null 2>&1; then
    AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    newcase unreadable
    chmod 000 "$T/unreadable/data.db"
    expect unreadable 66 "data.db" "Permission denied"

    # WAL mode in a folder nobody may write: read without -wal/-shm files
    # (tests/t_inputs_hardening.sh has the other WAL cases)
    newcase wal "PRAGMA journal_mode=WAL;"
    before=$(digest "$T/wal/data.db")
    chmod 755 "$T/wal"; chmod 644 "$T/wal/data.db"; chmod 555 "$T/wal"
    expect wal 0
    chmod 755 "$T/wal"
    [ "$(digest "$T/wal/data.db")" = "$before" ] && ok || ko "wal: database changed"
    [ "$(ls "$T/wal")" = "$(printf 'data.db\nscenario.yaml')" ] && ok || ko "wal: files appeared: $(ls "$T/wal")"
    AS=
else
    echo "SKIP: permission cases: need root and setpriv to run as nobody"
fi

echo "$pass passed, $fail failed"
