#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers for messages and deadlines (file I/O, ARTIM and reply timers).
package enum SystemText {
    /// `strerror(errno)`.
    static func errorText() -> String {
        let code = errno
        guard let s = unsafe strerror(code) else { return "errno \(code)" }
        return unsafe String(cString: s)
    }

    /// Seconds for messages: `5` rather than `5.0`.
    package static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}

/// Monotonic seconds (for deadlines).
func monotonicSeconds() -> Double {
    var ts = timespec()
    unsafe clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
