import CryptoPrimitives

/// The CBC ciphers that protect encrypted private keys: DES-EDE3-CBC and DES-CBC with
/// PKCS#5 padding (RFC 8018 §6.1.1 step 4, Appendix B.2).
enum KeyEncryptionCipher: Sendable {
    case desEDE3CBC
    case desCBC

    /// Key length in bytes.
    var keyByteCount: Int {
        switch self {
        case .desEDE3CBC: 24
        case .desCBC: 8
        }
    }

    /// OpenSSL's name, as in `DEK-Info`.
    var opensslName: String {
        switch self {
        case .desEDE3CBC: "DES-EDE3-CBC"
        case .desCBC: "DES-CBC"
        }
    }

    /// Decrypts and removes the padding. Any failure (length, padding) is reported as a
    /// wrong password: with CBC, the padding is the first sign of a wrong key.
    func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(X509Error) -> [UInt8] {
        let wrong = X509Error(.wrongPassword, "the password is wrong (the decrypted key has invalid padding)")
        guard !ciphertext.isEmpty, ciphertext.count % 8 == 0 else {
            throw X509Error(.invalidKey, "encrypted key data of \(ciphertext.count) bytes is not a whole number of 8-byte blocks")
        }
        var chaining: CBCIV
        var plaintext: [UInt8]
        do {
            chaining = try CBCIV(iv)
            switch self {
            case .desEDE3CBC: plaintext = try TripleDESCBC(key: key).decrypt(ciphertext, iv: &chaining)
            case .desCBC: plaintext = try DESCBC(key: key).decrypt(ciphertext, iv: &chaining)
            }
        } catch {
            throw X509Error(.invalidKey, "cannot decrypt the key: \(error.message)")
        }
        guard let last = plaintext.last, (1...8).contains(last),
              plaintext.suffix(Int(last)).allSatisfy({ $0 == last }) else {
            SecureMemory.wipe(&plaintext)
            throw wrong
        }
        let body = Array(plaintext.dropLast(Int(last)))
        SecureMemory.wipe(&plaintext)
        return body
    }

    /// Pads (PKCS#5) and encrypts.
    func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(X509Error) -> [UInt8] {
        let pad = 8 - plaintext.count % 8
        var padded = plaintext + [UInt8](repeating: UInt8(pad), count: pad)
        defer { SecureMemory.wipe(&padded) }
        do {
            var chaining = try CBCIV(iv)
            switch self {
            case .desEDE3CBC: return try TripleDESCBC(key: key).encrypt(padded, iv: &chaining)
            case .desCBC: return try DESCBC(key: key).encrypt(padded, iv: &chaining)
            }
        } catch {
            throw X509Error(.invalidKey, "cannot encrypt the key: \(error.message)")
        }
    }
}
