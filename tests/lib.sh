# tests/lib.sh — the counters every shell test shares; sourced from the
# repository root as `. tests/lib.sh`. ok/bad count one check; check NAME
# EXPR evaluates EXPR and counts it; finish prints the closing
# "N passed, N failed" line that tests/run.sh adds up, and exits non-zero
# when anything failed.
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

# small_instances DIR: generated 25x40x6 instances (seeds 2 4 5 7 8, gap 0,
# each proven in well under a second) in DIR/sSEED, their scenario paths in
# $instances (a seed that cannot be generated counts as a failure; called
# in this shell, not in a $(...), so that the count is kept).
small_instances() {
    instances=""
    for seed in 2 4 5 7 8; do
        /usr/bin/python3 tests/gen_instance.py --countries 25 --courses 40 --donors 6 --seed $seed \
            --formats machine --out "$1/s$seed" >/dev/null || bad "generate seed $seed"
        instances="$instances $1/s$seed/scenario.yaml"
    done
}
