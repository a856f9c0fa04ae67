import Foundation
import Testing
import TestSupport
@testable import X509

/// Every certificate of NIST PKITS parses (Vectors/x509/pkits/certs).
@Suite struct PKITSParsingTests {
    static func certificateFiles() throws -> [URL] {
        let dir = Vectors.url("x509/pkits/certs")
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "crt" }.sorted { $0.path < $1.path }
    }

    @Test func everyCertificateParses() throws {
        let files = try Self.certificateFiles()
        #expect(files.count == 405)
        var failures: [String] = []
        var rsa = 0
        for file in files {
            do {
                let cert = try Certificate(derEncoded: Array(try Data(contentsOf: file)))
                if cert.publicKeyInfo.isRSA { rsa += 1 }
                #expect(cert.derBytes.count > cert.tbsCertificateBytes.count)
            } catch {
                failures.append("\(file.lastPathComponent): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(files.count) failed:\n\(failures.joined(separator: "\n"))")
        #expect(rsa >= 400)  // all but the DSA CA and EE certificates
    }

    @Test func goodCAFields() throws {
        let cert = try Certificate(derEncoded: Array(try Vectors.data("x509/pkits/certs/GoodCACert.crt")))
        #expect(cert.version == 3)
        #expect(cert.subject.description == "CN=Good CA,O=Test Certificates 2011,C=US")
        #expect(cert.issuer.description == "CN=Trust Anchor,O=Test Certificates 2011,C=US")
        #expect(cert.issuer.opensslDescription == "C = US, O = Test Certificates 2011, CN = Trust Anchor")
        #expect(cert.signatureAlgorithm.oid == .sha256WithRSAEncryption)
        #expect(cert.validity.notBefore.description == "2010-01-01T08:30:00Z")
        #expect(cert.validity.notAfter.description == "2030-12-31T08:30:00Z")
        #expect(cert.isCA)
        #expect(cert.extensions.keyUsage == [.keyCertSign, .cRLSign])
        #expect(cert.extensions.subjectKeyIdentifier != nil)
        #expect(cert.extensions.authorityKeyIdentifier?.keyIdentifier != nil)
        #expect(cert.extensions.unhandledCritical.isEmpty)
    }
}
