#!/bin/sh
# tests/t_inputs_hardening.sh — issue #21 end to end with the real binary:
# every documented limit from both sides (a value just inside is accepted
# and solved, exit 0; just outside is refused at FILE:LINE:COL, exit 65),
# the two reported magnitudes, messages that must not quote a foreign file,
# WAL-mode input databases (nothing may appear or change beside them),
# size limits and control characters in the reports. docs/limits.md lists
# the limits. Run from the repository root with $CAPMATCH set.
set -u
. tests/lib.sh
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"

# ---- 1. number limits -------------------------------------------------------
# mk KEY=VALUE…: writes $T/n/s.yaml from the defaults below with overrides.
mkdir -p "$T/n"
mk() {
    NAME=t F1=0.5 V1=1 V2=0.5 IW=2 TL=20 GAP=0.0001 TH=100 MT=10 NS=5 PR=1 RATE=1.1
    BUD=1000 DCUR=EUR SH=0.5 COST=10 CCUR=USD CS=20 MS=0 MPC=10 HRS=5 CMS=1
    for a in "$@"; do eval "$a"; done
    cat > "$T/n/s.yaml" <<EOF
name: $NAME
currency: USD
policy:
  coverage_tiers: [[$F1, $V1], [1, $V2]]
  income_weights: {LIC: $IW}
solver: {time_limit: $TL, mip_gap: $GAP}
topics: [{id: law}]
countries:
  - {code: KEN, name: Kenya, languages: [en], income_group: LIC, trainee_hours: $TH, max_trainees: $MT}
  - {code: UGA, name: Uganda, languages: [en]}
needs:
  - {country: KEN, topic: law, seats: $NS, priority: $PR}
  - {country: UGA, topic: law, seats: 2}
rates: [{currency: EUR, rate: $RATE}]
donors:
  - {id: d1, budget: $BUD, currency: $DCUR, max_share_per_country: $SH}
courses:
  - {id: c1, title: Law, topics: [law], language: en, format: online, cost_per_seat: $COST, currency: $CCUR, seats: $CS, min_seats: $MS, max_per_country: $MPC, hours: $HRS}
  - {id: c2, title: Free law, topics: [law], language: en, format: online, cost_per_seat: 0}
commitments:
  - {country: UGA, course: c2, seats: $CMS}
EOF
}

# inside KEY=VALUE…: solved, exit 0, outputs written.
inside() {
    mk "$@"; rm -rf "$T/n/out"
    (cd "$T/n" && "$CAPMATCH" run s.yaml -o out --quiet) > "$T/n/err" 2>&1; rc=$?
    if [ "$rc" = 0 ] && [ -f "$T/n/out/summary.json" ]; then ok
    else bad "inside $*: exit $rc"; head -n 3 "$T/n/err"; fi
}
# outside KEY=VALUE…: refused, exit 65, positioned message, no outputs.
outside() {
    mk "$@"; rm -rf "$T/n/out"
    (cd "$T/n" && "$CAPMATCH" run s.yaml -o out --quiet) > "$T/n/err" 2>&1; rc=$?
    if [ "$rc" = 65 ] && grep -q '^capmatch: s\.yaml:[0-9]*:[0-9]*: error: ' "$T/n/err" \
       && [ ! -e "$T/n/out/summary.json" ]; then ok
    else bad "outside $*: exit $rc"; head -n 3 "$T/n/err"; fi
}

