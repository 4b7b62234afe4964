#!/bin/sh
# Descriptor exhaustion (issue 18 §2): parleyd under a small descriptor
# limit while unauthenticated TCP connections take every descriptor. The
# node must stay up and keep answering its owner on the control channel
# (a socket of its own, with a spare descriptor for exactly this), and be
# served normally once the connections go.
# Usage: test_fds.sh BUILD_DIR
set -u
build=${1:?build dir}
parley=$build/cli/parley
parleyd=$build/node/parleyd
dir=$(mktemp -d /tmp/parley-fds-XXXXXX)
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
home=$dir/h
mkdir -m 700 "$home"
"$parley" keygen -o "$home/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
# a hard limit of 48 descriptors for parleyd alone
(ulimit -n 48 && exec "$parleyd" --home "$home" --passphrase-file "$dir/pass" \
    --listen 'tcp://127.0.0.1:*' --log-level info 2>"$dir/log") &
pid=$!
await_node "$home" "$dir/log"
ep=$(cat "$home/endpoint")
# 120 plain TCP connections (no key, no handshake), held for 4 s
python3 - "$ep" <<'PY' &
import socket, sys, time
host, port = sys.argv[1].split("//")[1].rsplit(":", 1)
held = []
for _ in range(120):
    try:
        held.append(socket.create_connection((host, int(port)), timeout=2))
    except OSError:
        break
time.sleep(4)
PY
flood=$!
sleep 1.5
check 0 "the node answers its owner while peers hold every descriptor" "$parley" status \
    --home "$home"
check 0 "the node is still running" kill -0 "$pid"
wait "$flood"
sleep 0.5
check 0 "the node answers after the connections went" "$parley" status --home "$home"
check 0 "it stops cleanly" "$parley" stop --home "$home"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: parleyd exited $rc"; tail "$dir/log"; }
echo "fds: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
