#!/bin/sh
# Cron-grade reliability: the run lock, failing disks and SIGKILL at random
# moments. After every failure the previous outputs must be exactly as they
# were (or, for a kill, one complete set, with no report pages of another
# set), and the history database intact.
# Needs root for the tmpfs tests (CI runs as root); skipped otherwise.
set -u
. tests/lib.sh

tmp=$(mktemp -d)
cleanup() { mountpoint -q "$tmp/full" 2>/dev/null && umount "$tmp/full"; rm -rf "$tmp"; }
trap cleanup EXIT
BUILD=${BUILD:-build}
cc -shared -fPIC -O1 -o "$tmp/shim.so" tests/fault_shim.c -ldl || bad "build shim"

# Two instances that differ only in one budget, so their outputs differ, and
# a third with other countries and donors, so its report pages differ too.
/usr/bin/python3 tests/gen_instance.py --countries 20 --courses 40 --donors 4 --seed 11 --mip-gap 0.0001 --formats all --out "$tmp/a" >/dev/null || bad "generate a"
cp -r "$tmp/a" "$tmp/b"
sed -i '0,/budget:/s/budget: *\([0-9.]*\)/budget: 1\1/' "$tmp/b/donors.yaml" 2>/dev/null
/usr/bin/python3 tests/gen_instance.py --countries 12 --courses 30 --donors 3 --seed 5 --mip-gap 0.0001 --formats all --out "$tmp/p" >/dev/null || bad "generate p"
cp -r "$tmp/p" "$tmp/p2"
sed -i '0,/budget:/s/budget: *\([0-9.]*\)/budget: 1\1/' "$tmp/p2/donors.yaml" 2>/dev/null
out="$tmp/out"

