#!/usr/bin/env python3
"""tests/sweep_check.py CAPMATCH INSTANCE TMP — the checks of tests/t_sweep.sh.

Every kind of sweep variant (scale, override, remove, add, policy, grid,
marginal) must give exactly the plan of `capmatch run --fresh` on a copy
of the instance edited by hand the same way; each donor's marginal
score_gain must equal score(budget + step) - score(base); --task for every
index then --merge must give the sweep.csv of one sweep call.
Prints FAIL lines and a last "P F" line with the counts."""
import copy, csv, json, os, shutil, subprocess, sys
import yaml

capm, inst, tmp = sys.argv[1:4]
passed = failed = 0


def check(name, cond):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + name)


def load(name):
    with open(os.path.join(inst, name)) as f:
        return yaml.safe_load(f)


scen, needs, donors, courses = load("scenario.yaml"), load("needs.yaml"), load("donors.yaml"), load("courses.yaml")
D = [d["id"] for d in donors["donors"]]
K = [c["id"] for c in courses["courses"]]
named = set()
for d in donors["donors"]:
    named.update(d.get("countries", []) + d.get("exclude_countries", []))
free_countries = [c["code"] for c in needs["countries"] if c["code"] not in named]
gone = free_countries[0]
other_need = next(n for n in needs["needs"] if n["country"] != gone)
new_course = dict(courses["courses"][1], id="c9999", cost_per_seat=75, seats=8)

variants = [
    ({"name": "baseline"}, lambda s, n, d, k: None),
    ({"name": "scale", "budget_scale": 0.7}, "scale"),
    ({"name": "override", "donors": {D[0]: {"budget": 50000}},
      "courses": {K[2]: {"cost_per_seat": 120, "seats": 5}},
      "countries": {needs["countries"][1]["code"]: {"max_trainees": 3}}}, "override"),
    ({"name": "remove", "remove": {"courses": [K[0]], "countries": [gone],
                                   "needs": ["%s/%s" % (other_need["country"], other_need["topic"])]}}, "remove"),
    ({"name": "add", "add": {"donors": [{"id": "zz-new-fund", "budget": 25000, "currency": "EUR"}],
                             "courses": [new_course]}}, "add"),
    ({"name": "policy", "policy": {"min_quality": None, "unrated": "exclude"}, "solver": {"mip_gap": 0.001}}, "policy"),
]
grid = {"budget_scale": [0.5, 1.5], "min_quality": [None, 2.5]}
sweep = {"base": "scenario.yaml", "variants": [v for v, _ in variants], "grid": grid,
         "marginal": {"step": "10%"}}
with open(os.path.join(inst, "sweep.yaml"), "w") as f:
    yaml.safe_dump(sweep, f, sort_keys=False)


def cents(x):
    return round(x * 100) / 100


def edit(kind, s, n, d, k, arg=None):
    if kind == "scale":
        for x in d["donors"]:
            x["budget"] = cents(x["budget"] * arg)
    elif kind == "override":
        next(x for x in d["donors"] if x["id"] == D[0])["budget"] = 50000
        c = next(x for x in k["courses"] if x["id"] == K[2])
        c["cost_per_seat"], c["seats"] = 120, 5
        next(x for x in n["countries"] if x["code"] == needs["countries"][1]["code"])["max_trainees"] = 3
    elif kind == "remove":
        k["courses"] = [x for x in k["courses"] if x["id"] != K[0]]
        n["countries"] = [x for x in n["countries"] if x["code"] != gone]
        n["needs"] = [x for x in n["needs"] if x["country"] != gone and
                      (x["country"], x["topic"]) != (other_need["country"], other_need["topic"])]
    elif kind == "add":
        d["donors"].append({"id": "zz-new-fund", "budget": 25000, "currency": "EUR"})
        k["courses"].append(dict(new_course))
    elif kind == "policy":
        s["policy"].pop("min_quality", None)
        s["policy"]["unrated"] = "exclude"
        s["solver"]["mip_gap"] = 0.001
    elif kind == "min_quality":
        if arg is None:
            s["policy"].pop("min_quality", None)
        else:
            s["policy"]["min_quality"] = arg
    elif kind == "budget":
        donor, step = arg
        x = next(x for x in d["donors"] if x["id"] == donor)
        x["budget"] = x["budget"] + step


def hand_run(name, edits):
    """A copy of the instance edited by hand, solved by `capmatch run --fresh`."""
    root = os.path.join(tmp, "hand", name.replace(":", "_"))
    shutil.copytree(inst, root)
    s, n, d, k = copy.deepcopy(scen), copy.deepcopy(needs), copy.deepcopy(donors), copy.deepcopy(courses)
    for kind, arg in edits:
        edit(kind, s, n, d, k, arg)
    for fname, data in (("scenario.yaml", s), ("needs.yaml", n), ("donors.yaml", d), ("courses.yaml", k)):
        with open(os.path.join(root, fname), "w") as f:
            yaml.safe_dump(data, f, sort_keys=False)
    out = os.path.join(root, "out")
    rc = subprocess.call([capm, "run", os.path.join(root, "scenario.yaml"), "-o", out, "--fresh", "--quiet"],
                         stderr=subprocess.DEVNULL)
    check("hand-edited run %s exits 0 (got %d)" % (name, rc), rc == 0)
    return out


FIGS = ("status", "score", "score_bound", "total_cost", "seats", "needs_fully_covered", "seats_covered", "donors")


