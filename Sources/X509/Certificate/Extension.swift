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

/// The extensions of a certificate, with the ones this module understands decoded.
///
/// Decoding happens once at parse time; a malformed known extension makes the whole
/// certificate fail to parse with ``X509Error/Code/invalidExtension``.
public struct Extensions: Sendable {
    /// Every extension in encoding order.
    public let all: [Extension]
    /// basicConstraints, if present.
    public let basicConstraints: BasicConstraints?
    /// keyUsage, if present.
    public let keyUsage: KeyUsage?
    /// extKeyUsage, if present.
    public let extendedKeyUsage: ExtendedKeyUsage?
    /// subjectAltName, if present.
    public let subjectAlternativeNames: [GeneralName]?
    /// subjectKeyIdentifier, if present.
    public let subjectKeyIdentifier: [UInt8]?
    /// authorityKeyIdentifier, if present.
    public let authorityKeyIdentifier: AuthorityKeyIdentifier?

    /// The identifiers this module processes during path validation; a critical extension
    /// not in this list makes a certificate unusable (RFC 5280 §4.2).
    public static let handled: Set<ASN1ObjectIdentifier> = [
        .basicConstraints, .keyUsage, .extendedKeyUsage, .subjectAltName,
        .subjectKeyIdentifier, .authorityKeyIdentifier,
    ]

    /// Critical extensions this module does not process.
    public var unhandledCritical: [ASN1ObjectIdentifier] {
        all.filter { $0.isCritical && !Self.handled.contains($0.oid) }.map(\.oid)
    }

    /// The extension with identifier `oid`, if present.
    public subscript(oid: ASN1ObjectIdentifier) -> Extension? { all.first { $0.oid == oid } }

    /// No extensions (v1 and v2 certificates).
    static let none = Extensions(all: [], bc: nil, ku: nil, eku: nil, san: nil, ski: nil, aki: nil)

    private init(
        all: [Extension], bc: BasicConstraints?, ku: KeyUsage?, eku: ExtendedKeyUsage?,
        san: [GeneralName]?, ski: [UInt8]?, aki: AuthorityKeyIdentifier?
    ) {
        self.all = all
        basicConstraints = bc
        keyUsage = ku
        extendedKeyUsage = eku
        subjectAlternativeNames = san
        subjectKeyIdentifier = ski
        authorityKeyIdentifier = aki
    }

    /// Parses `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` and decodes known ones.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "Extensions")
        var reader = try node.children()
        var all: [Extension] = []
        while !reader.isAtEnd {
            let ext = try Extension(reader.next())
            guard !all.contains(where: { $0.oid == ext.oid }) else {
                throw X509Error(.invalidExtension, "extension \(ext.oid) appears twice (RFC 5280 §4.2)", offset: node.offset)
            }
            all.append(ext)
        }
        guard !all.isEmpty else {
            throw X509Error(.invalidExtension, "extensions field is present but empty", offset: node.offset)
        }
        func decode<T>(_ oid: ASN1ObjectIdentifier, _ f: (ASN1Node) throws(X509Error) -> T) throws(X509Error) -> T? {
            guard let ext = all.first(where: { $0.oid == oid }) else { return nil }
            do {
                return try f(DER.parse(ext.value))
            } catch {
                throw X509Error(.invalidExtension, "extension \(oid.opensslName ?? oid.description) is malformed: \(error.message)")
            }
        }
        self.init(
            all: all,
            bc: try decode(.basicConstraints) { n throws(X509Error) in try BasicConstraints(n) },
            ku: try decode(.keyUsage) { n throws(X509Error) in try KeyUsage(n) },
            eku: try decode(.extendedKeyUsage) { n throws(X509Error) in try ExtendedKeyUsage(n) },
            san: try decode(.subjectAltName) { n throws(X509Error) in try GeneralName.parseSequence(n) },
            ski: try decode(.subjectKeyIdentifier) { n throws(X509Error) in Array(try n.octetString()) },
            aki: try decode(.authorityKeyIdentifier) { n throws(X509Error) in try AuthorityKeyIdentifier(n) })
    }
}
