import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import TestSupport

/// Our client and server against GnuTLS (`gnutls-serv`, `gnutls-cli`) with TLS 1.0 +
/// RSA + SHA-1 and 3DES-EDE-CBC, AES-128-CBC or AES-256-CBC, with and without `%NO_ETM`
/// (GnuTLS offers encrypt-then-MAC unless told not to; we must never accept it), with and
/// without client certificates, and with resumption. Every test moves 1 MiB each way and
/// compares SHA-256 checksums. Our side keeps its default list (AES-128, AES-256, 3DES), so
/// each test also shows it lands on the one cipher the peer allows.
@Suite(.timeLimit(.minutes(2))) struct GnuTLSInteropTests {
    struct Variant: Sendable, CustomStringConvertible {
        var suite: CipherSuite
        var noETM: Bool
        var clientCertificate: Bool
        /// The GnuTLS cipher name, as in priority strings and its session description.
        var gnutlsCipher: String {
            switch suite {
            case .rsaWithAES128CBCSHA: "AES-128-CBC"
            case .rsaWithAES256CBCSHA: "AES-256-CBC"
            default: "3DES-CBC"
            }
        }
        var description: String { "\(gnutlsCipher) noETM=\(noETM) clientCert=\(clientCertificate)" }
    }

    static let variants: [Variant] = [
        Variant(suite: .rsaWith3DESEDECBCSHA, noETM: false, clientCertificate: false),
        Variant(suite: .rsaWith3DESEDECBCSHA, noETM: true, clientCertificate: false),
        Variant(suite: .rsaWith3DESEDECBCSHA, noETM: false, clientCertificate: true),
        Variant(suite: .rsaWith3DESEDECBCSHA, noETM: true, clientCertificate: true),
        Variant(suite: .rsaWithAES128CBCSHA, noETM: false, clientCertificate: false),
        Variant(suite: .rsaWithAES128CBCSHA, noETM: true, clientCertificate: true),
        Variant(suite: .rsaWithAES256CBCSHA, noETM: false, clientCertificate: true),
        Variant(suite: .rsaWithAES256CBCSHA, noETM: true, clientCertificate: false),
    ]

    @Test(arguments: variants, OurAdapter.allCases)
    func ourClientAgainstGnutlsServ(_ v: Variant, adapter: OurAdapter) throws {
        let (noETM, clientCertificate) = (v.noETM, v.clientCertificate)
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.serverCert, key: pki.serverKey,
            priority: Peers.gnutlsPriority(cipher: v.gnutlsCipher, noETM: noETM),
            clientCA: clientCertificate ? pki.caCert : nil)
        defer { server.stop() }
        let configuration = try OurSide.client(
            pki, cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil)

        let stream = try adapter.connect(port: port, configuration: configuration)
        #expect(stream.sessionInfo.cipherSuite == v.suite)
        #expect(stream.sessionInfo.version == .tls10)
        #expect(!stream.sessionInfo.isResumed)
        #expect(stream.sessionInfo.peerCertificates.count == 1)
        let payload = Payload.hexLines(count: Payload.mebibyte)
        let echoed = try OurSide.echoExchange(stream, payload)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        try stream.closeCleanly()
        if clientCertificate {
            try server.waitForOutput("Interop Test Client", timeout: .seconds(10))  // gnutls-serv saw our certificate
        }

        // A second connection resumes the session and moves data again.
        let session = try #require(stream.session)
        let resumed = try adapter.connect(port: port, configuration: configuration, resuming: session)
        #expect(resumed.sessionInfo.isResumed)
        #expect(resumed.sessionInfo.sessionID == session.sessionID)
        #expect(resumed.sessionInfo.cipherSuite == v.suite)
        let again = try OurSide.echoExchange(resumed, Array(payload.prefix(65536)))
        #expect(again == Array(payload.prefix(65536)))
        try resumed.closeCleanly()
    }

    @Test(arguments: variants, OurAdapter.allCases)
    func gnutlsCliAgainstOurServer(_ v: Variant, adapter: OurAdapter) throws {
        let (noETM, clientCertificate) = (v.noETM, v.clientCertificate)
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(
            configuration: try OurSide.server(pki, verification: clientCertificate ? .requirePeerCertificate : .noneInsecure))
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority(cipher: v.gnutlsCipher, noETM: noETM),
            cert: clientCertificate ? pki.clientCert : nil, key: clientCertificate ? pki.clientKey : nil)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 7)
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(60))
        client.closeStdin()  // gnutls-cli sends close_notify at stdin EOF
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))

        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error == nil, "\(String(describing: connection.error))")
        #expect(connection.closedCleanly)
        #expect(Payload.checksum(connection.received) == Payload.checksum(payload))
        let info = try #require(connection.info)
        #expect(info.cipherSuite == v.suite)
        #expect(info.peerCertificates.count == (clientCertificate ? 1 : 0))
        #expect(client.text.contains("(TLS1.0-X.509)-(RSA)-(\(v.gnutlsCipher))-(SHA1)"))
        // We never accept encrypt-then-MAC (it is not part of TLS 1.0 as we speak it).
        let options = client.text.split(separator: "\n").first { $0.hasPrefix("- Options:") } ?? ""
        #expect(!options.contains("EtM"), "gnutls-cli negotiated encrypt-then-MAC: \(options)")
        #expect(options.contains("extended master secret"))
    }

    @Test(arguments: [("3DES-CBC", CipherSuite.rsaWith3DESEDECBCSHA), ("AES-128-CBC", .rsaWithAES128CBCSHA),
                      ("AES-256-CBC", .rsaWithAES256CBCSHA)], OurAdapter.allCases)
    func gnutlsCliResumesWithOurServer(cipherAndSuite: (String, CipherSuite), adapter: OurAdapter) throws {
        let (cipher, suite) = cipherAndSuite
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(configuration: try OurSide.server(pki), connections: 2)
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority(cipher: cipher, noETM: true), resume: true)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 11)
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(60))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.text.contains("This is a resumed session"), "\(client.text)")

        let connections = server.connections(count: 2)
        #expect(connections.count == 2)
        #expect(connections.first?.info?.isResumed == false)
        #expect(connections.last?.info?.isResumed == true)
        #expect(connections.compactMap(\.info?.cipherSuite) == [suite, suite])
        #expect(connections.last.map { Payload.checksum($0.received) } == Payload.checksum(payload))
        #expect(connections.last?.closedCleanly == true)
    }
}

