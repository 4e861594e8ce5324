#!/bin/sh
# tests/t_report_html.sh — the reports and the history end to end: two runs
# of the example (the second with a smaller budget) into one folder; then
# results.db must hold exactly what each run's CSV files held, the views must
# agree, report.md must list what changed, and report.html must be
# well-formed, self-contained and (rendered in headless chromium, when
# installed) show its sections and charts without any overflowing table cell.
# Needs $CAPMATCH (tests/run.sh sets it). Screenshots go to $BUILD/t_report_html/.
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { msg=$1; shift; if "$@"; then ok; else no "$msg"; fi; }
PY=/usr/bin/python3
BUILD=${BUILD:-build}
shots=$(pwd)/$BUILD/t_report_html
mkdir -p "$shots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -r inputs/example "$tmp/in"
# The reports, not optimality, are under test here: a short solve keeps it fast.
sed 's/^  time_limit: .*/  time_limit: 2/' inputs/example/scenario.yaml > "$tmp/in/scenario.yaml"
out=$tmp/out
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet; check "run 1 exits 0" [ $? = 0 ]
mkdir "$tmp/run1" && cp "$out"/*.csv "$tmp/run1/"
sed 's/^    budget: 120000$/    budget: 30000/' "$tmp/in/donors.yaml" > "$tmp/d.yaml" && mv "$tmp/d.yaml" "$tmp/in/donors.yaml"
check "the second run's input differs" grep -q 'budget: 30000' "$tmp/in/donors.yaml"
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet; check "run 2 exits 0" [ $? = 0 ]
mkdir "$tmp/run2" && cp "$out"/*.csv "$tmp/run2/"

# results.db against the CSV files, value by value, for both runs
$PY - "$out/results.db" "$tmp/run1" "$tmp/run2" > "$tmp/db.out" 2>&1 <<'EOF'
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
bad = 0
def rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.reader(f))[1:]
for run, folder in ((1, sys.argv[2]), (2, sys.argv[3])):
    q = {
        'allocations': "SELECT country, course, seats, printf('%.2f', cost) FROM allocations WHERE run_id=? ORDER BY country, course",
        'funding': "SELECT donor, country, course, printf('%.2f', amount) FROM funding WHERE run_id=? ORDER BY donor, country, course",
        'coverage': "SELECT country, topic, need, covered, score, reason FROM coverage WHERE run_id=? ORDER BY country, topic",
    }
    for name, sql in q.items():
        got = [[str(v) for v in r] for r in db.execute(sql, (run,))]
        want = rows(f"{folder}/{name}.csv")
        if name == 'coverage':  # score: the CSV's number, read back as a number
            want = [r[:4] + [r[4], r[5]] for r in want]
            got = [r[:4] + [r[4], r[5]] for r in got]
            same = len(got) == len(want) and all(
                g[:4] == w[:4] and float(g[4]) == float(w[4]) and g[5] == w[5] for g, w in zip(got, want))
        else:
            same = got == want
        if not same or not want:
            bad += 1
            print(f"run {run} {name}: database and CSV differ ({len(got)} vs {len(want)} rows)")
# the views
latest = db.execute("SELECT id FROM latest_run").fetchone()[0]
if latest != 2: bad += 1; print("latest_run is", latest)
for country, prevc, lastc, diff in db.execute("SELECT * FROM coverage_change"):
    p = db.execute("SELECT sum(covered) FROM coverage WHERE run_id=1 AND country=?", (country,)).fetchone()[0]
    l = db.execute("SELECT sum(covered) FROM coverage WHERE run_id=2 AND country=?", (country,)).fetchone()[0]
    if (prevc, lastc, diff) != (p, l, l - p): bad += 1; print("coverage_change", country, prevc, lastc, diff)
print("bad", bad)
EOF
check "results.db holds what the CSV files held (both runs) and the views agree" grep -qx 'bad 0' "$tmp/db.out"
grep -qx 'bad 0' "$tmp/db.out" || cat "$tmp/db.out"
check "schema version 4, rollback journal (one file between runs)" [ "$(sqlite3 "$out/results.db" 'PRAGMA user_version; PRAGMA journal_mode;' | tr '\n' ' ')" = "4 delete " ]
check "two runs recorded" [ "$(sqlite3 "$out/results.db" 'SELECT count(*) FROM runs')" = 2 ]

# report.md: the diff section names what moved
md=$out/report.md
check "report.md has the change section" grep -q '^## Changes since run 1$' "$md"
check "report.md lists moved seats" grep -q '^| pair [a-z]* |' "$md"
check "report.md lists the smaller donor's spend" grep -q '^| euro-africa-facility |' "$md"
check "report.md names the budget change" grep -q '^| changed | donor | euro-africa-facility | budget | 120000 | 30000 |$' "$md"
for s in '## Overview' '## Unmet needs' '## Donor funding plans' '## Countries'; do
    check "report.md has $s" grep -qx "$s" "$md"
done
n_c=$(ls "$out/countries" | wc -l); n_d=$(ls "$out/donors" | wc -l)
check "one page per country and donor" [ "$n_c" -ge 30 -a "$n_d" -ge 9 ]

# report.html: well-formed, no script, nothing fetched from outside
html=$out/report.html
$PY - "$html" > "$tmp/html.out" 2>&1 <<'EOF'
import re, sys
from html.parser import HTMLParser
VOID = {'meta', 'br', 'img', 'input', 'link', 'hr', 'col', 'wbr'}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = 0; self.tags = {}
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            # links (not fetches) may go to the pages beside it and to course urls
            page = re.fullmatch(r'(countries|donors)/[A-Za-z0-9_.~-]+\.html|https?://[^\s"<>]+', v or '')
            if k.startswith('on') or k in ('src',) or (k == 'href' and v and not v.startswith('#') and not page):
                self.bad += 1; print('external or active attribute', tag, k, v)
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.bad += 1; print('mismatched', tag, self.stack[-3:]); return
        self.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); p.close()
if p.stack: p.bad += 1; print('unclosed', p.stack)
if p.tags.get('script'): p.bad += 1; print('script present')
print('svg', p.tags.get('svg', 0)); print('bad', p.bad)
EOF
check "report.html is well-formed with no script or external reference" grep -qx 'bad 0' "$tmp/html.out"
grep -qx 'bad 0' "$tmp/html.out" || cat "$tmp/html.out"
check "report.html has four SVG charts (coverage by region, by gap, heat map, donors)" grep -qx 'svg 4' "$tmp/html.out"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "SKIP: rendering checks: chromium not installed (apt-get install chromium)"
else
    flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update --disable-sync --hide-scrollbars"
    prof=$(mktemp -d)
    timeout 60 "$CHROME" $flags --user-data-dir="$prof" --window-size=1280,2400 \
        --screenshot="$shots/report.png" "file://$html" > /dev/null 2>&1
    check "chromium took a screenshot" [ -s "$shots/report.png" ]
    # A test page (not the report: it has no script) frames the rendered
    # report at a phone's and a desktop's width, looks up the sections and
    # charts, and measures every cell and the page itself for overflow.
    cat > "$tmp/frame.html" <<EOF
<!DOCTYPE html><html><body>
<iframe id="w380" src="file://$html" style="width:380px;height:2000px;border:0"></iframe>
<iframe id="w1200" src="file://$html" style="width:1200px;height:2000px;border:0"></iframe>
<pre id="result"></pre>
<script>
var ids = ['overview', 'changes', 'unmet', 'donors', 'countries', 'chart-coverage', 'chart-donors'];
window.addEventListener('load', function () {
  var out = [];
  ['w380', 'w1200'].forEach(function (name) {
    var d = document.getElementById(name).contentDocument, bad = [], cells = d.querySelectorAll('td, th');
    cells.forEach(function (c) { if (c.scrollWidth > c.clientWidth + 1) bad.push(c.textContent.slice(0, 40)); });
    d.querySelectorAll('table, svg').forEach(function (t) {
      if (t.getBoundingClientRect().right > d.documentElement.clientWidth + 1) bad.push('wide ' + t.tagName);
    });
    if (d.documentElement.scrollWidth > d.documentElement.clientWidth + 1) bad.push('page scrolls sideways');
    var missing = ids.filter(function (id) { return !d.getElementById(id); });
    out.push('RESULT ' + name + ' cells=' + cells.length + ' overflow=' + bad.length + ' missing=' + missing.length +
             ' ' + bad.slice(0, 5).concat(missing).join(' | '));
  });
  document.getElementById('result').textContent = out.join(String.fromCharCode(10));
});
</script></body></html>
EOF
    timeout 60 "$CHROME" $flags --user-data-dir="$prof" --allow-file-access-from-files \
        --virtual-time-budget=10000 --dump-dom "file://$tmp/frame.html" > "$tmp/frame.out" 2>/dev/null
    for w in w380 w1200; do
        res=$(grep -o "RESULT $w cells=[0-9]* [^<]*" "$tmp/frame.out")
        echo "$res"
        case "$res" in
            *" cells=0 "*|"") no "$w: report not rendered or not measured ($res)" ;;
            *" overflow=0 missing=0 "*) ok ;;
            *) no "$w: $res" ;;
        esac
    done
    rm -rf "$prof"
fi
echo "$pass passed, $fail failed"
