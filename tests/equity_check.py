#!/usr/bin/python3
"""tests/equity_check.py -- recomputes the bias audit of a capmatch run.

  equity_check.py DIR [--share S] [--hhi H]

DIR holds an instance from tests/gen_instance.py (scenario.yaml, needs.yaml,
courses.yaml or catalogue.db) and its outputs in DIR/out.  From the inputs,
allocations.csv and coverage.csv alone (not from capmatch's code) it
recomputes every row of equity.csv, summary.json's provider_hhi and, when
report.md exists, its "Demand without supply" table, and compares them.
--share S: also checks that no provider is paid more than S of the plan's
total cost (a course without a provider is its own provider).
--hhi H: provider_hhi must also be H (a figure worked out by hand).
Exit status 0 when everything agrees, 1 otherwise (each mismatch printed).
"""
import argparse
import csv
import json
import os
import sqlite3
import sys

import yaml

INCOME = ["LIC", "LMIC", "UMIC", "HIC"]


def load(d):
    sc = yaml.safe_load(open(os.path.join(d, "scenario.yaml"), encoding="utf-8"))
    countries, needs, courses = [], [], []
    topics = {t["id"]: t.get("name") or t["id"] for t in sc.get("topics") or []}
    countries += sc.get("countries") or []
    needs += sc.get("needs") or []
    courses += sc.get("courses") or []
    for inc in sc.get("include") or []:
        p = os.path.join(d, inc)
        if inc.endswith(".db"):
            db = sqlite3.connect(p)
            db.row_factory = sqlite3.Row
            for r in db.execute("SELECT id, provider, language FROM courses"):
                courses.append({"id": r["id"], "provider": r["provider"], "language": r["language"],
                                "topics": [t[0] for t in db.execute(
                                    "SELECT topic FROM course_topics WHERE course = ?", (r["id"],))]})
            for r in db.execute("SELECT code, region, income_group FROM countries"):
                countries.append({"code": r["code"], "region": r["region"], "income_group": r["income_group"],
                                  "languages": [x[0] for x in db.execute(
                                      "SELECT language FROM country_languages WHERE country = ?", (r["code"],))]})
            needs += [{"country": r["country"], "topic": r["topic"], "seats": r["seats"]}
                      for r in db.execute("SELECT country, topic, seats FROM needs")]
            for r in db.execute("SELECT id, name FROM topics"):
                topics[r["id"]] = r["name"] or r["id"]
            continue
        y = yaml.safe_load(open(p, encoding="utf-8")) or {}
        countries += y.get("countries") or []
        needs += y.get("needs") or []
        courses += y.get("courses") or []
        for t in y.get("topics") or []:
            topics[t["id"]] = t.get("name") or t["id"]
    return countries, needs, courses, topics


