/// A streaming cryptographic hash with a copyable state.
///
/// The state is a plain value: copying it forks the computation, which is how
/// ``HMAC`` precomputes its inner and outer pad states once per key.
public protocol HashFunction: Sendable {
    /// Length of the digest in bytes.
    static var digestByteCount: Int { get }
    /// Length of the compression function's block in bytes (64 for MD5, SHA-1 and SHA-256).
    static var blockByteCount: Int { get }

    /// A fresh hash state.
    init()

    /// Absorbs `bytes`.
    mutating func update(_ bytes: UnsafeRawBufferPointer)

    /// Writes the digest to the first ``digestByteCount`` bytes of `output`.
    ///
    /// - Precondition: `output.count >= Self.digestByteCount` (caller misuse otherwise).
    consuming func finalize(into output: UnsafeMutableRawBufferPointer)
}

extension HashFunction {
    /// Absorbs the bytes of an array.
    @inlinable
    public mutating func update(_ bytes: [UInt8]) {
        unsafe bytes.withUnsafeBytes { unsafe update($0) }
    }

    /// Absorbs the bytes of an array slice.
    @inlinable
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        unsafe bytes.withUnsafeBytes { unsafe update($0) }
    }

    /// Finishes the computation and returns the digest.
    @inlinable
    public consuming func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestByteCount)
        let state = self
        unsafe out.withUnsafeMutableBytes { unsafe state.finalize(into: $0) }
        return out
    }

    /// The digest of `bytes` in one call.
    @inlinable
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var h = Self()
        h.update(bytes)
        return h.finalize()
    }
}
