#!/usr/bin/python3
"""bench/bench_report.py -- capmatch benchmark: runs, tables, medians.

  bench_report.py run [--build DIR] [--capmatch PATH] [--dir DIR]
                      [--families "25x40x6 ..."] [--seeds "1 2 3"]
                      [--time-limit S] [--solvers "capmatch glpsol cbc"]
  bench_report.py write [--build DIR] [--family 195x1000x40] [--seeds "1"]
  bench_report.py summary [CSV] [--all]

`run` (what `make bench` calls through bench/bench.sh) generates every
instance of the families (countries x courses x donors, seeded, written by
tests/gen_instance.py into BUILD/bench/, output.formats = all) and solves it
one process at a time with
  capmatch  `capmatch validate` (load time), then `capmatch run` (summary.json
            gives solve_seconds and the per-stage seconds, nodes, objective,
            bound, gap; build = solve_seconds - stage seconds; write = the
            rest of the run's wall time after load and solve); its -v log
            (--log-file TAG.vlog) gives each stage's time split, the
            columns sN_lp_s, sN_sub_s, sN_root_s, sN_heur_s, sN_bb_s
            (LP, RENS/LNS, root+cuts, heuristics in search, B&B), and of
            root+cuts the root's LP solves and cut rounds, sN_rootlp_s and
            sN_cuts_s;
  glpsol    models/capmatch.mod with the instance's data.dat, stage 1 (max
            score), --cuts, same time limit and mip gap;
  cbc       the stage-1 model capmatch writes with --export-model (a
            separate short run), same time limit (elapsed) and gap; when
            stage 1 is proven, stages 2 and 3 as capmatch runs them (the
            export carries their objectives as free rows; each proven
            optimum becomes the next stage's limit row, with capmatch's
            tolerance), the three stages sharing the time limit;
            BENCH_CBC_MODEL=mathprog uses the MathProg model's MPS instead
            (stage 1 only).
all3_s is the seconds of the three stages together when all three were
proven (capmatch and cbc; glpsol runs stage 1 only).
Peak memory is each process's maximum resident set size as
/usr/bin/time -f %M reports it (Debian package `time`; without it, no peak). A solver that fails, crashes or overruns is
recorded with that status; the benchmark goes on. Rows are appended to
DIR/results.csv (one row per instance and solver); the table and the
per-family medians (with the ratios capmatch stage-1 time / glpsol time and
/ cbc time) go to stdout.

Environment (run): BENCH_QUICK=1 (families 25x40x6 60x120x10, seed 1,
10 s), BENCH_FAMILIES, BENCH_SEEDS, BENCH_TIME_LIMIT (default 60),
BENCH_SOLVERS, BENCH_CBC_MODEL=export|mathprog, BENCH_BUDGET (hard stop in
seconds; default 1.5 x the printed nominal budget), BENCH_MEM_LIMIT_MB
(address-space cap of each solver process, default 8192, 0 = none).

`write` measures what report generation adds: the same instance run with
output.formats [csv, json] and with every format.
`summary` prints the medians of the latest run in a results.csv again, the
per-stage time breakdown of its capmatch rows, and the issue's speed
targets from every run (bench/bench_targets.py).
bench/bench_selftest.py checks the parsers and the process runner.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True          # no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_logs import (TIME_BUCKETS, cbc_sense, free_mps_copy, num, parse_capmatch_times,  # noqa: E402
                        parse_cbc, parse_glpsol, read_text, rel_gap, stage_limit, stage_mps)
from bench_targets import breakdown_lines, sweep_path, target_lines  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODEL = os.path.join(ROOT, "models", "capmatch.mod")
GEN = os.path.join(ROOT, "tests", "gen_instance.py")
PY = sys.executable or "/usr/bin/python3"
MIP_GAP = 0.0001
DEFAULT_FAMILIES = "25x40x6 60x120x10 195x1000x40 195x5000x100"
QUICK_FAMILIES = "25x40x6 60x120x10"
SOLVERS = ("capmatch", "glpsol", "cbc")

COLS = ["when", "commit", "host", "loadavg", "time_limit", "mip_gap", "family", "seed",
        "solver", "status", "rc", "wall_s", "peak_mb", "load_s", "build_s", "solve_s",
        "write_s", "write_pct",
        "s1_s", "s1_nodes", "s1_obj", "s1_bound", "s1_gap", "s1_status",
        "s2_s", "s2_nodes", "s2_obj", "s2_gap", "s3_s", "s3_nodes", "s3_obj", "s3_gap", "all3_s",
        "score", "score_bound", "total_cost", "seats", "rows", "cols", "ints",
        "cm_s1_over_this", "note"] + \
    ["s%d_%s_s" % (st, k) for st in (1, 2, 3) for k in [k for k, _ in TIME_BUCKETS] + ["rootlp", "cuts"]]
# the last: capmatch -v's split of each stage (ROOT_PARTS: rootlp and cuts split root)


class Interrupted(Exception):
    pass


# ------------------------------------------------------------- processes
TIME = "/usr/bin/time"      # Debian package `time`
# address-space cap for every solver process, so that one runaway model
# (MathProg at 195x5000) cannot take the shared machine down; 0: none
MEM_LIMIT_MB = int(os.environ.get("BENCH_MEM_LIMIT_MB") or 8192)


def run_proc(cmd, log_path, timeout):
    """Runs cmd (stdin closed, stdout+stderr to log_path) in its own process
    group, killed after timeout seconds. Returns rc (None when it could not
    start), signal number or None, wall seconds, peak RSS in KiB, killed.
    The peak comes from /usr/bin/time -f %M: a child's own ru_maxrss seen
    from here would start at this Python process's size (Linux carries the
    high-water mark across fork and exec)."""
    r = {"rc": None, "signal": None, "wall": 0.0, "peak_kb": None, "killed": False}
    if timeout <= 0:
        r["error"] = "no time left"
        return r
    if not shutil.which(cmd[0]):
        r["error"] = "%s not found" % cmd[0]
        return r
    rss = log_path + ".rss"
    timed = os.access(TIME, os.X_OK)
    if timed:
        cmd = [TIME, "-o", rss, "-f", "maxrss=%M"] + list(cmd)
        try:
            os.remove(rss)
        except OSError:
            pass
    if MEM_LIMIT_MB > 0:
        cmd = ["sh", "-c", 'ulimit -v %d && exec "$@"' % (MEM_LIMIT_MB * 1024), "sh"] + cmd
    t0 = time.monotonic()
    try:
        with open(log_path, "wb") as log:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        r["error"] = str(e)
        return r

    def kill():
        r["killed"] = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        while True:
            try:
                code = p.wait()
                break
            except KeyboardInterrupt:
                kill()
                p.wait()
                raise Interrupted()
    finally:
        timer.cancel()
    r["wall"] = time.monotonic() - t0
    if code < 0:
        r["signal"] = -code
    else:
        r["rc"] = code
    if timed:
        for ln in read_text(rss).splitlines():
            if ln.startswith("maxrss="):
                r["peak_kb"] = int(num(ln[7:]) or 0) or None
            elif ln.startswith("Command terminated by signal "):
                r["signal"], r["rc"] = int(num(ln.split()[-1]) or 0) or None, None
    return r


def proc_status(r):
    """'killed', 'crash:SIGSEGV', 'exitN', 'not-run: ...' or None when rc 0."""
    if r.get("error"):
        return "not-run"
    if r["killed"]:
        return "killed"
    if r["signal"]:
        try:
            return "crash:" + signal.Signals(r["signal"]).name
        except ValueError:
            return "crash:%d" % r["signal"]
    return None if r["rc"] == 0 else "exit%d" % r["rc"]


class Bench:
    def __init__(self, a):
        self.a = a
        self.deadline = time.monotonic() + a.budget

    def left(self):
        return self.deadline - time.monotonic()

    def cap(self, t):
        """A process's timeout: t, but never beyond the total budget."""
        return min(t, self.left())

    def generate(self, fam, seed, formats="all"):
        n, k, dn = (int(v) for v in fam.split("x"))
        d = os.path.join(self.a.dir, "%s-s%d" % (fam, seed))
        os.makedirs(d, exist_ok=True)
        cmd = [PY, GEN, "--countries", str(n), "--courses", str(k), "--donors", str(dn),
               "--seed", str(seed), "--out", d, "--time-limit", "%g" % self.a.time_limit,
               "--mip-gap", "%g" % MIP_GAP, "--formats", formats]
        r = run_proc(cmd, os.path.join(d, "gen.log"), self.cap(600))
        if proc_status(r):
            return None, "generator %s: %s" % (proc_status(r),
                                               read_text(os.path.join(d, "gen.log"))[-300:])
        return d, None

    def capmatch(self, d, scen="scenario.yaml", tag="run"):
        a = self.a
        row = {"solver": "capmatch"}
        if os.environ.get("CAPMATCH_IMPLIED"):   # bench.sh's BENCH_IMPLIED (a bench build)
            row["note"] = "implied rows " + os.environ["CAPMATCH_IMPLIED"]
        if os.environ.get("CAPMATCH_CUTS"):      # bench.sh's BENCH_CUTS (a bench build)
            row["note"] = "; ".join(filter(None, [row.get("note"), "own cuts " + os.environ["CAPMATCH_CUTS"]]))
        scen = os.path.join(d, scen)
        v = run_proc([a.capmatch, "validate", scen], os.path.join(d, tag + ".validate.log"),
                     self.cap(a.time_limit + 120))
        if proc_status(v):
            row.update(status="validate-" + proc_status(v), rc=v["rc"],
                       note=read_text(os.path.join(d, tag + ".validate.log"), 300).strip())
            return row
        row["load_s"] = v["wall"]
        out = os.path.join(d, tag + ".out")
        shutil.rmtree(out, ignore_errors=True)       # no history carried over
        log = os.path.join(d, tag + ".log")
        vlog = os.path.join(d, tag + ".vlog")        # the -v log: each stage's time split
        if os.path.exists(vlog):
            os.remove(vlog)                          # --log-file appends
        r = run_proc([a.capmatch, "run", scen, "-o", out, "--quiet", "--log-file", vlog,
                      "--time-limit", "%g" % a.time_limit], log,
                     self.cap(a.time_limit * 2 + 60))
        row.update(rc=r["rc"], wall_s=r["wall"], peak_mb=mb(r["peak_kb"]))
        bad = proc_status(r)
        if bad:
            row.update(status=bad, note=" ".join(read_text(log, 400).split()))
            return row
        try:
            with open(os.path.join(out, "summary.json"), encoding="utf-8") as fh:
                s = json.load(fh)
        except (OSError, ValueError) as e:
            row.update(status="no-summary", note=str(e))
            return row
        row.update(status=s.get("status"), score=s.get("score"),
                   score_bound=s.get("score_bound"), total_cost=s.get("total_cost"),
                   seats=s.get("seats"))
        stages = s.get("stages") if isinstance(s.get("stages"), list) else []
        staged = 0.0
        for i in range(3):
            g = stages[i] if i < len(stages) and isinstance(stages[i], dict) else {}
            p = "s%d_" % (i + 1)
            row[p + "s"], row[p + "nodes"] = num(g.get("seconds")), g.get("nodes")
            row[p + "obj"], row[p + "gap"] = num(g.get("objective")), num(g.get("gap"))
            staged += row[p + "s"] or 0.0
        row["s1_bound"] = num(stages[0].get("bound")) if stages and isinstance(stages[0], dict) else None
        if len(stages) == 3 and all(isinstance(g, dict) and g.get("status") == "optimal"
                                    for g in stages):
            row["all3_s"] = staged
        row["s1_status"] = stages[0].get("status") if stages and isinstance(stages[0], dict) else None
        solve = num(s.get("solve_seconds"))
        if solve is not None:
            row["solve_s"] = staged if stages else solve
            row["build_s"] = max(0.0, solve - staged) if stages else None
            row["write_s"] = max(0.0, r["wall"] - row["load_s"] - solve)
            row["write_pct"] = 100.0 * row["write_s"] / r["wall"] if r["wall"] > 0 else None
        for st, v in parse_capmatch_times(read_text(vlog)).items():
            if 1 <= st <= 3:
                row.update(("s%d_%s_s" % (st, k), v.get(k)) for k in [k for k, _ in TIME_BUCKETS] + ["rootlp", "cuts"])
        size = s.get("model") if isinstance(s.get("model"), dict) else {}
        row.update(rows=size.get("rows"), cols=size.get("cols"), ints=size.get("ints"))
        return row

    def glpsol(self, d):
        a = self.a
        row = {"solver": "glpsol"}
        res = os.path.join(d, "glpsol.s1.out")
        dat = os.path.join(d, "glpsol.s1.dat")
        with open(dat, "w", encoding="utf-8") as fh:
            fh.write("data;\nparam stage := 1;\nparam out_file := '%s';\nend;\n"
                     % res.replace("'", "''"))
        if os.path.exists(res):
            os.remove(res)
        log = os.path.join(d, "glpsol.log")
        # --tmlim covers the search only; MathProg translation and GLPK's MIP
        # preprocessing are not checked, hence the generous kill timeout
        r = run_proc(["glpsol", "-m", MODEL, "-d", os.path.join(d, "data.dat"), "-d", dat,
                      "--cuts", "--mipgap", "%g" % MIP_GAP,
                      "--tmlim", str(max(1, int(round(a.time_limit))))],
                     log, self.cap(a.time_limit * 2 + 60))
        g = parse_glpsol(read_text(log))
        row.update(rc=r["rc"], wall_s=r["wall"], peak_mb=mb(r["peak_kb"]),
                   status=proc_status(r) or g["status"], s1_status=g["status"],
                   s1_s=g.get("seconds"), s1_nodes=g.get("nodes"), s1_obj=g.get("objective"),
                   s1_bound=g.get("bound"), rows=g.get("rows"), cols=g.get("cols"),
                   ints=g.get("ints"))
        for line in read_text(res).splitlines():   # the model's own report, when written
            p = line.split()
            if len(p) == 2 and p[0] == "score":
                row["s1_obj"] = num(p[1])
        if row["s1_s"] is not None:
            row["build_s"] = max(0.0, r["wall"] - row["s1_s"])   # MathProg translation
        row["s1_gap"] = rel_gap(row["s1_obj"], row["s1_bound"])
        return row

    def cbc_model(self, d):
        """Path of the stage-1 MPS for cbc, or (None, why)."""
        a = self.a
        mps = os.path.join(d, "stage1.mps")
        if os.path.exists(mps):
            os.remove(mps)
        if a.cbc_model == "mathprog":
            dat = os.path.join(d, "glpsol.s1.dat")
            with open(dat, "w", encoding="utf-8") as fh:
                fh.write("data;\nparam stage := 1;\nparam out_file := '/dev/null';\nend;\n")
            r = run_proc(["glpsol", "-m", MODEL, "-d", os.path.join(d, "data.dat"), "-d", dat,
                          "--check", "--wfreemps", mps], os.path.join(d, "mps.log"),
                         self.cap(a.time_limit * 2 + 60))
        else:
            out = os.path.join(d, "export.out")
            shutil.rmtree(out, ignore_errors=True)
            r = run_proc([a.capmatch, "run", os.path.join(d, "scenario.yaml"), "-o", out,
                          "--quiet", "--time-limit", "1", "--export-model", mps],
                         os.path.join(d, "export.log"), self.cap(a.time_limit * 2 + 60))
        free = os.path.join(d, "stage1.free.mps")
        if not free_mps_copy(mps, free):
            why = proc_status(r) or "no file"
            return None, "no-export", "%s model not written (%s)" % (a.cbc_model, why)
        return free, None, None

    def cbc_stage(self, path, sense, secs, log, negated=True):
        """One cbc run; a "min" objective is a negated maximisation unless
        negated is False (stages 2 and 3 minimise)."""
        r = run_proc(["cbc", path, "-" + sense, "-timeMode", "elapsed",
                      "-sec", "%g" % secs, "-ratioGap", "%g" % MIP_GAP,
                      "-solve", "-quit"], log, self.cap(secs * 2 + 60))
        return r, parse_cbc(read_text(log), sense if negated else "max")

    def cbc(self, d):
        """Stage 1 on the exported model, then (capmatch's export only)
        stages 2 and 3 as capmatch runs them: each proven optimum becomes
        the next stage's limit row, and the stages share the time limit."""
        a = self.a
        row = {"solver": "cbc"}
        path, status, why = self.cbc_model(d)
        if path is None:
            row.update(status=status, note=why)
            return row
        sense = cbc_sense(path)
        r, c = self.cbc_stage(path, sense, a.time_limit, os.path.join(d, "cbc.log"))
        row.update(rc=r["rc"], wall_s=r["wall"], peak_mb=mb(r["peak_kb"]),
                   status=proc_status(r) or c["status"], s1_status=c["status"],
                   s1_s=c.get("seconds"), s1_nodes=c.get("nodes"), s1_obj=c.get("objective"),
                   s1_bound=c.get("bound"), rows=c.get("rows"), cols=c.get("cols"),
                   note="model: %s%s" % (a.cbc_model, ", negated min" if sense == "min" else ""))
        if row["s1_s"] is not None:
            row["build_s"] = max(0.0, r["wall"] - row["s1_s"])   # reading + preprocessing
        row["s1_gap"] = rel_gap(row["s1_obj"], row["s1_bound"])
        limits, used, prev = [], row["s1_s"] or 0.0, c
        for st in (2, 3):
            if prev["status"] != "optimal" or prev.get("objective") is None:
                break
            limits.append(stage_limit(st, prev["objective"]))
            left = a.time_limit - used
            spath = os.path.join(d, "stage%d.free.mps" % st)
            if left < 1 or not stage_mps(path, spath, st, limits):
                if left >= 1:
                    row["note"] += "; no stage rows in the model"
                break
            r, prev = self.cbc_stage(spath, "min", left, os.path.join(d, "cbc.s%d.log" % st),
                                     negated=False)
            os.remove(spath)
            p = "s%d_" % st
            row[p + "s"], row[p + "nodes"], row[p + "obj"] = (prev.get("seconds"),
                                                              prev.get("nodes"), prev.get("objective"))
            row[p + "gap"] = rel_gap(prev.get("objective"), prev.get("bound"))
            row["wall_s"] += r["wall"]
            row["peak_mb"] = max(x for x in (row["peak_mb"], mb(r["peak_kb"]), 0) if x is not None)
            row["status"] = proc_status(r) or prev["status"]
            used += left if prev.get("seconds") is None else prev["seconds"]
            if st == 3 and prev["status"] == "optimal":
                row["all3_s"] = used
        try:
            os.remove(path)                          # a copy; stage1.mps stays
        except OSError:
            pass
        return row


