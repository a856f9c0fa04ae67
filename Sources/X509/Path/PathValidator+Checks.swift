/// The checks of RFC 5280 §6.1.3 and §6.1.4 on a built path, processed from the trust
/// anchor down to the end entity.
extension PathValidator {
    /// Checks `path` (end entity first, trust anchor last).
    func check(_ path: [Certificate]) -> Result<ValidatedChain, CertificateValidationError> {
        do {
            try checkPath(path)
            return .success(ValidatedChain(certificates: path))
        } catch {
            return .failure(error)
        }
    }

    private func checkPath(_ path: [Certificate]) throws(CertificateValidationError) {
        let anchorDepth = path.count - 1
        let anchor = path[anchorDepth]
        try checkValidity(anchor, depth: anchorDepth)
        var issuerKey = try usableKey(anchor, depth: anchorDepth)
        var maximumPathLength = anchor.extensions.basicConstraints?.pathLengthConstraint ?? Int.max
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
            guard cert.isSignature(validFor: issuerKey) else {
                throw fail(.badSignature, "signature does not verify with the key of \(issuer.subject)")
            }
            try checkValidity(cert, depth: depth)
            if let oid = cert.extensions.unhandledCritical.first {
                throw fail(.unhandledCriticalExtension, "critical extension \(oid) is not supported")
            }
            if depth > 0 {
                try checkCA(cert, depth: depth, maximumPathLength: &maximumPathLength)
            } else if let purpose = policy.requiredPurpose, let eku = cert.extensions.extendedKeyUsage, !eku.allows(purpose) {
                throw fail(.extendedKeyUsage, "extKeyUsage (\(eku)) does not allow \(purpose.opensslName ?? purpose.description)")
            }
            issuerKey = try usableKey(cert, depth: depth)
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
