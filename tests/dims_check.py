#!/usr/bin/env python3
"""tests/dims_check.py — checks capmatch's dimension data against the inputs,
read here independently (PyYAML for the YAML files, Python's sqlite3 for an
SQLite input), for every input entity, used in the plan or not.

  dims_check.py db RESULTS.DB RUN_ID SCENARIO.yaml [--topic-names-may-be-null]
                [--declared-quality]
      queries results.db with the real sqlite3 command-line program: the
      views donors, countries, topics, courses, course_topics, rates of the
      run, and allocations/funding/coverage joined to them with USING
  dims_check.py csv OUTDIR SCENARIO.yaml
      reads donors.csv, countries.csv, topics.csv, courses.csv,
      course_topics.csv and the plan's CSV files beside them

--declared-quality: the run was recorded by a version before ratings, which
stored each course's declared quality; otherwise a course's quality is the
one the run used (the declared quality shrunk by its ratings).

Prints one line per difference and "dims_check: N checks, N failed";
exits 1 when anything differs."""
import csv
import json
import math
import os
import sqlite3
import subprocess
import sys
import types

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_instance  # noqa: E402  (quality_estimate)

checks = 0
failed = 0


def check(ok, what):
    global checks, failed
    checks += 1
    if not ok:
        failed += 1
        print("DIFF:", what)


def joined(v):
    return ", ".join(sorted(set(v))) if v else None


def load_inputs(scenario):
    """The entities as the inputs give them, keyed by id."""
    base = os.path.dirname(os.path.abspath(scenario))
    sc = yaml.safe_load(open(scenario, encoding="utf-8"))
    docs = [sc]
    dbs = []
    for inc in sc.get("include") or []:
        p = os.path.join(base, inc)
        if p.endswith((".yaml", ".yml")):
            docs.append(yaml.safe_load(open(p, encoding="utf-8")))
        else:
            dbs.append(p)
    cur = sc["currency"]
    ent = {"topics": {}, "countries": {}, "donors": {}, "courses": {}, "rates": {cur: 1.0}}
    for d in docs:
        for t in d.get("topics") or []:
            ent["topics"][t["id"]] = {"name": t.get("name")}
        for r in d.get("rates") or []:
            ent["rates"][r["currency"]] = float(r["rate"])
    for d in docs:
        for c in d.get("countries") or []:
            ent["countries"][c["code"]] = {
                "name": c.get("name"), "region": c.get("region"),
                "income_group": c.get("income_group"), "languages": joined(c.get("languages")),
                "trainee_hours": c.get("trainee_hours"), "max_trainees": c.get("max_trainees")}
        for x in d.get("donors") or []:
            ent["donors"][x["id"]] = {
                "name": x.get("name"), "currency": x.get("currency") or cur, "budget": x["budget"],
                "max_share_per_country": x.get("max_share_per_country")}
        for k in d.get("courses") or []:
            ent["courses"][k["id"]] = course(k, k.get("topics"), k.get("regions"), cur)
    for p in dbs:
        con = sqlite3.connect(p)
        con.row_factory = sqlite3.Row
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "topics" in tables:
            for r in con.execute("SELECT id, name FROM topics"):
                ent["topics"][r["id"]] = {"name": r["name"]}
        if "rates" in tables:
            for r in con.execute("SELECT currency, rate FROM rates"):
                ent["rates"][r["currency"]] = float(r["rate"])
        if "courses" in tables:
            for r in con.execute("SELECT * FROM courses"):
                tp = [t for (t,) in con.execute("SELECT topic FROM course_topics WHERE course = ?", (r["id"],))]
                rg = [g for (g,) in con.execute("SELECT region FROM course_regions WHERE course = ?", (r["id"],))]
                ent["courses"][r["id"]] = course(dict(r), tp, rg, cur)
        con.close()
    for d in ent["donors"].values():
        d["rate"] = ent["rates"][d["currency"]]
    ratings = [r for d in docs for r in d.get("ratings") or []]
    for p in dbs:
        con = sqlite3.connect(p)
        con.row_factory = sqlite3.Row
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'ratings'").fetchone():
            ratings += [dict(r) for r in con.execute("SELECT course, score, responses FROM ratings")]
        con.close()
    weight = (sc.get("policy") or {}).get("rating_weight") or 5
    used = {kid: quality_used(ent["courses"], kid, ratings, weight) for kid in ent["courses"]}
    if "--declared-quality" not in sys.argv:
        for kid, q in used.items():
            ent["courses"][kid]["quality"] = q
    for k in ent["courses"].values():
        k["rate"] = ent["rates"][k["currency"]]
    return ent, cur


def quality_used(courses, kid, ratings, w):
    """The quality a run uses (docs/formats.md, Course feedback), by the
    generator's own implementation of the formula (tests/gen_instance.py)."""
    inst = types.SimpleNamespace(
        ratings=ratings, rating_weight=w,
        courses=[dict(c, id=i) for i, c in courses.items()])
    return gen_instance.quality_estimate(inst, dict(courses[kid], id=kid))


def course(k, topics, regions, cur):
    def opt(name, default=None):
        v = k.get(name)
        return default if v is None else v
    return {"provider": k.get("provider"), "title": k.get("title"), "language": k.get("language"),
            "format": k.get("format"), "topics": joined(topics), "cost_per_seat": k["cost_per_seat"],
            "currency": k.get("currency") or cur, "seats": k.get("seats"), "min_seats": opt("min_seats", 0),
            "max_per_country": k.get("max_per_country"), "hours": opt("hours", 0),
            "quality": k.get("quality"), "start_date": none_or_str(k.get("start_date")),
            "end_date": none_or_str(k.get("end_date")), "regions": joined(regions)}


