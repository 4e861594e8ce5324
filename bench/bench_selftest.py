#!/usr/bin/python3
"""bench/bench_selftest.py -- checks bench/bench_report.py's solver-log
parsers, MPS helpers and process runner on canned output and tiny
processes; run by tests/t_bench.sh. Prints "N passed, N failed"."""
import os
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True          # no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report as br               # noqa: E402

GLPSOL_TL = """GLPK Simplex Optimizer 5.0
323 rows, 765 columns, 1867 non-zeros
GLPK Integer Optimizer 5.0
323 rows, 765 columns, 1867 non-zeros
169 integer variables, 19 of which are binary
+   297: mip =     not found yet <=              +inf        (1; 0)
+   557: >>>>>   6.435000000e+02 <=   6.523675466e+02   1.4% (96; 0)
+ 18800: mip =   6.510000000e+02 <=   6.520872080e+02   0.2% (5040; 1190)
TIME LIMIT EXCEEDED; SEARCH TERMINATED
Time used:   3.0 secs
Memory used: 6.4 Mb (6726363 bytes)
"""
GLPSOL_OPT = """+    12: mip =   1.200000000e+01 <=     tree is empty   0.0% (0; 7)
INTEGER OPTIMAL SOLUTION FOUND
Time used:   0.1 secs
"""
CBC_TL = """Problem capmatch has 322 rows, 765 columns and 1867 elements
Cbc0020I Exiting on maximum time
Result - Stopped on time limit

Objective value:                651.00000000
Upper bound:                    652.056
Gap:                            -0.00
Enumerated nodes:               10428
Total iterations:               49910
Time (CPU seconds):             5.00
Time (Wallclock seconds):       6.88
"""
CBC_OPT_MIN = """Result - Optimal solution found

Objective value:                -15.00000000
Enumerated nodes:               0
Time (Wallclock seconds):       0.01
"""


CM_TIMES = """model built at 0.1 s: 10 rows, 20 columns (5 integer)
stage 1 time: LP 1.900 s, RENS/LNS 0.400 s, root+cuts 4.000 s, heuristics in search 2.100 s, B&B 3.000 s, total 11.400 s
stage 2 time: LP 0.1 s, RENS/LNS 0.1 s, root+cuts 0.1 s, heuristics in search 0.1 s, B&B 9.0 s, total 9.4 s
stage 2 time: LP 0.1 s, RENS/LNS 0.1 s, root+cuts 0.1 s, heuristics in search 0.1 s, B&B 0.5 s, total 0.9 s
stage 2 root: set-up 0.010 s, LP 0.020 s, cut rounds 0.060 s, other 0.010 s, 7 rounds
stage 3 time: LP 0.1 s, RENS/LNS x s, root+cuts 0.1 s, heuristics in search 0.1 s, B&B 0.5 s, total 0.9 s
stage 4 time: LP 0.1 s, total 0.1 s
"""


