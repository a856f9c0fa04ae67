import DicomUL
import Foundation
@testable import DicomNIO

/// Runs a ``DicomAsyncServer`` for a test on loopback and stops it afterwards.
struct RunningServer {
    let server: DicomAsyncServer
    let task: Task<Void, any Error>
    let port: UInt16

    /// Starts `configuration` (host 127.0.0.1, port 0) and waits until it listens.
    static func start(_ configure: (inout DicomAsyncServerConfiguration) -> Void) async throws -> RunningServer {
        var configuration = DicomAsyncServerConfiguration(host: "127.0.0.1", port: 0)
        // Generous timers: the server's handlers run on the concurrency pool, which the
        // blocking interop tests of a full run can hold for a minute on 2 cores. Tests of the
        // timers themselves set their own.
        configuration.timeouts.artim = 180
        configure(&configuration)
        let server = DicomAsyncServer(configuration)
        let task = Task { try await server.run() }
        let port = try await server.port()
        return RunningServer(server: server, task: task, port: UInt16(port))
    }

    /// Stops, bounded: the grace period, then aborts.
    func stop(grace: Duration = .seconds(1)) async {
        _ = await server.stop(gracePeriod: grace)
        _ = try? await task.value
    }
}

/// A C-FIND-RQ (PS3.7 Table 9.3-2) for `sopClass`, priority medium, with an identifier.
func findRequest(sopClass: String, messageID: UInt16) -> CommandSet {
    var rq = CommandSet()
    rq.set(0x0002, uid: sopClass)  // Affected SOP Class UID
    rq.set(0x0100, uint16: CommandField.cFindRQ.rawValue)
    rq.set(0x0110, uint16: messageID)
    rq.set(0x0700, uint16: 0)  // Priority: medium
    rq.set(0x0800, uint16: 0)  // Command Data Set Type: an identifier follows
    return rq
}

/// A fresh empty temporary folder.
func temporaryFolder(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "dicomnio-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes generated objects as Part 10 files; returns their paths and data sets.
func writeObjects(_ count: Int, rows: Int = 64, columns: Int = 64, in folder: String) throws -> [(path: String, object: DicomObjectGenerator.Object)] {
    try (0..<count).map { i in
        let o = DicomObjectGenerator.secondaryCapture(rows: rows, columns: columns, seed: UInt8(truncatingIfNeeded: i))
        let path = folder + "/obj\(i).dcm"
        try Data(o.part10).write(to: URL(fileURLWithPath: path))
        return (path, o)
    }
}

/// The data set bytes of a stored Part 10 file.
func storedDataSet(_ path: String) throws -> [UInt8] {
    let h = try Part10File(path: path)
    let all = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    return Array(all[h.dataSetOffset...])
}
