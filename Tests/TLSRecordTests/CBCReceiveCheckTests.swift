import Testing
import TLSRecord

/// The eight-bytes-at-a-time CBC receive checks equal their straightforward byte-by-byte
/// versions for every padding length, every corrupted position and every MAC offset.
@Suite struct CBCReceiveCheckTests {
    static let lengths = [21, 32, 40, 48, 64, 96, 272, 277, 288, 296, 304, 1024]

    @Test(arguments: lengths)
    func paddingMaskMatchesBytewiseCheck(length: Int) {
        var checked = 0
        for pad in 0...min(255, length - 21) {
            var body = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let padStart = length - 1 - pad
            for i in padStart..<length { body[i] = UInt8(pad) }
            // Intact, then one corrupted byte at each position of the scanned window.
            for corrupt in [-1] + Array(max(0, length - 257)..<(length - 1)) {
                var tampered = body
                if corrupt >= 0 { tampered[corrupt] ^= 0x40 }
                let expected = (padStart..<(length - 1)).allSatisfy { tampered[$0] == UInt8(pad) }
                var mac: (UInt64, UInt64, UInt64) = (0, 0, 0)
                let mask = tampered.withUnsafeBytes {
                    CBCReceiveCheck.check(
                        $0, plainLength: UInt32(padStart - 20), minPlain: max(0, length - 21 - 255), pad: UInt32(pad),
                        into: &mac)
                }
                #expect(mask == (expected ? 0xFFFF_FFFF : 0), "len \(length) pad \(pad) corrupt \(corrupt)")
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test(arguments: lengths)
    func extractMACMatchesSlice(length: Int) {
        let body = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
        let maxPlain = length - 21
        let minPlain = max(0, maxPlain - 255)
        for plain in minPlain...maxPlain {
            var mac: (UInt64, UInt64, UInt64) = (1, 1, 1)
            _ = body.withUnsafeBytes {
                CBCReceiveCheck.check($0, plainLength: UInt32(plain), minPlain: minPlain, pad: 0, into: &mac)
            }
            let bytes = withUnsafeBytes(of: &mac) { Array($0) }
            #expect(Array(bytes[0..<20]) == Array(body[plain..<(plain + 20)]), "len \(length) plain \(plain)")
            #expect(bytes[20..<24].allSatisfy { $0 == 0 })
        }
    }
}
