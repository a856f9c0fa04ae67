/// Revocation checking of a validated path with CRLs (RFC 5280 §6.3.3), run after the path
/// checks when ``VerificationPolicy/revocation`` is set.
extension PathValidator {
    /// `built` unchanged when it failed or no revocation checking is configured; otherwise
    /// the same path with the first revocation failure, if any.
    func checkingRevocation(
        _ built: ([Certificate], Result<ValidatedChain, CertificateValidationError>), presented: [Certificate]
    ) -> ([Certificate], Result<ValidatedChain, CertificateValidationError>) {
        guard let revocation = policy.revocation, case .success(let chain) = built.1 else { return built }
        let path = chain.certificates
        let anchorDepth = path.count - 1
        guard anchorDepth >= 1 else { return built }  // a trusted certificate on its own
        let lowest = revocation.scope == .leaf ? 0 : anchorDepth - 1
        let pool = presented + revocation.crlSigners
        // From the top down, so that a revoked CA is reported rather than its subordinates.
        for depth in stride(from: lowest, through: 0, by: -1) {
            let check = RevocationCheck(
                validator: self, revocation: revocation, certificate: path[depth], depth: depth,
                issuer: path[depth + 1], anchor: path[anchorDepth], pool: pool)
            if let failure = check.run() { return (built.0, .failure(failure)) }
        }
        return built
    }
}

/// The status of one certificate of a path: RFC 5280 §6.3.3 for complete CRLs.
private struct RevocationCheck {
    let validator: PathValidator
    let revocation: RevocationPolicy
    let certificate: Certificate
    let depth: Int
    let issuer: Certificate
    let anchor: Certificate
    let pool: [Certificate]
    var policy: VerificationPolicy { validator.policy }

    /// Nil when the certificate is known not to be revoked for every reason; otherwise why not.
    func run() -> CertificateValidationError? {
        var notes: [String] = []
        var stale = false
        var covered: ReasonFlags = []
        let points: [DistributionPoint?]
        do {
            points = try certificate.crlDistributionPoints() ?? [nil]
        } catch {
            return fail(.revocationStatusUnknown, "its cRLDistributionPoints extension is malformed: \(error.message)")
        }
        for point in points {
            if point?.crlIssuer != nil {
                notes.append("a distribution point names a cRLIssuer (indirect CRLs are not supported)")
                continue
            }
            for crl in revocation.crls where crl.issuer.matches(certificate.issuer) && covered != .all {
                guard let reasons = coverage(of: crl, point: point, notes: &notes),
                    !reasons.subtracting(covered).isEmpty
                else { continue }
                if let problem = unusable(crl, stale: &stale) {
                    notes.append("the CRL issued \(crl.thisUpdate) \(problem)")
                    continue
                }
                if let entry = crl.entry(forSerialNumber: certificate.serialNumber), entry.reason != .removeFromCRL {
                    let why = entry.reason.map { " (\($0))" } ?? ""
                    return fail(.revoked, "revoked at \(entry.revocationDate)\(why) by the CRL of \(crl.issuer) issued \(crl.thisUpdate)")
                }
                covered.formUnion(reasons)
            }
        }
        guard covered != .all else { return nil }
        let found = revocation.crls.contains { $0.issuer.matches(certificate.issuer) }
        var message = found
            ? "no usable CRL from \(certificate.issuer) covers it" + (covered.isEmpty ? "" : " for every reason (only \(covered))")
            : "no CRL from \(certificate.issuer) was given"
        if !notes.isEmpty { message += ": " + notes.joined(separator: "; ") }
        return fail(stale && covered.isEmpty ? .staleCRL : .revocationStatusUnknown, message)
    }

    private func fail(_ reason: CertificateValidationError.Reason, _ message: String) -> CertificateValidationError {
        CertificateValidationError(reason, depth: depth, certificate: certificate, message)
    }

