import CryptoPrimitives

/// The `AuthenticatedSafe` of a PFX (RFC 7292 §4.1, §4.2): its `SafeContents`, plain or
/// encrypted, and the bags found in them.
struct PKCS12Contents: Sendable {
    /// A private key bag, still encrypted when shrouded.
    enum KeyBag: Sendable {
        case plain([UInt8])
        case shrouded(EncryptedPrivateKeyInfo)
    }

    /// Encrypted `SafeContents` not yet decrypted (`EncryptedData`, RFC 2315 §13).
    private var encrypted: [(scheme: PasswordBasedEncryption, ciphertext: [UInt8])] = []
    private var keys: [(bag: KeyBag, localKeyID: [UInt8]?)] = []
    private var certificates: [(certificate: Certificate, localKeyID: [UInt8]?)] = []
    private var bagCount = 0

    /// Parses the `AuthenticatedSafe` and every plain `SafeContents`; no password is needed.
    init(authenticatedSafe: ArraySlice<UInt8>) throws(X509Error) {
        let root = try DER.parse(authenticatedSafe)
        try root.expect(.sequence, "AuthenticatedSafe")
        var r = try root.children()
        var count = 0
        while !r.isAtEnd {
            count += 1
            guard count <= PKCS12.Limits.maximumContentInfos else {
                throw X509Error(.invalidPKCS12, "AuthenticatedSafe holds more than \(PKCS12.Limits.maximumContentInfos) ContentInfos")
            }
            let (type, content) = try r.next().contentInfo("AuthenticatedSafe ContentInfo")
            guard let content else { throw X509Error(.invalidPKCS12, "a ContentInfo of the AuthenticatedSafe is empty") }
            switch type {
            case PKCS12OIDs.data:
                try collect(safeContents: DER.parse(content.octetString()))
            case PKCS12OIDs.encryptedData:
                encrypted.append(try Self.encryptedData(content))
            case PKCS12OIDs.envelopedData:
                throw X509Error(.invalidPKCS12, "PKCS#12 public-key privacy mode (envelopedData) is not supported; re-export with a password")
            default:
                throw X509Error(.invalidPKCS12, "AuthenticatedSafe content type \(type) is not supported")
            }
        }
    }

    /// Whether anything needs the password to be read.
    var isEncrypted: Bool {
        !encrypted.isEmpty || keys.contains { if case .shrouded = $0.bag { true } else { false } }
    }

    /// Decrypts the encrypted `SafeContents` and collects their bags.
    mutating func decrypt(password: [UInt8], budget: inout WorkBudget) throws(X509Error) {
        let pending = encrypted
        encrypted = []
        for (scheme, ciphertext) in pending {
            try budget.spend(scheme.iterations)
            let plaintext = try scheme.decrypt(ciphertext, password: password)
            let node: ASN1Node
            do { node = try DER.parse(plaintext) } catch {
                throw X509Error(.wrongPassword, "the password is wrong (the decrypted certificates are not DER: \(error.message))")
            }
            try collect(safeContents: node)
        }
    }

    /// Whether `password` decrypts at least one encrypted part to well-formed contents (used
    /// only to explain a MAC failure).
    func decryptsAnyPart(password: [UInt8], budget: inout WorkBudget) -> Bool {
        for (scheme, ciphertext) in encrypted {
            guard (try? budget.spend(scheme.iterations)) != nil else { return false }
            if let plaintext = try? scheme.decrypt(ciphertext, password: password), (try? DER.parse(plaintext)) != nil {
                return true
            }
        }
        for case (.shrouded(let info), _) in keys {
            guard (try? budget.spend(info.scheme.iterations)) != nil else { return false }
            if (try? RSAPrivateKey(encryptedPKCS8: info, password: password)) != nil { return true }
        }
        return false
    }

    /// The one private key, decrypted and checked.
    func privateKey(password: [UInt8], budget: inout WorkBudget) throws(X509Error) -> RSAPrivateKey {
        guard let only = keys.first else { throw X509Error(.invalidPKCS12, "the PKCS#12 file holds no private key") }
        guard keys.count == 1 else {
            throw X509Error(.invalidPKCS12, "the PKCS#12 file holds \(keys.count) private keys; only files with one are supported")
        }
        switch only.bag {
        case .plain(let der):
            return try RSAPrivateKey(pkcs8DER: der)
        case .shrouded(let info):
            try budget.spend(info.scheme.iterations)
            return try RSAPrivateKey(encryptedPKCS8: info, password: password)
        }
    }

    /// The certificate of `key` and its issuers in order, then the other certificates.
    func chain(for key: RSAPrivateKey) throws(X509Error) -> ([Certificate], [Certificate]) {
        let keyID = keys.first?.localKeyID
        let candidates = certificates.filter { (try? $0.certificate.publicKeyInfo.rsaPublicKey()) == key.publicKey }
        guard let leaf = (candidates.first { keyID != nil && $0.localKeyID == keyID } ?? candidates.first)?.certificate else {
            throw X509Error(.invalidPKCS12, "the PKCS#12 file holds no certificate for its private key")
        }
        var remaining: [Certificate] = []
        for (certificate, _) in certificates where certificate != leaf && !remaining.contains(certificate) {
            remaining.append(certificate)
        }
        var chain = [leaf]
        while let last = chain.last, !last.isSelfIssued,
              let next = remaining.firstIndex(where: { $0.subject.matches(last.issuer) }) {
            chain.append(remaining.remove(at: next))
        }
        return (chain, remaining)
    }

