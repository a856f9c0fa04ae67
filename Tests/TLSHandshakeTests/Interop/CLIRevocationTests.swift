import Foundation
import Testing
import TLSHandshake
import TestSupport
import X509

/// `--crl-file` on the CLI: `tls-client` refuses a revoked server with `certificate_revoked`,
/// and `tls-server` refuses a revoked GnuTLS client certificate the same way.
@Suite(.timeLimit(.minutes(2))) struct CLIRevocationTests {
    /// A CRL signed by the interop CA revoking `revoked` (a PEM certificate file).
    static func crlFile(revoking revoked: String, pki: TestPKI) throws -> String {
        let ca = try Certificate(pemEncoded: String(contentsOfFile: pki.caCert, encoding: .utf8))
        let caKey = try RSAPrivateKey(pemEncoded: String(contentsOfFile: pki.path("ca.key"), encoding: .utf8))
        let leaf = try Certificate(pemEncoded: String(contentsOfFile: revoked, encoding: .utf8))
        let now = Int64(Date().timeIntervalSince1970)
        var builder = CRLBuilder(
            thisUpdate: try VerificationPolicy(secondsSince1970: now - 3600).time,
            nextUpdate: try VerificationPolicy(secondsSince1970: now + 86_400).time, crlNumber: [1])
        builder.revoke(serialNumber: leaf.serialNumber, at: try VerificationPolicy(secondsSince1970: now - 60).time, reason: .keyCompromise)
        let path = pki.path("revoked-\(UUID().uuidString).crl")
        try Data(builder.signed(by: ca, key: caKey).derBytes).write(to: URL(fileURLWithPath: path))  // DER, as some CAs publish
        return path
    }

    @Test func tlsClientRefusesARevokedServer() async throws {
        let pki = try TestPKI.get()
        let crl = try Self.crlFile(revoking: pki.serverCert, pki: pki)
        let (server, port) = try CLIInteropTests.startServer(["--cert", pki.serverCert, "--key", pki.serverKey])
        defer { server.stop() }
        let client = try PeerProcess(
            try CLIInteropTests.binary(),
            ["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert, "--server-name", "localhost", "--crl-file", crl],
            name: "dicomtls tls-client")
        defer { client.stop() }
        #expect(await client.exitStatus(within: 20) == 1)
        let stderr = String(decoding: client.stderr, as: UTF8.self)
        #expect(stderr.contains("certificate_revoked") && stderr.contains("Key Compromise"), "\(stderr)")
    }

    @Test func tlsServerRefusesARevokedGnutlsClient() async throws {
        let pki = try TestPKI.get()
        let crl = try Self.crlFile(revoking: pki.clientCert, pki: pki)
        let (server, port) = try CLIInteropTests.startServer([
            "--cert", pki.serverCert, "--key", pki.serverKey, "--ca-file", pki.caCert, "--verify", "require",
            "--crl-file", crl,
        ])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), cert: pki.clientCert, key: pki.clientKey)
        defer { client.stop() }
        _ = await client.exitStatus(within: 20)
        try server.waitForOutput("certificate_revoked", timeout: .seconds(10))
        #expect(client.text.contains("Certificate is revoked") || client.text.contains("revoked"), "\(client.text.suffix(500))")
    }
}
