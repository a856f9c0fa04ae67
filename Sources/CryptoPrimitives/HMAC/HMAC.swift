/// HMAC (RFC 2104) over any ``HashFunction``, with the inner and outer pad states
/// computed once per key.
///
/// Computing a MAC copies the two precomputed states (plain values on the stack),
/// so the per-message cost is the hashing alone, with no allocation. The key-derived
/// states are wiped when the last copy of the key is released.
public struct HMAC<H: HashFunction>: Sendable {
    @usableFromInline
    let pads: PadStates

    /// The MAC length in bytes (the digest length of `H`).
    public static var byteCount: Int { H.digestByteCount }

    /// Prepares a key. Keys longer than the hash block are hashed first (RFC 2104 §2).
    @inlinable
    public init(key: [UInt8]) {
        pads = unsafe key.withUnsafeBytes { unsafe PadStates(key: $0) }
    }

    /// Prepares a key from raw bytes.
    @inlinable
    public init(key: UnsafeRawBufferPointer) {
        pads = unsafe PadStates(key: key)
    }

    /// The hash states after absorbing `key ^ ipad` and `key ^ opad` (RFC 2104 §2), built in
    /// a stack buffer that is wiped before returning. Inlinable, so callers in other modules
    /// get it specialised for their hash.
    @inlinable
    static func padStates(key: UnsafeRawBufferPointer) -> (inner: H, outer: H) {
        unsafe withUnsafeTemporaryAllocation(byteCount: H.blockByteCount, alignment: 16) { block in
            unsafe block.initializeMemory(as: UInt8.self, repeating: 0)
            if key.count > H.blockByteCount {
                var h = H()
                unsafe h.update(key)
                unsafe h.finalize(into: block)  // digest ≤ block size for every HashFunction here
            } else if key.count > 0 {
                unsafe block.copyMemory(from: key)
            }
            for j in 0..<block.count { unsafe block[j] ^= 0x36 }
            var i = H()
            unsafe i.update(UnsafeRawBufferPointer(block))
            for j in 0..<block.count { unsafe block[j] ^= 0x36 ^ 0x5C }
            var o = H()
            unsafe o.update(UnsafeRawBufferPointer(block))
            unsafe SecureMemory.wipe(block)
            return (i, o)
        }
    }

    /// Starts a streaming computation.
    @inlinable
    public func begin() -> HMACComputation<H> {
        HMACComputation(inner: pads.inner, outer: pads)
    }

    /// The MAC of `message`.
    @inlinable
    public func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var c = begin()
        c.update(message)
        return c.finalize()
    }

    /// The inner and outer hash states after absorbing `key ^ ipad` and `key ^ opad`.
    @usableFromInline
    final class PadStates: @unchecked Sendable {
        // @unchecked: both states are set in init and only written again by deinit's wipe.
        @usableFromInline var inner: H
        @usableFromInline var outer: H

        @inlinable
        init(key: UnsafeRawBufferPointer) {
            (inner, outer) = unsafe HMAC.padStates(key: key)
        }

        deinit {
            SecureMemory.wipe(value: &inner)
            SecureMemory.wipe(value: &outer)
        }
    }
}

/// One HMAC computation in progress; a value type, so it may be forked by copying.
public struct HMACComputation<H: HashFunction>: Sendable {
    @usableFromInline var inner: H
    @usableFromInline let outer: HMAC<H>.PadStates

    @inlinable
    init(inner: H, outer: HMAC<H>.PadStates) {
        self.inner = inner
        self.outer = outer
    }

    /// Absorbs message bytes.
    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { unsafe inner.update(bytes) }

    /// Absorbs message bytes from an array.
    @inlinable
    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    /// Writes the MAC to the first `H.digestByteCount` bytes of `output`, allocation-free.
    ///
    /// - Precondition: `output.count >= H.digestByteCount` (caller misuse otherwise).
    @inlinable
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        unsafe inner.finalize(into: output)
        var o = outer.outer
        unsafe o.update(UnsafeRawBufferPointer(rebasing: output[0..<H.digestByteCount]))
        unsafe o.finalize(into: output)
    }

    /// Finishes and returns the MAC.
    @inlinable
    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: H.digestByteCount)
        let c = self
        unsafe out.withUnsafeMutableBytes { unsafe c.finalize(into: $0) }
        return out
    }
}
