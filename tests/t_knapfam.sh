#!/bin/sh
# tests/t_knapfam.sh — the knapsack families of `make bench BENCH_MODE=knap`:
#  1. bench/knap_instance.py is deterministic per seed, and each family's
#     scenario obeys its rule (weights, profits = 16 x priority, capacity;
#     read back from scenario.yaml by tests/knapfam_check.py), at R 1000
#     and 10000; a range whose profits leave priority's range is refused;
#  2. bench/knap_dp.c agrees with trying every subset on tiny knapsacks,
#     with the Python DP of knap_instance.py, and says "no DP" above its
#     cell limit;
#  3. capmatch proves stage 1 of every family at n = 12 and 30 and its plan
#     is the DP's optimum (bench/knap_bench.py, the bench mode's driver);
#     a capmatch that claims a wrong optimum is reported as a MISMATCH.
# Needs $CAPMATCH (set by tests/run.sh), cc and python3-yaml.
set -u
. tests/lib.sh
if [ -z "${CAPMATCH:-}" ] || [ ! -x "$CAPMATCH" ]; then
    bad "\$CAPMATCH is not an executable program"; finish
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
GEN=bench/knap_instance.py
CHK=tests/knapfam_check.py
unset BENCH_KNAP_N BENCH_KNAP_FAMILIES BENCH_SEEDS BENCH_TIME_LIMIT BENCH_KNAP_RANGE BENCH_KNAP_DP_CELLS
export BENCH_MEM_LIMIT_MB=0      # an ASan build reserves terabytes
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/knap_dp" bench/knap_dp.c || bad "knap_dp does not build"

# 1. determinism and the families' rules
$PY $GEN 60 4 "$tmp/a" --family weak --no-dp >/dev/null &&
    $PY $GEN 60 4 "$tmp/b" --family weak --no-dp >/dev/null &&
    $PY $GEN 60 5 "$tmp/c" --family weak --no-dp >/dev/null || bad "generator failed"
check "same seed, same scenario" 'cmp -s "$tmp/a/scenario.yaml" "$tmp/b/scenario.yaml"'
check "same seed, same knap.txt" 'cmp -s "$tmp/a/knap.txt" "$tmp/b/knap.txt"'
check "another seed, another instance" '! cmp -s "$tmp/a/knap.txt" "$tmp/c/knap.txt"'
for r in 1000 10000; do
    for fam in uncorrelated weak strong subset; do
        d="$tmp/r$r-$fam"
        $PY $GEN 200 3 "$d" --family $fam --range $r --no-dp >/dev/null || bad "generate $fam R=$r"
        v=$($PY $CHK rule "$d" $fam $r 2>&1)
        [ "$v" = ok ] && ok || bad "$fam R=$r: $v"
    done
done
# the families share a seed's weights and capacity
check "families share weights" '[ "$(cut -d" " -f1 "$tmp/r1000-weak/knap.txt")" = "$(cut -d" " -f1 "$tmp/r1000-subset/knap.txt")" ]'
# profits up to 1.1 x 20000 would need priorities above 1000
check "R=20000 refused" '! $PY $GEN 50 1 "$tmp/big" --range 20000 --no-dp >/dev/null 2>&1'

# 2. the DP program
v=$($PY $CHK brute "$tmp/knap_dp" "$tmp" 2>&1)
case $v in ok*) ok ;; *) bad "knap_dp against brute force: $v" ;; esac
for fam in uncorrelated weak strong subset; do
    py=$($PY $GEN 150 2 "$tmp/d-$fam" --family $fam)
    c=$($PY $GEN 150 2 "$tmp/d-$fam" --family $fam --dp "$tmp/knap_dp")
    [ -n "$py" ] && [ "$py" = "$c" ] && ok || bad "$fam: Python DP '$py', knap_dp '$c'"
done
cells=$(head -1 "$tmp/d-weak/knap.txt" | awk '{ print $1 * $2 }')
check "no DP above the cell limit" '[ "$("$tmp/knap_dp" "$tmp/d-weak/knap.txt" $((cells - 1)))" = "no DP" ]'
check "DP at the cell limit" '[ "$("$tmp/knap_dp" "$tmp/d-weak/knap.txt" $cells)" != "no DP" ]'
printf '2 10\n3 x\n' > "$tmp/badin"
check "bad input: exit 1" '"$tmp/knap_dp" "$tmp/badin" >/dev/null 2>&1; [ $? = 1 ]'

# 3. capmatch against the DP, every family, n = 12 and 30
$PY bench/knap_bench.py --capmatch "$CAPMATCH" --dp "$tmp/knap_dp" --dir "$tmp/k/knap" \
    --n "12 30" --seeds "1" --time-limit 10 > "$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && ok || { bad "knap bench exit $rc"; cat "$tmp/out"; }
for fam in uncorrelated weak strong subset; do
    grep -q "^knap: $fam *proven 2 of 2, matches DP on 2 of 2 " "$tmp/out" && ok ||
        { bad "$fam: not proven and equal to the DP on both"; grep "$fam" "$tmp/out"; }
done
rows=$($PY -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(len(r), sum(x["verdict"] == "equal" and x["s1_status"] == "optimal" for x in r))' "$tmp/k/knap.csv" 2>&1)
[ "$rows" = "8 8" ] && ok || bad "knap.csv: rows, equal and optimal: '$rows'"
# knap.csv keeps every digit: its score x 16 is the plan's profit, its bound x 16 at least the DP's
v=$($PY -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(all(float(x["s1_obj"]) * 16 == int(x["plan_profit"]) and float(x["s1_bound"]) * 16 >= int(x["dp_opt"]) for x in r))' "$tmp/k/knap.csv" 2>&1)
[ "$v" = True ] && ok || bad "knap.csv lost digits of the score or bound: $v"
# a capmatch that claims optimal at one item's profit
cat > "$tmp/liar" <<'EOF'
#!/bin/sh
out=$4; mkdir -p "$out"
printf 'country,course,seats,cost\nKEN,k00000,1,1.00\n' > "$out/allocations.csv"
p=$(awk 'NR == 2 { print $2 / 16 }' "$(dirname "$2")/knap.txt")
printf '{"status": "optimal", "stages": [{"status": "optimal", "objective": %s, "bound": %s, "seconds": 0, "nodes": 1}]}\n' "$p" "$p" > "$out/summary.json"
EOF
chmod +x "$tmp/liar"
$PY bench/knap_bench.py --capmatch "$tmp/liar" --dp "$tmp/knap_dp" --dir "$tmp/l/knap" \
    --n 30 --seeds 1 --families strong --time-limit 5 > "$tmp/lout" 2>"$tmp/lerr"
rc=$?
[ $rc = 1 ] && ok || bad "a false optimum: exit $rc, expected 1"
grep -q "MISMATCH strong n=30 seed 1: stage 1 optimal at profit" "$tmp/lout" && ok || { bad "no MISMATCH line"; cat "$tmp/lout"; }
grep -q "MISMATCH" "$tmp/lerr" && ok || bad "MISMATCH not on stderr"
grep -q "bound .* below the DP optimum" "$tmp/lout" && ok || bad "a bound below the optimum not reported"
finish
