#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking POSIX TCP connection with per-call deadlines and `TCP_NODELAY` (PDUs are
/// written whole, so Nagle's algorithm only adds delay; see PEERS.md on DCMTK's 40 ms).
public final class TCPTransport: DicomTransport {
    private var fd: Int32
    /// "host:port" of the peer.
    public let peerDescription: String

    /// Adopts a connected socket (from ``TCPListener/accept(timeout:)``).
    public init(adopting socket: AcceptedSocket) {
        fd = socket.fd
        peerDescription = socket.peerDescription
        SocketOptions.setNoDelay(fd)
    }

    /// Connects to `host:port` within `timeout` seconds, trying each resolved address.
    public static func connect(host: String, port: UInt16, timeout: Double) throws(DicomError) -> TCPTransport {
        let addresses = try SocketAddress.resolve(host: host, port: port)
        var lastError = DicomError(.io, "cannot resolve \(host)")
        for address in addresses {
            do throws(DicomError) {
                let fd = try address.connect(timeout: timeout, description: "\(host):\(port)")
                return TCPTransport(adopting: AcceptedSocket(fd: fd, peerDescription: "\(host):\(port)"))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    deinit { close() }

    /// Reads up to `maxCount` bytes; empty on orderly close.
    public func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8] {
        guard fd >= 0 else { throw DicomError(.connectionClosed, "connection to \(peerDescription) is closed") }
        try SocketOptions.wait(fd, for: Int16(POLLIN), timeout: timeout, what: "reading from \(peerDescription)")
        let capacity = max(1, maxCount)
        while true {
            var failed = false
            // recv writes straight into the array's uninitialised storage: no zero-fill, no
            // second copy. Bounds: recv writes at most `capacity` bytes, the reserved size.
            let bytes = unsafe [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                let n = unsafe recv(fd, buffer.baseAddress, capacity, 0)
                count = max(0, n)
                failed = n < 0
            }
            if !failed { return bytes }
            if errno == EINTR { continue }
            throw DicomError(.io, "reading from \(peerDescription) failed: \(SocketOptions.errorText())")
        }
    }

    /// Writes every byte, waiting at most `timeout` seconds for the socket to accept more.
    public func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError) {
        guard fd >= 0 else { throw DicomError(.connectionClosed, "connection to \(peerDescription) is closed") }
        var offset = 0
        while offset < bytes.count {
            let n = unsafe bytes.withUnsafeBytes { raw in
                unsafe send(fd, raw.baseAddress.map { unsafe $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                try SocketOptions.wait(fd, for: Int16(POLLOUT), timeout: timeout, what: "writing to \(peerDescription)")
                continue
            }
            throw DicomError(.io, "writing to \(peerDescription) failed: \(SocketOptions.errorText())")
        }
    }

    /// Closes the socket.
    public func close() {
        guard fd >= 0 else { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        _ = Glibc.close(fd)
        fd = -1
    }
}

@available(*, unavailable)
extension TCPTransport: Sendable {}

/// A connected socket handed from an accept loop to the thread that will own it.
public struct AcceptedSocket: Sendable {
    /// The file descriptor.
    let fd: Int32
    /// "host:port" of the peer.
    public let peerDescription: String
}

/// A listening TCP socket.
public final class TCPListener: @unchecked Sendable {
    // @unchecked: `fd` never changes after init; the two flags are atomics. `shutdown()` is
    // safe from any thread; the descriptor is closed once, by `close()` or deinit.
    private let fd: Int32
    private let closed = AtomicFlag()
    private let descriptorClosed = AtomicFlag()
    /// The bound port (useful when listening on port 0).
    public let port: UInt16

    /// Listens on `host:port` (port 0 picks a free port).
    public init(host: String = "0.0.0.0", port: UInt16, backlog: Int32 = 64) throws(DicomError) {
        let address = try SocketAddress.resolve(host: host, port: port, passive: true)
        guard let first = address.first else { throw DicomError(.io, "cannot resolve \(host)") }
        let (fd, bound) = try first.listen(backlog: backlog)
        self.fd = fd
        self.port = bound
    }

    deinit { close() }

    /// Waits up to `timeout` seconds (nil forever) for a connection; nil on timeout.
    public func accept(timeout: Double?) throws(DicomError) -> AcceptedSocket? {
        guard !closed.isSet else { throw DicomError(.connectionClosed, "listener is closed") }
        do throws(DicomError) {
            try SocketOptions.wait(fd, for: Int16(POLLIN), timeout: timeout, what: "accepting")
        } catch where error.code == .timeout {
            return nil
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = unsafe withUnsafeMutablePointer(to: &storage) { p in
            unsafe p.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe Glibc.accept(fd, $0, &length) }
        }
        guard client >= 0 else {
            if errno == EINTR || errno == EAGAIN || errno == ECONNABORTED { return nil }
            throw DicomError(.io, "accept failed: \(SocketOptions.errorText())")
        }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // not inherited by child processes
        return AcceptedSocket(fd: client, peerDescription: SocketAddress.describe(storage))
    }

    /// Stops listening and releases the port. Call it from the thread that accepts; from
    /// another thread use ``shutdown()`` (closing a descriptor another thread polls could let
    /// a reused descriptor number be polled by mistake).
    public func close() {
        shutdown()
        guard descriptorClosed.set() else { return }
        _ = Glibc.close(fd)
    }

    /// Stops accepting: a thread blocked in ``accept(timeout:)`` wakes up and gets an error.
    /// The descriptor stays allocated until ``close()`` or deinit.
    public func shutdown() {
        guard closed.set() else { return }
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }
}
