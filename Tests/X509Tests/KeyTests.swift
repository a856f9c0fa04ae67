import CryptoPrimitives
import TestSupport
import Testing
@testable import X509

@Suite struct KeyTests {
    /// Wycheproof's SPKI and PKCS#1 public keys parse to the published modulus and
    /// exponent, and our encoders reproduce the published DER exactly.
    @Test func wycheproofPublicKeyEncodings() throws {
        var checked = 0
        for file in ["rsa_signature_2048_sha256_test.json", "rsa_signature_3072_sha256_test.json",
                     "rsa_signature_4096_sha256_test.json", "v0_rsa_signature_test.json"] {
            for group in try WycheproofRSAFile.load(file).testGroups {
                let spki = Hex.decode(try #require(group.publicKeyDer ?? group.keyDer))
                let pkcs1 = Hex.decode(try #require(group.publicKeyAsn ?? group.keyAsn))
                let n = Hex.decode(try #require(group.publicKey?.modulus ?? group.n))
                let e = Hex.decode(try #require(group.publicKey?.publicExponent ?? group.e))
                let expected = try RSAPublicKey(modulus: n, publicExponent: e)
                let fromSPKI = try RSAPublicKey(subjectPublicKeyInfoDER: spki)
                #expect(fromSPKI == expected)
                #expect(try RSAPublicKey(pkcs1DER: pkcs1) == expected)
                #expect(expected.subjectPublicKeyInfoDER == spki)
                #expect(expected.pkcs1DER == pkcs1)
                #expect(try RSAPublicKey(pemEncoded: expected.pemEncoded) == expected)
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    /// Wycheproof's private keys in PKCS#8 DER and PEM load to the published components,
    /// and our PKCS#8 encoder reproduces the published DER.
    @Test(arguments: ["rsa_pkcs1_2048_test.json", "rsa_pkcs1_3072_test.json", "rsa_pkcs1_4096_test.json"])
    func wycheproofPrivateKeyEncodings(file: String) throws {
        let group = try #require(try WycheproofRSAFile.load(file).testGroups.first)
        let expected = try #require(try group.privateKey?.key())
        let pkcs8 = Hex.decode(try #require(group.privateKeyPkcs8))
        let pem = try #require(group.privateKeyPem)
        var asked = 0
        let fromDER = try RSAPrivateKey(derEncoded: pkcs8, password: { asked += 1; return "unused" })
        let fromPEM = try RSAPrivateKey(pemEncoded: pem, password: { asked += 1; return "unused" })
        #expect(asked == 0)  // never asked for an unencrypted key
        #expect(fromDER.pkcs1DER == expected.pkcs1DER)
        #expect(fromPEM.pkcs1DER == expected.pkcs1DER)
        #expect(expected.pkcs8DER == pkcs8)
        // PKCS#1 round trip.
        #expect(try RSAPrivateKey(pkcs1DER: expected.pkcs1DER).pkcs1DER == expected.pkcs1DER)
        #expect(try RSAPrivateKey(pemEncoded: expected.pkcs1PEM).pkcs1DER == expected.pkcs1DER)
    }

    /// The Go test client key (PKCS#1 PEM) matches the key in the recorded handshake.
    @Test func goClientKeyPEM() throws {
        let keys = try Vectors.json([String: JSONValue].self, "tls-handshake/go_test_keys.json")
        guard case .object(let client)? = keys["client_private_key_pem"], case .string(let pem)? = client["pem"] else {
            Issue.record("no client key PEM")
            return
        }
        let key = try RSAPrivateKey(pemEncoded: pem)
        #expect(key.publicKey.modulusBitCount == 1024)
    }

    @Test func encryptedPKCS8RoundTripAndWrongPassword() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 99))
        let pem = try key.encryptedPKCS8PEM(password: "correct horse", iterations: 1000, random: DeterministicRandom(seed: 5))
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        var asked = 0
        let loaded = try RSAPrivateKey(pemEncoded: pem, password: { asked += 1; return "correct horse" })
        #expect(asked == 1)
        #expect(loaded.pkcs1DER == key.pkcs1DER)
        do {
            _ = try RSAPrivateKey(pemEncoded: pem, password: { "wrong" })
            Issue.record("wrong password accepted")
        } catch {
            #expect(error.code == .wrongPassword)
        }
        #expect(throws: X509Error(.passwordRequired, "")) { try RSAPrivateKey(pemEncoded: pem) }
        #expect(throws: X509Error(.passwordRequired, "")) { try RSAPrivateKey(pemEncoded: pem, password: { nil }) }
        struct Cancelled: Error {}
        #expect(throws: X509Error(.passwordCallbackFailed, "")) {
            try RSAPrivateKey(pemEncoded: pem, password: { throw Cancelled() })
        }
    }

    /// Many wrong passwords: every one is a clear wrongPassword error, never a key.
    @Test func wrongPasswordsNeverYieldAKey() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 3))
        let der = try key.encryptedPKCS8DER(password: "x", iterations: 1, random: DeterministicRandom(seed: 4))
        for i in 0..<300 {
            do {
                _ = try RSAPrivateKey(derEncoded: der, password: { "wrong\(i)" })
                Issue.record("password wrong\(i) yielded a key")
            } catch {
                #expect(error.code == .wrongPassword)
            }
        }
    }

    @Test func pbkdf2KnownAnswers() {
        // RFC 6070 (PBKDF2-HMAC-SHA1) test vectors 1, 2 and 5.
        #expect(PBKDF2.deriveKey(SHA1.self, password: Array("password".utf8), salt: Array("salt".utf8),
                                 iterations: 1, keyLength: 20) == Hex.decode("0c60c80f961f0e71f3a9b524af6012062fe037a6"))
        #expect(PBKDF2.deriveKey(SHA1.self, password: Array("password".utf8), salt: Array("salt".utf8),
                                 iterations: 2, keyLength: 20) == Hex.decode("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"))
        #expect(PBKDF2.deriveKey(SHA1.self, password: Array("passwordPASSWORDpassword".utf8),
                                 salt: Array("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8), iterations: 4096,
                                 keyLength: 25) == Hex.decode("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"))
        // RFC 7914 §11 (PBKDF2-HMAC-SHA256), first vector.
        #expect(PBKDF2.deriveKey(SHA256.self, password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1,
                                 keyLength: 64) == Hex.decode(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"))
    }

    @Test func bytesToKeyKnownAnswer() {
        // EVP_BytesToKey(MD5, count 1) = MD5(pw ‖ salt) ‖ MD5(D1 ‖ pw ‖ salt): the
        // recursion checked against MD5 directly.
        let pw = Array("x".utf8), salt: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let d1 = MD5.hash(pw + salt)
        let d2 = MD5.hash(d1 + pw + salt)
        #expect(TraditionalPEMEncryption.bytesToKey(password: pw, salt: salt, count: 24) == Array((d1 + d2).prefix(24)))
    }
}

/// A minimal JSON value for files whose shape varies.
enum JSONValue: Decodable {
    case string(String), number(Double), object([String: JSONValue]), array([JSONValue]), bool(Bool), null
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .string(s) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .null }
    }
}
