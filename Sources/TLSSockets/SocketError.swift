import TLSHandshake
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the TCP layer under a TLS stream: resolving, connecting, listening, reading or writing.
///
/// Each error carries a message that names the operation, the address and the cause in words a
/// person can act on ("connection refused: nothing is listening on 127.0.0.1:4433").
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, independent of the operation.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: UInt8
        /// The host name could not be resolved to an address.
        public static let resolutionFailed = Code(rawValue: 1)
        /// The address and port are already bound by another socket.
        public static let addressInUse = Code(rawValue: 2)
        /// Nothing listens on the remote address and port.
        public static let connectionRefused = Code(rawValue: 3)
        /// The network or host cannot be reached.
        public static let unreachable = Code(rawValue: 4)
        /// An operation did not finish before its deadline.
        public static let timedOut = Code(rawValue: 5)
        /// The peer reset the connection or it broke mid-stream.
        public static let connectionReset = Code(rawValue: 6)
        /// The socket was already closed locally.
        public static let closed = Code(rawValue: 7)
        /// The address cannot be assigned on this machine.
        public static let addressNotAvailable = Code(rawValue: 8)
        /// The process lacks permission (for example a port below 1024).
        public static let permissionDenied = Code(rawValue: 9)
        /// Any other operating-system failure; `errno` says which.
        public static let system = Code(rawValue: 10)

        /// A short name for logs, e.g. "connection refused".
        public var description: String {
            switch self {
            case .resolutionFailed: "resolution failed"
            case .addressInUse: "address in use"
            case .connectionRefused: "connection refused"
            case .unreachable: "unreachable"
            case .timedOut: "timed out"
            case .connectionReset: "connection reset"
            case .closed: "closed"
            case .addressNotAvailable: "address not available"
            case .permissionDenied: "permission denied"
            default: "system error"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation naming the operation and the address.
    public let message: String
    /// The operating system's error number, when there was one.
    public let errno: Int32?

    /// Creates an error with a code and an explanation.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// Classifies an `errno` value from `operation` (such as "connect to 127.0.0.1:4433").
    ///
    /// The message says what the condition usually means, so the person reading it knows
    /// whether to start the server, free the port, or check the address.
    public init(errno value: Int32, operation: String) {
        let (code, hint): (Code, String) =
            switch value {
            case EADDRINUSE: (.addressInUse, "address already in use (another process is bound to this port)")
            case ECONNREFUSED: (.connectionRefused, "connection refused (nothing is listening there)")
            case ENETUNREACH: (.unreachable, "network unreachable (no route to that network)")
            case EHOSTUNREACH: (.unreachable, "host unreachable (no route to that host)")
            case ETIMEDOUT: (.timedOut, "timed out")
            case ECONNRESET, EPIPE, ECONNABORTED: (.connectionReset, "connection reset by the peer")
            case EADDRNOTAVAIL: (.addressNotAvailable, "address not available on this machine")
            case EACCES, EPERM: (.permissionDenied, "permission denied")
            case EBADF: (.closed, "the socket is closed")
            default: (.system, Self.systemMessage(value))
            }
        self.init(code, "cannot \(operation): \(hint)", errno: value)
    }

    /// The human-readable message.
    public var description: String { message }

    /// Errors compare by code only; the message is for people.
    public static func == (lhs: SocketError, rhs: SocketError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, matching `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The C library's text for an `errno` value.
    static func systemMessage(_ value: Int32) -> String {
        guard let text = unsafe strerror(value) else { return "error \(value)" }
        return unsafe String(cString: text) + " (errno \(value))"
    }
}
