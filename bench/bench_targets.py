#!/usr/bin/python3
"""bench/bench_targets.py -- what bench/bench_report.py prints after the
medians: the per-stage time breakdown of capmatch's rows (from its -v log's
"stage N time:" lines, docs/solver.md "Where a stage's time goes") and the
speed targets of the issue "Speed where people wait", each line saying met
or not met with its figures:

  (a) 60x120x10 seeds 1-9, all three stages: capmatch's median time <= CBC's
      median time on the exported model. A run that does not prove all
      three stages within its limit counts as the time limit: never faster
      than a peer, and capmatch's median at the limit is "not met" even
      when CBC's is at the limit too.
  (b) 25x40x6 seeds 1-20: all three stages proven, each within 60 s.
  (c) the sweep (sweep.csv next to results.csv, its last row): one sweep's
      wall time over the separate processes' at most 40%; judged on -j 1
      (one core, as the separate processes use), -j 2 shown beside it.
  (d) 195x1000x40: all three stages in at most 10 s (the median over the
      seeds, unproven runs counted as their limit), and where the time
      goes: the median of each bucket summed over the three stages, and of
      root+cuts the root's LP solves and its cut rounds.

The targets read every run in results.csv: for each family, seed and
solver the latest row (by its "when"), so that runs of different families
made at different times add up. Rows of a bench build with forced switches
(note "implied rows ...", BENCH_IMPLIED) are left out. Python 3 standard
library only."""
import csv
import os
import statistics

from bench_logs import TIME_BUCKETS

TARGET_A = ("60x120x10", range(1, 10))
TARGET_B = ("25x40x6", range(1, 21), 60.0)
TARGET_C = 0.40
TARGET_D = ("195x1000x40", 10.0)


def _f(v, spec="%.2f"):
    return "-" if v is None else spec % v


def _val(r, k):
    v = r.get(k)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def breakdown_lines(rows):
    """One line per capmatch row and stage that has a breakdown."""
    out = ["", "capmatch: where each stage's time goes (seconds; capmatch -v, docs/solver.md; "
           "root LP and cuts: of root+cuts)",
           "%-13s %4s %5s %8s %8s %9s %8s %8s %8s %8s %8s" % (
               "family", "seed", "stage", "LP", "RENS/LNS", "root+cuts", "heur", "B&B", "total",
               "root LP", "cuts")]
    n = 0
    for r in rows:
        if r.get("solver") != "capmatch":
            continue
        for st in (1, 2, 3):
            p = "s%d_" % st
            vals = [_val(r, p + k + "_s") for k, _ in TIME_BUCKETS]
            if all(v is None for v in vals):
                continue
            n += 1
            total = sum(v for v in vals if v is not None)
            out.append("%-13s %4s %5d %8s %8s %9s %8s %8s %8s %8s %8s" % (
                r.get("family"), _f(_val(r, "seed"), "%d"), st, *(_f(v) for v in vals), _f(total),
                _f(_val(r, p + "rootlp_s")), _f(_val(r, p + "cuts_s"))))
    return out if n else []


def latest(rows):
    """The latest row per (family, seed, solver), forced-switch rows left out."""
    best = {}
    for r in rows:
        if str(r.get("note") or "").startswith("implied rows"):
            continue
        key = (r.get("family"), _val(r, "seed"), r.get("solver"))
        if key not in best or str(r.get("when") or "") >= str(best[key].get("when") or ""):
            best[key] = r
    return best


def _all3_or_limit(r):
    """all3_s when all three stages were proven, else the row's time limit."""
    a = _val(r, "all3_s")
    return a if a is not None else _val(r, "time_limit")


def target_a(best):
    fam, seeds = TARGET_A
    have = {s: (best.get((fam, s, "capmatch")), best.get((fam, s, "cbc"))) for s in seeds}
    both = [s for s, (c, b) in have.items() if c is not None and b is not None]
    head = "(a) %s seeds 1-9, all three stages, capmatch median <= CBC median: " % fam
    if not both:
        return head + "not measured (no capmatch and cbc rows of these seeds)"
    cm = _median(_all3_or_limit(have[s][0]) for s in both)
    cb = _median(_all3_or_limit(have[s][1]) for s in both)
    ncm = sum(1 for s in both if _val(have[s][0], "all3_s") is not None)
    ncb = sum(1 for s in both if _val(have[s][1], "all3_s") is not None)
    limit = _median(_val(have[s][0], "time_limit") for s in both)
    met = (len(both) == len(seeds) and cm is not None and cb is not None and ncm * 2 > len(both)
           and cm <= cb)
    return head + "%s - capmatch %s s (all three proven on %d of %d), CBC %s s (%d of %d); " \
        "a run not proven counts as its limit (%s s), never faster%s" % (
            "met" if met else "not met", _f(cm), ncm, len(both), _f(cb), ncb, len(both), _f(limit, "%g"),
            "" if len(both) == len(seeds) else "; only seeds %s measured" % ", ".join(map(str, both)))


