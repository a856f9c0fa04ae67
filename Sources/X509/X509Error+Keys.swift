extension X509Error.Code {
    // MARK: RSA, bignums, PEM and keys (codes 100–199)

    /// An RSA key's components are missing, out of range or inconsistent with each other.
    public static let invalidKey = Self(100, "invalidKey")
    /// An RSA key is smaller or larger than this module accepts.
    public static let unsupportedKeySize = Self(101, "unsupportedKeySize")
    /// An RSA input (ciphertext, signature, message) has the wrong length or is not below the modulus.
    public static let invalidRSAInput = Self(102, "invalidRSAInput")
    /// PKCS#1 v1.5 decryption failed (one code for every padding failure: no oracle).
    public static let decryptionFailed = Self(103, "decryptionFailed")
    /// The message is too long for PKCS#1 v1.5 with this key.
    public static let messageTooLong = Self(104, "messageTooLong")
    /// A private-key operation produced a result that fails the public-key check (fault).
    public static let privateOperationFault = Self(105, "privateOperationFault")
    /// Key generation failed (for example a bit size that is not supported).
    public static let keyGenerationFailed = Self(106, "keyGenerationFailed")
    /// PEM armour is malformed: bad boundaries, headers or base64.
    public static let invalidPEM = Self(110, "invalidPEM")
    /// The PEM or DER input does not hold the kind of key or block expected.
    public static let unexpectedPEMLabel = Self(111, "unexpectedPEMLabel")
    /// The key is encrypted and no password was supplied.
    public static let passwordRequired = Self(112, "passwordRequired")
    /// The password did not decrypt the key to a well-formed, consistent key.
    public static let wrongPassword = Self(113, "wrongPassword")
    /// The key's encryption scheme (cipher, KDF, PRF) is not supported.
    public static let unsupportedKeyEncryption = Self(114, "unsupportedKeyEncryption")
    /// The password closure threw; its error is in the message.
    public static let passwordCallbackFailed = Self(115, "passwordCallbackFailed")
    /// A PKCS#12 (`.p12`/`.pfx`) file is malformed, uses a mode we do not read, exceeds a limit
    /// (``PKCS12/Limits``), or lacks the private key or its certificate.
    public static let invalidPKCS12 = Self(120, "invalidPKCS12")
    /// A PKCS#12 file's MAC does not verify although its contents decrypt with the password:
    /// the file was altered or damaged.
    public static let integrityCheckFailed = Self(121, "integrityCheckFailed")
}
