import TLSHandshake
import TLSSockets

/// Plain DICOM over TCP (PS3.8 §9): a thin ``DicomTransport`` over TLSHandshake's `TCPSocket`.
///
/// The socket is non-blocking with `TCP_NODELAY` (PDUs are written whole, so Nagle's algorithm
/// only adds delay; see PEERS.md on DCMTK's 40 ms) and every wait is bounded by a deadline.
/// Socket failures become ``DicomError``s naming the peer: a deadline → `.timeout`, a closed
/// or reset connection → `.connectionClosed`, anything else → `.io`.
public final class TCPTransport: DicomTransport {
    /// The connected socket.
    public let socket: TCPSocket
    /// "host:port" of the peer.
    public let peerDescription: String

    /// Wraps a connected socket; `peerDescription` names the peer in messages.
    public init(socket: TCPSocket, peerDescription: String) {
        self.socket = socket
        self.peerDescription = peerDescription
    }

    /// Adopts a connection accepted by ``DicomServer`` (or any acceptor handing out ``AcceptedSocket``s).
    public convenience init(adopting accepted: AcceptedSocket) {
        self.init(socket: accepted.socket, peerDescription: accepted.peerDescription)
    }

    /// Connects to `host:port` within `timeout` seconds, trying each resolved address.
    public static func connect(host: String, port: UInt16, timeout: Double) throws(DicomError) -> TCPTransport {
        let peer = "\(host):\(port)"
        do {
            let socket = try TCPSocket.connect(host: host, port: port, timeout: .seconds(timeout))
            return TCPTransport(socket: socket, peerDescription: peer)
        } catch {
            throw Self.dicomError(error, doing: "connecting to \(peer)", timeout: timeout)
        }
    }

    deinit { close() }

    /// Reads up to `maxCount` bytes; empty on orderly close.
    public func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8] {
        let capacity = max(1, maxCount)
        let deadline = Self.deadline(timeout)
        var failure: SocketError?
        // recv writes straight into the array's uninitialised storage: no zero-fill, no second
        // copy. Bounds: it writes at most `capacity` bytes, the reserved size.
        let bytes = unsafe [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            do throws(SocketError) {
                count = try unsafe socket.read(into: UnsafeMutableRawBufferPointer(buffer), deadline: deadline)
            } catch {
                count = 0
                failure = error
            }
        }
        if let failure { throw Self.dicomError(failure, doing: "reading from \(peerDescription)", timeout: timeout) }
        return bytes
    }

    /// Writes every byte (one PDU, one write), waiting at most `timeout` seconds for the socket to accept more.
    public func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError) {
        do {
            try socket.write(bytes, deadline: Self.deadline(timeout))
        } catch {
            throw Self.dicomError(error, doing: "writing to \(peerDescription)", timeout: timeout)
        }
    }

    /// Closes the socket; further calls do nothing.
    public func close() { socket.close() }

    private static func deadline(_ timeout: Double?) -> ContinuousClock.Instant? {
        timeout.map { ContinuousClock.now + .seconds($0) }
    }

    /// Maps a socket failure to the upper layer's error codes, keeping the socket's explanation.
    static func dicomError(_ error: SocketError, doing what: String, timeout: Double? = nil) -> DicomError {
        switch error.code {
        case .timedOut:
            let after = timeout.map { " after \(SystemText.formatSeconds($0)) s" } ?? ""
            return DicomError(.timeout, "timed out\(after) \(what)")
        case .closed:
            return DicomError(.connectionClosed, "\(what) failed: the connection is closed")
        case .connectionReset:
            return DicomError(.connectionClosed, "\(what) failed: \(error.message)")
        default:
            return DicomError(.io, "\(what) failed: \(error.message)")
        }
    }
}

@available(*, unavailable)
extension TCPTransport: Sendable {}
