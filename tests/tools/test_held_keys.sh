#!/bin/sh
# SPEC §14.12 *Held keys* (issue 15 §2): a defense node whose suspect and
# counsel keys stay locked in their files, each with its holder's own
# passphrase. The node knows only their public keys; an act by one of them
# is signed only with that holder's passphrase, the key is opened for the
# act and wiped after. Checked: the node lists them as held; an act without
# the passphrase asks for it (and, with no terminal, says how to give it);
# another holder's passphrase is refused and nothing is sent; the right one
# signs; a key file swapped under the node is refused; a key configured
# twice is a configuration error.
# Usage: test_held_keys.sh BUILD_DIR
set -u
build=${1:?build dir}
parley=$build/cli/parley
parleyd=$build/node/parleyd
dir=$(mktemp -d /tmp/parley-held-XXXXXX)
ppid_=
dpid=
xpid=
cleanup() {
    [ -n "$ppid_" ] && kill -9 "$ppid_" 2>/dev/null
    [ -n "$xpid" ] && kill -9 "$xpid" 2>/dev/null
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"

pkey() { "$parley" key "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])'; }
for k in p d s c x; do
    mkdir -m 700 "$dir/$k"
    printf 'the passphrase of %s, long enough\n' "$k" >"$dir/$k.pass"
    chmod 600 "$dir/$k.pass"
    "$parley" keygen -o "$dir/$k/key" --kdf min --passphrase-file "$dir/$k.pass" >/dev/null || exit 1
done
pk=$(pkey "$dir/p/key") sk=$(pkey "$dir/s/key") ck=$(pkey "$dir/c/key") dk=$(pkey "$dir/d/key")
xk=$(pkey "$dir/x/key")

start() { # home log args...: starts parleyd, waits for its control socket
    h=$1 log=$2
    shift 2
    "$parleyd" --home "$h" "$@" --log-level warn 2>"$log" &
    started=$!
    await_node "$h" "$log"
}

check 2 "a key both unlocked and held is a configuration error" timeout -k 5 60 "$parleyd" --home "$dir/x" \
    --key "$dir/s/key" --passphrase-file "$dir/s.pass" --held-key "$dir/s/key"
contains "and says which file" "configured twice" timeout -k 5 60 "$parleyd" --home "$dir/x" \
    --key "$dir/s/key" --passphrase-file "$dir/s.pass" --held-key "$dir/s/key"

# the defense node's transport key is named in no case: the prosecution's
# operator admits it (SPEC §14.1, a configured peer)
start "$dir/p" "$dir/p.log" --passphrase-file "$dir/p.pass" --listen 'tcp://127.0.0.1:*' \
    --allow "$dk"
ppid_=$started
ep=$(cat "$dir/p/endpoint")
# the defense node: its own transport key unlocked, the suspect's and
# counsel's held by them (no passphrase of theirs given to the node)
start "$dir/d" "$dir/d.log" --passphrase-file "$dir/d.pass" --held-key "$dir/s/key" \
    --held-key "$dir/c/key" --peer "$pk@$ep"
dpid=$started
# the victim's node dials before any case names it: refused by ZAP at first
# (SPEC §14.1), it must dial again (libzmq does not), and get the case once
# the charter names it
mkdir -m 700 "$dir/xh"
start "$dir/xh" "$dir/x.log" --key "$dir/x/key" --passphrase-file "$dir/x.pass" --peer "$pk@$ep"
xpid=$started
json_is "status lists both held keys" \
    "sorted(d['held']) == sorted(['$sk', '$ck']) and '$sk' in d['keys']" \
    "$parley" status --home "$dir/d" --json

case=$("$parley" case-create --home "$dir/p" --json --title "Held keys" \
    --participant prosecution:$pk:Wang --participant "suspect:$sk:Li Ming" \
    --participant counsel:$ck:Zhao --participant victim:$xk:Chen | python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])')
i=0
until "$parley" cases --home "$dir/d" --json 2>/dev/null | grep -q "$case"; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: the defense node never hosted the case"; exit 1; }
    sleep 0.05
done
i=0
until "$parley" cases --home "$dir/xh" --json 2>/dev/null | grep -q "$case"; do
    i=$((i + 1))
    [ $i -gt 300 ] && { fail=$((fail + 1)); echo "FAIL: a node refused before the charter never dialled again"; break; }
    sleep 0.05
done
[ $i -le 300 ] && pass=$((pass + 1))
count() { "$parley" cases --home "$dir/d" --json | python3 -c "import json,sys; print([c['messages'] for c in json.load(sys.stdin) if c['case']=='$case'][0])"; }
before=$(count)
check 2 "an act by a held key with no terminal and no passphrase file" \
    "$parley" join "$case" --as suspect --home "$dir/d" </dev/null
contains "the refusal says how to give the passphrase" "--passphrase-file" \
    "$parley" join "$case" --as suspect --home "$dir/d" </dev/null
check 1 "counsel's passphrase does not open the suspect's key" \
    "$parley" join "$case" --as suspect --passphrase-file "$dir/c.pass" --home "$dir/d"
contains "the refusal says wrong passphrase" "wrong passphrase" \
    "$parley" join "$case" --as suspect --passphrase-file "$dir/c.pass" --home "$dir/d"
check 1 "the node's own passphrase does not open it either" \
    "$parley" join "$case" --as suspect --passphrase-file "$dir/d.pass" --home "$dir/d"
[ "$(count)" = "$before" ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: a refused act left a message"; }
check 0 "the suspect's own passphrase signs" \
    "$parley" join "$case" --as suspect --passphrase-file "$dir/s.pass" --home "$dir/d"
check 0 "counsel's own passphrase signs for counsel" \
    "$parley" join "$case" --as counsel --passphrase-file "$dir/c.pass" --home "$dir/d"
[ "$(count)" = "$((before + 2))" ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: the two joins are not in the case"; }
# a key file replaced under the running node (another key, the same
# passphrase): refused, the node signs only with the key it was given
cp "$dir/s/key" "$dir/s/key.orig"
"$parley" keygen -o "$dir/s/key" --force --kdf min --passphrase-file "$dir/s.pass" >/dev/null
check 1 "a swapped key file is refused" "$parley" opinion "$case" --topic facts --text "x" \
    --as suspect --passphrase-file "$dir/s.pass" --home "$dir/d"
cp "$dir/s/key.orig" "$dir/s/key"
# the suspect changes their passphrase while the node runs (issue 15 §2):
# the next act needs the new one, the old one no longer opens the key
printf 'the suspects new words\n' >"$dir/s.new"
chmod 600 "$dir/s.new"
check 0 "the suspect changes their passphrase" "$parley" key "$dir/s/key" --change-passphrase \
    --passphrase-file "$dir/s.pass" --new-passphrase-file "$dir/s.new" --kdf min
check 1 "the old passphrase no longer signs" "$parley" opinion "$case" --topic facts \
    --text "x" --as suspect --passphrase-file "$dir/s.pass" --home "$dir/d"
check 0 "the new one does, with no restart" "$parley" opinion "$case" --topic facts \
    --text "the suspect's words" --as suspect --passphrase-file "$dir/s.new" --home "$dir/d"
grep -q "passphrase" "$dir/d.log" && { fail=$((fail + 1)); echo "FAIL: the node logged a passphrase"; } ||
    pass=$((pass + 1))

echo "held keys: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