def disagreement(cm, other):
    """A stage that both rows prove (gap within MIP_GAP), after earlier
    stages with the very same optimum, but whose optima lie further apart
    than the gap allows: one of the two proofs is wrong. None if none."""
    for st in (1, 2, 3):
        a, b = cm.get("s%d_obj" % st), other.get("s%d_obj" % st)
        ga, gb = cm.get("s%d_gap" % st), other.get("s%d_gap" % st)
        if None in (a, b, ga, gb) or ga > MIP_GAP or gb > MIP_GAP:
            return None
        if abs(a - b) > MIP_GAP * max(abs(a), abs(b)) + 1e-6:
            return "stage %d: proven at %.10g, capmatch proved %.10g" % (st, b, a)
        if abs(a - b) > 1e-9 * max(1.0, abs(a)):
            return None                          # another optimum: later stages differ
    return None


def mb(kb):
    return None if kb is None else kb / 1024.0


# ------------------------------------------------------------- table
def f(v, spec="%.2f"):
    if v is None or v == "":
        return "-"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return spec % v
    return str(v)


HEAD = ("%-13s %4s %-8s %-14s %7s %7s %6s %6s %7s %6s %7s %8s %12s %12s %8s %6s %6s %6s %7s"
        % ("family", "seed", "solver", "status", "wall_s", "peak_MB", "load", "build",
           "solve", "write", "s1_s", "nodes1", "obj1", "bound1", "gap1", "s2_s", "s3_s",
           "all3_s", "cm/this"))


