import CLibCrypto

/// SHA-256 (FIPS 180-4), computed by libcrypto's low-level SHA256 functions.
public struct SHA256: HashFunction {
    public static var digestByteCount: Int { 32 }
    public static var blockByteCount: Int { 64 }

    @usableFromInline
    var context = SHA256_CTX()

    /// A fresh hash state.
    @inlinable
    public init() {
        unsafe _ = SHA256_Init(&context)
    }

    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        unsafe _ = SHA256_Update(&context, base, bytes.count)
    }

    @inlinable
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        // Caller misuse only: the output must hold a whole digest.
        precondition(output.count >= Self.digestByteCount, "digest buffer too small")
        unsafe _ = SHA256_Final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        SecureMemory.wipe(value: &context)
    }
}
