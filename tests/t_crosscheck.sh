#!/bin/sh
# tests/t_crosscheck.sh — capmatch against the independent MathProg model
# (models/capmatch.mod solved by glpsol).
#  1. three small instances whose optimum was worked out by hand (below):
#     both the model and capmatch must reach it;
#  2. 120 small random instances from tests/gen_instance.py: same optimal
#     score, cost and seats, and capmatch's own plan must pass the model's
#     audit (eligibility, every constraint, funding adding up to the cost).
# Needs $CAPMATCH (set by tests/run.sh). XCHECK_SEEDS=FIRST-LAST and
# XCHECK_JOBS=N override the defaults.
set -u
if [ -z "${CAPMATCH:-}" ] || [ ! -x "$CAPMATCH" ]; then
    echo "t_crosscheck: \$CAPMATCH is not an executable program"
    echo "0 passed, 1 failed"; exit 1
fi
if ! command -v glpsol >/dev/null 2>&1; then
    echo "t_crosscheck: glpsol not found (Debian package glpk-utils)"
    echo "0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
hand() { # dir, expected "score,cost,seats"
    if /usr/bin/python3 tests/xcheck.py "$1" --capmatch "$CAPMATCH" --expect "$2"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
}

# --- hand 1: tiers, income weight, currency, headcount, language.
# KEN (LIC, weight 2, en, max 3 trainees) needs law 4, norms 2; FRA (en, fr)
# needs law 5. Tiers [[0.5,1],[1,0.5]]. k1 en law 100 USD cap 3; k2 fr law
# free; k3 en norms 50 EUR (= 55 USD). KEN's 3 trainees: law 2 (2*2*1 = 4)
# + norms 1 (2*1*1 = 2) beats law 3 (2*(2+0.5) = 5); FRA takes 5 free k2
# seats: 2.5*1 + 2.5*0.5 = 3.75. Score 9.75, cost 2*100 + 55 = 255, seats 8.
d=$tmp/hand1; mkdir -p "$d"
cat > "$d/scenario.yaml" <<'EOF'
name: hand 1
currency: USD
policy:
  coverage_tiers: [[0.5, 1.0], [1.0, 0.5]]
  income_weights: {LIC: 2.0}
solver: {time_limit: 30, mip_gap: 0}
output: {dir: out, formats: [csv, json]}
topics: [{id: law}, {id: norms}]
countries:
  - {code: KEN, name: Kenya, region: Africa, income_group: LIC, languages: [en], max_trainees: 3}
  - {code: FRA, name: France, region: Europe, languages: [fr, en]}
needs:
  - {country: KEN, topic: law, seats: 4}
  - {country: KEN, topic: norms, seats: 2}
  - {country: FRA, topic: law, seats: 5}
courses:
  - {id: k1, topics: [law], language: en, format: online, cost_per_seat: 100, seats: 3}
  - {id: k2, topics: [law, norms], language: fr, format: in_person, cost_per_seat: 0}
  - {id: k3, topics: [norms], language: en, format: blended, cost_per_seat: 50, currency: EUR}
donors:
  - {id: d1, budget: 1000}
rates:
  - {currency: EUR, rate: 1.1}
EOF
cat > "$d/data.dat" <<'EOF'
data;
set T := law norms;
set C := KEN FRA;
set K := k1 k2 k3;
set D := d1;
param base := 'USD';
set CUR := EUR;
param rate := EUR 1.1;
set LANGS[KEN] := en;
set LANGS[FRA] := fr en;
param region := KEN 'Africa' FRA 'Europe';
param income := KEN 'LIC';
param max_trainees := KEN 3;
set NT[KEN] := law norms;
set NT[FRA] := law;
param need_seats := KEN law 4  KEN norms 2  FRA law 5;
set KTOP[k1] := law;
set KTOP[k2] := law norms;
set KTOP[k3] := norms;
param lang := k1 en k2 fr k3 en;
param format := k1 online k2 in_person k3 blended;
param cost_per_seat := k1 100 k2 0 k3 50;
param kcur := k3 EUR;
param capacity := k1 3;
param budget := d1 1000;
param ntiers := 2;
param tier_frac := 1 0.5 2 1;
param tier_val := 1 1 2 0.5;
param income_weight := LIC 2;
end;
EOF
hand "$d" 9.75,255,8

