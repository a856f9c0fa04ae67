import TestSupport
import Testing
@testable import X509

/// Wycheproof AES-CBC-PKCS5 (Vectors/aes/wycheproof/): the padding rule of encrypted keys and
/// PKCS#12 contents (RFC 8018 §6.1.1). Valid vectors decrypt to `msg` and `msg` encrypts to
/// `ct`; invalid ones (zero or 0xff padding instead of PKCS#5, empty ciphertext) are refused.
@Suite struct KeyCipherWycheproofTests {
    struct File: Decodable { var testGroups: [Group] }
    struct Group: Decodable { var keySize: Int; var tests: [Vector] }
    struct Vector: Decodable, Sendable, CustomStringConvertible {
        var tcId: Int
        var comment: String
        var key, iv, msg, ct, result: String
        var description: String { "tcId \(tcId) (\(comment))" }
    }

    static let vectors: [Vector] =
        (try? Vectors.json(File.self, "aes/wycheproof/aes_cbc_pkcs5_test_tc1-35.json").testGroups.flatMap(\.tests)) ?? []

    @Test func fileHasTheCopiedTests() {
        #expect(Self.vectors.map(\.tcId) == Array(1...35))
        #expect(Self.vectors.filter { $0.result == "valid" }.count == 24)
    }

    @Test(arguments: vectors)
    func vectorGivesItsPublishedResult(_ v: Vector) throws {
        let key = Hex.decode(v.key), iv = Hex.decode(v.iv), ct = Hex.decode(v.ct), msg = Hex.decode(v.msg)
        let cipher = KeyEncryptionCipher.aes128CBC
        if v.result == "valid" {
            #expect(try cipher.decrypt(ct, key: key, iv: iv) == msg)
            #expect(try cipher.encrypt(msg, key: key, iv: iv) == ct)
        } else {
            #expect(throws: X509Error.self) { _ = try cipher.decrypt(ct, key: key, iv: iv) }
        }
    }
}
