#!/usr/bin/python3
"""bench/knap_instance.py -- 0/1 knapsacks of Pisinger's families written as
capmatch scenarios.

  knap_instance.py N SEED DIR [--family F] [--range R] [--test H_OF]
                   [--dp PROG] [--max-cells X] [--no-dp] [--legacy]

writes DIR/scenario.yaml and DIR/knap.txt (the knapsack itself: "n c", then
one line "w p" per item) and prints the optimum in score units (profit / 16)
or "no DP". Same arguments -> same files. `make bench BENCH_MODE=knap`
(bench/knap_bench.py) imports generate() and write() from here.

The families (D. Pisinger, "Where are the hard knapsack problems?",
Computers & Operations Research 32, 2005), n items, data range R (1000 by
default; --range 10000): every weight w_j is drawn uniformly from the
integers 1..R, then the profit p_j by the family:
  uncorrelated  p_j drawn uniformly from 1..R, independently of w_j;
  weak          (weakly correlated) p_j drawn uniformly from the integers of
                w_j - R/10 .. w_j + R/10 that are at least 1 (the interval
                cut at 1, not a draw moved up to 1);
  strong        (strongly correlated) p_j = w_j + R/10;
  subset        (subset sum) p_j = w_j.
The capacity of test h of a series of H is c = floor(h / (H + 1) * sum w_j);
--test h/H, default 50/100 (about half the weights). Weights are drawn
first, all n of them, then the profits, so a family's weights and capacity
for a seed are the same in every family.

The scenario: one country with N needs of one seat, need j on its own
topic, each topic covered by one online course of cost w_j (item j is that
course's seat), need j's priority p_j / 16. One donor, budget c. Capmatch's
score is then sum of priority x covered = (sum of the chosen p_j) / 16,
stage 1 is exactly this knapsack, and the score is exact in binary floating
point too (a multiple of 1/16 far below 2^53). Priorities must lie in
0.001..1000: p_j / 16 is at most (R + R/10) / 16 = 687.5 for R = 10000 and
at least 1/16, so both ranges fit with no rounding; a larger range does not
(the script refuses R above 14,545). Costs and the budget are integers.

The optimum: by the pure-Python dynamic program below, or with --dp PROG
by bench/knap_dp.c built (the bench's); --max-cells X skips it where
n * c > X ("no DP"). --legacy writes the instances the "Implied knapsack
rows" figures of docs/benchmarks.md were measured on: strongly correlated,
capacity floor(sum w_j / 2), priority p_j / 10 (printed optimum / 10).
"""
import argparse
import os
import random
import subprocess
import sys

FAMILIES = ("uncorrelated", "weak", "strong", "subset")
SCALE = 16              # priority = profit / SCALE
PRIORITY_MAX = 1000     # the scenario format's range of priority
PRIORITY_MIN = 0.001


def generate(n, seed, family="strong", r=1000, h=50, big_h=100):
    """(w, p, c): weights, profits and capacity of one instance."""
    if family not in FAMILIES:
        raise ValueError("family must be one of " + ", ".join(FAMILIES))
    if n < 1 or r < 10 or not 1 <= h <= big_h:
        raise ValueError("need n >= 1, R >= 10 and 1 <= h <= H")
    rnd = random.Random(seed)
    w = [rnd.randint(1, r) for _ in range(n)]
    d = r // 10
    if family == "uncorrelated":
        p = [rnd.randint(1, r) for _ in range(n)]
    elif family == "weak":
        p = [rnd.randint(max(1, x - d), x + d) for x in w]
    elif family == "strong":
        p = [x + d for x in w]
    else:
        p = list(w)
    c = h * sum(w) // (big_h + 1)
    return w, p, c


def dp_python(w, p, c):
    """The optimum by dynamic programming over the capacity."""
    best = [0] * (c + 1)             # best profit within each capacity
    for wi, pi in zip(w, p):
        for x in range(c, wi - 1, -1):
            v = best[x - wi] + pi
            if v > best[x]:
                best[x] = v
    return best[c]


