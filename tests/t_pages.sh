#!/bin/sh
# tests/t_pages.sh — the HTML page per country and per donor: written beside
# the Markdown extracts and removed with them, self-contained, linked from
# report.html and from each other (every link resolves); a EUR donor sees
# EUR first with the rate; co-funded pairs say who pays what share, and the
# shares agree with funding.csv; the heat map has one cell per need; course
# urls are http/https only, with positioned errors (YAML and SQLite), and a
# database without the url column still loads. Headless chromium (when
# installed) renders every page and checks the sections in the DOM.
# Needs $CAPMATCH. Screenshots go to $BUILD/t_pages/.
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { msg=$1; shift; if "$@"; then ok; else no "$msg"; fi; }
PY=/usr/bin/python3
BUILD=${BUILD:-build}
shots=$(pwd)/$BUILD/t_pages
mkdir -p "$shots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -r inputs/example "$tmp/in"
sed 's/^  time_limit: .*/  time_limit: 2/' inputs/example/scenario.yaml > "$tmp/in/scenario.yaml"
out=$tmp/out
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null; check "the example runs" [ $? = 0 ]
nc=$(ls "$out/countries" | grep -c '\.html$'); nd=$(ls "$out/donors" | grep -c '\.html$')
check "an HTML page per country (33) and per donor (9)" [ "$nc" = 33 -a "$nd" = 9 ]
check "the Markdown extracts stay" [ "$(ls "$out/countries" | grep -c '\.md$')" = 33 ]

# Static checks of every page, against the inputs and funding.csv.
$PY - "$out" "$tmp/in/donors.yaml" "$tmp/in/scenario.yaml" > "$tmp/static.out" 2>&1 <<'EOF'
import csv, html, os, re, sys, yaml
from html.parser import HTMLParser
out, donors_yaml = sys.argv[1], sys.argv[2]
bad = 0
def fail(*a):
    global bad; bad += 1; print(*a)
VOID = {'meta', 'br', 'img', 'input', 'link', 'hr', 'col', 'wbr'}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.links = []; self.ids = set(); self.tags = {}; self.err = []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        if 'id' in a: self.ids.add(a['id'])
        for k, v in attrs:
            if k.startswith('on') or k == 'src': self.err.append(f'active or external {tag} {k}')
        if tag == 'a' and 'href' in a: self.links.append(a['href'])
        if tag not in VOID: self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag: self.err.append(f'mismatched {tag}'); return
        self.stack.pop()
def parse(path):
    p = P(); text = open(path, encoding='utf-8').read(); p.feed(text); p.close()
    if p.stack: p.err.append(f'unclosed {p.stack}')
    if p.tags.get('script'): p.err.append('script')
    return p, text
donors = {d['id']: d for d in yaml.safe_load(open(donors_yaml))['donors']}
urls = {}
pages = ['report.html'] + ['countries/' + f for f in sorted(os.listdir(out + '/countries')) if f.endswith('.html')] \
      + ['donors/' + f for f in sorted(os.listdir(out + '/donors')) if f.endswith('.html')]
linked = set()
for page in pages:
    p, text = parse(f'{out}/{page}')
    for e in p.err: fail(page, e)
    for h in p.links:
        if h.startswith('#'):
            if h[1:] not in p.ids: fail(page, 'dangling anchor', h)
        elif re.match(r'https?://', h):
            urls[h] = urls.get(h, 0) + 1
        else:
            target = os.path.normpath(os.path.join(out, os.path.dirname(page), h))
            if not os.path.isfile(target): fail(page, 'link to a missing file', h)
            linked.add(os.path.relpath(target, out))
    kind = page.split('/')[0]
    need = {'countries': ['summary', 'needs', 'allocated', 'offers', 'heatmap-country'],
            'donors': ['summary', 'funding', 'spend'],
            'report.html': ['heatmap', 'chart-coverage', 'chart-coverage-gap', 'chart-donors']}[kind]
    for i in need:
        if i not in p.ids: fail(page, 'no section', i)
    if kind == 'donors':
        did = page[len('donors/'):-len('.html')]
        cur = donors[did].get('currency')
        own = re.findall(r'<span class="own">([A-Z]{3}) ', text)
        if cur and cur != 'USD':
            if not own or own[0] != cur: fail(page, 'amounts not in', cur, 'first', own[:1])
            if not re.search(r'1 %s = [0-9.]+ USD' % cur, text): fail(page, 'no rate for', cur)
        elif own: fail(page, 'a base-currency donor shows a second currency')
