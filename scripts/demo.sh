#!/bin/sh
# The demo `make demo` runs (and ctest runs as the `demo` test): what Parley
# can do today, end to end, with the real binaries.
#   1. five parties create passphrase-sealed identity keys (parley keygen)
#   2. a signed log of Case 1 (dangerous driving) is written with those keys
#   3. the log is verified offline, with its timeline (parley verify)
#   4. a copy with one byte flipped is refused (exit 1), with the reason
#   5. an accidental fork by the prosecution is proven (equivocation proof)
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

step "2. The parties' signed messages for Case 1 form the log"
"$build/tests/parley-demo-log" "$demo" "$demo/passphrase" "$demo/prosecution.key" \
    "$demo/suspect.key" "$demo/counsel.key" "$demo/victim.key" "$demo/observer.key"

step "3. Anyone verifies the log offline"
"$parley" verify "$demo/case.log" --timeline

step "4. One flipped byte anywhere is caught"
cp "$demo/case.log" "$demo/tampered.log"
size=$(wc -c <"$demo/tampered.log")
pos=$((size / 2))
byte=$(od -An -tu1 -j "$pos" -N1 "$demo/tampered.log" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 1)))" |
    dd of="$demo/tampered.log" bs=1 seek="$pos" conv=notrunc 2>/dev/null
set +e
"$parley" verify "$demo/tampered.log"
rc=$?
set -e
if [ "$rc" -ne 1 ]; then
    echo "demo: expected exit 1 for the tampered log, got $rc" >&2
    exit 1
fi
echo "(exit $rc: the tampered copy is refused)"

step "5. An accidental fork (a node restored from an old backup) is proven"
"$parley" verify "$demo/fork.proof"

step "Done. Files are in $demo"
