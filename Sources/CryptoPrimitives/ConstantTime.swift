/// Branch-free helpers for secret-dependent code, in the manner of BearSSL's `inner.h`.
///
/// A *mask* is `0xFFFF_FFFF` for true and `0` for false. None of these functions
/// branch or index memory on their arguments, so their timing does not reveal them.
public enum ConstantTime {
    /// `0xFFFF_FFFF` when `a == b`, else `0`.
    @inlinable @inline(__always)
    public static func equalMask(_ a: UInt32, _ b: UInt32) -> UInt32 {
        isZeroMask(a ^ b)
    }

    /// `0xFFFF_FFFF` when `a == 0`, else `0`.
    @inlinable @inline(__always)
    public static func isZeroMask(_ a: UInt32) -> UInt32 {
        // (a | -a) has its top bit set exactly when a != 0.
        let nonZeroBit = (a | (0 &- a)) >> 31
        return nonZeroBit &- 1
    }

    /// `0xFFFF_FFFF` when `a < b` (unsigned), else `0`.
    @inlinable @inline(__always)
    public static func lessThanMask(_ a: UInt32, _ b: UInt32) -> UInt32 {
        // Borrow out of a - b, computed in 64 bits.
        let diff = UInt64(a) &- UInt64(b)
        return 0 &- UInt32(truncatingIfNeeded: diff >> 63)
    }

    /// `0xFFFF_FFFF` when `a >= b` (unsigned), else `0`.
    @inlinable @inline(__always)
    public static func greaterOrEqualMask(_ a: UInt32, _ b: UInt32) -> UInt32 {
        ~lessThanMask(a, b)
    }

    /// `a` when `mask` is all ones, `b` when it is zero.
    @inlinable @inline(__always)
    public static func select(_ mask: UInt32, _ a: UInt32, _ b: UInt32) -> UInt32 {
        b ^ (mask & (a ^ b))
    }

    /// `a` when `mask` is all ones, `b` when it is zero, for bytes.
    @inlinable @inline(__always)
    public static func select(_ mask: UInt32, _ a: UInt8, _ b: UInt8) -> UInt8 {
        let m = UInt8(truncatingIfNeeded: mask)
        return b ^ (m & (a ^ b))
    }

    /// Copies `count` bytes from `source` to `destination` when `mask` is all ones;
    /// leaves `destination` unchanged when it is zero. Touches every byte either way.
    @inlinable
    public static func conditionalCopy(
        mask: UInt32, to destination: UnsafeMutableRawPointer,
        from source: UnsafeRawPointer, count: Int
    ) {
        for i in 0..<count {
            let s = unsafe source.load(fromByteOffset: i, as: UInt8.self)
            let d = unsafe destination.load(fromByteOffset: i, as: UInt8.self)
            unsafe destination.storeBytes(of: select(mask, s, d), toByteOffset: i, as: UInt8.self)
        }
    }

    /// Whether two buffers hold the same bytes, in time that depends only on their lengths.
    /// Lengths are public; buffers of different lengths are unequal.
    @inlinable
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var acc: UInt8 = 0
        for i in 0..<a.count { acc |= unsafe a[i] ^ b[i] }
        return acc == 0
    }

    /// Whether two byte arrays are equal, in time that depends only on their lengths.
    @inlinable
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        unsafe a.withUnsafeBytes { ra in unsafe b.withUnsafeBytes { rb in unsafe equal(ra, rb) } }
    }
}
