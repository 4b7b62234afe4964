#!/bin/sh
# The conformance suite (SPEC §11.5) against our own parleyd, as ctest runs
# it (label conformance): a node in a scratch home, listening on a loopback
# port it picks, admitting the suite's key (--allow); then parley-conform
# against it. The suite's exit status is the test's: 1 when the node broke
# a MUST. The node must also survive the run and stop cleanly.
#
# Usage: run.sh PARLEYD PARLEY PARLEY_CONFORM [parley-conform options...]
set -eu
parleyd=${1:?usage: run.sh PARLEYD PARLEY PARLEY_CONFORM [options]}
parley=${2:?parley}
conform=${3:?parley-conform}
shift 3

home=$(mktemp -d "${TMPDIR:-/tmp}/parley-conform-XXXXXX")
pid=
stop_node() {
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    st=0
    wait "$pid" 2>/dev/null || st=$?
    pid=
    return $st
}
cleanup() {
    stop_node || true
    [ -n "${PARLEY_KEEP_TEST_DIR:-}" ] || rm -rf "$home"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

printf 'parley-conform test passphrase\n' >"$home/pass"
chmod 600 "$home/pass"
node_key=$("$parley" keygen -o "$home/key" --passphrase-file "$home/pass" --kdf min --json |
    sed -n 's/.*"public_key":"\([0-9a-f]*\)".*/\1/p')
tool_key=$("$conform" --print-key)
[ -n "$node_key" ] && [ -n "$tool_key" ] || { echo "run.sh: no keys"; exit 1; }

"$parleyd" --home "$home" --passphrase-file "$home/pass" --listen 'tcp://127.0.0.1:*' \
    --allow "$tool_key" --accept-invitations --log-level "${PARLEY_TEST_LOG:-warn}" 2>"$home/parleyd.log" &
pid=$!
i=0
while [ ! -s "$home/endpoint" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "run.sh: parleyd exited at start:"
        cat "$home/parleyd.log"
        pid=
        exit 1
    fi
    i=$((i + 1))
    [ $i -le 200 ] || { echo "run.sh: parleyd wrote no endpoint in 20 s"; exit 1; }
    sleep 0.1
done
endpoint=$(cat "$home/endpoint")

rc=0
"$conform" "$endpoint" --node-key "$node_key" "$@" || rc=$?
if ! kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: parleyd died during the run; its log ends:"
    tail -n 20 "$home/parleyd.log"
    rc=1
fi
st=0
stop_node || st=$?
if [ $st -ne 0 ]; then
    echo "run.sh: parleyd exited with $st on SIGTERM (expected 0); its log ends:"
    tail -n 20 "$home/parleyd.log"
    [ $rc -ne 0 ] || rc=1
fi
exit $rc
