import CryptoPrimitives

/// PBES2 (RFC 8018 §6.2, Appendix A.4): PBKDF2 with HMAC-SHA1 or HMAC-SHA256, then a CBC
/// cipher. The parameters of one `AlgorithmIdentifier`; the password is used as its UTF-8 bytes.
struct PBES2: Sendable {
    /// The pseudo-random function of PBKDF2.
    enum PRF: Sendable {
        case hmacSHA1
        case hmacSHA256
    }

    var salt: [UInt8]
    var iterations: Int
    var prf: PRF
    var cipher: KeyEncryptionCipher
    var iv: [UInt8]

    /// The most PBKDF2 (or PKCS#12 KDF) iterations accepted from a file (bounds the work a file can cause).
    static let maximumIterations = 10_000_000
    /// The iteration count used when we encrypt (OpenSSL 3's `pkcs8 -v2` default).
    static let defaultIterations = 2048

    /// Parses `PBES2-params`; the scheme is checked before any password is asked for.
    init(parameters schemeParameters: ASN1Node) throws(X509Error) {
        try schemeParameters.expect(.sequence, "PBES2-params")
        var p = try schemeParameters.children()
        let (kdf, kdfParameters) = try p.read(.sequence, "keyDerivationFunc").algorithmIdentifier("keyDerivationFunc")
        let (cipherOID, cipherParameters) = try p.read(.sequence, "encryptionScheme").algorithmIdentifier("encryptionScheme")
        try p.finish("PBES2-params")

        guard let known = KeyOIDs.cipher(cipherOID) else {
            throw X509Error(.unsupportedKeyEncryption,
                            "cipher \(KeyOIDs.cipherName(cipherOID)) is not supported (\(KeyOIDs.supportedCiphers))")
        }
        cipher = known
        guard let cipherParameters else { throw X509Error(.invalidKey, "the \(cipher.opensslName) cipher has no IV") }
        iv = Array(try cipherParameters.octetString())
        guard iv.count == cipher.blockByteCount else {
            throw X509Error(.invalidKey, "the \(cipher.opensslName) IV is \(iv.count) bytes, not \(cipher.blockByteCount)")
        }

        let pbkdf2 = try PBKDF2Parameters(kdf: kdf, parameters: kdfParameters, "PBES2")
        if let length = pbkdf2.keyByteCount, length != cipher.keyByteCount {
            throw X509Error(.invalidKey, "PBKDF2 keyLength does not match the \(cipher.opensslName) key length")
        }
        salt = pbkdf2.salt
        iterations = pbkdf2.iterations
        prf = pbkdf2.prf
    }

    /// Parameters for encrypting new data.
    init(salt: [UInt8], iterations: Int, prf: PRF, cipher: KeyEncryptionCipher, iv: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.prf = prf
        self.cipher = cipher
        self.iv = iv
    }

    /// Reads an iteration count and checks it against ``maximumIterations``.
    static func checkedIterations(_ node: ASN1Node) throws(X509Error) -> Int {
        let value: Int
        do { value = try node.integerValue() } catch {
            throw X509Error(.invalidKey, "iteration count is not a usable INTEGER: \(error.message)")
        }
        guard (1...maximumIterations).contains(value) else {
            throw X509Error(.invalidKey, "iteration count \(value) is outside 1…\(maximumIterations)")
        }
        return value
    }

    /// The encryption key for `password`.
    func key(password: [UInt8]) -> [UInt8] {
        PBKDF2Parameters(salt: salt, iterations: iterations, keyByteCount: nil, prf: prf)
            .deriveKey(password: password, count: cipher.keyByteCount)
    }

    /// The plaintext of `ciphertext` (padding checked; the caller parses and checks it).
    func decrypt(_ ciphertext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        var k = key(password: password)
        defer { SecureMemory.wipe(&k) }
        return try cipher.decrypt(ciphertext, key: k, iv: iv)
    }

    /// `plaintext` padded and encrypted under `password`.
    func encrypt(_ plaintext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        var k = key(password: password)
        defer { SecureMemory.wipe(&k) }
        return try cipher.encrypt(plaintext, key: k, iv: iv)
    }

    /// Writes the `AlgorithmIdentifier` (id-PBES2 with its parameters).
    func writeAlgorithmIdentifier(_ w: inout DERWriter) throws(X509Error) {
        guard let cipherOID = KeyOIDs.oid(of: cipher) else {
            throw X509Error(.unsupportedKeyEncryption, "\(cipher.opensslName) cannot be used to encrypt")
        }
        w.sequence { alg in
            alg.objectIdentifier(KeyOIDs.pbes2)
            alg.sequence { params in
                params.sequence { kdf in
                    kdf.objectIdentifier(KeyOIDs.pbkdf2)
                    kdf.sequence { kp in
                        kp.octetString(salt)
                        kp.integer(iterations)
                        if prf == .hmacSHA256 {
                            kp.sequence { prfID in
                                prfID.objectIdentifier(KeyOIDs.hmacWithSHA256)
                                prfID.null()
                            }
                        }
                    }
                }
                params.sequence { enc in
                    enc.objectIdentifier(cipherOID)
                    enc.octetString(iv)
                }
            }
        }
    }
}
