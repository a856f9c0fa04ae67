/// Why a certificate chain was rejected, and which certificate caused it.
///
/// ``depth`` counts as OpenSSL's error depth does: 0 is the peer's (end-entity)
/// certificate, 1 its issuer, and so on up to the trust anchor.
public struct CertificateValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The cause. Exhaustive, so that the handshake can map every case to a TLS alert in one
    /// total `switch` (STYLE.md §4); the suggested alert (RFC 2246 §7.2.2) is in each comment.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// The peer sent no certificate at all. Alert: `handshake_failure` (or
        /// `no_certificate` for SSLv3 peers).
        case noCertificate
        /// A presented certificate is not valid DER or not a well-formed X.509 certificate.
        /// Alert: `bad_certificate`.
        case malformedCertificate
        /// No issuer was found for a certificate, among the presented certificates or the
        /// trust store (name chaining failed; OpenSSL `unable to get issuer certificate`).
        /// Alert: `unknown_ca`.
        case unknownIssuer
        /// The chain ends in a self-issued certificate that is not in the trust store
        /// (OpenSSL `self signed certificate [in certificate chain]`). Alert: `unknown_ca`.
        case untrustedRoot
        /// A signature does not verify with the issuer's key. Alert: `bad_certificate`
        /// (OpenSSL sends `decrypt_error`).
        case badSignature
        /// The certificate's notAfter is before the validation time. Alert: `certificate_expired`.
        case expired
        /// The certificate's notBefore is after the validation time. Alert: `certificate_expired`
        /// (OpenSSL's choice; `bad_certificate` is also defensible).
        case notYetValid
        /// A certificate used to issue another is not a CA: no basicConstraints with cA
        /// TRUE, or a v1/v2 intermediate (RFC 5280 §6.1.4 (k)). Alert: `bad_certificate`.
        case notACA
        /// More non-self-issued intermediates follow a CA than its pathLenConstraint
        /// allows (RFC 5280 §6.1.4 (l), (m)). Alert: `bad_certificate`.
        case pathLengthExceeded
        /// A CA certificate has a keyUsage extension without keyCertSign (RFC 5280 §6.1.4 (n)),
        /// or the end-entity certificate's keyUsage does not allow the intended TLS use
        /// (``VerificationPolicy/requiredKeyUsage``). Alert: `unsupported_certificate`.
        case keyUsage
        /// The extKeyUsage of a certificate in the path (the end entity, a CA or the trust
        /// anchor) does not allow the required purpose (serverAuth or clientAuth).
        /// Alert: `unsupported_certificate`.
        case extendedKeyUsage
        /// A name of the certificate lies outside the permitted subtrees, or inside an
        /// excluded subtree, of a CA's nameConstraints (RFC 5280 §4.2.1.10; OpenSSL
        /// `permitted subtree violation`). Alert: `certificate_unknown` (as OpenSSL).
        case nameConstraints
        /// The end-entity certificate does not name the expected host (RFC 6125; OpenSSL
        /// `hostname mismatch`). Alert: `bad_certificate`.
        case hostnameMismatch
        /// The chain has more intermediate CAs than the configured verify depth (OpenSSL
        /// `certificate chain too long`). Alert: `bad_certificate`.
        case depthExceeded
        /// A signature algorithm or key type that this module does not implement (for
        /// example DSA or sha512WithRSAEncryption). Alert: `unsupported_certificate`.
        case unsupportedAlgorithm
        /// A signature algorithm refused by policy (md5WithRSAEncryption by default).
        /// Alert: `bad_certificate`.
        case weakSignatureAlgorithm
        /// An RSA key below the minimum size (1024 bits by default). Alert:
        /// `insufficient_security`.
        case weakKey
        /// A critical extension this module does not process (RFC 5280 §4.2).
        /// Alert: `unsupported_certificate`.
        case unhandledCriticalExtension
        /// The caller's verification hook rejected a chain that passed the built-in checks.
        /// Alert: `bad_certificate`.
        case rejectedByCaller
        /// A CRL lists the certificate (RFC 5280 §6.3.3 (i)). Alert: `certificate_revoked`.
        case revoked
        /// Revocation checking is on and no usable CRL covers the certificate: none given,
        /// wrong issuer or scope, bad signature, unsupported kind (delta, indirect) or
        /// critical extension (RFC 5280 §6.3.3 (k)). Alert: `certificate_unknown`.
        case revocationStatusUnknown
        /// The only CRL that covers the certificate is past its nextUpdate and the policy
        /// says ``RevocationPolicy/StaleCRLHandling/fail``. Alert: `certificate_unknown`.
        case staleCRL
    }

    /// The cause.
    public let reason: Reason
    /// The failing certificate's position: 0 the end entity, increasing toward the anchor.
    public let depth: Int
    /// The failing certificate, when there is one.
    public let certificate: Certificate?
    /// A sentence for people, naming the certificate and what was wrong.
    public let message: String

    /// Creates an error.
    public init(_ reason: Reason, depth: Int, certificate: Certificate?, _ message: String) {
        self.reason = reason
        self.depth = depth
        self.certificate = certificate
        self.message = message
    }

    public var description: String {
        let who = certificate.map { " [\($0.subject)]" } ?? ""
        return "certificate at depth \(depth)\(who): \(message) (\(reason.rawValue))"
    }

    /// Errors compare by reason and depth.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.reason == rhs.reason && lhs.depth == rhs.depth }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(reason)
        hasher.combine(depth)
    }
}
