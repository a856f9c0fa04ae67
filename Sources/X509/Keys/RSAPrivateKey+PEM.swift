import CryptoPrimitives

// Loading and writing private keys in PEM and DER, plain or encrypted
// (DESIGN.md §5: the password closure runs only for encrypted keys).

extension RSAPrivateKey {
    /// A closure that supplies the password of an encrypted key, or nil to give up.
    /// It is called at most once, and only when the key is encrypted.
    public typealias PasswordProvider = () throws -> String?

    /// The PEM labels of private keys.
    static let pkcs1Label = "RSA PRIVATE KEY"
    static let pkcs8Label = "PRIVATE KEY"
    static let encryptedPKCS8Label = "ENCRYPTED PRIVATE KEY"

    /// Loads the first private key in PEM text: `RSA PRIVATE KEY` (PKCS#1, optionally
    /// with OpenSSL's `Proc-Type: 4,ENCRYPTED` + `DEK-Info: DES-EDE3-CBC|DES-CBC`),
    /// `PRIVATE KEY` (PKCS#8) or `ENCRYPTED PRIVATE KEY` (PKCS#8 with PBES2). Other
    /// blocks, such as certificates, are skipped.
    ///
    /// - Parameters:
    ///   - text: PEM text holding the key, possibly among other blocks.
    ///   - password: asked only when the key is encrypted.
    /// - Throws: ``X509Error`` — `passwordRequired` when the key is encrypted and no
    ///   password is given, `wrongPassword` when the password does not yield a well-formed,
    ///   consistent key, `unsupportedKeyEncryption` for other ciphers.
    public init(pemEncoded text: String, password: PasswordProvider? = nil) throws(X509Error) {
        let documents = try PEMDocument.parseAll(text)
        let labels = [Self.pkcs1Label, Self.pkcs8Label, Self.encryptedPKCS8Label]
        guard let document = documents.first(where: { labels.contains($0.label) }) else {
            throw X509Error(.unexpectedPEMLabel,
                            "no private key in the PEM text (found: \(documents.map(\.label).joined(separator: ", ")))")
        }
        try self.init(pemDocument: document, password: password)
    }

    /// Loads a private key from one PEM block.
    public init(pemDocument document: PEMDocument, password: PasswordProvider? = nil) throws(X509Error) {
        switch document.label {
        case Self.pkcs1Label:
            if let encryption = try TraditionalPEMEncryption(headers: document) {
                let secret = try Self.askPassword(password)
                try self.init(decrypting: { () throws(X509Error) in
                    try encryption.decrypt(document.derBytes, password: secret)
                }, parse: { der throws(X509Error) in try RSAPrivateKey(pkcs1DER: der) })
            } else {
                try self.init(pkcs1DER: document.derBytes)
            }
        case Self.pkcs8Label:
            try self.init(pkcs8DER: document.derBytes)
        case Self.encryptedPKCS8Label:
            try self.init(encryptedPKCS8: DER.parse(document.derBytes), password: password)
        default:
            throw X509Error(.unexpectedPEMLabel, "PEM block \"\(document.label)\" is not a private key")
        }
    }

    /// Loads a DER private key: PKCS#1 `RSAPrivateKey`, PKCS#8 `PrivateKeyInfo`, or
    /// PKCS#8 `EncryptedPrivateKeyInfo` (the form is recognised from the structure).
    public init(derEncoded der: [UInt8], password: PasswordProvider? = nil) throws(X509Error) {
        let node = try DER.parse(der)
        try node.expect(.sequence, "private key")
        var r = try node.children()
        let first = try r.next()
        if first.identifier == .sequence {
            try self.init(encryptedPKCS8: node, password: password)
        } else if r.peekIdentifier() == .sequence {
            try self.init(pkcs8: node)
        } else {
            try self.init(pkcs1: node)
        }
    }

    private init(encryptedPKCS8 node: ASN1Node, password: PasswordProvider?) throws(X509Error) {
        let info = try EncryptedPrivateKeyInfo(node)
        var secret = try Self.askPassword(password)
        defer { SecureMemory.wipe(&secret) }
        try self.init(encryptedPKCS8: info, password: secret)
    }

    /// Decrypts an `EncryptedPrivateKeyInfo` with a UTF-8 password already obtained.
    init(encryptedPKCS8 info: EncryptedPrivateKeyInfo, password secret: [UInt8]) throws(X509Error) {
        try self.init(decrypting: { () throws(X509Error) in try info.scheme.decrypt(info.encryptedData, password: secret) },
                      parse: { der throws(X509Error) in try RSAPrivateKey(pkcs8DER: der) })
    }

    /// Decrypts, then parses and checks the key; any failure after a correct-looking
    /// padding is still a wrong password, never a half-loaded key.
    private init(
        decrypting decrypt: () throws(X509Error) -> [UInt8],
        parse: ([UInt8]) throws(X509Error) -> RSAPrivateKey
    ) throws(X509Error) {
        var der = try decrypt()
        defer { SecureMemory.wipe(&der) }
        do {
            self = try parse(der)
        } catch where error.code == .unsupportedAlgorithm {
            throw error  // a well-formed PrivateKeyInfo of another algorithm (EC, Ed25519)
        } catch {
            throw X509Error(.wrongPassword,
                            "the password is wrong (the decrypted data is not a valid RSA key: \(error.message))")
        }
    }

    /// Calls the password closure (once) and returns the UTF-8 password.
    static func askPassword(_ provider: PasswordProvider?) throws(X509Error) -> [UInt8] {
        guard let provider else {
            throw X509Error(.passwordRequired, "the private key is encrypted and no password was supplied")
        }
        let answer: String?
        do {
            answer = try provider()
        } catch {
            throw X509Error(.passwordCallbackFailed, "the password callback failed: \(error)")
        }
        guard let answer else {
            throw X509Error(.passwordRequired, "the private key is encrypted and the password callback gave none")
        }
        return Array(answer.utf8)
    }
}

extension RSAPublicKey {
    /// Loads the first public key in PEM text: `PUBLIC KEY` (SubjectPublicKeyInfo) or
    /// `RSA PUBLIC KEY` (PKCS#1).
    public init(pemEncoded text: String) throws(X509Error) {
        let documents = try PEMDocument.parseAll(text)
        if let spki = documents.first(where: { $0.label == "PUBLIC KEY" }) {
            try self.init(subjectPublicKeyInfoDER: spki.derBytes)
        } else if let pkcs1 = documents.first(where: { $0.label == "RSA PUBLIC KEY" }) {
            try self.init(pkcs1DER: pkcs1.derBytes)
        } else {
            throw X509Error(.unexpectedPEMLabel, "no public key in the PEM text")
        }
    }

    /// The key as PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    public var pemEncoded: String {
        PEMDocument(label: "PUBLIC KEY", derBytes: subjectPublicKeyInfoDER).pemEncoded
    }
}
