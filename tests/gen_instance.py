#!/usr/bin/python3
"""tests/gen_instance.py -- seeded random capmatch scenario generator.

  gen_instance.py --countries N --courses K --donors D --seed S --out DIR
                  [--topics T] [--time-limit S] [--mip-gap G] [--db auto|yes|no]
                  [--wild-min-seats] [--formats random|all|machine]
                  [--max-provider-share S]

Writes one instance twice:
  DIR/scenario.yaml (+ needs.yaml, donors.yaml, courses.yaml or catalogue.db)
      in the input format of docs/formats.md, read by `capmatch run`;
  DIR/data.dat
      the MathProg data section for models/capmatch.mod (same instance).

Every optional input field (docs/formats.md, Entities) is exercised with some probability.
Commitments are kept sparse and feasible: the generator computes eligibility
(docs/formats.md, The allocation problem) for them and reserves capacity, time, headcount and budget.
output.formats is csv and json plus a random draw of the reports (default
--formats random); `all` names every format, `machine` only csv and json.
Same arguments -> byte-identical files.  Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import random
import sqlite3
import sys

ISO_3166 = "/usr/share/iso-codes/json/iso_3166-1.json"

TOPICS = [
    ("international-law", "International law in cyberspace"),
    ("un-norms", "UN norms of responsible state behaviour"),
    ("cbms", "Cyber confidence-building measures"),
    ("oewg-gge", "UN OEWG and GGE processes"),
    ("incident-response", "Incident response cooperation"),
    ("cybercrime", "Cybercrime and electronic evidence"),
    ("digital-trade", "Digital trade and e-commerce rules"),
    ("human-rights-online", "Human rights online"),
    ("critical-infrastructure", "Critical infrastructure protection"),
    ("internet-governance", "Internet governance"),
    ("data-governance", "Data governance and cross-border data flows"),
    ("cyber-diplomacy-basics", "Cyber diplomacy basics"),
]
REGIONS = ["Africa", "Asia-Pacific", "Latin America and Caribbean",
           "Europe and Central Asia", "Middle East", "Pacific"]
INCOME = ["LIC", "LMIC", "UMIC", "HIC"]
LANGS = ["en", "fr", "es", "ar", "ru", "pt", "zh"]
LANG_W = [40, 20, 15, 10, 6, 5, 4]
FORMATS = ["online", "in_person", "blended"]
PROVIDERS = ["DiploFoundation", "UNIDIR", "GFCE", "OSCE", "ITU", "UNODC",
             "Cyber Academy", "African Union"]
USD_PER = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.12, "JPY": 0.0067}
PERIOD = (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
WILD_MIN_SEATS = False      # --wild-min-seats: allow min_seats > seats
ALL_FORMATS = ["csv", "json", "markdown", "html", "sqlite"]


def ymd(d):
    return int(d.strftime("%Y%m%d"))


class Instance:
    """The generated instance, as plain Python values (None = absent)."""


def pick_countries(rng, n):
    with open(ISO_3166, encoding="utf-8") as fh:
        rows = json.load(fh)["3166-1"]
    pool = sorted(((r["alpha_3"], r.get("common_name", r["name"])) for r in rows))
    chosen = rng.sample(pool, min(n, len(pool)))
    if n <= len(pool) and n >= 3 and rng.random() < 0.1:
        chosen[-1] = ("XKX", "Kosovo")          # user-assigned code
    i = 0
    while len(chosen) < n:                      # beyond ISO: XAA..XZZ
        code = "X%c%c" % (65 + i // 26, 65 + i % 26)
        i += 1
        if code != "XKX" and all(code != c for c, _ in chosen):
            chosen.append((code, "Territory " + code))
    return sorted(chosen)


def gen_countries(rng, inst, n, topics):
    inst.countries = []
    inst.needs = []
    for code, name in pick_countries(rng, n):
        c = {"code": code, "name": name, "region": None, "income_group": None,
             "trainee_hours": None, "max_trainees": None}
        if rng.random() < 0.92:
            c["region"] = rng.choice(REGIONS)
        if rng.random() < 0.9:
            c["income_group"] = rng.choice(INCOME)
        langs = [rng.choices(LANGS, LANG_W)[0]]
        if rng.random() < 0.5:
            extra = "en" if rng.random() < 0.5 else rng.choice(LANGS)
            if extra not in langs:
                langs.append(extra)
        c["languages"] = langs
        if rng.random() < 0.35:
            c["trainee_hours"] = rng.choice([0, 16, 40, 60, 80, 120, 200, 400, 37.5])
        if rng.random() < 0.3:
            c["max_trainees"] = rng.choice([0, 1, 2, 3, 5, 8, 12, 20])
        inst.countries.append(c)
        k = rng.randint(2, min(6, len(topics)))
        for t in sorted(rng.sample(topics, k)):
            need = {"country": code, "topic": t, "priority": None,
                    "seats": rng.randint(1, 12) if rng.random() < 0.9
                    else rng.randint(13, 30)}
            if rng.random() < 0.35:
                need["priority"] = rng.choice([0.5, 1.25, 1.5, 2, 3])
            inst.needs.append(need)


def maybe_list(rng, p, pool, lo, hi):
    """A list drawn from pool with probability p, else None (absent)."""
    if rng.random() >= p or not pool:
        return None
    if rng.random() < 0.02:
        return []                                # present but empty
    return sorted(rng.sample(pool, rng.randint(lo, min(hi, len(pool)))))


def gen_courses(rng, inst, k, topics, base):
    inst.courses = []
    for i in range(k):
        tl = sorted(rng.sample(topics, min(len(topics),
                                           rng.choices([1, 2, 3], [6, 3, 1])[0])))
        c = {"id": "c%04d" % (i + 1), "provider": None,
             "title": "Course %d on %s" % (i + 1, tl[0].replace("-", " ")),
             "topics": tl, "language": rng.choices(LANGS, [60, 15, 12, 6, 4, 2, 1])[0],
             "format": rng.choice(FORMATS), "currency": None, "seats": None,
             "min_seats": None, "max_per_country": None, "hours": None,
             "quality": None, "regions": None, "start_date": None, "end_date": None}
        if rng.random() < 0.9:
            c["provider"] = rng.choice(PROVIDERS)
        if rng.random() < 0.2:
            c["cost_per_seat"] = 0
        else:
            c["cost_per_seat"] = rng.randint(4, 60) * 50
            if rng.random() < 0.1:
                c["cost_per_seat"] += 0.5
            if rng.random() < 0.25:
                cur = rng.choice([u for u in USD_PER if u != base])
                c["currency"] = cur
                if cur == "JPY":
                    c["cost_per_seat"] = int(c["cost_per_seat"] * 150)
        if rng.random() < 0.6:
            c["seats"] = rng.randint(5, 40)
        if rng.random() < 0.2:
            c["min_seats"] = rng.randint(2, 12)
            # The entity table alone does not forbid min_seats > seats, but capmatch
            # rejects it as an input error; keep to data both readings accept
            # (--wild-min-seats generates the other case).
            if c["seats"] is not None and not WILD_MIN_SEATS:
                c["min_seats"] = min(c["min_seats"], c["seats"])
        if rng.random() < 0.3:
            c["max_per_country"] = rng.randint(1, 8)
        if rng.random() < 0.7:
            c["hours"] = rng.choice([0, 4, 8, 12, 16, 24, 40, 80, 7.5])
        if rng.random() < 0.75:
            c["quality"] = round(rng.uniform(2.0, 5.0), 1)
        if rng.random() < 0.15:
            c["regions"] = sorted(rng.sample(REGIONS, rng.randint(1, 2)))
        if rng.random() < 0.6:
            if rng.random() < 0.85:
                start = PERIOD[0] + datetime.timedelta(days=rng.randint(0, 364))
            else:
                start = PERIOD[rng.randint(0, 1)] + datetime.timedelta(
                    days=rng.choice([-40, -1, 1, 60]))
            c["start_date"] = start
            if rng.random() < 0.5:
                c["end_date"] = start + datetime.timedelta(days=rng.randint(0, 60))
        inst.courses.append(c)


def gen_donors(rng, inst, d, topics, base):
    codes = [c["code"] for c in inst.countries]
    # budgets sized so money is scarce but not absent
    need_seats = sum(n["seats"] for n in inst.needs)
    total = max(1000.0, 0.35 * need_seats * 900)
    inst.donors = []
    for i in range(d):
        b = {"id": "donor-%02d" % (i + 1), "name": "Cyber Fund %d" % (i + 1),
             "currency": None, "max_share_per_country": None}
        if rng.random() < 0.03:
            b["budget"] = 0
        else:
            b["budget"] = max(100, int(total / d * rng.uniform(0.3, 1.7) / 100) * 100)
        if rng.random() < 0.25:
            b["currency"] = rng.choice([u for u in USD_PER if u not in (base, "JPY")])
        if rng.random() < 0.3:
            b["max_share_per_country"] = rng.choice([0.25, 0.3, 0.5, 0.75, 1])
        b["regions"] = maybe_list(rng, 0.2, REGIONS, 1, 3)
        b["countries"] = maybe_list(rng, 0.12, codes, 1, max(1, len(codes) // 3))
        b["income_groups"] = maybe_list(rng, 0.25, INCOME, 1, 2)
        b["topics"] = maybe_list(rng, 0.25, topics, 1, 4)
        b["formats"] = maybe_list(rng, 0.15, FORMATS, 1, 2)
        b["providers"] = maybe_list(rng, 0.12, PROVIDERS, 1, 3)
        b["exclude_countries"] = maybe_list(rng, 0.15, codes, 1, 2)
        inst.donors.append(b)


def gen_policy(rng, inst):
    inst.period = PERIOD if rng.random() < 0.75 else None
    r = rng.random()
    if r < 0.3:
        inst.tiers = None
    elif r < 0.5:
        inst.tiers = [[1.0, rng.choice([1.0, 2.0])]]
    else:
        m = rng.randint(2, 3)
        fr = sorted(rng.sample([0.25, 0.3, 0.5, 0.6, 0.75], m - 1)) + [1.0]
        vals = sorted((rng.choice([0.25, 0.5, 1.0, 1.5, 2.0]) for _ in range(m)),
                      reverse=True)
        inst.tiers = [[f, v] for f, v in zip(fr, vals)]
    inst.income_weights = None
    if rng.random() < 0.6:
        inst.income_weights = {g: rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])
                               for g in sorted(rng.sample(INCOME, rng.randint(1, 4)))}
    inst.min_quality = rng.choice([2.5, 3.0, 3.5, 4.0]) if rng.random() < 0.4 else None
    r = rng.random()
    inst.unrated = "allow" if r < 0.3 else "exclude" if r < 0.6 else None


# ---------------------------------------------------------------- eligibility
def rate_of(inst, cur):
    return 1.0 if cur is None or cur == inst.base else inst.rates[cur]


def quality_estimate(inst, k):
    """docs/formats.md, Course feedback: the quality a run uses (None: unrated)."""
    ratings = [r for r in getattr(inst, "ratings", None) or [] if r["course"] == k["id"]]
    n = sum(r["responses"] for r in ratings)
    s = sum(r["score"] * r["responses"] for r in ratings)
    declared = [j["quality"] for j in inst.courses if j["quality"] is not None]
    prov = [j["quality"] for j in inst.courses if k["provider"] is not None
            and j["provider"] == k["provider"] and j["quality"] is not None]
    if k["quality"] is not None:
        prior = k["quality"]
    elif prov:
        prior = sum(prov) / len(prov)
    elif n > 0:
        prior = sum(declared) / len(declared) if declared else 3.0
    else:
        return None
    w = getattr(inst, "rating_weight", None) or 5
    return (w * prior + s) / (w + n)


def pair_eligible(inst, c, k, needed):
    """docs/formats.md, The allocation problem: eligible pair (country c, course k)."""
    if k["language"] not in c["languages"]:
        return False
    if k["regions"] is not None and c["region"] not in k["regions"]:
        return False
    if inst.min_quality is not None:
        q = quality_estimate(inst, k)
        if q is None:
            if inst.unrated == "exclude":
                return False
        elif q < inst.min_quality:
            return False
    if inst.period is not None and k["start_date"] is not None:
        if not inst.period[0] <= k["start_date"] <= inst.period[1]:
            return False
    return any(t in needed for t in k["topics"])


def donor_eligible(b, c, k):
    """docs/formats.md, The allocation problem: donor b may pay for pair (c, k)."""
    def admits(lst, ok):
        return lst is None or ok(lst)
    return (admits(b["countries"], lambda l: c["code"] in l)
            and admits(b["regions"], lambda l: c["region"] in l)
            and admits(b["income_groups"], lambda l: c["income_group"] in l)
            and admits(b["exclude_countries"], lambda l: c["code"] not in l)
            and admits(b["topics"], lambda l: any(t in l for t in k["topics"]))
            and admits(b["formats"], lambda l: k["format"] in l)
            and admits(b["providers"], lambda l: k["provider"] in l))


def gen_commitments(rng, inst):
    inst.commitments = []
    if rng.random() < 0.45:
        return
    want = rng.randint(1, max(1, min(3, len(inst.countries) // 10 + 2)))
    needed = {}
    for n in inst.needs:
        needed.setdefault(n["country"], {})[n["topic"]] = n["seats"]
    cap_left = {k["id"]: k["seats"] for k in inst.courses}
    hours_left = {c["code"]: c["trainee_hours"] for c in inst.countries}
    heads_left = {c["code"]: c["max_trainees"] for c in inst.countries}
    budget_left = {b["id"]: b["budget"] * rate_of(inst, b["currency"])
                   for b in inst.donors}
    share_used = {}
    used = set()
    for _ in range(want * 40):
        if len(inst.commitments) >= want:
            break
        c = rng.choice(inst.countries)
        k = rng.choice(inst.courses)
        if (c["code"], k["id"]) in used or not pair_eligible(inst, c, k, needed[c["code"]]):
            continue
        useful = max(needed[c["code"]].get(t, 0) for t in k["topics"])
        s = rng.randint(1, min(3, useful))
        if k["min_seats"]:
            s = max(s, k["min_seats"])
        if k["max_per_country"] is not None and s > k["max_per_country"]:
            continue
        if cap_left[k["id"]] is not None and s > cap_left[k["id"]]:
            continue
        if heads_left[c["code"]] is not None and s > heads_left[c["code"]]:
            continue
        hrs = (k["hours"] or 0) * s
        if hours_left[c["code"]] is not None and hrs > hours_left[c["code"]]:
            continue
        cost = k["cost_per_seat"] * rate_of(inst, k["currency"]) * s
        donor = None
        if cost > 0:
            for b in rng.sample(inst.donors, len(inst.donors)):
                if not donor_eligible(b, c, k):
                    continue
                if cost > 0.5 * budget_left[b["id"]]:
                    continue
                full = b["budget"] * rate_of(inst, b["currency"])
                if b["max_share_per_country"] is not None:
                    room = b["max_share_per_country"] * full \
                        - share_used.get((b["id"], c["code"]), 0.0)
                    if cost > 0.5 * room:
                        continue
                donor = b
                break
            if donor is None:
                continue
            budget_left[donor["id"]] -= cost
            key = (donor["id"], c["code"])
            share_used[key] = share_used.get(key, 0.0) + cost
        if cap_left[k["id"]] is not None:
            cap_left[k["id"]] -= s
        if heads_left[c["code"]] is not None:
            heads_left[c["code"]] -= s
        if hours_left[c["code"]] is not None:
            hours_left[c["code"]] -= hrs
        used.add((c["code"], k["id"]))
        inst.commitments.append({"country": c["code"], "course": k["id"], "seats": s,
                                 "donor": donor["id"] if donor else None})
    inst.commitments.sort(key=lambda m: (m["country"], m["course"]))


def gen_ratings(args, inst):
    """--ratings P: each course gets 1-3 ratings with probability P, and
    policy.rating_weight is sometimes set. A separate generator, so that
    without the option every instance is exactly what it was before."""
    inst.ratings, inst.rating_weight = [], None
    p = getattr(args, "ratings", 0) or 0
    if p <= 0:
        return
    rr = random.Random(args.seed * 7919 + 17)
    for k in inst.courses:
        if rr.random() < p:
            for j in range(rr.randint(1, 3)):
                inst.ratings.append({"course": k["id"], "score": round(rr.uniform(1, 5), 1),
                                     "responses": rr.randint(1, 30),
                                     "collected": "2026-%02d-%02d" % (rr.randint(1, 12), rr.randint(1, 28))})
    if rr.random() < 0.3:
        inst.rating_weight = rr.choice([0.5, 1, 2, 10, 20])


def generate(args):
    rng = random.Random(args.seed)
    inst = Instance()
    inst.name = "Random instance seed %d (%dx%dx%d)" % (
        args.seed, args.countries, args.courses, args.donors)
    inst.base = "USD" if rng.random() < 0.8 else "EUR"
    inst.rates = {u: round(v / USD_PER[inst.base], 6)
                  for u, v in USD_PER.items() if u != inst.base}
    topics = [t for t, _ in TOPICS[:args.topics]]
    inst.topics = list(TOPICS[:args.topics])
    for i in range(len(TOPICS), args.topics):
        inst.topics.append(("topic-%d" % (i + 1), "Topic %d" % (i + 1)))
        topics.append("topic-%d" % (i + 1))
    gen_policy(rng, inst)
    gen_countries(rng, inst, args.countries, topics)
    gen_courses(rng, inst, args.courses, topics, inst.base)
    gen_donors(rng, inst, args.donors, topics, inst.base)
    if args.db == "auto":
        inst.db = args.seed % 4 == 3
    else:
        inst.db = args.db == "yes"
    inst.donors_in_db = inst.db and args.seed % 8 == 7
    if inst.donors_in_db:
        # donor_rules cannot say "present but empty": keep such lists absent
        for b in inst.donors:
            for key, _ in RULE_FIELDS:
                if b[key] == []:
                    b[key] = None
    gen_ratings(args, inst)
    gen_commitments(rng, inst)
    used = {k["currency"] for k in inst.courses} | {b["currency"] for b in inst.donors}
    inst.rates = {u: r for u, r in inst.rates.items() if u in used}
    inst.time_limit = args.time_limit
    inst.mip_gap = args.mip_gap
    fmts = ["csv", "json"] + [f for f in ("markdown", "html", "sqlite")
                              if rng.random() < 0.25]
    # --formats overrides the draw after it is made, so the rest of the
    # instance stays the same whichever value is given
    fixed = {"all": ALL_FORMATS, "machine": ["csv", "json"]}.get(
        getattr(args, "formats", "random"))
    inst.formats = list(fixed) if fixed else fmts
    return inst


# ---------------------------------------------------------------- YAML
def ys(v):
    """A YAML scalar: quoted string, plain number, plain ISO date."""
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        raise TypeError("no booleans in capmatch inputs")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return repr(v)              # keep "2.0" a float-looking number
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(ys(x) for x in v) + "]"
    return repr(v)


def ymap(fields):
    """One flow mapping of the present (non-None) fields."""
    return "{" + ", ".join("%s: %s" % (k, ys(v)) for k, v in fields if v is not None) + "}"


def write_yaml(inst, out):
    files = {}
    lines = ["# countries and needs (generated)", "countries:"]
    for c in inst.countries:
        lines.append("  - " + ymap([(k, c[k]) for k in (
            "code", "name", "region", "income_group", "languages",
            "trainee_hours", "max_trainees")]))
    lines.append("needs:")
    for n in inst.needs:
        lines.append("  - " + ymap([(k, n[k]) for k in ("country", "topic", "seats", "priority")]))
    files["needs.yaml"] = lines
    if not inst.donors_in_db:
        lines = ["# donors (generated)", "donors:"]
        for b in inst.donors:
            lines.append("  - " + ymap([(k, b[k]) for k in (
                "id", "name", "budget", "currency", "max_share_per_country",
                "regions", "countries", "income_groups", "topics", "formats",
                "providers", "exclude_countries")]))
        files["donors.yaml"] = lines
    if not inst.db:
        lines = ["# courses (generated)", "courses:"]
        for k in inst.courses:
            lines.append("  - " + ymap([(f, k.get(f)) for f in (
                "id", "provider", "title", "topics", "language", "format",
                "cost_per_seat", "currency", "seats", "min_seats",
                "max_per_country", "hours", "quality", "regions",
                "start_date", "end_date")]))
        files["courses.yaml"] = lines
    includes = ["needs.yaml"] + (["donors.yaml"] if not inst.donors_in_db else []) \
        + (["catalogue.db"] if inst.db else ["courses.yaml"])
    s = ["# generated by tests/gen_instance.py", "name: " + ys(inst.name),
         "currency: " + inst.base]
    if inst.period:
        s.append("period: {start: %s, end: %s}" % (inst.period[0], inst.period[1]))
    s.append("include:")
    s += ["  - " + f for f in includes]
    pol = []
    if inst.tiers is not None:
        pol.append("  coverage_tiers: " + ys(inst.tiers))
    if inst.income_weights is not None:
        pol.append("  income_weights: " + ymap(sorted(inst.income_weights.items())))
    if inst.min_quality is not None:
        pol.append("  min_quality: " + ys(inst.min_quality))
    if inst.unrated is not None:
        pol.append("  unrated: " + inst.unrated)
    if getattr(inst, "rating_weight", None) is not None:
        pol.append("  rating_weight: " + ys(inst.rating_weight))
    if getattr(inst, "max_provider_share", None) is not None:
        pol.append("  max_provider_share: " + ys(inst.max_provider_share))
    if pol:
        s += ["policy:"] + pol
    s += ["solver:", "  time_limit: " + ys(inst.time_limit),
          "  mip_gap: " + ys(inst.mip_gap),
          "output:", "  dir: out", "  formats: [" + ", ".join(inst.formats) + "]",
          "topics:"]
    s += ["  - " + ymap([("id", t), ("name", n)]) for t, n in inst.topics]
    if inst.rates and not inst.db:
        s.append("rates:")
        s += ["  - " + ymap([("currency", u), ("rate", r)]) for u, r in sorted(inst.rates.items())]
    if inst.commitments:
        s.append("commitments:")
        s += ["  - " + ymap([(k, m[k]) for k in ("country", "course", "seats", "donor")])
              for m in inst.commitments]
    if getattr(inst, "ratings", None) and not inst.db:
        s.append("ratings:")
        s += ["  - " + ymap([(k, r[k]) for k in ("course", "score", "responses")]
                            + [("collected", r["collected"])]) for r in inst.ratings]
    files["scenario.yaml"] = s
    for name, body in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as fh:
            fh.write("\n".join(body) + "\n")


# the one input schema (inputs/schema.sql): every table, empty where unused
SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "inputs", "schema.sql")
RULE_FIELDS = [("regions", "region"), ("countries", "country"),
               ("income_groups", "income_group"), ("topics", "topic"),
               ("formats", "format"), ("providers", "provider"),
               ("exclude_countries", "exclude_country")]


def write_db(inst, out):
    path = os.path.join(out, "catalogue.db")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        db.executescript(fh.read())
    for k in inst.courses:
        db.execute("INSERT INTO courses VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            k["id"], k["provider"], k["title"], k["language"], k["format"],
            float(k["cost_per_seat"]), k["currency"], k["seats"], k["min_seats"] or 0,
            k["max_per_country"], float(k["hours"] or 0), k["quality"],
            k["start_date"].isoformat() if k["start_date"] else None,
            k["end_date"].isoformat() if k["end_date"] else None, None))  # url
        db.executemany("INSERT INTO course_topics VALUES(?,?)", [(k["id"], t) for t in k["topics"]])
        db.executemany("INSERT INTO course_regions VALUES(?,?)",
                       [(k["id"], r) for r in (k["regions"] or [])])
    db.executemany("INSERT INTO rates VALUES(?,?)", sorted(inst.rates.items()))
    db.executemany("INSERT INTO ratings VALUES(?,?,?,?)", [
        (r["course"], r["score"], r["responses"], r["collected"])
        for r in getattr(inst, "ratings", None) or []])
    if inst.donors_in_db:
        for b in inst.donors:
            # an empty present list cannot be expressed in donor_rules
            db.execute("INSERT INTO donors VALUES(?,?,?,?,?)", (
                b["id"], b["name"], float(b["budget"]), b["currency"],
                b["max_share_per_country"]))
            for key, field in RULE_FIELDS:
                db.executemany("INSERT INTO donor_rules VALUES(?,?,?)",
                               [(b["id"], field, v) for v in (b[key] or [])])
    db.commit()
    db.close()


# ---------------------------------------------------------------- MathProg data
def q(s):
    if isinstance(s, int):
        return str(s)               # numeric subscripts (tier numbers)
    return "'" + str(s).replace("'", "''") + "'"


def num(v):
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return repr(v)


def write_dat(inst, out):
    L = ["data;"]

    def sset(name, items):
        if items:
            L.append("set %s := %s;" % (name, " ".join(q(i) for i in items)))

    def param(name, rows):
        rows = [r for r in rows if r[-1] is not None]
        if rows:
            L.append("param %s :=" % name)
            for r in rows:
                L.append("  " + " ".join(q(x) for x in r[:-1]) + " " +
                         (q(r[-1]) if isinstance(r[-1], str) else num(r[-1])))
            L.append(";")

    sset("T", [t for t, _ in inst.topics])
    sset("C", [c["code"] for c in inst.countries])
    sset("K", [k["id"] for k in inst.courses])
    sset("D", [b["id"] for b in inst.donors])
    L.append("param base := %s;" % q(inst.base))
    sset("CUR", sorted(inst.rates))
    param("rate", sorted(inst.rates.items()))
    for c in inst.countries:
        L.append("set LANGS[%s] := %s;" % (q(c["code"]), " ".join(q(x) for x in c["languages"])))
    for f in ("region", "income_group", "trainee_hours", "max_trainees"):
        param({"income_group": "income"}.get(f, f),
              [(c["code"], c[f]) for c in inst.countries])
    by_c = {}
    for n in inst.needs:
        by_c.setdefault(n["country"], []).append(n["topic"])
    for c, ts in sorted(by_c.items()):
        sset("NT[%s]" % q(c), ts)
    param("need_seats", [(n["country"], n["topic"], n["seats"]) for n in inst.needs])
    param("priority", [(n["country"], n["topic"], n["priority"]) for n in inst.needs])
    for k in inst.courses:
        sset("KTOP[%s]" % q(k["id"]), k["topics"])
    for f, name in (("language", "lang"), ("format", "format"), ("provider", "provider"),
                    ("cost_per_seat", "cost_per_seat"), ("currency", "kcur"),
                    ("seats", "capacity"), ("min_seats", "min_seats"),
                    ("max_per_country", "max_per_country"), ("hours", "hours"),
                    ("quality", "quality")):
        param(name, [(k["id"], k[f]) for k in inst.courses])
    param("has_kregions", [(k["id"], 1 if k["regions"] is not None else None)
                           for k in inst.courses])
    for k in inst.courses:
        if k["regions"]:
            sset("KREG[%s]" % q(k["id"]), k["regions"])
    param("start_date", [(k["id"], ymd(k["start_date"]) if k["start_date"] else None)
                         for k in inst.courses])
    param("budget", [(b["id"], b["budget"]) for b in inst.donors])
    param("dcur", [(b["id"], b["currency"]) for b in inst.donors])
    param("max_share", [(b["id"], b["max_share_per_country"]) for b in inst.donors])
    for key, setname in (("regions", "D_REGIONS"), ("countries", "D_COUNTRIES"),
                         ("income_groups", "D_INCOME"), ("topics", "D_TOPICS"),
                         ("formats", "D_FORMATS"), ("providers", "D_PROVIDERS"),
                         ("exclude_countries", "D_EXCLUDE")):
        flag = "has_" + ("exclude" if key == "exclude_countries" else key)
        # in the database an empty list is indistinguishable from an absent one
        param(flag, [(b["id"], 1 if b[key] is not None else None) for b in inst.donors])
        for b in inst.donors:
            if b[key]:
                sset("%s[%s]" % (setname, q(b["id"])), b[key])
    free = [m for m in inst.commitments if m["donor"] is None]
    paid = [m for m in inst.commitments if m["donor"] is not None]
    if free:
        L.append("set CMF := %s;" % " ".join("(%s,%s)" % (q(m["country"]), q(m["course"]))
                                             for m in free))
        param("cmf_seats", [(m["country"], m["course"], m["seats"]) for m in free])
    if paid:
        L.append("set CMP := %s;" % " ".join("(%s,%s,%s)" % (
            q(m["country"]), q(m["course"]), q(m["donor"])) for m in paid))
        param("cmp_seats", [(m["country"], m["course"], m["donor"], m["seats"]) for m in paid])
    tiers = inst.tiers or [[1.0, 1.0]]
    L.append("param ntiers := %d;" % len(tiers))
    param("tier_frac", [(i + 1, f) for i, (f, _) in enumerate(tiers)])
    param("tier_val", [(i + 1, v) for i, (_, v) in enumerate(tiers)])
    param("income_weight", sorted((inst.income_weights or {}).items()))
    if inst.min_quality is not None:
        L.append("param has_min_quality := 1;")
        L.append("param min_quality := %s;" % num(inst.min_quality))
    L.append("param unrated_allow := %d;" % (0 if inst.unrated == "exclude" else 1))
    ratings = getattr(inst, "ratings", None) or []
    if ratings:
        L.append("set R := %s;" % " ".join(str(i + 1) for i in range(len(ratings))))
        param("r_course", [(i + 1, r["course"]) for i, r in enumerate(ratings)])
        param("r_score", [(i + 1, r["score"]) for i, r in enumerate(ratings)])
        param("r_resp", [(i + 1, r["responses"]) for i, r in enumerate(ratings)])
    if getattr(inst, "rating_weight", None) is not None:
        L.append("param rating_weight := %s;" % num(inst.rating_weight))
    if getattr(inst, "max_provider_share", None) is not None:
        L.append("param max_provider_share := %s;" % num(inst.max_provider_share))
    if inst.period:
        L.append("param has_period := 1;")
        L.append("param period_start := %d;" % ymd(inst.period[0]))
        L.append("param period_end := %d;" % ymd(inst.period[1]))
    L.append("end;")
    with open(os.path.join(out, "data.dat"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(L) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--countries", type=int, required=True)
    ap.add_argument("--courses", type=int, required=True)
    ap.add_argument("--donors", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--topics", type=int, default=12)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--mip-gap", type=float, default=0.0)
    ap.add_argument("--db", choices=["auto", "yes", "no"], default="auto")
    ap.add_argument("--ratings", type=float, default=0,
                    help="probability that a course has ratings (default 0: none)")
    ap.add_argument("--wild-min-seats", action="store_true",
                    help="also generate courses whose min_seats exceeds seats")
    ap.add_argument("--formats", choices=["random", "all", "machine"], default="random",
                    help="output.formats: random draw (default), every format, or csv+json")
    ap.add_argument("--max-provider-share", type=float, default=None,
                    help="policy.max_provider_share; paid commitments are then left out "
                         "(the cap could make them conflict)")
    args = ap.parse_args()
    global WILD_MIN_SEATS
    WILD_MIN_SEATS = args.wild_min_seats
    if args.countries < 1 or args.courses < 1 or args.donors < 1 or args.topics < 2:
        ap.error("need at least 1 country, 1 course, 1 donor and 2 topics")
    if args.time_limit == int(args.time_limit):
        args.time_limit = int(args.time_limit)
    os.makedirs(args.out, exist_ok=True)
    inst = generate(args)
    if args.max_provider_share is not None:  # after generate(): the draws stay the same
        inst.max_provider_share = args.max_provider_share
        inst.commitments = [m for m in inst.commitments if m["donor"] is None]
    write_yaml(inst, args.out)
    if inst.db:
        write_db(inst, args.out)
    else:
        try:
            os.remove(os.path.join(args.out, "catalogue.db"))
        except FileNotFoundError:
            pass
    write_dat(inst, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
