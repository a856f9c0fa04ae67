import CryptoPrimitives

// Writing private keys as PEM and DER, plain or encrypted with a password.

extension RSAPrivateKey {
    /// The key as PEM `RSA PRIVATE KEY` (PKCS#1, unencrypted).
    public var pkcs1PEM: String {
        PEMDocument(label: Self.pkcs1Label, derBytes: pkcs1DER).pemEncoded
    }

    /// The key as PEM `PRIVATE KEY` (PKCS#8, unencrypted).
    public var pkcs8PEM: String {
        PEMDocument(label: Self.pkcs8Label, derBytes: pkcs8DER).pemEncoded
    }

    /// The key as DER `EncryptedPrivateKeyInfo`: PBES2 with PBKDF2-HMAC-SHA256 (16-byte random
    /// salt, `iterations` rounds) and `cipher` with a random IV — what
    /// `openssl pkcs8 -topk8 -v2 aes256` writes by default.
    public func encryptedPKCS8DER(
        password: String, cipher: PrivateKeyCipher = .aes256CBC, iterations: Int = 2048, random: some RandomSource
    ) throws(X509Error) -> [UInt8] {
        guard (1...PBES2.maximumIterations).contains(iterations) else {
            throw X509Error(.invalidKey, "PBKDF2 iteration count \(iterations) is outside 1…\(PBES2.maximumIterations)")
        }
        let scheme = PBES2(salt: random.bytes(16), iterations: iterations, prf: .hmacSHA256,
                           cipher: cipher.cipher, iv: random.bytes(cipher.cipher.blockByteCount))
        var plaintext = pkcs8DER
        defer { SecureMemory.wipe(&plaintext) }
        return try EncryptedPrivateKeyInfo.encrypt(plaintext, with: .pbes2(scheme), password: Array(password.utf8))
    }

    /// ``encryptedPKCS8DER(password:cipher:iterations:random:)`` with the system random source.
    public func encryptedPKCS8DER(
        password: String, cipher: PrivateKeyCipher = .aes256CBC, iterations: Int = 2048
    ) throws(X509Error) -> [UInt8] {
        try encryptedPKCS8DER(password: password, cipher: cipher, iterations: iterations, random: SystemRandom())
    }

    /// The key as PEM `ENCRYPTED PRIVATE KEY` (see ``encryptedPKCS8DER(password:cipher:iterations:random:)``).
    public func encryptedPKCS8PEM(
        password: String, cipher: PrivateKeyCipher = .aes256CBC, iterations: Int = 2048, random: some RandomSource
    ) throws(X509Error) -> String {
        let der = try encryptedPKCS8DER(password: password, cipher: cipher, iterations: iterations, random: random)
        return PEMDocument(label: Self.encryptedPKCS8Label, derBytes: der).pemEncoded
    }

    /// ``encryptedPKCS8PEM(password:cipher:iterations:random:)`` with the system random source.
    public func encryptedPKCS8PEM(
        password: String, cipher: PrivateKeyCipher = .aes256CBC, iterations: Int = 2048
    ) throws(X509Error) -> String {
        try encryptedPKCS8PEM(password: password, cipher: cipher, iterations: iterations, random: SystemRandom())
    }

    /// The key as OpenSSL's traditional encrypted PEM: `RSA PRIVATE KEY` with
    /// `Proc-Type: 4,ENCRYPTED` and `DEK-Info: <cipher>,<IV>` (what `openssl rsa -aes256
    /// -traditional` writes). The key derivation is `EVP_BytesToKey` with MD5 and one
    /// iteration, which is weak: prefer ``encryptedPKCS8PEM(password:cipher:iterations:random:)``
    /// unless a reader needs this form.
    public func encryptedPKCS1PEM(
        password: String, cipher: PrivateKeyCipher = .aes256CBC, random: some RandomSource
    ) throws(X509Error) -> String {
        let encryption = TraditionalPEMEncryption(cipher: cipher.cipher, iv: random.bytes(cipher.cipher.blockByteCount))
        var plaintext = pkcs1DER
        defer { SecureMemory.wipe(&plaintext) }
        let ciphertext = try encryption.encrypt(plaintext, password: Array(password.utf8))
        return PEMDocument(label: Self.pkcs1Label, derBytes: ciphertext, headers: encryption.headers).pemEncoded
    }

    /// ``encryptedPKCS1PEM(password:cipher:random:)`` with the system random source.
    public func encryptedPKCS1PEM(password: String, cipher: PrivateKeyCipher = .aes256CBC) throws(X509Error) -> String {
        try encryptedPKCS1PEM(password: password, cipher: cipher, random: SystemRandom())
    }
}
