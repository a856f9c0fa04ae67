import DicomUL

/// What the association driver (``DicomULHandler``) delivers to the code above it, one
/// element per PS3.8 indication or DIMSE message part.
///
/// A data set arrives as ``dataFragment(contextID:_:isLast:)`` elements, one per received
/// PDV, never collected: the channel's backpressure holds the peer while they are consumed.
public enum DicomInbound: Sendable, Equatable {
    /// Acceptor: the peer's A-ASSOCIATE-RQ; answer with ``DicomOutbound/accept(_:)`` or
    /// ``DicomOutbound/reject(_:)``.
    case associateRequest(AssociateRQ)
    /// Requestor: the peer accepted the association.
    case associateAccepted(AssociateAC)
    /// Requestor: the peer rejected the association; the connection closes.
    case associateRejected(AssociateRJ)
    /// A whole command set received on a presentation context.
    case command(contextID: UInt8, CommandSet)
    /// A fragment of the data set following the last command; `isLast` ends the data set.
    case dataFragment(contextID: UInt8, ArraySlice<UInt8>, isLast: Bool)
    /// The peer asked to release; the driver has answered (A-RELEASE-RP) and the connection
    /// closes next.
    case releaseRequested
    /// Requestor: our release completed; the connection closes next.
    case releaseConfirmed
}

/// What the code above the driver sends through it.
public enum DicomOutbound: Sendable, Equatable {
    /// Acceptor: accept with this A-ASSOCIATE-AC (Evt7).
    case accept(AssociateAC)
    /// Acceptor: reject with this A-ASSOCIATE-RJ (Evt8); the connection closes after it.
    case reject(AssociateRJ)
    /// A command set on an accepted context, fragmented to the peer's maximum PDU length.
    case command(CommandSet, contextID: UInt8)
    /// Bytes of the data set following the last command: any size, fragmented to the peer's
    /// maximum; `isLast` ends the data set (an empty last chunk is allowed).
    case dataFragment([UInt8], contextID: UInt8, isLast: Bool)
    /// Request release (Evt11); wait for ``DicomInbound/releaseConfirmed``.
    case release
    /// Abort (Evt15): A-ABORT is sent and the connection closed.
    case abort
}

/// A user outbound event that aborts the association (A-ABORT, then close) from any thread:
/// `channel.triggerUserOutboundEvent(DicomAbortRequest())`. The async wrappers send it when
/// their task is cancelled.
public struct DicomAbortRequest: Sendable, Hashable {
    /// Creates the event.
    public init() {}
}
