#!/bin/sh
# The code's shape (docs/engine-structure.md): no source, test or tool file
# over 800 lines anywhere, no #include cycle among the engine's files, and no
# call cycle among them, file to file. Calls are read from the built objects
# (nm: each object's defined and undefined symbols), so the check sees what
# the linker sees, macros and all.
set -u
BUILD=${BUILD:-build}
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# 1. sizes: every C, shell and Python file of the repository
big=$(find . -path ./build -prune -o -path ./.git -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) -print |
      sort | while read -r f; do n=$(wc -l < "$f"); [ "$n" -gt 800 ] && echo "$f ($n lines)"; done)
if [ -z "$big" ]; then ok; else bad "files over 800 lines: $big"; fi

# 2 and 3. include and call graphs, file to file; a cycle is a strongly
# connected part with more than one file (or a file reaching itself).
objs=$(find "$BUILD/obj/engine" -name '*.o' | sort)
if [ -z "$objs" ]; then bad "no engine objects under $BUILD/obj/engine (build first)"; else
for o in $objs; do
    f=${o#"$BUILD"/obj/}; f=${f%.o}.c
    [ -f "$f" ] || continue # a stale object of a moved or deleted file
    nm "$o" | awk -v f="$f" '$1 == "U" { print "U", f, $2 } $2 ~ /^[TDBRC]$/ { print "D", f, $3 }'
done > "${TMPDIR:-/tmp}/t_structure.$$"
/usr/bin/python3 - "${TMPDIR:-/tmp}/t_structure.$$" > "${TMPDIR:-/tmp}/t_structure.$$.out" <<'PY'
import os, re, sys, glob
def cycles(g):
    """Strongly connected parts of g with a cycle (Tarjan)."""
    idx, low, st, on, out, n = {}, {}, [], set(), [], [0]
    def visit(v):
        idx[v] = low[v] = n[0]; n[0] += 1; st.append(v); on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in idx: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            part = []
            while True:
                w = st.pop(); on.discard(w); part.append(w)
                if w == v: break
            if len(part) > 1 or v in g.get(v, ()): out.append(sorted(part))
    for v in sorted(g):
        if v not in idx: visit(v)
    return out
files = sorted(glob.glob('engine/**/*.[ch]', recursive=True))
inc = {}
for f in files:
    for line in open(f):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if m:
            t = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
            if t.startswith('engine/'): inc.setdefault(f, set()).add(t)
defs, uses = {}, []
for line in open(sys.argv[1]):
    k, f, s = line.split()
    if k == 'D': defs[s] = f
    else: uses.append((f, s))
calls = {}
for f, s in uses:
    if s in defs and defs[s] != f: calls.setdefault(f, set()).add(defs[s])
ci, cc = cycles(inc), cycles(calls)
print('include graph: %d files, %d edges; cycles: %s' % (len(files), sum(map(len, inc.values())), ci or 'none'))
print('call graph: %d objects, %d edges; cycles: %s' % (len(set(defs.values())), sum(map(len, calls.values())), cc or 'none'))
for f in sorted(calls): print('  %s -> %s' % (f, ' '.join(sorted(calls[f]))))
print('RESULT include %s' % ('ok' if not ci else 'cycle'))
print('RESULT call %s' % ('ok' if not cc else 'cycle'))
PY
out="${TMPDIR:-/tmp}/t_structure.$$.out"
grep -v '^RESULT' "$out"
if grep -q '^RESULT include ok' "$out"; then ok; else bad "include cycle among the engine's files"; fi
if grep -q '^RESULT call ok' "$out"; then ok; else bad "call cycle among the engine's files"; fi
rm -f "${TMPDIR:-/tmp}/t_structure.$$" "$out"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
