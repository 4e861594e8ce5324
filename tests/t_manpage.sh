#!/bin/sh
# tests/t_manpage.sh — the man page is the reference: every option and exit
# code that `capmatch --help` names is in docs/capmatch.1 and the other way
# round, and both describe the signals the same way. Run from the
# repository root with $CAPMATCH set (tests/run.sh does both).
. tests/lib.sh
MAN=docs/capmatch.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$CAPMATCH" --help > "$tmp/help" 2>&1
check "--help exits 0" '[ $? = 0 ]'
# roff's \- is a hyphen; \f. font changes go
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" > "$tmp/man"

options() { grep -oE '(^|[][ (|])(-o|--[a-z][a-z-]*)' "$1" | grep -oE -- '-o|--[a-z][a-z-]*' | sort -u; }
options "$tmp/help" > "$tmp/help.opts"
options "$tmp/man" > "$tmp/man.opts"
check "--help names at least 10 options ($(wc -l < "$tmp/help.opts"))" '[ "$(wc -l < "$tmp/help.opts")" -ge 10 ]'
for o in $(comm -23 "$tmp/help.opts" "$tmp/man.opts"); do bad "$o is in --help but not in $MAN"; done
for o in $(comm -13 "$tmp/help.opts" "$tmp/man.opts"); do bad "$o is in $MAN but not in --help"; done
[ -z "$(comm -3 "$tmp/help.opts" "$tmp/man.opts")" ] && ok
# every option has its own entry in the man page's OPTIONS (or is a command
# line form of its own: --help, --version)
for o in $(cat "$tmp/help.opts"); do
    case $o in --help|--version) continue ;; esac
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$tmp/man" | grep -A1 -E '^\.TP' | grep -qE -- "^\.BI? $o( |$)" \
        && ok || bad "$o has no entry under OPTIONS in $MAN"
done

# exit codes: the numbers of --help's "exit codes:" paragraph and of the man
# page's EXIT STATUS section
codes() { grep -oE '\b([0-9]{1,3})\b' | sort -un; }
sed -n '/^exit codes:/,/^$/p' "$tmp/help" | codes > "$tmp/help.codes"
sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$tmp/man" | codes > "$tmp/man.codes"
check "--help lists exit codes" '[ "$(wc -l < "$tmp/help.codes")" -ge 10 ]'
check "exit codes: --help $(tr '\n' ' ' < "$tmp/help.codes")vs $MAN $(tr '\n' ' ' < "$tmp/man.codes")" \
    'cmp -s "$tmp/help.codes" "$tmp/man.codes"'

# the interrupt: the same signals and the same two outcomes in both
for s in SIGINT SIGTERM SIGHUP; do
    grep -q "$s" "$tmp/help" && ok || bad "--help does not name $s"
    sed -n '/^\.SH SIGNALS/,/^\.SH /p' "$tmp/man" | grep -q "$s" && ok || bad "$MAN SIGNALS does not name $s"
done
grep -q 'status "interrupted"' "$tmp/help" && ok || bad "--help does not say an interrupted plan is written"
sed -n '/^\.SH SIGNALS/,/^\.SH /p' "$tmp/man" | grep -q 'status interrupted' && ok || bad "$MAN does not say an interrupted plan is written"

# the page renders without warnings (groff from Debian's groff-base, which
# `make` installs with the other packages)
if command -v groff > /dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$MAN" 2> "$tmp/warn"
    check "groff renders $MAN without warnings: $(head -3 "$tmp/warn")" '[ ! -s "$tmp/warn" ]'
else
    echo "SKIP: rendering $MAN: groff is not installed"
fi
finish
