import CryptoPrimitives

/// A certificate chain and its RSA private key imported from a PKCS#12 file (`.p12`/`.pfx`,
/// RFC 7292), as Windows, Java and `openssl pkcs12 -export` write them.
///
/// Read: password integrity mode (the `MacData` HMAC with SHA-1 or SHA-256 keyed by the
/// PKCS#12 KDF, or PBMAC1) and password privacy mode: PBES2 with AES-CBC or 3DES (OpenSSL 3's
/// default) and the legacy `pbeWithSHAAnd3-KeyTripleDES-CBC` and `pbeWithSHAAnd40BitRC2-CBC`
/// (`openssl pkcs12 -legacy`, Windows, Java). Public-key modes (`signedData`, `envelopedData`)
/// are refused.
///
/// ```swift
/// let p12 = try PKCS12(derEncoded: bytes, password: { "secret" })
/// let configuration = try TLSConfiguration.server(certificateChain: p12.certificateChain,
///                                                 privateKey: p12.privateKey)
/// ```
///
/// The MAC is checked before anything is decrypted. Every count and iteration count a file
/// declares is bounded (``Limits``), so a hostile file costs bounded time and memory.
public struct PKCS12: Sendable {
    /// The private key (the file must hold exactly one).
    public let privateKey: RSAPrivateKey
    /// The certificate of ``privateKey`` followed by its issuers found in the file, in order.
    public let certificateChain: [Certificate]
    /// Certificates of the file that are not in ``certificateChain``.
    public let otherCertificates: [Certificate]

    /// Bounds on what a file may declare (the PKCS#12 limits kept in one place).
    public enum Limits {
        /// The most `ContentInfo`s in the `AuthenticatedSafe`.
        public static let maximumContentInfos = 16
        /// The most safe bags in the whole file (nested ones included).
        public static let maximumBags = 64
        /// The most KDF iterations of the MAC and all encrypted parts together; each one is
        /// also bounded by the PBKDF2 limit of encrypted keys (10 000 000).
        public static let maximumTotalIterations = 20_000_000
    }

    /// Imports a PKCS#12 file.
    ///
    /// - Parameters:
    ///   - der: the file's bytes (DER).
    ///   - password: called at most once, and only when the file has a MAC or encrypted parts.
    /// - Throws: ``X509Error`` — `passwordRequired` when a password is needed and none is
    ///   given; `wrongPassword` when the password is wrong; `integrityCheckFailed` when the
    ///   MAC does not verify although the password decrypts the contents (an altered file);
    ///   `unsupportedKeyEncryption` for schemes we do not read (checked before the password is
    ///   asked for); `invalidPKCS12` or a DER error for malformed files.
    public init(derEncoded der: [UInt8], password: RSAPrivateKey.PasswordProvider? = nil) throws(X509Error) {
        let pfx = try PFX(der)
        var contents = try PKCS12Contents(authenticatedSafe: pfx.authenticatedSafe)
        let needsPassword = pfx.mac != nil || contents.isEncrypted
        var secret = needsPassword ? try RSAPrivateKey.askPassword(password) : []
        defer { SecureMemory.wipe(&secret) }
        var budget = PKCS12Contents.WorkBudget()

        if let mac = pfx.mac {
            try budget.spend(mac.iterations * (secret.isEmpty ? 2 : 1))
            guard mac.verifies(pfx.authenticatedSafe, password: secret) else {
                throw Self.macFailure(contents, secret, &budget)
            }
        }
        try contents.decrypt(password: secret, budget: &budget)
        let key = try contents.privateKey(password: secret, budget: &budget)
        (certificateChain, otherCertificates) = try contents.chain(for: key)
        privateKey = key
    }

    /// The error for a MAC that does not verify: an altered file if the password decrypts
    /// some encrypted part to well-formed contents, otherwise a wrong password.
    private static func macFailure(_ contents: PKCS12Contents, _ secret: [UInt8], _ budget: inout PKCS12Contents.WorkBudget) -> X509Error {
        guard contents.isEncrypted else {
            return X509Error(.wrongPassword, "the password is wrong or the file is damaged (the PKCS#12 MAC does not verify)")
        }
        guard contents.decryptsAnyPart(password: secret, budget: &budget) else {
            return X509Error(.wrongPassword, "the password is wrong (the PKCS#12 MAC does not verify)")
        }
        return X509Error(.integrityCheckFailed,
                         "the PKCS#12 MAC does not verify although the password decrypts the contents: the file was altered or damaged")
    }
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
/// (RFC 7292 §4).
struct PFX {
    /// The contents of the `data` OCTET STRING: the DER `AuthenticatedSafe`, which the MAC covers.
    var authenticatedSafe: ArraySlice<UInt8>
    var mac: PKCS12MAC?

    init(_ der: [UInt8]) throws(X509Error) {
        let root: ASN1Node
        do { root = try DER.parse(der) } catch {
            throw X509Error(.invalidPKCS12, "not a PKCS#12 file (DER): \(error.message)", offset: error.offset)
        }
        try root.expect(.sequence, "PFX")
        var r = try root.children()
        let version = try r.read(.integer, "PFX version").integerValue()
        guard version == 3 else { throw X509Error(.invalidPKCS12, "PFX version \(version) is not 3") }
        let authSafe = try r.read(.sequence, "PFX authSafe")
        mac = try r.readIfPresent(.sequence).map { node throws(X509Error) in try PKCS12MAC(node) }
        try r.finish("PFX")

        let (type, content) = try authSafe.contentInfo("PFX authSafe")
        switch type {
        case PKCS12OIDs.data:
            guard let content else { throw X509Error(.invalidPKCS12, "PFX authSafe has no content") }
            authenticatedSafe = try content.octetString()
        case PKCS12OIDs.signedData:
            throw X509Error(.invalidPKCS12, "PKCS#12 public-key integrity mode (signedData) is not supported; re-export with a password")
        default:
            throw X509Error(.invalidPKCS12, "PFX authSafe content type \(type) is not data")
        }
    }
}

extension ASN1Node {
    /// Reads `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }`
    /// (RFC 2315 §7): the type and the explicitly tagged content, unwrapped.
    func contentInfo(_ what: String) throws(X509Error) -> (ASN1ObjectIdentifier, ASN1Node?) {
        try expect(.sequence, what)
        var r = try children()
        let type = try r.read(.objectIdentifier, "\(what) contentType").objectIdentifier()
        let wrapper = try r.readIfPresent(.contextSpecific(0, constructed: true))
        try r.finish(what)
        guard let wrapper else { return (type, nil) }
        var inner = try wrapper.children()
        let content = try inner.next()
        try inner.finish("\(what) content")
        return (type, content)
    }
}
