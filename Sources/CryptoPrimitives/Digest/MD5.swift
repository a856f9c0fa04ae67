import CLibCrypto

/// MD5 (RFC 1321), used only where TLS 1.0 requires it, computed by libcrypto's low-level MD5 functions.
public struct MD5: HashFunction {
    public static var digestByteCount: Int { 16 }
    public static var blockByteCount: Int { 64 }

    @usableFromInline
    var context = MD5_CTX()

    /// A fresh hash state.
    @inlinable
    public init() {
        unsafe _ = MD5_Init(&context)
    }

    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        unsafe _ = MD5_Update(&context, base, bytes.count)
    }

    @inlinable
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        // Caller misuse only: the output must hold a whole digest.
        precondition(output.count >= Self.digestByteCount, "digest buffer too small")
        unsafe _ = MD5_Final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        SecureMemory.wipe(value: &context)
    }
}
