/// The issuingDistributionPoint CRL extension (RFC 5280 §5.2.5): which certificates and
/// reasons a CRL covers.
public struct IssuingDistributionPoint: Hashable, Sendable {
    /// The distribution point this CRL is published at, if named.
    public let name: DistributionPointName?
    /// The CRL lists only end-entity certificates.
    public let onlyContainsUserCerts: Bool
    /// The CRL lists only CA certificates.
    public let onlyContainsCACerts: Bool
    /// The reasons the CRL covers; nil for all.
    public let onlySomeReasons: ReasonFlags?
    /// The CRL may list certificates of other issuers (not supported in checking).
    public let indirectCRL: Bool
    /// The CRL lists only attribute certificates (never usable for X.509 certificates).
    public let onlyContainsAttributeCerts: Bool

    /// Parses the extension value; DEFAULT FALSE booleans must be absent when false (DER).
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "IssuingDistributionPoint")
        var fields = try node.children()
        func flag(_ n: UInt32, _ what: String) throws(X509Error) -> Bool {
            let tag = ASN1Identifier.contextSpecific(n, constructed: false)
            guard let f = try fields.readIfPresent(tag) else { return false }
            guard try f.booleanValue(tag: tag) else {
                throw f.error(.invalidExtension, "\(what) is encoded as FALSE, which DER omits (DEFAULT FALSE)")
            }
            return true
        }
        name = try fields.readIfPresent(.contextSpecific(0, constructed: true)).map { n throws(X509Error) in try DistributionPointName(n) }
        onlyContainsUserCerts = try flag(1, "onlyContainsUserCerts")
        onlyContainsCACerts = try flag(2, "onlyContainsCACerts")
        onlySomeReasons = try fields.readIfPresent(.contextSpecific(3, constructed: false)).map { n throws(X509Error) in
            try ReasonFlags(n, tag: .contextSpecific(3, constructed: false))
        }
        indirectCRL = try flag(4, "indirectCRL")
        onlyContainsAttributeCerts = try flag(5, "onlyContainsAttributeCerts")
        try fields.finish("IssuingDistributionPoint")
        let scopes = [onlyContainsUserCerts, onlyContainsCACerts, onlyContainsAttributeCerts].filter { $0 }.count
        guard scopes <= 1 else {
            throw node.error(.invalidExtension, "at most one of onlyContainsUserCerts, onlyContainsCACerts and onlyContainsAttributeCerts may be TRUE (RFC 5280 §5.2.5)")
        }
    }
}