def dp_program(prog, path, max_cells):
    """bench/knap_dp on knap.txt: the optimum (int) or None ("no DP")."""
    cmd = [prog, path] + ([] if max_cells is None else ["%d" % max_cells])
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (prog, out.returncode, out.stderr.strip()))
    txt = out.stdout.strip()
    return None if txt == "no DP" else int(txt)


def write(out, w, p, c, title, scale=SCALE):
    """DIR/scenario.yaml and DIR/knap.txt for the instance."""
    if max(p) / scale > PRIORITY_MAX or min(p) / scale < PRIORITY_MIN:
        raise ValueError("profits %d..%d / %d leave priority's range %g..%g"
                         % (min(p), max(p), scale, PRIORITY_MIN, PRIORITY_MAX))
    n = len(w)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "knap.txt"), "w", encoding="utf-8") as f:
        f.write("%d %d\n" % (n, c))
        for wi, pi in zip(w, p):
            f.write("%d %d\n" % (wi, pi))
    with open(os.path.join(out, "scenario.yaml"), "w", encoding="utf-8") as f:
        f.write("# generated by bench/knap_instance.py: %s\n" % title)
        f.write('name: "0/1 knapsack %s"\ncurrency: USD\n' % title)
        f.write("solver: {time_limit: 60, mip_gap: 0.0}\noutput: {formats: [csv, json]}\n")
        f.write("topics:\n")
        for i in range(n):
            f.write('  - {id: "t%05d", name: "Item %d"}\n' % (i, i))
        f.write('countries:\n  - {code: "KEN", name: "Kenya", region: "Africa", languages: ["en"]}\n')
        f.write("needs:\n")
        for i in range(n):
            # repr of a multiple of 1/16 (or the legacy 1/10) is its exact decimal
            f.write('  - {country: "KEN", topic: "t%05d", seats: 1, priority: %r}\n'
                    % (i, p[i] / scale))
        f.write('donors:\n  - {id: "fund", name: "Fund", budget: %d}\n' % c)
        f.write("courses:\n")
        for i in range(n):
            f.write('  - {id: "k%05d", title: "Course %d", topics: ["t%05d"], language: "en", '
                    'format: "online", cost_per_seat: %d}\n' % (i, i, i, w[i]))


def main():
    ap = argparse.ArgumentParser(description="a Pisinger knapsack as a capmatch scenario")
    ap.add_argument("n", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("dir")
    ap.add_argument("--family", default="strong", choices=FAMILIES)
    ap.add_argument("--range", type=int, default=1000, dest="r")
    ap.add_argument("--test", default="50/100", help="h/H: capacity h/(H+1) of the weights")
    ap.add_argument("--dp", help="the knap_dp program (default: the Python DP)")
    ap.add_argument("--max-cells", type=float, help="no DP where n * c exceeds this")
    ap.add_argument("--no-dp", action="store_true")
    ap.add_argument("--legacy", action="store_true",
                    help="strong, capacity sum w / 2, priority p / 10 (the implied-rows table)")
    a = ap.parse_args()
    try:
        h, big_h = (int(v) for v in a.test.split("/"))
        if a.legacy:
            w, p, _ = generate(a.n, a.seed, "strong", 1000)
            c, scale = sum(w) // 2, 10
            title = "n=%d seed %d" % (a.n, a.seed)
        else:
            w, p, c = generate(a.n, a.seed, a.family, a.r, h, big_h)
            scale = SCALE
            title = "%s n=%d seed %d R=%d test %d/%d" % (a.family, a.n, a.seed, a.r, h, big_h)
        write(a.dir, w, p, c, title, scale)
    except ValueError as e:
        print("knap_instance.py: %s" % e, file=sys.stderr)
        return 2
    if a.no_dp or (a.max_cells is not None and len(w) * c > a.max_cells):
        print("no DP")
        return 0
    if a.dp:
        opt = dp_program(a.dp, os.path.join(a.dir, "knap.txt"), a.max_cells)
    else:
        opt = dp_python(w, p, c)
    print("no DP" if opt is None else "%r" % (opt / scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
