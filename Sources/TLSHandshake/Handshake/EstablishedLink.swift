import CryptoPrimitives
import TLSRecord
import X509

/// What an established connection keeps for the next handshake on it: the RFC 5746
/// Finished values, the peer's identity (unchanged-certificate check) and the session.
struct EstablishedLink: Sendable {
    var clientVerifyData: [UInt8]
    var serverVerifyData: [UInt8]
    var secureRenegotiation: Bool
    var peer: PeerIdentity?
    var session: TLSSession
}
