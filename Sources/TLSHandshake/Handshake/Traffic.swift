import CryptoPrimitives
import TLSRecord
import X509

/// The state after a completed handshake (both roles): application data flows; a new
/// handshake may start (RFC 2246 §7.4.1.1, §7.4.1.2). It can only be built from a verified
/// Finished (STYLE.md §3).
struct Traffic: Sendable {
    var link: EstablishedLink
    let finished: FinishedVerified
}
