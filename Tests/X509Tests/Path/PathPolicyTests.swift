import Testing
@testable import X509

/// Policy switches, chain building and the hook, on certificates from ``TestPKI``.
@Suite struct PathPolicyTests {
    typealias R = CertificateValidationError.Reason

    @Test func validChainInAnyOrder() throws {
        let pki = try TestPKI.shared.get()
        let chain = try pki.validator().validate([pki.server, pki.intermediate])
        #expect(chain.certificates == [pki.server, pki.intermediate, pki.root])
        #expect(chain.acceptedFailure == nil)
        // Extra and repeated certificates, root included, do not disturb building.
        let noisy = [pki.server, pki.client, pki.root, pki.intermediate, pki.intermediate]
        #expect(try pki.validator().validate(noisy).certificates.count == 3)
    }

    @Test func missingIntermediateAndUntrustedRoot() throws {
        let pki = try TestPKI.shared.get()
        #expect(TestPKI.reason(pki.validator(), [pki.server]) == .unknownIssuer)
        #expect(TestPKI.reason(pki.validator(trust: [pki.intermediate]), [pki.server, pki.intermediate]) == nil)
        #expect(TestPKI.reason(pki.validator(trust: [pki.server]), [pki.root]) == .untrustedRoot)
        #expect(TestPKI.reason(pki.validator(), []) == .noCertificate)
        // A trusted end-entity certificate is a path of one.
        #expect(try pki.validator(trust: [pki.server]).validate([pki.server]).certificates.count == 1)
    }

    @Test func validityUsesTheInjectedTime() throws {
        let pki = try TestPKI.shared.get()
        let chain = [pki.server, pki.intermediate]
        #expect(TestPKI.reason(pki.validator(VerificationPolicy(time: TestPKI.time(2041))), chain) == .expired)
        #expect(TestPKI.reason(pki.validator(VerificationPolicy(time: TestPKI.time(2019))), chain) == .notYetValid)
        let epoch = try VerificationPolicy(secondsSince1970: 1_780_000_000)  // 2026
        #expect(TestPKI.reason(pki.validator(epoch), chain) == nil)
    }

