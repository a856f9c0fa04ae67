#!/usr/bin/env bash
# Full-size load and soak (issue 8 §4), then one run under valgrind memcheck.
#   bash Scripts/soak.sh [associations=200] [handshakes=10000] [objects-per-association=5]
# 1. SOAK_ASSOCIATIONS concurrent DICOM-over-TLS associations to our store SCP (DicomServer
#    with a TLS transport in the test process), each storing objects; every data set compared.
# 2. Stalled peers (silent, mid-handshake, mid-PDU) never block others; ARTIM drops them.
# 3. SOAK_HANDSHAKES sequential TLS handshakes, alternately full and resumed, to a
#    `dicomtls tls-server` process, each echoing a payload that is compared byte for byte.
# Descriptors, threads and resident memory are measured before/after (bounds in LoadTests).
# The server flood (issue 12, LoadTests+Flood.swift) runs too; FLOOD_SILENT, FLOOD_TRICKLERS,
# FLOOD_GARBAGE, FLOOD_SCUS and FLOOD_OBJECTS (defaults 500, 100, 50, 20, 5) scale it.
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
    echo "== valgrind memcheck: dicomtls tls-server, 200 handshakes, then SIGTERM"
    work="$(mktemp -d /tmp/dicomtls-valgrind.XXXXXX)"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 \
        -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
        --log-file="$work/valgrind.log" "$bin/dicomtls" tls-server --port 0 \
        --cert "$work/cert.pem" --key "$work/key.pem" 2>"$work/server.log" &
    vpid=$!
    for _ in $(seq 1 120); do grep -q 'listening on 127.0.0.1:' "$work/server.log" && break; sleep 0.5; done
    port="$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$')"
    SOAK_SERVER_PORT="$port" SOAK_SERVER_PID="$vpid" SOAK_SERVER_CA="$work/cert.pem" \
        SOAK_HANDSHAKES=200 SOAK_SERVER_RSS_BOUND_MIB=256 \
        swift test --scratch-path "$scratch" --skip-build --filter 'LoadTests/sequentialHandshakes' 2>&1 | grep -E 'LOAD:|✘|Test run'
    kill -TERM "$vpid"
    wait "$vpid" || true
    grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|suppressed' "$work/valgrind.log"
    echo "(valgrind log: $work/valgrind.log)"
fi
