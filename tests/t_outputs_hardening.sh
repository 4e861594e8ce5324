#!/bin/sh
# Output and command-line hardening: a failed run leaves the output folder
# exactly as it was (names and bytes, results.db included, no -wal/-shm);
# the report pages of donors and countries are replaced as a whole; write
# errors on standard output exit 74; --quiet still reports a plan that is
# not optimal. (SIGHUP is in t_signals.sh, full disks and kills in
# t_reliability.sh.)
set -u
. tests/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -shared -fPIC -O1 -o "$tmp/shim.so" tests/fault_shim.c -ldl || bad "build shim"
gen() { /usr/bin/python3 tests/gen_instance.py --mip-gap 0.0001 --formats all "$@" >/dev/null || bad "generate $*"; }
# small and quick: a: 12 countries, 3 donors; b: a with one budget changed;
# c: 6 other countries, 2 donors
gen --countries 12 --courses 30 --donors 3 --seed 5 --out "$tmp/a"
cp -r "$tmp/a" "$tmp/b"
sed -i '0,/budget:/s/budget: *\([0-9.]*\)/budget: 1\1/' "$tmp/b/donors.yaml"
gen --countries 6 --courses 15 --donors 2 --seed 3 --out "$tmp/c"

# Every name under a folder (dot files too) with each file's checksum.
snapall() { (cd "$1" && find . | LC_ALL=C sort | while read -r f; do
    if [ -f "$f" ] && [ ! -L "$f" ]; then echo "$f $(cksum < "$f")"; else echo "$f"; fi; done); }
# Only the page names of donors/ and countries/.
pages() { (cd "$1" && find donors countries -type f | LC_ALL=C sort); }
run() { $CAPMATCH run "$@" --quiet 2>"$tmp/err"; }

# --- 1. a failed run leaves the folder as it was ---------------------------
out=$tmp/out
run "$tmp/a/scenario.yaml" -o "$out"; check "first run exits 0" '[ $? = 0 ]'
check "after a successful run results.db is a single file" \
    '[ -z "$(find "$out" -name "results.db?*")" ]'
check "results.db uses the rollback journal" \
    '[ "$(sqlite3 "$out/results.db" "PRAGMA journal_mode")" = delete ]'
check "the lock file is empty between runs" '[ ! -s "$out/.capmatch.lock" ]'
before=$(snapall "$out")

# out/donors a plain file: the run fails late, after reading the history
mv "$out/donors" "$tmp/donors.saved"; : > "$out/donors"
before=$(snapall "$out")
run "$tmp/b/scenario.yaml" -o "$out"; rc=$?
check "out/donors a plain file exits 73 (got $rc)" '[ $rc = 73 ]'
check "out/donors a plain file leaves no results.db-wal/-shm" '[ -z "$(find "$out" -name "results.db?*")" ]'
check "out/donors a plain file: the folder is byte-identical" '[ "$(snapall "$out")" = "$before" ]'
rm "$out/donors"; mv "$tmp/donors.saved" "$out/donors"
before=$(snapall "$out")

# the history COMMIT fails after the files were renamed: they are put back
CAPMATCH_FAIL=fsync CAPMATCH_FAIL_MATCH=results.db LD_PRELOAD="$tmp/shim.so" \
    run "$tmp/b/scenario.yaml" -o "$out"; rc=$?
check "a failing history commit exits 74 (got $rc)" '[ $rc = 74 ]'
check "the message names the history database" 'grep -q "results.db" "$tmp/err"'
check "a failing history commit puts the previous files back" '[ "$(snapall "$out")" = "$before" ]'

# a rename failing half-way
CAPMATCH_FAIL=rename CAPMATCH_FAIL_MATCH=summary.json LD_PRELOAD="$tmp/shim.so" \
    run "$tmp/c/scenario.yaml" -o "$out"; rc=$?
check "a failing rename exits 74 (got $rc)" '[ $rc = 74 ]'
check "a failing rename leaves the folder byte-identical" '[ "$(snapall "$out")" = "$before" ]'

