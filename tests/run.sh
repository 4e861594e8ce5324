#!/bin/sh
# tests/run.sh — the whole suite: unit binaries, golden bad-input cases and
# scenario scripts. Every part ends with a "N passed, N failed" line; this
# adds them up and prints the closing line. Run through `make test`.
BUILD=${BUILD:-build}
CAPMATCH=$(pwd)/$BUILD/capmatch
export CAPMATCH BUILD
pass=0; fail=0
WRAP=""
[ -n "${VALGRIND:-}" ] && WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
export WRAP

tally() { # name, output file, exit code
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $1 (exit $3, no result line)"; tail -n 20 "$2"; fail=$((fail + 1)); return
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    if [ "$3" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" = 0 ] || { echo "FAIL $1: $line (exit $3)"; grep -v -E '^[0-9]+ passed' "$2" | tail -n 40; }
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "$BUILD"/tests/unit_*; do
    [ -x "$t" ] || continue
    $WRAP "$t" > "$tmp/out" 2>&1; tally "$(basename "$t")" "$tmp/out" $?
done
for t in tests/t_*.sh; do
    [ -f "$t" ] || continue
    sh "$t" > "$tmp/out" 2>&1; tally "$(basename "$t")" "$tmp/out" $?
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
