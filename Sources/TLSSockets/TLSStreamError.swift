import TLSRecord
import TLSHandshake

/// Why a ``BlockingTLSStream`` operation failed: the TLS engine, the socket under it, a peer
/// that closed the TCP connection without `close_notify`, or a deadline.
public enum TLSStreamError: Error, Sendable, CustomStringConvertible {
    /// The TLS protocol failed: an alert was sent or received (see ``TLSError/alert``).
    case tls(TLSError)
    /// The TCP connection failed (refused, reset, unreachable, ...).
    case socket(SocketError)
    /// The peer closed the TCP connection without sending `close_notify`: the data may have
    /// been cut short by an attacker or a crash (RFC 2246 §7.2.1). The text says when.
    case truncated(String)
    /// The handshake or a read, write or close did not finish in time.
    case timedOut(String)
    /// The peer answered our request to renegotiate with the warning `no_renegotiation`
    /// (RFC 2246 §7.2.2); the connection goes on with the old keys.
    case renegotiationRefused(String)

    /// The alert involved, if any, and whether the peer sent it.
    public var alert: (description: AlertDescription, fromPeer: Bool)? {
        guard case .tls(let e) = self, let a = e.alert else { return nil }
        return (a, e.isPeerAlert)
    }

    /// One line for people: the alert and who sent it, the socket failure, or what timed out.
    public var description: String {
        switch self {
        case .tls(let e): e.description
        case .socket(let e): e.message
        case .truncated(let text): text
        case .timedOut(let text): text
        case .renegotiationRefused(let text): text
        }
    }
}
