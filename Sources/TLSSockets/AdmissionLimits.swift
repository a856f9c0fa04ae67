/// How many connections an ``AcceptLoop`` serves at once, and how many of them may still be
/// *pending*: accepted but not yet admitted by the protocol above (for DICOM, not yet
/// associated: the TLS handshake and the wait for the A-ASSOCIATE-RQ).
///
/// A connection over a limit is closed in the accept loop itself, before any thread is
/// started for it, so an unauthenticated peer opening connections it never uses can hold at
/// most ``maximumPendingPerAddress`` threads, and all such peers together at most
/// ``maximumPending`` (review F3). Threads are therefore bounded by
/// ``maximumConnections`` when it is set, else by ``maximumPending`` plus what the protocol
/// above admits (a DICOM server: its association limit).
public struct AdmissionLimits: Sendable, Equatable {
    /// Connections served at once, pending or admitted; nil leaves the bound to the
    /// protocol above (which must then bound what it admits).
    public var maximumConnections: Int?
    /// Pending connections from all peers together.
    public var maximumPending: Int
    /// Pending connections from one peer address (the host, whatever the port).
    public var maximumPendingPerAddress: Int

    /// Default ``maximumPending``: 128.
    public static let defaultMaximumPending = 128
    /// Default ``maximumPendingPerAddress``: 32. A legitimate peer is pending for
    /// milliseconds (a handshake, one request), so even a router forwarding a burst of
    /// associations stays under it; one attacker address holds at most a quarter of
    /// ``defaultMaximumPending``.
    public static let defaultMaximumPendingPerAddress = 32

    /// Creates limits; values below 1 are raised to 1.
    public init(
        maximumConnections: Int? = nil, maximumPending: Int = Self.defaultMaximumPending,
        maximumPendingPerAddress: Int = Self.defaultMaximumPendingPerAddress
    ) {
        self.maximumConnections = maximumConnections.map { max(1, $0) }
        self.maximumPending = max(1, maximumPending)
        self.maximumPendingPerAddress = max(1, maximumPendingPerAddress)
    }
}
