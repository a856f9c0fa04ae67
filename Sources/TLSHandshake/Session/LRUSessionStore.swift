import Synchronization

/// The default store: a bounded least-recently-used cache whose entries expire, behind a
/// `Synchronization.Mutex` (STYLE.md §7).
///
/// Every operation is O(1) whatever the capacity (a dictionary from session ID to a slot,
/// and a doubly-linked recency list threaded through the slots by index), so a flood of
/// ClientHellos with made-up session IDs costs a hash lookup each.
public final class LRUSessionStore: TLSSessionStore {
    private let state: Mutex<LRUList>
    /// The most sessions held at once; the least recently used goes first.
    public let capacity: Int
    /// How long a session may be resumed, in seconds (RFC 2246 §7.4.1.2 suggests at most 24 h).
    public let lifetime: Int64

    /// A store holding at most `capacity` sessions, each for `lifetime` seconds.
    public init(capacity: Int = 1024, lifetime: Int64 = 3600) {
        self.capacity = max(1, capacity)
        self.lifetime = max(0, lifetime)
        state = Mutex(LRUList())
    }

    public func store(_ session: TLSSession) {
        guard !session.sessionID.isEmpty else { return }
        state.withLock { list in
            if let slot = list.slot(of: session.sessionID) {
                list.replace(slot, with: session)
                list.touch(slot)
                return
            }
            if list.count >= capacity, let oldest = list.oldest { list.remove(oldest) }
            list.insert(session)
        }
    }

    public func session(id: [UInt8], now: Int64) -> TLSSession? {
        state.withLock { list in
            guard let slot = list.slot(of: id), let session = list.session(at: slot) else { return nil }
            guard now >= session.creationTime, now - session.creationTime < lifetime else {
                list.remove(slot)
                return nil
            }
            list.touch(slot)
            return session
        }
    }

    public func remove(id: [UInt8]) {
        state.withLock { list in
            if let slot = list.slot(of: id) { list.remove(slot) }
        }
    }

    /// How many sessions are held now.
    public var count: Int { state.withLock { $0.count } }
}

/// Sessions in slots, indexed by session ID and linked from least to most recently used.
/// Freed slots are reused, so the slot array never outgrows the store's capacity.
private struct LRUList: ~Copyable {
    private struct Node {
        var session: TLSSession?
        var older = -1
        var newer = -1
    }

    private var slots: [[UInt8]: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    /// Least recently used, -1 when empty.
    private var head = -1
    /// Most recently used, -1 when empty.
    private var tail = -1

    var count: Int { slots.count }
    var oldest: Int? { head >= 0 ? head : nil }

    func slot(of id: [UInt8]) -> Int? { slots[id] }

    /// The session in a slot `slot(of:)` returned (nil only for a freed slot).
    func session(at slot: Int) -> TLSSession? { nodes[slot].session }

    mutating func replace(_ slot: Int, with session: TLSSession) { nodes[slot].session = session }

    /// Adds a session that is not in the list, as the most recently used.
    mutating func insert(_ session: TLSSession) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = Node(session: session)
        } else {
            slot = nodes.count
            nodes.append(Node(session: session))
        }
        slots[session.sessionID] = slot
        linkAsNewest(slot)
    }

    /// Marks an occupied slot as the most recently used.
    mutating func touch(_ slot: Int) {
        guard slot != tail else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    /// Frees an occupied slot.
    mutating func remove(_ slot: Int) {
        unlink(slot)
        if let id = nodes[slot].session?.sessionID { slots[id] = nil }
        nodes[slot] = Node()
        freeSlots.append(slot)
    }

    private mutating func linkAsNewest(_ slot: Int) {
        nodes[slot].older = tail
        nodes[slot].newer = -1
        if tail >= 0 { nodes[tail].newer = slot } else { head = slot }
        tail = slot
    }

    private mutating func unlink(_ slot: Int) {
        let older = nodes[slot].older, newer = nodes[slot].newer
        if older >= 0 { nodes[older].newer = newer } else { head = newer }
        if newer >= 0 { nodes[newer].older = older } else { tail = older }
        nodes[slot].older = -1
        nodes[slot].newer = -1
    }
}