def line(row):
    return ("%-13s %4s %-8s %-14s %7s %7s %6s %6s %7s %6s %7s %8s %12s %12s %8s %6s %6s %6s %7s"
            % (row.get("family"), row.get("seed"), row.get("solver"),
               f(row.get("status"), "%s")[:14], f(row.get("wall_s")), f(row.get("peak_mb"), "%.1f"),
               f(row.get("load_s")), f(row.get("build_s")), f(row.get("solve_s")),
               f(row.get("write_s")), f(row.get("s1_s")), f(row.get("s1_nodes"), "%d"),
               f(row.get("s1_obj"), "%.4f"), f(row.get("s1_bound"), "%.4f"),
               f(row.get("s1_gap"), "%.2g"), f(row.get("s2_s")), f(row.get("s3_s")),
               f(row.get("all3_s")), f(row.get("cm_s1_over_this"), "%.2f")))


def med(vals):
    vals = [v for v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return statistics.median(vals) if vals else None


def medians(rows):
    """Lines of per-family, per-solver medians."""
    out = ["", "medians per family (ok/n: runs with a stage-1 objective; optimal: stage 1 "
           "proven; all3: all three stages proven (glpsol runs stage 1 only); cm/this: "
           "capmatch stage-1 seconds / the solver's search seconds, < 1: capmatch faster; "
           "when both stop at the time limit it is ~1 and gap1 compares them)",
           "%-13s %-8s %5s %8s %5s %7s %7s %8s %7s %7s %7s %9s"
           % ("family", "solver", "ok/n", "optimal", "all3", "wall_s", "s1_s", "gap1",
              "peak_MB", "write_s", "write%", "cm/this")]
    fams = []
    for r in rows:
        if r["family"] not in fams:
            fams.append(r["family"])
    for fam in fams:
        for solver in SOLVERS:
            rs = [r for r in rows if r["family"] == fam and r["solver"] == solver]
            if not rs:
                continue
            ok = [r for r in rs if r.get("s1_obj") is not None]
            opt = sum(1 for r in rs if r.get("s1_status") == "optimal")
            all3 = sum(1 for r in rs if r.get("all3_s") not in (None, ""))
            out.append("%-13s %-8s %2d/%-2d %8d %5d %7s %7s %8s %7s %7s %7s %9s" % (
                fam, solver, len(ok), len(rs), opt, all3, f(med(r.get("wall_s") for r in ok)),
                f(med(r.get("s1_s") for r in ok)), f(med(r.get("s1_gap") for r in ok), "%.2g"),
                f(med(r.get("peak_mb") for r in ok), "%.1f"),
                f(med(r.get("write_s") for r in ok)), f(med(r.get("write_pct") for r in ok), "%.1f"),
                f(med(r.get("cm_s1_over_this") for r in ok))))
    return out


# ------------------------------------------------------------- results.csv
def git_commit():
    try:
        p = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True, timeout=20)
        return p.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return "%.6g" % v
    return v


