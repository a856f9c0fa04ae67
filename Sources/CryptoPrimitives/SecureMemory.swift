import CLibCrypto

/// Wiping secrets from memory in a way the optimiser cannot remove.
public enum SecureMemory {
    /// Overwrites `buffer` with zeros using `OPENSSL_cleanse`, which the compiler may not elide.
    @inlinable
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        unsafe OPENSSL_cleanse(base, buffer.count)
    }

    /// Overwrites the bytes of `array` with zeros, in place.
    @inlinable
    public static func wipe(_ array: inout [UInt8]) {
        unsafe array.withUnsafeMutableBytes { unsafe wipe($0) }
    }

    /// Overwrites the bytes of a value (such as a C hash context) with zeros.
    @inlinable
    public static func wipe<T>(value: inout T) {
        unsafe withUnsafeMutableBytes(of: &value) { unsafe wipe($0) }
    }
}
