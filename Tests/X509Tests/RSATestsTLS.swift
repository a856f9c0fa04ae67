import CryptoPrimitives
import Foundation
import TestSupport
import Testing
@testable import X509

/// The RSA operations of the two recorded TLS 1.0 handshakes (`Vectors/tls-handshake/`).
@Suite struct RSATestsTLS {
    private func object(_ file: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Vectors.data("tls-handshake/\(file)")) as? [String: Any])
    }

    private func hex(_ v: Any?) -> [UInt8] {
        if let s = v as? String { return Hex.decode(s.count % 2 == 1 ? "0" + s : s) }  // some values have odd length
        if let i = v as? Int { return BigInt(UInt(i)).bigEndianBytes }
        return []
    }

    @Test func certificateVerifyTLS10() throws {
        let cv = try #require(try object("tls10_rsa_rc4_clientcert_handshake.json")["certificate_verify"] as? [String: Any])
        let pub = try #require(cv["client_public_key"] as? [String: Any])
        let key = try RSAPublicKey(modulus: hex(pub["n"]), publicExponent: hex(pub["e"]))
        let md5SHA1 = hex(cv["md5_sha1"])
        let signature = hex(cv["signature"])
        #expect(md5SHA1.count == 36)
        #expect(key.verifyTLS10(signature: signature, md5SHA1: md5SHA1))
        #expect(key.publicOperation(signature) == hex(cv["encoded_message_after_rsa_public_op"]))
        // A flipped hash bit or signature bit is rejected.
        var wrong = md5SHA1
        wrong[0] ^= 1
        #expect(!key.verifyTLS10(signature: signature, md5SHA1: wrong))
        var badSig = signature
        badSig[badSig.count - 1] ^= 1
        #expect(!key.verifyTLS10(signature: badSig, md5SHA1: md5SHA1))

        // Our signer reproduces the recorded signature (PKCS#1 v1.5 signing is deterministic).
        let priv = try #require(cv["client_private_key"] as? [String: Any])
        let privateKey = try RSAPrivateKey(
            modulus: hex(priv["n"]), publicExponent: hex(priv["e"]), privateExponent: hex(priv["d"]))
        #expect(try privateKey.signTLS10(md5SHA1: md5SHA1) == signature)
    }

    @Test func premasterDecryption() throws {
        let handshake = try object("tls10_rsa_3des_handshake.json")
        let keys = try #require(try object("go_test_keys.json")["server_rsa_key"] as? [String: Any])
        let key = try RSAPrivateKey(
            modulus: hex(keys["n"]), publicExponent: hex(keys["e"]), privateExponent: hex(keys["d"]))
        #expect(key.components.p == hex(keys["p"]) || key.components.q == hex(keys["p"]))
        let ciphertext = hex(handshake["encrypted_pre_master_secret"])
        let expected = hex(handshake["pre_master_secret"])
        #expect(expected.count == 48)
        let premaster = key.decryptPremasterTLS(
            ciphertext, expectedVersion: (expected[0], expected[1]), random: SystemRandom())
        #expect(premaster == expected)
        #expect(try key.decryptPKCS1v15(ciphertext) == expected)

        // A wrong expected version yields a random 48-byte premaster, never an error.
        let wrongVersion = key.decryptPremasterTLS(ciphertext, expectedVersion: (3, 3), random: SystemRandom())
        #expect(wrongVersion.count == 48 && wrongVersion != expected)
        // A corrupted ciphertext likewise.
        var corrupted = ciphertext
        corrupted[5] ^= 0x40
        let fallback = key.decryptPremasterTLS(corrupted, expectedVersion: (3, 1), random: DeterministicRandom(seed: 7))
        #expect(fallback == DeterministicRandom(seed: 7).bytes(48))
        // A short ciphertext likewise.
        #expect(key.decryptPremasterTLS(Array(ciphertext.dropFirst()), expectedVersion: (3, 1), random: SystemRandom()).count == 48)
    }
}
