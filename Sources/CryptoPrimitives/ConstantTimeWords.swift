extension ConstantTime {
    /// The bytes of a little-endian 64-bit word at `position` whose positions lie below
    /// `bound`: byte `k` of the result is `0xFF` when `position + k < bound`, else `0`.
    ///
    /// Branch-free and without secret-dependent indices or shifts, so `bound` may be secret
    /// (a padding start, a secret message length); any UInt32 pair works. This lets
    /// the TLS CBC receive path check and mask eight bytes at a time (Lucky 13).
    @inlinable @inline(__always)
    public static func bytesBelowMask(_ bound: UInt32, at position: UInt32) -> UInt64 {
        // How many of the eight bytes lie below `bound`, clamped to 0...8 with sign masks
        // (64-bit arithmetic, so every UInt32 pair fits): max(distance, 0), then min(_, 8).
        let distance = Int64(bound) &- Int64(position)
        let nonNegative = distance & ~(distance >> 63)
        let underEight = (nonNegative &- 8) >> 63  // all ones when nonNegative < 8
        let count = UInt64(bitPattern: (nonNegative & underEight) | (8 & ~underEight))  // 0...8
        // SWAR compare: byte k keeps its top bit when count >= k + 1; the 0x80 guard bit of
        // each byte absorbs the subtraction's borrow, so bytes do not interact. Shifts and
        // adds only: the loops using this are vectorised, where 64-bit multiplies are slow.
        var spread = count | (count << 8)  // count in every byte
        spread |= spread << 16
        spread |= spread << 32
        let high = ((spread | 0x8080_8080_8080_8080) &- 0x0807_0605_0403_0201) & 0x8080_8080_8080_8080
        return (high &- (high >> 7)) | high  // 0x80 -> 0xFF per byte
    }

    /// `0xFFFF_FFFF` when the 64-bit `a` is zero, else `0`.
    @inlinable @inline(__always)
    public static func isZeroMask(_ a: UInt64) -> UInt32 {
        isZeroMask(UInt32(truncatingIfNeeded: a) | UInt32(truncatingIfNeeded: a >> 32))
    }
}
