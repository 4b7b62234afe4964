#!/bin/sh
# The node verbs of `parley` (status, cases, export, connect, stop) and the
# negotiation verbs that sign through it (case-create, join, opinion,
# respond, sign, close) against real parleyd nodes on loopback: success and
# failure paths, exit codes 0 ok, 1 failed (the node refused, or none
# answers), 2 usage; --json parses.
# Usage: test_cli_node.sh BUILD_DIR
set -u
build=${1:?build dir}
parley=$build/cli/parley
parleyd=$build/node/parleyd
dir=$(mktemp -d /tmp/parley-clinode-XXXXXX)
pid=
vpid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    [ -n "$vpid" ] && kill -9 "$vpid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"

home=$dir/p
mkdir -m 700 "$home"
printf 'correct horse battery staple\n' >"$dir/pass"
"$parley" keygen -o "$home/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1

# No node yet: every verb says so, exit 1.
check 1 "status with no node" "$parley" status --home "$home"
contains "status names the home" "is parleyd running with --home $home" "$parley" status --home "$home"

"$parleyd" --home "$home" --passphrase-file "$dir/pass" --listen 'tcp://127.0.0.1:*' \
    --log-level warn 2>"$dir/parleyd.log" &
pid=$!
i=0
until "$parley" status --home "$home" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: parleyd did not start"; cat "$dir/parleyd.log"; exit 1; }
    sleep 0.05
done

check 0 "status" "$parley" status --home "$home"
contains "status shows the endpoint" "listening:  tcp://127.0.0.1:" "$parley" status --home "$home"
json "status --json" "$parley" status --home "$home" --json
PARLEY_HOME=$home check 0 "status from PARLEY_HOME" "$parley" status
check 2 "status with an extra argument" "$parley" status --home "$home" extra
check 0 "status --help" "$parley" status --help

check 0 "cases" "$parley" cases --home "$home"
contains "cases when there are none" "no cases yet" "$parley" cases --home "$home"
json "cases --json" "$parley" cases --home "$home" --json

check 2 "export without -o" "$parley" export deadbeefdeadbeef --home "$home"
check 2 "export of a non-hex case" "$parley" export zzzzzzzzzz -o "$dir/x.log" --home "$home"
check 1 "export of a case the node lacks" "$parley" export deadbeefdeadbeef -o "$dir/x.log" --home "$home"
check 0 "export --help" "$parley" export --help

check 2 "connect without a key" "$parley" connect tcp://127.0.0.1:1 --home "$home"
check 2 "connect with a short key" "$parley" connect abcd@tcp://127.0.0.1:1 --home "$home"
key=$("$parley" key "$home/key" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])')
check 1 "connect to a bad endpoint" "$parley" connect "$key@nowhere" --home "$home"
check 0 "connect" "$parley" connect "$key@tcp://127.0.0.1:9" --home "$home"
contains "status lists the dialled peer" "dials:      tcp://127.0.0.1:9" "$parley" status --home "$home"

# A negotiation through the CLI: the prosecution's node (above) and the
# victim's, which dials it (SPEC §14.3 invitation).
for k in s c v o; do
    mkdir -m 700 "$dir/$k"
    "$parley" keygen -o "$dir/$k/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1
