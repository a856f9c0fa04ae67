import TLSHandshake
import TLSRecord

/// The user events a ``TLSChannelHandler`` fires through the pipeline
/// (`userInboundEventTriggered`), as `NIOSSLHandler` fires `TLSUserEvent`.
public enum TLSChannelEvent: Sendable {
    /// The first handshake completed: application data may flow. Carries what it
    /// established (the customer's `NetSecureLinkReady`).
    case handshakeCompleted(SessionInfo)
    /// A renegotiation (either side's) completed: the connection now runs on new keys.
    case renegotiated(SessionInfo)
    /// The peer sent a warning alert other than `close_notify` (e.g. `no_renegotiation`).
    case warningAlert(AlertDescription)
}

/// What a completed first handshake gives an application: its summary and, for a client,
/// the session to offer when it reconnects (``TLSChannelHandler/handshakeFuture``).
public struct TLSHandshakeResult: Sendable {
    /// What the handshake established (suite, session ID, peer chain, ...).
    public var sessionInfo: SessionInfo
    /// The session to pass as `resuming:` on the next connection; nil when not resumable.
    public var session: TLSSession?
}
