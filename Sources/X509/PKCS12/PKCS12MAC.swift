import CryptoPrimitives

/// The integrity check of a PFX in password integrity mode (RFC 7292 §4 `MacData`, §5.1):
/// HMAC with SHA-1 or SHA-256 keyed by the PKCS#12 KDF (ID 3), or PBMAC1 (RFC 9579:
/// PBKDF2 then HMAC, written by OpenSSL 3.4's `-pbmac1_pbkdf2`).
struct PKCS12MAC: Sendable {
    enum Scheme: Sendable {
        /// HMAC-`digest` keyed by the PKCS#12 KDF over the BMPString password.
        case pkcs12KDF(digest: PBES2.PRF, salt: [UInt8], iterations: Int)
        /// PBMAC1: HMAC-`hmac` keyed by PBKDF2 over the UTF-8 password.
        case pbmac1(kdf: PBKDF2Parameters, keyByteCount: Int, hmac: PBES2.PRF)
    }

    var scheme: Scheme
    var expected: [UInt8]

    /// The longest PBMAC1 key accepted (RFC 9579 uses 32 bytes for HMAC-SHA256).
    static let maximumPBMAC1KeyByteCount = 64

    /// Parses `MacData`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "MacData")
        var r = try node.children()
        let digestInfo = try r.read(.sequence, "MacData mac")
        let salt = Array(try r.read(.octetString, "MacData macSalt").octetString())
        let iterationsNode = try r.readIfPresent(.integer)
        try r.finish("MacData")
        let iterations = try iterationsNode.map { node throws(X509Error) in try PBES2.checkedIterations(node) } ?? 1

