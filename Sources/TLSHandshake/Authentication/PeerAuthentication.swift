import TLSRecord
import X509

/// Checks a peer's certificate chain (RFC 2246 §7.4.2, §7.4.6; RFC 5280 §6) and maps every
/// failure to the alert RFC 2246 §7.2.2 names for it.
enum PeerAuthentication {
    /// Proves a ``PeerIdentity`` was made here.
    struct Token { fileprivate init() {} }

    /// Parses and, unless verification is off, validates `chain` (leaf first) against the
    /// configuration's trust roots, depth, clock and hook. The leaf must hold an RSA key of
    /// at least 1024 bits whatever the mode (DESIGN.md §6).
    static func authenticate(
        chain der: [[UInt8]], config: TLSConfiguration, now: Int64, peerIsServer: Bool
    ) throws(TLSError) -> PeerIdentity {
        let peer: ConnectionEnd = peerIsServer ? .server : .client
        var chain: [Certificate] = []
        for (i, bytes) in der.enumerated() {
            do {
                chain.append(try Certificate(derEncoded: bytes))
            } catch {
                throw .explained(.badCertificate("certificate \(i) of the peer's chain does not parse: \(error.message)"),
                                 HandshakeExplanation.rule(.malformedCertificate, peer: peer, config: config))
            }
        }
        guard let leaf = chain.first else { throw TLSError(.badCertificate("the peer sent no certificate")) }
        if let bits = leaf.publicKeyInfo.rsaModulusBitCount, bits < 1024 {
            throw .explained(.insufficientSecurity("the peer's RSA key has \(bits) bits; at least 1024 are required"),
                             HandshakeExplanation.weakPeerKey(bits: bits, leaf, peer: peer))
        }
        let key: RSAPublicKey
        do {
            key = try leaf.publicKeyInfo.rsaPublicKey()
        } catch {
            throw TLSError(.unsupportedCertificate("the peer's certificate does not hold a usable RSA key: \(error.message)"))
        }
        guard key.modulusBitCount >= 1024 else {
            throw .explained(.insufficientSecurity("the peer's RSA key has \(key.modulusBitCount) bits; at least 1024 are required"),
                             HandshakeExplanation.weakPeerKey(bits: key.modulusBitCount, leaf, peer: peer))
        }
        guard config.certificateVerification != .noneInsecure else {
            return .authenticated(chain, key: key, verified: false, Token())
        }
        guard let roots = config.trustRoots else {
            throw .explained(.unknownCA("no trusted CA certificates are configured"), HandshakeExplanation.noTrustRoots(peer: peer))
        }
        var policy: VerificationPolicy
        do {
            policy = try VerificationPolicy(secondsSince1970: now)
        } catch {
            throw TLSError(.internalError("the clock is outside the range of certificate times"))
        }
        policy.maximumDepth = config.verifyDepth
        // Every suite is TLS_RSA_*: the server's key decrypts the premaster, a client's key
        // signs CertificateVerify (RFC 2246 §7.4.2, §7.4.8).
        policy.require(peerIsServer ? .rsaKeyExchangeServer : .signingClient)
        policy.revocation = config.revocation
        do {
            _ = try PathValidator(trustStore: roots, policy: policy).validate(chain, hook: config.verificationHook)
        } catch {
            throw .explained(cause(for: error), HandshakeExplanation.rejectedChain(chain, peer: peer, reason: error.reason, config: config))
        }
        return .authenticated(chain, key: key, verified: true, Token())
    }

    /// The subject names of our trust roots, for CertificateRequest (RFC 2246 §7.4.4).
    static func certificateAuthorityNames(_ config: TLSConfiguration) -> [[UInt8]] {
        config.trustRoots?.certificates.map(\.subject.encodedBytes) ?? []
    }

    /// Which alert each validation failure sends (as OpenSSL's `ssl_verify_alarm_type`).
    private static func cause(for error: CertificateValidationError) -> TLSError.Cause {
        let m = "certificate \(error.depth) of the peer's chain: \(error.message)"
        switch error.reason {
        case .noCertificate: return .handshakeFailure(m)
        case .malformedCertificate, .badSignature, .notYetValid, .weakSignatureAlgorithm, .weakKey:
            return .badCertificate(m)
        case .unknownIssuer, .untrustedRoot, .notACA, .pathLengthExceeded, .depthExceeded:
            return .unknownCA(m)
        case .expired: return .certificateExpired(m)
        case .keyUsage, .extendedKeyUsage, .unsupportedAlgorithm, .unhandledCriticalExtension:
            return .unsupportedCertificate(m)
        case .rejectedByCaller, .nameConstraints: return .certificateUnknown(m)
        case .hostnameMismatch: return .badCertificate(m)
        case .revoked: return .certificateRevoked(m)
        case .revocationStatusUnknown, .staleCRL: return .certificateUnknown(m)
        }
    }
}
