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
dpid=
opid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    [ -n "$vpid" ] && kill -9 "$vpid" 2>/dev/null
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    [ -n "$opid" ] && kill -9 "$opid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"

home=$dir/p
mkdir -m 700 "$home"
printf 'correct horse battery staple\n' >"$dir/pass"
chmod 600 "$dir/pass"
"$parley" keygen -o "$home/key" --kdf min --passphrase-file "$dir/pass" >/dev/null || exit 1

# No node yet: every verb says so, exit 1.
check 1 "status with no node" "$parley" status --home "$home"
contains "status names the home" "is parleyd running with --home $home" "$parley" status --home "$home"

"$parleyd" --home "$home" --passphrase-file "$dir/pass" --listen 'tcp://127.0.0.1:*' \
    --log-level warn 2>"$dir/parleyd.log" &
pid=$!
await_node "$home" "$dir/parleyd.log"

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

# a node's refusal in the reader's language (issue 15 §1): its own words
# are English data; the CLI says them, and what to do, in Chinese
zh() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$@"; }
check 1 "ui on a node without --ui" "$parley" ui --home "$home"
contains "its refusal in Chinese, with the flag to add" "本节点未提供网页界面：请以 --ui 端口 启动 parleyd" \
    zh "$parley" ui --home "$home"
contains "the same in English" "this node serves no web app: start parleyd with --ui PORT" \
    "$parley" ui --home "$home"
contains "a case the node lacks, in Chinese" "本节点未托管该案件" \
    zh "$parley" export deadbeefdeadbeef -o "$dir/x.log" --home "$home"
contains "no node, in Chinese" "中没有节点应答" zh "$parley" status --home "$dir/nowhere"
# issue 15 §4: --json answers in JSON when no node runs; the node's status
# in Chinese; a node with a case and no peer says it reaches nobody
json_is "status --json with no node" "d['running'] is False" "$parley" status --json \
    --home "$dir/nowhere"
contains "status in Chinese" "对等节点：" zh "$parley" status --home "$home"
check 2 "connect without a key" "$parley" connect tcp://127.0.0.1:1 --home "$home"
check 2 "connect with a short key" "$parley" connect abcd@tcp://127.0.0.1:1 --home "$home"
key=$("$parley" key "$home/key" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])')
check 1 "connect to a bad endpoint" "$parley" connect "$key@nowhere" --home "$home"
check 0 "connect" "$parley" connect "$key@tcp://127.0.0.1:9" --home "$home"
json "connect --json" "$parley" connect "$key@tcp://127.0.0.1:9" --home "$home" --json
contains "status lists the dialled peer" "dials:      tcp://127.0.0.1:9" "$parley" status --home "$home"
# disconnect (issue 15 §4): connect's opposite; the peer is not dialled
# any more, nor after a restart (the store forgets it)
check 2 "disconnect without a key" "$parley" disconnect --home "$home"
check 2 "disconnect with a short key" "$parley" disconnect abcd --home "$home"
check 0 "disconnect" "$parley" disconnect "$key@tcp://127.0.0.1:9" --home "$home"
json_is "status no longer lists it" "d['dialled'] == []" "$parley" status --home "$home" --json
check 1 "disconnect of a peer the node does not dial" "$parley" disconnect "$key" --home "$home"
check 0 "connect again after a disconnect" "$parley" connect "$key@tcp://127.0.0.1:9" --home "$home"
json_is "and it is dialled again" "len(d['dialled']) == 1" "$parley" status --home "$home" --json

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
check 2 "case-create --id-number without a suspect (SPEC §13.2)" "$parley" case-create \
    --home "$home" --title T --participant prosecution:$key:Wang --participant counsel:$ck:Zhao \
    --id-number 11010519491231002X
check 2 "case-create with a mistyped identity number (GB 11643 check character)" "$parley" \
    case-create --home "$home" --title T --participant prosecution:$key:Wang \
    --participant suspect:$sk:Li --participant counsel:$ck:Zhao --id-number 110105194912310021
check 2 "case-create with a deadline that is no day" "$parley" case-create --home "$home" --title T \
    --participant prosecution:$key:Wang --participant suspect:$sk:Li --participant counsel:$ck:Zhao \
    --deadline 2027-13-45
# SPEC §13.2 (v2): the suspect's particulars, the language, a closed case
for bad in "--suspect-birth 1985-02-30" "--suspect-birth 1899-12-31" "--suspect-birth 19850302" \
    "--suspect-nationality chn" "--suspect-nationality CN" "--suspect-language zh_CN" \
    "--language zh_CN" "--closed secret"; do
    # shellcheck disable=SC2086
    check 2 "case-create $bad" "$parley" case-create --home "$home" --title T \
        --participant prosecution:$key:Wang --participant suspect:$sk:Li \
        --participant counsel:$ck:Zhao $bad
done
check 2 "case-create --suspect-birth without a suspect" "$parley" case-create --home "$home" \
    --title T --participant prosecution:$key:Wang --participant counsel:$ck:Zhao \
    --suspect-birth 1985-03-02
check 0 "case-create" "$parley" case-create --home "$home" --title "Case 1: dangerous driving" \
    --participant prosecution:$key:Wang --participant suspect:$sk:Li \
    --participant counsel:$ck:Zhao --participant victim:$vk:Chen --participant observer:$ok:Liu \
    --deadline 2027-01-15 --suspect-birth 1985-03-02 --suspect-nationality CHN \
    --suspect-language zh-CN
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
# issue 13 §2: each verb takes its own flags; another verb's is refused
check 2 "sign with flags of other verbs" "$parley" sign deadbeefdeadbeef 0123456789abcdef \
    --topic facts --venue "court 3" --home "$dir/v"
contains "the refusal names the flag" "--topic belongs to another verb" "$parley" sign \
    deadbeefdeadbeef 0123456789abcdef --topic facts --home "$dir/v"
check 2 "an unknown flag" "$parley" close deadbeefdeadbeef --reason typo --home "$dir/v"
check 1 "join an unknown case" "$parley" join deadbeefdeadbeef --home "$dir/v"
check 2 "join --id-number in a case that binds no identity (SPEC §13.3)" "$parley" join "$case" \
    --home "$dir/v" --id-number 11010519491231002X