    // MARK: Parsing

    /// `SafeContents ::= SEQUENCE OF SafeBag`; `SafeBag ::= SEQUENCE { bagId OID,
    /// bagValue [0] EXPLICIT ANY, bagAttributes SET OF PKCS12Attribute OPTIONAL }` (§4.2).
    private mutating func collect(safeContents node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "SafeContents")
        var bags = try node.children()
        while !bags.isAtEnd {
            bagCount += 1
            guard bagCount <= PKCS12.Limits.maximumBags else {
                throw X509Error(.invalidPKCS12, "the PKCS#12 file holds more than \(PKCS12.Limits.maximumBags) bags")
            }
            let bag = try bags.read(.sequence, "SafeBag")
            var r = try bag.children()
            let bagID = try r.read(.objectIdentifier, "SafeBag bagId").objectIdentifier()
            var wrapper = try r.read(.contextSpecific(0, constructed: true), "SafeBag bagValue").children()
            let value = try wrapper.next()
            try wrapper.finish("SafeBag bagValue")
            let attributes = try r.readIfPresent(.set)
            try r.finish("SafeBag")
            let keyID = try attributes.flatMap { node throws(X509Error) in try Self.localKeyID(node) }
            switch bagID {
            case PKCS12OIDs.keyBag:
                keys.append((.plain(Array(value.encodedBytes)), keyID))
            case PKCS12OIDs.pkcs8ShroudedKeyBag:
                keys.append((.shrouded(try EncryptedPrivateKeyInfo(value)), keyID))
            case PKCS12OIDs.certBag:
                if let certificate = try Self.certificate(value) { certificates.append((certificate, keyID)) }
            case PKCS12OIDs.safeContentsBag:
                try collect(safeContents: value)  // nesting is bounded by DERReader.maximumDepth
            default:
                break  // crlBag, secretBag: not needed for a TLS identity
            }
        }
    }

    /// `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }`; nil for
    /// certificate types other than X.509.
    private static func certificate(_ node: ASN1Node) throws(X509Error) -> Certificate? {
        try node.expect(.sequence, "CertBag")
        var r = try node.children()
        let type = try r.read(.objectIdentifier, "CertBag certId").objectIdentifier()
        var wrapper = try r.read(.contextSpecific(0, constructed: true), "CertBag certValue").children()
        let value = try wrapper.read(.octetString, "CertBag certValue")
        try wrapper.finish("CertBag certValue")
        try r.finish("CertBag")
        guard type == PKCS12OIDs.x509Certificate else { return nil }
        return try Certificate(derEncoded: Array(value.octetString()))
    }

    /// The `localKeyId` attribute's value, if present (`PKCS12Attribute ::= SEQUENCE {
    /// attrId OID, attrValues SET OF ANY }`).
    private static func localKeyID(_ attributes: ASN1Node) throws(X509Error) -> [UInt8]? {
        var r = try attributes.children()
        while !r.isAtEnd {
            var a = try r.read(.sequence, "PKCS12Attribute").children()
            let id = try a.read(.objectIdentifier, "PKCS12Attribute attrId").objectIdentifier()
            let values = try a.read(.set, "PKCS12Attribute attrValues")
            try a.finish("PKCS12Attribute")
            guard id == PKCS12OIDs.localKeyID else { continue }
            var v = try values.children()
            let value = try v.read(.octetString, "localKeyId")
            try v.finish("localKeyId values")
            return Array(value.content)
        }
        return nil
    }

    /// `EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo SEQUENCE {
    /// contentType OID, contentEncryptionAlgorithm AlgorithmIdentifier,
    /// encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL } }` (RFC 2315 §13, §10.1).
    private static func encryptedData(_ node: ASN1Node) throws(X509Error) -> (PasswordBasedEncryption, [UInt8]) {
        try node.expect(.sequence, "EncryptedData")
        var r = try node.children()
        let version = try r.read(.integer, "EncryptedData version").integerValue()
        guard version == 0 || version == 2 else { throw X509Error(.invalidPKCS12, "EncryptedData version \(version) is not 0 or 2") }
        let info = try r.read(.sequence, "EncryptedContentInfo")
        _ = try r.readIfPresent(.contextSpecific(1, constructed: true))  // unprotectedAttrs (CMS)
        try r.finish("EncryptedData")
        var e = try info.children()
        let type = try e.read(.objectIdentifier, "EncryptedContentInfo contentType").objectIdentifier()
        guard type == PKCS12OIDs.data else { throw X509Error(.invalidPKCS12, "encrypted content type \(type) is not data") }
        let scheme = try PasswordBasedEncryption(algorithm: e.read(.sequence, "contentEncryptionAlgorithm"), "contentEncryptionAlgorithm")
        let content = try e.read(.contextSpecific(0, constructed: false), "encryptedContent")
        try e.finish("EncryptedContentInfo")
        return (scheme, Array(content.content))
    }

    /// The total KDF work a file may cause (``PKCS12/Limits/maximumTotalIterations``).
    struct WorkBudget {
        private(set) var spent = 0

        mutating func spend(_ iterations: Int) throws(X509Error) {
            spent += iterations
            guard spent <= PKCS12.Limits.maximumTotalIterations else {
                throw X509Error(.invalidPKCS12,
                                "the PKCS#12 file asks for more than \(PKCS12.Limits.maximumTotalIterations) KDF iterations in total")
            }
        }
    }
}
