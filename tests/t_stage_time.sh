#!/bin/sh
# Where a stage's time goes (docs/solver.md, "Where a stage's time goes"):
# with -v (or --log-file) each stage that ran writes one line "stage N
# time: LP …, RENS/LNS …, root+cuts …, heuristics in search …, B&B …,
# total … s". Checked on a 30x60x6 instance whose three stages are proven
# in about a second with search, heuristics and branching in each:
#  - one line per stage that ran (stage 4 only on a run with a previous
#    plan), none without -v, nothing of it in the output files;
#  - every bucket >= 0 and the buckets add up to the line's total (a bucket
#    counted twice or a span missed breaks the sum), and the total is the
#    stage's seconds in summary.json (a span outside the buckets breaks it);
#  - over the three stages, every bucket but the LP's is above zero (the
#    root's end is found, and the heuristics are charged to theirs);
#  - a stage whose search root took time has a second line "stage N root:
#    set-up …, LP …, cut rounds …, other …, K rounds" whose parts add up
#    to its root+cuts bucket.
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3

$PY tests/gen_instance.py --countries 30 --courses 60 --donors 6 --seed 5 --mip-gap 0.001 \
    --time-limit 60 --formats all --out "$tmp/s" >/dev/null || { bad "generator"; finish; }

# lines.py LOG SUMMARY NSTAGES: the stage-time lines of LOG against SUMMARY
cat > "$tmp/lines.py" <<'PY'
import json, re, sys
log, summ, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
names = ["LP", "RENS/LNS", "root+cuts", "heuristics in search", "B&B"]
pat = re.compile(r"^stage (\d) time: " + ", ".join(re.escape(b) + r" (-?[0-9.]+) s" for b in names)
                 + r", total (-?[0-9.]+) s$")
stages = json.load(open(summ))["stages"]
rpat = re.compile(r"^stage (\d) root: set-up ([0-9.]+) s, LP ([0-9.]+) s, cut rounds ([0-9.]+) s, "
                  r"other ([0-9.]+) s, (\d+) rounds$")
roots = {}
seen, sums, bad = {}, [0.0] * len(names), []
for ln in open(log, errors="replace"):
    if " root: " in ln:
        m = rpat.match(ln.rstrip("\n"))
        if not m:
            bad.append("malformed line: " + ln.strip())
        else:
            roots[int(m.group(1))] = sum(float(x) for x in m.groups()[1:5])
        continue
    if " time: " not in ln:
        continue
    m = pat.match(ln.rstrip("\n"))
    if not m:
        bad.append("malformed line: " + ln.strip())
        continue
    s, v = int(m.group(1)), [float(x) for x in m.groups()[1:]]
    if s in seen:
        bad.append("stage %d: two lines" % s)
    seen[s] = v
    parts, total = v[:-1], v[-1]
    if min(parts) < 0:
        bad.append("stage %d: a negative bucket: %s" % (s, ln.strip()))
    if abs(sum(parts) - total) > 0.004:
        bad.append("stage %d: buckets add up to %.3f, total %.3f" % (s, sum(parts), total))
    if s > len(stages) or abs(stages[s - 1]["seconds"] - total) > 0.002:
        bad.append("stage %d: total %.3f, summary.json says %s" % (s, total,
                   stages[s - 1]["seconds"] if s <= len(stages) else "nothing"))
    sums = [a + b for a, b in zip(sums, parts)]
for s, v in seen.items():   # the root's split adds up to its bucket
    if v[2] > 0.0005 and s not in roots:
        bad.append("stage %d: root+cuts %.3f s but no root line" % (s, v[2]))
    if s in roots and abs(roots[s] - v[2]) > 0.003:
        bad.append("stage %d: the root's parts add up to %.3f, root+cuts %.3f" % (s, roots[s], v[2]))
if set(roots) - set(seen):
    bad.append("root lines without a time line: %s" % sorted(set(roots) - set(seen)))
if sorted(seen) != list(range(1, n + 1)):
    bad.append("lines for stages %s, expected 1-%d" % (sorted(seen), n))
for i, b in enumerate(names[1:], 1):
    if not sums[i] > 0:
        bad.append("bucket %s is 0 over every stage" % b)
print("\n".join(bad) if bad else "ok")
PY

$CAPMATCH run "$tmp/s/scenario.yaml" -o "$tmp/o" --verbose 2>"$tmp/log1" >/dev/null; rc=$?
check "first run exits 0 (got $rc)" '[ $rc = 0 ]'
check "the three stages proven" "$PY -c 'import json,sys; sys.exit(not all(g[\"status\"] == \"optimal\" for g in json.load(open(\"$tmp/o/summary.json\"))[\"stages\"][:3]))'"
r=$($PY "$tmp/lines.py" "$tmp/log1" "$tmp/o/summary.json" 3)
check "stage-time lines of the first run: $r" '[ "$r" = ok ]'
check "nothing of the lines in the output files" '! grep -rlE "root\+cuts|heuristics in search" "$tmp/o" >/dev/null'

# a second run into the same folder (its history database: formats all)
# minimises the churn (stage 4); its
# lines go to --log-file, which implies -v
$CAPMATCH run "$tmp/s/scenario.yaml" -o "$tmp/o" --log-file "$tmp/log2" 2>"$tmp/err2" >/dev/null; rc=$?
check "second run exits 0 (got $rc)" '[ $rc = 0 ]'
r=$($PY "$tmp/lines.py" "$tmp/log2" "$tmp/o/summary.json" 4)
check "stage-time lines with stage 4, in --log-file: $r" '[ "$r" = ok ]'

# without -v: no line anywhere
$CAPMATCH run "$tmp/s/scenario.yaml" -o "$tmp/o3" >"$tmp/out3" 2>"$tmp/err3"; rc=$?
check "plain run exits 0 (got $rc)" '[ $rc = 0 ]'
check "no stage-time line without -v" '! grep -q " time: " "$tmp/out3" "$tmp/err3"'
$CAPMATCH run "$tmp/s/scenario.yaml" -o "$tmp/o4" --quiet >"$tmp/out4" 2>"$tmp/err4"
check "no stage-time line with --quiet" '! grep -q " time: " "$tmp/out4" "$tmp/err4"'
finish
