import CryptoPrimitives

/// Writes a certificate chain and its RSA private key as a PKCS#12 file (`.p12`/`.pfx`,
/// RFC 7292) in password privacy and password integrity mode, laid out as `openssl pkcs12
/// -export` lays it out: one `EncryptedData` holding the certificates (leaf first), then one
/// `data` holding the `pkcs8ShroudedKeyBag`, then the `MacData`. The leaf certificate and the
/// key carry the same `localKeyId` (the SHA-1 of the certificate) and the `friendlyName`.
///
/// ```swift
/// var builder = try PKCS12Builder(certificateChain: [leaf, ca], privateKey: key, friendlyName: "CT01")
/// builder.encryption = .tripleDESLegacy          // Windows and Java devices of before 2020
/// let p12 = try builder.derEncoded(password: "secret")
/// ```
public struct PKCS12Builder: Sendable {
    /// How the key and certificates are encrypted and which MAC protects the file.
    public enum Encryption: Sendable, Hashable, CaseIterable {
        /// OpenSSL 3's default: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for the key and for the
        /// certificates, MAC HMAC-SHA256 keyed by the PKCS#12 KDF.
        case aes256
        /// `pbeWithSHAAnd3-KeyTripleDES-CBC` (RFC 7292 Appendix C) for the key and for the
        /// certificates, MAC HMAC-SHA1: what Windows ("TripleDES-SHA1") and Java 8 read.
        /// OpenSSL 3 reads it without `-legacy` (3DES is in its default provider; only the
        /// RC2-40 certificate encryption of `openssl pkcs12 -export -legacy` needs it).
        case tripleDESLegacy
    }

    /// The certificate of ``privateKey`` first, then its issuers.
    public var certificateChain: [Certificate]
    /// The key, written as a `pkcs8ShroudedKeyBag`.
    public var privateKey: RSAPrivateKey
    /// The name shown by Windows' certificate store and Java's `keytool -list` (the alias);
    /// nil writes none.
    public var friendlyName: String?
    /// The encryption and MAC; ``Encryption/aes256`` by default.
    public var encryption: Encryption = .aes256
    /// The KDF iteration count of the key, the certificates and the MAC (OpenSSL's
    /// `PKCS12_DEFAULT_ITER` by default).
    public var iterations = PKCS12Builder.minimumIterations

    /// The fewest KDF iterations written (OpenSSL's default, 2048).
    public static let minimumIterations = 2048

    /// A builder for `privateKey` and its chain.
    ///
    /// - Throws: ``X509Error`` `invalidPKCS12` when the chain is empty or its first
    ///   certificate does not hold the public half of `privateKey`.
    public init(certificateChain: [Certificate], privateKey: RSAPrivateKey, friendlyName: String? = nil) throws(X509Error) {
        guard let leaf = certificateChain.first else {
            throw X509Error(.invalidPKCS12, "a PKCS#12 file needs at least the key's certificate")
        }
        guard (try? leaf.publicKeyInfo.rsaPublicKey()) == privateKey.publicKey else {
            throw X509Error(.invalidPKCS12, "the private key does not belong to the first certificate (\(leaf.subject))")
        }
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.friendlyName = friendlyName
    }

    /// The file's DER bytes, encrypted and MACed under `password` with the system random source.
    public func derEncoded(password: String) throws(X509Error) -> [UInt8] {
        try derEncoded(password: password, random: SystemRandom())
    }

