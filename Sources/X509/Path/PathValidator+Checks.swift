/// The checks of RFC 5280 §6.1.3 and §6.1.4 on a built path, processed from the trust
/// anchor down to the end entity.
extension PathValidator {
    /// Checks `path` (end entity first, trust anchor last).
    func check(_ path: [Certificate], cost: inout PathSearchCost) -> Result<ValidatedChain, CertificateValidationError> {
        do {
            try checkPath(path, cost: &cost)
            return .success(ValidatedChain(certificates: path))
        } catch {
            return .failure(error)
        }
    }

    private func checkPath(_ path: [Certificate], cost: inout PathSearchCost) throws(CertificateValidationError) {
        let anchorDepth = path.count - 1
        let anchor = path[anchorDepth]
        try checkValidity(anchor, depth: anchorDepth)
        var issuerKey = try usableKey(anchor, depth: anchorDepth)
        var maximumPathLength = anchor.extensions.basicConstraints?.pathLengthConstraint ?? Int.max
        var nameConstraints = NameConstraintsCheck()
        if anchorDepth > 0 {
            try checkPurpose(anchor, depth: anchorDepth)
            if let nc = anchor.extensions.nameConstraints { nameConstraints.add(nc) }
        }
        for depth in stride(from: anchorDepth - 1, through: 0, by: -1) {
            let cert = path[depth]
            let issuer = path[depth + 1]
            func fail(_ reason: CertificateValidationError.Reason, _ message: String) -> CertificateValidationError {
                CertificateValidationError(reason, depth: depth, certificate: cert, message)
            }
            guard cert.issuer.matches(issuer.subject) else {
                throw fail(.unknownIssuer, "issuer name \(cert.issuer) does not match \(issuer.subject)")
            }
            let algorithm = cert.signatureAlgorithmKind
            guard algorithm.digestAlgorithm != nil else {
                throw fail(.unsupportedAlgorithm, "signature algorithm \(algorithm) is not supported")
            }
            guard policy.accepts(algorithm) else {
                throw fail(.weakSignatureAlgorithm, "signature algorithm \(algorithm) is refused by policy")
            }
            cost.signatureVerifications += 1
            guard cert.isSignature(validFor: issuerKey) else {
                throw fail(.badSignature, "signature does not verify with the key of \(issuer.subject)")
            }
            try checkValidity(cert, depth: depth)
            if let oid = cert.extensions.unhandledCritical.first {
                throw fail(.unhandledCriticalExtension, "critical extension \(oid) is not supported")
            }
            // RFC 5280 §6.1.3 (b), (c): self-issued intermediates are exempt.
            if depth == 0 || !cert.isSelfIssued, let violation = nameConstraints.violation(cert, isEndEntity: depth == 0, cost: &cost) {
                throw fail(.nameConstraints, violation)
            }
            if depth > 0 {
                try checkCA(cert, depth: depth, maximumPathLength: &maximumPathLength)
                try checkPurpose(cert, depth: depth)
                if let nc = cert.extensions.nameConstraints { nameConstraints.add(nc) }  // §6.1.4 (g)
            }
            issuerKey = try usableKey(cert, depth: depth)
        }
        try checkEndEntity(path[0])  // also when a trusted end-entity certificate is the whole path
    }

    /// The TLS-specific checks of the peer's certificate: purpose, key usage and host name.
    private func checkEndEntity(_ cert: Certificate) throws(CertificateValidationError) {
        try checkPurpose(cert, depth: 0)
        if let usage = cert.extensions.keyUsage, !usage.isSuperset(of: policy.requiredKeyUsage) {
            throw CertificateValidationError(.keyUsage, depth: 0, certificate: cert, "keyUsage (\(usage)) does not allow \(policy.requiredKeyUsage), which the intended use needs")
        }
        if let host = policy.expectedHost, !cert.matches(host: host) {
            throw CertificateValidationError(.hostnameMismatch, depth: 0, certificate: cert, "does not name host \(host)")
        }
    }

    /// The required purpose against the certificate's extKeyUsage, if it has one: checked on
    /// every certificate of the path, so that a CA limited to other purposes cannot issue
    /// for this one (as OpenSSL, Go and webpki do; RFC 5280 leaves CA extKeyUsage open).
    private func checkPurpose(_ cert: Certificate, depth: Int) throws(CertificateValidationError) {
        if let purpose = policy.requiredPurpose, let eku = cert.extensions.extendedKeyUsage, !eku.allows(purpose) {
            throw CertificateValidationError(.extendedKeyUsage, depth: depth, certificate: cert, "extKeyUsage (\(eku)) does not allow \(purpose.opensslName ?? purpose.description)")
        }
    }

    /// RFC 5280 §6.1.4 (k), (l), (m), (n) for an intermediate certificate.
    private func checkCA(_ cert: Certificate, depth: Int, maximumPathLength: inout Int) throws(CertificateValidationError) {
        guard cert.version == 3, let constraints = cert.extensions.basicConstraints, constraints.isCA else {
            throw CertificateValidationError(.notACA, depth: depth, certificate: cert, "issues a certificate but is not a CA (basicConstraints cA is not TRUE)")
        }
        if let usage = cert.extensions.keyUsage, !usage.contains(.keyCertSign) {
            throw CertificateValidationError(.keyUsage, depth: depth, certificate: cert, "CA keyUsage (\(usage)) lacks keyCertSign")
        }
        if !cert.isSelfIssued {
            guard maximumPathLength > 0 else {
                throw CertificateValidationError(.pathLengthExceeded, depth: depth, certificate: cert, "a CA above allows no further intermediate certificates (pathLenConstraint)")
            }
            maximumPathLength -= 1
        }
        if let limit = constraints.pathLengthConstraint, limit < maximumPathLength { maximumPathLength = limit }
    }

    private func checkValidity(_ cert: Certificate, depth: Int) throws(CertificateValidationError) {
        if policy.time < cert.validity.notBefore {
            throw CertificateValidationError(.notYetValid, depth: depth, certificate: cert, "not valid before \(cert.validity.notBefore) (time checked: \(policy.time))")
        }
        if policy.time > cert.validity.notAfter {
            throw CertificateValidationError(.expired, depth: depth, certificate: cert, "expired at \(cert.validity.notAfter) (time checked: \(policy.time))")
        }
    }

    /// The certificate's RSA key, checked against the policy's minimum size.
    private func usableKey(_ cert: Certificate, depth: Int) throws(CertificateValidationError) -> RSAPublicKey {
        let info = cert.publicKeyInfo
        guard let bits = info.rsaModulusBitCount else {
            throw CertificateValidationError(.unsupportedAlgorithm, depth: depth, certificate: cert, "key algorithm \(info.algorithm) is not supported (RSA only)")
        }
        guard bits >= policy.minimumRSAKeyBits else {
            throw CertificateValidationError(.weakKey, depth: depth, certificate: cert, "RSA key of \(bits) bits is below the minimum of \(policy.minimumRSAKeyBits)")
        }
        do {
            return try info.rsaPublicKey()
        } catch {
            let reason: CertificateValidationError.Reason = error.code == .unsupportedKeySize && bits < 2048 ? .weakKey : .unsupportedAlgorithm
            throw CertificateValidationError(reason, depth: depth, certificate: cert, "RSA key is not usable: \(error.message)")
        }
    }
}
