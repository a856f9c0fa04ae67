import Synchronization
import TLSHandshake

/// TLS sessions a requestor keeps per peer (`host:port`) to resume them on its next
/// association (RFC 2246 §7.3, abbreviated handshake): no RSA decryption on the acceptor and
/// one round trip fewer.
///
/// Share one cache between the configurations (and threads) that talk to the same peers.
public final class TLSSessionCache: Sendable {
    private struct State {
        var sessions: [String: TLSSession] = [:]
        /// Peers from least to most recently stored.
        var order: [String] = []
    }

    private let state = Mutex(State())
    /// The most peers remembered; the least recently stored goes first.
    public let capacity: Int

    /// Creates an empty cache holding at most `capacity` peers.
    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The session to offer to `peer`, if any.
    public func session(for peer: String) -> TLSSession? {
        state.withLock { $0.sessions[peer] }
    }

    /// Remembers the session of the latest connection to `peer`.
    public func store(_ session: TLSSession, for peer: String) {
        state.withLock { s in
            s.order.removeAll { $0 == peer }
            s.order.append(peer)
            s.sessions[peer] = session
            if s.order.count > capacity { s.sessions[s.order.removeFirst()] = nil }
        }
    }

    /// Forgets `peer`'s session (after a failed connection).
    public func remove(for peer: String) {
        state.withLock { s in
            s.order.removeAll { $0 == peer }
            s.sessions[peer] = nil
        }
    }

    /// Number of peers remembered.
    public var count: Int { state.withLock { $0.sessions.count } }
}
