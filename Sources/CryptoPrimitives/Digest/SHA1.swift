import CLibCrypto

/// SHA-1 (FIPS 180-4), computed by libcrypto's low-level SHA1 functions.
public struct SHA1: HashFunction {
    public static var digestByteCount: Int { 20 }
    public static var blockByteCount: Int { 64 }

    @usableFromInline
    var context = SHA_CTX()

    /// A fresh hash state.
    @inlinable
    public init() {
        unsafe _ = SHA1_Init(&context)
    }

    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        unsafe _ = SHA1_Update(&context, base, bytes.count)
    }

    @inlinable
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        // Caller misuse only: the output must hold a whole digest.
        precondition(output.count >= Self.digestByteCount, "digest buffer too small")
        unsafe _ = SHA1_Final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        SecureMemory.wipe(value: &context)
    }
}
