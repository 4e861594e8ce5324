#!/usr/bin/python3
"""bench/knap_bench.py -- `make bench BENCH_MODE=knap`: Pisinger's knapsack
families (bench/knap_instance.py) solved by capmatch against the exact
optimum of a dynamic program (bench/knap_dp.c).

  knap_bench.py --build DIR [--capmatch PATH] [--dp PATH] [--dir DIR]
                [--n "100 200"] [--families "weak strong"] [--seeds "1 2 3"]
                [--time-limit S] [--range R] [--max-cells X]

Each instance (family x n x seed) is written into DIR/<family>-n<N>-s<seed>-r<R>/
(default BUILD/bench/knap), its optimum computed by the DP program (skipped,
"no DP", where n * capacity exceeds --max-cells), then solved by
`capmatch run --time-limit S`, one process at a time. Per instance: stage
1's status, seconds and nodes (summary.json), and the plan's profit, read
back from allocations.csv (each seat of course k<j> is item j) and checked
against the instance: its weight within the capacity and its profit equal
to 16 x the reported score. The verdict against the DP: equal, differs or
no DP. A stage 1 reported optimal that differs from the DP, a plan better
than the DP optimum, a proven bound below it, a plan over the capacity or a
score that is not the plan's profit / 16 is printed as a MISMATCH (stdout
and stderr) and makes the exit status 1: that is a bug.

Rows are appended to DIR/../knap.csv (BUILD/bench/knap.csv) one instance at
a time; the table and one summary line per family ("proven k of n, matches
DP on k of m") go to stdout.

Environment (the defaults of the options): BENCH_KNAP_N (default
"100 200 500 1000 2000 5000 10000"), BENCH_KNAP_FAMILIES (default
"uncorrelated weak strong subset"), BENCH_SEEDS (default "1 2 3"),
BENCH_TIME_LIMIT (default 60), BENCH_KNAP_RANGE (1000 or 10000; default
1000), BENCH_KNAP_DP_CELLS (default 1e10: about 10 s of DP on the VM).
"""
import argparse
import csv
import datetime
import json
import os
import platform
import sys
import time

sys.dont_write_bytecode = True          # no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_logs import num, read_text  # noqa: E402
from bench_report import append_csv, git_commit, proc_status, run_proc  # noqa: E402
import knap_instance  # noqa: E402

COLS = ["when", "commit", "host", "loadavg", "time_limit", "family", "range", "n", "seed",
        "capacity", "status", "s1_status", "s1_s", "s1_nodes", "s1_obj", "s1_bound",
        "plan_profit", "plan_weight", "dp_opt", "dp_s", "verdict", "wall_s", "note"]
DEFAULT_N = "100 200 500 1000 2000 5000 10000"
DEFAULT_FAMILIES = " ".join(knap_instance.FAMILIES)
SCALE = knap_instance.SCALE


def env(name, default):
    return (os.environ.get(name) or "").strip() or default


def dp_run(prog, d, max_cells, timeout):
    """(optimum or None, seconds, error or None)."""
    log = os.path.join(d, "dp.log")
    r = run_proc([prog, os.path.join(d, "knap.txt"), "%.0f" % max_cells], log, timeout)
    bad = proc_status(r)
    txt = read_text(log).strip()
    if bad:
        return None, r["wall"], "DP %s: %s" % (bad, txt[-200:])
    if txt == "no DP":
        return None, r["wall"], None
    try:
        return int(txt), r["wall"], None
    except ValueError:
        return None, r["wall"], "DP printed %r" % txt[-200:]


