#!/usr/bin/python3
"""tests/xcheck.py -- cross-check capmatch against models/capmatch.mod.

  xcheck.py DIR [--capmatch PATH] [--glpsol-only] [--time-limit S]
            [--model FILE] [--no-cuts]
  xcheck.py --batch FIRST-LAST [--jobs N] [--keep]   (generates the instances)

DIR holds an instance written by tests/gen_instance.py (scenario.yaml and
data.dat).  The MathProg model is solved with glpsol in three lexicographic
stages (max score; min cost at that score; min seats at that score and cost);
then `$CAPMATCH run DIR/scenario.yaml -o DIR/out --quiet` is run and its
summary.json compared: score within 1e-6*max(1,|score|), total_cost within
0.01, seats exact.  Finally capmatch's own plan (allocations.csv and
funding.csv) is audited by the model (stage 4): every pair and donor must be
eligible, every constraint hold, and the plan's score/cost/seats must be the
ones summary.json reports.  Exit status: 0 agree, 1 disagree.
"""
import argparse
import concurrent.futures
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.path.dirname(HERE), "models", "capmatch.mod")

STATUS_LINES = [
    ("INTEGER OPTIMAL SOLUTION FOUND", "optimal"),
    ("TIME LIMIT EXCEEDED", "time_limit"),
    ("PROBLEM HAS NO INTEGER FEASIBLE SOLUTION", "infeasible"),
    ("PROBLEM HAS NO PRIMAL FEASIBLE SOLUTION", "infeasible"),
    ("MathProg model processing error", "model_error"),
    # no integer column left (no eligible pair): glpsol solves an LP
    ("OPTIMAL SOLUTION FOUND BY LP PREPROCESSOR", "optimal"),
    ("OPTIMAL LP SOLUTION FOUND", "optimal"),
]


def read_result(path):
    res = {"x": {}, "f": {}, "cov": {}}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            p = line.split()
            if not p:
                continue
            if p[0] in ("stage", "seats", "pairs"):
                res[p[0]] = int(p[1])
            elif p[0] in ("objective", "score", "cost"):
                res[p[0]] = float(p[1])
            elif p[0] == "x":
                res["x"][(p[1], p[2])] = int(p[3])
            elif p[0] == "f":
                res["f"][(p[1], p[2], p[3])] = float(p[4])
            elif p[0] == "cov":
                res["cov"][(p[1], p[2])] = (int(p[3]), float(p[4]), float(p[5]))
            elif p[0] == "end":
                res["complete"] = True
    return res


def q(v):
    return "'" + str(v).replace("'", "''") + "'"


def glpsol_stage(d, stage, score_min, cost_max, model, time_limit, cuts, plan=None):
    """Solve one stage (4 = audit plan (x, f)); returns
    (status, seconds, result dict or None, log)."""
    out = os.path.join(d, "glpsol.s%d.out" % stage)
    dat = os.path.join(d, "glpsol.s%d.dat" % stage)
    if os.path.exists(out):
        os.remove(out)
    with open(dat, "w", encoding="utf-8") as fh:
        fh.write("data;\nparam stage := %d;\nparam score_min := %.12g;\n"
                 "param cost_max := %.12g;\nparam out_file := %s;\n"
                 % (stage, score_min, cost_max, q(out)))
        if plan is not None:
            x, f = plan
            if x:
                fh.write("param : FIXX : fix_x :=\n")
                fh.writelines("  %s %s %d\n" % (q(c), q(k), v) for (c, k), v in sorted(x.items()))
                fh.write(";\n")
            if f:
                fh.write("param : FIXF : fix_f :=\n")
                fh.writelines("  %s %s %s %.6f\n" % (q(dn), q(c), q(k), v)
                              for (dn, c, k), v in sorted(f.items()))
                fh.write(";\n")
        fh.write("end;\n")
    cmd = ["glpsol", "-m", model, "-d", os.path.join(d, "data.dat"), "-d", dat]
    if cuts:
        cmd.append("--cuts")
    if time_limit:
        cmd += ["--tmlim", str(int(time_limit))]
    t0 = time.monotonic()
    try:
        # MathProg generation is not covered by --tmlim: bound the whole run
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True,
                           timeout=(time_limit * 3 + 30) if time_limit else None)
        log = p.stdout
    except subprocess.TimeoutExpired as e:
        return "timeout", time.monotonic() - t0, None, str(e.output or "")
    secs = time.monotonic() - t0
    status = "error"
    for text, st in STATUS_LINES:
        if text in log:
            status = st
            break
    res = None
    if os.path.exists(out):
        res = read_result(out)
        if not res.get("complete"):
            res = None
    return status, secs, res, log