inside; # the defaults
# amounts: 0 or 0.01..1e12, in their own currency
inside COST=0;  inside COST=0.01;  outside COST=0.0099;  inside COST=1e12 BUD=1e12 RATE=1;  outside COST=1.000001e12
inside BUD=0;   inside BUD=0.01 RATE=1 SH=1;  outside BUD=0.0099;  inside BUD=1e12 RATE=1;  outside BUD=1000000000001
# ... and after conversion to the base currency
inside COST=10 CCUR=EUR RATE=0.001 BUD=20000;  outside COST=9.99 CCUR=EUR RATE=0.001 BUD=20000
inside BUD=1e12 RATE=1;  outside BUD=1e12 RATE=1.000001
# rates 1e-6..1e6
inside RATE=0.000001 BUD=1e6;  outside RATE=0.00000099 BUD=1e7
inside RATE=1000000 BUD=1;  outside RATE=1000001 BUD=1
# hours and trainee hours: 0 or 0.01..1e6
inside HRS=0;  inside HRS=0.01;  outside HRS=0.0099;  inside HRS=1e6 TH=1e6;  outside HRS=1000000.5
inside TH=0;  inside TH=0.01;  outside TH=0.005;  inside TH=1e6;  outside TH=1000001
# priority, income weights, tier values: 0.001..1000; their product within 1e6
inside PR=0.001 IW=1 V1=1000 V2=1;  outside PR=0.00099;  outside PR=1000.5
inside IW=1000;  outside IW=1000.1;  inside IW=0.001 V1=1 V2=1;  outside IW=0.0009
inside V1=1000 V2=1 IW=1;  outside V1=1000.5 V2=1;  outside V1=1 V2=0.00099
outside PR=0.001 IW=1 V1=1000 V2=0.999
# tier fractions from 0.001
inside F1=0.001;  outside F1=0.0009;  inside F1=0.999;  outside F1=0.9995
# max_share_per_country 0.0001..1 and at least 0.01 of money
inside SH=0.0001 BUD=100 RATE=1;  outside SH=0.000099 BUD=1e6;  outside SH=0.0001 BUD=99 RATE=1
# seat counts up to 1e6
inside NS=1000000;  outside NS=1000001
inside CS=1000000;  outside CS=1000001
inside MS=1000000 CS=1000000;  outside MS=1000001 CS=1000000
inside MPC=1000000;  outside MPC=1000001
inside MT=1000000;  outside MT=1000001
inside CMS=1000000;  outside CMS=1000001
# solver settings
inside TL=10000000;  outside TL=10000001;  inside GAP=1;  outside GAP=1.5
# text: names and titles 200 bytes, ids 64
long200=$(printf '%0200d' 0)
inside "NAME=$long200";  outside "NAME=${long200}x"

# ---- 2. the two reported cases -----------------------------------------------
for c in 1e-300 1e-12; do
    mk COST=$c
    (cd "$T/n" && "$CAPMATCH" run s.yaml -o out --quiet) > "$T/n/err" 2>&1; rc=$?
    [ "$rc" = 65 ] && ok || bad "cost_per_seat $c: exit $rc, want 65"
    grep -qF "s.yaml:18:86: error: cost_per_seat must be 0 or a number from 0.01 to 1e12, got '$c'" "$T/n/err" \
        && ok || { bad "cost_per_seat $c: message"; cat "$T/n/err"; }
done

# ---- 3. foreign files are not quoted -----------------------------------------
mkdir -p "$T/f"
printf 'root:$y$j9T$TOPSECRETHASHVALUE:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n' > "$T/f/shadow"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nTOPSECRETb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n' > "$T/f/id_rsa"
printf -- '- TOPSECRET one\n- TOPSECRET two\n' > "$T/f/list"
printf 'currency: USD\ninclude: [shadow, id_rsa, list]\n' > "$T/f/s.yaml"
(cd "$T/f" && "$CAPMATCH" validate s.yaml) > "$T/f/out" 2> "$T/f/err"; rc=$?
[ "$rc" = 65 ] && ok || bad "foreign includes: exit $rc"
grep -q TOPSECRET "$T/f/err" && bad "a foreign file is quoted: $(cat "$T/f/err")" || ok
[ "$(grep -c 'is not a capmatch YAML file' "$T/f/err")" = 3 ] && ok || { bad "foreign files not named"; cat "$T/f/err"; }
# a long unknown key is cut to a short excerpt
printf 'currency: USD\n"this key goes on and on and on TOPSECRET": 1\n' > "$T/f/k.yaml"
(cd "$T/f" && "$CAPMATCH" validate k.yaml) 2> "$T/f/err" >/dev/null
grep -q TOPSECRET "$T/f/err" && bad "long key quoted whole" || ok
# SQLite: an unknown column name and a bad value are excerpts, escaped
sqlite3 "$T/f/d.db" "CREATE TABLE topics(id TEXT, \"name$(printf '\033')[2J and then a very long column name TOPSECRET\" TEXT);
  CREATE TABLE donors(id TEXT, budget REAL);
  INSERT INTO donors VALUES('d', 'lots of money, really a lot: $(printf '\033') TOPSECRET');"
