import CryptoPrimitives
import TestSupport
import Testing
import TLSRecord

/// Tampering with sealed records: every bit flip, truncation and lying length is rejected
/// with the alert RFC 2246 prescribes, never a crash; padding and MAC failures are
/// indistinguishable (same code, same message).
@Suite struct TamperTests {
    static let suites: [BulkCipherAlgorithm] = [.tripleDES, .des, .null]

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
    /// fail with the same code and the same message (no padding oracle).
    @Test func paddingAndMACFailuresAreIdentical() throws {
        let p = RecordTestSupport.parameters(.tripleDES)
        let plaintext = RecordTestSupport.randomBytes(30, seed: 5)
        let header13 = [UInt8](repeating: 0, count: 8) + [23, 3, 1, 0, UInt8(plaintext.count)]
        let macValue = HMAC<SHA1>(key: p.macSecret).authenticationCode(for: header13 + plaintext)
        func encrypt(_ body: [UInt8]) throws -> [UInt8] {
            var iv = try CBCIV(p.iv)
            let ct = try TripleDESCBC(key: p.key).encrypt(body, iv: &iv)
            return RecordTestSupport.header(.applicationData, .tls10, ct.count) + ct
        }
        // 30 + 20 = 50; 6 padding bytes of value 5 make 56.
        let goodPadding = [UInt8](repeating: 5, count: 6)
        let badPadding: [UInt8] = [5, 5, 4, 5, 5, 5]
        var wrongMAC = macValue
        wrongMAC[0] ^= 0x80
        let good = try encrypt(plaintext + macValue + goodPadding)
        let padFail = try encrypt(plaintext + macValue + badPadding)
        let macFail = try encrypt(plaintext + wrongMAC + goodPadding)
        let padTooLong = try encrypt(plaintext + macValue + [UInt8](repeating: 60, count: 6))
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

    /// Every padding length a sender may choose (1...256 bytes with padding_length) opens.
    @Test func everyPaddingLengthOpens() throws {
        let p = RecordTestSupport.parameters(.des)
        var sender = try RecordProtection(p)
        var receiver = try RecordProtection(p)
        var count = 0
        for length in [0, 1, 3, 11, 64, 200] {
            for extra in 0...31 {
                let data = RecordTestSupport.randomBytes(length, seed: UInt64(length * 100 + extra))
                let record = try RecordTestSupport.seal(&sender, .handshake, data, extraPaddingBlocks: extra)
                #expect(try RecordTestSupport.open(&receiver, record) == data)
                count += 1
            }
        }
        #expect(count == 192)
        // 32 extra blocks would exceed 255 padding bytes: refused as caller misuse.
        #expect(throws: RecordError(.invalidParameters, "")) {
            _ = try RecordTestSupport.seal(&sender, .handshake, [1, 2, 3], extraPaddingBlocks: 32)
        }
    }
}
