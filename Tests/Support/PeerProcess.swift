import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real peer (gnutls-serv, openssl s_client, a tlslite-ng script, our own CLI) run as a
/// subprocess for one test; shared by the interop and load tests.
///
/// Output is captured on background threads; every wait is bounded; `stop()` (also called
/// from `deinit`) kills the process by its PID — SIGTERM, then SIGKILL — so no peer outlives
/// its test.
public final class PeerProcess: Sendable {
    /// A bounded wait that ran out, or a process that could not start.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// A failure with its explanation.
        public init(description: String) { self.description = description }
    }

    /// A short label for messages, e.g. "gnutls-serv".
    public let name: String
    private let process: Process
    private let stdinHandle: FileHandle
    private let captured = Captured()

    /// Starts `executable` with `arguments`; stdin is a pipe the test can write to.
    public init(_ executable: String, _ arguments: [String], name: String? = nil,
         environment: [String: String]? = nil, directory: String? = nil) throws {
        // A peer that exits before reading its stdin must not kill the test runner with
        // SIGPIPE: writes then fail with EPIPE (children get default dispositions back).
        signal(SIGPIPE, SIG_IGN)
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        self.process = process
        stdinHandle = stdin.fileHandleForWriting
        // Our ends of the child's stdout/stderr write sides must close, or EOF never comes.
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        try? stdin.fileHandleForReading.close()
        let captured = self.captured
        for (handle, isOut) in [(stdout.fileHandleForReading, true), (stderr.fileHandleForReading, false)]{
            Thread {
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    captured.bytes.withLock { if isOut { $0.out += chunk } else { $0.err += chunk } }
                }
                captured.finishedReaders.add(1, ordering: .releasing)
            }.start()
        }
    }

    deinit { stop() }

    /// The process ID (for messages).
    public var pid: Int32 { process.processIdentifier }
    /// Whether the process still runs.
    public var isRunning: Bool { process.isRunning }
    /// Everything the peer wrote to stdout so far.
    public var stdout: [UInt8] { captured.bytes.withLock { $0.out } }
    /// Everything the peer wrote to stderr so far.
    public var stderr: [UInt8] { captured.bytes.withLock { $0.err } }
    /// stdout then stderr as text (lossy), for matching messages such as alert names.
    public var text: String {
        let (out, err) = captured.bytes.withLock { ($0.out, $0.err) }
        return String(decoding: out, as: UTF8.self) + "\n" + String(decoding: err, as: UTF8.self)
    }

    /// Waits until stdout or stderr contains `marker`, the process exits, or `timeout` passes.
    @discardableResult
    public func waitForOutput(_ marker: String, timeout: Duration = .seconds(10)) throws -> Bool {
        let needle = Array(marker.utf8)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (out, err) = captured.bytes.withLock { ($0.out, $0.err) }
            if Self.contains(out, needle) || Self.contains(err, needle) { return true }
            if !process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)  // let the readers drain
                let (o, e) = captured.bytes.withLock { ($0.out, $0.err) }
                if Self.contains(o, needle) || Self.contains(e, needle) { return true }
                throw Failure(description: "\(name) exited (status \(process.terminationStatus)) before printing '\(marker)':\n\(text)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Failure(description: "\(name) did not print '\(marker)' within \(timeout):\n\(text)")
    }

    /// Waits until stdout holds at least `count` bytes after `marker` (or from the start).
    public func waitForStdout(count: Int, after marker: String? = nil, timeout: Duration) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let out = stdout
            let start = marker.flatMap { Self.range(of: Array($0.utf8), in: out)?.upperBound } ?? (marker == nil ? 0 : nil)
            if let start, out.count - start >= count { return Array(out[start..<(start + count)]) }
            if ContinuousClock.now >= deadline || !process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                let have = start.map { stdout.count - $0 } ?? 0
                throw Failure(description: "\(name): wanted \(count) bytes on stdout, got \(have) (running: \(process.isRunning)):\n\(String(decoding: stderr, as: UTF8.self).suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Waits until stdout holds `payload.count` bytes starting where `payload`'s first line
    /// appears (for peers that print status lines before the data), and returns them.
    public func waitForPayload(_ payload: [UInt8], timeout: Duration) throws -> [UInt8] {
        let firstLine = Array(payload.prefix { $0 != 0x0A })
        let deadline = ContinuousClock.now + timeout
        while true {
            let out = stdout
            if let start = Self.range(of: firstLine, in: out)?.lowerBound, out.count - start >= payload.count {
                return Array(out[start..<(start + payload.count)])
            }
            if ContinuousClock.now >= deadline || !process.isRunning {
                Thread.sleep(forTimeInterval: 0.05)
                let have = Self.range(of: firstLine, in: stdout).map { stdout.count - $0.lowerBound } ?? 0
                throw Failure(description: "\(name): wanted \(payload.count) payload bytes on stdout, saw \(have) (running: \(process.isRunning)):\n\(String(decoding: stderr, as: UTF8.self).suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Writes `bytes` to the peer's stdin on a background thread (pipes hold only 64 KiB).
    public func feed(_ bytes: [UInt8], thenClose: Bool = false) {
        let handle = stdinHandle
        let data = Data(bytes)
        Thread {
            try? handle.write(contentsOf: data)
            if thenClose { try? handle.close() }
        }.start()
    }

    /// Closes the peer's stdin (end of input).
    public func closeStdin() { try? stdinHandle.close() }

    /// Waits for the process to exit by itself; returns its status, or nil on timeout.
    ///
    /// After the exit it also waits (up to 2 s more) until everything the process wrote has
    /// been captured, so `text` and `stdout` are complete when this returns a status.
    public func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let drained = ContinuousClock.now + .seconds(2)
        while captured.finishedReaders.load(ordering: .acquiring) < 2 && ContinuousClock.now < drained {
            Thread.sleep(forTimeInterval: 0.005)
        }
        return process.terminationStatus
    }

    /// Kills the process by PID: SIGTERM, up to 2 s grace, then SIGKILL. Idempotent.
    public func stop() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        if waitForExit(timeout: .seconds(2)) == nil {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: .seconds(2))
        }
        try? stdinHandle.close()
    }

    /// The captured output, shared with the reader threads.
    private final class Captured: Sendable {
        let bytes = Mutex<(out: [UInt8], err: [UInt8])>(([], []))
        /// How many of the two reader threads have seen end of file.
        let finishedReaders = Atomic<Int>(0)
    }

    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { range(of: needle, in: haystack) != nil }

    public static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) {
                return i..<(i + needle.count)
            }
            i += 1
        }
        return nil
    }
}
