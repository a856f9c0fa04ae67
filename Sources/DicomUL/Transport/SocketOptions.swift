#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX helpers shared by ``TCPTransport`` and ``TCPListener``.
enum SocketOptions {
    /// Turns Nagle's algorithm off: every PDU goes out as soon as it is written.
    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = unsafe setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Waits until `fd` is ready for `events` or `timeout` seconds pass (nil: forever).
    static func wait(_ fd: Int32, for events: Int16, timeout: Double?, what: String) throws(DicomError) {
        let deadline = timeout.map { monotonicSeconds() + $0 }
        while true {
            var p = pollfd(fd: fd, events: events, revents: 0)
            var ms: Int32 = -1
            if let deadline {
                let left = deadline - monotonicSeconds()
                if left <= 0 { throw DicomError(.timeout, "timed out after \(formatSeconds(timeout ?? 0)) s \(what)") }
                ms = Int32(min(left * 1000, 3_600_000).rounded(.up))
            }
            let r = unsafe poll(&p, 1, ms)
            if r > 0 { return }
            if r == 0 { continue }  // loop re-checks the deadline
            if errno == EINTR { continue }
            throw DicomError(.io, "\(what): poll failed: \(errorText())")
        }
    }

    /// `strerror(errno)`.
    static func errorText() -> String {
        let code = errno
        guard let s = unsafe strerror(code) else { return "errno \(code)" }
        return unsafe String(cString: s)
    }

    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}

/// Monotonic seconds (for deadlines).
func monotonicSeconds() -> Double {
    var ts = timespec()
    unsafe clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