# a results.db left in WAL mode by an earlier version: a failed run leaves
# it as it was, the next successful run makes it one file again
sqlite3 "$out/results.db" "PRAGMA journal_mode=WAL" >/dev/null
mv "$out/donors" "$tmp/donors.saved"; : > "$out/donors"
before=$(snapall "$out")
run "$tmp/b/scenario.yaml" -o "$out"; rc=$?
check "WAL database, failed run exits 73 (got $rc)" '[ $rc = 73 ]'
check "WAL database, failed run: folder byte-identical, no -wal/-shm" '[ "$(snapall "$out")" = "$before" ]'
rm "$out/donors"; mv "$tmp/donors.saved" "$out/donors"
run "$tmp/b/scenario.yaml" -o "$out"; check "WAL database, next run exits 0" '[ $? = 0 ]'
check "WAL database switched to the rollback journal" \
    '[ "$(sqlite3 "$out/results.db" "PRAGMA journal_mode")" = delete ]'
check "and no -wal/-shm left" '[ -z "$(find "$out" -name "results.db?*")" ]'
check "the history kept every committed run" \
    '[ "$(sqlite3 "$out/results.db" "SELECT count(*) FROM runs")" = 2 ]'

# a first run that fails leaves no results.db and no report folders
CAPMATCH_FAIL=rename CAPMATCH_FAIL_MATCH=summary.json LD_PRELOAD="$tmp/shim.so" \
    run "$tmp/a/scenario.yaml" -o "$tmp/fresh"; rc=$?
check "a failing first run exits 74 (got $rc)" '[ $rc = 74 ]'
check "a failing first run leaves only the folder and its empty lock file" \
    '[ "$(snapall "$tmp/fresh")" = "$(printf ".\n./.capmatch.lock 4294967295 0")" ]'
CAPMATCH_FAIL=fsync CAPMATCH_FAIL_MATCH=results.db LD_PRELOAD="$tmp/shim.so" \
    run "$tmp/a/scenario.yaml" -o "$tmp/fresh"; rc=$?
check "a first run whose history fails exits 74 (got $rc)" '[ $rc = 74 ]'
check "and leaves no results.db" '[ "$(snapall "$tmp/fresh")" = "$(printf ".\n./.capmatch.lock 4294967295 0")" ]'

# --- 2. the report pages are replaced as a whole ---------------------------
pg=$tmp/pages
run "$tmp/a/scenario.yaml" -o "$pg"; check "pages: run a exits 0" '[ $? = 0 ]'
pages_a=$(pages "$pg")
run "$tmp/c/scenario.yaml" -o "$tmp/pages_c"; pages_c=$(pages "$tmp/pages_c")
check "the two instances have different pages" '[ "$pages_a" != "$pages_c" ]'
# a user's own files next to the pages
echo mine > "$pg/donors/notes.txt"; echo mine > "$pg/donors/.draft.md"
mkdir -p "$pg/countries/archive"; echo mine > "$pg/countries/archive/old.md"
echo mine > "$pg/mine.md"
CAPMATCH_FAIL=rename CAPMATCH_FAIL_MATCH=summary.json LD_PRELOAD="$tmp/shim.so" \
    run "$tmp/c/scenario.yaml" -o "$pg"
check "a failed run keeps every page of the previous set" \
    '[ "$(pages "$pg" | grep -v -e notes.txt -e .draft.md -e archive/)" = "$pages_a" ]'
run "$tmp/c/scenario.yaml" -o "$pg"; check "pages: run c exits 0" '[ $? = 0 ]'
check "after run c only c's pages are left (pages of gone donors/countries removed)" \
    '[ "$(pages "$pg" | grep -v -e notes.txt -e .draft.md -e archive/)" = "$pages_c" ]'
check "a user's files are kept" \
    '[ -f "$pg/donors/notes.txt" ] && [ -f "$pg/donors/.draft.md" ] && [ -f "$pg/countries/archive/old.md" ] && [ -f "$pg/mine.md" ]'
