import CryptoPrimitives
import TestSupport
import Testing
@testable import X509

/// The RSA Labs PKCS#1 v1.5 examples (`Vectors/rsa/rsalabs-pkcs1v15/`): 15 keys × 20 examples each.
@Suite struct RSATestsRSALabs {
    @Test func signatures() throws {
        let keys = RSALabsKey.parse(try Vectors.text("rsa/rsalabs-pkcs1v15/pkcs1v15sign-vectors.txt"))
        #expect(keys.count == 15)
        var checked = 0
        for (i, k) in keys.enumerated() {
            let key = try k.privateKey()
            #expect(k.examples.count == 20, "key \(i + 1)")
            for (j, ex) in k.examples.enumerated() {
                let digest = SHA1.hash(try #require(ex["Message"]))
                let expected = try #require(ex["Signature"])
                let sig = try key.signPKCS1v15(digestAlgorithm: .sha1, digest: digest)
                #expect(sig == expected, "example \(i + 1).\(j + 1)")
                #expect(key.publicKey.verifyPKCS1v15(signature: expected, digestAlgorithm: .sha1, digest: digest))
                checked += 1
            }
        }
        #expect(checked == 300)
    }

    @Test func encryption() throws {
        let keys = RSALabsKey.parse(try Vectors.text("rsa/rsalabs-pkcs1v15/pkcs1v15crypt-vectors.txt"))
        #expect(keys.count == 15)
        var checked = 0
        for (i, k) in keys.enumerated() {
            let key = try k.privateKey()
            #expect(k.examples.count == 20, "key \(i + 1)")
            for (j, ex) in k.examples.enumerated() {
                let message = try #require(ex["Message"])
                let ciphertext = try #require(ex["Encryption"])
                #expect(try key.decryptPKCS1v15(ciphertext) == message, "example \(i + 1).\(j + 1) decrypt")
                let seed = try #require(ex["Seed"])
                #expect(try key.publicKey.encryptPKCS1v15(message, padding: seed) == ciphertext,
                        "example \(i + 1).\(j + 1) encrypt")
                checked += 1
            }
        }
        #expect(checked == 300)
    }
}
