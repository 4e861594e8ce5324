#!/bin/sh
# tests/run.sh — the whole suite: unit binaries, then the scenario scripts.
# Every part ends with a "N passed, N failed" line; this prints one line
# when a part starts and one when it ends (its count and time), lists what
# the parts skipped and why (their "SKIP: what: why" lines: root, chromium),
# and ends with "N passed, N failed, N skipped". The count of a commit is
# the same on every machine except for those skips. Run through `make test`.
BUILD=${BUILD:-build}
CAPMATCH=$(pwd)/$BUILD/capmatch
export CAPMATCH BUILD
pass=0; fail=0; skipped=0; failed_parts=""
WRAP=""
[ -n "${VALGRIND:-}" ] && WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
export WRAP

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/skips"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

parts=$(ls "$BUILD"/tests/unit_* tests/t_*.sh 2>/dev/null | while read -r t; do
    case "$t" in *.sh) [ -f "$t" ] && echo "$t" ;; *) [ -x "$t" ] && echo "$t" ;; esac; done)
total=$(echo "$parts" | grep -c .)
i=0
t_all=$(now)
for t in $parts; do
    i=$((i + 1))
    name=$(basename "$t")
    printf '[%2d/%d] %s ...\n' "$i" "$total" "$name"
    t0=$(now)
    case "$t" in
        *.sh) sh "$t" > "$tmp/out" 2>&1 ;;
        *) $WRAP "$t" > "$tmp/out" 2>&1 ;;
    esac
    rc=$?
    took=$(secs "$t0" "$(now)")
    grep -E '^SKIP: ' "$tmp/out" | sed "s|^SKIP: |$name: |" >> "$tmp/skips"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "       FAIL $name (exit $rc, no result line, ${took} s)"; tail -n 20 "$tmp/out"
        fail=$((fail + 1)); failed_parts="$failed_parts $name"; continue
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" = 0 ]; then
        echo "       ok   $name: $p passed (${took} s)"
    else
        echo "       FAIL $name: $p passed, $f failed (exit $rc, ${took} s)"
        grep -v -E '^[0-9]+ passed' "$tmp/out" | tail -n 40
        failed_parts="$failed_parts $name"
    fi
done
skipped=$(grep -c . "$tmp/skips")
echo
echo "suite: $total parts in $(secs "$t_all" "$(now)") s"
if [ "$skipped" != 0 ]; then
    echo "skipped here (not counted in 'passed'):"
    sed 's/^/  /' "$tmp/skips"
fi
[ -n "$failed_parts" ] && echo "failed parts:$failed_parts"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
