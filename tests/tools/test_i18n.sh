#!/bin/sh
# Chinese first (issue 15 §1): the catalogue translates every text the CLI
# marks and every library error message (po/tools/check_po.py), and the
# program speaks Simplified Chinese under LANG=zh_CN.UTF-8 — also on a
# machine where that locale is not generated — and English otherwise.
# Usage: test_i18n.sh SOURCE_DIR BUILD_DIR
set -u
src=${1:?source dir}
build=${2:?build dir}
parley=$build/cli/parley
pass=0 fail=0
has() { # description text command...: the command's stdout+stderr contain text
    d=$1 t=$2
    shift 2
    if "$@" 2>&1 | grep -qF -- "$t"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $d (no '$t' in the output of: $*)"
    fi
}
if python3 "$src/po/tools/check_po.py" "$src"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: the catalogue is incomplete"
fi
zh() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$@"; }
en() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 "$@"; }
has "the command list in Chinese" "生成身份密钥文件" zh "$parley" --help
has "the usage line in Chinese" "用法：parley 命令" zh "$parley" --help
has "a verb's help in Chinese, with the common flags" "以节点所持密钥中的该密钥签名" \
    zh "$parley" sign --help
has "an unknown command in Chinese" "未知命令“frobnicate”" zh "$parley" frobnicate
has "LC_ALL outranks LANG" "create an identity key file" \
    env -u LANGUAGE LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8 "$parley" --help
has "English otherwise" "create an identity key file" en "$parley" --help
has "a refusal of verify in Chinese" "不是 Parley 日志文件" \
    zh "$parley" verify "$src/README.md"
has "the same refusal in English" "not a Parley log file" en "$parley" verify "$src/README.md"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf 'not a key' >"$tmp"
has "a library error in Chinese (cli_strerror)" "不是有效的 Parley 密钥文件（PL_E_KEYFILE）" \
    zh "$parley" key "$tmp"
has "the same error in English" "not a valid Parley key file (PL_E_KEYFILE)" en "$parley" key "$tmp"
# terms as a Chinese judgment writes them (GLOSSARY-zh), from a vector's log
log=$(mktemp)
python3 - "$src/spec/vectors/negotiation.vec" "$log" <<'PY'
import sys
name = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("name: "):
        name = line[6:].strip()
    elif line.startswith("hex: ") and name == "case1-final":
        open(sys.argv[2], "wb").write(bytes.fromhex(line[5:].strip()))
        break
PY
has "terms in Chinese legal writing" "拘役二个月，缓刑三个月，并处罚金人民币四千元，适用速裁程序" \
    zh "$parley" verify "$log" --timeline
has "the same terms in English" "criminal detention 2 months, probation 3 months, fine 4,000.00 yuan" \
    en "$parley" verify "$log" --timeline
# the court's copy (issue 15 §3): a vector's certificate as a 具结书
python3 - "$src/spec/vectors/negotiation.vec" "$log" <<'PY'
import sys
name = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("name: "):
        name = line[6:].strip()
    elif line.startswith("hex: ") and name == "certificate-case1":
        open(sys.argv[2], "wb").write(bytes.fromhex(line[5:].strip()))
        break
PY
has "the certificate verified, in Chinese" "协议证书有效" zh "$parley" verify "$log"
has "its charge with the article as a judgment cites it" "（《中华人民共和国刑法》第一百三十三条之一）" \
    zh "$parley" verify "$log"
has "its signers' roles in Chinese" "犯罪嫌疑人  已签署" zh "$parley" verify "$log"
has "the same certificate in English" "valid agreement certificate" en "$parley" verify "$log"
has "the plea statement's title" "认罪认罚具结书" en "$parley" verify "$log" --statement
has "the statement's recommendation" "本人同意人民检察院的量刑建议：拘役二个月，缓刑三个月" \
    en "$parley" verify "$log" --statement
has "the statement's charge with its article" "（《中华人民共和国刑法》第一百三十三条之一）" \
    en "$parley" verify "$log" --statement
has "the statement shows counsel witnessing in the session" "辩护人在场见证" \
    en "$parley" verify "$log" --statement
rm -f "$log"
echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
