#!/usr/bin/env bash
# Runs the libFuzzer targets of Fuzz/Package.swift (issue 8).
#   bash Fuzz/run.sh [seconds-per-target] [target...]
# Builds the fuzz package (release, -sanitize=fuzzer,address) into .build-fuzz unless
# FUZZ_SKIP_BUILD=1, runs each target for the given time (default 60 s) over a working copy
# of its committed seed corpus Fuzz/Corpus/<target>/, prints execs/s and total execs per
# target, and saves crashes, timeouts and OOMs under Fuzz/Findings/<target>/.
# Exits non-zero if any target found something.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-60}"
shift || true
# 0 seconds means build only (libFuzzer would read -max_total_time=0 as "no limit").
all=(FuzzRecordDeframer FuzzRecordOpener FuzzHandshakeDecoder FuzzServerEngine FuzzClientEngine
     FuzzCertificate FuzzPathValidator FuzzPEMKey FuzzPDUDecoder FuzzULAcceptor)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
scratch="$root/.build-fuzz"

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    mkdir -p "$scratch"
    start=$(date +%s)
    (cd "$here" && swift build -c release --sanitize fuzzer --sanitize address \
        -Xswiftc -enable-testing -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
        --disable-dead-strip --scratch-path "$scratch") >"$scratch/build.log" 2>&1 || {
        tail -40 "$scratch/build.log"; echo "fuzz build failed"; exit 1; }
    echo "fuzz build: $(( $(date +%s) - start )) s"
fi
bin="$scratch/release"
[ "$seconds" -gt 0 ] || exit 0

# Swift's runtime keeps metadata caches alive for the process: leak reports at exit would
# be noise, so leaks are checked by the soak test (Scripts/soak.sh) instead.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
failed=0
printf '%-22s %10s %14s %8s %s\n' target exec/s total-execs corpus result
for t in "${targets[@]}"; do
    [ -x "$bin/$t" ] || { echo "no binary for $t"; failed=1; continue; }
    work="$scratch/corpus/$t"
    findings="$here/Findings/$t"
    mkdir -p "$work" "$findings"
    log="$scratch/$t.log"
    "$bin/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -max_len=20000 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$here/Corpus/$t" >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(ls "$work" | wc -l)
    result=ok
    if ! grep -q 'inline 8-bit counters' "$log"; then
        # Without coverage counters libFuzzer runs blind: treat it as a failure of the setup.
        result="NOT INSTRUMENTED (no coverage counters; see $log)"
        failed=1
    fi
    if [ $rc -ne 0 ]; then
        result="FINDING (rc $rc, see $log and $findings)"
        failed=1
        grep -m3 -E 'ERROR|FUZZ INVARIANT|Fatal error|deadly signal|timeout' "$log" | sed 's/^/    /'
    fi
    printf '%-22s %10s %14s %8s %s\n' "$t" "${rate:-?}" "${execs:-?}" "$corpus" "$result"
done
rmdir "$here"/Findings/* 2>/dev/null
exit $failed
