#!/bin/sh
# A full disk (issue 18 §4): the node keeps running, refuses what it cannot
# store with PL_E_DISK (the CLI says what to do), serves reads, and resumes
# by itself once space returns, without a restart. Needs a small
# filesystem: a tmpfs mounted for the test (root); skipped, saying why,
# where that is not allowed.
# Usage: test_diskfull.sh BUILD_DIR
set -u
build=${1:?build dir}
parley=$build/cli/parley
parleyd=$build/node/parleyd
dir=$(mktemp -d /tmp/parley-disk-XXXXXX)
pid=
mnt=$dir/mnt
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    sleep 0.1
    umount "$mnt" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"
mkdir "$mnt"
if ! mount -t tmpfs -o size=3m tmpfs "$mnt" 2>"$out"; then
    echo "skip: cannot mount a small tmpfs here ($(cat "$out")); the full-disk test needs one"
    exit 0
fi
printf 'correct horse battery staple\n' >"$dir/pass"
chmod 600 "$dir/pass"
home=$mnt/home
mkdir -m 700 "$home"
"$parley" keygen -o "$home/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
"$parley" keygen -o "$dir/s.key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
"$parley" keygen -o "$dir/c.key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
pub() { "$parley" key "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])'; }
pk=$(pub "$home/key") sk=$(pub "$dir/s.key") ck=$(pub "$dir/c.key")
"$parleyd" --home "$home" --passphrase-file "$dir/pass" --log-level warn 2>"$dir/log" &
pid=$!
await_node "$home" "$dir/log"
create() {
    "$parley" case-create --home "$home" --title "$1" --participant "prosecution:$pk:Wang" \
        --participant "suspect:$sk:Li" --participant "counsel:$ck:Zhao"
}
check 0 "a case before the disk fills" create "Case A"
dd if=/dev/zero of="$mnt/filler" bs=4096 >/dev/null 2>&1
check 1 "a case while the disk is full is refused" create "Case B"
contains "the refusal names the code" "PL_E_DISK" create "Case B"
contains "and says what to do" "free space on it" create "Case B"
check 0 "the node still answers status" "$parley" status --home "$home"
contains "status says the disk is full" "DISK FULL" "$parley" status --home "$home"
check 0 "the node still serves reads (the case's log)" "$parley" export \
    "$("$parley" cases --home "$home" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["case"])')" \
    -o "$dir/a.log" --home "$home"
check 0 "the node did not stop" kill -0 "$pid"
rm -f "$mnt/filler"
i=0
until create "Case B" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 200 ] && { fail=$((fail + 1)); echo "FAIL: the node did not resume within 20 s"; break; }
    sleep 0.1
done
[ $i -le 200 ] && pass=$((pass + 1))
json_is "both cases are held after the disk had space again" 'len(d) == 2' \
    "$parley" cases --home "$home" --json
check 1 "status no longer says the disk is full" sh -c \
    "'$parley' status --home '$home' | grep -q 'DISK FULL'"
"$parley" stop --home "$home" >/dev/null
reap "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: parleyd exited $rc"; cat "$dir/log"; }
grep -q "resuming" "$dir/log" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: no 'resuming' in the log"; cat "$dir/log"; }
echo "disk full: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
