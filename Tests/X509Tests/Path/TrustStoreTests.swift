import Foundation
import TestSupport
import Testing
@testable import X509

/// Loading trust anchors (the customer's `SSLCAFile`) from PEM text, files and folders.
@Suite struct TrustStoreTests {
    @Test func pemBundleSkipsOtherBlocksAndDuplicates() throws {
        let pki = try TestPKI.shared.get()
        let bundle = "# CA bundle\n" + pki.root.pemEncoded + pki.rootKey.pkcs8PEM + pki.intermediate.pemEncoded + pki.root.pemEncoded
        let store = try TrustStore(pemEncoded: bundle)
        #expect(store.certificates == [pki.root, pki.intermediate])
        #expect(store.contains(pki.intermediate) && !store.contains(pki.server))
        #expect(store.certificates(withSubject: pki.server.issuer) == [pki.intermediate])
        #expect(throws: X509Error(.invalidTrustStore, "")) { try TrustStore(pemEncoded: pki.rootKey.pkcs8PEM) }
        #expect(throws: X509Error(.invalidPEM, "")) { try TrustStore(pemEncoded: "no PEM here") }
        // A certificate that does not parse makes the whole bundle fail loudly.
        let broken = PEMDocument(label: "CERTIFICATE", derBytes: [0x30, 0x00]).pemEncoded
        #expect(throws: X509Error.self) { try TrustStore(pemEncoded: pki.root.pemEncoded + broken) }
    }

    @Test func filesAndFolders() throws {
        let pki = try TestPKI.shared.get()
        let dir = try TempDirectory()
        try pki.root.pemEncoded.write(toFile: dir.path("root.pem"), atomically: true, encoding: .utf8)
        try Data(pki.intermediate.derBytes).write(to: URL(fileURLWithPath: dir.path("int.cer")))
        try "not a certificate".write(toFile: dir.path("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try TrustStore(contentsOfFile: dir.path("root.pem")).certificates == [pki.root])
        #expect(try TrustStore(contentsOfFile: dir.path("int.cer")).certificates == [pki.intermediate])
        #expect(Set(try TrustStore(directory: dir.url.path).certificates) == [pki.root, pki.intermediate])
        #expect(throws: X509Error(.invalidTrustStore, "")) { try TrustStore(contentsOfFile: dir.path("missing.pem")) }
        #expect(throws: X509Error(.invalidTrustStore, "")) { try TrustStore(directory: dir.path("missing")) }
        // PKITS trust anchor as DER, then a PKITS path validated against it.
        let anchor = try TrustStore(contentsOfFile: Vectors.url("x509/pkits/certs/TrustAnchorRootCertificate.crt").path)
        #expect(anchor.certificates.count == 1)
    }

    @Test func certificatePEMRoundTrip() throws {
        let pki = try TestPKI.shared.get()
        #expect(try Certificate(pemEncoded: pki.server.pemEncoded) == pki.server)
        #expect(try Certificate.parseAll(pemEncoded: pki.server.pemEncoded + pki.client.pemEncoded) == [pki.server, pki.client])
        #expect(throws: X509Error(.unexpectedPEMLabel, "")) { try Certificate(pemEncoded: pki.rootKey.pkcs8PEM) }
    }
}
