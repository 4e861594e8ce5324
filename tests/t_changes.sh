#!/bin/sh
# tests/t_changes.sh — "Changes since run N", end to end. The example runs,
# then its inputs are edited in every way the section must name (a donor,
# course, country, need and commitment added and one of each removed; a
# budget, cost, capacity, quality, priority, hours, rate, policy and solver
# setting changed, and eligibility lists edited) and it runs again into the same folder. Every figure of
# the section in report.md is then checked against an independent
# computation: the headline figures and donor spend against the two runs'
# summary.json, the input changes against the edits made here and against
# results.db's input_changes view, the plan changes against the two runs'
# CSV files and the plan_changes view, and each tie against the rule (same
# country, course or paying donor). report.html must show the same rows.
# Last, a history database of the schema before inputs were kept is
# migrated without losing its runs. Needs $CAPMATCH (tests/run.sh sets it).
. tests/lib.sh
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -r inputs/example "$tmp/in"
# The reports, not optimality, are under test: a short solve keeps it fast.
sed -i 's/^  time_limit: .*/  time_limit: 2/' "$tmp/in/scenario.yaml"
out=$tmp/out
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "run 1 exits 0" '[ $? = 0 ]'
check "the first run says in one line that there is nothing to compare with" \
    'grep -qx "No earlier run is recorded in this folder.s results.db: nothing to compare with." "$out/report.md"'
