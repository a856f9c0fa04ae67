import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import X509
import TestSupport

/// Our client and server against OpenSSL 3 (`s_server`, `s_client`) with `-tls1 -cipher`
/// `AES128-SHA`, `AES256-SHA` or `NULL-SHA` at `@SECLEVEL=0` (Debian's OpenSSL has no 3DES),
/// with and without client certificates, full and resumed. OpenSSL clients send
/// client_version 0x0303 in a 0x0301 record, offer encrypt_then_mac and session tickets, and
/// send an empty record before each CBC write (PEERS.md): the AES cases cover that last trap.
@Suite(.timeLimit(.minutes(2))) struct OpenSSLInteropTests {
    /// The suites OpenSSL 3 on Debian can speak in TLS 1.0.
    static let suites: [CipherSuite] = [.rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA, .rsaWithNullSHA]

    /// The name s_server / s_client print for a suite.
    static func opensslName(_ suite: CipherSuite) -> String {
        switch suite {
        case .rsaWithAES128CBCSHA: "AES128-SHA"
        case .rsaWithAES256CBCSHA: "AES256-SHA"
        default: "NULL-SHA"
        }
    }

    /// s_server prints what it receives and sends its stdin: the two directions run one after
    /// the other so neither side can block on a full socket buffer.
    ///
    /// With `resume`, a first connection only handshakes and closes; the data then moves on a
    /// second connection that resumes its session.
    /// Client certificate and resumption, each through the blocking stream; the NIO adapter
    /// for the plainest case and the fullest one.
    static let clientVariants: [(clientCertificate: Bool, resume: Bool, adapter: OurAdapter)] = [
        (false, false, .blocking), (true, false, .blocking), (false, true, .blocking), (true, true, .blocking),
        (false, false, .nio), (true, true, .nio),
    ]

    @Test(arguments: suites, clientVariants)
    func ourClientAgainstSServer(
        suite: CipherSuite, variant: (clientCertificate: Bool, resume: Bool, adapter: OurAdapter)
    ) throws {
        let (clientCertificate, resume, adapter) = variant
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.opensslServer(
            port: port, cert: pki.serverCert, key: pki.serverKey, clientCA: clientCertificate ? pki.caCert : nil,
            connections: resume ? 2 : 1, cipher: Peers.opensslCipher(suite))
        defer { server.stop() }
        // NULL only when listed; for AES our default list, from which s_server picks its one suite.
        let configuration = try OurSide.client(
            pki, cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil,
            suites: suite == .rsaWithNullSHA ? [.rsaWithNullSHA] : CipherSuite.defaults)
        var session: TLSSession?
        if resume {
            let first = try adapter.connect(port: port, configuration: configuration)
            session = first.session
            try first.closeCleanly()
            #expect(session != nil)
        }
        let stream = try adapter.connect(port: port, configuration: configuration, resuming: session)
        #expect(stream.sessionInfo.cipherSuite == suite)
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
        try server.waitForOutput("CIPHER is \(Self.opensslName(suite))", timeout: .seconds(10))
        if clientCertificate {
            try server.waitForOutput("Interop Test Client", timeout: .seconds(10))  // s_server saw our certificate
        }
    }

    /// s_client `-reconnect` resumes five times against our server, then moves the data.
    @Test(arguments: suites, OurAdapter.allCases)
    func sClientReconnectsAndResumesWithOurServer(suite: CipherSuite, adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(configuration: try OurSide.server(pki, suites: [suite]), connections: 6)
        defer { server.stop() }
        let client = try Peers.opensslClient(
            port: server.port, caFile: pki.caCert, reconnect: true, cipher: Peers.opensslCipher(suite))
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
        #expect(connections.compactMap(\.info).allSatisfy { $0.cipherSuite == suite })
        #expect(connections.last.map { Payload.checksum($0.received) } == Payload.checksum(payload))
        #expect(connections.allSatisfy { $0.error == nil })
    }

    @Test(arguments: suites, [(false, OurAdapter.blocking), (true, .blocking), (false, .nio), (true, .nio)])
    func sClientAgainstOurServer(suite: CipherSuite, variant: (clientCertificate: Bool, adapter: OurAdapter)) throws {
        let (clientCertificate, adapter) = variant
        let pki = try TestPKI.get()
        // AES: our server keeps its default list; NULL only when listed.
        let server = try adapter.echoServer(
            configuration: try OurSide.server(
                pki, verification: clientCertificate ? .requirePeerCertificate : .noneInsecure,
                suites: suite == .rsaWithNullSHA ? [.rsaWithNullSHA] : CipherSuite.defaults))
        defer { server.stop() }
        let client = try Peers.opensslClient(
            port: server.port, caFile: pki.caCert,
            cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil,
            cipher: Peers.opensslCipher(suite))
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
        #expect(connection.info?.cipherSuite == suite)
        #expect(client.text.contains("Cipher is \(Self.opensslName(suite))"), "\(client.text.prefix(3000))")
        // s_client sends its leaf and, having the CA in -CAfile, the CA too.
        #expect(connection.info?.peerCertificates.isEmpty == !clientCertificate)
        if clientCertificate {
            #expect(connection.info?.peerCertificates.first.map { "\($0.subject)" }?.contains("Interop Test Client") == true)
        }
    }
}
