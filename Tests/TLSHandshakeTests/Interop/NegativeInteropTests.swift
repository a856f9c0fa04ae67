import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import TestSupport

/// Failures against real peers: an untrusted certificate, an expired one, and a missing
/// client certificate when one is required. Each must fail on both sides with the alert
/// RFC 2246 §7.2.2 names, checked in our error and in the peer's own output.
///
/// GnuTLS answers a missing client certificate with `decode_error` (its own choice, also
/// against gnutls-cli), so that case runs against OpenSSL's `s_server`, which sends
/// `handshake_failure`.
@Suite(.timeLimit(.minutes(5))) struct NegativeInteropTests {
    /// Our client refuses gnutls-serv's certificate and sends `alert`.
    @Test(arguments: [("untrusted", AlertDescription.unknownCA, "Alert[2|48]"), ("expired", .certificateExpired, "Alert[2|45]")])
    func ourClientRejectsGnutlsServerCertificate(stem: String, alert: AlertDescription, peerLog: String) throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.path("\(stem).pem"), key: pki.path("\(stem).key"), priority: Peers.gnutlsPriority(),
            logAlerts: true)
        defer { server.stop() }
        let error = #expect(throws: TLSStreamError.self) {
            try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: try OurSide.client(pki), serverName: "localhost",
                timeout: .seconds(20))
        }
        #expect(error?.alert?.description == alert)
        #expect(error?.alert?.fromPeer == false)
        try server.waitForOutput(peerLog, timeout: .seconds(10))
        try server.waitForOutput("Error in handshake: A TLS fatal alert has been received", timeout: .seconds(10))
    }

    /// gnutls-cli refuses our server's untrusted certificate (it sends `bad_certificate`).
    @Test func gnutlsCliRejectsOurUntrustedServer() throws {
        let pki = try TestPKI.get()
        let server = try OurEchoServer(configuration: try OurSide.server(pki, cert: pki.untrustedCert, key: pki.untrustedKey))
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority())
        defer { client.stop() }
        let status = client.waitForExit(timeout: .seconds(20))
        #expect(status != nil && status != 0)
        #expect(client.text.contains("The certificate is NOT trusted"))
        #expect(client.text.contains("issuer is unknown"))
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error?.alert?.description == .badCertificate)
        #expect(connection.error?.alert?.fromPeer == true)
    }

    /// openssl s_client refuses our server's expired certificate and sends `certificate_expired`.
    @Test func sClientRejectsOurExpiredServer() throws {
        let pki = try TestPKI.get()
        let server = try OurEchoServer(
            configuration: try OurSide.server(pki, cert: pki.expiredCert, key: pki.expiredKey, suites: [.rsaWithNullSHA]))
        defer { server.stop() }
        let client = try Peers.opensslClient(port: server.port, caFile: pki.caCert)
        defer { client.stop() }
        let status = client.waitForExit(timeout: .seconds(20))
        #expect(status != nil && status != 0)
        #expect(client.text.contains("certificate has expired"))
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error?.alert?.description == .certificateExpired)
        #expect(connection.error?.alert?.fromPeer == true)
    }

    /// Our server requires a client certificate; gnutls-cli sends none: `handshake_failure`.
    @Test func ourServerRequiresACertificateGnutlsCliSendsNone() throws {
        let pki = try TestPKI.get()
        let server = try OurEchoServer(configuration: try OurSide.server(pki, verification: .requirePeerCertificate))
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority())
        defer { client.stop() }
        #expect(client.waitForExit(timeout: .seconds(20)).map { $0 != 0 } == true)
        #expect(client.text.contains("Received alert [40]"), "\(client.text)")
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error?.alert?.description == .handshakeFailure)
        #expect(connection.error?.alert?.fromPeer == false)
    }

    /// Our server refuses a client certificate from an unknown CA: `unknown_ca`.
    @Test func ourServerRejectsAnUntrustedClientCertificate() throws {
        let pki = try TestPKI.get()
        let server = try OurEchoServer(configuration: try OurSide.server(pki, verification: .requirePeerCertificate))
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), cert: pki.untrustedCert,
            key: pki.untrustedKey)
        defer { client.stop() }
        #expect(client.waitForExit(timeout: .seconds(20)).map { $0 != 0 } == true)
        #expect(client.text.contains("Received alert [48]"), "\(client.text)")
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error?.alert?.description == .unknownCA)
        #expect(connection.error?.alert?.fromPeer == false)
    }

    /// s_server requires a client certificate. Sending none gets `handshake_failure`; sending
    /// an expired one gets `certificate_expired`.
    @Test(arguments: [(nil, AlertDescription.handshakeFailure, "peer did not return a certificate"),
                      ("expired", .certificateExpired, "certificate has expired")])
    func sServerRejectsOurClient(stem: String?, alert: AlertDescription, peerLog: String) throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.opensslServer(port: port, cert: pki.serverCert, key: pki.serverKey, clientCA: pki.caCert)
        defer { server.stop() }
        let configuration = try OurSide.client(
            pki, cert: stem.map { pki.path("\($0).pem") }, key: stem.map { pki.path("\($0).key") }, suites: [.rsaWithNullSHA])
        let error = #expect(throws: TLSStreamError.self) {
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: configuration, serverName: "localhost", timeout: .seconds(20))
            // TLS 1.0 lets the server reject the client after our Finished: the alert may
            // arrive only when we next read.
            stream.ioTimeout = .seconds(10)
            _ = try stream.read()
        }
        #expect(error?.alert?.description == alert, "\(String(describing: error))")
        #expect(error?.alert?.fromPeer == true)
        try server.waitForOutput(peerLog, timeout: .seconds(10))
    }
}
