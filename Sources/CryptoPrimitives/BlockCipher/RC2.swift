import CLibCrypto

/// RC2 (RFC 2268) in CBC mode, for decrypting legacy PKCS#12 files only.
///
/// `openssl pkcs12 -export -legacy`, Windows and Java encrypt the certificates of a `.pfx`
/// with `pbeWithSHAAnd40BitRC2-CBC` (RFC 7292 Appendix C). RC2 is a weak 64-bit block cipher
/// and is never used by the TLS stack. Built on libcrypto's low-level `RC2_cbc_encrypt`,
/// which needs no legacy provider.
public struct RC2CBC: Sendable {
    /// The cipher block size in bytes.
    public static let blockByteCount = 8

    private let schedule: RC2KeySchedule

    /// Prepares the key schedule.
    ///
    /// - Parameters:
    ///   - key: 1 to 128 bytes.
    ///   - effectiveKeyBits: RFC 2268's "effective key bits" T1, 1 to 1024
    ///     (40 for `pbeWithSHAAnd40BitRC2-CBC` with a 5-byte key, 128 with a 16-byte key).
    public init(key: [UInt8], effectiveKeyBits: Int) throws(CryptoError) {
        guard (1...128).contains(key.count) else {
            throw CryptoError(.invalidKeyLength, "an RC2 key is 1 to 128 bytes, got \(key.count)")
        }
        guard (1...1024).contains(effectiveKeyBits) else {
            throw CryptoError(.invalidKeyLength, "RC2 effective key bits must be 1…1024, got \(effectiveKeyBits)")
        }
        schedule = RC2KeySchedule(key: key, bits: effectiveKeyBits)
    }

    /// Encrypts a copy of `plaintext` (a multiple of 8 bytes); `iv` becomes the last ciphertext block.
    public func encrypt(_ plaintext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try cbc(plaintext, iv: &iv, encrypt: true)
    }

    /// Decrypts a copy of `ciphertext` (a multiple of 8 bytes); `iv` becomes the last ciphertext block.
    public func decrypt(_ ciphertext: [UInt8], iv: inout CBCIV) throws(CryptoError) -> [UInt8] {
        try cbc(ciphertext, iv: &iv, encrypt: false)
    }

    /// Encrypts exactly one 8-byte block (ECB), for the RFC 2268 §5 test vectors.
    public func encryptBlock(_ block: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard block.count == Self.blockByteCount else {
            throw CryptoError(.notBlockAligned, "an RC2 block is 8 bytes, got \(block.count)")
        }
        var iv = CBCIV()  // CBC of one block under a zero IV is ECB
        return try cbc(block, iv: &iv, encrypt: true)
    }

    private func cbc(_ input: [UInt8], iv: inout CBCIV, encrypt: Bool) throws(CryptoError) -> [UInt8] {
        guard input.count % Self.blockByteCount == 0 else {
            throw CryptoError(.notBlockAligned, "RC2-CBC input of \(input.count) bytes is not a multiple of the 8-byte block")
        }
        guard iv.byteCount == Self.blockByteCount else {
            throw CryptoError(.invalidIVLength, "RC2-CBC needs an 8-byte IV, got \(iv.byteCount)")
        }
        var out = input
        guard !out.isEmpty else { return out }
        let count = out.count
        unsafe out.withUnsafeMutableBufferPointer { buffer in
            // Bounds: in and out are the same `count` bytes; the IV's first 8 bytes are the block.
            let p = buffer.baseAddress!
            unsafe withUnsafeMutableBytes(of: &iv.raw) { ivBytes in
                let ivp = unsafe ivBytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                unsafe schedule.cbc(p, count: count, iv: ivp, encrypt: encrypt)
            }
        }
        return out
    }
}

/// An RC2 key schedule, computed once and wiped on release.
private final class RC2KeySchedule: @unchecked Sendable {
    // @unchecked: written in init and by deinit's wipe only.
    private var key = RC2_KEY()

    init(key bytes: [UInt8], bits: Int) {
        unsafe bytes.withUnsafeBufferPointer { unsafe RC2_set_key(&key, Int32(bytes.count), $0.baseAddress, Int32(bits)) }
    }

    func cbc(_ p: UnsafeMutablePointer<UInt8>, count: Int, iv: UnsafeMutablePointer<UInt8>, encrypt: Bool) {
        unsafe RC2_cbc_encrypt(p, p, count, &key, iv, encrypt ? RC2_ENCRYPT : RC2_DECRYPT)
    }

    deinit {
        SecureMemory.wipe(value: &key)
    }
}