for page in pages[1:]:
    if page not in linked: fail('no page links to', page)
# the Markdown extract and report.html's donor section: own currency first too
rep = open(f'{out}/report.html', encoding='utf-8').read()
for did, d in donors.items():
    cur = d.get('currency')
    if not cur or cur == 'USD': continue
    md = open(f'{out}/donors/{did}.md', encoding='utf-8').read()
    if not re.search(r'\nBudget %s [0-9.]+ \(USD [0-9.]+\), spent %s ' % (cur, cur), md): fail(did, '.md: budget not in', cur, 'first')
    if not re.search(r'at 1 %s = [0-9.]+ USD' % cur, md): fail(did, '.md: no rate')
    sec = rep[rep.index('id="d-%s"' % did):]
    sec = sec[:sec.index('</section>')]
    if not re.search(r'<p>Budget <span class="own">%s ' % cur, sec): fail(did, 'report.html: budget not in', cur, 'first')
print('course links', len(urls))
if len(urls) < 3: fail('too few course links', urls)
for u in urls:
    if not u.startswith('https://courses.example.org/'): fail('unexpected link', u)

# co-funding labels against funding.csv
pair = {}
for r in csv.DictReader(open(f'{out}/funding.csv', newline='')):
    pair.setdefault((r['country'], r['course']), []).append((r['donor'], float(r['amount'])))
labels = 0
for (c, k), funds in pair.items():
    if len(funds) < 2: continue
    total = sum(a for _, a in funds)
    for d, a in funds:
        text = html.unescape(open(f'{out}/donors/{d}.html', encoding='utf-8').read())
        rows = [r for r in text.split('<tr>') if f'({k})' in r and f'/{c}.html' in r]
        others = ', '.join(f'{round(b / total * 100)}% by {e}' for e, b in funds if e != d)
        want = f'co-funded {round(a / total * 100)}% by you, {others}'
        if not rows or want not in rows[0]: fail(d, c, k, 'label missing, wanted', want); continue
        labels += 1
print('cofunded labels', labels)
if labels < 2: fail('the example has no co-funded pair')
# spend by topic: an earmarked donor's table lists only the topics it funds
names = {}
for t in yaml.safe_load(open(sys.argv[3]))['topics']:  # a donor may name a topic by an alias
    for key in [t['id']] + list(t.get('aliases') or []):
        names[key] = t.get('name', t['id'])
for did, d in donors.items():
    if 'topics' not in d: continue
    text = html.unescape(open(f'{out}/donors/{did}.html', encoding='utf-8').read())
    table = text[text.index('<table class="topics">'):]
    table = table[:table.index('</table>')]
    shown = re.findall(r'<tr><td>([^<]*)</td>', table)
    allowed = {names[t] for t in d['topics']}
    if not shown: fail(did, 'no spend by topic')
    for t in shown:
        if t not in allowed: fail(did, 'spend on a topic it does not fund:', t)
# the heat map: one cell per need, figures as coverage.csv has them
cov = list(csv.DictReader(open(f'{out}/coverage.csv', newline='')))
text = open(f'{out}/report.html', encoding='utf-8').read()
heat = text[text.index('id="heatmap"'):]
heat = heat[:heat.index('</svg>')]
cells = re.findall(r'<g class="cell">.*?>(\d+)/(\d+)</text></g>', heat)
if len(cells) != len(cov): fail('heat map cells', len(cells), 'needs', len(cov))
if sorted((int(a), int(b)) for a, b in cells) != sorted((int(r['covered']), int(r['need'])) for r in cov):
    fail('heat map figures differ from coverage.csv')
