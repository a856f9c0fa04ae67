import CryptoPrimitives
import TestSupport
import Testing

/// RC2 (RFC 2268 §5 vectors), the cipher of legacy PKCS#12 certificate bags.
@Suite struct RC2Tests {
    struct File: Decodable {
        struct Vector: Decodable, Sendable, CustomStringConvertible {
            var key: String
            var effectiveKeyBits: Int
            var plaintext: String
            var ciphertext: String
            var description: String { "key \(key) T1=\(effectiveKeyBits)" }
        }
        var tests: [Vector]
    }

    static let vectors: [File.Vector] = (try? Vectors.json(File.self, "rc2/rfc2268-section5.json").tests) ?? []

    @Test func fileHoldsItsVectors() throws {
        #expect(try Vectors.json(File.self, "rc2/rfc2268-section5.json").tests.count == 8)
    }

    @Test(arguments: vectors)
    func rfc2268(_ v: File.Vector) throws {
        let cipher = try RC2CBC(key: Hex.decode(v.key), effectiveKeyBits: v.effectiveKeyBits)
        #expect(try cipher.encryptBlock(Hex.decode(v.plaintext)) == Hex.decode(v.ciphertext))
        var iv = CBCIV()
        #expect(try cipher.decrypt(Hex.decode(v.ciphertext), iv: &iv) == Hex.decode(v.plaintext))
    }

    /// CBC chaining: the second block is encrypted after XOR with the first ciphertext, and
    /// decryption undoes it; the IV ends at the last ciphertext block.
    @Test func cbcChainsBlocks() throws {
        let cipher = try RC2CBC(key: Hex.decode("88bca90e90875a7f0f79c384627bafb2"), effectiveKeyBits: 128)
        let ivBytes = Hex.decode("0102030405060708")
        let plaintext = (0..<24).map { UInt8($0) }
        var iv = try CBCIV(ivBytes)
        let ciphertext = try cipher.encrypt(plaintext, iv: &iv)
        #expect(iv.bytes == Array(ciphertext.suffix(8)))
        let first = zip(plaintext.prefix(8), ivBytes).map { $0 ^ $1 }
        #expect(Array(ciphertext.prefix(8)) == (try cipher.encryptBlock(first)))
        let second = zip(plaintext[8..<16], ciphertext.prefix(8)).map { $0 ^ $1 }
        #expect(Array(ciphertext[8..<16]) == (try cipher.encryptBlock(second)))
        var back = try CBCIV(ivBytes)
        #expect(try cipher.decrypt(ciphertext, iv: &back) == plaintext)
    }

    @Test func misuseIsATypedError() {
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try RC2CBC(key: [], effectiveKeyBits: 40) }
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try RC2CBC(key: [1], effectiveKeyBits: 0) }
        #expect(throws: CryptoError(.notBlockAligned, "")) {
            var iv = CBCIV()
            _ = try RC2CBC(key: [1, 2, 3, 4, 5], effectiveKeyBits: 40).decrypt([1, 2, 3], iv: &iv)
        }
    }
}
