import CMallocCounter
import Foundation

// The benchmark executable: `swift run -c release TLSBenchmarks [--quick] [--json FILE] [--filter TEXT] [--cpu-time]`.
// Each later layer adds a `…Cases()` function to `allCases` and names its raw baselines,
// so every figure comes with its ratio to the limit measured in the same run.

struct Options {
    var quick = false
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
        case "--cpu-time": o.cpuTime = true
        case "--json" where i + 1 < args.count: i += 1; o.jsonPath = args[i]
        case "--filter" where i + 1 < args.count: i += 1; o.filter = args[i]
        default: return nil
        }
        i += 1
    }
    return o
}

guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data("usage: TLSBenchmarks [--quick] [--json FILE] [--filter TEXT] [--cpu-time]\n".utf8))
    exit(2)
}

measureThreadCPUTime = options.cpuTime
var cases = primitiveCases()
cases += recordCases()
cases += handshakeCases()
cases += tlsStreamCases()
cases += dicomCases()
if let f = options.filter {
    // Keep the baselines a filtered case needs, so its ratio can still be computed.
    let wanted = cases.filter { $0.name.contains(f) || $0.group.contains(f) }
    let needed = Set(wanted.flatMap { $0.baselines } + wanted.map { $0.name })
    cases = cases.filter { needed.contains($0.name) }
}
if mallocCounterIsActive() == 0 {
    FileHandle.standardError.write(Data("note: allocation counting is not available on this platform\n".utf8))
}

let seconds = options.quick ? 0.1 : 0.6
var results = cases.map { measure($0, seconds: seconds) }
attachRatios(&results)
print(renderTable(results))

if let path = options.jsonPath {
    do {
        try renderJSON(results).write(to: URL(fileURLWithPath: path))
        print("\nJSON written to \(path)")
    } catch {
        FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
}

// In --quick mode a ratio under its floor is a failure (CI's regression guard).
let failures = results.filter { r in
    guard options.quick, let floor = r.ratioFloor, let ratio = r.ratio else { return false }
    return ratio < floor
}
for f in failures {
    FileHandle.standardError.write(Data("FAIL: \(f.name) ratio \(format(f.ratio ?? 0, 3)) < floor \(format(f.ratioFloor ?? 0, 2))\n".utf8))
}
exit(failures.isEmpty ? 0 : 1)