printf 'currency: USD\ninclude: [d.db]\n' > "$T/f/db.yaml"
(cd "$T/f" && "$CAPMATCH" validate db.yaml) 2> "$T/f/err" >/dev/null; rc=$?
[ "$rc" = 65 ] && ok || bad "sqlite unknown column: exit $rc"
grep -q TOPSECRET "$T/f/err" && bad "sqlite text quoted whole: $(cat "$T/f/err")" || ok
grep -q "$(printf '\033')" "$T/f/err" && bad "raw ESC in a message" || ok
sqlite3 "$T/f/d.db" "DROP TABLE topics;"
(cd "$T/f" && "$CAPMATCH" validate db.yaml) 2> "$T/f/err" >/dev/null
grep -q TOPSECRET "$T/f/err" && bad "sqlite value quoted whole: $(cat "$T/f/err")" || ok
grep -qF "budget must be a number, got text 'lots of money, really a lot: \\x1b T…'" "$T/f/err" \
    && ok || { bad "sqlite excerpt"; cat "$T/f/err"; }

# ---- 4. WAL-mode input databases ----------------------------------------------
# state DIR: names, sizes and checksums of everything in DIR (works as root,
# who ignores directory permissions).
state() { (cd "$1" && for f in $(ls -A | LC_ALL=C sort); do printf '%s %s\n' "$f" "$(cksum < "$f")"; done); }
mkdir -p "$T/w"
sqlite3 "$T/w/c.db" "PRAGMA journal_mode=WAL;
  CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT); INSERT INTO topics VALUES('law', 'Law');
  CREATE TABLE countries(code TEXT PRIMARY KEY, name TEXT NOT NULL);
  INSERT INTO countries VALUES('KEN', 'Kenya');
  CREATE TABLE country_languages(country TEXT, language TEXT); INSERT INTO country_languages VALUES('KEN', 'en');
  CREATE TABLE needs(country TEXT, topic TEXT, seats INTEGER); INSERT INTO needs VALUES('KEN', 'law', 3);" >/dev/null
printf 'currency: USD\ninclude: [c.db]\noutput: {dir: %s/wout}\n' "$T" > "$T/w/s.yaml"
[ "$(sqlite3 "$T/w/c.db" 'PRAGMA journal_mode;')" = wal ] && ok || bad "test database is not in WAL mode"
before=$(state "$T/w")
for cmd in validate run; do
    (cd "$T/w" && "$CAPMATCH" $cmd s.yaml --quiet 2>/dev/null || "$CAPMATCH" $cmd s.yaml) >/dev/null 2>"$T/w.err"; rc=$?
    [ "$rc" = 0 ] && ok || { bad "WAL input, $cmd: exit $rc"; cat "$T/w.err"; }
    [ "$(state "$T/w")" = "$before" ] && ok || bad "WAL input, $cmd: files beside the input changed: $(state "$T/w")"
done
chmod 555 "$T/w"
for cmd in validate run; do
    (cd "$T/w" && "$CAPMATCH" $cmd s.yaml --quiet 2>/dev/null || "$CAPMATCH" $cmd s.yaml) >/dev/null 2>"$T/w.err"; rc=$?
    [ "$rc" = 0 ] && ok || { bad "WAL input in a read-only folder, $cmd: exit $rc"; cat "$T/w.err"; }
    [ "$(state "$T/w")" = "$before" ] && ok || bad "WAL input, read-only folder, $cmd: files changed"
done
chmod 755 "$T/w"
# committed data only in the -wal file (a copy taken while a writer had it open)
python3 - "$T/w" <<'PY' || bad "python writer"
import shutil, sqlite3, sys
d = sys.argv[1]
c = sqlite3.connect(d + "/c.db")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("INSERT INTO topics VALUES('norms', 'Norms')")
c.commit()
shutil.copy(d + "/c.db", d + "/copy.db")
shutil.copy(d + "/c.db-wal", d + "/copy.db-wal")
c.close()
PY
printf 'currency: USD\ninclude: [copy.db]\noutput: {dir: %s/wout}\n' "$T" > "$T/w/copy.yaml"
[ -s "$T/w/copy.db-wal" ] && ok || bad "the copy has no -wal"
before=$(state "$T/w")
(cd "$T/w" && "$CAPMATCH" run copy.yaml --quiet) >/dev/null 2>"$T/w.err"; rc=$?
[ "$rc" = 66 ] && ok || { bad "pending -wal: exit $rc, want 66"; cat "$T/w.err"; }
grep -qF "copy.db: error: copy.db-wal is not empty" "$T/w.err" && ok || { bad "pending -wal: message"; cat "$T/w.err"; }
[ "$(state "$T/w")" = "$before" ] && ok || bad "pending -wal: files changed"

