#!/bin/sh
# The `parley` command end to end on the demo's files: exit codes 0 ok,
# 1 failed check, 2 usage or unusable input; --json output parses.
# Usage: test_cli.sh BUILD_DIR DEMO_DIR (the demo must have run).
set -u
build=${1:?build dir}
demo=${2:?demo dir}
parley=$build/cli/parley
out=/tmp/parley-cli-test.$$
. "$(dirname "$0")/cli_lib.sh"

# An equivocation proof to verify: parley-demo-log plays Case 1 offline with
# the demo's keys and forks the prosecution's chain (SPEC §7).
proofs=$(mktemp -d /tmp/parley-cli-proof-XXXXXX)
trap 'rm -rf "$proofs"' EXIT
"$build/tests/parley-demo-log" "$proofs" "$demo/passphrase" "$demo/prosecution.key" \
    "$demo/suspect.key" "$demo/counsel.key" "$demo/victim.key" "$demo/citizen-1.key" \
    >/dev/null || { echo "FAIL: parley-demo-log"; exit 1; }

check 0 "help" "$parley" --help
check 2 "no command" "$parley"
check 2 "unknown command" "$parley" frobnicate
check 0 "version" "$parley" --version
for verb in keygen key verify report; do
    check 0 "$verb --help" "$parley" "$verb" --help
done
check 2 "keygen without -o" "$parley" keygen --passphrase-file "$demo/passphrase"
check 2 "keygen refuses to overwrite" "$parley" keygen -o "$demo/counsel.key" \
    --passphrase-file "$demo/passphrase" --kdf min
# issue 12 §8: a short passphrase is refused unless insisted on; a
# passphrase file others can read draws a warning naming the fix
printf 'short\n' >"$proofs/short"
chmod 600 "$proofs/short"
check 2 "keygen refuses a 5-character passphrase" "$parley" keygen -o "$proofs/short.key" \
    --passphrase-file "$proofs/short" --kdf min
check 1 "nothing is written when the passphrase is refused" test -e "$proofs/short.key"
contains "the refusal says how to insist" "--short-passphrase" "$parley" keygen \
    -o "$proofs/short.key" --passphrase-file "$proofs/short" --kdf min
check 0 "keygen --short-passphrase accepts it" "$parley" keygen -o "$proofs/short.key" \
    --passphrase-file "$proofs/short" --kdf min --short-passphrase
printf 'a long enough passphrase\n' >"$proofs/open"
chmod 644 "$proofs/open"
contains "a readable passphrase file is warned about" "chmod 600" "$parley" keygen \
    -o "$proofs/open.key" --passphrase-file "$proofs/open" --kdf min
chmod 600 "$proofs/open"
if "$parley" keygen -o "$proofs/open2.key" --passphrase-file "$proofs/open" --kdf min 2>&1 |
    grep -q warning; then
    fail=$((fail + 1)); echo "FAIL: a 0600 passphrase file is warned about"
else
    pass=$((pass + 1))
fi
# issue 15 §4: malformed terms flags say what is wrong and the accepted
# forms (they printed nothing); terms in years and months, also in Chinese
check 2 "a charge without a name" "$parley" offer --check --charge 234 --penalty detention:2 \
    --procedure speedy --facts x
contains "the refusal shows the charge's form" "use ARTICLE[/BRACKET]:NAME[:TERM]" "$parley" offer --check \
    --charge 234 --penalty detention:2 --procedure speedy --facts x
check 2 "an unknown penalty kind" "$parley" offer --check --charge 234:x --penalty prison:14 \
    --procedure speedy --facts x
contains "the refusal lists the kinds and the term forms" "imprisonment:1y2m-1y6m" "$parley" offer \
    --check --charge 234:x --penalty prison:14 --procedure speedy --facts x
check 2 "a term with two year parts" "$parley" offer --check --charge 234:x \
    --penalty imprisonment:1y2y --procedure ordinary --facts x
contains "years and months" "14 to 18 months" "$parley" offer --check --charge 234:故意伤害罪 \
    --penalty imprisonment:1y2m-1y6m --procedure ordinary --facts x
contains "years and months in Chinese, written as a judgment writes them" "有期徒刑一年二个月，缓刑二年" \
    env -u LC_ALL -u LC_MESSAGES LANGUAGE=zh_CN LANG=zh_CN.UTF-8 "$parley" offer --check --charge 234:故意伤害罪 \
    --penalty imprisonment:1年2个月 --probation 2年 --procedure ordinary --facts x
