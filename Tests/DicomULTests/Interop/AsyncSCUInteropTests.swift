import DicomNIO
import Foundation
import Synchronization
import Testing
import TLSHandshake
@testable import DicomUL

/// The async client (``DicomAsyncClient``) against DCMTK `storescp`, a pynetdicom SCP and our
/// blocking `DicomServer`, plain TCP and TLS 1.0; stored data sets compared byte for byte.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AsyncSCUInteropTests {
    static let dcmtk = DCMTKInteropTests.available
    /// DCMTK's socket timeout off (`-ts 0`): Swift Testing runs the synchronous tests on the
    /// cooperative pool (two threads here), so during the full suite the async client in this
    /// process was starved past DCMTK's default 60 s, which then closed the association.
    static let noSocketTimeout = ["-ts", "0"]
    typealias Profile = DicomTLSInteropTests.Profile

    static func client(port: UInt16, called: String, security: DicomSecurity = .none) throws -> DicomAsyncClient {
        DicomAsyncClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: called, timeouts: DicomTimeouts(connect: 30, reply: 120), security: security))
    }

    /// Echo, then the files over `associations` associations; every file must be stored.
    static func echoAndStore(_ client: DicomAsyncClient, _ files: [String], associations: Int) async throws {
        #expect(try await client.echo() == .success)
        let seen = Mutex<[Int]>([])
        let summary = try await client.store(files: files, associations: associations) { p in seen.withLock { $0.append(p.index) } }
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description))")
        #expect(summary.statuses.count == files.count)
        #expect(seen.withLock { $0.sorted() } == Array(1...files.count))
    }

    @Test(.enabled(if: dcmtk)) func asyncSCUToDCMTKStoreSCP() async throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("async-scu-dcmtk")
        let scp = try PeerProcess("/usr/bin/storescp", Self.noSocketTimeout + ["-aet", "DCMTKSCP", "-od", out, "+B", String(port)])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let src = try PeerProcess.temporaryFolder("async-scu-dcmtk-src")
        let files = try PeerProcess.writeObjects(3, rows: 300, columns: 300, in: src)
        try await Self.echoAndStore(try Self.client(port: port, called: "DCMTKSCP"), files.map(\.path), associations: 1)
        let stored = try DCMTKInteropTests.storedFiles(in: out)
        #expect(stored.count == 3)
        for f in files { #expect(try stored[f.object.sopInstanceUID].map(PeerProcess.dataSet(of:)) == f.object.dataSet) }
    }

    /// Over TLS 1.0 (NULL-SHA and AES-128) with our client certificate, DCMTK requiring it.
    @Test(.enabled(if: dcmtk), arguments: DicomTLSInteropTests.profiles)
    func asyncSCUToDCMTKStoreSCPOverTLS(_ profile: Profile) async throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("async-scu-dcmtk-tls")
        let scp = try PeerProcess("/usr/bin/storescp", [
            "+tls", pki.serverKey, pki.serverCert, "+cf", pki.caCert, profile.dcmtk, "-pw", "-rc",
            "-aet", "DCMTKSCP", "-od", out, "-ts", "0", String(port),
        ])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let links = EventLog()
        let options = SecureTransportOptions(onSecureLinkReady: { links.append($0.summary) }, checksServerName: false)
        let client = try Self.client(port: port, called: "DCMTKSCP", security: .tls(pki.client(suites: profile.suites), options))
        let src = try PeerProcess.temporaryFolder("async-scu-dcmtk-tls-src")
        let files = try PeerProcess.writeObjects(3, rows: 256, columns: 256, in: src)
        try await Self.echoAndStore(client, files.map(\.path), associations: 1)
        let stored = try DCMTKInteropTests.storedFiles(in: out)
        #expect(stored.count == 3, "\(scp.text)")
        for f in files { #expect(try stored[f.object.sopInstanceUID].map(PeerProcess.dataSet(of:)) == f.object.dataSet) }
        #expect(links.all.count == 2 && links.all.allSatisfy { $0.contains(profile.suite.name) }, "\(links.all)")
        // An untrusted client certificate: DCMTK refuses it; the error names the alert.
        let bad = try Self.client(port: port, called: "DCMTKSCP", security: .tls(
            pki.client(suites: [profile.suite], cert: pki.untrustedCert, key: pki.untrustedKey), SecureTransportOptions(checksServerName: false)))
        let error = try await #require(throws: DicomError.self) { try await bad.echo() }
        #expect(error.code == .tls && error.message.contains("TLS handshake with 127.0.0.1:\(port) failed"), "\(error)")
    }

    @Test(.enabled(if: PynetdicomInteropTests.available)) func asyncSCUToPynetdicomSCP() async throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("async-scu-py")
        let script = try InteropScripts.write(InteropScripts.scp, name: "scp")
        let scp = try PeerProcess("/usr/bin/env", ["python3", script, String(port), out, "PYSCP"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port), "\(scp.text)")
        let src = try PeerProcess.temporaryFolder("async-scu-py-src")
        let files = try PeerProcess.writeObjects(4, rows: 300, columns: 200, in: src)
        // pynetdicom's maximum PDU is 16382: the data sets go in many P-DATA-TFs.
        try await Self.echoAndStore(try Self.client(port: port, called: "PYSCP"), files.map(\.path), associations: 2)
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
    }

    /// pynetdicom SCP over Python `ssl` (TLS 1.0, NULL-SHA or AES128-SHA, CERT_REQUIRED).
    @Test(.enabled(if: PynetdicomInteropTests.available), arguments: DicomTLSInteropTests.profiles)
    func asyncSCUToPynetdicomSCPOverTLS(_ profile: Profile) async throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("async-scu-py-tls")
        let script = try InteropScripts.write(SecureInteropScripts.scp, name: "tls-scp")
        let scp = try PeerProcess(
            "/usr/bin/env", ["python3", script, String(port), out, "PYSCP", pki.serverCert, pki.serverKey, pki.caCert],
            environment: ["DICOMTLS_CIPHERS": profile.openSSL])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port), "\(scp.text)")
        let links = EventLog()
        let client = try Self.client(port: port, called: "PYSCP", security: .tls(
            pki.client(suites: profile.suites), SecureTransportOptions(onSecureLinkReady: { links.append($0.summary) })))
        let src = try PeerProcess.temporaryFolder("async-scu-py-tls-src")
        let files = try PeerProcess.writeObjects(2, rows: 512, columns: 512, in: src)
        try await Self.echoAndStore(client, files.map(\.path), associations: 1)
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        #expect(links.all.count == 2 && links.all.allSatisfy { $0.contains(profile.suite.name) && $0.contains("CN=localhost") }, "\(links.all)")
    }
}
