#!/bin/sh
# capmatch sweep (#24): every kind of variant gives exactly the plan of a
# hand-edited copy run with `run --fresh`; marginal gains are differences of
# two real solves; --task + --merge equals one sweep; a bad sweep file gets
# every error positioned, exit 65 and nothing written. Small instances only.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 tests/gen_instance.py --countries 8 --courses 14 --donors 3 --seed 3 --mip-gap 0 \
    --db no --formats machine --out "$tmp/inst" >/dev/null || bad "generate the instance"
/usr/bin/python3 tests/sweep_check.py "$CAPMATCH" "$tmp/inst" "$tmp" > "$tmp/py.out" 2>&1
grep -v '^[0-9]* [0-9]*$' "$tmp/py.out"
set -- $(tail -1 "$tmp/py.out")
if [ $# = 2 ]; then pass=$((pass + $1)); fail=$((fail + $2)); else bad "sweep_check.py did not finish"; fi
inst="$tmp/inst"
check "a sweep never writes the scenario's own output directory" '[ ! -e "$inst/out" ]'

# Errors: every one positioned in the sweep file, exit 65, nothing written.
cat > "$inst/bad.yaml" <<'YAML'
base: scenario.yaml
variants:
  - name: a
    budget_scale: -1
  - name: a
  - name: b
    donors: {no-such-donor: {budget: 1}}
  - name: c
    bogus: 1
  - name: d
    remove: {courses: [zzz]}
  - name: e
    add: {donors: [{id: donor-01, budget: 5}]}
  - name: f
    remove: {courses: [c0007]}
  - name: g
    courses: {c0001: {seats: -4}}
grid: {budget_scale: [0.5], bogus_key: [1]}
colour: red
YAML
$CAPMATCH sweep "$inst/bad.yaml" -o "$tmp/bad-out" 2> "$tmp/err"; rc=$?
check "a bad sweep file exits 65 (got $rc)" '[ $rc = 65 ]'
check "nothing is written for a bad sweep file" '[ ! -e "$tmp/bad-out" ]'
for line in 4 5 7 9 11 13 15 17 18 19; do
    grep -q "^capmatch: $inst/bad.yaml:$line:[0-9]*: error: " "$tmp/err" && ok \
        || bad "no error positioned on line $line of the bad sweep file: $(cat "$tmp/err")"
done
check "every message of the bad sweep is a positioned error" \
    '! grep -v "^capmatch: $inst/bad.yaml:[0-9]*:[0-9]*: error: " "$tmp/err" | grep -q .'
check "removing a course a commitment names says so" 'grep -q "bad.yaml:15:.*commitment KIR/c0007" "$tmp/err"'

# a missing base is positioned at its line; another YAML file is refused unquoted
printf 'variants: []\nbase: nothere.yaml\n' > "$inst/nobase.yaml"
$CAPMATCH sweep "$inst/nobase.yaml" -o "$tmp/nb" 2> "$tmp/err"; rc=$?
check "a missing base scenario exits 66 (got $rc)" '[ $rc = 66 ] && [ ! -e "$tmp/nb" ]'
check "... positioned at the base line" 'grep -q "nobase.yaml:2:7: error: cannot open the base scenario" "$tmp/err"'
printf 'secret-key-1234: hunter2\nother: 1\n' > "$inst/foreign.yaml"
$CAPMATCH sweep "$inst/foreign.yaml" -o "$tmp/nb" 2> "$tmp/err"; rc=$?
check "a file that is not a sweep exits 65 (got $rc)" '[ $rc = 65 ]'
check "... and its contents are not quoted" '! grep -q "secret\|hunter" "$tmp/err" && grep -q "not a capmatch sweep file" "$tmp/err"'

# a grid of more than 10,000 variants needs --max-variants
scales=$(seq -s, 1 101); gaps=$(seq -s, 0 99 | sed 's/\([0-9][0-9]*\)/0.00\1/g')
printf 'base: scenario.yaml\ngrid: {budget_scale: [%s], mip_gap: [%s]}\n' "$scales" "$gaps" > "$inst/big.yaml"
$CAPMATCH sweep "$inst/big.yaml" --list > "$tmp/list" 2> "$tmp/err"; rc=$?
check "a grid of 10,100 variants exits 65 without --max-variants (got $rc)" '[ $rc = 65 ]'
check "the grid error is positioned and names --max-variants" 'grep -q "big.yaml:2:7: error: .*--max-variants" "$tmp/err"'
$CAPMATCH sweep "$inst/big.yaml" --list --max-variants 20000 > "$tmp/list" 2> "$tmp/err"; rc=$?
check "with --max-variants 20000 it lists 10,101 variants (rc $rc, $(wc -l < "$tmp/list") lines)" \
    '[ $rc = 0 ] && [ "$(wc -l < "$tmp/list")" = 10101 ]'

# A variant that makes a commitment ineligible (an error the solve's own
# checks find, not the input validation) is refused before any variant is
# solved: every such error positioned at the variant, exit 65, nothing written.
cat > "$inst/strict.yaml" <<'YAML'
base: scenario.yaml
variants:
  - name: fine
    budget_scale: 0.9
  - name: strict
    policy: {min_quality: 4.9}
grid: {min_quality: [null, 4.95]}
YAML
$CAPMATCH sweep "$inst/strict.yaml" -o "$tmp/so" -j 2 --quiet 2> "$tmp/err"; rc=$?
check "a variant whose commitment is no longer eligible exits 65 before solving (got $rc)" '[ $rc = 65 ]'
check "... and nothing is written, no variant solved" '[ ! -e "$tmp/so" ]'
check "... positioned at the variant, naming it and the commitment" \
    'grep -q "^capmatch: $inst/strict.yaml:5:11: error: variant .strict.: commitment KIR/c0007: pair is not eligible: the course fails the quality filter (at $inst/scenario.yaml:[0-9]*:[0-9]*)" "$tmp/err"'
check "... and the grid's variant too (every error, not the first)" \
    'grep -q "^capmatch: $inst/strict.yaml:7:7: error: variant .min_quality=4.95.: commitment KIR/c0007" "$tmp/err"'
check "... every message a positioned error" '! grep -v "^capmatch: $inst/strict.yaml:[0-9]*:[0-9]*: error: " "$tmp/err" | grep -q .'
$CAPMATCH sweep "$inst/strict.yaml" -o "$tmp/so" --task 0 --quiet 2> "$tmp/err"; rc=$?
check "--task of a good variant still runs (got $rc)" '[ $rc = 0 ]'
$CAPMATCH sweep "$inst/strict.yaml" -o "$tmp/so" --emit slurm > /dev/null 2> "$tmp/err"; rc=$?
check "--emit slurm of such a sweep exits 65 (got $rc)" '[ $rc = 65 ] && grep -q "variant .strict." "$tmp/err"'

# removing the commitment with the course is allowed; a variant the solve
# refuses (its commitment cannot be paid from a budget of 0) is failed in sweep.csv
cat > "$inst/fail.yaml" <<'YAML'
base: scenario.yaml
variants:
  - name: no-c0007
    remove: {courses: [c0007], commitments: [KIR/c0007]}
  - name: broke
    budget_scale: 0
YAML
$CAPMATCH sweep "$inst/fail.yaml" -o "$tmp/fo" -j 2 --quiet 2> "$tmp/err"; rc=$?
check "a sweep with a failing variant exits with its code 65 (got $rc)" '[ $rc = 65 ]'
check "the failed variant is 'failed' in sweep.csv" 'grep -q "^broke,failed," "$tmp/fo/sweep.csv"'
check "... with the solve's reason in its record and in sweep.md" \
    'grep -q "^reason	commitment KIR/c0007 .*cannot be honoured" "$tmp/fo/variants/broke/variant.tsv" && grep -q "^- broke: failed (exit 65): commitment KIR/c0007 .*cannot be honoured" "$tmp/fo/sweep.md"'
check "the others are done" 'grep -q "^no-c0007,optimal," "$tmp/fo/sweep.csv" && grep -q "^baseline,optimal," "$tmp/fo/sweep.csv"'
rm "$tmp/fo/variants/no-c0007/variant.tsv"
$CAPMATCH sweep "$inst/fail.yaml" -o "$tmp/fo" --merge --quiet; rc=$?
check "--merge exits 0 (got $rc)" '[ $rc = 0 ]'
check "--merge lists a variant without results as missing" 'grep -q "^no-c0007,missing," "$tmp/fo/sweep.csv"'
$CAPMATCH sweep "$inst/fail.yaml" -o "$tmp/fo" --task 3 2> "$tmp/err"; rc=$?
check "--task beyond the last variant is a usage error (got $rc)" '[ $rc = 64 ]'

# --memory-limit and --time-limit apply to each variant's process: a
# variant that needs more memory than the limit fails with the reason, the
# others and the tables are not affected; the exit code is run's for a
# limit too small (70). The variant 'big' adds 3,000 courses.
/usr/bin/python3 - "$inst" <<'EOF'
import copy, sys, yaml
inst = sys.argv[1]
c = yaml.safe_load(open(inst + "/courses.yaml"))["courses"][1]
with open(inst + "/mem.yaml", "w") as f:
    f.write("base: scenario.yaml\nvariants:\n  - name: small\n    budget_scale: 0.9\n"
            "  - name: big\n    add:\n      courses:\n")
    for i in range(3000):
        x = dict(copy.deepcopy(c), id="zz%05d" % i)
        f.write("        - " + yaml.safe_dump(x, default_flow_style=True, width=10000))
EOF
# A sanitizer build cannot cap the address space (ASan reserves terabytes of
# it), so only GLPK's own accounting applies there, and this variant stays
# under 12 MB of it: the limit's effect is checked in the normal build.
if [ -z "${CAPMATCH_SANITIZED:-}" ]; then
    $CAPMATCH sweep "$inst/mem.yaml" -o "$tmp/mem" -j 2 --quiet --memory-limit 12 --time-limit 20 2> "$tmp/err"; rc=$?
    check "a variant over its memory limit makes the sweep exit 70, as run does (got $rc)" '[ $rc = 70 ]'
    check "... it is failed in sweep.csv, the others done" \
        'grep -q "^big,failed," "$tmp/mem/sweep.csv" && grep -q "^small,optimal," "$tmp/mem/sweep.csv" && grep -q "^baseline,optimal," "$tmp/mem/sweep.csv"'
    check "... with the reason in its record and in sweep.html" \
        'grep -q "^reason	the memory limit of 12 MB exceeded (--memory-limit)" "$tmp/mem/variants/big/variant.tsv" && grep -q "big</strong>: failed (exit 70): the memory limit of 12 MB exceeded" "$tmp/mem/sweep.html"'
    check "... and said on stderr" 'grep -q "variant big failed (exit 70): .*memory limit of 12 MB exceeded" "$tmp/err"'
    $CAPMATCH sweep "$inst/mem.yaml" -o "$tmp/mem" --quiet --memory-limit 12 --task 2 2> "$tmp/err"; rc=$?
    check "--task applies the limit too (got $rc)" '[ $rc = 70 ] && grep -q "^state	failed" "$tmp/mem/variants/big/variant.tsv"'
else
    echo "SKIP: sweep --memory-limit 12 failing a variant: a sanitizer build cannot cap the address space"
fi
$CAPMATCH sweep "$inst/mem.yaml" -o "$tmp/mem" --quiet --memory-limit 60 --task 2 2> "$tmp/err"; rc=$?
check "with room enough the same variant is solved (--task, got $rc)" '[ $rc = 0 ] && grep -q "^state	done" "$tmp/mem/variants/big/variant.tsv"'
$CAPMATCH sweep "$inst/mem.yaml" -o "$tmp/mem" --emit slurm --memory-limit 12 --time-limit 5 > "$tmp/job.sh"; rc=$?
check "--emit slurm passes both limits to every task (got $rc)" \
    '[ $rc = 0 ] && grep -q -- "--task \"\$SLURM_ARRAY_TASK_ID\" --quiet --time-limit 5 --memory-limit 12$" "$tmp/job.sh"'
$CAPMATCH sweep "$inst/mem.yaml" -o "$tmp/mem" --memory-limit 0 2> "$tmp/err"; rc=$?
check "--memory-limit 0 is a usage error, as for run (got $rc)" '[ $rc = 64 ] && grep -q "needs a positive number" "$tmp/err"'

# the scenario's own output directory is refused, existing or not
$CAPMATCH sweep "$inst/fail.yaml" -o "$inst/out" 2> "$tmp/err"; rc=$?
check "-o the scenario's own output directory exits 64 (got $rc)" '[ $rc = 64 ] && [ ! -e "$inst/out" ]'
mkdir "$inst/out"
(cd "$inst" && $CAPMATCH sweep fail.yaml -o ./out/ 2> "$tmp/err"); rc=$?
check "... also named another way (got $rc)" '[ $rc = 64 ] && [ -z "$(ls -A "$inst/out")" ]'
rmdir "$inst/out"

# --emit slurm: the script, run with a stand-in sbatch that runs each job at
# once (the array's tasks one by one), gives the sweep.csv of a local sweep.
mkdir -p "$tmp/bin" "$tmp/slurm"
cat > "$tmp/bin/sbatch" <<'SH'
#!/bin/sh
id=$(cat "$FAKE_SLURM/next" 2>/dev/null || echo 100); echo $((id + 1)) > "$FAKE_SLURM/next"
echo "$*" >> "$FAKE_SLURM/calls"
script=$(mktemp); cat > "$script"
array=""; for a in "$@"; do case $a in --array=*) array=${a#--array=} ;; esac; done
if [ -n "$array" ]; then
    i=${array%-*}
    while [ "$i" -le "${array#*-}" ]; do SLURM_ARRAY_TASK_ID=$i sh "$script" > /dev/null || exit 1; i=$((i + 1)); done
else sh "$script" > /dev/null || exit 1; fi
rm -f "$script"; echo "$id"
SH
chmod +x "$tmp/bin/sbatch"
$CAPMATCH sweep "$inst/sweep.yaml" -o "$tmp/slurm-out" --emit slurm > "$tmp/job.sh"; rc=$?
check "--emit slurm exits 0 (got $rc)" '[ $rc = 0 ]'
check "--emit slurm writes nothing itself" '[ ! -e "$tmp/slurm-out" ]'
PATH="$tmp/bin:$PATH" FAKE_SLURM="$tmp/slurm" sh "$tmp/job.sh" > "$tmp/ids"; rc=$?
check "the Slurm script runs (got $rc)" '[ $rc = 0 ]'
check "it submits the array of 13 tasks" 'grep -q -- "--parsable .*--array=0-12 " "$tmp/slurm/calls"'
check "then the merge, after the array succeeded" 'grep -q -- "--parsable .*--dependency=afterok:100 " "$tmp/slurm/calls"'
check "it prints both job ids" 'grep -q "array job: 100" "$tmp/ids" && grep -q "merge job: 101" "$tmp/ids"'
check "the merged sweep.csv equals the local sweep's" 'cmp -s "$tmp/slurm-out/sweep.csv" "$tmp/sw/sweep.csv"'

# SIGTERM: running variants stop and write nothing, finished ones are kept,
# the tables list the rest as missing; no process is left behind.
ex=inputs/example/sweep.yaml
$CAPMATCH sweep "$ex" -o "$tmp/sig" -j 1 --quiet 2> "$tmp/err" &
pid=$!
i=0
while [ ! -f "$tmp/sig/variants/baseline/variant.tsv" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -TERM $pid
wait $pid; rc=$?
check "a sweep stopped by SIGTERM exits 143 (got $rc)" '[ $rc = 143 ]'
check "the finished baseline is kept" 'grep -q "^baseline,optimal," "$tmp/sig/sweep.csv"'
check "the unfinished variants are missing" 'grep -q "^budgets-80,missing," "$tmp/sig/sweep.csv" && grep -q "^strict-quality,missing," "$tmp/sig/sweep.csv"'
left() { for c in /proc/[0-9]*/cmdline; do { tr '\0' ' ' < "$c"; } 2>/dev/null | grep -q "$tmp/sig" && return 0; done; return 1; }
check "no variant process is left" '! left'
check "no temporary is left" '[ -z "$(find "$tmp/sig" -name ".*.tmp.*")" ]'
check "the stopped variant wrote nothing" '[ ! -e "$tmp/sig/variants/budgets-80/variant.tsv" ]'
finish
