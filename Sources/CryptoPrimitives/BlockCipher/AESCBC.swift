import CLibCrypto
import Synchronization

/// AES (FIPS 197) in CBC mode (SP 800-38A) with a 128-, 192- or 256-bit key, for
/// `TLS_RSA_WITH_AES_128_CBC_SHA` / `_256_` (RFC 3268) and AES-encrypted private keys.
///
/// libcrypto provides the block cipher only, through `EVP` with padding disabled, so AES-NI
/// is used where the CPU has it. Both key schedules (encryption and decryption) are made
/// once, when the value is created, and wiped by libcrypto when the last copy is released.
/// The chaining value is the caller's ``CBCIV`` (16 bytes), as for ``TripleDESCBC``.
public struct AESCBC: CBCBlockCipher {
    /// The key lengths AES accepts, in bytes.
    public static let keyByteCounts = [16, 24, 32]
    public static var blockByteCount: Int { 16 }

    /// This key's length in bytes: 16, 24 or 32.
    public let keyByteCount: Int

    @usableFromInline
    let contexts: AESContexts

    public init(key: [UInt8]) throws(CryptoError) {
        guard Self.keyByteCounts.contains(key.count) else {
            throw CryptoError(.invalidKeyLength, "an AES key is 16, 24 or 32 bytes, got \(key.count)")
        }
        keyByteCount = key.count
        guard let contexts = AESContexts(key: key) else {
            // Only a failing allocation inside libcrypto gets here.
            throw CryptoError(.invalidKeyLength, "libcrypto could not set up an AES-\(key.count * 8)-CBC key")
        }
        self.contexts = contexts
    }

    @inlinable
    public func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe contexts.cbc(from: input, into: output, iv: &iv, encrypt: true)
    }

    @inlinable
    public func decrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe contexts.cbc(from: input, into: output, iv: &iv, encrypt: false)
    }
}

/// The two keyed `EVP_CIPHER_CTX`s (encrypt, decrypt) of one AES key.
///
/// A context carries state while it runs, so each call holds a lock: a value shared between
/// threads stays correct, and the uncontended lock costs nanoseconds per record.
@usableFromInline
final class AESContexts: Sendable {
    /// The context pointers; only used under the lock, and freed once, in deinit.
    /// `@unchecked Sendable`: the pointers never change, and the contexts they point to are
    /// touched only while the mutex is held.
    @usableFromInline @safe
    struct Pair: @unchecked Sendable {
        @usableFromInline let encrypt: OpaquePointer
        @usableFromInline let decrypt: OpaquePointer
        /// The chaining value each context holds after its last call (nil before the first):
        /// when the caller continues the chain, as the record layer always does, the context
        /// is not re-initialised, which saves most of a short call's cost.
        @usableFromInline var encryptIV: CBCIV?
        @usableFromInline var decryptIV: CBCIV?
    }

    @usableFromInline
    let pair: Mutex<Pair>

    init?(key: [UInt8]) {
        let cipher: OpaquePointer? =
            switch key.count {
            case 16: unsafe EVP_aes_128_cbc()
            case 24: unsafe EVP_aes_192_cbc()
            default: unsafe EVP_aes_256_cbc()
            }
        guard let cipher = unsafe cipher, let enc = unsafe Self.keyed(cipher, key, encrypt: true) else { return nil }
        guard let dec = unsafe Self.keyed(cipher, key, encrypt: false) else {
            unsafe EVP_CIPHER_CTX_free(enc)
            return nil
        }
        pair = Mutex(unsafe Pair(encrypt: enc, decrypt: dec, encryptIV: nil, decryptIV: nil))
    }

    /// A context with its key schedule made and padding off; nil when libcrypto fails.
    private static func keyed(_ cipher: OpaquePointer, _ key: [UInt8], encrypt: Bool) -> OpaquePointer? {
        guard let ctx = unsafe EVP_CIPHER_CTX_new() else { return nil }
        let ok = unsafe key.withUnsafeBufferPointer { k in
            unsafe EVP_CipherInit_ex(ctx, cipher, nil, k.baseAddress, nil, encrypt ? 1 : 0) == 1
        }
        guard ok, unsafe EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 else {
            unsafe EVP_CIPHER_CTX_free(ctx)
            return nil
        }
        return unsafe ctx
    }

    /// CBC from `input` into the first `input.count` bytes of `output`, which is `input`
    /// itself (in place) or does not overlap it. Lengths that are not a multiple of 16, a
    /// short `output` and 8-byte IVs are caller misuse; libcrypto failing on a keyed context
    /// with aligned input cannot happen.
    @inlinable
    func cbc(from input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV, encrypt: Bool) {
        precondition(input.count % 16 == 0 && iv.byteCount == 16, "AES-CBC buffer must be block aligned")
        precondition(output.count >= input.count, "AES-CBC output shorter than the input")
        guard let base = input.baseAddress, let outBase = output.baseAddress, input.count > 0 else { return }
        let p = unsafe base.assumingMemoryBound(to: UInt8.self)
        let q = unsafe outBase.assumingMemoryBound(to: UInt8.self)
        // Decryption in place overwrites the ciphertext, so its last block (the next IV) is kept first.
        let lastBlock = unsafe CBCIV(copying: base + (input.count - 16), byteCount: 16)
        pair.withLock { pair in
            let ctx = unsafe encrypt ? pair.encrypt : pair.decrypt
            if (encrypt ? pair.encryptIV : pair.decryptIV) != iv {
                unsafe withUnsafeBytes(of: &iv.raw) { ivBytes in
                    // Only the IV is set: the key schedule stays as made in init.
                    let reset = unsafe EVP_CipherInit_ex(
                        ctx, nil, nil, nil, ivBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), encrypt ? 1 : 0)
                    precondition(reset == 1, "EVP_CipherInit_ex failed on a keyed AES context")
                }
            }
            // EVP_CipherUpdate takes an `int` length: work in chunks of 2^30 bytes (whole blocks).
            var offset = 0
            while offset < input.count {
                let chunk = min(input.count - offset, 1 << 30)
                var written: Int32 = 0
                let ok = unsafe EVP_CipherUpdate(ctx, q + offset, &written, p + offset, Int32(chunk))
                precondition(ok == 1 && Int(written) == chunk, "EVP_CipherUpdate failed on aligned AES-CBC input")
                offset += chunk
            }
            // The next IV: the last ciphertext block, which the context now holds too.
            let next = encrypt ? unsafe CBCIV(copying: outBase + (input.count - 16), byteCount: 16) : lastBlock
            if encrypt { pair.encryptIV = next } else { pair.decryptIV = next }
            iv = next
        }
    }

    deinit {
        // EVP_CIPHER_CTX_free cleanses the key schedules before freeing them.
        pair.withLock { pair in
            unsafe EVP_CIPHER_CTX_free(pair.encrypt)
            unsafe EVP_CIPHER_CTX_free(pair.decrypt)
        }
    }
}
