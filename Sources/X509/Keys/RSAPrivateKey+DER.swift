import CryptoPrimitives

// RSA private key encodings: PKCS#1 `RSAPrivateKey` (RFC 8017 Appendix A.1.2) and
// PKCS#8 `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5208 §5, RFC 5958 §2).

extension RSAPrivateKey {
    /// Parses an unencrypted DER `RSAPrivateKey` (PKCS#1, two primes, version 0).
    public init(pkcs1DER der: [UInt8]) throws(X509Error) {
        try self.init(pkcs1: DER.parse(der))
    }

    /// Parses an unencrypted DER `PrivateKeyInfo` (PKCS#8) holding an rsaEncryption key.
    public init(pkcs8DER der: [UInt8]) throws(X509Error) {
        try self.init(pkcs8: DER.parse(der))
    }

    init(pkcs1 node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "RSAPrivateKey")
        var r = try node.children()
        let version = try r.read(.integer, "RSAPrivateKey version").integerValue()
        guard version == 0 else {
            throw X509Error(.invalidKey, "RSAPrivateKey version \(version) (multi-prime keys are not supported)")
        }
        var parts: [[UInt8]] = []
        for name in ["modulus", "publicExponent", "privateExponent", "prime1", "prime2",
                     "exponent1", "exponent2", "coefficient"] {
            parts.append(Array(try r.read(.integer, name).unsignedIntegerBytes()))
        }
        try r.finish("RSAPrivateKey")
        defer { for i in parts.indices { SecureMemory.wipe(&parts[i]) } }
        try self.init(modulus: parts[0], publicExponent: parts[1], privateExponent: parts[2],
                      prime1: parts[3], prime2: parts[4], exponent1: parts[5], exponent2: parts[6],
                      coefficient: parts[7])
    }

    init(pkcs8 node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "PrivateKeyInfo")
        var r = try node.children()
        let version = try r.read(.integer, "PrivateKeyInfo version").integerValue()
        guard version == 0 || version == 1 else {
            throw X509Error(.invalidKey, "PrivateKeyInfo version \(version) is not 0 or 1")
        }
        let (oid, parameters) = try r.read(.sequence, "privateKeyAlgorithm").algorithmIdentifier("privateKeyAlgorithm")
        guard oid == KeyOIDs.rsaEncryption else {
            throw X509Error(.unsupportedAlgorithm, "private key algorithm \(oid) is not rsaEncryption")
        }
        if let parameters { try parameters.nullValue() }
        let inner = try r.read(.octetString, "privateKey").octetString()
        // Optional attributes [0] and (version 1) public key [1] are allowed and ignored.
        _ = try r.readIfPresent(.contextSpecific(0, constructed: true))
        if version == 1 { _ = try r.readIfPresent(.contextSpecific(1, constructed: false)) }
        try r.finish("PrivateKeyInfo")
        try self.init(pkcs1: DER.parse(inner))
    }

    /// The DER `RSAPrivateKey` (PKCS#1). Contains the secret key: wipe it after use.
    public var pkcs1DER: [UInt8] {
        var c = components
        defer {
            SecureMemory.wipe(&c.d); SecureMemory.wipe(&c.p); SecureMemory.wipe(&c.q)
            SecureMemory.wipe(&c.dP); SecureMemory.wipe(&c.dQ); SecureMemory.wipe(&c.qInv)
        }
        var w = DERWriter()
        w.sequence { s in
            s.integer(0)
            for part in [c.n, c.e, c.d, c.p, c.q, c.dP, c.dQ, c.qInv] { s.unsignedInteger(part) }
        }
        return w.bytes
    }

    /// The DER `PrivateKeyInfo` (PKCS#8, version 0). Contains the secret key.
    public var pkcs8DER: [UInt8] {
        var inner = pkcs1DER
        defer { SecureMemory.wipe(&inner) }
        var w = DERWriter()
        w.sequence { s in
            s.integer(0)
            s.sequence { a in
                a.objectIdentifier(KeyOIDs.rsaEncryption)
                a.null()
            }
            s.octetString(inner)
        }
        return w.bytes
    }
}
