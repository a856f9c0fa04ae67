import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The accept loop of a thread-per-connection server (`DicomServer`, `dicomtls tls-server`):
/// it never dies on an `accept(2)` error, refuses connections over its ``AdmissionLimits``
/// without starting anything for them, and stops gracefully.
///
/// - Errors (review F2, F10): every `accept` failure other than the listener being closed
///   is logged once per burst, followed by a 100 ms back-off; only ``stop()``
///   ends the loop. When descriptors run out (`EMFILE`, `ENFILE`) a reserve descriptor is
///   released to accept and close the waiting connections (the nginx/libuv technique), so a
///   flood drains instead of queueing.
/// - Admission (review F3): over a limit, the accepted socket is closed at once in the loop.
/// - Threads: one per admitted connection, so as many as the limits allow.
public final class AcceptLoop: Sendable {
    /// The listening socket.
    public let listener: TCPListener
    /// The admission limits.
    public let limits: AdmissionLimits

    /// Counters since start, and the connections served now.
    public struct Statistics: Sendable, Equatable {
        /// Connections being served (pending or admitted).
        public var connections = 0
        /// Connections not yet admitted by the protocol above.
        public var pending = 0
        /// Connections closed at once because a limit was reached.
        public var refused = 0
        /// Connections accepted and closed at once because descriptors ran out.
        public var shed = 0
        /// `accept` calls that failed (and were retried).
        public var acceptFailures = 0
    }

    private struct State {
        var stats = Statistics()
        var pendingByHost: [String: Int] = [:]
        var live: [UInt64: TCPSocket] = [:]
        var nextID: UInt64 = 0
        var reserve: Int32 = -1
        var lastRefusalLog: ContinuousClock.Instant?
        var refusedSinceLog = 0
    }

    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let log: @Sendable (String) -> Void

    /// Back-off after a failed `accept`.
    static let backOff = Duration.milliseconds(100)
    /// Refusals are logged at most once per this period (with a count), never once each.
    static let refusalLogPeriod = Duration.seconds(5)

    /// Wraps a bound listener; `log` receives one line per notable event.
    public init(listener: TCPListener, limits: AdmissionLimits = AdmissionLimits(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.listener = listener
        self.limits = limits
        self.log = log
        state.withLock { $0.reserve = Self.openReserve() }
    }

    deinit {
        let reserve = state.withLock { $0.reserve }
        if reserve >= 0 { POSIX.close(reserve) }
    }

    /// A snapshot of the counters.
    public var statistics: Statistics { state.withLock { $0.stats } }

    /// Accepts connections on the calling thread until ``stop()``, running
    /// `serve` on a new thread for each admitted one. The socket is closed after `serve`
    /// returns if `serve` has not closed it.
    public func run(_ serve: @escaping @Sendable (AcceptedConnection) -> Void) {
        var failuresInBurst = 0
        var shedInBurst = 0
        while !stopped.load(ordering: .acquiring) {
            let socket: TCPSocket
            do {
                socket = try listener.accept(timeout: .seconds(1))
            } catch where error.code == .timedOut {
                continue
            } catch where error.code == .closed {
                break
            } catch {
                if stopped.load(ordering: .acquiring) { break }
                if failuresInBurst == 0 {
                    log("accept failed: \(error.message); retrying every \(Self.backOff) (repeats not logged until an accept succeeds)")
                }
                failuresInBurst += 1
                if error.errno == EMFILE || error.errno == ENFILE { shedInBurst += shedWaitingConnections() }
                state.withLock { $0.stats.acceptFailures += 1 }
                Thread.sleep(forTimeInterval: 0.1)
                continue
            }
            if failuresInBurst > 0 {
                log("accepting again after \(failuresInBurst) failed accept(s); \(shedInBurst) connection(s) closed unserved meanwhile")
                failuresInBurst = 0
                shedInBurst = 0
            }
            admit(socket, serve)
        }
        listener.close()
    }

    /// Stops accepting; connections being served go on. ``run(_:)`` returns.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        listener.close()
    }

