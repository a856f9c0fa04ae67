import Synchronization

/// A connection an ``AcceptLoop`` admitted and hands to the thread that serves it.
///
/// It starts *pending* and counts against the loop's pending limits until the protocol
/// above calls ``leavePending()`` (a DICOM server does so once the association is
/// accepted); it counts against `maximumConnections` until the serving thread returns.
public final class AcceptedConnection: Sendable {
    /// The TCP connection.
    public let socket: TCPSocket
    /// The peer's address without the port: the key of the per-address limit.
    public let peerHost: String

    private let isPending = Atomic<Bool>(true)
    private let onLeavePending: @Sendable (String) -> Void

    init(socket: TCPSocket, onLeavePending: @escaping @Sendable (String) -> Void) {
        self.socket = socket
        self.peerHost = socket.remoteAddress.host
        self.onLeavePending = onLeavePending
    }

    /// Stops counting this connection as pending; later calls do nothing.
    public func leavePending() {
        if isPending.exchange(false, ordering: .acquiringAndReleasing) { onLeavePending(peerHost) }
    }
}
