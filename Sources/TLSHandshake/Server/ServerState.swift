import CryptoPrimitives
import TLSRecord
import X509

/// The server handshake states (RFC 2246 §7.3, Figure 1 and 2), one struct each (STYLE.md §3).
///
/// ```
/// full:    ExpectClientHello (→ ServerHello, Certificate, [CertificateRequest], ServerHelloDone)
///          → [ExpectClientCertificate] → ExpectClientKeyExchange → [ExpectCertificateVerify]
///          → ExpectClientChangeCipherSpec → ExpectClientFinished (→ CCS, Finished) → traffic
/// resumed: ExpectClientHello (→ ServerHello, CCS, Finished)
///          → ExpectClientChangeCipherSpec → ExpectClientFinished → traffic
/// ```
enum ServerState: Sendable {
    case expectClientHello(ExpectClientHello)
    case expectClientCertificate(ExpectClientCertificate)
    case expectClientKeyExchange(ExpectClientKeyExchange)
    case awaitPremaster(AwaitPremaster)
    case expectCertificateVerify(ExpectCertificateVerify)
    case expectClientChangeCipherSpec(ExpectClientChangeCipherSpec)
    case expectClientFinished(ExpectClientFinished)
    case traffic(Traffic)
    case failed
}

extension ServerState {
    /// The handshake message types this state accepts, decided from the type byte before the
    /// body is parsed: any other type is `unexpected_message` (DESIGN.md §2). In traffic a
    /// ClientHello starts a renegotiation (RFC 2246 §7.4.1.2).
    var acceptedHandshakeTypes: HandshakeTypeSet {
        switch self {
        case .expectClientHello, .traffic: [.clientHello]
        case .expectClientCertificate: [.certificate]
        case .expectClientKeyExchange: [.clientKeyExchange]
        case .awaitPremaster: []  // input waits until the premaster is in
        case .expectCertificateVerify: [.certificateVerify]
        case .expectClientChangeCipherSpec: []
        case .expectClientFinished: [.finished]
        case .failed: []
        }
    }
}