check 0 "join" "$parley" join "$case" --home "$dir/v"
check 2 "opinion with an unknown topic" "$parley" opinion "$case" --topic weather --text x \
    --home "$dir/v"
# issue 15 §4: on a terminal an act shows what it will sign and asks; "n"
# sends nothing (a pseudo-terminal stands in for the person)
pty_act() { # answer command...: prints what the command showed, exits with its status
    python3 - "$@" <<'PY'
import os, pty, select, signal, sys, time
answer = sys.argv[1].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out, sent, end = b"", False, time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not sent and b"[y/N]" in out:
            os.write(fd, answer)
            sent = True
if time.time() >= end:
    os.kill(pid, signal.SIGKILL)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
}
check 1 "an act on a terminal answered no exits 1" pty_act n "$parley" opinion "$case" --topic other \
    --text "Never sent." --home "$dir/v"
contains "it shows the signer, the case and the text, and asks" "Sign and send? [y/N]" cat "$out"
contains "naming the signer's role" "(victim, " cat "$out"
contains "and the text" "Never sent." cat "$out"
contains "and says nothing was sent" "nothing was signed or sent" cat "$out"
contains "the question in Chinese" "确认签署并发送？[y/N]" pty_act n /usr/bin/env -u LANGUAGE -u LC_ALL \
    -u LC_MESSAGES LANG=zh_CN.UTF-8 "$parley" opinion "$case" --topic other --text "Never sent." \
    --home "$dir/v"
if "$parley" log "$case" --home "$dir/v" | grep -q "Never sent"; then
    fail=$((fail + 1)); echo "FAIL: an act answered no was sent"; else pass=$((pass + 1)); fi
# SPEC §13.7 (v2): a compensation demand as a number, in yuan where typed
check 2 "--amount with another topic" "$parley" opinion "$case" --topic facts --amount 100 \
    --text x --home "$dir/v"
check 2 "--amount of 0" "$parley" opinion "$case" --topic compensation --amount 0 --text x \
    --home "$dir/v"
check 2 "--amount that is not an amount" "$parley" opinion "$case" --topic compensation \
    --amount 3e4 --text x --home "$dir/v"
op=$("$parley" opinion "$case" --topic compensation --amount 30000.5 --text "Compensated in full." \
    --home "$dir/v" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$op" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: opinion"; }
contains "the log shows the sum demanded" "30,000.50 yuan demanded: Compensated in full." \
    "$parley" log "$case" --home "$dir/v"
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
check 0 "respond, confirmed on a terminal" pty_act y "$parley" respond "$case" \
    "$(echo "$op" | cut -c1-12)" --decision adopted --reasons "Compensation noted." --home "$home"
contains "the confirmed act was asked first" "Sign and send? [y/N]" cat "$out"
check 1 "--yes: a terminal is not asked (the rules still refuse)" pty_act n "$parley" opinion \
    "$case" --topic other --text x --home "$home" --yes
if grep -q "y/N" "$out"; then fail=$((fail + 1)); echo "FAIL: --yes still asked"; else
    pass=$((pass + 1)); fi
contains "and the refusal is the rule's" "PL_E_ROLE" cat "$out"
printf 'breath test record\n' >"$dir/evidence-1.txt"
check 2 "disclose of a missing file" "$parley" disclose "$case" "$dir/none.txt" --home "$home"
check 0 "disclose (SPEC §13.12)" "$parley" disclose "$case" "$dir/evidence-1.txt" --home "$home"
disc=$("$parley" log "$case" --home "$home" | awk '/ disclose /{for(i=1;i<=NF;i++) if($i=="id") print $(i+1)}' | tr -d '…')
contains "the victim may not acknowledge a disclosure (SPEC §13.12)" "PL_E_ROLE" \
    "$parley" ack "$case" "$disc" "$dir/evidence-1.txt" --home "$dir/v"
check 2 "ack names the files received" "$parley" ack "$case" "$disc" --home "$dir/v"
printf 'breath test record, altered\n' >"$dir/evidence-x.txt"
contains "ack checks every item's hash and size first (SPEC §13.12)" "is not among the files given" \
    "$parley" ack "$case" "$disc" "$dir/evidence-x.txt" --home "$dir/v"
check 1 "ack of an item that does not match exits 1" "$parley" ack "$case" "$disc" \
    "$dir/evidence-x.txt" --home "$dir/v"
check 2 "ack of a message that is not a disclosure" "$parley" ack "$case" "$(echo "$op" | cut -c1-12)" \
    "$dir/evidence-1.txt" --home "$dir/v"
check 2 "session-propose with a bad time" "$parley" session-propose "$case" --time tomorrow \
    --venue "Room 3" --mode in_person --home "$home"
check 2 "session-propose with an hour of one digit" "$parley" session-propose "$case" \
    --time 2026-12-03T9:30 --venue "Room 3" --mode in_person --home "$home"
check 2 "session-propose with an offset beyond 14 hours" "$parley" session-propose "$case" \
    --time 2026-12-03T09:30+15:00 --venue "Room 3" --mode in_person --home "$home"
# issue 15 §1: a time typed without a zone is local: Beijing time when TZ
# is unset (09:30 there is 01:30 UTC)
check 0 "session-propose" env -u TZ "$parley" session-propose "$case" --time 2026-12-03T09:30 \
    --venue "Detention centre no. 2" --mode in_person --detention-facility --public --home "$home"
json_is "the session's time is 09:30 Beijing time, 01:30 UTC" \
    'any(e["type"] == "session-propose" and e["body"]["time_ms"] == 1796261400000 for e in d["timeline"])' \
    "$parley" log "$case" --home "$home" --json
prop=$("$parley" log "$case" --home "$home" | awk '/ session-propose /{for(i=1;i<=NF;i++) if($i=="id") print $(i+1)}' | tr -d '…')
check 2 "session-decline without reasons" "$parley" session-decline "$case" "$prop" --home "$dir/v"
check 1 "the proposer's own side may not accept (R6, SPEC §13.11)" "$parley" session-accept \
    "$case" "$prop" --public --home "$home"
