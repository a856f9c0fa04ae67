import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Server-name checks, CertificateRequest contents and verify-once-per-session.
@Suite struct AuthenticationTests {
    static func certificate(dns: [String], ips: [[UInt8]] = [], cn: String = "host") throws -> Certificate {
        let pki = try HandshakePKI.shared.get()
        let validity = Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040))
        return try CertificateBuilder.tlsServer(
            subject: HandshakePKI.name(cn), publicKey: pki.serverKey.publicKey, serialNumber: [9], validity: validity,
            dnsNames: dns, ipAddresses: ips
        ).signed(by: pki.root, key: pki.rootKey)
    }

    @Test func serverNameMatching() throws {
        let wildcard = try Self.certificate(dns: ["*.pacs.example", "exact.example"], ips: [[127, 0, 0, 1]])
        #expect(ServerNameCheck.matches(wildcard, serverName: "a.pacs.example"))
        #expect(ServerNameCheck.matches(wildcard, serverName: "A.PACS.Example."))
        #expect(ServerNameCheck.matches(wildcard, serverName: "exact.example"))
        #expect(!ServerNameCheck.matches(wildcard, serverName: "pacs.example"))
        #expect(!ServerNameCheck.matches(wildcard, serverName: "a.b.pacs.example"))
        #expect(!ServerNameCheck.matches(wildcard, serverName: "other.example"))
        #expect(ServerNameCheck.matches(wildcard, serverName: "127.0.0.1"))
        #expect(!ServerNameCheck.matches(wildcard, serverName: "127.0.0.2"))
        // No dNSName: the commonName is used; with dNSNames it is ignored.
        let cnOnly = try Self.certificate(dns: [], cn: "legacy.example")
        #expect(ServerNameCheck.matches(cnOnly, serverName: "legacy.example"))
        let both = try Self.certificate(dns: ["new.example"], cn: "legacy.example")
        #expect(!ServerNameCheck.matches(both, serverName: "legacy.example"))
    }

    @Test func wrongServerNameIsBadCertificate() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig(), serverName: "elsewhere.example"),
                              server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        HandshakeFailureTests.expectAlert(pair, sentBy: .client, .badCertificate)
        // Without a name to check, or without verification, the same server is accepted.
        var unnamed = EnginePair(client: try TLSConnection(client: pki.clientConfig()), server: try TLSConnection(server: pki.serverConfig()))
        unnamed.run()
        #expect(unnamed.clientError == nil)
    }

    @Test func certificateRequestNamesOurTrustedCAs() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try TLSConnection(server: pki.serverConfig(verification: .peer))
        var client = try TLSConnection(client: pki.clientConfig())
        server.receive(client.takeOutput())
        _ = try server.nextEvent()
        let body = try #require(GoTranscriptReplayTests.records(server.takeOutput()).first?.1)
        var i = 0
        var request: CertificateRequest?
        while i + 4 <= body.count {
            let n = Int(body[i + 1]) << 16 | Int(body[i + 2]) << 8 | Int(body[i + 3])
            if body[i] == 13 {
                var r = ByteReader(Array(body[(i + 4)..<(i + 4 + n)]))
                request = try CertificateRequest.decode(&r)
            }
            i += 4 + n
        }
        let req = try #require(request)
        #expect(req.certificateTypes == [CertificateRequest.rsaSign])
        #expect(req.certificateAuthorities == [pki.root.subject.encodedBytes])
    }

    /// With verify-once-per-session, a renegotiation does not ask for the client certificate
    /// again; without it, it does.
    @Test(arguments: [true, false])
    func verifyOncePerSession(_ once: Bool) throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig(verification: .requirePeerCertificate)
        server.verifyOncePerSession = once
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig(withCertificate: true), serverName: "localhost"),
                              server: try TLSConnection(server: server))
        pair.run()
        try pair.client.renegotiate()
        // Look at the server's second flight for a CertificateRequest (handshake type 13):
        // it is encrypted, so count handshake messages through the client's transcript instead.
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        let infos = EnginePair.infos(pair.serverEvents)
        #expect(infos.count == 2)
        #expect(infos.last?.peerCertificates.first == pki.client && infos.last?.peerVerified == true)
        #expect(pair.server.requestedClientCertificateInLastHandshake == !once)
    }
}
