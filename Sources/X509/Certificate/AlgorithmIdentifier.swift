/// An AlgorithmIdentifier (RFC 5280 §4.1.1.2): an OID and optional DER parameters.
public struct AlgorithmIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The algorithm.
    public var oid: ASN1ObjectIdentifier
    /// The parameters as encoded (a whole DER element), or nil when absent.
    public var parameters: [UInt8]?

    /// An identifier from its parts.
    public init(oid: ASN1ObjectIdentifier, parameters: [UInt8]?) {
        self.oid = oid
        self.parameters = parameters
    }

    /// An RSA algorithm with the NULL parameters RFC 3279 §2.2.1 and RFC 4055 §5 require.
    public static func rsa(_ oid: ASN1ObjectIdentifier) -> AlgorithmIdentifier {
        AlgorithmIdentifier(oid: oid, parameters: [0x05, 0x00])
    }

    /// Parses `SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
    public init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "AlgorithmIdentifier")
        var fields = try node.children()
        oid = try fields.read(.objectIdentifier, "AlgorithmIdentifier.algorithm").objectIdentifier()
        parameters = fields.isAtEnd ? nil : Array(try fields.next().encodedBytes)
        try fields.finish("AlgorithmIdentifier")
    }

    /// Writes the identifier.
    public func write(to w: inout DERWriter) {
        w.sequence { w in
            w.objectIdentifier(oid)
            if let parameters { w.raw(parameters) }
        }
    }

    /// Whether the parameters are NULL or absent, as RSA algorithms need.
    var hasNullOrAbsentParameters: Bool { parameters == nil || parameters == [0x05, 0x00] }

    public var description: String { oid.opensslName ?? oid.description }
}

/// The signature algorithms of RSA certificates (RFC 3279 §2.2.1, RFC 4055 §5), as an
/// open set so that unknown identifiers survive parsing and are refused only when used.
public struct SignatureAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The algorithm's object identifier.
    public let oid: ASN1ObjectIdentifier

    /// The algorithm with this identifier.
    public init(oid: ASN1ObjectIdentifier) { self.oid = oid }

    /// md5WithRSAEncryption: refused by default in path validation (collisions, RFC 6151).
    public static let md5WithRSA = SignatureAlgorithm(oid: .md5WithRSAEncryption)
    /// sha1WithRSAEncryption.
    public static let sha1WithRSA = SignatureAlgorithm(oid: .sha1WithRSAEncryption)
    /// sha256WithRSAEncryption.
    public static let sha256WithRSA = SignatureAlgorithm(oid: .sha256WithRSAEncryption)

    /// The algorithms this module can verify and issue with.
    public static let supported: [SignatureAlgorithm] = [.md5WithRSA, .sha1WithRSA, .sha256WithRSA]

    public var description: String { oid.opensslName ?? oid.description }
}
