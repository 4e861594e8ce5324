#!/bin/sh
# coverage.csv `detail` and summary.json `unspent_reason` (docs/formats.md):
# one tiny scenario per value in which that limit is the true cause. Each is
# run as it is (the value must be the expected one), then once per limit with
# only that limit relaxed in the inputs: the need's coverage (or the donor's
# spending) must rise when the named limit is relaxed and under no other
# relaxation. Figures the reports print are checked against an independent
# computation (a relaxed run, or the output files).
set -u
. tests/lib.sh

tmp=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "kept: $tmp"
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
CAPMATCH=${CAPMATCH:-$(pwd)/build/capmatch}

# The one scenario, every limit a variable (null = absent). MOZ needs
# cybercrime; course k1 (Portuguese, 100 a seat, 10 hours) is its only offer;
# donor d1 may pay for anything unless RULES narrows it. With KEN=1 a second
# country (priority 2) competes for d1's money through its own course k2.
defaults() {
    FORMATS="csv, json, markdown, html" NEED=10 PRIO=1 TH=null MT=null BUDGET=2000 SHARE=null RULES='' CAP=null MIN=0 MPC=null KEN=0
}
gen() {
    mkdir -p "$1"
    kc='' kn='' kk=''
    if [ "$KEN" = 1 ]; then
        kc='  - {code: KEN, name: Kenya, languages: [en]}'
        kn='  - {country: KEN, topic: cybercrime, seats: 10, priority: 2}'
        kk='  - {id: k2, topics: [cybercrime], language: en, format: online, cost_per_seat: 100}'
    fi
    cat > "$1/scenario.yaml" <<EOF
name: explain test
currency: USD
solver: {time_limit: 20}
output: {formats: [$FORMATS]}
topics:
  - {id: cybercrime, name: Cybercrime}
countries:
  - {code: MOZ, name: Mozambique, languages: [pt], trainee_hours: $TH, max_trainees: $MT}
$kc
needs:
  - {country: MOZ, topic: cybercrime, seats: $NEED, priority: $PRIO}
$kn
donors:
  - {id: d1, budget: $BUDGET, max_share_per_country: $SHARE$RULES}
courses:
  - {id: k1, title: Portuguese cybercrime course, topics: [cybercrime], language: pt, format: online, cost_per_seat: 100, seats: $CAP, min_seats: $MIN, max_per_country: $MPC, hours: 10}
$kk
EOF
}
run() { gen "$1" && "$CAPMATCH" run "$1/scenario.yaml" -o "$1/out" --quiet 2>"$1/err"; }
covered() { tr -d '\r' < "$1/out/coverage.csv" | awk -F, '$1 == "MOZ" { print $4 }'; }
detail() { tr -d '\r' < "$1/out/coverage.csv" | awk -F, '$1 == "MOZ" { print $7 }'; }
donor_field() { # DIR KEY: d1's KEY in summary.json
    /usr/bin/python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["donors"]["d1"][sys.argv[2]]; print("null" if v is None else v)' \
        "$1/out/summary.json" "$2"
}
measure() { if [ "$kind" = need ]; then covered "$1"; else donor_field "$1" spent; fi; }

relax() {
    case $1 in
    min) MIN=0 ;; cap) CAP=null ;; mpc) MPC=null ;; hours) TH=null ;; headcount) MT=null ;;
    share) SHARE=null ;; budget) BUDGET=$((BUDGET + 100)) ;; prio) PRIO=10 ;;
    need) NEED=$((NEED + 5)) ;; rules) RULES='' ;;
    esac
}
LIMITS="min cap mpc hours headcount share budget prio need rules"

# kind value relaxed-limit settings
cat > "$tmp/table" <<'EOF'
need min_cohort min MIN=8 CAP=20 NEED=3 BUDGET=500
need capacity cap CAP=5
need max_per_country mpc MPC=4
need country_hours hours TH=30
need country_headcount headcount MT=6
need share_cap share SHARE=0.5 BUDGET=1000
need budget budget BUDGET=500
need outscored prio BUDGET=500 KEN=1
donor no_eligible_pair rules RULES=', providers: [acme]'
donor needs_met need NEED=5
donor pairs_full cap CAP=5
donor share_cap share SHARE=0.5 BUDGET=1000
donor min_cohort min MIN=8 CAP=20 NEED=3 BUDGET=500
donor below_seat_cost budget BUDGET=250
EOF

i=0
while read -r kind value named settings; do
    i=$((i + 1))
    defaults; eval "$settings"
    base="$tmp/$i-base"
    if ! run "$base"; then bad "$kind $value: run failed: $(cat "$base/err")"; continue; fi
    if [ "$kind" = need ]; then got=$(detail "$base"); else got=$(donor_field "$base" unspent_reason); fi
    [ "$got" = "$value" ] && ok || bad "$kind $value: got '$got'"
    before=$(measure "$base")
    for lim in $LIMITS; do
        defaults; eval "$settings"; a="$NEED $PRIO $TH $MT $BUDGET $SHARE $RULES $CAP $MIN $MPC"
        relax "$lim"
        FORMATS="csv, json" # the relaxed runs need no reports
        [ "$a" = "$NEED $PRIO $TH $MT $BUDGET $SHARE $RULES $CAP $MIN $MPC" ] && continue # not set here
        dir="$tmp/$i-$lim"
        if ! run "$dir"; then bad "$kind $value, $lim relaxed: run failed: $(cat "$dir/err")"; continue; fi
        after=$(measure "$dir")
        rose=$(awk -v a="$before" -v b="$after" 'BEGIN { print (b > a + 0.001) ? 1 : 0 }')
        if [ "$lim" = "$named" ]; then
            [ "$rose" = 1 ] && ok || bad "$kind $value: relaxing $lim does not help ($before -> $after)"
        else
            [ "$rose" = 0 ] && ok || bad "$kind $value: relaxing $lim helps too ($before -> $after)"
        fi
    done
