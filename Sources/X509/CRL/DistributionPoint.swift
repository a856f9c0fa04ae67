/// A DistributionPointName (RFC 5280 §4.2.1.13): where a CRL is published, as full names
/// or as one RDN to append to the CRL issuer's name.
public enum DistributionPointName: Hashable, Sendable {
    /// fullName `[0]`: general names (usually a URI or a directory name).
    case fullName([GeneralName])
    /// nameRelativeToCRLIssuer `[1]`: one RDN appended to the CRL issuer's name.
    case relativeToIssuer([DistinguishedName.Attribute])

    /// Parses the CHOICE inside the explicit `[0]` of a DistributionPoint or IDP.
    init(_ outer: ASN1Node) throws(X509Error) {
        var inner = try outer.children()
        let node = try inner.next()
        try inner.finish("DistributionPointName")
        switch node.identifier {
        case .contextSpecific(0, constructed: true):
            var reader = try node.children()
            var names: [GeneralName] = []
            while !reader.isAtEnd { names.append(try GeneralName(reader.next())) }
            guard !names.isEmpty else { throw node.error(.invalidExtension, "fullName holds no GeneralName") }
            self = .fullName(names)
        case .contextSpecific(1, constructed: true):
            // Re-read the IMPLICIT SET as a one-RDN Name so the Name parser checks it.
            var set = DERWriter()
            set.element(.set, content: node.content)
            var name = DERWriter()
            name.element(.sequence, content: set.bytes)
            let parsed = try DistinguishedName(DER.parse(name.bytes))
            guard let rdn = parsed.rdns.first else { throw node.error(.invalidExtension, "empty nameRelativeToCRLIssuer") }
            self = .relativeToIssuer(rdn)
        default:
            throw node.error(.invalidExtension, "DistributionPointName has an unknown tag \(node.identifier)")
        }
    }

    /// The general names this point stands for, with relative names resolved against the
    /// name of the CRL issuer (RFC 5280 §6.3.3 (b)(2)(i)).
    func names(crlIssuer: DistinguishedName) -> [GeneralName] {
        switch self {
        case .fullName(let names): names
        case .relativeToIssuer(let rdn): [.directoryName(DistinguishedName(rdns: crlIssuer.rdns + [rdn]))]
        }
    }
}

/// One DistributionPoint of a certificate's cRLDistributionPoints extension (RFC 5280
/// §4.2.1.13).
public struct DistributionPoint: Hashable, Sendable {
    /// Where the CRL is, if named.
    public let name: DistributionPointName?
    /// The reasons the CRL there covers; nil for all.
    public let reasons: ReasonFlags?
    /// The CRL issuer when it is not the certificate's issuer (indirect CRLs; not supported
    /// in revocation checking, which then refuses with a clear reason).
    public let crlIssuer: [GeneralName]?

    /// Parses `DistributionPoint ::= SEQUENCE { [0] name, [1] reasons, [2] cRLIssuer }`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "DistributionPoint")
        var fields = try node.children()
        name = try fields.readIfPresent(.contextSpecific(0, constructed: true)).map { n throws(X509Error) in try DistributionPointName(n) }
        reasons = try fields.readIfPresent(.contextSpecific(1, constructed: false)).map { n throws(X509Error) in
            try ReasonFlags(n, tag: .contextSpecific(1, constructed: false))
        }
        if let issuers = try fields.readIfPresent(.contextSpecific(2, constructed: true)) {
            var reader = try issuers.children()
            var names: [GeneralName] = []
            while !reader.isAtEnd { names.append(try GeneralName(reader.next())) }
            guard !names.isEmpty else { throw issuers.error(.invalidExtension, "cRLIssuer holds no GeneralName") }
            crlIssuer = names
        } else {
            crlIssuer = nil
        }
        try fields.finish("DistributionPoint")
        guard name != nil || crlIssuer != nil else {
            throw node.error(.invalidExtension, "a DistributionPoint needs a distributionPoint or a cRLIssuer (RFC 5280 §4.2.1.13)")
        }
    }
}

extension Certificate {
    /// The cRLDistributionPoints extension (RFC 5280 §4.2.1.13), decoded; nil when absent.
    ///
    /// - Throws: ``X509Error/Code/invalidExtension`` when it is malformed.
    public func crlDistributionPoints() throws(X509Error) -> [DistributionPoint]? {
        guard let ext = extensions[.crlDistributionPoints] else { return nil }
        let node = try DER.parse(ext.value)
        try node.expect(.sequence, "CRLDistributionPoints")
        var reader = try node.children()
        var points: [DistributionPoint] = []
        while !reader.isAtEnd { points.append(try DistributionPoint(reader.next())) }
        guard !points.isEmpty else { throw node.error(.invalidExtension, "empty cRLDistributionPoints") }
        return points
    }
}
