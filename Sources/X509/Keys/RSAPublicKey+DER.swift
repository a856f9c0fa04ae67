// RSA public key encodings: PKCS#1 `RSAPublicKey` (RFC 8017 Appendix A.1.1) and
// `SubjectPublicKeyInfo` with rsaEncryption (RFC 5280 §4.1.2.7, RFC 3279 §2.3.1).

extension RSAPublicKey {
    /// Parses a DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
    public init(pkcs1DER der: [UInt8]) throws(X509Error) {
        try self.init(pkcs1: DER.parse(der))
    }

    /// Parses a DER `SubjectPublicKeyInfo` whose algorithm is rsaEncryption with NULL
    /// (or absent) parameters and whose key BIT STRING holds an `RSAPublicKey`.
    public init(subjectPublicKeyInfoDER der: [UInt8]) throws(X509Error) {
        let spki = try DER.parse(der)
        try spki.expect(.sequence, "SubjectPublicKeyInfo")
        var r = try spki.children()
        let (oid, parameters) = try r.read(.sequence, "SubjectPublicKeyInfo algorithm").algorithmIdentifier("AlgorithmIdentifier")
        guard oid == KeyOIDs.rsaEncryption else {
            throw X509Error(.unsupportedAlgorithm, "public key algorithm \(oid) is not rsaEncryption", offset: spki.offset)
        }
        if let parameters { try parameters.nullValue() }
        let bits = try r.read(.bitString, "subjectPublicKey").bitString()
        try r.finish("SubjectPublicKeyInfo")
        guard bits.unusedBits == 0 else {
            throw X509Error(.invalidKey, "RSA subjectPublicKey BIT STRING has unused bits")
        }
        try self.init(pkcs1: DER.parse(bits.bytes))
    }

    init(pkcs1 node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "RSAPublicKey")
        var r = try node.children()
        let n = try r.read(.integer, "modulus").unsignedIntegerBytes()
        let e = try r.read(.integer, "publicExponent").unsignedIntegerBytes()
        try r.finish("RSAPublicKey")
        try self.init(modulus: Array(n), publicExponent: Array(e))
    }

    /// The DER `RSAPublicKey` (PKCS#1).
    public var pkcs1DER: [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.unsignedInteger(modulus)
            s.unsignedInteger(publicExponent)
        }
        return w.bytes
    }

    /// The DER `SubjectPublicKeyInfo` with rsaEncryption and NULL parameters.
    public var subjectPublicKeyInfoDER: [UInt8] {
        let key = pkcs1DER
        var w = DERWriter()
        w.sequence { s in
            s.sequence { a in
                a.objectIdentifier(KeyOIDs.rsaEncryption)
                a.null()
            }
            s.bitString(key)
        }
        return w.bytes
    }
}