# ---- 5. size limits ------------------------------------------------------------
mkdir -p "$T/z"
printf 'currency: USD\ninclude: [big.yaml]\n' > "$T/z/s.yaml"
truncate -s 70M "$T/z/big.yaml"
(cd "$T/z" && "$CAPMATCH" validate s.yaml) >/dev/null 2>"$T/z.err"; rc=$?
[ "$rc" = 65 ] && ok || bad "70 MiB include: exit $rc"
grep -qF "s.yaml:2:11: error: big.yaml is too large (a YAML input may hold at most 64 MiB)" "$T/z.err" \
    && ok || { bad "70 MiB include: message"; cat "$T/z.err"; }
cp "$T/z/s.yaml" "$T/z/big2.yaml"; truncate -s 70M "$T/z/big2.yaml"
(cd "$T/z" && "$CAPMATCH" validate big2.yaml) >/dev/null 2>"$T/z.err"; rc=$?
[ "$rc" = 65 ] && grep -qF "big2.yaml is too large (a YAML input may hold at most 64 MiB)" "$T/z.err" \
    && ok || { bad "70 MiB scenario: exit $rc"; cat "$T/z.err"; }
printf 'SQLite format 3\000' > "$T/z/big.db"; truncate -s 1025M "$T/z/big.db"
printf 'currency: USD\ninclude: [big.db]\n' > "$T/z/db.yaml"
(cd "$T/z" && "$CAPMATCH" validate db.yaml) >/dev/null 2>"$T/z.err"; rc=$?
[ "$rc" = 65 ] && grep -qF "big.db is too large (a database input may hold at most 1024 MiB)" "$T/z.err" \
    && ok || { bad "1 GiB database: exit $rc"; cat "$T/z.err"; }
rm -f "$T/z/big.db" "$T/z/big.yaml" "$T/z/big2.yaml"
# a 20 MB title is refused with its position, nothing is written
mk; python3 -c 'import sys; p = sys.argv[1]; s = open(p).read()
open(p, "w").write(s.replace("title: Law,", "title: " + "T" * 20000000 + ","))' "$T/n/s.yaml"
rm -rf "$T/n/out"
(cd "$T/n" && "$CAPMATCH" run s.yaml -o out --quiet) > "$T/n/err" 2>&1; rc=$?
[ "$rc" = 65 ] && ok || bad "20 MB title: exit $rc"
grep -q "^capmatch: s.yaml:18:21: error: title must be at most 200 bytes long, got 'TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT…' (20000000 bytes)$" "$T/n/err" \
    && ok || { bad "20 MB title: message"; head -c 400 "$T/n/err"; }
[ "$(wc -c < "$T/n/err")" -lt 1000 ] && ok || bad "20 MB title: the message is long"
[ ! -e "$T/n/out" ] && ok || bad "20 MB title: outputs written"

# ---- 6. control characters never reach the reports raw ---------------------------
ESC=$(printf '\033'); CSI=$(printf '\302\233'); RLO=$(printf '\342\200\256'); LRI=$(printf '\342\201\246')
mk
sed -i "s/title: Law,/title: \"Law\\\\e[2J\\\\u009b31m\\\\u202egpj.exe\\\\u2066 \\\\x7f\\\\x07\",/; s/name: Kenya,/name: \"Ken\\\\eya\\\\u202e\",/" "$T/n/s.yaml"
rm -rf "$T/n/out"
(cd "$T/n" && "$CAPMATCH" run s.yaml -o out --quiet) > "$T/n/err" 2>&1; rc=$?
[ "$rc" = 0 ] && ok || { bad "control characters in names: exit $rc"; cat "$T/n/err"; }
grep -q "gpj.exe" "$T/n/out/report.html" && grep -q "gpj.exe" "$T/n/out/report.md" && ok \
    || bad "the title is not in the reports"
for f in $(cd "$T/n/out" && find . -type f ! -name results.db); do
    for ch in "$ESC" "$CSI" "$RLO" "$LRI" "$(printf '\177')" "$(printf '\007')"; do
        if LC_ALL=C grep -qF "$ch" "$T/n/out/$f"; then bad "$f holds a raw control character"; break; fi
    done
done
ok
grep -qF "$(printf 'Law\357\277\275[2J')" "$T/n/out/report.html" && ok || bad "report.html lacks U+FFFD for ESC"
# (no JSON file holds names or titles; tests/unit_outputs.c checks its escaper)

finish
