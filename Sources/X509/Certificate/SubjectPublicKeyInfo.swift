/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): the certified key, kept as encoded.
///
/// Only RSA keys are used by this stack; other algorithms parse and are refused by path
/// validation with `unsupportedAlgorithm`.
public struct SubjectPublicKeyInfo: Hashable, Sendable {
    /// The key algorithm (``ASN1ObjectIdentifier/rsaEncryption`` for RSA).
    public let algorithm: AlgorithmIdentifier
    /// The contents of the subjectPublicKey BIT STRING (for RSA, a PKCS #1 RSAPublicKey).
    public let keyBytes: [UInt8]
    /// The whole SubjectPublicKeyInfo as encoded.
    public let encodedBytes: [UInt8]

    /// Parses `SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
    public init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "SubjectPublicKeyInfo")
        var fields = try node.children()
        algorithm = try AlgorithmIdentifier(fields.read(.sequence, "SubjectPublicKeyInfo.algorithm"))
        let bits = try fields.read(.bitString, "subjectPublicKey").bitString()
        guard bits.unusedBits == 0 else {
            throw X509Error(.invalidCertificate, "subjectPublicKey is not a whole number of bytes", offset: node.offset)
        }
        keyBytes = Array(bits.bytes)
        try fields.finish("SubjectPublicKeyInfo")
        encodedBytes = Array(node.encodedBytes)
    }

    /// A key info from an algorithm and key bytes.
    public init(algorithm: AlgorithmIdentifier, keyBytes: [UInt8]) {
        self.algorithm = algorithm
        self.keyBytes = keyBytes
        var w = DERWriter()
        w.sequence { w in
            algorithm.write(to: &w)
            w.bitString(keyBytes)
        }
        encodedBytes = w.bytes
    }

    /// Whether this is an RSA key.
    public var isRSA: Bool { algorithm.oid == .rsaEncryption }
}
