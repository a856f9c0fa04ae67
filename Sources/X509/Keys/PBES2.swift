import CryptoPrimitives

/// PKCS#8 `EncryptedPrivateKeyInfo` with PBES2 (RFC 5958 §3, RFC 8018 §6.2):
/// PBKDF2 with HMAC-SHA1 or HMAC-SHA256, and DES-EDE3-CBC or DES-CBC.
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
    /// The encrypted `PrivateKeyInfo`.
    var encryptedData: [UInt8]

    /// The most PBKDF2 iterations accepted from a file (bounds the work a file can cause).
    static let maximumIterations = 10_000_000
    /// The iteration count used when we encrypt (OpenSSL 3's `pkcs8 -v2` default).
    static let defaultIterations = 2048

    /// Parses an `EncryptedPrivateKeyInfo`; the scheme is checked before any password is asked for.
    init(encryptedPrivateKeyInfo node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "EncryptedPrivateKeyInfo")
        var r = try node.children()
        let (scheme, schemeParameters) = try r.read(.sequence, "encryptionAlgorithm").algorithmIdentifier("encryptionAlgorithm")
        guard scheme == KeyOIDs.pbes2, let schemeParameters else {
            throw X509Error(.unsupportedKeyEncryption, "key encryption scheme \(scheme) is not supported (only PBES2)")
        }
        encryptedData = Array(try r.read(.octetString, "encryptedData").octetString())
        try r.finish("EncryptedPrivateKeyInfo")

        try schemeParameters.expect(.sequence, "PBES2-params")
        var p = try schemeParameters.children()
        let (kdf, kdfParameters) = try p.read(.sequence, "keyDerivationFunc").algorithmIdentifier("keyDerivationFunc")
        let (cipherOID, cipherParameters) = try p.read(.sequence, "encryptionScheme").algorithmIdentifier("encryptionScheme")
        try p.finish("PBES2-params")

        switch cipherOID {
        case KeyOIDs.desEDE3CBC: cipher = .desEDE3CBC
        case KeyOIDs.desCBC: cipher = .desCBC
        default: throw X509Error(.unsupportedKeyEncryption, "key cipher \(cipherOID) is not supported (only DES-EDE3-CBC and DES-CBC)")
        }
        guard let cipherParameters else { throw X509Error(.invalidKey, "the key cipher has no IV") }
        iv = Array(try cipherParameters.octetString())
        guard iv.count == 8 else { throw X509Error(.invalidKey, "the key cipher IV is \(iv.count) bytes, not 8") }

        guard kdf == KeyOIDs.pbkdf2, let kdfParameters else {
            throw X509Error(.unsupportedKeyEncryption, "key derivation function \(kdf) is not supported (only PBKDF2)")
        }
        try kdfParameters.expect(.sequence, "PBKDF2-params")
        var k = try kdfParameters.children()
        // `salt` may also be a CHOICE of AlgorithmIdentifier (otherSource), which nobody uses.
        salt = Array(try k.read(.octetString, "PBKDF2 salt").octetString())
        iterations = try k.read(.integer, "PBKDF2 iterationCount").integerValue()
        guard (1...Self.maximumIterations).contains(iterations) else {
            throw X509Error(.invalidKey, "PBKDF2 iteration count \(iterations) is outside 1…\(Self.maximumIterations)")
        }
        if let length = try k.readIfPresent(.integer) {
            guard try length.integerValue() == cipher.keyByteCount else {
                throw X509Error(.invalidKey, "PBKDF2 keyLength does not match the \(cipher.opensslName) key length")
            }
        }
        prf = .hmacSHA1  // DEFAULT algid-hmacWithSHA1
        if let prfNode = try k.readIfPresent(.sequence) {
            let (prfOID, prfParameters) = try prfNode.algorithmIdentifier("PBKDF2 prf")
            if let prfParameters { try prfParameters.nullValue() }
            switch prfOID {
            case KeyOIDs.hmacWithSHA1: prf = .hmacSHA1
            case KeyOIDs.hmacWithSHA256: prf = .hmacSHA256
            default: throw X509Error(.unsupportedKeyEncryption, "PBKDF2 PRF \(prfOID) is not supported (only HMAC-SHA1 and HMAC-SHA256)")
            }
        }
        try k.finish("PBKDF2-params")
    }

    /// Parameters for encrypting a new key.
    init(salt: [UInt8], iterations: Int, prf: PRF, cipher: KeyEncryptionCipher, iv: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.prf = prf
        self.cipher = cipher
        self.iv = iv
        self.encryptedData = []
    }

    /// The encryption key for `password`.
    func key(password: [UInt8]) -> [UInt8] {
        switch prf {
        case .hmacSHA1:
            PBKDF2.deriveKey(SHA1.self, password: password, salt: salt, iterations: iterations, keyLength: cipher.keyByteCount)
        case .hmacSHA256:
            PBKDF2.deriveKey(SHA256.self, password: password, salt: salt, iterations: iterations, keyLength: cipher.keyByteCount)
        }
    }

    /// The decrypted `PrivateKeyInfo` DER (padding checked; the caller parses and checks it).
    func decrypt(password: [UInt8]) throws(X509Error) -> [UInt8] {
        var k = key(password: password)
        defer { SecureMemory.wipe(&k) }
        return try cipher.decrypt(encryptedData, key: k, iv: iv)
    }

    /// `EncryptedPrivateKeyInfo` DER holding `plaintext` encrypted under `password`.
    func encrypt(_ plaintext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        var k = key(password: password)
        defer { SecureMemory.wipe(&k) }
        let ciphertext = try cipher.encrypt(plaintext, key: k, iv: iv)
        var w = DERWriter()
        w.sequence { s in
            s.sequence { alg in
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
                        enc.objectIdentifier(cipher == .desEDE3CBC ? KeyOIDs.desEDE3CBC : KeyOIDs.desCBC)
                        enc.octetString(iv)
                    }
                }
            }
            s.octetString(ciphertext)
        }
        return w.bytes
    }
}
