import CMallocCounter

#if canImport(Glibc)
import Glibc
#endif

/// One benchmark case: an operation over `bytesPerOperation` bytes, repeated for a while.
struct BenchmarkCase {
    /// Table group, e.g. "primitives", "record".
    var group: String
    /// Unique name, e.g. "raw 3DES-CBC encrypt" or "3DES record seal".
    var name: String
    /// Bytes processed by one call of `operation` (0 for operations counted per call).
    var bytesPerOperation: Int
    /// Names of the cases whose combined speed is this case's limit: the ratio printed is
    /// this case's throughput divided by that of running the baselines one after the other.
    var baselines: [String] = []
    /// Lowest acceptable ratio in `--quick` mode; nil for none.
    var ratioFloor: Double? = nil
    /// The operation must not allocate in steady state (the record hot path, DESIGN.md §3):
    /// any heap allocation during the timed runs fails `--quick` mode.
    var mustNotAllocate = false
    /// Runs the operation `iterations` times.
    var operation: (_ iterations: Int) -> Void
}

/// A measured case.
struct BenchmarkResult: Encodable {
    var group: String
    var name: String
    var bytesPerOperation: Int
    var operationsPerSecond: Double
    var megabytesPerSecond: Double?
    /// Heap allocations per operation in the whole process (other threads' included).
    var allocationsPerOperation: Double
    /// Heap allocations per operation on the measuring thread alone: what `mustNotAllocate`
    /// is checked against, since those operations run on this thread only.
    var threadAllocationsPerOperation: Double
    var ratio: Double?
    var baselines: [String]
    var ratioFloor: Double?
    var mustNotAllocate: Bool
}

/// Whether `now()` reads this thread's CPU time instead of the wall clock (`--cpu-time`):
/// steadier on a loaded machine for CPU-bound cases, wrong for cases that wait on I/O.
nonisolated(unsafe) var measureThreadCPUTime = false

/// Monotonic seconds (or this thread's CPU seconds with `--cpu-time`).
func now() -> Double {
    var ts = timespec()
    clock_gettime(measureThreadCPUTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs a case: a warm-up, a calibration to about `seconds`, then the best of three timed runs.
func measure(_ c: BenchmarkCase, seconds: Double) -> BenchmarkResult {
    c.operation(2)  // warm-up: first-touch allocations and lazy initialisation happen here
    var iterations = 1
    while true {
        let t0 = now()
        c.operation(iterations)
        let dt = now() - t0
        if dt >= seconds / 10 || iterations >= 1 << 30 {
            iterations = max(1, Int(Double(iterations) * (seconds / 3) / max(dt, 1e-9)))
            break
        }
        iterations *= 4
    }
    var best = Double.infinity
    var allocations: UInt64 = 0
    var threadAllocations: UInt64 = 0
    for _ in 0..<3 {
        let a0 = mallocCounterAllocations()
        let ta0 = mallocCounterThreadAllocations()
        let t0 = now()
        c.operation(iterations)
        let dt = now() - t0
        threadAllocations = mallocCounterThreadAllocations() - ta0
        allocations = mallocCounterAllocations() - a0
        best = min(best, dt)
    }
    let opsPerSecond = Double(iterations) / best
    let mbps = c.bytesPerOperation > 0 ? opsPerSecond * Double(c.bytesPerOperation) / 1e6 : nil
    return BenchmarkResult(
        group: c.group, name: c.name, bytesPerOperation: c.bytesPerOperation,
        operationsPerSecond: opsPerSecond, megabytesPerSecond: mbps,
        allocationsPerOperation: Double(allocations) / Double(iterations),
        threadAllocationsPerOperation: Double(threadAllocations) / Double(iterations),
        ratio: nil, baselines: c.baselines, ratioFloor: c.ratioFloor, mustNotAllocate: c.mustNotAllocate)
}

/// Whether one `malloc` on this thread moves this thread's allocation count: without it the
/// `mustNotAllocate` guard, read from that count, could never fail. The block is kept in a
/// global until the count is read, or the optimiser removes the unused malloc/free pair.
func threadCounterSeesAllocations() -> Bool {
    let before = mallocCounterThreadAllocations()
    selfCheckBlock = malloc(64)
    let after = mallocCounterThreadAllocations()
    free(selfCheckBlock)
    selfCheckBlock = nil
    return after == before + 1
}

nonisolated(unsafe) private var selfCheckBlock: UnsafeMutableRawPointer?

/// Fills in each result's ratio to its baselines run in series (time adds up, so the
/// combined rate is the harmonic combination of the baselines' rates).
func attachRatios(_ results: inout [BenchmarkResult]) {
    let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for i in results.indices where !results[i].baselines.isEmpty {
        let bases = results[i].baselines.compactMap { byName[$0] }
        guard bases.count == results[i].baselines.count else { continue }
        let secondsPerOp = bases.reduce(0.0) { $0 + 1 / $1.operationsPerSecond }
        results[i].ratio = results[i].operationsPerSecond * secondsPerOp
    }
}

/// Keeps a value alive and opaque to the optimiser.
@inline(never)
func blackHole<T>(_ value: T) {}
