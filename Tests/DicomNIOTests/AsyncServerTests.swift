import DicomUL
import Foundation
import Testing
import TestSupport
@testable import DicomNIO

/// The acceptor side of the driver, end to end on loopback: our blocking client (the other
/// driver of the same ``ULConnection``) against the async server.
@Suite(.timeLimit(.minutes(2))) struct AsyncServerTests {
    @Test func echoAndStoreToFolder() async throws {
        let out = try temporaryFolder("store")
        let storage = try FolderStorageHandler(directory: out)
        let running = try await RunningServer.start { $0.services = DicomServices(store: storage) }
        let port = running.port
        let src = try temporaryFolder("src")
        // 600×600 at 16 bits: a 720 KB data set, many PDUs at the default 64 KiB maximum.
        let files = try writeObjects(3, rows: 600, columns: 600, in: src)
        let (echo, summary) = try await offPool {
            let client = DicomClient(try DicomClientConfiguration(
                host: "127.0.0.1", port: port, calledAETitle: "ANY", timeouts: DicomTimeouts(connect: 30, reply: 120),
                maximumReceivePDULength: 16384))
            return (try client.echo(), try client.store(files: files.map(\.path)))
        }
        await running.stop()
        #expect(echo == .success)
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description))")
        for f in files {
            #expect(try storedDataSet(out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
    }
}
