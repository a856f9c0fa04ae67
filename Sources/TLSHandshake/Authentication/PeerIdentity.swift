import X509

/// The peer's identity as established by a handshake: its chain, its RSA key, and whether the
/// chain was verified. Only ``PeerAuthentication`` can make one (a proof token, STYLE.md §3).
struct PeerIdentity: Sendable {
    /// The chain as sent, leaf first.
    let certificates: [Certificate]
    /// The chain's DER bytes, leaf first (for sessions and the unchanged-identity check).
    var der: [[UInt8]] { certificates.map(\.derBytes) }
    /// The leaf's RSA key.
    let publicKey: RSAPublicKey
    /// Whether the chain passed verification against our trust roots.
    let verified: Bool

    fileprivate init(certificates: [Certificate], publicKey: RSAPublicKey, verified: Bool) {
        self.certificates = certificates
        self.publicKey = publicKey
        self.verified = verified
    }

    /// The identity stored with a session being resumed (it was verified when the session
    /// was made, RFC 2246 §7.3); nil if the session holds no certificate.
    static func restore(from session: TLSSession) -> PeerIdentity? {
        guard let first = session.peerCertificates.first, let leaf = try? Certificate(derEncoded: first),
            let key = try? leaf.publicKeyInfo.rsaPublicKey()
        else { return nil }
        var chain = [leaf]
        for der in session.peerCertificates.dropFirst() {
            guard let c = try? Certificate(derEncoded: der) else { return nil }
            chain.append(c)
        }
        return PeerIdentity(certificates: chain, publicKey: key, verified: session.peerVerified)
    }

    /// Made by ``PeerAuthentication`` only.
    static func authenticated(_ chain: [Certificate], key: RSAPublicKey, verified: Bool, _: PeerAuthentication.Token) -> PeerIdentity {
        PeerIdentity(certificates: chain, publicKey: key, verified: verified)
    }
}
