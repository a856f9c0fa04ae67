import DicomNIO
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
@testable import DicomUL

/// DCMTK and pynetdicom SCUs against the async SCP (``DicomAsyncServer`` with the folder
/// handler), plain TCP; stored data sets compared byte for byte.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AsyncSCPInteropTests {
    static let dcmtk = DCMTKInteropTests.available

    /// Starts an async storage SCP into `out`; returns it, its task and port.
    static func startSCP(
        out: String, security: DicomSecurity = .none, logger: Logger = Logger(label: "test"),
        configure: (inout DicomAsyncServerConfiguration) -> Void = { _ in }
    ) async throws -> (DicomAsyncServer, Task<Void, any Error>, UInt16) {
        var configuration = DicomAsyncServerConfiguration(host: "127.0.0.1", port: 0, security: security, logger: logger)
        configuration.services = DicomServices(store: try FolderStorageHandler(directory: out))
        configure(&configuration)
        let server = DicomAsyncServer(configuration)
        let task = Task { try await server.run() }
        return (server, task, UInt16(try await server.port()))
    }

    @Test(.enabled(if: dcmtk)) func dcmtkEchoAndStoreToAsyncSCP() async throws {
        let out = try PeerProcess.temporaryFolder("async-scp")
        let (server, task, port) = try await Self.startSCP(out: out)
        let src = try PeerProcess.temporaryFolder("async-scu-src")
        let files = try PeerProcess.writeObjects(3, rows: 400, columns: 300, in: src)
        let (echo, store) = try await offPool {
            let echo = try PeerProcess("/usr/bin/echoscu", ["-aec", "OURSCP", "127.0.0.1", String(port)])
            let e = (echo.wait(timeout: 20), echo.text)
            let store = try PeerProcess(
                "/usr/bin/storescu", ["-aec", "OURSCP", "127.0.0.1", String(port)] + files.map(\.path), environment: ["TCP_NODELAY": "1"])
            return (e, (store.wait(timeout: 30), store.text))
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(echo.0 == 0, "\(echo.1)")
        #expect(store.0 == 0, "\(store.1)")
        for f in files {
            let path = out + "/" + f.object.sopInstanceUID + ".dcm"
            #expect(try PeerProcess.dataSet(of: path) == f.object.dataSet)
            #expect(try Part10File(path: path).transferSyntaxUID == DicomUID.explicitVRLittleEndian)
        }
    }
}