def append_csv(path, rows, cols=None, cell_of=None, who="bench"):
    """Appends rows (dicts) under the columns cols (default COLS), each value
    written by cell_of (default cell); an existing file with another header
    is kept aside as PATH.TIME.old (knap_bench.py uses it too)."""
    cols = COLS if cols is None else cols
    cell_of = cell if cell_of is None else cell_of
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as fh:
            head = next(csv.reader(fh), None)
        if head != cols:
            old = "%s.%s.old" % (path, datetime.datetime.now().strftime("%Y%m%dT%H%M%S"))
            os.rename(path, old)
            print("%s: %s had other columns; kept as %s" % (who, path, old))
    new = not os.path.exists(path)
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if new:
            w.writerow(cols)
        for r in rows:
            w.writerow([cell_of(r.get(c)) for c in cols])


def env_list(name, default):
    v = os.environ.get(name, "").strip()
    return (v or default).split()


# ------------------------------------------------------------- commands
def cmd_run(a):
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    fams = a.families.split() if a.families else env_list(
        "BENCH_FAMILIES", QUICK_FAMILIES if quick else DEFAULT_FAMILIES)
    seeds = a.seeds.split() if a.seeds else env_list("BENCH_SEEDS", "1" if quick else "1 2 3")
    a.time_limit = a.time_limit or float(os.environ.get("BENCH_TIME_LIMIT") or (10 if quick else 60))
    solvers = (a.solvers or os.environ.get("BENCH_SOLVERS") or " ".join(SOLVERS)).split()
    a.cbc_model = os.environ.get("BENCH_CBC_MODEL") or "export"
    try:
        for fam in fams:
            if len([int(v) for v in fam.split("x") if int(v) > 0]) != 3:
                raise ValueError(fam)
        seeds = [int(s) for s in seeds]
    except ValueError:
        sys.stderr.write("bench: families are CxKxD (e.g. 25x40x6), seeds integers\n")
        return 64
    bad = [s for s in solvers if s not in SOLVERS]
    if bad or not (a.time_limit > 0) or a.cbc_model not in ("export", "mathprog"):
        sys.stderr.write("bench: BENCH_SOLVERS is a subset of %s; BENCH_TIME_LIMIT > 0; "
                         "BENCH_CBC_MODEL export|mathprog\n" % " ".join(SOLVERS))
        return 64
    for tool, pkg in (("glpsol", "glpk-utils"), ("cbc", "coinor-cbc")):
        if tool in solvers and not shutil.which(tool):
            print("bench: %s not found (Debian package %s): its rows say not-run" % (tool, pkg))
    if not (a.capmatch and os.access(a.capmatch, os.X_OK)):
        sys.stderr.write("bench: capmatch program not found: %s\n" % a.capmatch)
        return 66
    a.capmatch = os.path.abspath(a.capmatch)
    os.makedirs(a.dir, exist_ok=True)
    n = len(fams) * len(seeds)
    per = a.time_limit * len(solvers)
    nominal = n * (per + 10)
    a.budget = float(os.environ.get("BENCH_BUDGET") or 0) or 1.5 * nominal + 60
    print("bench: %d families x %d seeds x %d solvers x %g s time limit = %.0f s (%.1f min) "
          "of solving, plus loading/generation; hard stop after %.0f s (BENCH_BUDGET)"
          % (len(fams), len(seeds), len(solvers), a.time_limit, n * per, n * per / 60.0,
             a.budget))
    load = os.getloadavg()[0]
    print("bench: %s, %d CPUs, load average %.2f%s; mip_gap %g; instances in %s"
          % (platform.node(), os.cpu_count() or 0, load,
             " (busy machine: timings are noisy)" if load > 0.5 else "", MIP_GAP, a.dir))
    b = Bench(a)
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    common = {"when": stamp, "commit": git_commit(), "host": platform.node(),
              "loadavg": round(load, 2), "time_limit": a.time_limit, "mip_gap": MIP_GAP}
    rows = []
    print(HEAD, flush=True)
    t0 = time.monotonic()
    try:
        for fam in fams:
            for seed in seeds:
                base = dict(common, family=fam, seed=seed)
                d, err = b.generate(fam, seed) if b.left() > 0 else (None, "budget")
                cm = None
                for solver in solvers:
                    if d is None:
                        row = {"solver": solver, "status": "skipped", "note": err}
                    elif b.left() <= 0:
                        row = {"solver": solver, "status": "skipped", "note": "time budget spent"}
                    else:
                        row = getattr(b, solver)(d)
                    row.update(base)
                    if solver == "capmatch":
                        cm = row
                    elif cm and cm.get("s1_s") is not None and row.get("s1_s"):
                        row["cm_s1_over_this"] = cm["s1_s"] / row["s1_s"]
                    if solver == "cbc" and cm:
                        odd = disagreement(cm, row)
                        if odd:
                            row["note"] = (row.get("note") or "") + "; " + odd
                    rows.append(row)
                    print(line(row), flush=True)
    except (Interrupted, KeyboardInterrupt):
        print("bench: interrupted; keeping the %d rows so far" % len(rows))
    path = os.path.join(a.dir, "results.csv")
    append_csv(path, rows)
    for ln in medians(rows) + breakdown_lines(rows):
        print(ln)
    print("bench: %d rows appended to %s (%.0f s)" % (len(rows), path, time.monotonic() - t0))
    return 0


