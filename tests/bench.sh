#!/bin/sh
# tests/bench.sh BUILD_DIR — benchmark capmatch against glpsol on the
# independent MathProg model (models/capmatch.mod). Called by `make bench`.
#
# Generates (into BUILD_DIR/bench/, not committed) the instance families
# 25x40x6, 60x120x10 and 195x1000x40 (countries x courses x donors), seeds
# 1-3, with solver.mip_gap 0.0001 and time_limit $BENCH_TIME_LIMIT (default
# 60 s). For each it runs `capmatch run` and glpsol (max-score stage only,
# --cuts, same time limit and gap; glpsol's MathProg generation is not
# covered by --tmlim, so the wall time can exceed it), prints a table and
# appends the rows to BUILD_DIR/bench/results.csv.
# Overrides: BENCH_TIME_LIMIT=S, BENCH_FAMILIES="25x40x6 60x120x10",
# BENCH_SEEDS="1 2 3", BENCH_GLPSOL=0 (skip glpsol).
set -u
BUILD=${1:-build}
[ -x "$BUILD/capmatch" ] || { echo "bench: $BUILD/capmatch not built" >&2; exit 1; }
mkdir -p "$BUILD/bench" || exit 1
exec /usr/bin/python3 - "$BUILD" <<'PY'
import csv, datetime, json, os, subprocess, sys, time

build = sys.argv[1]
bench = os.path.join(build, "bench")
capmatch = os.path.abspath(os.path.join(build, "capmatch"))
limit = float(os.environ.get("BENCH_TIME_LIMIT", "60"))
families = os.environ.get("BENCH_FAMILIES", "25x40x6 60x120x10 195x1000x40").split()
seeds = [int(s) for s in os.environ.get("BENCH_SEEDS", "1 2 3").split()]
use_glpsol = os.environ.get("BENCH_GLPSOL", "1") != "0"
model = os.path.join("models", "capmatch.mod")
try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, universal_newlines=True).stdout.strip()
except OSError:
    commit = ""
stamp = datetime.datetime.now().isoformat(timespec="seconds")


def fmt(v, spec="%.2f"):
    return "-" if v is None else (spec % v if isinstance(v, (int, float)) else str(v))


def run_capmatch(d):
    out = os.path.join(d, "out")
    t0 = time.monotonic()
    try:
        p = subprocess.run([capmatch, "run", os.path.join(d, "scenario.yaml"), "-o", out,
                            "--quiet", "--time-limit", "%g" % limit],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=limit * 4 + 60)
    except subprocess.TimeoutExpired:
        return {"status": "killed", "wall": time.monotonic() - t0}
    r = {"wall": time.monotonic() - t0}
    if p.returncode != 0:
        r["status"] = "exit%d" % p.returncode
        sys.stderr.write("%s: %s\n" % (d, p.stderr.strip()[:300]))
        return r
    try:
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as fh:
            s = json.load(fh)
    except (OSError, ValueError) as e:
        r["status"] = "no-summary"
        return r
    r.update(status=s.get("status"), score=s.get("score"), bound=s.get("score_bound"),
             cost=s.get("total_cost"), seats=s.get("seats"), solve=s.get("solve_seconds"))
    st = s.get("stages") if isinstance(s.get("stages"), list) else []
    for i in range(3):
        g = st[i] if i < len(st) and isinstance(st[i], dict) else {}
        r["s%d" % (i + 1)] = g.get("seconds")
        r["gap%d" % (i + 1)] = g.get("gap")
    return r


