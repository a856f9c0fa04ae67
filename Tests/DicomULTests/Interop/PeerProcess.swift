import Foundation
@testable import DicomUL

/// Starting external peers (DCMTK, pynetdicom) on loopback with bounded waits, killed by PID.
final class PeerProcess: @unchecked Sendable {  // `collected` is guarded by `lock`
    let process = Process()
    let output = Pipe()
    private var collected = Data()
    /// The pipe reached its end (every writer has exited).
    private var ended = false
    private let lock = NSLock()

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self else { return }
            self.lock.lock()
            if d.isEmpty {
                self.ended = true
                h.readabilityHandler = nil  // at the end: stop being called
            } else {
                self.collected.append(d)
            }
            self.lock.unlock()
        }
        try process.run()
    }

    /// Everything the peer printed so far.
    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits for exit up to `timeout` seconds; kills and returns nil on timeout.
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill()
            return nil
        }
        // Let the pipe drain to its end (a loaded machine can take far longer than 50 ms).
        let drained = Date().addingTimeInterval(5)
        while Date() < drained, !lock.withLock({ ended }) { usleep(10_000) }
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit { kill() }

    /// A free loopback port (bind port 0, read it back, close).
    static func freePort() throws -> UInt16 {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        return listener.port
    }

    /// Waits until something accepts TCP connections on `port`, up to `timeout` seconds.
    /// Peers usually listen within a second; the bound is for a machine whose two cores run
    /// other test suites at the same time (DCMTK's `storescp` once took over 10 s there).
    static func waitForPort(_ port: UInt16, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let t = try? TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 0.5) {
                t.close()
                return true
            }
            usleep(50_000)
        }
        return false
    }

    /// A fresh empty temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "dicomul-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes generated objects as Part 10 files; returns their paths and data sets.
    static func writeObjects(_ count: Int, rows: Int = 64, columns: Int = 64, in folder: String) throws -> [(path: String, object: DicomObjectGenerator.Object)] {
        try (0..<count).map { i in
            let o = DicomObjectGenerator.secondaryCapture(rows: rows, columns: columns, seed: UInt8(truncatingIfNeeded: i))
            let path = folder + "/obj\(i).dcm"
            try Data(o.part10).write(to: URL(fileURLWithPath: path))
            return (path, o)
        }
    }

    /// The data set bytes of a Part 10 file, as our reader finds them.
    static func dataSet(of path: String) throws -> [UInt8] {
        let h = try Part10File(path: path)
        let all = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return Array(all[h.dataSetOffset...])
    }
}
