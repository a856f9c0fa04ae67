import TLSHandshake
import TLSRecord

/// Why a ``TLSChannelHandler`` failed its channel: fired through `errorCaught` and used to
/// fail pending write promises and the handshake future, then the channel closes.
public enum TLSChannelError: Error, Sendable, CustomStringConvertible {
    /// The TLS protocol failed; the alert (sent, or received from the peer) is in the
    /// error (``TLSError/alert``, ``TLSError/isPeerAlert``) and named in ``description``.
    case tls(TLSError)
    /// The peer closed the TCP connection without `close_notify` (RFC 2246 §7.2.1): the data
    /// may have been cut short, so this is an error and never a clean end of stream.
    case truncated(String)
    /// The handshake did not finish within the handler's handshake timeout.
    case handshakeTimedOut(String)
    /// The private-key operation run off the event loop failed (an HSM error, say).
    case privateKeyOperationFailed(String)

    /// The alert involved, if any, and whether the peer sent it.
    public var alert: (description: AlertDescription, fromPeer: Bool)? {
        guard case .tls(let e) = self, let a = e.alert else { return nil }
        return (a, e.isPeerAlert)
    }

    /// One line for people: the alert and who sent it, or what ended the connection.
    public var description: String {
        switch self {
        case .tls(let e): e.description
        case .truncated(let text), .handshakeTimedOut(let text), .privateKeyOperationFailed(let text): text
        }
    }
}