def solve_glpsol(d, model=MODEL, time_limit=None, cuts=True, verbose=False):
    """Three lexicographic stages; returns a dict with score, cost, seats."""
    r = {"stages": []}
    score_min = cost_max = 0.0
    res = None
    for stage in (1, 2, 3):
        st, secs, res, log = glpsol_stage(d, stage, score_min, cost_max, model,
                                          time_limit, cuts)
        if st == "error" and cuts:
            # GLPK 5.0 with --cuts aborts ("glp_add_cols: ncs = 0") when its
            # MIP preprocessing removes every column: solve again without
            st, secs2, res, log = glpsol_stage(d, stage, score_min, cost_max, model,
                                               time_limit, False)
            secs += secs2
        r["stages"].append({"status": st, "seconds": round(secs, 3)})
        if verbose:
            sys.stderr.write(log)
        if res is None or st not in ("optimal", "time_limit"):
            r["status"] = st
            r["log"] = log[-2000:]
            return r
        if stage == 1:
            score_min = res["score"]
        elif stage == 2:
            cost_max = res["cost"]
    r["status"] = "optimal" if all(s["status"] == "optimal" for s in r["stages"]) \
        else "time_limit"
    r.update(score=res["score"], cost=res["cost"], seats=res["seats"],
             x=res["x"], cov=res["cov"], pairs=res.get("pairs"))
    return r


def run_capmatch(d, capmatch, time_limit=None):
    out = os.path.join(d, "out")
    cmd = [capmatch, "run", os.path.join(d, "scenario.yaml"), "-o", out, "--quiet"]
    if time_limit:
        cmd += ["--time-limit", str(time_limit)]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True,
                           timeout=(time_limit * 3 + 30) if time_limit else 600)
    except subprocess.TimeoutExpired:
        return {"error": "capmatch timed out"}
    secs = time.monotonic() - t0
    if p.returncode != 0:
        return {"error": "capmatch exit %d: %s" % (p.returncode, p.stderr.strip()[:2000])}
    try:
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as fh:
            s = json.load(fh)
    except (OSError, ValueError) as e:
        return {"error": "summary.json: %s" % e}
    s["_seconds"] = secs
    s["_allocations"] = read_allocations(os.path.join(out, "allocations.csv"))
    s["_funding"] = read_funding(os.path.join(out, "funding.csv"))
    return s


def sum_csv(path, keys, column, conv):
    """Sums conv(row[column]) over the rows of a CSV file, keyed by the
    tuple of the `keys` columns; None when the file cannot be read."""
    total = {}
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                key = tuple(row[k] for k in keys)
                total[key] = total.get(key, 0) + conv(row[column])
    except (OSError, KeyError, ValueError):
        return None
    return total


def read_allocations(path):
    return sum_csv(path, ("country", "course"), "seats", int)


def read_costs(path):
    return sum_csv(path, ("country", "course"), "cost", float)


def read_funding(path):
    return sum_csv(path, ("donor", "country", "course"), "amount", float)