    @Test func verifyDepthHasOpenSSLMeaning() throws {
        let pki = try TestPKI.shared.get()
        var policy = VerificationPolicy(time: TestPKI.now)
        policy.maximumDepth = 1  // one intermediate allowed
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == nil)
        policy.maximumDepth = 0  // end entity directly under the anchor only
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == .depthExceeded)
        #expect(TestPKI.reason(pki.validator(policy, trust: [pki.intermediate]), [pki.server]) == nil)
    }

    @Test func pathLengthConstraintOfIssuedCA() throws {
        let pki = try TestPKI.shared.get()
        // The intermediate has pathLen 0: a CA below it cannot issue.
        let subKey = pki.clientKey
        let subCA = try CertificateBuilder.certificateAuthority(
            subject: TestPKI.name("Sub CA"), publicKey: subKey.publicKey, serialNumber: [9], validity: TestPKI.validity
        ).signed(by: pki.intermediate, key: pki.intermediateKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: TestPKI.name("deep"), publicKey: pki.serverKey.publicKey, serialNumber: [10],
            validity: TestPKI.validity, dnsNames: ["deep"]
        ).signed(by: subCA, key: subKey)
        let error = #expect(throws: CertificateValidationError.self) {
            try pki.validator().validate([leaf, subCA, pki.intermediate])
        }
        #expect(error?.reason == .pathLengthExceeded && error?.depth == 1)
        // An end-entity certificate cannot issue.
        let fake = try CertificateBuilder.tlsServer(
            subject: TestPKI.name("fake"), publicKey: pki.serverKey.publicKey, serialNumber: [11],
            validity: TestPKI.validity, dnsNames: ["fake"]
        ).signed(by: pki.client, key: pki.clientKey)
        #expect(TestPKI.reason(pki.validator(), [fake, pki.client, pki.intermediate]) == .notACA)
    }

    @Test func purposeAndKeySizeAndAlgorithms() throws {
        let pki = try TestPKI.shared.get()
        var policy = VerificationPolicy(time: TestPKI.now)
        policy.requiredPurpose = .clientAuth
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == .extendedKeyUsage)
        #expect(TestPKI.reason(pki.validator(policy), [pki.client, pki.intermediate]) == nil)
        policy = VerificationPolicy(time: TestPKI.now)
        policy.minimumRSAKeyBits = 3072
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == .weakKey)

        var md5 = CertificateBuilder.tlsServer(
            subject: TestPKI.name("md5"), publicKey: pki.serverKey.publicKey, serialNumber: [12],
            validity: TestPKI.validity, dnsNames: ["md5"])
        md5.signatureAlgorithm = .md5WithRSA
        let md5Cert = try md5.signed(by: pki.intermediate, key: pki.intermediateKey)
        #expect(md5Cert.signatureAlgorithm.oid == .md5WithRSAEncryption)
        #expect(TestPKI.reason(pki.validator(), [md5Cert, pki.intermediate]) == .weakSignatureAlgorithm)
        policy = VerificationPolicy(time: TestPKI.now)
        policy.allowsMD5Signatures = true
        #expect(TestPKI.reason(pki.validator(policy), [md5Cert, pki.intermediate]) == nil)

        var sha1 = md5
        sha1.signatureAlgorithm = .sha1WithRSA
        let sha1Cert = try sha1.signed(by: pki.intermediate, key: pki.intermediateKey)
        #expect(TestPKI.reason(pki.validator(), [sha1Cert, pki.intermediate]) == nil)
        policy = VerificationPolicy(time: TestPKI.now)
        policy.allowsSHA1Signatures = false
        #expect(TestPKI.reason(pki.validator(policy), [sha1Cert, pki.intermediate]) == .weakSignatureAlgorithm)
    }

    @Test func unknownCriticalExtension() throws {
        let pki = try TestPKI.shared.get()
        var b = CertificateBuilder.tlsClient(
            subject: TestPKI.name("odd"), publicKey: pki.clientKey.publicKey, serialNumber: [13], validity: TestPKI.validity)
        b.setExtension([1, 3, 6, 1, 4, 1, 99_999, 1], critical: true, [0x05, 0x00])
        let cert = try b.signed(by: pki.intermediate, key: pki.intermediateKey)
        #expect(cert.extensions.unhandledCritical == [[1, 3, 6, 1, 4, 1, 99_999, 1]])
        #expect(TestPKI.reason(pki.validator(), [cert, pki.intermediate]) == .unhandledCriticalExtension)
        b.setExtension([1, 3, 6, 1, 4, 1, 99_999, 1], critical: false, [0x05, 0x00])
        let lenient = try b.signed(by: pki.intermediate, key: pki.intermediateKey)
        #expect(TestPKI.reason(pki.validator(), [lenient, pki.intermediate]) == nil)
    }

    @Test func tamperedSignatureFails() throws {
        let pki = try TestPKI.shared.get()
        var der = pki.server.derBytes
        der[der.count - 5] ^= 0x01  // inside the signature value
        let tampered = try Certificate(derEncoded: der)
        let error = #expect(throws: CertificateValidationError.self) { try pki.validator().validate([tampered, pki.intermediate]) }
        #expect(error?.reason == .badSignature && error?.depth == 0)
    }

    @Test func hookAcceptsAndRejects() throws {
        let pki = try TestPKI.shared.get()
        let v = pki.validator()
        let rejecting: PathValidator.Hook = { _, _ in false }
        let error = #expect(throws: CertificateValidationError.self) { try v.validate([pki.server, pki.intermediate], hook: rejecting) }
        #expect(error?.reason == .rejectedByCaller)
        let acceptExpired: PathValidator.Hook = { chain, result in
            if case .failure(let e) = result { return e.reason == .expired && chain.count == 3 }
            return true
        }
        let late = pki.validator(VerificationPolicy(time: TestPKI.time(2045)))
        let accepted = try late.validate([pki.server, pki.intermediate], hook: acceptExpired)
        #expect(accepted.acceptedFailure?.reason == .expired)
        #expect(accepted.certificates.count == 3)
        #expect(TestPKI.reason(late, [pki.server, pki.intermediate]) == .expired)
    }

    @Test func malformedPresentedCertificate() throws {
        let pki = try TestPKI.shared.get()
        let error = #expect(throws: CertificateValidationError.self) {
            try pki.validator().validate(derEncoded: [pki.server.derBytes, [0x30, 0x03, 0x02, 0x01]])
        }
        #expect(error?.reason == .malformedCertificate && error?.depth == 1)
    }

    @Test func everyReasonIsDocumentedAndReachable() {
        // The reason list is what the handshake maps to alerts; keep this count in step.
        #expect(R.allCases.count == 22)  // 19 + revoked, revocationStatusUnknown, staleCRL
    }
}

/// RFC 6125 host name matching of the end-entity certificate.
@Suite struct HostnameTests {
    @Test func dnsAndIPMatching() throws {
        let server = try TestPKI.shared.get().server  // SAN: localhost, pacs.local, 127.0.0.1
        #expect(server.matches(host: "localhost"))
        #expect(server.matches(host: "PACS.Local."))
        #expect(server.matches(host: "127.0.0.1"))
        #expect(!server.matches(host: "127.0.0.2"))
        #expect(!server.matches(host: "other.local"))
        #expect(!server.matches(host: "::1"))
    }

    @Test func wildcardRules() {
        #expect(Certificate.dnsName("*.example.com", matches: "a.example.com"))
        #expect(!Certificate.dnsName("*.example.com", matches: "example.com"))
        #expect(!Certificate.dnsName("*.example.com", matches: "a.b.example.com"))
        #expect(!Certificate.dnsName("*.com", matches: "example.com"))
        #expect(!Certificate.dnsName("a*.example.com", matches: "ab.example.com"))
        #expect(!Certificate.dnsName("example.com", matches: "example..com"))
    }

    @Test func ipLiterals() {
        #expect(Certificate.ipAddressBytes("10.0.0.255") == [10, 0, 0, 255])
        #expect(Certificate.ipAddressBytes("10.0.0.256") == nil)
        #expect(Certificate.ipAddressBytes("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(Certificate.ipAddressBytes("2001:db8::8:800:200c:417a")?.count == 16)
        #expect(Certificate.ipAddressBytes("1::2::3") == nil)
        #expect(Certificate.ipAddressBytes("pacs.local") == nil)
    }

    @Test func policyChecksTheHost() throws {
        let pki = try TestPKI.shared.get()
        var policy = VerificationPolicy(time: TestPKI.now)
        policy.expectedHost = "pacs.local"
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == nil)
        policy.expectedHost = "evil.local"
        #expect(TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate]) == .hostnameMismatch)
        #expect(TestPKI.reason(pki.validator(policy, trust: [pki.server]), [pki.server]) == .hostnameMismatch)
    }
}
