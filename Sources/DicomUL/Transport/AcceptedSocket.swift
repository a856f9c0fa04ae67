import TLSHandshake
import TLSSockets

/// A connection accepted by ``DicomServer``, handed from its accept loop to the thread that
/// will own it (and turned into a ``TCPTransport`` or a ``TLSTransport`` there).
public struct AcceptedSocket: Sendable {
    /// The accepted TCP connection.
    public let socket: TCPSocket
    /// "host:port" of the peer.
    public let peerDescription: String
    private let connection: AcceptedConnection?

    /// Wraps an accepted socket; the peer is described by its numeric address.
    public init(_ socket: TCPSocket) {
        self.socket = socket
        self.peerDescription = socket.remoteAddress.description
        self.connection = nil
    }

    /// Wraps a connection admitted by an `AcceptLoop`.
    init(_ connection: AcceptedConnection) {
        self.socket = connection.socket
        self.peerDescription = connection.socket.remoteAddress.description
        self.connection = connection
    }

    /// The association is accepted: the connection stops counting against the accept loop's
    /// limits on connections that have not associated yet.
    public func leavePending() { connection?.leavePending() }
}
