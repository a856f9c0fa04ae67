import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import X509
import TestSupport

/// Our client and server against OpenSSL 3 (`s_server`, `s_client`) with
/// `-tls1 -cipher 'NULL-SHA:@SECLEVEL=0'` (Debian's OpenSSL has no 3DES), with and without
/// client certificates. OpenSSL clients send client_version 0x0303 in a 0x0301 record, offer
/// encrypt_then_mac and session tickets, and send an empty record before each CBC write
/// (PEERS.md); a NULL suite has no CBC, so the last trap is covered by the 3DES peers.
@Suite(.timeLimit(.minutes(2))) struct OpenSSLInteropTests {
    /// s_server prints what it receives and sends its stdin: the two directions run one after
    /// the other so neither side can block on a full socket buffer.
    ///
    /// With `resume`, a first connection only handshakes and closes; the data then moves on a
    /// second connection that resumes its session.
    @Test(arguments: [(false, false), (true, false), (false, true)], OurAdapter.allCases)
    func ourClientAgainstSServer(variant: (clientCertificate: Bool, resume: Bool), adapter: OurAdapter) throws {
        let (clientCertificate, resume) = variant
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.opensslServer(
            port: port, cert: pki.serverCert, key: pki.serverKey, clientCA: clientCertificate ? pki.caCert : nil,
            connections: resume ? 2 : 1)
        defer { server.stop() }
        let configuration = try OurSide.client(
            pki, cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil,
            suites: [.rsaWithNullSHA])
        var session: TLSSession?
        if resume {
            let first = try adapter.connect(port: port, configuration: configuration)
            session = first.session
            try first.closeCleanly()
            #expect(session != nil)
        }
        let stream = try adapter.connect(port: port, configuration: configuration, resuming: session)
        #expect(stream.sessionInfo.cipherSuite == .rsaWithNullSHA)
        #expect(stream.sessionInfo.isResumed == resume)

        let upload = Payload.hexLines(count: Payload.mebibyte, seed: 21)
        for start in stride(from: 0, to: upload.count, by: 16384) {
            try stream.write(Array(upload[start..<min(start + 16384, upload.count)]))
        }
        let seen = try server.waitForPayload(upload, timeout: .seconds(60))
        #expect(Payload.checksum(seen) == Payload.checksum(upload))

        let download = Payload.hexLines(count: Payload.mebibyte, seed: 22)
        server.feed(download)
        var received: [UInt8] = []
        while received.count < download.count {
            let data = try stream.read(maxCount: 1 << 16)
            if data.isEmpty { break }
            received += data
        }
        #expect(Payload.checksum(received) == Payload.checksum(download))
        try stream.closeCleanly()
        try server.waitForOutput("CIPHER is NULL-SHA", timeout: .seconds(10))
        if clientCertificate {
            try server.waitForOutput("Interop Test Client", timeout: .seconds(10))  // s_server saw our certificate
        }
    }

    /// s_client `-reconnect` resumes five times against our server, then moves the data.
    @Test(arguments: OurAdapter.allCases)
    func sClientReconnectsAndResumesWithOurServer(adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(configuration: try OurSide.server(pki, suites: [.rsaWithNullSHA]), connections: 6)
        defer { server.stop() }
        let client = try Peers.opensslClient(port: server.port, caFile: pki.caCert, reconnect: true)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 24)
        client.feed(payload)
        let echoed = try client.waitForPayload(payload, timeout: .seconds(60))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.text.components(separatedBy: "Reused, ").count - 1 >= 5, "\(client.text.prefix(3000))")

        let connections = server.connections(count: 6)
        #expect(connections.count == 6)
        #expect(connections.compactMap(\.info).map(\.isResumed) == [false, true, true, true, true, true])
        #expect(connections.last.map { Payload.checksum($0.received) } == Payload.checksum(payload))
        #expect(connections.allSatisfy { $0.error == nil })
    }

    @Test(arguments: [false, true], OurAdapter.allCases)
    func sClientAgainstOurServer(clientCertificate: Bool, adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(
            configuration: try OurSide.server(
                pki, verification: clientCertificate ? .requirePeerCertificate : .noneInsecure, suites: [.rsaWithNullSHA]))
        defer { server.stop() }
        let client = try Peers.opensslClient(
            port: server.port, caFile: pki.caCert,
            cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 23)
        client.feed(payload)
        let echoed = try client.waitForPayload(payload, timeout: .seconds(60))
        client.closeStdin()  // s_client sends close_notify at stdin EOF
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.text.contains("Verify return code: 0 (ok)"), "\(client.text.prefix(3000))")

        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error == nil, "\(String(describing: connection.error))")
        #expect(connection.closedCleanly)
        #expect(Payload.checksum(connection.received) == Payload.checksum(payload))
        #expect(connection.info?.cipherSuite == .rsaWithNullSHA)
        // s_client sends its leaf and, having the CA in -CAfile, the CA too.
        #expect(connection.info?.peerCertificates.isEmpty == !clientCertificate)
        if clientCertificate {
            #expect(connection.info?.peerCertificates.first.map { "\($0.subject)" }?.contains("Interop Test Client") == true)
        }
    }
}