# A fingerprint of the visible output set: the machine-readable files without
# timings and without the previous run and churn (the runs below that replace
# outputs use --fresh, so that their plan does not depend on the one before),
# and for the reports (which show timings and the run-to-run diff) the input
# digest they name, so a mix of two runs' files is caught.
snap() {
    (cd "$1" && find . -type f ! -name '.*' ! -name 'results.db*' | LC_ALL=C sort | while read -r f; do
        case "$f" in
            ./summary.json) grep -v -e solve_seconds -e '"seconds"' -e '"previous_run"' -e '"churn"' "$f" | cksum ;;
            ./report.md|./report.html) grep -o '[0-9a-f]\{64\}' "$f" | sort -u ;;
            ./countries/*|./donors/*) ;;
            *) cksum < "$f" ;;
        esac
        echo "$f"; done) | cksum
}

$CAPMATCH run "$tmp/a/scenario.yaml" -o "$out" --quiet; check "first run exits 0" '[ $? = 0 ]'
ref_a=$(snap "$out")
$CAPMATCH run "$tmp/b/scenario.yaml" -o "$tmp/outb" --quiet; check "run b exits 0" '[ $? = 0 ]'
ref_b=$(snap "$tmp/outb")
check "the two instances give different outputs" '[ "$ref_a" != "$ref_b" ]'
$CAPMATCH run "$tmp/p/scenario.yaml" -o "$tmp/outc" --quiet; check "run c exits 0" '[ $? = 0 ]'
ref_c=$(snap "$tmp/outc")
check "instance c has other report pages" \
    '[ "$(cd "$out" && ls donors countries)" != "$(cd "$tmp/outc" && ls donors countries)" ]'
# Every name in a folder, dot files too, with each file's checksum.
snapall() { (cd "$1" && find . | LC_ALL=C sort | while read -r f; do
    if [ -f "$f" ]; then echo "$f $(cksum < "$f")"; else echo "$f"; fi; done); }

# 1. Lock: a second run on the same directory exits 75 at once.
exec 9>"$out/.capmatch.lock"
flock -n 9 || true
$CAPMATCH run "$tmp/a/scenario.yaml" -o "$out" --quiet 2>"$tmp/err"; rc=$?
check "a second run while the lock is held exits 75 (got $rc)" '[ $rc = 75 ]'
check "the lock message names the directory" 'grep -q "lock\|another run" "$tmp/err"'
exec 9>&-
# two real runs started together: exactly one proceeds
$CAPMATCH run "$tmp/a/scenario.yaml" -o "$tmp/race" --quiet 2>/dev/null & p1=$!
$CAPMATCH run "$tmp/a/scenario.yaml" -o "$tmp/race" --quiet 2>/dev/null & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
check "concurrent runs: exactly one proceeds, the other exits 75 (got $r1, $r2)" \
    '{ [ $r1 = 0 ] && [ $r2 = 75 ]; } || { [ $r1 = 75 ] && [ $r2 = 0 ]; }'

# 2. Output directory is a file → 73, nothing else touched.
: > "$tmp/plainfile"
$CAPMATCH run "$tmp/a/scenario.yaml" -o "$tmp/plainfile/out" --quiet 2>/dev/null; rc=$?
check "output dir under a file exits 73 (got $rc)" '[ $rc = 73 ]'

# 3. fsync and rename failing → 74, previous outputs untouched, no temporaries left.
for call in fsync rename; do
    CAPMATCH_FAIL=$call LD_PRELOAD="$tmp/shim.so" $CAPMATCH run "$tmp/b/scenario.yaml" -o "$out" --quiet 2>"$tmp/err"; rc=$?
    check "$call failing exits 74 (got $rc)" '[ $rc = 74 ]'
    check "$call failing leaves the previous outputs" '[ "$(snap "$out")" = "$ref_a" ]'
    check "$call failing leaves no temporaries" '[ -z "$(find "$out" -name "*.tmp*")" ]'
done

# 3b. Bad inputs never touch the outputs: an included file that vanishes
# between listing and reading (66), a corrupt database (65).
inc=$(sed -n 's/^ *- *\(needs[^ ]*\)$/\1/p' "$tmp/b/scenario.yaml" | head -n 1)
[ -n "$inc" ] || inc=needs.yaml
CAPMATCH_FAIL=open CAPMATCH_FAIL_MATCH="$inc" LD_PRELOAD="$tmp/shim.so" \
    $CAPMATCH run "$tmp/b/scenario.yaml" -o "$out" --quiet 2>"$tmp/err"; rc=$?
check "an include vanishing before it is read exits 66 (got $rc)" '[ $rc = 66 ]'
check "the message names the include" 'grep -q "$inc" "$tmp/err"'
check "a vanished include leaves the previous outputs" '[ "$(snap "$out")" = "$ref_a" ]'
cp -r "$tmp/b" "$tmp/c"
printf 'SQLite format 3\000garbage that is not a database page' > "$tmp/c/broken.db"
sed -i 's/^include:/include:\n  - broken.db/' "$tmp/c/scenario.yaml"
$CAPMATCH run "$tmp/c/scenario.yaml" -o "$out" --quiet 2>"$tmp/err"; rc=$?
check "a corrupt input database exits 65 (got $rc)" '[ $rc = 65 ]'
check "a corrupt database leaves the previous outputs" '[ "$(snap "$out")" = "$ref_a" ]'

# 3c. The solver's memory limit: exit 70 with a clear message, outputs kept.
/usr/bin/python3 tests/gen_instance.py --countries 60 --courses 120 --donors 10 --seed 2 \
    --time-limit 5 --out "$tmp/m" >/dev/null || bad "generate m"
$CAPMATCH run "$tmp/m/scenario.yaml" -o "$out" --quiet --memory-limit 1 2>"$tmp/err"; rc=$?
check "--memory-limit 1 exits 70 (got $rc)" '[ $rc = 70 ]'
check "the message names the memory limit" 'grep -q "memory limit of 1 MB exceeded" "$tmp/err"'
check "an exceeded memory limit leaves the previous outputs" '[ "$(snap "$out")" = "$ref_a" ]'

# 4. A full disk (small tmpfs) → 74 or 73, previous outputs untouched.
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/full" && mount -t tmpfs -o size=48k tmpfs "$tmp/full" 2>/dev/null; then
    mkdir -p "$tmp/full/out"
    head -c 40000 /dev/zero > "$tmp/full/filler"
    $CAPMATCH run "$tmp/a/scenario.yaml" -o "$tmp/full/out" --quiet 2>"$tmp/err"; rc=$?
    check "full disk exits 73 or 74 (got $rc)" '[ $rc = 74 ] || [ $rc = 73 ]'
    check "full disk leaves no outputs or temporaries" '[ -z "$(find "$tmp/full/out" -type f ! -name .capmatch.lock)" ]'
    umount "$tmp/full"
else
    echo "SKIP: tmpfs full-disk test: needs root to mount a tmpfs"
fi

# 4b. The disk fills up at every stage of a run over earlier outputs: while
# staging, while writing the history, at its commit. Each failure leaves the
# folder byte for byte as it was (no -wal/-shm/-journal, no new folder);
# the first run with room enough succeeds.
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/fill" && mount -t tmpfs -o size=1m tmpfs "$tmp/fill" 2>/dev/null; then
    $CAPMATCH run "$tmp/p/scenario.yaml" -o "$tmp/fill/out" --quiet; check "fill: first run exits 0" '[ $? = 0 ]'
    before=$(snapall "$tmp/fill/out")
    room=0; fails=0; hist=0; done_ok=0
    # up to 800 kB: the set with the HTML page per country and donor is ~400 kB
    while [ $room -le 800000 ] && [ $done_ok = 0 ]; do
        avail=$(df --output=avail -B1 "$tmp/fill" | tail -n 1)
        head -c $((avail - room)) /dev/zero > "$tmp/fill/filler" 2>/dev/null
        $CAPMATCH run "$tmp/p2/scenario.yaml" -o "$tmp/fill/out" --quiet 2>"$tmp/err"; rc=$?
        rm -f "$tmp/fill/filler"
        if [ $rc = 0 ]; then
            done_ok=1
            check "fill: the run with room enough writes p2's set" '[ "$(snap "$tmp/fill/out")" != "$(snap "$tmp/outc")" ]'
        else
            fails=$((fails + 1))
            grep -q 'results.db' "$tmp/err" && hist=$((hist + 1))
            check "fill: ${room} bytes free exits 73 or 74 (got $rc)" '[ $rc = 74 ] || [ $rc = 73 ]'
            check "fill: ${room} bytes free leaves the folder byte-identical" '[ "$(snapall "$tmp/fill/out")" = "$before" ]'
        fi
        room=$((room + 8192))
    done
    check "fill: some runs failed (got $fails)" '[ $fails -ge 5 ]'
    check "fill: the history database ran out of room at least once (got $hist)" '[ $hist -ge 1 ]'
    check "fill: a run with room enough succeeded" '[ $done_ok = 1 ]'
    umount "$tmp/fill"
else
    echo "SKIP: tmpfs disk-filling test: needs root to mount a tmpfs"
fi

# 5. SIGKILL at random moments: always one complete set (with only its own
# report pages), history intact, never a -wal/-shm file.
kills=${KILLS:-50}
i=0
while [ $i -lt $kills ]; do
    case $((i % 3)) in 0) s=b ;; 1) s=a ;; *) s=p ;; esac
    $CAPMATCH run "$tmp/$s/scenario.yaml" -o "$out" --quiet --fresh 2>/dev/null & pid=$!
    delay=$(awk -v s=$i 'BEGIN { srand(s); printf "%.3f", rand() * 0.3 }')
    sleep "$delay"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    now=$(snap "$out")
    if [ "$now" != "$ref_a" ] && [ "$now" != "$ref_b" ] && [ "$now" != "$ref_c" ]; then
        bad "kill $i (after ${delay}s): output set is none of the complete sets"; else ok; fi
    [ -z "$(find "$out" -name 'results.db-wal' -o -name 'results.db-shm')" ] && ok \
        || bad "kill $i: a results.db-wal/-shm file"
    if [ -f "$out/results.db" ]; then
        ic=$(sqlite3 "$out/results.db" 'PRAGMA integrity_check' 2>&1)
        [ "$ic" = ok ] && ok || bad "kill $i: integrity_check: $ic"
    fi
    i=$((i + 1))
done
# after the storm a normal run still works and cleans up after the kills
$CAPMATCH run "$tmp/a/scenario.yaml" -o "$out" --quiet --fresh; rc=$?
check "a run after the kills exits 0" '[ $rc = 0 ]'
check "and writes the complete set" '[ "$(snap "$out")" = "$ref_a" ]'
check "and leaves no temporaries, journal or backups" \
    '[ -z "$(find "$out" -name "*.tmp.*" -o -name "*.bak.*" -o -name "results.db?*")" ]'
finish