contains "the prosecution gives no word for the victim (SPEC §13.11)" "PL_E_ROLE" \
    "$parley" publicity "$case" "$prop" --agrees yes --home "$home"
check 1 "a refusal of publicity on a terminal answered no exits 1" pty_act n "$parley" publicity \
    "$case" "$prop" --agrees no --home "$dir/v"
contains "the question says which word is given (SPEC §13.11)" \
    "the victim DOES NOT consent to public observation of the session" cat "$out"
check 0 "the victim consents to public observation (SPEC §13.11)" "$parley" publicity "$case" \
    "$prop" --agrees yes --home "$dir/v"
check 1 "only the observer observes (SPEC §13.13)" "$parley" observe "$case" --text "I was there" \
    --home "$dir/v"
check 2 "recording without --media" "$parley" recording "$case" "$prop" "$dir/evidence-1.txt" \
    --home "$home"
check 2 "recording of a missing file" "$parley" recording "$case" "$prop" "$dir/none.ogg" \
    --media audio/ogg --home "$home"
contains "a recording needs an accepted session (R12, SPEC §13.17)" "PL_E_RECORDING" \
    "$parley" recording "$case" "$prop" "$dir/evidence-1.txt" --media audio/ogg --home "$home"
check 2 "draw-commit with a bad round" "$parley" draw-commit "$case" --round x --home "$home"
contains "no draw when the charter names the observer (SPEC §13.13)" "PL_E_DRAW" \
    "$parley" draw-commit "$case" --home "$home"
contains "the victim does not draw (SPEC §13.13)" "PL_E_ROLE" \
    "$parley" draw-commit "$case" --round 2 --home "$dir/v"
contains "a reveal needs this node's commitment" "holds no commitment of round 3" \
    "$parley" draw-reveal "$case" --round 3 --home "$home"
check 1 "draw-reveal without a commitment exits 1" "$parley" draw-reveal "$case" --round 3 \
    --home "$home"
check 0 "draw-commit --help" "$parley" draw-commit --help
check 0 "recording --help" "$parley" recording --help
check 1 "retract with no final agreement (SPEC §13.15)" "$parley" retract "$case" \
    --reasons "changed my mind" --stage review --home "$home"
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
# issue 12 §8: case data is written 0600 whatever the umask
(umask 022 && "$parley" export "$case" -o "$dir/case-umask.log" --home "$home" >/dev/null)
check 0 "an export is mode 0600 under umask 022" test "$(stat -c %a "$dir/case-umask.log")" = 600
(umask 022 && "$parley" report "$dir/case.log" -o "$dir/report-umask.txt" >/dev/null)
check 0 "a report -o is mode 0600 under umask 022" test "$(stat -c %a "$dir/report-umask.txt")" = 600
contains "the timeline holds the response" "response" "$parley" verify "$dir/case.log" --timeline
check 0 "log" "$parley" log "$case" --home "$dir/v"
contains "log shows which input a response answers" "answers #3 (opinion)" \
    "$parley" log "$case" --home "$home"
json "log --json" "$parley" log "$case" --home "$home" --json
check 1 "log of an unknown case" "$parley" log deadbeefdeadbeef --home "$home"

# The defense's node (suspect and counsel keys) dials in, counters the
# prosecution's offer, and both sides sign: the timeline's terms diff (SPEC
# §15.5), log --json, the certificate (SPEC §16) and the report from the node.
await() { # description home text: wait until the case's log on that node shows the text
    i=0
    until "$parley" log "$case" --home "$2" 2>/dev/null | grep -qF -- "$3"; do
        i=$((i + 1))
        [ $i -gt 600 ] && { fail=$((fail + 1)); echo "FAIL: $1"; return 1; }
        sleep 0.05
    done
}
short() { echo "$1" | cut -c1-16; }
mkdir -m 700 "$dir/d"
"$parleyd" --home "$dir/d" --key "$dir/s/key" --key "$dir/c/key" --passphrase-file "$dir/pass" \
    --peer "$key@$ep" --log-level warn 2>"$dir/d.log" &
dpid=$!
await "the defense's node never learned the case" "$dir/d" "$(short "$offer")"
check 2 "--as a role the node holds no key of" "$parley" join "$case" --as victim --home "$dir/d"
check 2 "--as a prefix of no key of the node" "$parley" join "$case" --as 00000000 --home "$dir/d"
check 0 "join as the suspect (--as its key)" "$parley" join "$case" --as "$sk" --home "$dir/d"
check 0 "join as counsel (--as its role)" "$parley" join "$case" --as counsel --home "$dir/d"
# parley wait (issue 15 §4): counsel's join, on the defense's node, until
# the prosecution's node holds it (its ACK)
cj=$("$parley" log "$case" --home "$dir/d" --json | python3 -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin)["timeline"] if e["type"] == "join"][-1])')
json_is "wait until a peer holds the message" "d['held'] and len(d['peers']) >= 1" \
    "$parley" wait "$case" "$(echo "$cj" | cut -c1-12)" --home "$dir/d" --json
check 1 "wait for more peers than there are times out" "$parley" wait "$case" "$cj" \
    --home "$dir/d" --peers 9 --timeout 1
check 1 "wait for a message the case lacks" "$parley" wait "$case" deadbeefdeadbeef --home "$dir/d"
check 2 "wait for a non-id" "$parley" wait "$case" xyz --home "$dir/d"
check 2 "wait with a bad --timeout" "$parley" wait "$case" "$cj" --home "$dir/d" --timeout 0
# one rule for ids (issue 15 §4): a message the case lacks is 1, as a case
# the node lacks is; something that is no id at all is 2
check 1 "an act naming a message the case lacks" "$parley" respond "$case" deadbeefdeadbeef \
    --decision adopted --reasons x --home "$home"
check 2 "an act naming no id at all" "$parley" respond "$case" xyz --decision adopted \
    --reasons x --home "$home"
# SPEC §13.2, §13.3: a charter that binds the suspect's seat; the suspect
# joins only with the number, and only in a fixed session
bcase=$(echo 11010519491231002X | "$parley" case-create --home "$home" --json \
    --title "Case 2: the suspect's identity" --participant prosecution:$key:Wang \
    --participant "suspect:$sk:Li Ming" --participant counsel:$ck:Zhao --id-number - |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["case"])')
