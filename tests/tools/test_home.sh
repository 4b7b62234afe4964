#!/bin/sh
# A home's store is never silently replaced (issue 18 §3): parleyd refuses
# a home whose store.db is missing, empty, cut off from its WAL after an
# unclean stop, or another home's (exit 4, with the recovery steps), starts
# an empty store only with --recover-from-peers (setting what is left
# aside), and records the store of a home from before store.id.
# Usage: test_home.sh BUILD_DIR
set -u
build=${1:?build dir}
parley=$build/cli/parley
parleyd=$build/node/parleyd
dir=$(mktemp -d /tmp/parley-home-XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"
printf 'correct horse battery staple\n' >"$dir/pass"
chmod 600 "$dir/pass"

# start HOME [flags]: runs parleyd in the background until it answers
start() {
    h=$1
    shift
    "$parleyd" --home "$h" --passphrase-file "$dir/pass" --log-level warn "$@" 2>"$dir/log" &
    pid=$!
    i=0
    until "$parley" status --home "$h" >/dev/null 2>&1; do
        i=$((i + 1))
        if ! kill -0 "$pid" 2>/dev/null || [ $i -gt 600 ]; then
            echo "FAIL: parleyd did not start in $h"
            cat "$dir/log"
            fail=$((fail + 1))
            pid=
            return 1
        fi
        sleep 0.05
    done
}
stop() {
    "$parley" stop --home "$1" >/dev/null 2>&1
    wait "$pid"
    pid=
}
# refuses HOME WHY: parleyd exits 4 at once, saying why, and creates nothing
refuses() {
    h=$1 why=$2
    "$parleyd" --home "$h" --passphrase-file "$dir/pass" --log-level warn >"$out" 2>&1
    got=$?
    if [ "$got" -eq 4 ] && grep -qF -- "$why" "$out" && grep -qF -- "--recover-from-peers" "$out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: parleyd on a home whose store $why: exit $got (want 4)"
        cat "$out"
    fi
}
newhome() {
    mkdir -m 700 "$dir/$1"
    "$parley" keygen -o "$dir/$1/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
}

newhome a
start "$dir/a" && stop "$dir/a"
check 0 "a new home records its store" test -s "$dir/a/store.id"
check 1 "a clean stop leaves no store.open" test -e "$dir/a/store.open"
start "$dir/a" && stop "$dir/a"
check 0 "the home starts again with its own store" test -s "$dir/a/store.db"

# SPEC §14.11, issue 18 §3: a store that went missing is not replaced
mv "$dir/a/store.db" "$dir/a/store.db.moved"
refuses "$dir/a" "is missing"
check 1 "the refused start created no store.db" test -e "$dir/a/store.db"
mv "$dir/a/store.db.moved" "$dir/a/store.db"
cp "$dir/a/store.db" "$dir/a-store.db.copy"
: >"$dir/a/store.db"
refuses "$dir/a" "is empty"
cp "$dir/a-store.db.copy" "$dir/a/store.db"
start "$dir/a" && stop "$dir/a"
check 0 "the restored store starts" test -s "$dir/a/store.id"

# killed: the WAL stays; deleting it loses committed messages
start "$dir/a"
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
check 0 "a killed node leaves store.open" test -e "$dir/a/store.open"
if [ -e "$dir/a/store.db-wal" ]; then
    mv "$dir/a/store.db-wal" "$dir/a-wal.moved"
    refuses "$dir/a" "lost its write-ahead log"
    mv "$dir/a-wal.moved" "$dir/a/store.db-wal"
fi
start "$dir/a" && stop "$dir/a"
check 0 "with its WAL back the killed node's home starts" test -s "$dir/a/store.db"

# another home's store
newhome b
start "$dir/b" && stop "$dir/b"
cp "$dir/a/store.db" "$dir/a-store.db.keep"
cp "$dir/b/store.db" "$dir/a/store.db"
"$parleyd" --home "$dir/a" --passphrase-file "$dir/pass" --log-level warn >"$out" 2>&1
got=$?
if [ "$got" -eq 4 ] && grep -qF "is another store" "$out"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: another home's store: exit $got (want 4)"
    cat "$out"
fi
cp "$dir/a-store.db.keep" "$dir/a/store.db"

# --recover-from-peers: the remains set aside, an empty store on purpose
old=$(cat "$dir/a/store.id")
rm "$dir/a/store.db"
start "$dir/a" --recover-from-peers && stop "$dir/a"
check 0 "--recover-from-peers keeps the old identity aside" sh -c "ls '$dir/a' | grep -q 'store.id.lost-'"
check 0 "--recover-from-peers records a new store" test -s "$dir/a/store.id"
if [ "$(cat "$dir/a/store.id")" != "$old" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL: the recovered home kept the lost store's identity"
fi

# a home from before store.id: its store is recorded, not refused
rm "$dir/b/store.id"
start "$dir/b" && stop "$dir/b"
check 0 "a home without store.id records it" test -s "$dir/b/store.id"
printf 'garbage\n' >"$dir/b/store.id"
check 4 "a damaged store.id is refused" "$parleyd" --home "$dir/b" --passphrase-file "$dir/pass"

echo "home: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