print('bad', bad)
EOF
check "pages well-formed, sections, currencies, links, co-funding and heat map" grep -qx 'bad 0' "$tmp/static.out"
grep -qx 'bad 0' "$tmp/static.out" || head -30 "$tmp/static.out"

# A country and a donor gone from the inputs lose their pages with the set.
$PY - "$tmp/in" <<'EOF'
import re, sys
d = sys.argv[1]
t = open(f'{d}/donors.yaml').read()
t = re.sub(r'\n  - id: open-learning-foundation\n(    .*\n)+', '\n', t)
open(f'{d}/donors.yaml', 'w').write(t)
EOF
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null; check "run without one donor exits 0" [ $? = 0 ]
check "the removed donor's page is gone with its extract" [ ! -e "$out/donors/open-learning-foundation.html" -a ! -e "$out/donors/open-learning-foundation.md" ]
check "the other donors' pages stay" [ "$(ls "$out/donors" | grep -c '\.html$')" = 8 ]
check "no country page links to the removed donor" sh -c "! grep -l 'open-learning-foundation.html' '$out'/countries/*.html"

# url: http/https only, positioned errors, every one reported
mkdir "$tmp/u"
cat > "$tmp/u/s.yaml" <<'EOF'
name: urls
currency: USD
topics: [{id: t1}]
countries:
  - {code: KEN, name: Kenya, languages: [en]}
needs:
  - {country: KEN, topic: t1, seats: 2}
donors:
  - {id: d1, budget: 1000}
courses:
  - {id: c1, topics: [t1], language: en, format: online, cost_per_seat: 10, url: "ftp://x.org/c1"}
  - {id: c2, topics: [t1], language: en, format: online, cost_per_seat: 10, url: "javascript:alert(1)"}
  - {id: c3, topics: [t1], language: en, format: online, cost_per_seat: 10, url: "www.x.org/c3"}
  - {id: c4, topics: [t1], language: en, format: online, cost_per_seat: 10, url: "https://x.org/c4"}
  - {id: c5, topics: [t1], language: en, format: online, cost_per_seat: 10, url: "HTTP://x.org/a b"}
EOF
"$CAPMATCH" validate "$tmp/u/s.yaml" > /dev/null 2> "$tmp/u/err"; rc=$?
check "bad urls exit 65" [ "$rc" = 65 ]
for pos in 11:82 12:82 13:82 15:82; do
    check "url error at $pos" grep -q "^capmatch: $tmp/u/s.yaml:$pos: error: url must be an http:// or https:// address" "$tmp/u/err"
done
check "the https url is accepted" sh -c "! grep -q ':14:[0-9]*: error' '$tmp/u/err'"
grep -q "error: url" "$tmp/u/err" || cat "$tmp/u/err"

# SQLite: the optional column, checked per row; a database without it loads
cat > "$tmp/u/db.yaml" <<'EOF'
name: urls-db
currency: USD
include: [cat.db]
topics: [{id: t1}]
countries:
  - {code: KEN, name: Kenya, languages: [en]}
needs:
  - {country: KEN, topic: t1, seats: 2}
donors:
  - {id: d1, budget: 1000}
EOF
grep -v '^ALTER TABLE courses ADD COLUMN url' inputs/schema.sql > "$tmp/u/old.sql"
sqlite3 "$tmp/u/cat.db" < "$tmp/u/old.sql"
sqlite3 "$tmp/u/cat.db" "INSERT INTO courses(id, language, format, cost_per_seat) VALUES ('c1', 'en', 'online', 10);
                         INSERT INTO course_topics VALUES ('c1', 't1');"
"$CAPMATCH" validate "$tmp/u/db.yaml" > /dev/null 2> "$tmp/u/err2"; rc=$?
check "a courses table without url loads" [ "$rc" = 0 ]
[ "$rc" = 0 ] || cat "$tmp/u/err2"
sqlite3 "$tmp/u/cat.db" "ALTER TABLE courses ADD COLUMN url TEXT; UPDATE courses SET url = 'javascript:alert(1)';"
"$CAPMATCH" validate "$tmp/u/db.yaml" > /dev/null 2> "$tmp/u/err3"; rc=$?
check "a bad url in SQLite exits 65" [ "$rc" = 65 ]
check "the SQLite url error names table and row" grep -q "cat.db: table courses, row c1: error: url must be an http" "$tmp/u/err3"

