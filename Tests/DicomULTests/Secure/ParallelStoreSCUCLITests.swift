import Foundation
import Testing
import TLSHandshake
@testable import DicomUL

/// `dicomtls storescu --associations N` (the async client) → `dicomtls storescp`, ours ↔ ours
/// over TLS 1.0 3DES with mutual authentication (PS3.15 B.1).
@Suite(.serialized, .timeLimit(.minutes(5))) struct ParallelStoreSCUCLITests {
    static let binary = CLIInteropTests.binary
    static let cli = FileManager.default.isExecutableFile(atPath: binary)

    @Test(.enabled(if: cli)) func parallelStoreOverTripleDESWithMutualAuthentication() throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("cli-3des-scp")
        let suite = ["--ciphers", CipherSuite.rsaWith3DESEDECBCSHA.name]
        let scp = try PeerProcess(Self.binary, [
            "storescp", "--port", String(port), "--output-dir", out, "--aet", "OURSCP", "--host", "127.0.0.1", "-v",
            "--tls", "--cert", pki.serverCert, "--key", pki.serverKey, "--ca-file", pki.caCert, "--verify", "require",
        ] + suite)
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let src = try PeerProcess.temporaryFolder("cli-3des-src")
        let files = try PeerProcess.writeObjects(6, rows: 256, columns: 256, in: src)
        let tls = ["--tls", "--cert", pki.clientCert, "--key", pki.clientKey, "--ca-file", pki.caCert] + suite
        let store = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), src, "--call", "OURSCP", "--associations", "3"] + tls)
        #expect(store.wait(timeout: 60) == 0, "\(store.text) \(scp.text)")
        #expect(store.text.contains("6 file(s), 6 stored, 0 failed"), "\(store.text)")
        // Each file's line, each association's link line (3DES, the server's certificate).
        for i in 1...6 { #expect(store.text.contains("[\(i)/6] "), "\(store.text)") }
        let links = store.text.components(separatedBy: "\n").filter { $0.contains("TLS link with 127.0.0.1:\(port)") }
        #expect(links.count == 3 && links.allSatisfy { $0.contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA") }, "\(store.text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        // The server saw our client certificate.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !scp.text.contains("CN=Interop Test Client") { usleep(20_000) }
        #expect(scp.text.contains("CN=Interop Test Client"), "\(scp.text)")
        // --associations out of range: a usage error.
        let bad = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), src, "--associations", "0"])
        #expect(bad.wait(timeout: 20).map { $0 != 0 } ?? false)
        #expect(bad.text.contains("--associations"), "\(bad.text)")
    }
}
