import CryptoPrimitives
import TestSupport
import Testing

/// NIST CAVP AESAVS CBC: known-answer tables and multi-block messages, 128/192/256-bit keys.
@Suite struct AESCBCTests {
    static let files: [(String, Int)] = [
        ("CBCGFSbox128.rsp", 14), ("CBCGFSbox192.rsp", 12), ("CBCGFSbox256.rsp", 10),
        ("CBCKeySbox128.rsp", 42), ("CBCKeySbox192.rsp", 48), ("CBCKeySbox256.rsp", 32),
        ("CBCMMT128.rsp", 20), ("CBCMMT192.rsp", 20), ("CBCMMT256.rsp", 20),
        ("CBCVarKey128.rsp", 256), ("CBCVarKey192.rsp", 384), ("CBCVarKey256.rsp", 512),
        ("CBCVarTxt128.rsp", 256), ("CBCVarTxt192.rsp", 256), ("CBCVarTxt256.rsp", 256),
    ]

    /// Every block of the file (both sections) gives NIST's answer, the IV is left at the
    /// last ciphertext block, and the key length matches the file's.
    @Test(arguments: files)
    func nistAESCBC(_ file: String, _ expectedCount: Int) throws {
        let blocks = try Vectors.rsp("aes/\(file)").filter { $0.fields["COUNT"] != nil }
        #expect(blocks.count == expectedCount, "\(file)")
        let keyBits = Int(file.dropFirst(file.count - 7).prefix(3)) ?? 0
        for v in blocks {
            let key = v.hex("KEY")
            #expect(key.count * 8 == keyBits, "\(file) \(v)")
            let cipher = try AESCBC(key: key)
            #expect(cipher.keyByteCount == key.count)
            var iv = try CBCIV(v.hex("IV"))
            if v.sections.contains("DECRYPT") {
                #expect(try cipher.decrypt(v.hex("CIPHERTEXT"), iv: &iv) == v.hex("PLAINTEXT"), "\(file) \(v)")
            } else {
                #expect(try cipher.encrypt(v.hex("PLAINTEXT"), iv: &iv) == v.hex("CIPHERTEXT"), "\(file) \(v)")
            }
            #expect(iv.bytes == Array(v.hex("CIPHERTEXT").suffix(16)), "\(file) \(v)")
        }
    }

    @Test func rejectsWrongLengths() throws {
        for bad in [0, 8, 15, 17, 20, 31, 33, 64] {
            #expect(throws: CryptoError(.invalidKeyLength, "")) { try AESCBC(key: [UInt8](repeating: 1, count: bad)) }
        }
        let aes = try AESCBC(key: [UInt8](repeating: 7, count: 16))
        #expect(throws: CryptoError(.notBlockAligned, "")) {
            var iv = CBCIV(byteCount: 16)
            _ = try aes.encrypt([UInt8](repeating: 0, count: 8), iv: &iv)
        }
        // An 8-byte (DES) IV is refused by AES, and a 16-byte one by 3DES.
        #expect(throws: CryptoError(.invalidIVLength, "")) {
            var iv = CBCIV()
            _ = try aes.encrypt([UInt8](repeating: 0, count: 16), iv: &iv)
        }
        #expect(throws: CryptoError(.invalidIVLength, "")) {
            var iv = CBCIV(byteCount: 16)
            _ = try TripleDESCBC(key: [UInt8](repeating: 1, count: 24)).encrypt([UInt8](repeating: 0, count: 8), iv: &iv)
        }
        #expect(throws: CryptoError(.invalidIVLength, "")) { try CBCIV([UInt8](repeating: 0, count: 12)) }
    }

    /// Chaining across calls equals one call over the concatenation (TLS 1.0 implicit IV),
    /// in both directions, and in-place decryption restores the plaintext.
    @Test(arguments: [16, 24, 32])
    func ivChainsAcrossCalls(_ keyLength: Int) throws {
        let cipher = try AESCBC(key: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let data = (0..<160).map { UInt8($0) }
        let start = try CBCIV((0..<16).map { UInt8(0xA0 + $0) })
        var a = start, b = start
        let whole = try cipher.encrypt(data, iv: &a)
        let parts = try cipher.encrypt(Array(data[0..<48]), iv: &b) + cipher.encrypt(Array(data[48...]), iv: &b)
        #expect(whole == parts)
        #expect(a == b)
        var c = start, d = start
        #expect(try cipher.decrypt(whole, iv: &c) == data)
        let back = try cipher.decrypt(Array(whole[0..<32]), iv: &d) + cipher.decrypt(Array(whole[32...]), iv: &d)
        #expect(back == data)
        #expect(c == a && d == a)
    }

    /// One value used from several threads at once still gives the right answers (the
    /// contexts are locked per call).
    @Test func sharedBetweenTasks() async throws {
        let cipher = try AESCBC(key: [UInt8](repeating: 0x5A, count: 32))
        let data = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var iv0 = CBCIV(byteCount: 16)
        let expected = try cipher.encrypt(data, iv: &iv0)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ok = true
                    for _ in 0..<50 {
                        var e = CBCIV(byteCount: 16), d = CBCIV(byteCount: 16)
                        let ct = try cipher.encrypt(data, iv: &e)
                        let pt = try cipher.decrypt(ct, iv: &d)
                        ok = ok && ct == expected && pt == data
                    }
                    return ok
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
