import Synchronization
import TLSSockets

/// The async server's admission control, as the blocking server's accept loop has it
/// (review F3): connections not yet associated are capped in all and per peer address
/// (over a cap a connection is closed at once, before any TLS work), and accepted
/// associations are capped by ``maximumAssociations`` (more are rejected, transient,
/// local-limit-exceeded). An association counts once accepted.
final class AdmissionGate: Sendable {
    struct State {
        var pending = 0
        var pendingByAddress: [String: Int] = [:]
        var active = 0
        var refused = 0
        var refusedSinceLine = 0
        var lastRefusalLine: ContinuousClock.Instant?
    }

    let limits: AdmissionLimits
    let maximumAssociations: Int
    let state = Mutex(State())

    init(limits: AdmissionLimits, maximumAssociations: Int) {
        self.limits = limits
        self.maximumAssociations = max(1, maximumAssociations)
    }

    /// Takes a pending slot for a new connection from `address`; false: close it now.
    func admit(_ address: String) -> Bool {
        state.withLock { s in
            let mine = s.pendingByAddress[address, default: 0]
            let total = s.pending + s.active
            guard s.pending < limits.maximumPending, mine < limits.maximumPendingPerAddress,
                  limits.maximumConnections.map({ total < $0 }) ?? true
            else {
                s.refused += 1
                return false
            }
            s.pending += 1
            s.pendingByAddress[address] = mine + 1
            return true
        }
    }

    /// The line for a refusal of a connection from `address`, at most one per 5 seconds
    /// (with the count since the last one), as the blocking accept loop logs them.
    func refusalLine(_ address: String) -> String? {
        let limits = self.limits
        return state.withLock { s in
            s.refusedSinceLine += 1
            let now = ContinuousClock.now
            if let last = s.lastRefusalLine, now - last < .seconds(5) { return nil }
            defer {
                s.lastRefusalLine = now
                s.refusedSinceLine = 0
            }
            return "refused \(s.refusedSinceLine) connection(s) over the admission limits (last from \(address)): "
                + "\(s.pending) pending of \(limits.maximumPending), \(s.pendingByAddress[address, default: 0]) from that address "
                + "of \(limits.maximumPendingPerAddress), \(s.active) association(s)"
        }
    }

    /// Gives back a pending slot (the connection associated, or closed first).
    func leavePending(_ address: String) {
        state.withLock { s in
            s.pending -= 1
            let left = s.pendingByAddress[address, default: 1] - 1
            s.pendingByAddress[address] = left > 0 ? left : nil
        }
    }

    /// Takes an association slot; false: reject (local limit exceeded).
    func takeAssociation() -> Bool {
        state.withLock { s in
            guard s.active < maximumAssociations else { return false }
            s.active += 1
            return true
        }
    }

    /// Gives back an association slot.
    func releaseAssociation() {
        state.withLock { $0.active -= 1 }
    }
}
