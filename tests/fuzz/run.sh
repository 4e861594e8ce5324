#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS — run each fuzz target for SECONDS on a
# corpus seeded from the tests (copied into BUILD, never committed), after
# replaying every recorded crasher in tests/fuzz/regress/TARGET/.
set -u
b=$1; secs=$2; status=0; fpass=0; ffail=0
seed_yaml() {
    mkdir -p "$1"
    for f in inputs/example/*.yaml tests/golden/*/*.yaml tests/fuzz/seeds/yaml/*.yaml; do
        [ -f "$f" ] && cp "$f" "$1/$(echo "$f" | tr / _)"
    done
}
seed_sqlite() {
    mkdir -p "$1"
    cp inputs/example/catalogue.db "$1/example.db" 2>/dev/null
    sqlite3 "$1/limits.db" < tests/fuzz/sqlite_seeds.sql 2>/dev/null
    for f in tests/golden/*/*.db tests/golden/*/*.sql; do
        case "$f" in
            *.db) [ -f "$f" ] && cp "$f" "$1/$(echo "$f" | tr / _)" ;;
            *.sql) [ -f "$f" ] && sqlite3 "$1/$(echo "$f" | tr / _).db" < "$f" 2>/dev/null ;;
        esac
    done
}
for t in yaml sqlite; do
    corpus=$b/corpus_$t
    [ -d "$corpus" ] || seed_$t "$corpus"
    regress=tests/fuzz/regress/$t
    if [ -d "$regress" ] && [ -n "$(ls "$regress")" ]; then
        if "$b/fuzz_$t" "$regress"/* >/dev/null 2>"$b/regress_$t.log"; then fpass=$((fpass + 1))
        else echo "fuzz_$t: a recorded crasher fails again (see $b/regress_$t.log)"; status=1; ffail=$((ffail + 1)); fi
    fi
    dict=""
    [ -f tests/fuzz/$t.dict ] && dict="-dict=tests/fuzz/$t.dict"
    "$b/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 $dict \
        -artifact_prefix="$b/crash_$t-" "$corpus" > "$b/fuzz_$t.log" 2>&1
    if [ $? = 0 ]; then fpass=$((fpass + 1))
    else status=1; ffail=$((ffail + 1)); echo "fuzz_$t: crash, see $b/fuzz_$t.log and $b/crash_$t-*"; fi
    tail -n 3 "$b/fuzz_$t.log" | grep -E 'Done|stat::|ERROR|SUMMARY' 
    grep -E '^#[0-9]+.*DONE' "$b/fuzz_$t.log" | tail -1
done
echo "fuzz: $fpass passed, $ffail failed"
exit $status
