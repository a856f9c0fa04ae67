import Foundation
import Testing
import TLSHandshake
import TestSupport

/// Handshake explanations with real peers: `dicomtls tls-server` logs, for a modern client,
/// what it offered and which rule refused it (README "Handshake failure messages").
@Suite(.timeLimit(.minutes(2))) struct ExplanationInteropTests {
    /// `openssl s_client -tls1_2`: our TLS 1.0 answer is refused with protocol_version, and the
    /// server says what the client offered.
    @Test func opensslTLS12OnlyClient() throws {
        let pki = try TestPKI.get()
        let (server, port) = try CLIInteropTests.startServer(["--cert", pki.serverCert, "--key", pki.serverKey])
        defer { server.stop() }
        let client = try PeerProcess("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2"], name: "openssl s_client")
        defer { client.stop() }
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(try server.waitForOutput("the client refuses our TLS 1.0 answer: it offered TLS 1.2 (client_version 0x0303)", timeout: .seconds(10)),
                "\(server.text)")
    }

    /// `gnutls-cli` offering only AES-GCM suites: no common cipher suite, named the OpenSSL way.
    @Test func gnutlsClientWithOnlyGCMSuites() throws {
        let pki = try TestPKI.get()
        let (server, port) = try CLIInteropTests.startServer(["--cert", pki.serverCert, "--key", pki.serverKey])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: port, caFile: pki.caCert,
                                            priority: "NONE:+VERS-TLS1.2:+RSA:+AES-128-GCM:+AEAD:+COMP-NULL:+SIGN-ALL")
        defer { client.stop() }
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(try server.waitForOutput("no common cipher suite: the client offers AES128-GCM-SHA256; we enable", timeout: .seconds(10)),
                "\(server.text)")
    }
}