def none_or_str(v):
    return None if v is None else str(v)


def same(a, b):
    """A value read back against the input's: numbers by value, text exactly."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(b, bool) or isinstance(a, bool):
        return a == b
    if isinstance(b, (int, float)):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    return a == b


def compare(kind, got, want, key, null_ok=()):
    check(set(got) == set(want), "%s: ids %s, inputs have %s" % (kind, sorted(set(got) ^ set(want)), len(want)))
    for k, w in want.items():
        g = got.get(k)
        if g is None:
            continue
        for f, v in w.items():
            if f in null_ok and g.get(f) is None:
                continue
            check(same(g.get(f), v), "%s %s: %s is %r, inputs give %r" % (kind, k, f, g.get(f), v))


def sql(db, query):
    out = subprocess.run(["sqlite3", "-bail", "-json", db, query], capture_output=True, text=True)
    if out.returncode != 0:
        print("sqlite3 failed:", out.stderr.strip())
        sys.exit(2)
    return json.loads(out.stdout) if out.stdout.strip() else []


def by_key(rows, key):
    return {r[key]: r for r in rows}


def read_csv(path):
    """CSV rows as dicts; empty fields are None, numbers stay text."""
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(f)]


def check_all(get, ent, cur, null_topic_names):
    want_topics = ent["topics"]
    compare("topic", by_key(get("topics"), "topic"), want_topics, "topic",
            ("name",) if null_topic_names else ())
    compare("country", by_key(get("countries"), "country"), ent["countries"], "country")
    donors = by_key(get("donors"), "donor")
    compare("donor", donors, ent["donors"], "donor")
    for k, d in donors.items():
        w = ent["donors"].get(k)
        if w:
            check(math.isclose(float(d["budget_base"]), float(w["budget"]) * w["rate"], rel_tol=1e-12),
                  "donor %s: budget_base %s is not budget x rate" % (k, d["budget_base"]))
            check(d.get("base_currency") == cur, "donor %s: base_currency %r" % (k, d.get("base_currency")))
    courses = by_key(get("courses"), "course")
    compare("course", courses, ent["courses"], "course")
    ct = {(r["course"], r["topic"]) for r in get("course_topics")}
    want_ct = {(k, t) for k, c in ent["courses"].items() for t in (c["topics"] or "").split(", ") if t}
    check(ct == want_ct, "course_topics: %d rows differ" % len(ct ^ want_ct))


def main():
    mode = sys.argv[1]
    if mode == "db":
        db, run, scenario = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        null_topic_names = "--topic-names-may-be-null" in sys.argv
        ent, cur = load_inputs(scenario)

        def get(view):
            rows = sql(db, "SELECT * FROM %s WHERE run_id = %d" % (view, run))
            return rows
        check_all(get, ent, cur, null_topic_names)
        rates = {r["currency"]: r["rate"] for r in get("rates")}
        check(rates == ent["rates"], "rates: %r, inputs give %r" % (rates, ent["rates"]))
        # the plan joined to the dimensions: no row lost, names as given
        n = sql(db, "SELECT count(*) AS n FROM allocations WHERE run_id = %d" % run)[0]["n"]
        rows = sql(db, "SELECT a.country, c.name AS country_name, c.region, a.course, k.title,"
                       " k.provider, k.currency, a.seats FROM allocations a"
                       " JOIN countries c USING(run_id, country) JOIN courses k USING(run_id, course)"
                       " WHERE run_id = %d" % run)
        check(n > 0 and len(rows) == n, "allocations: %d rows, %d joined" % (n, len(rows)))
        for r in rows:
            c, k = ent["countries"][r["country"]], ent["courses"][r["course"]]
            check(r["country_name"] == c["name"] and r["region"] == c["region"],
                  "allocation %s/%s: country %r" % (r["country"], r["course"], r["country_name"]))
            check(r["title"] == k["title"] and r["provider"] == k["provider"] and r["currency"] == k["currency"],
                  "allocation %s/%s: course %r" % (r["country"], r["course"], r["title"]))
        n = sql(db, "SELECT count(*) AS n FROM funding WHERE run_id = %d" % run)[0]["n"]
        rows = sql(db, "SELECT f.donor, d.name, d.currency, d.rate, f.amount, t.name AS country_name"
                       " FROM funding f JOIN donors d USING(run_id, donor)"
                       " JOIN countries t USING(run_id, country) WHERE run_id = %d" % run)
        check(n > 0 and len(rows) == n, "funding: %d rows, %d joined" % (n, len(rows)))
        for r in rows:
            d = ent["donors"][r["donor"]]
            check(r["name"] == d["name"] and r["currency"] == d["currency"] and r["rate"] == d["rate"],
                  "funding by %s: %r %r %r" % (r["donor"], r["name"], r["currency"], r["rate"]))
        n = sql(db, "SELECT count(*) AS n FROM coverage WHERE run_id = %d" % run)[0]["n"]
        rows = sql(db, "SELECT topic, t.name FROM coverage JOIN topics t USING(run_id, topic)"
                       " WHERE run_id = %d" % run)
        check(n > 0 and len(rows) == n, "coverage: %d rows, %d joined to topics" % (n, len(rows)))
    elif mode == "csv":
        out, scenario = sys.argv[2], sys.argv[3]
        ent, cur = load_inputs(scenario)
        check_all(lambda name: read_csv(os.path.join(out, name + ".csv")), ent, cur, False)
    else:
        print(__doc__)
        sys.exit(2)
    print("dims_check: %d checks, %d failed" % (checks, failed))
    sys.exit(1 if failed else 0)


main()
