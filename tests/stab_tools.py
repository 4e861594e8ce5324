#!/usr/bin/env python3
"""tests/stab_tools.py -- helpers of tests/t_stability.sh and bench/bench.sh.

  shuffle SRC DST SEED   copy scenario folder SRC to DST with every list of
                         entities (YAML lists of mappings, SQLite table rows)
                         in another order, and the first included YAML file's
                         longest list split across two files
  cut DIR DONOR          lower donor DONOR's budget by 10% in DIR's YAML files
  top SUMMARY            the donor that spent most in summary.json
  churn A B              seats that differ between two allocations.csv files,
                         sum over (country, course) of |a - b|
  same D1 D2             0 when allocations.csv, funding.csv, coverage.csv and
                         summary.json agree byte for byte, summary.json read
                         without its timings, input digest and warnings (the
                         warnings name file positions, which a shuffle moves)
  get SUMMARY KEY        a top-level value of summary.json (null as "null")
  cut-top DIR SUMMARY    cut the budget of the donor that spent most (top) by
                         10% (cut); prints the donor
  compare BASE NEW FRESH one line for two runs after a cut, each folder's
                         summary.json and allocations.csv: churn reported
                         with stage 4 and with --fresh, the same two counted
                         here against BASE's allocations.csv, and 1 when
                         stages 1-3 were proven in both runs (else 0)
"""
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import sys


def shuffle_yaml(node, rnd):
    if isinstance(node, dict):
        for v in node.values():
            shuffle_yaml(v, rnd)
    elif isinstance(node, list):
        for v in node:
            shuffle_yaml(v, rnd)
        if node and all(isinstance(v, dict) for v in node):
            rnd.shuffle(node)


def shuffle_db(path, rnd):
    tmp = path + ".new"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(tmp)
    tables = src.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                         "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    rnd.shuffle(tables)
    for name, sql in tables:
        dst.execute(sql)
    for name, _ in tables:
        rows = src.execute('SELECT * FROM "%s"' % name).fetchall()
        rnd.shuffle(rows)
        if rows:
            marks = ",".join("?" * len(rows[0]))
            dst.executemany('INSERT INTO "%s" VALUES (%s)' % (name, marks), rows)
    dst.commit()
    dst.close()
    src.close()
    os.replace(tmp, path)


def shuffle(src, dst, seed):
    global yaml
    import yaml  # only here: the other commands start faster without it
    rnd = random.Random(seed)
    shutil.copytree(src, dst)
    scen = os.path.join(dst, "scenario.yaml")
    first_yaml = None
    for name in sorted(os.listdir(dst)):
        p = os.path.join(dst, name)
        if name.endswith((".db", ".sqlite", ".sqlite3")):
            shuffle_db(p, rnd)
        elif name.endswith(".yaml"):
            with open(p) as f:
                doc = yaml.safe_load(f)
            shuffle_yaml(doc, rnd)
            with open(p, "w") as f:
                yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True)
    # split the first included YAML file's longest entity list across two files
    with open(scen) as f:
        s = yaml.safe_load(f)
    inc = [i for i in s.get("include", []) if i.endswith(".yaml")]
    if inc:
        first_yaml = inc[0]
        p = os.path.join(dst, first_yaml)
        with open(p) as f:
            doc = yaml.safe_load(f)
        key = max((k for k, v in doc.items() if isinstance(v, list)), key=lambda k: len(doc[k]))
        half = len(doc[key]) // 2
        with open(os.path.join(dst, "split_part.yaml"), "w") as f:
            yaml.safe_dump({key: doc[key][half:]}, f, sort_keys=False, allow_unicode=True)
        doc[key] = doc[key][:half]
        with open(p, "w") as f:
            yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True)
        s["include"] = ["split_part.yaml"] + list(s["include"])
        rnd.shuffle(s["include"])
        with open(scen, "w") as f:
            yaml.safe_dump(s, f, sort_keys=False, allow_unicode=True)