done < "$tmp/table"

# The figures the reports print, each against an independent computation.
has() { grep -qF -- "$2" "$1" || { echo "missing in $1: $2"; return 1; }; }
# min_cohort: "3 could be sent" is what the plan sends once min_seats is gone
check "min_cohort figure" "has '$tmp/1-base/out/report.md' 'needs 8 participants to run; $(covered "$tmp/1-min") could be sent'"
check "min_cohort in HTML" "has '$tmp/1-base/out/report.html' 'needs 8 participants to run; 3 could be sent'"
# capacity: the seats the allocations give course k1
k1=$(tr -d '\r' < "$tmp/2-base/out/allocations.csv" | awk -F, '$2 == "k1" { s += $3 } END { print s + 0 }')
check "capacity figure" "has '$tmp/2-base/out/report.md' 'is full: $k1 of 5 seats taken'"
# country_hours: 3 seats of 10 hours used of 30
check "country_hours figure" "has '$tmp/4-base/out/report.md' '30 of 30 hours'"
# budget and outscored: a seat scores priority / cost per seat x 1,000; the
# last funded seat of KEN scores 2 / 100 x 1,000
here=$(awk 'BEGIN { print 1 / 100 * 1000 }'); ken=$(awk 'BEGIN { print 2 / 100 * 1000 }')
check "budget figures" "has '$tmp/7-base/out/report.md' 'here it would score $here per 1,000, at least as much as the last seat of a pair they paid for ($here per 1,000)'"
check "outscored figures" "has '$tmp/8-base/out/report.md' 'here it would score $here per 1,000, less than the last seat of every pair they paid for (at least $ken per 1,000)'"
check "outscored in HTML" "has '$tmp/8-base/out/report.html' 'more money would go elsewhere first'"
# unspent: budget minus the donor's funding rows, in summary.json and the reports
for n in 10 11 12 13 14; do
    b=$(sed -n 's/.*budget: \([0-9.]*\),.*/\1/p' "$tmp/$n-base/scenario.yaml")
    want=$(tr -d '\r' < "$tmp/$n-base/out/funding.csv" | awk -F, -v b="$b" 'NR > 1 && $1 == "d1" { s += $4 } END { printf "%.2f", b - s }')
    got=$(donor_field "$tmp/$n-base" unspent)
    check "unspent of scenario $n ($got, expected $want)" "[ '$(printf %.2f "$got")' = '$want' ]"
    check "unspent in report.md of scenario $n" "has '$tmp/$n-base/out/report.md' 'USD $want is left unspent'"
    check "unspent in report.html of scenario $n" "has '$tmp/$n-base/out/report.html' 'USD $want is left unspent'"
done
check "below_seat_cost words" "has '$tmp/14-base/out/donors/d1.md' 'less than the cheapest step it may still pay for, a seat (USD 100.00)'"
# no unspent_reason once less than 1.00 is left; the detail stays empty for other reasons
check "no reason when spent" "[ \"\$(donor_field '$tmp/7-base' unspent_reason)\" = null ]"
check "detail empty for no_funding" "[ \"\$(tr -d '\r' < '$tmp/9-base/out/coverage.csv' | sed -n 2p)\" = 'MOZ,cybercrime,10,0,0,no_funding,' ]"
check "coverage.csv header" "[ \"\$(head -n 1 '$tmp/1-base/out/coverage.csv' | tr -d '\r')\" = 'country,topic,need,covered,score,reason,detail' ]"
# In a plan proven optimal some limit always binds: not_proven never appears
# (random instances with tiers, commitments and minimum cohorts).
for seed in 2 4 7 11; do
    d="$tmp/random-$seed"
    /usr/bin/python3 tests/gen_instance.py --countries 12 --courses 30 --donors 5 --seed $seed --mip-gap 0 \
        --formats machine --wild-min-seats --out "$d" >/dev/null 2>&1 || { bad "generate seed $seed"; continue; }
    "$CAPMATCH" run "$d/scenario.yaml" -o "$d/out" --quiet 2>/dev/null || { bad "run seed $seed"; continue; }
    grep -q '"status": "optimal"' "$d/out/summary.json" || { echo "seed $seed: not optimal, skipped"; continue; }
    n=$(tr -d '\r' < "$d/out/coverage.csv" | awk -F, 'NR > 1 && $7 != "" { n++ } END { print n + 0 }')
    check "seed $seed: some details ($n)" "[ $n -gt 0 ]"
    check "seed $seed: no not_proven in an optimal plan" "! grep -q not_proven '$d/out/coverage.csv' '$d/out/summary.json'"
done
finish
