import CryptoPrimitives
import Testing
import X509
@testable import DicomNIO

/// The binding's table lookups: fingerprint, subject, the `urn:dicom:aetitle:` SAN URI, and
/// refusals with their reason.
@Suite struct CertificateAEBindingTests {
    /// A client certificate for CT1 (CN and SAN URI, as `dicomtls cert issue client --aet CT1` writes).
    static func makeCertificate() throws -> Certificate? {
        let key = try RSAPrivateKey.generate(bits: 2048, random: SystemRandom())
        guard let notBefore = ASN1Time(year: 2020, month: 1, day: 1), let notAfter = ASN1Time(year: 2040, month: 1, day: 1)
        else { return nil }
        var builder = CertificateBuilder.tlsClient(
            subject: DistinguishedName([.commonName("CT1"), .organization("Site")]), publicKey: key.publicKey, serialNumber: [7],
            validity: Validity(notBefore: notBefore, notAfter: notAfter))
        builder.setSubjectAlternativeNames([.uri(CertificateAEBinding.uriPrefix + "CT1")])
        return try builder.selfSigned(with: key)
    }

    @Test func fingerprintSubjectAndURI() throws {
        let certificate = try #require(try Self.makeCertificate())
        let hex = SHA256.hash(certificate.derBytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: ":")
        let fingerprint = try #require(CertificateAEBinding.Identity.fingerprint(hex: hex))
        let byFingerprint = CertificateAEBinding(table: ["CT1": [fingerprint]])
        #expect(byFingerprint.refusal(callingAETitle: "CT1", certificate: certificate) == nil)
        let refusal = try #require(byFingerprint.refusal(callingAETitle: "MR2", certificate: certificate))
        #expect(refusal.contains("\"MR2\" is not bound") && refusal.contains("CN=CT1"), "\(refusal)")
        #expect(byFingerprint.refusal(callingAETitle: "CT1", certificate: nil) != nil)

        let bySubject = CertificateAEBinding(table: ["CT1": [.subject(certificate.subject.description)]])
        #expect(bySubject.refusal(callingAETitle: "CT1", certificate: certificate) == nil)

        let byURI = CertificateAEBinding(table: [:], acceptsAETitleURI: true)
        #expect(byURI.refusal(callingAETitle: "CT1", certificate: certificate) == nil)
        #expect(byURI.refusal(callingAETitle: "MR2", certificate: certificate) != nil)
        #expect(CertificateAEBinding(table: [:]).refusal(callingAETitle: "CT1", certificate: certificate) != nil)

        #expect(CertificateAEBinding.Identity.fingerprint(hex: "abcd") == nil)
    }
}
