/// A block cipher in CBC mode (64-bit DES and 3DES, 128-bit AES) on caller-owned buffers,
/// from one to another or in place (a conformer implements the out-of-place pair; the
/// in-place calls default to it).
///
/// The chaining value lives in a ``CBCIV`` that the caller owns and that each call
/// advances to the last ciphertext block, which is exactly TLS 1.0's implicit-IV rule
/// (RFC 2246 §6.2.3.2): the next record's IV is the previous record's last block.
public protocol CBCBlockCipher: Sendable {
    /// The cipher block size in bytes: 8 for DES and 3DES, 16 for AES.
    static var blockByteCount: Int { get }

    /// Prepares the key schedule once. Throws when the key has the wrong length.
    init(key: [UInt8]) throws(CryptoError)

    /// Encrypts `buffer` in place; `buffer.count` must be a multiple of the block size and
    /// `iv` must be one block long. Afterwards `iv` holds the last ciphertext block.
    func encrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV)

    /// Decrypts `buffer` in place; `buffer.count` must be a multiple of the block size and
    /// `iv` must be one block long. Afterwards `iv` holds the last ciphertext block of the input.
    func decrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV)

    /// Encrypts `input` into the first `input.count` bytes of `output` (which must not
    /// overlap `input` unless it is `input` itself), as ``encrypt(_:iv:)`` does in place:
    /// the encryption is then the only pass over the bytes.
    func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV)

    /// Decrypts `input` into the first `input.count` bytes of `output` (same rules as
    /// ``encrypt(_:into:iv:)``); `input` is left as it was.
    func decrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV)
}

extension CBCBlockCipher {
    /// Encrypts `buffer` in place: the out-of-place call with the same bytes as both ends.
    @inlinable
    public func encrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe encrypt(UnsafeRawBufferPointer(buffer), into: buffer, iv: &iv)
    }

    /// Decrypts `buffer` in place: the out-of-place call with the same bytes as both ends.
    @inlinable
    public func decrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe decrypt(UnsafeRawBufferPointer(buffer), into: buffer, iv: &iv)
    }

    /// Encrypts a copy of `plaintext` (a whole number of blocks) and returns the ciphertext.
    public func encrypt(_ plaintext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try Self.checkArguments(plaintext.count, iv)
        var out = plaintext
        unsafe out.withUnsafeMutableBytes { unsafe encrypt($0, iv: &iv) }
        return out
    }

    /// Decrypts a copy of `ciphertext` (a whole number of blocks) and returns the plaintext.
    public func decrypt(_ ciphertext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try Self.checkArguments(ciphertext.count, iv)
        var out = ciphertext
        unsafe out.withUnsafeMutableBytes { unsafe decrypt($0, iv: &iv) }
        return out
    }

    static func checkArguments(_ count: Int, _ iv: CBCIV) throws(CryptoError) {
        guard count % blockByteCount == 0 else {
            throw CryptoError(
                .notBlockAligned, "CBC input of \(count) bytes is not a multiple of the \(blockByteCount)-byte block")
        }
        guard iv.byteCount == blockByteCount else {
            throw CryptoError(.invalidIVLength, "this cipher needs a \(blockByteCount)-byte IV, got \(iv.byteCount)")
        }
    }
}

/// A CBC chaining value of one block: 8 bytes (DES, 3DES) or 16 bytes (AES).
public struct CBCIV: Sendable, Equatable {
    /// The block, in memory order; only the first ``byteCount`` bytes are used, the rest stay zero.
    @usableFromInline
    var raw: (UInt64, UInt64) = (0, 0)
    /// The IV length in bytes: 8 or 16.
    public let byteCount: Int

    /// An all-zero IV of `byteCount` bytes (8 or 16; other values are caller misuse).
    public init(byteCount: Int = 8) {
        precondition(byteCount == 8 || byteCount == 16, "a CBC IV is 8 or 16 bytes")  // caller misuse
        self.byteCount = byteCount
    }

    /// An IV from exactly 8 or 16 bytes.
    public init(_ bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == 8 || bytes.count == 16 else {
            throw CryptoError(.invalidIVLength, "a CBC IV is 8 or 16 bytes, got \(bytes.count)")
        }
        byteCount = bytes.count
        unsafe withUnsafeMutableBytes(of: &raw) { dst in
            for i in 0..<bytes.count { unsafe dst[i] = bytes[i] }
        }
    }

    /// An IV copied from `byteCount` (8 or 16) bytes at `pointer`.
    @inlinable
    public init(copying pointer: UnsafeRawPointer, byteCount: Int = 8) {
        self.init(byteCount: byteCount)
        unsafe load(from: pointer)
    }

    /// Overwrites the IV with ``byteCount`` bytes at `pointer`.
    @inlinable
    mutating func load(from pointer: UnsafeRawPointer) {
        raw.0 = unsafe pointer.loadUnaligned(as: UInt64.self)
        if byteCount == 16 { raw.1 = unsafe pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
    }

    /// The IV's bytes.
    public var bytes: [UInt8] {
        unsafe withUnsafeBytes(of: raw) { unsafe Array($0[0..<byteCount]) }
    }

    public static func == (lhs: CBCIV, rhs: CBCIV) -> Bool {
        lhs.byteCount == rhs.byteCount && lhs.raw.0 == rhs.raw.0 && lhs.raw.1 == rhs.raw.1
    }
}
