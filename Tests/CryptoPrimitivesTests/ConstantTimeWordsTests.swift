import CryptoPrimitives
import Testing

/// The word-at-a-time mask equals the byte-by-byte definition for every bound and position
/// around it (including bounds below, inside and past the word, and near 2^17).
@Suite struct ConstantTimeWordsTests {
    @Test func bytesBelowMaskMatchesBytewiseDefinition() {
        var checked = 0
        for base: UInt32 in [0, 64, 16_384, 131_000] {
            for position in base..<(base + 40) {
                for bound in base..<(base + 60) {
                    var expected: UInt64 = 0
                    for k in 0..<8 where position + UInt32(k) < bound { expected |= 0xFF << (8 * UInt64(k)) }
                    #expect(ConstantTime.bytesBelowMask(bound, at: position) == expected, "pos \(position) bound \(bound)")
                    checked += 1
                }
            }
        }
        #expect(checked == 4 * 40 * 60)
    }

    /// The per-block form (one clamped count, then a SWAR compare per word) for the limits
    /// the CBC check (24) and the constant-time HMAC (64) use, every word of the span.
    @Test(arguments: [Int64(24), 64])
    func highBitsBelowMatchesBytewiseDefinition(limit: Int64) {
        var checked = 0
        for base: UInt32 in [64, 16_384, 4_294_967_100] {
            for bound in (base - 40)..<(base + 100) {
                let count = ConstantTime.guardedCount(below: bound, from: base, limit: limit)
                for first in stride(from: 0, to: Int(limit), by: 8) {
                    var expected: UInt64 = 0
                    for k in 0..<8 where UInt64(base) + UInt64(first + k) < UInt64(bound) { expected |= 0x80 << (8 * UInt64(k)) }
                    let high = ConstantTime.highBitsBelow(count, first: first)
                    #expect(high == expected, "base \(base) bound \(bound) first \(first)")
                    #expect(ConstantTime.expandHighBits(high) == (expected >> 7) &* 0xFF)
                    checked += 1
                }
            }
        }
        #expect(checked == 3 * 140 * Int(limit / 8))
    }

    @Test func isZeroMask64() {
        #expect(ConstantTime.isZeroMask(UInt64(0)) == 0xFFFF_FFFF)
        for shift in 0..<64 { #expect(ConstantTime.isZeroMask(UInt64(1) << UInt64(shift)) == 0) }
    }
}
