import Testing
@testable import X509

/// Review finding F9 (`x509_policy_cases.py`): the three chains OpenSSL rejected and we
/// accepted, rebuilt on ``TestPKI``, plus the rules behind them.
@Suite struct TLSUsagePolicyTests {
    typealias R = CertificateValidationError.Reason

    static func policy(_ usage: VerificationPolicy.TLSUsage?) -> VerificationPolicy {
        var p = VerificationPolicy(time: TestPKI.now)
        if let usage { p.require(usage) }
        return p
    }

    static func server(_ pki: TestPKI, dns: String, serial: UInt8, keyUsage: KeyUsage? = nil) -> CertificateBuilder {
        var b = CertificateBuilder.tlsServer(
            subject: TestPKI.name(dns), publicKey: pki.serverKey.publicKey, serialNumber: [0x10, serial],
            validity: TestPKI.validity, dnsNames: [dns])
        if let keyUsage { b.setExtension(.keyUsage, critical: true, keyUsage.encoded) }
        return b
    }

    static func subCA(_ pki: TestPKI, _ cn: String, serial: UInt8, _ extra: (inout CertificateBuilder) -> Void) throws -> Certificate {
        var b = CertificateBuilder.certificateAuthority(
            subject: TestPKI.name(cn), publicKey: pki.intermediateKey.publicKey, serialNumber: [0x20, serial],
            validity: TestPKI.validity, pathLengthConstraint: 0)
        extra(&b)
        return try b.signed(by: pki.root, key: pki.rootKey)
    }

    /// (a) a server leaf whose keyUsage allows only cRLSign.
    @Test func leafKeyUsageMustAllowTheTLSUse() throws {
        let pki = try TestPKI.shared.get()
        let crlSignOnly = try Self.server(pki, dns: "localhost", serial: 1, keyUsage: .cRLSign).signed(by: pki.root, key: pki.rootKey)
        let error = #expect(throws: CertificateValidationError.self) {
            try pki.validator(Self.policy(.rsaKeyExchangeServer)).validate([crlSignOnly])
        }
        #expect(error?.reason == .keyUsage && error?.depth == 0)
        #expect(error?.message.contains("Key Encipherment") == true)
        // A server key that may only sign cannot decrypt an RSA premaster (RFC 2246 §7.4.2).
        let signOnly = try Self.server(pki, dns: "localhost", serial: 2, keyUsage: .digitalSignature).signed(by: pki.root, key: pki.rootKey)
        #expect(TestPKI.reason(pki.validator(Self.policy(.rsaKeyExchangeServer)), [signOnly]) == .keyUsage)
        let encipherOnly = try Self.server(pki, dns: "localhost", serial: 3, keyUsage: .keyEncipherment).signed(by: pki.root, key: pki.rootKey)
        #expect(TestPKI.reason(pki.validator(Self.policy(.rsaKeyExchangeServer)), [encipherOnly]) == nil)
        // Without an intended use the key usage is not judged; without keyUsage every use is allowed.
        #expect(TestPKI.reason(pki.validator(Self.policy(nil)), [crlSignOnly]) == nil)
        var noKeyUsage = Self.server(pki, dns: "localhost", serial: 4)
        noKeyUsage.extensions.removeAll { $0.oid == .keyUsage }
        #expect(TestPKI.reason(pki.validator(Self.policy(.rsaKeyExchangeServer)), [try noKeyUsage.signed(by: pki.root, key: pki.rootKey)]) == nil)
    }

    @Test func clientKeyUsageMustAllowSigning() throws {
        let pki = try TestPKI.shared.get()
        var b = CertificateBuilder.tlsClient(
            subject: TestPKI.name("modality"), publicKey: pki.clientKey.publicKey, serialNumber: [0x11], validity: TestPKI.validity)
        b.setExtension(.keyUsage, critical: true, KeyUsage.keyEncipherment.encoded)
        let encipherOnly = try b.signed(by: pki.intermediate, key: pki.intermediateKey)
        let v = pki.validator(Self.policy(.signingClient))
        #expect(TestPKI.reason(v, [encipherOnly, pki.intermediate]) == .keyUsage)
        #expect(TestPKI.reason(v, [pki.client, pki.intermediate]) == nil)  // digitalSignature + keyEncipherment
        #expect(TestPKI.reason(v, [pki.server, pki.intermediate]) == .extendedKeyUsage)  // serverAuth only
    }

    /// (c) an intermediate restricted to emailProtection issuing a serverAuth leaf.
    @Test func extendedKeyUsageIsIntersectedDownThePath() throws {
        let pki = try TestPKI.shared.get()
        let emailCA = try Self.subCA(pki, "Email-only Sub CA", serial: 1) {
            $0.setExtension(.extendedKeyUsage, critical: false, ExtendedKeyUsage([.emailProtection]).encoded)
        }
        let leaf = try Self.server(pki, dns: "localhost", serial: 5).signed(by: emailCA, key: pki.intermediateKey)
        let error = #expect(throws: CertificateValidationError.self) {
            try pki.validator(Self.policy(.rsaKeyExchangeServer)).validate([leaf, emailCA])
        }
        #expect(error?.reason == .extendedKeyUsage && error?.depth == 1)
        // A CA allowing serverAuth, or anyExtendedKeyUsage, may issue it.
        for purposes in [[ASN1ObjectIdentifier.serverAuth, .clientAuth], [.anyExtendedKeyUsage]] {
            let ca = try Self.subCA(pki, "TLS Sub CA", serial: 2) {
                $0.setExtension(.extendedKeyUsage, critical: false, ExtendedKeyUsage(purposes).encoded)
            }
            let ok = try Self.server(pki, dns: "localhost", serial: 6).signed(by: ca, key: pki.intermediateKey)
            #expect(TestPKI.reason(pki.validator(Self.policy(.rsaKeyExchangeServer)), [ok, ca]) == nil)
        }
        // The trust anchor's extKeyUsage counts too (as OpenSSL and Go).
        #expect(TestPKI.reason(pki.validator(Self.policy(.rsaKeyExchangeServer), trust: [emailCA]), [leaf]) == .extendedKeyUsage)
    }

    /// (b) an intermediate with a non-critical nameConstraints permitting only example.org.
    @Test func nonCriticalNameConstraintsAreEnforced() throws {
        let pki = try TestPKI.shared.get()
        let constrained = try Self.subCA(pki, "Constrained Sub CA", serial: 3) {
            $0.setExtension(.nameConstraints, critical: false, NameConstraints(permitted: [.dnsName("example.org")], excluded: []).encoded)
        }
        #expect(constrained.extensions.nameConstraints?.permitted == [.dnsName("example.org")])
        let evil = try Self.server(pki, dns: "evil.com", serial: 7).signed(by: constrained, key: pki.intermediateKey)
        let error = #expect(throws: CertificateValidationError.self) { try pki.validator().validate([evil, constrained]) }
        #expect(error?.reason == .nameConstraints && error?.depth == 0)
        #expect(error?.message.contains("DNS:evil.com") == true)
        let good = try Self.server(pki, dns: "pacs.example.org", serial: 8).signed(by: constrained, key: pki.intermediateKey)
        #expect(TestPKI.reason(pki.validator(), [good, constrained]) == nil)
    }
}
