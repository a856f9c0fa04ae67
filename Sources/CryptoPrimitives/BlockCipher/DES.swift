import CLibCrypto

/// Single DES in CBC mode (FIPS 46-3, FIPS 81), for `TLS_RSA_WITH_DES_CBC_SHA`.
///
/// Built on libcrypto's low-level `DES_ncbc_encrypt`, which needs no legacy provider.
/// Parity bits of the key are ignored, as TLS keys come from the PRF with arbitrary parity.
public struct DESCBC: CBCBlockCipher {
    /// Key length in bytes.
    public static var keyByteCount: Int { 8 }
    public static var blockByteCount: Int { 8 }

    @usableFromInline
    let schedule: DESKeySchedules

    public init(key: [UInt8]) throws(CryptoError) {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKeyLength, "a DES key is 8 bytes, got \(key.count)")
        }
        schedule = DESKeySchedules(key: key)
    }

    @inlinable
    public func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe schedule.cbc(from: input, into: output, iv: &iv, encrypt: true)
    }

    @inlinable
    public func decrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe schedule.cbc(from: input, into: output, iv: &iv, encrypt: false)
    }
}

/// Triple DES (EDE, three independent keys) in CBC mode, for DICOM's
/// `TLS_RSA_WITH_3DES_EDE_CBC_SHA`. The 24-byte key is `K1 ‖ K2 ‖ K3`.
public struct TripleDESCBC: CBCBlockCipher {
    /// Key length in bytes.
    public static var keyByteCount: Int { 24 }
    public static var blockByteCount: Int { 8 }

    @usableFromInline
    let schedule: DESKeySchedules

    public init(key: [UInt8]) throws(CryptoError) {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKeyLength, "a 3DES-EDE key is 24 bytes, got \(key.count)")
        }
        schedule = DESKeySchedules(key: key)
    }

    @inlinable
    public func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe schedule.cbc(from: input, into: output, iv: &iv, encrypt: true)
    }

    @inlinable
    public func decrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe schedule.cbc(from: input, into: output, iv: &iv, encrypt: false)
    }
}

/// One or three DES key schedules, computed once per key and wiped on release.
@usableFromInline
final class DESKeySchedules: @unchecked Sendable {
    // @unchecked: the schedules are written in init and by deinit's wipe only.
    @usableFromInline var k1 = DES_key_schedule()
    @usableFromInline var k2 = DES_key_schedule()
    @usableFromInline var k3 = DES_key_schedule()
    @usableFromInline let triple: Bool

    init(key: [UInt8]) {
        triple = key.count == 24
        Self.setKey(&k1, key, at: 0)
        if triple {
            Self.setKey(&k2, key, at: 8)
            Self.setKey(&k3, key, at: 16)
        }
    }

    private static func setKey(_ schedule: inout DES_key_schedule, _ key: [UInt8], at offset: Int) {
        var block = DES_cblock(key[offset], key[offset + 1], key[offset + 2], key[offset + 3],
                               key[offset + 4], key[offset + 5], key[offset + 6], key[offset + 7])
        unsafe DES_set_key_unchecked(&block, &schedule)
        SecureMemory.wipe(value: &block)
    }

    /// CBC from `input` into the first `input.count` bytes of `output`, which is `input`
    /// itself (in place) or does not overlap it. Lengths that are not a multiple of 8, a
    /// short `output` and 16-byte IVs are caller misuse.
    @inlinable
    func cbc(from input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV, encrypt: Bool) {
        precondition(input.count % 8 == 0 && iv.byteCount == 8, "CBC buffer must be block aligned")
        precondition(output.count >= input.count, "CBC output shorter than the input")
        guard input.count > 0, let inBase = input.baseAddress, let outBase = output.baseAddress else { return }
        let p = unsafe inBase.assumingMemoryBound(to: UInt8.self)
        let q = unsafe outBase.assumingMemoryBound(to: UInt8.self)
        let mode = encrypt ? DES_ENCRYPT : DES_DECRYPT
        unsafe withUnsafeMutableBytes(of: &iv.raw) { ivBytes in
            let ivp = unsafe ivBytes.baseAddress!.assumingMemoryBound(to: DES_cblock.self)
            if triple {
                unsafe DES_ede3_cbc_encrypt(p, q, input.count, &k1, &k2, &k3, ivp, mode)
            } else {
                unsafe DES_ncbc_encrypt(p, q, input.count, &k1, ivp, mode)
            }
        }
    }

    deinit {
        SecureMemory.wipe(value: &k1)
        SecureMemory.wipe(value: &k2)
        SecureMemory.wipe(value: &k3)
    }
}
