#!/usr/bin/env bash
# Full-size load and soak (issue 8 §4), then one run under valgrind memcheck.
#   bash Scripts/soak.sh [associations=200] [handshakes=10000] [objects-per-association=5]
# 1. SOAK_ASSOCIATIONS concurrent DICOM-over-TLS associations to our store SCP (DicomServer
#    with a TLS transport in the test process), each storing objects; every data set compared.
# 2. Stalled peers (silent, mid-handshake, mid-PDU) never block others; ARTIM drops them.
# 3. SOAK_HANDSHAKES sequential TLS handshakes, alternately full and resumed, to a
#    `dicomtls tls-server` process, each echoing a payload that is compared byte for byte.
# Descriptors, threads and resident memory are measured before/after (bounds in LoadTests).
# 4. valgrind memcheck on `dicomtls tls-server` during 200 handshakes: leak summary printed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build-soak}"
associations="${1:-200}"
handshakes="${2:-10000}"
objects="${3:-5}"
swift build --scratch-path "$scratch" --build-tests >/dev/null
bin="$(swift build --scratch-path "$scratch" --show-bin-path)"
ulimit -n 65536 2>/dev/null || true
echo "== load: $associations associations x $objects objects, $handshakes handshakes"
SOAK_ASSOCIATIONS="$associations" SOAK_OBJECTS="$objects" SOAK_HANDSHAKES="$handshakes" \
    swift test --scratch-path "$scratch" --skip-build --filter LoadTests 2>&1 | tee /tmp/dicomtls-soak.log | grep -E 'LOAD:|✘|Test run'

if command -v valgrind >/dev/null; then
    echo "== valgrind memcheck: dicomtls tls-server, 200 handshakes"
    vlog="$(mktemp /tmp/dicomtls-valgrind.XXXXXX)"
    wrapper="$(mktemp /tmp/dicomtls-valgrind-wrapper.XXXXXX)"
    printf '#!/bin/sh\nexec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite --log-file=%s %s "$@"\n' \
        "$vlog" "$bin/dicomtls" >"$wrapper"
    chmod +x "$wrapper"
    DICOMTLS_BINARY="$wrapper" SOAK_HANDSHAKES=200 \
        swift test --scratch-path "$scratch" --skip-build --filter 'LoadTests/sequentialHandshakes' 2>&1 | grep -E 'LOAD:|✘|Test run'
    sleep 2
    grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|Invalid|uninitialised' "$vlog" | sort | uniq -c
    echo "(full valgrind log: $vlog)"
    rm -f "$wrapper"
fi