i=0
until "$parley" cases --home "$dir/d" --json 2>/dev/null | grep -q "$bcase"; do
    i=$((i + 1))
    [ $i -gt 600 ] && { fail=$((fail + 1)); echo "FAIL: the defense's node never learned case 2"; break; }
    sleep 0.05
done
# status --case: the waiting list of that case alone (the web app's case
# page): two cases hosted, one judged
json_is "status --case lists only that case" \
    "[w['case'] for w in d['waiting']] == ['$bcase']" \
    "$parley" status --home "$home" --case "$(echo "$bcase" | cut -c1-12)" --json
json_is "status without --case lists every case" "len(d['waiting']) >= 2" \
    "$parley" status --home "$home" --json
check 1 "status --case of a case the node lacks" "$parley" status --home "$home" \
    --case deadbeefdeadbeef
check 2 "status --case of a non-id" "$parley" status --home "$home" --case xyz
check 2 "the suspect's join without --id-number in a bound case" "$parley" join "$bcase" \
    --as suspect --home "$dir/d"
contains "the refusal says what to give" "--id-number" "$parley" join "$bcase" --as suspect \
    --home "$dir/d"
check 1 "the suspect's join with another person's number" "$parley" join "$bcase" \
    --as suspect --home "$dir/d" --id-number E12345678
check 1 "the suspect's join before any session is fixed" "$parley" join "$bcase" \
    --as suspect --home "$dir/d" --id-number 11010519491231002X
contains "the refusal says a session must be fixed first" "no session is fixed yet" \
    "$parley" join "$bcase" --as suspect --home "$dir/d" --id-number 11010519491231002X
check 1 "export --cert before any agreement" "$parley" export "$case" --cert -o "$dir/early.cert" \
    --home "$home"
contains "export --cert says the case is not final, and its state" \
    "the case has no final agreement yet (state: pending)" \
    "$parley" export "$case" --cert -o "$dir/early.cert" --home "$home"
[ ! -e "$dir/early.cert" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: a refused certificate was written"; }
counter=$("$parley" offer "$case" --answers "$(short "$offer")" --charge "133-1:dangerous driving" \
    --procedure speedy --grounds confession,compensation --facts "150 mg/100 ml; no accident" \
    --penalty detention:2 --probation 4 --fine 3000 --as "$ck" --home "$dir/d" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$counter" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: counter-offer"; }
await "the counter-offer never reached the prosecution" "$home" "$(short "$counter")"
check 0 "respond to the counter-offer (R3)" "$parley" respond "$case" "$(short "$counter")" \
    --decision partly_adopted --reasons "Probation accepted; the fine stays." --home "$home"
renewed=$(offer_cmd --answers "$(short "$counter")" --penalty detention:3 --probation 3 --fine 4000 \
    --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$renewed" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the new offer"; }
contains "the timeline shows what the counter-offer changes (SPEC §15.5)" \
    "changes  penalty: criminal detention 4 → 2 months; probation: none → 4 months; fine: 5,000.00 → 3,000.00 yuan" \
    "$parley" log "$case" --home "$home"
contains "and what the prosecution's new offer changes against it" \
    "changes  penalty: criminal detention 2 → 3 months; probation: 4 → 3 months; fine: 3,000.00 → 4,000.00 yuan" \
    "$parley" log "$case" --home "$home"
"$parley" log "$case" --home "$home" --json >"$dir/log.json"
json "log --json with a counter-offer" cat "$dir/log.json"
export CASE=$case OFFER=$offer COUNTER=$counter OPINION=$op CK=$ck
json_is "log --json: the counter-offer's author: key, role, name" \
    'entry(env["COUNTER"])["author"] == {"public_key": env["CK"], "role": "counsel",
        "name": "Zhao", "fingerprint": entry(env["COUNTER"])["author"]["fingerprint"]}' \
    cat "$dir/log.json"
json_is "log --json: the counter-offer answers the offer, verdict ok" \
    'entry(env["COUNTER"])["type"] == "offer" and entry(env["COUNTER"])["verdict"] == "ok" and
        entry(env["COUNTER"])["refers_to"]["relation"] == "answers" and
        entry(env["COUNTER"])["refers_to"]["id"] == env["OFFER"] and
        entry(env["COUNTER"])["refers_to"]["type"] == "offer"' \
    cat "$dir/log.json"
json_is "log --json: the counter-offer's diff, detention 4 → 2" \
    '[(c["field"], c["change"]) for c in entry(env["COUNTER"])["changes"]] == [
        ("penalty", "criminal detention 4 \u2192 2 months"), ("probation", "none \u2192 4 months"),
        ("fine", "5,000.00 \u2192 3,000.00 yuan")]' \
    cat "$dir/log.json"
json_is "log --json: the counter-offer's terms as an object (SPEC §15.2: months, fen)" \
    'entry(env["COUNTER"])["body"]["terms"]["penalty"] == {"kind": "detention", "min": 2, "max": 2}
        and entry(env["COUNTER"])["body"]["terms"]["probation"] == 4
        and entry(env["COUNTER"])["body"]["terms"]["fine"] == 300000
        and entry(env["COUNTER"])["body"]["terms"]["grounds"] == ["compensation", "confession"]' \
    cat "$dir/log.json"
json_is "log --json: a first offer answers nothing and has no diff" \
    'entry(env["OFFER"])["changes"] is None and entry(env["OFFER"])["refers_to"] is None' \
    cat "$dir/log.json"
json_is "log --json: the opinion's topic, text and author; time in ms and ISO 8601" \
    'entry(env["OPINION"])["body"] == {"topic": "compensation", "text": "Compensated in full.", "amount": 3000050}
        and entry(env["OPINION"])["author"]["role"] == "victim"
        and entry(env["OPINION"])["author"]["name"] == "Chen"
        and round(__import__("datetime").datetime.strptime(entry(env["OPINION"])["time"],
            "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=__import__("datetime").timezone.utc)
            .timestamp() * 1000) == entry(env["OPINION"])["timestamp_ms"]' \
    cat "$dir/log.json"
json_is "log --json: the response to the counter-offer, with its decision and reasons" \
    'any(x["type"] == "response" and x["refers_to"]["id"] == env["COUNTER"] and x["body"] ==
        {"decision": "partly_adopted", "reasons": "Probation accepted; the fine stays."}
        for x in d["timeline"])' \
    cat "$dir/log.json"
