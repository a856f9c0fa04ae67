import CryptoPrimitives
import Foundation
import Testing
import TLSRecord
@testable import X509
@testable import TLSHandshake

/// Review finding F9 through the handshake: a peer certificate is checked for the TLS use
/// this side makes of its key (RFC 2246 §7.4.2, §7.4.8), and a CA's extKeyUsage limits what
/// it can issue. Also F12: the peer's names reach the error message escaped.
@Suite struct PeerCertificateUsageTests {
    static let validity = Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040))

    static func server(_ pki: HandshakePKI, keyUsage: KeyUsage, serial: UInt8) throws -> Certificate {
        var b = CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("localhost"), publicKey: pki.serverKey.publicKey, serialNumber: [0x30, serial],
            validity: validity, dnsNames: ["localhost"])
        b.setExtension(.keyUsage, critical: true, keyUsage.encoded)
        return try b.signed(by: pki.root, key: pki.rootKey)
    }

    static func run(_ client: TLSConfiguration, _ server: TLSConfiguration) throws -> EnginePair {
        var pair = EnginePair(client: try TLSConnection(client: client), server: try TLSConnection(server: server))
        pair.run()
        return pair
    }

    @Test func serverKeyThatCannotDecryptThePremasterIsRefused() throws {
        let pki = try HandshakePKI.shared.get()
        let signOnly = try Self.server(pki, keyUsage: .digitalSignature, serial: 1)
        let pair = try Self.run(pki.clientConfig(), pki.serverConfig(chain: [signOnly]))
        HandshakeFailureTests.expectAlert(pair, sentBy: .client, .unsupportedCertificate)
        #expect(pair.clientError?.message.contains("keyUsage") == true)
        // keyEncipherment alone is what RSA key exchange needs.
        let encipherOnly = try Self.server(pki, keyUsage: .keyEncipherment, serial: 2)
        let ok = try Self.run(pki.clientConfig(), pki.serverConfig(chain: [encipherOnly]))
        #expect(ok.clientError == nil && ok.serverError == nil)
    }

    @Test func clientKeyThatCannotSignCertificateVerifyIsRefused() throws {
        let pki = try HandshakePKI.shared.get()
        var b = CertificateBuilder.tlsClient(
            subject: HandshakePKI.name("modality"), publicKey: pki.clientKey.publicKey, serialNumber: [0x31], validity: Self.validity)
        b.setExtension(.keyUsage, critical: true, KeyUsage.keyEncipherment.encoded)
        let encipherOnly = try b.signed(by: pki.root, key: pki.rootKey)
        let pair = try Self.run(pki.clientConfig(withCertificate: true, chain: [encipherOnly]), pki.serverConfig(verification: .peer))
        HandshakeFailureTests.expectAlert(pair, sentBy: .server, .unsupportedCertificate)
        // The usual client certificate (digitalSignature + keyEncipherment) still works.
        let ok = try Self.run(pki.clientConfig(withCertificate: true), pki.serverConfig(verification: .requirePeerCertificate))
        #expect(ok.clientError == nil && ok.serverError == nil)
    }

    @Test func emailOnlyCACannotIssueTheServerCertificate() throws {
        let pki = try HandshakePKI.shared.get()
        var ca = CertificateBuilder.certificateAuthority(
            subject: HandshakePKI.name("Email-only Sub CA"), publicKey: pki.otherRootKey.publicKey, serialNumber: [0x32],
            validity: Self.validity, pathLengthConstraint: 0)
        ca.setExtension(.extendedKeyUsage, critical: false, ExtendedKeyUsage([.emailProtection]).encoded)
        let subCA = try ca.signed(by: pki.root, key: pki.rootKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("localhost"), publicKey: pki.serverKey.publicKey, serialNumber: [0x33],
            validity: Self.validity, dnsNames: ["localhost"]
        ).signed(by: subCA, key: pki.otherRootKey)
        let pair = try Self.run(pki.clientConfig(), pki.serverConfig(chain: [leaf, subCA]))
        HandshakeFailureTests.expectAlert(pair, sentBy: .client, .unsupportedCertificate)
        #expect(pair.clientError?.message.hasPrefix("certificate 1 of the peer's chain") == true)
    }

    /// F12: `make_log_injection.py`'s issuer name, a newline and a forged log line.
    @Test func forgedIssuerNameCannotBreakTheErrorLine() throws {
        let pki = try HandshakePKI.shared.get()
        let forged = "Evil CA\n127.0.0.1:4242: handshake: TLS 1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA peer=\"CN=Trusted PACS\""
        let evilCA = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.commonName(forged)]), publicKey: pki.otherRootKey.publicKey, serialNumber: [0x34],
            validity: Self.validity
        ).selfSigned(with: pki.otherRootKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("localhost"), publicKey: pki.serverKey.publicKey, serialNumber: [0x35],
            validity: Self.validity, dnsNames: ["localhost"]
        ).signed(by: evilCA, key: pki.otherRootKey)
        let pair = try Self.run(pki.clientConfig(), pki.serverConfig(chain: [leaf]))
        HandshakeFailureTests.expectAlert(pair, sentBy: .client, .unknownCA)
        let text = pair.clientError.map { "\($0)" } ?? ""
        #expect(text.contains("CN=Evil CA\\0A127.0.0.1:4242"))
        #expect(!text.contains("\n"))
    }
}
