/// Where a server keeps sessions for resumption (and a client may keep its own).
///
/// `Sendable` so one store can serve many connections on many threads; implementations
/// may put sessions anywhere (memory, a shared cache), since ``TLSSession`` is `Codable`.
/// Times are passed in, so the core never reads a clock (STYLE.md §2).
public protocol TLSSessionStore: Sendable {
    /// Remembers `session` under its ``TLSSession/sessionID``.
    func store(_ session: TLSSession)
    /// The live session with this identifier, or nil if unknown or expired at `now`
    /// (seconds since 1970).
    func session(id: [UInt8], now: Int64) -> TLSSession?
    /// Forgets a session (after a fatal alert, RFC 2246 §7.2.2).
    func remove(id: [UInt8])
}
