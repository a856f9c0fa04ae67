import CryptoPrimitives

/// The constant-time parts of the TLS CBC receive check (Lucky 13, BearSSL's
/// `ssl_rec_cbc.c`), eight bytes at a time: the padding scan and the MAC extraction. Loop
/// bounds, loads and stores depend only on the public body length; the secret padding and
/// plaintext lengths enter only through masks (``ConstantTime/bytesBelowMask(_:at:)``).
package enum CBCReceiveCheck {
    /// `0xFFFF_FFFF` when every byte of `body[padStart ..< body.count - 1]` equals `pad`,
    /// else `0`. `padStart` is secret and at least `body.count - 256`; the last 255 bytes
    /// before padding_length are read whatever it is. Requires `body.count >= 9`.
    package static func paddingMask(_ body: UnsafeRawBufferPointer, padStart: UInt32, pad: UInt32) -> UInt32 {
        let end = body.count - 1  // public: index of padding_length
        let window = min(255, end)
        let pattern = UInt64(pad & 0xFF) &* 0x0101_0101_0101_0101
        var difference: UInt64 = 0
        // Words ending at `end`, walking down; the last may overlap the previous one
        // (checking a byte twice changes nothing).
        for k in 0..<((window + 7) / 8) {
            let position = max(end - 8 * (k + 1), 0)
            // Bounds: 0 <= position and position + 8 <= end < body.count.
            let word = UInt64(littleEndian: unsafe body.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let inPadding = ~ConstantTime.bytesBelowMask(padStart, at: UInt32(truncatingIfNeeded: position))
            difference |= (word ^ pattern) & inPadding
        }
        return ConstantTime.isZeroMask(difference)
    }

    /// Copies the 20-byte MAC at the secret offset `plainLength` into `mac` (24 bytes,
    /// the last 4 left zero). `plainLength` lies in `minPlain ... body.count - 21`, and
    /// `minPlain >= body.count - 276`: the whole window is read whatever it is.
    package static func extractMAC(
        _ body: UnsafeRawBufferPointer, plainLength: UInt32, minPlain: Int,
        into mac: inout (UInt64, UInt64, UInt64)
    ) {
        let macLength = 20
        let windowEnd = body.count - 1  // public
        let macEnd = plainLength &+ UInt32(macLength)
        // The window is walked in public 20-byte chunks, byte k of a chunk going to slot k:
        // the MAC lands rotated by (plainLength - minPlain) mod 20 (BearSSL).
        var rotated: (UInt64, UInt64, UInt64) = (0, 0, 0)
        unsafe withUnsafeMutableBytes(of: &rotated) { slots in
            var chunk = minPlain
            while chunk + macLength <= windowEnd {  // public bounds
                for offset in stride(from: 0, to: macLength, by: 8) {
                    let width = min(8, macLength - offset)  // 8, 8, 4
                    let position = UInt32(truncatingIfNeeded: chunk + offset)
                    var inMAC = ConstantTime.bytesBelowMask(macEnd, at: position)
                        & ~ConstantTime.bytesBelowMask(plainLength, at: position)
                    // Bounds: chunk + offset + width <= windowEnd < body.count; slots has 24 bytes.
                    var word: UInt64
                    if width == 8 {
                        word = UInt64(littleEndian: unsafe body.loadUnaligned(fromByteOffset: chunk + offset, as: UInt64.self))
                    } else {
                        word = UInt64(UInt32(littleEndian: unsafe body.loadUnaligned(fromByteOffset: chunk + offset, as: UInt32.self)))
                        inMAC &= 0xFFFF_FFFF
                    }
                    let slot = UInt64(littleEndian: unsafe slots.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    unsafe slots.storeBytes(of: (slot | (word & inMAC)).littleEndian, toByteOffset: offset, as: UInt64.self)
                }
                chunk += macLength
            }
            // The last, shorter chunk, byte by byte (its length is public).
            for i in chunk..<windowEnd {
                let i32 = UInt32(truncatingIfNeeded: i)
                let inMAC = ConstantTime.greaterOrEqualMask(i32, plainLength) & ConstantTime.lessThanMask(i32, macEnd)
                // Bounds: i - chunk < 20 within the 24-byte tuple; i < body.count.
                unsafe slots[i - chunk] |= ConstantTime.select(inMAC, unsafe body[i], 0)
            }
        }
        mac = unrotate(rotated, by: plainLength &- UInt32(truncatingIfNeeded: minPlain))
    }

    /// Undoes the rotation: byte k of the MAC sits at (offset + k) mod 20. Rotates left by
    /// 1, 2, 4, 8, 16 under the mask of each bit of the rotation (BearSSL), so the indices
    /// are public and every byte is touched the same way; each step reads the 20 bytes,
    /// written twice in a row, at the public offset 1, 2, 4, 8 or 16, a word at a time.
    private static func unrotate(_ rotated: (UInt64, UInt64, UInt64), by offset: UInt32) -> (UInt64, UInt64, UInt64) {
        let macLength = 20
        // offset is in 0...275; x * 3277 >> 16 == x / 20 exactly for x < 4096, a
        // multiplication in place of a division whose timing may vary.
        let rotation = UInt64(offset &- ((offset &* 3277) >> 16) &* UInt32(macLength))
        var value = rotated
        var doubled: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes
        unsafe withUnsafeMutableBytes(of: &doubled) { twice in
            for bit in 0..<5 {
                let amount = 1 << bit
                let take = 0 &- ((rotation >> UInt64(bit)) & 1)
                for copy in stride(from: 0, through: macLength, by: macLength) {
                    // Bounds: copy + 20 <= 40.
                    unsafe twice.storeBytes(of: value.0.littleEndian, toByteOffset: copy, as: UInt64.self)
                    unsafe twice.storeBytes(of: value.1.littleEndian, toByteOffset: copy + 8, as: UInt64.self)
                    unsafe twice.storeBytes(of: UInt32(truncatingIfNeeded: value.2).littleEndian, toByteOffset: copy + 16, as: UInt32.self)
                }
                // Bounds: amount + 20 <= 36 <= 40.
                let r0 = UInt64(littleEndian: unsafe twice.loadUnaligned(fromByteOffset: amount, as: UInt64.self))
                let r1 = UInt64(littleEndian: unsafe twice.loadUnaligned(fromByteOffset: amount + 8, as: UInt64.self))
                let r2 = UInt64(UInt32(littleEndian: unsafe twice.loadUnaligned(fromByteOffset: amount + 16, as: UInt32.self)))
                value = ((r0 & take) | (value.0 & ~take), (r1 & take) | (value.1 & ~take), (r2 & take) | (value.2 & ~take))
            }
        }
        return value
    }
}