def same_plan(name, a, b):
    for f in ("allocations.csv", "funding.csv", "coverage.csv"):
        try:
            same = open(os.path.join(a, f)).read() == open(os.path.join(b, f)).read()
        except OSError:
            same = False
        check("%s: %s equals the hand-edited run's" % (name, f), same)
    try:
        sa, sb = json.load(open(os.path.join(a, "summary.json"))), json.load(open(os.path.join(b, "summary.json")))
        for k in FIGS:
            check("%s: summary %s %r == %r" % (name, k, sa.get(k), sb.get(k)), sa.get(k) == sb.get(k))
    except (OSError, ValueError) as e:
        check("%s: summary.json readable (%s)" % (name, e), False)


out = os.path.join(tmp, "sw")
rc = subprocess.call([capm, "sweep", os.path.join(inst, "sweep.yaml"), "-o", out, "-j", "2", "--cold", "--quiet"])
check("sweep exits 0 (got %d)" % rc, rc == 0)
# the default sweep, each variant starting from the plans of those done
# before it, ends at the same optima (score, cost, seats) for every kind of
# variant, whatever seats of an earlier plan the variant has no course for
warm = os.path.join(tmp, "warm")
rc = subprocess.call([capm, "sweep", os.path.join(inst, "sweep.yaml"), "-o", warm, "-j", "1", "--quiet"])
check("the sweep with starting plans exits 0 (got %d)" % rc, rc == 0)
def optima(d):
    try:
        return [(r["variant"], r["status"], r["score"], r["total_cost"], r["seats"])
                for r in csv.DictReader(open(os.path.join(d, "sweep.csv")))]
    except OSError:
        return None
check("starting plans change no optimum: %s" % optima(warm), optima(warm) is not None and optima(warm) == optima(out))
started = [v for v in os.listdir(os.path.join(warm, "variants"))
           if "started\t" in open(os.path.join(warm, "variants", v, "variant.tsv")).read()]
check("some variants started from an earlier plan (%d)" % len(started), len(started) > 0)
names = subprocess.run([capm, "sweep", os.path.join(inst, "sweep.yaml"), "--list"], capture_output=True,
                       text=True).stdout.split("\n")[:-1]
want = ["baseline", "scale", "override", "remove", "add", "policy",
        "budget_scale=0.5,min_quality=null", "budget_scale=0.5,min_quality=2.5",
        "budget_scale=1.5,min_quality=null", "budget_scale=1.5,min_quality=2.5"] + ["marginal:" + x for x in sorted(D)]
check("--list names every variant in order: %s" % names, names == want)

base_out = hand_run("baseline", [])
edits = {"scale": [("scale", 0.7)], "override": [("override", None)], "remove": [("remove", None)],
         "add": [("add", None)], "policy": [("policy", None)]}
for v in ("baseline",) + tuple(edits):
    h = base_out if v == "baseline" else hand_run(v, edits[v])
    same_plan(v, os.path.join(out, "variants", v), h)
for sc in (0.5, 1.5):
    for q in (None, 2.5):
        v = "budget_scale=%s,min_quality=%s" % (sc, "null" if q is None else q)
        same_plan(v, os.path.join(out, "variants", v), hand_run(v, [("scale", sc), ("min_quality", q)]))

# sweep.md shows sweep.csv's figures, each in its column
md = open(os.path.join(out, "sweep.md")).read()
for r in csv.DictReader(open(os.path.join(out, "sweep.csv"))):
    cells = "| %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["variant"].replace("_", "\\_"), r["status"], r["score"], r["delta_score"], r["total_cost"],
        r["delta_cost"], r["seats"], r["needs_fully_covered"])
    check("sweep.md has the line %s" % cells, cells in md)

# marginal: the gain of each donor is score(budget + 10%) - score(base)
base_score = json.load(open(os.path.join(base_out, "summary.json")))["score"]
rows = list(csv.DictReader(open(os.path.join(out, "marginal.csv"))))
check("marginal.csv has one line per donor", sorted(r["donor"] for r in rows) == sorted(D))
for r in rows:
    donor = next(x for x in donors["donors"] if x["id"] == r["donor"])
    step = round(donor["budget"] * 10) / 100
    h = hand_run("marginal:" + r["donor"], [("budget", (r["donor"], step))])
    same_plan("marginal:" + r["donor"], os.path.join(out, "variants", "marginal_" + r["donor"]), h)
    gain = json.load(open(os.path.join(h, "summary.json")))["score"] - base_score
    check("%s: score_gain %s == %.6f" % (r["donor"], r["score_gain"], gain), abs(float(r["score_gain"]) - gain) < 1e-6)
    check("%s: step %s == %.2f" % (r["donor"], r["step"], step), abs(float(r["step"]) - step) < 0.005)

# --task for every index, then --merge: the same tables
out2 = os.path.join(tmp, "sw2")
for i in range(len(want)):
    rc = subprocess.call([capm, "sweep", os.path.join(inst, "sweep.yaml"), "-o", out2, "--task", str(i), "--quiet"])
    check("--task %d exits 0 (got %d)" % (i, rc), rc == 0)
rc = subprocess.call([capm, "sweep", os.path.join(inst, "sweep.yaml"), "-o", out2, "--merge", "--quiet"])
check("--merge exits 0 (got %d)" % rc, rc == 0)
for f in ("sweep.csv", "marginal.csv", "sweep.md"):
    a, b = (open(os.path.join(d, f)).read() if os.path.exists(os.path.join(d, f)) else None for d in (out, out2))
    check("--task + --merge gives the same %s as one sweep" % f, a is not None and a == b)
print(passed, failed)
