import CryptoPrimitives
import Foundation
import Testing
@testable import X509

/// PKCS#12 files we write (``PKCS12Builder``), in both kinds: opened by `openssl pkcs12`
/// (OpenSSL 3, no `-legacy` needed for either), by Java's `keytool`, and by our own reader,
/// with the content compared to what was written; a wrong password fails everywhere.
@Suite struct PKCS12BuilderTests {
    let dir: TempDirectory

    init() throws {
        dir = try TempDirectory()
    }

    /// A CA and a leaf made by openssl (not by us), with their keys.
    private func opensslIdentity() throws -> (leaf: Certificate, ca: Certificate, key: RSAPrivateKey) {
        try Subprocess.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("ca.key"), "-out", dir.path("ca.pem"),
                                "-subj", "/CN=p12 builder CA", "-days", "2"])
        try Subprocess.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("leaf.key"), "-out", dir.path("leaf.csr"),
                                "-subj", "/CN=CT_ROOM_2"])
        try Subprocess.openssl(["x509", "-req", "-in", dir.path("leaf.csr"), "-CA", dir.path("ca.pem"), "-CAkey", dir.path("ca.key"),
                                "-CAcreateserial", "-out", dir.path("leaf.pem"), "-days", "2"])
        return (try Certificate(pemEncoded: String(contentsOfFile: dir.path("leaf.pem"), encoding: .utf8)),
                try Certificate(pemEncoded: String(contentsOfFile: dir.path("ca.pem"), encoding: .utf8)),
                try RSAPrivateKey(pemEncoded: String(contentsOfFile: dir.path("leaf.key"), encoding: .utf8)))
    }

    static let kinds: [(PKCS12Builder.Encryption, String, [String])] = [
        (.aes256, "aes", ["Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
                          "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
                          "MAC: sha256, Iteration 2048"]),
        (.tripleDESLegacy, "3des", ["Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
                                    "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
                                    "MAC: sha1, Iteration 2048"]),
    ]

    @Test func opensslOpensBothKinds() throws {
        let (leaf, ca, key) = try opensslIdentity()
        for (encryption, name, info) in Self.kinds {
            var builder = try PKCS12Builder(certificateChain: [leaf, ca], privateKey: key, friendlyName: "CT_ROOM_2")
            builder.encryption = encryption
            let file = dir.path("\(name).p12")
            try Data(builder.derEncoded(password: "p12-secret")).write(to: URL(fileURLWithPath: file))

            // Plain OpenSSL 3 (no -legacy): the algorithms are the ones we meant to write.
            let described = try Subprocess.openssl(["pkcs12", "-in", file, "-passin", "pass:p12-secret", "-info", "-noout"])
            for line in info { #expect(described.stderr.contains(line) || described.stdout.contains(line), "\(name): \(line)\n\(described.stderr)") }

            // The content is what we wrote: the key (its modulus) and both certificates (DER).
            try Subprocess.openssl(["pkcs12", "-in", file, "-passin", "pass:p12-secret", "-nodes", "-out", dir.path("\(name).pem")])
            let text = try String(contentsOfFile: dir.path("\(name).pem"), encoding: .utf8)
            #expect(try Certificate.parseAll(pemEncoded: text) == [leaf, ca], "\(name)")
            #expect(try RSAPrivateKey(pemEncoded: text).publicKey.modulus == key.publicKey.modulus, "\(name)")
            #expect(text.contains("friendlyName: CT_ROOM_2"), "\(name)")
            #expect(text.contains("localKeyID: " + SHA1.hash(leaf.derBytes).map { hex($0) }.joined(separator: " ")), "\(name)")

            // A wrong password fails (MAC).
            let wrong = try Subprocess.run("/usr/bin/openssl", ["pkcs12", "-in", file, "-passin", "pass:p12-secreT", "-nodes", "-noout"])
            #expect(wrong.status != 0, "\(name)")
            #expect(wrong.stderr.contains("Mac verify error"), "\(name): \(wrong.stderr)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/keytool"), "needs Java's keytool (reported as skipped without it)"))
    func keytoolListsBothKinds() throws {
        let (leaf, ca, key) = try opensslIdentity()
        for (encryption, name, _) in Self.kinds {
            var builder = try PKCS12Builder(certificateChain: [leaf, ca], privateKey: key, friendlyName: "ct_room_2")
            builder.encryption = encryption
            let file = dir.path("\(name).p12")
            try Data(builder.derEncoded(password: "p12-secret")).write(to: URL(fileURLWithPath: file))
            let listed = try Subprocess.run("/usr/bin/keytool", ["-list", "-v", "-storetype", "PKCS12", "-keystore", file, "-storepass", "p12-secret"])
            #expect(listed.status == 0, "\(name): \(listed.stdout) \(listed.stderr)")
            #expect(listed.stdout.contains("Alias name: ct_room_2"), "\(name): \(listed.stdout)")
            #expect(listed.stdout.contains("Entry type: PrivateKeyEntry"), "\(name)")
            #expect(listed.stdout.contains("Certificate chain length: 2"), "\(name)")
            let wrong = try Subprocess.run("/usr/bin/keytool", ["-list", "-storetype", "PKCS12", "-keystore", file, "-storepass", "wrong-pass"])
            #expect(wrong.status != 0, "\(name)")
        }
    }

    @Test func ourReaderRoundTripsBothKinds() throws {
        let (leaf, ca, key) = try opensslIdentity()
        for (encryption, name, _) in Self.kinds {
            var builder = try PKCS12Builder(certificateChain: [leaf, ca], privateKey: key)
            builder.encryption = encryption
            builder.iterations = 4096
            let der = try builder.derEncoded(password: "pässwort")
            let p12 = try PKCS12(derEncoded: der, password: { "pässwort" })
            #expect(p12.privateKey.pkcs1DER == key.pkcs1DER, "\(name)")
            #expect(p12.certificateChain == [leaf, ca], "\(name)")
            #expect(throws: X509Error.self) { try PKCS12(derEncoded: der, password: { "passwort" }) }
            // Fresh salts and IVs each time.
            #expect(try builder.derEncoded(password: "pässwort") != der, "\(name)")
        }
    }

    @Test func refusesWhatItCannotWriteSafely() throws {
        let (leaf, ca, key) = try opensslIdentity()
        #expect(throws: X509Error.self) { try PKCS12Builder(certificateChain: [], privateKey: key) }
        #expect(throws: X509Error.self) { try PKCS12Builder(certificateChain: [ca, leaf], privateKey: key) }  // key of the 2nd
        var builder = try PKCS12Builder(certificateChain: [leaf], privateKey: key)
        #expect(throws: X509Error.self) { try builder.derEncoded(password: "") }
        builder.iterations = 1000
        #expect(throws: X509Error.self) { try builder.derEncoded(password: "x") }
    }

    private func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }
}
