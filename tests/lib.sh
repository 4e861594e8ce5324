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
