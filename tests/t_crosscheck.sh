#!/bin/sh
# tests/t_crosscheck.sh — capmatch against the independent MathProg model
# (models/capmatch.mod solved by glpsol) on 120 small random instances from
# tests/gen_instance.py: same optimal score, cost and seats, and capmatch's
# own plan must pass the model's audit. Needs $CAPMATCH (set by tests/run.sh).
# XCHECK_SEEDS=FIRST-LAST and XCHECK_JOBS=N override the defaults.
set -u
if [ -z "${CAPMATCH:-}" ] || [ ! -x "$CAPMATCH" ]; then
    echo "t_crosscheck: \$CAPMATCH is not an executable program"
    echo "0 passed, 1 failed"; exit 1
fi
if ! command -v glpsol >/dev/null 2>&1; then
    echo "t_crosscheck: glpsol not found (Debian package glpk-utils)"
    echo "0 passed, 1 failed"; exit 1
fi
exec /usr/bin/python3 tests/xcheck.py --batch "${XCHECK_SEEDS:-1-120}" \
    --jobs "${XCHECK_JOBS:-2}" --capmatch "$CAPMATCH"