json_is "log --json: the case, verified, every message numbered in display order" \
    'd["case"] == env["CASE"] and d["valid"] is True and
        [x["n"] for x in d["timeline"]] == list(range(1, d["received"] + 1))' \
    cat "$dir/log.json"
psig=$("$parley" sign "$case" "$(short "$renewed")" --home "$home" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$psig" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the prosecution signs its new offer"; }
await "the prosecution's signature never reached the defense" "$dir/d" "$(short "$psig")"
check 1 "export --cert while only the prosecution signed" "$parley" export "$case" --cert \
    -o "$dir/early.cert" --home "$home"
contains "the suspect signs only in a fixed session (SPEC §13.9 F0)" "no session is fixed yet" \
    "$parley" sign "$case" "$(short "$renewed")" --as "$sk" --home "$dir/d"
check 0 "counsel accepts the session the suspect will sign in" "$parley" session-accept "$case" \
    "$prop" --as "$ck" --home "$dir/d"
# the rights notice (SPEC §13.24): the prosecution records it by hash, the
# suspect acknowledges only the file whose hash it names
printf 'Rights notice for Li\n' >"$dir/notice.txt"
printf 'Another paper\n' >"$dir/other.txt"
notice=$("$parley" notice "$case" "$dir/notice.txt" --language zh --text "the statement becomes void" \
    --json --home "$home" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$notice" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: notice"; }
await "the notice never reached the defense" "$dir/d" "$(short "$notice")"
contains "the suspect acknowledges only the notice it was handed" "nothing was sent" \
    "$parley" notice-ack "$case" "$(short "$notice")" "$dir/other.txt" --as "$sk" --home "$dir/d"
contains "counsel cannot acknowledge for the suspect (SPEC §13.24)" "PL_E_ROLE" \
    "$parley" notice-ack "$case" "$(short "$notice")" "$dir/notice.txt" --as "$ck" --home "$dir/d"
check 0 "the suspect acknowledges the rights notice" "$parley" notice-ack "$case" \
    "$(short "$notice")" "$dir/notice.txt" --as "$sk" --home "$dir/d"
# a settlement (SPEC §13.25): the victim proposes her letter of
# forgiveness by hash; the defense accepts it only as it is, with the same
# file; the certificate then shows it
printf 'Letter of forgiveness, signed by Chen\n' >"$dir/letter.txt"
check 2 "settle without --kind, --agreed or --paid" "$parley" settle "$case" "$dir/letter.txt" \
    --home "$dir/v"
check 2 "settle paying more than agreed" "$parley" settle "$case" "$dir/letter.txt" --kind letter \
    --agreed 100 --paid 200 --home "$dir/v"
check 2 "settle of an unknown kind" "$parley" settle "$case" "$dir/letter.txt" --kind promise \
    --agreed 0 --paid 0 --home "$dir/v"
contains "the prosecution is no party to a settlement (SPEC §13.25)" "PL_E_ROLE" \
    "$parley" settle "$case" "$dir/letter.txt" --kind letter --agreed 0 --paid 0 --home "$home"
letter=$("$parley" settle "$case" "$dir/letter.txt" --kind letter --agreed 0 --paid 0 --forgiveness \
    --json --home "$dir/v" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$letter" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: settle"; }
await "the victim's settlement never reached the defense" "$dir/d" "$(short "$letter")"
contains "an acceptance needs the document the victim signed" "nothing was sent" \
    "$parley" settle "$case" "$dir/other.txt" --accepts "$(short "$letter")" --as "$ck" --home "$dir/d"
contains "an acceptance cannot drop the forgiveness it signs" "your flags do not" \
    "$parley" settle "$case" "$dir/letter.txt" --accepts "$(short "$letter")" --kind letter \
    --as "$ck" --home "$dir/d"
contains "an acceptance cannot change the amount" "--paid differs" \
    "$parley" settle "$case" "$dir/letter.txt" --accepts "$(short "$letter")" --paid 5 --as "$ck" \
    --home "$dir/d"
check 2 "settle --withdraw without reasons" "$parley" settle "$case" --withdraw "$(short "$letter")" \
    --home "$dir/v"
contains "counsel cannot withdraw the victim's proposal (SPEC §13.25)" "PL_E_SETTLEMENT" \
    "$parley" settle "$case" --withdraw "$(short "$letter")" --reasons "not ours" --as "$ck" \
    --home "$dir/d"
accepted=$("$parley" settle "$case" "$dir/letter.txt" --accepts "$(short "$letter")" --as "$ck" \
    --home "$dir/d" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$accepted" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: counsel accepts the victim's letter as it is"; }
await "counsel's acceptance never reached the victim" "$dir/v" "$(short "$accepted")"
contains "a made settlement is not withdrawn, said before anything is sent (SPEC §13.25)" \
    "was accepted by the other party" \
    "$parley" settle "$case" --withdraw "$(short "$letter")" --reasons "changed my mind" --home "$dir/v"
# a minor's guardian (SPEC §13.26): the verb's usage, and only a guardian
# key may send it
check 2 "consent without --agrees" "$parley" consent "$case" "$(short "$renewed")" --home "$dir/d"
check 2 "consent with --agrees maybe" "$parley" consent "$case" "$(short "$renewed")" --agrees maybe \
    --home "$dir/d"
contains "counsel cannot consent for the guardian (SPEC §13.26)" "PL_E_ROLE" \
    "$parley" consent "$case" "$(short "$renewed")" --agrees yes --as "$ck" --home "$dir/d"
# the victim's word on public observation (SPEC §13.11): the usage, and
# only a victim may give it
check 2 "publicity without --agrees" "$parley" publicity "$case" "$(short "$case")" --home "$dir/d"
check 2 "publicity with --agrees perhaps" "$parley" publicity "$case" "$(short "$case")" \
    --agrees perhaps --home "$dir/d"