/// Renegotiation through the blocking stream against GnuTLS, started by either side
/// (RFC 5746 secure renegotiation), with 1 MiB each way on the renegotiated keys.
@Suite(.timeLimit(.minutes(2))) struct GnuTLSRenegotiationTests {
    @Test(arguments: OurAdapter.allCases)
    func ourClientRenegotiatesWithGnutlsServ(adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.serverCert, key: pki.serverKey, priority: Peers.gnutlsPriority(noETM: true))
        defer { server.stop() }
        let stream = try adapter.connect(port: port, configuration: try OurSide.client(pki))
        let first = stream.sessionInfo
        #expect(first.secureRenegotiation)
        #expect(try OurSide.echoExchange(stream, Array("before\n".utf8)) == Array("before\n".utf8))
        try stream.renegotiateAndWait()
        #expect(stream.sessionInfo.isRenegotiation)
        #expect(stream.sessionInfo.sessionID != first.sessionID)
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 61)
        #expect(Payload.checksum(try OurSide.echoExchange(stream, payload)) == Payload.checksum(payload))
        try stream.closeCleanly()
    }

    @Test func gnutlsServAsksOurClientToRenegotiate() throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.serverCert, key: pki.serverKey, priority: Peers.gnutlsPriority(noETM: true))
        defer { server.stop() }
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: port, configuration: try OurSide.client(pki), serverName: "localhost",
            timeout: .seconds(20))
        stream.ioTimeout = .seconds(30)
        try stream.write(Array("**REHANDSHAKE**\n".utf8))  // gnutls-serv's echo mode sends HelloRequest
        try server.waitForOutput("Sending rehandshake request", timeout: .seconds(10))
        // gnutls-serv sends HelloRequest and a status line, then refuses application data
        // until the new handshake is over (unexpected_message). Our reads answer the
        // HelloRequest and run the handshake; poll with a short read deadline (a read
        // timeout leaves the stream usable) until it is done, before writing again.
        var reply: [UInt8] = []
        stream.ioTimeout = .milliseconds(200)
        let deadline = ContinuousClock.now + .seconds(15)
        while !stream.sessionInfo.isRenegotiation && ContinuousClock.now < deadline {
            switch Result(catching: { () throws(TLSStreamError) in try stream.read() }) {
            case .success(let data): reply += data
            case .failure(.timedOut): continue
            case .failure(let error): throw error
            }
        }
        stream.ioTimeout = .seconds(30)
        #expect(String(decoding: reply, as: UTF8.self).contains("Successfully executed command"))
        #expect(stream.sessionInfo.isRenegotiation)
        #expect(stream.sessionInfo.secureRenegotiation)
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 62)
        #expect(Payload.checksum(try OurSide.echoExchange(stream, payload)) == Payload.checksum(payload))
        try stream.close()
    }

    @Test(arguments: OurAdapter.allCases)
    func gnutlsCliRenegotiatesWithOurServer(adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        // Client-initiated renegotiation needs the option (issue 11 B10; without it see
        // ReviewReproductionTests.gnutlsCliRehandshake).
        let server = try adapter.echoServer(configuration: try OurSide.server(pki, options: [.allowClientRenegotiation]))
        defer { server.stop() }
        let args = ["-p", String(server.port), "--x509cafile", pki.caCert, "--priority", Peers.gnutlsPriority(noETM: true),
                    "--verify-hostname", "localhost", "--rehandshake", "127.0.0.1"]
        let client = try PeerProcess("/usr/bin/gnutls-cli", args)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 63)
        client.feed(payload)
        // gnutls-cli prints the renegotiation's status lines after "Simple Client Mode".
        let echoed = try client.waitForPayload(payload, timeout: .seconds(60))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.text.contains("ReHandshake was completed"), "\(client.text.prefix(3000))")
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error == nil, "\(String(describing: connection.error))")
        #expect(connection.closedCleanly)
        #expect(Payload.checksum(connection.received) == Payload.checksum(payload))
    }
}
