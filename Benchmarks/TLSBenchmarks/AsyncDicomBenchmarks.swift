import DicomNIO
import DicomUL
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// The async DICOM client (DicomNIO) against the in-process blocking SCPs over TLS of
// DicomTLSBenchmarks.swift (full run and --servers only; not in --quick):
// - C-STORE 50 x 1 MB over 3DES with 1, 2 and 4 parallel associations sharing the files, as a
//   ratio to the single-core 3DES record limits measured in the same run: the record round
//   trip (seal + open of the same bytes on one core: both sides' work, as both sides run in
//   this process) and the seal alone (the client's share).
// - C-ECHO associations per second through the async client: plain TCP, TLS 3DES resumed.
// - C-STORE CPU per MB over NULL-SHA, both sides (this process's user + system time: the
//   client and the SCP), async client and blocking client side by side.

enum AsyncDicomComparison {
    static func run() {
        guard let files = DicomBenchEnvironment.shared?.files, let env = DicomTLSBenchEnvironment.shared else {
            print("\nasync DICOM client: skipped (no benchmark environment)")
            return
        }
        let bytes = files.reduce(0) { $0 + ((try? Part10File(path: $1).dataSetLength) ?? 0) }
        print("\nAsync DICOM client (DicomNIO) → in-process blocking SCP, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let records = Dictionary(recordCases().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let roundTrip = records["3DES record round trip \(sizeLabel(16384))"].map { measure($0, seconds: 0.6).megabytesPerSecond ?? 0 } ?? 0
        let seal = records["3DES record seal \(sizeLabel(16384))"].map { measure($0, seconds: 0.6).megabytesPerSecond ?? 0 } ?? 0
        print("  single-core 3DES limits (16 KB records): round trip \(format(roundTrip, 1)) MB/s, seal \(format(seal, 1)) MB/s")
        if let configuration = env.client("3DES")?.configuration {
            let client = DicomAsyncClient(configuration)
            for n in [1, 2, 4] {
                guard let (mbps, _) = store(client, files, bytes: bytes, associations: n) else { continue }
                print("  C-STORE 50 x 1 MB, 3DES, \(n) association(s): \(format(mbps, 1)) MB/s = \(format(ratio(mbps, roundTrip), 2))× round trip, "
                    + "\(format(ratio(mbps, seal), 2))× seal")
            }
        }
        echoRate("plain TCP", try? DicomClientConfiguration(
            host: "127.0.0.1", port: DicomBenchEnvironment.shared?.server.port ?? 0, callingAETitle: "BENCHSCU", calledAETitle: "BENCH"))
        echoRate("TLS 3DES resumed", env.client("3DES", cache: TLSSessionCache())?.configuration)
        echoRate("TLS 3DES full handshake", env.client("3DES")?.configuration)
        if let configuration = env.client("NULL-SHA")?.configuration {
            let asyncClient = DicomAsyncClient(configuration)
            if let (_, cpu) = store(asyncClient, files, bytes: bytes, associations: 1, rounds: 3) {
                print("  C-STORE CPU per MB, NULL-SHA, both sides: async client \(format(cpu, 2)) ms/MB", terminator: "")
            }
            let blocking = DicomClient(configuration)
            let (_, cpu) = cpuAndWall(rounds: 3) { _ = try? blocking.store(files: files) }
            print(", blocking client \(format(cpu / (3 * Double(bytes) / 1e6) * 1e3, 2)) ms/MB (\(format(3 * Double(bytes) / 1e6, 0)) MB each)")
        }
    }

    static func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

    /// Stores the files `rounds` times; MB/s (wall) and CPU ms per MB (this process).
    static func store(_ client: DicomAsyncClient, _ files: [String], bytes: Int, associations: Int, rounds: Int = 2) -> (Double, Double)? {
        _ = wait { try await client.store(files: Array(files.prefix(4)), associations: associations) }  // warm-up
        var failed = false
        let (wall, cpu) = cpuAndWall(rounds: rounds) {
            let summary = wait { try await client.store(files: files, associations: associations) }
            if summary?.failures.isEmpty != true { failed = true }
        }
        guard !failed else {
            print("  C-STORE with \(associations) association(s) failed")
            return nil
        }
        let megabytes = Double(rounds * bytes) / 1e6
        return (megabytes / wall, cpu / megabytes * 1e3)
    }

    /// C-ECHO associations, one after another, for about two seconds.
    static func echoRate(_ label: String, _ configuration: DicomClientConfiguration?) {
        guard let configuration else { return }
        let client = DicomAsyncClient(configuration)
        _ = wait { try await client.echo() }
        var count = 0
        let start = now()
        while now() - start < 2 {
            guard wait({ try await client.echo() }) == .success else {
                print("  C-ECHO (\(label)) failed")
                return
            }
            count += 1
        }
        print("  C-ECHO associations through the async client, \(label): \(format(Double(count) / (now() - start), 0))/s")
    }

    /// Wall seconds and this process's CPU seconds (user + system) of `rounds` runs of `body`.
    static func cpuAndWall(rounds: Int, _ body: () -> Void) -> (Double, Double) {
        let c0 = processCPU(), t0 = now()
        for _ in 0..<rounds { body() }
        return (now() - t0, processCPU() - c0)
    }

    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs async work from the synchronous benchmark driver; nil if it threw.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T? {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = try? await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }
}