    /// The file's DER bytes, encrypted and MACed under `password` (salts and IVs from `random`).
    ///
    /// - Throws: ``X509Error`` `invalidPKCS12` for an empty password or ``iterations`` outside
    ///   ``minimumIterations``…10 000 000.
    public func derEncoded(password: String, random: some RandomSource) throws(X509Error) -> [UInt8] {
        guard !password.isEmpty else { throw X509Error(.invalidPKCS12, "a PKCS#12 file we write needs a non-empty password") }
        guard (Self.minimumIterations...PBES2.maximumIterations).contains(iterations) else {
            throw X509Error(.invalidPKCS12, "PKCS#12 iteration count \(iterations) is outside \(Self.minimumIterations)…\(PBES2.maximumIterations)")
        }
        var secret = Array(password.utf8)
        defer { SecureMemory.wipe(&secret) }
        let leafAttributes = attributes(localKeyID: SHA1.hash(certificateChain[0].derBytes))

        var certificates = DERWriter()
        certificates.sequence { safeContents in
            for (index, certificate) in certificateChain.enumerated() {
                Self.bag(PKCS12OIDs.certBag, attributes: index == 0 ? leafAttributes : [], into: &safeContents) { certBag in
                    certBag.sequence { value in
                        value.objectIdentifier(PKCS12OIDs.x509Certificate)
                        value.explicit(0) { $0.octetString(certificate.derBytes) }
                    }
                }
            }
        }
        var keyPlaintext = privateKey.pkcs8DER
        defer { SecureMemory.wipe(&keyPlaintext) }
        let shroudedKey = try EncryptedPrivateKeyInfo.encrypt(keyPlaintext, with: scheme(random), password: secret)
        var keys = DERWriter()
        keys.sequence { safeContents in
            Self.bag(PKCS12OIDs.pkcs8ShroudedKeyBag, attributes: leafAttributes, into: &safeContents) { $0.raw(shroudedKey) }
        }

        let certificateScheme = scheme(random)
        let encryptedCertificates = try certificateScheme.encrypt(certificates.bytes, password: secret)
        var algorithm = DERWriter()
        try certificateScheme.writeAlgorithmIdentifier(&algorithm)
        var authenticatedSafe = DERWriter()
        authenticatedSafe.sequence { safe in
            safe.sequence { contentInfo in
                contentInfo.objectIdentifier(PKCS12OIDs.encryptedData)
                contentInfo.explicit(0) { content in
                    content.sequence { encryptedData in
                        encryptedData.integer(0)
                        encryptedData.sequence { info in
                            info.objectIdentifier(PKCS12OIDs.data)
                            info.raw(algorithm.bytes)
                            info.octetString(encryptedCertificates, tag: .contextSpecific(0, constructed: false))
                        }
                    }
                }
            }
            safe.sequence { contentInfo in
                contentInfo.objectIdentifier(PKCS12OIDs.data)
                contentInfo.explicit(0) { $0.octetString(keys.bytes) }
            }
        }

        let mac = PKCS12MAC(authenticating: authenticatedSafe.bytes, password: secret,
                            digest: encryption == .aes256 ? .hmacSHA256 : .hmacSHA1, salt: random.bytes(8), iterations: iterations)
        var pfx = DERWriter()
        pfx.sequence { p in
            p.integer(3)
            p.sequence { authSafe in
                authSafe.objectIdentifier(PKCS12OIDs.data)
                authSafe.explicit(0) { $0.octetString(authenticatedSafe.bytes) }
            }
            mac.write(&p)
        }
        return pfx.bytes
    }

    // MARK: Helpers

    /// A fresh scheme (new salt and IV) of ``encryption``.
    private func scheme(_ random: some RandomSource) -> PasswordBasedEncryption {
        switch encryption {
        case .aes256:
            .pbes2(PBES2(salt: random.bytes(16), iterations: iterations, prf: .hmacSHA256, cipher: .aes256CBC,
                         iv: random.bytes(KeyEncryptionCipher.aes256CBC.blockByteCount)))
        case .tripleDESLegacy:
            .pkcs12(PKCS12PBE(scheme: .sha1And3KeyTripleDESCBC, salt: random.bytes(8), iterations: iterations))
        }
    }

    /// The encoded `PKCS12Attribute`s of the leaf and the key, in DER `SET OF` order (X.690 §11.6).
    private func attributes(localKeyID: [UInt8]) -> [[UInt8]] {
        var encoded: [[UInt8]] = []
        if let friendlyName {
            var w = DERWriter()
            w.sequence { a in
                a.objectIdentifier(PKCS12OIDs.friendlyName)
                a.set { $0.string(ASN1String(.bmp, friendlyName)) }
            }
            encoded.append(w.bytes)
        }
        var w = DERWriter()
        w.sequence { a in
            a.objectIdentifier(PKCS12OIDs.localKeyID)
            a.set { $0.octetString(localKeyID) }
        }
        encoded.append(w.bytes)
        return encoded.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// `SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF OPTIONAL }`.
    private static func bag(
        _ id: ASN1ObjectIdentifier, attributes: [[UInt8]], into w: inout DERWriter, value: (inout DERWriter) -> Void
    ) {
        w.sequence { bag in
            bag.objectIdentifier(id)
            bag.explicit(0, value)
            if !attributes.isEmpty { bag.set { set in attributes.forEach { set.raw($0) } } }
        }
    }
}
