/// A 64-bit block cipher in CBC mode, working in place on caller-owned buffers.
///
/// The chaining value lives in a ``CBCIV`` that the caller owns and that each call
/// advances to the last ciphertext block, which is exactly TLS 1.0's implicit-IV rule
/// (RFC 2246 §6.2.3.2): the next record's IV is the previous record's last block.
public protocol CBCBlockCipher: Sendable {
    /// Key length in bytes.
    static var keyByteCount: Int { get }

    /// Prepares the key schedule once. Throws when the key has the wrong length.
    init(key: [UInt8]) throws(CryptoError)

    /// Encrypts `buffer` in place; `buffer.count` must be a multiple of 8.
    /// Afterwards `iv` holds the last ciphertext block.
    func encrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV)

    /// Decrypts `buffer` in place; `buffer.count` must be a multiple of 8.
    /// Afterwards `iv` holds the last ciphertext block of the input.
    func decrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV)
}

extension CBCBlockCipher {
    /// The cipher block size: 8 bytes for DES and 3DES.
    public static var blockByteCount: Int { 8 }

    /// Encrypts a copy of `plaintext` (a multiple of 8 bytes) and returns the ciphertext.
    public func encrypt(_ plaintext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try Self.checkAligned(plaintext.count)
        var out = plaintext
        unsafe out.withUnsafeMutableBytes { unsafe encrypt($0, iv: &iv) }
        return out
    }

    /// Decrypts a copy of `ciphertext` (a multiple of 8 bytes) and returns the plaintext.
    public func decrypt(_ ciphertext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try Self.checkAligned(ciphertext.count)
        var out = ciphertext
        unsafe out.withUnsafeMutableBytes { unsafe decrypt($0, iv: &iv) }
        return out
    }

    static func checkAligned(_ count: Int) throws(CryptoError) {
        guard count % 8 == 0 else {
            throw CryptoError(.notBlockAligned, "CBC input of \(count) bytes is not a multiple of the 8-byte block")
        }
    }
}

/// An 8-byte CBC chaining value.
public struct CBCIV: Sendable, Equatable {
    @usableFromInline
    var raw: UInt64 = 0

    /// An all-zero IV.
    public init() {}

    /// An IV from exactly 8 bytes.
    public init(_ bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == 8 else {
            throw CryptoError(.invalidIVLength, "a CBC IV is 8 bytes, got \(bytes.count)")
        }
        unsafe withUnsafeMutableBytes(of: &raw) { dst in
            for i in 0..<8 { unsafe dst[i] = bytes[i] }
        }
    }

    /// An IV copied from 8 bytes at `pointer`.
    @inlinable
    public init(copying pointer: UnsafeRawPointer) {
        raw = unsafe pointer.loadUnaligned(as: UInt64.self)
    }

    /// The IV's bytes.
    public var bytes: [UInt8] {
        unsafe withUnsafeBytes(of: raw) { unsafe Array($0) }
    }
}
