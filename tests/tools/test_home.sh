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

# a parleyd that must exit at once (a refusal): never left running, so a
# node that starts where it should refuse fails the test instead of
# stalling it
pd() { timeout -k 5 60 "$parleyd" "$@"; }
# start HOME [flags]: runs parleyd in the background until it answers
start() {
    h=$1
    shift
    "$parleyd" --home "$h" --passphrase-file "$dir/pass" --log-level warn "$@" 2>"$dir/log" &
    pid=$!
    echo "$pid" >"$dir/pid"
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
    reap "$pid"
    pid=
}
stop_returns_stopped() { # home: parley stop returns once the node let the home go
    "$parley" stop --home "$1" >/dev/null 2>&1
    check 1 "parley stop returns after the node removed store.open (SPEC §14.12)" test -e "$1/store.open"
    check 1 "and after it removed its endpoint" test -e "$1/endpoint"
    check 0 "and after it let the store's lock go" python3 -c '
import fcntl, struct, sys
fd = open(sys.argv[1], "rb")
# F_OFD_GETLK asks for a write lock (F_WRLCK); F_UNLCK comes back when
# nobody holds one (struct flock: short, short, off_t, off_t, pid_t)
lk = struct.pack("hhqqi", fcntl.F_WRLCK, 0, 0, 0, 0)
got = fcntl.fcntl(fd, getattr(fcntl, "F_OFD_GETLK", 36), lk)
sys.exit(0 if struct.unpack("hhqqi", got)[0] == fcntl.F_UNLCK else 1)' "$1/store.db.lock"
    reap "$pid"
    pid=
}
# refuses HOME WHY: parleyd exits 4 at once, saying why, and creates nothing
refuses() {
    h=$1 why=$2
    pd --home "$h" --passphrase-file "$dir/pass" --log-level warn >"$out" 2>&1
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
start "$dir/a" && stop_returns_stopped "$dir/a"
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
pd --home "$dir/a" --passphrase-file "$dir/pass" --log-level warn >"$out" 2>&1
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
check 4 "a damaged store.id is refused" pd --home "$dir/b" --passphrase-file "$dir/pass"

# issue 18 §8: a damaged store says what failed, in SQLite's words, and
# what to do; exit 1 (a runtime failure, not a usage error)
newhome e
start "$dir/e" && stop "$dir/e"
python3 -c "
p = '$dir/e/store.db'
b = bytearray(open(p, 'rb').read())
for i in range(100, min(len(b), 4096)):
    b[i] ^= 0x5a
open(p, 'wb').write(b)"
check 1 "a damaged store exits 1" pd --home "$dir/e" --passphrase-file "$dir/pass"
contains "it says SQLite's words and code" "malformed (code 11)" pd --home "$dir/e" \
    --passphrase-file "$dir/pass"
contains "and the next step" "restore store.db" pd --home "$dir/e" --passphrase-file "$dir/pass"
start "$dir/e" --recover-from-peers && stop "$dir/e"
check 0 "--recover-from-peers sets a damaged store aside" sh -c "ls '$dir/e' | grep -q 'store.db.lost-'"

# issue 18 §5: files private whatever the umask, no link followed, no
# stale endpoint or temp, a home that is not the user's refused
newhome c
mkdir -m 777 "$dir/c/draw"
chmod 777 "$dir/c/draw"
printf 'not yours\n' >"$dir/victim-file"
ln -s "$dir/victim-file" "$dir/c/endpoint"
: >"$dir/c/endpoint.tmp.999999999"
(umask 022 && start "$dir/c" --listen 'tcp://127.0.0.1:*')
pid=$(cat "$dir/pid" 2>/dev/null)
for f in store.db store.db-wal store.db-shm endpoint store.id; do
    m=$(stat -c %a "$dir/c/$f" 2>/dev/null)
    if [ "$m" = 600 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL: $f has mode $m under umask 022 (want 600)"
    fi
done
check 0 "the endpoint is a file, not the planted link" test ! -L "$dir/c/endpoint"
contains "a planted link's target is untouched" "not yours" cat "$dir/victim-file"
check 1 "a stale temp file is removed at start" test -e "$dir/c/endpoint.tmp.999999999"
contains "a draw directory open to others is made private" "700" stat -c %a "$dir/c/draw"
# evidence an interrupted web-app run left in ui-tmp (any depth, names
# with dots) is removed when the web app starts (review)
stop_returns_stopped "$dir/c"
mkdir -p "$dir/c/ui-tmp/rAbC123/0" "$dir/c/ui-tmp/rAbC123/1"
chmod 700 "$dir/c/ui-tmp"
echo evidence >"$dir/c/ui-tmp/rAbC123/0/起诉意见书.txt"
echo evidence >"$dir/c/ui-tmp/rAbC123/1/.hidden"
start "$dir/c" --ui 0 --listen 'tcp://127.0.0.1:*'
check 1 "an upload a crash left is removed at start" test -e "$dir/c/ui-tmp/rAbC123/0/起诉意见书.txt"
check 1 "and one whose name starts with a dot" test -e "$dir/c/ui-tmp/rAbC123/1/.hidden"
check 0 "ui-tmp itself stays, private" test -d "$dir/c/ui-tmp"
# a second parleyd on a running home changes nothing there (review)
check 3 "a second parleyd on a running home exits 3" pd --home "$dir/c" \
    --passphrase-file "$dir/pass" --recover-from-peers
check 0 "and leaves the running node's endpoint" test -s "$dir/c/endpoint"
check 0 "and its store" test -s "$dir/c/store.db"
"$parley" stop --home "$dir/c" >/dev/null 2>&1
i=0
while "$parley" status --home "$dir/c" >/dev/null 2>&1 && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
sleep 0.2
check 1 "a stopped node leaves no endpoint behind" test -e "$dir/c/endpoint"
if [ "$(id -u)" = 0 ]; then
    newhome d
    chown 65534 "$dir/d"
    check 2 "a home another user owns is refused" pd --home "$dir/d" \
        --passphrase-file "$dir/pass"
    contains "the refusal says whose it is" "belongs to another user" pd --home "$dir/d" \
        --passphrase-file "$dir/pass"
else
    echo "skip: a home owned by another user (needs root to chown)"
fi

echo "home: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