def plan_of(out, w, p):
    """(profit, weight, error) of the plan in out/allocations.csv."""
    prof = wt = 0
    try:
        with open(os.path.join(out, "allocations.csv"), newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                k = r["course"]
                j = int(k[1:]) if k[:1] == "k" and k[1:].isdigit() else -1
                if not 0 <= j < len(w) or r["country"] != "KEN":
                    return None, None, "allocations.csv: unknown row %s/%s" % (r["country"], k)
                s = int(r["seats"])
                if s != 1:
                    return None, None, "allocations.csv: %d seats of %s (the need has 1)" % (s, k)
                prof += p[j]
                wt += w[j]
    except (OSError, ValueError, KeyError) as e:
        return None, None, "allocations.csv: %s" % e
    return prof, wt, None


def capmatch_run(a, d, w, p):
    row = {}
    out = os.path.join(d, "out")
    log = os.path.join(d, "capmatch.log")
    r = run_proc([a.capmatch, "run", os.path.join(d, "scenario.yaml"), "-o", out, "--quiet",
                  "--time-limit", "%g" % a.time_limit], log, a.time_limit * 2 + 60)
    row["wall_s"] = r["wall"]
    bad = proc_status(r)
    if bad:
        row.update(status=bad, note=" ".join(read_text(log, 300).split()))
        return row
    try:
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as fh:
            s = json.load(fh)
        g = s["stages"][0]
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        row.update(status="no-summary", note=str(e))
        return row
    row.update(status=s.get("status"), s1_status=g.get("status"), s1_s=num(g.get("seconds")),
               s1_nodes=g.get("nodes"), s1_obj=num(g.get("objective")), s1_bound=num(g.get("bound")))
    row["plan_profit"], row["plan_weight"], err = plan_of(out, w, p)
    if err:
        row["note"] = err
    return row


def judge(row, c):
    """Sets verdict; returns the MISMATCH reasons (a bug each)."""
    bad = []
    dp, prof, obj = row.get("dp_opt"), row.get("plan_profit"), row.get("s1_obj")
    if prof is None:
        row["verdict"] = "no plan"
    elif dp is None:
        row["verdict"] = "no DP"
    else:
        row["verdict"] = "equal" if prof == dp else "differs"
    if prof is not None:
        if row["plan_weight"] > c:
            bad.append("plan weighs %d, capacity %d" % (row["plan_weight"], c))
        if obj is None or abs(obj * SCALE - prof) > 1e-6:
            bad.append("score %s is not the plan's profit %d / %d" % (obj, prof, SCALE))
    if dp is not None:
        if prof is not None and prof != dp and row.get("s1_status") == "optimal":
            bad.append("stage 1 optimal at profit %d, DP optimum %d" % (prof, dp))
        if prof is not None and prof > dp:
            bad.append("plan profit %d above the DP optimum %d" % (prof, dp))
        bnd = row.get("s1_bound")
        if bnd is not None and bnd * SCALE < dp - 1e-6:
            bad.append("bound %.6g (profit %.6g) below the DP optimum %d" % (bnd, bnd * SCALE, dp))
    return bad


def fmt(v, spec):
    return "" if v is None else spec % v


HEAD = "%-12s %6s %4s %9s %-11s %8s %8s %10s %10s %7s %-8s" % (
    "family", "n", "seed", "capacity", "stage 1", "s1_s", "nodes", "profit", "DP", "dp_s",
    "vs DP")


def line(r):
    return "%-12s %6d %4d %9d %-11s %8s %8s %10s %10s %7s %-8s%s" % (
        r["family"], r["n"], r["seed"], r["capacity"], r.get("s1_status") or r.get("status") or "",
        fmt(r.get("s1_s"), "%.2f"), fmt(r.get("s1_nodes"), "%d"), fmt(r.get("plan_profit"), "%d"),
        fmt(r.get("dp_opt"), "%d") if r.get("dp_opt") is not None else "no DP",
        fmt(r.get("dp_s"), "%.2f"), r.get("verdict", ""),
        ("  " + r["note"]) if r.get("note") else "")


def summary(rows, fams):
    out = []
    for fam in fams:
        rs = [r for r in rows if r["family"] == fam]
        if not rs:
            continue
        proven = sum(1 for r in rs if r.get("s1_status") == "optimal")
        withdp = [r for r in rs if r.get("dp_opt") is not None]
        eq = sum(1 for r in withdp if r.get("verdict") == "equal")
        out.append("knap: %-12s proven %d of %d, matches DP on %d of %d (no DP on %d)"
                   % (fam, proven, len(rs), eq, len(withdp), len(rs) - len(withdp)))
    return out


def cell(v):
    if v is None:
        return ""
    return repr(v) if isinstance(v, float) else v     # all digits: bounds are compared


def append_row(path, row):
    append_csv(path, [row], COLS, cell, "knap")


def main():
    ap = argparse.ArgumentParser(description="capmatch on Pisinger's knapsack families")
    ap.add_argument("--build", default="build")
    ap.add_argument("--capmatch")
    ap.add_argument("--dp")
    ap.add_argument("--dir")
    ap.add_argument("--n", default=env("BENCH_KNAP_N", DEFAULT_N))
    ap.add_argument("--families", default=env("BENCH_KNAP_FAMILIES", DEFAULT_FAMILIES))
    ap.add_argument("--seeds", default=env("BENCH_SEEDS", "1 2 3"))
    ap.add_argument("--time-limit", type=float, default=float(env("BENCH_TIME_LIMIT", "60")))
    ap.add_argument("--range", type=int, default=int(env("BENCH_KNAP_RANGE", "1000")), dest="r")
    ap.add_argument("--max-cells", type=float, default=float(env("BENCH_KNAP_DP_CELLS", "1e10")))
    a = ap.parse_args()
    a.capmatch = os.path.abspath(a.capmatch or os.path.join(a.build, "capmatch"))
    a.dp = os.path.abspath(a.dp or os.path.join(a.build, "bench", "knap_dp"))
    a.dir = a.dir or os.path.join(a.build, "bench", "knap")
    try:
        ns = [int(v) for v in a.n.split()]
        seeds = [int(v) for v in a.seeds.split()]
        fams = a.families.split()
        if (not ns or min(ns) < 1 or not seeds or not fams or not a.time_limit > 0
                or a.r not in (1000, 10000) or not a.max_cells >= 0):
            raise ValueError()
        for fam in fams:
            if fam not in knap_instance.FAMILIES:
                raise ValueError()
    except ValueError:
        sys.stderr.write("knap: BENCH_KNAP_N and BENCH_SEEDS take integers, BENCH_KNAP_FAMILIES "
                         "some of %s, BENCH_TIME_LIMIT > 0, BENCH_KNAP_RANGE 1000 or 10000, "
                         "BENCH_KNAP_DP_CELLS >= 0\n" % DEFAULT_FAMILIES)
        return 64
    for prog in (a.capmatch, a.dp):
        if not os.access(prog, os.X_OK):
            sys.stderr.write("knap: program not found: %s\n" % prog)
            return 66
    os.makedirs(a.dir, exist_ok=True)
    csv_path = os.path.join(os.path.dirname(os.path.abspath(a.dir)), "knap.csv")
    load = os.getloadavg()
    print("knap: %d families x %d sizes x %d seeds, R = %d, capacity 50/101 of the weights, "
          "%g s a run, DP up to %.3g cells; %s, load average %.2f %.2f %.2f"
          % (len(fams), len(ns), len(seeds), a.r, a.time_limit, a.max_cells,
             platform.node(), load[0], load[1], load[2]))
    common = {"when": datetime.datetime.now().isoformat(timespec="seconds"),
              "commit": git_commit(), "host": platform.node(), "loadavg": round(load[0], 2),
              "time_limit": a.time_limit, "range": a.r}
    print(HEAD, flush=True)
    rows, bugs = [], 0
    try:
        for fam in fams:
            for n in ns:
                for seed in seeds:
                    w, p, c = knap_instance.generate(n, seed, fam, a.r)
                    d = os.path.join(a.dir, "%s-n%d-s%d-r%d" % (fam, n, seed, a.r))
                    knap_instance.write(d, w, p, c, "%s n=%d seed %d R=%d" % (fam, n, seed, a.r))
                    row = dict(common, family=fam, n=n, seed=seed, capacity=c)
                    row["dp_opt"], row["dp_s"], err = dp_run(a.dp, d, a.max_cells, 3600)
                    row.update(capmatch_run(a, d, w, p))
                    if err:
                        row["note"] = ((row.get("note") or "") + "; " + err).lstrip("; ")
                    why = judge(row, c)
                    print(line(row), flush=True)
                    if why:
                        bugs += 1
                        msg = "knap: MISMATCH %s n=%d seed %d: %s" % (fam, n, seed, "; ".join(why))
                        row["note"] = ((row.get("note") or "") + "; MISMATCH: " + "; ".join(why)).lstrip("; ")
                        print("!" * 72 + "\n" + msg + "\n" + "!" * 72, flush=True)
                        sys.stderr.write(msg + "\n")
                    append_row(csv_path, row)
                    rows.append(row)
    except KeyboardInterrupt:
        print("knap: interrupted; keeping the %d rows so far" % len(rows))
    for ln in summary(rows, fams):
        print(ln)
    load = os.getloadavg()
    print("knap: %d rows appended to %s; load average %.2f %.2f %.2f; %s"
          % (len(rows), csv_path, load[0], load[1], load[2],
             "%d MISMATCH(ES): a bug" % bugs if bugs else "no mismatch"))
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