# the interpreter (SPEC §13.27): the verb's usage, and only an interpreter
# key may send it
check 2 "interpret without an offer" "$parley" interpret "$case" --home "$dir/d"
check 2 "interpret into no language tag" "$parley" interpret "$case" "$(short "$renewed")" \
    --language "zh CN" --home "$dir/d"
contains "counsel cannot interpret (SPEC §13.27)" "PL_E_ROLE" \
    "$parley" interpret "$case" "$(short "$renewed")" --as "$ck" --home "$dir/d"
check 0 "the suspect signs" "$parley" sign "$case" "$(short "$renewed")" --as "$sk" --home "$dir/d"
check 2 "counsel signs only as witness (SPEC §13.9 F0)" "$parley" sign "$case" \
    "$(short "$renewed")" --as "$ck" --home "$dir/d"
check 2 "the suspect does not witness" "$parley" sign "$case" "$(short "$renewed")" --as "$sk" \
    --witness --home "$dir/d"
check 0 "counsel signs as witness" "$parley" sign "$case" "$(short "$renewed")" --as "$ck" \
    --witness --home "$dir/d"
await "the agreement never became final on the prosecution's node" "$home" "agreement   final"
RENEWED=$renewed json_is "log --json: final, on the new offer; the last signature made it so" \
    'd["agreement"]["state"] == "final" and d["agreement"]["offer"] == env["RENEWED"] and
        d["timeline"][-1]["type"] == "sign" and d["timeline"][-1]["agreement"]["state"] == "final"
        and d["timeline"][-2]["agreement"]["state"] == "pending"' \
    "$parley" log "$case" --home "$home" --json
check 0 "export --cert once final (SPEC §16)" "$parley" export "$(short "$case")" --cert \
    -o "$dir/agreement.cert" --home "$home"
check 0 "the certificate verifies offline (SPEC §16.3)" "$parley" verify "$dir/agreement.cert"
contains "the certificate holds the agreed terms" \
    "criminal detention 3 months, probation 3 months, fine 4,000.00 yuan" \
    "$parley" verify "$dir/agreement.cert"
contains "the certificate shows the settlement both signed (SPEC §16.3)" \
    "settlement  letter of forgiveness: compensation agreed 0.00 yuan, paid 0.00 yuan; the victim forgives" \
    "$parley" verify "$dir/agreement.cert"
contains "the certificate names who accepted it (SPEC §13.25)" "accepted by counsel Zhao" \
    "$parley" verify "$dir/agreement.cert"
json_is "verify --json lists the settlement and both signers" \
    'len(d["settlements"]) == 1 and d["settlements"][0]["kind"] == "letter" and
        d["settlements"][0]["forgiveness"] is True and
        [s["role"] for s in d["settlements"][0]["signed_by"]] == ["victim", "counsel"]' \
    "$parley" verify "$dir/agreement.cert" --json
check 1 "export --cert does not replace a file without --force" "$parley" export "$case" --cert \
    -o "$dir/agreement.cert" --home "$home"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 1; open(sys.argv[2], "wb").write(b)' \
    "$dir/agreement.cert" "$dir/flipped.cert"
check 1 "a certificate with one byte flipped is refused" "$parley" verify "$dir/flipped.cert"
check 0 "report CASE from the node" "$parley" report "$(short "$case")" --home "$home"
contains "the report shows the procuratorate's deadline (SPEC §13.2)" \
    "decides on prosecution by 2027-01-15" "$parley" report "$(short "$case")" --home "$home"
contains "report CASE: the answer to the counter-offer" "partly_adopted after" \
    "$parley" report "$(short "$case")" --home "$home"
json "report CASE --json" "$parley" report "$case" --home "$home" --json
json_is "the report states the suspect's particulars (SPEC §13.2, §17.2 item 15)" \
    'd["suspect"]["birth"] == "1985-03-02" and d["suspect"]["nationality"] == "CHN" and
        d["suspect"]["language"] == "zh-CN" and d["suspect"]["interpreter_needed"] is False and
        d["language"] == "zh" and d["closed"] is None and d["agreement"]["interpreter"] == []' \
    "$parley" report "$case" --home "$home" --json
contains "verify shows them too" "born 1985-03-02, nationality CHN, understands zh-CN" \
    "$parley" verify "$dir/agreement.cert"
contains "and the language of the proceedings (SPEC §16.3)" "the proceedings are in zh" \
    "$parley" verify "$dir/agreement.cert"
# SPEC §16.5: a number given for a charter that binds none is not accepted
check 1 "verify --id-number of a certificate that binds no identity" "$parley" verify \
    "$dir/agreement.cert" --id-number 11010519491231002X
contains "and says why" "NOT CHECKED: the charter binds no identity document" \
    "$parley" verify "$dir/agreement.cert" --id-number 11010519491231002X
check 0 "report CASE --html" "$parley" report "$case" --home "$home" --html -o "$dir/report.html"
contains "report CASE --html: the chart of the proposals" '<svg id="penalty-chart"' cat "$dir/report.html"
"$parley" export "$case" -o "$dir/final.log" --home "$home" >/dev/null
"$parley" report "$dir/final.log" --json >"$dir/report-file.json"
"$parley" report "$case" --home "$home" --json >"$dir/report-node.json"
check 0 "report CASE is the report of the exported log" cmp "$dir/report-file.json" "$dir/report-node.json"
check 1 "report of a case the node lacks" "$parley" report deadbeefdeadbeef --home "$home"
contains "report of an unknown case says so" "no case matches 'deadbeefdeadbeef'" \
    "$parley" report deadbeefdeadbeef --home "$home"
check 2 "report of neither a file nor a case" "$parley" report "$dir/no-such.log" --home "$home"
contains "report of neither a file nor a case says so" "there is no file" \
    "$parley" report "$dir/no-such.log" --home "$home"
