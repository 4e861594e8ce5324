#!/bin/sh
# Golden cases: tests/golden/NAME/ holds the input files, `cmd` (arguments
# after the program, run inside the case folder), `expected.err` (exact
# stderr) and `expected.code` (exit code).
pass=0; fail=0
for dir in tests/golden/*/; do
    [ -f "$dir/cmd" ] || continue
    name=$(basename "$dir")
    got_err=$(cd "$dir" && eval "\$WRAP \"\$CAPMATCH\" $(cat cmd)" 2>&1 >/dev/null); got_code=$?
    want_err=$(cat "$dir/expected.err"); want_code=$(cat "$dir/expected.code")
    if [ "$got_code" = "$want_code" ] && [ "$got_err" = "$want_err" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "golden $name: exit $got_code (want $want_code)"
        printf '%s\n' "$got_err" > /tmp/golden.got; printf '%s\n' "$want_err" > /tmp/golden.want
        diff /tmp/golden.want /tmp/golden.got | head -20
    fi
done
echo "$pass passed, $fail failed"
