/// One certificate extension as encoded (RFC 5280 §4.1.2.9 and §4.2).
public struct Extension: Hashable, Sendable {
    /// The extension's identifier.
    public var oid: ASN1ObjectIdentifier
    /// Whether a validator that does not understand it must reject the certificate.
    public var isCritical: Bool
    /// The contents of `extnValue`: the DER of the extension's own syntax.
    public var value: [UInt8]

    /// An extension from its parts.
    public init(oid: ASN1ObjectIdentifier, isCritical: Bool, value: [UInt8]) {
        self.oid = oid
        self.isCritical = isCritical
        self.value = value
    }

    /// Parses `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "Extension")
        var fields = try node.children()
        oid = try fields.read(.objectIdentifier, "Extension.extnID").objectIdentifier()
        isCritical = try fields.readIfPresent(.boolean)?.booleanValue() ?? false
        value = Array(try fields.read(.octetString, "Extension.extnValue").octetString())
        try fields.finish("Extension")
    }

    /// Writes the extension (`critical` only when true, as DER requires for a DEFAULT).
    func write(to w: inout DERWriter) {
        w.sequence { w in
            w.objectIdentifier(oid)
            if isCritical { w.boolean(true) }
            w.octetString(value)
        }
    }
}
