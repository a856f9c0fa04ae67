/// basicConstraints (RFC 5280 §4.2.1.9): whether the subject is a CA, and how many
/// non-self-issued intermediate certificates may follow it.
public struct BasicConstraints: Hashable, Sendable {
    /// Whether the certified key may sign certificates.
    public var isCA: Bool
    /// The maximum number of non-self-issued intermediates below this CA, if limited.
    public var pathLengthConstraint: Int?

    /// Constraints from their parts.
    public init(isCA: Bool, pathLengthConstraint: Int? = nil) {
        self.isCA = isCA
        self.pathLengthConstraint = pathLengthConstraint
    }

    /// Parses `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "BasicConstraints")
        var fields = try node.children()
        isCA = try fields.readIfPresent(.boolean)?.booleanValue() ?? false
        if let n = try fields.readIfPresent(.integer) {
            let value = try n.integerValue()
            guard value >= 0 else {
                throw X509Error(.invalidExtension, "negative pathLenConstraint", offset: n.offset)
            }
            pathLengthConstraint = value
        }
        try fields.finish("BasicConstraints")
    }

    /// The DER of the extension value.
    var encoded: [UInt8] {
        var w = DERWriter()
        w.sequence { w in
            if isCA { w.boolean(true) }
            if let pathLengthConstraint { w.integer(pathLengthConstraint) }
        }
        return w.bytes
    }
}
