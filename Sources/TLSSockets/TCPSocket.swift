import Synchronization
import TLSHandshake

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket with deadline-bounded reads and writes.
///
/// The descriptor is non-blocking, close-on-exec and has `TCP_NODELAY` set; every wait happens
/// in `poll(2)`, so a call given a deadline returns or throws `.timedOut` by then. `EINTR` is
/// retried everywhere. The socket is `Sendable` so a server can hand an accepted connection to
/// its own thread; it is still meant to have one owner at a time.
public final class TCPSocket: Sendable {
    /// The descriptor, or -1 once closed (atomic so `close` is idempotent across threads).
    fileprivate let descriptor: Atomic<Int32>
    /// The remote end, as `host:port`.
    public let remoteAddress: SocketAddress
    /// The local end, as `host:port`.
    public let localAddress: SocketAddress?

    init(descriptor fd: Int32, remote: SocketAddress) {
        descriptor = Atomic(fd)
        remoteAddress = remote
        localAddress = POSIX.localAddress(of: fd)
        POSIX.setNonBlocking(fd)
        POSIX.setNoDelay(fd)
    }

    deinit { close() }

    /// Connects to `host:port`, trying each resolved address in turn, within `timeout`.
    ///
    /// - Throws: `SocketError` with `.connectionRefused`, `.unreachable`, `.timedOut`,
    ///   `.resolutionFailed`, ... and a message naming the address.
    public static func connect(host: String, port: UInt16, timeout: Duration? = nil) throws(SocketError) -> TCPSocket {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        var lastError = SocketError(.resolutionFailed, "cannot connect to \(host):\(port): no address")
        for address in try SocketAddress.resolve(host: host, port: port, passive: false) {
            do {
                return try connect(to: address, deadline: deadline, timeout: timeout)
            } catch {
                lastError = error
                if error.code == .timedOut { break }
            }
        }
        throw lastError
    }