done
pub() { "$parley" key "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])'; }
sk=$(pub "$dir/s/key") ck=$(pub "$dir/c/key") vk=$(pub "$dir/v/key") ok=$(pub "$dir/o/key")
check 2 "case-create without participants" "$parley" case-create --title T --home "$home"
check 2 "case-create with a bad role" "$parley" case-create --title T --home "$home" \
    --participant judge:$key:X
check 0 "case-create" "$parley" case-create --home "$home" --title "Case 1: dangerous driving" \
    --participant prosecution:$key:Wang --participant suspect:$sk:Li \
    --participant counsel:$ck:Zhao --participant victim:$vk:Chen --participant observer:$ok:Liu
case=$("$parley" cases --home "$home" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["case"])')
ep=$(cat "$home/endpoint")
"$parleyd" --home "$dir/v" --passphrase-file "$dir/pass" --peer "$key@$ep" --log-level warn \
    2>"$dir/v.log" &
vpid=$!
i=0
until "$parley" cases --home "$dir/v" --json 2>/dev/null | grep -q "$case"; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: the victim's node never learned the case"; break; }
    sleep 0.05
done
check 1 "join an unknown case" "$parley" join deadbeefdeadbeef --home "$dir/v"
check 0 "join" "$parley" join "$case" --home "$dir/v"
check 2 "opinion with an unknown topic" "$parley" opinion "$case" --topic weather --text x \
    --home "$dir/v"
op=$("$parley" opinion "$case" --topic compensation --text "Compensated in full." \
    --home "$dir/v" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$op" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: opinion"; }
i=0
until "$parley" cases --home "$home" --json | grep -q '"open_inputs":1'; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: the opinion never reached the prosecution's node"; break; }
    sleep 0.05
done
contains "status: the prosecution has an input to answer (R3)" "answer this input" \
    "$parley" status --home "$home"
contains "status: the victim waits for the answer" "waiting: the prosecution's answer to" \
    "$parley" status --home "$dir/v"
json "status --json with a case" "$parley" status --home "$home" --json
contains "a refused action says why (SPEC §13.1)" "refused, nothing was sent: PL_E_ROLE" \
    "$parley" opinion "$case" --topic other --text "the prosecution may not" --home "$home"
check 1 "a refused action exits 1" "$parley" opinion "$case" --topic other --text x --home "$home"
check 2 "sign of a message that is not an offer" "$parley" sign "$case" "$op" --home "$home"
check 0 "respond" "$parley" respond "$case" "$(echo "$op" | cut -c1-12)" --decision adopted \
    --reasons "Compensation noted." --home "$home"
printf 'breath test record\n' >"$dir/evidence-1.txt"
check 2 "disclose of a missing file" "$parley" disclose "$case" "$dir/none.txt" --home "$home"
check 0 "disclose (SPEC §13.12)" "$parley" disclose "$case" "$dir/evidence-1.txt" --home "$home"
disc=$("$parley" log "$case" --home "$home" | awk '/ disclose /{for(i=1;i<=NF;i++) if($i=="id") print $(i+1)}' | tr -d '…')
check 1 "the victim may not acknowledge a disclosure (SPEC §13.12)" "$parley" ack "$case" "$disc" \
    --home "$dir/v"
check 2 "ack of a message that is not a disclosure" "$parley" ack "$case" "$(echo "$op" | cut -c1-12)" \
    --home "$dir/v"
check 2 "session-propose with a bad time" "$parley" session-propose "$case" --time tomorrow \
    --venue "Room 3" --mode in_person --home "$home"
check 0 "session-propose" "$parley" session-propose "$case" --time 2026-12-03T09:30 \
    --venue "Detention centre no. 2" --mode in_person --detention-facility --public --home "$home"
prop=$("$parley" log "$case" --home "$home" | awk '/ session-propose /{for(i=1;i<=NF;i++) if($i=="id") print $(i+1)}' | tr -d '…')
check 2 "session-decline without reasons" "$parley" session-decline "$case" "$prop" --home "$dir/v"
check 1 "the proposer's own side may not accept (R6, SPEC §13.11)" "$parley" session-accept \
    "$case" "$prop" --public --home "$home"
check 1 "only the observer observes (SPEC §13.13)" "$parley" observe "$case" --text "I was there" \
    --home "$dir/v"
check 1 "retract with no final agreement (SPEC §13.15)" "$parley" retract "$case" \
    --reasons "changed my mind" --home "$home"
offer_cmd() {
    "$parley" offer "$case" --charge "133-1:dangerous driving" --procedure speedy \
        --grounds confession,compensation --facts "150 mg/100 ml; no accident" \
        --home "$home" "$@"
}
check 2 "offer without a penalty" offer_cmd
check 2 "offer with an unknown penalty" offer_cmd --penalty caning:3
contains "unlawful terms are refused with the law (SPEC §15.4)" "PL_E_TERMS_DETENTION" \
    offer_cmd --penalty detention:9
check 1 "unlawful terms exit 1" offer_cmd --penalty detention:9
offer=$(offer_cmd --penalty detention:4 --fine 5000 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$offer" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: offer"; }
check 0 "the prosecution signs its offer first (SPEC §13.9)" "$parley" sign "$case" \
    "$(echo "$offer" | cut -c1-16)" --home "$home"
contains "status: the prosecution waits for the defense's signatures" \
    "waiting: the other signatures of" "$parley" status --home "$home"
check 1 "the victim may not sign (SPEC §13.1)" "$parley" sign "$case" "$offer" --home "$dir/v"
check 0 "close" "$parley" close "$case" --home "$home" --reasons "Deliberation complete."
check 0 "export" "$parley" export "$(echo "$case" | cut -c1-10)" -o "$dir/case.log" --home "$home"
check 0 "the export verifies" "$parley" verify "$dir/case.log"
contains "the timeline holds the response" "response" "$parley" verify "$dir/case.log" --timeline
check 0 "log" "$parley" log "$case" --home "$dir/v"
contains "log shows which input a response answers" "answers #3 (opinion)" \
    "$parley" log "$case" --home "$home"
json "log --json" "$parley" log "$case" --home "$home" --json
check 1 "log of an unknown case" "$parley" log deadbeefdeadbeef --home "$home"
check 0 "stop the victim's node" "$parley" stop --home "$dir/v"
wait "$vpid"
vpid=

check 0 "stop" "$parley" stop --home "$home"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: parleyd exited $rc after stop"; }
check 1 "stop with no node" "$parley" stop --home "$home"

echo "test_cli_node: $pass passed, $fail failed"
[ $fail -eq 0 ]
