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
    /// nameConstraints, if present (critical or not).
    public let nameConstraints: NameConstraints?

    /// The identifiers this module processes during path validation; a critical extension
    /// not in this list makes a certificate unusable (RFC 5280 §4.2).
    public static let handled: Set<ASN1ObjectIdentifier> = [
        .basicConstraints, .keyUsage, .extendedKeyUsage, .subjectAltName,
        .subjectKeyIdentifier, .authorityKeyIdentifier, .nameConstraints,
    ]

    /// Critical extensions this module does not process.
    public var unhandledCritical: [ASN1ObjectIdentifier] {
        all.filter { $0.isCritical && !Self.handled.contains($0.oid) }.map(\.oid)
    }

    /// The extension with identifier `oid`, if present.
    public subscript(oid: ASN1ObjectIdentifier) -> Extension? { all.first { $0.oid == oid } }

    /// No extensions (v1 and v2 certificates).
    static let none = Extensions(all: [], bc: nil, ku: nil, eku: nil, san: nil, ski: nil, aki: nil, nc: nil)

    private init(
        all: [Extension], bc: BasicConstraints?, ku: KeyUsage?, eku: ExtendedKeyUsage?,
        san: [GeneralName]?, ski: [UInt8]?, aki: AuthorityKeyIdentifier?, nc: NameConstraints?
    ) {
        self.all = all
        basicConstraints = bc
        keyUsage = ku
        extendedKeyUsage = eku
        subjectAlternativeNames = san
        subjectKeyIdentifier = ski
        authorityKeyIdentifier = aki
        nameConstraints = nc
    }

    /// Parses `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` and decodes known ones.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "Extensions")
        var reader = try node.children()
        var all: [Extension] = []
        var seen = Set<ASN1ObjectIdentifier>()  // linear, not a scan per extension (review finding F11)
        while !reader.isAtEnd {
            let ext = try Extension(reader.next())
            guard seen.insert(ext.oid).inserted else {
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
            aki: try decode(.authorityKeyIdentifier) { n throws(X509Error) in try AuthorityKeyIdentifier(n) },
            nc: try decode(.nameConstraints) { n throws(X509Error) in try NameConstraints(n) })
    }
}
