#!/usr/bin/python3
"""tests/knapfam_check.py -- checks for tests/t_knapfam.sh, written apart
from bench/knap_instance.py so that they do not share its mistakes.

  knapfam_check.py rule DIR FAMILY R     the scenario DIR/scenario.yaml (read
      as YAML) obeys FAMILY's rule for data range R: prints "ok" or what broke
  knapfam_check.py brute DP_PROG DIR     tiny random knapsacks (n <= 12, some
      with items over the capacity, capacity 0, equal items): the DP program
      against trying every subset; prints "ok" or the first disagreement

Rules (Pisinger 2005; profit = 16 x priority, weight = cost_per_seat,
capacity = the one donor's budget): weights 1..R; uncorrelated profits
1..R; weak profits max(1, w - R/10)..w + R/10; strong profit w + R/10;
subset profit w; capacity floor(50/101 x sum of the weights).
"""
import itertools
import os
import random
import subprocess
import sys

import yaml


def rule(d, fam, r):
    with open(os.path.join(d, "scenario.yaml"), encoding="utf-8") as fh:
        s = yaml.safe_load(fh)
    needs, courses, donors = s["needs"], s["courses"], s["donors"]
    if len(needs) != len(courses) or len(donors) != 1 or len(s["countries"]) != 1:
        return "shape: %d needs, %d courses, %d donors" % (len(needs), len(courses), len(donors))
    cost = {k["topics"][0]: k["cost_per_seat"] for k in courses}
    w, p = [], []
    for nd in needs:
        if nd["seats"] != 1 or len(cost) != len(courses):
            return "need %s: seats %s" % (nd["topic"], nd["seats"])
        q = nd["priority"] * 16
        if q != int(q):
            return "need %s: priority %r is not a profit / 16" % (nd["topic"], nd["priority"])
        w.append(cost[nd["topic"]])
        p.append(int(q))
    d10 = r // 10
    for i, (wi, pi) in enumerate(zip(w, p)):
        if not 1 <= wi <= r or wi != int(wi):
            return "item %d: weight %r outside 1..%d" % (i, wi, r)
        lo, hi = {"uncorrelated": (1, r), "weak": (max(1, wi - d10), wi + d10),
                  "strong": (wi + d10, wi + d10), "subset": (wi, wi)}[fam]
        if not lo <= pi <= hi:
            return "item %d: %s profit %d outside %d..%d (weight %d)" % (i, fam, pi, lo, hi, wi)
    c = donors[0]["budget"]
    if c != 50 * sum(w) // 101:
        return "capacity %r, expected floor(50/101 x %d)" % (c, sum(w))
    # the families' spread: a rule that collapsed (all profits equal, weak
    # profits all equal to the weights) would pass the bounds above
    if len(w) >= 50:
        if len(set(w)) < len(w) // 3:
            return "weights barely vary"
        if fam == "uncorrelated" and sum(1 for a, b in zip(w, p) if abs(a - b) > d10) < len(w) // 3:
            return "uncorrelated profits follow the weights"
        if fam == "weak" and sum(1 for a, b in zip(w, p) if a != b) < len(w) // 2:
            return "weak profits are the weights"
        if fam == "weak" and max(b - a for a, b in zip(w, p)) < d10 // 2:
            return "weak profits never reach far above the weights"
    return "ok"


def brute(prog, d):
    rnd = random.Random(7)
    cases = [([5], [3], 0), ([5, 5, 5], [4, 4, 4], 10), ([7, 2, 9], [1, 1, 1], 1)]
    for t in range(60):
        n = rnd.randint(1, 12)
        r = rnd.choice((10, 100, 1000))
        w = [rnd.randint(1, r) for _ in range(n)]
        p = [rnd.randint(1, r) for _ in range(n)]
        c = rnd.randint(0, sum(w) + 5)
        cases.append((w, p, c))
    path = os.path.join(d, "tiny.txt")
    for w, p, c in cases:
        best = 0
        for pick in itertools.product((0, 1), repeat=len(w)):
            if sum(a * b for a, b in zip(pick, w)) <= c:
                best = max(best, sum(a * b for a, b in zip(pick, p)))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("%d %d\n" % (len(w), c))
            fh.writelines("%d %d\n" % x for x in zip(w, p))
        out = subprocess.run([prog, path], stdout=subprocess.PIPE, text=True, check=False)
        if out.returncode != 0 or out.stdout.strip() != str(best):
            return "w %s p %s c %d: DP %r (exit %d), brute force %d" % (
                w, p, c, out.stdout.strip(), out.returncode, best)
    return "ok (%d instances)" % len(cases)


def main():
    if sys.argv[1] == "rule":
        print(rule(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    elif sys.argv[1] == "brute":
        print(brute(sys.argv[2], sys.argv[3]))


if __name__ == "__main__":
    main()
