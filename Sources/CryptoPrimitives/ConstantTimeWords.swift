extension ConstantTime {
    /// The bytes of a little-endian 64-bit word at `position` whose positions lie below
    /// `bound`: byte `k` of the result is `0xFF` when `position + k < bound`, else `0`.
    ///
    /// Branch-free and without secret-dependent indices or shifts, so `bound` may be secret
    /// (a padding start, a secret message length); any UInt32 pair works. This lets
    /// the TLS CBC receive path check and mask eight bytes at a time (Lucky 13).
    @inlinable @inline(__always)
    public static func bytesBelowMask(_ bound: UInt32, at position: UInt32) -> UInt64 {
        expandHighBits(highBitsBelow(guardedCount(below: bound, from: position, limit: 8), first: 0))
    }

    /// How many positions from `position` on lie below `bound`, clamped to `0...limit`, in
    /// every byte of a word with each byte's 0x80 guard bit set: the input of
    /// ``highBitsBelow(_:first:)``. Branch-free and without multiplies (loops using it are
    /// vectorised, where 64-bit multiplies are slow); `limit` is public, at most 127, and
    /// any UInt32 pair works (64-bit arithmetic).
    @inlinable @inline(__always)
    public static func guardedCount(below bound: UInt32, from position: UInt32, limit: Int64) -> UInt64 {
        let distance = Int64(bound) &- Int64(position)
        let nonNegative = distance & ~(distance >> 63)  // max(distance, 0)
        let underLimit = (nonNegative &- limit) >> 63  // all ones when nonNegative < limit
        let count = UInt64(bitPattern: (nonNegative & underLimit) | (limit & ~underLimit))
        var spread = count | (count << 8)
        spread |= spread << 16
        spread |= spread << 32
        return spread | 0x8080_8080_8080_8080
    }

    /// `0x80` in byte `k` of the result when `first + k` is below the count in
    /// `guardedCount`, else `0` (a SWAR compare: the guard bit absorbs each byte's borrow,
    /// so bytes do not interact). `first` is public, `first + 8 <= 128`.
    @inlinable @inline(__always)
    public static func highBitsBelow(_ guardedCount: UInt64, first: Int) -> UInt64 {
        let indices = 0x0807_0605_0403_0201 &+ UInt64(truncatingIfNeeded: first) &* 0x0101_0101_0101_0101
        return (guardedCount &- indices) & 0x8080_8080_8080_8080
    }

    /// `0xFF` in every byte whose top bit is set in `high` (bytes `0x80` or `0`).
    @inlinable @inline(__always)
    public static func expandHighBits(_ high: UInt64) -> UInt64 {
        (high &- (high >> 7)) | high
    }

    /// `0xFFFF_FFFF` when the 64-bit `a` is zero, else `0`.
    @inlinable @inline(__always)
    public static func isZeroMask(_ a: UInt64) -> UInt32 {
        isZeroMask(UInt32(truncatingIfNeeded: a) | UInt32(truncatingIfNeeded: a >> 32))
    }
}