# Rendering: every page of the first run, in chromium, through one frame page
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "SKIP: rendering checks: chromium not installed (apt-get install chromium)"
else
    out=$tmp/out2
    cp inputs/example/donors.yaml "$tmp/in/donors.yaml"
    "$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null
    flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update --disable-sync --hide-scrollbars"
    prof=$(mktemp -d)
    for p in donors/euro-africa-facility donors/geneva-law-norms countries/KEN; do
        timeout 60 "$CHROME" $flags --user-data-dir="$prof" --window-size=1200,2400 \
            --screenshot="$shots/$(echo "$p" | tr / _).png" "file://$out/$p.html" > /dev/null 2>&1
        check "screenshot of $p" [ -s "$shots/$(echo "$p" | tr / _).png" ]
    done
    list=$(cd "$out" && ls countries/*.html donors/*.html | sed 's/.*/"&"/' | paste -sd, -)
    cat > "$out/frame.html" <<EOF
<!DOCTYPE html><html><body><div id="frames"></div><pre id="result"></pre>
<script>
var pages = [$list], left = pages.length, out = [];
var want = { countries: ['summary', 'needs', 'allocated', 'offers', 'heatmap-country'],
             donors: ['summary', 'funding', 'spend'] };
pages.forEach(function (p) {
  var f = document.createElement('iframe');
  f.style.width = '1000px'; f.style.height = '800px';
  f.onload = function () {
    var d = f.contentDocument, kind = p.split('/')[0];
    var missing = want[kind].filter(function (id) { return !d.getElementById(id); });
    var wide = d.documentElement.scrollWidth > d.documentElement.clientWidth + 1 ? ' sideways' : '';
    var h1 = d.querySelector('h1') ? d.querySelector('h1').textContent : '';
    var cells = d.querySelectorAll('#heatmap-country g.cell').length;
    var own = d.querySelector('#summary .own');
    out.push('PAGE ' + p + ' missing=' + missing.length + wide + ' h1=' + (h1 ? 1 : 0) +
             ' cells=' + cells + ' own=' + (own ? own.textContent.slice(0, 3) : '-') +
             ' cofund=' + d.querySelectorAll('.cofund').length);
    if (--left === 0) document.getElementById('result').textContent = String.fromCharCode(10) + out.sort().join(String.fromCharCode(10));
  };
  f.src = p;
  document.getElementById('frames').appendChild(f);
});
</script></body></html>
EOF
    timeout 120 "$CHROME" $flags --user-data-dir="$prof" --allow-file-access-from-files \
        --virtual-time-budget=20000 --dump-dom "file://$out/frame.html" > "$tmp/frame.out" 2>/dev/null
    rm -rf "$prof"
    n=$(grep -c '^PAGE ' "$tmp/frame.out")
    check "chromium rendered every page ($n of $((nc + nd)))" [ "$n" = $((nc + nd)) ]
    [ "$n" = $((nc + nd)) ] || { grep '^PAGE' "$tmp/frame.out" | cut -d' ' -f2 > "$tmp/seen"; ls "$out"/countries/*.html "$out"/donors/*.html | sed "s|$out/||" | sort | diff - "$tmp/seen"; }
    check "every rendered page has its sections and a title, none scrolls sideways" \
        sh -c "! grep '^PAGE ' '$tmp/frame.out' | grep -v ' missing=0 h1=1 '"
    grep '^PAGE ' "$tmp/frame.out" | grep -v ' missing=0 h1=1 ' | head -5
    check "every country page with needs has heat-map cells" \
        sh -c "! grep '^PAGE countries/' '$tmp/frame.out' | grep -q ' cells=0 '"
    check "the EUR donor's page shows EUR first" grep -q '^PAGE donors/euro-africa-facility.html .* own=EUR ' "$tmp/frame.out"
    check "co-funding labels render" sh -c "grep '^PAGE donors/' '$tmp/frame.out' | grep -qv ' cofund=0'"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
