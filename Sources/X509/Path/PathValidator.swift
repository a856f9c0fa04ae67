/// Builds and validates certification paths (RFC 5280 §6.1, the subset a TLS peer needs:
/// signatures, validity, name chaining, basicConstraints and pathLenConstraint, keyUsage,
/// critical extensions, verify depth, key sizes, CRLs when the policy asks (see
/// ``RevocationPolicy``); no policies or name constraints).
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

    /// Paths are never longer than this, whatever the policy says (hostile input bound).
    static let hardMaximumPathLength = 34
    /// How many partial paths the search may extend before giving up (hostile input bound).
    static let searchBudget = 256

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
        let (path, result) = checkingRevocation(buildAndCheck(presented), presented: presented)
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

    // MARK: Path building

    /// Searches depth-first for a path to a trust anchor that passes every check. When none
    /// does, the failure reported is that of the first complete path, else a depth failure,
    /// else the first dead end (no issuer).
    private func buildAndCheck(_ presented: [Certificate]) -> ([Certificate], Result<ValidatedChain, CertificateValidationError>) {
        guard let leaf = presented.first else {
            return ([], .failure(CertificateValidationError(.noCertificate, depth: 0, certificate: nil, "no certificate was presented")))
        }
        let pool = Array(presented.dropFirst())
        let limit = min(max(policy.maximumDepth, 0), Self.hardMaximumPathLength - 2) + 2
        var budget = Self.searchBudget
        var complete: ([Certificate], CertificateValidationError)?
        var tooLong: ([Certificate], CertificateValidationError)?
        var deadEnd: ([Certificate], CertificateValidationError)?

        func search(_ path: [Certificate]) -> ValidatedChain? {
            budget -= 1
            guard budget >= 0, let current = path.last else { return nil }
            if trustStore.contains(current) {
                switch check(path) {
                case .success(let chain): return chain
                case .failure(let error): if complete == nil { complete = (path, error) }
                }
                return nil
            }
            let issuers = candidates(for: current, pool: pool, excluding: path)
            if issuers.isEmpty {
                if deadEnd == nil { deadEnd = (path, noIssuerError(path)) }
                return nil
            }
            guard path.count < limit else {
                if tooLong == nil {
                    tooLong = (path, CertificateValidationError(
                        .depthExceeded, depth: path.count, certificate: nil,
                        "the chain needs more than \(policy.maximumDepth) intermediate certificates (verify depth)"))
                }
                return nil
            }
            for issuer in issuers {
                if let found = search(path + [issuer]) { return found }
            }
            return nil
        }

        if let chain = search([leaf]) { return (chain.certificates, .success(chain)) }
        let (path, error) = complete ?? tooLong ?? deadEnd ?? ([leaf], CertificateValidationError(
            .unknownIssuer, depth: 0, certificate: leaf, "no path to a trust anchor was found within the search limit"))
        return (path, .failure(error))
    }

    /// Issuer candidates: trust anchors first, then presented certificates, each group with
    /// those whose subjectKeyIdentifier matches the authorityKeyIdentifier first.
    private func candidates(for cert: Certificate, pool: [Certificate], excluding path: [Certificate]) -> [Certificate] {
        let anchors = trustStore.certificates(withSubject: cert.issuer)
        let presented = pool.filter { $0.subject.matches(cert.issuer) }
        let wanted = cert.extensions.authorityKeyIdentifier?.keyIdentifier
        func keyMatches(_ c: Certificate) -> Bool { wanted != nil && c.extensions.subjectKeyIdentifier == wanted }
        func ordered(_ list: [Certificate]) -> [Certificate] { list.filter(keyMatches) + list.filter { !keyMatches($0) } }
        var result: [Certificate] = []
        for c in ordered(anchors) + ordered(presented)
        where !path.contains(where: { $0.derBytes == c.derBytes }) && !result.contains(where: { $0.derBytes == c.derBytes }) {
            result.append(c)
        }
        return result
    }

    private func noIssuerError(_ path: [Certificate]) -> CertificateValidationError {
        let depth = path.count - 1
        let cert = path[depth]
        if cert.isSelfIssued {
            return CertificateValidationError(.untrustedRoot, depth: depth, certificate: cert, "self-issued certificate is not in the trust store")
        }
        return CertificateValidationError(.unknownIssuer, depth: depth, certificate: cert, "no certificate named \(cert.issuer) was presented or trusted")
    }
}
