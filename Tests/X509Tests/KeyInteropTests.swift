import CryptoPrimitives
import Foundation
import TestSupport
import Testing
@testable import X509

/// Interoperability with the openssl CLI (OpenSSL 3): keys it makes load here, and keys,
/// signatures and ciphertexts we make are accepted there. Each test works in its own
/// temporary directory; every openssl call has a time limit.
@Suite struct KeyInteropTests {
    let dir: TempDirectory

    init() throws {
        dir = try TempDirectory()
    }

    @discardableResult
    private func openssl(_ args: [String], stdin: Data? = nil) throws -> Subprocess.Result {
        try Subprocess.openssl(args, stdin: stdin)
    }

    private func read(_ name: String) throws -> String {
        try String(contentsOfFile: dir.path(name), encoding: .utf8)
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir.path(name), atomically: true, encoding: .utf8)
    }

    /// The modulus openssl reports for a key file, as bytes.
    private func opensslModulus(_ name: String, password: String? = nil) throws -> [UInt8] {
        var args = ["rsa", "-in", dir.path(name), "-noout", "-modulus"]
        if let password { args += ["-passin", "pass:\(password)"] }
        let out = try openssl(args).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Hex.decode(String(out.dropFirst("Modulus=".count)))
    }

    @Test func opensslKeysLoad() throws {
        try openssl(["genrsa", "-out", dir.path("pkcs8.pem"), "2048"])
        try openssl(["genrsa", "-traditional", "-out", dir.path("pkcs1.pem"), "2048"])
        let modulus = try opensslModulus("pkcs8.pem")
        var asked = 0
        let prompt: RSAPrivateKey.PasswordProvider = { asked += 1; return "x" }

        #expect(try read("pkcs8.pem").hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try read("pkcs1.pem").hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let plain = try RSAPrivateKey(pemEncoded: try read("pkcs8.pem"), password: prompt)
        #expect(plain.publicKey.modulus == modulus)
        let pkcs1 = try RSAPrivateKey(pemEncoded: try read("pkcs1.pem"), password: prompt)
        #expect(pkcs1.publicKey.modulus == (try opensslModulus("pkcs1.pem")))
        #expect(asked == 0)  // unencrypted keys never ask

        // Encrypted forms of the first key, each with password "x".
        let encryptions: [(String, [String])] = [
            ("p8-des3-sha256.pem", ["pkcs8", "-topk8", "-v2", "des3"]),
            ("p8-des3-sha1.pem", ["pkcs8", "-topk8", "-v2", "des3", "-v2prf", "hmacWithSHA1"]),
            ("p8-des.pem", ["pkcs8", "-topk8", "-v2", "des-cbc", "-provider", "legacy", "-provider", "default"]),
            ("rsa-des3.pem", ["rsa", "-des3"]),
            ("trad-des3.pem", ["rsa", "-des3", "-traditional"]),
            ("trad-des.pem", ["rsa", "-des", "-traditional", "-provider", "legacy", "-provider", "default"]),
            // OpenSSL 3's defaults and the AES forms (issue 13).
            ("p8-default.pem", ["pkcs8", "-topk8"]),
            ("p8-aes128.pem", ["pkcs8", "-topk8", "-v2", "aes128"]),
            ("p8-aes256.pem", ["pkcs8", "-topk8", "-v2", "aes256"]),
            ("p8-aes128-sha256.pem", ["pkcs8", "-topk8", "-v2", "aes128", "-v2prf", "hmacWithSHA256"]),
            ("p8-aes256-sha1.pem", ["pkcs8", "-topk8", "-v2", "aes256", "-v2prf", "hmacWithSHA1"]),
            ("p8-aes192.pem", ["pkcs8", "-topk8", "-v2", "aes192"]),
            ("pkey-aes256.pem", ["pkey", "-aes256"]),
            ("rsa-aes128.pem", ["rsa", "-aes128"]),
            ("trad-aes128.pem", ["rsa", "-aes128", "-traditional"]),
            ("trad-aes192.pem", ["rsa", "-aes192", "-traditional"]),
            ("trad-aes256.pem", ["rsa", "-aes256", "-traditional"]),
        ]
        for (name, command) in encryptions {
            try openssl(command + ["-in", dir.path("pkcs8.pem"), "-out", dir.path(name), "-passout", "pass:x"])
            let text = try read(name)
            if name.hasPrefix("trad") {
                let dek = ["trad-des.pem": "DES-CBC", "trad-aes128.pem": "AES-128-CBC", "trad-aes192.pem": "AES-192-CBC",
                           "trad-aes256.pem": "AES-256-CBC"][name] ?? "DES-EDE3-CBC"
                #expect(text.contains("Proc-Type: 4,ENCRYPTED"), "\(name)")
                #expect(text.contains("DEK-Info: \(dek),"), "\(name)")
            } else {
                #expect(text.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"), "\(name)")
            }
            asked = 0
            let key = try RSAPrivateKey(pemEncoded: text, password: prompt)
            #expect(asked == 1, "\(name)")
            #expect(key.pkcs1DER == plain.pkcs1DER, "\(name)")
            do {
                _ = try RSAPrivateKey(pemEncoded: text, password: { "y" })
                Issue.record("\(name): wrong password accepted")
            } catch {
                #expect(error.code == .wrongPassword, "\(name): \(error)")
                #expect(error.message.contains("password"))
            }
            #expect(throws: X509Error(.passwordRequired, "")) { try RSAPrivateKey(pemEncoded: text) }
        }
    }

    /// `openssl genpkey -aes256` (OpenSSL 3's usual way to make an encrypted key) loads.
    @Test func genpkeyAES256KeyLoads() throws {
        try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256",
                     "-pass", "pass:secret", "-out", dir.path("g.pem")])
        let text = try read("g.pem")
        #expect(text.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let asn1 = try openssl(["asn1parse", "-in", dir.path("g.pem")]).stdout
        #expect(asn1.contains(":aes-256-cbc"))
        var asked = 0
        let key = try RSAPrivateKey(pemEncoded: text, password: { asked += 1; return "secret" })
        #expect(asked == 1)
        #expect(key.publicKey.modulus == (try opensslModulus("g.pem", password: "secret")))
        #expect(throws: X509Error(.wrongPassword, "")) { try RSAPrivateKey(pemEncoded: text, password: { "Secret" }) }
    }

    /// An encrypted EC key with the right password is "not RSA", not "wrong password"; with a
    /// wrong password it is still a wrong password.
    @Test func encryptedNonRSAKeyIsNamedAsSuch() throws {
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x",
                     "-out", dir.path("ec.pem")])
        let text = try read("ec.pem")
        #expect(throws: X509Error(.unsupportedAlgorithm, "")) { try RSAPrivateKey(pemEncoded: text, password: { "x" }) }
        #expect(throws: X509Error(.wrongPassword, "")) { try RSAPrivateKey(pemEncoded: text, password: { "y" }) }
    }

    /// A cipher we do not implement is refused with a message naming it, before the password
    /// is asked for; no conversion hint is needed any more.
    @Test func unsupportedCiphersAreRefusedClearly() throws {
        try openssl(["genrsa", "-out", dir.path("k.pem"), "2048"])
        try openssl(["pkcs8", "-topk8", "-v2", "camellia256", "-in", dir.path("k.pem"), "-out", dir.path("cam.pem"), "-passout", "pass:x"])
        try openssl(["rsa", "-camellia128", "-traditional", "-in", dir.path("k.pem"), "-out", dir.path("cam-trad.pem"), "-passout", "pass:x"])
        for name in ["cam.pem", "cam-trad.pem"] {
            var asked = 0
            let text = try read(name)
            do {
                _ = try RSAPrivateKey(pemEncoded: text, password: { asked += 1; return "x" })
                Issue.record("\(name): Camellia key loaded")
            } catch {
                #expect(error.code == .unsupportedKeyEncryption, "\(name): \(error)")
                #expect(error.message.contains("AES-256-CBC") && !error.message.contains("openssl pkcs8"), "\(name): \(error)")
            }
            #expect(asked == 0, "\(name)")
        }
    }

    @Test func keysWeWriteAreAcceptedByOpenSSL() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: SystemRandom())
        try write("ours-pkcs1.pem", key.pkcs1PEM)
        try write("ours-pkcs8.pem", key.pkcs8PEM)
        try write("ours-enc.pem", try key.encryptedPKCS8PEM(password: "x"))
        var names = ["ours-pkcs1.pem", "ours-pkcs8.pem", "ours-enc.pem"]
        for cipher in PrivateKeyCipher.allCases {
            try write("ours-p8-\(cipher.opensslName).pem", try key.encryptedPKCS8PEM(password: "x", cipher: cipher))
            try write("ours-trad-\(cipher.opensslName).pem", try key.encryptedPKCS1PEM(password: "x", cipher: cipher))
            names += ["ours-p8-\(cipher.opensslName).pem", "ours-trad-\(cipher.opensslName).pem"]
            #expect(try read("ours-trad-\(cipher.opensslName).pem").contains("DEK-Info: \(cipher.opensslName),"))
        }
        for name in names {
            try openssl(["pkey", "-in", dir.path(name), "-passin", "pass:x", "-noout"])
            let check = try openssl(["rsa", "-check", "-in", dir.path(name), "-passin", "pass:x", "-noout"])
            #expect(check.stdout.contains("RSA key ok"), "\(name)")
            #expect(try opensslModulus(name, password: "x") == key.publicKey.modulus, "\(name)")
        }
        // openssl refuses our encrypted keys with a wrong password.
        for name in names.dropFirst(2) {
            let wrong = try Subprocess.run("/usr/bin/openssl", ["pkey", "-in", dir.path(name), "-passin", "pass:y", "-noout"])
            #expect(wrong.status != 0, "\(name)")
        }
        // openssl sees PBES2 + PBKDF2-HMAC-SHA256 + AES-256-CBC by default (as its own default).
        let asn1 = try openssl(["asn1parse", "-in", dir.path("ours-enc.pem")]).stdout
        #expect(asn1.contains(":PBES2") && asn1.contains(":PBKDF2") && asn1.contains(":hmacWithSHA256") && asn1.contains(":aes-256-cbc"))
        let des3 = try openssl(["asn1parse", "-in", dir.path("ours-p8-DES-EDE3-CBC.pem")]).stdout
        #expect(des3.contains(":des-ede3-cbc"))
    }

    @Test func signaturesAndCiphertextsInteroperate() throws {
        try openssl(["genrsa", "-out", dir.path("k.pem"), "2048"])
        let key = try RSAPrivateKey(pemEncoded: try read("k.pem"))
        try write("pub.pem", key.publicKey.pemEncoded)
        // Our public key PEM is what openssl derives from the private key.
        let opensslPub = try openssl(["pkey", "-in", dir.path("k.pem"), "-pubout"]).stdout
        #expect(opensslPub == key.publicKey.pemEncoded)

        // We sign, openssl verifies.
        let message = Data("DICOM over TLS 1.0".utf8)
        try message.write(to: URL(fileURLWithPath: dir.path("msg")))
        let sig = try key.signPKCS1v15(digestAlgorithm: .sha256, digest: SHA256.hash(Array(message)))
        try Data(sig).write(to: URL(fileURLWithPath: dir.path("sig")))
        let verify = try openssl(["dgst", "-sha256", "-verify", dir.path("pub.pem"), "-signature", dir.path("sig"), dir.path("msg")])
        #expect(verify.stdout.contains("Verified OK"))

        // openssl signs, we verify.
        try openssl(["dgst", "-sha1", "-sign", dir.path("k.pem"), "-out", dir.path("sig2"), dir.path("msg")])
        let sig2 = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("sig2"))))
        #expect(key.publicKey.verifyPKCS1v15(signature: sig2, digestAlgorithm: .sha1, digest: SHA1.hash(Array(message))))

        // openssl encrypts (PKCS#1 v1.5), we decrypt — both entry points.
        let premaster: [UInt8] = [0x03, 0x01] + (0..<46).map { UInt8($0) }
        try Data(premaster).write(to: URL(fileURLWithPath: dir.path("pms")))
        for i in 0..<3 {
            try openssl(["pkeyutl", "-encrypt", "-pubin", "-inkey", dir.path("pub.pem"), "-pkeyopt",
                         "rsa_padding_mode:pkcs1", "-in", dir.path("pms"), "-out", dir.path("ct\(i)")])
            let ct = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("ct\(i)"))))
            #expect(try key.decryptPKCS1v15(ct) == premaster)
            #expect(key.decryptPremasterTLS(ct, expectedVersion: (3, 1), random: SystemRandom()) == premaster)
        }

        // We encrypt, openssl decrypts.
        let ours = try key.publicKey.encryptPKCS1v15(premaster, random: SystemRandom())
        try Data(ours).write(to: URL(fileURLWithPath: dir.path("ours-ct")))
        let dec = try openssl(["pkeyutl", "-decrypt", "-inkey", dir.path("k.pem"), "-pkeyopt", "rsa_padding_mode:pkcs1",
                               "-in", dir.path("ours-ct")])
        #expect([UInt8](dec.stdoutData) == premaster)
    }
}
