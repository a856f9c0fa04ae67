import CryptoPrimitives

/// PBKDF2 (RFC 8018 §5.2) over HMAC with any ``HashFunction`` of CryptoPrimitives.
enum PBKDF2 {
    /// Derives `keyLength` bytes from `password` and `salt` with `iterations` rounds.
    static func deriveKey<H: HashFunction>(
        _ hash: H.Type, password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int
    ) -> [UInt8] {
        let prf = HMAC<H>(key: password)
        let hLen = H.digestByteCount
        var derived: [UInt8] = []
        derived.reserveCapacity(keyLength + hLen)
        var block: UInt32 = 1
        var u = [UInt8](repeating: 0, count: hLen)
        var t = [UInt8](repeating: 0, count: hLen)
        defer { SecureMemory.wipe(&u); SecureMemory.wipe(&t) }
        while derived.count < keyLength {
            // U_1 = PRF(P, S ‖ INT(i)); U_j = PRF(P, U_{j−1}); T_i = U_1 ⊕ … ⊕ U_c.
            var c = prf.begin()
            c.update(salt)
            c.update([UInt8(block >> 24), UInt8(truncatingIfNeeded: block >> 16),
                      UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block)])
            unsafe u.withUnsafeMutableBytes { unsafe c.finalize(into: $0) }
            t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    var next = prf.begin()
                    unsafe u.withUnsafeBytes { unsafe next.update($0) }
                    unsafe u.withUnsafeMutableBytes { unsafe next.finalize(into: $0) }
                    for k in 0..<hLen { t[k] ^= u[k] }
                }
            }
            derived += t
            block += 1
        }
        let key = Array(derived.prefix(keyLength))
        SecureMemory.wipe(&derived)
        return key
    }
}

/// `PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER
/// OPTIONAL, prf AlgorithmIdentifier DEFAULT algid-hmacWithSHA1 }` (RFC 8018 Appendix A.2),
/// as PBES2 and PBMAC1 carry it.
struct PBKDF2Parameters: Sendable {
    var salt: [UInt8]
    var iterations: Int
    var keyByteCount: Int?
    var prf: PBES2.PRF

    /// Parameters from their parts.
    init(salt: [UInt8], iterations: Int, keyByteCount: Int?, prf: PBES2.PRF) {
        self.salt = salt
        self.iterations = iterations
        self.keyByteCount = keyByteCount
        self.prf = prf
    }

    /// Parses the parameters of an id-PBKDF2 `AlgorithmIdentifier`; `kdf` is its OID.
    init(kdf: ASN1ObjectIdentifier, parameters: ASN1Node?, _ what: String) throws(X509Error) {
        guard kdf == KeyOIDs.pbkdf2, let parameters else {
            throw X509Error(.unsupportedKeyEncryption, "\(what): key derivation function \(kdf) is not supported (only PBKDF2)")
        }
        try parameters.expect(.sequence, "PBKDF2-params")
        var k = try parameters.children()
        // `salt` may also be a CHOICE of AlgorithmIdentifier (otherSource), which nobody uses.
        salt = Array(try k.read(.octetString, "PBKDF2 salt").octetString())
        iterations = try PBES2.checkedIterations(k.read(.integer, "PBKDF2 iterationCount"))
        keyByteCount = try k.readIfPresent(.integer).map { node throws(X509Error) in try node.integerValue() }
        prf = .hmacSHA1  // DEFAULT algid-hmacWithSHA1
        if let prfNode = try k.readIfPresent(.sequence) {
            let (prfOID, prfParameters) = try prfNode.algorithmIdentifier("PBKDF2 prf")
            if let prfParameters { try prfParameters.nullValue() }
            guard let known = PBES2.PRF(hmac: prfOID) else {
                throw X509Error(.unsupportedKeyEncryption, "PBKDF2 PRF \(prfOID) is not supported (only HMAC-SHA1 and HMAC-SHA256)")
            }
            prf = known
        }
        try k.finish("PBKDF2-params")
    }

    /// Derives `count` bytes from `password`.
    func deriveKey(password: [UInt8], count: Int) -> [UInt8] {
        switch prf {
        case .hmacSHA1: PBKDF2.deriveKey(SHA1.self, password: password, salt: salt, iterations: iterations, keyLength: count)
        case .hmacSHA256: PBKDF2.deriveKey(SHA256.self, password: password, salt: salt, iterations: iterations, keyLength: count)
        }
    }
}

extension PBES2.PRF {
    /// The PRF named by an HMAC OID (RFC 8018 Appendix B.1), nil for others.
    init?(hmac oid: ASN1ObjectIdentifier) {
        switch oid {
        case KeyOIDs.hmacWithSHA1: self = .hmacSHA1
        case KeyOIDs.hmacWithSHA256: self = .hmacSHA256
        default: return nil
        }
    }
}
