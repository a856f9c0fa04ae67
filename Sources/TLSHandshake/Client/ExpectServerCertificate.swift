import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the server's Certificate (RFC 2246 §7.4.2). RSA key exchange always has one.
/// On renegotiation the server's certificate must not change (Go's `handshakeState`
/// peer-identity check; triple handshake, RFC 7627 §1).
struct ExpectServerCertificate: Sendable {
    var negotiation: Negotiation
    let serverName: String?

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        guard case .message(.certificate(let message), let bytes) = input else {
            throw .unexpected("expected the server's Certificate, got \(input.name)")
        }
        var n = negotiation
        guard !message.certificates.isEmpty else {
            throw .explained(.badCertificate("the server sent an empty certificate list"), HandshakeExplanation.emptyServerCertificate)
        }
        let identity = try PeerAuthentication.authenticate(
            chain: message.certificates, config: env.config, now: env.now, peerIsServer: true)
        // RFC 6125 §6: the certificate must name the server we meant to reach.
        if env.config.certificateVerification != .noneInsecure, let serverName, !serverName.isEmpty,
            let leaf = identity.certificates.first, !leaf.matches(host: serverName)
        {
            throw TLSError(.badCertificate(HandshakeExplanation.hostnameMismatch(leaf, host: serverName)))
        }
        if let old = n.previous?.peer, old.der.first != identity.der.first {
            throw .explained(.badCertificate("the server's certificate changed during renegotiation"),
                             HandshakeExplanation.identityChanged(peer: .server, old: old.der.first, new: identity.der.first))
        }
        n.peer = identity
        n.transcript.add(bytes)
        return .expectServerHelloDone(ExpectServerHelloDone(negotiation: n, request: nil, serverName: serverName))
    }
}
