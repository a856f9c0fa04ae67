import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the client's Certificate after our CertificateRequest (RFC 2246 §7.4.6).
/// An empty list is accepted unless a certificate is required (`handshake_failure`, §7.4.6).
/// On renegotiation a client that had a certificate must present the same leaf again.
struct ExpectClientCertificate: Sendable {
    var negotiation: Negotiation

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.certificate(let message), let bytes) = input else {
            throw .unexpected("expected the client's Certificate, got \(input.name)")
        }
        var n = negotiation
        // On renegotiation the client's identity must not change (F5; the client side's check
        // is in ExpectServerCertificate): the leaf must be byte-identical to the previous one.
        if let old = n.previous?.peer?.der.first, message.certificates.first != old {
            throw .explained(.badCertificate("the client's certificate changed during renegotiation"),
                             HandshakeExplanation.identityChanged(peer: .client, old: old, new: message.certificates.first))
        }
        if message.certificates.isEmpty {
            guard env.config.certificateVerification != .requirePeerCertificate else {
                throw .explained(.handshakeFailure("the client sent no certificate"), HandshakeExplanation.missingClientCertificate)
            }
            n.peer = nil
        } else {
            n.peer = try PeerAuthentication.authenticate(
                chain: message.certificates, config: env.config, now: env.now, peerIsServer: false)
        }
        n.transcript.add(bytes)
        return .expectClientKeyExchange(ExpectClientKeyExchange(negotiation: n, expectsCertificateVerify: n.peer != nil))
    }
}
