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
check 0 "key show" "$parley" key "$demo/counsel.key"
check 1 "key of a non-key file" "$parley" key "$demo/passphrase"
check 2 "key of a missing file" "$parley" key "$demo/no-such-file"
check 0 "verify log" "$parley" verify "$demo/case.log" --timeline
check 0 "verify certificate (SPEC §16.3)" "$parley" verify "$demo/agreement.cert"
check 0 "verify proof (SPEC §7.3)" "$parley" verify "$demo/fork.proof"
check 1 "verify tampered log" "$parley" verify "$demo/tampered-case.log"
check 1 "verify tampered certificate" "$parley" verify "$demo/tampered-agreement.cert"
check 2 "verify a key file" "$parley" verify "$demo/counsel.key"
check 2 "verify a missing file" "$parley" verify "$demo/no-such-file"
check 0 "report" "$parley" report "$demo/case.log"
# SPEC §15.5: a counter-offer is shown with what it changes
contains "timeline shows the counter-offer's diff" "probation        none -> 4 months" \
    "$parley" verify "$demo/case.log" --timeline
contains "timeline shows the agreement" "agreement   final" "$parley" verify "$demo/case.log" --timeline
contains "certificate shows the terms" "criminal detention 2 months, probation 3 months" \
    "$parley" verify "$demo/agreement.cert"
contains "report names the R3 answer" "partly_adopted after" "$parley" report "$demo/case.log"
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
check 2 "report of a non-log" "$parley" report "$demo/agreement.cert"
if command -v python3 >/dev/null 2>&1; then
    json "key --json" "$parley" key "$demo/counsel.key" --json
    json "verify log --json" "$parley" verify "$demo/case.log" --json
    json "verify cert --json" "$parley" verify "$demo/agreement.cert" --json
    json "verify proof --json" "$parley" verify "$demo/fork.proof" --json
    json "report --json" "$parley" report "$demo/case.log" --json
fi
rm -f /tmp/parley-cli-test.$$
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
