#!/bin/sh
# tests/t_axe.sh — accessibility: axe-core (pinned in tests/axe/package-lock.json,
# installed with npm ci into $BUILD/axe) runs inside the same headless
# chromium the other report tests use, on report.html, one country page and
# one donor page of the example: no violation of impact "serious" or
# "critical". A page made to fail (an image without alt text, grey text on
# grey) proves the check can fail. The pages forbid scripts (their
# Content-Security-Policy), so axe runs in a copy with that one meta element
# removed and axe.min.js and a runner inlined; the runner writes the result
# into the DOM, which --dump-dom prints. SKIPs (exit 0) when chromium is
# missing or npm cannot reach the registry. Needs $CAPMATCH.
pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { msg=$1; shift; if "$@"; then ok; else no "$msg"; fi; }
PY=/usr/bin/python3
BUILD=${BUILD:-build}
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then echo "SKIP: chromium not installed (apt-get install chromium)"; echo "0 passed, 0 failed"; exit 0; fi
if ! command -v npm > /dev/null; then echo "SKIP: npm not installed (apt-get install npm)"; echo "0 passed, 0 failed"; exit 0; fi
axe=$(pwd)/$BUILD/axe
mkdir -p "$axe"
cp tests/axe/package.json tests/axe/package-lock.json "$axe/"
if ! (cd "$axe" && timeout 180 npm ci --ignore-scripts --no-audit --no-fund > npm.log 2>&1); then
    echo "SKIP: npm ci could not install axe-core from the registry: $(grep -m1 -i 'err' "$axe/npm.log")"
    echo "0 passed, 0 failed"; exit 0
fi
js=$axe/node_modules/axe-core/axe.min.js
check "axe-core installed at the pinned version" [ "$(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$axe/node_modules/axe-core/package.json" | head -1)" = \
    "$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' tests/axe/package.json)" ]
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r inputs/example "$tmp/in"
sed 's/^  time_limit: .*/  time_limit: 2/' inputs/example/scenario.yaml > "$tmp/in/scenario.yaml"
out=$tmp/out
"$CAPMATCH" run "$tmp/in/scenario.yaml" -o "$out" --quiet 2>/dev/null; check "the example runs" [ $? = 0 ]

# The page made to fail: an image without alt, low-contrast text.
cat > "$tmp/bad.html" <<'EOF2'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head><body><main>
<h1>A page axe must fault</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<p style="color:#aaaaaa;background:#bbbbbb">grey on grey</p></main></body></html>
EOF2

# instrumented copy: CSP meta removed, axe and a runner appended to <body>
instrument() {
    $PY - "$1" "$js" "$2" <<'EOF2'
import re, sys
page, js, dest = sys.argv[1:4]
t = open(page, encoding='utf-8').read()
t, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', '', t)
code = open(js, encoding='utf-8').read().replace('</script', '<\\/script')
runner = """<script>%s</script><script>
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  var pre = document.createElement('pre'); pre.id = 'axe-result';
  pre.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.length, target: String(v.nodes[0].target)}; }));
  document.body.appendChild(pre);
}, function (e) { var pre = document.createElement('pre'); pre.id = 'axe-result';
  pre.textContent = 'ERROR ' + e; document.body.appendChild(pre); });
</script>""" % code
i = t.rindex('</body>')
open(dest, 'w', encoding='utf-8').write(t[:i] + runner + t[i:])
EOF2
}
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --disable-component-update --disable-sync"
prof=$(mktemp -d)
# run_axe PAGE NAME: writes $tmp/NAME.json (the violations) or nothing
run_axe() {
    instrument "$1" "$(dirname "$1")/.axe-$2.html"
    timeout 120 "$CHROME" $flags --user-data-dir="$prof" --window-size=1200,2000 --virtual-time-budget=60000 \
        --dump-dom "file://$(dirname "$1")/.axe-$2.html" > "$tmp/$2.dom" 2>/dev/null
    rm -f "$(dirname "$1")/.axe-$2.html"
    $PY - "$tmp/$2.dom" > "$tmp/$2.json" <<'EOF2'
import html, json, re, sys
m = re.search(r'<pre id="axe-result">(.*?)</pre>', open(sys.argv[1], encoding='utf-8').read(), re.S)
if m and not m.group(1).startswith('ERROR'):
    for v in json.loads(html.unescape(m.group(1))):
        print(v['impact'], v['id'], v['nodes'], v['target'])
    print('ran')
elif m: print(m.group(1))
EOF2
}
run_axe "$tmp/bad.html" bad
check "axe ran on the page made to fail" grep -qx ran "$tmp/bad.json"
check "axe faults an image without alt (critical)" grep -q '^critical image-alt ' "$tmp/bad.json"
check "axe faults grey on grey (serious)" grep -q '^serious color-contrast ' "$tmp/bad.json"
for p in report.html countries/KEN.html donors/euro-africa-facility.html; do
    name=$(echo "$p" | tr / _)
    run_axe "$out/$p" "$name"
    check "axe ran on $p" grep -qx ran "$tmp/$name.json"
    check "$p: no serious or critical violation" sh -c "! grep -Eq '^(serious|critical) ' '$tmp/$name.json'"
    grep -E '^(serious|critical|moderate|minor) ' "$tmp/$name.json" | sed "s|^|  $p: |"
    grep -qx ran "$tmp/$name.json" || head -c 300 "$tmp/$name.json"
done
rm -rf "$prof"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
