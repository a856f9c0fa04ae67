import CryptoPrimitives

/// A password-based encryption scheme named by an `AlgorithmIdentifier`: PBES2 (RFC 8018)
/// or a legacy PKCS#12 PBE (RFC 7292 Appendix C). Used by PKCS#8 `EncryptedPrivateKeyInfo`
/// and by PKCS#12 `EncryptedData`.
enum PasswordBasedEncryption: Sendable {
    case pbes2(PBES2)
    case pkcs12(PKCS12PBE)

    /// Parses the `AlgorithmIdentifier`; the scheme is checked before any password is asked for.
    init(algorithm node: ASN1Node, _ what: String) throws(X509Error) {
        let (oid, parameters) = try node.algorithmIdentifier(what)
        if oid == KeyOIDs.pbes2 {
            guard let parameters else { throw X509Error(.invalidKey, "\(what): PBES2 without parameters") }
            self = .pbes2(try PBES2(parameters: parameters))
        } else if let legacy = try PKCS12PBE(oid: oid, parameters: parameters) {
            self = .pkcs12(legacy)
        } else {
            throw X509Error(.unsupportedKeyEncryption,
                            "\(what): encryption scheme \(oid) is not supported (only PBES2 and the PKCS#12 3DES/RC2 schemes)")
        }
    }

    /// The KDF iteration count (for work budgets).
    var iterations: Int {
        switch self {
        case .pbes2(let p): p.iterations
        case .pkcs12(let p): p.iterations
        }
    }

    /// The plaintext of `ciphertext` under the UTF-8 `password` (padding checked; the caller
    /// parses and checks it).
    func decrypt(_ ciphertext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        switch self {
        case .pbes2(let p): try p.decrypt(ciphertext, password: password)
        case .pkcs12(let p): try p.decrypt(ciphertext, password: password)
        }
    }

    /// `plaintext` padded and encrypted under the UTF-8 `password`.
    func encrypt(_ plaintext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        switch self {
        case .pbes2(let p): try p.encrypt(plaintext, password: password)
        case .pkcs12(let p): try p.encrypt(plaintext, password: password)
        }
    }

    /// Writes the `AlgorithmIdentifier` naming this scheme and its parameters.
    func writeAlgorithmIdentifier(_ w: inout DERWriter) throws(X509Error) {
        switch self {
        case .pbes2(let p): try p.writeAlgorithmIdentifier(&w)
        case .pkcs12(let p): p.writeAlgorithmIdentifier(&w)
        }
    }
}

/// PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3): the scheme and the encrypted `PrivateKeyInfo`.
struct EncryptedPrivateKeyInfo: Sendable {
    var scheme: PasswordBasedEncryption
    var encryptedData: [UInt8]

    /// Parses the structure; the scheme is checked before any password is asked for.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "EncryptedPrivateKeyInfo")
        var r = try node.children()
        scheme = try PasswordBasedEncryption(algorithm: r.read(.sequence, "encryptionAlgorithm"), "encryptionAlgorithm")
        encryptedData = Array(try r.read(.octetString, "encryptedData").octetString())
        try r.finish("EncryptedPrivateKeyInfo")
    }

    /// `EncryptedPrivateKeyInfo` DER holding `plaintext` encrypted with `scheme` under `password`.
    static func encrypt(_ plaintext: [UInt8], with scheme: PasswordBasedEncryption, password: [UInt8]) throws(X509Error) -> [UInt8] {
        let ciphertext = try scheme.encrypt(plaintext, password: password)
        var algorithm = DERWriter()
        try scheme.writeAlgorithmIdentifier(&algorithm)
        var w = DERWriter()
        w.sequence { s in
            s.raw(algorithm.bytes)
            s.octetString(ciphertext)
        }
        return w.bytes
    }
}