# issue 15 §1: the observer report in Chinese, terms as judgments write them
zh_report() { env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$parley" report "$@"; }
for text in "PARLEY 观察员报告" "参与人（各角色的现任者与曾任者）" "拘役二个月，缓刑三个月，并处罚金人民币四千元" \
    "辩护人在场见证" "部分采纳" "观察员抽选（R8）"; do
    contains "the Chinese report holds $text" "$text" zh_report "$demo/case.log"
done
json_is "report --json stays English under a Chinese locale" 'd["agreement"]["state"] == "final" and d["agreement"]["terms"].startswith("criminal detention")' \
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$parley" report "$demo/case.log" --json
# SPEC §15.4 row 15 (version 2): additional penalties alone, 单处罚金
contains "a fine alone, written as a judgment writes it" "单处罚金人民币一万元，适用速裁程序" \
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$parley" offer --check \
    --charge 287-2:帮助信息网络犯罪活动罪 --penalty additional --fine 10000 --procedure speedy --facts x
check 1 "additional penalties alone with none given" "$parley" offer --check --charge 287-2:x \
    --penalty additional --procedure speedy --facts x
contains "names the rule" "PL_E_TERMS_ADDITIONAL" "$parley" offer --check --charge 287-2:x \
    --penalty additional --procedure speedy --facts x
check 1 "a fine alone with probation" "$parley" offer --check --charge 287-2:x \
    --penalty additional --fine 10000 --probation 12 --procedure speedy --facts x
contains "a fine alone with a term is refused, saying why" "has no term" "$parley" offer --check \
    --charge 287-2:x --penalty additional:2 --fine 10000 --procedure speedy --facts x
for f in case2-fine-alone case4-minor-fine-alone; do
    check 0 "examples/terms/$f.json is lawful" "$parley" offer --dry-run \
        --terms "$(dirname "$0")/../../examples/terms/$f.json"
done
# SPEC §15.4 rows 20, 21 (version 2): a minor offender
check 1 "a minor offender's speedy trial is refused" "$parley" offer --check --charge 264:x \
    --penalty detention:2 --procedure speedy --facts x --minor
contains "a minor named a recidivist is refused, naming the article" "art. 65" "$parley" offer \
    --check --charge 264:x --penalty detention:2 --procedure summary --facts x --minor --recidivist
check 0 "a minor offender in the summary procedure is lawful" "$parley" offer --check \
    --charge 264:x --penalty detention:2 --procedure summary --facts x --minor
contains "a deaf offender's summary procedure is refused, naming the article" "CPL art. 215" \
    "$parley" offer --check --charge 264:x --penalty detention:2 --procedure summary --facts x \
    --impairment deaf
check 0 "a deaf and mute offender in the ordinary procedure is lawful" "$parley" offer --check \
    --charge 264:x --penalty detention:2 --procedure ordinary --facts x --impairment deaf,mute
check 2 "an unknown impairment is a usage error" "$parley" offer --check --charge 264:x \
    --penalty detention:2 --procedure ordinary --facts x --impairment lame
contains "Case 4's fine alone in Chinese" "单处罚金人民币一千元，适用简易程序" \
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$parley" offer --dry-run \
    --terms "$(dirname "$0")/../../examples/terms/case4-minor-fine-alone.json"
# SPEC §15.2, §15.5 (version 2): custody credit, written as judgments write it
contains "custody and designated residence credited against detention" \
    "先行羁押六十一日，指定居所监视居住二十日，折抵刑期七十一日" \
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$parley" offer --check \
    --charge 133-1:危险驾驶罪 --penalty detention:2 --fine 4000 --custody-days 61 \
    --designated-residence-days 20 --procedure speedy --facts x
# SPEC §15.4 row 19, §15.7 (version 2): the charge catalogue; ARTICLE/BRACKET
contains "a bracket holds the sentence to its range, the article named" \
    "exceed the 36 months bracket 1 of art. 234 allows" \
    "$parley" offer --check --charge 234/1:故意伤害罪 --penalty imprisonment:4y \
    --procedure ordinary --facts x
check 1 "48 months for art. 287-2 (its only bracket ends at 3 years)" "$parley" offer --check \
    --charge 287-2:帮助信息网络犯罪活动罪 --penalty imprisonment:48 --procedure ordinary --facts x
check 0 "art. 234 without a bracket: 48 months is within the article" "$parley" offer --check \
    --charge 234:故意伤害罪 --penalty imprisonment:48 --procedure ordinary --facts x
check 2 "bracket 0 is no bracket" "$parley" offer --check --charge 234/0:x \
    --penalty imprisonment:4 --procedure ordinary --facts x
contains "custody counts double against surveillance (art. 41)" "custody 10 days (credited 20 days)" \
    "$parley" offer --check --charge 234:x --penalty surveillance:6 --custody-days 10 \
    --procedure summary --facts x
check 2 "custody of 0 days" "$parley" offer --check --charge 133-1:x --penalty detention:2 \
    --custody-days 0 --procedure speedy --facts x
contains "custody of 0 days in a terms file is refused by the rule" "PL_E_TERMS_CUSTODY" sh -c \
    "printf '%s' '{\"charges\":[{\"article\":\"133-1\",\"name\":\"x\"}],\"custody_days\":0,\"facts\":\"x\",\"penalty\":{\"kind\":\"detention\",\"min\":2,\"max\":2},\"procedure\":\"speedy\"}' | '$parley' offer --check --terms -"
# a fine in yuan, fen as decimals (issue 15 §4: one unit where a person types)
contains "a fine with fen" "fine 4,000.50 yuan" "$parley" offer --check --charge 133-1:x \
    --penalty detention:2 --procedure speedy --facts x --fine 4000.5
check 2 "a fine with three decimals" "$parley" offer --check --charge 133-1:x \
    --penalty detention:2 --procedure speedy --facts x --fine 4000.555
contains "the refusal says how to write it" "e.g. 4000 or 4000.50" "$parley" offer --check \
    --charge 133-1:x --penalty detention:2 --procedure speedy --facts x --fine 4e3
# offer --dry-run: the terms in words and their hash, nothing sent (no
# node is needed, a CASE is taken and ignored)
json_is "offer --dry-run gives the terms hash" \
    "d['lawful'] and len(d['terms_hash']) == 64" "$parley" offer deadbeefdeadbeef --dry-run --json \
    --charge 234:x --penalty imprisonment:1y --procedure ordinary --facts x
contains "and says nothing was sent" "nothing was sent" "$parley" offer deadbeefdeadbeef --dry-run \
    --charge 234:x --penalty imprisonment:1y --procedure ordinary --facts x
check 0 "key show" "$parley" key "$demo/counsel.key"
# issue 15 §2: a key's passphrase changes; the key stays the same, and a
# wrong current passphrase changes nothing
ck=$proofs/change.key
printf 'the second passphrase\n' >"$proofs/new"
chmod 600 "$proofs/new"
"$parley" keygen -o "$ck" --passphrase-file "$proofs/open" --kdf min >/dev/null 2>&1
pk_before=$("$parley" key "$ck" --json)
cp "$ck" "$proofs/change.orig"
check 1 "change-passphrase with a wrong current passphrase" "$parley" key "$ck" \
    --change-passphrase --passphrase-file "$proofs/new" --new-passphrase-file "$proofs/open" --kdf min
check 0 "the file is unchanged after the refusal" cmp -s "$ck" "$proofs/change.orig"
check 2 "change-passphrase refuses a short new one" "$parley" key "$ck" --change-passphrase \
    --passphrase-file "$proofs/open" --new-passphrase-file "$proofs/short" --kdf min
check 0 "the file is unchanged after that refusal too" cmp -s "$ck" "$proofs/change.orig"
check 2 "change-passphrase with no terminal and no files says how" "$parley" key "$ck" \
    --change-passphrase </dev/null
check 2 "--new-passphrase-file without --change-passphrase" "$parley" key "$ck" \
    --new-passphrase-file "$proofs/new"
check 0 "change-passphrase" "$parley" key "$ck" --change-passphrase \
    --passphrase-file "$proofs/open" --new-passphrase-file "$proofs/new" --kdf min
check 1 "the file is rewritten (new salt, nonce and seal)" cmp -s "$ck" "$proofs/change.orig"
if [ "$("$parley" key "$ck" --json)" = "$pk_before" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the public key changed with the passphrase"; fi
check 1 "the old passphrase no longer opens it" "$parley" key "$ck" --change-passphrase \
    --passphrase-file "$proofs/open" --new-passphrase-file "$proofs/new" --kdf min
check 0 "the new one does (and changes it back)" "$parley" key "$ck" --change-passphrase \
    --passphrase-file "$proofs/new" --new-passphrase-file "$proofs/open" --kdf min
if [ "$(stat -c %a "$ck")" = 600 ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: the changed key file is $(stat -c %a "$ck"), not 600"; fi
check 1 "key of a non-key file" "$parley" key "$demo/passphrase"
check 2 "key of a missing file" "$parley" key "$demo/no-such-file"
check 0 "verify log" "$parley" verify "$demo/case.log" --timeline
check 0 "verify certificate (SPEC §16.3)" "$parley" verify "$demo/agreement.cert"
check 0 "verify proof (SPEC §7.3)" "$parley" verify "$proofs/fork.proof"
# SPEC §8.3, §13.14 (v2): a log holding both messages of a fork fails, and
# the reader applies the proof: the forked signature counts for nothing,
# whichever message of the fork the file holds first
for f in forked-after forked-before forked-not-head; do
    check 1 "verify a log with a fork ($f)" "$parley" verify "$proofs/$f.log"
    json_is "a fork voids the agreement ($f)" \
        'd["agreement"]["state"] != "final" and d["agreement"]["equivocations"] == 1' \
        "$parley" verify "$proofs/$f.log" --timeline --json
done
a_state=$("$parley" verify "$proofs/forked-after.log" --timeline --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["agreement"]["state"])')
b_state=$("$parley" verify "$proofs/forked-before.log" --timeline --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["agreement"]["state"])')
check 0 "both orders of a fork give one state ($a_state, $b_state)" test "$a_state" = "$b_state"
# issue 13 §3, SPEC §13.5: a body refused by its schema names the field
# (the log is sound; the message is flagged and counts for nothing)
contains "the timeline flags the message" "VIOLATION PL_E_BODY [SPEC §13.5]" \
    "$parley" verify "$proofs/bad-body.log" --timeline
contains "the timeline names the unknown field" "zzz is not a field of this kind of message" \
    "$parley" verify "$proofs/bad-body.log" --timeline
json_is "the JSON timeline gives the body's problem as data" \
    'any(m.get("body_problem") == {"field": "zzz", "reason": "unknown_key", "allowed": None, "detail": "is not a key of this body"} for m in d["timeline"])' \
    "$parley" verify "$proofs/bad-body.log" --timeline --json
check 1 "verify tampered log" "$parley" verify "$demo/tampered-case.log"
check 1 "verify tampered certificate" "$parley" verify "$demo/tampered-agreement.cert"
check 2 "verify a key file" "$parley" verify "$demo/counsel.key"
check 2 "verify a missing file" "$parley" verify "$demo/no-such-file"
check 0 "report" "$parley" report "$demo/case.log"
# SPEC §15.5: a counter-offer is shown with what it changes
contains "timeline shows the counter-offer's diff" \
    "changes  penalty: criminal detention 3 → 2 months; probation: none → 4 months; fine: 5,000.00 → 3,000.00 yuan" \
    "$parley" verify "$demo/case.log" --timeline
contains "timeline shows the new offer's diff against the counter-offer" \
    "changes  probation: 4 → 3 months; fine: 3,000.00 → 4,000.00 yuan" \
    "$parley" verify "$demo/case.log" --timeline
contains "timeline shows when the agreement became final" "agreement now final" \
    "$parley" verify "$demo/case.log" --timeline
contains "timeline shows the agreement" "agreement   final" "$parley" verify "$demo/case.log" --timeline
contains "verify of a log names each author beside its fingerprint" \
    "王敏 (prosecution), 13 messages" "$parley" verify "$demo/case.log"
json_is "verify --json gives each author's name and role" \
    'any(a["name"] == "李明" and a["role"] == "suspect" for a in d["authors"])' \
    "$parley" verify "$demo/case.log" --json
contains "certificate shows the terms" "criminal detention 2 months, probation 3 months" \
    "$parley" verify "$demo/agreement.cert"
contains "report names the R3 answer" "partly_adopted after" "$parley" report "$demo/case.log"
# SPEC §16.3 (v2): a certificate read as a court reads it, and reported on
contains "certificate shows the charge and its article" "危险驾驶罪 (Criminal Law art. 133-1)" \
    "$parley" verify "$demo/agreement.cert"
contains "certificate shows the signers' names" "王敏" "$parley" verify "$demo/agreement.cert"
contains "certificate says the signers are unverified without a trust anchor" "UNVERIFIED" \
    "$parley" verify "$demo/agreement.cert"
contains "certificate says whether a role changed hands" "no role changed hands" \
    "$parley" verify "$demo/agreement.cert"
json_is "certificate --json has charges, inputs and role changes" \
    'd["charges"][0]["article"] == "133-1" and d["inputs_total"] >= 1 and d["role_changes"] == [] and d["signers_verified"] is False' \
    "$parley" verify "$demo/agreement.cert" --json
# SPEC §16.5: trust anchors. A procuratorate's key and a bar's key (two of
# the demo's citizen keys stand in) endorse the prosecutor and the lawyer.
T=$proofs/trust.txt
check 0 "trust anchor (creates the file)" "$parley" trust anchor --file "$T" prosecution \
    "$demo/citizen-2.key" "Haidian District Procuratorate"
check 0 "trust anchor counsel" "$parley" trust anchor --file "$T" counsel "$demo/citizen-3.key" \
    "Beijing Lawyers Association"
check 2 "trust anchor twice" "$parley" trust anchor --file "$T" counsel "$demo/citizen-3.key" again
check 0 "trust endorse a prosecutor" "$parley" trust endorse --key "$demo/citizen-2.key" \
    --passphrase-file "$demo/passphrase" --role prosecution --name "Prosecutor Wang" \
    --unit "Haidian District Procuratorate" --from 2020-01-01 --until 2099-12-31 \
    "$demo/prosecution.key" -o "$proofs/e1"
check 2 "trust endorse a lawyer without a licence" "$parley" trust endorse \
    --key "$demo/citizen-3.key" --passphrase-file "$demo/passphrase" --role counsel \
    --name "Attorney Zhao" --unit "Zhao & Partners" --until 2099-12-31 "$demo/counsel.key"
check 0 "trust endorse a lawyer" "$parley" trust endorse --key "$demo/citizen-3.key" \
    --passphrase-file "$demo/passphrase" --role counsel --name "Attorney Zhao" \
    --unit "Zhao & Partners" --licence 11101201910123456 --bar "Beijing Lawyers Association" \
    --from 2020-01-01 --until 2099-12-31 "$demo/counsel.key" -o "$proofs/e2"
check 0 "trust import the prosecutor's endorsement" "$parley" trust import --file "$T" "$proofs/e1"
contains "importing it twice adds nothing" "holds this endorsement already" \
    "$parley" trust import --file "$T" "$proofs/e1"
check 2 "trust import of a missing file" "$parley" trust import --file "$T" "$proofs/none.e"
check 2 "trust check of a mistyped key" "$parley" trust check --file "$T" --role counsel 0123
cp "$T" "$proofs/trust-half.txt"
check 0 "trust import the lawyer's endorsement" "$parley" trust import --file "$T" "$proofs/e2"
python3 -c 'import sys; t = open(sys.argv[1]).read().strip(); c = "1" if t[40] == "0" else "0"
open(sys.argv[2], "w").write(t[:40] + c + t[41:] + "\n")' "$proofs/e2" "$proofs/e2-bad"
check 1 "trust import a damaged endorsement" "$parley" trust import --file "$T" "$proofs/e2-bad"
json_is "trust list --json" 'len(d["entries"]) == 4' "$parley" trust list --file "$T" --json
check 0 "trust check the lawyer" "$parley" trust check --file "$T" --role counsel "$demo/counsel.key"
check 1 "trust check the lawyer as a prosecutor" "$parley" trust check --file "$T" \
    --role prosecution "$demo/counsel.key"
check 1 "trust check after the endorsement ends" "$parley" trust check --file "$T" \
    --role counsel "$demo/counsel.key" --at 2100-01-01
check 0 "verify a certificate against the trust file" "$parley" verify "$demo/agreement.cert" \
    --trust "$T"
contains "verify names the lawyer's licence" "licence 11101201910123456" \
    "$parley" verify "$demo/agreement.cert" --trust "$T"
check 1 "verify with counsel not vouched for" "$parley" verify "$demo/agreement.cert" \
    --trust "$proofs/trust-half.txt"
contains "the refusal names the untrusted role" "the counsel key" \
    "$parley" verify "$demo/agreement.cert" --trust "$proofs/trust-half.txt"
json_is "verify --trust --json" 'd["signers_verified"] is True and d["trust"]["counsel"]["trusted"]' \
    "$parley" verify "$demo/agreement.cert" --trust "$T" --json
check 0 "verify -P trusts keys directly" "$parley" verify "$demo/agreement.cert" \
    -P "$demo/prosecution.key" -P "$demo/counsel.key"
check 1 "verify -P with only the prosecutor's key" "$parley" verify "$demo/agreement.cert" \
    -P "$demo/prosecution.key"
printf 'parley trust v1\nanchor judge 00 nobody\n' >"$proofs/trust-bad.txt"
check 2 "verify --trust of a log" "$parley" verify "$demo/case.log" --trust "$T"
json_is "an untrusted certificate is valid but not accepted" \
    'd["valid"] is True and d["accepted"] is False and d["error"] == "PL_E_UNTRUSTED"' \
    "$parley" verify "$demo/agreement.cert" --trust "$proofs/trust-half.txt" --json
check 2 "verify with a broken trust file" "$parley" verify "$demo/agreement.cert" \
    --trust "$proofs/trust-bad.txt"
# SPEC §13.2, §13.3, §16.5 (v2): the suspect's identity. The demo's charter
# binds the seat to the specimen number of GB 11643; parley-demo-log's
# charter, signed by the same prosecution and counsel keys, binds none.
check 0 "verify --id-number with the defendant's number" "$parley" verify \
    "$demo/agreement.cert" --id-number 110105-19491231-002x
contains "verify shows the identity the charter binds and its confirmation" \
    "李明, bound by the charter" "$parley" verify "$demo/agreement.cert"
contains "verify names the session of the confirmation" "in the session at 检察院第三会见室" \
    "$parley" verify "$demo/agreement.cert"
check 1 "verify --id-number with another person's number" "$parley" verify \
    "$demo/agreement.cert" --id-number E12345678
contains "the mismatch is said plainly" "MISMATCH" "$parley" verify "$demo/agreement.cert" \
    --id-number E12345678
check 2 "verify --id-number with a wrong check character" "$parley" verify \
    "$demo/agreement.cert" --id-number 110105194912310021
check 2 "verify --id-number of a log" "$parley" verify "$demo/case.log" --id-number E12345678
json_is "verify --json --id-number" \
    'd["identity"]["bound"] and d["identity"]["confirmed"] and d["identity"]["number_matches"] is True and d["accepted"]' \
    sh -c 'echo 11010519491231002X | "$0" verify "$1" --json --id-number -' "$parley" "$demo/agreement.cert"
contains "the report shows the suspect's identity binding and its confirmation" \
    "identity bound by the charter; this key confirmed it in the session at" \
    "$parley" report "$demo/case.log"
json_is "the report's JSON marks the suspect's seat bound and confirmed" \
    '[p for p in d["participants"] if p["role"] == "suspect"][0]["identity_confirmed"] is True' \
    "$parley" report "$demo/case.log" --json
contains "the report of an unbound case says so" "identity not bound" \
    "$parley" report "$proofs/case.log"
# SPEC §8.1, §8.3, §17.1 (v2): a log carrying an equivocation proof after
# its messages (the vector proof-appended)
python3 - "$(dirname "$0")/../../spec/vectors/logs.vec" "$proofs/with-proof.log" <<'PY'
import binascii, sys
for rec in open(sys.argv[1]).read().split("\n\n"):
    if "name: proof-appended" in rec:
        hexline = [l for l in rec.split("\n") if l.startswith("hex: ")][0][5:]
        open(sys.argv[2], "wb").write(binascii.unhexlify(hexline))
PY
check 1 "a log carrying a proof reports the equivocation (exit 1)" "$parley" verify \
    "$proofs/with-proof.log"
contains "verify says the file carries a proof" "carries an equivocation proof" "$parley" verify \
    "$proofs/with-proof.log"
json_is "verify --json lists the file's proof" 'd["file_proofs"] == ["PL_E_EQUIVOCATION"]' \
    "$parley" verify "$proofs/with-proof.log" --json
json_is "a log whose only errors are equivocations gets a report that counts them" \
    'd["equivocations"] == 1' "$parley" report "$proofs/with-proof.log" --json
check 0 "an unbound certificate verifies without anchors" "$parley" verify "$proofs/agreement.cert"
contains "an unbound certificate says so" "NOT BOUND" "$parley" verify "$proofs/agreement.cert"
check 1 "an unbound certificate is not accepted against trust anchors" "$parley" verify \
    "$proofs/agreement.cert" --trust "$T"
contains "the refusal says the suspect's seat is bound to no person" \
    "binds the suspect's seat to no identity document" \
    "$parley" verify "$proofs/agreement.cert" --trust "$T"
contains "a broken trust file names its line" "line 2" "$parley" trust list --file "$proofs/trust-bad.txt"
check 0 "report on a certificate" "$parley" report "$demo/agreement.cert"
contains "report on a certificate lists who holds each role" "holds the role now" \
    "$parley" report "$demo/agreement.cert"
check 1 "report on a tampered certificate" "$parley" report "$demo/tampered-agreement.cert"
# the HTML report: one self-contained page with the chart and the tables
check 0 "report --html" "$parley" report "$demo/case.log" --html -o "$demo/report-test.html"
check 2 "report --json --html" "$parley" report "$demo/case.log" --json --html
for want in '<svg id="penalty-chart"' 'polyline class="prosecution"' 'polyline class="defense"' \
    '<table id="timeline">' '<table id="inputs">' '<table id="disclosures">' \
    '<table id="sessions">' 'the log verifies'; do
    contains "report.html has $want" "$want" cat "$demo/report-test.html"
done
# nothing in the page makes the browser fetch anything
if grep -qiE '<script|<link|<img|<iframe|src=|href=|url\(|@import' "$demo/report-test.html"; then
    fail=$((fail + 1))
    echo "FAIL: report.html refers to something outside the page"
else
    pass=$((pass + 1))
fi
# SPEC §17.1: no report over a log that does not verify
check 1 "report of a tampered log" "$parley" report "$demo/tampered-case.log"
check 2 "report of a non-log" "$parley" report "$demo/counsel.key"
if command -v python3 >/dev/null 2>&1; then
    json "key --json" "$parley" key "$demo/counsel.key" --json
    json "verify log --json" "$parley" verify "$demo/case.log" --json
    json "verify cert --json" "$parley" verify "$demo/agreement.cert" --json
    json "verify proof --json" "$parley" verify "$proofs/fork.proof" --json
    json "report --json" "$parley" report "$demo/case.log" --json
    # the timeline as JSON: the entries `parley log --json` prints (SPEC §6.6, §15.5)
    json "verify --timeline --json" "$parley" verify "$demo/case.log" --timeline --json
    json_is "verify --json alone has no timeline" '"timeline" not in d' \
        "$parley" verify "$demo/case.log" --json
    json_is "verify --timeline --json: every message, numbered, with every field" \
        'd["valid"] and len(d["timeline"]) == d["received"] and
            [x["n"] for x in d["timeline"]] == list(range(1, d["received"] + 1)) and
            all(set(x) >= {"seq", "author", "type", "id", "timestamp_ms", "time", "verdict",
                "refers_to", "body", "changes", "agreement"} for x in d["timeline"])' \
        "$parley" verify "$demo/case.log" --timeline --json
    json_is "verify --timeline --json: the counter-offer's diff, detention 3 → 2" \
        '[(c["field"], c["change"]) for c in next(x for x in d["timeline"]
            if x["type"] == "offer" and x["author"]["role"] == "counsel")["changes"]] == [
            ("penalty", "criminal detention 3 \u2192 2 months"),
            ("probation", "none \u2192 4 months"), ("fine", "5,000.00 \u2192 3,000.00 yuan")]' \
        "$parley" verify "$demo/case.log" --timeline --json
    json_is "verify --timeline --json: the counter-offer answers the prosecution's first offer" \
        'next(x for x in d["timeline"] if x["type"] == "offer" and x["author"]["role"] ==
            "counsel")["refers_to"]["id"] == next(x for x in d["timeline"] if x["type"] ==
            "offer")["id"]' \
        "$parley" verify "$demo/case.log" --timeline --json
    json_is "verify --timeline --json: the signed offer's diff against the counter-offer" \
        '[(c["field"], c["old"], c["new"]) for c in entry(d["agreement"]["offer"])["changes"]]
            == [("probation", "4 months", "3 months"), ("fine", "3,000.00 yuan", "4,000.00 yuan")]
            and entry(d["agreement"]["offer"])["body"]["terms"]["fine"] == 400000' \
        "$parley" verify "$demo/case.log" --timeline --json
    json_is "verify --timeline --json: final after the third signature, pending before" \
        'd["agreement"]["state"] == "final" and [x["agreement"]["state"] for x in d["timeline"]
            if x["type"] == "sign"] == ["pending", "pending", "final"]' \
        "$parley" verify "$demo/case.log" --timeline --json
    # text and JSON are one walk: the same messages in the same order
    "$parley" verify "$demo/case.log" --timeline |
        sed -n 's/.* id \([0-9a-f]\{16\}\)….*/\1/p' >"$out.text-ids"
    "$parley" verify "$demo/case.log" --timeline --json |
        python3 -c 'import json,sys; [print(x["id"][:16]) for x in json.load(sys.stdin)["timeline"]]' \
        >"$out.json-ids"
    if [ -s "$out.text-ids" ] && cmp -s "$out.text-ids" "$out.json-ids"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: verify --timeline: text and JSON list different messages"
    fi
    rm -f "$out.text-ids" "$out.json-ids"
    check 1 "verify --timeline --json of a tampered log exits 1" "$parley" verify \
        "$demo/tampered-case.log" --timeline --json
    json_is "verify --timeline --json of a tampered log is still one JSON value" \
        'd["valid"] is False and d["problems"] and isinstance(d["timeline"], list)' \
        "$parley" verify "$demo/tampered-case.log" --timeline --json
