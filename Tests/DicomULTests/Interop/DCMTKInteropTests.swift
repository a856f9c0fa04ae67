import Foundation
import Synchronization
import Testing
@testable import DicomUL

/// Plain-TCP interop with DCMTK 3.6.7 (`/usr/bin/...`, called by full path: pip's pynetdicom
/// installs commands with the same names).
@Suite(.serialized, .timeLimit(.minutes(5))) struct DCMTKInteropTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/storescp")

    /// Every stored file in `folder`, by SOP instance UID.
    static func storedFiles(in folder: String) throws -> [String: String] {
        var map: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            if let h = try? Part10File(path: path) { map[h.sopInstanceUID] = path }
        }
        return map
    }

    @Test(.enabled(if: available)) func ourSCUToDCMTKStoreSCP() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("dcmtk-scp")
        let scp = try PeerProcess("/usr/bin/storescp", ["-aet", "DCMTKSCP", "-od", out, "+B", String(port)])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "DCMTKSCP", timeouts: DicomTimeouts(connect: 5, reply: 20)))
        #expect(try client.echo() == .success)
        let src = try PeerProcess.temporaryFolder("dcmtk-src")
        let files = try PeerProcess.writeObjects(3, rows: 512, columns: 512, in: src)
        let summary = try client.store(files: files.map(\.path))
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description))")
        #expect(summary.statuses.count == 3)
        let stored = try Self.storedFiles(in: out)
        #expect(stored.count == 3)
        for f in files {
            guard let path = stored[f.object.sopInstanceUID] else {
                Issue.record("DCMTK did not store \(f.object.sopInstanceUID)")
                continue
            }
            #expect(try PeerProcess.dataSet(of: path) == f.object.dataSet)
        }
    }

    @Test(.enabled(if: available)) func dcmtkEchoAndStoreToOurSCP() throws {
        let out = try PeerProcess.temporaryFolder("our-scp")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let port = String(server.port)
        let echo = try PeerProcess("/usr/bin/echoscu", ["-aec", "OURSCP", "127.0.0.1", port])
        #expect(echo.wait(timeout: 20) == 0, "\(echo.text)")
        let src = try PeerProcess.temporaryFolder("dcmtk-scu-src")
        let files = try PeerProcess.writeObjects(3, rows: 400, columns: 300, in: src)
        let store = try PeerProcess("/usr/bin/storescu", ["-aec", "OURSCP", "127.0.0.1", port] + files.map(\.path), environment: ["TCP_NODELAY": "1"])
        #expect(store.wait(timeout: 30) == 0, "\(store.text)")
        for f in files {
            let path = out + "/" + f.object.sopInstanceUID + ".dcm"
            #expect(try PeerProcess.dataSet(of: path) == f.object.dataSet)
            #expect(try Part10File(path: path).transferSyntaxUID == DicomUID.explicitVRLittleEndian)
        }
        // DCMTK's own parser accepts the files we wrote.
        let dump = try PeerProcess("/usr/bin/dcmdump", ["-q", out + "/" + files[0].object.sopInstanceUID + ".dcm"])
        #expect(dump.wait(timeout: 10) == 0)
        #expect(dump.text.contains(f0: files[0].object.sopInstanceUID))
    }

    @Test(.enabled(if: available)) func dcmtkWithWrongCalledAETitleIsRejected() throws {
        let out = try PeerProcess.temporaryFolder("our-scp-rj")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let echo = try PeerProcess("/usr/bin/echoscu", ["-aec", "SOMEONEELSE", "127.0.0.1", String(server.port)])
        #expect(echo.wait(timeout: 20) != 0)
        #expect(echo.text.lowercased().contains("called ae title not recognized") || echo.text.contains("Called AE Title Not Recognized"), "\(echo.text)")
    }

    /// A fresh self-signed key and certificate for DCMTK's TLS mode (openssl CLI).
    static func makeCertificate(in folder: String) throws -> (key: String, cert: String) {
        let key = folder + "/key.pem", cert = folder + "/cert.pem"
        let gen = try PeerProcess("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
        ])
        guard gen.wait(timeout: 30) == 0 else { throw DicomError(.io, "openssl req failed: \(gen.text)") }
        return (key, cert)
    }

    /// Our plain client against DCMTK's TLS port: a clear error, no hang.
    @Test(.enabled(if: available)) func plainClientOnDCMTKTLSPort() throws {
        let folder = try PeerProcess.temporaryFolder("dcmtk-tls")
        let (key, cert) = try Self.makeCertificate(in: folder)
        let port = try PeerProcess.freePort()
        let scp = try PeerProcess("/usr/bin/storescp", ["+tls", key, cert, "-pw", "-od", folder, String(port)])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 5, artim: 5, reply: 10)))
        let t0 = Date()
        do {
            _ = try client.echo()
            Issue.record("plain echo to a TLS port succeeded")
        } catch {
            #expect(error.message.contains("expect TLS") || error.code == .protocolMismatch, "\(error)")
        }
        #expect(Date().timeIntervalSince(t0) < 10)
    }

    /// DCMTK's TLS client against our plain port: our SCP names the problem.
    @Test(.enabled(if: available)) func dcmtkTLSClientOnOurPlainPort() throws {
        let lines = Mutex<[String]>([])
        let out = try PeerProcess.temporaryFolder("our-plain")
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, host: "127.0.0.1", timeouts: DicomTimeouts(artim: 5),
            log: { line in lines.withLock { $0.append(line) } }))
        server.start()
        defer { server.stop() }
        let echo = try PeerProcess("/usr/bin/echoscu", ["+tla", "-ic", "-aec", "STORESCP", "127.0.0.1", String(server.port)])
        #expect(echo.wait(timeout: 20).map { $0 != 0 } ?? false, "\(echo.text)")
        let deadline = Date().addingTimeInterval(3)
        let wanted = "peer is speaking TLS on a plain DICOM port"
        while Date() < deadline, !lines.withLock({ $0.contains { $0.contains(wanted) } }) { usleep(20_000) }
        #expect(lines.withLock { $0.contains { $0.contains(wanted) } }, "\(lines.withLock { $0 })")
    }
}

extension String {
    /// `contains` that reads better next to UIDs in expectations.
    func contains(f0 other: String) -> Bool { contains(other) }
}
