/// Builds and validates certification paths (RFC 5280 §6.1, the subset a TLS peer needs:
/// signatures, validity, name chaining, basicConstraints and pathLenConstraint, keyUsage
/// and extKeyUsage for the intended TLS use, name constraints, critical extensions, verify
/// depth, key sizes, CRLs when the policy asks (see ``RevocationPolicy``); no certificate
/// policies).
///
/// ```swift
/// let validator = PathValidator(trustStore: store, policy: VerificationPolicy(time: now))
/// let chain = try validator.validate(peerCertificates)   // throws CertificateValidationError
/// ```
public struct PathValidator: Sendable {
    /// A caller's last word on a chain, called once after the built-in checks with the
    /// path that was built (or the presented certificates when none was) and the outcome.
    /// Return true to accept, false to reject. Accepting a failure is an explicit decision
    /// to trust what the checks refused; the failure is kept in
    /// ``ValidatedChain/acceptedFailure``.
    public typealias Hook = @Sendable (_ chain: [Certificate], _ result: Result<ValidatedChain, CertificateValidationError>) -> Bool

    /// The trust anchors.
    public var trustStore: TrustStore
    /// What is accepted, and at which time.
    public var policy: VerificationPolicy

    /// A validator for a trust store and a policy.
    public init(trustStore: TrustStore, policy: VerificationPolicy) {
        self.trustStore = trustStore
        self.policy = policy
    }

    /// Validates DER certificates as a TLS Certificate message carries them (peer first).
    public func validate(derEncoded: [[UInt8]], hook: Hook? = nil) throws(CertificateValidationError) -> ValidatedChain {
        var certificates: [Certificate] = []
        for (i, der) in derEncoded.enumerated() {
            do {
                certificates.append(try Certificate(derEncoded: der))
            } catch {
                throw CertificateValidationError(.malformedCertificate, depth: i, certificate: nil, "cannot be parsed: \(error)")
            }
        }
        return try validate(certificates, hook: hook)
    }

    /// Validates `presented` (the peer's certificate first, then any intermediates in any
    /// order) against the trust store, then consults `hook`.
    public func validate(_ presented: [Certificate], hook: Hook? = nil) throws(CertificateValidationError) -> ValidatedChain {
        var cost = PathSearchCost()
        return try validate(presented, hook: hook, cost: &cost)
    }

    /// ``validate(_:hook:)``, also reporting the work done in `cost`, whatever the outcome.
    /// The work is linear in the number of presented certificates plus fixed budgets
    /// (``PathValidator`` limits: candidate evaluations, signature verifications and
    /// name-constraint comparisons), so a hostile chain cannot make it quadratic.
    public func validate(
        _ presented: [Certificate], hook: Hook? = nil, cost: inout PathSearchCost
    ) throws(CertificateValidationError) -> ValidatedChain {
        let (path, result) = checkingRevocation(buildAndCheck(presented, cost: &cost), presented: presented)
        guard let hook else { return try result.get() }
        let accepted = hook(path, result)
        switch result {
        case .success(let chain) where accepted:
            return chain
        case .success(let chain):
            throw CertificateValidationError(.rejectedByCaller, depth: 0, certificate: chain.leaf, "rejected by the verification hook")
        case .failure(let error) where accepted:
            return ValidatedChain(certificates: path, acceptedFailure: error)
        case .failure(let error):
            throw error
        }
    }

    /// Builds a path (``PathSearch``) and checks it.
    private func buildAndCheck(
        _ presented: [Certificate], cost: inout PathSearchCost
    ) -> ([Certificate], Result<ValidatedChain, CertificateValidationError>) {
        guard !presented.isEmpty else {
            return ([], .failure(CertificateValidationError(.noCertificate, depth: 0, certificate: nil, "no certificate was presented")))
        }
        var search = PathSearch(validator: self, presented: presented)
        let outcome = search.run()
        cost = search.cost
        return outcome
    }
}
