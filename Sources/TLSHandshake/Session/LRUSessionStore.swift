import Synchronization

/// The default store: a bounded least-recently-used cache whose entries expire, behind a
/// `Synchronization.Mutex` (STYLE.md §7).
public final class LRUSessionStore: TLSSessionStore {
    private struct State {
        var sessions: [[UInt8]: TLSSession] = [:]
        var order: [[UInt8]] = []  // least recently used first
    }

    private let state = Mutex(State())
    /// The most sessions held at once; the least recently used goes first.
    public let capacity: Int
    /// How long a session may be resumed, in seconds (RFC 2246 §7.4.1.2 suggests at most 24 h).
    public let lifetime: Int64

    /// A store holding at most `capacity` sessions, each for `lifetime` seconds.
    public init(capacity: Int = 1024, lifetime: Int64 = 3600) {
        self.capacity = max(1, capacity)
        self.lifetime = max(0, lifetime)
    }

    public func store(_ session: TLSSession) {
        guard !session.sessionID.isEmpty else { return }
        state.withLock { s in
            if s.sessions.updateValue(session, forKey: session.sessionID) != nil {
                s.order.removeAll { $0 == session.sessionID }
            }
            s.order.append(session.sessionID)
            while s.order.count > capacity {
                let oldest = s.order.removeFirst()
                s.sessions[oldest] = nil
            }
        }
    }

    public func session(id: [UInt8], now: Int64) -> TLSSession? {
        state.withLock { s in
            guard let session = s.sessions[id] else { return nil }
            s.order.removeAll { $0 == id }
            guard now >= session.creationTime, now - session.creationTime < lifetime else {
                s.sessions[id] = nil
                return nil
            }
            s.order.append(id)
            return session
        }
    }

    public func remove(id: [UInt8]) {
        state.withLock { s in
            s.sessions[id] = nil
            s.order.removeAll { $0 == id }
        }
    }

    /// How many sessions are held now.
    public var count: Int { state.withLock { $0.sessions.count } }
}