def audit(d, s, model=MODEL):
    """Check capmatch's own plan against the model (stage 4): list of problems."""
    x, f = s.get("_allocations"), s.get("_funding")
    if x is None or f is None:
        return ["allocations.csv or funding.csv missing or malformed"]
    bad = []
    # Name the usual culprit first: money per pair must equal the seats' cost
    # (allocations.csv cost column), up to the cent rounding of each amount.
    costs = read_costs(os.path.join(d, "out", "allocations.csv")) or {}
    paid = {}
    for (_, c, k), v in f.items():
        paid[(c, k)] = paid.get((c, k), 0.0) + v
    ndon = {}
    for (_, c, k) in f:
        ndon[(c, k)] = ndon.get((c, k), 0) + 1
    for key in sorted(set(costs) | set(paid)):
        if abs(costs.get(key, 0.0) - paid.get(key, 0.0)) > 0.0051 * max(1, ndon.get(key, 1)):
            bad.append("funding.csv pays %.2f for %s/%s, allocations.csv says it costs %.2f"
                       % (paid.get(key, 0.0), key[0], key[1], costs.get(key, 0.0)))
    st, _, res, log = glpsol_stage(d, 4, 0, 0, model, None, False, (x, f))
    if st == "model_error":
        lines = [l for l in log.splitlines() if "failed" in l or "error" in l]
        return ["plan uses an ineligible pair or donor: %s" % " | ".join(lines[-3:])]
    if st != "optimal" or res is None:
        return bad + ["plan violates a constraint of the allocation problem (glpsol: %s)" % st]
    if abs(res["score"] - s["score"]) > 1e-6 * max(1.0, abs(res["score"])):
        bad.append("score of capmatch's own plan is %.9g, summary says %.9g"
                   % (res["score"], s["score"]))
    if abs(res["cost"] - s["total_cost"]) > 0.01:
        bad.append("cost of capmatch's own plan is %.2f, summary says %.2f"
                   % (res["cost"], s["total_cost"]))
    if res["seats"] != s["seats"]:
        bad.append("seats of capmatch's own plan: %d, summary says %s"
                   % (res["seats"], s["seats"]))
    return bad


def compare(g, s):
    """List of disagreements between glpsol result g and capmatch summary s."""
    bad = []
    for key in ("score", "total_cost", "seats"):
        if not isinstance(s.get(key), (int, float)):
            bad.append("summary.json has no numeric %s" % key)
    if bad:
        return bad
    if abs(g["score"] - s["score"]) > 1e-6 * max(1.0, abs(g["score"])):
        bad.append("score: glpsol %.9g, capmatch %.9g" % (g["score"], s["score"]))
    if abs(g["cost"] - s["total_cost"]) > 0.01:
        bad.append("cost: glpsol %.2f, capmatch %.2f" % (g["cost"], s["total_cost"]))
    if g["seats"] != s["seats"]:
        bad.append("seats: glpsol %d, capmatch %s" % (g["seats"], s["seats"]))
    if s.get("status") != "optimal":
        bad.append("capmatch status %s (expected optimal)" % s.get("status"))
    return bad


def check_one(d, capmatch, model=MODEL, time_limit=None, cuts=True):
    """Cross-check one instance directory: (ok, message lines, glpsol result)."""
    g = solve_glpsol(d, model, time_limit, cuts)
    if "score" not in g:
        return False, ["glpsol failed (%s)" % g["status"], g.get("log", "")[-1500:]], g
    s = run_capmatch(d, capmatch, time_limit)
    if "error" in s:
        return False, [s["error"]], g
    bad = compare(g, s)
    if not any(b.startswith("summary.json has no") for b in bad):
        bad += audit(d, s, model)
    msgs = list(bad)
    ca = s.get("_allocations")
    if bad and ca is not None:
        for key in sorted(set(ca) | set(g["x"])):
            if ca.get(key, 0) != g["x"].get(key, 0):
                msgs.append("  x%s glpsol %d capmatch %d" % (key, g["x"].get(key, 0), ca.get(key, 0)))
    if not bad:
        msgs = ["agree score=%.6f cost=%.2f seats=%d" % (g["score"], g["cost"], g["seats"])]
    return not bad, msgs, g