        var d = try digestInfo.children()
        let (oid, parameters) = try d.read(.sequence, "MacData digestAlgorithm").algorithmIdentifier("MacData digestAlgorithm")
        expected = Array(try d.read(.octetString, "MacData digest").octetString())
        try d.finish("DigestInfo")
        switch oid {
        case KeyOIDs.sha1, KeyOIDs.sha256:
            if let parameters { try parameters.nullValue() }
            scheme = .pkcs12KDF(digest: oid == KeyOIDs.sha1 ? .hmacSHA1 : .hmacSHA256, salt: salt, iterations: iterations)
        case KeyOIDs.pbmac1:
            guard let parameters else { throw X509Error(.invalidPKCS12, "PBMAC1 without parameters") }
            scheme = try Self.pbmac1(parameters)
        default:
            throw X509Error(.unsupportedKeyEncryption,
                            "PKCS#12 MAC digest \(oid) is not supported (SHA-1, SHA-256 and PBMAC1 are); re-export with `openssl pkcs12 -export -macalg sha256`")
        }
        guard expected.count == scheme.macByteCount else {
            throw X509Error(.invalidPKCS12, "PKCS#12 MAC of \(expected.count) bytes, expected \(scheme.macByteCount)")
        }
    }

    /// The KDF iterations (for the work budget).
    var iterations: Int {
        switch scheme {
        case .pkcs12KDF(_, _, let n): n
        case .pbmac1(let kdf, _, _): kdf.iterations
        }
    }

    /// Whether the MAC over `content` verifies under the UTF-8 `password`. For an empty
    /// password the absent-password encoding is tried too, as OpenSSL does (`PKCS12_verify_mac`).
    func verifies(_ content: ArraySlice<UInt8>, password: [UInt8]) -> Bool {
        switch scheme {
        case .pkcs12KDF:
            var bmp = PKCS12KDF.bmpPassword(password)
            defer { SecureMemory.wipe(&bmp) }
            return check(content, bmp) || (password.isEmpty && check(content, []))
        case .pbmac1:
            return check(content, password)
        }
    }

    /// A new MAC over `content` (the DER `AuthenticatedSafe`): HMAC-`digest` keyed by the
    /// PKCS#12 KDF (ID 3) from the BMPString of the UTF-8 `password`.
    init(authenticating content: [UInt8], password: [UInt8], digest: PBES2.PRF, salt: [UInt8], iterations: Int) {
        scheme = .pkcs12KDF(digest: digest, salt: salt, iterations: iterations)
        expected = []
        var bmp = PKCS12KDF.bmpPassword(password)
        defer { SecureMemory.wipe(&bmp) }
        expected = mac(content[...], bmp)
    }

    /// Writes `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER }`
    /// (only the PKCS#12 KDF schemes are written).
    func write(_ w: inout DERWriter) {
        guard case .pkcs12KDF(let digest, let salt, let iterations) = scheme else { return }
        w.sequence { macData in
            macData.sequence { digestInfo in
                digestInfo.sequence { alg in
                    alg.objectIdentifier(digest == .hmacSHA1 ? KeyOIDs.sha1 : KeyOIDs.sha256)
                    alg.null()
                }
                digestInfo.octetString(expected)
            }
            macData.octetString(salt)
            macData.integer(iterations)
        }
    }

    private func check(_ content: ArraySlice<UInt8>, _ password: [UInt8]) -> Bool {
        ConstantTime.equal(mac(content, password), expected)
    }

    /// The MAC of `content` under `password` (BMPString for the PKCS#12 KDF, UTF-8 for PBMAC1).
    private func mac(_ content: ArraySlice<UInt8>, _ password: [UInt8]) -> [UInt8] {
        var key: [UInt8]
        let mac: [UInt8]
        switch scheme {
        case .pkcs12KDF(let digest, let salt, let iterations):
            switch digest {
            case .hmacSHA1:
                key = PKCS12KDF.derive(SHA1.self, purpose: .mac, password: password, salt: salt, iterations: iterations, count: 20)
                mac = Self.hmac(SHA1.self, key: key, content)
            case .hmacSHA256:
                key = PKCS12KDF.derive(SHA256.self, purpose: .mac, password: password, salt: salt, iterations: iterations, count: 32)
                mac = Self.hmac(SHA256.self, key: key, content)
            }
        case .pbmac1(let kdf, let count, let hmac):
            key = kdf.deriveKey(password: password, count: count)
            switch hmac {
            case .hmacSHA1: mac = Self.hmac(SHA1.self, key: key, content)
            case .hmacSHA256: mac = Self.hmac(SHA256.self, key: key, content)
            }
        }
        SecureMemory.wipe(&key)
        return mac
    }

    private static func hmac<H: HashFunction>(_: H.Type, key: [UInt8], _ content: ArraySlice<UInt8>) -> [UInt8] {
        var c = HMAC<H>(key: key).begin()
        unsafe content.withUnsafeBytes { unsafe c.update($0) }
        return c.finalize()
    }

    /// `PBMAC1-params ::= SEQUENCE { keyDerivationFunc (PBKDF2), messageAuthScheme (HMAC) }` (RFC 8018 A.5).
    private static func pbmac1(_ parameters: ASN1Node) throws(X509Error) -> Scheme {
        try parameters.expect(.sequence, "PBMAC1-params")
        var p = try parameters.children()
        let (kdf, kdfParameters) = try p.read(.sequence, "PBMAC1 keyDerivationFunc").algorithmIdentifier("PBMAC1 keyDerivationFunc")
        let (macOID, macParameters) = try p.read(.sequence, "PBMAC1 messageAuthScheme").algorithmIdentifier("PBMAC1 messageAuthScheme")
        try p.finish("PBMAC1-params")
        if let macParameters { try macParameters.nullValue() }
        guard let hmac = PBES2.PRF(hmac: macOID) else {
            throw X509Error(.unsupportedKeyEncryption, "PBMAC1 MAC \(macOID) is not supported (HMAC-SHA1 and HMAC-SHA256 are)")
        }
        let pbkdf2 = try PBKDF2Parameters(kdf: kdf, parameters: kdfParameters, "PBMAC1")
        // RFC 9579 §5: keyLength is required for PBMAC1.
        guard let keyByteCount = pbkdf2.keyByteCount, (1...maximumPBMAC1KeyByteCount).contains(keyByteCount) else {
            throw X509Error(.invalidPKCS12, "PBMAC1 key length must be given and within 1…\(maximumPBMAC1KeyByteCount)")
        }
        return .pbmac1(kdf: pbkdf2, keyByteCount: keyByteCount, hmac: hmac)
    }
}

extension PKCS12MAC.Scheme {
    /// The length of the MAC value.
    var macByteCount: Int {
        switch self {
        case .pkcs12KDF(.hmacSHA1, _, _), .pbmac1(_, _, .hmacSHA1): 20
        case .pkcs12KDF(.hmacSHA256, _, _), .pbmac1(_, _, .hmacSHA256): 32
        }
    }
}
