/// Certificate revocation checking with CRLs (RFC 5280 §6.3), set on
/// ``VerificationPolicy/revocation``. Nil there means no revocation checking.
///
/// ```swift
/// var policy = VerificationPolicy(time: now)
/// policy.revocation = RevocationPolicy(crls: try CertificateRevocationList.load(contentsOfFile: "ca.crl"), scope: .chain)
/// ```
///
/// What is supported: complete CRLs (v1 and v2) issued by the certificate's issuer, or by
/// another certificate of the same name whose own path validates to the same trust anchor
/// (RFC 5280 §6.3.3 (f)); issuingDistributionPoint scopes (distribution point names,
/// onlyContainsUserCerts/CACerts/AttributeCerts, onlySomeReasons) against the
/// certificate's cRLDistributionPoints. What is refused with a clear reason: delta CRLs,
/// indirect CRLs (indirectCRL, cRLIssuer), and CRLs with critical extensions this module
/// does not process.
public struct RevocationPolicy: Sendable {
    /// Which certificates of the path are checked (DCMTK `+crv` / `+cra`).
    public enum Scope: String, Sendable, CaseIterable {
        /// Only the peer's (end-entity) certificate: DCMTK `+crv`, OpenSSL `-crl_check`.
        case leaf
        /// Every certificate below the trust anchor: DCMTK `+cra`, OpenSSL `-crl_check_all`.
        case chain
    }

    /// What a CRL past its nextUpdate does.
    public enum StaleCRLHandling: String, Sendable, CaseIterable {
        /// The CRL is not used; without another CRL the status is unknown and validation fails.
        case fail
        /// The CRL is used, and ``RevocationPolicy/onWarning`` hears about it.
        case warn
    }

    /// The CRLs to consult (the `--crl-file` contents).
    public var crls: [CertificateRevocationList]
    /// Which certificates are checked.
    public var scope: Scope
    /// What a stale CRL (nextUpdate in the past) does.
    public var staleCRL: StaleCRLHandling
    /// Certificates that may have signed CRLs (besides the path and the trust store),
    /// e.g. a CA's separate CRL-signing certificate.
    public var crlSigners: [Certificate]
    /// Receives warnings (a stale CRL used under ``StaleCRLHandling/warn``).
    public var onWarning: (@Sendable (String) -> Void)?

    /// How many CRL-signer paths may be validated inside one another (hostile input bound).
    static let maximumSignerNesting = 2
    /// The nesting level of this validation (0 for the peer's path).
    var signerNesting = 0

    /// A policy checking `crls`; by default the leaf only, failing on stale CRLs.
    public init(
        crls: [CertificateRevocationList], scope: Scope = .leaf, staleCRL: StaleCRLHandling = .fail,
        crlSigners: [Certificate] = [], onWarning: (@Sendable (String) -> Void)? = nil
    ) {
        self.crls = crls
        self.scope = scope
        self.staleCRL = staleCRL
        self.crlSigners = crlSigners
        self.onWarning = onWarning
    }
}
