import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the client's Certificate after our CertificateRequest (RFC 2246 §7.4.6).
/// An empty list is accepted unless a certificate is required (`handshake_failure`, §7.4.6).
struct ExpectClientCertificate: Sendable {
    var negotiation: Negotiation

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.certificate(let message), let bytes) = input else {
            throw .unexpected("expected the client's Certificate, got \(input.name)")
        }
        var n = negotiation
        if message.certificates.isEmpty {
            guard env.config.certificateVerification != .requirePeerCertificate else {
                throw .handshake(HandshakeExplanation.missingClientCertificate)
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
