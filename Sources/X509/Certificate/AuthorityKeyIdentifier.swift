/// authorityKeyIdentifier (RFC 5280 §4.2.1.1): which key of the issuer signed this.
public struct AuthorityKeyIdentifier: Hashable, Sendable {
    /// keyIdentifier `[0]`: normally the issuer's subjectKeyIdentifier.
    public var keyIdentifier: [UInt8]?
    /// authorityCertIssuer `[1]`.
    public var issuer: [GeneralName]?
    /// authorityCertSerialNumber `[2]`, as INTEGER contents.
    public var serialNumber: [UInt8]?

    /// An identifier naming the issuer's key.
    public init(keyIdentifier: [UInt8]?) { self.keyIdentifier = keyIdentifier }

    /// Parses the SEQUENCE of three optional implicitly tagged fields.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "AuthorityKeyIdentifier")
        var fields = try node.children()
        let kid = ASN1Identifier.contextSpecific(0, constructed: false)
        keyIdentifier = try fields.readIfPresent(kid).map { n throws(X509Error) in Array(try n.octetString(tag: kid)) }
        let issuerTag = ASN1Identifier.contextSpecific(1, constructed: true)
        if let n = try fields.readIfPresent(issuerTag) {
            var names: [GeneralName] = []
            var reader = try n.children()
            while !reader.isAtEnd { names.append(try GeneralName(reader.next())) }
            issuer = names
        }
        let serialTag = ASN1Identifier.contextSpecific(2, constructed: false)
        serialNumber = try fields.readIfPresent(serialTag).map { n throws(X509Error) in Array(try n.integerBytes(tag: serialTag)) }
        try fields.finish("AuthorityKeyIdentifier")
    }

    /// The DER of the extension value (key identifier only, as issuers normally write).
    var encoded: [UInt8] {
        var w = DERWriter()
        w.sequence { w in
            if let keyIdentifier { w.octetString(keyIdentifier, tag: .contextSpecific(0, constructed: false)) }
        }
        return w.bytes
    }
}
