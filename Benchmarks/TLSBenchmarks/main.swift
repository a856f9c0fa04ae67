import CMallocCounter
import DicomNIO
import Foundation

// The benchmark executable: `swift run -c release TLSBenchmarks [--quick] [--servers [--no-idle]] [--json FILE] [--filter TEXT] [--cpu-time]`.
// `--servers` adds the blocking, NIO and GnuTLS servers side by side (child processes, up to
// 10,000 idle connections; `--no-idle` leaves those out), the blocking and async DICOM
// SCPs with 1,000 TLS associations, and C-STORE CPU per MB with the SCP in a child process
// (`--filter dicom-cpu` runs that alone); `--quick` runs a small bounded version of the first.
// Each later layer adds a `…Cases()` function to `allCases` and names its raw baselines,
// so every figure comes with its ratio to the limit measured in the same run.

struct Options {
    var quick = false
    var servers = false
    var idle = true
    var jsonPath: String?
    var filter: String?
    var cpuTime = false
}

func parseOptions(_ args: [String]) -> Options? {
    var o = Options()
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--quick": o.quick = true
        case "--servers": o.servers = true
        case "--no-idle": o.idle = false
        case "--cpu-time": o.cpuTime = true
        case "--json" where i + 1 < args.count: i += 1; o.jsonPath = args[i]
        case "--filter" where i + 1 < args.count: i += 1; o.filter = args[i]
        default: return nil
        }
        i += 1
    }
    return o
}

// The allocator settings `dicomtls` runs with (DicomNIO's MallocTuning), here and in the
// server children, so the DICOM and server figures are those of the shipped tools.
MallocTuning.apply()

// `--serve blocking|nio`: this process is the server of the side-by-side comparison.
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--serve",
    let kind = ServerComparison.Kind(rawValue: CommandLine.arguments[2])
{
    ServerChildMode.run(kind)
}
// `--serve-dicom blocking|async FOLDER`: the storage SCP of the DICOM servers comparison.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "--serve-dicom" {
    DicomServerChildMode.run(CommandLine.arguments[2], folder: CommandLine.arguments[3])
}

guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data("usage: TLSBenchmarks [--quick] [--servers [--no-idle]] [--json FILE] [--filter TEXT] [--cpu-time]\n".utf8))
    exit(2)
}

measureThreadCPUTime = options.cpuTime
// `--filter nio-handler-cpu`: the NIO handler's own CPU per record, alone (NIOHandlerCPUBenchmarks.swift).
if options.filter == "nio-handler-cpu" {
    NIOHandlerCPU.run()
    exit(0)
}
var cases = primitiveCases()
cases += aesPrimitiveCases()
cases += rsaCases()
cases += x509Cases()
cases += recordCases()
cases += handshakeCases()
cases += tlsStreamCases()
cases += nioStreamCases()
cases += dicomCases()
cases += dicomTLSCases()
if let f = options.filter {
    // Keep the baselines a filtered case needs, so its ratio can still be computed.
    let wanted = cases.filter { $0.name.contains(f) || $0.group.contains(f) }
    let needed = Set(wanted.flatMap { $0.baselines } + wanted.map { $0.name })
    cases = cases.filter { needed.contains($0.name) }
}
if options.quick, options.filter == nil {
    // The 50 MB transfers take tens of seconds each at 3DES speed; --quick must stay under a
    // minute on 2 busy cores, and its guards (record ratios and allocations) do not need them.
    cases = cases.filter { $0.bytesPerOperation <= 1 << 22 }
}
if mallocCounterIsActive() == 0 {
    FileHandle.standardError.write(Data("note: allocation counting is not available on this platform\n".utf8))
}

let seconds = options.quick ? 0.1 : 0.6
var results = cases.map { measure($0, seconds: seconds) }
attachRatios(&results)
// Ratios of CPU-bound cases are re-measured interleaved with their baselines in thread CPU
// time (InterleavedRatio.swift): in --quick mode only the guarded ones, to stay under a minute.
// Socket cases keep their wall-clock ratio (their work spans threads and waits).
let cpuBoundGroups: Set<String> = ["primitives", "record", "x509"]
refineRatios(&results, cases: cases) { r in
    options.quick ? r.ratioFloor != nil : cpuBoundGroups.contains(r.group)
}
if options.quick { remeasureUnderFloor(&results, cases: cases) }
print(renderTable(results))
if let rsa = rsaSpeedComparison(results) { print(rsa) }
// `--servers --filter dicom-servers` runs only the DICOM SCPs comparison after the table,
// `--servers --filter tls-servers` only the TLS servers side by side; any other filter
// leaves the --servers sections as they are.
let dicomServersOnly = options.servers && options.filter == "dicom-servers"
let tlsServersOnly = options.servers && options.filter == "tls-servers"
let otherServerSections = !dicomServersOnly && !tlsServersOnly
if options.servers ? !dicomServersOnly : options.quick && options.filter == nil {
    ServerComparison.run(quick: !options.servers, idle: options.idle)
}
// The async DICOM client (AsyncDicomBenchmarks.swift): the full run, --servers, or
// `--filter async-dicom` alone; never --quick.
if !options.quick, options.servers ? otherServerSections : options.filter == nil || options.filter == "async-dicom" {
    AsyncDicomComparison.run()
}
// 1,000 TLS associations, blocking and async SCPs side by side (DicomServerBenchmarks.swift):
// --servers only.
if !options.quick, options.servers, !tlsServersOnly {
    DicomServerComparison.run()
}
// C-STORE CPU per MB with the SCP in a child process (DicomStoreCPUBenchmarks.swift):
// --servers, or `--filter dicom-cpu` alone.
if !options.quick, options.servers ? otherServerSections : options.filter == "dicom-cpu" {
    DicomStoreCPU.run()
}

if let path = options.jsonPath {
    do {
        try renderJSON(results).write(to: URL(fileURLWithPath: path))
        print("\nJSON written to \(path)")
    } catch {
        FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
}

// In --quick mode a ratio under its floor, an allocation on a path that must not allocate
// (the record layer, DESIGN.md §3), or the NIO handler over its allocation ceiling per
// record is a failure (CI's regression guard).
var failures: [String] = []
if options.quick {
    for r in results {
        if let floor = r.ratioFloor, let ratio = r.ratio, ratio < floor {
            failures.append("\(r.name) ratio \(format(ratio, 3)) < floor \(format(floor, 2))")
        }
        if r.mustNotAllocate, mallocCounterIsActive() != 0, r.threadAllocationsPerOperation > 0 {
            failures.append("\(r.name) allocates \(format(r.threadAllocationsPerOperation, 4)) times per record (must be 0)")
        }
    }
}
if options.quick, mallocCounterIsActive() != 0, !threadCounterSeesAllocations() {
    failures.append("the per-thread allocation count missed an allocation: the zero-allocation guard cannot work")
}
if options.quick, options.filter == nil { failures += NIOHandlerCPU.allocationCeilingFailures() }
for f in failures {
    FileHandle.standardError.write(Data("FAIL: \(f)\n".utf8))
}
if options.quick, failures.isEmpty { print("quick check passed: ratio floors, zero-allocation record paths and the NIO handler's allocation ceiling hold") }
exit(failures.isEmpty ? 0 : 1)
