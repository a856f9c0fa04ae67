/// What path validation accepts. A plain value with strict defaults; the validation time
/// is always supplied by the caller (the core reads no clock, STYLE.md §2).
public struct VerificationPolicy: Sendable {
    /// The time at which every certificate must be valid.
    public var time: ASN1Time
    /// The maximum number of intermediate CA certificates, with OpenSSL's `-verify_depth`
    /// meaning: neither the end entity nor the trust anchor counts, so a chain may hold
    /// up to `maximumDepth + 2` certificates. OpenSSL's default is 100.
    public var maximumDepth: Int = 100
    /// Whether md5WithRSAEncryption signatures are accepted (off: MD5 collisions, RFC 6151).
    public var allowsMD5Signatures = false
    /// Whether sha1WithRSAEncryption signatures are accepted (on: TLS 1.0 era PKIs).
    public var allowsSHA1Signatures = true
    /// The smallest RSA modulus accepted in any certificate of the path, in bits.
    public var minimumRSAKeyBits = 1024
    /// A key purpose every certificate of the path that has extKeyUsage must allow (the
    /// end entity, every CA and the trust anchor: extKeyUsage is intersected down the path,
    /// as OpenSSL, Go and webpki do), e.g. ``ASN1ObjectIdentifier/serverAuth`` for a TLS
    /// client checking its server. ``require(_:)`` sets it for a TLS use.
    public var requiredPurpose: ASN1ObjectIdentifier?
    /// The key usages a present keyUsage extension of the end-entity certificate must all
    /// assert (RFC 5280 §4.2.1.3); empty for no requirement. ``require(_:)`` sets it for a
    /// TLS use.
    public var requiredKeyUsage: KeyUsage = []
    /// A host name or IP literal the end-entity certificate must name (RFC 6125; see
    /// ``Certificate/matches(host:)``), e.g. the server name a TLS client connected to.
    /// Nil skips the check, as DICOM deployments that pin a private CA often do.
    public var expectedHost: String?
    /// CRL checking (RFC 5280 §6.3); nil checks no revocation status.
    public var revocation: RevocationPolicy?

    /// A policy validating at `time` with the defaults above.
    public init(time: ASN1Time) {
        self.time = time
    }

    /// A policy validating at `secondsSince1970` (Unix time).
    ///
    /// - Throws: ``X509Error/Code/invalidTime`` for times outside years 0–9999.
    public init(secondsSince1970: Int64) throws(X509Error) {
        guard let time = ASN1Time(secondsSince1970: secondsSince1970) else {
            throw X509Error(.invalidTime, "validation time \(secondsSince1970) is outside years 0–9999")
        }
        self.init(time: time)
    }

    /// Whether signatures made with `algorithm` are acceptable under this policy.
    func accepts(_ algorithm: SignatureAlgorithm) -> Bool {
        switch algorithm {
        case .md5WithRSA: allowsMD5Signatures
        case .sha1WithRSA: allowsSHA1Signatures
        default: true
        }
    }
}
