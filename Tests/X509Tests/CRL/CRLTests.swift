import Foundation
import TestSupport
import Testing
@testable import X509

/// CRL parsing (strict DER), the CRL builder, and interop with `openssl verify -crl_check`.
@Suite struct CRLTests {
    static func pkits(_ name: String) throws -> [UInt8] { Array(try Vectors.data("x509/pkits/crls/\(name)")) }

    @Test func everyPKITSCRLParses() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Vectors.url("x509/pkits/crls").path).filter { $0.hasSuffix(".crl") }
        #expect(names.count > 150)
        for name in names {
            let crl = try CertificateRevocationList(derEncoded: Self.pkits(name))
            #expect(crl.version == 2, "\(name)")
            #expect(crl.crlNumber != nil, "\(name)")
        }
    }

    @Test func fieldsOfAKnownCRL() throws {
        // GoodCACRL.crl lists serials 14 and 15 (PKITS 4.4.3 revokes the EE with serial 15).
        let crl = try CertificateRevocationList(derEncoded: Self.pkits("GoodCACRL.crl"))
        #expect(crl.issuer.description == "CN=Good CA,O=Test Certificates 2011,C=US")
        #expect(crl.thisUpdate == ASN1Time(year: 2010, month: 1, day: 1, hour: 8, minute: 30))
        #expect(crl.nextUpdate == ASN1Time(year: 2030, month: 12, day: 31, hour: 8, minute: 30))
        #expect(crl.revokedCertificates.map(\.serialNumber) == [[14], [15]])
        #expect(crl.revokedCertificates.first?.reason == .keyCompromise)
        let ca = try Certificate(derEncoded: Array(Vectors.data("x509/pkits/certs/GoodCACert.crt")))
        #expect(crl.isSignature(validFor: try ca.publicKeyInfo.rsaPublicKey()))
        let other = try CertificateRevocationList(derEncoded: Self.pkits("BadCRLSignatureCACRL.crl"))
        let otherCA = try Certificate(derEncoded: Array(Vectors.data("x509/pkits/certs/BadCRLSignatureCACert.crt")))
        #expect(!other.isSignature(validFor: try otherCA.publicKeyInfo.rsaPublicKey()))
    }

    @Test func distributionPointsAndScopesDecode() throws {
        let crl = try CertificateRevocationList(derEncoded: Self.pkits("onlyContainsCACertsCACRL.crl"))
        #expect(crl.issuingDistributionPoint?.onlyContainsCACerts == true)
        let reasons = try CertificateRevocationList(derEncoded: Self.pkits("onlySomeReasonsCA1compromiseCRL.crl"))
        #expect(reasons.issuingDistributionPoint?.onlySomeReasons == [.keyCompromise, .caCompromise])
        let ee = try Certificate(derEncoded: Array(Vectors.data("x509/pkits/certs/ValiddistributionPointTest1EE.crt")))
        let points = try #require(try ee.crlDistributionPoints())
        guard case .fullName(let names)? = points.first?.name, case .directoryName(let dn)? = names.first else {
            Issue.record("expected a directoryName fullName, got \(points)")
            return
        }
        #expect(dn.description == "CN=CRL1 of distributionPoint1 CA,OU=distributionPoint1 CA,O=Test Certificates 2011,C=US")
        let delta = try CertificateRevocationList(derEncoded: Self.pkits("deltaCRLCA1deltaCRL.crl"))
        #expect(delta.isDeltaCRL)
    }

    @Test func nonDERIsRefused() throws {
        let good = try Self.pkits("GoodCACRL.crl")
        #expect(throws: X509Error.self) { try CertificateRevocationList(derEncoded: good + [0]) }
        #expect(throws: X509Error.self) { try CertificateRevocationList(derEncoded: Array(good.dropLast())) }
        #expect(throws: X509Error.self) { try CertificateRevocationList(derEncoded: []) }
        // Every truncation and every single-byte change either parses or throws: no trap.
        for i in stride(from: 0, to: good.count, by: 7) {
            var bad = good
            bad[i] ^= 0xFF
            _ = try? CertificateRevocationList(derEncoded: bad)
            _ = try? CertificateRevocationList(derEncoded: Array(good[..<i]))
        }
    }

    @Test func builtCRLRoundTripsThroughPEM() throws {
        let pki = try TestPKI.shared.get()
        var builder = CRLBuilder(thisUpdate: TestPKI.time(2025), nextUpdate: TestPKI.time(2035), crlNumber: [3])
        builder.revoke(serialNumber: [0x12, 0x34], at: TestPKI.time(2025), reason: .superseded)
        builder.revoke(serialNumber: [0x55], at: TestPKI.time(2026))
        let crl = try builder.signed(by: pki.root, key: pki.rootKey)
        let again = try #require(try CertificateRevocationList.parseAll(pemEncoded: crl.pemEncoded).first)
        #expect(again == crl)
        #expect(again.issuer == pki.root.subject)
        #expect(again.entry(forSerialNumber: [0x12, 0x34])?.reason == .superseded)
        #expect(again.entry(forSerialNumber: [0x55])?.reason == nil)
        #expect(again.crlNumber == [3])
        #expect(again.isSignature(validFor: try pki.root.publicKeyInfo.rsaPublicKey()))
    }

    /// `openssl verify -crl_check` accepts our CRL's signature and finds the revoked leaf.
    @Test func opensslVerifyUsesOurCRL() throws {
        let pki = try TestPKI.shared.get()
        let dir = try TempDirectory()
        func write(_ name: String, _ text: String) throws { try text.write(toFile: dir.path(name), atomically: true, encoding: .utf8) }
        try write("root.pem", pki.root.pemEncoded)
        try write("int.pem", pki.intermediate.pemEncoded)
        try write("server.pem", pki.server.pemEncoded)
        try write("client.pem", pki.client.pemEncoded)
        var builder = CRLBuilder(thisUpdate: TestPKI.time(2025), nextUpdate: TestPKI.time(2039), crlNumber: [1])
        builder.revoke(serialNumber: pki.server.serialNumber, at: TestPKI.time(2025), reason: .keyCompromise)
        try write("crl.pem", try builder.signed(by: pki.intermediate, key: pki.intermediateKey).pemEncoded)
        func verify(_ leaf: String) throws -> Subprocess.Result {
            try Subprocess.run("/usr/bin/openssl", ["verify", "-crl_check", "-CRLfile", dir.path("crl.pem"),
                "-CAfile", dir.path("root.pem"), "-untrusted", dir.path("int.pem"), dir.path(leaf)], timeout: 60)
        }
        let revoked = try verify("server.pem")
        #expect(revoked.status != 0)
        #expect((revoked.stdout + revoked.stderr).contains("certificate revoked"), "\(revoked.stdout) \(revoked.stderr)")
        let good = try verify("client.pem")
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        let text = try Subprocess.run("/usr/bin/openssl", ["crl", "-in", dir.path("crl.pem"), "-noout", "-text"], timeout: 60)
        #expect(text.stdout.contains("Serial Number: 03E8") && text.stdout.contains("Key Compromise"), "\(text.stdout)")
    }
}
