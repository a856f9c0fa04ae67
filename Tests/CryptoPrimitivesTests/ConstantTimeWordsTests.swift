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

    @Test func isZeroMask64() {
        #expect(ConstantTime.isZeroMask(UInt64(0)) == 0xFFFF_FFFF)
        for shift in 0..<64 { #expect(ConstantTime.isZeroMask(UInt64(1) << UInt64(shift)) == 0) }
    }
}
