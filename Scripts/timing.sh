#!/usr/bin/env bash
# Timing of the uniform failure paths (issue 8 §3): ClientKeyExchange with a correct premaster
# vs bad PKCS#1 padding (both followed by a wrong Finished), and a CBC record with bad padding
# vs a bad MAC. Many interleaved samples per class; Mann–Whitney U and low percentiles.
#   bash Scripts/timing.sh [samples-per-class=5000] [debug|release]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
samples="${1:-5000}"
config="${2:-debug}"
if [ "$config" = release ]; then
    scratch="${SCRATCH:-.build-timing-release}"
    flags=(-c release -Xswiftc -enable-testing)
else
    scratch="${SCRATCH:-.build-robust}"
    flags=()
fi
swift build --scratch-path "$scratch" "${flags[@]}" --build-tests >/dev/null
ROBUST_TIMING=1 ROBUST_TIMING_SAMPLES="$samples" \
    swift test --scratch-path "$scratch" "${flags[@]}" --skip-build --filter TimingTests 2>&1 | grep -E 'TIMING:|✘|Test run'