    /// Reads at most `buffer.count` bytes into the front of `buffer`.
    ///
    /// The deadline is absolute and checked before every `recv`, so a call made after it has
    /// passed throws `.timedOut` even when bytes are waiting.
    ///
    /// - Returns: the number of bytes read; 0 means the peer closed its side (end of stream).
    /// - Throws: `.timedOut` at the deadline, `.connectionReset`, or `.closed`.
    public func read(into buffer: inout [UInt8], deadline: ContinuousClock.Instant? = nil) throws(SocketError) -> Int {
        var result: Result<Int, SocketError> = .success(0)
        unsafe buffer.withUnsafeMutableBytes { raw in
            do throws(SocketError) { result = .success(try unsafe read(into: raw, deadline: deadline)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads at most `buffer.count` bytes into memory the caller owns (DicomUL reads straight
    /// into an uninitialised array, without zero-filling it first).
    ///
    /// - Returns: the number of bytes read; 0 means the peer closed its side (end of stream).
    package func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(SocketError) -> Int {
        // Bounds: with `waiting`, `receive` returns a count or throws; nil cannot come back.
        try unsafe receive(into: buffer, deadline: deadline, waiting: true) ?? 0
    }

    /// Reads what is there without waiting: the byte count (0 at end of stream), or nil when
    /// nothing has arrived yet.
    package func readAvailable(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(SocketError) -> Int? {
        try unsafe receive(into: buffer, deadline: deadline, waiting: false)
    }

    /// One `recv` loop for both reads: EINTR retried; on EAGAIN, either wait for readability
    /// until the deadline (`waiting`) or return nil.
    private func receive(
        into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?, waiting: Bool
    ) throws(SocketError) -> Int? {
        let fd = try openDescriptor("read from \(remoteAddress)")
        while true {
            // One absolute deadline per operation, checked before every recv whether or not
            // bytes keep arriving: a peer streaming data cannot hold the call past it (F7).
            try POSIX.checkDeadline(deadline, operation: "read from \(remoteAddress)")
            let n = unsafe recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            let e = POSIX.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK {
                guard waiting else { return nil }
                try POSIX.wait(fd, for: Int16(POLLIN), until: deadline, operation: "read from \(remoteAddress)")
                continue
            }
            throw SocketError(errno: e, operation: "read from \(remoteAddress)")
        }
    }

    /// Waits until bytes (or the end of the stream, or an error) can be read.
    ///
    /// - Throws: `.timedOut` at the deadline.
    package func waitReadable(until deadline: ContinuousClock.Instant?) throws(SocketError) {
        let fd = try openDescriptor("read from \(remoteAddress)")
        try POSIX.wait(fd, for: Int16(POLLIN), until: deadline, operation: "read from \(remoteAddress)")
    }

    /// Writes all of `bytes`, waiting for buffer space as needed.
    ///
    /// - Throws: `.timedOut` at the deadline, `.connectionReset` if the peer is gone, `.closed`.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws(SocketError) {
        var failure: SocketError?
        unsafe bytes.withUnsafeBytes { raw in
            do throws(SocketError) { try unsafe write(contentsOf: raw, deadline: deadline) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes all of `bytes` from memory the caller owns (the engine's pending output, without a copy).
    package func write(contentsOf bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(SocketError) {
        let fd = try openDescriptor("write to \(remoteAddress)")
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            try POSIX.checkDeadline(deadline, operation: "write to \(remoteAddress)")
            // `offset < bytes.count`, so the range written stays inside `bytes`.
            let n = unsafe send(fd, base + offset, bytes.count - offset, POSIX.sendFlags)
            if n > 0 {
                offset += n
                continue
            }
            let e = POSIX.errno
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                try POSIX.wait(fd, for: Int16(POLLOUT), until: deadline, operation: "write to \(remoteAddress)")
                continue
            }
            throw SocketError(errno: n < 0 ? e : EPIPE, operation: "write to \(remoteAddress)")
        }
    }

    /// Shuts down the sending direction (TCP FIN), keeping the socket readable.
    public func shutdownWrite() {
        let fd = descriptor.load(ordering: .acquiring)
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Closes the socket. Safe to call more than once and from another thread, where it also
    /// wakes a blocked `read` (which then reports end of stream or `.closed`).
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        guard fd >= 0 else { return }
        POSIX.shutdownAndClose(fd)
    }

    /// Whether `close` has been called.
    public var isClosed: Bool { descriptor.load(ordering: .acquiring) < 0 }

    // MARK: - Helpers

    private func openDescriptor(_ operation: String) throws(SocketError) -> Int32 {
        let fd = descriptor.load(ordering: .acquiring)
        guard fd >= 0 else { throw SocketError(.closed, "cannot \(operation): the socket is closed") }
        return fd
    }

    /// A non-blocking connect to one address: start, wait for writability, read `SO_ERROR`.
    private static func connect(
        to address: SocketAddress, deadline: ContinuousClock.Instant?, timeout: Duration?
    ) throws(SocketError) -> TCPSocket {
        let operation = "connect to \(address)"
        let fd = POSIX.makeSocket(family: address.family, protocol: 0)
        guard fd >= 0 else { throw SocketError(errno: POSIX.errno, operation: operation) }
        var ok = false
        defer { if !ok { POSIX.close(fd) } }
        POSIX.setNonBlocking(fd)
        let r = unsafe address.withSockAddr { unsafe Glibc_connect(fd, $0, $1) }
        if r != 0 {
            let e = POSIX.errno
            guard e == EINPROGRESS || e == EINTR else { throw SocketError(errno: e, operation: operation) }
            do {
                try POSIX.wait(fd, for: Int16(POLLOUT), until: deadline, operation: operation)
            } catch where error.code == .timedOut {
                let after = timeout.map { " after \($0)" } ?? ""
                throw SocketError(.timedOut, "cannot \(operation): timed out\(after) (no answer from the host)")
            }
            let pending = POSIX.pendingError(fd)
            guard pending == 0 else { throw SocketError(errno: pending, operation: operation) }
        }
        ok = true
        return TCPSocket(descriptor: fd, remote: address)
    }

}

/// `connect(2)` under a name that does not clash with `TCPSocket.connect`.
@inline(__always)
private func Glibc_connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
    unsafe Glibc.connect(fd, address, length)
    #else
    unsafe Darwin.connect(fd, address, length)
    #endif
}

extension TCPSocket {
    /// Whether `TCP_NODELAY` is set on the descriptor (for tests and diagnostics).
    package var isNoDelayEnabled: Bool {
        let fd = descriptor.load(ordering: .acquiring)
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return unsafe getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 && value != 0
    }
}

extension TCPSocket {
    /// Waits until the socket, or the extra descriptor `other` (such as stdin), is readable.
    ///
    /// For single-threaded relays (the CLI client) that must not block on one side while the
    /// other has data. Hang-up and errors count as readable, so the next read reports them.
    /// - Returns: which of the two is ready; both false when `timeout` passed.
    package func waitReadable(alsoWatching other: Int32?, timeout: Duration? = nil) -> (socket: Bool, other: Bool) {
        let fd = descriptor.load(ordering: .acquiring)
        var entries = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if let other { entries.append(pollfd(fd: other, events: Int16(POLLIN), revents: 0)) }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            let r = unsafe poll(&entries, nfds_t(entries.count), POSIX.pollTimeout(until: deadline))
            if r >= 0 || POSIX.errno != EINTR { break }
        }
        let ready = { (e: pollfd) in e.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 }
        return (ready(entries[0]), entries.count > 1 && ready(entries[1]))
    }
}
