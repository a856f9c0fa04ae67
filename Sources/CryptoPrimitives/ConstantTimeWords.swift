extension ConstantTime {
    /// The bytes of a little-endian 64-bit word at `position` whose positions lie below
    /// `bound`: byte `k` of the result is `0xFF` when `position + k < bound`, else `0`.
    ///
    /// Branch-free and without secret-dependent indices or shifts, so `bound` may be secret
    /// (a padding start, a secret message length); positions must be below 2^31. This lets
    /// the TLS CBC receive path check and mask eight bytes at a time (Lucky 13).
    @inlinable @inline(__always)
    public static func bytesBelowMask(_ bound: UInt32, at position: UInt32) -> UInt64 {
        let below = lessThanMask(position, bound)
        let distance = bound &- position
        let capped = select(greaterOrEqualMask(distance, 8), 8, distance)
        let count = UInt64(select(below, capped, 0))  // 0...8
        // SWAR compare: byte k keeps its top bit when count >= k + 1; the 0x80 guard bit of
        // each byte absorbs the subtraction's borrow, so bytes do not interact.
        let guarded = (count &* 0x0101_0101_0101_0101) | 0x8080_8080_8080_8080
        let high = (guarded &- 0x0807_0605_0403_0201) & 0x8080_8080_8080_8080
        return (high >> 7) &* 0xFF
    }

    /// `0xFFFF_FFFF` when the 64-bit `a` is zero, else `0`.
    @inlinable @inline(__always)
    public static func isZeroMask(_ a: UInt64) -> UInt32 {
        isZeroMask(UInt32(truncatingIfNeeded: a) | UInt32(truncatingIfNeeded: a >> 32))
    }
}
