import TLSHandshake
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, EINTR-safe wrappers over the POSIX socket calls the blocking stream needs.
///
/// Every descriptor is non-blocking and close-on-exec; waiting happens in `poll(2)` with a
/// timeout computed from a deadline, so no call can block forever when a deadline is given.
enum POSIX {
    /// Closes a descriptor (the platform's `close(2)`).
    /// The address a socket is bound to (`getsockname`), or nil when it cannot be read.
    static func localAddress(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return unsafe withUnsafeMutablePointer(to: &storage) { pointer in
            unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                guard unsafe getsockname(fd, sa, &length) == 0 else { return nil }
                return unsafe SocketAddress(sa, length: length)
            }
        }
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Shuts both directions down, which wakes a thread polling the descriptor, then closes it.
    static func shutdownAndClose(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// `SOCK_STREAM` as the `Int32` the socket calls take (Glibc imports it as an enum).
    static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    /// The `send(2)` flags that turn a write to a closed peer into `EPIPE` rather than `SIGPIPE`.
    static var sendFlags: Int32 {
        #if canImport(Glibc)
        Int32(MSG_NOSIGNAL)
        #else
        0
        #endif
    }

    /// The current `errno`.
    static var errno: Int32 {
        #if canImport(Glibc)
        Glibc.errno
        #else
        Darwin.errno
        #endif
    }

    /// Creates a non-blocking, close-on-exec stream socket for `family`.
    static func makeSocket(family: Int32, protocol proto: Int32) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(family, streamType | Int32(SOCK_CLOEXEC.rawValue), proto)
        #else
        let fd = socket(family, streamType, proto)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        guard fd >= 0 else { return fd }
        #if canImport(Darwin)
        setOption(fd, SOL_SOCKET, SO_NOSIGPIPE, 1)
        #endif
        return fd
    }

    /// Puts `fd` into non-blocking mode.
    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sets an integer socket option, ignoring failure (used for best-effort tuning only).
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = unsafe setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Turns off Nagle's algorithm: TLS writes whole records, and a delayed last segment costs
    /// about 40 ms per round trip (PEERS.md, DCMTK).
    static func setNoDelay(_ fd: Int32) {
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Milliseconds left until `deadline` for `poll(2)`: -1 for none, 0 once it has passed.
    static func pollTimeout(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let left = ContinuousClock.now.duration(to: deadline)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    /// Throws `.timedOut` once `deadline` has passed (checked before every `recv`/`send`).
    static func checkDeadline(_ deadline: ContinuousClock.Instant?, operation: String) throws(SocketError) {
        if let deadline, ContinuousClock.now >= deadline {
            throw SocketError(.timedOut, "cannot \(operation): timed out")
        }
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    ///
    /// - Throws: `.timedOut` at the deadline; a classified error if `poll` itself fails.
    static func wait(
        _ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant?, operation: String
    ) throws(SocketError) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let timeout = pollTimeout(until: deadline)
            let r = unsafe poll(&entry, 1, timeout)
            if r > 0 { return }  // ready, or POLLERR/POLLHUP: the next call reports the cause
            if r == 0 {
                if timeout == 0 || pollTimeout(until: deadline) == 0 {
                    throw SocketError(.timedOut, "cannot \(operation): timed out")
                }
                continue
            }
            let e = errno
            if e == EINTR { continue }
            throw SocketError(errno: e, operation: operation)
        }
    }

    /// The pending error of a socket whose non-blocking `connect` finished (`SO_ERROR`).
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let r = unsafe getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        return r == 0 ? value : errno
    }
}