def target_b(best):
    fam, seeds, each = TARGET_B
    rows = [best.get((fam, s, "capmatch")) for s in seeds]
    got = [r for r in rows if r is not None]
    head = "(b) %s seeds 1-20, all three stages proven within %g s each: " % (fam, each)
    if not got:
        return head + "not measured (no capmatch rows of these seeds)"
    ok = [r for r in got if _val(r, "all3_s") is not None and
          all((_val(r, "s%d_s" % st) or 0) <= each for st in (1, 2, 3))]
    met = len(ok) == len(seeds)
    miss = [str(int(_val(r, "seed"))) for r in got if r not in ok]
    return head + "%s - %d of %d%s%s" % (
        "met" if met else "not met", len(ok), len(seeds),
        "" if len(got) == len(seeds) else " (%d measured)" % len(got),
        "; not proven: seeds %s" % ", ".join(miss) if miss else "")


def target_c(sweep_csv):
    head = "(c) sweep: one sweep's wall time <= %d%% of the separate runs': " % round(TARGET_C * 100)
    try:
        with open(sweep_csv, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        rows = []
    r = rows[-1] if rows else {}
    try:
        j1, j2, sep = (float(r[k]) for k in ("j1_s", "j2_s", "separate_s"))
    except (KeyError, TypeError, ValueError):
        return head + "not measured (no sweep.csv row; make bench BENCH_MODE=sweep)"
    if not sep > 0:
        return head + "not measured (separate runs took %s s)" % sep
    return head + "%s - -j 1 %.1f s = %.0f%% of %.1f s (the measure: one core, as the separate runs); " \
        "-j 2 %.1f s = %.0f%%; %s variants" % (
            "met" if j1 / sep <= TARGET_C else "not met", j1, 100 * j1 / sep, sep, j2, 100 * j2 / sep,
            r.get("variants") or "?")


def target_d(best):
    fam, goal = TARGET_D
    rows = sorted((r for (fm, _, sv), r in best.items() if fm == fam and sv == "capmatch"),
                  key=lambda r: _val(r, "seed") or 0)
    head = "(d) %s, all three stages <= %g s: " % (fam, goal)
    if not rows:
        return [head + "not measured (no capmatch rows)"]
    t = _median(_all3_or_limit(r) for r in rows)
    n = sum(1 for r in rows if _val(r, "all3_s") is not None)
    out = [head + "%s - median %s s over seeds %s (all three proven on %d; a run not proven counts as its "
           "limit)" % ("met" if t is not None and t <= goal and n * 2 > len(rows) else "not met", _f(t),
                       ", ".join(str(int(_val(r, "seed"))) for r in rows), n)]
    sums = []
    keys = [(k, n) for k, n in TIME_BUCKETS] + [("rootlp", "its LP"), ("cuts", "its cut rounds")]
    for r in rows:
        v = [[_val(r, "s%d_%s_s" % (st, k)) for st in (1, 2, 3)] for k, _ in keys]
        if any(x is not None for b in v for x in b):
            sums.append([sum(x for x in b if x is not None) for b in v])
    if sums:
        med = [_median(s[i] for s in sums) for i in range(len(keys))]
        parts = ["%s %s s" % (n, _f(m)) for (_, n), m in zip(keys, med)]
        out.append("    where it goes (median over %d seeds of stages 1-3 together): %s (%s)" % (
            len(sums), ", ".join(parts[:len(TIME_BUCKETS)]), ", ".join(parts[len(TIME_BUCKETS):])))
    else:
        out.append("    where it goes: no breakdown in these rows (capmatch ran without its log)")
    return out


def target_lines(all_rows, sweep_csv):
    best = latest(all_rows)
    return (["", "targets (issue: speed where people wait; the latest row per family, seed and solver)",
             target_a(best), target_b(best), target_c(sweep_csv)] + target_d(best))


def sweep_path(results_csv):
    return os.path.join(os.path.dirname(os.path.abspath(results_csv)), "sweep.csv")
