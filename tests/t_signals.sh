#!/bin/sh
# SIGINT/SIGTERM/SIGHUP during a solve: with a plan found, SIGINT writes it
# with status "interrupted", exits 0 and (even under --quiet) says on stderr
# that the plan is not proven optimal; with --no-partial, SIGTERM and SIGHUP
# write nothing, exit 143 and 129 and leave the previous outputs
# byte-identical, no temporaries and an empty, released lock file.
set -u
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Hard enough that no run finishes within a few seconds on this machine.
/usr/bin/python3 tests/gen_instance.py --countries 60 --courses 120 --donors 10 --seed 1 \
    --mip-gap 0 --time-limit 600 --out "$tmp/i" >/dev/null || bad "generate"

# Waits until the solver log shows an incumbent ("mip = <number>"), then
# sends the signal. Prints the exit code.
run_and_signal() { # sig, out dir, extra args...
    sig=$1; out=$2; shift 2
    : > "$tmp/log"
    $CAPMATCH run "$tmp/i/scenario.yaml" -o "$out" --quiet --log-file "$tmp/log" "$@" 2>"$tmp/err" &
    pid=$!
    n=0
    while kill -0 $pid 2>/dev/null && ! grep -q -E 'mip = +[-0-9]' "$tmp/log" && [ $n -lt 1200 ]; do
        sleep 0.1; n=$((n + 1))
    done
    kill -0 $pid 2>/dev/null || echo "note: the run ended before the signal" >&2
    kill -"$sig" $pid 2>/dev/null
    wait $pid; echo $?
}

rc=$(run_and_signal INT "$tmp/out")
[ "$rc" = 0 ] && ok || { bad "SIGINT with a plan exits 0 (got $rc)"; cat "$tmp/err"; }
grep -q '"status": "interrupted"' "$tmp/out/summary.json" 2>/dev/null && ok || bad "summary.json says interrupted"
grep -q '"score_bound"' "$tmp/out/summary.json" 2>/dev/null && ok || bad "summary.json has the bound"
grep -q '^capmatch: warning: .*: plan not proven optimal (status interrupted, ' "$tmp/err" && ok \
    || bad "--quiet still says on stderr that the interrupted plan is not optimal"
[ -s "$tmp/out/allocations.csv" ] && ok || bad "allocations written"
before=$(cd "$tmp/out" && cat allocations.csv funding.csv coverage.csv summary.json | cksum)

rc=$(run_and_signal TERM "$tmp/out" --no-partial)
[ "$rc" = 143 ] && ok || { bad "SIGTERM with --no-partial exits 143 (got $rc)"; cat "$tmp/err"; }
grep -q 'stopped by SIGTERM; no outputs were written' "$tmp/err" && ok || bad "message says nothing was written"
after=$(cd "$tmp/out" && cat allocations.csv funding.csv coverage.csv summary.json | cksum)
[ "$before" = "$after" ] && ok || bad "previous outputs unchanged after --no-partial"
[ -z "$(find "$tmp/out" -name '*.tmp*')" ] && ok || bad "no temporaries left"

# SIGHUP (a coordinator's SSH session dropping) is handled like SIGTERM
rc=$(run_and_signal HUP "$tmp/out" --no-partial)
[ "$rc" = 129 ] && ok || { bad "SIGHUP with --no-partial exits 129 (got $rc)"; cat "$tmp/err"; }
grep -q 'stopped by SIGHUP; no outputs were written' "$tmp/err" && ok || bad "message names SIGHUP"
after=$(cd "$tmp/out" && cat allocations.csv funding.csv coverage.csv summary.json | cksum)
[ "$before" = "$after" ] && ok || bad "previous outputs unchanged after SIGHUP"
[ -z "$(find "$tmp/out" -name '*.tmp*' -o -name '*.bak*' -o -name 'results.db?*')" ] && ok \
    || bad "no temporaries left after SIGHUP"
[ ! -s "$tmp/out/.capmatch.lock" ] && flock -n "$tmp/out/.capmatch.lock" true && ok \
    || bad "the lock file is empty and released after SIGHUP"
$CAPMATCH --help | grep -q '129/130/143' && ok || bad "--help documents exit 129"
echo "$pass passed, $fail failed"