# After the final agreement: the defense retracts it before judgment (R10,
# SPEC §13.15), a new round opens; a side's withdrawal of the other side's
# offer is refused; the prosecution withdraws its own offer, then leaves the
# negotiation (R5, SPEC §13.10); answering what is not an input is refused.
# The court's request (SPEC §13.16 v2): recorded by the prosecution, it
# changes nothing until answered; declined by a response, the agreement
# stays final.
printf 'Court A: adjust the fine\n' >"$dir/court.pdf"
check 2 "court-adjust without a ground" "$parley" court-adjust "$case" "$dir/court.pdf" \
    --court "Court A" --text "lower the fine" --home "$home"
check 2 "court-adjust with an unknown ground" "$parley" court-adjust "$case" "$dir/court.pdf" \
    --court "Court A" --ground because --text "lower the fine" --home "$home"
req=$("$parley" court-adjust "$case" "$dir/court.pdf" --court "Court A" --ground clearly_improper \
    --text "The court finds the fine too high." --json --home "$home" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$req" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: court-adjust"; }
contains "the request alone leaves the agreement final" "prosecution has not answered yet" \
    "$parley" log "$case" --home "$home"
check 2 "reopen on the court's request must name it" "$parley" reopen "$case" "$dir/court.pdf" \
    --ground court_request --reasons x --home "$home"
check 2 "reopen on new facts names no request" "$parley" reopen "$case" "$dir/court.pdf" \
    --ground new_facts --request "$(short "$req")" --reasons x --home "$home"
check 0 "the prosecution declines the court's request" "$parley" respond "$case" "$(short "$req")" \
    --decision not_adopted --reasons "The fine is within the statutory range." --home "$home"
contains "declined, the agreement stays final" "agreement   final" \
    "$parley" log "$case" --home "$home"
await "the court's request never reached the defense" "$dir/d" "$(short "$req")"
check 2 "retract without reasons" "$parley" retract "$case" --stage review --as "$sk" \
    --home "$dir/d"
check 2 "retract without its stage (SPEC §13.15 v2)" "$parley" retract "$case" --reasons x \
    --as "$sk" --home "$dir/d"
check 2 "retract at an unknown stage" "$parley" retract "$case" --reasons x --stage appeal \
    --as "$sk" --home "$dir/d"
contains "the prosecution may not retract (SPEC §13.15)" "PL_E_ROLE" \
    "$parley" retract "$case" --reasons "no" --stage review --home "$home"
contains "counsel may not retract the suspect's plea (SPEC §13.15 v2)" "PL_E_ROLE" \
    "$parley" retract "$case" --reasons "I advise against it" --stage review --as "$ck" \
    --home "$dir/d"
check 0 "the suspect withdraws the plea (R10)" "$parley" retract "$case" \
    --reasons "The suspect wants to consult his family first." --stage review --as "$sk" \
    --home "$dir/d"
await "the retraction never reached the prosecution" "$home" "agreement   retracted"
contains "status says the plea statement is void (SPEC §13.15)" "the plea statement is void" \
    "$parley" log "$case" --home "$home"
check 2 "withdraw without reasons" "$parley" withdraw "$case" --home "$home"
check 2 "withdraw of a message that is not an offer" "$parley" withdraw "$case" \
    --offer "$(short "$op")" --reasons x --home "$home"
round2=$(offer_cmd --penalty detention:3 --probation 3 --fine 4000 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ -n "$round2" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: an offer in the new round"; }
await "the new round's offer never reached the defense" "$dir/d" "$(short "$round2")"
contains "a side withdraws only its own offers (SPEC §13.10)" "refused, nothing was sent: PL_E_ROLE" \
    "$parley" withdraw "$case" --offer "$(short "$round2")" --reasons "not ours" --as "$ck" \
    --home "$dir/d"
check 0 "the prosecution withdraws its offer (R5)" "$parley" withdraw "$case" \
    --offer "$(short "$round2")" --reasons "New evidence on the blood test." --home "$home"
contains "respond to a message that is not an input (SPEC §13.8)" "refused, nothing was sent: PL_E_" \
    "$parley" respond "$case" "$(short "$round2")" --decision adopted --reasons x --home "$home"
check 2 "respond with an unknown decision" "$parley" respond "$case" "$(short "$counter")" \
    --decision maybe --reasons x --home "$home"
check 0 "the prosecution leaves the negotiation (R5)" "$parley" withdraw "$case" \
    --reasons "The case goes to ordinary trial." --home "$home"
await "the state never became withdrawn" "$home" "agreement   withdrawn"
# the HTML report shows it (issue 15 §3): the withdrawn offer crossed out on
# the chart, the new round's line, and the unilateral acts in their table
check 0 "report --html of a case with a retraction, a new round and withdrawals" "$parley" report \
    "$case" --home "$home" --html -o "$dir/rounds.html"
contains "the chart marks the withdrawn offer" 'class="prosecution withdrawn"' cat "$dir/rounds.html"
contains "the chart marks the new round" 'class="round"' cat "$dir/rounds.html"
contains "the unilateral acts list the retraction" '<td>retract' cat "$dir/rounds.html"
contains "and the withdrawal" '<td>withdraw' cat "$dir/rounds.html"
contains "after leaving, a side cannot close the round (SPEC §13.10)" "refused, nothing was sent" \
    "$parley" close "$case" --home "$home"
# The court's judgment (SPEC §13.23): both sides record it by the hash of
# its document; one side's record alone is shown as unconfirmed.
printf 'Judgment of Court A\n' >"$dir/judgment.pdf"
check 2 "judgment without --adopted" "$parley" judgment "$case" "$dir/judgment.pdf" \
    --court "Court A" --date 2026-11-30 --home "$home"
check 2 "judgment on an impossible date" "$parley" judgment "$case" "$dir/judgment.pdf" \
    --court "Court A" --date 2026-02-30 --adopted no --home "$home"
contains "nothing to adopt after a withdrawal (SPEC §13.23)" "PL_E_NOT_FINAL" \
    "$parley" judgment "$case" "$dir/judgment.pdf" --court "Court A" --date 2026-11-30 \
    --adopted yes --home "$home"
check 0 "the prosecution records the judgment" "$parley" judgment "$case" "$dir/judgment.pdf" \
    --court "Court A" --date 2026-11-30 --adopted no --home "$home"
contains "one side's judgment is unconfirmed" "recorded by one side only" \
    "$parley" log "$case" --home "$home"
await "the judgment never reached the defense" "$dir/d" "judgment of Court A"
check 0 "counsel records the same judgment" "$parley" judgment "$case" "$dir/judgment.pdf" \
    --court "Court A" --date 2026-11-30 --adopted no --as "$ck" --home "$dir/d"
contains "both sides' judgment closes the case" "judged: the court did not adopt" \
    "$parley" log "$case" --home "$dir/d"
# ---- parley offer --terms FILE through a node (SPEC §15.1, §15.3), in a
# case of its own: the same terms from a file, from the flags and from the
# object `parley log --json` prints for an offer are the same bytes, so the
# same terms hash; unlawful terms from a file send nothing.
examples=$(dirname "$0")/../../examples/terms
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "${1:-id}"; }
tcase=$("$parley" case-create --home "$home" --title "Case 1: terms files" --json \
    --participant prosecution:$key:Wang --participant suspect:$sk:Li \
    --participant counsel:$ck:Zhao --participant victim:$vk:Chen --participant observer:$ok:Liu |
    id_of case)
