import CryptoPrimitives

/// OpenSSL's traditional encrypted PEM (`Proc-Type: 4,ENCRYPTED` and
/// `DEK-Info: <cipher>,<hex IV>`, after RFC 1421 §4.6.1): the key is
/// `EVP_BytesToKey(MD5, salt = IV[0..<8], password, count = 1)`.
struct TraditionalPEMEncryption: Sendable {
    var cipher: KeyEncryptionCipher
    var iv: [UInt8]

    /// Parameters for encrypting a new block.
    init(cipher: KeyEncryptionCipher, iv: [UInt8]) {
        self.cipher = cipher
        self.iv = iv
    }

    /// Reads the headers of a PEM block; nil when the block is not encrypted.
    init?(headers document: PEMDocument) throws(X509Error) {
        guard let procType = document.header("Proc-Type") else { return nil }
        guard procType.replacingSpaces() == "4,ENCRYPTED" else {
            throw X509Error(.invalidPEM, "unsupported Proc-Type \"\(procType)\"")
        }
        guard let dekInfo = document.header("DEK-Info") else {
            throw X509Error(.invalidPEM, "encrypted PEM block without a DEK-Info header")
        }
        let parts = dekInfo.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard parts.count == 2 else { throw X509Error(.invalidPEM, "malformed DEK-Info \"\(dekInfo)\"") }
        guard let known = Self.ciphers.first(where: { $0.opensslName == parts[0].uppercased() }) else {
            let names = Self.ciphers.map(\.opensslName).joined(separator: ", ")
            throw X509Error(.unsupportedKeyEncryption, "PEM key cipher \(parts[0]) is not supported (supported: \(names))")
        }
        cipher = known
        guard let iv = Self.bytes(hex: parts[1]), iv.count == cipher.blockByteCount else {
            throw X509Error(.invalidPEM, "DEK-Info IV must be \(2 * cipher.blockByteCount) hex digits for \(cipher.opensslName)")
        }
        self.iv = iv
    }

    /// The `DEK-Info` ciphers we read, by their OpenSSL names.
    static let ciphers: [KeyEncryptionCipher] = [.aes128CBC, .aes192CBC, .aes256CBC, .desEDE3CBC, .desCBC]

    /// Decrypts the block's DER (padding checked; the caller parses and checks it).
    func decrypt(_ ciphertext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        // The salt is the IV's first 8 bytes, for 16-byte-block ciphers too (PEM_do_header).
        var key = Self.bytesToKey(password: password, salt: Array(iv.prefix(8)), count: cipher.keyByteCount)
        defer { SecureMemory.wipe(&key) }
        return try cipher.decrypt(ciphertext, key: key, iv: iv)
    }

    /// The block's DER encrypted under `password`.
    func encrypt(_ plaintext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        var key = Self.bytesToKey(password: password, salt: Array(iv.prefix(8)), count: cipher.keyByteCount)
        defer { SecureMemory.wipe(&key) }
        return try cipher.encrypt(plaintext, key: key, iv: iv)
    }

    /// The RFC 1421 headers OpenSSL writes (`PEM_write_bio_PrivateKey_traditional`).
    var headers: [PEMDocument.Header] {
        [PEMDocument.Header(name: "Proc-Type", value: "4,ENCRYPTED"),
         PEMDocument.Header(name: "DEK-Info", value: "\(cipher.opensslName),\(hex(iv))")]
    }

    /// `EVP_BytesToKey` with MD5 and one iteration: `D_i = MD5(D_{i−1} ‖ password ‖ salt)`.
    static func bytesToKey(password: [UInt8], salt: [UInt8], count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var previous: [UInt8] = []
        while out.count < count {
            var h = MD5()
            h.update(previous)
            h.update(password)
            h.update(salt)
            previous = h.finalize()
            out += previous
        }
        SecureMemory.wipe(&previous)
        let key = Array(out.prefix(count))
        SecureMemory.wipe(&out)
        return key
    }

    private static func bytes(hex s: String) -> [UInt8]? {
        let digits = Array(s.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let hi = Self.nibble(digits[i]), let lo = Self.nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// The string with every space removed.
    func replacingSpaces() -> String { String(unicodeScalars.filter { $0 != " " }) }
}
