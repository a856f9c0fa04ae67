import CryptoPrimitives

/// The legacy PKCS#12 password-based encryption schemes (RFC 7292 Appendix C): key and IV
/// from the PKCS#12 KDF with SHA-1 over the BMPString password, then a 64-bit-block CBC
/// cipher. `pbeWithSHAAnd3-KeyTripleDES-CBC` protects the keys of Windows, Java and
/// `openssl pkcs12 -legacy` files; `pbeWithSHAAnd40BitRC2-CBC` their certificates.
struct PKCS12PBE: Sendable {
    /// The schemes of RFC 7292 Appendix C that use a block cipher (the RC4 ones are refused).
    enum Scheme: Sendable {
        case sha1And3KeyTripleDESCBC
        case sha1And2KeyTripleDESCBC
        case sha1And128BitRC2CBC
        case sha1And40BitRC2CBC

        /// The cipher and the number of key bytes the KDF yields.
        var cipher: KeyEncryptionCipher {
            switch self {
            case .sha1And3KeyTripleDESCBC, .sha1And2KeyTripleDESCBC: .desEDE3CBC
            case .sha1And128BitRC2CBC: .rc2CBC(keyByteCount: 16, effectiveKeyBits: 128)
            case .sha1And40BitRC2CBC: .rc2CBC(keyByteCount: 5, effectiveKeyBits: 40)
            }
        }

        var derivedKeyByteCount: Int {
            self == .sha1And2KeyTripleDESCBC ? 16 : cipher.keyByteCount
        }
    }

    var scheme: Scheme
    var salt: [UInt8]
    var iterations: Int

    /// pkcs-12PbeIds (RFC 7292 Appendix D): 1.2.840.113549.1.12.1.n.
    static let arcs: [UInt64] = [1, 2, 840, 113_549, 1, 12, 1]

    /// Recognises a PKCS#12 PBE `AlgorithmIdentifier`; nil when `oid` is not one.
    init?(oid: ASN1ObjectIdentifier, parameters: ASN1Node?) throws(X509Error) {
        guard oid.arcs.count == Self.arcs.count + 1, Array(oid.arcs.dropLast()) == Self.arcs, let last = oid.arcs.last else {
            return nil
        }
        switch last {
        case 3: scheme = .sha1And3KeyTripleDESCBC
        case 4: scheme = .sha1And2KeyTripleDESCBC
        case 5: scheme = .sha1And128BitRC2CBC
        case 6: scheme = .sha1And40BitRC2CBC
        default:
            throw X509Error(.unsupportedKeyEncryption,
                            "PKCS#12 scheme \(oid) (RC4) is not supported; re-export the file with `openssl pkcs12 -export` (AES)")
        }
        // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
        guard let parameters else { throw X509Error(.invalidKey, "PKCS#12 PBE without parameters") }
        try parameters.expect(.sequence, "pkcs-12PbeParams")
        var r = try parameters.children()
        salt = Array(try r.read(.octetString, "pkcs-12PbeParams salt").octetString())
        iterations = try PBES2.checkedIterations(r.read(.integer, "pkcs-12PbeParams iterations"))
        try r.finish("pkcs-12PbeParams")
    }

    /// Parameters for encrypting new data.
    init(scheme: Scheme, salt: [UInt8], iterations: Int) {
        self.scheme = scheme
        self.salt = salt
        self.iterations = iterations
    }

    /// The plaintext of `ciphertext` under the UTF-8 `password` (padding checked).
    func decrypt(_ ciphertext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        try run(ciphertext, password: password, encrypt: false)
    }

    /// `plaintext` padded and encrypted under the UTF-8 `password`.
    func encrypt(_ plaintext: [UInt8], password: [UInt8]) throws(X509Error) -> [UInt8] {
        try run(plaintext, password: password, encrypt: true)
    }

    /// Writes the `AlgorithmIdentifier` (the scheme's OID with `pkcs-12PbeParams`).
    func writeAlgorithmIdentifier(_ w: inout DERWriter) {
        w.sequence { alg in
            alg.objectIdentifier(ASN1ObjectIdentifier(arcs: Self.arcs + [scheme.lastArc]))
            alg.sequence { params in
                params.octetString(salt)
                params.integer(iterations)
            }
        }
    }

    private func run(_ input: [UInt8], password: [UInt8], encrypt: Bool) throws(X509Error) -> [UInt8] {
        var bmp = PKCS12KDF.bmpPassword(password)
        defer { SecureMemory.wipe(&bmp) }
        var key = PKCS12KDF.derive(SHA1.self, purpose: .key, password: bmp, salt: salt,
                                   iterations: iterations, count: scheme.derivedKeyByteCount)
        defer { SecureMemory.wipe(&key) }
        if scheme == .sha1And2KeyTripleDESCBC { key += key.prefix(8) }  // K1 ‖ K2 ‖ K1
        let iv = PKCS12KDF.derive(SHA1.self, purpose: .iv, password: bmp, salt: salt, iterations: iterations, count: 8)
        return encrypt ? try scheme.cipher.encrypt(input, key: key, iv: iv) : try scheme.cipher.decrypt(input, key: key, iv: iv)
    }
}

extension PKCS12PBE.Scheme {
    /// The last arc of the scheme's OID under pkcs-12PbeIds.
    var lastArc: UInt64 {
        switch self {
        case .sha1And3KeyTripleDESCBC: 3
        case .sha1And2KeyTripleDESCBC: 4
        case .sha1And128BitRC2CBC: 5
        case .sha1And40BitRC2CBC: 6
        }
    }
}