t_file=$("$parley" offer "$tcase" --terms "$examples/case1-final.json" --home "$home" --json | id_of)
[ -n "$t_file" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: offer --terms FILE"; }
t_flags=$("$parley" offer "$tcase" --charge "133-1:dangerous driving" --procedure speedy \
    --grounds confession --facts "Blood alcohol 150 mg/100 ml; no accident; confessed at once" \
    --penalty detention:2 --probation 3 --fine 4000 --home "$home" --json | id_of)
"$parley" log "$tcase" --home "$home" --json | python3 -c 'import json,sys
print(json.dumps(next(x for x in json.load(sys.stdin)["timeline"] if x["id"] == sys.argv[1])["body"]["terms"], indent=2))' \
    "$t_flags" >"$dir/printed-terms.json"
t_printed=$("$parley" offer "$tcase" --terms - --home "$home" --json <"$dir/printed-terms.json" | id_of)
A=$t_file B=$t_flags C=$t_printed json_is \
    "the terms from a file, the flags and log --json's object have one terms hash (SPEC §15.3)" \
    "entry(env[\"A\"])[\"body\"][\"terms_hash\"] == entry(env[\"B\"])[\"body\"][\"terms_hash\"] == entry(env[\"C\"])[\"body\"][\"terms_hash\"] and entry(env[\"A\"])[\"verdict\"] == \"ok\"" \
    "$parley" log "$tcase" --home "$home" --json
sed 's/"probation": 3/"probation": 14/' "$examples/case1-final.json" >"$dir/probation-14.json"
check 1 "unlawful terms from a file exit 1" "$parley" offer "$tcase" --terms "$dir/probation-14.json" \
    --home "$home"
json_is "and nothing was sent" "d[\"received\"] == 4" "$parley" log "$tcase" --home "$home" --json
# ---- end of parley offer --terms

# SPEC §14.3 (v2): an invitation whose creator is not a key the operator
# configured waits for the operator. The observer's key of Case 1 (which
# the prosecution's node admits for that case) writes a charter naming the
# prosecution's key as the victim's: the node does not host it until its
# operator accepts it.
check 0 "invitations, none yet" "$parley" invitations --home "$home"
json_is "invitations --json, none" 'd == []' "$parley" invitations --home "$home" --json
"$parleyd" --home "$dir/o" --passphrase-file "$dir/pass" --peer "$key@$ep" --log-level warn \
    2>"$dir/o.log" &
opid=$!
i=0
until "$parley" status --home "$dir/o" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: the observer's node did not start"; break; }
    sleep 0.05
done
icase=$("$parley" case-create --home "$dir/o" --title "Case 9: a charter written by another key" \
    --participant prosecution:$ok:Liu --participant counsel:$ck:Zhao \
    --participant suspect:$sk:Li --participant victim:$key:Wang --json | id_of case)
i=0
until "$parley" invitations --home "$home" --json 2>/dev/null | grep -q "$icase"; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "FAIL: the invitation never reached the operator"; break; }
    sleep 0.05
done
contains "invitations names the creator" "created by prosecution Liu" "$parley" invitations --home "$home"
if "$parley" cases --home "$home" --json | grep -q "$icase"; then
    fail=$((fail + 1)); echo "FAIL: the node hosts an invitation nobody accepted"
else
    pass=$((pass + 1))
fi
check 2 "accept of a non-hex case" "$parley" accept zzzzzzzzzz --home "$home"
check 1 "accept of an unknown invitation" "$parley" accept deadbeefdeadbeef --home "$home"
check 0 "accept" "$parley" accept "$(echo "$icase" | cut -c1-12)" --home "$home"
check 0 "the accepted case is hosted" sh -c "'$parley' cases --home '$home' --json | grep -q $icase"
check 1 "decline after accepting" "$parley" decline "$icase" --home "$home"
"$parley" stop --home "$dir/o" >/dev/null
reap "$opid"
opid=

check 0 "stop the defense's node" "$parley" stop --home "$dir/d"
reap "$dpid"
dpid=
json_is "stop --json (the victim's node) says it stopped" "d['stopped'] is True" "$parley" stop --home "$dir/v" --json
reap "$vpid"
vpid=

# the other nodes are gone: this one, with its cases, reaches nobody now
# (a peer's loss is seen within the heartbeat's 6 s)
i=0
until "$parley" status --home "$home" --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["cut_off"] else 1)'; do
    i=$((i + 1))
    [ $i -gt 150 ] && break
    sleep 0.1
done
contains "status warns when no peer is connected" "no peer is connected" "$parley" status --home "$home"
# a --peer flag lasts one run, and parleyd says how to keep it
contains "parleyd warns that --peer is for this run only" "dialled for this run only" cat "$dir/d.log"
check 0 "stop" "$parley" stop --home "$home"
reap "$pid"
rc=$?
pid=
[ $rc -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: parleyd exited $rc after stop"; }
check 1 "stop with no node" "$parley" stop --home "$home"

echo "test_cli_node: $pass passed, $fail failed"
[ $fail -eq 0 ]
