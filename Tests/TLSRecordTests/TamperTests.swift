import CryptoPrimitives
import TestSupport
import Testing
import TLSRecord

/// Tampering with sealed records: every bit flip, truncation and lying length is rejected
/// with the alert RFC 2246 prescribes, never a crash; padding and MAC failures are
/// indistinguishable (same code, same message).
@Suite struct TamperTests {
    static let suites: [BulkCipherAlgorithm] = [.aes128, .aes256, .tripleDES, .des, .null]

    static func sealed(_ cipher: BulkCipherAlgorithm, length: Int = 37, extraBlocks: Int = 2) throws
        -> (RecordProtectionParameters, [UInt8])
    {
        let p = RecordTestSupport.parameters(cipher)
        var sender = try RecordProtection(p)
        let record = try RecordTestSupport.seal(
            &sender, .applicationData, RecordTestSupport.randomBytes(length, seed: 3),
            extraPaddingBlocks: cipher == .null ? 0 : extraBlocks)
        return (p, record)
    }

    @Test(arguments: suites)
    func everyBodyBitFlipIsBadRecordMAC(_ cipher: BulkCipherAlgorithm) throws {
        let (p, record) = try Self.sealed(cipher)
        var opener = try RecordProtection(p)
        #expect(try RecordTestSupport.open(&opener, record).count == 37)  // untampered opens
        var flips = 0
        for bit in (5 * 8)..<(record.count * 8) {
            var tampered = record
            tampered[bit / 8] ^= UInt8(1 << (bit % 8))
            var fresh = try RecordProtection(p)
            #expect(throws: RecordError(.badRecordMAC, "")) { _ = try RecordTestSupport.open(&fresh, tampered) }
            flips += 1
        }
        #expect(flips == (record.count - 5) * 8)
    }

    /// Header flips through the full record layer: each is some fatal error or, when the
    /// length grew, a wait for more bytes; never a successful open.
    @Test(arguments: suites)
    func headerBitFlipsNeverOpen(_ cipher: BulkCipherAlgorithm) throws {
        let (p, record) = try Self.sealed(cipher)
        for bit in 0..<(5 * 8) {
            var tampered = record
            tampered[bit / 8] ^= UInt8(1 << (bit % 8))
            var layer = RecordLayer(role: .client)
            try layer.setPendingRead(p)
            try layer.changeReadCipherSpec()
            layer.receive(tampered)
            do {
                let r = try layer.nextRecord()
                #expect(r == nil, "bit \(bit) opened")
            } catch {
                let allowed: [RecordError.Code] = [.badRecordMAC, .unexpectedMessage, .protocolVersion, .recordOverflow]
                #expect(allowed.contains(error.code), "bit \(bit): \(error)")
            }
        }
    }

    @Test(arguments: suites)
    func everyTruncationIsBadRecordMAC(_ cipher: BulkCipherAlgorithm) throws {
        let (p, record) = try Self.sealed(cipher)
        for keep in 0..<(record.count - 5) {
            // A consistent header with a shorter body (the length field tells the truth).
            let truncated = RecordTestSupport.header(.applicationData, .tls10, keep) + record[5..<(5 + keep)]
            var opener = try RecordProtection(p)
            #expect(throws: RecordError(.badRecordMAC, "")) { _ = try RecordTestSupport.open(&opener, truncated) }
        }
    }

