#!/bin/sh
# YAML written by another tool (PyYAML's safe_dump, in block, flow and
# canonical styles) must load: `capmatch validate` reports the entity counts
# and the seats and budget totals that Python computed from the same data.
# Python quotes YAML 1.1 booleans ('NO', 'no', 'yes'), writes dates plain
# and, in canonical style, tags every value (!!str, !!int, !!timestamp …).
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
    echo "python3-yaml is missing (apt-get install python3-yaml)"
    echo "0 passed, 1 failed"; exit 1
fi

for style in block flow canonical; do
    d="$tmp/$style"; mkdir -p "$d"
    /usr/bin/python3 - "$d" "$style" <<'PY' > "$d/expected" || { bad "python generation ($style)"; continue; }
import datetime, random, sys, yaml
out, style = sys.argv[1], sys.argv[2]
rnd = random.Random(7)
kw = {"block": dict(default_flow_style=False), "flow": dict(default_flow_style=True),
      "canonical": dict(canonical=True)}[style]
kw["sort_keys"] = False
topics = [{"id": t, "name": t.replace("-", " ").title()} for t in
          ["cybercrime", "un-norms", "cbms", "international-law", "incident-response"]]
codes = ["NOR", "NER", "SEN", "KEN", "FJI", "PER", "GEO", "JOR", "XKX", "BTN"]
langs = {"NOR": ["no", "en"], "NER": ["fr"], "SEN": ["fr", "en"], "KEN": ["en", "sw"],
         "FJI": ["en"], "PER": ["es"], "GEO": ["ka", "en"], "JOR": ["ar", "en"],
         "XKX": ["sq", "sr"], "BTN": ["dz", "en"]}
countries, needs = [], []
for i, c in enumerate(codes):
    e = {"code": c, "name": "NO" if c == "NOR" else "Country " + c,
         "region": "Region %d" % (i % 3), "income_group": ["LIC", "LMIC", "UMIC", "HIC"][i % 4],
         "languages": langs[c]}
    if i % 2: e["trainee_hours"] = 100.5 * i
    if i % 3: e["max_trainees"] = 10 + i
    countries.append(e)
    for t in rnd.sample(topics, 3):
        needs.append({"country": c, "topic": t["id"], "seats": rnd.randint(1, 8),
                      "priority": rnd.choice([0.5, 1, 2.25, 0.001])})
donors = [{"id": "fund %d" % i, "name": "yes" if i == 0 else "Fund %d" % i,
           "budget": rnd.randint(0, 10**6) + 0.25, "currency": ["USD", "EUR", "CHF"][i % 3],
           "countries": rnd.sample(codes, 4), "formats": ["online", "blended"]}
          for i in range(4)]
donors[1]["max_share_per_country"] = 0.2
courses = [{"id": "c%02d" % i, "provider": "Provider %d" % (i % 3), "title": "Course\n%d" % i,
            "topics": [t["id"] for t in rnd.sample(topics, 2)],
            "language": ["en", "fr", "es", "no"][i % 4],
            "format": ["online", "in_person", "blended"][i % 3],
            "cost_per_seat": 0 if i % 4 == 0 else 150.75 * i, "seats": 20, "min_seats": 2,
            "hours": 12.5, "quality": 4.2,
            "start_date": datetime.date(2027, 1 + i % 12, 1 + i),
            "end_date": datetime.date(2027, 1 + i % 12, 10 + i)}
           for i in range(12)]
rates = [{"currency": "EUR", "rate": 1.08}, {"currency": "CHF", "rate": 1.12},
         {"currency": "VND", "rate": 4e-05}]  # PyYAML writes 4.0e-05
with open(out + "/scenario.yaml", "w") as f:
    yaml.safe_dump({"name": "foreign " + style, "currency": "USD",
                    "period": {"start": datetime.date(2027, 1, 1), "end": datetime.date(2027, 12, 31)},
                    "include": ["data.yaml"],
                    "policy": {"coverage_tiers": [[0.5, 1.0], [1.0, 0.5]],
                               "income_weights": {"LIC": 2.0}, "unrated": "allow"},
                    "topics": topics}, f, **kw)
with open(out + "/data.yaml", "w") as f:
    yaml.safe_dump({"countries": countries, "needs": needs, "donors": donors,
                    "courses": courses, "rates": rates}, f, **kw)
budget = sum(d["budget"] * {"USD": 1, "EUR": 1.08, "CHF": 1.12}[d["currency"]] for d in donors)
print("topics %d" % len(topics))
print("countries %d" % len(countries))
print("needs %d (%d seats needed)" % (len(needs), sum(n["seats"] for n in needs)))
print("donors %d (total budget %.2f USD)" % (len(donors), budget))
print("courses %d (%d free)" % (len(courses), sum(1 for c in courses if c["cost_per_seat"] == 0)))
PY
    (cd "$d" && "$CAPMATCH" validate scenario.yaml) > "$d/out" 2> "$d/err"
    code=$?
    if [ "$code" = 0 ]; then ok; else bad "$style: exit $code"; cat "$d/err"; continue; fi
    # warnings (docs/warnings.md) are fine here: the data are valid
    grep -v ': warning: ' "$d/err" | grep -q . && bad "$style: unexpected stderr: $(cat "$d/err")" || ok
    # "  needs        30 (…)" → "needs 30 (…)"
    sed -n 's/^  \([a-z]*\)  *\(.*\)$/\1 \2/p' "$d/out" | grep -E '^(topics|countries|needs|donors|courses) ' > "$d/got"
    if diff "$d/expected" "$d/got" > "$d/diff"; then ok; else bad "$style: summary differs"; cat "$d/diff"; fi
done

# A value Python writes quoted must stay a string where a number is due.
d="$tmp/quoted"; mkdir -p "$d"
/usr/bin/python3 -c '
import sys, yaml
yaml.safe_dump({"currency": "USD", "donors": [{"id": "a", "budget": "100"}]}, open(sys.argv[1], "w"))' "$d/scenario.yaml"
err=$(cd "$d" && "$CAPMATCH" validate scenario.yaml 2>&1 >/dev/null); code=$?
[ "$code" = 65 ] && ok || bad "quoted budget: exit $code"
case "$err" in
    *"budget must be a number, got a quoted string '100'"*) ok ;;
    *) bad "quoted budget message: $err" ;;
esac

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