    /// The reasons `crl` covers for this certificate through `point` (RFC 5280 §6.3.3 (b),
    /// (d)), or nil when its issuingDistributionPoint puts the certificate out of scope.
    private func coverage(of crl: CertificateRevocationList, point: DistributionPoint?, notes: inout [String]) -> ReasonFlags? {
        var reasons = ReasonFlags.all
        if let idp = crl.issuingDistributionPoint {
            if idp.indirectCRL {
                notes.append("the CRL issued \(crl.thisUpdate) is an indirect CRL (not supported)")
                return nil
            }
            if idp.onlyContainsAttributeCerts || (idp.onlyContainsUserCerts && certificate.isCA)
                || (idp.onlyContainsCACerts && !certificate.isCA)
            {
                let scope = idp.onlyContainsAttributeCerts ? "attribute certificates" : idp.onlyContainsCACerts ? "CA certificates" : "end-entity certificates"
                notes.append("the CRL issued \(crl.thisUpdate) covers only \(scope)")
                return nil
            }
            if let name = idp.name {
                let published = name.names(crlIssuer: crl.issuer)
                let wanted = point?.name?.names(crlIssuer: certificate.issuer) ?? []
                guard published.contains(where: wanted.contains) else {
                    let at = published.map(\.description).joined(separator: ", ")
                    notes.append("the CRL issued \(crl.thisUpdate) is for distribution point \(at), which the certificate does not name")
                    return nil
                }
            }
            if let only = idp.onlySomeReasons { reasons.formIntersection(only) }
        }
        if let pointReasons = point?.reasons { reasons.formIntersection(pointReasons) }
        return reasons
    }

    /// Why `crl` cannot be used (RFC 5280 §6.3.3 (f)–(h), §5.2, §5.3), or nil when it can.
    private func unusable(_ crl: CertificateRevocationList, stale: inout Bool) -> String? {
        if crl.isDeltaCRL { return "is a delta CRL (not supported)" }
        if let oid = crl.unhandledCriticalExtensions.first {
            return "has the critical extension \(oid.opensslName ?? oid.description), which is not supported"
        }
        if policy.time < crl.thisUpdate { return "is not valid yet (thisUpdate \(crl.thisUpdate), time checked \(policy.time))" }
        if let next = crl.nextUpdate, next < policy.time {
            switch revocation.staleCRL {
            case .fail:
                stale = true
                return "is stale: its nextUpdate \(next) has passed (time checked \(policy.time))"
            case .warn:
                revocation.onWarning?("the CRL of \(crl.issuer) is stale (nextUpdate \(next)); used anyway")
            }
        }
        let algorithm = crl.signatureAlgorithmKind
        guard algorithm.digestAlgorithm != nil else { return "is signed with \(algorithm), which is not supported" }
        guard policy.accepts(algorithm) else { return "is signed with \(algorithm), which policy refuses" }
        return signerProblem(crl)
    }

    /// Nil when the certificate's issuer, or another certificate of that name whose path
    /// validates to the same trust anchor (RFC 5280 §6.3.3 (f)), signed `crl`.
    private func signerProblem(_ crl: CertificateRevocationList) -> String? {
        if issuer.subject.matches(crl.issuer), let key = try? issuer.publicKeyInfo.rsaPublicKey(), crl.isSignature(validFor: key) {
            if let usage = issuer.extensions.keyUsage, !usage.contains(.cRLSign) {
                return "is signed by \(issuer.subject), whose keyUsage (\(usage)) lacks cRLSign"
            }
            return nil
        }
        guard revocation.signerNesting < RevocationPolicy.maximumSignerNesting else {
            return "does not verify with the key of \(issuer.subject)"
        }
        var candidates = validator.trustStore.certificates(withSubject: crl.issuer)
        for c in pool where c.subject.matches(crl.issuer) && !candidates.contains(c) { candidates.append(c) }
        for signer in candidates where signer != issuer {
            guard let key = try? signer.publicKeyInfo.rsaPublicKey(), crl.isSignature(validFor: key) else { continue }
            if let usage = signer.extensions.keyUsage, !usage.contains(.cRLSign) { continue }
            var inner = policy
            inner.expectedHost = nil
            inner.requiredPurpose = nil
            inner.requiredKeyUsage = []
            inner.revocation?.signerNesting += 1
            let others = pool.filter { $0 != signer }
            do {
                let chain = try PathValidator(trustStore: validator.trustStore, policy: inner).validate([signer] + others)
                guard chain.trustAnchor == anchor else { continue }
                return nil
            } catch {
                return "is signed by the CRL signer \(signer.subject) (serial \(signer.serialNumberHex)), whose own path fails: \(error)"
            }
        }
        return "does not verify with the key of \(issuer.subject) nor of any CRL-signing certificate of that name"
    }
}