    @Test func lyingLengths() throws {
        let (p, record) = try Self.sealed(.tripleDES)
        // Longer than any ciphertext may be: record_overflow from the header alone.
        var layer = RecordLayer(role: .client)
        try layer.setPendingRead(p)
        try layer.changeReadCipherSpec()
        layer.receive(RecordTestSupport.header(.applicationData, .tls10, RecordLimits.maxCiphertext + 1))
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try layer.nextRecord() }
        // The error sticks.
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try layer.nextRecord() }
        // Shorter than the body: the record cut there fails authentication.
        var short = record
        short[4] -= 8
        var layer2 = RecordLayer(role: .client)
        try layer2.setPendingRead(p)
        try layer2.changeReadCipherSpec()
        layer2.receive(short)
        #expect(throws: RecordError(.badRecordMAC, "")) { _ = try layer2.nextRecord() }
        // A header that disagrees with the buffer given to the low-level open: decode_error.
        var opener = try RecordProtection(p)
        var inconsistent = record
        inconsistent[4] += 8
        #expect(throws: RecordError(.decodeError, "")) { _ = try RecordTestSupport.open(&opener, inconsistent) }
        // Longer but legal: the layer waits for the rest.
        var long = record
        long[4] += 8
        var layer3 = RecordLayer(role: .client)
        try layer3.setPendingRead(p)
        try layer3.changeReadCipherSpec()
        layer3.receive(long)
        #expect(try layer3.nextRecord() == nil)
    }

    /// A record with a correct MAC but bad padding and one with good padding but a wrong MAC
    /// fail with the same code and the same message (no padding oracle), for 8- and 16-byte
    /// blocks.
    @Test(arguments: [BulkCipherAlgorithm.tripleDES, .aes128])
    func paddingAndMACFailuresAreIdentical(_ cipher: BulkCipherAlgorithm) throws {
        let p = RecordTestSupport.parameters(cipher)
        let block = cipher.blockByteCount
        let plaintext = RecordTestSupport.randomBytes(30, seed: 5)
        let header13 = [UInt8](repeating: 0, count: 8) + [23, 3, 1, 0, UInt8(plaintext.count)]
        let macValue = HMAC<SHA1>(key: p.macSecret).authenticationCode(for: header13 + plaintext)
        func encrypt(_ body: [UInt8]) throws -> [UInt8] {
            var iv = try CBCIV(p.iv)
            let ct = cipher == .aes128
                ? try AESCBC(key: p.key).encrypt(body, iv: &iv) : try TripleDESCBC(key: p.key).encrypt(body, iv: &iv)
            return RecordTestSupport.header(.applicationData, .tls10, ct.count) + ct
        }
        // 30 + 20 = 50; 6 (8-byte blocks) or 14 (16-byte blocks) padding bytes make 56 or 64.
        let n = block - 50 % block
        let value = UInt8(n - 1)
        let goodPadding = [UInt8](repeating: value, count: n)
        var badPadding = goodPadding
        badPadding[2] = value - 1
        var wrongMAC = macValue
        wrongMAC[0] ^= 0x80
        let good = try encrypt(plaintext + macValue + goodPadding)
        let padFail = try encrypt(plaintext + macValue + badPadding)
        let macFail = try encrypt(plaintext + wrongMAC + goodPadding)
        let padTooLong = try encrypt(plaintext + macValue + [UInt8](repeating: 60, count: n))
        var o = try RecordProtection(p)
        #expect(try RecordTestSupport.open(&o, good) == plaintext)
        var errors: [RecordError] = []
        for record in [padFail, macFail, padTooLong] {
            var opener = try RecordProtection(p)
            do { _ = try RecordTestSupport.open(&opener, record) } catch { errors.append(error) }
        }
        #expect(errors.count == 3)
        #expect(Set(errors.map(\.code)) == [.badRecordMAC])
        #expect(Set(errors.map(\.message)).count == 1)
        #expect(errors.allSatisfy { $0.alert == .badRecordMAC })
    }

    /// Every padding length a sender may choose (1...256 bytes with padding_length) opens,
    /// with 8-byte (up to 31 extra blocks) and 16-byte blocks (up to 15).
    @Test(arguments: [BulkCipherAlgorithm.des, .aes256])
    func everyPaddingLengthOpens(_ cipher: BulkCipherAlgorithm) throws {
        let p = RecordTestSupport.parameters(cipher)
        let mostExtra = 256 / cipher.blockByteCount - 1
        var sender = try RecordProtection(p)
        var receiver = try RecordProtection(p)
        var count = 0
        for length in [0, 1, 3, 11, 64, 200] {
            for extra in 0...mostExtra {
                let data = RecordTestSupport.randomBytes(length, seed: UInt64(length * 100 + extra))
                let record = try RecordTestSupport.seal(&sender, .handshake, data, extraPaddingBlocks: extra)
                #expect(try RecordTestSupport.open(&receiver, record) == data)
                count += 1
            }
        }
        #expect(count == 6 * (mostExtra + 1))
        // One more extra block would exceed 255 padding bytes: refused as caller misuse.
        #expect(throws: RecordError(.invalidParameters, "")) {
            _ = try RecordTestSupport.seal(&sender, .handshake, [1, 2, 3], extraPaddingBlocks: mostExtra + 1)
        }
    }
}
