import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// CRL checking in the handshake: a revoked peer certificate ends the handshake with
/// `certificate_revoked`, on either side; a missing CRL with `certificate_unknown`.
@Suite struct RevocationTests {
    static func crl(revoking serials: [[UInt8]], nextUpdateYear: Int = 2030) throws -> CertificateRevocationList {
        let pki = try HandshakePKI.shared.get()
        var builder = CRLBuilder(thisUpdate: HandshakePKI.time(2025), nextUpdate: HandshakePKI.time(nextUpdateYear), crlNumber: [1])
        for s in serials { builder.revoke(serialNumber: s, at: HandshakePKI.time(2025), reason: .keyCompromise) }
        return try builder.signed(by: pki.root, key: pki.rootKey)
    }

    static func pair(clientCRL: [CertificateRevocationList]?, serverCRL: [CertificateRevocationList]? = nil) throws -> EnginePair {
        let pki = try HandshakePKI.shared.get()
        var client = try pki.clientConfig(withCertificate: serverCRL != nil)
        client.revocation = clientCRL.map { RevocationPolicy(crls: $0) }
        var server = try pki.serverConfig(verification: serverCRL == nil ? .noneInsecure : .requirePeerCertificate)
        server.revocation = serverCRL.map { RevocationPolicy(crls: $0) }
        var pair = EnginePair(client: try TLSConnection(client: client), server: try TLSConnection(server: server))
        pair.run()
        return pair
    }

    @Test func revokedServerCertificateIsCertificateRevoked() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try Self.pair(clientCRL: [Self.crl(revoking: [pki.server.serialNumber])])
        HandshakeFailureTests.expectAlert(pair, sentBy: .client, .certificateRevoked)
        #expect(pair.clientError?.description.contains("revoked") == true)
    }

    @Test func revokedClientCertificateIsCertificateRevoked() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try Self.pair(clientCRL: nil, serverCRL: [Self.crl(revoking: [pki.client.serialNumber])])
        HandshakeFailureTests.expectAlert(pair, sentBy: .server, .certificateRevoked)
    }

    @Test func unrevokedCertificatePasses() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try Self.pair(clientCRL: [Self.crl(revoking: [[0x77]])], serverCRL: [Self.crl(revoking: [pki.server.serialNumber])])
        #expect(pair.clientError == nil && pair.serverError == nil)
    }

    @Test func missingOrStaleCRLIsCertificateUnknown() throws {
        let missing = try Self.pair(clientCRL: [])
        HandshakeFailureTests.expectAlert(missing, sentBy: .client, .certificateUnknown)
        let stale = try Self.pair(clientCRL: [Self.crl(revoking: [], nextUpdateYear: 2026)])  // "now" is 2026-06-01
        HandshakeFailureTests.expectAlert(stale, sentBy: .client, .certificateUnknown)
        #expect(stale.clientError?.description.contains("stale") == true)
    }
}