def share(a, b):
    return a / b if b > 0 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--share", type=float)
    ap.add_argument("--hhi", type=float)
    a = ap.parse_args()
    countries, needs, courses, topics = load(a.dir)
    out = os.path.join(a.dir, "out")
    cby = {c["code"]: c for c in countries}
    kby = {k["id"]: k for k in courses}
    alloc = list(csv.DictReader(open(os.path.join(out, "allocations.csv"), encoding="utf-8", newline="")))
    cov = {(r["country"], r["topic"]): int(r["covered"])
           for r in csv.DictReader(open(os.path.join(out, "coverage.csv"), encoding="utf-8", newline=""))}
    bad = []

    def grp(dim, c=None, k=None):
        if dim == "income_group":
            return c.get("income_group") or "unspecified"
        if dim == "region":
            return c.get("region") or "unspecified"
        if dim == "language":
            return k["language"]
        return k.get("provider") or "course:" + k["id"]

    total_need = sum(n["seats"] for n in needs)
    total_cov = sum(min(cov[(n["country"], n["topic"])], n["seats"]) for n in needs)
    total_seats = sum(int(r["seats"]) for r in alloc)
    total_spend = sum(float(r["cost"]) for r in alloc)
    want = []
    for dim in ("income_group", "region"):
        fig = {}
        for c in countries:
            fig.setdefault(grp(dim, c=c), [0, 0, 0.0, 0])
        for n in needs:
            f = fig[grp(dim, c=cby[n["country"]])]
            f[0] += n["seats"]
            f[1] += min(cov[(n["country"], n["topic"])], n["seats"])
        for r in alloc:
            f = fig[grp(dim, c=cby[r["country"]])]
            f[2] += float(r["cost"])
            f[3] += 1
        order = sorted(fig, key=lambda g: (INCOME + ["unspecified"]).index(g)) if dim == "income_group" \
            else sorted(fig, key=lambda g: g.encode())
        for g in order:
            need, covd, spend, n = fig[g]
            want.append((dim, g, need, covd, spend, share(need, total_need), share(covd, total_cov),
                         share(spend, total_spend), n))
    prov_spend = {}
    for dim in ("language", "provider"):
        fig = {}
        for r in alloc:
            f = fig.setdefault(grp(dim, k=kby[r["course"]]), [0, 0.0, 0])
            f[0] += int(r["seats"])
            f[1] += float(r["cost"])
            f[2] += 1
        for g in sorted(fig, key=lambda g: g.encode()):
            seats, spend, n = fig[g]
            want.append((dim, g, None, seats, spend, None, share(seats, total_seats),
                         share(spend, total_spend), n))
            if dim == "provider":
                prov_spend[g] = spend
    got = list(csv.reader(open(os.path.join(out, "equity.csv"), encoding="utf-8", newline="")))
    if got[0] != ["dimension", "group", "seats_needed", "seats_covered", "spend", "share_of_need",
                  "share_of_covered", "share_of_spend"]:
        bad.append("equity.csv header %r" % got[0])
    got = got[1:]
    if [(r[0], r[1]) for r in got] != [(w[0], w[1]) for w in want]:
        bad.append("equity.csv groups %r, expected %r" % ([(r[0], r[1]) for r in got],
                                                            [(w[0], w[1]) for w in want]))
    else:
        for r, w in zip(got, want):
            dim, g, need, covd, spend, sn, sc, ss, n = w
            ok = (r[2] == ("" if need is None else str(need)) and r[3] == str(covd)
                  and abs(float(r[4]) - spend) <= 0.005 * n + 0.01
                  and (r[5] == "" if sn is None else abs(float(r[5]) - sn) <= 1e-5)
                  and abs(float(r[6]) - sc) <= 1e-5 and abs(float(r[7]) - ss) <= 1e-5)
            if not ok:
                bad.append("equity.csv row %r, expected %r" % (r, w[:8]))
    hhi = sum(share(s, total_spend) ** 2 for s in prov_spend.values())
    summ = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
    if abs(summ["provider_hhi"] - hhi) > 1e-5:
        bad.append("provider_hhi %r, recomputed %r" % (summ["provider_hhi"], hhi))
    if a.hhi is not None and abs(summ["provider_hhi"] - a.hhi) > 1e-6:
        bad.append("provider_hhi %r, by hand %r" % (summ["provider_hhi"], a.hhi))
    if a.share is not None:
        top = max([share(s, total_spend) for s in prov_spend.values()] or [0])
        top_amt = max(list(prov_spend.values()) or [0])
        if top_amt > a.share * total_spend + 1e-6 * total_spend + 0.01 * len(alloc):
            bad.append("a provider has %.6f of the spend, above max_provider_share %g" % (top, a.share))
        print("%s: largest provider share %.6f (cap %g), %d allocations" % (a.dir, top, a.share, len(alloc)))
    md = os.path.join(out, "report.md")
    if os.path.exists(md):
        offered = {(t, k["language"]) for k in courses for t in k["topics"]}
        gaps = {}
        for n in needs:
            langs = cby[n["country"]]["languages"]
            if any((n["topic"], l) in offered for l in langs):
                continue
            for l in langs:
                g = gaps.setdefault((l, n["topic"]), [0, 0])
                g[0] += 1
                g[1] += n["seats"]
        want_gaps = ["| %s | %s | %d | %d |" % (l, topics[t], gaps[(l, t)][0], gaps[(l, t)][1])
                     for (l, t) in sorted(gaps, key=lambda x: (x[0].encode(), x[1].encode()))]
        text = open(md, encoding="utf-8").read()
        sec = text.split("### Demand without supply", 1)
        rows = [ln for ln in sec[1].split("\n## ", 1)[0].splitlines()
                if ln.startswith("| ") and not ln.startswith("| Language")] if len(sec) == 2 else None
        if [r.replace("\\", "") for r in rows or []] != want_gaps:
            bad.append("report.md demand without supply %r, expected %r" % (rows, want_gaps))
    for b in bad:
        print("%s: %s" % (a.dir, b))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