fi

# ---- parley offer --terms FILE (SPEC §15): no node is needed, since the
# terms are judged before the node is contacted; a lawful file gets as far
# as "no node answers".
terms=$(dirname "$0")/../../examples/terms
tdir=$(mktemp -d /tmp/parley-cli-terms-XXXXXX)
nohome=$tdir/no-node
offer_file() { "$parley" offer deadbeefdeadbeef --home "$nohome" --terms "$@"; }
variant() { # name sed-expression: a copy of Case 1's agreed terms, edited
    sed "$2" "$terms/case1-final.json" >"$tdir/$1.json"
    echo "$tdir/$1.json"
}
check 0 "offer --help names --terms" "$parley" offer --help
contains "offer --help names --terms" "--terms FILE" "$parley" offer --help
contains "lawful terms from a file reach the node step" "no node answers" \
    offer_file "$terms/case1-final.json"
contains "terms from stdin" "no node answers" sh -c \
    "'$parley' offer deadbeefdeadbeef --home '$nohome' --terms - <'$terms/case1-offer.json'"
# CASES.md Case 1's invalid variants: exit 1 with the rule (SPEC §15.4, §15.2)
for v in 'detention-7|s/"min": 2, "max": 2/"min": 7, "max": 7/|PL_E_TERMS_DETENTION' \
    'probation-1|s/"probation": 3/"probation": 1/|PL_E_TERMS_PROBATION_PERIOD' \
    'probation-14|s/"probation": 3/"probation": 14/|PL_E_TERMS_PROBATION_PERIOD' \
    'fine-negative|s/"fine": 400000/"fine": -100/|PL_E_TERMS_FINE'; do
    name=${v%%|*} rest=${v#*|}
    f=$(variant "$name" "${rest%|*}")
    check 1 "Case 1 $name from a file exits 1" offer_file "$f"
    contains "Case 1 $name names ${rest#*|}" "unlawful terms, nothing was sent: ${rest#*|}" \
        offer_file "$f"
done
# issue 14: the refusal in Chinese cites the law as Chinese legal writing
# does, and says the rule in words
contains "the refusal's basis in Chinese" "《中华人民共和国刑法》第四十二条" \
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$parley" offer deadbeefdeadbeef \
    --home "$nohome" --terms "$tdir/detention-7.json"
contains "and the rule in words" "规则：" \
    env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$parley" offer deadbeefdeadbeef \
    --home "$nohome" --terms "$tdir/detention-7.json"
contains "the same refusal from stdin" "PL_E_TERMS_DETENTION" sh -c \
    "'$parley' offer deadbeefdeadbeef --home '$nohome' --terms - <'$tdir/detention-7.json'"
# not JSON, or not terms: exit 2, saying where
f=$(variant syntax 's/"probation": 3/"probation" 3/')
check 2 "a JSON syntax error exits 2" offer_file "$f"
contains "a JSON syntax error gives line and column" "$f:5:" offer_file "$f"
f=$(variant unknown-key 's/"fine"/"fines"/')
check 2 "an unknown key exits 2" offer_file "$f"
contains "an unknown key is named" 'unknown key "fines"' offer_file "$f"
f=$(variant wrong-type 's/400000/"400000"/')
check 2 "a number as a string exits 2" offer_file "$f"
contains "a wrong type names the key" '"fine" must be a non-negative integer' offer_file "$f"
f=$(variant float 's/400000/4000.5/')
check 2 "a number with a fraction exits 2" offer_file "$f"
f=$(variant duplicate 's/"probation": 3/"probation": 3, "probation": 4/')
check 2 "a duplicate key exits 2" offer_file "$f"
f=$(variant missing 's/"procedure": "speedy",//')
check 2 "a missing required key exits 2" offer_file "$f"
contains "a missing key is named" 'no "procedure"' offer_file "$f"
head -c 200000 /dev/zero | tr '\0' ' ' >"$tdir/large.json"
check 2 "a file over the size bound exits 2" offer_file "$tdir/large.json"
check 2 "a missing terms file exits 2" offer_file "$tdir/none.json"
check 2 "--terms together with terms flags exits 2" offer_file "$terms/case1-final.json" \
    --penalty detention:2
contains "--terms and flags: says why" "exclude each other" offer_file "$terms/case1-final.json" \
    --fine 4000
rm -rf "$tdir"
# ---- end of parley offer --terms

rm -f /tmp/parley-cli-test.$$
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
