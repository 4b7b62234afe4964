#!/bin/sh
# The files in contrib/ (issue 15 §4): the bash completion offers the
# commands and each command's flags from parley's own --help, and values
# for the flags that take few; the systemd unit passes systemd-analyze
# verify (skipped, with the reason, where systemd-analyze is missing).
# Usage: test_contrib.sh SOURCE_DIR BUILD_DIR
set -u
src=${1:?source dir}
build=$(cd "${2:?build dir}" && pwd)
pass=0 fail=0
command -v bash >/dev/null || { echo "SKIP: no bash"; exit 77; }
complete_line() { # words...: what the completion offers for the last word
    PATH=$build/cli:$PATH bash -c '
        . "$1/contrib/parley.bash"
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        _parley
        printf "%s\n" "${COMPREPLY[@]}"' sh "$src" "$@"
}
offers() { # description expected words...
    what=$1 want=$2
    shift 2
    if complete_line "$@" | grep -qx -- "$want"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: '$want' not offered for: $*"
    fi
}
offers "a command" status parley sta
offers "another command" session-decline parley session-d
offers "a command's own flag" --case parley status --c
offers "offer's flags" --penalty parley offer abc --pen
offers "key's new flag" --change-passphrase parley key k --ch
offers "a role for --as" counsel parley sign abc def --as co
offers "a procedure" speedy parley offer abc --procedure sp
if complete_line parley status --j | grep -qx -- --penalty; then
    fail=$((fail + 1)); echo "FAIL: status is offered offer's flags"
else
    pass=$((pass + 1))
fi
if command -v systemd-analyze >/dev/null 2>&1; then
    d=$(mktemp -d)
    trap 'rm -rf "$d"' EXIT
    sed "s#/usr/local/bin/parleyd#$build/node/parleyd#; s#/usr/local/bin/parley #$build/cli/parley #" \
        "$src/contrib/parleyd.service" >"$d/parleyd.service"
    if systemd-analyze verify --man=no "$d/parleyd.service" >"$d/out" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL: systemd-analyze verify:"; sed 's/^/    /' "$d/out"
    fi
else
    echo "skipped: systemd-analyze is not installed (the unit is not verified)"
fi
echo "contrib: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
