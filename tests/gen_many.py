#!/usr/bin/python3
"""tests/gen_many.py -- many small random scenarios for property tests.

  gen_many.py --count N --seed S --out DIR [--scale K]

Writes DIR/0000 ... DIR/(N-1), each a scenario of tests/gen_instance.py
(2-10 countries, 3-24 courses, 1-4 donors, 3-12 topics, each size times K,
a time limit of 10 s), with its policy drawn again from wider ranges than the generator's
own: coverage tiers of 1-4 steps with any values, income weights from 0.1
to 5 for any subset of groups, min_quality anywhere from 0 to 5 (or
absent), unrated allow/exclude/absent. One process writes them all, so a
thousand scenarios take seconds. Same arguments -> the same files.
"""
import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_instance as gi  # noqa: E402


def wide_policy(rng, inst):
    r = rng.random()
    if r < 0.2:
        inst.tiers = None
    else:
        m = rng.randint(1, 4)
        fr = sorted(rng.sample([x / 20 for x in range(1, 20)], m - 1)) + [1.0]
        vals = sorted((round(rng.uniform(0.05, 4.0), 3) for _ in range(m)), reverse=True)
        inst.tiers = [[f, v] for f, v in zip(fr, vals)]
    inst.income_weights = None
    if rng.random() < 0.7:
        inst.income_weights = {g: round(rng.uniform(0.1, 5.0), 2)
                               for g in sorted(rng.sample(gi.INCOME, rng.randint(1, 4)))}
    r = rng.random()
    inst.min_quality = None if r < 0.3 else 0 if r < 0.4 else round(rng.uniform(0, 5), 1)
    r = rng.random()
    inst.unrated = "allow" if r < 0.35 else "exclude" if r < 0.7 else None
    # the generator's commitments were made for its own policy: keep those
    # whose course still passes the quality filter, so every scenario is valid
    allow = inst.unrated != "exclude"
    quality = {k["id"]: gi.quality_estimate(inst, k) for k in inst.courses}

    def passes(cid):
        q = quality[cid]
        if inst.min_quality is None:
            return True
        return allow if q is None else q >= inst.min_quality
    inst.commitments = [c for c in inst.commitments if passes(c["course"])]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for i in range(args.count):
        k = args.scale
        a = argparse.Namespace(countries=k * rng.randint(2, 10), courses=k * rng.randint(3, 24),
                               donors=k * rng.randint(1, 4), seed=rng.randrange(1 << 30),
                               topics=min(12, k * rng.randint(3, 12)), time_limit=10, mip_gap=0.0001,
                               db="auto", formats="machine")
        inst = gi.generate(a)
        wide_policy(random.Random(a.seed ^ 0x5eed), inst)
        out = os.path.join(args.out, "%04d" % i)
        os.makedirs(out, exist_ok=True)
        gi.write_yaml(inst, out)
        if inst.db:
            gi.write_db(inst, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
