/// The validity period of a certificate (RFC 5280 §4.1.2.5), both ends inclusive.
public struct Validity: Hashable, Sendable {
    /// The first second the certificate is valid.
    public var notBefore: ASN1Time
    /// The last second the certificate is valid.
    public var notAfter: ASN1Time

    /// A period from its two ends.
    public init(notBefore: ASN1Time, notAfter: ASN1Time) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Parses `SEQUENCE { notBefore Time, notAfter Time }`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "Validity")
        var fields = try node.children()
        guard !fields.isAtEnd else { throw X509Error(.invalidCertificate, "Validity is empty", offset: node.offset) }
        notBefore = try fields.next().time()
        guard !fields.isAtEnd else { throw X509Error(.invalidCertificate, "Validity has no notAfter", offset: node.offset) }
        notAfter = try fields.next().time()
        try fields.finish("Validity")
    }

    /// Whether `time` lies within the period.
    public func contains(_ time: ASN1Time) -> Bool { notBefore <= time && time <= notAfter }

    func write(to w: inout DERWriter) {
        w.sequence { w in
            w.time(notBefore)
            w.time(notAfter)
        }
    }
}
