import CryptoPrimitives
import TestSupport
import Testing

/// NIST CAVP TDES CBC (MMT and the SP 800-20 known-answer tables) and FIPS 81 examples.
@Suite struct BlockCipherTests {
    static let files = [
        "TCBCMMT1.rsp", "TCBCMMT2.rsp", "TCBCMMT3.rsp", "TCBCinvperm.rsp", "TCBCpermop.rsp",
        "TCBCsubtab.rsp", "TCBCvarkey.rsp", "TCBCvartext.rsp",
    ]
    static let expectedCounts = [20, 20, 20, 128, 64, 38, 112, 128]  // blocks per file (ENCRYPT + DECRYPT)

    @Test(arguments: zip(files, expectedCounts))
    func fileHoldsItsVectors(_ file: String, _ count: Int) throws {
        let blocks = try Vectors.rsp("des/\(file)").filter { $0.fields["COUNT"] != nil }
        #expect(blocks.count == count, "\(file)")
    }

    static let allBlocks: [RSPBlock] = files.flatMap { f in
        ((try? Vectors.rsp("des/\(f)")) ?? []).filter { $0.fields["COUNT"] != nil }
    }

    /// Each NIST block: 3DES-EDE with KEY1‖KEY2‖KEY3 (or KEYs three times, which is single DES),
    /// encrypting PLAINTEXT to CIPHERTEXT or the reverse, per the file's section.
    @Test(arguments: allBlocks)
    func nistTDESCBC(_ v: RSPBlock) throws {
        let key = v.fields["KEYs"].map { k in Array(repeating: Hex.decode(k), count: 3).flatMap { $0 } }
            ?? v.hex("KEY1") + v.hex("KEY2") + v.hex("KEY3")
        let cipher = try TripleDESCBC(key: key)
        let decrypting = v.sections.contains("DECRYPT")
        var iv = try CBCIV(v.hex("IV"))
        if decrypting {
            #expect(try cipher.decrypt(v.hex("CIPHERTEXT"), iv: &iv) == v.hex("PLAINTEXT"), "\(v)")
        } else {
            #expect(try cipher.encrypt(v.hex("PLAINTEXT"), iv: &iv) == v.hex("CIPHERTEXT"), "\(v)")
        }
        // The IV is left at the last ciphertext block (TLS 1.0 chaining).
        #expect(iv.bytes == Array(v.hex("CIPHERTEXT").suffix(8)))
        // Where the key is K1 = K2 = K3 the test is single DES: DESCBC must agree.
        if v.fields["KEYs"] != nil || (v.hex("KEY1") == v.hex("KEY2") && v.hex("KEY2") == v.hex("KEY3")) {
            let des = try DESCBC(key: Array(key[0..<8]))
            var iv2 = try CBCIV(v.hex("IV"))
            if decrypting {
                #expect(try des.decrypt(v.hex("CIPHERTEXT"), iv: &iv2) == v.hex("PLAINTEXT"))
            } else {
                #expect(try des.encrypt(v.hex("PLAINTEXT"), iv: &iv2) == v.hex("CIPHERTEXT"))
            }
        }
    }

    struct FIPS81: Decodable {
        struct Test: Decodable { var mode: String; var key: String; var iv: String?; var plaintext: String; var ciphertext: String }
        var tests: [Test]
    }

    /// FIPS 81 Appendix B (ECB, done as one-block CBC with a zero IV) and Appendix C (CBC).
    @Test func fips81Examples() throws {
        let v = try Vectors.json(FIPS81.self, "des/fips81_des_examples.json")
        #expect(v.tests.count == 2)
        for t in v.tests {
            let des = try DESCBC(key: Hex.decode(t.key))
            let pt = Hex.decode(t.plaintext)
            var ct: [UInt8] = []
            if t.mode == "CBC" {
                var iv = try CBCIV(Hex.decode(t.iv ?? ""))
                ct = try des.encrypt(pt, iv: &iv)
            } else {
                for block in stride(from: 0, to: pt.count, by: 8) {
                    var zero = CBCIV()
                    ct += try des.encrypt(Array(pt[block..<block + 8]), iv: &zero)
                }
            }
            #expect(ct == Hex.decode(t.ciphertext), "\(t.mode)")
        }
    }

    @Test func rejectsWrongLengths() {
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try TripleDESCBC(key: [UInt8](repeating: 1, count: 16)) }
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try DESCBC(key: [1, 2, 3]) }
        #expect(throws: CryptoError(.invalidIVLength, "")) { try CBCIV([1, 2, 3]) }
        #expect(throws: CryptoError(.notBlockAligned, "")) {
            var iv = CBCIV()
            _ = try DESCBC(key: [UInt8](repeating: 1, count: 8)).encrypt([1, 2, 3], iv: &iv)
        }
    }

    /// Chaining across calls equals one call over the concatenation (TLS 1.0 implicit IV).
    @Test func ivChainsAcrossCalls() throws {
        let cipher = try TripleDESCBC(key: (0..<24).map { UInt8($0 * 11) })
        let data = (0..<64).map { UInt8($0) }
        var a = CBCIV(), b = CBCIV()
        let whole = try cipher.encrypt(data, iv: &a)
        let parts = try cipher.encrypt(Array(data[0..<24]), iv: &b) + cipher.encrypt(Array(data[24...]), iv: &b)
        #expect(whole == parts)
        #expect(a == b)
    }
}