def main():
    fails = []
    count = [0]

    def check(cond, what):
        count[0] += 1
        if not cond:
            fails.append(what)
    g = br.parse_glpsol(GLPSOL_TL)
    check(g["status"] == "time_limit", "glpsol status %s" % g["status"])
    check(g.get("objective") == 651.0 and abs(g.get("bound", 0) - 652.087208) < 1e-6,
          "glpsol objective/bound %s %s" % (g.get("objective"), g.get("bound")))
    check(g.get("nodes") == 6230 and g.get("seconds") == 3.0, "glpsol nodes/seconds %s" % g)
    check((g.get("rows"), g.get("cols"), g.get("ints")) == (323, 765, 169), "glpsol size %s" % g)
    g = br.parse_glpsol(GLPSOL_OPT)
    check(g["status"] == "optimal" and g.get("bound") == 12.0 and g.get("nodes") == 7,
          "glpsol optimal %s" % g)
    g = br.parse_glpsol("+   297: mip =     not found yet <=   +inf   (1; 0)\nTIME LIMIT EXCEEDED\n")
    check(g.get("objective") is None and g.get("bound") is None, "glpsol no solution %s" % g)
    check(br.parse_glpsol("")["status"] == "error", "glpsol empty log")
    c = br.parse_cbc(CBC_TL)
    check(c["status"] == "time_limit" and c.get("objective") == 651.0
          and c.get("bound") == 652.056 and c.get("nodes") == 10428
          and c.get("seconds") == 6.88 and c.get("cols") == 765, "cbc time limit %s" % c)
    c = br.parse_cbc(CBC_OPT_MIN, "min")
    check(c["status"] == "optimal" and c.get("objective") == 15.0 and c.get("bound") == 15.0,
          "cbc negated min %s" % c)
    check(br.parse_cbc("Segmentation fault")["status"] == "error", "cbc garbage")
    check(abs(br.rel_gap(651, 652.057322) - 0.001624) < 1e-6, "rel_gap")
    check(br.rel_gap(0, 0) == 0.0 and br.rel_gap(None, 1) is None, "rel_gap edge")
    # capmatch -v's stage-time lines (a retried stage's last line wins)
    t = br.parse_capmatch_times(CM_TIMES)
    check(sorted(t) == [1, 2] and t[1] == {"lp": 1.9, "sub": 0.4, "root": 4.0, "heur": 2.1, "bb": 3.0,
                                           "total": 11.4} and t[2]["bb"] == 0.5
          and t[2]["cuts"] == 0.06 and t[2]["rootlp"] == 0.02 and t[2]["rounds"] == 7,
          "capmatch stage times %s" % t)
    # MPS helpers on small files
    tmp = tempfile.mkdtemp(prefix="bench-selftest.")
    try:
        src, dst = os.path.join(tmp, "a.mps"), os.path.join(tmp, "b.mps")
        body = ("* c\nNAME capmatch\nROWS\n N obj\n L r1\nCOLUMNS\n"
                " x_ABW_c0001 obj %s r1 1\nRHS\n RHS1 r1 5\nENDATA\n")
        with open(src, "w") as fh:
            fh.write(body % "3")
        check(br.free_mps_copy(src, dst) and "NAME capmatch FREE\n" in br.read_text(dst),
              "free_mps_copy NAME card")
        check(br.read_text(dst).endswith("ENDATA\n"), "free_mps_copy keeps the rest")
        check(br.cbc_sense(dst) == "max", "sense of a positive objective")
        with open(src, "w") as fh:
            fh.write(body % "-3")
        check(br.cbc_sense(src) == "min", "sense of a negated objective")
        with open(src, "w") as fh:
            fh.write((body % "-3").replace("ROWS", "OBJSENSE\n    MAX\nROWS"))
        check(br.cbc_sense(src) == "max", "OBJSENSE MAX wins")
        # stages 2 and 3 from an export with the three objective rows
        exp = ("NAME capmatch\nROWS\n L r1\n N score\n N cost\n N seats\nCOLUMNS\n"
               " x1 r1 1 score 2\n x1 cost 30 seats 1\nRHS\n RHS1 r1 5\nENDATA\n")
        with open(src, "w") as fh:
            fh.write(exp)
        check(br.stage_mps(src, dst, 2, [9.5]), "stage-2 MPS written")
        t = br.read_text(dst)
        check(t.startswith("NAME capmatch FREE\nROWS\n N cost\n L r1\n G score\n N seats\n"
                           "COLUMNS\n"), "stage 2: cost the first N row, score a >= row: %r" % t)
        check("RHS\n RHS1 score 9.5\n RHS1 r1 5\n" in t and t.endswith("ENDATA\n"),
              "stage 2: the score limit in RHS: %r" % t)
        check(br.stage_mps(src, dst, 3, [9.5, 120.25]), "stage-3 MPS written")
        t = br.read_text(dst)
        check("ROWS\n N seats\n L r1\n G score\n L cost\nCOLUMNS\n" in t
              and " RHS1 score 9.5\n RHS1 cost 120.25\n" in t, "stage 3 rows and limits: %r" % t)
        check(br.stage_limit(2, 1000.0) < 1000.0 < br.stage_limit(3, 1000.0)
              and abs(br.stage_limit(3, 1e6) - 1e6 - 0.1) < 1e-6, "limit tolerances")
        cm = {"s1_obj": 11246.5, "s1_gap": 0.0, "s2_obj": 583516.35, "s2_gap": 9.9e-5,
              "s3_obj": 3200, "s3_gap": 0.0}
        cb = dict(cm, s2_obj=583679.79, s2_gap=0.0, s3_obj=3199)
        check(br.disagreement(cm, cb) == "stage 2: proven at 583679.79, capmatch proved 583516.35",
              "two proofs 0.028%% apart flagged: %s" % br.disagreement(cm, cb))
        check(br.disagreement(cm, dict(cb, s2_obj=583540.0, s3_obj=3300)) is None,
              "optima within the gap, later stages not compared")
        check(br.disagreement(cm, dict(cb, s2_gap=0.002)) is None, "an unproven stage is not compared")
        with open(src, "w") as fh:
            fh.write(exp.replace(" N seats\n", ""))
        check(not br.stage_mps(src, dst, 2, [9.5]), "an export without the seats row refused")
        with open(src, "w") as fh:
            fh.write("NAME x\nROWS\n")                  # cut short
        check(not br.free_mps_copy(src, dst), "truncated MPS refused")
        check(not br.free_mps_copy(os.path.join(tmp, "none"), dst), "missing MPS refused")
        # process runner: exit code, signal, timeout, missing program
        r = br.run_proc(["sh", "-c", "exit 3"], os.path.join(tmp, "l"), 10)
        check(br.proc_status(r) == "exit3", "exit status %s" % r)
        r = br.run_proc(["sh", "-c", "kill -SEGV $$"], os.path.join(tmp, "l"), 10)
        check(br.proc_status(r) == "crash:SIGSEGV", "crash status %s" % r)
        t0 = time.monotonic()
        r = br.run_proc(["sh", "-c", "sleep 30"], os.path.join(tmp, "l"), 0.5)
        check(br.proc_status(r) == "killed" and time.monotonic() - t0 < 10, "timeout %s" % r)
        r = br.run_proc([os.path.join(tmp, "no-such-program")], os.path.join(tmp, "l"), 10)
        check(br.proc_status(r) == "not-run", "missing program %s" % r)
        r = br.run_proc([br.PY, "-c", "b = bytearray(64 << 20); b[::4096] = b'x' * len(b[::4096])"],
                     os.path.join(tmp, "l"), 30)
        check(br.proc_status(r) is None and (r["peak_kb"] or 0) >= 64 * 1024, "peak memory %s" % r)
        r = br.run_proc(["true"], os.path.join(tmp, "l"), 10)
        check(br.proc_status(r) is None and 0 < (r["peak_kb"] or 0) < 8 * 1024,
              "peak memory of a small program is its own, not this script's: %s" % r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for w in fails:
        print("FAIL " + w)
    print("%d passed, %d failed" % (count[0] - len(fails), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
