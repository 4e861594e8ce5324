#!/bin/sh
# sweep.html (#24): written by `sweep` and again by `--merge`; well-formed,
# no script, no external reference; its table equals sweep.csv cell for cell
# and its marginal table marginal.csv; the charts (score, cost, the budget
# curve of a budget_scale grid, marginal value per donor) each have a title
# and a description; a donor whose extra money buys nothing is named with
# the reason. Rendered in headless chromium (screenshot in $BUILD/t_sweep_html/).
set -u
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shots=$(pwd)/${BUILD:-build}/t_sweep_html
mkdir -p "$shots"

/usr/bin/python3 tests/gen_instance.py --countries 6 --courses 10 --donors 3 --seed 5 --mip-gap 0 \
    --db no --formats machine --out "$tmp/inst" > /dev/null || bad "generate the instance"
# a donor that may pay for nothing (no country is in its region): its extra money buys nothing
printf '  - {id: "zz-idle", budget: 5000, regions: ["Antarctica"]}\n' >> "$tmp/inst/donors.yaml"
cat > "$tmp/inst/sweep.yaml" <<'YAML'
base: scenario.yaml
variants:
  - name: "a<b & \"c\""
    budget_scale: 0.9
grid: {budget_scale: [0.5, 1.0, 1.5]}
marginal: {step: 10%}
YAML
out="$tmp/out"
$CAPMATCH sweep "$tmp/inst/sweep.yaml" -o "$out" -j 2 --quiet --time-limit 20 2> "$tmp/err"; rc=$?
check "the sweep exits 0 (got $rc): $(cat "$tmp/err")" '[ $rc = 0 ]'
check "sweep writes sweep.html" '[ -s "$out/sweep.html" ]'

cat > "$tmp/check.py" <<'EOF'
import csv, sys
from html.parser import HTMLParser
VOID = {'meta', 'br', 'img', 'link', 'input', 'hr', 'path', 'rect', 'circle', 'line', 'polyline'}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = []; self.ids = {}
        self.tables = {}; self.cur = None; self.row = None; self.cell = None
        self.lists = {}; self.li = None; self.svg = None; self.svgs = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k.startswith('on') or k == 'src' or (k == 'href' and v and not v.startswith('#')):
                self.bad.append('external or active attribute %s %s' % (tag, k))
            if v and ('url(' in v or '//' in v) and k != 'xmlns':
                self.bad.append('reference in %s %s=%s' % (tag, k, v))
        if tag in ('script', 'link', 'img', 'iframe', 'object', 'embed'):
            self.bad.append('element ' + tag)
        if 'id' in a: self.ids[a['id']] = tag
        if tag == 'table': self.cur = a.get('id'); self.tables[self.cur] = []
        if tag == 'tr' and self.cur: self.row = []
        if tag in ('td', 'th') and self.row is not None: self.cell = ''
        if tag == 'ul': self.lst = a.get('id'); self.lists[self.lst] = []
        if tag == 'li': self.li = ''
        if tag == 'svg': self.svg = a.get('id'); self.svgs[self.svg] = set()
        if self.svg and tag in ('title', 'desc') and self.stack and self.stack[-1] == 'svg':
            self.svgs[self.svg].add(tag)
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in VOID: return
        if not self.stack or self.stack[-1] != tag:
            self.bad.append('mismatched ' + tag); return
        self.stack.pop()
        if tag in ('td', 'th') and self.cell is not None: self.row.append(self.cell); self.cell = None
        if tag == 'tr' and self.row is not None: self.tables[self.cur].append(self.row); self.row = None
        if tag == 'table': self.cur = None
        if tag == 'li' and self.li is not None: self.lists[self.lst].append(self.li); self.li = None
        if tag == 'svg': self.svg = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
        if self.li is not None: self.li += data
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID: self.handle_endtag(tag)
out = sys.argv[1]
text = open(out + '/sweep.html', encoding='utf-8').read()
p = P(); p.feed(text); p.close()
if p.stack: p.bad.append('unclosed %s' % p.stack)
if '@import' in text or 'http://' in text.replace('http://www.w3.org/2000/svg', ''): p.bad.append('network reference')
if 'https://' in text: p.bad.append('network reference')
print('bad', len(p.bad), *p.bad[:5])
rows = list(csv.reader(open(out + '/sweep.csv', encoding='utf-8')))
print('table', 'same' if p.tables.get('sweep-table') == rows else 'differs %s %s' % (p.tables.get('sweep-table', [])[:3], rows[:3]))
mrows = list(csv.reader(open(out + '/marginal.csv', encoding='utf-8')))
mt = p.tables.get('marginal-table', [])
same = len(mt) == len(mrows) and all(h[0] == m[0] and h[1] == m[1] and h[2:5] == m[2:5] and h[5] == m[5]
                                      and h[6] == m[6] for h, m in zip(mt[1:], mrows[1:]))
