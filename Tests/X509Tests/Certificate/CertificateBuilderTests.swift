import Testing
@testable import X509

/// Certificates we issue carry the fields and extensions we asked for.
@Suite struct CertificateBuilderTests {
    @Test func serverCertificateFields() throws {
        let pki = try TestPKI.shared.get()
        let c = pki.server
        #expect(c.version == 3)
        #expect(c.serialNumber == [0x03, 0xE8])
        #expect(c.subject.description == "CN=localhost,O=DicomTLS Test,C=US")
        #expect(c.issuer == pki.intermediate.subject)
        #expect(c.signatureAlgorithm.oid == .sha256WithRSAEncryption)
        #expect(c.extensions.basicConstraints == BasicConstraints(isCA: false))
        #expect(c.extensions.keyUsage == [.digitalSignature, .keyEncipherment])
        #expect(c.extensions.extendedKeyUsage?.purposes == [.serverAuth])
        #expect(c.extensions.subjectAlternativeNames == [.dnsName("localhost"), .dnsName("pacs.local"), .ipAddress([127, 0, 0, 1])])
        #expect(c.extensions.authorityKeyIdentifier?.keyIdentifier == pki.intermediate.extensions.subjectKeyIdentifier)
        #expect(try c.publicKeyInfo.rsaPublicKey() == pki.serverKey.publicKey)
        #expect(c.publicKeyInfo.rsaModulusBitCount == 2048)
        #expect(c.isSignature(validFor: pki.intermediateKey.publicKey))
        #expect(!c.isSignature(validFor: pki.rootKey.publicKey))
    }

    @Test func caAndClientProfiles() throws {
        let pki = try TestPKI.shared.get()
        #expect(pki.root.isSelfIssued && pki.root.isCA)
        #expect(pki.root.isSignature(validFor: pki.rootKey.publicKey))
        #expect(pki.intermediate.extensions.basicConstraints == BasicConstraints(isCA: true, pathLengthConstraint: 0))
        #expect(pki.intermediate.extensions.keyUsage == [.keyCertSign, .cRLSign])
        #expect(pki.client.extensions.extendedKeyUsage?.purposes == [.clientAuth])
    }

    @Test func textSummary() throws {
        let text = try TestPKI.shared.get().server.textSummary
        for line in [
            "Version: 3 (0x2)", "Serial Number: 1000 (0x3e8)", "Signature Algorithm: sha256WithRSAEncryption",
            "Issuer: C = US, O = DicomTLS Test, CN = Test Intermediate CA",
            "Not Before: Jan  1 00:00:00 2020 GMT", "Not After : Jan  1 00:00:00 2040 GMT",
            "Subject: C = US, O = DicomTLS Test, CN = localhost", "Public-Key: (2048 bit)",
            "X509v3 Basic Constraints: critical", "CA:FALSE", "Digital Signature, Key Encipherment",
            "TLS Web Server Authentication", "DNS:localhost, DNS:pacs.local, IP Address:127.0.0.1",
        ] {
            #expect(text.contains(line), "missing \(line) in\n\(text)")
        }
    }

    @Test func refusesBadRequests() throws {
        let pki = try TestPKI.shared.get()
        let b = CertificateBuilder.tlsClient(
            subject: TestPKI.name("x"), publicKey: pki.clientKey.publicKey, serialNumber: [0], validity: TestPKI.validity)
        #expect(throws: X509Error(.invalidIssuingRequest, "")) { try b.signed(by: pki.intermediate, key: pki.intermediateKey) }
        var ok = b
        ok.serialNumber = [5]
        #expect(throws: X509Error(.invalidIssuingRequest, "")) { try ok.signed(by: pki.intermediate, key: pki.rootKey) }
        #expect(throws: X509Error(.invalidIssuingRequest, "")) { try ok.selfSigned(with: pki.rootKey) }
        ok.validity = Validity(notBefore: TestPKI.time(2030), notAfter: TestPKI.time(2020))
        #expect(throws: X509Error(.invalidIssuingRequest, "")) { try ok.selfSigned(with: pki.clientKey) }
    }
}