# --- hand 2: earmarks, share cap, minimum cohort, filters, commitment.
# KEN (LMIC) and GHA (LIC) need law 4 each. k1 en law 100, cap 10, min 5.
# d1 (1000, excludes GHA, max share 0.3) pays KEN <= 300: 3 seats; d2 (200,
# LIC only) pays GHA 2 seats (1 already committed). 3 + 2 = 5 >= 5 opens k1.
# Free k2 fails min_quality 3 (quality 2), free k3 starts before the period,
# free k4 is for Europe only. Score 5, cost 500, seats 5.
# hand 3 = hand 2 with min_seats 6 and no commitment: k1 cannot open.
for v in 2 3; do
d=$tmp/hand$v; mkdir -p "$d"
if [ $v = 2 ]; then ms=5; else ms=6; fi
cat > "$d/scenario.yaml" <<EOF
name: hand $v
currency: USD
period: {start: 2027-01-01, end: 2027-12-31}
policy: {min_quality: 3.0, unrated: allow}
solver: {time_limit: 30, mip_gap: 0}
output: {dir: out, formats: [csv, json]}
topics: [{id: law}]
countries:
  - {code: KEN, name: Kenya, region: Africa, income_group: LMIC, languages: [en]}
  - {code: GHA, name: Ghana, region: Africa, income_group: LIC, languages: [en]}
needs:
  - {country: KEN, topic: law, seats: 4}
  - {country: GHA, topic: law, seats: 4}
courses:
  - {id: k1, topics: [law], language: en, format: online, cost_per_seat: 100, seats: 10, min_seats: $ms, quality: 4.0}
  - {id: k2, topics: [law], language: en, format: online, cost_per_seat: 0, quality: 2.0}
  - {id: k3, topics: [law], language: en, format: online, cost_per_seat: 0, start_date: 2026-05-01}
  - {id: k4, topics: [law], language: en, format: online, cost_per_seat: 0, regions: [Europe]}
donors:
  - {id: d1, budget: 1000, max_share_per_country: 0.3, exclude_countries: [GHA]}
  - {id: d2, budget: 200, income_groups: [LIC]}
EOF
[ $v = 2 ] && printf 'commitments:\n  - {country: GHA, course: k1, seats: 1, donor: d2}\n' >> "$d/scenario.yaml"
cat > "$d/data.dat" <<EOF
data;
set T := law;
set C := KEN GHA;
set K := k1 k2 k3 k4;
set D := d1 d2;
param base := 'USD';
set LANGS[KEN] := en;
set LANGS[GHA] := en;
param region := KEN 'Africa' GHA 'Africa';
param income := KEN 'LMIC' GHA 'LIC';
set NT[KEN] := law;
set NT[GHA] := law;
param need_seats := KEN law 4  GHA law 4;
set KTOP[k1] := law;
set KTOP[k2] := law;
set KTOP[k3] := law;
set KTOP[k4] := law;
param lang := k1 en k2 en k3 en k4 en;
param format := k1 online k2 online k3 online k4 online;
param cost_per_seat := k1 100 k2 0 k3 0 k4 0;
param capacity := k1 10;
param min_seats := k1 $ms;
param quality := k1 4.0 k2 2.0;
param has_kregions := k4 1;
set KREG[k4] := 'Europe';
param start_date := k3 20260501;
param budget := d1 1000 d2 200;
param max_share := d1 0.3;
param has_exclude := d1 1;
set D_EXCLUDE[d1] := GHA;
param has_income_groups := d2 1;
set D_INCOME[d2] := 'LIC';
param has_min_quality := 1;
param min_quality := 3.0;
param has_period := 1;
param period_start := 20270101;
param period_end := 20271231;
EOF
[ $v = 2 ] && printf 'set CMP := (GHA,k1,d2);\nparam cmp_seats := GHA k1 d2 1;\n' >> "$d/data.dat"
echo 'end;' >> "$d/data.dat"
done
hand "$tmp/hand2" 5,500,5
hand "$tmp/hand3" 0,0,0

# --- random instances
/usr/bin/python3 tests/xcheck.py --batch "${XCHECK_SEEDS:-1-120}" \
    --jobs "${XCHECK_JOBS:-2}" --capmatch "$CAPMATCH" > "$tmp/batch.out" 2>&1
rc=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/batch.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/batch.out" | tail -n 1)
if [ -n "$line" ]; then
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    pass=$((pass + p)); fail=$((fail + f))
else
    echo "batch cross-check did not finish (exit $rc)"; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
