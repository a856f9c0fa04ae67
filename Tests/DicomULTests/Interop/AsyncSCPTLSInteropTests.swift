import DicomNIO
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
import TLSHandshake
import X509
@testable import DicomUL

/// DICOM over TLS 1.0 into the async SCP: DCMTK and pynetdicom SCUs (NULL-SHA and AES-128,
/// client certificates required), pynetdicom over plain TCP, and the certificate ↔ AE title
/// binding. Stored data sets compared byte for byte.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AsyncSCPTLSInteropTests {
    typealias Profile = DicomTLSInteropTests.Profile
    static let dcmtk = DCMTKInteropTests.available

    /// Log lines (message and metadata) from the server's Logger.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var logger: Logger { Logger(label: "test") { _ in Handler(sink: self) } }
        var all: [String] { lines.withLock { $0 } }
        func wait(for text: String, timeout: Double = 5) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if all.contains(where: { $0.contains(text) }) { return true }
                usleep(20_000)
            }
            return false
        }
        struct Handler: LogHandler {
            let sink: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let all = metadata.merging(event.metadata ?? [:]) { $1 }
                let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                sink.lines.withLock { $0.append("\(event.level) \(event.message) [\(meta)]") }
            }
        }
    }

    @Test(.enabled(if: dcmtk), arguments: DicomTLSInteropTests.profiles)
    func dcmtkTLSToAsyncSCP(_ profile: Profile) async throws {
        let pki = try DicomTestPKI.get()
        let out = try PeerProcess.temporaryFolder("async-tls-scp")
        let log = Lines()
        let (server, task, port) = try await AsyncSCPInteropTests.startSCP(
            out: out, security: .tls(try pki.server(suites: profile.suites)), logger: log.logger)
        let conf = NSTemporaryDirectory() + "dicomul-openssl-tls1-\(UUID().uuidString).cnf"
        try SecureInteropScripts.openSSLTLS10.write(toFile: conf, atomically: true, encoding: .utf8)
        let env = ["OPENSSL_CONF": conf, "TCP_NODELAY": "1"]
        let dcmtkTLS = ["+tls", pki.clientKey, pki.clientCert, "+cf", pki.caCert, profile.dcmtk, "-pw", "-aec", "OURSCP"]
        let src = try PeerProcess.temporaryFolder("async-tls-src")
        let files = try PeerProcess.writeObjects(3, rows: 200, columns: 200, in: src)
        let (echo, store) = try await offPool {
            let echo = try PeerProcess("/usr/bin/echoscu", dcmtkTLS + ["127.0.0.1", String(port)], environment: env)
            let e = (echo.wait(timeout: 20), echo.text)
            let store = try PeerProcess("/usr/bin/storescu", dcmtkTLS + ["127.0.0.1", String(port)] + files.map(\.path), environment: env)
            return (e, (store.wait(timeout: 30), store.text))
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(echo.0 == 0, "\(echo.1) \(log.all)")
        #expect(store.0 == 0, "\(store.1) \(log.all)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        // Association metadata: suite and certificate subject.
        #expect(log.all.contains { $0.contains("tls_suite=\(profile.suite.name)") && $0.contains("CN=Interop Test Client") }, "\(log.all)")
    }

    @Test(arguments: DicomTLSInteropTests.profiles)
    func pynetdicomTLSToAsyncSCP(_ profile: Profile) async throws {
        let pki = try DicomTestPKI.get()
        let out = try PeerProcess.temporaryFolder("async-tls-py")
        let (server, task, port) = try await AsyncSCPInteropTests.startSCP(out: out, security: .tls(try pki.server(suites: profile.suites)))
        let src = try PeerProcess.temporaryFolder("async-tls-py-src")
        let files = try PeerProcess.writeObjects(2, rows: 300, columns: 300, in: src)
        let script = try InteropScripts.write(SecureInteropScripts.scu, name: "tls-scu")
        let (code, text) = try await offPool {
            let scu = try PeerProcess(
                "/usr/bin/env", ["python3", script, String(port), "OURSCP", pki.clientCert, pki.clientKey, pki.caCert] + files.map(\.path),
                environment: ["DICOMTLS_CIPHERS": profile.openSSL])
            return (scu.wait(timeout: 60), scu.text)
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(code == 0, "\(text)")
        #expect(text.contains("CIPHER \(profile.openSSLName) TLSv1"), "\(text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
    }

    @Test func pynetdicomPlainToAsyncSCP() async throws {
        let out = try PeerProcess.temporaryFolder("async-py")
        let (server, task, port) = try await AsyncSCPInteropTests.startSCP(out: out)
        let src = try PeerProcess.temporaryFolder("async-py-src")
        let files = try PeerProcess.writeObjects(2, rows: 300, columns: 300, in: src)
        let script = try InteropScripts.write(InteropScripts.scu, name: "scu")
        let (code, text) = try await offPool {
            let scu = try PeerProcess("/usr/bin/env", ["python3", script, String(port), "OURSCP"] + files.map(\.path))
            return (scu.wait(timeout: 60), scu.text)
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(code == 0 && text.contains("OK"), "\(text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
    }

    /// The binding lists the interop client certificate for CT1 only: the same valid
    /// certificate calling as MR2 is refused (A-ASSOCIATE-RJ permanent, service-user,
    /// calling-AE-title-not-recognized, seen by the client) and the log says why.
    @Test func certificateBindingRefusesAnotherModalitysAETitle() async throws {
        let pki = try DicomTestPKI.get()
        let out = try PeerProcess.temporaryFolder("async-binding")
        let log = Lines()
        let subject = try #require(try TLSConfiguration.certificates(pemFile: pki.clientCert).first).subject.description
        let (server, task, port) = try await AsyncSCPInteropTests.startSCP(
            out: out, security: .tls(try pki.server(suites: DicomTLSInteropTests.nullSHA)), logger: log.logger
        ) { $0.certificateBinding = CertificateAEBinding(table: ["CT1": [.subject(subject)]]) }
        let client = { @Sendable (calling: String) throws -> DicomClient in
            DicomClient(try DicomClientConfiguration(
                host: "127.0.0.1", port: port, callingAETitle: calling, calledAETitle: "OURSCP", timeouts: DicomTimeouts(connect: 30, reply: 120),
                security: .tls(try pki.client(suites: DicomTLSInteropTests.nullSHA))))
        }
        let (good, bad) = try await offPool { () -> (DIMSEStatus?, String) in
            let good = try? client("CT1").echo()
            do {
                _ = try client("MR2").echo()
                return (good, "accepted")
            } catch let error as DicomError {
                return (good, "\(error.code.name): \(error.message)")
            } catch {
                return (good, "\(error)")
            }
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(good == .success)
        #expect(bad.hasPrefix("associationRejected"), "\(bad)")
        #expect(bad.contains("rejected-permanent") && bad.contains("service-user") && bad.contains("calling-AE-title-not-recognized"), "\(bad)")
        #expect(log.all.contains { $0.contains("certificate–AE title binding") && $0.contains("\"MR2\" is not bound") && $0.contains(subject) }, "\(log.all)")
    }
}

/// `dicomtls storescp --async`: DCMTK over TLS (NULL-SHA, client certificate required) stores
/// byte for byte and the CLI prints the same lines as the blocking server; `--bind-ae`
/// refuses the same certificate calling as another modality.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AsyncStoreSCPCLITests {
    @Test(.enabled(if: DCMTKInteropTests.available && DicomTLSInteropTests.cli))
    func dcmtkToStoreSCPAsync() async throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("async-cli-scp")
        let subject = try #require(try TLSConfiguration.certificates(pemFile: pki.clientCert).first).subject.description
        let scp = try PeerProcess(DicomTLSInteropTests.binary, [
            "storescp", "--async", "--port", String(port), "--output-dir", out, "--aet", "OURSCP", "--host", "127.0.0.1", "-v",
            "--bind-ae", "STORESCU=\(subject)", "--bind-ae", "ECHOSCU=\(subject)",
        ] + DicomTLSInteropTests.cliTLS(pki, server: true))
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let conf = NSTemporaryDirectory() + "dicomul-openssl-tls1-\(UUID().uuidString).cnf"
        try SecureInteropScripts.openSSLTLS10.write(toFile: conf, atomically: true, encoding: .utf8)
        let env = ["OPENSSL_CONF": conf, "TCP_NODELAY": "1"]
        let dcmtkTLS = ["+tls", pki.clientKey, pki.clientCert, "+cf", pki.caCert, "--profile-null", "-pw", "-aec", "OURSCP"]
        let src = try PeerProcess.temporaryFolder("async-cli-src")
        let files = try PeerProcess.writeObjects(3, rows: 200, columns: 200, in: src)
        let (echo, store, other) = try await offPool {
            let echo = try PeerProcess("/usr/bin/echoscu", dcmtkTLS + ["127.0.0.1", String(port)], environment: env)
            let e = (echo.wait(timeout: 20), echo.text)
            let store = try PeerProcess("/usr/bin/storescu", dcmtkTLS + ["127.0.0.1", String(port)] + files.map(\.path), environment: env)
            let s = (store.wait(timeout: 30), store.text)
            let other = try PeerProcess("/usr/bin/echoscu", dcmtkTLS + ["-aet", "MR2", "127.0.0.1", String(port)], environment: env)
            return (e, s, (other.wait(timeout: 20), other.text))
        }
        #expect(echo.0 == 0, "\(echo.1) \(scp.text)")
        #expect(store.0 == 0, "\(store.1) \(scp.text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        #expect(scp.text.contains("TLS 1.0 " + DicomTLSInteropTests.reported(.rsaWithNullSHA)), "\(scp.text)")
        #expect(scp.text.contains("CN=Interop Test Client"), "\(scp.text)")
        #expect(scp.text.contains("association accepted from \"STORESCU\""), "\(scp.text)")
        #expect(other.0.map { $0 != 0 } ?? false, "\(other.1)")
        #expect(other.1.contains("Calling AE Title Not Recognized"), "\(other.1)")
        #expect(scp.text.contains("\"MR2\" is not bound"), "\(scp.text)")
    }
}
