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
        #expect(wildcard.matches(host: "a.pacs.example"))
        #expect(wildcard.matches(host: "A.PACS.Example."))
        #expect(wildcard.matches(host: "exact.example"))
        #expect(!wildcard.matches(host: "pacs.example"))
        #expect(!wildcard.matches(host: "a.b.pacs.example"))
        #expect(!wildcard.matches(host: "other.example"))
        #expect(wildcard.matches(host: "127.0.0.1"))
        #expect(!wildcard.matches(host: "127.0.0.2"))
        // No dNSName: the commonName is used; with dNSNames it is ignored.
        let cnOnly = try Self.certificate(dns: [], cn: "legacy.example")
        #expect(cnOnly.matches(host: "legacy.example"))
        let both = try Self.certificate(dns: ["new.example"], cn: "legacy.example")
        #expect(!both.matches(host: "legacy.example"))
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
        var server = try pki.serverConfig(verification: .requirePeerCertificate, options: [.allowClientRenegotiation])
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

/// Peers with RSA keys below 1024 bits, and chains deeper than verifyDepth.
@Suite struct PeerKeyAndDepthTests {
    /// A minimal v1 certificate whose key is a 512-bit RSA modulus (no builder makes one:
    /// X509 refuses such keys), signed with garbage: only the key size may matter here.
    static func weakKeyCertificate() throws -> [UInt8] {
        let pki = try HandshakePKI.shared.get()
        var modulus = [UInt8](repeating: 0xC5, count: 64)
        modulus[63] = 0x01  // odd
        var w = DERWriter()
        w.sequence { cert in
            cert.sequence { tbs in
                tbs.integer(77)
                tbs.sequence { $0.objectIdentifier([1, 2, 840, 113549, 1, 1, 11]); $0.null() }
                tbs.raw(pki.root.subject.encodedBytes)
                tbs.sequence { $0.time(HandshakePKI.time(2020)); $0.time(HandshakePKI.time(2040)) }
                tbs.raw(HandshakePKI.name("weak").encodedBytes)
                tbs.sequence { spki in
                    spki.sequence { $0.objectIdentifier([1, 2, 840, 113549, 1, 1, 1]); $0.null() }
                    var key = DERWriter()
                    key.sequence { $0.unsignedInteger(modulus); $0.integer(65537) }
                    spki.bitString(key.bytes)
                }
            }
            cert.sequence { $0.objectIdentifier([1, 2, 840, 113549, 1, 1, 11]); $0.null() }
            cert.bitString([UInt8](repeating: 0x42, count: 64))
        }
        return w.bytes
    }

    @Test func rsaKeysBelow1024BitsAreRefusedEvenWithoutVerification() throws {
        let der = try Self.weakKeyCertificate()
        let parsed = try Certificate(derEncoded: der)
        #expect(parsed.publicKeyInfo.rsaModulusBitCount == 512)
        for verification in [CertificateVerification.noneInsecure, .peer] {
            let pki = try HandshakePKI.shared.get()
            let config = try pki.clientConfig(verification: verification)
            do {
                _ = try PeerAuthentication.authenticate(chain: [der], config: config, now: HandshakePKI.now, peerIsServer: true)
                Issue.record("a 512-bit peer key was accepted")
            } catch {
                #expect(error.alert == .insufficientSecurity)
            }
        }
    }

    @Test func chainsDeeperThanVerifyDepthAreUnknownCA() throws {
        let pki = try HandshakePKI.shared.get()
        let validity = Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040))
        let intermediate = try CertificateBuilder.certificateAuthority(
            subject: HandshakePKI.name("Intermediate"), publicKey: pki.otherRootKey.publicKey, serialNumber: [20], validity: validity
        ).signed(by: pki.root, key: pki.rootKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("localhost"), publicKey: pki.serverKey.publicKey, serialNumber: [21], validity: validity,
            dnsNames: ["localhost"]
        ).signed(by: intermediate, key: pki.otherRootKey)
        for (depth, ok) in [(0, false), (1, true)] {
            var client = try pki.clientConfig()
            client.verifyDepth = depth
            var pair = EnginePair(client: try TLSConnection(client: client, serverName: "localhost"),
                                  server: try TLSConnection(server: pki.serverConfig(chain: [leaf, intermediate])))
            pair.run()
            if ok {
                #expect(pair.clientError == nil && pair.serverError == nil)
                #expect(EnginePair.infos(pair.clientEvents).first?.peerCertificates == [leaf, intermediate])
            } else {
                HandshakeFailureTests.expectAlert(pair, sentBy: .client, .unknownCA)
            }
        }
    }
}
