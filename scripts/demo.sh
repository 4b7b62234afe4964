#!/bin/sh
# The demo `make demo` runs (and ctest runs as the `demo` test): what Parley
# can do today, end to end, with the real binaries.
#   1. five parties create passphrase-sealed identity keys (parley keygen)
#   2. Case 1 (dangerous driving) is negotiated with those keys under the
#      rules R1-R12; a premature prosecution signature is refused (R3)
#   3. the log is verified offline, with its timeline (parley verify)
#   4. the observer's report, as text, JSON and a self-contained HTML page
#   5. the agreement certificate is verified offline, as a court would
#   6. copies with one byte flipped are refused (exit 1), with the reason
#   7. an accidental fork by the prosecution is proven (equivocation proof)
# Usage: scripts/demo.sh [BUILD_DIR or DEMO_DIR]; outputs go to build/demo/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
arg=${1:-build}
case "$arg" in
    */demo-test) build=$(dirname "$arg"); demo=$arg ;;
    *) build=$arg; demo=$arg/demo ;;
esac
case "$build" in /*) ;; *) build=$top/$build ;; esac
case "$demo" in /*) ;; *) demo=$top/$demo ;; esac
parley=$build/cli/parley

rm -rf "$demo"
mkdir -p "$demo"
umask 077
printf 'demo passphrase, not for real use\n' >"$demo/passphrase"

step() { printf '\n== %s\n' "$*"; }

step "1. Each party creates an identity key (Argon2id-sealed, mode 0600)"
for who in prosecution suspect counsel victim observer; do
    "$parley" keygen -o "$demo/$who.key" --passphrase-file "$demo/passphrase" --kdf min --json
done
"$parley" key "$demo/counsel.key"

step "2. Case 1 is negotiated (each line: who, what, agreement status)"
"$build/tests/parley-demo-log" "$demo" "$demo/passphrase" "$demo/prosecution.key" \
    "$demo/suspect.key" "$demo/counsel.key" "$demo/victim.key" "$demo/observer.key"

step "3. Anyone verifies the log offline"
"$parley" verify "$demo/case.log" --timeline

step "4. The observer's report (also written as JSON to observer-report.json)"
"$parley" report "$demo/case.log"
"$parley" report "$demo/case.log" --json -o "$demo/observer-report.json"
"$parley" report "$demo/case.log" --html -o "$demo/report.html"
echo "(also written: observer-report.json and report.html, a self-contained page with a chart)"

step "5. A court clerk verifies the agreement certificate offline"
"$parley" verify "$demo/agreement.cert"

step "6. One flipped byte is caught, in the log and in the certificate"
flip() { # file: flips the lowest bit of the middle byte, in place
    size=$(wc -c <"$1")
    pos=$((size / 2))
    byte=$(od -An -tu1 -j "$pos" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$1" bs=1 seek="$pos" conv=notrunc 2>/dev/null
}
for f in case.log agreement.cert; do
    cp "$demo/$f" "$demo/tampered-$f"
    flip "$demo/tampered-$f"
    set +e
    "$parley" verify "$demo/tampered-$f" | head -4
    rc=$?
    "$parley" verify "$demo/tampered-$f" >/dev/null
    rc=$?
    set -e
    if [ "$rc" -ne 1 ]; then
        echo "demo: expected exit 1 for tampered-$f, got $rc" >&2
        exit 1
    fi
    echo "(exit $rc: the tampered copy is refused)"
done

step "7. An accidental fork (a node restored from an old backup) is proven"
"$parley" verify "$demo/fork.proof"

step "Done. Files are in $demo"
