import CryptoPrimitives

/// The constant-time parts of the TLS CBC receive check (Lucky 13, BearSSL's
/// `ssl_rec_cbc.c`), eight bytes at a time: the padding scan and the MAC extraction, in one
/// pass over the window. Loop bounds, loads and stores depend only on the public body
/// length; the secret padding and plaintext lengths enter only through masks
/// (``ConstantTime/bytesBelowMask(_:at:)``).
package enum CBCReceiveCheck {
    /// One pass over the public window: checks the padding and copies out the MAC.
    ///
    /// Returns `0xFFFF_FFFF` when every byte of `body[plainLength + 20 ..< body.count - 1]`
    /// equals `pad`, else `0`, and copies the 20-byte MAC at the secret offset `plainLength`
    /// into `mac` (24 bytes, the last 4 left zero). `plainLength` lies in
    /// `minPlain ... body.count - 21` and `minPlain >= body.count - 276`, so the padding
    /// (at most 255 bytes before padding_length) and the MAC both lie in the window, which
    /// is read whole whatever the secret values are. Requires `body.count >= 21`.
    package static func check(
        _ body: UnsafeRawBufferPointer, plainLength: UInt32, minPlain: Int, pad: UInt32,
        into mac: inout (UInt64, UInt64, UInt64)
    ) -> UInt32 {
        let macLength = 20
        let windowEnd = body.count - 1  // public: index of padding_length
        let macEnd = plainLength &+ UInt32(macLength)  // secret: where the padding starts
        let pattern = UInt64(pad & 0xFF) &* 0x0101_0101_0101_0101
        // Public 20-byte chunks ending at padding_length and reaching down to minPlain (or
        // to the body's start); byte k of a chunk goes to slot k, so the MAC lands rotated
        // by (plainLength - start) mod 20 (BearSSL).
        let chunks = min((windowEnd - minPlain + macLength - 1) / macLength, windowEnd / macLength)
        let start = windowEnd - chunks * macLength
        var slots: (UInt64, UInt64, UInt64) = (0, 0, 0)
        // Only in records shorter than the window: bytes minPlain ..< start (< 20, all
        // before the padding, since macEnd >= 20) go to slot p - start + 20.
        for i in minPlain..<max(minPlain, start) {
            let i32 = UInt32(truncatingIfNeeded: i)
            let inMAC = ConstantTime.greaterOrEqualMask(i32, plainLength) & ConstantTime.lessThanMask(i32, macEnd)
            // Bounds: 0 <= i < start <= windowEnd.
            let byte = UInt64(ConstantTime.select(inMAC, unsafe body[i], 0))
            let slot = i - start + macLength  // public, 1...19
            let shift = UInt64(8 * (slot % 8))
            switch slot / 8 {
            case 0: slots.0 |= byte << shift
            case 1: slots.1 |= byte << shift
            default: slots.2 |= byte << shift
            }
        }
        // Per chunk, one clamped count of its bytes below plainLength, compared with each
        // word's byte indices (SWAR). The same mask 20 bytes further on is "below macEnd", so
        // each chunk carries it to the next. A byte is MAC when below macEnd and not below
        // plainLength, padding when not below macEnd.
        func belowMasks(_ bound: UInt32, _ chunk: Int) -> (UInt64, UInt64, UInt64) {
            let count = ConstantTime.guardedCount(below: bound, from: UInt32(truncatingIfNeeded: chunk), limit: 24)
            return (
                ConstantTime.expandHighBits(ConstantTime.highBitsBelow(count, first: 0)),
                ConstantTime.expandHighBits(ConstantTime.highBitsBelow(count, first: 8)),
                ConstantTime.expandHighBits(ConstantTime.highBitsBelow(count, first: 16)) & 0xFFFF_FFFF
            )
        }
        var belowEnd = belowMasks(macEnd, start)
        var difference: UInt64 = 0
        for chunk in stride(from: start, to: windowEnd, by: macLength) {
            // Bounds: chunk + 20 <= windowEnd < body.count.
            let w0 = UInt64(littleEndian: unsafe body.loadUnaligned(fromByteOffset: chunk, as: UInt64.self))
            let w1 = UInt64(littleEndian: unsafe body.loadUnaligned(fromByteOffset: chunk + 8, as: UInt64.self))
            let w2 = UInt64(UInt32(littleEndian: unsafe body.loadUnaligned(fromByteOffset: chunk + 16, as: UInt32.self)))
            let below = belowMasks(plainLength, chunk)
            slots.0 |= w0 & belowEnd.0 & ~below.0
            slots.1 |= w1 & belowEnd.1 & ~below.1
            slots.2 |= w2 & belowEnd.2 & ~below.2
            difference |= (w0 ^ pattern) & ~belowEnd.0
            difference |= (w1 ^ pattern) & ~belowEnd.1
            difference |= (w2 ^ pattern) & ~belowEnd.2 & 0xFFFF_FFFF
            belowEnd = below
        }
        // plainLength + 20 - start is in 1...315 and has the rotation's residue mod 20.
        mac = unrotate(slots, by: plainLength &+ UInt32(macLength) &- UInt32(truncatingIfNeeded: start))
        return ConstantTime.isZeroMask(difference)
    }

    /// Undoes the rotation: byte k of the MAC sits at (offset + k) mod 20. Rotates left by
    /// 1, 2, 4, 8, 16 under the mask of each bit of the rotation (BearSSL), so the shifts
    /// are public and every byte is touched the same way.
    ///
    /// The value is three little-endian words (bytes 0..<8, 8..<16, 16..<20, the top half of
    /// the third zero); rotating left by `a` bytes takes the 20 bytes at `a` of the value
    /// written twice in a row (``twice(_:)``), in registers.
    private static func unrotate(_ rotated: (UInt64, UInt64, UInt64), by offset: UInt32) -> (UInt64, UInt64, UInt64) {
        // offset is in 1...315; x * 3277 >> 16 == x / 20 exactly for x < 4096, a
        // multiplication in place of a division whose timing may vary.
        let rotation = UInt64(offset &- ((offset &* 3277) >> 16) &* 20)
        let low: UInt64 = 0xFFFF_FFFF
        func choose(_ bit: UInt64, _ moved: (UInt64, UInt64, UInt64), _ value: (UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64) {
            let take = 0 &- ((rotation >> bit) & 1)
            return ((moved.0 & take) | (value.0 & ~take), (moved.1 & take) | (value.1 & ~take), (moved.2 & take) | (value.2 & ~take))
        }
        // Bytes a ..< a + 20 of the 40, for a = 1, 2, 4 (a funnel shift by 8a bits).
        func within(_ t: (UInt64, UInt64, UInt64, UInt64, UInt64), bits: UInt64) -> (UInt64, UInt64, UInt64) {
            ((t.0 >> bits) | (t.1 << (64 - bits)), (t.1 >> bits) | (t.2 << (64 - bits)), ((t.2 >> bits) | (t.3 << (64 - bits))) & low)
        }
        var value = rotated
        value = choose(0, within(twice(value), bits: 8), value)
        value = choose(1, within(twice(value), bits: 16), value)
        value = choose(2, within(twice(value), bits: 32), value)
        var t = twice(value)
        value = choose(3, (t.1, t.2, t.3 & low), value)
        t = twice(value)
        value = choose(4, (t.2, t.3, t.4 & low), value)
        return value
    }

    /// The 20-byte value written twice in a row: 40 bytes as five little-endian words.
    @inline(__always)
    private static func twice(_ v: (UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        (v.0, v.1, v.2 | (v.0 << 32), (v.0 >> 32) | (v.1 << 32), (v.1 >> 32) | (v.2 << 32))
    }
}
