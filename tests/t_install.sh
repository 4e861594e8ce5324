#!/bin/sh
# make install into a staging DESTDIR: the program runs from there, the man
# page renders, and the installed example validates.
set -u
pass=0; fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make --no-print-directory -s install BUILD="${BUILD:-build}" PREFIX=/usr DESTDIR="$tmp/root" >"$tmp/log" 2>&1
check "make install succeeds" '[ $? = 0 ]'
bin=$tmp/root/usr/bin/capmatch
check "program installed" '[ -x "$bin" ]'
check "installed program reports its version" '"$bin" --version | grep -q "^capmatch [0-9]"'
check "man page installed" '[ -f "$tmp/root/usr/share/man/man1/capmatch.1" ]'
check "man page renders" 'man -l "$tmp/root/usr/share/man/man1/capmatch.1" 2>/dev/null | grep -q "EXIT STATUS" || groff -man -Tutf8 "$tmp/root/usr/share/man/man1/capmatch.1" 2>/dev/null | grep -q "EXIT STATUS"'
check "MathProg model installed" '[ -f "$tmp/root/usr/share/capmatch/capmatch.mod" ]'
check "installed example validates" '"$bin" validate "$tmp/root/usr/share/capmatch/example/scenario.yaml" >/dev/null'
echo "$pass passed, $fail failed"