run "$tmp/a/scenario.yaml" -o "$pg"
check "and back to a's pages" '[ "$(pages "$pg" | grep -v -e notes.txt -e .draft.md -e archive/)" = "$pages_a" ]'

# stderr without the input warnings (positioned: FILE:LINE:COL or FILE: table
# T, row K), which the generated data may draw (docs/warnings.md)
unpositioned() {
    grep -v -E '^capmatch: [^ ]+(:[0-9]+:[0-9]+|: table [^,]+, row [^:]+): warning: ' "$1"
}

# --- 3. write errors on standard output exit 74 -----------------------------
for cmd in "--version" "--help" "validate $tmp/c/scenario.yaml" "run $tmp/c/scenario.yaml -o $tmp/o3"; do
    $CAPMATCH $cmd >/dev/full 2>"$tmp/err"; rc=$?
    check "'$cmd' > /dev/full exits 74 (got $rc)" '[ $rc = 74 ]'
    check "'$cmd' > /dev/full says so on stderr" 'grep -q "cannot write to standard output" "$tmp/err"'
done
$CAPMATCH --version >&- 2>"$tmp/err"; rc=$?
check "--version with stdout closed exits 74 (got $rc)" '[ $rc = 74 ]'
$CAPMATCH run "$tmp/c/scenario.yaml" -o "$tmp/o3" --quiet >&- 2>"$tmp/err"; rc=$?
check "run --quiet with stdout closed prints nothing but input warnings and exits 0 (got $rc)" '[ $rc = 0 ] && [ -z "$(unpositioned "$tmp/err")" ]'
# a pipe whose reader is gone: EPIPE, not a silent death by SIGPIPE
rc=$(/usr/bin/python3 - "$CAPMATCH" "$tmp/c/scenario.yaml" <<'EOF'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "validate", sys.argv[2]], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, "epipe" if b"Broken pipe" in p.stderr else "no-message")
EOF
)
check "validate into a closed pipe exits 74 with a message (got $rc)" '[ "$rc" = "74 epipe" ]'

# --- 4. --quiet and a plan that is not optimal -------------------------------
/usr/bin/python3 tests/gen_instance.py --countries 60 --courses 120 --donors 10 --seed 1 \
    --mip-gap 0 --time-limit 600 --out "$tmp/h" >/dev/null || bad "generate h"
$CAPMATCH run "$tmp/h/scenario.yaml" -o "$tmp/oh" --quiet --time-limit 1 >"$tmp/stdout" 2>"$tmp/err"; rc=$?
check "time-limited --quiet run exits 0 (got $rc)" '[ $rc = 0 ]'
check "it says nothing on stdout" '[ ! -s "$tmp/stdout" ]'
check "one line on stderr says the plan is not proven optimal" \
    '[ "$(unpositioned "$tmp/err" | wc -l)" = 1 ] && unpositioned "$tmp/err" | grep -q "^capmatch: warning: .*scenario.yaml: plan not proven optimal (status time_limit, score [0-9.]*, bound [0-9.]*, gap [0-9.]*%)$"'
$CAPMATCH run "$tmp/h/scenario.yaml" -o "$tmp/oh" --time-limit 1 >"$tmp/stdout" 2>"$tmp/err"
check "without --quiet the line is on stderr too" 'grep -q "plan not proven optimal (status time_limit" "$tmp/err"'
check "and the summary on stdout" 'grep -q "time_limit, score" "$tmp/stdout"'
$CAPMATCH run "$tmp/c/scenario.yaml" -o "$tmp/oc" --quiet >"$tmp/stdout" 2>"$tmp/err"; rc=$?
check "an optimal --quiet run prints nothing but input warnings (rc $rc)" '[ $rc = 0 ] && [ ! -s "$tmp/stdout" ] && [ -z "$(unpositioned "$tmp/err")" ]'
finish