    /// Stops accepting at once, waits up to `gracePeriod` for the connections being served
    /// to finish, then closes the sockets of the rest (their threads then fail their next
    /// read or write and unwind) and waits a little for those threads.
    ///
    /// - Returns: how many connections were cut off at the end of the grace period.
    @discardableResult
    public func stop(gracePeriod: Duration) -> Int {
        stop()
        let graceEnd = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < graceEnd, statistics.connections > 0 { Thread.sleep(forTimeInterval: 0.02) }
        let remaining = state.withLock { Array($0.live.values) }
        for socket in remaining { socket.close() }
        let unwindEnd = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < unwindEnd, statistics.connections > 0 { Thread.sleep(forTimeInterval: 0.02) }
        return remaining.count
    }

    /// Whether ``stop(gracePeriod:)`` has been called.
    public var isStopped: Bool { stopped.load(ordering: .acquiring) }

    // MARK: - Admission

    private func admit(_ socket: TCPSocket, _ serve: @escaping @Sendable (AcceptedConnection) -> Void) {
        let host = socket.remoteAddress.host
        let limits = self.limits
        let admitted: UInt64? = state.withLock { s in
            let fromHost = s.pendingByHost[host, default: 0]
            let full = (limits.maximumConnections.map { s.stats.connections >= $0 } ?? false)
                || s.stats.pending >= limits.maximumPending || fromHost >= limits.maximumPendingPerAddress
            guard !full else { return nil }
            s.nextID += 1
            s.stats.connections += 1
            s.stats.pending += 1
            s.pendingByHost[host] = fromHost + 1
            s.live[s.nextID] = socket
            return s.nextID
        }
        guard let id = admitted else {
            noteRefusal(host)
            socket.close()
            return
        }
        let connection = AcceptedConnection(socket: socket) { [self] host in releasePending(host) }
        let thread = Thread { [self] in
            serve(connection)
            connection.leavePending()
            socket.close()
            state.withLock { s in
                s.live[id] = nil
                s.stats.connections -= 1
            }
        }
        thread.name = "connection \(socket.remoteAddress)"
        thread.start()
    }

    private func releasePending(_ host: String) {
        state.withLock { s in
            s.stats.pending -= 1
            let left = s.pendingByHost[host, default: 1] - 1
            s.pendingByHost[host] = left > 0 ? left : nil
        }
    }

    private func noteRefusal(_ host: String) {
        let limits = self.limits
        let line: String? = state.withLock { s in
            s.stats.refused += 1
            s.refusedSinceLog += 1
            let now = ContinuousClock.now
            if let last = s.lastRefusalLog, now - last < Self.refusalLogPeriod { return nil }
            defer {
                s.lastRefusalLog = now
                s.refusedSinceLog = 0
            }
            return "refused \(s.refusedSinceLog) connection(s) over the admission limits (last from \(host)): "
                + "\(s.stats.pending) pending of \(limits.maximumPending), \(s.pendingByHost[host, default: 0]) from that address "
                + "of \(limits.maximumPendingPerAddress), \(s.stats.connections) connection(s) in all"
        }
        if let line { log(line) }
    }

    // MARK: - Descriptor exhaustion

    /// Releases the reserve descriptor, accepts and closes every connection waiting (at most
    /// a bounded number), and takes the reserve again. Returns how many were closed.
    private func shedWaitingConnections() -> Int {
        let reserve = state.withLock { s -> Int32 in
            defer { s.reserve = -1 }
            return s.reserve
        }
        if reserve >= 0 { POSIX.close(reserve) }
        var count = 0
        while count < 4096, listener.acceptAndClose() { count += 1 }
        let fresh = Self.openReserve()
        state.withLock { s in
            s.reserve = fresh
            s.stats.shed += count
        }
        return count
    }

    private static func openReserve() -> Int32 {
        unsafe open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
