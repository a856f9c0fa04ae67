import TLSRecord

/// What ``TLSConnection/nextEvent()`` reports.
public enum TLSEvent: Sendable {
    /// A handshake (first, resumed or renegotiated) completed.
    case handshakeComplete(SessionInfo)
    /// Application data from the peer (possibly empty: zero-length records are legal).
    case applicationData([UInt8])
    /// The peer sent a warning alert other than `close_notify`.
    case warningAlert(AlertDescription)
    /// The peer sent `close_notify`: it will send nothing more (RFC 2246 §7.2.1).
    case closed
    /// The handshake waits for a private-key operation (only when
    /// ``TLSConnection/defersPrivateKeyOperations`` is set): run it anywhere and pass the
    /// result to ``TLSConnection/completePrivateKeyOperation(_:)``. Until then no event comes out.
    case privateKeyOperationNeeded(PrivateKeyOperation)
}
