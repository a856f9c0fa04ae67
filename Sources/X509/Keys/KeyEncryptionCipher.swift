import CryptoPrimitives

/// The CBC ciphers that protect encrypted private keys and PKCS#12 contents, with PKCS#5
/// padding (RFC 8018 §6.1.1 step 4, Appendix B.2): AES-128/192/256-CBC (RFC 3565 OIDs in
/// PBES2), DES-EDE3-CBC and DES-CBC (PBES2 and OpenSSL's traditional PEM), and RC2-CBC
/// (legacy PKCS#12 only, RFC 7292 Appendix C).
enum KeyEncryptionCipher: Sendable, Equatable {
    case aes128CBC
    case aes192CBC
    case aes256CBC
    case desEDE3CBC
    case desCBC
    /// RC2-CBC with a key of `keyByteCount` bytes and `effectiveKeyBits` (RFC 2268).
    case rc2CBC(keyByteCount: Int, effectiveKeyBits: Int)

    /// Key length in bytes.
    var keyByteCount: Int {
        switch self {
        case .aes128CBC: 16
        case .aes192CBC: 24
        case .aes256CBC: 32
        case .desEDE3CBC: 24
        case .desCBC: 8
        case .rc2CBC(let count, _): count
        }
    }

    /// Block (and IV) length in bytes.
    var blockByteCount: Int {
        switch self {
        case .aes128CBC, .aes192CBC, .aes256CBC: 16
        case .desEDE3CBC, .desCBC, .rc2CBC: 8
        }
    }

    /// OpenSSL's name, as in `DEK-Info`.
    var opensslName: String {
        switch self {
        case .aes128CBC: "AES-128-CBC"
        case .aes192CBC: "AES-192-CBC"
        case .aes256CBC: "AES-256-CBC"
        case .desEDE3CBC: "DES-EDE3-CBC"
        case .desCBC: "DES-CBC"
        case .rc2CBC(_, let bits): "RC2-\(bits)-CBC"
        }
    }

    /// Decrypts and removes the padding. Any failure (length, padding) is reported as a
    /// wrong password: with CBC, the padding is the first sign of a wrong key.
    func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(X509Error) -> [UInt8] {
        let block = blockByteCount
        guard !ciphertext.isEmpty, ciphertext.count % block == 0 else {
            throw X509Error(.invalidKey, "encrypted data of \(ciphertext.count) bytes is not a whole number of \(block)-byte blocks")
        }
        var plaintext: [UInt8]
        do {
            plaintext = try run(ciphertext, key: key, iv: iv, encrypt: false)
        } catch {
            throw X509Error(.invalidKey, "cannot decrypt: \(error.message)")
        }
        guard let last = plaintext.last, (1...UInt8(block)).contains(last),
              plaintext.suffix(Int(last)).allSatisfy({ $0 == last }) else {
            SecureMemory.wipe(&plaintext)
            throw X509Error(.wrongPassword, "the password is wrong (the decrypted data has invalid padding)")
        }
        let body = Array(plaintext.dropLast(Int(last)))
        SecureMemory.wipe(&plaintext)
        return body
    }

    /// Pads (PKCS#5) and encrypts.
    func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(X509Error) -> [UInt8] {
        let pad = blockByteCount - plaintext.count % blockByteCount
        var padded = plaintext + [UInt8](repeating: UInt8(pad), count: pad)
        defer { SecureMemory.wipe(&padded) }
        do {
            return try run(padded, key: key, iv: iv, encrypt: true)
        } catch {
            throw X509Error(.invalidKey, "cannot encrypt the key: \(error.message)")
        }
    }

    private func run(_ input: [UInt8], key: [UInt8], iv: [UInt8], encrypt: Bool) throws(CryptoError) -> [UInt8] {
        var chaining = try CBCIV(iv)
        switch self {
        case .aes128CBC, .aes192CBC, .aes256CBC:
            let c = try AESCBC(key: key)
            return encrypt ? try c.encrypt(input, iv: &chaining) : try c.decrypt(input, iv: &chaining)
        case .desEDE3CBC:
            let c = try TripleDESCBC(key: key)
            return encrypt ? try c.encrypt(input, iv: &chaining) : try c.decrypt(input, iv: &chaining)
        case .desCBC:
            let c = try DESCBC(key: key)
            return encrypt ? try c.encrypt(input, iv: &chaining) : try c.decrypt(input, iv: &chaining)
        case .rc2CBC(_, let bits):
            let c = try RC2CBC(key: key, effectiveKeyBits: bits)
            return encrypt ? try c.encrypt(input, iv: &chaining) : try c.decrypt(input, iv: &chaining)
        }
    }
}