def cut(folder, donor):
    """Budget of `donor` times 0.9, edited in place (flow or block style)."""
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        p = os.path.join(folder, name)
        lines = open(p).read().split("\n")
        for i, line in enumerate(lines):
            if re.search(r'(^|[{,\s])id: *"?%s"?(?![\w-])' % re.escape(donor), line):
                for j in range(i, min(i + 12, len(lines))):
                    m = re.search(r'budget: *([0-9.]+)', lines[j])
                    if m:
                        new = "%.2f" % (float(m.group(1)) * 0.9)
                        lines[j] = lines[j][:m.start(1)] + new + lines[j][m.end(1):]
                        open(p, "w").write("\n".join(lines))
                        return 0
    # donors kept in a database of the folder (the generator puts them there for some seeds)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".db"):
            continue
        db = sqlite3.connect(os.path.join(folder, name))
        try:
            n = db.execute("UPDATE donors SET budget = round(budget * 0.9, 2) WHERE id = ?", (donor,)).rowcount
        except sqlite3.OperationalError:  # no donors table
            n = 0
        db.commit()
        db.close()
        if n == 1:
            return 0
    print("no budget found for donor %s" % donor, file=sys.stderr)
    return 1


def churn(a, b):
    def load(p):
        d = {}
        with open(p) as f:
            for r in csv.DictReader(f):
                d[(r["country"], r["course"])] = d.get((r["country"], r["course"]), 0) + int(r["seats"])
        return d
    x, y = load(a), load(b)
    return sum(abs(x.get(k, 0) - y.get(k, 0)) for k in set(x) | set(y))


def summary_text(p):
    with open(p) as f:
        s = json.load(f)
    for k in ("solve_seconds", "input_digest", "warnings"):
        s.pop(k, None)
    for st in s.get("stages", []):
        st.pop("seconds", None)
    return json.dumps(s, sort_keys=False)


def same(d1, d2):
    rc = 0
    for f in ("allocations.csv", "funding.csv", "coverage.csv"):
        if open(os.path.join(d1, f), "rb").read() != open(os.path.join(d2, f), "rb").read():
            print("differ: %s" % f, file=sys.stderr)
            rc = 1
    if summary_text(os.path.join(d1, "summary.json")) != summary_text(os.path.join(d2, "summary.json")):
        print("differ: summary.json", file=sys.stderr)
        rc = 1
    return rc


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "shuffle" and len(argv) == 5:
        shuffle(argv[2], argv[3], int(argv[4]))
        return 0
    if cmd == "cut" and len(argv) == 4:
        return cut(argv[2], argv[3])
    if cmd == "top" and len(argv) == 3:
        s = json.load(open(argv[2]))
        print(max(sorted(s["donors"]), key=lambda d: s["donors"][d]["spent"]))
        return 0
    if cmd == "churn" and len(argv) == 4:
        print(churn(argv[2], argv[3]))
        return 0
    if cmd == "same" and len(argv) == 4:
        return same(argv[2], argv[3])
    if cmd == "cut-top" and len(argv) == 4:
        s = json.load(open(argv[3]))
        donor = max(sorted(s["donors"]), key=lambda d: s["donors"][d]["spent"])
        print(donor)
        return cut(argv[2], donor)
    if cmd == "compare" and len(argv) == 5:
        base, new, fresh = argv[2:5]
        sn = json.load(open(os.path.join(new, "summary.json")))
        sf = json.load(open(os.path.join(fresh, "summary.json")))
        proven = all(x["status"] == "optimal" for s in (sn, sf) for x in s["stages"][:3])
        print(sn["churn"], sf["churn"], churn(os.path.join(base, "allocations.csv"), os.path.join(new, "allocations.csv")),
              churn(os.path.join(base, "allocations.csv"), os.path.join(fresh, "allocations.csv")), int(proven))
        return 0
    if cmd == "get" and len(argv) == 4:
        v = json.load(open(argv[2])).get(argv[3])
        print("null" if v is None else v)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
