import Synchronization
import TLSHandshake

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listening TCP socket: bind to an address (port 0 picks a free one) and accept connections.
public final class TCPListener: Sendable {
    /// The descriptor, or -1 once closed.
    private let descriptor: Atomic<Int32>
    /// The bound address; `localAddress.port` is the real port when 0 was asked for.
    public let localAddress: SocketAddress

    /// The bound port.
    public var port: UInt16 { localAddress.port }

    /// Binds and listens on `host:port` (`SO_REUSEADDR` on).
    ///
    /// - Parameters:
    ///   - host: a numeric address or name: `127.0.0.1` (loopback only), `0.0.0.0` or `::` (all).
    ///   - port: the port, or 0 to let the system choose a free one.
    ///   - backlog: how many connections may wait to be accepted.
    /// - Throws: `.addressInUse` when another socket holds the port, `.permissionDenied`, ...
    public init(host: String = "127.0.0.1", port: UInt16 = 0, backlog: Int32 = 128) throws(SocketError) {
        var lastError = SocketError(.resolutionFailed, "cannot listen on \(host):\(port): no address")
        for address in try SocketAddress.resolve(host: host, port: port, passive: true) {
            do {
                let (fd, bound) = try Self.bindAndListen(address, backlog: backlog)
                descriptor = Atomic(fd)
                localAddress = bound
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    deinit { close() }

    /// Waits for and accepts the next connection.
    ///
    /// - Parameter timeout: how long to wait; `nil` waits until a client comes or `close` is called.
    /// - Throws: `.timedOut`, or `.closed` once the listener is closed.
    public func accept(timeout: Duration? = nil) throws(SocketError) -> TCPSocket {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        let operation = "accept on \(localAddress)"
        while true {
            let fd = descriptor.load(ordering: .acquiring)
            guard fd >= 0 else { throw SocketError(.closed, "cannot \(operation): the listener is closed") }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let (client, remote) = unsafe withUnsafeMutablePointer(to: &storage) { pointer in
                unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> (Int32, SocketAddress?) in
                    #if canImport(Glibc)
                    let c = unsafe Glibc.accept(fd, sa, &length)
                    #else
                    let c = unsafe Darwin.accept(fd, sa, &length)
                    #endif
                    return (c, c >= 0 ? unsafe SocketAddress(sa, length: length) : nil)
                }
            }
            if client >= 0 {
                // accept4(SOCK_CLOEXEC) is not exported to Swift; child processes (test peers)
                // must not inherit the connection, or its end-of-stream would never be seen.
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                #if canImport(Darwin)
                POSIX.setOption(client, SOL_SOCKET, SO_NOSIGPIPE, 1)
                #endif
                guard let remote else {
                    POSIX.shutdownAndClose(client)
                    continue
                }
                return TCPSocket(descriptor: client, remote: remote)
            }
            let e = POSIX.errno
            switch e {
            case EINTR, ECONNABORTED: continue
            case EAGAIN, EWOULDBLOCK:
                try POSIX.wait(fd, for: Int16(POLLIN), until: deadline, operation: operation)
            case EBADF, EINVAL:
                throw SocketError(.closed, "cannot \(operation): the listener is closed")
            default:
                throw SocketError(errno: e, operation: operation)
            }
        }
    }

    /// Accepts one waiting connection and closes it at once, for load shedding when the
    /// process has no descriptor to spare for serving it.
    ///
    /// - Returns: whether a connection was waiting (false: none, or the listener is closed).
    package func acceptAndClose() -> Bool {
        let fd = descriptor.load(ordering: .acquiring)
        guard fd >= 0 else { return false }
        while true {
            #if canImport(Glibc)
            let client = Glibc.accept(fd, nil, nil)
            #else
            let client = Darwin.accept(fd, nil, nil)
            #endif
            if client >= 0 {
                POSIX.shutdownAndClose(client)
                return true
            }
            let e = POSIX.errno
            if e == EINTR || e == ECONNABORTED { continue }
            return false
        }
    }

    /// Stops listening. Safe to call more than once; wakes a thread blocked in `accept`.
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0 else { return }
        POSIX.shutdownAndClose(fd)
    }

    private static func bindAndListen(_ address: SocketAddress, backlog: Int32) throws(SocketError) -> (Int32, SocketAddress) {
        let operation = "listen on \(address)"
        let fd = POSIX.makeSocket(family: address.family, protocol: 0)
        guard fd >= 0 else { throw SocketError(errno: POSIX.errno, operation: operation) }
        POSIX.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        POSIX.setNonBlocking(fd)
        let bound = unsafe address.withSockAddr { unsafe bind(fd, $0, $1) } == 0 && listen(fd, backlog) == 0
        let e = POSIX.errno
        guard bound, let local = POSIX.localAddress(of: fd) else {
            POSIX.close(fd)
            throw SocketError(errno: bound ? EINVAL : e, operation: operation)
        }
        return (fd, local)
    }

}
