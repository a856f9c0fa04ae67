/// A certification path that passed validation (or that the caller's hook accepted).
public struct ValidatedChain: Sendable {
    /// The path from the end-entity certificate (first) to the trust anchor (last). A
    /// trusted end-entity certificate on its own is a path of one.
    public let certificates: [Certificate]
    /// The failure the caller's hook chose to accept, if any; nil when every built-in
    /// check passed.
    public let acceptedFailure: CertificateValidationError?

    /// The end-entity (peer) certificate.
    public var leaf: Certificate? { certificates.first }
    /// The trusted certificate the path ends in.
    public var trustAnchor: Certificate? { certificates.last }

    init(certificates: [Certificate], acceptedFailure: CertificateValidationError? = nil) {
        self.certificates = certificates
        self.acceptedFailure = acceptedFailure
    }
}
