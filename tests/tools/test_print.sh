#!/bin/sh
# The court's copy of a certificate (issue 15 §3, SPEC §16.6): parley
# verify --print writes the 具结书 as HTML, or as PDF through headless
# Chromium, only for a certificate that verifies; the page holds the terms
# in Chinese legal writing, the names, what was not checked and the
# certificate hash, whose QR code reads back as parley-cert:HASH; the hash
# is the SPEC's formula, computed here independently (Python's BLAKE2b).
# Usage: test_print.sh BUILD_DIR DEMO_DIR
set -u
build=${1:?build dir}
demo=${2:?demo dir}
parley=$build/cli/parley
dir=$(mktemp -d /tmp/parley-print-test-XXXXXX)
trap 'rm -rf "$dir"' EXIT
out=$dir/out
. "$(dirname "$0")/cli_lib.sh"
cert=$demo/agreement.cert

# SPEC §16.6: BLAKE2b-256 of "parley/v2/certificate", a zero byte, the file
chash=$(python3 -c '
import hashlib, sys
h = hashlib.blake2b(b"parley/v2/certificate\0" + open(sys.argv[1], "rb").read(), digest_size=32)
print(h.hexdigest())' "$cert")
json_is "verify --json gives the certificate hash of SPEC §16.6" "d['cert_hash'] == '$chash'" \
    "$parley" verify "$cert" --json
contains "the text output shows it" "$chash" "$parley" verify "$cert"

# HTML
check 0 "--print FILE.html" "$parley" verify "$cert" --print "$dir/copy.html"
for text in 认罪认罚具结书 "拘役二个月，缓刑三个月，并处罚金人民币四千元" "第一百三十三条之一" \
    李明 赵刚 王敏 "本次核验未使用信任锚" "不能证明其最后一条消息之后" \
    "parley-cert:$chash" "<svg" "default-src 'none'"; do
    contains "the HTML copy holds $text" "$text" cat "$dir/copy.html"
done
contains "the copy is private to its owner (names, facts)" 600 stat -c %a "$dir/copy.html"
check 2 "an existing file is not replaced" "$parley" verify "$cert" --print "$dir/copy.html"
check 0 "unless --force" "$parley" verify "$cert" --print "$dir/copy.html" --force
check 2 "--print FILE.txt is refused" "$parley" verify "$cert" --print "$dir/copy.txt"
check 1 "and writes nothing" test -e "$dir/copy.txt"
check 2 "--force without --print" "$parley" verify "$cert" --force
check 2 "--print of a log file" "$parley" verify "$demo/case.log" --print "$dir/log.html"
check 1 "writes nothing" test -e "$dir/log.html"
# a tampered certificate gets no copy (SPEC §16.6: only one that verifies)
python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 1
open(sys.argv[2], "wb").write(b)' "$cert" "$dir/bad.cert"
check 1 "--print of a tampered certificate fails" "$parley" verify "$dir/bad.cert" --print "$dir/bad.html"
check 1 "and writes no copy" test -e "$dir/bad.html"
# a copy only when every check asked for passes (SPEC §16.6): an anchor
# that vouches for neither signer, or another person's identity number
check 1 "--print when the anchors vouch for no signer fails" "$parley" verify "$cert" \
    -P "$demo/citizen-1.key" --print "$dir/untrusted.html"
check 1 "and writes no copy" test -e "$dir/untrusted.html"
check 1 "--print with another person's identity number fails" "$parley" verify "$cert" \
    --id-number E12345678 --print "$dir/other.html"
check 1 "and writes no copy" test -e "$dir/other.html"
# with anchors, the page says the keys were checked, and against what
check 0 "--print with a trust file" "$parley" verify "$cert" --trust "$demo/trust.txt" \
    --print "$dir/anchored.html"
contains "the anchored copy says the keys were confirmed" "均经信任锚" cat "$dir/anchored.html"
# Chinese on the terminal for the refusal
contains "the refusal in Chinese" "只能写出" env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 \
    "$parley" verify "$cert" --print "$dir/copy.doc"

# PDF
check 1 "with no Chromium, the PDF fails and says what to do" env PARLEY_CHROMIUM=/nonexistent \
    "$parley" verify "$cert" --print "$dir/none.pdf"
contains "naming the way out" "PARLEY_CHROMIUM" env PARLEY_CHROMIUM=/nonexistent \
    "$parley" verify "$cert" --print "$dir/none2.pdf"
check 1 "and writes nothing" test -e "$dir/none.pdf"
if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    # (an empty PARLEY_CHROMIUM is no setting: chromium on PATH prints)
    mkdir "$dir/tmp"
    check 0 "--print FILE.pdf" env PARLEY_CHROMIUM= TMPDIR="$dir/tmp" "$parley" verify "$cert" \
        --print "$dir/copy.pdf"
    check 0 "no temporary page or browser profile is left" sh -c "[ -z \"\$(ls -A '$dir/tmp')\" ]"
    contains "it is a PDF" "%PDF-" head -c 5 "$dir/copy.pdf"
    pdftotext -layout "$dir/copy.pdf" "$dir/copy.txt" 2>/dev/null
    for text in 认罪认罚具结书 "拘役二个月" "缓刑三个月" 李明 赵刚 王敏 \
        "$(echo "$chash" | cut -c1-8)"; do
        contains "the PDF's text holds $text" "$text" cat "$dir/copy.txt"
    done
    if command -v zbarimg >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
        pdftoppm -png -r 150 -f 1 -l 1 "$dir/copy.pdf" "$dir/page"
        contains "the QR code on the PDF reads parley-cert:HASH" "parley-cert:$chash" \
            sh -c "zbarimg --raw -q '$dir'/page*.png 2>/dev/null"
    else
        echo "skipped: zbarimg or pdftoppm missing (the QR code is not read back)"
    fi
else
    echo "skipped: chromium or pdftotext missing (no PDF made)"
fi
echo "print: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
