# Checks shared by the CLI test scripts (sourced). Each counts into pass
# and fail; $out is a scratch file for a command's output.
pass=0
fail=0
check() { # expected-exit description command...
    want=$1 what=$2
    shift 2
    "$@" >"$out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: exit $got, expected $want"
        sed 's/^/    /' "$out" | head -5
    fi
}
contains() { # description text command...: the output contains the text
    what=$1 text=$2
    shift 2
    if "$@" 2>&1 | grep -qF -- "$text"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: output lacks '$text'"
    fi
}
json() { # description command...: exit 0 and one JSON value on stdout
    what=$1
    shift
    if "$@" 2>/dev/null | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: output is not one JSON value"
    fi
}
json_is() { # description python-expression command...: the command prints one JSON
    # value, d, and the expression is true; env is the environment, and
    # entry(ID) the element of d["timeline"] with that id
    what=$1 expr=$2
    shift 2
    if "$@" 2>/dev/null | python3 -c 'import json,os,sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
def entry(i):
    return next(x for x in d["timeline"] if x["id"] == i)
sys.exit(0 if eval("(" + sys.argv[1] + ")", {"d": d, "env": os.environ, "entry": entry}) else 1)' \
        "$expr" >"$out" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what: not $expr"
        sed 's/^/    /' "$out" | tail -3
    fi
}
await_node() { # home log: waits until the parleyd of HOME answers (30 s); if it
    # never does, prints its LOG and ends the script (exit 1)
    i=0
    until "$parley" status --home "$1" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 600 ] && { echo "FAIL: parleyd did not start in $1"; cat "$2"; exit 1; }
        sleep 0.05
    done
}
reap() { # pid [seconds]: waits for the background PID to exit (30 s
    # unless told), and returns its status; one still running then is
    # killed (status 137) and counted as a failure, so that a stuck node
    # fails its test instead of stalling the run
    _t=${2:-30}
    ( sleep "$_t" && kill -9 "$1" ) >/dev/null 2>&1 &
    _w=$!
    wait "$1"
    _rc=$?
    kill "$_w" 2>/dev/null
    if [ $_rc -eq 137 ]; then
        fail=$((fail + 1))
        echo "FAIL: process $1 had not exited after $_t s (killed)"
    fi
    return $_rc
}
