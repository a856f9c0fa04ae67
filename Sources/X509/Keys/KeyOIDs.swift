/// Object identifiers of the key formats (kept private to the key code so that the
/// certificate code's own OID table is independent).
enum KeyOIDs {
    /// rsaEncryption (RFC 8017 Appendix A.1).
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    /// id-PBES2 (RFC 8018 Appendix A.4).
    static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 13]
    /// id-PBKDF2 (RFC 8018 Appendix A.2).
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 12]
    /// id-PBMAC1 (RFC 8018 Appendix A.5, RFC 9579).
    static let pbmac1: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 14]
    /// id-hmacWithSHA1 (RFC 8018 Appendix B.1.1).
    static let hmacWithSHA1: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 7]
    /// id-hmacWithSHA256 (RFC 8018 Appendix B.1.2).
    static let hmacWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 9]
    /// des-EDE3-CBC (RFC 8018 Appendix B.2.2).
    static let desEDE3CBC: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 3, 7]
    /// desCBC (RFC 8018 Appendix B.2.1).
    static let desCBC: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 7]
    /// id-aes128-CBC (NIST CSOR, RFC 3565 §4.1; RFC 8018 Appendix B.2.5).
    static let aes128CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 2]
    /// id-aes192-CBC.
    static let aes192CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 22]
    /// id-aes256-CBC.
    static let aes256CBC: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 1, 42]
    /// id-sha1 (RFC 3279 §2.2.1), the digest of the PKCS#12 MAC.
    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    /// id-sha256 (RFC 5754 §2.2).
    static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]

    /// The PBES2 encryption schemes we know, by OID.
    static func cipher(_ oid: ASN1ObjectIdentifier) -> KeyEncryptionCipher? {
        switch oid {
        case aes128CBC: .aes128CBC
        case aes192CBC: .aes192CBC
        case aes256CBC: .aes256CBC
        case desEDE3CBC: .desEDE3CBC
        case desCBC: .desCBC
        default: nil
        }
    }

    /// The OID naming `cipher` in PBES2 parameters (nil for ciphers PBES2 does not use here).
    static func oid(of cipher: KeyEncryptionCipher) -> ASN1ObjectIdentifier? {
        switch cipher {
        case .aes128CBC: aes128CBC
        case .aes192CBC: aes192CBC
        case .aes256CBC: aes256CBC
        case .desEDE3CBC: desEDE3CBC
        case .desCBC: desCBC
        case .rc2CBC: nil
        }
    }

    /// The PBES2 ciphers we support, for error messages.
    static let supportedCiphers = "supported: AES-128-CBC, AES-192-CBC, AES-256-CBC, DES-EDE3-CBC, DES-CBC"

    /// A readable name for key-encryption cipher OIDs.
    static func cipherName(_ oid: ASN1ObjectIdentifier) -> String {
        cipher(oid)?.opensslName ?? oid.description
    }
}

extension ASN1Node {
    /// Reads an `AlgorithmIdentifier` (RFC 5280 §4.1.1.2): the OID and the parameters node, if any.
    func algorithmIdentifier(_ what: String) throws(X509Error) -> (ASN1ObjectIdentifier, ASN1Node?) {
        try expect(.sequence, what)
        var r = try children()
        let oid = try r.read(.objectIdentifier, "\(what) algorithm").objectIdentifier()
        let parameters = r.isAtEnd ? nil : try r.next()
        try r.finish(what)
        return (oid, parameters)
    }
}