print('marginal', 'same' if same else 'differs %s %s' % (mt[:3], mrows[:3]))
for c in ('chart-score', 'chart-cost', 'chart-budget', 'chart-marginal'):
    print(c, 'titled' if p.svgs.get(c) == {'title', 'desc'} else 'missing %s' % p.svgs.get(c))
bt = p.tables.get('budget-table', [])
print('curve', len(bt) - 1, ' '.join(r[0] for r in bt[1:]))
for row in mrows[1:]:
    if row[5] == '0':
        named = [li for li in p.lists.get('no-gain', []) if li.startswith(row[0] + ':')]
        print('nogain', row[0], named[0] if named else 'NOT NAMED')
EOF
/usr/bin/python3 "$tmp/check.py" "$out" > "$tmp/py.out" 2>&1 || cat "$tmp/py.out"
check "sweep.html is well-formed, with no script or external reference: $(grep '^bad' "$tmp/py.out")" \
    'grep -qx "bad 0" "$tmp/py.out"'
check "its table equals sweep.csv cell for cell: $(grep '^table' "$tmp/py.out")" 'grep -qx "table same" "$tmp/py.out"'
check "its marginal table equals marginal.csv: $(grep '^marginal' "$tmp/py.out")" \
    'grep -qx "marginal same" "$tmp/py.out"'
for c in chart-score chart-cost chart-budget chart-marginal; do
    check "chart $c is there with a title and a description" 'grep -qx "$c titled" "$tmp/py.out"'
done
check "the budget curve has the grid's 3 points, by budget: $(grep '^curve' "$tmp/py.out")" \
    'grep -qx "curve 3 budget_scale=0.5 budget_scale=1.0 budget_scale=1.5" "$tmp/py.out"'
check "the idle donor's extra money buys nothing, named with the reason" \
    'grep -q "^nogain zz-idle zz-idle: .*no_eligible_pair" "$tmp/py.out"'
check "no donor with no gain goes unnamed" '! grep -q "NOT NAMED" "$tmp/py.out"'
check "the variant name is escaped" 'grep -q "a&lt;b &amp; &quot;c&quot;" "$out/sweep.html" && ! grep -q "a<b" "$out/sweep.html"'

# --merge writes the same page from the variants' folders
cp "$out/sweep.html" "$tmp/first.html"
rm "$out/sweep.html"
$CAPMATCH sweep "$tmp/inst/sweep.yaml" -o "$out" --merge --quiet; rc=$?
check "--merge exits 0 (got $rc)" '[ $rc = 0 ]'
check "--merge writes the same sweep.html" 'cmp -s "$out/sweep.html" "$tmp/first.html"'
# a grid that varies more than budget_scale draws no budget curve
printf 'base: scenario.yaml\ngrid: {budget_scale: [0.5, 1.0], min_quality: [null, 3.5]}\n' > "$tmp/inst/g2.yaml"
$CAPMATCH sweep "$tmp/inst/g2.yaml" -o "$tmp/g2" -j 2 --quiet --time-limit 20 2> "$tmp/err"; rc=$?
check "a two-key grid sweeps (got $rc)" '[ $rc = 0 ]'
check "... and its page has no budget curve nor marginal section" \
    '! grep -q "id=\"chart-budget\"\|id=\"marginal\"" "$tmp/g2/sweep.html" && grep -q "id=\"chart-score\"" "$tmp/g2/sweep.html"'

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "SKIP: sweep.html rendering: chromium not installed (apt-get install chromium)"
else
    flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update --disable-sync --hide-scrollbars"
    prof=$(mktemp -d)
    rm -f "$shots/sweep.png"
    timeout 60 "$CHROME" $flags --user-data-dir="$prof" --window-size=1100,2600 \
        --screenshot="$shots/sweep.png" "file://$out/sweep.html" > /dev/null 2>&1
    check "chromium took a screenshot of sweep.html" '[ -s "$shots/sweep.png" ]'
    timeout 60 "$CHROME" $flags --user-data-dir="$prof" --dump-dom "file://$out/sweep.html" \
        > "$tmp/dom.html" 2> /dev/null
    for id in variants sweep-table charts chart-score chart-cost budget-curve chart-budget marginal \
              chart-marginal no-gain; do
        check "the rendered page has #$id" 'grep -q "id=\"$id\"" "$tmp/dom.html"'
    done
    cp "$tmp/check.py" "$tmp/check2.py"
    mkdir -p "$tmp/dom"
    cp "$tmp/dom.html" "$tmp/dom/sweep.html"
    cp "$out/sweep.csv" "$out/marginal.csv" "$tmp/dom/"
    /usr/bin/python3 "$tmp/check.py" "$tmp/dom" > "$tmp/dom.out" 2>&1
    check "the rendered table equals sweep.csv: $(grep '^table' "$tmp/dom.out")" 'grep -qx "table same" "$tmp/dom.out"'
    rm -rf "$prof"
fi
finish