def run_glpsol(d):
    out = os.path.join(d, "glpsol.out")
    dat = os.path.join(d, "glpsol.dat")
    with open(dat, "w", encoding="utf-8") as fh:
        fh.write("data;\nparam stage := 1;\nparam out_file := '%s';\nend;\n" % out)
    if os.path.exists(out):
        os.remove(out)
    t0 = time.monotonic()
    try:
        p = subprocess.run(["glpsol", "-m", model, "-d", os.path.join(d, "data.dat"), "-d", dat,
                            "--cuts", "--mipgap", "0.0001", "--tmlim", "%d" % limit],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=limit * 4 + 60)
        log = p.stdout
    except subprocess.TimeoutExpired:
        return {"gstatus": "killed", "gwall": time.monotonic() - t0}
    r = {"gwall": time.monotonic() - t0, "gstatus": "error"}
    for text, st in (("INTEGER OPTIMAL", "optimal"), ("TIME LIMIT", "time_limit"),
                     ("NO INTEGER FEASIBLE", "infeasible"), ("OPTIMAL", "optimal")):
        if text in log:
            r["gstatus"] = st
            break
    try:
        with open(out, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("score "):
                    r["gscore"] = float(line.split()[1])
    except OSError:
        pass
    with open(os.path.join(d, "glpsol.log"), "w", encoding="utf-8") as fh:
        fh.write(log)
    return r


cols = ["family", "seed", "status", "wall_s", "solve_s", "s1_s", "s2_s", "s3_s",
        "gap1", "gap2", "gap3", "score", "score_bound", "cost", "seats",
        "glpsol_s", "glpsol_status", "glpsol_score"]
print("%-12s %4s %-11s %7s %7s %7s %7s %7s %9s %12s %12s %8s %-11s %12s" % (
    "family", "seed", "status", "wall_s", "s1_s", "s2_s", "s3_s", "gap1", "gap3",
    "score", "bound", "glpsol_s", "glpsol", "glpsol_score"))
rows = []
for fam in families:
    n, k, dn = (int(v) for v in fam.split("x"))
    for seed in seeds:
        d = os.path.join(bench, "%s-s%d" % (fam, seed))
        subprocess.run(["/usr/bin/python3", "tests/gen_instance.py", "--countries", str(n),
                        "--courses", str(k), "--donors", str(dn), "--seed", str(seed),
                        "--out", d, "--time-limit", "%g" % limit, "--mip-gap", "0.0001"],
                       check=True)
        r = run_capmatch(d)
        if use_glpsol:
            r.update(run_glpsol(d))
        row = {"family": fam, "seed": seed, "status": r.get("status"),
               "wall_s": r.get("wall"), "solve_s": r.get("solve"),
               "s1_s": r.get("s1"), "s2_s": r.get("s2"), "s3_s": r.get("s3"),
               "gap1": r.get("gap1"), "gap2": r.get("gap2"), "gap3": r.get("gap3"),
               "score": r.get("score"), "score_bound": r.get("bound"),
               "cost": r.get("cost"), "seats": r.get("seats"),
               "glpsol_s": r.get("gwall"), "glpsol_status": r.get("gstatus"),
               "glpsol_score": r.get("gscore")}
        rows.append(row)
        print("%-12s %4d %-11s %7s %7s %7s %7s %7s %9s %12s %12s %8s %-11s %12s" % (
            fam, seed, fmt(row["status"], "%s"), fmt(row["wall_s"]), fmt(row["s1_s"]),
            fmt(row["s2_s"]), fmt(row["s3_s"]), fmt(row["gap1"], "%.2g"),
            fmt(row["gap3"], "%.2g"), fmt(row["score"], "%.4f"),
            fmt(row["score_bound"], "%.4f"), fmt(row["glpsol_s"]),
            fmt(row["glpsol_status"], "%s"), fmt(row["glpsol_score"], "%.4f")), flush=True)

path = os.path.join(bench, "results.csv")
new = not os.path.exists(path)
with open(path, "a", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    if new:
        w.writerow(["when", "commit", "time_limit"] + cols)
    for row in rows:
        w.writerow([stamp, commit, "%g" % limit] +
                   ["" if row[c] is None else (round(row[c], 4) if isinstance(row[c], float)
                                               else row[c]) for c in cols])
print("rows appended to %s" % path)
PY