def cmd_write(a):
    """Report writing at one size: formats csv+json vs all, same instance."""
    a.time_limit = a.time_limit or float(os.environ.get("BENCH_TIME_LIMIT") or 60)
    seeds = [int(s) for s in (a.seeds or os.environ.get("BENCH_SEEDS") or "1").split()]
    repeat = int(os.environ.get("BENCH_REPEAT") or 1)
    a.capmatch = os.path.abspath(a.capmatch)
    a.budget = float(os.environ.get("BENCH_BUDGET") or 0) or \
        len(seeds) * repeat * 2 * (3 * a.time_limit + 120)
    a.cbc_model = "export"
    os.makedirs(a.dir, exist_ok=True)
    b = Bench(a)
    print("bench write: %s, seeds %s, %d repeat(s), time limit %g s; write = run wall - "
          "validate wall - solve_seconds" % (a.family, seeds, repeat, a.time_limit))
    print("%-13s %4s %-9s %-11s %7s %7s %7s %7s %7s %7s %6s"
          % ("family", "seed", "formats", "status", "wall_s", "load", "solve_s", "write",
             "write%", "peak_MB", "seats"))
    res = {"machine": [], "all": []}
    for seed in seeds:
        d, err = b.generate(a.family, seed, "all")
        if d is None:
            print("bench write: %s" % err)
            continue
        scen = read_text(os.path.join(d, "scenario.yaml"))
        with open(os.path.join(d, "scenario-machine.yaml"), "w", encoding="utf-8") as fh:
            fh.write(scen.replace("formats: [csv, json, markdown, html, sqlite]",
                                  "formats: [csv, json]"))
        for _ in range(repeat):
            for kind, scen_name in (("machine", "scenario-machine.yaml"), ("all", "scenario.yaml")):
                row = b.capmatch(d, scen_name, "write-" + kind)
                res[kind].append(row)
                print("%-13s %4d %-9s %-11s %7s %7s %7s %7s %7s %7s %6s" % (
                    a.family, seed, kind, f(row.get("status"), "%s")[:11], f(row.get("wall_s")),
                    f(row.get("load_s")), f(row.get("solve_s") and row.get("solve_s") + (row.get("build_s") or 0)),
                    f(row.get("write_s"), "%.3f"), f(row.get("write_pct"), "%.1f"),
                    f(row.get("peak_mb"), "%.1f"), f(row.get("seats"), "%s")), flush=True)
    wm = med(r.get("write_s") for r in res["machine"])
    wa = med(r.get("write_s") for r in res["all"])
    run = med(r.get("wall_s") for r in res["all"] if r.get("write_s") is not None)
    if wm is not None and wa is not None and run:
        print("median write: csv+json %.3f s, all formats %.3f s; reports add %.3f s = "
              "%.1f%% of the median all-formats run (%.2f s); the issue asks < 10%%"
              % (wm, wa, wa - wm, 100.0 * (wa - wm) / run, run))
    else:
        print("bench write: no successful run to compare")
    return 0


