/// extKeyUsage (RFC 5280 §4.2.1.12): the purposes the certified key may serve.
public struct ExtendedKeyUsage: Hashable, Sendable, CustomStringConvertible {
    /// The key purpose identifiers, e.g. ``ASN1ObjectIdentifier/serverAuth``.
    public var purposes: [ASN1ObjectIdentifier]

    /// A usage list.
    public init(_ purposes: [ASN1ObjectIdentifier]) { self.purposes = purposes }

    /// Whether `purpose` is allowed: listed, or anyExtendedKeyUsage is listed.
    public func allows(_ purpose: ASN1ObjectIdentifier) -> Bool {
        purposes.contains(purpose) || purposes.contains(.anyExtendedKeyUsage)
    }

    /// Parses `SEQUENCE SIZE (1..MAX) OF KeyPurposeId`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "ExtKeyUsageSyntax")
        var reader = try node.children()
        var purposes: [ASN1ObjectIdentifier] = []
        while !reader.isAtEnd { purposes.append(try reader.read(.objectIdentifier, "KeyPurposeId").objectIdentifier()) }
        guard !purposes.isEmpty else { throw X509Error(.invalidExtension, "empty extKeyUsage", offset: node.offset) }
        self.purposes = purposes
    }

    /// The DER of the extension value.
    var encoded: [UInt8] {
        var w = DERWriter()
        w.sequence { w in for p in purposes { w.objectIdentifier(p) } }
        return w.bytes
    }

    public var description: String { purposes.map { $0.opensslName ?? $0.description }.joined(separator: ", ") }
}
