import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for CertificateVerify (RFC 2246 §7.4.8): the client proves it holds the key of
/// the certificate it sent, by an RSA signature over MD5 ‖ SHA-1 of the messages so far.
struct ExpectCertificateVerify: Sendable {
    var negotiation: Negotiation
    let secrets: TrafficSecrets

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.certificateVerify(let verify), let bytes) = input else {
            throw .unexpected("expected CertificateVerify, got \(input.name)")
        }
        var n = negotiation
        guard let key = n.peer?.publicKey else { throw TLSError(.internalError("no client key")) }
        guard key.verifyTLS10(signature: verify.signature, md5SHA1: n.transcript.hash) else {
            throw .explained(.decryptError("the client's CertificateVerify signature does not verify"),
                             HandshakeExplanation.badCertificateVerify(n.peer?.certificates.first))
        }
        n.transcript.add(bytes)
        return .expectClientChangeCipherSpec(ExpectClientChangeCipherSpec(negotiation: n, secrets: secrets, resumed: false))
    }
}