def cmd_summary(a):
    path = a.csv or os.path.join(ROOT, "build", "bench", "results.csv")
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as e:
        sys.stderr.write("bench: %s\n" % e)
        return 66
    if not rows or "solver" not in rows[0]:
        sys.stderr.write("bench: %s has no rows in this format\n" % path)
        return 65
    every = rows
    if not a.all:
        last = max(r["when"] for r in rows)
        rows = [r for r in rows if r["when"] == last]
    for r in every:
        for k, v in r.items():
            if v in ("", None):
                r[k] = None
            elif k not in ("family", "solver", "status", "s1_status", "when", "commit",
                           "host", "note"):
                r[k] = num(v)
    print("%s: %d rows%s" % (path, len(rows), "" if a.all else " of the run at " + rows[0]["when"]))
    for ln in medians(rows) + breakdown_lines(rows) + target_lines(every, sweep_path(path)):
        print(ln)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "write"):
        p = sub.add_parser(name)
        p.add_argument("--build", default=os.environ.get("BUILD", "build"))
        p.add_argument("--capmatch")
        p.add_argument("--dir", help="instances and results.csv (default BUILD/bench)")
        p.add_argument("--seeds")
        p.add_argument("--time-limit", type=float)
        if name == "run":
            p.add_argument("--families")
            p.add_argument("--solvers")
        else:
            p.add_argument("--family", default="195x1000x40")
    p = sub.add_parser("summary")
    p.add_argument("csv", nargs="?")
    p.add_argument("--all", action="store_true", help="every run, not only the latest")
    a = ap.parse_args()
    if a.cmd in ("run", "write"):
        a.capmatch = a.capmatch or os.path.join(a.build, "capmatch")
        a.dir = a.dir or os.path.join(a.build, "bench")
    return {"run": cmd_run, "write": cmd_write, "summary": cmd_summary}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
