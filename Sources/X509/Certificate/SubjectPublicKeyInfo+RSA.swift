extension SubjectPublicKeyInfo {
    /// The RSA modulus and public exponent (RFC 8017 Appendix A.1.1:
    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`), as
    /// big-endian magnitudes; nil when this is not a well-formed RSA key.
    public var rsaComponents: (modulus: [UInt8], publicExponent: [UInt8])? {
        guard isRSA, algorithm.hasNullOrAbsentParameters else { return nil }
        do {
            var fields = try DER.parse(keyBytes).children()
            let n = try fields.read(.integer, "modulus").unsignedIntegerBytes()
            let e = try fields.read(.integer, "publicExponent").unsignedIntegerBytes()
            try fields.finish("RSAPublicKey")
            return (Array(n), Array(e))
        } catch {
            return nil
        }
    }

    /// The size of the RSA modulus in bits, even for keys too small to use; nil when this
    /// is not an RSA key.
    public var rsaModulusBitCount: Int? {
        guard let n = rsaComponents?.modulus, let top = n.first else { return nil }
        return (n.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// The RSA public key, usable for verification and encryption.
    ///
    /// - Throws: ``X509Error/Code/unsupportedAlgorithm`` for non-RSA keys, or the key
    ///   errors of ``RSAPublicKey`` (size outside 1024–16384 bits, even modulus, bad exponent).
    public func rsaPublicKey() throws(X509Error) -> RSAPublicKey {
        guard let (n, e) = rsaComponents else {
            throw X509Error(.unsupportedAlgorithm, "the certified key is not a well-formed RSA key (algorithm \(algorithm))")
        }
        return try RSAPublicKey(modulus: n, publicExponent: e)
    }

    /// The key info for an RSA public key (rsaEncryption with NULL parameters).
    public init(rsa key: RSAPublicKey) {
        var w = DERWriter()
        w.sequence { w in
            w.unsignedInteger(key.modulus)
            w.unsignedInteger(key.publicExponent)
        }
        self.init(algorithm: .rsa(.rsaEncryption), keyBytes: w.bytes)
    }
}
