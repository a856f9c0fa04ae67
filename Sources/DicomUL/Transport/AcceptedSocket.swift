import TLSHandshake
import TLSSockets

/// A connection accepted by ``DicomServer``, handed from its accept loop to the thread that
/// will own it (and turned into a ``TCPTransport`` or a ``TLSTransport`` there).
public struct AcceptedSocket: Sendable {
    /// The accepted TCP connection.
    public let socket: TCPSocket
    /// "host:port" of the peer.
    public let peerDescription: String

    /// Wraps an accepted socket; the peer is described by its numeric address.
    public init(_ socket: TCPSocket) {
        self.socket = socket
        self.peerDescription = socket.remoteAddress.description
    }
}