def batch_sizes(seed):
    """Small instance family of the cross-check: 3-6 countries, 4-10
    courses, 1-3 donors, varied by seed."""
    return 3 + seed % 4, 4 + (seed // 4) % 7, 1 + (seed // 2) % 3


def run_batch(a):
    sys.dont_write_bytecode = True          # no tests/__pycache__ in the tree
    sys.path.insert(0, HERE)
    import gen_instance
    lo, _, hi = a.batch.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    root = tempfile.mkdtemp(prefix="xcheck.")
    t0 = time.monotonic()

    def one(seed):
        n, k, dn = batch_sizes(seed)
        d = os.path.join(root, "s%d" % seed)
        ga = argparse.Namespace(countries=n, courses=k, donors=dn, seed=seed,
                                out=d, topics=12, time_limit=60, mip_gap=0.0, db="auto",
                                ratings=0.4)
        os.makedirs(d)
        inst = gen_instance.generate(ga)
        gen_instance.write_yaml(inst, d)
        if inst.db:
            gen_instance.write_db(inst, d)
        gen_instance.write_dat(inst, d)
        ok, msgs, _ = check_one(d, a.capmatch, a.model, a.time_limit, not a.no_cuts)
        return seed, (n, k, dn), d, ok, msgs

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for seed, size, d, ok, msgs in ex.map(one, seeds):
            if ok:
                passed += 1
                if not a.keep:
                    shutil.rmtree(d, ignore_errors=True)
            else:
                failed += 1
                print("FAIL seed %d (%dx%dx%d) %s: %s" % ((seed,) + size + (d, msgs[0])))
                for m in msgs[1:]:
                    print("   " + m)
    if failed == 0 and not a.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print("instances kept in %s (regenerate: tests/gen_instance.py "
              "--countries N --courses K --donors D --seed S --out DIR)" % root)
    print("cross-check of seeds %s in %.1f s" % (a.batch, time.monotonic() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--capmatch", default=os.environ.get("CAPMATCH"))
    ap.add_argument("--glpsol-only", action="store_true")
    ap.add_argument("--batch", metavar="FIRST-LAST",
                    help="generate and cross-check the small instances of these seeds")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep batch instances")
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--no-cuts", action="store_true")
    ap.add_argument("--expect", metavar="SCORE,COST,SEATS",
                    help="also require this hand-computed optimum (DIR mode)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not a.glpsol_only and not a.capmatch:
        ap.error("--capmatch or $CAPMATCH is required (or --glpsol-only)")
    if a.batch:
        return run_batch(a)
    if not a.dir:
        ap.error("DIR or --batch is required")
    if a.glpsol_only:
        g = solve_glpsol(a.dir, a.model, a.time_limit, not a.no_cuts, a.verbose)
        if "score" not in g:
            print("%s: glpsol failed (%s)\n%s" % (a.dir, g["status"], g.get("log", "")))
            return 2
        print("%s: glpsol %s score=%.6f cost=%.2f seats=%d (%s s)" % (
            a.dir, g["status"], g["score"], g["cost"], g["seats"],
            "+".join(str(x["seconds"]) for x in g["stages"])))
        ok = True
    else:
        ok, msgs, g = check_one(a.dir, a.capmatch, a.model, a.time_limit, not a.no_cuts)
        print("%s: %s" % (a.dir, msgs[0]))
        for m in msgs[1:]:
            print("   " + m)
    if a.expect and "score" in g:
        want = [float(v) for v in a.expect.split(",")]
        got = (g["score"], g["cost"], g["seats"])
        if (abs(got[0] - want[0]) > 1e-6 * max(1, abs(want[0]))
                or abs(got[1] - want[1]) > 0.01 or got[2] != int(want[2])):
            print("%s: model optimum score=%.6f cost=%.2f seats=%d, hand-computed %s"
                  % ((a.dir,) + got + (a.expect,)))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