mkdir "$tmp/run1" && cp "$out"/*.csv "$out/summary.json" "$tmp/run1/"

# The edits, one of each kind (lists too: a donor's regions and income
# groups, a country's languages, a course's topics).
$PY - "$tmp/in" <<'EOF'
import sys
d = sys.argv[1]
def edit(name, pairs):
    s = open(f"{d}/{name}").read()
    for old, new in pairs:
        assert s.count(old) == 1, (name, old)
        s = s.replace(old, new)
    open(f"{d}/{name}", "w").write(s)
edit("donors.yaml", [
    ("donors:\n", "donors:\n  - {id: test-new-donor, budget: 5000}\n"),
    ("    budget: 120000\n", "    budget: 30000\n"),
    ("    regions: [Africa]\n", "    regions: [Middle East, Africa]\n"),
    ("    income_groups: [LIC, LMIC, UMIC]\n    topics: [human-rights-online,",
     "    topics: [human-rights-online,"),
    ("  - id: open-learning-foundation\n    name: Open Learning Foundation small grants\n"
     "    budget: 10000                    # base currency (USD) when no currency is given\n"
     "    formats: [online]\n    max_share_per_country: 0.1\n", ""),
    ("{currency: EUR, rate: 1.08}", "{currency: EUR, rate: 1.1}"),
    ("  - {country: NGA, course: unidir-intro-online, seats: 2}\n",
     "  - {country: ETH, course: unidir-intro-online, seats: 1}\n"),
])
edit("needs.yaml", [
    ("  - {code: MNG, name: Mongolia,      region: Asia-Pacific, income_group: LMIC, languages: [mn, en, ru], trainee_hours: 300, max_trainees: 5}\n",
     "  - {code: BTN, name: Bhutan, region: Asia-Pacific, income_group: LMIC, languages: [dz, en]}\n"),
    ("languages: [en, sw], trainee_hours: 800, max_trainees: 14}",
     "languages: [sw, en, fr], trainee_hours: 700, max_trainees: 14}"),
    ("  - {country: MNG, topic: cyber-diplomacy-basics,  seats: 3, priority: 1.5}\n"
     "  - {country: MNG, topic: incident-response,       seats: 3, priority: 1.5}\n"
     "  - {country: MNG, topic: cbms,                    seats: 2}\n",
     "  - {country: BTN, topic: cybercrime, seats: 2}\n"),
    ("  - {country: KEN, topic: digital-trade,           seats: 2, priority: 0.5}\n", ""),
    ("{country: NGA, topic: cybercrime,              seats: 8, priority: 3}",
     "{country: NGA, topic: cybercrime,              seats: 8, priority: 2}"),
])
edit("scenario.yaml", [
    ("{LIC: 2.0, LMIC: 1.5,", "{LIC: 2.5, LMIC: 1.5,"),
    ("  mip_gap: 0.0001\n", "  mip_gap: 0.001\n"),
])
EOF
check "the edits apply" '[ $? = 0 ]'
sqlite3 "$tmp/in/catalogue.db" "
  INSERT INTO courses(id, provider, title, language, format, cost_per_seat, seats, hours, quality)
    VALUES('test-new-course', 'Test', 'A new data course', 'en', 'online', 100, 10, 10, 4);
  INSERT INTO course_topics VALUES('test-new-course', 'data-governance');
  DELETE FROM course_topics WHERE course = 'itu-ciip-masterclass';
  DELETE FROM courses WHERE id = 'itu-ciip-masterclass';
  UPDATE courses SET cost_per_seat = 900 WHERE id = 'diplo-cyberdip-en';
  UPDATE courses SET seats = 20 WHERE id = 'itu-ciip-blended';
  UPDATE courses SET quality = 4 WHERE id = 'itu-data-governance';
  UPDATE courses SET hours = 40 WHERE id = 'diplo-ig-en';
  INSERT INTO course_topics VALUES('diplo-ig-en', 'digital-trade');"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>"$tmp/err2"
check "run 2 exits 0 ($(head -c 300 "$tmp/err2"))" '[ $? = 0 ]'
mkdir "$tmp/run2" && cp "$out"/*.csv "$out/summary.json" "$tmp/run2/"

$PY - "$out" "$tmp/run1" "$tmp/run2" "$tmp/in/catalogue.db" > "$tmp/py.out" 2>&1 <<'EOF'
import csv, json, re, sqlite3, sys
from html.parser import HTMLParser
out, r1, r2, catalogue = sys.argv[1:5]
bad = 0
def fail(*a):
    global bad
    bad += 1
    print("FAIL:", *a)
def expect(name, got, want):
    if got != want:
        fail(name)
        print("   got: ", got)
        print("   want:", want)

md = open(f"{out}/report.md", encoding="utf-8").read()
# the section: first after the title, before the warnings and the overview
m = re.search(r"\n## Changes since run (\d+)\n(.*?)(?=\n## )", md, re.S)
if not m:
    fail("report.md has no '## Changes since run N' section"); print("bad", bad); sys.exit()
expect("compared with run 1", m.group(1), "1")
sec = m.group(2)
heads = re.findall(r"^## .*$", md, re.M)
expect("the change section comes first", heads[:3], ["## Changes since run 1", "## Warnings", "## Overview"])

def tables(text):
    """{### heading: rows of unescaped cells} for the section's tables."""
    res, cur = {}, None
    for line in text.split("\n"):
        if line.startswith("### "): cur = line[4:]; res[cur] = []
        elif line.startswith("|") and cur is not None and not re.match(r"^\|[-:|]+\|$", line):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            res[cur].append([re.sub(r"\\(.)", r"\1", c.strip()) for c in cells])
    return {k: v[1:] for k, v in res.items()}  # header row dropped
t = tables(sec)

# headline figures against the two summary.json files
s1 = json.load(open(f"{r1}/summary.json")); s2 = json.load(open(f"{r2}/summary.json"))
def share(s): return round(100.0 * s["seats_covered"] / s["seats_needed"], 1)
def num(x): return float(x.replace(" %", "").replace(" points", ""))
h = {row[0]: row[1:] for row in t.get("Headline figures", [])}
expect("headline figures", sorted(h), sorted(["Score", "Share of seats needed that are covered",
       "Total cost (USD)", "Seats allocated", "Needs fully covered"]))
def close(name, got, want, tol):
    if abs(got - want) > tol: fail(f"{name}: report {got}, expected {want}")
if "Score" in h:
    close("score run 1", num(h["Score"][0]), s1["score"], 1e-6)
    close("score run 2", num(h["Score"][1]), s2["score"], 1e-6)
    close("score change", num(h["Score"][2]), s2["score"] - s1["score"], 2e-6)
k = "Share of seats needed that are covered"
if k in h:
    close("share run 1", num(h[k][0]), share(s1), 1e-9)
    close("share run 2", num(h[k][1]), share(s2), 1e-9)
    close("share change", num(h[k][2]), share(s2) - share(s1), 1e-9)
if "Total cost (USD)" in h:
    expect("total cost", h["Total cost (USD)"], ["%.2f" % s1["total_cost"], "%.2f" % s2["total_cost"],
           "%+.2f" % (round(s2["total_cost"], 2) - round(s1["total_cost"], 2))])
if "Seats allocated" in h:
    expect("seats", h["Seats allocated"], [str(s1["seats"]), str(s2["seats"]), "%+d" % (s2["seats"] - s1["seats"])])
if "Needs fully covered" in h:
    expect("needs fully covered", h["Needs fully covered"],
           ["%d of %d" % (s1["needs_fully_covered"], s1["needs"]), "%d of %d" % (s2["needs_fully_covered"], s2["needs"]),
            "%+d" % (s2["needs_fully_covered"] - s1["needs_fully_covered"])])
# every donor of run 2, and those of run 1 that spent something
donors = sorted(set(s2["donors"]) | {d for d, v in s1["donors"].items() if v["spent"] > 0})
want = []
for d in donors:
    a = s1["donors"].get(d, {}).get("spent", 0.0); b = s2["donors"].get(d, {}).get("spent", 0.0)
    want.append([d, "%.2f" % a, "%.2f" % b, "%+.2f" % (round(b, 2) - round(a, 2))])
expect("spend per donor", t.get("Spend per donor"), want)
if "open-learning-foundation" not in donors: fail("the removed donor's spend is not listed")

# input changes: exactly the edits made above ...
def fmt(v):
    if v is None: return "none"
    if isinstance(v, (int, float)):
        s = "%.6f" % v
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(v)
edits = {
    ("added", "donor", "test-new-donor", "", "", ""),
    ("removed", "donor", "open-learning-foundation", "", "", ""),
    ("changed", "donor", "euro-africa-facility", "budget", "120000", "30000"),
    ("added", "course", "test-new-course", "", "", ""),
    ("removed", "course", "itu-ciip-masterclass", "", "", ""),
    ("changed", "course", "diplo-cyberdip-en", "cost_per_seat", "990", "900"),
    ("changed", "course", "itu-ciip-blended", "seats", "35", "20"),
    ("changed", "course", "itu-data-governance", "quality", "3.7", "4"),
    # results.db keeps the quality a run used (docs/formats.md, Course
    # feedback): removing ITU's masterclass (4.4) lowers the provider prior
    # of the undeclared itu-policy-ar, and the edits move the mean of all
    # declared qualities, the prior of the rated but undeclared pif-cyberdip
    ("changed", "course", "itu-policy-ar", "quality", "3.88", "3.825"),
    ("changed", "course", "pif-cyberdip", "quality", "4.319255", "4.318478"),
    ("changed", "course", "diplo-ig-en", "hours", "50", "40"),
    ("added", "country", "BTN", "", "", ""),
    ("removed", "country", "MNG", "", "", ""),
    ("changed", "country", "KEN", "trainee_hours", "800", "700"),
    ("changed", "country", "KEN", "languages", "en, sw", "en, fr, sw"),
    ("changed", "donor", "euro-africa-facility", "regions", "Africa", "Africa, Middle East"),
    ("changed", "donor", "women-in-cyber-fellowships", "income_groups", "LIC, LMIC, UMIC", "none"),
    ("changed", "course", "diplo-ig-en", "topics", "data-governance, internet-governance",
     "data-governance, digital-trade, internet-governance"),
    ("added", "need", "BTN/cybercrime", "", "", ""),
    ("removed", "need", "MNG/cyber-diplomacy-basics", "", "", ""),
    ("removed", "need", "MNG/incident-response", "", "", ""),
    ("removed", "need", "MNG/cbms", "", "", ""),
    ("removed", "need", "KEN/digital-trade", "", "", ""),
    ("changed", "need", "NGA/cybercrime", "priority", "3", "2"),
    ("added", "commitment", "ETH/unidir-intro-online/", "", "", ""),
    ("removed", "commitment", "NGA/unidir-intro-online/", "", "", ""),
    ("changed", "rate", "EUR", "rate", "1.08", "1.1"),
    ("changed", "setting", "policy", "income_weights.LIC", "2", "2.5"),
    ("changed", "setting", "solver", "mip_gap", "0.0001", "0.001"),
}
got = t.get("Input changes", [])
expect("input changes are exactly the edits", sorted(tuple(r) for r in got), sorted(edits))
# ... and row for row what the input_changes view says
db = sqlite3.connect(f"{out}/results.db")
started = db.execute("SELECT started_utc FROM runs WHERE id = 1").fetchone()[0]
expect("the run compared with and its start", re.search(r"Compared with run (\d+) of (\S+) in results.db", sec).groups(),
       ("1", started))
view = db.execute("SELECT kind, entity, key, field, old, new, country, course, donor FROM input_changes").fetchall()
vrows = [[k, e, key, f or "", "" if f is None else fmt(o), "" if f is None else fmt(n)] for k, e, key, f, o, n, *_ in view]
expect("input changes = input_changes view (same rows, same order)", got, vrows)

# plan changes against the CSV files of both runs, and the plan_changes view
def rows(folder, name):
    with open(f"{folder}/{name}.csv", newline="", encoding="utf-8") as f: return list(csv.DictReader(f))
a1 = {(r["country"], r["course"]): int(r["seats"]) for r in rows(r1, "allocations")}
a2 = {(r["country"], r["course"]): int(r["seats"]) for r in rows(r2, "allocations")}
c1 = {(r["country"], r["topic"]): (int(r["need"]), int(r["covered"])) for r in rows(r1, "coverage")}
c2 = {(r["country"], r["topic"]): (int(r["need"]), int(r["covered"])) for r in rows(r2, "coverage")}
fund = {}
for folder in (r1, r2):
    for r in rows(folder, "funding"): fund.setdefault((r["country"], r["course"]), set()).add(r["donor"])
topics = {}
for k, tp in sqlite3.connect(catalogue).execute("SELECT course, topic FROM course_topics"):
    topics.setdefault(k, set()).add(tp)
def ties_text(ties):  # the report lists 8 and counts the rest
    t = "; ".join(tie_text(view[i]) for i in ties[:8])
    return t + (f"; and {len(ties) - 8} more" if len(ties) > 8 else "")
def tie_text(v):
    k, e, key, f, o, n = v[:6]
    return f"{e} {key} {k}" if f is None else f"{e} {key} {f} {fmt(o)} → {fmt(n)}"
want, pair_ties = [], {}
for c, k in sorted(set(a1) | set(a2)):
    b, a = a1.get((c, k), 0), a2.get((c, k), 0)
    if a == b: continue
    ties = [i for i, v in enumerate(view) if v[6] == c or v[7] == k or (v[8] and v[8] in fund.get((c, k), ()))]
    pair_ties[(c, k)] = ties
    kind = "pair added" if b == 0 else "pair removed" if a == 0 else "pair resized"
    want.append([kind, c, k, str(b), str(a), ties_text(ties)])
for c, tp in sorted(set(c1) & set(c2)):
    (n1, v1), (n2, v2) = c1[(c, tp)], c2[(c, tp)]
    if (v1 >= n1) == (v2 >= n2): continue
    ties = {i for i, v in enumerate(view) if v[6] == c}
    for (pc, pk), pt in pair_ties.items():
        if pc == c and tp in topics.get(pk, ()): ties |= set(pt)
    want.append(["need covered" if v2 >= n2 else "need uncovered", c, tp, str(v1), str(v2),
                 ties_text(sorted(ties))])
plan = t.get("Plan changes", [])
expect("plan changes = the CSV files compared, with their ties", plan, want)
if not any(r[5] for r in plan): fail("no plan change is tied to an input change")
pv = db.execute("SELECT change, country, coalesce(course, topic), old, new FROM plan_changes").fetchall()
expect("plan changes = plan_changes view", sorted([r[0].replace("_", " ", 1).replace("covered", "covered"), r[1], r[2], r[3], r[4]] for r in plan),
       sorted([c.replace("_", " "), a, b, str(o), str(n)] for c, a, b, o, n in pv))

# report.html: the same section first, with the same rows
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.in_sec = 0; self.h = []; self.tables = []; self.cell = None; self.row = None
        self.depth = 0; self.order = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section": self.order.append(a.get("id"))
        if tag == "section" and a.get("id") == "changes": self.in_sec = 1; self.depth = 0
        elif tag == "section" and self.in_sec: self.depth += 1
        if not self.in_sec: return
        if tag == "table": self.tables.append([])
        if tag == "tr": self.row = []
        if tag in ("td", "th"): self.cell = ""
        if tag in ("h2", "h3"): self.cell = ""
    def handle_endtag(self, tag):
        if not self.in_sec: return
        if tag == "section":
            if self.depth == 0: self.in_sec = 0
            else: self.depth -= 1
        if tag in ("h2", "h3"): self.h.append(self.cell); self.cell = None
        if tag in ("td", "th") and self.row is not None: self.row.append(self.cell); self.cell = None
        if tag == "tr": self.tables[-1].append(self.row); self.row = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
p = P(); p.feed(open(f"{out}/report.html", encoding="utf-8").read())
expect("report.html: changes is the first section", p.order[:1], ["changes"])
expect("report.html headings", p.h, ["Changes since run 1", "Headline figures", "Spend per donor",
       "Input changes", "Plan changes"])
mdt = [t.get(k) for k in ("Headline figures", "Spend per donor", "Input changes", "Plan changes")]
expect("report.html tables = report.md tables", [tb[1:] for tb in p.tables], mdt)
print("bad", bad)
EOF
check "every figure of the change section checks out (see above)" 'grep -qx "bad 0" "$tmp/py.out"'
grep -qx 'bad 0' "$tmp/py.out" || cat "$tmp/py.out"

# The same input files again (the report then reads only the settings of
# the run before: same digest, same bytes): no input change, none in the view.
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet --time-limit 1 2>/dev/null
check "run 3 (same files) exits 0" '[ $? = 0 ]'
check "run 3: no input changed, in the report and the view" \
    'sed -n "/^### Input changes/,/^### Plan changes/p" "$out/report.md" | grep -qx "No input changed." &&
     [ "$(sqlite3 "$out/results.db" "SELECT count(*) FROM input_changes")" = 0 ]'
# the same input digest: run 3 keeps no input rows of its own, it points at
# run 2's (runs.inputs_run), and reads back exactly the same inputs
# results.db's coverage rows of run 3 are coverage.csv's, detail included
check "run 3: results.db coverage (reason, detail) equals coverage.csv" '$PY - "$out" <<EOF3
import csv, sqlite3, sys
d = sys.argv[1]
f = sorted((r["country"], r["topic"], int(r["covered"]), r["reason"], r["detail"])
           for r in csv.DictReader(open(d + "/coverage.csv")))
q = sorted(sqlite3.connect(d + "/results.db").execute(
    "SELECT country, topic, covered, reason, detail FROM coverage WHERE run_id = 3"))
sys.exit(not (f == q and any(r[4] for r in f)))
EOF3'
check "run 3 stores no inputs again and reads run 2's" \
    '[ "$(sqlite3 "$out/results.db" "SELECT inputs_run FROM runs WHERE id = 3;
        SELECT count(*) FROM run_courses WHERE run_id = 3; SELECT count(*) FROM run_settings WHERE run_id = 3;
        SELECT count(*) FROM (SELECT entity, key, field, value FROM run_inputs WHERE run_id = 3
          EXCEPT SELECT entity, key, field, value FROM run_inputs WHERE run_id = 2);
        SELECT (SELECT count(*) FROM run_inputs WHERE run_id = 3) = (SELECT count(*) FROM run_inputs WHERE run_id = 2)
          AND (SELECT count(*) FROM run_inputs WHERE run_id = 2) > 100" | tr "\n" " ")" = "2 0 0 0 1 " ]'

# A history of the schema before inputs were kept: its runs stay, it gains
# the input tables, and the report compares the plans only.
sqlite3 "$out/results.db" "
  DROP VIEW rates; DROP VIEW course_topics; DROP VIEW courses; DROP VIEW topics; DROP VIEW donors; DROP VIEW countries; DROP VIEW run_list_values; DROP TABLE run_topics;
  DROP VIEW input_changes; DROP VIEW plan_changes; DROP VIEW run_inputs; DROP VIEW stored_inputs;
  ALTER TABLE runs DROP COLUMN inputs_run; ALTER TABLE coverage DROP COLUMN detail;
  DROP TABLE run_countries; DROP TABLE run_needs; DROP TABLE run_donors; DROP TABLE run_courses;
  DROP TABLE run_commitments; DROP TABLE run_rates; DROP TABLE run_settings; DROP TABLE run_lists;
  ALTER TABLE runs DROP COLUMN label;
  PRAGMA user_version = 1;"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
check "a run on a schema 1 history exits 0" '[ $? = 0 ]'
check "the history is migrated to schema 4 and keeps its runs" \
    '[ "$(sqlite3 "$out/results.db" "PRAGMA user_version; SELECT count(*) FROM runs; SELECT count(DISTINCT run_id) FROM run_settings; SELECT count(*) FROM runs WHERE inputs_run IS NOT NULL;" | tr "\n" " ")" = "4 4 1 1 " ]'
check "the report says the previous run kept no inputs" \
    'grep -q "^Run 3 was recorded by an earlier version that kept no inputs" "$out/report.md"'
check "and input_changes is empty for it" '[ "$(sqlite3 "$out/results.db" "SELECT count(*) FROM input_changes")" = 0 ]'
check "plan_changes still compares the plans" \
    '[ "$(sqlite3 "$out/results.db" "SELECT count(*) FROM plan_changes")" = "$(grep -c "^| pair \|^| need " "$out/report.md")" ]'
# A damaged input view (edited by hand): a warning, and the plans are still compared.
sqlite3 "$out/results.db" "DROP VIEW input_changes; DROP VIEW run_inputs;
  CREATE VIEW run_inputs AS SELECT * FROM no_such_table;"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>"$tmp/err5"
check "a run with a damaged run_inputs view exits 0" '[ $? = 0 ]'
check "it warns that it compares the plans only" 'grep -q "cannot read the inputs of run 4 .*compares the plans only" "$tmp/err5"'
check "and the report still has the change section for run 4" 'grep -qx "## Changes since run 4" "$out/report.md"'
# A large change: the tables stop at 200 rows and a plan change at 8 ties,
# saying how many more the views hold.
mkdir "$tmp/big"
gen() { # $1: cost offset, $2: priority, $3: max_trainees
    $PY - "$tmp/big" "$1" "$2" "$3" <<'EOF2'
import sys
d, off, prio, mt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
L = ["name: big change", "currency: USD", "solver: {time_limit: 2}", "topics:"]
L += ["  - {id: t%d}" % t for t in range(12)]
L += ["countries:", "  - {code: KEN, name: Kenya, languages: [en], max_trainees: %s}" % mt, "needs:"]
L += ["  - {country: KEN, topic: t%d, seats: 3, priority: %s}" % (t, prio) for t in range(12)]
L += ["donors:", "  - {id: d1, budget: 100000}", "courses:"]
L += ["  - {id: k%03d, topics: [t%d], language: en, format: online, cost_per_seat: %d}" % (k, k % 12, 100 + k + off)
      for k in range(250)]
open(d + "/scenario.yaml", "w").write("\n".join(L) + "\n")
EOF2
}
gen 0 1 30
"$CAPMATCH" run "$tmp/big/scenario.yaml" -o "$tmp/big/out" --quiet 2>/dev/null
gen 1 2 10
"$CAPMATCH" run "$tmp/big/scenario.yaml" -o "$tmp/big/out" --quiet 2>/dev/null
check "the large change runs" '[ $? = 0 ]'
bmd=$tmp/big/out/report.md
n_in=$(sqlite3 "$tmp/big/out/results.db" "SELECT count(*) FROM input_changes")
n_plan=$(sqlite3 "$tmp/big/out/results.db" "SELECT count(*) FROM plan_changes")
check "input changes: 200 rows of $n_in, and a line saying so" \
    '[ "$n_in" = 263 ] && [ "$(sed -n "/^### Input changes/,/^### Plan changes/p" "$bmd" | grep -c "^| changed |")" = 200 ] &&
     grep -qx "The first 200 of 263 are listed; the input_changes view of results.db has them all." "$bmd"'
check "plan changes: all $n_plan rows (under 200), each pair with 8 ties and a count of the rest" \
    '[ "$(grep -c "^| pair [a-z]* | KEN |" "$bmd")" -ge 1 ] &&
     [ "$(grep "^| pair [a-z]* | KEN |" "$bmd" | grep -vc "; and [0-9]* more |$")" = 0 ] &&
     [ "$(grep -m 1 "^| pair [a-z]* | KEN |" "$bmd" | grep -o " → " | wc -l)" = 8 ]'
check "report.html says the same" 'grep -q "The first 200 of 263 are listed; the input_changes view" "$tmp/big/out/report.html"'
finish
